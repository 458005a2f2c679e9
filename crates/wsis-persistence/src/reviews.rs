//! The Expert Group's reviews of prizes nominations (docs/prizes.md): one row per reviewer per nomination. No
//! rules here: `wsis_app::prizes::reviews` checks the form, the assignment, the conflicts and the phase.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use wsis_domain::prizes::Score;

use crate::db::DbConnection;
use crate::error::DbError;
use crate::schema::prize_reviews as r;

/// A review as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRecord {
    /// The nomination reviewed.
    pub nomination_id: String,
    /// The reviewer.
    pub reviewer_id: String,
    /// The call.
    pub call_id: String,
    /// The scores, in the form's order.
    pub scores: Vec<Score>,
    /// The weighted total out of 100.
    pub total: f64,
    /// First saved.
    pub created_at: DateTime<Utc>,
    /// Last saved.
    pub updated_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = r)]
struct ReviewRow {
    nomination_id: String,
    reviewer_id: String,
    call_id: String,
    scores: String,
    total: f64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl TryFrom<ReviewRow> for ReviewRecord {
    type Error = DbError;

    fn try_from(row: ReviewRow) -> Result<Self, DbError> {
        Ok(Self {
            scores: serde_json::from_str(&row.scores)
                .map_err(|e| DbError::Corrupt(format!("review scores: {e}")))?,
            nomination_id: row.nomination_id,
            reviewer_id: row.reviewer_id,
            call_id: row.call_id,
            total: row.total,
            created_at: row.created_at.and_utc(),
            updated_at: row.updated_at.and_utc(),
        })
    }
}

/// A review to save.
#[derive(Debug, Clone, Copy)]
pub struct NewReview<'a> {
    /// The nomination.
    pub nomination_id: &'a str,
    /// The reviewer.
    pub reviewer_id: &'a str,
    /// The call.
    pub call_id: &'a str,
    /// The scores.
    pub scores: &'a [Score],
    /// Their weighted total.
    pub total: f64,
}

/// Saves a reviewer's review of a nomination, replacing the one they saved before: whether it is new.
pub fn save(
    conn: &mut DbConnection,
    review: NewReview<'_>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let scores = serde_json::to_string(review.scores)
        .map_err(|e| DbError::Corrupt(format!("review scores: {e}")))?;
    let now = now.naive_utc();
    let values = (
        r::nomination_id.eq(review.nomination_id),
        r::reviewer_id.eq(review.reviewer_id),
        r::call_id.eq(review.call_id),
        r::scores.eq(&scores),
        r::total.eq(review.total),
        r::created_at.eq(now),
        r::updated_at.eq(now),
    );
    // A second save of the same review at the same moment waits for the first and then updates it.
    let inserted = match conn {
        DbConnection::Postgresql(c) => diesel::insert_into(r::table)
            .values(values)
            .on_conflict_do_nothing()
            .execute(c)?,
        DbConnection::Sqlite(c) => diesel::insert_into(r::table)
            .values(values)
            .on_conflict_do_nothing()
            .execute(c)?,
    };
    if inserted == 0 {
        diesel::update(
            r::table
                .filter(r::nomination_id.eq(review.nomination_id))
                .filter(r::reviewer_id.eq(review.reviewer_id)),
        )
        .set((
            r::scores.eq(&scores),
            r::total.eq(review.total),
            r::updated_at.eq(now),
        ))
        .execute(conn)?;
    }
    Ok(inserted == 1)
}

/// The reviews of a call, by nomination then reviewer; with `reviewer`, only theirs; with `nomination`, only of it.
pub fn of_call(
    conn: &mut DbConnection,
    call_id: &str,
    reviewer: Option<&str>,
    nomination: Option<&str>,
) -> Result<Vec<ReviewRecord>, DbError> {
    let mut query = r::table
        .filter(r::call_id.eq(call_id.to_owned()))
        .into_boxed();
    if let Some(reviewer) = reviewer {
        query = query.filter(r::reviewer_id.eq(reviewer.to_owned()));
    }
    if let Some(nomination) = nomination {
        query = query.filter(r::nomination_id.eq(nomination.to_owned()));
    }
    query
        .order((r::nomination_id, r::reviewer_id))
        .select(ReviewRow::as_select())
        .load(conn)?
        .into_iter()
        .map(ReviewRecord::try_from)
        .collect()
}

/// Whether the call has any review.
pub fn any(conn: &mut DbConnection, call_id: &str) -> Result<bool, DbError> {
    Ok(
        diesel::select(diesel::dsl::exists(r::table.filter(r::call_id.eq(call_id))))
            .get_result(conn)?,
    )
}
