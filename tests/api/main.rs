//! The end-to-end suite: the real server over real HTTP, each test on SQLite and on PostgreSQL.

mod calls;
mod conventions;
mod docs;
mod health;
mod reference;
