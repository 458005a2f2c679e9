//! Idempotency keys, shared by every instance through the database.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::error::DbError;
use crate::schema::idempotency_keys;

/// How long a key is remembered.
pub const RETENTION_HOURS: i64 = 24;

/// What a key's first use found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// First use: go ahead, then `complete` or `release`.
    Fresh,
    /// Used before with the same request: replay this answer.
    Replay {
        /// HTTP status.
        status: i32,
        /// Stored answer (JSON with `body` and `headers`).
        response: String,
    },
    /// Used before with a different request.
    Mismatch,
    /// The first request with this key is still running.
    InFlight,
}

/// Claims `key` for `caller` and a request with `request_hash`.
pub fn claim(
    conn: &mut DbConnection,
    caller: &str,
    key: &str,
    request_hash: &str,
    now: DateTime<Utc>,
) -> Result<Claim, DbError> {
    crate::db::transaction(conn, |conn| {
        let expired = (now - Duration::hours(RETENTION_HOURS)).naive_utc();
        diesel::delete(idempotency_keys::table.filter(idempotency_keys::created_at.lt(expired)))
            .execute(conn)?;
        let values = (
            idempotency_keys::caller.eq(caller),
            idempotency_keys::idempotency_key.eq(key),
            idempotency_keys::request_hash.eq(request_hash),
            idempotency_keys::created_at.eq(now.naive_utc()),
        );
        let inserted = match conn {
            DbConnection::Postgresql(c) => diesel::insert_into(idempotency_keys::table)
                .values(values)
                .on_conflict_do_nothing()
                .execute(c)?,
            DbConnection::Sqlite(c) => diesel::insert_into(idempotency_keys::table)
                .values(values)
                .on_conflict_do_nothing()
                .execute(c)?,
        };
        if inserted == 1 {
            return Ok(Claim::Fresh);
        }
        let (hash, status, response): (String, Option<i32>, Option<String>) =
            idempotency_keys::table
                .filter(idempotency_keys::caller.eq(caller))
                .filter(idempotency_keys::idempotency_key.eq(key))
                .select((
                    idempotency_keys::request_hash,
                    idempotency_keys::response_status,
                    idempotency_keys::response_body,
                ))
                .first(conn)?;
        Ok(match (hash == request_hash, status, response) {
            (false, _, _) => Claim::Mismatch,
            (true, Some(status), Some(response)) => Claim::Replay { status, response },
            _ => Claim::InFlight,
        })
    })
}

/// Stores the answer to replay.
pub fn complete(
    conn: &mut DbConnection,
    caller: &str,
    key: &str,
    status: i32,
    response: &str,
) -> Result<(), DbError> {
    diesel::update(
        idempotency_keys::table
            .filter(idempotency_keys::caller.eq(caller))
            .filter(idempotency_keys::idempotency_key.eq(key)),
    )
    .set((
        idempotency_keys::response_status.eq(status),
        idempotency_keys::response_body.eq(response),
    ))
    .execute(conn)?;
    Ok(())
}

/// Forgets a key whose request failed, so that a retry runs again.
pub fn release(conn: &mut DbConnection, caller: &str, key: &str) -> Result<(), DbError> {
    diesel::delete(
        idempotency_keys::table
            .filter(idempotency_keys::caller.eq(caller))
            .filter(idempotency_keys::idempotency_key.eq(key)),
    )
    .execute(conn)?;
    Ok(())
}
