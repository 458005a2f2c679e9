//! Calls for contributions, their tracks and deadlines.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::IntoParams;
use wsis_domain::TrackKind;
use wsis_persistence::calls;

use crate::cache::{Cached, Freshness};
use crate::dto::{Call, CallInput, Page, RenderContext, Track};
use crate::json::JsonBody;
use crate::negotiate::{CallerZone, Lang};
use crate::problem::{ApiError, Problem, ReadResponses};
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
    let missing = format!(
        "There is no call `{}`.",
        slug.chars().take(64).collect::<String>()
    );
    state
        .db(move |conn| calls::find_call(conn, &slug))
        .await
        .map_err(|err| {
            if err.kind.code == crate::problem::NOT_FOUND.code {
                ApiError::not_found(missing)
            } else {
                err
            }
        })
}

/// List calls for contributions, newest first.
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
        ApiError::not_found(format!(
            "Call `{slug}` has no track `{}`; tracks are ocp, stocktaking, prizes and trust_fund.",
            track.chars().take(64).collect::<String>()
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
#[utoipa::path(
    operation_id = "create_call",
    tag = "calls",
    security(("bearer" = [])),
    request_body(content = CallInput, description = "The call", content_type = "application/json"),
    responses(
        (status = 201, description = "The call with its tracks and resolved deadlines", body = Call),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Staff only", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A call with this slug exists", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each with its JSON path", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/calls")]
pub async fn create_call(
    state: web::Data<AppState>,
    principal: crate::auth::Principal,
    lang: Lang,
    body: JsonBody<CallInput>,
) -> Result<HttpResponse, ApiError> {
    crate::routes::organisations::enforce(
        wsis_domain::policy::administer(&principal.actor),
        || ApiError::internal("administration is never hidden"),
    )?;
    let definition = body.0.into_domain().map_err(ApiError::validation)?;
    let now = state.clock.now();
    let slug = definition.slug.clone();
    let created = state
        .db(move |conn| calls::create_call(conn, &definition, now))
        .await
        .map_err(|e| {
            if e.kind.status == 409 {
                ApiError {
                    errors: vec![crate::problem::FieldError::new(
                        "slug",
                        "taken",
                        "another call has this slug",
                    )],
                    ..ApiError::new(
                        crate::problem::CONFLICT,
                        format!("A call `{slug}` exists already."),
                    )
                }
            } else {
                e
            }
        })?;
    tracing::info!(call.slug = %created.slug, "call created");
    let body = Call::from_record(&created, &context(&state, lang, CallerZone(None)));
    Ok(HttpResponse::Created()
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/api/v1/calls/{}", created.slug),
        ))
        .json(body))
}
