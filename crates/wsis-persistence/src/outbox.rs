//! The durable mail outbox: messages are written with the change that causes them and delivered afterwards, with
//! retries; a lease lets several instances share the work without sending a message twice at the same time.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::error::DbError;
use crate::new_id;
use crate::schema::outbox;

/// A message to deliver.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct OutboxMessage {
    /// Id (also the file name of an `.eml` delivery).
    pub id: String,
    /// Recipient address.
    pub recipient: String,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// Language code of the text.
    pub language: String,
    /// Delivery attempts so far.
    pub attempts: i32,
}

/// Queues a message; returns its id.
pub fn enqueue(
    conn: &mut DbConnection,
    recipient: &str,
    subject: &str,
    body: &str,
    language: &str,
    now: DateTime<Utc>,
) -> Result<String, DbError> {
    let id = new_id();
    diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(&id),
            outbox::recipient.eq(recipient),
            outbox::subject.eq(subject),
            outbox::body.eq(body),
            outbox::language.eq(language),
            outbox::next_attempt_at.eq(now.naive_utc()),
            outbox::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Claims up to `limit` due messages (or only `only`, if given) for `lease`; others cannot claim them meanwhile.
pub fn claim_due(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    lease: Duration,
    limit: i64,
    only: Option<&[String]>,
) -> Result<Vec<OutboxMessage>, DbError> {
    let now_naive = now.naive_utc();
    let mut query = outbox::table
        .filter(outbox::sent_at.is_null())
        .filter(outbox::next_attempt_at.le(now_naive))
        .filter(
            outbox::leased_until
                .is_null()
                .or(outbox::leased_until.lt(now_naive)),
        )
        .select(OutboxMessage::as_select())
        .order(outbox::next_attempt_at)
        .limit(limit)
        .into_boxed();
    if let Some(ids) = only {
        query = query.filter(outbox::id.eq_any(ids.to_vec()));
    }
    let candidates: Vec<OutboxMessage> = query.load(conn)?;
    if candidates.is_empty() {
        return Ok(candidates);
    }
    // One statement leases them all; a message another worker leased meanwhile is not among those returned.
    let ids: Vec<&String> = candidates.iter().map(|m| &m.id).collect();
    let won: std::collections::HashSet<String> = diesel::update(
        outbox::table
            .filter(outbox::id.eq_any(&ids))
            .filter(outbox::sent_at.is_null())
            .filter(
                outbox::leased_until
                    .is_null()
                    .or(outbox::leased_until.lt(now_naive)),
            ),
    )
    .set(outbox::leased_until.eq((now + lease).naive_utc()))
    .returning(outbox::id)
    .get_results::<String>(conn)?
    .into_iter()
    .collect();
    Ok(candidates
        .into_iter()
        .filter(|m| won.contains(&m.id))
        .collect())
}

/// Records messages as sent, all in one statement (a batch costs one commit, not one per message).
pub fn mark_sent(
    conn: &mut DbConnection,
    ids: &[String],
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    if ids.is_empty() {
        return Ok(());
    }
    diesel::update(outbox::table.filter(outbox::id.eq_any(ids)))
        .set((
            outbox::sent_at.eq(now.naive_utc()),
            outbox::leased_until.eq(None::<NaiveDateTime>),
            outbox::attempts.eq(outbox::attempts + 1),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records a failed attempt; the next one waits 2^attempts minutes (at most a day).
pub fn mark_failed(
    conn: &mut DbConnection,
    message: &OutboxMessage,
    error: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let backoff = Duration::minutes(1i64 << message.attempts.clamp(0, 10)).min(Duration::days(1));
    diesel::update(outbox::table.filter(outbox::id.eq(&message.id)))
        .set((
            outbox::attempts.eq(message.attempts + 1),
            outbox::next_attempt_at.eq((now + backoff).naive_utc()),
            outbox::leased_until.eq(None::<NaiveDateTime>),
            outbox::last_error.eq(error.chars().take(500).collect::<String>()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Deletes the messages not yet sent to these addresses (the demo seeder's accounts, which no one reads); returns
/// how many.
pub fn discard_pending_to(conn: &mut DbConnection, recipients: &[&str]) -> Result<usize, DbError> {
    Ok(diesel::delete(
        outbox::table
            .filter(outbox::sent_at.is_null())
            .filter(outbox::recipient.eq_any(recipients)),
    )
    .execute(conn)?)
}

/// Messages not yet sent (for operators and tests).
pub fn pending_count(conn: &mut DbConnection) -> Result<i64, DbError> {
    Ok(outbox::table
        .filter(outbox::sent_at.is_null())
        .count()
        .get_result(conn)?)
}
