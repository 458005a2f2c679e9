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

/// How many failed password attempts are allowed within a window, per account and per client address.
#[derive(Debug, Clone, Copy)]
pub struct PasswordLimits {
    /// The window.
    pub window: Duration,
    /// Failures one account may have in it.
    pub per_account: i64,
    /// Failures one client address may have in it.
    pub per_address: i64,
}

/// Reserves a password attempt under the account's and the address's keys before any password is checked (so that
/// parallel guesses cannot pass the limit together): the reserved rows, which the caller forgets when the password
/// was right; or 429 with when to try again.
pub fn reserve_password_attempt(
    conn: &mut DbConnection,
    account: &str,
    address: &str,
    limits: PasswordLimits,
    at: DateTime<Utc>,
) -> Result<Vec<String>, crate::Refusal> {
    let (account_key, address_key) = (format!("account:{account}"), format!("address:{address}"));
    let attempt = users::reserve_attempt(
        conn,
        &[
            (&account_key, limits.per_account),
            (&address_key, limits.per_address),
        ],
        at - limits.window,
        at,
    )?;
    match attempt {
        users::Attempt::Reserved(ids) => Ok(ids),
        users::Attempt::Refused { oldest } => {
            let retry = oldest.map_or(60, |o| (o + limits.window - at).num_seconds().max(1));
            Err(crate::Refusal::RateLimited {
                message: "Too many failed password attempts; wait before trying again.".into(),
                retry_after: u64::try_from(retry).unwrap_or(60),
            })
        }
    }
}
