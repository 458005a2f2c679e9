//! Limits that hold across requests and instances, counted in the database: unsolicited mail must not become a way
//! to flood a mailbox.

use chrono::{DateTime, Duration, Utc};
use wsis_persistence::{DbConnection, DbError, users};

/// Unsolicited mail (verification links, notices, invitations) that one address receives at most per hour.
pub const MAIL_PER_DESTINATION_PER_HOUR: i64 = 5;
/// Invitations that one account sends at most per hour.
pub const INVITATIONS_PER_ACCOUNT_PER_HOUR: i64 = 30;

/// One limit as the IETF RateLimit fields tell it (draft-ietf-httpapi-ratelimit-headers): its policy (a name, a
/// quota of attempts in a window of seconds) and what is left of it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quota {
    /// The policy's name (`sign-in-account`, …).
    pub policy: &'static str,
    /// Attempts allowed in the window.
    pub quota: i64,
    /// The window, in seconds.
    pub window: i64,
    /// Attempts left.
    pub remaining: i64,
    /// Seconds until an attempt is free again (the oldest counted one leaves the window); the window when none is
    /// counted.
    pub reset: i64,
}

impl Quota {
    fn of(
        policy: &'static str,
        quota: i64,
        window: Duration,
        usage: users::Usage,
        spent: i64,
        at: DateTime<Utc>,
    ) -> Self {
        let window_seconds = window.num_seconds();
        // Nothing counted before this attempt: the window starts now (with this attempt, if it counts).
        let reset = match usage.oldest {
            Some(oldest) if usage.count > 0 => (oldest + window - at)
                .num_seconds()
                .clamp(1, window_seconds),
            _ => window_seconds,
        };
        Self {
            policy,
            quota,
            window: window_seconds,
            remaining: (quota - usage.count - spent).max(0),
            reset,
        }
    }
}

/// What a reserved mail or invitation tells the one who sent it: what is left of their own quota (the
/// destination's quota is not theirs to know).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailReservation {
    /// Reserved; with a sender, the sender's quota after it.
    Reserved(Option<Quota>),
    /// A limit is reached: the destination's or the sender's; the sender's quota, and when to try again.
    Refused {
        /// The sender's quota, with a sender.
        quota: Option<Quota>,
        /// Seconds until the limit that refused lets one through.
        retry_after: u64,
    },
}

/// Reserves one unsolicited mail to `address` (and, with `sender`, one invitation of that account) within the hour.
pub fn reserve_mail(
    conn: &mut DbConnection,
    address: &str,
    sender: Option<&str>,
    now: DateTime<Utc>,
) -> Result<MailReservation, DbError> {
    let to = format!("mail-to:{}", address.to_lowercase());
    let by = sender.map(|s| format!("mail-by:{s}"));
    let mut keys = vec![(to.as_str(), MAIL_PER_DESTINATION_PER_HOUR)];
    if let Some(by) = &by {
        keys.push((by.as_str(), INVITATIONS_PER_ACCOUNT_PER_HOUR));
    }
    let window = Duration::hours(1);
    let sender_quota = |usage: &[users::Usage], spent: i64| {
        usage.get(1).map(|used| {
            Quota::of(
                "invitations",
                INVITATIONS_PER_ACCOUNT_PER_HOUR,
                window,
                *used,
                spent,
                now,
            )
        })
    };
    Ok(
        match users::reserve_attempt(conn, &keys, now - window, now)? {
            users::Attempt::Reserved { usage, .. } => {
                MailReservation::Reserved(sender_quota(&usage, 1))
            }
            users::Attempt::Refused { oldest, usage } => MailReservation::Refused {
                quota: sender_quota(&usage, 0),
                retry_after: retry_after(oldest, window, now),
            },
        },
    )
}

fn retry_after(oldest: Option<DateTime<Utc>>, window: Duration, at: DateTime<Utc>) -> u64 {
    let seconds = oldest.map_or(60, |o| (o + window - at).num_seconds().max(1));
    u64::try_from(seconds).unwrap_or(60)
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

/// A reserved password attempt: the rows counting it (forgotten when the password was right) and the quotas it
/// was counted under.
#[derive(Debug, Clone)]
pub struct PasswordAttempt {
    /// The rows counting this attempt as a failure.
    pub ids: Vec<String>,
    usage: Vec<users::Usage>,
    limits: PasswordLimits,
    at: DateTime<Utc>,
}

impl PasswordAttempt {
    /// The account's and the address's quotas after this attempt: `failed` counts it, a right password does not.
    pub fn quotas(&self, failed: bool) -> Vec<Quota> {
        password_quotas(&self.usage, self.limits, i64::from(failed), self.at)
    }

    /// The quotas after a sign-in with the right password, which forgets the account's earlier failures
    /// ([`crate::accounts::open_user_session`]); the address's stay.
    pub fn quotas_signed_in(&self) -> Vec<Quota> {
        let mut usage = self.usage.clone();
        if let Some(account) = usage.first_mut() {
            *account = users::Usage {
                count: 0,
                oldest: None,
            };
        }
        password_quotas(&usage, self.limits, 0, self.at)
    }
}

fn password_quotas(
    usage: &[users::Usage],
    limits: PasswordLimits,
    spent: i64,
    at: DateTime<Utc>,
) -> Vec<Quota> {
    let policies = [
        ("sign-in-account", limits.per_account),
        ("sign-in-address", limits.per_address),
    ];
    policies
        .iter()
        .zip(usage)
        .map(|((policy, quota), used)| Quota::of(policy, *quota, limits.window, *used, spent, at))
        .collect()
}

/// Reserves a password attempt under the account's and the address's keys before any password is checked (so that
/// parallel guesses cannot pass the limit together); or 429 with when to try again.
pub fn reserve_password_attempt(
    conn: &mut DbConnection,
    account: &str,
    address: &str,
    limits: PasswordLimits,
    at: DateTime<Utc>,
) -> Result<PasswordAttempt, crate::Refusal> {
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
        users::Attempt::Reserved { ids, usage } => Ok(PasswordAttempt {
            ids,
            usage,
            limits,
            at,
        }),
        users::Attempt::Refused { oldest, usage } => Err(crate::Refusal::RateLimited {
            message: wsis_domain::said!("rate-limited-passwords"),
            retry_after: retry_after(oldest, limits.window, at),
            quotas: password_quotas(&usage, limits, 0, at),
        }),
    }
}

/// Vote attempts one client address makes at most per hour in a call. An office, a campus or a mobile network
/// shares one address, so the limit is generous; it stops one machine from voting for a crowd (vote drives).
pub const VOTES_PER_ADDRESS_PER_HOUR: i64 = 120;

/// Counts one vote attempt from `address` in the call within the clock hour (refused ones too), as a step of the
/// caller's transaction: one counter row per address and hour, bumped in one statement (a vote is the busiest write
/// of the system). The quota after it, or the refusal once the hour's attempts are spent.
pub fn reserve_vote(
    conn: &mut DbConnection,
    call_id: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<Quota, crate::Refusal> {
    use chrono::DurationRound as _;
    let window = Duration::hours(1);
    let start = now.duration_trunc(window).unwrap_or(now);
    let used = users::bump_hourly(conn, &format!("vote-from:{call_id}:{address}"), start)?;
    let limit = VOTES_PER_ADDRESS_PER_HOUR;
    let quota = Quota {
        policy: "votes-address",
        quota: limit,
        window: window.num_seconds(),
        remaining: (limit - used).max(0),
        reset: (start + window - now)
            .num_seconds()
            .clamp(1, window.num_seconds()),
    };
    if used > limit {
        return Err(crate::Refusal::RateLimited {
            message: wsis_domain::said!("rate-limited-votes"),
            retry_after: retry_after(Some(start), window, now),
            quotas: vec![quota],
        });
    }
    Ok(quota)
}

/// Reserves one registration from `address` within the hour, before its password is hashed (an attempt counts
/// whether the registration then makes an account or not): the address's quota after it, or the refusal.
pub fn reserve_signup(
    conn: &mut DbConnection,
    address: &str,
    limit: i64,
    now: DateTime<Utc>,
) -> Result<Quota, crate::Refusal> {
    crate::run(conn, |conn| {
        reserve_hourly(
            conn,
            &format!("signup-from:{address}"),
            ("sign-ups-address", limit),
            wsis_domain::said!("rate-limited-signups"),
            now,
        )
    })
}

/// Reserves one attempt under `key` within the hour, told as the policy `(name, limit)`, as a step of the caller's
/// transaction (which holds the key's lock until it commits): the quota after it, or a refusal saying `refused`.
fn reserve_hourly(
    conn: &mut DbConnection,
    key: &str,
    (policy, limit): (&'static str, i64),
    refused: wsis_domain::Said,
    now: DateTime<Utc>,
) -> Result<Quota, crate::Refusal> {
    let window = Duration::hours(1);
    let quota = |usage: &[users::Usage], spent: i64| {
        let used = usage.first().copied().unwrap_or(users::Usage {
            count: 0,
            oldest: None,
        });
        Quota::of(policy, limit, window, used, spent, now)
    };
    match users::reserve_attempt_within(conn, &[(key, limit)], now - window, now)? {
        users::Attempt::Reserved { usage, .. } => Ok(quota(&usage, 1)),
        users::Attempt::Refused { oldest, usage } => Err(crate::Refusal::RateLimited {
            message: refused,
            retry_after: retry_after(oldest, window, now),
            quotas: vec![quota(&usage, 0)],
        }),
    }
}

/// Password reset requests one client address makes at most per hour.
pub const PASSWORD_RESETS_PER_ADDRESS_PER_HOUR: i64 = 20;

/// Reserves one password reset request from `address` within the hour, as a step of the caller's transaction: the
/// address's quota after it, or the refusal.
pub fn reserve_reset(
    conn: &mut DbConnection,
    address: &str,
    now: DateTime<Utc>,
) -> Result<Quota, crate::Refusal> {
    reserve_hourly(
        conn,
        &format!("reset-from:{address}"),
        (
            "password-resets-address",
            PASSWORD_RESETS_PER_ADDRESS_PER_HOUR,
        ),
        wsis_domain::said!("rate-limited-resets"),
        now,
    )
}

/// Pings and redeliveries one webhook endpoint may be sent at most per hour (each is an outgoing request the caller
/// chooses the moment of).
pub const MANUAL_DELIVERIES_PER_ENDPOINT_PER_HOUR: i64 = 30;

/// Reserves one ping or redelivery to endpoint `endpoint` within the hour, as a step of the caller's transaction:
/// the endpoint's quota after it, or the refusal.
pub fn reserve_manual_delivery(
    conn: &mut DbConnection,
    endpoint: &str,
    now: DateTime<Utc>,
) -> Result<Quota, crate::Refusal> {
    reserve_hourly(
        conn,
        &format!("manual-delivery:{endpoint}"),
        (
            "manual-deliveries-endpoint",
            MANUAL_DELIVERIES_PER_ENDPOINT_PER_HOUR,
        ),
        wsis_domain::said!("rate-limited-manual-deliveries"),
        now,
    )
}
