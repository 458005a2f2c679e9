//! The API's own documentation: the OpenAPI document, problem type descriptions, and the reference UI.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;
use wsis_domain::said;

use crate::negotiate::Lang;
use crate::problem::{ALL_KINDS, ApiError, Problem};
use crate::responses::conditional::{Cached, Freshness};

/// The OpenAPI document of this server (app data, built once at start).
#[derive(Debug, Clone)]
pub struct OpenApiJson(pub web::Bytes);

/// Get the OpenAPI 3.1 document.
///
/// Anyone may call it, without credentials; it changes nothing. The document is built once at start from the
/// handlers themselves, and is the same file as `openapi/openapi.json` in the repository.
#[utoipa::path(
    operation_id = "get_openapi",
    tag = "docs",
    responses(
        (status = 200, description = "This API's OpenAPI 3.1 document", content_type = "application/json", body = Object),
        (status = 304, description = "Not modified since the given entity tag"),
        (status = 422, description = "A query parameter holds a control character or a bidirectional override (refused on every route)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/openapi.json")]
pub async fn openapi_json(
    req: HttpRequest,
    doc: web::Data<OpenApiJson>,
) -> Result<HttpResponse, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(&doc.0).map_err(ApiError::internal)?;
    Cached {
        language: None,
        freshness: Freshness::Reference,
        volatile_fields: &[],
    }
    .respond(&req, &value)
}

/// A problem type.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"type": "/problems/not_found", "code": "not_found", "status": 404, "title": "Not found"}))]
pub struct ProblemType {
    /// The type URI (this resource).
    #[serde(rename = "type")]
    pub type_uri: String,
    /// Stable code.
    pub code: &'static str,
    /// HTTP status it comes with.
    pub status: u16,
    /// Title in the negotiated language.
    pub title: &'static str,
}

/// Describe a problem type (the target of every problem's `type`).
///
/// Anyone may call it, without credentials; it changes nothing. Each problem's `type` is a link here: the code, its
/// HTTP status and its title in the negotiated language.
#[utoipa::path(
    operation_id = "get_problem_type",
    tag = "docs",
    params(("code" = String, Path, description = "A problem code", example = "validation_failed")),
    responses(
        (status = 200, description = "The problem type", body = ProblemType),
        (status = 404, description = "No such problem type", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/problems/{code}")]
pub async fn problem_type(
    req: HttpRequest,
    code: web::Path<String>,
    lang: Lang,
) -> Result<HttpResponse, ApiError> {
    let kind = ALL_KINDS
        .iter()
        .find(|k| k.code == code.as_str())
        .ok_or_else(|| ApiError::not_found(said!("not-found-problem-type")))?;
    let body = ProblemType {
        type_uri: kind.type_uri(),
        code: kind.code,
        status: kind.status,
        title: kind.title(lang.0),
    };
    Cached {
        language: Some(lang.0),
        freshness: Freshness::Reference,
        volatile_fields: &[],
    }
    .respond(&req, &body)
}

/// `/docs` → `/docs/` (where the reference UI lives).
pub async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, "/docs/"))
        .finish()
}
