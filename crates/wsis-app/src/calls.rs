//! Calls for contributions and their tracks, as staff manage them: a new call is data, not code; a track's window
//! changes for everyone at once.

use chrono::{DateTime, Utc};
use wsis_domain::changes::EventType;
use wsis_domain::forms::Violation;
use wsis_domain::said;
use wsis_domain::{Actor, CallDefinition, ScheduleError, TimeRule, TrackKind, TrackSchedule};
use wsis_persistence::DbConnection;
use wsis_persistence::DbError;
use wsis_persistence::calls::{self, CallRecord, TrackRecord};

use crate::{Refusal, require_staff};

fn cut(text: &str) -> String {
    text.chars().take(64).collect()
}

/// A call's track: a call or track that does not exist is not found.
pub(crate) fn track_of(
    conn: &mut DbConnection,
    slug: &str,
    track: &str,
) -> Result<(CallRecord, TrackRecord), Refusal> {
    let kind: TrackKind = track
        .parse()
        .map_err(|_| Refusal::NotFound(said!("not-found-track", track = cut(track))))?;
    let call = calls::find_call(conn, slug).map_err(|e| match e {
        DbError::NotFound => Refusal::NotFound(said!("not-found-call", slug = cut(slug))),
        other => other.into(),
    })?;
    let found = track_in(&call, kind)?;
    Ok((call, found))
}

/// The call's track of `kind`, or the 404 that names both.
pub(crate) fn track_in(call: &CallRecord, kind: TrackKind) -> Result<TrackRecord, Refusal> {
    call.tracks
        .iter()
        .find(|t| t.kind == kind)
        .cloned()
        .ok_or_else(|| {
            Refusal::NotFound(said!(
                "not-found-track-of-call",
                slug = &call.slug,
                kind = kind.code()
            ))
        })
}

/// Creates a call with its tracks (staff). The definition is valid by construction (it was parsed); a slug in use
/// is a conflict naming the field.
pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    definition: &CallDefinition,
    at: DateTime<Utc>,
) -> Result<CallRecord, Refusal> {
    require_staff(actor, said!("action-create-calls"))?;
    crate::run(conn, |conn| {
        match calls::create_call(conn, definition, at) {
            Ok(created) => {
                tracing::info!(call.slug = %created.slug, "call created");
                crate::changes::call(conn, EventType::CallCreated, &created.id, &created.slug, at)?;
                Ok(created)
            }
            Err(DbError::UniqueViolation { .. }) => Err(Refusal::Conflict {
                message: said!("conflict-call-exists", slug = &definition.slug),
                violations: vec![Violation::new("slug", "taken", said!("field-slug-taken"))],
            }),
            Err(other) => Err(other.into()),
        }
    })
}

/// A change to a track's window: only what is given changes.
#[derive(Debug, Clone, Default)]
pub struct WindowChange {
    /// When it opens.
    pub opens: Option<TimeRule>,
    /// When it closes.
    pub closes: Option<TimeRule>,
    /// Seconds after the close still accepted from everyone.
    pub grace_seconds: Option<u32>,
    /// The IANA zone its rules are read in, as given.
    pub timezone: Option<String>,
}

/// Changes a track's window (staff), checked like a new call's; it takes effect at once for every caller.
pub fn change_window(
    conn: &mut DbConnection,
    actor: &Actor,
    call: &str,
    track: &str,
    change: WindowChange,
    at: DateTime<Utc>,
) -> Result<(CallRecord, TrackRecord), Refusal> {
    let staff = require_staff(actor, said!("action-change-window"))?;
    crate::run(conn, |conn| {
        let (call, record) = track_of(conn, call, track)?;
        let timezone = match change.timezone.as_deref() {
            None => record.schedule.timezone(),
            Some(name) => name.parse().map_err(|_| {
                Refusal::invalid(
                    "timezone",
                    "unknown_time_zone",
                    said!("field-unknown-time-zone", given = cut(name)),
                )
            })?,
        };
        let schedule = TrackSchedule::new(
            timezone,
            change.opens.unwrap_or(record.schedule.opens()),
            change.closes.unwrap_or(record.schedule.closes()),
            change
                .grace_seconds
                .unwrap_or(record.schedule.grace_seconds()),
        )
        .map_err(|e| {
            let field = match e {
                ScheduleError::Opens(_) => "opens",
                ScheduleError::GraceTooLong(_) => "grace_seconds",
                _ => "closes",
            };
            Refusal::invalid(field, "invalid_window", e.said())
        })?;
        calls::update_track(conn, &record.id, &schedule, at)?;
        tracing::info!(track.id = %record.id, staff = %staff, closes_at = %schedule.closes_at(), "track window changed");
        crate::changes::track(
            conn,
            EventType::TrackChanged,
            &call.id,
            &call.slug,
            record.kind,
            at,
        )?;
        let updated = TrackRecord {
            schedule,
            updated_at: at,
            ..record
        };
        Ok((call, updated))
    })
}
