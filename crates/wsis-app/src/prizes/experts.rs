//! The Expert Group: conflicts of interest, and the assignment of nominations to reviewers.

use super::*;

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
            match unknown_organisation(conn, &format!("organisations[{i}]"), id)? {
                Some(violation) => violations.push(violation),
                None if !organisations.contains(id) => organisations.push(id.clone()),
                None => {}
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

/// Everything that makes `user` conflicted in `call`: memberships and declarations (declared countries only when the
/// call counts them: `country_conflicts`).
pub(super) fn conflicts_in(
    conn: &mut DbConnection,
    call: &CallRecord,
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
        countries: if call.prizes.country_conflicts {
            declared.countries
        } else {
            Vec::new()
        },
    })
}

/// The members of the Expert Group (users with the `reviewer` role).
fn reviewer_ids(conn: &mut DbConnection) -> Result<Vec<String>, Refusal> {
    Ok(wsis_persistence::users::list_users(conn)?
        .into_iter()
        .filter(|(_, roles)| roles.contains(&wsis_domain::UserRole::Reviewer))
        .map(|(user, _)| user.id)
        .collect())
}

/// An assignment made now by `staff`.
fn assignment(
    call: &CallRecord,
    nomination: &str,
    reviewer: &str,
    staff: &str,
    at: DateTime<Utc>,
) -> prizes::Assignment {
    prizes::Assignment {
        nomination_id: nomination.to_owned(),
        reviewer_id: reviewer.to_owned(),
        call_id: call.id.clone(),
        assigned_by: staff.to_owned(),
        assigned_at: at.naive_utc(),
    }
}

/// An accepted nomination of the call, or why not.
fn accepted_nomination(
    conn: &mut DbConnection,
    call: &CallRecord,
    id: &str,
) -> Result<prizes::AcceptedNomination, Refusal> {
    if let Some(found) = prizes::accepted_nominations(conn, &call.id, Some(id))?.pop() {
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
        if conflicts_in(conn, &call, reviewer_id)?
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
        let made = assignment(&call, &nominated.id, reviewer_id, &staff, at);
        if prizes::assign(conn, &made)? {
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
        Ok(made)
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
        for id in reviewer_ids(conn)? {
            reviewers.push(wsis_domain::prizes::Reviewer {
                load: existing.iter().filter(|a| a.reviewer_id == id).count(),
                conflicts: conflicts_in(conn, &call, &id)?,
                id,
            });
        }
        let nominations: Vec<wsis_domain::prizes::ToAssign> =
            prizes::accepted_nominations(conn, &call.id, None)?
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
            prizes::assign(conn, &assignment(&call, nomination, reviewer, &staff, at))?;
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
        assigned_to(conn, &call, &me, None)
    })
}

/// The accepted nominations of the call assigned to reviewer `me` and free of conflict (with `only`, that one if it
/// is such): what a reviewer may see and review.
pub(super) fn assigned_to(
    conn: &mut DbConnection,
    call: &CallRecord,
    me: &str,
    only: Option<&str>,
) -> Result<Vec<prizes::AcceptedNomination>, Refusal> {
    let mine: Vec<String> = prizes::assignments(conn, &call.id, Some(me))?
        .into_iter()
        .map(|a| a.nomination_id)
        .collect();
    let conflicts = conflicts_in(conn, call, me)?;
    Ok(prizes::accepted_nominations(conn, &call.id, only)?
        .into_iter()
        .filter(|n| mine.contains(&n.id) && !conflicts.excludes(&n.organisation_id, &n.country))
        .collect())
}

/// The declared conflicts of every reviewer (staff), by reviewer id.
pub fn reviewer_conflicts(
    conn: &mut DbConnection,
    actor: &Actor,
) -> Result<Vec<(String, prizes::DeclaredConflicts)>, Refusal> {
    require_staff(actor, said!("action-assign-reviewers"))?;
    crate::run(conn, |conn| {
        let mut declared = prizes::conflicts_of(conn, None)?;
        Ok(reviewer_ids(conn)?
            .into_iter()
            .map(|id| {
                let conflicts = declared.remove(&id).unwrap_or_default();
                (id, conflicts)
            })
            .collect())
    })
}
