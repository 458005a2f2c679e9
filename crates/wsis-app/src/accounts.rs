//! Accounts: registration, e-mail verification, the signed-in user's own record and password, and the sessions that
//! sign-in opens. Password hashing is not here: it runs on the HTTP layer's hashing gate, off the database, between
//! the steps (a throttle reservation, then the hash, then the write), so that no connection waits on Argon2id.

use chrono::{DateTime, Duration, Utc};
use wsis_domain::account::NewAccount;
use wsis_domain::said;
use wsis_domain::{Actor, Language, UserRole};
use wsis_persistence::users::{self, NewUser, Rotation, SessionOwner, SessionRecord, UserRecord};
use wsis_persistence::{DbConnection, DbError, api_clients, outbox};

use crate::{Refusal, letters, throttle};

mod lifecycle;

pub use lifecycle::*;

/// How long an e-mail verification link stays valid.
pub const VERIFICATION_LIFETIME_HOURS: i64 = 48;

/// A one-time link's secret, made by the caller: the digest that is stored, and the link (carrying the token) that
/// is mailed.
#[derive(Debug, Clone)]
pub struct LinkSecret {
    /// Digest of the token.
    pub token_digest: String,
    /// The link.
    pub link: String,
}

/// A registration, its fields parsed.
#[derive(Debug, Clone)]
pub struct Registration {
    /// The account asked for, parsed.
    pub account: NewAccount,
    /// The password's Argon2id hash (made whether or not the address is taken, so that both take the same time).
    pub password_hash: String,
}

/// Queues the verification mail for `user` with its link, in the caller's transaction; returns the message id.
fn queue_verification(
    conn: &mut DbConnection,
    user: &UserRecord,
    secret: &LinkSecret,
    at: DateTime<Utc>,
) -> Result<String, DbError> {
    users::create_email_token(
        conn,
        &user.id,
        "verify_email",
        &secret.token_digest,
        at + Duration::hours(VERIFICATION_LIFETIME_HOURS),
        at,
    )?;
    let language: Language = user.language.parse().unwrap_or(Language::En);
    let letter = letters::verification(language, &user.display_name, &secret.link);
    outbox::enqueue(
        conn,
        &user.email,
        &letter.subject,
        &letter.body,
        language.code(),
        at,
    )
}

/// Registers an address, answering alike whatever it finds (nobody learns which addresses have accounts): a new
/// address gets an account and a verification link; an unverified account a fresh link; the owner of a verified
/// account a notice that someone tried (`sign_in` is the link in it). An expired unverified account frees its
/// address first. Returns the mail queued, if any (none past the hourly limit of unsolicited mail, none for an
/// address a deleted account still holds).
pub fn register(
    conn: &mut DbConnection,
    registration: &Registration,
    verification: &LinkSecret,
    sign_in: &str,
    unverified_lifetime: Duration,
    at: DateTime<Utc>,
) -> Result<Option<String>, Refusal> {
    let email = &registration.account.email;
    crate::run(conn, |conn| {
        users::expire_unverified(conn, at - unverified_lifetime, Some(email.normalized()), at)?;
        // Over the address's limit the registration is answered alike, and silently sends nothing.
        if let throttle::MailReservation::Refused { .. } =
            throttle::reserve_mail(conn, email.normalized(), None, at)?
        {
            return Ok(None);
        }
        let queued = match users::find_user_by_email(conn, email.normalized())? {
            Some(existing) if existing.email_verified_at.is_none() => {
                Some(queue_verification(conn, &existing, verification, at)?)
            }
            Some(existing) => {
                let language: Language = existing.language.parse().unwrap_or(Language::En);
                let letter = letters::registration_again(language, &existing.display_name, sign_in);
                Some(outbox::enqueue(
                    conn,
                    &existing.email,
                    &letter.subject,
                    &letter.body,
                    language.code(),
                    at,
                )?)
            }
            None => {
                let created = users::create_user(
                    conn,
                    &NewUser {
                        email: email.as_str(),
                        email_normalized: email.normalized(),
                        password_hash: &registration.password_hash,
                        display_name: &registration.account.display_name,
                        language: registration.account.language.code(),
                    },
                    at,
                );
                match created {
                    Ok(user) => {
                        tracing::info!(user.id = %user.id, "account registered");
                        Some(queue_verification(conn, &user, verification, at)?)
                    }
                    // A deleted account still holds the address: nothing to send.
                    Err(err) if users::is_email_taken(&err) => None,
                    Err(err) => return Err(err.into()),
                }
            }
        };
        Ok(queued)
    })
}

/// Verifies an address with the digest of the token from its link (single use); returns the user's id.
pub fn verify_email(
    conn: &mut DbConnection,
    token_digest: &str,
    at: DateTime<Utc>,
) -> Result<String, Refusal> {
    crate::run(conn, |conn| {
        let user = users::consume_email_token(conn, "verify_email", token_digest, at)?
            .ok_or_else(|| Refusal::InvalidToken(said!("token-link-invalid")))?;
        users::mark_verified(conn, &user, at)?;
        tracing::info!(user.id = %user, "e-mail verified");
        Ok(user)
    })
}

/// The signed-in user, with roles and memberships.
pub type Me = (UserRecord, Vec<UserRole>, Vec<users::Membership>);

fn own_id(actor: &Actor) -> Result<String, Refusal> {
    match actor {
        Actor::User(user) => Ok(user.id.clone()),
        Actor::Anonymous => Err(Refusal::Unauthenticated(said!("refused-sign-in-user"))),
        Actor::Client(_) => Err(Refusal::Forbidden(said!("refused-clients-no-account"))),
    }
}

/// Whether `actor` may change its own password or e-mail address, or erase its account: the user, signed in
/// first-party (403 through a third-party client). Called before any password is checked.
pub fn may_manage_credentials(actor: &Actor) -> Result<String, Refusal> {
    let id = own_id(actor)?;
    match wsis_domain::identity::may_manage_credentials(actor) {
        wsis_domain::Access::Allowed => Ok(id),
        _ => Err(Refusal::Forbidden(said!("refused-delegated"))),
    }
}

/// The signed-in user's own record, roles and memberships.
pub fn me(conn: &mut DbConnection, actor: &Actor) -> Result<Me, Refusal> {
    let id = own_id(actor)?;
    crate::run(conn, |conn| {
        Ok((
            users::find_user(conn, &id)?,
            users::roles_of(conn, &id)?,
            users::memberships_of(conn, &id)?,
        ))
    })
}

/// Sets the signed-in user's new password hash (its current password was checked by the caller): the throttle's
/// reserved attempt is forgotten (it succeeded) and every session of the account is revoked.
pub fn set_password(
    conn: &mut DbConnection,
    actor: &Actor,
    reserved: &[String],
    password_hash: &str,
    at: DateTime<Utc>,
) -> Result<(), Refusal> {
    let id = may_manage_credentials(actor)?;
    crate::run(conn, |conn| {
        users::forget_attempt(conn, reserved)?;
        users::set_password(conn, &id, password_hash, at)?;
        tracing::info!(user.id = %id, "password changed; sessions revoked");
        Ok(())
    })
}

/// A successful sign-in's throttle bookkeeping: the attempt reserved for it (not a failure after all), and the
/// account's key whose counted events older than `purge_before` are purged by the way.
#[derive(Debug, Clone)]
pub struct SignedIn<'a> {
    /// The reserved attempt's rows.
    pub reserved: &'a [String],
    /// The account's throttle key.
    pub account_key: &'a str,
    /// Events before this are purged.
    pub purge_before: DateTime<Utc>,
}

/// What a request that signs in or refreshes was seen with: its user agent (cut to 256 characters, control
/// characters dropped) and client address.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    /// The `User-Agent` header.
    pub user_agent: Option<String>,
    /// The client address.
    pub client_address: Option<String>,
}

impl Seen {
    /// As seen, tidied for storage.
    pub fn new(user_agent: Option<&str>, client_address: &str) -> Self {
        Self {
            user_agent: user_agent
                .map(|ua| ua.chars().filter(|c| !c.is_control()).take(256).collect()),
            client_address: Some(client_address.to_owned()),
        }
    }
}

/// A session opened for a user who proved their password: its id and the user's roles (for the access token).
pub fn open_user_session(
    conn: &mut DbConnection,
    user: &str,
    signed_in: &SignedIn<'_>,
    refresh_digest: &str,
    lifetime: Duration,
    seen: &Seen,
    at: DateTime<Utc>,
) -> Result<(String, Vec<UserRole>), Refusal> {
    crate::run(conn, |conn| {
        users::forget_attempt(conn, signed_in.reserved)?;
        users::clear_auth_failures(conn, signed_in.account_key, signed_in.purge_before)?;
        let sid = users::create_session(
            conn,
            &SessionOwner::User(user.to_owned()),
            "",
            at + lifetime,
            at,
        )?;
        users::add_refresh_token(conn, &sid, refresh_digest, at + lifetime, at)?;
        users::note_session_seen(
            conn,
            &sid,
            seen.user_agent.as_deref(),
            seen.client_address.as_deref(),
            at,
        )?;
        let roles = users::roles_of(conn, user)?;
        tracing::info!(user.id = %user, session.id = %sid, "signed in");
        Ok((sid, roles))
    })
}

/// What presenting a refresh token came to.
#[derive(Debug)]
pub enum Refreshed {
    /// Rotated: the session, its user and the user's roles.
    Rotated(SessionRecord, String, Vec<UserRole>),
    /// A token already rotated was presented again: the session is revoked.
    Reused,
    /// Unknown, expired, revoked, or its user is gone.
    Invalid,
}

/// Rotates a refresh token (by digests): the presented one stops working and the new one takes its place.
pub fn refresh_session(
    conn: &mut DbConnection,
    presented_digest: &str,
    new_digest: &str,
    lifetime: Duration,
    seen: &Seen,
    at: DateTime<Utc>,
) -> Result<Refreshed, Refusal> {
    crate::run(conn, |conn| {
        let session = match users::rotate_refresh_token(
            conn,
            presented_digest,
            new_digest,
            at + lifetime,
            at,
        )? {
            Rotation::Rotated(session) => session,
            Rotation::Reused => {
                tracing::warn!(
                    "a rotated refresh token was presented again; its session is revoked"
                );
                return Ok(Refreshed::Reused);
            }
            _ => return Ok(Refreshed::Invalid),
        };
        let SessionOwner::User(user) = session.owner.clone() else {
            return Ok(Refreshed::Invalid);
        };
        match users::find_user(conn, &user) {
            Ok(_) => {}
            Err(DbError::NotFound) => return Ok(Refreshed::Invalid),
            Err(err) => return Err(err.into()),
        }
        users::note_session_seen(
            conn,
            &session.id,
            seen.user_agent.as_deref(),
            seen.client_address.as_deref(),
            at,
        )?;
        let roles = users::roles_of(conn, &user)?;
        Ok(Refreshed::Rotated(session, user, roles))
    })
}

/// Opens a session for a partner API client that proved its secret, with the scopes it was granted.
pub fn open_client_session(
    conn: &mut DbConnection,
    client: &str,
    scope: &str,
    lifetime: Duration,
    at: DateTime<Utc>,
) -> Result<String, Refusal> {
    crate::run(conn, |conn| {
        api_clients::touch(conn, client, at)?;
        Ok(users::create_session(
            conn,
            &SessionOwner::Client(client.to_owned()),
            scope,
            at + lifetime,
            at,
        )?)
    })
}

/// Revokes a token's session (RFC 7009): the session an access token names, or the one a refresh token (by its
/// digest) belongs to; nothing when neither is known.
pub fn revoke_session(
    conn: &mut DbConnection,
    from_access_token: Option<String>,
    refresh_digest: &str,
    at: DateTime<Utc>,
) -> Result<(), Refusal> {
    crate::run(conn, |conn| {
        let session = match from_access_token {
            Some(sid) => Some(sid),
            None => users::session_of_refresh_token(conn, refresh_digest)?,
        };
        if let Some(sid) = session {
            users::revoke_session(conn, &sid, "revoked by client", at)?;
        }
        Ok(())
    })
}
