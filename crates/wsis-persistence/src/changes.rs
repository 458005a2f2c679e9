//! The change feed's rows (docs/changes.md): written by the use cases in their transaction, numbered after commit
//! (PostgreSQL) or at insert (SQLite), read in `seq` order through a caller's [`Sight`]. No rules here.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Nullable};
use wsis_domain::changes::{Audience, EventType, Filters, ObjectKind, Sight, lines_column};
use wsis_domain::{ActionLineCode, TrackKind};

use crate::db::DbConnection;
use crate::error::DbError;
use crate::schema::change_events as ce;

type Db = <DbConnection as diesel::Connection>::Backend;
type Predicate = Box<dyn BoxableExpression<ce::table, Db, SqlType = Nullable<Bool>>>;

/// An event to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    /// What happened.
    pub event_type: EventType,
    /// The object's id (`{slug}/{kind}` for a track, the slug for a call).
    pub object_id: String,
    /// The object's version after the change, where it has one (submissions).
    pub object_version: Option<i32>,
    /// The call it belongs to.
    pub call_id: Option<String>,
    /// The track it belongs to.
    pub track_kind: Option<TrackKind>,
    /// The action lines it is on (submissions and repository entries).
    pub action_lines: Vec<ActionLineCode>,
    /// The organisation it belongs to.
    pub organisation_id: Option<String>,
    /// The API client that owns the object (audience `owner`).
    pub client_id: Option<String>,
    /// Who may see it.
    pub audience: Audience,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// An event as read.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRecord {
    /// Its id (the `webhook-id` of its deliveries).
    pub id: String,
    /// Its place in the feed.
    pub seq: i64,
    /// What happened.
    pub event_type: EventType,
    /// What kind of object.
    pub object_kind: ObjectKind,
    /// The object's id.
    pub object_id: String,
    /// The object's version after the change.
    pub object_version: Option<i32>,
    /// The call.
    pub call_id: Option<String>,
    /// The track.
    pub track_kind: Option<TrackKind>,
    /// The action lines.
    pub action_lines: Vec<ActionLineCode>,
    /// The organisation.
    pub organisation_id: Option<String>,
    /// The API client that owns the object.
    pub client_id: Option<String>,
    /// Who may see it.
    pub audience: Audience,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = ce)]
struct Row {
    id: String,
    seq: Option<i64>,
    event_type: String,
    object_kind: String,
    object_id: String,
    object_version: Option<i32>,
    call_id: Option<String>,
    track_kind: Option<String>,
    action_lines: Option<String>,
    organisation_id: Option<String>,
    audience: String,
    occurred_at: NaiveDateTime,
    client_id: Option<String>,
}

impl TryFrom<Row> for ChangeRecord {
    type Error = DbError;

    fn try_from(row: Row) -> Result<Self, DbError> {
        let corrupt = |e: wsis_domain::ParseError| DbError::Corrupt(format!("change event: {e}"));
        Ok(Self {
            seq: row
                .seq
                .ok_or_else(|| DbError::Corrupt("an unsequenced change event was read".into()))?,
            event_type: row.event_type.parse().map_err(corrupt)?,
            object_kind: row.object_kind.parse().map_err(corrupt)?,
            track_kind: row
                .track_kind
                .map(|t| t.parse())
                .transpose()
                .map_err(corrupt)?,
            action_lines: wsis_domain::changes::lines_of_column(row.action_lines.as_deref()),
            audience: row.audience.parse().map_err(corrupt)?,
            id: row.id,
            object_id: row.object_id,
            object_version: row.object_version,
            call_id: row.call_id,
            organisation_id: row.organisation_id,
            client_id: row.client_id,
            occurred_at: row.occurred_at.and_utc(),
        })
    }
}

/// Records an event in the caller's transaction. On SQLite, whose writers run one at a time, it takes the next
/// `seq` now; on PostgreSQL it records the transaction's id and leaves `seq` to [`sequence`].
pub fn record(conn: &mut DbConnection, event: &NewEvent) -> Result<String, DbError> {
    let id = crate::new_id();
    let values = (
        ce::id.eq(&id),
        ce::event_type.eq(event.event_type.code()),
        ce::object_kind.eq(event.event_type.object_kind().code()),
        ce::object_id.eq(&event.object_id),
        ce::object_version.eq(event.object_version),
        ce::call_id.eq(&event.call_id),
        ce::track_kind.eq(event.track_kind.map(TrackKind::code)),
        ce::action_lines.eq(lines_column(&event.action_lines)),
        ce::organisation_id.eq(&event.organisation_id),
        ce::client_id.eq(&event.client_id),
        ce::audience.eq(event.audience.code()),
        ce::occurred_at.eq(event.occurred_at.naive_utc()),
    );
    match conn {
        DbConnection::Postgresql(pg) => {
            diesel::insert_into(ce::table)
                .values((
                    values,
                    ce::tx.eq(sql::<Nullable<BigInt>>(
                        "pg_current_xact_id()::text::bigint",
                    )),
                ))
                .execute(pg)?;
        }
        DbConnection::Sqlite(lite) => {
            diesel::insert_into(ce::table)
                .values((
                    values,
                    ce::seq.eq(sql::<Nullable<BigInt>>(
                        "(SELECT COALESCE(MAX(seq), 0) + 1 FROM change_events)",
                    )),
                ))
                .execute(lite)?;
        }
    }
    Ok(id)
}

/// Numbers the events of committed transactions (PostgreSQL; on SQLite they are numbered at insert), in the order
/// of their transactions and inserts, and returns how many. Numbering happens after commit, by one sequencer at a
/// time across instances (an advisory transaction lock, waited for), and a sequencer sees only
/// committed rows: every event numbered by a later sequencer run gets a higher `seq` than every event numbered
/// before, and becomes visible only when that run commits, so a reader that has seen `seq` N never finds a new event
/// below N. (Numbers taken at insert would not hold that: a transaction that took 10 and committed after one that
/// took 11 would be skipped by a reader already past 11.)
pub fn sequence(conn: &mut DbConnection) -> Result<usize, DbError> {
    let DbConnection::Postgresql(_) = conn else {
        return Ok(0);
    };
    // Most of the time there is nothing to number: one index probe, no transaction, no lock.
    if !unsequenced(conn)? {
        return Ok(0);
    }
    crate::db::transaction(conn, |conn| {
        let DbConnection::Postgresql(pg) = conn else {
            return Ok(0);
        };
        // Waits for a sequencer of another request or instance rather than skipping its turn: its run is short, and
        // once it has committed, this one numbers whatever it left, so a reader numbering before it reads always
        // finds the changes committed before its request (a skipped turn lost them from that read: a test saw it).
        diesel::sql_query(
            "SELECT pg_advisory_xact_lock(hashtextextended('change_events.sequencer', 7261))",
        )
        .execute(pg)?;
        let numbered = diesel::sql_query(
            "UPDATE change_events AS c SET seq = due.n FROM ( \
                 SELECT id, nextval('change_seq') AS n FROM ( \
                     SELECT id FROM change_events WHERE seq IS NULL \
                     ORDER BY tx, id LIMIT 10000 \
                 ) AS committed \
             ) AS due WHERE c.id = due.id",
        )
        .execute(pg)?;
        Ok(numbered)
    })
}

/// Whether events wait to be numbered (PostgreSQL).
pub fn unsequenced(conn: &mut DbConnection) -> Result<bool, DbError> {
    Ok(
        diesel::select(diesel::dsl::exists(ce::table.filter(ce::seq.is_null())))
            .get_result(conn)?,
    )
}

/// The highest `seq` given so far (0 before the first).
pub fn last_seq(conn: &mut DbConnection) -> Result<i64, DbError> {
    Ok(ce::table
        .select(diesel::dsl::max(ce::seq))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0))
}

fn any_line(lines: &[ActionLineCode]) -> Option<Predicate> {
    lines.iter().fold(None, |acc: Option<Predicate>, line| {
        let one = ce::action_lines.like(format!("%,{},%", line.as_str()));
        Some(match acc {
            None => Box::new(one),
            Some(acc) => Box::new(acc.or(one)),
        })
    })
}

/// The events after `after` that `sight` may see and `filters` select (`call_ids`: the filters' calls as ids), in
/// `seq` order, at most `limit`.
pub fn read(
    conn: &mut DbConnection,
    sight: &Sight,
    filters: &Filters,
    call_ids: &[String],
    after: i64,
    limit: i64,
) -> Result<Vec<ChangeRecord>, DbError> {
    let mut query = ce::table
        .select(Row::as_select())
        .filter(ce::seq.gt(after))
        .order(ce::seq.asc())
        .limit(limit)
        .into_boxed();
    // Who may see what: the public events, the readers' when the caller is one (on its lines, if limited), and
    // every event of the caller's organisations.
    let mut audiences = vec![Audience::Public.code()];
    if sight.readers {
        audiences.push(Audience::Readers.code());
    }
    let shared: Predicate = match sight.lines.as_deref().map(any_line) {
        Some(Some(lines)) => Box::new(
            ce::audience
                .eq_any(audiences)
                .nullable()
                .and(ce::action_lines.is_null().nullable().or(lines)),
        ),
        // Limited to no action line at all: only the events that carry none.
        Some(None) => Box::new(
            ce::audience
                .eq_any(audiences)
                .and(ce::action_lines.is_null())
                .nullable(),
        ),
        None => Box::new(ce::audience.eq_any(audiences).nullable()),
    };
    // The events of owned objects: staff's, and the owning client's.
    let shared: Predicate = if sight.staff {
        Box::new(shared.or(ce::audience.eq(Audience::Owner.code())))
    } else if let Some(client) = &sight.client {
        Box::new(
            shared.or(ce::audience
                .eq(Audience::Owner.code())
                .and(ce::client_id.eq(client.clone()))),
        )
    } else {
        shared
    };
    query = if sight.organisations.is_empty() {
        query.filter(shared)
    } else {
        query.filter(
            ce::organisation_id
                .eq_any(sight.organisations.clone())
                .or(shared),
        )
    };
    if !filters.types.is_empty() {
        query = query.filter(ce::event_type.eq_any(filters.types.iter().map(|t| t.code())));
    }
    if !filters.calls.is_empty() {
        query = query.filter(ce::call_id.eq_any(call_ids.to_vec()));
    }
    if !filters.tracks.is_empty() {
        query = query.filter(ce::track_kind.eq_any(filters.tracks.iter().map(|t| t.code())));
    }
    if let Some(lines) = any_line(&filters.action_lines) {
        query = query.filter(lines);
    }
    query
        .load::<Row>(conn)?
        .into_iter()
        .map(ChangeRecord::try_from)
        .collect()
}

/// One event by id, if it is numbered.
pub fn find(conn: &mut DbConnection, id: &str) -> Result<ChangeRecord, DbError> {
    ce::table
        .select(Row::as_select())
        .filter(ce::id.eq(id))
        .filter(ce::seq.is_not_null())
        .first::<Row>(conn)?
        .try_into()
}
