//! The nominee list: shortlisted by staff, published and frozen, public once published.

use super::*;

/// Shortlists an accepted nomination as a nominee of its category (staff), once the nominations have closed and
/// until the list is published. Shortlisting a nominee again changes nothing.
pub fn add_nominee(
    conn: &mut DbConnection,
    actor: &Actor,
    call: &str,
    nomination: &str,
    at: DateTime<Utc>,
) -> Result<NomineeRecord, Refusal> {
    let staff = require_staff(actor, said!("action-shortlist"))?;
    crate::run(conn, |conn| {
        let (call, track) = prizes_of(conn, call)?;
        may_shortlist(conn, &call, &track, at)?;
        if let Ok(found) = prizes::nominee(conn, &call.id, nomination) {
            return Ok(found);
        }
        shortlist_one(conn, &call, &staff, nomination, at)
    })
}

/// Refuses to change the nominee list while the nominations are open or once it is published.
pub(super) fn may_shortlist(
    conn: &mut DbConnection,
    call: &CallRecord,
    track: &TrackRecord,
    at: DateTime<Utc>,
) -> Result<(), Refusal> {
    if track.schedule.state_at(at, None) != TrackState::Closed {
        return Err(Refusal::InvalidTransition(said!("prize-nominations-open")));
    }
    refuse_once_published(conn, call, Publication::Nominees)
}

/// Adds an accepted nomination of the call to the nominee list, in its nomination's history and the audit trail.
pub(super) fn shortlist_one(
    conn: &mut DbConnection,
    call: &CallRecord,
    staff: &str,
    nomination: &str,
    at: DateTime<Utc>,
) -> Result<NomineeRecord, Refusal> {
    let missing = || Refusal::NotFound(said!("not-found-nomination", id = cut(nomination)));
    let record = match submissions::find(conn, nomination) {
        Ok(record) if record.call_id == call.id && record.track_kind == TrackKind::Prizes => record,
        Ok(_) | Err(DbError::NotFound) => return Err(missing()),
        Err(other) => return Err(other.into()),
    };
    if record.status != SubmissionStatus::Accepted {
        return Err(Refusal::InvalidTransition(said!(
            "prize-not-accepted",
            status = record.status.code()
        )));
    }
    let text = |key: &str| {
        record
            .content
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let category = record
        .content
        .get("category")
        .and_then(serde_json::Value::as_i64)
        .and_then(|n| i32::try_from(n).ok())
        .ok_or_else(|| DbError::Corrupt(format!("nomination {} has no category", record.id)))?;
    let project_id = text("project_id");
    // The public list names the project by its title in the stocktaking repository.
    let title = match submissions::find(conn, &project_id) {
        Ok(project) => project
            .content
            .get("title")
            .and_then(|v| v.as_str())
            .unwrap_or(&project_id)
            .to_owned(),
        Err(DbError::NotFound) => project_id.clone(),
        Err(other) => return Err(other.into()),
    };
    let new = NewNominee {
        nomination_id: &record.id,
        call_id: &call.id,
        category,
        organisation_id: &record.organisation_id,
        project_id: &project_id,
        title: &title,
        short_description: &text("short_description"),
        added_by: staff,
    };
    prizes::add_nominee(conn, new, at)?;
    let detail = serde_json::json!({"category": category});
    submissions::record_event(conn, &record.id, Some(staff), "nominee_added", &detail, at)?;
    audit(
        conn,
        call,
        "nominee_added",
        staff,
        Some(&record.id),
        &detail,
        at,
    )?;
    Ok(prizes::nominee(conn, &call.id, &record.id)?)
}

/// Takes a nominee off the list (staff), until the list is published.
pub fn remove_nominee(
    conn: &mut DbConnection,
    actor: &Actor,
    call: &str,
    nomination: &str,
    at: DateTime<Utc>,
) -> Result<(), Refusal> {
    let staff = require_staff(actor, said!("action-shortlist"))?;
    crate::run(conn, |conn| {
        let (call, _) = prizes_of(conn, call)?;
        refuse_once_published(conn, &call, Publication::Nominees)?;
        if !prizes::remove_nominee(conn, &call.id, nomination)? {
            return Err(Refusal::NotFound(said!(
                "not-found-nominee",
                id = cut(nomination)
            )));
        }
        let detail = serde_json::json!({});
        submissions::record_event(
            conn,
            nomination,
            Some(&staff),
            "nominee_removed",
            &detail,
            at,
        )?;
        audit(
            conn,
            &call,
            "nominee_removed",
            &staff,
            Some(nomination),
            &detail,
            at,
        )?;
        Ok(())
    })
}

/// Publishes the nominee list (staff) and freezes it: once the nominations have closed and the `nominees` phase
/// (when the call sets one) has opened. Publishing again changes nothing. The time of publication.
pub fn publish_nominees(
    conn: &mut DbConnection,
    actor: &Actor,
    call: &str,
    at: DateTime<Utc>,
) -> Result<DateTime<Utc>, Refusal> {
    let staff = require_staff(actor, said!("action-publish"))?;
    crate::run(conn, |conn| {
        let (call, track) = prizes_of(conn, call)?;
        if let Some(when) = prizes::published(conn, &call.id, Publication::Nominees)? {
            return Ok(when);
        }
        if track.schedule.state_at(at, None) != TrackState::Closed {
            return Err(Refusal::InvalidTransition(said!("prize-nominations-open")));
        }
        refuse_before(&track, PrizePhase::Nominees, at)?;
        let count = prizes::nominees(conn, &call.id)?.len();
        prizes::publish(conn, &call.id, Publication::Nominees, &staff, at)?;
        let detail = serde_json::json!({"nominees": count});
        audit(conn, &call, "nominees_published", &staff, None, &detail, at)?;
        crate::changes::track(
            conn,
            EventType::PrizesNomineesPublished,
            &call.id,
            &call.slug,
            TrackKind::Prizes,
            at,
        )?;
        Ok(at)
    })
}

/// The nominee list of a call, and when it was published (`None`: a draft, which only staff see).
#[derive(Debug, Clone)]
pub struct NomineeList {
    /// When it was published.
    pub published_at: Option<DateTime<Utc>>,
    /// The nominees, by category then title.
    pub nominees: Vec<NomineeRecord>,
}

/// The nominee list: public once published; before, a draft for staff and not found for anyone else.
pub fn nominees(
    conn: &mut DbConnection,
    actor: &Actor,
    call: &str,
) -> Result<NomineeList, Refusal> {
    crate::run(conn, |conn| {
        let (call, _) = prizes_of(conn, call)?;
        let published_at = published_or_staff(conn, actor, &call, Publication::Nominees)?;
        Ok(NomineeList {
            published_at,
            nominees: prizes::nominees(conn, &call.id)?,
        })
    })
}
