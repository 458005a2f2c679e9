//! `Idempotency-Key` on POST: the same key with the same request within 24 hours replays the first successful
//! answer (with `Idempotent-Replayed: true`); with another request it is a 422; while the first is still running,
//! a 409. Keys are scoped to the caller and kept in the database, so they hold across instances. A request that
//! fails releases its key, so that a retry runs again; a request that never answers (its process died) holds its
//! key for a lease of `LEASE_SECONDS`, after which a retry takes the key over and runs.

use std::future::Future;
use wsis_domain::said;

use actix_web::body::MessageBody;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};
use wsis_persistence::idempotency::{self, Claim};

use crate::problem::{ApiError, CONFLICT, FieldError};
use crate::state::AppState;

/// The request header.
pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
/// Set on a replayed answer.
pub const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");
const KEPT_HEADERS: [HeaderName; 3] = [header::ETAG, header::LOCATION, header::CONTENT_TYPE];

/// The request's `Idempotency-Key`, if any; 422 when it is malformed. Handlers check it first, so a malformed key
/// is refused even where it would not be used (a dry run).
pub fn key_of(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(&IDEMPOTENCY_KEY) else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or_default().trim().to_owned();
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::validation(vec![FieldError::new(
            "Idempotency-Key",
            "invalid_key",
            said!("field-idempotency-key"),
        )]));
    }
    Ok(Some(key))
}

/// Runs `work` at most once per (caller, key, request). `fingerprint` identifies the request (its canonical body).
pub async fn once<Fut>(
    req: &HttpRequest,
    state: &AppState,
    caller: &str,
    fingerprint: &str,
    work: Fut,
) -> Result<HttpResponse, ApiError>
where
    Fut: Future<Output = Result<HttpResponse, ApiError>>,
{
    let Some(key) = key_of(req)? else {
        return work.await;
    };
    let hash = hex(&Sha256::digest(
        format!(
            "{} {}?{}\n{fingerprint}",
            req.method(),
            req.path(),
            req.query_string()
        )
        .as_bytes(),
    ));
    let now = state.clock.now();
    let (owner, k) = (caller.to_owned(), key.clone());
    match state
        .db(move |conn| idempotency::claim(conn, &owner, &k, &hash, now))
        .await?
    {
        Claim::Replay { status, response } => replay(status, &response),
        Claim::Mismatch => Err(ApiError::validation(vec![FieldError::new(
            "Idempotency-Key",
            "key_reused",
            said!("field-key-reused"),
        )])),
        Claim::InFlight => Err(ApiError {
            retry_after: Some(1),
            ..ApiError::new(CONFLICT, said!("idempotency-in-flight"))
        }),
        Claim::Fresh { claim_id } => {
            let outcome = work.await;
            let (owner, k) = (caller.to_owned(), key);
            match outcome {
                Ok(response) if response.status().is_success() => {
                    let status = response.status().as_u16();
                    let headers: serde_json::Map<String, serde_json::Value> = KEPT_HEADERS
                        .iter()
                        .filter_map(|name| {
                            let value = response.headers().get(name)?.to_str().ok()?;
                            Some((
                                name.as_str().to_owned(),
                                serde_json::Value::String(value.to_owned()),
                            ))
                        })
                        .collect();
                    let (head, body) = response.into_parts();
                    let bytes = body.try_into_bytes().unwrap_or_default();
                    let stored = serde_json::json!({"headers": headers, "body": String::from_utf8_lossy(&bytes)}).to_string();
                    state
                        .db(move |conn| {
                            idempotency::complete(
                                conn,
                                &owner,
                                &k,
                                &claim_id,
                                i32::from(status),
                                &stored,
                            )
                        })
                        .await?;
                    Ok(head.set_body(bytes).map_into_boxed_body())
                }
                other => {
                    state
                        .db(move |conn| idempotency::release(conn, &owner, &k, &claim_id))
                        .await?;
                    other
                }
            }
        }
    }
}

fn replay(status: i32, stored: &str) -> Result<HttpResponse, ApiError> {
    let stored: serde_json::Value = serde_json::from_str(stored).map_err(ApiError::internal)?;
    let status = u16::try_from(status)
        .ok()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK);
    let mut response = HttpResponse::build(status);
    if let Some(headers) = stored["headers"].as_object() {
        for (name, value) in headers {
            if let (Ok(name), Some(Ok(value))) = (
                HeaderName::try_from(name.as_str()),
                value.as_str().map(HeaderValue::from_str),
            ) {
                response.insert_header((name, value));
            }
        }
    }
    response.insert_header((REPLAYED, "true"));
    Ok(response.body(stored["body"].as_str().unwrap_or_default().to_owned()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
