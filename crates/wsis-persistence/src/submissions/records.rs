//! What a submission keeps: revisions, its audit trail, and the facts behind a receipt number.

use super::*;

/// A revision.
#[derive(Debug, Clone, PartialEq)]
pub struct RevisionRecord {
    /// 1, 2, …
    pub number: i32,
    /// Author.
    pub author_id: String,
    /// The content after this revision.
    pub content: serde_json::Value,
    /// Top-level fields that changed.
    pub changed_fields: Vec<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A submission_revisions row as selected.
#[derive(Queryable, Selectable)]
#[diesel(table_name = submission_revisions)]
struct RevisionRow {
    number: i32,
    author_id: String,
    content: String,
    changed_fields: String,
    created_at: NaiveDateTime,
}

/// Every revision, oldest first.
pub fn revisions(conn: &mut DbConnection, id: &str) -> Result<Vec<RevisionRecord>, DbError> {
    let rows: Vec<RevisionRow> = submission_revisions::table
        .filter(submission_revisions::submission_id.eq(id))
        .select(RevisionRow::as_select())
        .order(submission_revisions::number)
        .load(conn)?;
    rows.into_iter()
        .map(|row| {
            Ok(RevisionRecord {
                number: row.number,
                author_id: row.author_id,
                content: serde_json::from_str(&row.content).map_err(corrupt)?,
                changed_fields: serde_json::from_str(&row.changed_fields).map_err(corrupt)?,
                created_at: row.created_at.and_utc(),
            })
        })
        .collect()
}

/// An audit event.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRecord {
    /// Who (a user id), if anyone.
    pub actor_id: Option<String>,
    /// What.
    pub action: String,
    /// Details.
    pub detail: serde_json::Value,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A submission_events row as selected.
#[derive(Queryable, Selectable)]
#[diesel(table_name = submission_events)]
struct EventRow {
    actor_id: Option<String>,
    action: String,
    detail: String,
    created_at: NaiveDateTime,
}

/// The audit trail, oldest first.
pub fn events(conn: &mut DbConnection, id: &str) -> Result<Vec<EventRecord>, DbError> {
    let rows: Vec<EventRow> = submission_events::table
        .filter(submission_events::submission_id.eq(id))
        .select(EventRow::as_select())
        .order((submission_events::created_at, submission_events::id))
        .load(conn)?;
    rows.into_iter()
        .map(|row| {
            Ok(EventRecord {
                actor_id: row.actor_id,
                action: row.action,
                detail: serde_json::from_str(&row.detail).map_err(corrupt)?,
                created_at: row.created_at.and_utc(),
            })
        })
        .collect()
}

/// What a receipt number certifies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptFacts {
    /// Receive time.
    pub received_at: DateTime<Utc>,
    /// SHA-256 (hex) of the canonical content.
    pub content_sha256: String,
    /// Track kind code.
    pub track: String,
    /// Call slug.
    pub call: String,
    /// The check code the holder must present.
    pub check_code: String,
}

/// The facts behind a receipt number, if it exists (the caller compares the check code).
pub fn receipt(conn: &mut DbConnection, number: &str) -> Result<Option<ReceiptFacts>, DbError> {
    type Facts = (
        Option<NaiveDateTime>,
        Option<String>,
        String,
        String,
        Option<String>,
    );
    let row: Option<Facts> = submissions::table
        .inner_join(calls::table)
        .filter(submissions::receipt_number.eq(number))
        .select((
            submissions::received_at,
            submissions::content_sha256,
            submissions::track_kind,
            calls::slug,
            submissions::receipt_check,
        ))
        .first(conn)
        .optional()?;
    Ok(row.and_then(|(at, sha, track, call, check)| {
        Some(ReceiptFacts {
            received_at: at?.and_utc(),
            content_sha256: sha?,
            track,
            call,
            check_code: check?,
        })
    }))
}
