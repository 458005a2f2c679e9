//! Sessions and their rotating refresh tokens.

use super::*;

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

/// A sessions row as selected.
#[derive(Queryable, Selectable)]
#[diesel(table_name = sessions)]
struct SessionRow {
    id: String,
    user_id: Option<String>,
    api_client_id: Option<String>,
    scope: String,
    expires_at: NaiveDateTime,
    revoked_at: Option<NaiveDateTime>,
}

fn session_from_row(row: SessionRow) -> Result<SessionRecord, DbError> {
    let owner = match (row.user_id, row.api_client_id) {
        (Some(user), None) => SessionOwner::User(user),
        (None, Some(client)) => SessionOwner::Client(client),
        _ => {
            return Err(DbError::Corrupt(format!(
                "session {} has no single owner",
                row.id
            )));
        }
    };
    Ok(SessionRecord {
        id: row.id,
        owner,
        scope: row.scope,
        expires_at: row.expires_at.and_utc(),
        revoked_at: row.revoked_at.map(|t| t.and_utc()),
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
        .select(SessionRow::as_select())
        .first(conn)?;
    session_from_row(row)
}

/// What a user's session grants: whether the address is verified, the user's roles and memberships.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SessionUser {
    /// Whether the e-mail address is verified.
    pub email_verified: bool,
    /// Granted roles, sorted.
    pub roles: Vec<UserRole>,
    /// (organisation id, role) for each membership, sorted.
    pub memberships: Vec<(String, MemberRole)>,
}

/// A session and, for a user's session whose user is live, what it grants (`None` when the user is gone or the
/// session is a client's): what a request's credentials need, in one query (a row per role and membership pair;
/// people hold few of either).
pub fn find_session_with_user(
    conn: &mut DbConnection,
    id: &str,
) -> Result<(SessionRecord, Option<SessionUser>), DbError> {
    type UserFacts = (Option<NaiveDateTime>, Option<NaiveDateTime>);
    type Rows = Vec<(
        SessionRow,
        Option<UserFacts>,
        Option<String>,
        Option<(String, String)>,
    )>;
    let rows: Rows = sessions::table
        .left_join(users::table.on(sessions::user_id.eq(users::id.nullable())))
        .left_join(user_roles::table.on(user_roles::user_id.nullable().eq(sessions::user_id)))
        .left_join(memberships::table.on(memberships::user_id.nullable().eq(sessions::user_id)))
        .filter(sessions::id.eq(id))
        .select((
            SessionRow::as_select(),
            (users::email_verified_at, users::deleted_at).nullable(),
            user_roles::role.nullable(),
            (memberships::organisation_id, memberships::role).nullable(),
        ))
        .load(conn)?;
    let corrupt = |e: wsis_domain::ParseError| DbError::Corrupt(e.to_string());
    let mut user: Option<SessionUser> = None;
    let mut session = None;
    for (row, facts, role, membership) in rows {
        if session.is_none() {
            user = facts
                .filter(|(_, deleted)| deleted.is_none())
                .map(|(verified, _)| SessionUser {
                    email_verified: verified.is_some(),
                    ..SessionUser::default()
                });
            session = Some(session_from_row(row)?);
        }
        if let Some(user) = user.as_mut() {
            if let Some(role) = role {
                user.roles.push(role.parse().map_err(corrupt)?);
            }
            if let Some((organisation, role)) = membership {
                user.memberships
                    .push((organisation, role.parse().map_err(corrupt)?));
            }
        }
    }
    let session = session.ok_or(DbError::NotFound)?;
    if let Some(user) = user.as_mut() {
        user.roles.sort_unstable_by_key(|r| r.code());
        user.roles.dedup();
        user.memberships.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        user.memberships.dedup();
    }
    Ok((session, user))
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

/// A refresh token as rotation reads it.
#[derive(Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
struct RefreshRow {
    id: String,
    session_id: String,
    expires_at: NaiveDateTime,
    rotated_at: Option<NaiveDateTime>,
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
        let found: Option<RefreshRow> = refresh_tokens::table
            .filter(refresh_tokens::token_hash.eq(presented_hash))
            .select(RefreshRow::as_select())
            .first(conn)
            .optional()?;
        let Some(RefreshRow {
            id: token_id,
            session_id,
            expires_at,
            rotated_at,
        }) = found
        else {
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
