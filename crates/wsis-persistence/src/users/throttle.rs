//! The shared login-failure counter and attempt reservations that throttle sign-ins and mail across instances.

use super::*;

/// Records a failed login under `key`.
pub fn record_auth_failure(
    conn: &mut DbConnection,
    key: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::insert_into(auth_failures::table)
        .values((
            auth_failures::id.eq(new_id()),
            auth_failures::throttle_key.eq(key),
            auth_failures::failed_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// How much of one key's limit was used in the window before an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    /// Attempts counted in the window (this one not included).
    pub count: i64,
    /// The oldest of them: when it leaves the window, one attempt is free again.
    pub oldest: Option<DateTime<Utc>>,
}

/// The outcome of [`reserve_attempt`], with each key's usage in the order the keys were given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// Go ahead: the attempt is counted as a failure under each key (these rows) until [`forget_attempt`] says it
    /// succeeded.
    Reserved {
        /// The rows counting this attempt.
        ids: Vec<String>,
        /// Each key's usage before it.
        usage: Vec<Usage>,
    },
    /// A key is at its limit; its oldest counted failure, which ends the wait when it leaves the window.
    Refused {
        /// The oldest failure still counted under the key at its limit.
        oldest: Option<DateTime<Utc>>,
        /// Each key's usage.
        usage: Vec<Usage>,
    },
}

/// Reserves one password attempt under every `(key, limit)` before the password is checked, atomically: the
/// failures in the window are counted and the attempt recorded in one transaction, which holds a lock on each key
/// (PostgreSQL advisory locks, which every instance shares; SQLite transactions here already run one at a time). So
/// of any number of parallel guesses, at most `limit` are ever checked. Counting after the check instead let 60
/// parallel guesses through a limit of 5.
pub fn reserve_attempt(
    conn: &mut DbConnection,
    keys: &[(&str, i64)],
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Attempt, DbError> {
    crate::db::transaction(conn, |conn| reserve_attempt_within(conn, keys, since, now))
}

/// [`reserve_attempt`] inside the caller's transaction (its locks are held until the caller commits), without a
/// savepoint of its own: for a use case that reserves as one step of its transaction.
pub fn reserve_attempt_within(
    conn: &mut DbConnection,
    keys: &[(&str, i64)],
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Attempt, DbError> {
    let mut sorted: Vec<&str> = keys.iter().map(|(k, _)| *k).collect();
    sorted.sort_unstable();
    for key in sorted {
        crate::db::lock(conn, key)?;
    }
    let mut usage = Vec::with_capacity(keys.len());
    for (key, _) in keys {
        let (count, oldest) = auth_failures_since(conn, key, since)?;
        usage.push(Usage { count, oldest });
    }
    if let Some((_, used)) = keys
        .iter()
        .zip(&usage)
        .find(|((_, limit), used)| used.count >= *limit)
    {
        return Ok(Attempt::Refused {
            oldest: used.oldest,
            usage,
        });
    }
    let mut ids = Vec::with_capacity(keys.len());
    for (key, _) in keys {
        let id = new_id();
        diesel::insert_into(auth_failures::table)
            .values((
                auth_failures::id.eq(&id),
                auth_failures::throttle_key.eq(key),
                auth_failures::failed_at.eq(now.naive_utc()),
            ))
            .execute(conn)?;
        ids.push(id);
    }
    Ok(Attempt::Reserved { ids, usage })
}

/// Counts one attempt under `key` in the clock hour that starts at `window_start`, in one statement that holds the
/// counter's row until the caller's transaction ends: the attempts counted in that hour, this one included.
pub fn bump_hourly(
    conn: &mut DbConnection,
    key: &str,
    window_start: DateTime<Utc>,
) -> Result<i64, DbError> {
    use diesel::sql_types::{Integer, Text, Timestamp};
    #[derive(QueryableByName)]
    struct Used {
        #[diesel(sql_type = Integer)]
        used: i32,
    }
    let start = window_start.naive_utc();
    let used = match conn {
        // A typed query, so that the connection keeps it prepared.
        DbConnection::Postgresql(c) => {
            use crate::schema::hourly_counters as h;
            let used: i32 = diesel::insert_into(h::table)
                .values((h::throttle_key.eq(key), h::window_start.eq(start), h::used.eq(1)))
                .on_conflict((h::throttle_key, h::window_start))
                .do_update()
                .set(h::used.eq(h::used + 1))
                .returning(h::used)
                .get_result(c)?;
            return Ok(i64::from(used));
        }
        DbConnection::Sqlite(c) => diesel::sql_query(
            "INSERT INTO hourly_counters (throttle_key, window_start, used) VALUES (?, ?, 1) \
             ON CONFLICT (throttle_key, window_start) DO UPDATE SET used = hourly_counters.used + 1 RETURNING used",
        )
        .bind::<Text, _>(key)
        .bind::<Timestamp, _>(start)
        .get_result::<Used>(c)?,
    };
    Ok(i64::from(used.used))
}

/// Forgets the hourly counters of hours that started before `before` (they no longer limit anything): how many.
pub fn forget_hourly_before(
    conn: &mut DbConnection,
    before: DateTime<Utc>,
) -> Result<usize, DbError> {
    use crate::schema::hourly_counters as h;
    Ok(diesel::delete(h::table.filter(h::window_start.lt(before.naive_utc()))).execute(conn)?)
}

/// Takes back a reserved attempt that succeeded.
pub fn forget_attempt(conn: &mut DbConnection, ids: &[String]) -> Result<(), DbError> {
    diesel::delete(auth_failures::table.filter(auth_failures::id.eq_any(ids))).execute(conn)?;
    Ok(())
}

/// Failures under `key` since `since`: how many, and the oldest of them.
pub fn auth_failures_since(
    conn: &mut DbConnection,
    key: &str,
    since: DateTime<Utc>,
) -> Result<(i64, Option<DateTime<Utc>>), DbError> {
    let (count, oldest): (i64, Option<NaiveDateTime>) = auth_failures::table
        .filter(auth_failures::throttle_key.eq(key))
        .filter(auth_failures::failed_at.gt(since.naive_utc()))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::min(auth_failures::failed_at),
        ))
        .first(conn)?;
    Ok((count, oldest.map(|t| t.and_utc())))
}

/// Forgets the failures under `key` (after a successful login), and any older than `before` everywhere.
pub fn clear_auth_failures(
    conn: &mut DbConnection,
    key: &str,
    before: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::delete(auth_failures::table.filter(auth_failures::throttle_key.eq(key)))
        .execute(conn)?;
    diesel::delete(auth_failures::table.filter(auth_failures::failed_at.lt(before.naive_utc())))
        .execute(conn)?;
    Ok(())
}
