//! Partner agencies' API clients.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use wsis_domain::{ActionLineCode, Scope};

use crate::db::DbConnection;
use crate::error::DbError;
use crate::new_id;
use crate::reference::to_json;
use crate::schema::api_clients;

/// A client as stored (without its secret hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiClientRecord {
    /// Record id.
    pub id: String,
    /// Public client identifier used in `client_credentials`.
    pub client_id: String,
    /// Name.
    pub name: String,
    /// The agency (UNESCO, UNDP…).
    pub agency: String,
    /// Granted scopes.
    pub scopes: Vec<Scope>,
    /// When set, only entries on these action lines.
    pub action_lines: Option<Vec<ActionLineCode>>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last secret change.
    pub secret_rotated_at: DateTime<Utc>,
    /// Last token issued.
    pub last_used_at: Option<DateTime<Utc>>,
    /// Revocation.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// An api_clients row as selected.
#[derive(Queryable, Selectable)]
#[diesel(table_name = api_clients)]
struct ClientRow {
    id: String,
    client_id: String,
    name: String,
    agency: String,
    scopes: String,
    action_lines: Option<String>,
    created_at: NaiveDateTime,
    secret_rotated_at: NaiveDateTime,
    last_used_at: Option<NaiveDateTime>,
    revoked_at: Option<NaiveDateTime>,
}

fn from_row(row: ClientRow) -> Result<ApiClientRecord, DbError> {
    let id = row.id;
    let corrupt = |e: serde_json::Error| DbError::Corrupt(format!("api client {id}: {e}"));
    Ok(ApiClientRecord {
        scopes: serde_json::from_str(&row.scopes).map_err(corrupt)?,
        action_lines: row
            .action_lines
            .map(|a| serde_json::from_str(&a))
            .transpose()
            .map_err(corrupt)?,
        id,
        client_id: row.client_id,
        name: row.name,
        agency: row.agency,
        created_at: row.created_at.and_utc(),
        secret_rotated_at: row.secret_rotated_at.and_utc(),
        last_used_at: row.last_used_at.map(|t| t.and_utc()),
        revoked_at: row.revoked_at.map(|t| t.and_utc()),
    })
}

/// What staff give when creating a client.
#[derive(Debug, Clone)]
pub struct NewApiClient<'a> {
    /// Public identifier.
    pub client_id: &'a str,
    /// Name.
    pub name: &'a str,
    /// Agency.
    pub agency: &'a str,
    /// Hash of the secret.
    pub secret_hash: &'a str,
    /// Scopes.
    pub scopes: &'a [Scope],
    /// Optional action-line limit.
    pub action_lines: Option<&'a [ActionLineCode]>,
    /// The staff user.
    pub created_by: &'a str,
}

/// Creates a client.
pub fn create(
    conn: &mut DbConnection,
    new: &NewApiClient<'_>,
    now: DateTime<Utc>,
) -> Result<ApiClientRecord, DbError> {
    let id = new_id();
    diesel::insert_into(api_clients::table)
        .values((
            api_clients::id.eq(&id),
            api_clients::client_id.eq(new.client_id),
            api_clients::name.eq(new.name),
            api_clients::agency.eq(new.agency),
            api_clients::secret_hash.eq(new.secret_hash),
            api_clients::scopes.eq(to_json(new.scopes)?),
            api_clients::action_lines.eq(new.action_lines.map(to_json).transpose()?),
            api_clients::created_by.eq(new.created_by),
            api_clients::created_at.eq(now.naive_utc()),
            api_clients::secret_rotated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    find(conn, &id)
}

/// One client by record id.
pub fn find(conn: &mut DbConnection, id: &str) -> Result<ApiClientRecord, DbError> {
    from_row(
        api_clients::table
            .filter(api_clients::id.eq(id))
            .select(ClientRow::as_select())
            .first(conn)?,
    )
}

/// Every client, newest first.
pub fn list(conn: &mut DbConnection) -> Result<Vec<ApiClientRecord>, DbError> {
    let rows: Vec<ClientRow> = api_clients::table
        .select(ClientRow::as_select())
        .order(api_clients::created_at.desc())
        .load(conn)?;
    rows.into_iter().map(from_row).collect()
}

/// A live client and its secret hash, by public identifier.
pub fn find_for_login(
    conn: &mut DbConnection,
    client_id: &str,
) -> Result<Option<(ApiClientRecord, String)>, DbError> {
    let row: Option<(ClientRow, String)> = api_clients::table
        .filter(api_clients::client_id.eq(client_id))
        .filter(api_clients::revoked_at.is_null())
        .select((ClientRow::as_select(), api_clients::secret_hash))
        .first(conn)
        .optional()?;
    row.map(|(row, hash)| Ok((from_row(row)?, hash)))
        .transpose()
}

/// Records that the client obtained a token.
pub fn touch(conn: &mut DbConnection, id: &str, now: DateTime<Utc>) -> Result<(), DbError> {
    diesel::update(api_clients::table.filter(api_clients::id.eq(id)))
        .set(api_clients::last_used_at.eq(now.naive_utc()))
        .execute(conn)?;
    Ok(())
}

/// Replaces the secret of a live client and revokes its sessions.
pub fn rotate_secret(
    conn: &mut DbConnection,
    id: &str,
    secret_hash: &str,
    now: DateTime<Utc>,
) -> Result<ApiClientRecord, DbError> {
    crate::db::transaction(conn, |conn| {
        let changed = diesel::update(
            api_clients::table
                .filter(api_clients::id.eq(id))
                .filter(api_clients::revoked_at.is_null()),
        )
        .set((
            api_clients::secret_hash.eq(secret_hash),
            api_clients::secret_rotated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Err(DbError::NotFound);
        }
        crate::users::revoke_sessions_of(
            conn,
            &crate::users::SessionOwner::Client(id.to_owned()),
            "secret rotated",
            now,
        )?;
        find(conn, id)
    })
}

/// Revokes a client and its sessions.
pub fn revoke(
    conn: &mut DbConnection,
    id: &str,
    now: DateTime<Utc>,
) -> Result<ApiClientRecord, DbError> {
    crate::db::transaction(conn, |conn| {
        let changed = diesel::update(
            api_clients::table
                .filter(api_clients::id.eq(id))
                .filter(api_clients::revoked_at.is_null()),
        )
        .set(api_clients::revoked_at.eq(now.naive_utc()))
        .execute(conn)?;
        if changed == 0 {
            find(conn, id)?;
        }
        crate::users::revoke_sessions_of(
            conn,
            &crate::users::SessionOwner::Client(id.to_owned()),
            "client revoked",
            now,
        )?;
        find(conn, id)
    })
}

/// The staff member who made a client.
pub fn creator(conn: &mut DbConnection, id: &str) -> Result<Option<String>, DbError> {
    Ok(api_clients::table
        .filter(api_clients::id.eq(id))
        .select(api_clients::created_by)
        .first(conn)
        .optional()?)
}
