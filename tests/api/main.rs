//! The end-to-end suite: the real server over real HTTP, each test on SQLite and on PostgreSQL.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly where its assumption breaks"
)]

mod accounts;
mod authorisation;
mod browser;
mod caching;
mod calls;
mod changes;
mod conventions;
mod decisions;
mod docs;
mod health;
mod identity;
mod listing;
mod mail;
mod oauth;
mod organisations;
mod outcomes;
mod prizes;
mod reference;
mod repository;
mod reviews;
mod submissions;
mod webhooks;
