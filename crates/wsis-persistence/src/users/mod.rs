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

/// A users row as selected.
#[derive(Queryable, Selectable)]
#[diesel(table_name = users)]
struct UserRow {
    id: String,
    email: String,
    password_hash: String,
    display_name: String,
    language: String,
    email_verified_at: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
}

fn user_from_row(row: UserRow) -> UserRecord {
    UserRecord {
        id: row.id,
        email: row.email,
        password_hash: row.password_hash,
        display_name: row.display_name,
        language: row.language,
        email_verified_at: row.email_verified_at.map(|t| t.and_utc()),
        created_at: row.created_at.and_utc(),
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
        .select(UserRow::as_select())
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
        .select(UserRow::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map(user_from_row))
}

/// Every live account, oldest first, with its roles.
pub fn list_users(conn: &mut DbConnection) -> Result<Vec<(UserRecord, Vec<UserRole>)>, DbError> {
    let rows: Vec<UserRow> = users::table
        .filter(users::deleted_at.is_null())
        .select(UserRow::as_select())
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

/// A user's membership of an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    /// The organisation's id.
    pub organisation_id: String,
    /// Its name.
    pub organisation_name: String,
    /// The user's role in it.
    pub role: MemberRole,
}

/// A membership with its organisation's name, as selected.
#[derive(Queryable, Selectable)]
#[diesel(table_name = memberships)]
struct MembershipRow {
    organisation_id: String,
    #[diesel(select_expression = organisations::name)]
    organisation_name: String,
    role: String,
}

/// A user's memberships, by organisation name.
pub fn memberships_of(conn: &mut DbConnection, user_id: &str) -> Result<Vec<Membership>, DbError> {
    let rows: Vec<MembershipRow> = memberships::table
        .inner_join(organisations::table)
        .filter(memberships::user_id.eq(user_id))
        .select(MembershipRow::as_select())
        .order(organisations::name)
        .load(conn)?;
    rows.into_iter()
        .map(|row| {
            Ok(Membership {
                role: row
                    .role
                    .parse()
                    .map_err(|e: wsis_domain::ParseError| DbError::Corrupt(e.to_string()))?,
                organisation_id: row.organisation_id,
                organisation_name: row.organisation_name,
            })
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
    insert_email_token(conn, (user_id, purpose, token_hash), None, expires_at, now)
}

/// Stores a token: `(user, purpose, hash)`, and the address an e-mail change moves to.
fn insert_email_token(
    conn: &mut DbConnection,
    (user_id, purpose, token_hash): (&str, &str, &str),
    new_email: Option<&str>,
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
            email_tokens::new_email.eq(new_email),
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

// Declared after the items above, which they use.
mod lifecycle;
mod signed_in;
mod throttle;

pub use lifecycle::*;
pub use signed_in::*;
pub use throttle::*;
