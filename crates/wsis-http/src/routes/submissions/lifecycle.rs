//! Submitting (receipt, prize rules, deadline to the second) and withdrawing, with the mails they send.

use super::*;

/// Submit a draft. Allowed when the server's receive time, taken once for this request, is at or before the
/// track's effective deadline (to the second). Answers the receipt. A late attempt is recorded and answered 409
/// `deadline_passed` with the deadline in UTC and in the track's zone.
///
/// Owners and editors of its organisation with a verified address may call it. It submits the draft: a receipt with
/// its number, receive time and digest, mailed to the organisation's owners and the author; a late attempt is
/// recorded and refused.
#[utoipa::path(
    operation_id = "submit_submission",
    tag = "submissions",
    security(("bearer" = [])),
    params(
        ("id" = uuid::Uuid, Path, description = "Submission id"),
        ("If-Match" = Option<String>, Header, description = "Optionally, the `ETag` of the version you mean to submit"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retrying with the same key replays the first receipt instead of failing"),
        DryRun,
    ),
    responses(
        (status = 200, description = "The receipt (dry run: `number` is `DRY-RUN`)", body = Receipt),
        SignInRequired,
        (status = 403, description = "Not an owner or editor", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such submission, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`deadline_passed`, `invalid_transition` (not a draft) or `conflict` (prizes rules)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since the given `ETag`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The content no longer passes the rules", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/submissions/{id}/submit")]
pub async fn submit_submission(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: web::Query<DryRun>,
) -> Result<HttpResponse, ApiError> {
    let caller = principal.user_id().map(str::to_owned).unwrap_or_default();
    crate::idempotency::key_of(&req)?;
    let dry_run = query.dry_run;
    let work = submit_submission_work(req.clone(), state.clone(), principal, id, query);
    if dry_run || caller.is_empty() {
        return work.await;
    }
    crate::idempotency::once(&req, &state, &caller, "", work).await
}

async fn submit_submission_work(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: web::Query<DryRun>,
) -> Result<HttpResponse, ApiError> {
    let request = wsis_app::submissions::Submit {
        id: id.into_inner(),
        received_at: crate::middleware::arrived_at(&req, &state),
        if_match: req
            .headers()
            .get(header::IF_MATCH)
            .map(|v| v.to_str().unwrap_or_default().to_owned()),
        dry_run: query.dry_run,
    };
    let actor = principal.actor.clone();
    let submitted = state
        .run(move |conn| wsis_app::submissions::submit(conn, &actor, request))
        .await?;
    let track = track_of(&submitted.call, &submitted.record.track_id)?;
    let receipt = receipt_of(&submitted.record, &submitted.call, &track)
        .ok_or_else(|| ApiError::internal("receipt missing after submit"))?;
    if query.dry_run {
        return Ok(HttpResponse::Ok().json(receipt));
    }
    // The receipt is in the answer; its mail, queued with the submit, is delivered by the outbox worker off the
    // request path (in a deadline rush, delivering each in its request halved the rate).
    if submitted.mail_queued {
        state.mail_queued.notify_one();
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(&submitted.record)))
        .json(receipt))
}

/// Withdraw a submitted entry before a decision and before the track's effective deadline (owners, editors); after
/// the deadline entries are frozen and a late attempt is answered 409 `deadline_passed` and recorded.
///
/// Owners and editors of its organisation may call it. It withdraws the submitted entry (kept, with its history);
/// after a decision or past the deadline it is refused.
#[utoipa::path(
    operation_id = "withdraw_submission",
    tag = "submissions",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Submission id")),
    responses(
        (status = 200, description = "Withdrawn", body = Submission),
        SignInRequired,
        (status = 403, description = "Not an owner or editor", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such submission, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition` (a draft, or already decided) or `deadline_passed` (entries are frozen after the deadline)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/submissions/{id}/withdraw")]
pub async fn withdraw_submission(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let now = crate::middleware::arrived_at(&req, &state);
    let actor = principal.actor.clone();
    let withdrawn = state
        .run(move |conn| wsis_app::submissions::withdraw(conn, &actor, &id, now))
        .await?;
    Ok(respond(
        actix_web::http::StatusCode::OK,
        &withdrawn.record,
        &render(&withdrawn.record, &withdrawn.call, now, Vec::new())?,
    ))
}
