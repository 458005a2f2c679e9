//! The JSON body extractor: content type checked (415), size limited (413), syntax errors located (400), and
//! shape errors (unknown, missing or mistyped fields) answered 422 with the JSON path of the field.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use wsis_domain::said;

use crate::problem::{
    ApiError, FieldError, MALFORMED_JSON, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE,
};

/// The largest JSON body accepted, in bytes (app data; 1 MiB when not configured).
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

impl Default for BodyLimit {
    fn default() -> Self {
        Self(1024 * 1024)
    }
}

/// A body as a use case takes it (use cases answer who may act before what was sent:
/// `wsis_app::Refusal::Unreadable` once access is settled) (`None` when unreadable), and the problem that says why it is not.
pub fn split_body<T>(body: Result<JsonBody<T>, ApiError>) -> (Option<T>, Option<ApiError>) {
    match body {
        Ok(body) => (Some(body.0), None),
        Err(error) => (None, Some(error)),
    }
}

/// The problem for a refusal: an unreadable body is answered with the reason it could not be read.
pub fn unreadable_first(refusal: wsis_app::Refusal, unreadable: Option<ApiError>) -> ApiError {
    match (refusal, unreadable) {
        (wsis_app::Refusal::Unreadable, Some(error)) => error,
        (refusal, _) => refusal.into(),
    }
}

/// A JSON request body deserialised into `T`.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

fn too_large(limit: usize) -> ApiError {
    ApiError::new(PAYLOAD_TOO_LARGE, said!("body-too-large", limit = limit))
}

/// The body's media type essence (`application/json`), lower case.
fn media_type(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(
        value
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase(),
    )
}

fn is_json_type(essence: &str) -> bool {
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Reads the whole body, refusing more than the configured limit (413) before or while reading.
fn read_body(
    req: &HttpRequest,
    payload: &mut Payload,
) -> LocalBoxFuture<'static, Result<web::Bytes, ApiError>> {
    let limit = req
        .app_data::<web::Data<BodyLimit>>()
        .map_or_else(|| BodyLimit::default().0, |l| l.0);
    let declared: Option<usize> = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    let mut payload = payload.take();
    Box::pin(async move {
        if declared.is_some_and(|n| n > limit) {
            return Err(too_large(limit));
        }
        let mut body = web::BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|e| ApiError {
                cause: Some(e.to_string().into()),
                ..ApiError::new(crate::problem::BAD_REQUEST, said!("body-unreadable"))
            })?;
            if body.len() + chunk.len() > limit {
                return Err(too_large(limit));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    })
}

fn not_json() -> ApiError {
    ApiError::new(UNSUPPORTED_MEDIA_TYPE, said!("body-not-json"))
}

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = media_type(req).is_some_and(|t| is_json_type(&t));
        let body = read_body(req, payload);
        Box::pin(async move {
            if !json {
                return Err(not_json());
            }
            parse(&body.await?).map(JsonBody)
        })
    }
}

/// A body sent as JSON or as an HTML form (`application/x-www-form-urlencoded`), as OAuth 2.0 endpoints accept.
#[derive(Debug)]
pub struct FormOrJson<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for FormOrJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let media = media_type(req);
        let body = read_body(req, payload);
        Box::pin(async move {
            match media.as_deref() {
                Some("application/x-www-form-urlencoded") => {
                    let bytes = body.await?;
                    let pairs: Vec<(String, String)> =
                        serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
                    let nul: Vec<FieldError> = pairs
                        .iter()
                        .filter(|(k, v)| k.contains('\0') || v.contains('\0'))
                        .map(|(k, _)| {
                            FieldError::new(
                                k.replace('\0', "%00"),
                                "forbidden_character",
                                said!("field-nul"),
                            )
                        })
                        .collect();
                    if !nul.is_empty() {
                        return Err(ApiError::validation(nul));
                    }
                    serde_urlencoded::from_bytes(&bytes)
                        .map(FormOrJson)
                        .map_err(|e| {
                            ApiError::validation(vec![FieldError::new(
                                "",
                                "invalid_form",
                                said!("field-invalid", reason = e.to_string()),
                            )])
                        })
                }
                Some(t) if is_json_type(t) => parse(&body.await?).map(FormOrJson),
                _ => Err(ApiError::new(
                    UNSUPPORTED_MEDIA_TYPE,
                    said!("body-form-or-json"),
                )),
            }
        })
    }
}

/// Where strings of a JSON document hold a NUL character (`\u0000`), as JSON paths: PostgreSQL cannot store it in
/// text, and no field of this API means it, so it is refused up front, naming each field (a 500 before).
fn nul_paths(value: &serde_json::Value, path: &str, out: &mut Vec<String>) {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        serde_json::Value::String(s) if s.contains('\0') => out.push(path.to_owned()),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                nul_paths(item, &format!("{path}[{i}]"), out);
            }
        }
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                if key.contains('\0') {
                    out.push(join(&key.replace('\0', "\\u0000")));
                }
                nul_paths(item, &join(key), out);
            }
        }
        _ => {}
    }
}

fn refuse_nul(bytes: &[u8]) -> Result<(), ApiError> {
    // Raw control characters are not valid JSON; a NUL can only come as the escape, in any case of its hex digits.
    let escaped = bytes
        .windows(6)
        .any(|w| w[0] == b'\\' && w[1] == b'u' && w[2..].iter().all(|b| *b == b'0'));
    if !escaped {
        return Ok(());
    }
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        return Ok(());
    };
    let mut paths = Vec::new();
    nul_paths(&value, "", &mut paths);
    if paths.is_empty() {
        return Ok(());
    }
    Err(ApiError::validation(
        paths
            .into_iter()
            .map(|p| FieldError::new(&p, "forbidden_character", said!("field-nul")))
            .collect(),
    ))
}

/// Deserialises `bytes`, locating the first error.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    refuse_nul(bytes)?;
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(shape_error)?;
    deserializer.end().map_err(|e| syntax_error(&e))?;
    Ok(value)
}

fn syntax_error(err: &serde_json::Error) -> ApiError {
    let message = err.to_string();
    if err.is_eof() && err.line() == 1 && err.column() == 0 {
        return ApiError::new(MALFORMED_JSON, said!("json-empty"));
    }
    let what = message.split(" at line ").next().unwrap_or_default();
    ApiError::new(
        MALFORMED_JSON,
        said!(
            "json-invalid",
            what = what,
            line = err.line(),
            column = err.column()
        ),
    )
}

/// Turns a serde error into a 422 naming the field, or a 400 for broken syntax.
fn shape_error(err: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let path = err.path().to_string();
    let inner = err.into_inner();
    if inner.is_syntax() || inner.is_eof() || inner.is_io() {
        return syntax_error(&inner);
    }
    let violation = wsis_domain::forms::shape_error(&path, &inner.to_string());
    ApiError::validation(vec![FieldError::from(violation)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(dead_code, reason = "only deserialised")]
    struct Outer {
        name: String,
        inner: Vec<Inner>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(dead_code, reason = "only deserialised")]
    struct Inner {
        count: u8,
    }

    fn field_error(json: &str) -> (u16, String, String) {
        let err = parse::<Outer>(json.as_bytes()).unwrap_err();
        let first = err
            .errors
            .first()
            .cloned()
            .unwrap_or_else(|| FieldError::new("", "", said!("field-invalid", reason = "")));
        (err.kind.status, first.field, first.code)
    }

    #[test]
    fn errors_name_the_field_by_json_path() {
        assert_eq!(
            field_error(r#"{"name": "x", "inner": [{"count": 1}, {"count": "two"}]}"#),
            (422, "inner[1].count".into(), "invalid_type".into())
        );
        assert_eq!(
            field_error(r#"{"name": "x", "inner": [{"count": 1, "extra": true}]}"#),
            (422, "inner[0].extra".into(), "unknown_field".into())
        );
        assert_eq!(
            field_error(r#"{"name": "x", "inner": [{}]}"#),
            (422, "inner[0].count".into(), "required".into())
        );
        assert_eq!(
            field_error(r#"{"inner": []}"#),
            (422, "name".into(), "required".into())
        );
        assert_eq!(
            field_error(r#"{"name": "x", "inner": [{"count": 300}]}"#),
            (422, "inner[0].count".into(), "invalid_value".into())
        );
    }

    #[test]
    fn broken_syntax_is_a_400() {
        assert_eq!(field_error(r#"{"name": "x", "inner": [}"#).0, 400);
        assert_eq!(field_error("").0, 400);
        assert_eq!(field_error(r#"{"name": "x", "inner": []} trailing"#).0, 400);
    }
}
