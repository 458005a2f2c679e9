//! Setting a prizes track's phases.

use super::*;

/// A phase's new window.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"opens": {"rule": "start_of_local_day", "date": "2025-03-14"}, "closes": {"rule": "end_of_local_day", "date": "2025-04-14"}}))]
pub struct PhaseWindow {
    /// When it opens.
    pub opens: TimeRuleDto,
    /// When it closes.
    pub closes: TimeRuleDto,
}

/// Set a phase of a call's prizes track (staff): `review`, `nominees`, `voting` or `results`.
///
/// Staff only. It sets the phase's window, checked like a new call's (it opens after the nominations close, in the
/// order of the phases), and records it in the prizes' audit trail.
#[utoipa::path(
    operation_id = "set_prize_phase",
    tag = "prizes",
    security(("bearer" = [])),
    params(
        ("call" = String, Path, description = "The call's slug", example = "wsis-2025"),
        ("phase" = PrizePhase, Path, description = "The phase", example = "voting"),
    ),
    request_body(content = PhaseWindow, content_type = "application/json"),
    responses(
        (status = 200, description = "The prizes track with its phases", body = Track),
        StaffOnly,
        (status = 404, description = "No such call, prizes track or phase", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The window does not resolve, or opens out of order", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/calls/{call}/tracks/prizes/phases/{phase}")]
pub async fn set_prize_phase(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
    lang: Lang,
    body: Result<JsonBody<PhaseWindow>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let (call, phase) = path.into_inner();
    let phase: PrizePhase = phase
        .parse()
        .map_err(|e: wsis_domain::ParseError| ApiError::not_found(e.said()))?;
    let window = body?.0;
    let change = PhaseChange {
        phase,
        opens: window.opens.into(),
        closes: window.closes.into(),
    };
    let (actor, now) = (principal.actor.clone(), state.clock.now());
    let (call, track) = state
        .run(move |conn| use_cases::set_phase(conn, &actor, &call, change, now))
        .await?;
    Ok(HttpResponse::Ok().json(Track::from_record(
        &call.slug,
        &track,
        &context(&state, lang, CallerZone(None)),
    )))
}
