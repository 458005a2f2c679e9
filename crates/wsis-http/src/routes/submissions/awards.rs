//! What staff record on submitted entries besides decisions: a Trust Fund pledge's progress, a WSIS Prizes award.

use super::decisions::answer;
use super::*;
use wsis_domain::{PledgeStatus, PrizeAward};

/// A pledge's new status.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "confirmed"}))]
pub struct PledgeStatusRequest {
    /// `confirmed` (after `pledged`) or `received` (after `confirmed`); every pledge starts as `pledged`.
    pub status: PledgeStatus,
}

/// Move a Trust Fund pledge forward (staff): pledged → confirmed → received.
///
/// Staff only. It moves a Trust Fund pledge one step forward and records it in the history.
#[utoipa::path(
    operation_id = "update_pledge_status",
    tag = "submissions",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Submission id")),
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
    principal.require_staff()?;
    let to = body?.0.status;
    let (actor, id, at) = (principal.actor.clone(), id.into_inner(), state.clock.now());
    let moved = state
        .run(move |conn| wsis_app::submissions::set_pledge_status(conn, &actor, &id, to, at))
        .await?;
    answer(&state, &moved)
}

/// A WSIS Prizes award.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"award": "winner"}))]
pub struct PrizeAwardRequest {
    /// The award.
    pub award: PrizeAward,
}

async fn set_award(
    state: &AppState,
    principal: &Principal,
    id: &str,
    award: Option<PrizeAward>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let (actor, id, at) = (principal.actor.clone(), id.to_owned(), state.clock.now());
    let changed = state
        .run(move |conn| wsis_app::submissions::set_prize_award(conn, &actor, &id, award, at))
        .await?;
    answer(state, &changed)
}

/// Record a WSIS Prizes award on an accepted nomination (staff): `champion` or `winner`. Setting the same award
/// again changes nothing; every change is in the nomination's history.
///
/// Staff only. It records the award on an accepted nomination and in the history.
#[utoipa::path(
    operation_id = "set_prize_award",
    tag = "submissions",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Submission id (a prize nomination)")),
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
    principal.require_staff()?;
    let award = body?.0.award;
    set_award(&state, &principal, &id, Some(award)).await
}

/// Take back a WSIS Prizes award (staff), for instance one recorded by mistake; the change is in the history.
///
/// Staff only. It removes the award; the history keeps both the award and its removal.
#[utoipa::path(
    operation_id = "clear_prize_award",
    tag = "submissions",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Submission id (a prize nomination)")),
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
