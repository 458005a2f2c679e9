//! Winners, publication of the results, the results.

use super::*;

/// The winners of a category, as staff record them.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"nominees": ["0193a0c4-8f2e-7d41-b6a2-5c1d9e0f3a7b"]}))]
pub struct WinnersRequest {
    /// The nomination ids of the winners: champions of the category, one or more (an empty list records none).
    pub nominees: Vec<String>,
}

/// A champion with its valid votes.
#[derive(Debug, Serialize, ToSchema)]
pub struct Champion {
    /// The nominee.
    pub nominee: Nominee,
    /// Its valid votes.
    pub votes: u64,
    /// Chosen by the Expert Group as a winner.
    pub winner: bool,
}

/// One category's results.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryResults {
    /// 1–18.
    pub category: i32,
    /// The category's name in the negotiated language.
    pub name: String,
    /// Its champions, most voted first (every nominee tied at the fifth place is a champion).
    pub champions: Vec<Champion>,
}

fn category_results(result: &CategoryResult, language: Language) -> CategoryResults {
    CategoryResults {
        category: result.category,
        name: category_name(result.category, language),
        champions: result
            .champions
            .iter()
            .map(|(nominee, votes)| Champion {
                nominee: nominee.into(),
                votes: *votes,
                winner: nominee.winner,
            })
            .collect(),
    }
}

/// Record the winners of a category (staff): champions chosen by the Expert Group.
///
/// Staff only, once voting has closed and until the results are published. It records the winners (one or more;
/// an empty list records none) in the prizes' audit trail.
#[utoipa::path(
    operation_id = "set_prize_winners",
    tag = "prizes",
    security(("bearer" = [])),
    params(
        ("call" = String, Path, description = "The call's slug", example = "wsis-2025"),
        ("category" = i64, Path, description = "The prize category, 1–18", example = 5),
    ),
    request_body(content = WinnersRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The category's champions with its winners", body = CategoryResults),
        StaffOnly,
        (status = 404, description = "No such call or prizes track", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: voting is not over, or the results are published", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A winner that is not a champion of the category, or no such category", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/calls/{call}/prizes/categories/{category}/winners")]
pub async fn set_prize_winners(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, i64)>,
    lang: Lang,
    body: Result<JsonBody<WinnersRequest>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let (call, number) = path.into_inner();
    let category = category(number, "category")?;
    let winners = body?.0.nominees;
    let (actor, now) = (principal.actor.clone(), state.clock.now());
    let result = state
        .run(move |conn| use_cases::set_winners(conn, &actor, &call, category, winners, now))
        .await?;
    Ok(HttpResponse::Ok().json(category_results(&result, lang.0)))
}

/// Publish the results (staff): champions and winners become public.
///
/// Staff only, once voting has closed and the `results` phase (when the call sets one) has opened. It publishes the
/// results and records each champion's and winner's award on its nomination; publishing again changes nothing.
#[utoipa::path(
    operation_id = "publish_prize_results",
    tag = "prizes",
    security(("bearer" = [])),
    params(("call" = String, Path, description = "The call's slug", example = "wsis-2025")),
    responses(
        (status = 200, description = "Published", body = Published),
        StaffOnly,
        (status = 404, description = "No such call or prizes track", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: voting is not over, or too early", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/calls/{call}/prizes/results:publish")]
pub async fn publish_prize_results(
    state: web::Data<AppState>,
    principal: Principal,
    call: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let (actor, now) = (principal.actor.clone(), state.clock.now());
    let call = call.into_inner();
    let at = state
        .run(move |conn| use_cases::publish_results(conn, &actor, &call, now))
        .await?;
    Ok(HttpResponse::Ok().json(Published {
        published_at: rfc3339(at),
    }))
}

/// The results of a call's WSIS Prizes.
#[derive(Debug, Serialize, ToSchema)]
pub struct PrizeResults {
    /// The call's slug.
    pub call: String,
    /// Whether they are published (before, a preview for staff, or the running totals when the call shows them).
    pub published: bool,
    /// When they were published (UTC).
    #[schema(format = DateTime)]
    pub published_at: Option<String>,
    /// The categories that have champions, in their order.
    pub categories: Vec<CategoryResults>,
}

/// The results of a call's WSIS Prizes: champions with their valid votes, and winners.
///
/// Anyone may read them once published; before, staff see a running preview and everyone else a 404, unless the
/// call shows running totals (`running_totals` in its prizes rules): then anyone sees the totals once voting has
/// opened, without the winners. It changes nothing.
#[utoipa::path(
    operation_id = "get_prize_results",
    tag = "prizes",
    security((), ("bearer" = [])),
    params(("call" = String, Path, description = "The call's slug", example = "wsis-2025")),
    responses(
        (status = 200, description = "Champions and winners per category, names in the negotiated language", body = PrizeResults),
        (status = 404, description = "No such call, or its results are not published", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/calls/{call}/prizes/results")]
pub async fn get_prize_results(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    call: web::Path<String>,
    lang: Lang,
) -> Result<HttpResponse, ApiError> {
    let (actor, now) = (principal.actor.clone(), state.clock.now());
    let slug = call.into_inner();
    let lookup = slug.clone();
    let results = state
        .run(move |conn| use_cases::results(conn, &actor, &lookup, now))
        .await?;
    let body = PrizeResults {
        call: slug,
        published: results.published_at.is_some(),
        published_at: results.published_at.map(rfc3339),
        categories: results
            .categories
            .iter()
            .map(|c| category_results(c, lang.0))
            .collect(),
    };
    let public = body.published;
    read(&req, Some(lang.0), public, &body)
}
