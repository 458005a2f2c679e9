//! The account's lifecycle (docs/identity.md): links that reset a password or move an account to a new address,
//! what sessions were seen with, the account's security log, and erasure. No rules here.

use super::*;
use crate::schema::{
    account_events, prize_votes, submission_events, submission_revisions, submissions,
    webhook_deliveries,
};

/// An entry of an account's security log.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = account_events)]
pub struct AccountEventRow {
    /// Id.
    pub id: String,
    /// Whose account.
    pub user_id: String,
    /// Who did it: the user, staff, or none (the system).
    pub actor_id: Option<String>,
    /// What happened (`password_reset_requested`, `password_reset`, …).
    pub action: String,
    /// Details in words.
    pub detail: String,
    /// The client address of the request, as seen.
    pub client_address: Option<String>,
    /// When.
    pub at: NaiveDateTime,
}

/// Writes an entry of an account's security log.
pub fn log_account_event(
    conn: &mut DbConnection,
    user_id: &str,
    actor_id: Option<&str>,
    action: &str,
    detail: &str,
    client_address: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::insert_into(account_events::table)
        .values((
            account_events::id.eq(new_id()),
            account_events::user_id.eq(user_id),
            account_events::actor_id.eq(actor_id),
            account_events::action.eq(action),
            account_events::detail.eq(detail),
            account_events::client_address.eq(client_address),
            account_events::at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// An account's security log, oldest first.
pub fn account_events_of(
    conn: &mut DbConnection,
    user_id: &str,
) -> Result<Vec<AccountEventRow>, DbError> {
    Ok(account_events::table
        .filter(account_events::user_id.eq(user_id))
        .order((account_events::at.asc(), account_events::id.asc()))
        .select(AccountEventRow::as_select())
        .load(conn)?)
}

/// Stores a single-use link (by hash) that moves an account to `new_email` (normalised) once used.
pub fn create_email_change_token(
    conn: &mut DbConnection,
    user_id: &str,
    new_email: &str,
    token_hash: &str,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    insert_email_token(
        conn,
        (user_id, "change_email", token_hash),
        Some(new_email),
        expires_at,
        now,
    )
}

/// The user a live (unused, unexpired) link of `purpose` belongs to, without using it.
pub fn email_token_user(
    conn: &mut DbConnection,
    purpose: &str,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, DbError> {
    Ok(email_tokens::table
        .filter(email_tokens::token_hash.eq(token_hash))
        .filter(email_tokens::purpose.eq(purpose))
        .filter(email_tokens::used_at.is_null())
        .filter(email_tokens::expires_at.gt(now.naive_utc()))
        .select(email_tokens::user_id)
        .first(conn)
        .optional()?)
}

/// The address an e-mail change link moves its account to.
pub fn email_token_new_email(
    conn: &mut DbConnection,
    token_hash: &str,
) -> Result<Option<String>, DbError> {
    Ok(email_tokens::table
        .filter(email_tokens::token_hash.eq(token_hash))
        .select(email_tokens::new_email)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}

/// Uses up every live link of `purpose` of a user.
pub fn void_email_tokens(
    conn: &mut DbConnection,
    user_id: &str,
    purpose: &str,
    now: DateTime<Utc>,
) -> Result<usize, DbError> {
    Ok(diesel::update(
        email_tokens::table
            .filter(email_tokens::user_id.eq(user_id))
            .filter(email_tokens::purpose.eq(purpose))
            .filter(email_tokens::used_at.is_null()),
    )
    .set(email_tokens::used_at.eq(now.naive_utc()))
    .execute(conn)?)
}

/// Moves an account to a new address, verified now; a taken address fails with a unique violation.
pub fn set_email(
    conn: &mut DbConnection,
    user_id: &str,
    email: &str,
    email_normalized: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::update(users::table.filter(users::id.eq(user_id)))
        .set((
            users::email.eq(email),
            users::email_normalized.eq(email_normalized),
            users::email_verified_at.eq(now.naive_utc()),
            users::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records what a session was seen with: at sign-in and at each refresh.
pub fn note_session_seen(
    conn: &mut DbConnection,
    session_id: &str,
    user_agent: Option<&str>,
    client_address: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::update(sessions::table.filter(sessions::id.eq(session_id)))
        .set((
            sessions::last_used_at.eq(now.naive_utc()),
            sessions::user_agent.eq(user_agent),
            sessions::client_address.eq(client_address),
        ))
        .execute(conn)?;
    Ok(())
}

/// A session as its user sees it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct SessionDetail {
    /// Id.
    pub id: String,
    /// Opened (signed in).
    pub created_at: NaiveDateTime,
    /// Last sign-in or refresh.
    pub last_used_at: Option<NaiveDateTime>,
    /// Expiry.
    pub expires_at: NaiveDateTime,
    /// Revoked.
    pub revoked_at: Option<NaiveDateTime>,
    /// Why.
    pub revoked_reason: Option<String>,
    /// The user agent as seen.
    pub user_agent: Option<String>,
    /// The client address as seen.
    pub client_address: Option<String>,
    /// The OAuth client that opened it.
    pub oauth_client_id: Option<String>,
}

/// Every session of a user, newest first.
pub fn sessions_of_user(
    conn: &mut DbConnection,
    user_id: &str,
) -> Result<Vec<SessionDetail>, DbError> {
    Ok(sessions::table
        .filter(sessions::user_id.eq(user_id))
        .order((sessions::created_at.desc(), sessions::id.desc()))
        .select(SessionDetail::as_select())
        .load(conn)?)
}

/// Revokes a user's live sessions but one; returns how many.
pub fn revoke_other_sessions(
    conn: &mut DbConnection,
    user_id: &str,
    keep: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<usize, DbError> {
    Ok(diesel::update(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::id.ne(keep))
            .filter(sessions::revoked_at.is_null()),
    )
    .set((
        sessions::revoked_at.eq(now.naive_utc()),
        sessions::revoked_reason.eq(reason),
    ))
    .execute(conn)?)
}

/// Erases an account: its address and name replaced by `pseudonym` and `name` (the address freed), its password
/// unusable, roles dropped, memberships ended, pending links voided, sessions revoked, the client addresses of its
/// votes cleared (a vote stays counted).
pub fn erase_user(
    conn: &mut DbConnection,
    user_id: &str,
    (pseudonym, name): (&str, &str),
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let changed = diesel::update(
        users::table
            .filter(users::id.eq(user_id))
            .filter(users::deleted_at.is_null()),
    )
    .set((
        users::email.eq(pseudonym),
        users::email_normalized.eq(pseudonym),
        users::display_name.eq(name),
        // Not a PHC string: no password ever verifies against it.
        users::password_hash.eq("!erased"),
        users::deleted_at.eq(now.naive_utc()),
        users::updated_at.eq(now.naive_utc()),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Err(DbError::NotFound);
    }
    diesel::delete(user_roles::table.filter(user_roles::user_id.eq(user_id))).execute(conn)?;
    diesel::update(prize_votes::table.filter(prize_votes::voter_id.eq(user_id)))
        .set(prize_votes::client_address.eq(None::<String>))
        .execute(conn)?;
    diesel::delete(account_events::table.filter(account_events::user_id.eq(user_id)))
        .execute(conn)?;
    diesel::update(sessions::table.filter(sessions::user_id.eq(user_id)))
        .set((
            sessions::user_agent.eq(None::<String>),
            sessions::client_address.eq(None::<String>),
        ))
        .execute(conn)?;
    detach(conn, user_id, "account erased", now)
}

/// A submission a person created, for their export.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = submissions)]
pub struct AuthoredSubmission {
    /// Id.
    pub id: String,
    /// Its organisation.
    pub organisation_id: String,
    /// Its track.
    pub track_kind: String,
    /// Status.
    pub status: String,
    /// The content (JSON).
    pub content: String,
    /// Receipt number.
    pub receipt_number: Option<String>,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Last changed.
    pub updated_at: NaiveDateTime,
}

/// A revision a person wrote.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = submission_revisions)]
pub struct AuthoredRevision {
    /// The submission.
    pub submission_id: String,
    /// Its number.
    pub number: i32,
    /// What changed (JSON list).
    pub changed_fields: String,
    /// When.
    pub created_at: NaiveDateTime,
}

/// A history entry of a person's.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = submission_events)]
pub struct HistoryEntry {
    /// The submission.
    pub submission_id: String,
    /// What happened.
    pub action: String,
    /// Details (JSON).
    pub detail: String,
    /// When.
    pub created_at: NaiveDateTime,
}

/// A prize vote a person cast.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = prize_votes)]
pub struct CastVote {
    /// The call.
    pub call_id: String,
    /// The category.
    pub category: i32,
    /// The nominee.
    pub nominee_id: String,
    /// When.
    pub cast_at: NaiveDateTime,
    /// The client address as seen.
    pub client_address: Option<String>,
    /// When staff invalidated it.
    pub invalidated_at: Option<NaiveDateTime>,
}

/// What a person made and did, for their export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalRecords {
    /// The submissions they created.
    pub submissions: Vec<AuthoredSubmission>,
    /// The revisions they wrote.
    pub revisions: Vec<AuthoredRevision>,
    /// The history entries of their actions.
    pub history: Vec<HistoryEntry>,
    /// Their prize votes.
    pub votes: Vec<CastVote>,
}

/// Everything a person made and did, oldest first.
pub fn personal_records(
    conn: &mut DbConnection,
    user_id: &str,
) -> Result<PersonalRecords, DbError> {
    Ok(PersonalRecords {
        submissions: submissions::table
            .filter(submissions::created_by.eq(user_id))
            .order((submissions::created_at.asc(), submissions::id.asc()))
            .select(AuthoredSubmission::as_select())
            .load(conn)?,
        revisions: submission_revisions::table
            .filter(submission_revisions::author_id.eq(user_id))
            .order((
                submission_revisions::created_at.asc(),
                submission_revisions::id.asc(),
            ))
            .select(AuthoredRevision::as_select())
            .load(conn)?,
        history: submission_events::table
            .filter(submission_events::actor_id.eq(user_id))
            .order((
                submission_events::created_at.asc(),
                submission_events::id.asc(),
            ))
            .select(HistoryEntry::as_select())
            .load(conn)?,
        votes: prize_votes::table
            .filter(prize_votes::voter_id.eq(user_id))
            .order((prize_votes::cast_at.asc(), prize_votes::id.asc()))
            .select(CastVote::as_select())
            .load(conn)?,
    })
}

/// What a retention sweep deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Swept {
    /// Sent mail.
    pub mail: usize,
    /// Ended sessions (their refresh tokens with them).
    pub sessions: usize,
    /// Used or expired links.
    pub links: usize,
    /// Security log entries.
    pub account_events: usize,
    /// Failed sign-ins.
    pub auth_failures: usize,
    /// Attempted lines of webhook delivery logs.
    pub deliveries: usize,
}

/// The instants before which each kind of record is deleted.
#[derive(Debug, Clone, Copy)]
pub struct RetentionCutoffs {
    /// Mail sent before.
    pub mail_sent_before: DateTime<Utc>,
    /// Sessions ended before.
    pub session_ended_before: DateTime<Utc>,
    /// Links used or expired before.
    pub link_spent_before: DateTime<Utc>,
    /// Security log entries before.
    pub account_event_before: DateTime<Utc>,
    /// Failed sign-ins before.
    pub auth_failure_before: DateTime<Utc>,
    /// Delivery log lines attempted before (pings and redeliveries still waiting stay).
    pub delivery_before: DateTime<Utc>,
}

/// Deletes what has been kept for as long as its purpose needs.
pub fn sweep_retention(
    conn: &mut DbConnection,
    cutoffs: &RetentionCutoffs,
) -> Result<Swept, DbError> {
    use crate::schema::outbox;
    crate::db::transaction(conn, |conn| {
        let mail = diesel::delete(
            outbox::table.filter(outbox::sent_at.lt(cutoffs.mail_sent_before.naive_utc())),
        )
        .execute(conn)?;
        let ended = cutoffs.session_ended_before.naive_utc();
        let ended_ids: Vec<String> = sessions::table
            .filter(
                sessions::revoked_at
                    .lt(ended)
                    .or(sessions::expires_at.lt(ended)),
            )
            .select(sessions::id)
            .load(conn)?;
        diesel::delete(refresh_tokens::table.filter(refresh_tokens::session_id.eq_any(&ended_ids)))
            .execute(conn)?;
        let sessions = diesel::delete(sessions::table.filter(sessions::id.eq_any(&ended_ids)))
            .execute(conn)?;
        let spent = cutoffs.link_spent_before.naive_utc();
        let links = diesel::delete(
            email_tokens::table.filter(
                email_tokens::used_at
                    .lt(spent)
                    .or(email_tokens::expires_at.lt(spent)),
            ),
        )
        .execute(conn)?;
        let account_events = diesel::delete(
            account_events::table
                .filter(account_events::at.lt(cutoffs.account_event_before.naive_utc())),
        )
        .execute(conn)?;
        let auth_failures = diesel::delete(
            auth_failures::table
                .filter(auth_failures::failed_at.lt(cutoffs.auth_failure_before.naive_utc())),
        )
        .execute(conn)?;
        let deliveries = diesel::delete(
            webhook_deliveries::table
                .filter(webhook_deliveries::status.ne("pending"))
                .filter(webhook_deliveries::created_at.lt(cutoffs.delivery_before.naive_utc())),
        )
        .execute(conn)?;
        Ok(Swept {
            mail,
            sessions,
            links,
            account_events,
            auth_failures,
            deliveries,
        })
    })
}
