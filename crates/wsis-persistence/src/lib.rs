//! Persistence for the WSIS Contributions API.
//!
//! Owns the database: one diesel connection type over PostgreSQL and SQLite chosen at run time by `DATABASE_URL`,
//! the r2d2 pool, the embedded migrations of each backend (`migrations/postgres`, `migrations/sqlite`, same names),
//! seeding, and the queries. Rows are mapped to `wsis-domain` types here, and database errors are classified once
//! here ([`DbError`]). It must not depend on actix or utoipa: it knows nothing of HTTP.

pub mod api_clients;
pub mod calls;
pub mod changes;
pub mod db;
pub mod error;
pub mod extensions;
pub mod idempotency;
pub mod oauth;
pub mod organisations;
pub mod outbox;
pub mod prizes;
pub mod reference;
pub mod reviews;
pub mod schema;
pub mod seed;
pub mod submissions;
#[cfg(feature = "testing")]
pub mod testing;
pub mod users;
pub mod webhooks;

/// A new opaque identifier: a UUIDv7 (time-ordered, not guessable from its neighbours' counters).
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

pub use db::{Backend, Database, DbConnection, PoolOptions};
pub use error::DbError;
