//! Withdrawing a submitted entry.

use chrono::{DateTime, Utc};
use wsis_domain::changes::EventType;
use wsis_domain::said;
use wsis_domain::{Actor, Performer, Transition};
use wsis_persistence::DbConnection;
use wsis_persistence::submissions;

use super::{Submitted, call_of, check_window, load, require_editor};
use crate::Refusal;

/// Withdraws a submitted entry before a decision and before the track's effective deadline (owners, editors);
/// after the deadline entries are frozen (what was received is what is reviewed; an organisation that wants out
/// asks the secretariat), and a late attempt is recorded.
pub fn withdraw(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    at: DateTime<Utc>,
) -> Result<Submitted, Refusal> {
    crate::run(conn, |conn| {
        let record = load(conn, actor, id)?;
        require_editor(actor, &record)?;
        let user = actor.user().map(|u| u.id.clone()).unwrap_or_default();
        let to = record
            .status
            .apply(Transition::Withdraw, Performer::Organisation)
            .map_err(|e| Refusal::InvalidTransition(e.said()))?;
        let call = call_of(conn, &record)?;
        check_window(conn, &record, &call, &user, "withdraw", at)?;
        let moved = submissions::transition(
            conn,
            &record.id,
            record.status,
            to,
            &user,
            "withdrawn",
            &serde_json::json!({"from": record.status.code()}),
            at,
            &[],
        )?
        .ok_or_else(|| Refusal::PreconditionFailed(said!("changed-submission-meanwhile")))?;
        crate::changes::submission(
            conn,
            EventType::SubmissionWithdrawn,
            Some(&record),
            Some(&moved),
            at,
        )?;
        Ok(Submitted {
            record: moved,
            call,
            mail_queued: false,
        })
    })
}
