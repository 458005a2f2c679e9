//! The results: champions from the valid votes, winners recorded by staff, publication.

use super::*;

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

/// Records the winner(s) of a category among its champions (staff, the Expert Group's selection), once voting has
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
            if let Some(awarded) =
                submissions::set_prize_award(conn, &nominee.nomination_id, Some(award), &staff, at)?
            {
                crate::changes::submission(
                    conn,
                    EventType::SubmissionAwarded,
                    None,
                    Some(&awarded),
                    at,
                )?;
            }
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
        crate::changes::track(
            conn,
            EventType::PrizesResultsPublished,
            &call.id,
            &call.slug,
            TrackKind::Prizes,
            at,
        )?;
        Ok(at)
    })
}

/// The results: public once published; before, a preview for staff, and for anyone else not found, unless the call
/// shows running totals (`running_totals`): then anyone sees the totals once voting has opened, without the winners
/// staff may have recorded.
pub fn results(
    conn: &mut DbConnection,
    actor: &Actor,
    call: &str,
    at: DateTime<Utc>,
) -> Result<Results, Refusal> {
    crate::run(conn, |conn| {
        let (call, track) = prizes_of(conn, call)?;
        let published_at = prizes::published(conn, &call.id, Publication::Results)?;
        let running = published_at.is_none() && !actor.is_staff();
        let voting_opened = phase_of(&track, PrizePhase::Voting)
            .is_some_and(|v| v.schedule.state_at(at, None) != TrackState::Upcoming);
        if running && !(call.prizes.running_totals && voting_opened) {
            published_or_staff(conn, actor, &call, Publication::Results)?;
        }
        let mut categories = standings(conn, &call)?;
        if running {
            for (nominee, _) in categories.iter_mut().flat_map(|c| c.champions.iter_mut()) {
                nominee.winner = false;
            }
        }
        Ok(Results {
            published_at,
            categories,
        })
    })
}
