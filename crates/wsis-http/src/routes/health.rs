//! Liveness and readiness for load balancers and orchestrators.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};

use crate::dto::Health;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;

/// The process is up.
///
/// Anyone may call it, without credentials; it reads nothing and changes nothing. Load balancers use it to tell that
/// the process answers.
#[utoipa::path(
    operation_id = "get_liveness",
    tag = "health",
    responses(
        (status = 200, description = "The process answers", body = Health),
        (status = 422, description = "A query parameter holds a control character or a bidirectional override (refused on every route)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/health/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(Health {
            status: "ok",
            database: None,
        })
}

/// The service can answer requests: its database is reachable.
///
/// Anyone may call it, without credentials; it changes nothing. It pings the database and answers 503 while the
/// database cannot be reached, so that a load balancer sends no traffic here.
#[utoipa::path(
    operation_id = "get_readiness",
    tag = "health",
    responses(
        (status = 200, description = "Ready", body = Health),
        (status = 422, description = "A query parameter holds a control character or a bidirectional override (refused on every route)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    state.db(wsis_persistence::db::ping).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(Health {
            status: "ok",
            database: Some(state.db.backend().name()),
        }))
}
