//! Contributions on the four tracks: drafts, conditional edits with revisions, submission to the second with
//! receipts, withdrawal, history, and public receipt checks.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put, web};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};
use wsis_domain::Extension;
use wsis_domain::submission::canonical_json;
use wsis_domain::{
    Access, Actor, Language, Performer, Scope, SubmissionStatus, TrackKind, Transition, policy,
};
use wsis_persistence::calls::{self, CallRecord};
use wsis_persistence::submissions::{self, ListOrder, NewSubmission, Position, SubmissionRecord};
use wsis_persistence::{DbError, organisations};

use crate::auth::Principal;
use crate::auth::principal::unauthenticated;
use crate::dto::{Deadline, Page, rfc3339};
use crate::export::{Export, ExportFormat, ExportItem};
use crate::forms;
use crate::json::JsonBody;
use crate::problem::{
    ApiError, CONFLICT, DEADLINE_PASSED, FORBIDDEN, FieldError, INVALID_TRANSITION,
    PRECONDITION_FAILED, PRECONDITION_REQUIRED, Problem, SignInRequired, StaffOnly,
};
use crate::routes::filters::bad;
use crate::state::AppState;

/// `?dry_run=true`: validate and answer as if written, without writing.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DryRun {
    /// Validate only.
    #[serde(default)]
    pub dry_run: bool,
}

/// A receipt: proof of what was received, and when.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "number": "WSIS-2025-PRZ-000042", "submission_id": "0193a0d0-1a2b-7c3d-8e4f-5a6b7c8d9e0f", "call": "wsis-2025",
    "track": "prizes", "received_at": "2025-02-10T22:59:58Z", "received_at_local": "2025-02-10T23:59:58+01:00",
    "content_sha256": "9f2c4e0b3c1a6d8e7f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e",
    "check_code": "3f9a1c07b2e48d5a6c10",
    "verify": "/api/v1/receipts/WSIS-2025-PRZ-000042?check=3f9a1c07b2e48d5a6c10"
}))]
pub struct Receipt {
    /// Unique per call: the call's slug in capitals, the track's code and a sequence.
    pub number: String,
    /// The submission.
    pub submission_id: String,
    /// Call slug.
    pub call: String,
    /// Track kind.
    pub track: String,
    /// The server's receive time (UTC), to the second.
    pub received_at: String,
    /// The same on the track zone's wall clock.
    pub received_at_local: String,
    /// SHA-256 (hex) of the canonical JSON of the content received (object keys sorted, no whitespace).
    pub content_sha256: String,
    /// The receipt's check code (20 hexadecimal digits): with the number, it lets whoever you give both to check the
    /// receipt. The number alone shows nothing to anyone.
    pub check_code: String,
    /// Where whoever holds the number and the check code can check the receipt, without signing in.
    pub verify: String,
}

/// A contribution.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a0d0-1a2b-7c3d-8e4f-5a6b7c8d9e0f", "call": "wsis-2025", "track": "trust_fund",
    "organisation_id": "0193a0c5-1b2c-7d3e-8f40-5a6b7c8d9e0f", "language": "en", "status": "draft",
    "content": {"kind": "financial", "amount": "25000.00", "currency": "CHF"},
    "receipt": null, "warnings": [], "created_at": "2025-02-01T10:00:00Z", "updated_at": "2025-02-01T10:00:00Z"
}))]
pub struct Submission {
    /// Id.
    pub id: String,
    /// Call slug.
    pub call: String,
    /// `ocp`, `stocktaking`, `prizes` or `trust_fund`.
    pub track: String,
    /// Submitting organisation.
    pub organisation_id: String,
    /// Language of the content.
    pub language: String,
    /// `draft`, `submitted`, `under_review`, `accepted`, `rejected` or `withdrawn`.
    pub status: String,
    /// The track's form.
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
    /// The receipt, once submitted.
    pub receipt: Option<Receipt>,
    /// Trust fund pledges: `pledged`, `confirmed` or `received`.
    pub pledge_status: Option<String>,
    /// WSIS Prizes nominations: `champion` or `winner` once staff chose it, else null.
    pub prize_award: Option<String>,
    /// The caller's deadline for this submission.
    pub deadline: Deadline,
    /// Advisories on the content (speaker balance…); they do not block.
    pub warnings: Vec<FieldError>,
    /// Created.
    pub created_at: String,
    /// Last changed.
    pub updated_at: String,
}

fn track_of(call: &CallRecord, id: &str) -> Result<calls::TrackRecord, ApiError> {
    call.tracks
        .iter()
        .find(|t| t.id == id)
        .cloned()
        .ok_or_else(|| ApiError::internal("submission's track is missing"))
}

fn receipt_of(
    record: &SubmissionRecord,
    call: &CallRecord,
    track: &calls::TrackRecord,
) -> Option<Receipt> {
    let (number, at, sha, check) = (
        record.receipt_number.clone()?,
        record.received_at?,
        record.content_sha256.clone()?,
        record.receipt_check.clone()?,
    );
    Some(Receipt {
        verify: format!("/api/v1/receipts/{number}?check={check}"),
        check_code: check,
        number,
        submission_id: record.id.clone(),
        call: call.slug.clone(),
        track: record.track_kind.code().to_owned(),
        received_at: rfc3339(at),
        received_at_local: at
            .with_timezone(&track.schedule.timezone())
            .to_rfc3339_opts(SecondsFormat::Secs, true),
        content_sha256: sha,
    })
}

fn render_with(
    record: &SubmissionRecord,
    call: &CallRecord,
    now: DateTime<Utc>,
    warnings: Vec<FieldError>,
    extension: Option<&Extension>,
) -> Result<Submission, ApiError> {
    let track = track_of(call, &record.track_id)?;
    Ok(Submission {
        id: record.id.clone(),
        call: call.slug.clone(),
        track: record.track_kind.code().to_owned(),
        organisation_id: record.organisation_id.clone(),
        language: record.language.clone(),
        status: record.status.code().to_owned(),
        content: record.content.clone(),
        receipt: receipt_of(record, call, &track),
        pledge_status: record.pledge_status.clone(),
        prize_award: record.prize_award.clone(),
        deadline: Deadline::for_caller(&track.schedule, now, None, extension),
        warnings,
        created_at: rfc3339(record.created_at),
        updated_at: rfc3339(record.updated_at),
    })
}

fn render(
    record: &SubmissionRecord,
    call: &CallRecord,
    now: DateTime<Utc>,
    warnings: Vec<FieldError>,
) -> Result<Submission, ApiError> {
    render_with(record, call, now, warnings, None)
}

/// The strong entity tag of a submission: its id and version (the deadline's `server_time` and `state` are
/// computed per request and not part of what `If-Match` protects).
fn etag(record: &SubmissionRecord) -> String {
    let digest = Sha256::digest(format!("{}:{}", record.id, record.version).as_bytes());
    format!("\"{}\"", hex(&digest[..12]))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 (hex) of the canonical JSON of the content.
pub fn content_digest(content: &serde_json::Value) -> String {
    hex(&Sha256::digest(canonical_json(content).as_bytes()))
}

fn respond(
    status: actix_web::http::StatusCode,
    record: &SubmissionRecord,
    body: &Submission,
) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag(record)))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .insert_header((
            header::LOCATION,
            format!("/api/v1/submissions/{}", record.id),
        ))
        .json(body)
}

fn may_read_all(actor: &Actor) -> bool {
    actor.is_staff()
        || matches!(actor, Actor::Client(c) if c.scopes.contains(&Scope::SubmissionsRead))
}

/// Whether `actor` may see the submission: members of its organisation always; staff and partners with
/// `submissions:read` once it is submitted (never drafts).
fn visible(actor: &Actor, record: &SubmissionRecord) -> bool {
    actor.member_role(&record.organisation_id).is_some()
        || (record.status.is_submitted() && may_read_all(actor))
}

/// A conditional write found the row already changed by someone else: 412, fetch again.
fn changed_meanwhile(what: &str) -> ApiError {
    ApiError::new(
        PRECONDITION_FAILED,
        format!("The {what} changed meanwhile; fetch it again."),
    )
}

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(format!(
        "There is no submission `{}`.",
        id.chars().take(64).collect::<String>()
    ))
}

async fn load(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<(SubmissionRecord, CallRecord), ApiError> {
    if principal.actor == Actor::Anonymous {
        return Err(unauthenticated(
            "Sign in: submissions need an access token.",
        ));
    }
    let lookup = id.to_owned();
    let limited = match &principal.actor {
        Actor::Client(client) => client
            .action_lines
            .as_ref()
            .map(|lines| lines.iter().map(|l| format!("al:{l}")).collect::<Vec<_>>()),
        _ => None,
    };
    let found = state
        .db(move |conn| {
            let record = match submissions::find(conn, &lookup) {
                Ok(record) => record,
                Err(DbError::NotFound) => return Ok(None),
                Err(err) => return Err(err),
            };
            // A partner limited to some action lines sees only submissions about them.
            if let Some(lines) = limited {
                let tags = submissions::tags_of(conn, &record.id)?;
                if !tags.iter().any(|t| lines.contains(t)) {
                    return Ok(None);
                }
            }
            let call = calls::find_call_by_id(conn, &record.call_id)?;
            Ok(Some((record, call)))
        })
        .await?;
    match found {
        Some((record, call)) if visible(&principal.actor, &record) => Ok((record, call)),
        _ => Err(not_found(id)),
    }
}

/// Organisation editors (owners, editors) act on the organisation's submissions; viewers and staff may not.
fn require_editor(actor: &Actor, record: &SubmissionRecord) -> Result<(), ApiError> {
    match actor.member_role(&record.organisation_id) {
        Some(wsis_domain::MemberRole::Owner | wsis_domain::MemberRole::Editor) => Ok(()),
        _ => Err(ApiError::new(
            FORBIDDEN,
            "Only owners and editors of the organisation change its submissions.",
        )),
    }
}

fn require_if_match(req: &HttpRequest, record: &SubmissionRecord) -> Result<(), ApiError> {
    let given = req
        .headers()
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok());
    let Some(given) = given else {
        return Err(ApiError::new(
            PRECONDITION_REQUIRED,
            "Send `If-Match` with the submission's current `ETag`.",
        ));
    };
    let current = etag(record);
    if given
        .split(',')
        .any(|t| t.trim() == current || t.trim() == "*")
    {
        Ok(())
    } else {
        Err(ApiError::new(
            PRECONDITION_FAILED,
            "The submission changed since your copy; fetch it again.",
        ))
    }
}

/// The individual extension that applies to a submission (or, before it exists, to its organisation).
async fn extension_for(
    state: &AppState,
    track_id: &str,
    organisation: &str,
    submission: Option<&str>,
) -> Result<Option<Extension>, ApiError> {
    let (track, org, sub) = (
        track_id.to_owned(),
        organisation.to_owned(),
        submission.map(str::to_owned),
    );
    state
        .db(move |conn| {
            wsis_persistence::extensions::for_submission(conn, &track, &org, sub.as_deref())
        })
        .await
}

/// Checks the deadline for an action at `received_at`; a late attempt is recorded in the submission's history.
/// Checks `at` against the submission's own effective deadline (with any extension for it or its organisation);
/// see [`check_deadline`]. Answers the extension that applied, if any.
async fn check_own_deadline(
    state: &AppState,
    record: &SubmissionRecord,
    call: &CallRecord,
    actor: &str,
    action: &str,
    at: DateTime<Utc>,
) -> Result<Option<Extension>, ApiError> {
    let extension = extension_for(
        state,
        &record.track_id,
        &record.organisation_id,
        Some(&record.id),
    )
    .await?;
    check_deadline(state, record, call, actor, action, at, extension.as_ref()).await?;
    Ok(extension)
}

async fn check_deadline(
    state: &AppState,
    record: &SubmissionRecord,
    call: &CallRecord,
    actor: &str,
    action: &str,
    received_at: DateTime<Utc>,
    extension: Option<&Extension>,
) -> Result<(), ApiError> {
    let track = track_of(call, &record.track_id)?;
    let schedule = &track.schedule;
    if schedule.accepts(received_at, extension) {
        return Ok(());
    }
    let effective = schedule.effective_closes_at(extension);
    let zone = schedule.timezone();
    let before_opening = received_at < schedule.opens_at();
    let detail = serde_json::json!({
        "attempted": action,
        "received_at": received_at.to_rfc3339_opts(SecondsFormat::Millis, true),
        "opens_at": rfc3339(schedule.opens_at()),
        "effective_closes_at": rfc3339(effective),
        "effective_closes_at_local": effective.with_timezone(&zone).to_rfc3339_opts(SecondsFormat::Secs, true),
        "timezone": zone.name(),
    });
    let (id, actor_id, event) = (record.id.clone(), actor.to_owned(), detail.clone());
    state
        .db(move |conn| {
            submissions::record_event(
                conn,
                &id,
                Some(&actor_id),
                "late_attempt",
                &event,
                received_at,
            )
        })
        .await?;
    tracing::info!(submission.id = %record.id, track.kind = %record.track_kind, "attempt outside the window recorded");
    let message = if before_opening {
        format!(
            "The {} track opens at {}.",
            record.track_kind,
            rfc3339(schedule.opens_at())
        )
    } else {
        format!(
            "The deadline was {} ({}); the server received this at {}.",
            rfc3339(effective),
            effective
                .with_timezone(&zone)
                .to_rfc3339_opts(SecondsFormat::Secs, true),
            received_at.to_rfc3339_opts(SecondsFormat::Millis, true)
        )
    };
    Err(ApiError {
        deadline: Some(Box::new(detail)),
        ..ApiError::new(DEADLINE_PASSED, message)
    })
}

/// Validates content for a track: 422 with every error, or the warnings.
fn validate(
    kind: TrackKind,
    content: &serde_json::Value,
    language: Language,
) -> Result<Vec<FieldError>, ApiError> {
    let checked = forms::check(kind, content, language).map_err(ApiError::validation)?;
    if checked.errors.is_empty() {
        Ok(checked.warnings)
    } else {
        Err(ApiError::validation(checked.errors))
    }
}

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
    let warnings = validate(kind, &request.content, language)?;
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
                    index: &forms::index(kind, &content),
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

/// Get a submission (members of its organisation; staff and partners with `submissions:read` once submitted).
#[utoipa::path(
    operation_id = "get_submission",
    tag = "submissions",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Submission id")),
    responses(
        (status = 200, description = "The submission with its `ETag`", body = Submission),
        (status = 304, description = "Not modified"),
        SignInRequired,
        (status = 404, description = "No such submission, or not visible to you", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/submissions/{id}")]
pub async fn get_submission(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (record, call) = load(&state, &principal, &id).await?;
    let extension = extension_for(
        &state,
        &record.track_id,
        &record.organisation_id,
        Some(&record.id),
    )
    .await?;
    let tag = etag(&record);
    let fresh = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag));
    if fresh {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, tag))
            .finish());
    }
    Ok(respond(
        actix_web::http::StatusCode::OK,
        &record,
        &render_with(
            &record,
            &call,
            state.clock.now(),
            Vec::new(),
            extension.as_ref(),
        )?,
    ))
}

/// The filters of a listing, as query parameters; repeated parameters mean OR.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Call slug.
    pub call: Option<String>,
    /// Track kind.
    pub track: Option<String>,
    /// Status.
    pub status: Option<String>,
    /// Organisation id.
    pub organisation: Option<String>,
    /// The organisation's stakeholder category.
    pub stakeholder_category: Option<String>,
    /// The organisation's country (ISO 3166-1 alpha-2 or `global`).
    pub country: Option<String>,
    /// The organisation's ITU-D region.
    pub region: Option<String>,
    /// Action line the content is about.
    pub action_line: Option<String>,
    /// SDG the content is about.
    pub sdg: Option<u8>,
    /// Changed at or after (RFC 3339).
    pub updated_since: Option<String>,
    /// Words the main text contains.
    pub q: Option<String>,
    /// Page size, 1–200 (default 50).
    pub limit: Option<u32>,
    /// Opaque cursor from the previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// A cursor: the position of the last item of a page, in its order (`n` newest, `t` title, `r` relevance), opaque
/// to clients (URL-safe base64). Cursors of the first release (`micros|id`) still read as newest.
pub(crate) fn encode_cursor(position: &Position) -> String {
    use base64::Engine;
    let raw = match position {
        Position::Newest(at, id) => format!("n|{}|{id}", at.timestamp_micros()),
        Position::Title(title, id) => format!("t|{id}|{title}"),
        Position::Relevance(score, id) => format!("r|{:016x}|{id}", score.to_bits()),
    };
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

/// Reads a cursor for a listing in `order`; a cursor of another order (the `sort` changed) is refused.
pub(crate) fn decode_cursor(cursor: &str, order: ListOrder) -> Result<Position, ApiError> {
    use base64::Engine;
    let invalid = || {
        bad(
            "cursor",
            "invalid_cursor",
            "not a cursor this API gave for this sort; start again without it",
        )
    };
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .map_err(|_| invalid())?;
    let raw = String::from_utf8(raw).map_err(|_| invalid())?;
    let micros = |m: &str| {
        m.parse::<i64>()
            .ok()
            .and_then(DateTime::from_timestamp_micros)
            .ok_or_else(invalid)
    };
    let position = match raw.split_once('|').ok_or_else(invalid)? {
        ("n", rest) => {
            let (at, id) = rest.split_once('|').ok_or_else(invalid)?;
            Position::Newest(micros(at)?, id.to_owned())
        }
        ("t", rest) => {
            let (id, title) = rest.split_once('|').ok_or_else(invalid)?;
            Position::Title(title.to_owned(), id.to_owned())
        }
        ("r", rest) => {
            let (bits, id) = rest.split_once('|').ok_or_else(invalid)?;
            let bits = u64::from_str_radix(bits, 16).map_err(|_| invalid())?;
            Position::Relevance(f64::from_bits(bits), id.to_owned())
        }
        (at, id) => Position::Newest(micros(at)?, id.to_owned()),
    };
    let fits = matches!(
        (&position, order),
        (Position::Newest(..), ListOrder::Newest)
            | (Position::Title(..), ListOrder::Title)
            | (Position::Relevance(..), ListOrder::Relevance)
    );
    if fits { Ok(position) } else { Err(invalid()) }
}

/// Builds the database query from the query string (repeated parameters are OR) and the caller's visibility.
async fn list_query(
    req: &HttpRequest,
    state: &AppState,
    actor: &Actor,
    exports: bool,
) -> Result<(submissions::ListQuery, String), ApiError> {
    use crate::routes::filters::{self, QueryString};
    let known = [
        "call",
        "track",
        "status",
        "organisation",
        "stakeholder_category",
        "country",
        "region",
        "action_line",
        "sdg",
        "updated_since",
        "q",
        "limit",
        "cursor",
        "format",
    ];
    let params = QueryString::parse(req, &known)?;
    let mut query = submissions::ListQuery::default();
    match actor {
        Actor::Anonymous => {
            return Err(unauthenticated(
                "Sign in: submissions need an access token.",
            ));
        }
        Actor::User(user) => {
            query.member_of = user.memberships.iter().map(|(id, _)| id.clone()).collect()
        }
        Actor::Client(client) => {
            query.limited_to_tags = client
                .action_lines
                .as_ref()
                .map(|lines| lines.iter().map(|l| format!("al:{l}")).collect());
        }
    }
    query.all_submitted = may_read_all(actor);
    query.submitted_only = exports;
    for v in params.all("track") {
        v.parse::<TrackKind>()
            .map_err(|e| bad("track", "unknown_track", e.to_string()))?;
    }
    query.tracks = params.all("track");
    for v in params.all("status") {
        v.parse::<SubmissionStatus>()
            .map_err(|e| bad("status", "unknown_status", e.to_string()))?;
    }
    query.statuses = params.all("status");
    query.organisations = params.all("organisation");
    query.stakeholder_categories = filters::categories(&params.all("stakeholder_category"))?;
    for v in params.all("country") {
        let code: wsis_domain::CountryCode = v.parse().map_err(|e: wsis_domain::ParseError| {
            bad("country", "unknown_country", e.to_string())
        })?;
        query.countries.push(code.to_string());
    }
    if !params.all("region").is_empty() && !query.countries.is_empty() {
        return Err(bad(
            "region",
            "conflicting_filters",
            "filter by country or by region, not both",
        ));
    }
    query
        .countries
        .extend(filters::region_countries(&params.all("region"))?);
    let groups = [
        filters::action_line_tags(&params.all("action_line"))?,
        filters::sdg_tags(&params.all("sdg"))?,
    ];
    query.tag_groups = groups.into_iter().filter(|g| !g.is_empty()).collect();
    if let Some(since) = params.first("updated_since") {
        let since = DateTime::parse_from_rfc3339(since).map_err(|_| {
            bad(
                "updated_since",
                "invalid_time",
                "an RFC 3339 time such as 2025-03-14T00:00:00Z",
            )
        })?;
        query.updated_since = Some(since.with_timezone(&Utc));
    }
    query.search = params
        .first("q")
        .map(wsis_domain::search::query_phrases)
        .unwrap_or_default();
    query.limit = filters::limit(params.first("limit"))?;
    if let Some(cursor) = params.first("cursor") {
        query.after = Some(decode_cursor(cursor, ListOrder::Newest)?);
    }
    let slugs = params.all("call");
    if !slugs.is_empty() {
        let calls = state.db(calls::summaries).await?;
        for slug in &slugs {
            let call = calls
                .iter()
                .find(|c| &c.slug == slug)
                .ok_or_else(|| bad("call", "unknown_call", format!("there is no call `{slug}`")))?;
            query.calls.push(call.id.clone());
        }
    }
    Ok((query, params.without("cursor")))
}

/// List submissions, newest first, with cursor pagination. Members see their organisations' (drafts included);
/// staff and partners with `submissions:read` see every submitted one, never drafts; a partner limited to action
/// lines sees only those.
#[utoipa::path(
    operation_id = "list_submissions",
    tag = "submissions",
    security(("bearer" = [])),
    params(ListParams),
    responses(
        (status = 200, description = "A page; `Link: <…>; rel=\"next\"` when there is more", body = Page<Submission>),
        SignInRequired,
        (status = 422, description = "An invalid filter, limit or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/submissions")]
pub async fn list_submissions(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let (mut query, base) = list_query(&req, &state, &principal.actor, false).await?;
    let limit = query.limit;
    query.limit = limit + 1;
    let now = state.clock.now();
    let (mut rows, calls) = state
        .db(move |conn| Ok((submissions::list(conn, &query)?, calls::list_calls(conn)?)))
        .await?;
    let more = i64::try_from(rows.len()).unwrap_or(i64::MAX) > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        let call = calls
            .iter()
            .find(|c| c.id == row.record.call_id)
            .ok_or_else(|| ApiError::internal("call missing"))?;
        items.push(render(&row.record, call, now, Vec::new())?);
    }
    let next_cursor = if more {
        rows.last().map(|row| encode_cursor(&row.position))
    } else {
        None
    };
    let mut response = HttpResponse::Ok();
    response.insert_header((header::CACHE_CONTROL, "private, no-cache"));
    if let Some(cursor) = &next_cursor {
        let sep = if base.is_empty() { "" } else { "&" };
        response.insert_header((
            header::LINK,
            format!("</api/v1/submissions?{base}{sep}cursor={cursor}>; rel=\"next\""),
        ));
    }
    Ok(response.json(Page { items, next_cursor }))
}

/// Export format.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// `csv` (default: RFC 4180, UTF-8, a header row), `json` (one array) or `jsonl` (JSON Lines), as the
    /// repository export takes them. The list filters apply too.
    pub format: Option<String>,
}

/// Export submitted entries (staff; partners with `exports:read`), never drafts, with the list's filters, streamed
/// page by page in constant memory. CSV cells that a spreadsheet would run as a formula are prefixed with `'`.
#[utoipa::path(
    operation_id = "export_submissions",
    tag = "submissions",
    security(("bearer" = [])),
    params(ExportParams, ListParams),
    responses(
        (status = 200, description = "The export, streamed", content(("text/csv"), ("application/json"), ("application/x-ndjson"))),
        SignInRequired,
        (status = 403, description = "Staff and partners with `exports:read` only", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown format or filter", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/submissions/export")]
pub async fn export_submissions(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let allowed = principal.actor.is_staff()
        || matches!(&principal.actor, Actor::Client(c) if c.scopes.contains(&Scope::ExportsRead));
    if principal.actor == Actor::Anonymous {
        return Err(unauthenticated("Sign in: exports need an access token."));
    }
    if !allowed {
        return Err(ApiError::new(
            FORBIDDEN,
            "Exports are for staff and for partners with the exports:read scope.",
        ));
    }
    let format = ExportFormat::from_query(req.query_string())?;
    let (query, _) = list_query(&req, &state, &principal.actor, true).await?;
    let calls = state.db(calls::summaries).await?;
    let stamp = state.clock.now().format("%Y%m%dT%H%M%SZ");
    let export = Export {
        format,
        columns: &EXPORT_COLUMNS,
        file_stem: format!("submissions-{stamp}"),
        cache_control: "private, no-store",
    };
    Ok(export.stream(state, query, move |row| {
        let (r, org) = (&row.record, &row.organisation);
        let call = calls
            .iter()
            .find(|c| c.id == r.call_id)
            .map(|c| c.slug.clone())
            .ok_or_else(|| format!("call {} of submission {} is missing", r.call_id, r.id))?;
        let region = org
            .country
            .parse::<wsis_domain::CountryCode>()
            .ok()
            .and_then(|c| c.region())
            .map(|r| r.code().to_owned())
            .unwrap_or_default();
        Ok(ExportedSubmission(serde_json::json!({
            "id": r.id, "receipt_number": r.receipt_number, "call": call, "track": r.track_kind.code(),
            "status": r.status.code(), "organisation_id": r.organisation_id, "organisation_name": org.name,
            "stakeholder_category": org.stakeholder_category, "country": org.country, "region": region,
            "language": r.language, "received_at": r.received_at.map(rfc3339), "content_sha256": r.content_sha256,
            "pledge_status": r.pledge_status, "updated_at": rfc3339(r.updated_at), "content": r.content,
        })))
    }))
}

/// The columns of a submissions export, in order (the JSON formats carry the same members).
const EXPORT_COLUMNS: [&str; 16] = [
    "id",
    "receipt_number",
    "call",
    "track",
    "status",
    "organisation_id",
    "organisation_name",
    "stakeholder_category",
    "country",
    "region",
    "language",
    "received_at",
    "content_sha256",
    "pledge_status",
    "updated_at",
    "content",
];

/// One exported submission: its members as JSON; for CSV, one cell per column (the content as canonical JSON).
#[derive(Debug, Serialize)]
#[serde(transparent)]
struct ExportedSubmission(serde_json::Value);

impl ExportItem for ExportedSubmission {
    fn cells(&self) -> Vec<String> {
        EXPORT_COLUMNS
            .iter()
            .map(|c| match &self.0[*c] {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect()
    }
}

/// A content change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"content": {"kind": "financial", "amount": "30000.00", "currency": "CHF"}}))]
pub struct SubmissionPatch {
    /// The whole form, replacing the current one.
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
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
    let content = body?.0.content;
    let warnings = validate(record.track_kind, &content, language)?;
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
    let (sid, version, kind) = (record.id.clone(), record.version, record.track_kind);
    let updated = state
        .db(move |conn| {
            submissions::update_content(
                conn,
                &sid,
                version,
                &content,
                &forms::index(kind, &content),
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

/// Checks what the prizes rules add at submission: the project is the organisation's submitted stocktaking entry
/// that has not won a WSIS Prize before, one nomination per organisation and category in a call, and a project
/// once per call.
async fn check_prize_rules(state: &AppState, record: &SubmissionRecord) -> Result<(), ApiError> {
    let project = record
        .content
        .get("project_id")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned();
    let category = record
        .content
        .get("category")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or_default();
    let (org, call, me) = (
        record.organisation_id.clone(),
        record.call_id.clone(),
        record.id.clone(),
    );
    let (project_record, siblings, previous_wins, won_in) = state
        .db(move |conn| {
            let found = match submissions::find(conn, &project) {
                Ok(p) => Some(p),
                Err(DbError::NotFound) => None,
                Err(e) => return Err(e),
            };
            let wins = submissions::winning_nominations_of(conn, &project)?;
            let won_in = match wins.first() {
                Some(win) => Some(calls::find_call_by_id(conn, &win.call_id)?.slug),
                None => None,
            };
            Ok((
                found,
                submissions::list_for_organisations(conn, std::slice::from_ref(&org))?,
                wins,
                won_in,
            ))
        })
        .await?;
    let eligible = project_record.as_ref().is_some_and(|p| {
        p.organisation_id == record.organisation_id
            && p.track_kind == TrackKind::Stocktaking
            && matches!(
                p.status,
                SubmissionStatus::Submitted
                    | SubmissionStatus::UnderReview
                    | SubmissionStatus::Accepted
            )
    });
    if !eligible {
        return Err(ApiError::validation(vec![FieldError::new(
            "content.project_id",
            "not_eligible",
            "nominate one of your organisation's submitted stocktaking projects",
        )]));
    }
    if !previous_wins.is_empty() {
        let call = won_in.unwrap_or_default();
        return Err(ApiError::validation(vec![FieldError::new(
            "content.project_id",
            "previous_winner",
            format!("this project won a WSIS Prize in {call}; previous winners are not eligible"),
        )]));
    }
    let live = |s: &&SubmissionRecord| {
        s.id != me
            && s.call_id == call
            && s.track_kind == TrackKind::Prizes
            && !matches!(
                s.status,
                SubmissionStatus::Draft | SubmissionStatus::Withdrawn
            )
    };
    if siblings.iter().filter(live).any(|s| {
        s.content
            .get("category")
            .and_then(serde_json::Value::as_u64)
            == Some(category)
    }) {
        return Err(ApiError {
            errors: vec![FieldError::new(
                "content.category",
                "one_per_category",
                "your organisation already has a nomination in this category",
            )],
            ..ApiError::new(
                CONFLICT,
                "One nomination per organisation per category per call.",
            )
        });
    }
    let project_id = record.content.get("project_id");
    if siblings
        .iter()
        .filter(live)
        .any(|s| s.content.get("project_id") == project_id)
    {
        return Err(ApiError {
            errors: vec![FieldError::new(
                "content.project_id",
                "already_nominated",
                "this project is already nominated in this call",
            )],
            ..ApiError::new(CONFLICT, "A project is nominated once per call.")
        });
    }
    Ok(())
}

/// Submit a draft. Allowed when the server's receive time, taken once for this request, is at or before the
/// track's effective deadline (to the second). Answers the receipt. A late attempt is recorded and answered 409
/// `deadline_passed` with the deadline in UTC and in the track's zone.
#[utoipa::path(
    operation_id = "submit_submission",
    tag = "submissions",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Submission id"),
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
    let received_at = crate::middleware::arrived_at(&req, &state);
    let (record, call) = load(&state, &principal, &id).await?;
    require_editor(&principal.actor, &record)?;
    if req.headers().contains_key(header::IF_MATCH) {
        require_if_match(&req, &record)?;
    }
    let user = principal.user_id()?.to_owned();
    let verified = policy::act_as_verified_user(&principal.actor);
    if verified != Access::Allowed {
        return Err(ApiError::new(
            FORBIDDEN,
            "Verify your e-mail address before submitting.",
        ));
    }
    if let Err(err) = record
        .status
        .apply(Transition::Submit, Performer::Organisation)
    {
        return Err(ApiError::new(INVALID_TRANSITION, format!("{err}.")));
    }
    check_own_deadline(&state, &record, &call, &user, "submit", received_at).await?;
    let language: Language = record.language.parse().unwrap_or(Language::En);
    validate(record.track_kind, &record.content, language)?;
    if record.track_kind == TrackKind::Prizes {
        check_prize_rules(&state, &record).await?;
    }
    let digest = content_digest(&record.content);
    let track = track_of(&call, &record.track_id)?;
    if query.dry_run {
        let preview = SubmissionRecord {
            receipt_number: Some("DRY-RUN".into()),
            received_at: Some(received_at),
            content_sha256: Some(digest),
            receipt_check: Some("DRY-RUN".into()),
            ..record.clone()
        };
        return Ok(HttpResponse::Ok().json(receipt_of(&preview, &call, &track)));
    }
    let (sid, version, slug, kind) = (
        record.id.clone(),
        record.version,
        call.slug.clone(),
        record.track_kind,
    );
    let check_code = crate::auth::secrets::receipt_check_code();
    let zone = track.schedule.timezone();
    let for_mail = record.clone();
    let submitted = state
        .db(move |conn| {
            let recipients = submissions::recipients(conn, &for_mail)?;
            submissions::submit(
                conn,
                &sid,
                version,
                &slug,
                kind,
                &digest,
                &check_code,
                &user,
                received_at,
                &|submitted| receipt_mails(&recipients, submitted, zone),
            )
        })
        .await?
        .ok_or_else(|| {
            ApiError::new(
                PRECONDITION_FAILED,
                "The submission changed while submitting; fetch it again.",
            )
        })?;
    let receipt = receipt_of(&submitted, &call, &track)
        .ok_or_else(|| ApiError::internal("receipt missing after submit"))?;
    tracing::info!(submission.id = %submitted.id, receipt = %receipt.number, "submitted");
    crate::routes::auth::deliver_now(&state, None).await;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(&submitted)))
        .json(receipt))
}

/// The receipt mail for each recipient, in their language.
fn receipt_mails(
    recipients: &[(String, String)],
    submitted: &SubmissionRecord,
    zone: chrono_tz::Tz,
) -> Vec<submissions::Mail> {
    let (Some(number), Some(at), Some(sha), Some(check)) = (
        &submitted.receipt_number,
        submitted.received_at,
        &submitted.content_sha256,
        &submitted.receipt_check,
    ) else {
        return Vec::new();
    };
    recipients
        .iter()
        .map(|(to, language)| {
            let language: Language = language.parse().unwrap_or(Language::En);
            let local = at
                .with_timezone(&zone)
                .to_rfc3339_opts(SecondsFormat::Secs, true);
            let letter = crate::mail::receipt(
                language,
                number,
                submitted.track_kind.code(),
                &rfc3339(at),
                &local,
                sha,
                check,
            );
            submissions::Mail {
                to: to.clone(),
                subject: letter.subject,
                body: letter.body,
                language: language.code().to_owned(),
            }
        })
        .collect()
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

/// Withdraw a submitted entry before a decision and before the track's effective deadline (owners, editors); after
/// the deadline entries are frozen and a late attempt is answered 409 `deadline_passed` and recorded.
#[utoipa::path(
    operation_id = "withdraw_submission",
    tag = "submissions",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Submission id")),
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
    let (record, call) = load(&state, &principal, &id).await?;
    require_editor(&principal.actor, &record)?;
    let user = principal.user_id()?.to_owned();
    let to = record
        .status
        .apply(Transition::Withdraw, Performer::Organisation)
        .map_err(|e| ApiError::new(INVALID_TRANSITION, format!("{e}.")))?;
    // After the deadline entries are frozen (docs/submissions.md): what was received is what is reviewed, and an
    // organisation that wants out asks the secretariat. Up to its own effective deadline it may withdraw.
    check_own_deadline(&state, &record, &call, &user, "withdraw", now).await?;
    let (sid, from) = (record.id.clone(), record.status);
    let moved = state
        .db(move |conn| {
            submissions::transition(
                conn,
                &sid,
                from,
                to,
                &user,
                "withdrawn",
                &serde_json::json!({"from": from.code()}),
                now,
                &[],
            )
        })
        .await?
        .ok_or_else(|| changed_meanwhile("submission"))?;
    Ok(respond(
        actix_web::http::StatusCode::OK,
        &moved,
        &render(&moved, &call, now, Vec::new())?,
    ))
}

/// Get the receipt of a submitted entry again.
#[utoipa::path(
    operation_id = "get_receipt",
    tag = "submissions",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Submission id")),
    responses(
        (status = 200, description = "The receipt", body = Receipt),
        SignInRequired,
        (status = 404, description = "No such submission, or not submitted", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/submissions/{id}/receipt")]
pub async fn get_receipt(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (record, call) = load(&state, &principal, &id).await?;
    let track = track_of(&call, &record.track_id)?;
    let receipt = receipt_of(&record, &call, &track).ok_or_else(|| {
        ApiError::not_found("This submission has no receipt: it was never submitted.")
    })?;
    Ok(HttpResponse::Ok().json(receipt))
}

/// A revision of the content.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"number": 2, "author_id": "0193a0c4-8f2e-7d41-b6a2-5c1d9e0f3a7b", "created_at": "2025-02-03T08:00:00Z", "changed_fields": ["content.amount"], "content": {"kind": "financial", "amount": "30000.00", "currency": "CHF"}}))]
pub struct Revision {
    /// 1 for the draft as created, then one per change.
    pub number: i32,
    /// Who made it.
    pub author_id: String,
    /// When.
    pub created_at: String,
    /// Top-level fields that changed.
    pub changed_fields: Vec<String>,
    /// The content after the change.
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
}

/// The revisions of a submission, oldest first.
#[utoipa::path(
    operation_id = "list_revisions",
    tag = "submissions",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Submission id")),
    responses(
        (status = 200, description = "Revisions", body = Page<Revision>),
        SignInRequired,
        (status = 404, description = "No such submission, or not yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/submissions/{id}/revisions")]
pub async fn list_revisions(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (record, _) = load(&state, &principal, &id).await?;
    let revisions = state
        .db(move |conn| submissions::revisions(conn, &record.id))
        .await?;
    let items = revisions
        .into_iter()
        .map(|r| Revision {
            number: r.number,
            author_id: r.author_id,
            created_at: rfc3339(r.created_at),
            changed_fields: r.changed_fields,
            content: r.content,
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .json(Page::complete(items)))
}

/// An entry of the audit trail.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"action": "late_attempt", "actor_id": "0193a0c4-8f2e-7d41-b6a2-5c1d9e0f3a7b", "at": "2025-02-10T23:00:01Z", "detail": {"attempted": "submit", "received_at": "2025-02-10T23:00:01.250Z", "effective_closes_at": "2025-02-10T22:59:59Z"}}))]
pub struct HistoryEntry {
    /// `created`, `updated`, `submitted`, `withdrawn`, `late_attempt`, and staff actions.
    pub action: String,
    /// Who.
    pub actor_id: Option<String>,
    /// When.
    pub at: String,
    /// Details.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

/// The audit trail of a submission: every action, late attempts included, oldest first.
#[utoipa::path(
    operation_id = "list_history",
    tag = "submissions",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Submission id")),
    responses(
        (status = 200, description = "History", body = Page<HistoryEntry>),
        SignInRequired,
        (status = 404, description = "No such submission, or not yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/submissions/{id}/history")]
pub async fn list_history(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (record, _) = load(&state, &principal, &id).await?;
    let events = state
        .db(move |conn| submissions::events(conn, &record.id))
        .await?;
    let items = events
        .into_iter()
        .map(|e| HistoryEntry {
            action: e.action,
            actor_id: e.actor_id,
            at: e.created_at.to_rfc3339_opts(SecondsFormat::Millis, true),
            detail: e.detail,
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .json(Page::complete(items)))
}

/// What a receipt certifies, for whoever holds its number and check code.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"number": "WSIS-2025-PRZ-000042", "call": "wsis-2025", "track": "prizes", "received_at": "2025-02-10T22:59:58Z", "content_sha256": "9f2c4e0b3c1a6d8e7f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e"}))]
pub struct ReceiptCheck {
    /// The number.
    pub number: String,
    /// Call slug.
    pub call: String,
    /// Track.
    pub track: String,
    /// Receive time (UTC).
    pub received_at: String,
    /// Compare with the SHA-256 of the canonical JSON of your copy of the content.
    pub content_sha256: String,
}

/// The check code of a receipt.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReceiptCheckParams {
    /// The receipt's `check_code`, as the receipt and its mail give it.
    #[param(min_length = 20, max_length = 20, pattern = "^[0-9a-fA-F]{20}$")]
    pub check: String,
}

/// Check a receipt: whoever holds its number and its check code (both on the receipt the submitter received) sees
/// when it was received and the digest of what was received. A number without its code, or with a wrong one,
/// answers 404 exactly as a number that does not exist, so walking numbers or guessing codes learns nothing.
#[utoipa::path(
    operation_id = "check_receipt",
    tag = "submissions",
    params(
        ("number" = String, Path, description = "Receipt number", example = "WSIS-2025-PRZ-000042"),
        ReceiptCheckParams,
    ),
    responses(
        (status = 200, description = "What the receipt certifies", body = ReceiptCheck),
        (status = 404, description = "No such receipt, or not this check code", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No check code given", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/receipts/{number}")]
pub async fn check_receipt(
    req: HttpRequest,
    state: web::Data<AppState>,
    number: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let query = crate::routes::filters::QueryString::parse(&req, &["check"])?;
    let Some(check) = query
        .first("check")
        .map(str::to_owned)
        .filter(|c| !c.trim().is_empty())
    else {
        return Err(bad(
            "check",
            "required",
            "the receipt's check_code, as the receipt gives it",
        ));
    };
    let lookup = number.clone();
    let found = state
        .db(move |conn| submissions::receipt(conn, &lookup))
        .await?;
    let presented = crate::auth::secrets::digest(check.trim().to_ascii_lowercase().as_str());
    let facts = found
        .filter(|f| {
            crate::auth::secrets::digests_equal(
                &crate::auth::secrets::digest(&f.check_code),
                &presented,
            )
        })
        .ok_or_else(|| ApiError::not_found("There is no such receipt with this check code."))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .json(ReceiptCheck {
            number: number.into_inner(),
            call: facts.call,
            track: facts.track,
            received_at: rfc3339(facts.received_at),
            content_sha256: facts.content_sha256,
        }))
}

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
