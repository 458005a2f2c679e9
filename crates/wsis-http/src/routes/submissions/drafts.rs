//! Drafts: create, change (If-Match, revisions) and delete contributions.

use super::*;

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
    /// Track kind.
    pub track: String,
    /// The organisation contributing (you must be its owner or editor).
    pub organisation_id: String,
    /// Language of the content: ar, zh, en, fr, ru or es (prizes: en).
    pub language: String,
    /// The track's form: `OcpContribution`, `StocktakingProject`, `PrizeNomination` or `TrustFundPledge`.
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
}

/// Start a contribution (a draft) for an organisation.
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
        return Err(unauthenticated(
            "Sign in: submissions need an access token.",
        ));
    }
    crate::idempotency::key_of(&req)?;
    let body = body?;
    let fingerprint = serde_json::to_value(&body.0)
        .map(|v| canonical_json(&v))
        .unwrap_or_default();
    let dry_run = query.dry_run;
    let arrived = crate::middleware::arrived_at(&req, &state);
    let work = create_submission_work(state.clone(), principal, query, body, arrived);
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
) -> Result<HttpResponse, ApiError> {
    let request = body.0;
    // Contributions are made by the organisation's owners and editors; staff and viewers see it but may not,
    // and anyone else is told nothing about it.
    let role = principal.actor.member_role(&request.organisation_id);
    if !matches!(
        role,
        Some(wsis_domain::MemberRole::Owner | wsis_domain::MemberRole::Editor)
    ) {
        return Err(match (&principal.actor, role) {
            (Actor::Anonymous, _) => unauthenticated("Sign in: submissions need an access token."),
            (actor, None) if !actor.is_staff() => {
                ApiError::not_found("There is no such organisation, or you are not a member.")
            }
            _ => ApiError::new(
                FORBIDDEN,
                "Only owners and editors of the organisation contribute for it.",
            ),
        });
    }
    let user = principal.user_id()?.to_owned();
    let mut errors = Vec::new();
    let kind = request
        .track
        .parse::<TrackKind>()
        .map_err(|e| errors.push(FieldError::new("track", "unknown_track", e.to_string())))
        .ok();
    let language = request
        .language
        .parse::<Language>()
        .map_err(|e| {
            errors.push(FieldError::new(
                "language",
                "unsupported_language",
                e.to_string(),
            ))
        })
        .ok();
    let (Some(kind), Some(language)) = (kind, language) else {
        return Err(ApiError::validation(errors));
    };
    let (slug, org) = (request.call.clone(), request.organisation_id.clone());
    let (call, _) = state
        .db(move |conn| {
            Ok((
                calls::find_call(conn, &slug)?,
                organisations::find(conn, &org)?,
            ))
        })
        .await
        .map_err(|e| e.when_missing("There is no such call or organisation."))?;
    let track = call
        .tracks
        .iter()
        .find(|t| t.kind == kind)
        .cloned()
        .ok_or_else(|| {
            ApiError::not_found(format!("Call `{}` has no `{kind}` track.", call.slug))
        })?;
    let (form, warnings) = validate(kind, &request.content, language)?;
    let draft = SubmissionRecord {
        id: String::new(),
        call_id: call.id.clone(),
        track_id: track.id.clone(),
        track_kind: kind,
        organisation_id: request.organisation_id.clone(),
        language: language.code().to_owned(),
        status: SubmissionStatus::Draft,
        content: request.content.clone(),
        version: 0,
        receipt_number: None,
        received_at: None,
        content_sha256: None,
        pledge_status: None,
        prize_award: None,
        receipt_check: None,
        created_by: user.clone(),
        created_at: now,
        updated_at: now,
    };
    let extension = extension_for(&state, &track.id, &request.organisation_id, None).await?;
    if track.schedule.state_at(now, extension.as_ref()) == wsis_domain::TrackState::Closed {
        let effective = track.schedule.effective_closes_at(extension.as_ref());
        return Err(ApiError {
            deadline: Some(Box::new(
                serde_json::json!({"effective_closes_at": rfc3339(effective), "received_at": rfc3339(now)}),
            )),
            ..ApiError::new(
                DEADLINE_PASSED,
                format!("The {kind} track closed at {}.", rfc3339(effective)),
            )
        });
    }
    if query.dry_run {
        return Ok(HttpResponse::Ok().json(render(&draft, &call, now, warnings)?));
    }
    let content = request.content;
    let (call_id, track_id, org_id) = (call.id.clone(), track.id.clone(), request.organisation_id);
    let created = state
        .db(move |conn| {
            submissions::create(
                conn,
                &NewSubmission {
                    call_id: &call_id,
                    track_id: &track_id,
                    track_kind: kind,
                    organisation_id: &org_id,
                    language: language.code(),
                    content: &content,
                    created_by: &user,
                    index: &search_index(&form),
                },
                now,
            )
        })
        .await?;
    tracing::info!(submission.id = %created.id, track.kind = %kind, "draft created");
    Ok(respond(
        actix_web::http::StatusCode::CREATED,
        &created,
        &render(&created, &call, now, warnings)?,
    ))
}

/// A content change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"content": {"kind": "financial", "amount": "30000.00", "currency": "CHF"}}))]
pub struct SubmissionPatch {
    /// The whole form, replacing the current one (a JSON object: anything else is refused as the body is read).
    #[schema(value_type = Object)]
    pub content: serde_json::Map<String, serde_json::Value>,
}

fn changed_fields(before: &serde_json::Value, after: &serde_json::Value) -> Vec<String> {
    let keys = |v: &serde_json::Value| {
        v.as_object()
            .map(|m| m.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let mut all: Vec<String> = keys(before).into_iter().chain(keys(after)).collect();
    all.sort();
    all.dedup();
    all.into_iter()
        .filter(|k| before.get(k) != after.get(k))
        .map(|k| format!("content.{k}"))
        .collect()
}

/// Change a draft, or a submitted entry until the deadline (owners, editors). Requires `If-Match`. Every change is
/// a revision; changing a submitted entry renews its receipt's time and digest.
#[utoipa::path(
    operation_id = "update_submission",
    tag = "submissions",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Submission id"), ("If-Match" = String, Header, description = "The current `ETag`"), DryRun),
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
    let (record, call) = load(&state, &principal, &id).await?;
    require_editor(&principal.actor, &record)?;
    // The body is read before the preconditions, once the caller is known to be allowed: a malformed body is the
    // client's first error.
    let content = serde_json::Value::Object(body?.0.content);
    require_if_match(&req, &record)?;
    let user = principal.user_id()?.to_owned();
    if !record.status.editable_by_organisation() {
        return Err(ApiError::new(
            INVALID_TRANSITION,
            format!("A {} submission cannot be changed.", record.status),
        ));
    }
    let extension = check_own_deadline(&state, &record, &call, &user, "update", now).await?;
    let language: Language = record.language.parse().unwrap_or(Language::En);
    let (form, warnings) = validate(record.track_kind, &content, language)?;
    let changed = changed_fields(&record.content, &content);
    let digest = (record.status == SubmissionStatus::Submitted).then(|| content_digest(&content));
    if query.dry_run {
        let preview = SubmissionRecord {
            content,
            received_at: digest.as_ref().map(|_| now),
            content_sha256: digest.or(record.content_sha256.clone()),
            ..record.clone()
        };
        return Ok(HttpResponse::Ok().json(render(&preview, &call, now, warnings)?));
    }
    let (sid, version) = (record.id.clone(), record.version);
    let updated = state
        .db(move |conn| {
            submissions::update_content(
                conn,
                &sid,
                version,
                &content,
                &search_index(&form),
                &changed,
                &user,
                digest.as_deref(),
                now,
            )
        })
        .await?
        .ok_or_else(|| {
            ApiError::new(
                PRECONDITION_FAILED,
                "The submission changed since your copy; fetch it again.",
            )
        })?;
    Ok(respond(
        actix_web::http::StatusCode::OK,
        &updated,
        &render_with(&updated, &call, now, warnings, extension.as_ref())?,
    ))
}

/// Delete a draft (owners, editors). Submitted entries are withdrawn, never deleted.
#[utoipa::path(
    operation_id = "delete_submission",
    tag = "submissions",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Submission id")),
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
    let (record, _) = load(&state, &principal, &id).await?;
    require_editor(&principal.actor, &record)?;
    let sid = record.id.clone();
    if state
        .db(move |conn| submissions::delete_draft(conn, &sid))
        .await?
    {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::new(
            INVALID_TRANSITION,
            "Only drafts are deleted; withdraw a submitted entry instead.",
        ))
    }
}
