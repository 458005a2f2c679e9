//! Webhook endpoints, their secrets and their delivery log (docs/changes.md). An endpoint carries its own cursor into
//! the change feed and its lease: the worker of one instance at a time delivers an endpoint's events, in order. No
//! rules here: `wsis_app::webhooks` decides.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use wsis_domain::changes::Filters;

use crate::db::DbConnection;
use crate::error::DbError;
use crate::schema::{webhook_deliveries as wd, webhook_endpoints as we, webhook_secrets as ws};

/// An endpoint as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointRecord {
    /// Id.
    pub id: String,
    /// The partner's API client it belongs to (deliveries see what that client may see); `None`: staff's.
    pub client_id: Option<String>,
    /// The user who registered it (staff), if a user did.
    pub created_by: Option<String>,
    /// Where deliveries go.
    pub url: String,
    /// What it is for.
    pub description: String,
    /// The events it wants.
    pub filters: Filters,
    /// `active` or `disabled`.
    pub status: String,
    /// Why it was disabled.
    pub disabled_reason: Option<String>,
    /// The last feed position delivered (or passed over as not wanted).
    pub delivered_seq: i64,
    /// When the next attempt is due.
    pub next_attempt_at: DateTime<Utc>,
    /// Failed attempts in a row.
    pub attempts: i32,
    /// Since when it fails, if it does.
    pub failing_since: Option<DateTime<Utc>>,
    /// Registered.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = we)]
struct EndpointRow {
    id: String,
    client_id: Option<String>,
    created_by: Option<String>,
    url: String,
    description: String,
    event_types: String,
    filters: String,
    status: String,
    disabled_reason: Option<String>,
    delivered_seq: i64,
    next_attempt_at: NaiveDateTime,
    attempts: i32,
    failing_since: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl TryFrom<EndpointRow> for EndpointRecord {
    type Error = DbError;

    fn try_from(row: EndpointRow) -> Result<Self, DbError> {
        let mut filters: Filters = serde_json::from_str(&row.filters)
            .map_err(|e| DbError::Corrupt(format!("webhook filters: {e}")))?;
        filters.types = serde_json::from_str(&row.event_types)
            .map_err(|e| DbError::Corrupt(format!("webhook event types: {e}")))?;
        Ok(Self {
            id: row.id,
            client_id: row.client_id,
            created_by: row.created_by,
            url: row.url,
            description: row.description,
            filters,
            status: row.status,
            disabled_reason: row.disabled_reason,
            delivered_seq: row.delivered_seq,
            next_attempt_at: row.next_attempt_at.and_utc(),
            attempts: row.attempts,
            failing_since: row.failing_since.map(|t| t.and_utc()),
            created_at: row.created_at.and_utc(),
            updated_at: row.updated_at.and_utc(),
        })
    }
}

fn row_of(record: &EndpointRecord) -> Result<EndpointRow, DbError> {
    let types = serde_json::to_string(&record.filters.types)
        .map_err(|e| DbError::Corrupt(e.to_string()))?;
    let filters = Filters {
        types: Vec::new(),
        ..record.filters.clone()
    };
    Ok(EndpointRow {
        id: record.id.clone(),
        client_id: record.client_id.clone(),
        created_by: record.created_by.clone(),
        url: record.url.clone(),
        description: record.description.clone(),
        event_types: types,
        filters: serde_json::to_string(&filters).map_err(|e| DbError::Corrupt(e.to_string()))?,
        status: record.status.clone(),
        disabled_reason: record.disabled_reason.clone(),
        delivered_seq: record.delivered_seq,
        next_attempt_at: record.next_attempt_at.naive_utc(),
        attempts: record.attempts,
        failing_since: record.failing_since.map(|t| t.naive_utc()),
        created_at: record.created_at.naive_utc(),
        updated_at: record.updated_at.naive_utc(),
    })
}

/// Stores a new endpoint.
pub fn insert(conn: &mut DbConnection, record: &EndpointRecord) -> Result<(), DbError> {
    diesel::insert_into(we::table)
        .values(row_of(record)?)
        .execute(conn)?;
    Ok(())
}

/// Writes an endpoint's settings and state back (all but its lease), if it is still there.
pub fn save(conn: &mut DbConnection, record: &EndpointRecord) -> Result<bool, DbError> {
    let row = row_of(record)?;
    let changed = diesel::update(we::table.filter(we::id.eq(&record.id)))
        .set((
            we::url.eq(row.url),
            we::description.eq(row.description),
            we::event_types.eq(row.event_types),
            we::filters.eq(row.filters),
            we::status.eq(row.status),
            we::disabled_reason.eq(row.disabled_reason),
            we::delivered_seq.eq(row.delivered_seq),
            we::next_attempt_at.eq(row.next_attempt_at),
            we::attempts.eq(row.attempts),
            we::failing_since.eq(row.failing_since),
            we::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}

/// One endpoint.
pub fn find(conn: &mut DbConnection, id: &str) -> Result<EndpointRecord, DbError> {
    we::table
        .filter(we::id.eq(id))
        .select(EndpointRow::as_select())
        .first::<EndpointRow>(conn)?
        .try_into()
}

/// One endpoint, its row locked until the transaction ends (PostgreSQL).
pub fn find_for_update(conn: &mut DbConnection, id: &str) -> Result<EndpointRecord, DbError> {
    if let DbConnection::Postgresql(pg) = conn {
        return we::table
            .filter(we::id.eq(id))
            .select(EndpointRow::as_select())
            .for_update()
            .first::<EndpointRow>(pg)?
            .try_into();
    }
    find(conn, id)
}

/// The endpoints of a client (`Some`), or every endpoint (`None`), oldest first.
pub fn list(conn: &mut DbConnection, client: Option<&str>) -> Result<Vec<EndpointRecord>, DbError> {
    let mut query = we::table
        .select(EndpointRow::as_select())
        .order((we::created_at.asc(), we::id.asc()))
        .into_boxed();
    if let Some(client) = client {
        query = query.filter(we::client_id.eq(client));
    }
    query
        .load::<EndpointRow>(conn)?
        .into_iter()
        .map(EndpointRecord::try_from)
        .collect()
}

/// Moves an endpoint's position forward to `seq` (never back), touching nothing else.
pub fn advance_to(conn: &mut DbConnection, id: &str, seq: i64) -> Result<(), DbError> {
    diesel::update(
        we::table
            .filter(we::id.eq(id))
            .filter(we::delivered_seq.lt(seq)),
    )
    .set(we::delivered_seq.eq(seq))
    .execute(conn)?;
    Ok(())
}

/// Deletes an endpoint with its secrets and log.
pub fn delete(conn: &mut DbConnection, id: &str) -> Result<bool, DbError> {
    diesel::delete(wd::table.filter(wd::endpoint_id.eq(id))).execute(conn)?;
    diesel::delete(ws::table.filter(ws::endpoint_id.eq(id))).execute(conn)?;
    Ok(diesel::delete(we::table.filter(we::id.eq(id))).execute(conn)? == 1)
}

/// A signing secret as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretRecord {
    /// Id.
    pub id: String,
    /// `whsec_…`.
    pub secret: String,
    /// Made.
    pub created_at: DateTime<Utc>,
    /// When it stops signing (set when a newer one replaces it).
    pub expires_at: Option<DateTime<Utc>>,
}

/// Adds a secret to an endpoint; the ones that had no expiry get `previous_expire_at`.
pub fn add_secret(
    conn: &mut DbConnection,
    endpoint_id: &str,
    secret: &str,
    now: DateTime<Utc>,
    previous_expire_at: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::update(
        ws::table.filter(ws::endpoint_id.eq(endpoint_id)).filter(
            ws::expires_at
                .is_null()
                .or(ws::expires_at.gt(previous_expire_at.naive_utc())),
        ),
    )
    .set(ws::expires_at.eq(previous_expire_at.naive_utc()))
    .execute(conn)?;
    diesel::delete(
        ws::table
            .filter(ws::endpoint_id.eq(endpoint_id))
            .filter(ws::expires_at.le(now.naive_utc())),
    )
    .execute(conn)?;
    diesel::insert_into(ws::table)
        .values((
            ws::id.eq(crate::new_id()),
            ws::endpoint_id.eq(endpoint_id),
            ws::secret.eq(secret),
            ws::created_at.eq(now.naive_utc()),
            ws::expires_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(())
}

/// The secrets that sign at `now`, newest first.
pub fn secrets(
    conn: &mut DbConnection,
    endpoint_id: &str,
    now: DateTime<Utc>,
) -> Result<Vec<SecretRecord>, DbError> {
    let rows: Vec<(String, String, NaiveDateTime, Option<NaiveDateTime>)> = ws::table
        .filter(ws::endpoint_id.eq(endpoint_id))
        .filter(
            ws::expires_at
                .is_null()
                .or(ws::expires_at.gt(now.naive_utc())),
        )
        .select((ws::id, ws::secret, ws::created_at, ws::expires_at))
        .order((ws::created_at.desc(), ws::id.desc()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, secret, created_at, expires_at)| SecretRecord {
            id,
            secret,
            created_at: created_at.and_utc(),
            expires_at: expires_at.map(|t| t.and_utc()),
        })
        .collect())
}

/// Leases up to `limit` endpoints with work due at `now` to `owner` until `until`: active ones behind the feed
/// (`delivered_seq < last_seq`) whose next attempt is due, and any with a ping or redelivery waiting. An endpoint
/// leased by another worker whose lease has not run out is skipped; on PostgreSQL the candidates are locked with
/// `FOR UPDATE SKIP LOCKED`, so concurrent claims of several instances pass each other by without waiting.
pub fn claim(
    conn: &mut DbConnection,
    owner: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    last_seq: i64,
    limit: i64,
) -> Result<Vec<EndpointRecord>, DbError> {
    let now_naive = now.naive_utc();
    macro_rules! due {
        () => {
            we::table
                .select(we::id)
                .filter(
                    we::leased_until
                        .is_null()
                        .or(we::leased_until.lt(now_naive)),
                )
                .filter(
                    we::status
                        .eq("active")
                        .and(we::next_attempt_at.le(now_naive))
                        .and(we::delivered_seq.lt(last_seq))
                        .or(diesel::dsl::exists(
                            wd::table
                                .filter(wd::endpoint_id.eq(we::id))
                                .filter(wd::status.eq("pending")),
                        )),
                )
                .order(we::next_attempt_at.asc())
                .limit(limit)
        };
    }
    // Most ticks find nothing due: one read, without a write transaction (on SQLite, the database's write lock).
    if due!().load::<String>(conn)?.is_empty() {
        return Ok(Vec::new());
    }
    crate::db::transaction(conn, |conn| {
        let query = due!();
        let ids: Vec<String> = match conn {
            DbConnection::Postgresql(pg) => query.for_update().skip_locked().load(pg)?,
            DbConnection::Sqlite(_) => query.load(conn)?,
        };
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        diesel::update(we::table.filter(we::id.eq_any(&ids)))
            .set((
                we::leased_by.eq(owner),
                we::leased_until.eq(until.naive_utc()),
            ))
            .execute(conn)?;
        we::table
            .filter(we::id.eq_any(&ids))
            .select(EndpointRow::as_select())
            .load::<EndpointRow>(conn)?
            .into_iter()
            .map(EndpointRecord::try_from)
            .collect()
    })
}

/// Whether `owner` still holds the endpoint's lease at `now` (a worker checks before each delivery).
pub fn holds(
    conn: &mut DbConnection,
    id: &str,
    owner: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    Ok(diesel::select(diesel::dsl::exists(
        we::table
            .filter(we::id.eq(id))
            .filter(we::leased_by.eq(owner))
            .filter(we::leased_until.ge(now.naive_utc())),
    ))
    .get_result(conn)?)
}

/// Gives up `owner`'s lease of an endpoint.
pub fn release(conn: &mut DbConnection, id: &str, owner: &str) -> Result<(), DbError> {
    diesel::update(
        we::table
            .filter(we::id.eq(id))
            .filter(we::leased_by.eq(owner)),
    )
    .set((
        we::leased_by.eq(None::<String>),
        we::leased_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(())
}

/// A line of the delivery log, or a ping or redelivery waiting (`status` pending).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = wd)]
pub struct DeliveryRow {
    /// Id.
    pub id: String,
    /// The endpoint.
    pub endpoint_id: String,
    /// The event delivered (its `webhook-id`).
    pub event_id: String,
    /// Its type (`ping` for a ping).
    pub event_type: String,
    /// Its place in the feed (none for a ping).
    pub seq: Option<i64>,
    /// `feed`, `ping` or `redelivery`.
    pub kind: String,
    /// Which attempt of this event this was (1 for the first).
    pub attempt: i32,
    /// `pending`, `succeeded` or `failed`.
    pub status: String,
    /// Written.
    pub created_at: NaiveDateTime,
    /// When the request was sent.
    pub attempted_at: Option<NaiveDateTime>,
    /// The receiver's HTTP status.
    pub http_status: Option<i32>,
    /// From sending the request to the end of the response.
    pub latency_ms: Option<i32>,
    /// The response's first kilobyte.
    pub response_excerpt: Option<String>,
    /// Why it failed, when there was no response (timeout, refused, address not allowed).
    pub error: Option<String>,
}

/// Writes a delivery (attempted, or pending).
pub fn log(conn: &mut DbConnection, row: &DeliveryRow) -> Result<(), DbError> {
    diesel::insert_into(wd::table).values(row).execute(conn)?;
    Ok(())
}

/// Writes the outcome over a pending delivery.
pub fn complete(conn: &mut DbConnection, row: &DeliveryRow) -> Result<(), DbError> {
    diesel::update(wd::table.filter(wd::id.eq(&row.id)))
        .set((
            wd::status.eq(&row.status),
            wd::attempted_at.eq(row.attempted_at),
            wd::http_status.eq(row.http_status),
            wd::latency_ms.eq(row.latency_ms),
            wd::response_excerpt.eq(&row.response_excerpt),
            wd::error.eq(&row.error),
        ))
        .execute(conn)?;
    Ok(())
}

/// The pings and redeliveries waiting for an endpoint, oldest first.
pub fn pending(conn: &mut DbConnection, endpoint_id: &str) -> Result<Vec<DeliveryRow>, DbError> {
    Ok(wd::table
        .filter(wd::endpoint_id.eq(endpoint_id))
        .filter(wd::status.eq("pending"))
        .select(DeliveryRow::as_select())
        .order((wd::created_at.asc(), wd::id.asc()))
        .load(conn)?)
}

/// An endpoint's log, newest first, from before the delivery `before` (a page's cursor) on.
pub fn deliveries(
    conn: &mut DbConnection,
    endpoint_id: &str,
    before: Option<&str>,
    limit: i64,
) -> Result<Vec<DeliveryRow>, DbError> {
    let mut query = wd::table
        .filter(wd::endpoint_id.eq(endpoint_id))
        .select(DeliveryRow::as_select())
        .order(wd::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(wd::id.lt(before.to_owned()));
    }
    Ok(query.load(conn)?)
}

/// One delivery of an endpoint.
pub fn delivery(
    conn: &mut DbConnection,
    endpoint_id: &str,
    id: &str,
) -> Result<DeliveryRow, DbError> {
    Ok(wd::table
        .filter(wd::endpoint_id.eq(endpoint_id))
        .filter(wd::id.eq(id))
        .select(DeliveryRow::as_select())
        .first(conn)?)
}
