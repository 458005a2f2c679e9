//! The nominee list: shortlisting, publication, the public list.

use super::*;

/// Shortlist an accepted nomination as a nominee of its category (staff).
///
/// Staff only, once the nominations have closed and until the nominee list is published. It adds the nomination
/// to the list (doing it again changes nothing), in the nomination's history and the prizes' audit trail.
#[utoipa::path(
    operation_id = "add_prize_nominee",
    tag = "prizes",
    security(("bearer" = [])),
    params(
        ("call" = String, Path, description = "The call's slug", example = "wsis-2025"),
        ("id" = String, Path, description = "The nomination's id", format = Uuid),
    ),
    responses(
        (status = 200, description = "The nominee", body = Nominee),
        StaffOnly,
        (status = 404, description = "No such call or nomination of it", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: the nominations are open, the list is published, or the nomination is not accepted", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/calls/{call}/prizes/nominees/{id}")]
pub async fn add_prize_nominee(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let (call, id) = path.into_inner();
    let (actor, now) = (principal.actor.clone(), state.clock.now());
    let nominee = state
        .run(move |conn| use_cases::add_nominee(conn, &actor, &call, &id, now))
        .await?;
    Ok(HttpResponse::Ok().json(Nominee::from(&nominee)))
}

/// Take a nominee off the list (staff).
///
/// Staff only, until the nominee list is published. It removes the nominee, in the nomination's history and the
/// prizes' audit trail.
#[utoipa::path(
    operation_id = "remove_prize_nominee",
    tag = "prizes",
    security(("bearer" = [])),
    params(
        ("call" = String, Path, description = "The call's slug", example = "wsis-2025"),
        ("id" = String, Path, description = "The nomination's id", format = Uuid),
    ),
    responses(
        (status = 204, description = "Removed"),
        StaffOnly,
        (status = 404, description = "No such call, or not a nominee", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: the list is published", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/calls/{call}/prizes/nominees/{id}")]
pub async fn remove_prize_nominee(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let (call, id) = path.into_inner();
    let (actor, now) = (principal.actor.clone(), state.clock.now());
    state
        .run(move |conn| use_cases::remove_nominee(conn, &actor, &call, &id, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Publish the nominee list (staff); it is frozen from then on.
///
/// Staff only, once the nominations have closed and the `nominees` phase (when the call sets one) has opened. It
/// makes the list public and freezes it; publishing again changes nothing.
#[utoipa::path(
    operation_id = "publish_prize_nominees",
    tag = "prizes",
    security(("bearer" = [])),
    params(("call" = String, Path, description = "The call's slug", example = "wsis-2025")),
    responses(
        (status = 200, description = "Published", body = Published),
        StaffOnly,
        (status = 404, description = "No such call or prizes track", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: too early", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/calls/{call}/prizes/nominees:publish")]
pub async fn publish_prize_nominees(
    state: web::Data<AppState>,
    principal: Principal,
    call: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let (actor, now) = (principal.actor.clone(), state.clock.now());
    let call = call.into_inner();
    let at = state
        .run(move |conn| use_cases::publish_nominees(conn, &actor, &call, now))
        .await?;
    Ok(HttpResponse::Ok().json(Published {
        published_at: rfc3339(at),
    }))
}

/// One category of the nominee list.
#[derive(Debug, Serialize, ToSchema)]
pub struct NomineeCategory {
    /// 1–18.
    pub category: i32,
    /// The category's name in the negotiated language.
    pub name: String,
    /// Its nominees, by title.
    pub nominees: Vec<Nominee>,
}

/// The nominee list.
#[derive(Debug, Serialize, ToSchema)]
pub struct NomineeList {
    /// The call's slug.
    pub call: String,
    /// Whether it is published (a draft is shown to staff only).
    pub published: bool,
    /// When it was published (UTC).
    #[schema(format = DateTime)]
    pub published_at: Option<String>,
    /// The categories that have nominees, in their order.
    pub categories: Vec<NomineeCategory>,
}

/// The nominees of a call's WSIS Prizes, per category.
///
/// Anyone may read it once it is published; before, staff see the draft list and everyone else a 404. It changes
/// nothing.
#[utoipa::path(
    operation_id = "list_prize_nominees",
    tag = "prizes",
    security((), ("bearer" = [])),
    params(("call" = String, Path, description = "The call's slug", example = "wsis-2025")),
    responses(
        (status = 200, description = "The nominees per category, names in the negotiated language", body = NomineeList),
        (status = 404, description = "No such call, or its nominees are not published", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/calls/{call}/prizes/nominees")]
pub async fn list_prize_nominees(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    call: web::Path<String>,
    lang: Lang,
) -> Result<HttpResponse, ApiError> {
    let actor = principal.actor.clone();
    let slug = call.into_inner();
    let lookup = slug.clone();
    let list = state
        .run(move |conn| use_cases::nominees(conn, &actor, &lookup))
        .await?;
    let mut categories: Vec<NomineeCategory> = Vec::new();
    for nominee in &list.nominees {
        match categories.last_mut() {
            Some(c) if c.category == nominee.category => c.nominees.push(nominee.into()),
            _ => categories.push(NomineeCategory {
                category: nominee.category,
                name: category_name(nominee.category, lang.0),
                nominees: vec![nominee.into()],
            }),
        }
    }
    let body = NomineeList {
        call: slug,
        published: list.published_at.is_some(),
        published_at: list.published_at.map(rfc3339),
        categories,
    };
    let public = body.published;
    read(&req, Some(lang.0), public, &body)
}
