//! The WSIS Prizes after their nominations (docs/prizes.md), one module per family of use cases:
//! the phases, the Expert Group (conflicts and assignments), earlier winners, the nominee list, public voting, the
//! results. Each use case is one function and one transaction; the rules come from the domain
//! (`wsis_domain::prizes`), the one-vote-per-category rule is also the database's.

mod earlier_winners;
mod experts;
mod nominees;
mod phases;
mod results;
mod reviews;
mod voting;

pub use earlier_winners::*;
pub use experts::*;
pub use nominees::*;
pub use phases::*;
pub use results::*;
pub use reviews::*;
pub use voting::*;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use wsis_domain::changes::EventType;
use wsis_domain::deadline::TrackState;
use wsis_domain::forms::Violation;
use wsis_domain::prizes::{
    CHAMPION_PLACES, Phase, PhaseDefinition, PhaseProblem, PrizePhase, Tally, champions,
    check_phases,
};
use wsis_domain::{Actor, PrizeAward, PrizeCategory, SubmissionStatus, TimeRule, TrackKind, said};
use wsis_persistence::calls::{self, CallRecord, TrackRecord};
use wsis_persistence::prizes::{
    self, AuditEntry, NewNominee, NewVote, NomineeRecord, Publication, VoteRow,
};
use wsis_persistence::{DbConnection, DbError, submissions};

use crate::calls::{track_in, track_of};
use crate::{Refusal, require_staff};

fn cut(text: &str) -> String {
    text.chars().take(64).collect()
}

fn find_call(conn: &mut DbConnection, slug: &str) -> Result<CallRecord, Refusal> {
    calls::find_call(conn, slug).map_err(|e| match e {
        DbError::NotFound => Refusal::NotFound(said!("not-found-call", slug = cut(slug))),
        other => other.into(),
    })
}

/// The call with its prizes track.
fn prizes_of(conn: &mut DbConnection, slug: &str) -> Result<(CallRecord, TrackRecord), Refusal> {
    let call = find_call(conn, slug)?;
    let track = track_in(&call, TrackKind::Prizes)?;
    Ok((call, track))
}

fn phase_of(track: &TrackRecord, phase: PrizePhase) -> Option<&Phase> {
    track.phases.iter().find(|p| p.phase == phase)
}

fn audit(
    conn: &mut DbConnection,
    call: &CallRecord,
    action: &str,
    actor: &str,
    subject: Option<&str>,
    detail: &serde_json::Value,
    at: DateTime<Utc>,
) -> Result<(), Refusal> {
    let entry = AuditEntry {
        call_id: &call.id,
        action,
        actor_id: actor,
        subject,
        detail,
    };
    Ok(prizes::audit(conn, entry, at)?)
}

/// The violation at `field` when no organisation has the id `id`.
fn unknown_organisation(
    conn: &mut DbConnection,
    field: &str,
    id: &str,
) -> Result<Option<Violation>, Refusal> {
    match wsis_persistence::organisations::find(conn, id) {
        Ok(_) => Ok(None),
        Err(DbError::NotFound) => Ok(Some(Violation::new(
            field,
            "unknown_organisation",
            said!("field-unknown-organisation"),
        ))),
        Err(other) => Err(other.into()),
    }
}

fn refuse_once_published(
    conn: &mut DbConnection,
    call: &CallRecord,
    what: Publication,
) -> Result<(), Refusal> {
    if prizes::published(conn, &call.id, what)?.is_some() {
        let message = match what {
            Publication::Nominees => said!("prize-nominees-published"),
            Publication::Results => said!("prize-results-published"),
        };
        return Err(Refusal::InvalidTransition(message));
    }
    Ok(())
}

/// When `what` was published; before, staff see a draft (`None`) and anyone else a 404 (it is not public yet).
fn published_or_staff(
    conn: &mut DbConnection,
    actor: &Actor,
    call: &CallRecord,
    what: Publication,
) -> Result<Option<DateTime<Utc>>, Refusal> {
    let published_at = prizes::published(conn, &call.id, what)?;
    if published_at.is_none() && !actor.is_staff() {
        return Err(Refusal::NotFound(match what {
            Publication::Nominees => said!("not-found-nominees", slug = &call.slug),
            Publication::Results => said!("not-found-results", slug = &call.slug),
        }));
    }
    Ok(published_at)
}

/// Refuses an action of `phase` before the phase opens (when the call sets it).
fn refuse_before(track: &TrackRecord, phase: PrizePhase, at: DateTime<Utc>) -> Result<(), Refusal> {
    match phase_of(track, phase) {
        Some(p) if p.schedule.state_at(at, None) == TrackState::Upcoming => {
            Err(Refusal::InvalidTransition(said!(
                "prize-phase-not-open",
                phase = phase.code(),
                opens = rfc3339(p.schedule.opens_at())
            )))
        }
        _ => Ok(()),
    }
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Refuses until the voting phase has closed.
fn after_voting(track: &TrackRecord, at: DateTime<Utc>) -> Result<(), Refusal> {
    match phase_of(track, PrizePhase::Voting) {
        Some(voting) if voting.schedule.state_at(at, None) == TrackState::Closed => Ok(()),
        Some(voting) => Err(Refusal::InvalidTransition(said!(
            "prize-voting-not-closed",
            closes = rfc3339(voting.schedule.closes_at())
        ))),
        None => Err(Refusal::InvalidTransition(said!("prize-no-voting"))),
    }
}
