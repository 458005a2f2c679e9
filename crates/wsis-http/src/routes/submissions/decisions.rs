//! Staff decisions one by one and in batch, pledge status and prize awards.

use super::*;
use wsis_domain::{Decision, PledgeStatus, PrizeAward};

/// A staff decision.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"decision": "accept", "note": "Meets every criterion."}))]
pub struct DecisionRequest {
    /// What staff decide.
    pub decision: Decision,
    /// An explanation, mailed to the organisation with an acceptance or a rejection (up to 2000 characters).
    #[serde(default)]
    pub note: Option<String>,
}

/// Applies a staff decision to one submission (`wsis_app::submissions::decide`).
async fn decide(
    state: &AppState,
    principal: &Principal,
    id: &str,
    decision: Decision,
    note: Option<String>,
) -> Result<wsis_app::submissions::Submitted, ApiError> {
    let actor = principal.actor.clone();
    let request = wsis_app::submissions::Decide {
        id: id.to_owned(),
        decision,
        note,
        at: state.clock.now(),
    };
    let decided = state
        .run(move |conn| wsis_app::submissions::decide(conn, &actor, request))
        .await?;
    if decided.mail_queued {
        state.mail_queued.notify_one();
    }
    Ok(decided)
}

/// The answer of a staff action: the submission as it is now.
fn answer(
    state: &AppState,
    done: &wsis_app::submissions::Submitted,
) -> Result<HttpResponse, ApiError> {
    Ok(respond(
        actix_web::http::StatusCode::OK,
        &done.record,
        &render(&done.record, &done.call, state.clock.now(), Vec::new())?,
    ))
}

/// Decide on a submission (staff): start the review, accept, reject, or reopen. Accepting and rejecting mail the
/// organisation, in each recipient's language.
#[utoipa::path(
    operation_id = "decide_submission",
    tag = "submissions",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Submission id")),
    request_body(content = DecisionRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The submission after the decision", body = Submission),
        StaffOnly,
        (status = 404, description = "No such submitted entry", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown decision", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/submissions/{id}/decision")]
pub async fn decide_submission(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    body: Result<JsonBody<DecisionRequest>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let request = body?.0;
    let decided = decide(&state, &principal, &id, request.decision, request.note).await?;
    answer(&state, &decided)
}

/// One decision of a batch.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchItem {
    /// The submission.
    #[schema(format = Uuid)]
    pub submission_id: String,
    /// What staff decide. An unknown decision fails this item alone (422 in its result), not the batch.
    #[schema(value_type = Decision)]
    pub decision: String,
    /// Optional note.
    #[serde(default)]
    pub note: Option<String>,
}

/// Up to 100 decisions.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"items": [{"submission_id": "0193a0d0-1a2b-7c3d-8e4f-5a6b7c8d9e0f", "decision": "accept"}, {"submission_id": "0193a0d0-2b3c-7d4e-8f50-6a7b8c9d0e1f", "decision": "reject", "note": "Out of scope."}]}))]
pub struct BatchRequest {
    /// The decisions, applied in order, each on its own.
    pub items: Vec<BatchItem>,
}

/// The outcome of one decision in a batch.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchResult {
    /// The submission.
    #[schema(format = Uuid)]
    pub submission_id: String,
    /// The HTTP status this decision alone would have had.
    pub status: u16,
    /// The submission's status after it, when it succeeded.
    pub submission_status: Option<SubmissionStatus>,
    /// The problem, when it failed.
    pub error: Option<Problem>,
}

/// Every outcome of a batch.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"results": [{"submission_id": "0193a0d0-1a2b-7c3d-8e4f-5a6b7c8d9e0f", "status": 200, "submission_status": "accepted", "error": null}]}))]
pub struct BatchResponse {
    /// One per item, in order.
    pub results: Vec<BatchResult>,
}

/// Decide on many submissions at once (staff). Each item succeeds or fails on its own; the answer lists every
/// outcome.
#[utoipa::path(
    operation_id = "decide_batch",
    tag = "submissions",
    security(("bearer" = [])),
    request_body(content = BatchRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "Per-item results", body = BatchResponse),
        StaffOnly,
        (status = 422, description = "No items, or more than 100", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/decisions:batch")]
pub async fn decide_batch(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    body: Result<JsonBody<BatchRequest>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let items = body?.0.items;
    if items.is_empty() || items.len() > 100 {
        return Err(ApiError::validation(vec![FieldError::new(
            "items",
            "invalid_length",
            "1 to 100 decisions",
        )]));
    }
    let language = crate::negotiate::request_language(&req);
    let mut results = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let decided = match item.decision.parse::<Decision>() {
            Ok(decision) => {
                decide(
                    &state,
                    &principal,
                    &item.submission_id,
                    decision,
                    item.note.clone(),
                )
                .await
            }
            Err(e) => Err(ApiError::validation(vec![FieldError::new(
                "decision",
                "invalid_value",
                e.to_string(),
            )])),
        };
        let result = match decided {
            Ok(decided) => BatchResult {
                submission_id: item.submission_id.clone(),
                status: 200,
                submission_status: Some(decided.record.status),
                error: None,
            },
            Err(err) => {
                let instance = format!("/api/v1/decisions:batch#/items/{i}");
                BatchResult {
                    submission_id: item.submission_id.clone(),
                    status: err.kind.status,
                    submission_status: None,
                    error: Some(err.to_problem(language, &instance, None)),
                }
            }
        };
        results.push(result);
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(BatchResponse { results }))
}

/// A pledge's new status.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "confirmed"}))]
pub struct PledgeStatusRequest {
    /// `confirmed` (after `pledged`) or `received` (after `confirmed`); every pledge starts as `pledged`.
    pub status: PledgeStatus,
}

/// Move a Trust Fund pledge forward (staff): pledged → confirmed → received.
#[utoipa::path(
    operation_id = "update_pledge_status",
    tag = "submissions",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Submission id")),
    request_body(content = PledgeStatusRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The pledge", body = Submission),
        StaffOnly,
        (status = 404, description = "No such submitted pledge", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: not the next step", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown status", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/submissions/{id}/pledge-status")]
pub async fn update_pledge_status(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    body: Result<JsonBody<PledgeStatusRequest>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let to = body?.0.status;
    let (actor, id, at) = (principal.actor.clone(), id.into_inner(), state.clock.now());
    let moved = state
        .run(move |conn| wsis_app::submissions::set_pledge_status(conn, &actor, &id, to, at))
        .await?;
    answer(&state, &moved)
}

/// A WSIS Prizes award.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"award": "winner"}))]
pub struct PrizeAwardRequest {
    /// The award.
    pub award: PrizeAward,
}

async fn set_award(
    state: &AppState,
    principal: &Principal,
    id: &str,
    award: Option<PrizeAward>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let (actor, id, at) = (principal.actor.clone(), id.to_owned(), state.clock.now());
    let changed = state
        .run(move |conn| wsis_app::submissions::set_prize_award(conn, &actor, &id, award, at))
        .await?;
    answer(state, &changed)
}

/// Record a WSIS Prizes award on an accepted nomination (staff): `champion` or `winner`. Setting the same award
/// again changes nothing; every change is in the nomination's history.
#[utoipa::path(
    operation_id = "set_prize_award",
    tag = "submissions",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Submission id (a prize nomination)")),
    request_body(content = PrizeAwardRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The nomination with its award", body = Submission),
        StaffOnly,
        (status = 404, description = "No such prize nomination", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: the nomination is not accepted", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown award", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/submissions/{id}/prize-award")]
pub async fn set_prize_award(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    body: Result<JsonBody<PrizeAwardRequest>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let award = body?.0.award;
    set_award(&state, &principal, &id, Some(award)).await
}

/// Take back a WSIS Prizes award (staff), for instance one recorded by mistake; the change is in the history.
#[utoipa::path(
    operation_id = "clear_prize_award",
    tag = "submissions",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Submission id (a prize nomination)")),
    responses(
        (status = 200, description = "The nomination without an award", body = Submission),
        StaffOnly,
        (status = 404, description = "No such prize nomination", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: the nomination is not accepted", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/submissions/{id}/prize-award")]
pub async fn clear_prize_award(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    set_award(&state, &principal, &id, None).await
}
