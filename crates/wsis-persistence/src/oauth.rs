//! Public OAuth clients (third-party frontends) and their single-use authorization codes (stored hashed). No rules.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::error::DbError;
use crate::new_id;
use crate::schema::{oauth_clients, oauth_codes};

/// A public client as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthClientRecord {
    /// Record id.
    pub id: String,
    /// Public `client_id`.
    pub client_id: String,
    /// Name shown on the consent page.
    pub name: String,
    /// Registered redirect URIs (matched exactly).
    pub redirect_uris: Vec<String>,
    /// Scopes it may be granted.
    pub scopes: Vec<String>,
    /// The staff member who registered it.
    pub created_by: String,
    /// Registered.
    pub created_at: DateTime<Utc>,
    /// Revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = oauth_clients)]
struct ClientRow {
    id: String,
    client_id: String,
    name: String,
    redirect_uris: String,
    scopes: String,
    created_by: String,
    created_at: NaiveDateTime,
    revoked_at: Option<NaiveDateTime>,
}

impl From<ClientRow> for OAuthClientRecord {
    fn from(row: ClientRow) -> Self {
        Self {
            id: row.id,
            client_id: row.client_id,
            name: row.name,
            redirect_uris: serde_json::from_str(&row.redirect_uris).unwrap_or_default(),
            scopes: row
                .scopes
                .split(' ')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            created_by: row.created_by,
            created_at: row.created_at.and_utc(),
            revoked_at: row.revoked_at.map(|t| t.and_utc()),
        }
    }
}

/// Registers a client.
pub fn create_client(
    conn: &mut DbConnection,
    client_id: &str,
    name: &str,
    redirect_uris: &[String],
    scopes: &[String],
    created_by: &str,
    now: DateTime<Utc>,
) -> Result<OAuthClientRecord, DbError> {
    let id = new_id();
    diesel::insert_into(oauth_clients::table)
        .values((
            oauth_clients::id.eq(&id),
            oauth_clients::client_id.eq(client_id),
            oauth_clients::name.eq(name),
            oauth_clients::redirect_uris
                .eq(serde_json::to_string(redirect_uris).unwrap_or_else(|_| "[]".into())),
            oauth_clients::scopes.eq(scopes.join(" ")),
            oauth_clients::created_by.eq(created_by),
            oauth_clients::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    find_client(conn, &id)
}

/// A client by record id.
pub fn find_client(conn: &mut DbConnection, id: &str) -> Result<OAuthClientRecord, DbError> {
    Ok(oauth_clients::table
        .filter(oauth_clients::id.eq(id))
        .select(ClientRow::as_select())
        .first::<ClientRow>(conn)?
        .into())
}

/// A live client by its public `client_id`.
pub fn find_live_client(
    conn: &mut DbConnection,
    client_id: &str,
) -> Result<Option<OAuthClientRecord>, DbError> {
    Ok(oauth_clients::table
        .filter(oauth_clients::client_id.eq(client_id))
        .filter(oauth_clients::revoked_at.is_null())
        .select(ClientRow::as_select())
        .first::<ClientRow>(conn)
        .optional()?
        .map(Into::into))
}

/// Every client, newest first.
pub fn list_clients(conn: &mut DbConnection) -> Result<Vec<OAuthClientRecord>, DbError> {
    Ok(oauth_clients::table
        .order((oauth_clients::created_at.desc(), oauth_clients::id.desc()))
        .select(ClientRow::as_select())
        .load::<ClientRow>(conn)?
        .into_iter()
        .map(Into::into)
        .collect())
}

/// Revokes a client (its codes stop working; the sessions it opened are revoked by the caller).
pub fn revoke_client(conn: &mut DbConnection, id: &str, now: DateTime<Utc>) -> Result<(), DbError> {
    diesel::update(
        oauth_clients::table
            .filter(oauth_clients::id.eq(id))
            .filter(oauth_clients::revoked_at.is_null()),
    )
    .set(oauth_clients::revoked_at.eq(now.naive_utc()))
    .execute(conn)?;
    Ok(())
}

/// A code to store.
#[derive(Debug, Clone)]
pub struct NewCode<'a> {
    /// SHA-256 of the code.
    pub code_hash: &'a str,
    /// The client's record id.
    pub client: &'a str,
    /// The user who signed in and consented.
    pub user_id: &'a str,
    /// The redirect URI of the request (the token request must name it again).
    pub redirect_uri: &'a str,
    /// The scopes granted.
    pub scope: &'a str,
    /// The PKCE `S256` challenge.
    pub code_challenge: &'a str,
    /// Expiry.
    pub expires_at: DateTime<Utc>,
}

/// Stores a code.
pub fn create_code(
    conn: &mut DbConnection,
    code: &NewCode<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::insert_into(oauth_codes::table)
        .values((
            oauth_codes::id.eq(new_id()),
            oauth_codes::code_hash.eq(code.code_hash),
            oauth_codes::client_id.eq(code.client),
            oauth_codes::user_id.eq(code.user_id),
            oauth_codes::redirect_uri.eq(code.redirect_uri),
            oauth_codes::scope.eq(code.scope),
            oauth_codes::code_challenge.eq(code.code_challenge),
            oauth_codes::expires_at.eq(code.expires_at.naive_utc()),
            oauth_codes::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// A code as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = oauth_codes)]
pub struct CodeRecord {
    /// Id.
    pub id: String,
    /// The client's record id.
    pub client_id: String,
    /// The user.
    pub user_id: String,
    /// The redirect URI of the request.
    pub redirect_uri: String,
    /// The scopes granted.
    pub scope: String,
    /// The PKCE challenge.
    pub code_challenge: String,
    /// Expiry.
    pub expires_at: NaiveDateTime,
    /// When it was exchanged.
    pub used_at: Option<NaiveDateTime>,
    /// The session its exchange opened.
    pub session_id: Option<String>,
}

/// A code by its hash, locked for the exchange (PostgreSQL; SQLite's writers run one at a time).
pub fn find_code_for_update(
    conn: &mut DbConnection,
    code_hash: &str,
) -> Result<Option<CodeRecord>, DbError> {
    if let DbConnection::Postgresql(pg) = conn {
        return Ok(oauth_codes::table
            .filter(oauth_codes::code_hash.eq(code_hash))
            .select(CodeRecord::as_select())
            .for_update()
            .first(pg)
            .optional()?);
    }
    Ok(oauth_codes::table
        .filter(oauth_codes::code_hash.eq(code_hash))
        .select(CodeRecord::as_select())
        .first(conn)
        .optional()?)
}

/// Marks a code used by the exchange that opened `session_id`; false when it was used already.
pub fn use_code(
    conn: &mut DbConnection,
    id: &str,
    session_id: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    Ok(diesel::update(
        oauth_codes::table
            .filter(oauth_codes::id.eq(id))
            .filter(oauth_codes::used_at.is_null()),
    )
    .set((
        oauth_codes::used_at.eq(now.naive_utc()),
        oauth_codes::session_id.eq(session_id),
    ))
    .execute(conn)?
        == 1)
}

/// Deletes codes that expired before `before`.
pub fn purge_codes(conn: &mut DbConnection, before: DateTime<Utc>) -> Result<usize, DbError> {
    Ok(
        diesel::delete(oauth_codes::table.filter(oauth_codes::expires_at.lt(before.naive_utc())))
            .execute(conn)?,
    )
}

/// Records that a session was opened through a client (`GET /me/sessions` shows it; revoking the client ends it).
pub fn mark_session_client(
    conn: &mut DbConnection,
    session_id: &str,
    client: &str,
) -> Result<(), DbError> {
    use crate::schema::sessions;
    diesel::update(sessions::table.filter(sessions::id.eq(session_id)))
        .set(sessions::oauth_client_id.eq(client))
        .execute(conn)?;
    Ok(())
}

/// Revokes every live session a client opened; returns how many.
pub fn revoke_client_sessions(
    conn: &mut DbConnection,
    client: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<usize, DbError> {
    use crate::schema::sessions;
    Ok(diesel::update(
        sessions::table
            .filter(sessions::oauth_client_id.eq(client))
            .filter(sessions::revoked_at.is_null()),
    )
    .set((
        sessions::revoked_at.eq(now.naive_utc()),
        sessions::revoked_reason.eq(reason),
    ))
    .execute(conn)?)
}

/// The names of clients by record id (for the sessions list).
pub fn client_names(
    conn: &mut DbConnection,
    ids: &[String],
) -> Result<Vec<(String, String)>, DbError> {
    Ok(oauth_clients::table
        .filter(oauth_clients::id.eq_any(ids))
        .select((oauth_clients::id, oauth_clients::name))
        .load(conn)?)
}
