//! Conditional GETs: entity tags, `If-None-Match` → 304, `Cache-Control`, `Vary` and `Content-Language`.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use sha2::{Digest, Sha256};
use wsis_domain::Language;

use crate::problem::ApiError;

/// How long clients and shared caches may keep a representation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// Reference data: changes rarely; cache for an hour, then revalidate.
    Reference,
    /// Calls and tracks: revalidate on every use (their state moves at deadlines), 304 when unchanged.
    Revalidate,
    /// Never store (health, errors).
    NoStore,
    /// Per-user data: browsers may keep it but must revalidate; shared caches must not store it.
    Private,
}

impl Freshness {
    fn header(self) -> &'static str {
        match self {
            Self::Reference => "public, max-age=3600, stale-while-revalidate=60",
            Self::Revalidate => "public, no-cache",
            Self::NoStore => "no-store",
            Self::Private => "private, no-cache",
        }
    }
}

/// A JSON representation with its validator.
#[derive(Debug)]
pub struct Cached<'a> {
    /// Language of the labels in it, when localised (sets `Content-Language` and `Vary: Accept-Language`).
    pub language: Option<Language>,
    /// Caching policy.
    pub freshness: Freshness,
    /// Fields left out of the entity tag because they change on every response (`server_time`): the tag is then
    /// weak (RFC 9110 §8.8.1), equal for semantically equal representations.
    pub volatile_fields: &'a [&'a str],
}

fn tag_of(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    URL_SAFE_NO_PAD.encode(&digest[..18])
}

fn strip_fields(value: &mut serde_json::Value, fields: &[&str]) {
    match value {
        serde_json::Value::Object(map) => {
            for field in fields {
                map.remove(*field);
            }
            map.values_mut().for_each(|v| strip_fields(v, fields));
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| strip_fields(v, fields)),
        _ => {}
    }
}

/// Whether `If-None-Match` matches `etag` (weak comparison, RFC 9110 §13.1.2).
fn none_match(req: &HttpRequest, etag: &str) -> bool {
    let opaque = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    let ours = opaque(etag);
    req.headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .any(|value| {
            value
                .split(',')
                .any(|candidate| candidate.trim() == "*" || opaque(candidate) == ours)
        })
}

impl Cached<'_> {
    /// The entity tag `respond` would give `value`.
    pub fn etag<T: Serialize>(&self, value: &T) -> Result<String, ApiError> {
        let body = serde_json::to_vec(value).map_err(ApiError::internal)?;
        self.tag(value, &body)
    }

    fn tag<T: Serialize>(&self, value: &T, body: &[u8]) -> Result<String, ApiError> {
        Ok(if self.volatile_fields.is_empty() {
            format!("\"{}\"", tag_of(body))
        } else {
            let mut stable = serde_json::to_value(value).map_err(ApiError::internal)?;
            strip_fields(&mut stable, self.volatile_fields);
            let bytes = serde_json::to_vec(&stable).map_err(ApiError::internal)?;
            format!("W/\"{}\"", tag_of(&bytes))
        })
    }

    /// The 200 response with `value` as JSON, or 304 when the client's copy is current.
    pub fn respond<T: Serialize>(
        &self,
        req: &HttpRequest,
        value: &T,
    ) -> Result<HttpResponse, ApiError> {
        let (body, etag) = self.render(value)?;
        Ok(self.respond_with(req, body.into(), &etag, None))
    }

    /// The 200 response with `value` as JSON under an entity tag of its own (an object's version tag), or 304 when
    /// the client's copy is current.
    pub fn respond_tagged<T: Serialize>(
        &self,
        req: &HttpRequest,
        value: &T,
        etag: &str,
    ) -> Result<HttpResponse, ApiError> {
        let body = serde_json::to_vec(value).map_err(ApiError::internal)?;
        Ok(self.respond_with(req, body.into(), etag, None))
    }

    /// The body and entity tag of a value, to answer now or keep (see `crate::pages`).
    pub fn render<T: Serialize>(&self, value: &T) -> Result<(Vec<u8>, String), ApiError> {
        let body = serde_json::to_vec(value).map_err(ApiError::internal)?;
        let etag = self.tag(value, &body)?;
        Ok((body, etag))
    }

    /// Answers a rendered body: 304 when `If-None-Match` names its tag, else 200 with it; `link` is the `Link`
    /// header of a page that has a next one.
    pub fn respond_with(
        &self,
        req: &HttpRequest,
        body: actix_web::web::Bytes,
        etag: &str,
        link: Option<&HeaderValue>,
    ) -> HttpResponse {
        let not_modified = none_match(req, etag);
        let mut builder = if not_modified {
            HttpResponse::NotModified()
        } else {
            HttpResponse::Ok()
        };
        builder
            .insert_header((header::ETAG, etag))
            .insert_header((header::CACHE_CONTROL, self.freshness.header()));
        if let Some(language) = self.language {
            builder
                .insert_header((header::CONTENT_LANGUAGE, language.code()))
                .insert_header((header::VARY, HeaderValue::from_static("Accept-Language")));
        }
        if let Some(link) = link {
            builder.insert_header((header::LINK, link.clone()));
        }
        if not_modified {
            return builder.finish();
        }
        builder.content_type(mime_json()).body(body)
    }
}

fn mime_json() -> HeaderValue {
    HeaderValue::from_static("application/json")
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn volatile_fields_are_stripped_at_any_depth() {
        let mut value =
            serde_json::json!({"a": {"server_time": 1, "b": [{"server_time": 2, "c": 3}]}});
        strip_fields(&mut value, &["server_time"]);
        assert_eq!(value, serde_json::json!({"a": {"b": [{"c": 3}]}}));
    }

    #[test]
    fn if_none_match_uses_weak_comparison_and_lists() {
        let req = TestRequest::default()
            .insert_header((header::IF_NONE_MATCH, "\"x\", W/\"abc\""))
            .to_http_request();
        assert!(none_match(&req, "\"abc\""));
        assert!(none_match(&req, "W/\"abc\""));
        assert!(!none_match(&req, "\"abd\""));
        let star = TestRequest::default()
            .insert_header((header::IF_NONE_MATCH, "*"))
            .to_http_request();
        assert!(none_match(&star, "\"anything\""));
        assert!(!none_match(
            &TestRequest::default().to_http_request(),
            "\"abc\""
        ));
    }
}
