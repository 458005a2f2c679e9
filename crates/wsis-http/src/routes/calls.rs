//! Calls for contributions, their tracks and deadlines.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use serde::Deserialize;
use utoipa::IntoParams;
use wsis_domain::TrackKind;
use wsis_domain::said;
use wsis_persistence::calls;

use crate::dto::{Call, CallInput, Page, RenderContext, Track};
use crate::json::JsonBody;
use crate::negotiate::{CallerZone, Lang};
use crate::problem::{ApiError, Problem, ReadResponses, StaffOnly};
use crate::responses::conditional::{Cached, Freshness};
use crate::state::AppState;

/// Query of every call and track read.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallQuery {
    /// Language of names: ar, zh, en, fr, ru or es (overrides `Accept-Language`).
    #[param(example = "ar")]
    pub lang: Option<String>,
    /// Also render every deadline in this IANA time zone (`deadline.requested_timezone`).
    #[param(example = "America/New_York")]
    pub tz: Option<String>,
}

const CALL_CACHE: Cached<'static> = Cached {
    language: None,
    freshness: Freshness::Revalidate,
    volatile_fields: &["server_time"],
};

fn context(state: &AppState, lang: Lang, zone: CallerZone) -> RenderContext {
    RenderContext {
        language: lang.0,
        now: state.clock.now(),
        caller_zone: zone.0,
    }
}

fn cached(lang: Lang) -> Cached<'static> {
    Cached {
        language: Some(lang.0),
        ..CALL_CACHE
    }
}

async fn load_call(state: &AppState, slug: String) -> Result<calls::CallRecord, ApiError> {
    let missing = said!(
        "not-found-call",
        slug = slug.chars().take(64).collect::<String>()
    );
    state
        .db(move |conn| calls::find_call(conn, &slug))
        .await
        .map_err(|err| err.when_missing(missing))
}

/// List calls for contributions, newest first.
///
/// Anyone may call it, without credentials; it changes nothing.
#[utoipa::path(
    operation_id = "list_calls",
    tag = "calls",
    params(CallQuery),
    responses(
        (status = 200, description = "Every call with its tracks and deadlines", body = Page<Call>),
        ReadResponses,
    )
)]
#[get("/calls")]
pub async fn list_calls(
    req: HttpRequest,
    state: web::Data<AppState>,
    lang: Lang,
    zone: CallerZone,
) -> Result<HttpResponse, ApiError> {
    let records = state.db(calls::list_calls).await?;
    let ctx = context(&state, lang, zone);
    let page = Page::complete(records.iter().map(|c| Call::from_record(c, &ctx)).collect());
    cached(lang).respond(&req, &page)
}

/// Get a call for contributions.
///
/// Anyone may call it, without credentials; it changes nothing.
#[utoipa::path(
    operation_id = "get_call",
    tag = "calls",
    params(("call" = String, Path, description = "The call's slug", example = "wsis-2025"), CallQuery),
    responses(
        (status = 200, description = "The call with its event, tracks and deadlines", body = Call),
        (status = 404, description = "No such call", body = Problem, content_type = "application/problem+json"),
        ReadResponses,
    )
)]
#[get("/calls/{call}")]
pub async fn get_call(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    lang: Lang,
    zone: CallerZone,
) -> Result<HttpResponse, ApiError> {
    let record = load_call(&state, path.into_inner()).await?;
    cached(lang).respond(
        &req,
        &Call::from_record(&record, &context(&state, lang, zone)),
    )
}

/// List the tracks of a call.
///
/// Anyone may call it, without credentials; it changes nothing.
#[utoipa::path(
    operation_id = "list_tracks",
    tag = "calls",
    params(("call" = String, Path, description = "The call's slug", example = "wsis-2025"), CallQuery),
    responses(
        (status = 200, description = "The call's tracks with their deadlines", body = Page<Track>),
        (status = 404, description = "No such call", body = Problem, content_type = "application/problem+json"),
        ReadResponses,
    )
)]
#[get("/calls/{call}/tracks")]
pub async fn list_tracks(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    lang: Lang,
    zone: CallerZone,
) -> Result<HttpResponse, ApiError> {
    let record = load_call(&state, path.into_inner()).await?;
    let ctx = context(&state, lang, zone);
    let page = Page::complete(
        record
            .tracks
            .iter()
            .map(|t| Track::from_record(&record.slug, t, &ctx))
            .collect(),
    );
    cached(lang).respond(&req, &page)
}

/// Get one track of a call with its deadline.
///
/// Anyone may call it, without credentials; it changes nothing. The deadline is given in UTC and in the track's zone
/// (and in `?tz=` when asked).
#[utoipa::path(
    operation_id = "get_track",
    tag = "calls",
    params(
        ("call" = String, Path, description = "The call's slug", example = "wsis-2025"),
        ("track" = String, Path, description = "`ocp`, `stocktaking`, `prizes` or `trust_fund`", example = "ocp"),
        CallQuery,
    ),
    responses(
        (status = 200, description = "The track with its deadline", body = Track),
        (status = 404, description = "No such call, or no such track in it", body = Problem, content_type = "application/problem+json"),
        ReadResponses,
    )
)]
#[get("/calls/{call}/tracks/{track}")]
pub async fn get_track(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    lang: Lang,
    zone: CallerZone,
) -> Result<HttpResponse, ApiError> {
    let (slug, track) = path.into_inner();
    let missing = || {
        ApiError::not_found(said!(
            "not-found-track-kinds",
            slug = &slug,
            track = track.chars().take(64).collect::<String>()
        ))
    };
    let kind: TrackKind = track.parse().map_err(|_| missing())?;
    let record = load_call(&state, slug.clone()).await?;
    let found = record
        .tracks
        .iter()
        .find(|t| t.kind == kind)
        .ok_or_else(missing)?;
    cached(lang).respond(
        &req,
        &Track::from_record(&record.slug, found, &context(&state, lang, zone)),
    )
}

/// Check a call definition and show how its deadlines resolve, without storing anything.
///
/// Staff and frontends use it to see, before a call is opened, the exact UTC and local instants each rule gives
/// (DST changes included). Every invalid field is reported at once, with its JSON path.
#[utoipa::path(
    operation_id = "preview_call",
    tag = "calls",
    params(CallQuery),
    request_body(content = CallInput, description = "The call as staff would create it", content_type = "application/json"),
    responses(
        (status = 200, description = "The call as it would be stored, with resolved deadlines", body = Call),
        (status = 400, description = "The body is not valid JSON", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is over the size limit", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each with its JSON path", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/calls:preview")]
pub async fn preview_call(
    state: web::Data<AppState>,
    lang: Lang,
    zone: CallerZone,
    body: JsonBody<CallInput>,
) -> Result<HttpResponse, ApiError> {
    let definition = body.0.into_domain().map_err(ApiError::validation)?;
    let schedules: Vec<_> = definition
        .tracks
        .iter()
        .map(|t| t.schedule(definition.timezone))
        .collect::<Result<_, _>>()
        .map_err(ApiError::internal)?;
    let call = Call::preview(&definition, &schedules, &context(&state, lang, zone));
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CONTENT_LANGUAGE, lang.0.code()))
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(call))
}

/// Create a call for contributions with its tracks (staff): the next year's call is data, not code.
///
/// Staff only. It creates the call with its event, tracks, windows and session formats, validated as a whole; no
/// code changes for a new year's call.
#[utoipa::path(
    operation_id = "create_call",
    tag = "calls",
    security(("bearer" = [])),
    request_body(content = CallInput, description = "The call", content_type = "application/json"),
    responses(
        (status = 201, description = "The call with its tracks and resolved deadlines", body = Call),
        StaffOnly,
        (status = 409, description = "A call with this slug exists", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each with its JSON path", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/calls")]
pub async fn create_call(
    state: web::Data<AppState>,
    principal: crate::auth::Principal,
    lang: Lang,
    body: Result<JsonBody<CallInput>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let definition = body?.0.into_domain().map_err(ApiError::validation)?;
    let (actor, now) = (principal.actor.clone(), state.clock.now());
    let created = state
        .run(move |conn| wsis_app::calls::create(conn, &actor, &definition, now))
        .await?;
    let body = Call::from_record(&created, &context(&state, lang, CallerZone(None)));
    Ok(HttpResponse::Created()
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/api/v1/calls/{}", created.slug),
        ))
        .json(body))
}

/// Changes to a track's window: only the fields given change.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"closes": {"rule": "end_of_local_day", "date": "2025-03-21"}, "grace_seconds": 300}))]
pub struct TrackPatch {
    /// When it opens.
    pub opens: Option<crate::dto::TimeRuleDto>,
    /// When it closes.
    pub closes: Option<crate::dto::TimeRuleDto>,
    /// Seconds after the close still accepted from everyone (at most 604800).
    pub grace_seconds: Option<u32>,
    /// The IANA zone its rules are read in.
    #[schema(example = "Europe/Zurich")]
    pub timezone: Option<String>,
}

/// Change a track's window (staff): opening, closing, grace period or zone. The new window is checked like a new
/// call's, and takes effect at once for every caller.
///
/// Staff only. It changes the track's window for every caller at once.
#[utoipa::path(
    operation_id = "update_track",
    tag = "calls",
    security(("bearer" = [])),
    params(
        ("call" = String, Path, description = "The call's slug", example = "wsis-2025"),
        ("track" = String, Path, description = "The track kind", example = "ocp"),
    ),
    request_body(content = TrackPatch, content_type = "application/json"),
    responses(
        (status = 200, description = "The track with its new deadline", body = Track),
        StaffOnly,
        (status = 404, description = "No such call or track", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The new window is not valid", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/calls/{call}/tracks/{track}")]
pub async fn update_track(
    state: web::Data<AppState>,
    principal: crate::auth::Principal,
    path: web::Path<(String, String)>,
    lang: Lang,
    body: Result<JsonBody<TrackPatch>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let (slug, track) = path.into_inner();
    let patch = body?.0;
    let change = wsis_app::calls::WindowChange {
        opens: patch.opens.map(Into::into),
        closes: patch.closes.map(Into::into),
        grace_seconds: patch.grace_seconds,
        timezone: patch.timezone,
    };
    let (actor, now) = (principal.actor.clone(), state.clock.now());
    let (call, updated) = state
        .run(move |conn| wsis_app::calls::change_window(conn, &actor, &slug, &track, change, now))
        .await?;
    Ok(HttpResponse::Ok().json(Track::from_record(
        &call.slug,
        &updated,
        &context(&state, lang, CallerZone(None)),
    )))
}

/// An individual extension.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"organisation_id": "0193a0c5-1b2c-7d3e-8f40-5a6b7c8d9e0f", "until": "2025-03-21T22:59:59Z", "reason": "National power outage on 14 March"}))]
pub struct ExtensionRequest {
    /// For every submission of this organisation on the track…
    #[serde(default)]
    #[schema(format = Uuid)]
    pub organisation_id: Option<String>,
    /// …or for this one submission (exactly one of the two).
    #[serde(default)]
    #[schema(format = Uuid)]
    pub submission_id: Option<String>,
    /// The new cut-off (RFC 3339); it never shortens the general one.
    pub until: chrono::DateTime<chrono::Utc>,
    /// Why (kept for audit), 1–1000 characters.
    pub reason: String,
}

/// An extension as granted.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[schema(example = json!({"id": "0193a0d9-0a1b-7c2d-9e3f-4a5b6c7d8e9f", "organisation_id": "0193a0c5-1b2c-7d3e-8f40-5a6b7c8d9e0f", "submission_id": null, "until": "2025-03-21T22:59:59Z", "reason": "National power outage on 14 March", "granted_by": "0193a0c4-0000-7000-8000-000000000001", "created_at": "2025-03-15T08:00:00Z"}))]
pub struct ExtensionGranted {
    /// Id.
    #[schema(format = Uuid)]
    pub id: String,
    /// The organisation, if for an organisation.
    #[schema(format = Uuid)]
    pub organisation_id: Option<String>,
    /// The submission, if for one submission.
    #[schema(format = Uuid)]
    pub submission_id: Option<String>,
    /// The new cut-off.
    #[schema(format = DateTime)]
    pub until: String,
    /// Why.
    pub reason: String,
    /// The staff member.
    #[schema(format = Uuid)]
    pub granted_by: String,
    /// When.
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl From<wsis_persistence::extensions::ExtensionRecord> for ExtensionGranted {
    fn from(e: wsis_persistence::extensions::ExtensionRecord) -> Self {
        use wsis_persistence::extensions::Beneficiary;
        let (organisation_id, submission_id) = match e.beneficiary {
            Beneficiary::Organisation(o) => (Some(o), None),
            Beneficiary::Submission(s) => (None, Some(s)),
        };
        let secs = crate::dto::rfc3339;
        Self {
            id: e.id,
            organisation_id,
            submission_id,
            until: secs(e.until),
            reason: e.reason,
            granted_by: e.granted_by,
            created_at: secs(e.created_at),
        }
    }
}

/// Grant an individual extension of a track's deadline (staff), to one organisation or one submission, with a
/// reason kept for audit.
///
/// Staff only. It grants the extension (to one organisation or one submission) until the time given and records who
/// granted it and why.
#[utoipa::path(
    operation_id = "create_extension",
    tag = "calls",
    security(("bearer" = [])),
    params(
        ("call" = String, Path, description = "The call's slug", example = "wsis-2025"),
        ("track" = String, Path, description = "The track kind", example = "ocp"),
    ),
    request_body(content = ExtensionRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Granted", body = ExtensionGranted),
        StaffOnly,
        (status = 404, description = "No such call, track, organisation or submission", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not exactly one beneficiary, no reason, or an extension that ends before the deadline", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/calls/{call}/tracks/{track}/extensions")]
pub async fn create_extension(
    state: web::Data<AppState>,
    principal: crate::auth::Principal,
    path: web::Path<(String, String)>,
    body: Result<JsonBody<ExtensionRequest>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let (call, track) = path.into_inner();
    let request = body?.0;
    let grant = wsis_app::extensions::Grant {
        call,
        track,
        organisation_id: request.organisation_id,
        submission_id: request.submission_id,
        until: request.until,
        reason: request.reason,
        at: state.clock.now(),
    };
    let actor = principal.actor.clone();
    let granted = state
        .run(move |conn| wsis_app::extensions::grant(conn, &actor, grant))
        .await?;
    Ok(HttpResponse::Created().json(ExtensionGranted::from(granted)))
}

/// List a track's extensions (staff), newest first.
///
/// Staff only; it changes nothing.
#[utoipa::path(
    operation_id = "list_extensions",
    tag = "calls",
    security(("bearer" = [])),
    params(
        ("call" = String, Path, description = "The call's slug", example = "wsis-2025"),
        ("track" = String, Path, description = "The track kind", example = "ocp"),
    ),
    responses(
        (status = 200, description = "Extensions", body = Page<ExtensionGranted>),
        StaffOnly,
        (status = 404, description = "No such call or track", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/calls/{call}/tracks/{track}/extensions")]
pub async fn list_extensions(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: crate::auth::Principal,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let ((call, track), actor) = (path.into_inner(), principal.actor.clone());
    let list = state
        .run(move |conn| wsis_app::extensions::of_track(conn, &actor, &call, &track))
        .await?;
    let page = Page::complete(list.into_iter().map(ExtensionGranted::from).collect());
    Cached {
        language: None,
        freshness: Freshness::Private,
        volatile_fields: &[],
    }
    .respond(&req, &page)
}
