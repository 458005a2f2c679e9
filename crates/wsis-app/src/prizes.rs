//! The WSIS Prizes after their nominations (docs/prizes.md): a prizes track's phases, the nominee list, public
//! voting, the results. Each use case is one function and one transaction; the rules come from the domain
//! (`wsis_domain::prizes`), the one-vote-per-category rule is also the database's.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
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

/// A new window for one phase of a call's prizes track.
#[derive(Debug, Clone, Copy)]
pub struct PhaseChange {
    /// Which phase.
    pub phase: PrizePhase,
    /// When it opens.
    pub opens: TimeRule,
    /// When it closes.
    pub closes: TimeRule,
}

/// Sets a phase's window (staff), checked like a new call's: it resolves in the track's zone, opens after the
/// nominations close, and in the order of the phases.
pub fn set_phase(
    conn: &mut DbConnection,
    actor: &Actor,
    call: &str,
    change: PhaseChange,
    at: DateTime<Utc>,
) -> Result<(CallRecord, TrackRecord), Refusal> {
    let staff = require_staff(actor, said!("action-set-phases"))?;
    crate::run(conn, |conn| {
        let (call, track) = track_of(conn, call, TrackKind::Prizes.code())?;
        let definition = PhaseDefinition {
            phase: change.phase,
            opens: change.opens,
            closes: change.closes,
        };
        let schedule = definition
            .schedule(track.schedule.timezone())
            .map_err(|e| {
                let field = match e {
                    wsis_domain::ScheduleError::Opens(_) => "opens",
                    _ => "closes",
                };
                Refusal::invalid(field, "invalid_window", e.said())
            })?;
        let phase = Phase {
            phase: change.phase,
            schedule,
        };
        let mut phases: Vec<Phase> = track
            .phases
            .iter()
            .filter(|p| p.phase != change.phase)
            .cloned()
            .collect();
        phases.push(phase.clone());
        let mine = phases.len() - 1;
        let broken: Vec<Violation> = check_phases(&track.schedule, &phases)
            .into_iter()
            .filter_map(|problem| match problem {
                PhaseProblem::BeforeNominations(i) if i == mine => Some(Violation::new(
                    "opens",
                    "before_nominations_close",
                    said!("call-phase-before-nominations"),
                )),
                PhaseProblem::OutOfOrder(i) if i == mine => Some(Violation::new(
                    "opens",
                    "phase_order",
                    said!("call-phase-order"),
                )),
                // Another phase out of order because of this one: this one's opening is what is wrong.
                PhaseProblem::OutOfOrder(_) => Some(Violation::new(
                    "opens",
                    "phase_order",
                    said!("call-phase-order"),
                )),
                _ => None,
            })
            .take(1)
            .collect();
        if !broken.is_empty() {
            return Err(Refusal::Invalid(broken));
        }
        calls::set_phase(conn, &track.id, &phase, at)?;
        let detail = serde_json::json!({
            "phase": change.phase.code(),
            "opens_at": phase.schedule.opens_at(),
            "closes_at": phase.schedule.closes_at(),
        });
        audit(
            conn,
            &call,
            "phase_set",
            &staff,
            Some(change.phase.code()),
            &detail,
            at,
        )?;
        let call = calls::find_call_by_id(conn, &call.id)?;
        let track = track_in(&call, TrackKind::Prizes)?;
        Ok((call, track))
    })
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
        if track.schedule.state_at(at, None) != TrackState::Closed {
            return Err(Refusal::InvalidTransition(said!("prize-nominations-open")));
        }
        refuse_once_published(conn, &call, Publication::Nominees)?;
        if let Ok(found) = prizes::nominee(conn, &call.id, nomination) {
            return Ok(found);
        }
        let missing = || Refusal::NotFound(said!("not-found-nomination", id = cut(nomination)));
        let record = match submissions::find(conn, nomination) {
            Ok(record) if record.call_id == call.id && record.track_kind == TrackKind::Prizes => {
                record
            }
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
            added_by: &staff,
        };
        prizes::add_nominee(conn, new, at)?;
        let detail = serde_json::json!({"category": category});
        submissions::record_event(conn, &record.id, Some(&staff), "nominee_added", &detail, at)?;
        audit(
            conn,
            &call,
            "nominee_added",
            &staff,
            Some(&record.id),
            &detail,
            at,
        )?;
        Ok(prizes::nominee(conn, &call.id, &record.id)?)
    })
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

/// A vote as asked.
#[derive(Debug, Clone)]
pub struct Ballot {
    /// The call's slug.
    pub call: String,
    /// The category.
    pub category: PrizeCategory,
    /// The nominee chosen (its nomination id).
    pub nominee: String,
    /// The client address as seen (kept with the vote for abuse review).
    pub client_address: Option<String>,
    /// When it arrived.
    pub at: DateTime<Utc>,
}

/// A vote with its nominee.
#[derive(Debug, Clone)]
pub struct Vote {
    /// The vote.
    pub vote: VoteRow,
    /// The call's slug.
    pub call: String,
    /// The nominee voted for.
    pub nominee: NomineeRecord,
    /// When it was just cast: what is left of its client address's hourly quota.
    pub quota: Option<crate::throttle::Quota>,
}

/// The voter a vote needs: a signed-in person whose address is verified.
fn voter(actor: &Actor) -> Result<String, Refusal> {
    match actor {
        Actor::Anonymous => Err(Refusal::Unauthenticated(said!("refused-sign-in-vote"))),
        Actor::Client(_) => Err(Refusal::Forbidden(said!("refused-clients-vote"))),
        Actor::User(user) if !user.email_verified => {
            Err(Refusal::Forbidden(said!("refused-verify-to-vote")))
        }
        Actor::User(user) => Ok(user.id.clone()),
    }
}

fn already_voted(category: PrizeCategory) -> Refusal {
    Refusal::Conflict {
        message: said!("conflict-already-voted", category = category.get()),
        violations: vec![Violation::new(
            "category",
            "already_voted",
            said!("field-already-voted"),
        )],
    }
}

/// Casts a vote: a verified account, during the voting phase, once the nominees are published, for a nominee of the
/// category; one per voter per category, final. A second vote is a conflict, also when two arrive at once (the
/// database's unique constraint decides).
pub fn vote(conn: &mut DbConnection, actor: &Actor, ballot: Ballot) -> Result<Vote, Refusal> {
    let voter = voter(actor)?;
    crate::run(conn, |conn| {
        let (call, track) = prizes_of(conn, &ballot.call)?;
        let Some(voting) = phase_of(&track, PrizePhase::Voting) else {
            return Err(Refusal::InvalidTransition(said!("prize-no-voting")));
        };
        match voting.schedule.state_at(ballot.at, None) {
            TrackState::Open => {}
            state => {
                let message = if state == TrackState::Upcoming {
                    said!(
                        "voting-not-open",
                        opens = rfc3339(voting.schedule.opens_at())
                    )
                } else {
                    said!(
                        "voting-closed",
                        closed = rfc3339(voting.schedule.closes_at())
                    )
                };
                return Err(Refusal::DeadlinePassed {
                    message,
                    deadline: crate::submissions::deadline_facts(
                        &voting.schedule,
                        None,
                        "vote",
                        ballot.at,
                    ),
                });
            }
        }
        // Every attempt in the window counts against its address, whether the vote then counts or not.
        let quota = ballot
            .client_address
            .as_deref()
            .map(|address| crate::throttle::reserve_vote(conn, &call.id, address, ballot.at))
            .transpose()?;
        if prizes::published(conn, &call.id, Publication::Nominees)?.is_none() {
            return Err(Refusal::InvalidTransition(said!(
                "prize-nominees-unpublished"
            )));
        }
        let category = i32::from(ballot.category.get());
        let nominee = match prizes::nominee(conn, &call.id, &ballot.nominee) {
            Ok(nominee) if nominee.category == category => nominee,
            Ok(_) | Err(DbError::NotFound) => {
                return Err(Refusal::invalid(
                    "nominee",
                    "not_a_nominee",
                    said!("field-not-a-nominee", category = category),
                ));
            }
            Err(other) => return Err(other.into()),
        };
        if prizes::vote_of(conn, &call.id, category, &voter)?.is_some() {
            return Err(already_voted(ballot.category));
        }
        let new = NewVote {
            call_id: &call.id,
            category,
            voter_id: &voter,
            nominee_id: &nominee.nomination_id,
            client_address: ballot.client_address.as_deref(),
        };
        let vote = prizes::cast(conn, new, ballot.at).map_err(|e| match e {
            DbError::UniqueViolation { .. } => already_voted(ballot.category),
            other => other.into(),
        })?;
        Ok(Vote {
            vote,
            call: call.slug.clone(),
            nominee,
            quota,
        })
    })
}

/// Which votes staff invalidate, and why: these votes, every vote of an account, every vote from an address range
/// (at least one of the three; together they narrow each other).
#[derive(Debug, Clone)]
pub struct Invalidation {
    /// The call's slug.
    pub call: String,
    /// These votes.
    pub votes: Option<Vec<String>>,
    /// Every vote of this account.
    pub voter: Option<String>,
    /// Every vote from an address in this range.
    pub addresses: Option<ipnet::IpNet>,
    /// Why, kept in the audit trail and with each vote.
    pub reason: String,
}

/// The longest reason for an invalidation, in characters.
pub const INVALIDATION_REASON_MAX: usize = 1000;

/// Invalidates votes (staff), with a reason: they stay recorded, stop counting, and the totals follow. The number
/// of votes it invalidated (votes invalid already are left as they are).
pub fn invalidate_votes(
    conn: &mut DbConnection,
    actor: &Actor,
    request: Invalidation,
    at: DateTime<Utc>,
) -> Result<usize, Refusal> {
    let staff = require_staff(actor, said!("action-invalidate-votes"))?;
    let mut violations = Vec::new();
    if request.votes.is_none() && request.voter.is_none() && request.addresses.is_none() {
        violations.push(Violation::new(
            "votes",
            "required",
            said!("field-invalidation-target"),
        ));
    }
    let reason = request.reason.trim();
    if reason.is_empty() || reason.chars().count() > INVALIDATION_REASON_MAX {
        violations.push(Violation::new(
            "reason",
            "invalid_length",
            said!(
                "field-invalid_length",
                min = 1,
                max = INVALIDATION_REASON_MAX
            ),
        ));
    }
    if !violations.is_empty() {
        return Err(Refusal::Invalid(violations));
    }
    crate::run(conn, |conn| {
        let (call, _) = prizes_of(conn, &request.call)?;
        let selection = prizes::VoteSelection {
            call_id: &call.id,
            ids: request.votes.as_deref(),
            voter_id: request.voter.as_deref(),
        };
        let ids: Vec<String> = prizes::valid_votes(conn, selection)?
            .into_iter()
            .filter(|(_, address)| match (&request.addresses, address) {
                (None, _) => true,
                (Some(range), Some(address)) => address
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| range.contains(&ip)),
                (Some(_), None) => false,
            })
            .map(|(id, _)| id)
            .collect();
        let done = prizes::invalidate(conn, &ids, &staff, reason, at)?;
        let detail = serde_json::json!({
            "invalidated": done,
            "votes": request.votes,
            "voter": request.voter,
            "addresses": request.addresses.map(|r| r.to_string()),
            "reason": reason,
        });
        audit(conn, &call, "votes_invalidated", &staff, None, &detail, at)?;
        Ok(done)
    })
}

/// "My votes": the caller's votes, in one call or all, each with the nominee chosen.
pub fn my_votes(
    conn: &mut DbConnection,
    actor: &Actor,
    call: Option<&str>,
) -> Result<Vec<Vote>, Refusal> {
    let voter = match actor {
        Actor::User(user) => user.id.clone(),
        Actor::Anonymous => return Err(Refusal::Unauthenticated(said!("refused-sign-in-user"))),
        Actor::Client(_) => return Err(Refusal::Forbidden(said!("refused-clients-no-account"))),
    };
    crate::run(conn, |conn| {
        let call = call.map(|slug| find_call(conn, slug)).transpose()?;
        let slugs: HashMap<String, String> = match &call {
            Some(call) => HashMap::from([(call.id.clone(), call.slug.clone())]),
            None => calls::summaries(conn)?
                .into_iter()
                .map(|s| (s.id, s.slug))
                .collect(),
        };
        let votes = prizes::votes_of(conn, &voter, call.as_ref().map(|c| c.id.as_str()))?;
        Ok(votes
            .into_iter()
            .map(|(vote, nominee)| Vote {
                call: slugs.get(&vote.call_id).cloned().unwrap_or_default(),
                vote,
                nominee,
                quota: None,
            })
            .collect())
    })
}

/// A category's champions with their valid votes; `winner` marks the Expert Group's choice.
#[derive(Debug, Clone)]
pub struct CategoryResult {
    /// The category.
    pub category: i32,
    /// Its champions, most voted first (ties at the fifth place included: docs/prizes.md).
    pub champions: Vec<(NomineeRecord, u64)>,
}

/// The results of a call, and when they were published (`None`: a preview for staff).
#[derive(Debug, Clone)]
pub struct Results {
    /// When they were published.
    pub published_at: Option<DateTime<Utc>>,
    /// Per category that has champions, in the order of the categories.
    pub categories: Vec<CategoryResult>,
}

/// The champions of every category of a call, from its valid votes.
fn standings(conn: &mut DbConnection, call: &CallRecord) -> Result<Vec<CategoryResult>, Refusal> {
    let votes: HashMap<String, i64> = prizes::tallies(conn, &call.id)?.into_iter().collect();
    let mut by_category: Vec<(i32, Vec<Tally<NomineeRecord>>)> = Vec::new();
    for nominee in prizes::nominees(conn, &call.id)? {
        let tally = Tally {
            votes: votes
                .get(&nominee.nomination_id)
                .and_then(|n| u64::try_from(*n).ok())
                .unwrap_or(0),
            title: nominee.title.clone(),
            nominee,
        };
        match by_category.last_mut() {
            Some((category, tallies)) if *category == tally.nominee.category => tallies.push(tally),
            _ => by_category.push((tally.nominee.category, vec![tally])),
        }
    }
    Ok(by_category
        .into_iter()
        .map(|(category, tallies)| CategoryResult {
            category,
            champions: champions(tallies, CHAMPION_PLACES)
                .into_iter()
                .map(|t| (t.nominee, t.votes))
                .collect(),
        })
        .filter(|c| !c.champions.is_empty())
        .collect())
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

/// Records the winners of a category (staff): champions chosen by the Expert Group, one or more, once voting has
/// closed and until the results are published. An empty list records none.
pub fn set_winners(
    conn: &mut DbConnection,
    actor: &Actor,
    call: &str,
    category: PrizeCategory,
    winners: Vec<String>,
    at: DateTime<Utc>,
) -> Result<CategoryResult, Refusal> {
    let staff = require_staff(actor, said!("action-record-awards"))?;
    crate::run(conn, |conn| {
        let (call, track) = prizes_of(conn, call)?;
        after_voting(&track, at)?;
        refuse_once_published(conn, &call, Publication::Results)?;
        let number = i32::from(category.get());
        let standing = standings(conn, &call)?
            .into_iter()
            .find(|c| c.category == number)
            .unwrap_or(CategoryResult {
                category: number,
                champions: Vec::new(),
            });
        let violations: Vec<Violation> = winners
            .iter()
            .enumerate()
            .filter(|(_, id)| {
                !standing
                    .champions
                    .iter()
                    .any(|(n, _)| &n.nomination_id == *id)
            })
            .map(|(i, _)| {
                Violation::new(
                    format!("nominees[{i}]"),
                    "not_a_champion",
                    said!("field-not-a-champion", category = number),
                )
            })
            .collect();
        if !violations.is_empty() {
            return Err(Refusal::Invalid(violations));
        }
        prizes::set_winners(conn, &call.id, number, &winners)?;
        let detail = serde_json::json!({"category": number, "winners": winners});
        let subject = number.to_string();
        audit(
            conn,
            &call,
            "winners_recorded",
            &staff,
            Some(&subject),
            &detail,
            at,
        )?;
        Ok(standings(conn, &call)?
            .into_iter()
            .find(|c| c.category == number)
            .unwrap_or(standing))
    })
}

/// Publishes the results (staff), once voting has closed and the `results` phase (when the call sets one) has
/// opened: each champion's and winner's award is recorded on its nomination, so a winner's project is not eligible
/// again. Publishing again changes nothing. The time of publication.
pub fn publish_results(
    conn: &mut DbConnection,
    actor: &Actor,
    call: &str,
    at: DateTime<Utc>,
) -> Result<DateTime<Utc>, Refusal> {
    let staff = require_staff(actor, said!("action-publish"))?;
    crate::run(conn, |conn| {
        let (call, track) = prizes_of(conn, call)?;
        if let Some(when) = prizes::published(conn, &call.id, Publication::Results)? {
            return Ok(when);
        }
        after_voting(&track, at)?;
        refuse_before(&track, PrizePhase::Results, at)?;
        let standings = standings(conn, &call)?;
        for (nominee, _) in standings.iter().flat_map(|c| &c.champions) {
            let award = if nominee.winner {
                PrizeAward::Winner
            } else {
                PrizeAward::Champion
            };
            submissions::set_prize_award(conn, &nominee.nomination_id, Some(award), &staff, at)?;
        }
        prizes::publish(conn, &call.id, Publication::Results, &staff, at)?;
        let winners = standings
            .iter()
            .flat_map(|c| &c.champions)
            .filter(|(n, _)| n.winner)
            .count();
        let champions: usize = standings.iter().map(|c| c.champions.len()).sum();
        let detail = serde_json::json!({"champions": champions, "winners": winners});
        audit(conn, &call, "results_published", &staff, None, &detail, at)?;
        Ok(at)
    })
}

/// The results: public once published; before, a preview for staff and not found for anyone else.
pub fn results(conn: &mut DbConnection, actor: &Actor, call: &str) -> Result<Results, Refusal> {
    crate::run(conn, |conn| {
        let (call, _) = prizes_of(conn, call)?;
        let published_at = published_or_staff(conn, actor, &call, Publication::Results)?;
        Ok(Results {
            published_at,
            categories: standings(conn, &call)?,
        })
    })
}

/// A WSIS Prize won before this system, as staff give it.
#[derive(Debug, Clone)]
pub struct EarlierWin {
    /// The year of the prize (2012 or later).
    pub year: i32,
    /// The category, when known.
    pub category: Option<PrizeCategory>,
    /// The project's title.
    pub title: String,
    /// The winning organisation's name.
    pub organisation_name: String,
    /// The organisation here, when it has an account.
    pub organisation_id: Option<String>,
    /// The project's stocktaking entry here, when it has one.
    pub project_id: Option<String>,
}

/// Records a WSIS Prize won before this system (staff), so that the project is not eligible again: nominated
/// with that stocktaking entry, or again by that organisation under the same title.
pub fn record_earlier_winner(
    conn: &mut DbConnection,
    actor: &Actor,
    win: EarlierWin,
    at: DateTime<Utc>,
) -> Result<prizes::EarlierWinner, Refusal> {
    let staff = require_staff(actor, said!("action-record-earlier-winners"))?;
    crate::run(conn, |conn| {
        let mut violations = Vec::new();
        if !(wsis_domain::prizes::FIRST_PRIZES_YEAR..=2100).contains(&win.year) {
            violations.push(Violation::new(
                "year",
                "out_of_range",
                said!("field-prizes-year"),
            ));
        }
        let title = win.title.trim();
        violations.extend(wsis_domain::organisation::name_violations(
            "title", title, 300,
        ));
        let organisation_name = win.organisation_name.trim();
        violations.extend(wsis_domain::organisation::name_violations(
            "organisation_name",
            organisation_name,
            300,
        ));
        if let Some(id) = &win.organisation_id {
            match wsis_persistence::organisations::find(conn, id) {
                Ok(_) => {}
                Err(DbError::NotFound) => violations.push(Violation::new(
                    "organisation_id",
                    "unknown_organisation",
                    said!("field-unknown-organisation"),
                )),
                Err(other) => return Err(other.into()),
            }
        }
        if let Some(id) = &win.project_id {
            match submissions::find(conn, id) {
                Ok(project) if project.track_kind == TrackKind::Stocktaking => {}
                Ok(_) | Err(DbError::NotFound) => violations.push(Violation::new(
                    "project_id",
                    "unknown_project",
                    said!("field-unknown-project"),
                )),
                Err(other) => return Err(other.into()),
            }
        }
        if !violations.is_empty() {
            return Err(Refusal::Invalid(violations));
        }
        let winner = prizes::EarlierWinner {
            id: wsis_persistence::new_id(),
            year: win.year,
            category: win.category.map(|c| i32::from(c.get())),
            title: title.to_owned(),
            title_key: wsis_domain::prizes::title_key(title),
            organisation_name: organisation_name.to_owned(),
            organisation_id: win.organisation_id.clone(),
            project_id: win.project_id.clone(),
            recorded_by: staff,
            recorded_at: at.naive_utc(),
        };
        prizes::add_earlier_winner(conn, &winner)?;
        tracing::info!(earlier_winner = %winner.id, year = winner.year, by = %winner.recorded_by, "earlier prize winner recorded");
        Ok(winner)
    })
}

/// The earlier winners staff recorded (staff), newest year first.
pub fn earlier_winners(
    conn: &mut DbConnection,
    actor: &Actor,
) -> Result<Vec<prizes::EarlierWinner>, Refusal> {
    require_staff(actor, said!("action-record-earlier-winners"))?;
    crate::run(conn, |conn| Ok(prizes::earlier_winners(conn)?))
}

/// The reviewer a call needs: a signed-in person with the `reviewer` role (their id), or the refusal.
pub fn reviewer(actor: &Actor) -> Result<String, Refusal> {
    match actor {
        Actor::Anonymous => Err(Refusal::Unauthenticated(said!("refused-sign-in-user"))),
        Actor::User(user) if user.roles.contains(&wsis_domain::UserRole::Reviewer) => {
            Ok(user.id.clone())
        }
        _ => Err(Refusal::Forbidden(said!("refused-reviewers-only"))),
    }
}

/// A reviewer's conflicts as they declare them.
#[derive(Debug, Clone, Default)]
pub struct ConflictDeclaration {
    /// Organisation ids.
    pub organisations: Vec<String>,
    /// Country codes (ISO 3166-1 alpha-2).
    pub countries: Vec<String>,
}

/// Declares the caller's conflicts of interest (a reviewer), replacing what they declared before: the
/// organisations and countries whose nominations they must not see, be assigned or review. The declaration as
/// stored (country codes normalised).
pub fn declare_conflicts(
    conn: &mut DbConnection,
    actor: &Actor,
    declared: ConflictDeclaration,
    at: DateTime<Utc>,
) -> Result<prizes::DeclaredConflicts, Refusal> {
    let me = reviewer(actor)?;
    crate::run(conn, |conn| {
        let mut violations = Vec::new();
        let mut organisations = Vec::new();
        for (i, id) in declared.organisations.iter().enumerate() {
            match wsis_persistence::organisations::find(conn, id) {
                Ok(_) if !organisations.contains(id) => organisations.push(id.clone()),
                Ok(_) => {}
                Err(DbError::NotFound) => violations.push(Violation::new(
                    format!("organisations[{i}]"),
                    "unknown_organisation",
                    said!("field-unknown-organisation"),
                )),
                Err(other) => return Err(other.into()),
            }
        }
        let mut countries = Vec::new();
        for (i, code) in declared.countries.iter().enumerate() {
            match code.parse::<wsis_domain::CountryCode>() {
                Ok(country) if !countries.contains(&country.to_string()) => {
                    countries.push(country.to_string())
                }
                Ok(_) => {}
                Err(e) => violations.push(Violation::new(
                    format!("countries[{i}]"),
                    "unknown_country",
                    e.said(),
                )),
            }
        }
        if !violations.is_empty() {
            return Err(Refusal::Invalid(violations));
        }
        let conflicts = prizes::DeclaredConflicts {
            organisations,
            countries,
        };
        prizes::set_conflicts(conn, &me, &conflicts, at)?;
        tracing::info!(reviewer = %me, organisations = conflicts.organisations.len(), countries = conflicts.countries.len(), "conflicts declared");
        Ok(conflicts)
    })
}

/// The caller's declared conflicts (a reviewer).
pub fn my_conflicts(
    conn: &mut DbConnection,
    actor: &Actor,
) -> Result<prizes::DeclaredConflicts, Refusal> {
    let me = reviewer(actor)?;
    crate::run(conn, |conn| {
        Ok(prizes::conflicts_of(conn, Some(std::slice::from_ref(&me)))?
            .remove(&me)
            .unwrap_or_default())
    })
}

/// Everything that makes `user` conflicted: memberships and declarations.
fn conflicts_of_user(
    conn: &mut DbConnection,
    user: &str,
) -> Result<wsis_domain::prizes::Conflicts, Refusal> {
    let declared = prizes::conflicts_of(conn, Some(&[user.to_owned()]))?
        .remove(user)
        .unwrap_or_default();
    Ok(wsis_domain::prizes::Conflicts {
        memberships: wsis_persistence::users::memberships_of(conn, user)?
            .into_iter()
            .map(|m| m.organisation_id)
            .collect(),
        organisations: declared.organisations,
        countries: declared.countries,
    })
}

/// An accepted nomination of the call, or why not.
fn accepted_nomination(
    conn: &mut DbConnection,
    call: &CallRecord,
    id: &str,
) -> Result<prizes::AcceptedNomination, Refusal> {
    if let Some(found) = prizes::accepted_nominations(conn, &call.id)?
        .into_iter()
        .find(|n| n.id == id)
    {
        return Ok(found);
    }
    match submissions::find(conn, id) {
        Ok(record) if record.call_id == call.id && record.track_kind == TrackKind::Prizes => Err(
            Refusal::InvalidTransition(said!("prize-not-accepted", status = record.status.code())),
        ),
        Ok(_) | Err(DbError::NotFound) => Err(Refusal::NotFound(said!(
            "not-found-nomination",
            id = cut(id)
        ))),
        Err(other) => Err(other.into()),
    }
}

/// Assigns an accepted nomination to a reviewer (staff), unless the reviewer has a conflict with it (409
/// `conflict` naming `reviewer`: a member of the nominating organisation, or one who declared it or its country).
pub fn assign_reviewer(
    conn: &mut DbConnection,
    actor: &Actor,
    call: &str,
    nomination: &str,
    reviewer_id: &str,
    at: DateTime<Utc>,
) -> Result<prizes::Assignment, Refusal> {
    let staff = require_staff(actor, said!("action-assign-reviewers"))?;
    crate::run(conn, |conn| {
        let (call, _) = prizes_of(conn, call)?;
        let nominated = accepted_nomination(conn, &call, nomination)?;
        let roles = wsis_persistence::users::roles_of(conn, reviewer_id)?;
        if !roles.contains(&wsis_domain::UserRole::Reviewer) {
            return Err(Refusal::invalid(
                "reviewer",
                "not_a_reviewer",
                said!("field-not-a-reviewer"),
            ));
        }
        if conflicts_of_user(conn, reviewer_id)?
            .excludes(&nominated.organisation_id, &nominated.country)
        {
            return Err(Refusal::Conflict {
                message: said!("conflict-of-interest"),
                violations: vec![Violation::new(
                    "reviewer",
                    "conflict_of_interest",
                    said!("field-conflict-of-interest"),
                )],
            });
        }
        let assignment = prizes::Assignment {
            nomination_id: nominated.id.clone(),
            reviewer_id: reviewer_id.to_owned(),
            call_id: call.id.clone(),
            assigned_by: staff.clone(),
            assigned_at: at.naive_utc(),
        };
        if prizes::assign(conn, &assignment)? {
            let detail = serde_json::json!({"reviewer": reviewer_id});
            audit(
                conn,
                &call,
                "reviewer_assigned",
                &staff,
                Some(&nominated.id),
                &detail,
                at,
            )?;
        }
        Ok(assignment)
    })
}

/// Takes an assignment back (staff).
pub fn unassign_reviewer(
    conn: &mut DbConnection,
    actor: &Actor,
    call: &str,
    nomination: &str,
    reviewer_id: &str,
    at: DateTime<Utc>,
) -> Result<(), Refusal> {
    let staff = require_staff(actor, said!("action-assign-reviewers"))?;
    crate::run(conn, |conn| {
        let (call, _) = prizes_of(conn, call)?;
        if !prizes::unassign(conn, nomination, reviewer_id)? {
            return Err(Refusal::NotFound(said!("not-found-assignment")));
        }
        let detail = serde_json::json!({"reviewer": reviewer_id});
        audit(
            conn,
            &call,
            "reviewer_unassigned",
            &staff,
            Some(nomination),
            &detail,
            at,
        )?;
        Ok(())
    })
}

/// The most reviewers a nomination is given automatically.
pub const REVIEWERS_PER_NOMINATION_MAX: usize = 10;

/// What automatic assignment did: the new pairs, and the nominations left with fewer reviewers than asked.
#[derive(Debug, Clone)]
pub struct AutoAssigned {
    /// `(nomination, reviewer)` pairs made.
    pub assigned: Vec<(String, String)>,
    /// Nominations that could not get enough reviewers free of conflict.
    pub short: Vec<String>,
}

/// Assigns every accepted nomination of the call to `per_nomination` reviewers (staff), balanced across reviewers
/// and categories, never to a reviewer with a conflict (`wsis_domain::prizes::assign`).
pub fn auto_assign(
    conn: &mut DbConnection,
    actor: &Actor,
    call: &str,
    per_nomination: usize,
    at: DateTime<Utc>,
) -> Result<AutoAssigned, Refusal> {
    let staff = require_staff(actor, said!("action-assign-reviewers"))?;
    if !(1..=REVIEWERS_PER_NOMINATION_MAX).contains(&per_nomination) {
        return Err(Refusal::invalid(
            "per_nomination",
            "out_of_range",
            said!(
                "field-reviewers-per-nomination",
                max = REVIEWERS_PER_NOMINATION_MAX
            ),
        ));
    }
    crate::run(conn, |conn| {
        let (call, _) = prizes_of(conn, call)?;
        let existing = prizes::assignments(conn, &call.id, None)?;
        let mut reviewers = Vec::new();
        for (user, roles) in wsis_persistence::users::list_users(conn)? {
            if !roles.contains(&wsis_domain::UserRole::Reviewer) {
                continue;
            }
            reviewers.push(wsis_domain::prizes::Reviewer {
                load: existing.iter().filter(|a| a.reviewer_id == user.id).count(),
                conflicts: conflicts_of_user(conn, &user.id)?,
                id: user.id,
            });
        }
        let nominations: Vec<wsis_domain::prizes::ToAssign> =
            prizes::accepted_nominations(conn, &call.id)?
                .into_iter()
                .map(|n| wsis_domain::prizes::ToAssign {
                    reviewers: existing
                        .iter()
                        .filter(|a| a.nomination_id == n.id)
                        .map(|a| a.reviewer_id.clone())
                        .collect(),
                    id: n.id,
                    category: n.category,
                    organisation: n.organisation_id,
                    country: n.country,
                })
                .collect();
        let assigned = wsis_domain::prizes::assign(&nominations, &reviewers, per_nomination);
        for (nomination, reviewer) in &assigned {
            let assignment = prizes::Assignment {
                nomination_id: nomination.clone(),
                reviewer_id: reviewer.clone(),
                call_id: call.id.clone(),
                assigned_by: staff.clone(),
                assigned_at: at.naive_utc(),
            };
            prizes::assign(conn, &assignment)?;
        }
        let short: Vec<String> = nominations
            .iter()
            .filter(|n| {
                n.reviewers.len() + assigned.iter().filter(|(m, _)| *m == n.id).count()
                    < per_nomination
            })
            .map(|n| n.id.clone())
            .collect();
        let detail = serde_json::json!({"per_nomination": per_nomination, "assigned": assigned.len(), "short": short});
        audit(conn, &call, "reviewers_assigned", &staff, None, &detail, at)?;
        Ok(AutoAssigned { assigned, short })
    })
}

/// The assignments of a call (staff).
pub fn assignments(
    conn: &mut DbConnection,
    actor: &Actor,
    call: &str,
) -> Result<Vec<prizes::Assignment>, Refusal> {
    require_staff(actor, said!("action-assign-reviewers"))?;
    crate::run(conn, |conn| {
        let (call, _) = prizes_of(conn, call)?;
        Ok(prizes::assignments(conn, &call.id, None)?)
    })
}

/// The nominations assigned to the caller (a reviewer) in a call; a nomination they are conflicted with is never
/// among them, even when the conflict was declared after the assignment.
pub fn my_assignments(
    conn: &mut DbConnection,
    actor: &Actor,
    call: &str,
) -> Result<Vec<prizes::AcceptedNomination>, Refusal> {
    let me = reviewer(actor)?;
    crate::run(conn, |conn| {
        let (call, _) = prizes_of(conn, call)?;
        let mine: Vec<String> = prizes::assignments(conn, &call.id, Some(&me))?
            .into_iter()
            .map(|a| a.nomination_id)
            .collect();
        let conflicts = conflicts_of_user(conn, &me)?;
        Ok(prizes::accepted_nominations(conn, &call.id)?
            .into_iter()
            .filter(|n| mine.contains(&n.id) && !conflicts.excludes(&n.organisation_id, &n.country))
            .collect())
    })
}

/// The declared conflicts of every reviewer (staff), by reviewer id.
pub fn reviewer_conflicts(
    conn: &mut DbConnection,
    actor: &Actor,
) -> Result<Vec<(String, prizes::DeclaredConflicts)>, Refusal> {
    require_staff(actor, said!("action-assign-reviewers"))?;
    crate::run(conn, |conn| {
        let mut declared = prizes::conflicts_of(conn, None)?;
        let mut found = Vec::new();
        for (user, roles) in wsis_persistence::users::list_users(conn)? {
            if roles.contains(&wsis_domain::UserRole::Reviewer) {
                let conflicts = declared.remove(&user.id).unwrap_or_default();
                found.push((user.id, conflicts));
            }
        }
        Ok(found)
    })
}
