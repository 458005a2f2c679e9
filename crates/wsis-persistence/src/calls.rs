//! Calls, their events and tracks.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use wsis_domain::prizes::{Phase, PrizePhase, PrizeRules};
use wsis_domain::{CallDefinition, Labels, TimeRule, TrackKind, TrackSchedule};

use crate::db::DbConnection;
use crate::error::DbError;
use crate::new_id;
use crate::reference::{parse_labels, to_json};
use crate::schema::{calls, events, prize_phases, track_kinds, tracks};

/// A call as stored, with its event and tracks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRecord {
    /// Opaque id (UUIDv7).
    pub id: String,
    /// URL identifier.
    pub slug: String,
    /// The year the call is for.
    pub year: i32,
    /// The call's default zone.
    pub timezone: Tz,
    /// Title.
    pub title: Labels,
    /// Date of the letter.
    pub letter_date: Option<NaiveDate>,
    /// The event it prepares.
    pub event: Option<EventRecord>,
    /// Tracks in the canonical order (ocp, stocktaking, prizes, trust_fund).
    pub tracks: Vec<TrackRecord>,
    /// The session formats an OCP session proposal may take.
    pub session_formats: Vec<String>,
    /// The fewest words of each narrative answer of a prizes nomination (0: no minimum).
    pub prize_narrative_min_words: u32,
    /// The prizes' review form and switches.
    pub prizes: PrizeRules,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// The event of a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRecord {
    /// Name.
    pub name: Labels,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// City.
    pub city: String,
    /// Country code.
    pub country: String,
    /// Venue zone.
    pub timezone: Tz,
    /// Co-organisers.
    pub co_organisers: Vec<String>,
}

/// A track as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackRecord {
    /// Opaque id (UUIDv7).
    pub id: String,
    /// The kind, which is also its identifier within the call.
    pub kind: TrackKind,
    /// The kind's names.
    pub labels: Labels,
    /// The window.
    pub schedule: TrackSchedule,
    /// A prizes track's phases, in their order (docs/prizes.md).
    pub phases: Vec<Phase>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// A calls row as selected.
#[derive(Clone, Queryable, Selectable)]
#[diesel(table_name = calls)]
struct CallRow {
    id: String,
    slug: String,
    year: i32,
    timezone: String,
    title: String,
    letter_date: Option<NaiveDate>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    session_formats: String,
    prize_narrative_min_words: i32,
    prize_rules: String,
}

/// An events row as selected.
#[derive(Clone, Queryable, Selectable)]
#[diesel(table_name = events)]
struct EventRow {
    call_id: String,
    name: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    city: String,
    country_code: String,
    timezone: String,
    co_organisers: String,
}

/// A tracks row as selected, with its kind's labels.
#[derive(Queryable, Selectable)]
#[diesel(table_name = tracks)]
struct TrackRow {
    id: String,
    call_id: String,
    kind: String,
    timezone: String,
    opens_rule: String,
    closes_rule: String,
    grace_seconds: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    #[diesel(select_expression = track_kinds::labels, select_expression_type = track_kinds::labels)]
    labels: String,
}

fn parse_tz(name: &str) -> Result<Tz, DbError> {
    name.parse()
        .map_err(|_| DbError::Corrupt(format!("unknown time zone {name}")))
}

fn parse_json<T: serde::de::DeserializeOwned>(what: &str, json: &str) -> Result<T, DbError> {
    serde_json::from_str(json).map_err(|e| DbError::Corrupt(format!("{what}: {e}")))
}

fn event_from_row(row: EventRow) -> Result<EventRecord, DbError> {
    Ok(EventRecord {
        name: parse_labels(&row.name)?,
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        city: row.city,
        country: row.country_code,
        timezone: parse_tz(&row.timezone)?,
        co_organisers: parse_json("co_organisers", &row.co_organisers)?,
    })
}

fn track_from_row(row: TrackRow) -> Result<(String, TrackRecord), DbError> {
    let TrackRow {
        id,
        call_id,
        kind,
        timezone,
        opens_rule: opens,
        closes_rule: closes,
        grace_seconds: grace,
        created_at,
        updated_at,
        labels,
    } = row;
    let kind: TrackKind = kind
        .parse()
        .map_err(|e: wsis_domain::ParseError| DbError::Corrupt(e.to_string()))?;
    let opens: TimeRule = parse_json("opens_rule", &opens)?;
    let closes: TimeRule = parse_json("closes_rule", &closes)?;
    let grace =
        u32::try_from(grace).map_err(|_| DbError::Corrupt(format!("grace_seconds {grace}")))?;
    let schedule = TrackSchedule::new(parse_tz(&timezone)?, opens, closes, grace)
        .map_err(|e| DbError::Corrupt(format!("track {id}: {e}")))?;
    let record = TrackRecord {
        id,
        kind,
        labels: parse_labels(&labels)?,
        schedule,
        phases: Vec::new(),
        created_at: created_at.and_utc(),
        updated_at: updated_at.and_utc(),
    };
    Ok((call_id, record))
}

/// Loads the given calls' events and tracks in two queries and assembles the records.
fn assemble(conn: &mut DbConnection, rows: Vec<CallRow>) -> Result<Vec<CallRecord>, DbError> {
    let ids: Vec<&String> = rows.iter().map(|r| &r.id).collect();
    let event_rows: Vec<EventRow> = events::table
        .filter(events::call_id.eq_any(&ids))
        .select(EventRow::as_select())
        .order(events::starts_on)
        .load(conn)?;
    let mut events_by_call: HashMap<String, EventRow> = HashMap::new();
    for row in event_rows {
        events_by_call.entry(row.call_id.clone()).or_insert(row);
    }
    let mut tracks_by_call = tracks_of(conn, &ids)?;
    rows.into_iter()
        .map(|row| {
            let event = events_by_call.remove(&row.id);
            let tracks = tracks_by_call.remove(&row.id).unwrap_or_default();
            build(row, event, tracks)
        })
        .collect()
}

/// The tracks of these calls with their phases (one query), in the order of their kinds.
fn tracks_of(
    conn: &mut DbConnection,
    calls: &[&String],
) -> Result<HashMap<String, Vec<TrackRecord>>, DbError> {
    let rows: Vec<(TrackRow, Option<PhaseRow>)> = tracks::table
        .inner_join(track_kinds::table)
        .left_join(prize_phases::table)
        .filter(tracks::call_id.eq_any(calls))
        .select((TrackRow::as_select(), Option::<PhaseRow>::as_select()))
        .order((track_kinds::position, tracks::id))
        .load(conn)?;
    fold_tracks(rows.into_iter())
}

/// Tracks with their phases, from rows of a track and one of its phases each (a track's rows together), by call.
fn fold_tracks(
    rows: impl Iterator<Item = (TrackRow, Option<PhaseRow>)>,
) -> Result<HashMap<String, Vec<TrackRecord>>, DbError> {
    let mut tracks_by_call: HashMap<String, Vec<TrackRecord>> = HashMap::new();
    for (row, phase) in rows {
        let (call_id, phase) = (row.call_id.clone(), phase.map(phase_from_row).transpose()?);
        let tracks = tracks_by_call.entry(call_id).or_default();
        if tracks.last().is_none_or(|t| t.id != row.id) {
            tracks.push(track_from_row(row)?.1);
        }
        if let (Some(track), Some(phase)) = (tracks.last_mut(), phase) {
            track.phases.push(phase);
        }
    }
    for track in tracks_by_call.values_mut().flatten() {
        track.phases.sort_by_key(|p| p.phase);
    }
    Ok(tracks_by_call)
}

/// A prize_phases row as selected.
#[derive(Queryable, Selectable)]
#[diesel(table_name = prize_phases)]
struct PhaseRow {
    track_id: String,
    phase: String,
    timezone: String,
    opens_rule: String,
    closes_rule: String,
}

fn phase_from_row(row: PhaseRow) -> Result<Phase, DbError> {
    let phase: PrizePhase = row
        .phase
        .parse()
        .map_err(|e: wsis_domain::ParseError| DbError::Corrupt(e.to_string()))?;
    let opens: TimeRule = parse_json("opens_rule", &row.opens_rule)?;
    let closes: TimeRule = parse_json("closes_rule", &row.closes_rule)?;
    let schedule = TrackSchedule::new(parse_tz(&row.timezone)?, opens, closes, 0)
        .map_err(|e| DbError::Corrupt(format!("phase {phase} of {}: {e}", row.track_id)))?;
    Ok(Phase { phase, schedule })
}

/// Sets a prizes track's phase (replacing its window if it has one).
pub fn set_phase(
    conn: &mut DbConnection,
    track_id: &str,
    phase: &Phase,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::delete(
        prize_phases::table
            .filter(prize_phases::track_id.eq(track_id))
            .filter(prize_phases::phase.eq(phase.phase.code())),
    )
    .execute(conn)?;
    insert_phase(conn, track_id, phase, now.naive_utc())
}

fn insert_phase(
    conn: &mut DbConnection,
    track_id: &str,
    phase: &Phase,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    let schedule = &phase.schedule;
    diesel::insert_into(prize_phases::table)
        .values((
            prize_phases::track_id.eq(track_id),
            prize_phases::phase.eq(phase.phase.code()),
            prize_phases::timezone.eq(schedule.timezone().name()),
            prize_phases::opens_rule.eq(to_json(&schedule.opens())?),
            prize_phases::closes_rule.eq(to_json(&schedule.closes())?),
            prize_phases::opens_at.eq(schedule.opens_at().naive_utc()),
            prize_phases::closes_at.eq(schedule.closes_at().naive_utc()),
            prize_phases::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

fn build(
    row: CallRow,
    event: Option<EventRow>,
    tracks: Vec<TrackRecord>,
) -> Result<CallRecord, DbError> {
    Ok(CallRecord {
        event: event.map(event_from_row).transpose()?,
        tracks,
        timezone: parse_tz(&row.timezone)?,
        title: parse_labels(&row.title)?,
        session_formats: serde_json::from_str(&row.session_formats)
            .map_err(|e| DbError::Corrupt(format!("session formats: {e}")))?,
        prize_narrative_min_words: u32::try_from(row.prize_narrative_min_words)
            .map_err(|_| DbError::Corrupt("prize_narrative_min_words < 0".into()))?,
        prizes: serde_json::from_str(&row.prize_rules)
            .map_err(|e| DbError::Corrupt(format!("prize rules: {e}")))?,
        id: row.id,
        slug: row.slug,
        year: row.year,
        letter_date: row.letter_date,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

/// Replaces a call's prizes rules.
pub fn set_prize_rules(
    conn: &mut DbConnection,
    call_id: &str,
    rules: &PrizeRules,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::update(calls::table.filter(calls::id.eq(call_id)))
        .set((
            calls::prize_rules.eq(to_json(rules)?),
            calls::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Every call, newest year first.
pub fn list_calls(conn: &mut DbConnection) -> Result<Vec<CallRecord>, DbError> {
    let rows: Vec<CallRow> = calls::table
        .select(CallRow::as_select())
        .order((calls::year.desc(), calls::slug))
        .load(conn)?;
    assemble(conn, rows)
}

/// One call by slug; [`DbError::NotFound`] when there is none.
pub fn find_call(conn: &mut DbConnection, slug: &str) -> Result<CallRecord, DbError> {
    let rows: CallRows = calls::table
        .left_join(events::table)
        .inner_join(
            tracks::table
                .inner_join(track_kinds::table)
                .left_join(prize_phases::table),
        )
        .filter(calls::slug.eq(slug))
        .select((
            CallRow::as_select(),
            Option::<EventRow>::as_select(),
            TrackRow::as_select(),
            Option::<PhaseRow>::as_select(),
        ))
        .order((track_kinds::position, tracks::id))
        .load(conn)?;
    one_call(rows)
}

/// One call by id.
pub fn find_call_by_id(conn: &mut DbConnection, id: &str) -> Result<CallRecord, DbError> {
    let rows: CallRows = calls::table
        .left_join(events::table)
        .inner_join(
            tracks::table
                .inner_join(track_kinds::table)
                .left_join(prize_phases::table),
        )
        .filter(calls::id.eq(id))
        .select((
            CallRow::as_select(),
            Option::<EventRow>::as_select(),
            TrackRow::as_select(),
            Option::<PhaseRow>::as_select(),
        ))
        .order((track_kinds::position, tracks::id))
        .load(conn)?;
    one_call(rows)
}

/// A call with its event, tracks and phases as one query selects them: a row per track and phase (a call has at
/// least one track, and at most one event).
type CallRows = Vec<(CallRow, Option<EventRow>, TrackRow, Option<PhaseRow>)>;

fn one_call(rows: CallRows) -> Result<CallRecord, DbError> {
    let mut rows = rows.into_iter().peekable();
    let Some((call, event, _, _)) = rows.peek() else {
        return Err(DbError::NotFound);
    };
    let (call, event) = (call.clone(), event.clone());
    let tracks = fold_tracks(rows.map(|(_, _, track, phase)| (track, phase)))?
        .remove(&call.id)
        .unwrap_or_default();
    build(call, event, tracks)
}

/// What a vote needs of its call, in one query: the call's id and its prizes track's voting phase (`None`: the
/// track has none). `NotFound` when there is no such call or it has no prizes track.
pub fn voting_phase(
    conn: &mut DbConnection,
    slug: &str,
) -> Result<(String, Option<Phase>), DbError> {
    let (id, phase): (String, Option<PhaseRow>) = calls::table
        .inner_join(tracks::table)
        .left_join(
            prize_phases::table.on(prize_phases::track_id
                .eq(tracks::id)
                .and(prize_phases::phase.eq(PrizePhase::Voting.code()))),
        )
        .filter(calls::slug.eq(slug))
        .filter(tracks::kind.eq(TrackKind::Prizes.code()))
        .select((calls::id, Option::<PhaseRow>::as_select()))
        .first(conn)?;
    Ok((id, phase.map(phase_from_row).transpose()?))
}

/// Whether a call with this slug exists.
pub fn call_exists(conn: &mut DbConnection, slug: &str) -> Result<bool, DbError> {
    Ok(diesel::select(diesel::dsl::exists(
        calls::table.filter(calls::slug.eq(slug)),
    ))
    .get_result(conn)?)
}

/// Stores a call with its event and tracks, in one transaction. The definition must be valid
/// ([`CallDefinition::validate`]); a taken slug fails with a unique violation of `calls_slug_key`.
pub fn create_call(
    conn: &mut DbConnection,
    def: &CallDefinition,
    now: DateTime<Utc>,
) -> Result<CallRecord, DbError> {
    let mut schedules = Vec::with_capacity(def.tracks.len());
    for track in &def.tracks {
        schedules.push(
            track
                .schedule(def.timezone)
                .map_err(|e| DbError::Corrupt(format!("{}: {e}", track.kind)))?,
        );
    }
    let now = now.naive_utc();
    crate::db::transaction(conn, |conn| {
        let call_id = new_id();
        diesel::insert_into(calls::table)
            .values((
                calls::id.eq(&call_id),
                calls::slug.eq(&def.slug),
                calls::year.eq(def.year),
                calls::timezone.eq(def.timezone.name()),
                calls::title.eq(to_json(&def.title)?),
                calls::letter_date.eq(def.letter_date),
                calls::session_formats.eq(to_json(&def.session_formats)?),
                calls::prize_narrative_min_words
                    .eq(i32::try_from(def.prize_narrative_min_words).unwrap_or(i32::MAX)),
                calls::prize_rules.eq(to_json(&def.prizes)?),
                calls::created_at.eq(now),
                calls::updated_at.eq(now),
            ))
            .execute(conn)?;
        if let Some(event) = &def.event {
            diesel::insert_into(events::table)
                .values((
                    events::id.eq(new_id()),
                    events::call_id.eq(&call_id),
                    events::name.eq(to_json(&event.name)?),
                    events::starts_on.eq(event.starts_on),
                    events::ends_on.eq(event.ends_on),
                    events::city.eq(&event.city),
                    events::country_code.eq(event.country.as_str()),
                    events::timezone.eq(event.timezone.name()),
                    events::co_organisers.eq(to_json(&event.co_organisers)?),
                ))
                .execute(conn)?;
        }
        for (track, schedule) in def.tracks.iter().zip(&schedules) {
            let track_id = new_id();
            diesel::insert_into(tracks::table)
                .values((
                    tracks::id.eq(&track_id),
                    tracks::call_id.eq(&call_id),
                    tracks::kind.eq(track.kind.code()),
                    tracks::timezone.eq(schedule.timezone().name()),
                    tracks::opens_rule.eq(to_json(&schedule.opens())?),
                    tracks::closes_rule.eq(to_json(&schedule.closes())?),
                    tracks::opens_at.eq(schedule.opens_at().naive_utc()),
                    tracks::closes_at.eq(schedule.closes_at().naive_utc()),
                    tracks::grace_seconds
                        .eq(i32::try_from(schedule.grace_seconds()).unwrap_or(i32::MAX)),
                    tracks::created_at.eq(now),
                    tracks::updated_at.eq(now),
                ))
                .execute(conn)?;
            for phase in &track.phases {
                let resolved = Phase {
                    phase: phase.phase,
                    schedule: phase
                        .schedule(schedule.timezone())
                        .map_err(|e| DbError::Corrupt(format!("{}: {e}", phase.phase)))?,
                };
                insert_phase(conn, &track_id, &resolved, now)?;
            }
        }
        let row: CallRow = calls::table
            .filter(calls::id.eq(&call_id))
            .select(CallRow::as_select())
            .first(conn)?;
        assemble(conn, vec![row])?.pop().ok_or(DbError::NotFound)
    })
}

/// Replaces a track's window (rules resolved by the caller into `schedule`).
pub fn update_track(
    conn: &mut DbConnection,
    track_id: &str,
    schedule: &TrackSchedule,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let changed = diesel::update(tracks::table.filter(tracks::id.eq(track_id)))
        .set((
            tracks::timezone.eq(schedule.timezone().name()),
            tracks::opens_rule.eq(to_json(&schedule.opens())?),
            tracks::closes_rule.eq(to_json(&schedule.closes())?),
            tracks::opens_at.eq(schedule.opens_at().naive_utc()),
            tracks::closes_at.eq(schedule.closes_at().naive_utc()),
            tracks::grace_seconds.eq(i32::try_from(schedule.grace_seconds()).unwrap_or(i32::MAX)),
            tracks::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    if changed == 0 {
        Err(DbError::NotFound)
    } else {
        Ok(())
    }
}

/// A call's identity without its event and tracks: what listings need to name it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = calls)]
pub struct CallSummary {
    /// Id.
    pub id: String,
    /// Slug.
    pub slug: String,
    /// Year.
    pub year: i32,
}

/// Every call's identity, in one query.
pub fn summaries(conn: &mut DbConnection) -> Result<Vec<CallSummary>, DbError> {
    Ok(calls::table
        .select(CallSummary::as_select())
        .order(calls::year.desc())
        .load(conn)?)
}
