//! Request-wide concerns in one middleware: the request id (accepted from `X-Request-Id` when well formed, else a
//! new UUIDv7), the instant the request arrived, a tracing span per request with one completion log line, `HEAD` served as `GET`, and the rendering
//! of every error response — ours, actix-web's and other middlewares' — as RFC 9457 problem+json in the negotiated
//! language.

use std::time::Instant;
use wsis_domain::said;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use tracing::Instrument;

use crate::negotiate::request_language;
use crate::problem::{
    ApiError, FieldError, METHOD_NOT_ALLOWED, NOT_FOUND, PROBLEM_JSON, kind_for_status,
};
use crate::state::AppState;

/// The request id header, in requests (optional) and every response.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the request being served (request extension).
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// When the request arrived: read from the application clock before anything else runs (authentication, queueing
/// for a database connection, reading the body), so that a deadline decision and a receipt use the instant the
/// request reached the server, not the instant a busy server got round to it (request extension).
#[derive(Debug, Clone, Copy)]
pub struct ArrivedAt(pub DateTime<Utc>);

/// The instant `req` arrived (see [`ArrivedAt`]); the clock's now for a request that bypassed the middleware.
pub fn arrived_at(req: &HttpRequest, state: &AppState) -> DateTime<Utc> {
    req.extensions()
        .get::<ArrivedAt>()
        .map_or_else(|| state.clock.now(), |a| a.0)
}

fn accepted_request_id(value: Option<&HeaderValue>) -> Option<String> {
    let value = value?.to_str().ok()?;
    let ok = (1..=128).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    ok.then(|| value.to_owned())
}

/// The middleware function (wrap it with `actix_web::middleware::from_fn`).
pub async fn request_context(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let mut starting = false;
    if let Some(state) = req.app_data::<web::Data<AppState>>() {
        let now = state.clock.now();
        req.extensions_mut().insert(ArrivedAt(now));
        starting = !state.ready.load(std::sync::atomic::Ordering::Acquire);
    }
    let id = accepted_request_id(req.headers().get(REQUEST_ID))
        .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    let span = tracing::info_span!(
        "http.request",
        request.id = %id,
        http.method = %req.method(),
        url.path = %req.path(),
    );
    let started = Instant::now();
    // Until the database is migrated and seeded only liveness answers; everything else is a 503 to retry.
    if starting && req.path() != "/health/live" {
        let refused = ApiError {
            retry_after: Some(5),
            ..ApiError::new(crate::problem::SERVICE_UNAVAILABLE, said!("starting"))
        };
        let response = req.error_response(refused).map_into_right_body();
        return Ok(finish(response, &id, &span, started));
    }
    // No parameter of this API means a control character or a bidi override, and PostgreSQL cannot store a NUL:
    // refused here for every route at once, naming the parameter (a NUL answered 500 before).
    if let Some(refused) = forbidden_query_characters(req.query_string()) {
        let response = req.error_response(refused).map_into_right_body();
        return Ok(finish(response, &id, &span, started));
    }
    // HEAD is GET without the body (RFC 9110, 9.3.2): routed as GET, so the same checks, status, entity tag and
    // headers apply; the HTTP layer leaves the body out because the request it read said HEAD.
    let mut req = req;
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    // Errors that inner layers return as `Err` (rare: handlers' errors arrive as responses) are passed on as they
    // are; the request cannot be cloned before routing, so there is nothing to render them against here.
    let response = next
        .call(req)
        .instrument(span.clone())
        .await?
        .map_into_left_body();
    Ok(finish(response, &id, &span, started))
}

/// Renders errors, sets the request id and writes the completion line.
fn finish<B: MessageBody + 'static>(
    response: ServiceResponse<EitherBody<B>>,
    id: &str,
    span: &tracing::Span,
    started: Instant,
) -> ServiceResponse<EitherBody<B>> {
    let mut response = render_errors(response, id);
    response.headers_mut().insert(
        REQUEST_ID,
        HeaderValue::from_str(id).unwrap_or(HeaderValue::from_static("invalid")),
    );
    let status = response.status().as_u16();
    let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    span.in_scope(|| {
        // 503 is load shed on purpose (a full hashing gate, a database that is away): a warning, not an error.
        if status >= 500 && status != 503 {
            tracing::error!(http.status = status, latency_ms, "request completed");
        } else if status == 503 {
            tracing::warn!(http.status = status, latency_ms, "request completed");
        } else {
            tracing::info!(http.status = status, latency_ms, "request completed");
        }
    });
    response
}

/// A 422 naming each query parameter whose name or value holds a control character or a bidi override.
fn forbidden_query_characters(query: &str) -> Option<ApiError> {
    if query.is_empty() {
        return None;
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).ok()?;
    let errors: Vec<FieldError> = pairs
        .iter()
        .filter_map(|(name, value)| {
            let c = wsis_domain::text::forbidden_in_name(name)
                .or_else(|| wsis_domain::text::forbidden_in_name(value))?;
            Some(FieldError::new(
                wsis_domain::text::plain_name(name),
                "forbidden_character",
                said!(
                    "field-forbidden-in-query",
                    character = wsis_domain::text::describe(c)
                ),
            ))
        })
        .collect();
    (!errors.is_empty()).then(|| ApiError::validation(errors))
}

/// Replaces any error response that is not already a rendered problem of ours with one.
fn render_errors<B: MessageBody + 'static>(
    response: ServiceResponse<EitherBody<B>>,
    id: &str,
) -> ServiceResponse<EitherBody<B>> {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let req = response.request().clone();
    let language = request_language(&req);
    let rendered = match response
        .response()
        .error()
        .and_then(|e| e.as_error::<ApiError>())
    {
        Some(api_error) => api_error.render(language, req.path(), Some(id)),
        None => {
            // A problem already, or a page written for people (the OAuth authorization page's errors).
            let rendered_already = response
                .headers()
                .get(header::CONTENT_TYPE)
                .is_some_and(|v| {
                    v.as_bytes().starts_with(PROBLEM_JSON.as_bytes())
                        || v.as_bytes().starts_with(b"text/html")
                });
            if rendered_already {
                return response;
            }
            let cause = response.response().error().map(ToString::to_string);
            generic_problem(status, req.method(), req.path(), cause).render(
                language,
                req.path(),
                Some(id),
            )
        }
    };
    let mut rendered: HttpResponse<EitherBody<B>> = rendered.map_into_right_body();
    // Keep headers other layers set on the error (CORS, Allow, Retry-After) unless the problem set its own.
    for (name, value) in response.headers() {
        // The body is ours now: its length and any encoding of the old one do not apply.
        let describes_old_body = name == header::CONTENT_LENGTH || name == header::CONTENT_ENCODING;
        if !rendered.headers().contains_key(name) && !describes_old_body {
            rendered.headers_mut().insert(name.clone(), value.clone());
        }
    }
    response.into_response(rendered)
}

/// A problem for an error response raised outside our handlers (routing, other middleware).
fn generic_problem(
    status: StatusCode,
    method: &Method,
    path: &str,
    cause: Option<String>,
) -> ApiError {
    let kind = kind_for_status(status);
    let detail = match kind.code {
        c if c == NOT_FOUND.code => said!("not-found-path", path = path),
        c if c == METHOD_NOT_ALLOWED.code => {
            said!(
                "method-not-allowed-on",
                method = method.as_str(),
                path = path
            )
        }
        _ if status.is_server_error() => {
            return ApiError::internal(cause.unwrap_or_else(|| status.to_string()));
        }
        // What the framework said is logged (the cause); the caller is told what the status means.
        _ => said!("status-refused", status = status.as_u16(), code = kind.code),
    };
    ApiError {
        cause: cause.map(Into::into),
        ..ApiError::new(kind, detail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incoming_request_ids_are_taken_only_when_well_formed() {
        let ok = HeaderValue::from_static("abc-123_x.y:z");
        assert_eq!(
            accepted_request_id(Some(&ok)).as_deref(),
            Some("abc-123_x.y:z")
        );
        let bad = HeaderValue::from_static("a b");
        assert_eq!(accepted_request_id(Some(&bad)), None);
        let long = HeaderValue::from_str(&"a".repeat(129)).unwrap();
        assert_eq!(accepted_request_id(Some(&long)), None);
        assert_eq!(accepted_request_id(None), None);
    }
}
