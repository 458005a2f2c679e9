//! Webhook endpoints (docs/changes.md): registered by staff, or by a partner's API client for itself; their secrets,
//! pings, delivery log and redeliveries. Deliveries are made by the worker (`crate::webhooks`).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use wsis_domain::changes::{EventType, Filters};
use wsis_domain::{ActionLineCode, Said, TrackKind, said};
use wsis_persistence::webhooks::{DeliveryRow, EndpointRecord, SecretRecord};

use crate::auth::Principal;
use crate::dto::Page;
use crate::json::JsonBody;
use crate::problem::{ApiError, Problem};
use crate::routes::filters::{self, Limit, Param, QueryString, QueryValue};
use crate::state::AppState;

use crate::dto::rfc3339;

fn naive(at: chrono::NaiveDateTime) -> String {
    rfc3339(at.and_utc())
}

/// An endpoint to register.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"url": "https://hooks.unesco.org/wsis", "description": "C3 and C7–C10 into our CRM", "types": ["submission.submitted", "repository.published"], "action_lines": ["C3", "C7.e-learning", "C7.e-science", "C8", "C9", "C10"]}))]
pub struct NewWebhookRequest {
    /// Where deliveries go: `https://` on a public host.
    pub url: String,
    /// What it is for (at most 200 characters).
    #[serde(default)]
    pub description: String,
    /// The event types wanted (none: all).
    #[serde(default)]
    pub types: Vec<EventType>,
    /// Calls, by slug (none: all).
    #[serde(default)]
    pub calls: Vec<String>,
    /// Track kinds (none: all).
    #[serde(default)]
    pub tracks: Vec<TrackKind>,
    /// Action lines (none: all).
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub action_lines: Vec<ActionLineCode>,
}

/// A change to an endpoint: only what is given changes.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"active": true}))]
pub struct WebhookChangeRequest {
    /// Where deliveries go.
    pub url: Option<String>,
    /// What it is for.
    pub description: Option<String>,
    /// The event types wanted (empty: all).
    pub types: Option<Vec<EventType>>,
    /// Calls, by slug (empty: all).
    pub calls: Option<Vec<String>>,
    /// Track kinds (empty: all).
    pub tracks: Option<Vec<TrackKind>>,
    /// Action lines (empty: all).
    #[schema(value_type = Option<Vec<String>>)]
    pub action_lines: Option<Vec<ActionLineCode>>,
    /// `true` enables a disabled endpoint again: it resumes where it stopped, in order; `false` disables it.
    pub active: Option<bool>,
}

/// A signing secret (its value is shown only when it is made).
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookSecret {
    /// Made (UTC).
    #[schema(format = DateTime)]
    pub created_at: String,
    /// When it stops signing (UTC); none for the newest.
    #[schema(format = DateTime)]
    pub expires_at: Option<String>,
}

/// A webhook endpoint.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a0c7-0000-7000-8000-000000000001", "url": "https://hooks.unesco.org/wsis", "description": "C3 and C7–C10 into our CRM", "types": ["submission.submitted"], "calls": [], "tracks": [], "action_lines": ["C3"], "client_id": "0193a0c1-0000-7000-8000-000000000009", "status": "active", "disabled_reason": null, "delivered_seq": 1042, "failing_since": null, "next_attempt_at": "2025-03-14T22:59:59Z", "secrets": [{"created_at": "2025-03-01T09:00:00Z", "expires_at": null}], "created_at": "2025-03-01T09:00:00Z", "updated_at": "2025-03-01T09:00:00Z"}))]
pub struct WebhookEndpoint {
    /// Id.
    #[schema(format = Uuid)]
    pub id: String,
    /// Where deliveries go.
    pub url: String,
    /// What it is for.
    pub description: String,
    /// The event types wanted (empty: all).
    pub types: Vec<EventType>,
    /// Calls, by slug (empty: all).
    pub calls: Vec<String>,
    /// Track kinds (empty: all).
    pub tracks: Vec<TrackKind>,
    /// Action lines (empty: all).
    #[schema(value_type = Vec<String>)]
    pub action_lines: Vec<ActionLineCode>,
    /// The partner's API client it belongs to (its deliveries carry what that client may see); none: staff's.
    #[schema(format = Uuid)]
    pub client_id: Option<String>,
    /// `active` or `disabled` (after 24 hours of failures, or by its owner).
    #[schema(example = "active")]
    pub status: String,
    /// Why it is disabled.
    pub disabled_reason: Option<String>,
    /// The feed position delivered so far (the `seq` of the last event it has, or passed over as not wanted).
    pub delivered_seq: i64,
    /// Since when deliveries fail (UTC).
    #[schema(format = DateTime)]
    pub failing_since: Option<String>,
    /// When the next attempt is due (UTC, to the millisecond: backoffs begin under a second).
    #[schema(format = DateTime)]
    pub next_attempt_at: String,
    /// The secrets that sign now, newest first.
    pub secrets: Vec<WebhookSecret>,
    /// The newest secret, `whsec_…`: only in the answers that make one (registration, rotation). Keep it: it is not
    /// shown again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// Registered (UTC).
    #[schema(format = DateTime)]
    pub created_at: String,
    /// Last changed (UTC).
    #[schema(format = DateTime)]
    pub updated_at: String,
}

impl WebhookEndpoint {
    fn of(record: EndpointRecord, secrets: &[SecretRecord], shown: bool) -> Self {
        Self {
            id: record.id,
            url: record.url,
            description: record.description,
            types: record.filters.types,
            calls: record.filters.calls,
            tracks: record.filters.tracks,
            action_lines: record.filters.action_lines,
            client_id: record.client_id,
            status: record.status,
            disabled_reason: record.disabled_reason,
            delivered_seq: record.delivered_seq,
            failing_since: record.failing_since.map(rfc3339),
            next_attempt_at: record
                .next_attempt_at
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            secrets: secrets
                .iter()
                .map(|s| WebhookSecret {
                    created_at: rfc3339(s.created_at),
                    expires_at: s.expires_at.map(rfc3339),
                })
                .collect(),
            secret: if shown {
                secrets.first().map(|s| s.secret.clone())
            } else {
                None
            },
            created_at: rfc3339(record.created_at),
            updated_at: rfc3339(record.updated_at),
        }
    }
}

/// One line of an endpoint's delivery log.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a0c8-0000-7000-8000-000000000001", "event_id": "0193a0c6-0000-7000-8000-000000000001", "type": "submission.submitted", "seq": 1042, "kind": "feed", "attempt": 1, "status": "succeeded", "created_at": "2025-03-14T23:00:00Z", "attempted_at": "2025-03-14T23:00:00Z", "http_status": 204, "latency_ms": 84, "response_excerpt": "", "error": null}))]
pub struct WebhookDelivery {
    /// Id.
    #[schema(format = Uuid)]
    pub id: String,
    /// The event (`webhook-id`).
    #[schema(format = Uuid)]
    pub event_id: String,
    /// Its type (`ping` for a ping).
    #[serde(rename = "type")]
    pub event_type: String,
    /// Its place in the feed.
    pub seq: Option<i64>,
    /// `feed` (in order), `ping` or `redelivery` (asked for).
    pub kind: String,
    /// Which attempt of this event it was.
    pub attempt: i32,
    /// `pending`, `succeeded` or `failed`.
    pub status: String,
    /// Written (UTC).
    #[schema(format = DateTime)]
    pub created_at: String,
    /// Sent (UTC).
    #[schema(format = DateTime)]
    pub attempted_at: Option<String>,
    /// The receiver's HTTP status.
    pub http_status: Option<i32>,
    /// Milliseconds from sending to the end of the answer.
    pub latency_ms: Option<i32>,
    /// The answer's first kilobyte.
    pub response_excerpt: Option<String>,
    /// Why there was no answer (timeout, refused connection, an address not allowed).
    pub error: Option<String>,
}

impl From<DeliveryRow> for WebhookDelivery {
    fn from(row: DeliveryRow) -> Self {
        Self {
            id: row.id,
            event_id: row.event_id,
            event_type: row.event_type,
            seq: row.seq,
            kind: row.kind,
            attempt: row.attempt,
            status: row.status,
            created_at: naive(row.created_at),
            attempted_at: row.attempted_at.map(naive),
            http_status: row.http_status,
            latency_ms: row.latency_ms,
            response_excerpt: row.response_excerpt,
            error: row.error,
        }
    }
}

/// 401; 403 for users who are not staff.
#[derive(Debug, utoipa::IntoResponses)]
pub enum WebhookAccess {
    /// No valid credentials.
    #[response(
        status = 401,
        description = "No, invalid, expired or revoked access token (`WWW-Authenticate: Bearer …`)",
        content_type = "application/problem+json"
    )]
    Unauthorized(Problem),
    /// A user who is not staff.
    #[response(
        status = 403,
        description = "Webhooks are for staff and for partners' API clients",
        content_type = "application/problem+json"
    )]
    Forbidden(Problem),
}

fn no_store(mut response: HttpResponse) -> HttpResponse {
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    response
}

/// Register a webhook endpoint (staff; a partner's API client for itself).
///
/// Staff, and partners' API clients (client credentials), may call it. Deliveries begin with the changes after
/// registration, in feed order, each a `POST` of the change (as `GET /changes` gives it) signed with the Standard
/// Webhooks scheme (`webhook-id`, `webhook-timestamp`, `webhook-signature`). A client's endpoint receives what the
/// client may see; staff's, everything. The answer holds the signing secret, shown this once. A partner's client
/// has at most 10 endpoints.
#[utoipa::path(
    operation_id = "create_webhook",
    tag = "webhooks",
    security(("bearer" = []), ("oauth2" = [])),
    request_body(content = NewWebhookRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Registered, with its secret (shown once)", body = WebhookEndpoint),
        WebhookAccess,
        (status = 409, description = "A partner's client has its 10 endpoints already: delete one first", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An address that is not https on a public host, or another invalid field", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/webhooks")]
pub async fn create_webhook(
    state: web::Data<AppState>,
    principal: Principal,
    body: Result<JsonBody<NewWebhookRequest>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    wsis_app::webhooks::may_manage(&principal.actor)?;
    let request = body?.0;
    let endpoint = wsis_app::webhooks::NewEndpoint {
        url: request.url,
        description: request.description,
        filters: Filters {
            types: request.types,
            calls: request.calls,
            tracks: request.tracks,
            action_lines: request.action_lines,
        },
    };
    let (actor, now, policy) = (
        principal.actor.clone(),
        state.clock.now(),
        state.webhooks.url_policy(),
    );
    let created = state
        .run(move |conn| wsis_app::webhooks::create(conn, &actor, endpoint, policy, now))
        .await?;
    let location = format!("/api/v1/webhooks/{}", created.record.id);
    Ok(no_store(
        HttpResponse::Created()
            .insert_header((header::LOCATION, location))
            .json(WebhookEndpoint::of(created.record, &created.secrets, true)),
    ))
}

/// List webhook endpoints (staff: all; a partner's client: its own).
///
/// Staff and partners' API clients may call it; it changes nothing. Secrets are not shown.
#[utoipa::path(
    operation_id = "list_webhooks",
    tag = "webhooks",
    security(("bearer" = []), ("oauth2" = [])),
    responses(
        (status = 200, description = "The endpoints, oldest first", body = Page<WebhookEndpoint>),
        WebhookAccess,
    )
)]
#[get("/webhooks")]
pub async fn list_webhooks(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let (actor, now) = (principal.actor.clone(), state.clock.now());
    let found = state
        .run(move |conn| {
            let endpoints = wsis_app::webhooks::list(conn, &actor)?;
            endpoints
                .into_iter()
                .map(|e| {
                    let secrets = wsis_persistence::webhooks::secrets(conn, &e.id, now)?;
                    Ok((e, secrets))
                })
                .collect::<Result<Vec<_>, wsis_app::Refusal>>()
        })
        .await?;
    Ok(no_store(
        HttpResponse::Ok().json(Page::complete(
            found
                .into_iter()
                .map(|(e, s)| WebhookEndpoint::of(e, &s, false))
                .collect(),
        )),
    ))
}

/// An endpoint as its routes give it (without its secret).
pub(crate) async fn endpoint_view(
    state: &AppState,
    record: EndpointRecord,
) -> Result<WebhookEndpoint, ApiError> {
    let (id, now) = (record.id.clone(), state.clock.now());
    let secrets = state
        .db(move |conn| wsis_persistence::webhooks::secrets(conn, &id, now))
        .await?;
    Ok(WebhookEndpoint::of(record, &secrets, false))
}

/// Get a webhook endpoint.
///
/// Staff, and the partner's API client it belongs to, may call it; it changes nothing.
#[utoipa::path(
    operation_id = "get_webhook",
    tag = "webhooks",
    security(("bearer" = []), ("oauth2" = [])),
    params(("id" = uuid::Uuid, Path, description = "Endpoint id")),
    responses(
        (status = 200, description = "The endpoint", body = WebhookEndpoint),
        WebhookAccess,
        (status = 404, description = "No such endpoint, or not yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/webhooks/{id}")]
pub async fn get_webhook(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let actor = principal.actor.clone();
    let record = state
        .run(move |conn| wsis_app::webhooks::find(conn, &actor, &id))
        .await?;
    Ok(no_store(
        HttpResponse::Ok().json(endpoint_view(&state, record).await?),
    ))
}

/// Change a webhook endpoint: its address, description, filters, or whether it is active.
///
/// Staff, and the partner's API client it belongs to, may call it. `"active": true` enables a disabled endpoint: it
/// resumes where it stopped, delivering the changes it missed in order.
#[utoipa::path(
    operation_id = "update_webhook",
    tag = "webhooks",
    security(("bearer" = []), ("oauth2" = [])),
    params(("id" = uuid::Uuid, Path, description = "Endpoint id")),
    request_body(content = WebhookChangeRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The endpoint as changed", body = WebhookEndpoint),
        WebhookAccess,
        (status = 404, description = "No such endpoint, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An invalid field", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/webhooks/{id}")]
pub async fn update_webhook(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    body: Result<JsonBody<WebhookChangeRequest>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    wsis_app::webhooks::may_manage(&principal.actor)?;
    let request = body?.0;
    let (actor, now, policy) = (
        principal.actor.clone(),
        state.clock.now(),
        state.webhooks.url_policy(),
    );
    let change = wsis_app::webhooks::EndpointChange {
        url: request.url,
        description: request.description,
        types: request.types,
        calls: request.calls,
        tracks: request.tracks,
        action_lines: request.action_lines,
        active: request.active,
    };
    let record = state
        .run(move |conn| wsis_app::webhooks::update(conn, &actor, &id, change, policy, now))
        .await?;
    Ok(no_store(
        HttpResponse::Ok().json(endpoint_view(&state, record).await?),
    ))
}

/// Delete a webhook endpoint with its secrets and delivery log.
///
/// Staff, and the partner's API client it belongs to, may call it.
#[utoipa::path(
    operation_id = "delete_webhook",
    tag = "webhooks",
    security(("bearer" = []), ("oauth2" = [])),
    params(("id" = uuid::Uuid, Path, description = "Endpoint id")),
    responses(
        (status = 204, description = "Deleted"),
        WebhookAccess,
        (status = 404, description = "No such endpoint, or not yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/webhooks/{id}")]
pub async fn delete_webhook(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let actor = principal.actor.clone();
    state
        .run(move |conn| wsis_app::webhooks::delete(conn, &actor, &id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Seconds the secrets before a rotation keep signing, 0–604800.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overlap(pub i64);

impl QueryValue for Overlap {
    const RULE: &'static str = "out_of_range";
    fn read(text: &str) -> Result<Self, Said> {
        text.parse::<i64>()
            .ok()
            .filter(|s| (0..=604_800).contains(s))
            .map(Self)
            .ok_or_else(|| said!("field-overlap"))
    }
}

/// The rotation's parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RotateParams {
    /// Seconds the secrets before keep signing beside the new one, 0–604800 (default 86400: a day). Meanwhile every
    /// delivery carries a signature of each, so the receiver can switch when it is ready.
    #[param(value_type = Option<i64>, minimum = 0, maximum = 604800)]
    pub overlap_seconds: Option<Param<Overlap>>,
}

/// Rotate a webhook endpoint's signing secret, with an overlap.
///
/// Staff, and the partner's API client it belongs to, may call it. The answer holds the new secret, shown this once.
#[utoipa::path(
    operation_id = "rotate_webhook_secret",
    tag = "webhooks",
    security(("bearer" = []), ("oauth2" = [])),
    params(("id" = uuid::Uuid, Path, description = "Endpoint id"), RotateParams),
    responses(
        (status = 200, description = "The endpoint with its new secret (shown once)", body = WebhookEndpoint),
        WebhookAccess,
        (status = 404, description = "No such endpoint, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An overlap out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/webhooks/{id}/secret:rotate")]
pub async fn rotate_webhook_secret(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    wsis_app::webhooks::may_manage(&principal.actor)?;
    let params: RotateParams =
        QueryString::parse(&req, &filters::declared::<RotateParams>())?.read()?;
    let overlap = chrono::Duration::seconds(
        params
            .overlap_seconds
            .map_or(wsis_domain::webhooks::DEFAULT_OVERLAP_HOURS * 3600, |o| {
                o.0.0
            }),
    );
    let (actor, now) = (principal.actor.clone(), state.clock.now());
    let rotated = state
        .run(move |conn| wsis_app::webhooks::rotate_secret(conn, &actor, &id, overlap, now))
        .await?;
    Ok(no_store(HttpResponse::Ok().json(WebhookEndpoint::of(
        rotated.record,
        &rotated.secrets,
        true,
    ))))
}

/// Send a test event (`ping`) to a webhook endpoint.
///
/// Staff, and the partner's API client it belongs to, may call it, for an active or a disabled endpoint. The ping
/// is sent by the delivery worker within moments; its outcome is in the delivery log. An endpoint gets at most 30
/// pings and redeliveries an hour (`RateLimit` tells what is left).
#[utoipa::path(
    operation_id = "ping_webhook",
    tag = "webhooks",
    security(("bearer" = []), ("oauth2" = [])),
    params(("id" = uuid::Uuid, Path, description = "Endpoint id")),
    responses(
        (status = 202, description = "The ping, waiting to be sent", body = WebhookDelivery),
        WebhookAccess,
        (status = 404, description = "No such endpoint, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "The endpoint had its 30 pings and redeliveries this hour", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/webhooks/{id}/ping")]
pub async fn ping_webhook(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (actor, now) = (principal.actor.clone(), state.clock.now());
    let (row, quota) = state
        .run(move |conn| wsis_app::webhooks::ping(conn, &actor, &id, now))
        .await?;
    state.feed.grown.notify_waiters();
    let mut response = HttpResponse::Accepted().json(WebhookDelivery::from(row));
    crate::responses::ratelimit::tell(response.headers_mut(), &[quota]);
    Ok(no_store(response))
}

/// The delivery log's parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveriesParams {
    /// `next_cursor` of the page before.
    pub cursor: Option<String>,
    /// Lines per page, 1–200 (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200)]
    pub limit: Option<Param<Limit>>,
}

/// A webhook endpoint's delivery log, newest first.
///
/// Staff, and the partner's API client it belongs to, may call it; it changes nothing. One line per attempt (status,
/// latency, attempt number, the answer's first kilobyte) and the pings and redeliveries waiting.
#[utoipa::path(
    operation_id = "list_webhook_deliveries",
    tag = "webhooks",
    security(("bearer" = []), ("oauth2" = [])),
    params(("id" = uuid::Uuid, Path, description = "Endpoint id"), DeliveriesParams),
    responses(
        (status = 200, description = "The log, newest first", body = Page<WebhookDelivery>),
        WebhookAccess,
        (status = 404, description = "No such endpoint, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter that is not valid", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/webhooks/{id}/deliveries")]
pub async fn list_webhook_deliveries(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let params: DeliveriesParams =
        QueryString::parse(&req, &filters::declared::<DeliveriesParams>())?.read()?;
    let limit = Limit::or_default(params.limit);
    let before = params.cursor;
    let actor = principal.actor.clone();
    let mut rows = state
        .run(move |conn| {
            wsis_app::webhooks::deliveries(conn, &actor, &id, before.as_deref(), limit + 1)
        })
        .await?;
    let more = rows.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = more.then(|| rows.last().map(|r| r.id.clone())).flatten();
    Ok(no_store(HttpResponse::Ok().json(Page {
        items: rows.into_iter().map(WebhookDelivery::from).collect(),
        next_cursor,
    })))
}

/// Deliver an event of the log again (out of order, once).
///
/// Staff, and the partner's API client it belongs to, may call it: for a receiver that lost an event it had
/// acknowledged. It is sent by the delivery worker within moments, with the same `webhook-id`.
#[utoipa::path(
    operation_id = "redeliver_webhook_delivery",
    tag = "webhooks",
    security(("bearer" = []), ("oauth2" = [])),
    params(
        ("id" = uuid::Uuid, Path, description = "Endpoint id"),
        ("delivery" = uuid::Uuid, Path, description = "A delivery of its log"),
    ),
    responses(
        (status = 202, description = "The redelivery, waiting to be sent", body = WebhookDelivery),
        WebhookAccess,
        (status = 404, description = "No such endpoint or delivery, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A ping is not redelivered: send a new one", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "The endpoint had its 30 pings and redeliveries this hour", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/webhooks/{id}/deliveries/{delivery}/redeliver")]
pub async fn redeliver_webhook_delivery(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, delivery) = path.into_inner();
    let (actor, now) = (principal.actor.clone(), state.clock.now());
    let (row, quota) = state
        .run(move |conn| wsis_app::webhooks::redeliver(conn, &actor, &id, &delivery, now))
        .await?;
    state.feed.grown.notify_waiters();
    let mut response = HttpResponse::Accepted().json(WebhookDelivery::from(row));
    crate::responses::ratelimit::tell(response.headers_mut(), &[quota]);
    Ok(no_store(response))
}
