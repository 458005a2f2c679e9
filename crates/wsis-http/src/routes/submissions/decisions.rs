//! Staff decisions one by one and in batch, pledge status and prize awards.

use super::*;

/// A staff decision.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"decision": "accept", "note": "Meets every criterion."}))]
pub struct DecisionRequest {
    /// `start_review`, `accept`, `reject` or `reopen`.
    pub decision: String,
    /// An explanation, mailed to the organisation (up to 2000 characters).
    #[serde(default)]
    pub note: Option<String>,
}

/// Applies a staff transition to one submission.
async fn decide(
    state: &AppState,
    staff: &str,
    id: &str,
    request: &DecisionRequest,
) -> Result<SubmissionRecord, ApiError> {
    let transition = match request.decision.parse::<Transition>() {
        Ok(
            t @ (Transition::StartReview
            | Transition::Accept
            | Transition::Reject
            | Transition::Reopen),
        ) => t,
        _ => {
            return Err(ApiError::validation(vec![FieldError::new(
                "decision",
                "invalid_value",
                "one of start_review, accept, reject, reopen",
            )]));
        }
    };
    if request
        .note
        .as_ref()
        .is_some_and(|n| n.chars().count() > 2000)
    {
        return Err(ApiError::validation(vec![FieldError::new(
            "note",
            "invalid_length",
            "at most 2000 characters",
        )]));
    }
    let now = state.clock.now();
    let lookup = id.to_owned();
    let record = state
        .db(move |conn| match submissions::find(conn, &lookup) {
            Ok(r) => Ok(Some(r)),
            Err(DbError::NotFound) => Ok(None),
            Err(e) => Err(e),
        })
        .await?
        .filter(|r| r.status.is_submitted())
        .ok_or_else(|| not_found(id))?;
    let to = record
        .status
        .apply(transition, Performer::Staff)
        .map_err(|e| ApiError::new(INVALID_TRANSITION, format!("{e}.")))?;
    let (from, staff, note) = (record.status, staff.to_owned(), request.note.clone());
    let detail = serde_json::json!({"from": from.code(), "to": to.code(), "note": note});
    let action = transition.code().to_owned();
    let moved = state
        .db(move |conn| {
            let recipients = submissions::recipients(conn, &record)?;
            let mails = if matches!(to, SubmissionStatus::Accepted | SubmissionStatus::Rejected) {
                decision_mails(&recipients, &record, to, note.as_deref())
            } else {
                Vec::new()
            };
            submissions::transition(
                conn, &record.id, from, to, &staff, &action, &detail, now, &mails,
            )
        })
        .await?
        .ok_or_else(|| changed_meanwhile("submission"))?;
    tracing::info!(submission.id = %moved.id, to = %moved.status, "staff decision");
    crate::routes::auth::deliver_now(state, None).await;
    Ok(moved)
}

/// Decide on a submission (staff): start the review, accept, reject, or reopen. Accepting and rejecting mail the
/// organisation, in each recipient's language.
#[utoipa::path(
    operation_id = "decide_submission",
    tag = "submissions",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Submission id")),
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
    let staff = principal.require_staff()?;
    let moved = decide(&state, &staff, &id, &body?.0).await?;
    let call_id = moved.call_id.clone();
    let call = state
        .db(move |conn| calls::find_call_by_id(conn, &call_id))
        .await?;
    Ok(respond(
        actix_web::http::StatusCode::OK,
        &moved,
        &render(&moved, &call, state.clock.now(), Vec::new())?,
    ))
}

/// One decision of a batch.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchItem {
    /// The submission.
    pub submission_id: String,
    /// `start_review`, `accept`, `reject` or `reopen`.
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
    pub submission_id: String,
    /// The HTTP status this decision alone would have had.
    pub status: u16,
    /// The submission's status after it, when it succeeded.
    pub submission_status: Option<String>,
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
    let staff = principal.require_staff()?;
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
        let request = DecisionRequest {
            decision: item.decision.clone(),
            note: item.note.clone(),
        };
        let result = match decide(&state, &staff, &item.submission_id, &request).await {
            Ok(moved) => BatchResult {
                submission_id: item.submission_id.clone(),
                status: 200,
                submission_status: Some(moved.status.code().to_owned()),
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
    /// `confirmed` (after `pledged`) or `received` (after `confirmed`).
    pub status: String,
}

/// Move a Trust Fund pledge forward (staff): pledged → confirmed → received.
#[utoipa::path(
    operation_id = "update_pledge_status",
    tag = "submissions",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Submission id")),
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
    let staff = principal.require_staff()?;
    let body = body?;
    let (record, call) = load(&state, &principal, &id).await?;
    if record.track_kind != TrackKind::TrustFund {
        return Err(not_found(&id));
    }
    let from = match body.0.status.as_str() {
        "confirmed" => "pledged",
        "received" => "confirmed",
        _ => {
            return Err(ApiError::validation(vec![FieldError::new(
                "status",
                "invalid_value",
                "confirmed or received",
            )]));
        }
    };
    if record.pledge_status.as_deref() != Some(from) {
        return Err(ApiError::new(
            INVALID_TRANSITION,
            format!(
                "A pledge moves pledged → confirmed → received; this one is {}.",
                record.pledge_status.as_deref().unwrap_or("not submitted")
            ),
        ));
    }
    let now = state.clock.now();
    let to = body.0.status;
    let sid = record.id.clone();
    let moved = state
        .db(move |conn| submissions::set_pledge_status(conn, &sid, from, &to, &staff, now))
        .await?
        .ok_or_else(|| changed_meanwhile("pledge"))?;
    Ok(respond(
        actix_web::http::StatusCode::OK,
        &moved,
        &render(&moved, &call, now, Vec::new())?,
    ))
}

/// A WSIS Prizes award.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"award": "winner"}))]
pub struct PrizeAwardRequest {
    /// `champion` (among the most voted in its category) or `winner` (chosen by the Expert Group; a category may
    /// have more than one). A winning project is not eligible in later calls.
    pub award: String,
}

async fn set_award(
    state: &AppState,
    principal: &Principal,
    id: &str,
    award: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let staff = principal.require_staff()?;
    let (record, call) = load(state, principal, id).await?;
    if record.track_kind != TrackKind::Prizes {
        return Err(not_found(id));
    }
    if record.status != SubmissionStatus::Accepted {
        return Err(ApiError::new(
            INVALID_TRANSITION,
            format!(
                "Only accepted nominations receive awards; this one is {}.",
                record.status.code()
            ),
        ));
    }
    let now = state.clock.now();
    let sid = record.id.clone();
    let changed = state
        .db(move |conn| submissions::set_prize_award(conn, &sid, award.as_deref(), &staff, now))
        .await?
        .ok_or_else(|| changed_meanwhile("nomination"))?;
    Ok(respond(
        actix_web::http::StatusCode::OK,
        &changed,
        &render(&changed, &call, now, Vec::new())?,
    ))
}

/// Record a WSIS Prizes award on an accepted nomination (staff): `champion` or `winner`. Setting the same award
/// again changes nothing; every change is in the nomination's history.
#[utoipa::path(
    operation_id = "set_prize_award",
    tag = "submissions",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Submission id (a prize nomination)")),
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
    let award = body?.0.award;
    if !matches!(award.as_str(), "champion" | "winner") {
        return Err(ApiError::validation(vec![FieldError::new(
            "award",
            "invalid_value",
            "champion or winner",
        )]));
    }
    set_award(&state, &principal, &id, Some(award)).await
}

/// Take back a WSIS Prizes award (staff), for instance one recorded by mistake; the change is in the history.
#[utoipa::path(
    operation_id = "clear_prize_award",
    tag = "submissions",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Submission id (a prize nomination)")),
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

/// The decision mail for each recipient, in their language.
fn decision_mails(
    recipients: &[(String, String)],
    record: &SubmissionRecord,
    status: SubmissionStatus,
    note: Option<&str>,
) -> Vec<submissions::Mail> {
    let number = record
        .receipt_number
        .clone()
        .unwrap_or_else(|| record.id.clone());
    recipients
        .iter()
        .map(|(to, language)| {
            let language: Language = language.parse().unwrap_or(Language::En);
            let letter = crate::mail::decision(language, &number, status.code(), note);
            submissions::Mail {
                to: to.clone(),
                subject: letter.subject,
                body: letter.body,
                language: language.code().to_owned(),
            }
        })
        .collect()
}
