//! Individual deadline extensions granted by staff to one organisation or one submission.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use wsis_domain::Extension;

use crate::db::DbConnection;
use crate::error::DbError;
use crate::new_id;
use crate::schema::extensions;

/// Who an extension is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Beneficiary {
    /// Every submission of an organisation on the track.
    Organisation(String),
    /// One submission.
    Submission(String),
}

/// An extension as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionRecord {
    /// Id.
    pub id: String,
    /// The track.
    pub track_id: String,
    /// For whom.
    pub beneficiary: Beneficiary,
    /// The new cut-off.
    pub until: DateTime<Utc>,
    /// Why.
    pub reason: String,
    /// The staff member who granted it.
    pub granted_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// An extensions row as selected.
#[derive(Queryable, Selectable)]
#[diesel(table_name = extensions)]
struct Row {
    id: String,
    track_id: String,
    organisation_id: Option<String>,
    submission_id: Option<String>,
    until_at: NaiveDateTime,
    reason: String,
    granted_by: String,
    created_at: NaiveDateTime,
}

fn from_row(row: Row) -> Result<ExtensionRecord, DbError> {
    let beneficiary = match (row.organisation_id, row.submission_id) {
        (Some(o), None) => Beneficiary::Organisation(o),
        (None, Some(s)) => Beneficiary::Submission(s),
        _ => {
            return Err(DbError::Corrupt(format!(
                "extension {} has no single beneficiary",
                row.id
            )));
        }
    };
    Ok(ExtensionRecord {
        id: row.id,
        track_id: row.track_id,
        beneficiary,
        until: row.until_at.and_utc(),
        reason: row.reason,
        granted_by: row.granted_by,
        created_at: row.created_at.and_utc(),
    })
}

/// Grants an extension.
pub fn grant(
    conn: &mut DbConnection,
    track_id: &str,
    beneficiary: &Beneficiary,
    until: DateTime<Utc>,
    reason: &str,
    granted_by: &str,
    now: DateTime<Utc>,
) -> Result<ExtensionRecord, DbError> {
    let id = new_id();
    let (organisation, submission) = match beneficiary {
        Beneficiary::Organisation(o) => (Some(o.as_str()), None),
        Beneficiary::Submission(s) => (None, Some(s.as_str())),
    };
    diesel::insert_into(extensions::table)
        .values((
            extensions::id.eq(&id),
            extensions::track_id.eq(track_id),
            extensions::organisation_id.eq(organisation),
            extensions::submission_id.eq(submission),
            extensions::until_at.eq(until.naive_utc()),
            extensions::reason.eq(reason),
            extensions::granted_by.eq(granted_by),
            extensions::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    from_row(
        extensions::table
            .filter(extensions::id.eq(&id))
            .select(Row::as_select())
            .first(conn)?,
    )
}

/// Every extension of a track, newest first.
pub fn of_track(conn: &mut DbConnection, track_id: &str) -> Result<Vec<ExtensionRecord>, DbError> {
    let rows: Vec<Row> = extensions::table
        .filter(extensions::track_id.eq(track_id))
        .select(Row::as_select())
        .order(extensions::created_at.desc())
        .load(conn)?;
    rows.into_iter().map(from_row).collect()
}

/// The most generous extension that applies to a submission of `organisation` on the track.
pub fn for_submission(
    conn: &mut DbConnection,
    track_id: &str,
    organisation: &str,
    submission: Option<&str>,
) -> Result<Option<Extension>, DbError> {
    let mut query = extensions::table
        .filter(extensions::track_id.eq(track_id))
        .filter(extensions::organisation_id.eq(organisation))
        .select(Row::as_select())
        .into_boxed();
    if let Some(submission) = submission {
        query = extensions::table
            .filter(extensions::track_id.eq(track_id))
            .filter(
                extensions::organisation_id
                    .eq(organisation)
                    .or(extensions::submission_id.eq(submission)),
            )
            .select(Row::as_select())
            .into_boxed();
    }
    let rows: Vec<Row> = query
        .order(extensions::until_at.desc())
        .limit(1)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .next()
        .map(from_row)
        .transpose()?
        .map(|e| Extension {
            until: e.until,
            reason: e.reason,
        }))
}
