//! Limits that hold across requests and instances, counted in the database: unsolicited mail must not become a way
//! to flood a mailbox.

use chrono::{DateTime, Duration, Utc};
use wsis_persistence::{DbConnection, DbError, users};

/// Unsolicited mail (verification links, notices, invitations) that one address receives at most per hour.
pub const MAIL_PER_DESTINATION_PER_HOUR: i64 = 5;
/// Invitations that one account sends at most per hour.
pub const INVITATIONS_PER_ACCOUNT_PER_HOUR: i64 = 30;

/// Reserves one unsolicited mail to `address` (and, with `sender`, one invitation of that account) within the hour;
/// `false` when a limit is reached.
pub fn reserve_mail(
    conn: &mut DbConnection,
    address: &str,
    sender: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let to = format!("mail-to:{}", address.to_lowercase());
    let by = sender.map(|s| format!("mail-by:{s}"));
    let mut keys = vec![(to.as_str(), MAIL_PER_DESTINATION_PER_HOUR)];
    if let Some(by) = &by {
        keys.push((by.as_str(), INVITATIONS_PER_ACCOUNT_PER_HOUR));
    }
    Ok(matches!(
        users::reserve_attempt(conn, &keys, now - Duration::hours(1), now)?,
        users::Attempt::Reserved(_)
    ))
}
