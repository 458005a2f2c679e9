//! WSIS Prize winners of the years before this system.

use super::*;

/// A WSIS Prize won before this system, as staff record it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"year": 2019, "category": 7, "title": "Solar-powered school networks", "organisation_name": "Digital Rights Collective", "organisation_id": "0193a0c5-1b2c-7d3e-8f40-5a6b7c8d9e0f"}))]
pub struct EarlierWinnerRequest {
    /// The year of the prize (2012 or later).
    pub year: i32,
    /// The category, 1–18, when known.
    #[serde(default)]
    pub category: Option<i64>,
    /// The project's title (1–300 characters).
    pub title: String,
    /// The winning organisation's name (1–300 characters).
    pub organisation_name: String,
    /// The organisation here, when it has an account: its projects under the same title are not eligible.
    #[serde(default)]
    #[schema(format = Uuid)]
    pub organisation_id: Option<String>,
    /// The project's stocktaking entry here, when it has one: it is not eligible.
    #[serde(default)]
    #[schema(format = Uuid)]
    pub project_id: Option<String>,
}

/// An earlier winner as recorded.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a0c4-2222-7d41-b6a2-5c1d9e0f3a7b", "year": 2019, "category": 7, "title": "Solar-powered school networks", "organisation_name": "Digital Rights Collective", "organisation_id": "0193a0c5-1b2c-7d3e-8f40-5a6b7c8d9e0f", "project_id": null, "recorded_at": "2025-01-10T09:00:00Z"}))]
pub struct EarlierWinnerView {
    /// Id.
    #[schema(format = Uuid)]
    pub id: String,
    /// The year of the prize.
    pub year: i32,
    /// The category, when known.
    pub category: Option<i32>,
    /// The project's title.
    pub title: String,
    /// The winning organisation's name.
    pub organisation_name: String,
    /// The organisation here, when it has an account.
    #[schema(format = Uuid)]
    pub organisation_id: Option<String>,
    /// The project's stocktaking entry here, when it has one.
    #[schema(format = Uuid)]
    pub project_id: Option<String>,
    /// When it was recorded (UTC).
    #[schema(format = DateTime)]
    pub recorded_at: String,
}

impl From<wsis_persistence::prizes::EarlierWinner> for EarlierWinnerView {
    fn from(w: wsis_persistence::prizes::EarlierWinner) -> Self {
        Self {
            id: w.id,
            year: w.year,
            category: w.category,
            title: w.title,
            organisation_name: w.organisation_name,
            organisation_id: w.organisation_id,
            project_id: w.project_id,
            recorded_at: rfc3339(w.recorded_at.and_utc()),
        }
    }
}

/// The earlier winners staff recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct EarlierWinners {
    /// Newest year first.
    pub items: Vec<EarlierWinnerView>,
}

/// Record a WSIS Prize won before this system (staff), so that the project is not eligible again.
///
/// Staff only. It records the win: a nomination of that stocktaking entry, or of a project of that organisation
/// under the same title (case, accents and spacing aside), is then refused as a previous winner (422
/// `previous_winner`, naming the year and the title).
#[utoipa::path(
    operation_id = "record_earlier_prize_winner",
    tag = "prizes",
    security(("bearer" = [])),
    request_body(content = EarlierWinnerRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Recorded", body = EarlierWinnerView),
        StaffOnly,
        (status = 422, description = "A year, title, name, category, organisation or project that is not valid", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/prizes/earlier-winners")]
pub async fn record_earlier_prize_winner(
    state: web::Data<AppState>,
    principal: Principal,
    body: Result<JsonBody<EarlierWinnerRequest>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let request = body?.0;
    let category = request
        .category
        .map(|n| category(n, "category"))
        .transpose()?;
    let win = use_cases::EarlierWin {
        year: request.year,
        category,
        title: request.title,
        organisation_name: request.organisation_name,
        organisation_id: request.organisation_id,
        project_id: request.project_id,
    };
    let (actor, now) = (principal.actor.clone(), state.clock.now());
    let recorded = state
        .run(move |conn| use_cases::record_earlier_winner(conn, &actor, win, now))
        .await?;
    Ok(HttpResponse::Created().json(EarlierWinnerView::from(recorded)))
}

/// The WSIS Prize winners recorded from before this system (staff).
///
/// Staff only; it changes nothing.
#[utoipa::path(
    operation_id = "list_earlier_prize_winners",
    tag = "prizes",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Earlier winners, newest year first", body = EarlierWinners),
        StaffOnly,
    )
)]
#[get("/prizes/earlier-winners")]
pub async fn list_earlier_prize_winners(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let actor = principal.actor.clone();
    let winners = state
        .run(move |conn| use_cases::earlier_winners(conn, &actor))
        .await?;
    read(
        &req,
        None,
        false,
        &EarlierWinners {
            items: winners.into_iter().map(Into::into).collect(),
        },
    )
}
