//! Idempotency keys, shared by every instance through the database.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::error::DbError;
use crate::schema::idempotency_keys;

/// How long a key is remembered.
pub const RETENTION_HOURS: i64 = 24;

/// How long a claim holds without an answer. A request that died with its process (a crash, `kill -9`, a lost
/// instance) leaves its claim behind; once the lease has run out, a retry with the same key takes the claim over and
/// runs, instead of being told "in flight" for a day. Far longer than any request may take (database work times out
/// after seconds).
pub const LEASE_SECONDS: i64 = 60;

/// What a key's first use found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// First use, or the taking over of a claim whose lease ran out: go ahead, then `complete` or `release` with
    /// this claim id.
    Fresh {
        /// Identifies this claim (a late answer of a claim taken over changes nothing).
        claim_id: String,
    },
    /// Used before with the same request: replay this answer.
    Replay {
        /// HTTP status.
        status: i32,
        /// Stored answer (JSON with `body` and `headers`).
        response: String,
    },
    /// Used before with a different request.
    Mismatch,
    /// The first request with this key is still running (its lease has not run out).
    InFlight,
}

/// A key's stored request and answer, as a retry reads them.
#[derive(Queryable, Selectable)]
#[diesel(table_name = idempotency_keys)]
struct StoredKey {
    request_hash: String,
    response_status: Option<i32>,
    response_body: Option<String>,
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
        let claim_id = crate::new_id();
        let lease = (now + Duration::seconds(LEASE_SECONDS)).naive_utc();
        let values = (
            idempotency_keys::caller.eq(caller),
            idempotency_keys::idempotency_key.eq(key),
            idempotency_keys::request_hash.eq(request_hash),
            idempotency_keys::created_at.eq(now.naive_utc()),
            idempotency_keys::lease_expires_at.eq(Some(lease)),
            idempotency_keys::claim_id.eq(Some(&claim_id)),
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
            return Ok(Claim::Fresh { claim_id });
        }
        let stored: StoredKey = idempotency_keys::table
            .filter(idempotency_keys::caller.eq(caller))
            .filter(idempotency_keys::idempotency_key.eq(key))
            .select(StoredKey::as_select())
            .first(conn)?;
        match (
            stored.request_hash == request_hash,
            stored.response_status,
            stored.response_body,
        ) {
            (false, _, _) => Ok(Claim::Mismatch),
            (true, Some(status), Some(response)) => Ok(Claim::Replay { status, response }),
            _ => {
                // Unanswered: take it over if its lease has run out (one of several retries wins the update).
                let taken = diesel::update(
                    idempotency_keys::table
                        .filter(idempotency_keys::caller.eq(caller))
                        .filter(idempotency_keys::idempotency_key.eq(key))
                        .filter(idempotency_keys::response_status.is_null())
                        .filter(
                            idempotency_keys::lease_expires_at
                                .is_null()
                                .or(idempotency_keys::lease_expires_at.lt(now.naive_utc())),
                        ),
                )
                .set((
                    idempotency_keys::lease_expires_at.eq(Some(lease)),
                    idempotency_keys::claim_id.eq(Some(&claim_id)),
                ))
                .execute(conn)?;
                Ok(if taken == 1 {
                    Claim::Fresh { claim_id }
                } else {
                    Claim::InFlight
                })
            }
        }
    })
}

/// Stores the answer to replay, if `claim_id` still holds the claim.
pub fn complete(
    conn: &mut DbConnection,
    caller: &str,
    key: &str,
    claim_id: &str,
    status: i32,
    response: &str,
) -> Result<(), DbError> {
    diesel::update(
        idempotency_keys::table
            .filter(idempotency_keys::caller.eq(caller))
            .filter(idempotency_keys::idempotency_key.eq(key))
            .filter(idempotency_keys::claim_id.eq(claim_id)),
    )
    .set((
        idempotency_keys::response_status.eq(status),
        idempotency_keys::response_body.eq(response),
        idempotency_keys::lease_expires_at.eq(None::<chrono::NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(())
}

/// Forgets a key whose request failed, so that a retry runs again (if `claim_id` still holds the claim).
pub fn release(
    conn: &mut DbConnection,
    caller: &str,
    key: &str,
    claim_id: &str,
) -> Result<(), DbError> {
    diesel::delete(
        idempotency_keys::table
            .filter(idempotency_keys::caller.eq(caller))
            .filter(idempotency_keys::idempotency_key.eq(key))
            .filter(idempotency_keys::claim_id.eq(claim_id))
            .filter(idempotency_keys::response_status.is_null()),
    )
    .execute(conn)?;
    Ok(())
}
