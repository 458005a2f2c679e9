//! Submissions, their revisions, receipts and audit trail.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use wsis_domain::submission::receipt_number;
use wsis_domain::{ParseError, PledgeStatus, PrizeAward, SubmissionStatus, TrackKind};

use crate::db::DbConnection;
use crate::error::DbError;
use crate::new_id;
use crate::schema::{
    calls, receipt_counters, submission_events, submission_revisions, submissions,
};

/// A submission as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct SubmissionRecord {
    /// Id.
    pub id: String,
    /// The call.
    pub call_id: String,
    /// The track.
    pub track_id: String,
    /// The track's kind.
    pub track_kind: TrackKind,
    /// The submitting organisation.
    pub organisation_id: String,
    /// Language of the content.
    pub language: String,
    /// Lifecycle status.
    pub status: SubmissionStatus,
    /// The form, as accepted.
    pub content: serde_json::Value,
    /// Incremented on every change (the entity tag).
    pub version: i32,
    /// Receipt number once submitted.
    pub receipt_number: Option<String>,
    /// Server receive time of the submission (or of the last edit before the deadline).
    pub received_at: Option<DateTime<Utc>>,
    /// SHA-256 (hex) of the canonical JSON of `content` at `received_at`.
    pub content_sha256: Option<String>,
    /// Trust fund pledges, once submitted.
    pub pledge_status: Option<PledgeStatus>,
    /// WSIS Prizes: the award, once staff chose it.
    pub prize_award: Option<PrizeAward>,
    /// The receipt's check code, which the public receipt check requires with the number.
    pub receipt_check: Option<String>,
    /// Who created it.
    pub created_by: String,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// A submissions row as selected: what a [`SubmissionRecord`] is parsed from.
#[derive(Queryable, Selectable)]
#[diesel(table_name = submissions)]
pub(crate) struct Row {
    id: String,
    call_id: String,
    track_id: String,
    track_kind: String,
    organisation_id: String,
    language: String,
    status: String,
    content: String,
    version: i32,
    receipt_number: Option<String>,
    received_at: Option<NaiveDateTime>,
    content_sha256: Option<String>,
    pledge_status: Option<String>,
    created_by: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    prize_award: Option<String>,
    receipt_check: Option<String>,
}

impl Row {
    /// The row's id.
    pub(crate) fn id(&self) -> &str {
        &self.id
    }
}

fn corrupt(e: impl std::fmt::Display) -> DbError {
    DbError::Corrupt(e.to_string())
}

/// Parses a stored code, or says the row is corrupt.
fn code<T: std::str::FromStr<Err = ParseError>>(value: &str) -> Result<T, DbError> {
    value.parse().map_err(|e: ParseError| corrupt(e))
}

fn from_row(row: Row) -> Result<SubmissionRecord, DbError> {
    Ok(SubmissionRecord {
        track_kind: code(&row.track_kind)?,
        status: code(&row.status)?,
        content: serde_json::from_str(&row.content).map_err(corrupt)?,
        pledge_status: row.pledge_status.as_deref().map(code).transpose()?,
        prize_award: row.prize_award.as_deref().map(code).transpose()?,
        id: row.id,
        call_id: row.call_id,
        track_id: row.track_id,
        organisation_id: row.organisation_id,
        language: row.language,
        version: row.version,
        receipt_number: row.receipt_number,
        received_at: row.received_at.map(|t| t.and_utc()),
        content_sha256: row.content_sha256,
        receipt_check: row.receipt_check,
        created_by: row.created_by,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

/// What creating a draft stores.
#[derive(Debug, Clone)]
pub struct NewSubmission<'a> {
    /// Call.
    pub call_id: &'a str,
    /// Track.
    pub track_id: &'a str,
    /// Track kind.
    pub track_kind: TrackKind,
    /// Organisation.
    pub organisation_id: &'a str,
    /// Language code.
    pub language: &'a str,
    /// Validated content.
    pub content: &'a serde_json::Value,
    /// Author.
    pub created_by: &'a str,
    /// What filters and search see of the content.
    pub index: &'a SearchIndex,
}

/// What filters and search see of a submission's content: made from the parsed form by the domain
/// ([`wsis_domain::forms::Content::index`]), stored here.
pub use wsis_domain::forms::Indexed as SearchIndex;

fn write_index(conn: &mut DbConnection, id: &str, index: &SearchIndex) -> Result<(), DbError> {
    write_tags(conn, id, &index.tags)?;
    diesel::update(submissions::table.filter(submissions::id.eq(id)))
        .set((
            submissions::search_text.eq(&index.text),
            submissions::sort_title.eq(&index.sort_title),
        ))
        .execute(conn)?;
    Ok(())
}

fn write_tags(conn: &mut DbConnection, id: &str, tags: &[String]) -> Result<(), DbError> {
    use crate::schema::submission_tags;
    diesel::delete(submission_tags::table.filter(submission_tags::submission_id.eq(id)))
        .execute(conn)?;
    let mut tags = tags.to_vec();
    tags.sort();
    tags.dedup();
    for tag in &tags {
        diesel::insert_into(submission_tags::table)
            .values((
                submission_tags::submission_id.eq(id),
                submission_tags::tag.eq(tag),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Records an action in the audit trail.
pub fn record_event(
    conn: &mut DbConnection,
    submission_id: &str,
    actor_id: Option<&str>,
    action: &str,
    detail: &serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::insert_into(submission_events::table)
        .values((
            submission_events::id.eq(new_id()),
            submission_events::submission_id.eq(submission_id),
            submission_events::actor_id.eq(actor_id),
            submission_events::action.eq(action),
            submission_events::detail.eq(detail.to_string()),
            submission_events::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

fn add_revision(
    conn: &mut DbConnection,
    submission_id: &str,
    number: i32,
    author: &str,
    content: &serde_json::Value,
    changed: &[String],
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::insert_into(submission_revisions::table)
        .values((
            submission_revisions::id.eq(new_id()),
            submission_revisions::submission_id.eq(submission_id),
            submission_revisions::number.eq(number),
            submission_revisions::author_id.eq(author),
            submission_revisions::content.eq(content.to_string()),
            submission_revisions::changed_fields
                .eq(serde_json::to_string(changed).map_err(corrupt)?),
            submission_revisions::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Creates a draft with its first revision.
pub fn create(
    conn: &mut DbConnection,
    new: &NewSubmission<'_>,
    now: DateTime<Utc>,
) -> Result<SubmissionRecord, DbError> {
    crate::db::transaction(conn, |conn| {
        let id = new_id();
        diesel::insert_into(submissions::table)
            .values((
                submissions::id.eq(&id),
                submissions::call_id.eq(new.call_id),
                submissions::track_id.eq(new.track_id),
                submissions::track_kind.eq(new.track_kind.code()),
                submissions::organisation_id.eq(new.organisation_id),
                submissions::language.eq(new.language),
                submissions::status.eq(SubmissionStatus::Draft.code()),
                submissions::content.eq(new.content.to_string()),
                submissions::search_text.eq(&new.index.text),
                submissions::sort_title.eq(&new.index.sort_title),
                submissions::created_by.eq(new.created_by),
                submissions::created_at.eq(now.naive_utc()),
                submissions::updated_at.eq(now.naive_utc()),
            ))
            .execute(conn)?;
        // The text went in with the row (indexed once, by the insert trigger); the tags follow.
        write_tags(conn, &id, &new.index.tags)?;
        add_revision(
            conn,
            &id,
            1,
            new.created_by,
            new.content,
            &["content".to_owned()],
            now,
        )?;
        record_event(
            conn,
            &id,
            Some(new.created_by),
            "created",
            &serde_json::json!({"status": "draft"}),
            now,
        )?;
        find(conn, &id)
    })
}

/// One submission.
pub fn find(conn: &mut DbConnection, id: &str) -> Result<SubmissionRecord, DbError> {
    from_row(
        submissions::table
            .filter(submissions::id.eq(id))
            .select(Row::as_select())
            .first(conn)?,
    )
}

/// One submission, its row locked until the transaction ends (PostgreSQL; SQLite's writers run one at a time
/// anyway): a second submit of the same draft (a double click) waits for the first and then sees it submitted.
pub fn find_for_update(conn: &mut DbConnection, id: &str) -> Result<SubmissionRecord, DbError> {
    if let DbConnection::Postgresql(pg) = conn {
        return from_row(
            submissions::table
                .filter(submissions::id.eq(id))
                .select(Row::as_select())
                .for_update()
                .first(pg)?,
        );
    }
    find(conn, id)
}

/// The submissions of some organisations, newest first.
pub fn list_for_organisations(
    conn: &mut DbConnection,
    organisations: &[String],
) -> Result<Vec<SubmissionRecord>, DbError> {
    let rows: Vec<Row> = submissions::table
        .filter(submissions::organisation_id.eq_any(organisations))
        .select(Row::as_select())
        .order((submissions::created_at.desc(), submissions::id.desc()))
        .load(conn)?;
    rows.into_iter().map(from_row).collect()
}

/// Every submitted (non-draft) submission, plus the drafts of `organisations`, newest first.
pub fn list_all_submitted_and(
    conn: &mut DbConnection,
    organisations: &[String],
) -> Result<Vec<SubmissionRecord>, DbError> {
    let rows: Vec<Row> = submissions::table
        .filter(
            submissions::status
                .ne(SubmissionStatus::Draft.code())
                .or(submissions::organisation_id.eq_any(organisations)),
        )
        .select(Row::as_select())
        .order((submissions::created_at.desc(), submissions::id.desc()))
        .load(conn)?;
    rows.into_iter().map(from_row).collect()
}

/// A content change, if `expected_version` is still current: a new revision, and, for a submitted entry, a new
/// receive time and digest. `Ok(None)` when someone changed it first.
#[expect(
    clippy::too_many_arguments,
    reason = "each is a distinct fact of the change"
)]
pub fn update_content(
    conn: &mut DbConnection,
    id: &str,
    expected_version: i32,
    content: &serde_json::Value,
    index: &SearchIndex,
    changed: &[String],
    author: &str,
    digest: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<SubmissionRecord>, DbError> {
    crate::db::transaction(conn, |conn| {
        let mut changed_rows = diesel::update(
            submissions::table
                .filter(submissions::id.eq(id))
                .filter(submissions::version.eq(expected_version)),
        )
        .set((
            submissions::content.eq(content.to_string()),
            submissions::version.eq(submissions::version + 1),
            submissions::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
        if changed_rows == 1
            && let Some(digest) = digest
        {
            changed_rows = diesel::update(submissions::table.filter(submissions::id.eq(id)))
                .set((
                    submissions::content_sha256.eq(digest),
                    submissions::received_at.eq(now.naive_utc()),
                ))
                .execute(conn)?;
        }
        if changed_rows == 0 {
            return Ok(None);
        }
        write_index(conn, id, index)?;
        add_revision(
            conn,
            id,
            expected_version + 1,
            author,
            content,
            changed,
            now,
        )?;
        record_event(
            conn,
            id,
            Some(author),
            "updated",
            &serde_json::json!({"changed": changed}),
            now,
        )?;
        find(conn, id).map(Some)
    })
}

/// Deletes a draft; `false` when it is not (or no longer) a draft.
pub fn delete_draft(conn: &mut DbConnection, id: &str) -> Result<bool, DbError> {
    let deleted = diesel::delete(
        submissions::table
            .filter(submissions::id.eq(id))
            .filter(submissions::status.eq(SubmissionStatus::Draft.code())),
    )
    .execute(conn)?;
    Ok(deleted == 1)
}

mod lifecycle;
mod listing;
mod records;

pub use lifecycle::*;
pub use listing::*;
pub use records::*;
