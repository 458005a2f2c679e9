//! Public voting: one vote per voter per category, limits per client address, invalidation by staff, "My votes".

use super::*;

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
        // The call's id and voting phase in one query (the busiest write); without them, why not.
        let (call_id, voting) = match calls::voting_phase(conn, &ballot.call) {
            Ok(found) => found,
            Err(DbError::NotFound) => {
                prizes_of(conn, &ballot.call)?;
                return Err(Refusal::NotFound(said!(
                    "not-found-call",
                    slug = cut(&ballot.call)
                )));
            }
            Err(other) => return Err(other.into()),
        };
        let Some(voting) = voting else {
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
            .map(|address| crate::throttle::reserve_vote(conn, &call_id, address, ballot.at))
            .transpose()?;
        let category = i32::from(ballot.category.get());
        let nominee = match prizes::published_nominee(conn, &call_id, &ballot.nominee)? {
            Some(nominee) if nominee.category == category => nominee,
            _ if prizes::published(conn, &call_id, Publication::Nominees)?.is_none() => {
                return Err(Refusal::InvalidTransition(said!(
                    "prize-nominees-unpublished"
                )));
            }
            _ => {
                return Err(Refusal::invalid(
                    "nominee",
                    "not_a_nominee",
                    said!("field-not-a-nominee", category = category),
                ));
            }
        };
        let new = NewVote {
            call_id: &call_id,
            category,
            voter_id: &voter,
            nominee_id: &nominee.nomination_id,
            client_address: ballot.client_address.as_deref(),
        };
        let Some(vote) = prizes::cast(conn, new, ballot.at)? else {
            return Err(already_voted(ballot.category));
        };
        Ok(Vote {
            vote,
            call: ballot.call.clone(),
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
