//! What staff do with submitted entries: decide on them, move Trust Fund pledges forward, record prize awards.

use chrono::{DateTime, Utc};
use wsis_domain::Said;
use wsis_domain::changes::EventType;
use wsis_domain::said;
use wsis_domain::{
    Actor, DECISION_NOTE_MAX, Decision, Performer, PledgeStatus, PrizeAward, SubmissionStatus,
    TrackKind,
};
use wsis_persistence::DbConnection;
use wsis_persistence::submissions::{self, Mail, SubmissionRecord};

use super::{Submitted, call_of, load, not_found};
use crate::{Refusal, letters, require_staff};

/// A submitted entry (never a draft) as staff see it, on the expected track if one is named.
fn submitted_entry(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    track: Option<TrackKind>,
) -> Result<SubmissionRecord, Refusal> {
    let record = load(conn, actor, id)?;
    if !record.status.is_submitted() || track.is_some_and(|t| t != record.track_kind) {
        return Err(not_found(id));
    }
    Ok(record)
}

fn changed_meanwhile(what: Said) -> Refusal {
    Refusal::PreconditionFailed(said!("changed-meanwhile", what = what))
}

/// A staff decision on one submitted entry.
#[derive(Debug, Clone)]
pub struct Decide {
    /// The entry.
    pub id: String,
    /// What staff decide.
    pub decision: Decision,
    /// An explanation, mailed to the organisation with an acceptance or a rejection.
    pub note: Option<String>,
    /// When it was received.
    pub at: DateTime<Utc>,
}

/// Applies a staff decision (start the review, accept, reject, reopen) as the lifecycle allows it, in one
/// transaction: the change, its history event and, for an acceptance or a rejection, the decision mail to the
/// organisation's owners and the author, each in their language.
pub fn decide(
    conn: &mut DbConnection,
    actor: &Actor,
    request: Decide,
) -> Result<Submitted, Refusal> {
    let staff = require_staff(actor, said!("action-decide"))?;
    if request
        .note
        .as_ref()
        .is_some_and(|n| n.chars().count() > DECISION_NOTE_MAX)
    {
        return Err(Refusal::invalid(
            "note",
            "invalid_length",
            said!("field-at-most-characters", max = DECISION_NOTE_MAX),
        ));
    }
    crate::run(conn, |conn| {
        let record = submitted_entry(conn, actor, &request.id, None)?;
        let transition = request.decision.transition();
        let to = record
            .status
            .apply(transition, Performer::Staff)
            .map_err(|e| Refusal::InvalidTransition(e.said()))?;
        let mails = if matches!(to, SubmissionStatus::Accepted | SubmissionStatus::Rejected) {
            let recipients = submissions::recipients(conn, &record)?;
            decision_mails(&recipients, &record, to, request.note.as_deref())
        } else {
            Vec::new()
        };
        let detail = serde_json::json!({
            "from": record.status.code(), "to": to.code(), "note": request.note,
        });
        let moved = submissions::transition(
            conn,
            &record.id,
            record.status,
            to,
            &staff,
            transition.code(),
            &detail,
            request.at,
            &mails,
        )?
        .ok_or_else(|| changed_meanwhile(said!("thing-submission")))?;
        tracing::info!(submission.id = %moved.id, to = %moved.status, "staff decision");
        crate::changes::submission(
            conn,
            EventType::SubmissionDecided,
            Some(&record),
            Some(&moved),
            request.at,
        )?;
        let call = call_of(conn, &moved)?;
        Ok(Submitted {
            record: moved,
            call,
            mail_queued: !mails.is_empty(),
        })
    })
}

/// Moves a submitted Trust Fund pledge one step forward (staff): pledged → confirmed → received.
pub fn set_pledge_status(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    to: PledgeStatus,
    at: DateTime<Utc>,
) -> Result<Submitted, Refusal> {
    let staff = require_staff(actor, said!("action-move-pledges"))?;
    let Some(from) = to.comes_after() else {
        return Err(Refusal::invalid(
            "status",
            "invalid_value",
            said!("field-pledge-status"),
        ));
    };
    crate::run(conn, |conn| {
        let record = submitted_entry(conn, actor, id, Some(TrackKind::TrustFund))?;
        if record.pledge_status != Some(from) {
            return Err(Refusal::InvalidTransition(match record.pledge_status {
                Some(status) => said!("refused-pledge-order", status = status.code()),
                None => said!("refused-pledge-not-submitted"),
            }));
        }
        let moved = submissions::set_pledge_status(conn, &record.id, from, to, &staff, at)?
            .ok_or_else(|| changed_meanwhile(said!("thing-pledge")))?;
        crate::changes::submission(
            conn,
            EventType::SubmissionUpdated,
            Some(&record),
            Some(&moved),
            at,
        )?;
        let call = call_of(conn, &moved)?;
        Ok(Submitted {
            record: moved,
            call,
            mail_queued: false,
        })
    })
}

/// Records (`Some`) or takes back (`None`) the WSIS Prizes award of an accepted nomination (staff). Setting the
/// award it already has changes nothing; every change is in the nomination's history.
pub fn set_prize_award(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    award: Option<PrizeAward>,
    at: DateTime<Utc>,
) -> Result<Submitted, Refusal> {
    let staff = require_staff(actor, said!("action-record-awards"))?;
    crate::run(conn, |conn| {
        let record = submitted_entry(conn, actor, id, Some(TrackKind::Prizes))?;
        if record.status != SubmissionStatus::Accepted {
            return Err(Refusal::InvalidTransition(said!(
                "refused-award-not-accepted",
                status = record.status.code()
            )));
        }
        let changed = submissions::set_prize_award(conn, &record.id, award, &staff, at)?
            .ok_or_else(|| changed_meanwhile(said!("thing-nomination")))?;
        if changed.version != record.version {
            crate::changes::submission(
                conn,
                EventType::SubmissionAwarded,
                Some(&record),
                Some(&changed),
                at,
            )?;
        }
        let call = call_of(conn, &changed)?;
        Ok(Submitted {
            record: changed,
            call,
            mail_queued: false,
        })
    })
}

/// The decision mail for each recipient, in their language.
fn decision_mails(
    recipients: &[submissions::Recipient],
    record: &SubmissionRecord,
    status: SubmissionStatus,
    note: Option<&str>,
) -> Vec<Mail> {
    let number = record
        .receipt_number
        .clone()
        .unwrap_or_else(|| record.id.clone());
    letters::to_each(recipients, |language| {
        letters::decision(language, &number, status.code(), note)
    })
}
