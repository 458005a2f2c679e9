//! The change feed (docs/changes.md): the use cases record an event for each change in their own transaction
//! (`submission`, `call`, `track`), and [`read`] gives a caller the events it may see, in order, from a cursor.

use chrono::{DateTime, Utc};
use wsis_domain::changes::{Audience, Cursor, EventType, Filters, Sight, submission_audience};
use wsis_domain::forms::Tag;
use wsis_domain::{ActionLineCode, Actor, SubmissionStatus, TrackKind, said};
use wsis_persistence::DbConnection;
use wsis_persistence::changes::{self as rows, ChangeRecord, NewEvent};
use wsis_persistence::submissions::{self, SubmissionRecord};
use wsis_persistence::{DbError, calls};

use crate::Refusal;

/// The most events one read returns.
pub const MAX_LIMIT: i64 = 500;

/// The action lines a submission is tagged with.
fn lines_of(conn: &mut DbConnection, id: &str) -> Result<Vec<ActionLineCode>, DbError> {
    Ok(submissions::tags_of(conn, id)?
        .iter()
        .filter_map(|t| t.strip_prefix(Tag::ACTION_LINE))
        .filter_map(|c| c.parse().ok())
        .collect())
}

/// Whether an entry is in the public repository (an accepted stocktaking entry).
fn in_repository(record: &SubmissionRecord) -> bool {
    record.track_kind == TrackKind::Stocktaking && record.status == SubmissionStatus::Accepted
}

/// Records a change of a submission (`before`: as it was, `None` when it is new; `after`: as it is, `None` when it
/// was deleted), and the change of the public repository it makes: an entry entering it, changing in it or leaving.
pub(crate) fn submission(
    conn: &mut DbConnection,
    event_type: EventType,
    before: Option<&SubmissionRecord>,
    after: Option<&SubmissionRecord>,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    submission_on(conn, event_type, before, after, None, at)
}

/// [`submission`], with the entry's action lines when the caller has its parsed form at hand (the submit does:
/// one statement less on the busiest write).
pub(crate) fn submission_on(
    conn: &mut DbConnection,
    event_type: EventType,
    before: Option<&SubmissionRecord>,
    after: Option<&SubmissionRecord>,
    content: Option<&wsis_domain::forms::Content>,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    let Some(record) = after.or(before) else {
        return Ok(());
    };
    let action_lines = match content {
        Some(content) => content
            .index()
            .tags
            .iter()
            .filter_map(|t| t.strip_prefix(Tag::ACTION_LINE))
            .filter_map(|c| c.parse().ok())
            .collect(),
        None => lines_of(conn, &record.id)?,
    };
    let event = |event_type: EventType, audience: Audience| NewEvent {
        event_type,
        object_id: record.id.clone(),
        object_version: after.map(|r| r.version),
        call_id: Some(record.call_id.clone()),
        track_kind: Some(record.track_kind),
        action_lines: action_lines.clone(),
        organisation_id: Some(record.organisation_id.clone()),
        client_id: None,
        audience,
        occurred_at: at,
    };
    let submitted = after.is_some_and(|r| r.status.is_submitted())
        || (after.is_none() && record.status.is_submitted());
    rows::record(conn, &event(event_type, submission_audience(submitted)))?;
    let was = before.is_some_and(in_repository);
    let is = after.is_some_and(in_repository);
    let repository = match (was, is) {
        (false, true) => Some(EventType::RepositoryPublished),
        (true, false) => Some(EventType::RepositoryRemoved),
        (true, true) => Some(EventType::RepositoryChanged),
        (false, false) => None,
    };
    if let Some(repository) = repository {
        rows::record(conn, &event(repository, Audience::Public))?;
    }
    Ok(())
}

/// Records a change of a call (its object id is its slug).
pub(crate) fn call(
    conn: &mut DbConnection,
    event_type: EventType,
    call_id: &str,
    slug: &str,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    public(conn, event_type, slug.to_owned(), call_id, None, at)
}

/// Records a change of a track or of its prizes (its object id is `{slug}/{kind}`).
pub(crate) fn track(
    conn: &mut DbConnection,
    event_type: EventType,
    call_id: &str,
    slug: &str,
    kind: TrackKind,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    let object_id = format!("{slug}/{}", kind.code());
    public(conn, event_type, object_id, call_id, Some(kind), at)
}

/// A public change of a call's own facts (no organisation, no action lines).
fn public(
    conn: &mut DbConnection,
    event_type: EventType,
    object_id: String,
    call_id: &str,
    track_kind: Option<TrackKind>,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    rows::record(
        conn,
        &NewEvent {
            event_type,
            object_id,
            object_version: None,
            call_id: Some(call_id.to_owned()),
            track_kind,
            action_lines: Vec::new(),
            organisation_id: None,
            client_id: None,
            audience: Audience::Public,
            occurred_at: at,
        },
    )?;
    Ok(())
}

/// Records that a webhook endpoint was disabled, for its owner: the client that registered it (`client_id`), and
/// staff.
pub(crate) fn webhook_disabled(
    conn: &mut DbConnection,
    endpoint_id: &str,
    client_id: Option<&str>,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    rows::record(
        conn,
        &NewEvent {
            event_type: EventType::WebhookDisabled,
            object_id: endpoint_id.to_owned(),
            object_version: None,
            call_id: None,
            track_kind: None,
            action_lines: Vec::new(),
            organisation_id: None,
            client_id: client_id.map(str::to_owned),
            audience: Audience::Owner,
            occurred_at: at,
        },
    )?;
    Ok(())
}

/// A page of the feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The events, oldest first.
    pub events: Vec<ChangeRecord>,
    /// The cursor after the last event of the page (or the one given, when the page is empty).
    pub next: Cursor,
    /// Whether more events wait after this page.
    pub has_more: bool,
}

/// Reads the events after `after` that `actor` may see and `filters` select, oldest first: at most `limit` (1 to
/// [`MAX_LIMIT`]). The events of transactions that have ended are numbered first, so a reader sees them at once. A
/// cursor read with other filters is refused (422 naming `after`): it would skip events of the new filters.
pub fn read(
    conn: &mut DbConnection,
    actor: &Actor,
    filters: &Filters,
    after: Option<&str>,
    limit: i64,
) -> Result<Page, Refusal> {
    let digest = filters.digest();
    let start = match after {
        None => 0,
        Some(text) => match text.parse::<Cursor>() {
            Ok(cursor) if cursor.filters == digest => cursor.seq,
            _ => {
                return Err(Refusal::invalid(
                    "after",
                    "invalid_cursor",
                    said!("field-changes-cursor"),
                ));
            }
        },
    };
    rows::sequence(conn)?;
    let call_ids = call_ids(conn, &filters.calls)?;
    let limit = limit.clamp(1, MAX_LIMIT);
    let sight = Sight::of(actor);
    let mut events = rows::read(conn, &sight, filters, &call_ids, start, limit + 1)?;
    let has_more = events.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    events.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let seq = events.last().map_or(start, |e| e.seq);
    Ok(Page {
        events,
        next: Cursor {
            seq,
            filters: digest,
        },
        has_more,
    })
}

/// The ids of calls named by slug (an unknown slug selects nothing).
pub(crate) fn call_ids(conn: &mut DbConnection, slugs: &[String]) -> Result<Vec<String>, DbError> {
    if slugs.is_empty() {
        return Ok(Vec::new());
    }
    Ok(calls::summaries(conn)?
        .into_iter()
        .filter(|c| slugs.contains(&c.slug))
        .map(|c| c.id)
        .collect())
}

/// Numbers the events of ended transactions (the background sequencer's step); returns how many.
pub fn sequence(conn: &mut DbConnection) -> Result<usize, DbError> {
    rows::sequence(conn)
}
