//! The Expert Group's reviews: a call's prizes rules (the review form), a reviewer's own reviews, the aggregates
//! staff rank nominations by, and the shortlist drawn from them.

use wsis_domain::prizes::{
    Aggregate, PrizeRules, Ranked, ReviewOrder, Score, aggregate, check_scores,
};
use wsis_persistence::reviews::{self, NewReview, ReviewRecord};

use super::*;

/// A call's prizes rules (public: the review form is no secret).
pub fn prize_rules(conn: &mut DbConnection, call: &str) -> Result<PrizeRules, Refusal> {
    crate::run(conn, |conn| Ok(find_call(conn, call)?.prizes))
}

/// Replaces a call's prizes rules (staff): the review form and the two switches. The review form no longer changes
/// once a review has been written on it (409 `invalid_transition`); the switches do.
pub fn set_prize_rules(
    conn: &mut DbConnection,
    actor: &Actor,
    call: &str,
    rules: PrizeRules,
    at: DateTime<Utc>,
) -> Result<PrizeRules, Refusal> {
    let staff = require_staff(actor, said!("action-set-prize-rules"))?;
    let violations: Vec<Violation> = rules
        .violations("")
        .into_iter()
        .map(|e| Violation::new(e.field, e.code, e.message))
        .collect();
    if !violations.is_empty() {
        return Err(Refusal::Invalid(violations));
    }
    crate::run(conn, |conn| {
        form_lock(conn, call)?;
        let call = find_call(conn, call)?;
        if call.prizes.review_criteria != rules.review_criteria && reviews::any(conn, &call.id)? {
            return Err(Refusal::InvalidTransition(said!(
                "prize-review-form-frozen"
            )));
        }
        calls::set_prize_rules(conn, &call.id, &rules, at)?;
        let detail = serde_json::json!({
            "criteria": rules.review_criteria.iter().map(|c| (c.code.as_str(), c.weight, c.max_score)).collect::<Vec<_>>(),
            "country_conflicts": rules.country_conflicts,
            "running_totals": rules.running_totals,
        });
        audit(conn, &call, "prize_rules_set", &staff, None, &detail, at)?;
        Ok(rules)
    })
}

/// Holds a call's review form still until the transaction ends: a review is scored against the form it read, and
/// the form does not change under a review being saved (nor does a review slip in while the form changes).
fn form_lock(conn: &mut DbConnection, call: &str) -> Result<(), Refusal> {
    Ok(wsis_persistence::db::lock(
        conn,
        &format!("prize-form:{call}"),
    )?)
}

/// A saved review: what was stored, and whether it is new.
#[derive(Debug, Clone)]
pub struct SavedReview {
    /// The review.
    pub review: ReviewRecord,
    /// First saved now.
    pub created: bool,
}

/// The review phase's window, or why reviews cannot change at `at`.
fn review_open(track: &TrackRecord, at: DateTime<Utc>) -> Result<(), Refusal> {
    let Some(review) = phase_of(track, PrizePhase::Review) else {
        return Err(Refusal::InvalidTransition(said!("prize-no-review")));
    };
    let message = match review.schedule.state_at(at, None) {
        TrackState::Open => return Ok(()),
        TrackState::Upcoming => said!(
            "review-not-open",
            opens = rfc3339(review.schedule.opens_at())
        ),
        _ => said!(
            "review-closed",
            closed = rfc3339(review.schedule.closes_at())
        ),
    };
    Err(Refusal::DeadlinePassed {
        message,
        deadline: crate::submissions::deadline_facts(&review.schedule, None, "review", at),
    })
}

/// The nomination `id` as its reviewer may see it: assigned to them and free of conflict, or not found (a reviewer
/// never learns of a nomination that is not theirs to review).
fn my_nomination(
    conn: &mut DbConnection,
    call: &CallRecord,
    me: &str,
    id: &str,
) -> Result<prizes::AcceptedNomination, Refusal> {
    super::experts::assigned_to(conn, call, me, Some(id))?
        .pop()
        .ok_or_else(|| Refusal::NotFound(said!("not-found-nomination", id = cut(id))))
}

/// Saves the caller's review of a nomination assigned to them (a reviewer), replacing the one they saved before:
/// during the review phase only, every criterion of the call's form scored on its scale with a comment. Audited.
pub fn save_review(
    conn: &mut DbConnection,
    actor: &Actor,
    call: &str,
    nomination: &str,
    scores: Vec<Score>,
    at: DateTime<Utc>,
) -> Result<SavedReview, Refusal> {
    let me = super::experts::reviewer(actor)?;
    crate::run(conn, |conn| {
        form_lock(conn, call)?;
        let (call, track) = prizes_of(conn, call)?;
        let nominated = my_nomination(conn, &call, &me, nomination)?;
        review_open(&track, at)?;
        let criteria = &call.prizes.review_criteria;
        if criteria.is_empty() {
            return Err(Refusal::InvalidTransition(said!("prize-no-review-form")));
        }
        let scores = check_scores(criteria, &scores).map_err(Refusal::Invalid)?;
        let total = wsis_domain::prizes::weighted_total(criteria, &scores);
        let new = NewReview {
            nomination_id: &nominated.id,
            reviewer_id: &me,
            call_id: &call.id,
            scores: &scores,
            total,
        };
        let created = reviews::save(conn, new, at)?;
        let detail = serde_json::json!({"reviewer": me, "total": total, "created": created});
        audit(
            conn,
            &call,
            "review_saved",
            &me,
            Some(&nominated.id),
            &detail,
            at,
        )?;
        let review = reviews::of_call(conn, &call.id, Some(&me), Some(&nominated.id))?
            .pop()
            .ok_or(DbError::NotFound)?;
        Ok(SavedReview { review, created })
    })
}

/// The caller's own reviews in a call (a reviewer), of the nominations they may still see; with `nomination`, that
/// one (not found when they have not reviewed it).
pub fn my_reviews(
    conn: &mut DbConnection,
    actor: &Actor,
    call: &str,
    nomination: Option<&str>,
) -> Result<Vec<ReviewRecord>, Refusal> {
    let me = super::experts::reviewer(actor)?;
    crate::run(conn, |conn| {
        let (call, _) = prizes_of(conn, call)?;
        let conflicts = super::experts::conflicts_in(conn, &call, &me)?;
        let visible: Vec<String> = prizes::accepted_nominations(conn, &call.id, None)?
            .into_iter()
            .filter(|n| !conflicts.excludes(&n.organisation_id, &n.country))
            .map(|n| n.id)
            .collect();
        let mine: Vec<ReviewRecord> = reviews::of_call(conn, &call.id, Some(&me), nomination)?
            .into_iter()
            .filter(|r| visible.contains(&r.nomination_id))
            .collect();
        if let Some(id) = nomination
            && mine.is_empty()
        {
            return Err(Refusal::NotFound(said!("not-found-review", id = cut(id))));
        }
        Ok(mine)
    })
}

/// A review with its nomination's category.
pub type CategorisedReview = (ReviewRecord, Option<u8>);

/// Every review of a call (staff), by nomination then reviewer, with the nomination's category (`None` when the
/// nomination is no longer accepted: its reviews stay).
pub fn all_reviews(
    conn: &mut DbConnection,
    actor: &Actor,
    call: &str,
) -> Result<(PrizeRules, Vec<CategorisedReview>), Refusal> {
    require_staff(actor, said!("action-read-reviews"))?;
    crate::run(conn, |conn| {
        let (call, _) = prizes_of(conn, call)?;
        let categories: HashMap<String, u8> = prizes::accepted_nominations(conn, &call.id, None)?
            .into_iter()
            .map(|n| (n.id, n.category))
            .collect();
        let all = reviews::of_call(conn, &call.id, None, None)?
            .into_iter()
            .map(|r| {
                let category = categories.get(&r.nomination_id).copied();
                (r, category)
            })
            .collect();
        Ok((call.prizes, all))
    })
}

/// One accepted nomination with what its reviews say.
#[derive(Debug, Clone)]
pub struct NominationSummary {
    /// The nomination.
    pub nomination: prizes::AcceptedNomination,
    /// Reviewers assigned.
    pub assigned: usize,
    /// Its reviews' aggregate (`None`: no review yet).
    pub aggregate: Option<Aggregate>,
    /// The mean score of each criterion, in the form's order (criterion code, mean out of its scale).
    pub criteria: Vec<(String, f64)>,
    /// Shortlisted as a nominee.
    pub nominee: bool,
}

fn summaries(
    conn: &mut DbConnection,
    call: &CallRecord,
) -> Result<Vec<NominationSummary>, Refusal> {
    let all = reviews::of_call(conn, &call.id, None, None)?;
    let assignments = prizes::assignments(conn, &call.id, None)?;
    let nominees: Vec<String> = prizes::nominees(conn, &call.id)?
        .into_iter()
        .map(|n| n.nomination_id)
        .collect();
    Ok(prizes::accepted_nominations(conn, &call.id, None)?
        .into_iter()
        .map(|nomination| {
            let these: Vec<&ReviewRecord> = all
                .iter()
                .filter(|r| r.nomination_id == nomination.id)
                .collect();
            let totals: Vec<f64> = these.iter().map(|r| r.total).collect();
            let criteria = call
                .prizes
                .review_criteria
                .iter()
                .filter_map(|c| {
                    let scores: Vec<f64> = these
                        .iter()
                        .filter_map(|r| r.scores.iter().find(|s| s.criterion == c.code))
                        .map(|s| s.score as f64)
                        .collect();
                    aggregate(&scores).map(|a| (c.code.clone(), a.mean))
                })
                .collect();
            NominationSummary {
                assigned: assignments
                    .iter()
                    .filter(|a| a.nomination_id == nomination.id)
                    .count(),
                aggregate: aggregate(&totals),
                criteria,
                nominee: nominees.contains(&nomination.id),
                nomination,
            }
        })
        .collect())
}

/// Every accepted nomination of a call with its reviews' aggregate (staff), in `category` when given, sorted by
/// `order` (nominations without a review last, then by id).
pub fn review_summary(
    conn: &mut DbConnection,
    actor: &Actor,
    call: &str,
    category: Option<PrizeCategory>,
    order: ReviewOrder,
) -> Result<Vec<NominationSummary>, Refusal> {
    require_staff(actor, said!("action-read-reviews"))?;
    crate::run(conn, |conn| {
        let (call, _) = prizes_of(conn, call)?;
        let mut found: Vec<NominationSummary> = summaries(conn, &call)?
            .into_iter()
            .filter(|s| category.is_none_or(|c| c.get() == s.nomination.category))
            .collect();
        let key = |s: &NominationSummary| s.aggregate.map(|a| order.key(&a));
        let descending = order.descending();
        found.sort_by(|a, b| {
            let by_key = match (key(a), key(b)) {
                (Some(x), Some(y)) if descending => y.total_cmp(&x),
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            };
            by_key.then_with(|| a.nomination.id.cmp(&b.nomination.id))
        });
        Ok(found)
    })
}

/// The most nominees per category a shortlist takes.
pub const SHORTLIST_PER_CATEGORY_MAX: usize = 50;
/// The most reviews a shortlist may ask of each nomination.
pub const SHORTLIST_MIN_REVIEWS_MAX: usize = 20;

/// Shortlists, in each category, the `per_category` nominations with the best mean totals among those with at least
/// `min_reviews` reviews (ties at the last place all go: `wsis_domain::prizes::shortlist`), as nominees (staff),
/// under the same conditions as shortlisting by hand. The nominees added (those already on the list stay).
pub fn shortlist_from_reviews(
    conn: &mut DbConnection,
    actor: &Actor,
    call: &str,
    per_category: usize,
    min_reviews: usize,
    at: DateTime<Utc>,
) -> Result<Vec<NomineeRecord>, Refusal> {
    let staff = require_staff(actor, said!("action-shortlist"))?;
    let mut violations = Vec::new();
    if !(1..=SHORTLIST_PER_CATEGORY_MAX).contains(&per_category) {
        violations.push(Violation::new(
            "per_category",
            "out_of_range",
            said!(
                "field-shortlist-per-category",
                max = SHORTLIST_PER_CATEGORY_MAX
            ),
        ));
    }
    if !(1..=SHORTLIST_MIN_REVIEWS_MAX).contains(&min_reviews) {
        violations.push(Violation::new(
            "min_reviews",
            "out_of_range",
            said!("field-min-reviews", max = SHORTLIST_MIN_REVIEWS_MAX),
        ));
    }
    if !violations.is_empty() {
        return Err(Refusal::Invalid(violations));
    }
    crate::run(conn, |conn| {
        let (call, track) = prizes_of(conn, call)?;
        super::nominees::may_shortlist(conn, &call, &track, at)?;
        let ranked: Vec<Ranked<String>> = summaries(conn, &call)?
            .into_iter()
            .filter_map(|s| {
                s.aggregate.map(|aggregate| Ranked {
                    nomination: s.nomination.id,
                    category: s.nomination.category,
                    aggregate,
                })
            })
            .collect();
        let chosen = wsis_domain::prizes::shortlist(&ranked, per_category, min_reviews);
        let mut added = Vec::new();
        for id in &chosen {
            match prizes::nominee(conn, &call.id, id) {
                Ok(_) => continue,
                Err(DbError::NotFound) => {}
                Err(other) => return Err(other.into()),
            }
            added.push(super::nominees::shortlist_one(conn, &call, &staff, id, at)?);
        }
        let detail = serde_json::json!({
            "per_category": per_category,
            "min_reviews": min_reviews,
            "added": added.iter().map(|n| n.nomination_id.as_str()).collect::<Vec<_>>(),
        });
        audit(
            conn,
            &call,
            "nominees_shortlisted",
            &staff,
            None,
            &detail,
            at,
        )?;
        Ok(added)
    })
}
