//! Staff decisions, one by one and in batch.

use super::*;
use wsis_domain::Decision;
use wsis_domain::said;

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
pub(super) fn answer(
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
///
/// Staff only. It moves the entry through review (under review, accepted, rejected, or back to submitted) with an
/// optional note, mails the decision to the organisation, and records it in the history.
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
///
/// Staff only. It applies each decision as `decide_submission` does, each in its own transaction; the answer says
/// what became of each.
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
            said!("field-decisions-count"),
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
                e.said(),
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
