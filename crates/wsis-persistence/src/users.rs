//! Accounts, roles, e-mail tokens, sessions with their refresh tokens, and the shared login-failure counter.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use wsis_domain::{MemberRole, UserRole};

use crate::db::DbConnection;
use crate::error::DbError;
use crate::new_id;
use crate::schema::{
    auth_failures, email_tokens, memberships, organisations, refresh_tokens, sessions, user_roles,
    users,
};

/// An account as stored (never deleted ones).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    /// Id.
    pub id: String,
    /// E-mail as given.
    pub email: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Display name.
    pub display_name: String,
    /// Preferred language code.
    pub language: String,
    /// When the address was verified.
    pub email_verified_at: Option<DateTime<Utc>>,
    /// Created.
    pub created_at: DateTime<Utc>,
}

type UserRow = (
    String,
    String,
    String,
    String,
    String,
    Option<NaiveDateTime>,
    NaiveDateTime,
);

fn user_columns() -> (
    users::id,
    users::email,
    users::password_hash,
    users::display_name,
    users::language,
    users::email_verified_at,
    users::created_at,
) {
    (
        users::id,
        users::email,
        users::password_hash,
        users::display_name,
        users::language,
        users::email_verified_at,
        users::created_at,
    )
}

fn user_from_row(row: UserRow) -> UserRecord {
    let (id, email, password_hash, display_name, language, verified, created_at) = row;
    UserRecord {
        id,
        email,
        password_hash,
        display_name,
        language,
        email_verified_at: verified.map(|t| t.and_utc()),
        created_at: created_at.and_utc(),
    }
}

/// What registration stores.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    /// E-mail as given.
    pub email: &'a str,
    /// Lower-case form (unique).
    pub email_normalized: &'a str,
    /// Argon2id PHC string.
    pub password_hash: &'a str,
    /// Display name.
    pub display_name: &'a str,
    /// Language code.
    pub language: &'a str,
}

/// Creates an account; a taken address fails with a unique violation of `users_email_normalized_key`.
pub fn create_user(
    conn: &mut DbConnection,
    new: &NewUser<'_>,
    now: DateTime<Utc>,
) -> Result<UserRecord, DbError> {
    let id = new_id();
    let now = now.naive_utc();
    diesel::insert_into(users::table)
        .values((
            users::id.eq(&id),
            users::email.eq(new.email),
            users::email_normalized.eq(new.email_normalized),
            users::password_hash.eq(new.password_hash),
            users::display_name.eq(new.display_name),
            users::language.eq(new.language),
            users::created_at.eq(now),
            users::updated_at.eq(now),
        ))
        .execute(conn)?;
    find_user(conn, &id)
}

/// Expires accounts whose address was never verified and that were created before `created_before`: each is
/// deleted as staff would delete it (sessions revoked, memberships removed, its pending links void) and its address
/// is freed for a new registration (the stored address becomes `expired:<id>`). `only_address` limits it to the
/// account holding that normalised address (a registration checks just its own). Returns how many.
pub fn expire_unverified(
    conn: &mut DbConnection,
    created_before: DateTime<Utc>,
    only_address: Option<&str>,
    now: DateTime<Utc>,
) -> Result<usize, DbError> {
    crate::db::transaction(conn, |conn| {
        let mut candidates = users::table.into_boxed();
        if let Some(normalized) = only_address {
            candidates = candidates.filter(users::email_normalized.eq(normalized));
        }
        let expired: Vec<String> = candidates
            .filter(users::email_verified_at.is_null())
            .filter(users::deleted_at.is_null())
            .filter(users::created_at.lt(created_before.naive_utc()))
            .select(users::id)
            .load(conn)?;
        for id in &expired {
            let freed = format!("expired:{id}");
            diesel::update(users::table.filter(users::id.eq(id)))
                .set((
                    users::email.eq(&freed),
                    users::email_normalized.eq(&freed),
                    users::deleted_at.eq(now.naive_utc()),
                    users::updated_at.eq(now.naive_utc()),
                ))
                .execute(conn)?;
            detach(conn, id, "address never verified", now)?;
        }
        Ok(expired.len())
    })
}

/// Whether `err` is the "address taken" violation.
pub fn is_email_taken(err: &DbError) -> bool {
    err.is_unique_violation_of("users_email_normalized_key", "users.email_normalized")
}

/// A live account by id.
pub fn find_user(conn: &mut DbConnection, id: &str) -> Result<UserRecord, DbError> {
    let row: UserRow = users::table
        .filter(users::id.eq(id))
        .filter(users::deleted_at.is_null())
        .select(user_columns())
        .first(conn)?;
    Ok(user_from_row(row))
}

/// A live account by normalised e-mail, if any.
pub fn find_user_by_email(
    conn: &mut DbConnection,
    normalized: &str,
) -> Result<Option<UserRecord>, DbError> {
    let row: Option<UserRow> = users::table
        .filter(users::email_normalized.eq(normalized))
        .filter(users::deleted_at.is_null())
        .select(user_columns())
        .first(conn)
        .optional()?;
    Ok(row.map(user_from_row))
}

/// Every live account, oldest first, with its roles.
pub fn list_users(conn: &mut DbConnection) -> Result<Vec<(UserRecord, Vec<UserRole>)>, DbError> {
    let rows: Vec<UserRow> = users::table
        .filter(users::deleted_at.is_null())
        .select(user_columns())
        .order(users::created_at)
        .load(conn)?;
    let roles: Vec<(String, String)> = user_roles::table
        .select((user_roles::user_id, user_roles::role))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(user_from_row)
        .map(|user| {
            let mine = roles
                .iter()
                .filter(|(id, _)| *id == user.id)
                .filter_map(|(_, r)| r.parse().ok())
                .collect();
            (user, mine)
        })
        .collect())
}

/// The roles granted to a user.
pub fn roles_of(conn: &mut DbConnection, user_id: &str) -> Result<Vec<UserRole>, DbError> {
    let codes: Vec<String> = user_roles::table
        .filter(user_roles::user_id.eq(user_id))
        .select(user_roles::role)
        .order(user_roles::role)
        .load(conn)?;
    codes
        .iter()
        .map(|c| {
            c.parse()
                .map_err(|e: wsis_domain::ParseError| DbError::Corrupt(e.to_string()))
        })
        .collect()
}

/// Grants a role (no-op when held).
pub fn grant_role(
    conn: &mut DbConnection,
    user_id: &str,
    role: UserRole,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let values = (
        user_roles::user_id.eq(user_id),
        user_roles::role.eq(role.code()),
        user_roles::granted_at.eq(now.naive_utc()),
    );
    match conn {
        DbConnection::Postgresql(c) => diesel::insert_into(user_roles::table)
            .values(values)
            .on_conflict_do_nothing()
            .execute(c)?,
        DbConnection::Sqlite(c) => diesel::insert_into(user_roles::table)
            .values(values)
            .on_conflict_do_nothing()
            .execute(c)?,
    };
    Ok(())
}

/// Withdraws a role (no-op when not held).
pub fn revoke_role(conn: &mut DbConnection, user_id: &str, role: UserRole) -> Result<(), DbError> {
    diesel::delete(
        user_roles::table
            .filter(user_roles::user_id.eq(user_id))
            .filter(user_roles::role.eq(role.code())),
    )
    .execute(conn)?;
    Ok(())
}

/// A user's memberships: (organisation id, organisation name, role).
pub fn memberships_of(
    conn: &mut DbConnection,
    user_id: &str,
) -> Result<Vec<(String, String, MemberRole)>, DbError> {
    let rows: Vec<(String, String, String)> = memberships::table
        .inner_join(organisations::table)
        .filter(memberships::user_id.eq(user_id))
        .select((
            memberships::organisation_id,
            organisations::name,
            memberships::role,
        ))
        .order(organisations::name)
        .load(conn)?;
    rows.into_iter()
        .map(|(id, name, role)| {
            Ok((
                id,
                name,
                role.parse()
                    .map_err(|e: wsis_domain::ParseError| DbError::Corrupt(e.to_string()))?,
            ))
        })
        .collect()
}

/// Marks the address verified.
pub fn mark_verified(
    conn: &mut DbConnection,
    user_id: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::update(
        users::table
            .filter(users::id.eq(user_id))
            .filter(users::email_verified_at.is_null()),
    )
    .set((
        users::email_verified_at.eq(now.naive_utc()),
        users::updated_at.eq(now.naive_utc()),
    ))
    .execute(conn)?;
    Ok(())
}

/// Replaces the password hash and revokes every session of the user, in one transaction.
pub fn set_password(
    conn: &mut DbConnection,
    user_id: &str,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    crate::db::transaction(conn, |conn| {
        diesel::update(users::table.filter(users::id.eq(user_id)))
            .set((
                users::password_hash.eq(hash),
                users::updated_at.eq(now.naive_utc()),
            ))
            .execute(conn)?;
        revoke_sessions_of(
            conn,
            &SessionOwner::User(user_id.to_owned()),
            "password changed",
            now,
        )?;
        Ok(())
    })
}

/// Deletes an account (kept for audit, marked deleted) and revokes its sessions.
pub fn delete_user(
    conn: &mut DbConnection,
    user_id: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    crate::db::transaction(conn, |conn| {
        let changed = diesel::update(
            users::table
                .filter(users::id.eq(user_id))
                .filter(users::deleted_at.is_null()),
        )
        .set((
            users::deleted_at.eq(now.naive_utc()),
            users::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Err(DbError::NotFound);
        }
        detach(conn, user_id, "account deleted", now)
    })
}

/// What deleting an account undoes besides marking it: its memberships, its pending mail links, its sessions.
fn detach(
    conn: &mut DbConnection,
    user_id: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::delete(memberships::table.filter(memberships::user_id.eq(user_id))).execute(conn)?;
    diesel::delete(email_tokens::table.filter(email_tokens::user_id.eq(user_id))).execute(conn)?;
    revoke_sessions_of(conn, &SessionOwner::User(user_id.to_owned()), reason, now)?;
    Ok(())
}

/// Stores a single-use token (by hash) for `purpose`.
pub fn create_email_token(
    conn: &mut DbConnection,
    user_id: &str,
    purpose: &str,
    token_hash: &str,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::insert_into(email_tokens::table)
        .values((
            email_tokens::id.eq(new_id()),
            email_tokens::user_id.eq(user_id),
            email_tokens::purpose.eq(purpose),
            email_tokens::token_hash.eq(token_hash),
            email_tokens::expires_at.eq(expires_at.naive_utc()),
            email_tokens::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Uses a token once: returns its user, or `None` when unknown, used, expired or for another purpose.
pub fn consume_email_token(
    conn: &mut DbConnection,
    purpose: &str,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, DbError> {
    crate::db::transaction(conn, |conn| {
        let found: Option<(String, String)> = email_tokens::table
            .filter(email_tokens::token_hash.eq(token_hash))
            .filter(email_tokens::purpose.eq(purpose))
            .filter(email_tokens::used_at.is_null())
            .filter(email_tokens::expires_at.gt(now.naive_utc()))
            .select((email_tokens::id, email_tokens::user_id))
            .first(conn)
            .optional()?;
        let Some((id, user_id)) = found else {
            return Ok(None);
        };
        let used = diesel::update(
            email_tokens::table
                .filter(email_tokens::id.eq(&id))
                .filter(email_tokens::used_at.is_null()),
        )
        .set(email_tokens::used_at.eq(now.naive_utc()))
        .execute(conn)?;
        Ok((used == 1).then_some(user_id))
    })
}

/// Who a session belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionOwner {
    /// A user id.
    User(String),
    /// An API client record id.
    Client(String),
}

/// A session as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// Id (the `sid` claim).
    pub id: String,
    /// Whose.
    pub owner: SessionOwner,
    /// Granted scope string.
    pub scope: String,
    /// Expiry.
    pub expires_at: DateTime<Utc>,
    /// Revocation time.
    pub revoked_at: Option<DateTime<Utc>>,
}

type SessionRow = (
    String,
    Option<String>,
    Option<String>,
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
);

fn session_from_row(row: SessionRow) -> Result<SessionRecord, DbError> {
    let (id, user, client, scope, expires_at, revoked_at) = row;
    let owner = match (user, client) {
        (Some(user), None) => SessionOwner::User(user),
        (None, Some(client)) => SessionOwner::Client(client),
        _ => {
            return Err(DbError::Corrupt(format!(
                "session {id} has no single owner"
            )));
        }
    };
    Ok(SessionRecord {
        id,
        owner,
        scope,
        expires_at: expires_at.and_utc(),
        revoked_at: revoked_at.map(|t| t.and_utc()),
    })
}

/// Opens a session.
pub fn create_session(
    conn: &mut DbConnection,
    owner: &SessionOwner,
    scope: &str,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<String, DbError> {
    let id = new_id();
    let (user, client) = match owner {
        SessionOwner::User(u) => (Some(u.as_str()), None),
        SessionOwner::Client(c) => (None, Some(c.as_str())),
    };
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(&id),
            sessions::user_id.eq(user),
            sessions::api_client_id.eq(client),
            sessions::scope.eq(scope),
            sessions::created_at.eq(now.naive_utc()),
            sessions::expires_at.eq(expires_at.naive_utc()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// A session by id.
pub fn find_session(conn: &mut DbConnection, id: &str) -> Result<SessionRecord, DbError> {
    let row: SessionRow = sessions::table
        .filter(sessions::id.eq(id))
        .select((
            sessions::id,
            sessions::user_id,
            sessions::api_client_id,
            sessions::scope,
            sessions::expires_at,
            sessions::revoked_at,
        ))
        .first(conn)?;
    session_from_row(row)
}

/// Revokes one session (no-op when already revoked).
pub fn revoke_session(
    conn: &mut DbConnection,
    id: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::update(
        sessions::table
            .filter(sessions::id.eq(id))
            .filter(sessions::revoked_at.is_null()),
    )
    .set((
        sessions::revoked_at.eq(now.naive_utc()),
        sessions::revoked_reason.eq(reason),
    ))
    .execute(conn)?;
    Ok(())
}

/// Revokes every live session of a user or of an API client.
pub fn revoke_sessions_of(
    conn: &mut DbConnection,
    owner: &SessionOwner,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<usize, DbError> {
    let live = sessions::table
        .filter(sessions::revoked_at.is_null())
        .into_boxed();
    let owned = match owner {
        SessionOwner::User(id) => live.filter(sessions::user_id.eq(id.clone())),
        SessionOwner::Client(id) => live.filter(sessions::api_client_id.eq(id.clone())),
    };
    let ids: Vec<String> = owned.select(sessions::id).load(conn)?;
    Ok(
        diesel::update(sessions::table.filter(sessions::id.eq_any(&ids)))
            .set((
                sessions::revoked_at.eq(now.naive_utc()),
                sessions::revoked_reason.eq(reason),
            ))
            .execute(conn)?,
    )
}

/// Stores a refresh token (by hash) of a session.
pub fn add_refresh_token(
    conn: &mut DbConnection,
    session_id: &str,
    token_hash: &str,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::id.eq(new_id()),
            refresh_tokens::session_id.eq(session_id),
            refresh_tokens::token_hash.eq(token_hash),
            refresh_tokens::created_at.eq(now.naive_utc()),
            refresh_tokens::expires_at.eq(expires_at.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// What presenting a refresh token gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rotation {
    /// The token was current: it is now rotated and `new_hash` stored in its place.
    Rotated(SessionRecord),
    /// The token had been rotated already: its session is now revoked.
    Reused,
    /// Unknown, expired, or its session is revoked or expired.
    Invalid,
}

/// Rotates a refresh token: the presented one is retired and `new_hash` becomes the session's current token.
/// Presenting a retired token again revokes the whole session (RFC 9700 §4.14.2).
pub fn rotate_refresh_token(
    conn: &mut DbConnection,
    presented_hash: &str,
    new_hash: &str,
    new_expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Rotation, DbError> {
    crate::db::transaction(conn, |conn| {
        let found: Option<(String, String, NaiveDateTime, Option<NaiveDateTime>)> =
            refresh_tokens::table
                .filter(refresh_tokens::token_hash.eq(presented_hash))
                .select((
                    refresh_tokens::id,
                    refresh_tokens::session_id,
                    refresh_tokens::expires_at,
                    refresh_tokens::rotated_at,
                ))
                .first(conn)
                .optional()?;
        let Some((token_id, session_id, expires_at, rotated_at)) = found else {
            return Ok(Rotation::Invalid);
        };
        if rotated_at.is_some() {
            revoke_session(conn, &session_id, "refresh token reuse", now)?;
            return Ok(Rotation::Reused);
        }
        let session = find_session(conn, &session_id)?;
        if session.revoked_at.is_some() || session.expires_at <= now || expires_at.and_utc() <= now
        {
            return Ok(Rotation::Invalid);
        }
        let retired = diesel::update(
            refresh_tokens::table
                .filter(refresh_tokens::id.eq(&token_id))
                .filter(refresh_tokens::rotated_at.is_null()),
        )
        .set(refresh_tokens::rotated_at.eq(now.naive_utc()))
        .execute(conn)?;
        if retired != 1 {
            // Someone else rotated it between our read and our write: the same token was used twice.
            revoke_session(conn, &session_id, "refresh token reuse", now)?;
            return Ok(Rotation::Reused);
        }
        add_refresh_token(
            conn,
            &session_id,
            new_hash,
            new_expires_at.min(session.expires_at),
            now,
        )?;
        Ok(Rotation::Rotated(session))
    })
}

/// The session a refresh token belongs to, if the token is known.
pub fn session_of_refresh_token(
    conn: &mut DbConnection,
    token_hash: &str,
) -> Result<Option<String>, DbError> {
    Ok(refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .select(refresh_tokens::session_id)
        .first(conn)
        .optional()?)
}

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

/// The outcome of [`reserve_attempt`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// Go ahead: the attempt is counted as a failure under each key (these rows) until [`forget_attempt`] says it
    /// succeeded.
    Reserved(Vec<String>),
    /// A key is at its limit; its oldest counted failure, which ends the wait when it leaves the window.
    Refused {
        /// The oldest failure still counted.
        oldest: Option<DateTime<Utc>>,
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
    crate::db::transaction(conn, |conn| {
        let mut sorted: Vec<&str> = keys.iter().map(|(k, _)| *k).collect();
        sorted.sort_unstable();
        for key in sorted {
            crate::db::lock(conn, key)?;
        }
        for (key, limit) in keys {
            let (count, oldest) = auth_failures_since(conn, key, since)?;
            if count >= *limit {
                return Ok(Attempt::Refused { oldest });
            }
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
        Ok(Attempt::Reserved(ids))
    })
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
