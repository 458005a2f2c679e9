//! Drafts: create, change (If-Match, revisions) and delete contributions.

use super::*;
use wsis_domain::said;

/// A new draft.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "call": "wsis-2025", "track": "trust_fund", "organisation_id": "0193a0c5-1b2c-7d3e-8f40-5a6b7c8d9e0f", "language": "en",
    "content": {"kind": "financial", "amount": "25000.00", "currency": "CHF", "earmark": "Fellowships"}
}))]
pub struct NewSubmissionRequest {
    /// Call slug.
    pub call: String,
    /// The track.
    #[schema(value_type = TrackKind)]
    pub track: String,
    /// The organisation contributing (you must be its owner or editor).
    #[schema(format = Uuid)]
    pub organisation_id: String,
    /// Language of the content (prizes: en).
    #[schema(value_type = Language)]
    pub language: String,
    /// The track's form: `OcpContribution`, `StocktakingProject`, `PrizeNomination` or `TrustFundPledge`.
    #[schema(schema_with = crate::openapi::form_content)]
    pub content: serde_json::Value,
}

/// Start a contribution (a draft) for an organisation.
///
/// Owners and editors of the organisation may call it while the track is open. It creates a draft with the content
/// given (every rule of the form is checked; `?dry_run=true` checks without writing).
#[utoipa::path(
    operation_id = "create_submission",
    tag = "submissions",
    security(("bearer" = [])),
    params(DryRun, ("Idempotency-Key" = Option<String>, Header, description = "Retrying with the same key and body replays the first answer instead of making a second draft")),
    request_body(content = NewSubmissionRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "The draft, with `ETag` and `Location`", body = Submission),
        (status = 200, description = "Dry run: what would be created", body = Submission),
        SignInRequired,
        (status = 403, description = "Not an owner or editor of the organisation", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such call, track or organisation (or not yours)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`deadline_passed`: the track is closed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, with JSON paths", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/submissions")]
pub async fn create_submission(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    query: web::Query<DryRun>,
    body: Result<JsonBody<NewSubmissionRequest>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let caller = principal.user_id().map(str::to_owned).unwrap_or_default();
    if matches!(principal.actor, Actor::Anonymous) {
        return Err(unauthenticated(said!("refused-sign-in-submissions")));
    }
    crate::idempotency::key_of(&req)?;
    let body = body?;
    let fingerprint = serde_json::to_value(&body.0)
        .map(|v| canonical_json(&v))
        .unwrap_or_default();
    let dry_run = query.dry_run;
    let arrived = crate::middleware::arrived_at(&req, &state);
    let language = crate::negotiate::request_language(&req);
    let work = create_submission_work(state.clone(), principal, query, body, arrived, language);
    if dry_run || caller.is_empty() {
        return work.await;
    }
    crate::idempotency::once(&req, &state, &caller, &fingerprint, work).await
}

async fn create_submission_work(
    state: web::Data<AppState>,
    principal: Principal,
    query: web::Query<DryRun>,
    body: JsonBody<NewSubmissionRequest>,
    now: DateTime<Utc>,
    language: wsis_domain::Language,
) -> Result<HttpResponse, ApiError> {
    let request = body.0;
    if matches!(principal.actor, Actor::Anonymous) {
        return Err(unauthenticated(said!("refused-sign-in-submissions")));
    }
    let draft = wsis_app::submissions::NewDraft {
        call: request.call,
        track: request.track,
        organisation_id: request.organisation_id,
        language: request.language,
        content: request.content,
        at: now,
        dry_run: query.dry_run,
    };
    let actor = principal.actor.clone();
    let made = state
        .run(move |conn| wsis_app::submissions::create_draft(conn, &actor, draft))
        .await?;
    let body = render(
        &made.record,
        &made.call,
        now,
        warnings_of(made.warnings, language),
    )?;
    if query.dry_run {
        return Ok(HttpResponse::Ok().json(body));
    }
    Ok(respond(
        actix_web::http::StatusCode::CREATED,
        &made.record,
        &body,
    ))
}

/// A content change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"content": {"kind": "financial", "amount": "30000.00", "currency": "CHF"}}))]
pub struct SubmissionPatch {
    /// The whole form, replacing the current one (a JSON object: anything else is refused as the body is read).
    #[schema(schema_with = crate::openapi::form_content)]
    pub content: serde_json::Map<String, serde_json::Value>,
}

/// Change a draft, or a submitted entry until the deadline (owners, editors). Requires `If-Match`. Every change is
/// a revision; changing a submitted entry renews its receipt's time and digest.
///
/// Owners and editors of its organisation may call it, with the `ETag` of the version they change. It replaces the
/// content (a new revision); a submitted entry keeps its receipt number and gets a new receive time and digest.
#[utoipa::path(
    operation_id = "update_submission",
    tag = "submissions",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Submission id"), ("If-Match" = String, Header, description = "The current `ETag`"), DryRun),
    request_body(content = SubmissionPatch, content_type = "application/json"),
    responses(
        (status = 200, description = "The changed submission", body = Submission),
        SignInRequired,
        (status = 403, description = "Viewers and staff do not edit contributions", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such submission, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`deadline_passed`, or `invalid_transition` when frozen by a decision or withdrawal", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since your `ETag`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "`If-Match` missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/submissions/{id}")]
pub async fn update_submission(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: web::Query<DryRun>,
    body: Result<JsonBody<SubmissionPatch>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let now = crate::middleware::arrived_at(&req, &state);
    // Who may change it is answered first; then a malformed body, the client's first error; then the
    // preconditions (the use case keeps that order).
    let (patch, unreadable) = crate::json::split_body(body);
    let content = patch.map(|p| serde_json::Value::Object(p.content));
    let change = wsis_app::submissions::Change {
        id: id.into_inner(),
        if_match: req
            .headers()
            .get(header::IF_MATCH)
            .map(|v| v.to_str().unwrap_or_default().to_owned()),
        content,
        at: now,
        dry_run: query.dry_run,
    };
    let actor = principal.actor.clone();
    let changed = state
        .attempt(move |conn| wsis_app::submissions::update(conn, &actor, change))
        .await?
        .map_err(|refusal| crate::json::unreadable_first(refusal, unreadable))?;
    let body = render_with(
        &changed.record,
        &changed.call,
        now,
        warnings_of(changed.warnings, crate::negotiate::request_language(&req)),
        changed.extension.as_ref(),
    )?;
    if query.dry_run {
        return Ok(HttpResponse::Ok().json(body));
    }
    Ok(respond(
        actix_web::http::StatusCode::OK,
        &changed.record,
        &body,
    ))
}

/// Delete a draft (owners, editors). Submitted entries are withdrawn, never deleted.
///
/// Owners and editors of its organisation may call it, on drafts only. It deletes the draft.
#[utoipa::path(
    operation_id = "delete_submission",
    tag = "submissions",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Submission id")),
    responses(
        (status = 204, description = "Deleted"),
        SignInRequired,
        (status = 403, description = "Not an owner or editor", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such submission, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a draft: withdraw it instead", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/submissions/{id}")]
pub async fn delete_submission(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let actor = principal.actor.clone();
    let at = state.clock.now();
    state
        .run(move |conn| wsis_app::submissions::delete_draft(conn, &actor, &id, at))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
