//! The account's lifecycle (docs/identity.md): password reset, e-mail change, the user's sessions, the export of
//! everything held about a person, and erasure. One transaction each; mail goes to the outbox in it, in the
//! person's language; what happened is written to the account's security log.

use chrono::{DateTime, Duration, Utc};
use wsis_domain::forms::Violation;
use wsis_domain::{Actor, Email, Language, MemberRole, UserRole, said};
use wsis_persistence::users::{self, PersonalRecords, SessionDetail, UserRecord};
use wsis_persistence::{DbConnection, DbError, organisations, outbox};

use super::{LinkSecret, may_manage_credentials, own_id};
use crate::throttle::{self, Quota};
use crate::{Refusal, letters};

/// How long a password reset link stays valid.
pub const RESET_LIFETIME_MINUTES: i64 = 60;
/// How long an e-mail change link stays valid.
pub const EMAIL_CHANGE_LIFETIME_HOURS: i64 = 48;
/// How recent a sign-in must be for the account to be erased with its session.
pub const RECENT_SIGN_IN_MINUTES: i64 = 15;

const RESET: &str = "password_reset";
const CHANGE_EMAIL: &str = "change_email";

fn language_of(user: &UserRecord) -> Language {
    user.language.parse().unwrap_or(Language::En)
}

fn mail(
    conn: &mut DbConnection,
    to: &str,
    letter: &letters::Letter,
    language: Language,
    at: DateTime<Utc>,
) -> Result<String, DbError> {
    outbox::enqueue(conn, to, &letter.subject, &letter.body, language.code(), at)
}

/// Stores a reset link for `user` and queues it; returns the message id.
fn send_reset(
    conn: &mut DbConnection,
    user: &UserRecord,
    link: &LinkSecret,
    at: DateTime<Utc>,
) -> Result<String, DbError> {
    users::create_email_token(
        conn,
        &user.id,
        RESET,
        &link.token_digest,
        at + Duration::minutes(RESET_LIFETIME_MINUTES),
        at,
    )?;
    let language = language_of(user);
    let letter = letters::password_reset(language, &user.display_name, &link.link);
    mail(conn, &user.email, &letter, language, at)
}

/// Asks for a password reset link for an address, answering alike whatever it finds: the caller's address is
/// counted first (its quota is returned, or the refusal past it); a live account whose address has not had its
/// hour's unsolicited mail gets the link. Returns the quota and the mail queued, if any.
pub fn request_password_reset(
    conn: &mut DbConnection,
    email: &Email,
    link: &LinkSecret,
    client_address: &str,
    at: DateTime<Utc>,
) -> Result<(Quota, Option<String>), Refusal> {
    crate::run(conn, |conn| {
        let quota = throttle::reserve_reset(conn, client_address, at)?;
        let Some(user) = users::find_user_by_email(conn, email.normalized())? else {
            return Ok((quota, None));
        };
        if let throttle::MailReservation::Refused { .. } =
            throttle::reserve_mail(conn, email.normalized(), None, at)?
        {
            return Ok((quota, None));
        }
        let sent = send_reset(conn, &user, link, at)?;
        users::log_account_event(
            conn,
            &user.id,
            None,
            "password_reset_requested",
            "a reset link was mailed to the account's address",
            Some(client_address),
            at,
        )?;
        Ok((quota, Some(sent)))
    })
}

/// Staff send a user a password reset link (audited in the user's security log); they never see it.
pub fn staff_password_reset(
    conn: &mut DbConnection,
    actor: &Actor,
    user_id: &str,
    link: &LinkSecret,
    client_address: &str,
    at: DateTime<Utc>,
) -> Result<String, Refusal> {
    let staff = crate::require_staff(actor, said!("action-reset-passwords"))?;
    crate::run(conn, |conn| {
        let user = match users::find_user(conn, user_id) {
            Ok(user) => user,
            Err(DbError::NotFound) => {
                return Err(Refusal::NotFound(said!(
                    "not-found-user",
                    id = user_id.chars().take(64).collect::<String>()
                )));
            }
            Err(error) => return Err(error.into()),
        };
        if let throttle::MailReservation::Refused { retry_after, .. } =
            throttle::reserve_mail(conn, &user.email.to_lowercase(), None, at)?
        {
            return Err(Refusal::RateLimited {
                message: said!("rate-limited-resets"),
                retry_after,
                quotas: Vec::new(),
            });
        }
        let sent = send_reset(conn, &user, link, at)?;
        users::log_account_event(
            conn,
            &user.id,
            Some(&staff),
            "password_reset_requested",
            "staff mailed a reset link to the account's address",
            Some(client_address),
            at,
        )?;
        tracing::info!(user.id = %user.id, by = %staff, "password reset link sent by staff");
        Ok(sent)
    })
}

/// The account a live reset link belongs to (its password rules need the address), without using the link.
pub fn reset_link_account(
    conn: &mut DbConnection,
    token_digest: &str,
    at: DateTime<Utc>,
) -> Result<UserRecord, Refusal> {
    crate::run(conn, |conn| {
        let user = users::email_token_user(conn, RESET, token_digest, at)?
            .ok_or_else(|| Refusal::InvalidToken(said!("token-link-invalid")))?;
        match users::find_user(conn, &user) {
            Ok(user) => Ok(user),
            Err(DbError::NotFound) => Err(Refusal::InvalidToken(said!("token-link-invalid"))),
            Err(error) => Err(error.into()),
        }
    })
}

/// Sets a new password with a reset link (used once): the account's other reset links are voided, its failed
/// sign-ins forgotten, its address marked verified (the link proves it), every session revoked, and a notice mailed.
pub fn confirm_password_reset(
    conn: &mut DbConnection,
    token_digest: &str,
    password_hash: &str,
    client_address: &str,
    purge_before: DateTime<Utc>,
    at: DateTime<Utc>,
) -> Result<String, Refusal> {
    crate::run(conn, |conn| {
        let user_id = users::consume_email_token(conn, RESET, token_digest, at)?
            .ok_or_else(|| Refusal::InvalidToken(said!("token-link-invalid")))?;
        let user = match users::find_user(conn, &user_id) {
            Ok(user) => user,
            Err(DbError::NotFound) => {
                return Err(Refusal::InvalidToken(said!("token-link-invalid")));
            }
            Err(error) => return Err(error.into()),
        };
        users::set_password(conn, &user.id, password_hash, at)?;
        users::void_email_tokens(conn, &user.id, RESET, at)?;
        users::clear_auth_failures(
            conn,
            &format!("account:{}", user.email.to_lowercase()),
            purge_before,
        )?;
        users::mark_verified(conn, &user.id, at)?;
        users::log_account_event(
            conn,
            &user.id,
            Some(&user.id),
            "password_reset",
            "the password was set with a reset link; every session was revoked",
            Some(client_address),
            at,
        )?;
        let language = language_of(&user);
        let letter = letters::password_changed(language, &user.display_name);
        let notice = mail(conn, &user.email, &letter, language, at)?;
        tracing::info!(user.id = %user.id, "password reset; sessions revoked");
        Ok(notice)
    })
}

/// Asks to move the signed-in user's account to `new_email` (the caller checked the password: `reserved` is that
/// attempt, forgotten now): a link to the new address, nothing changed yet. Returns the mail queued.
pub fn request_email_change(
    conn: &mut DbConnection,
    actor: &Actor,
    reserved: &[String],
    new_email: &Email,
    link: &LinkSecret,
    client_address: &str,
    at: DateTime<Utc>,
) -> Result<String, Refusal> {
    let id = may_manage_credentials(actor)?;
    crate::run(conn, |conn| {
        users::forget_attempt(conn, reserved)?;
        let user = users::find_user(conn, &id)?;
        if user.email.to_lowercase() == new_email.normalized() {
            return Err(Refusal::Invalid(vec![Violation::new(
                "new_email",
                "unchanged",
                said!("field-email-same"),
            )]));
        }
        if let throttle::MailReservation::Refused { retry_after, .. } =
            throttle::reserve_mail(conn, new_email.normalized(), None, at)?
        {
            return Err(Refusal::RateLimited {
                message: said!("rate-limited-mail"),
                retry_after,
                quotas: Vec::new(),
            });
        }
        users::create_email_change_token(
            conn,
            &user.id,
            new_email.as_str(),
            &link.token_digest,
            at + Duration::hours(EMAIL_CHANGE_LIFETIME_HOURS),
            at,
        )?;
        users::log_account_event(
            conn,
            &user.id,
            Some(&user.id),
            "email_change_requested",
            &format!("a confirmation link was mailed to {}", new_email.as_str()),
            Some(client_address),
            at,
        )?;
        let language = language_of(&user);
        let letter = letters::email_change(language, &user.display_name, &link.link);
        Ok(mail(conn, new_email.as_str(), &letter, language, at)?)
    })
}

/// Moves an account to the address its change link was mailed to (used once; the address is verified by it), and
/// tells the old address (the notice's id is returned). An address another account holds by now is a conflict (told
/// to the new mailbox's holder).
pub fn confirm_email_change(
    conn: &mut DbConnection,
    token_digest: &str,
    client_address: &str,
    at: DateTime<Utc>,
) -> Result<String, Refusal> {
    crate::run(conn, |conn| {
        let user_id = users::consume_email_token(conn, CHANGE_EMAIL, token_digest, at)?
            .ok_or_else(|| Refusal::InvalidToken(said!("token-link-invalid")))?;
        let invalid = || Refusal::InvalidToken(said!("token-link-invalid"));
        let new_email: Email = users::email_token_new_email(conn, token_digest)?
            .and_then(|e| e.parse().ok())
            .ok_or_else(invalid)?;
        let user = match users::find_user(conn, &user_id) {
            Ok(user) => user,
            Err(DbError::NotFound) => return Err(invalid()),
            Err(error) => return Err(error.into()),
        };
        let taken = || Refusal::Conflict {
            message: said!("email-taken"),
            violations: vec![Violation::new("token", "email_taken", said!("email-taken"))],
        };
        if users::find_user_by_email(conn, new_email.normalized())?.is_some() {
            return Err(taken());
        }
        match users::set_email(
            conn,
            &user.id,
            new_email.as_str(),
            new_email.normalized(),
            at,
        ) {
            Ok(()) => {}
            Err(error) if users::is_email_taken(&error) => return Err(taken()),
            Err(error) => return Err(error.into()),
        }
        users::void_email_tokens(conn, &user.id, CHANGE_EMAIL, at)?;
        users::log_account_event(
            conn,
            &user.id,
            Some(&user.id),
            "email_changed",
            &format!("from {} to {}", user.email, new_email.as_str()),
            Some(client_address),
            at,
        )?;
        let language = language_of(&user);
        let letter = letters::email_changed(language, &user.display_name, new_email.as_str());
        let notice = mail(conn, &user.email, &letter, language, at)?;
        tracing::info!(user.id = %user.id, "e-mail address changed");
        Ok(notice)
    })
}

/// Names the OAuth client of each session (`oauth_client_id` holds the client's name after this).
fn name_clients(conn: &mut DbConnection, sessions: &mut [SessionDetail]) -> Result<(), DbError> {
    let ids: Vec<String> = sessions
        .iter()
        .filter_map(|s| s.oauth_client_id.clone())
        .collect();
    if ids.is_empty() {
        return Ok(());
    }
    let names = wsis_persistence::oauth::client_names(conn, &ids)?;
    for session in sessions.iter_mut() {
        if let Some(id) = &session.oauth_client_id {
            session.oauth_client_id = names
                .iter()
                .find(|(client, _)| client == id)
                .map(|(_, name)| name.clone());
        }
    }
    Ok(())
}

/// The signed-in user's live sessions, newest first, each with the name of the OAuth client that opened it.
pub fn my_sessions(
    conn: &mut DbConnection,
    actor: &Actor,
    at: DateTime<Utc>,
) -> Result<Vec<SessionDetail>, Refusal> {
    let id = own_id(actor)?;
    crate::run(conn, |conn| {
        let mut live: Vec<SessionDetail> = users::sessions_of_user(conn, &id)?
            .into_iter()
            .filter(|s| s.revoked_at.is_none() && s.expires_at.and_utc() > at)
            .collect();
        name_clients(conn, &mut live)?;
        Ok(live)
    })
}

/// Revokes one of the signed-in user's live sessions (another's, or none, is 404).
pub fn revoke_my_session(
    conn: &mut DbConnection,
    actor: &Actor,
    session_id: &str,
    client_address: &str,
    at: DateTime<Utc>,
) -> Result<(), Refusal> {
    let id = own_id(actor)?;
    crate::run(conn, |conn| {
        let live = match users::find_session(conn, session_id) {
            Ok(s) => {
                s.owner == users::SessionOwner::User(id.clone())
                    && s.revoked_at.is_none()
                    && s.expires_at > at
            }
            Err(DbError::NotFound) => false,
            Err(error) => return Err(error.into()),
        };
        if !live {
            return Err(Refusal::NotFound(said!(
                "not-found-session",
                id = session_id.chars().take(64).collect::<String>()
            )));
        }
        users::revoke_session(conn, session_id, "revoked by its user", at)?;
        users::log_account_event(
            conn,
            &id,
            Some(&id),
            "session_revoked",
            &format!("session {session_id}"),
            Some(client_address),
            at,
        )?;
        Ok(())
    })
}

/// Revokes every live session of the signed-in user but `current`; returns how many.
pub fn revoke_my_other_sessions(
    conn: &mut DbConnection,
    actor: &Actor,
    current: &str,
    client_address: &str,
    at: DateTime<Utc>,
) -> Result<usize, Refusal> {
    let id = own_id(actor)?;
    crate::run(conn, |conn| {
        let revoked = users::revoke_other_sessions(conn, &id, current, "revoked by its user", at)?;
        users::log_account_event(
            conn,
            &id,
            Some(&id),
            "sessions_revoked",
            &format!("{revoked} other session(s)"),
            Some(client_address),
            at,
        )?;
        Ok(revoked)
    })
}

/// Everything held about a person.
#[derive(Debug, Clone)]
pub struct PersonalData {
    /// The account, roles and memberships.
    pub me: super::Me,
    /// Every session, revoked ones too.
    pub sessions: Vec<SessionDetail>,
    /// What they made and did.
    pub records: PersonalRecords,
    /// Their security log.
    pub events: Vec<users::AccountEventRow>,
}

/// Everything held about the signed-in user, read in one transaction.
pub fn export(conn: &mut DbConnection, actor: &Actor) -> Result<PersonalData, Refusal> {
    let id = own_id(actor)?;
    crate::run(conn, |conn| {
        let mut sessions = users::sessions_of_user(conn, &id)?;
        name_clients(conn, &mut sessions)?;
        Ok(PersonalData {
            me: (
                users::find_user(conn, &id)?,
                users::roles_of(conn, &id)?,
                users::memberships_of(conn, &id)?,
            ),
            sessions,
            records: users::personal_records(conn, &id)?,
            events: users::account_events_of(conn, &id)?,
        })
    })
}

/// Erases the signed-in user's account, from a session signed in within [`RECENT_SIGN_IN_MINUTES`] (a stolen
/// access token of an old session cannot): refused while they are the last owner of an organisation (409 naming
/// them); otherwise pseudonymised, detached and signed out, and a confirmation mailed to the address it had.
pub fn erase_me(
    conn: &mut DbConnection,
    actor: &Actor,
    session_id: &str,
    at: DateTime<Utc>,
) -> Result<String, Refusal> {
    let id = may_manage_credentials(actor)?;
    crate::run(conn, |conn| {
        let recent = users::sessions_of_user(conn, &id)?.into_iter().any(|s| {
            s.id == session_id
                && s.created_at.and_utc() > at - Duration::minutes(RECENT_SIGN_IN_MINUTES)
        });
        if !recent {
            return Err(Refusal::Forbidden(said!(
                "refused-recent-sign-in",
                minutes = RECENT_SIGN_IN_MINUTES
            )));
        }
        let mut sole = Vec::new();
        for membership in users::memberships_of(conn, &id)? {
            if membership.role != MemberRole::Owner {
                continue;
            }
            // Locked as a role change locks it, so that a concurrent demotion cannot leave it ownerless either.
            organisations::lock(conn, &membership.organisation_id)?;
            if organisations::owner_count(conn, &membership.organisation_id)? <= 1 {
                sole.push(membership.organisation_name);
            }
        }
        if !sole.is_empty() {
            return Err(Refusal::LastOwner(said!(
                "last-owner-of-yours",
                organisations = sole.join(", ")
            )));
        }
        let user = users::find_user(conn, &id)?;
        let staff = users::roles_of(conn, &id)?.contains(&UserRole::Staff);
        users::erase_user(
            conn,
            &id,
            (
                &wsis_domain::account::erased_address(&id),
                wsis_domain::account::ERASED_NAME,
            ),
            at,
        )?;
        let language = language_of(&user);
        let letter = letters::account_erased(language, &user.display_name);
        let notice = mail(conn, &user.email, &letter, language, at)?;
        tracing::info!(user.id = %id, staff, "account erased by its user");
        Ok(notice)
    })
}

/// Deletes the personal data kept past its retention period (`wsis_domain::account::retention`, docs/privacy.md):
/// sent mail, ended sessions, spent links, old security log entries, failed sign-ins and webhook delivery log lines.
pub fn sweep_retention(
    conn: &mut DbConnection,
    at: DateTime<Utc>,
) -> Result<users::Swept, DbError> {
    use wsis_domain::account::retention;
    users::sweep_retention(
        conn,
        &users::RetentionCutoffs {
            mail_sent_before: at - Duration::days(retention::SENT_MAIL_DAYS),
            session_ended_before: at - Duration::days(retention::ENDED_SESSION_DAYS),
            link_spent_before: at - Duration::days(retention::SPENT_LINK_DAYS),
            account_event_before: at - Duration::days(retention::ACCOUNT_EVENT_DAYS),
            auth_failure_before: at - Duration::days(retention::AUTH_FAILURE_DAYS),
            delivery_before: at - Duration::days(retention::DELIVERY_LOG_DAYS),
        },
    )
}
