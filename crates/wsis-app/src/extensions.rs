//! Individual extensions of a track's deadline: granted by staff to one organisation or one submission, with a
//! reason kept for audit.

use chrono::{DateTime, Utc};
use wsis_domain::Actor;
use wsis_domain::forms::Violation;
use wsis_domain::said;
use wsis_persistence::extensions::{self, Beneficiary, ExtensionRecord};
use wsis_persistence::{DbConnection, DbError, organisations, submissions};

use crate::calls::track_of;
use crate::{Refusal, require_staff};

/// The longest reason, in characters.
pub const REASON_MAX: usize = 1000;

/// A request to extend a track's deadline for one beneficiary.
#[derive(Debug, Clone)]
pub struct Grant {
    /// The call's slug.
    pub call: String,
    /// The track, as requested (a track that does not exist is not found).
    pub track: String,
    /// For every submission of this organisation on the track…
    pub organisation_id: Option<String>,
    /// …or for this one submission: exactly one of the two.
    pub submission_id: Option<String>,
    /// The new cut-off; it must end after the track's own deadline.
    pub until: DateTime<Utc>,
    /// Why, kept for audit.
    pub reason: String,
    /// When it was asked.
    pub at: DateTime<Utc>,
}

/// Grants an extension (staff), in one transaction: the track, every rule of the request at once (exactly one
/// beneficiary, a reason, an end after the track's own deadline), the beneficiary on that track, the record.
pub fn grant(
    conn: &mut DbConnection,
    actor: &Actor,
    request: Grant,
) -> Result<ExtensionRecord, Refusal> {
    let staff = require_staff(actor, said!("action-grant-extensions"))?;
    crate::run(conn, |conn| {
        let (_, track) = track_of(conn, &request.call, &request.track)?;
        let mut violations = Vec::new();
        let beneficiary = match (request.organisation_id, request.submission_id) {
            (Some(o), None) => Some(Beneficiary::Organisation(o)),
            (None, Some(s)) => Some(Beneficiary::Submission(s)),
            _ => {
                violations.push(Violation::new(
                    "organisation_id",
                    "one_beneficiary",
                    said!("field-one-beneficiary"),
                ));
                None
            }
        };
        let reason = request.reason.trim();
        if reason.is_empty() || reason.chars().count() > REASON_MAX {
            violations.push(Violation::new(
                "reason",
                "invalid_length",
                said!("field-invalid_length", min = 1, max = REASON_MAX),
            ));
        }
        if request.until <= track.schedule.effective_closes_at(None) {
            violations.push(Violation::new(
                "until",
                "not_later",
                said!("field-extension-not-later"),
            ));
        }
        let Some(beneficiary) = beneficiary.filter(|_| violations.is_empty()) else {
            return Err(Refusal::Invalid(violations));
        };
        let on_track = match &beneficiary {
            Beneficiary::Organisation(o) => exists(organisations::find(conn, o).map(drop))?,
            Beneficiary::Submission(s) => {
                exists(submissions::find(conn, s).map(|found| found.track_id == track.id))?
                    .unwrap_or(false)
                    .then_some(())
            }
        };
        if on_track.is_none() {
            return Err(Refusal::NotFound(said!("not-found-beneficiary")));
        }
        let granted = extensions::grant(
            conn,
            &track.id,
            &beneficiary,
            request.until,
            reason,
            &staff,
            request.at,
        )?;
        tracing::info!(extension.id = %granted.id, track.id = %granted.track_id, "extension granted");
        Ok(granted)
    })
}

/// The extensions of a track (staff), newest first.
pub fn of_track(
    conn: &mut DbConnection,
    actor: &Actor,
    call: &str,
    track: &str,
) -> Result<Vec<ExtensionRecord>, Refusal> {
    require_staff(actor, said!("action-see-extensions"))?;
    crate::run(conn, |conn| {
        let (_, track) = track_of(conn, call, track)?;
        Ok(extensions::of_track(conn, &track.id)?)
    })
}

/// `Some` when found, `None` when not, the error otherwise.
fn exists<T>(found: Result<T, DbError>) -> Result<Option<T>, Refusal> {
    match found {
        Ok(value) => Ok(Some(value)),
        Err(DbError::NotFound) => Ok(None),
        Err(other) => Err(other.into()),
    }
}
