//! The Expert Group: conflicts of interest and assignments.

use super::*;

/// A reviewer's conflicts of interest.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"organisations": ["0193a0c5-1b2c-7d3e-8f40-5a6b7c8d9e0f"], "countries": ["KE"]}))]
pub struct ConflictsBody {
    /// Organisations (ids) whose nominations the reviewer must not see, be assigned or review.
    #[serde(default)]
    pub organisations: Vec<String>,
    /// Countries (ISO 3166-1 alpha-2) whose organisations' nominations the reviewer must not review.
    #[serde(default)]
    pub countries: Vec<String>,
}

impl From<wsis_persistence::prizes::DeclaredConflicts> for ConflictsBody {
    fn from(c: wsis_persistence::prizes::DeclaredConflicts) -> Self {
        Self {
            organisations: c.organisations,
            countries: c.countries,
        }
    }
}

/// Declare my conflicts of interest (a reviewer), replacing what I declared before.
///
/// A member of the Expert Group (the `reviewer` role) may call it. It replaces the caller's declared conflicts:
/// nominations of these organisations, and of organisations of these countries, are never shown, assigned or
/// reviewable for them (nor are those of organisations they belong to, declared or not).
#[utoipa::path(
    operation_id = "declare_my_conflicts",
    tag = "prizes",
    security(("bearer" = [])),
    request_body(content = ConflictsBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The conflicts as stored", body = ConflictsBody),
        SignInRequired,
        (status = 403, description = "Not a member of the Expert Group", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown organisation or country", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/me/conflicts")]
pub async fn declare_my_conflicts(
    state: web::Data<AppState>,
    principal: Principal,
    body: Result<JsonBody<ConflictsBody>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let actor = principal.actor.clone();
    // Who may call it is answered before the body is read.
    use_cases::reviewer(&actor)?;
    let body = body?.0;
    let declared = use_cases::ConflictDeclaration {
        organisations: body.organisations,
        countries: body.countries,
    };
    let now = state.clock.now();
    let stored = state
        .run(move |conn| use_cases::declare_conflicts(conn, &actor, declared, now))
        .await?;
    Ok(HttpResponse::Ok().json(ConflictsBody::from(stored)))
}

/// My declared conflicts of interest (a reviewer).
///
/// A member of the Expert Group may call it; it changes nothing.
#[utoipa::path(
    operation_id = "get_my_conflicts",
    tag = "prizes",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's declared conflicts", body = ConflictsBody),
        SignInRequired,
        (status = 403, description = "Not a member of the Expert Group", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/conflicts")]
pub async fn get_my_conflicts(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let actor = principal.actor.clone();
    let conflicts = state
        .run(move |conn| use_cases::my_conflicts(conn, &actor))
        .await?;
    read(&req, None, false, &ConflictsBody::from(conflicts))
}

/// A nomination assigned to a reviewer.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"nomination": "0193a0c4-8f2e-7d41-b6a2-5c1d9e0f3a7b", "reviewer": "0193a0c4-3333-7d41-b6a2-5c1d9e0f3a7b", "assigned_at": "2025-02-12T09:00:00Z"}))]
pub struct AssignmentView {
    /// The nomination.
    #[schema(format = Uuid)]
    pub nomination: String,
    /// The reviewer (a user id).
    #[schema(format = Uuid)]
    pub reviewer: String,
    /// When it was assigned (UTC).
    #[schema(format = DateTime)]
    pub assigned_at: String,
}

impl From<wsis_persistence::prizes::Assignment> for AssignmentView {
    fn from(a: wsis_persistence::prizes::Assignment) -> Self {
        Self {
            nomination: a.nomination_id,
            reviewer: a.reviewer_id,
            assigned_at: rfc3339(a.assigned_at.and_utc()),
        }
    }
}

/// Assign a nomination to a reviewer (staff).
///
/// Staff only. It assigns an accepted nomination to a member of the Expert Group, unless the reviewer has a
/// conflict of interest with it (409); assigning again changes nothing. The step is in the prizes' audit trail.
#[utoipa::path(
    operation_id = "assign_prize_reviewer",
    tag = "prizes",
    security(("bearer" = [])),
    params(
        ("call" = String, Path, description = "The call's slug", example = "wsis-2025"),
        ("id" = String, Path, description = "The nomination's id", format = Uuid),
        ("reviewer" = String, Path, description = "The reviewer's user id", format = Uuid),
    ),
    responses(
        (status = 200, description = "The assignment", body = AssignmentView),
        StaffOnly,
        (status = 404, description = "No such call or nomination of it", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`conflict`: the reviewer has a conflict of interest; `invalid_transition`: the nomination is not accepted", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a member of the Expert Group", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/calls/{call}/prizes/nominations/{id}/reviewers/{reviewer}")]
pub async fn assign_prize_reviewer(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let (call, id, reviewer) = path.into_inner();
    let (actor, now) = (principal.actor.clone(), state.clock.now());
    let assignment = state
        .run(move |conn| use_cases::assign_reviewer(conn, &actor, &call, &id, &reviewer, now))
        .await?;
    Ok(HttpResponse::Ok().json(AssignmentView::from(assignment)))
}

/// Take an assignment back (staff).
///
/// Staff only. It removes the assignment, in the prizes' audit trail.
#[utoipa::path(
    operation_id = "unassign_prize_reviewer",
    tag = "prizes",
    security(("bearer" = [])),
    params(
        ("call" = String, Path, description = "The call's slug", example = "wsis-2025"),
        ("id" = String, Path, description = "The nomination's id", format = Uuid),
        ("reviewer" = String, Path, description = "The reviewer's user id", format = Uuid),
    ),
    responses(
        (status = 204, description = "Taken back"),
        StaffOnly,
        (status = 404, description = "No such call, or no such assignment", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/calls/{call}/prizes/nominations/{id}/reviewers/{reviewer}")]
pub async fn unassign_prize_reviewer(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let (call, id, reviewer) = path.into_inner();
    let (actor, now) = (principal.actor.clone(), state.clock.now());
    state
        .run(move |conn| use_cases::unassign_reviewer(conn, &actor, &call, &id, &reviewer, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// How many reviewers each nomination gets.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"per_nomination": 3}))]
pub struct AutoAssignRequest {
    /// Reviewers per nomination, 1–10.
    pub per_nomination: usize,
}

/// What automatic assignment did.
#[derive(Debug, Serialize, ToSchema)]
pub struct AutoAssignedView {
    /// The assignments made.
    pub assigned: Vec<AssignmentPair>,
    /// Nominations left with fewer reviewers than asked (too few reviewers free of conflict).
    pub short: Vec<String>,
}

/// A nomination and a reviewer.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssignmentPair {
    /// The nomination.
    #[schema(format = Uuid)]
    pub nomination: String,
    /// The reviewer.
    #[schema(format = Uuid)]
    pub reviewer: String,
}

/// Assign every accepted nomination to reviewers automatically (staff), balanced, never with a conflict.
///
/// Staff only. It gives each accepted nomination of the call `per_nomination` reviewers of the Expert Group where it
/// can, balancing their work across and within categories and never assigning a reviewer with a conflict of
/// interest; assignments made before stay. The step is in the prizes' audit trail.
#[utoipa::path(
    operation_id = "auto_assign_prize_reviewers",
    tag = "prizes",
    security(("bearer" = [])),
    params(("call" = String, Path, description = "The call's slug", example = "wsis-2025")),
    request_body(content = AutoAssignRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "What was assigned", body = AutoAssignedView),
        StaffOnly,
        (status = 404, description = "No such call or prizes track", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`per_nomination` out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/calls/{call}/prizes/assignments:auto")]
pub async fn auto_assign_prize_reviewers(
    state: web::Data<AppState>,
    principal: Principal,
    call: web::Path<String>,
    body: Result<JsonBody<AutoAssignRequest>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let per = body?.0.per_nomination;
    let (actor, now, call) = (
        principal.actor.clone(),
        state.clock.now(),
        call.into_inner(),
    );
    let made = state
        .run(move |conn| use_cases::auto_assign(conn, &actor, &call, per, now))
        .await?;
    Ok(HttpResponse::Ok().json(AutoAssignedView {
        assigned: made
            .assigned
            .into_iter()
            .map(|(nomination, reviewer)| AssignmentPair {
                nomination,
                reviewer,
            })
            .collect(),
        short: made.short,
    }))
}

/// Every assignment of a call.
#[derive(Debug, Serialize, ToSchema)]
pub struct Assignments {
    /// By nomination, then reviewer.
    pub items: Vec<AssignmentView>,
}

/// The assignments of a call (staff).
///
/// Staff only; it changes nothing.
#[utoipa::path(
    operation_id = "list_prize_assignments",
    tag = "prizes",
    security(("bearer" = [])),
    params(("call" = String, Path, description = "The call's slug", example = "wsis-2025")),
    responses(
        (status = 200, description = "The assignments", body = Assignments),
        StaffOnly,
        (status = 404, description = "No such call or prizes track", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/calls/{call}/prizes/assignments")]
pub async fn list_prize_assignments(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    call: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let (actor, call) = (principal.actor.clone(), call.into_inner());
    let found = state
        .run(move |conn| use_cases::assignments(conn, &actor, &call))
        .await?;
    read(
        &req,
        None,
        false,
        &Assignments {
            items: found.into_iter().map(Into::into).collect(),
        },
    )
}

/// A nomination as its reviewer reads it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssignedNomination {
    /// The nomination.
    #[schema(format = Uuid)]
    pub nomination: String,
    /// Its category.
    pub category: u8,
    /// The nomination as submitted (`PrizeNomination`).
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
}

/// The nominations assigned to me (a reviewer).
#[derive(Debug, Serialize, ToSchema)]
pub struct MyAssignments {
    /// Oldest first; never one I have a conflict of interest with.
    pub items: Vec<AssignedNomination>,
}

/// The nominations assigned to me in a call (a reviewer).
///
/// A member of the Expert Group may call it; it changes nothing. A nomination the caller has a conflict of
/// interest with is never listed, even when the conflict was declared after the assignment.
#[utoipa::path(
    operation_id = "list_my_assignments",
    tag = "prizes",
    security(("bearer" = [])),
    params(MyCallQuery),
    responses(
        (status = 200, description = "The caller's assigned nominations", body = MyAssignments),
        SignInRequired,
        (status = 403, description = "Not a member of the Expert Group", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such call", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No `call`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/assignments")]
pub async fn list_my_assignments(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    use crate::routes::filters::{QueryString, declared};
    let query: MyCallQuery = QueryString::parse(&req, &declared::<MyCallQuery>())?.read()?;
    let actor = principal.actor.clone();
    let found = state
        .run(move |conn| use_cases::my_assignments(conn, &actor, &query.call))
        .await?;
    read(
        &req,
        None,
        false,
        &MyAssignments {
            items: found
                .into_iter()
                .map(|n| AssignedNomination {
                    nomination: n.id,
                    category: n.category,
                    content: n.content,
                })
                .collect(),
        },
    )
}

/// A reviewer's declared conflicts, as staff see them.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewerConflicts {
    /// The reviewer (a user id).
    #[schema(format = Uuid)]
    pub reviewer: String,
    /// What they declared (memberships of organisations count too, without being declared).
    pub conflicts: ConflictsBody,
}

/// Every reviewer's declared conflicts.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewersConflicts {
    /// One per member of the Expert Group.
    pub items: Vec<ReviewerConflicts>,
}

/// The Expert Group's declared conflicts of interest (staff).
///
/// Staff only; it changes nothing. Each member of the Expert Group with what they declared.
#[utoipa::path(
    operation_id = "list_reviewer_conflicts",
    tag = "prizes",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every reviewer's declared conflicts", body = ReviewersConflicts),
        StaffOnly,
    )
)]
#[get("/prizes/conflicts")]
pub async fn list_reviewer_conflicts(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let actor = principal.actor.clone();
    let found = state
        .run(move |conn| use_cases::reviewer_conflicts(conn, &actor))
        .await?;
    read(
        &req,
        None,
        false,
        &ReviewersConflicts {
            items: found
                .into_iter()
                .map(|(reviewer, conflicts)| ReviewerConflicts {
                    reviewer,
                    conflicts: conflicts.into(),
                })
                .collect(),
        },
    )
}
