//! The WSIS Prizes after their nominations (docs/prizes.md): phases, the nominee list, public voting, results.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use wsis_app::prizes::{self as use_cases, CategoryResult, PhaseChange};
use wsis_domain::prizes::PrizePhase;
use wsis_domain::{Language, PrizeCategory, catalogue, said};
use wsis_persistence::prizes::NomineeRecord;

use crate::auth::Principal;
use crate::dto::{RenderContext, TimeRuleDto, Track};
use crate::json::JsonBody;
use crate::negotiate::{CallerZone, Lang};
use crate::problem::{ApiError, FieldError, Problem, SignInRequired, StaffOnly};
use crate::state::AppState;

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn context(state: &AppState, lang: Lang, zone: CallerZone) -> RenderContext {
    RenderContext {
        language: lang.0,
        now: state.clock.now(),
        caller_zone: zone.0,
    }
}

/// A category named in a path or a body: 1 to 18.
fn category(number: i64, field: &str) -> Result<PrizeCategory, ApiError> {
    u8::try_from(number)
        .ok()
        .and_then(|n| PrizeCategory::new(n).ok())
        .ok_or_else(|| {
            ApiError::validation(vec![FieldError::new(
                field,
                "unknown_category",
                said!("field-prize-category"),
            )])
        })
}

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

/// A nominee as the public list shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"nomination": "0193a0c4-8f2e-7d41-b6a2-5c1d9e0f3a7b", "category": 7, "project": {"id": "0193a0c4-1111-7d41-b6a2-5c1d9e0f3a7b", "title": "Solar-powered school networks"}, "organisation": {"id": "0193a0c5-1b2c-7d3e-8f40-5a6b7c8d9e0f", "name": "Digital Rights Collective", "country": "KE"}, "short_description": "…"}))]
pub struct Nominee {
    /// The nomination (its id is what a vote names).
    #[schema(format = Uuid)]
    pub nomination: String,
    /// The prize category, 1–18.
    pub category: i32,
    /// The stocktaking project nominated.
    pub project: NomineeProject,
    /// The nominating organisation.
    pub organisation: NomineeOrganisation,
    /// The nomination's short description (150–200 words, in English).
    pub short_description: String,
}

/// The project of a nominee.
#[derive(Debug, Serialize, ToSchema)]
pub struct NomineeProject {
    /// Its id in the stocktaking repository.
    #[schema(format = Uuid)]
    pub id: String,
    /// Its title when it was shortlisted.
    pub title: String,
}

/// The organisation of a nominee.
#[derive(Debug, Serialize, ToSchema)]
pub struct NomineeOrganisation {
    /// Id.
    #[schema(format = Uuid)]
    pub id: String,
    /// Name.
    pub name: String,
    /// ISO 3166-1 alpha-2 code, or `global`.
    pub country: String,
}

impl From<&NomineeRecord> for Nominee {
    fn from(n: &NomineeRecord) -> Self {
        Self {
            nomination: n.nomination_id.clone(),
            category: n.category,
            project: NomineeProject {
                id: n.project_id.clone(),
                title: n.title.clone(),
            },
            organisation: NomineeOrganisation {
                id: n.organisation_id.clone(),
                name: n.organisation_name.clone(),
                country: n.country.clone(),
            },
            short_description: n.short_description.clone(),
        }
    }
}

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

/// When something was published.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"published_at": "2025-03-14T08:00:00Z"}))]
pub struct Published {
    /// When (UTC).
    #[schema(format = DateTime)]
    pub published_at: String,
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

fn category_name(number: i32, language: Language) -> String {
    catalogue()
        .prize_categories
        .iter()
        .find(|c| i32::from(c.number.get()) == number)
        .map_or_else(|| number.to_string(), |c| c.labels.get(language).to_owned())
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
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CONTENT_LANGUAGE, lang.0.code()))
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-cache"))
        .json(body))
}

/// A vote as asked.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"category": 7, "nominee": "0193a0c4-8f2e-7d41-b6a2-5c1d9e0f3a7b"}))]
pub struct BallotRequest {
    /// The prize category, 1–18.
    pub category: i64,
    /// The nomination id of a nominee of that category.
    #[schema(format = Uuid)]
    pub nominee: String,
}

/// A vote as cast.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"call": "wsis-2025", "category": 7, "nominee": {"nomination": "0193a0c4-8f2e-7d41-b6a2-5c1d9e0f3a7b", "category": 7, "project": {"id": "0193a0c4-1111-7d41-b6a2-5c1d9e0f3a7b", "title": "Solar-powered school networks"}, "organisation": {"id": "0193a0c5-1b2c-7d3e-8f40-5a6b7c8d9e0f", "name": "Digital Rights Collective", "country": "KE"}, "short_description": "…"}, "cast_at": "2025-03-20T10:00:00Z", "valid": true}))]
pub struct VoteView {
    /// The call's slug.
    pub call: String,
    /// The category.
    pub category: i32,
    /// The nominee voted for.
    pub nominee: Nominee,
    /// When it was cast (UTC).
    #[schema(format = DateTime)]
    pub cast_at: String,
    /// False once staff have invalidated it (it then no longer counts).
    pub valid: bool,
}

impl From<use_cases::Vote> for VoteView {
    fn from(v: use_cases::Vote) -> Self {
        Self {
            call: v.call,
            category: v.vote.category,
            nominee: (&v.nominee).into(),
            cast_at: rfc3339(v.vote.cast_at.and_utc()),
            valid: v.vote.invalidated_at.is_none(),
        }
    }
}

/// Vote for a nominee of a category: once per category, final.
///
/// A signed-in account with a verified address may call it during the voting phase, once the nominees are
/// published. It records the vote; a second vote in the same category is refused (409 `conflict`), also when two
/// arrive at once. Retrying with the same `Idempotency-Key` and body replays the first answer.
#[utoipa::path(
    operation_id = "cast_prize_vote",
    tag = "prizes",
    security(("bearer" = [])),
    params(
        ("call" = String, Path, description = "The call's slug", example = "wsis-2025"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retrying with the same key and body replays the first answer"),
    ),
    request_body(content = BallotRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "The vote", body = VoteView),
        SignInRequired,
        (status = 403, description = "An unverified address, or an API client", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such call or prizes track", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`conflict`: already voted in this category; `deadline_passed`: outside the voting phase; `invalid_transition`: the nominees are not published", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a nominee of the category, or no such category", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many vote attempts from this client address this hour (`RateLimit` tells the quota)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/calls/{call}/prizes/votes")]
pub async fn cast_prize_vote(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    call: web::Path<String>,
    body: Result<JsonBody<BallotRequest>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let caller = principal.user_id().map(str::to_owned).unwrap_or_default();
    crate::idempotency::key_of(&req)?;
    let ballot = body?.0;
    let fingerprint = serde_json::to_string(&ballot).unwrap_or_default();
    let category = category(ballot.category, "category")?;
    let ballot = use_cases::Ballot {
        call: call.into_inner(),
        category,
        nominee: ballot.nominee,
        client_address: Some(crate::client_address::client_address(
            &req,
            &state.identity.trusted_proxies,
        )),
        at: crate::middleware::arrived_at(&req, &state),
    };
    let actor = principal.actor.clone();
    let work_state = state.clone();
    let work = async move {
        let vote = work_state
            .run(move |conn| use_cases::vote(conn, &actor, ballot))
            .await?;
        let quotas: Vec<_> = vote.quota.clone().into_iter().collect();
        let mut response = HttpResponse::Created().json(VoteView::from(vote));
        crate::responses::ratelimit::tell(response.headers_mut(), &quotas);
        Ok(response)
    };
    if caller.is_empty() {
        return work.await;
    }
    crate::idempotency::once(&req, &state, &caller, &fingerprint, work).await
}

/// Which votes to invalidate, and why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"addresses": "203.0.113.0/24", "reason": "A raffle for screenshots of votes, run from one office network"}))]
pub struct InvalidationRequest {
    /// These votes (their ids).
    #[serde(default)]
    pub votes: Option<Vec<String>>,
    /// Every vote of this account (its user id).
    #[serde(default)]
    #[schema(format = Uuid)]
    pub voter: Option<String>,
    /// Every vote from an address in this range: an IP address or a network (`203.0.113.0/24`, `2001:db8::/32`).
    #[serde(default)]
    pub addresses: Option<String>,
    /// Why (1–1000 characters), kept with each vote and in the audit trail.
    pub reason: String,
}

/// How many votes were invalidated.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"invalidated": 42}))]
pub struct Invalidated {
    /// Votes that were valid and are not any more.
    pub invalidated: usize,
}

/// Invalidate votes (staff): some votes, every vote of an account, or every vote from an address range.
///
/// Staff only. The votes stay recorded with who invalidated them and why, stop counting, and the results follow;
/// the step is in the prizes' audit trail. Votes invalid already are left as they are.
#[utoipa::path(
    operation_id = "invalidate_prize_votes",
    tag = "prizes",
    security(("bearer" = [])),
    params(("call" = String, Path, description = "The call's slug", example = "wsis-2025")),
    request_body(content = InvalidationRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "How many votes were invalidated", body = Invalidated),
        StaffOnly,
        (status = 404, description = "No such call or prizes track", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Nothing named to invalidate, no reason, or an address range that does not parse", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/calls/{call}/prizes/votes:invalidate")]
pub async fn invalidate_prize_votes(
    state: web::Data<AppState>,
    principal: Principal,
    call: web::Path<String>,
    body: Result<JsonBody<InvalidationRequest>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let request = body?.0;
    let addresses = request
        .addresses
        .as_deref()
        .map(|text| {
            text.parse::<ipnet::IpNet>()
                .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| {
                    ApiError::validation(vec![FieldError::new(
                        "addresses",
                        "invalid_value",
                        said!("field-address-range"),
                    )])
                })
        })
        .transpose()?;
    let invalidation = use_cases::Invalidation {
        call: call.into_inner(),
        votes: request.votes,
        voter: request.voter,
        addresses,
        reason: request.reason,
    };
    let (actor, now) = (principal.actor.clone(), state.clock.now());
    let invalidated = state
        .run(move |conn| use_cases::invalidate_votes(conn, &actor, invalidation, now))
        .await?;
    Ok(HttpResponse::Ok().json(Invalidated { invalidated }))
}

/// The query of "My votes".
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MyVotesQuery {
    /// Only this call's votes (its slug).
    #[param(example = "wsis-2025")]
    pub call: Option<String>,
}

/// The caller's votes.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyVotes {
    /// One per category voted in, by call then category.
    pub items: Vec<VoteView>,
}

/// My votes: the categories I voted in and my choices.
///
/// A signed-in user may call it (not an API client); it changes nothing.
#[utoipa::path(
    operation_id = "list_my_votes",
    tag = "prizes",
    security(("bearer" = [])),
    params(MyVotesQuery),
    responses(
        (status = 200, description = "The caller's votes", body = MyVotes),
        SignInRequired,
        (status = 403, description = "An API client, not a user", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such call", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/votes")]
pub async fn list_my_votes(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    use crate::routes::filters::{QueryString, declared};
    let query: MyVotesQuery = QueryString::parse(&req, &declared::<MyVotesQuery>())?.read()?;
    let actor = principal.actor.clone();
    let votes = state
        .run(move |conn| use_cases::my_votes(conn, &actor, query.call.as_deref()))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "private, no-store"))
        .json(MyVotes {
            items: votes.into_iter().map(VoteView::from).collect(),
        }))
}

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
    /// Whether they are published (a preview is shown to staff only).
    pub published: bool,
    /// When they were published (UTC).
    #[schema(format = DateTime)]
    pub published_at: Option<String>,
    /// The categories that have champions, in their order.
    pub categories: Vec<CategoryResults>,
}

/// The results of a call's WSIS Prizes: champions with their valid votes, and winners.
///
/// Anyone may read them once published; before, staff see a running preview and everyone else a 404. It changes
/// nothing.
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
    state: web::Data<AppState>,
    principal: Principal,
    call: web::Path<String>,
    lang: Lang,
) -> Result<HttpResponse, ApiError> {
    let actor = principal.actor.clone();
    let slug = call.into_inner();
    let lookup = slug.clone();
    let results = state
        .run(move |conn| use_cases::results(conn, &actor, &lookup))
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
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CONTENT_LANGUAGE, lang.0.code()))
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-cache"))
        .json(body))
}

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
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let actor = principal.actor.clone();
    let winners = state
        .run(move |conn| use_cases::earlier_winners(conn, &actor))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "private, no-cache"))
        .json(EarlierWinners {
            items: winners.into_iter().map(Into::into).collect(),
        }))
}

/// A reviewer's conflicts of interest.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"organisations": ["0193a0c5-1b2c-7d3e-8f40-5a6b7c8d9e0f"], "countries": ["KE"]}))]
pub struct ConflictsBody {
    /// Organisations (ids) whose nominations the reviewer must not see, be assigned or review.
    #[serde(default)]
    pub organisations: Vec<String>,
    /// Countries (ISO 3166-1 alpha-2) whose organisations' nominations the reviewer must not review.
    #[serde(default)]
    pub countries: Vec<String>,
}

impl From<wsis_persistence::prizes::DeclaredConflicts> for ConflictsBody {
    fn from(c: wsis_persistence::prizes::DeclaredConflicts) -> Self {
        Self {
            organisations: c.organisations,
            countries: c.countries,
        }
    }
}

/// Declare my conflicts of interest (a reviewer), replacing what I declared before.
///
/// A member of the Expert Group (the `reviewer` role) may call it. It replaces the caller's declared conflicts:
/// nominations of these organisations, and of organisations of these countries, are never shown, assigned or
/// reviewable for them (nor are those of organisations they belong to, declared or not).
#[utoipa::path(
    operation_id = "declare_my_conflicts",
    tag = "prizes",
    security(("bearer" = [])),
    request_body(content = ConflictsBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The conflicts as stored", body = ConflictsBody),
        SignInRequired,
        (status = 403, description = "Not a member of the Expert Group", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown organisation or country", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/me/conflicts")]
pub async fn declare_my_conflicts(
    state: web::Data<AppState>,
    principal: Principal,
    body: Result<JsonBody<ConflictsBody>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let actor = principal.actor.clone();
    // Who may call it is answered before the body is read.
    use_cases::reviewer(&actor)?;
    let body = body?.0;
    let declared = use_cases::ConflictDeclaration {
        organisations: body.organisations,
        countries: body.countries,
    };
    let now = state.clock.now();
    let stored = state
        .run(move |conn| use_cases::declare_conflicts(conn, &actor, declared, now))
        .await?;
    Ok(HttpResponse::Ok().json(ConflictsBody::from(stored)))
}

/// My declared conflicts of interest (a reviewer).
///
/// A member of the Expert Group may call it; it changes nothing.
#[utoipa::path(
    operation_id = "get_my_conflicts",
    tag = "prizes",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's declared conflicts", body = ConflictsBody),
        SignInRequired,
        (status = 403, description = "Not a member of the Expert Group", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/conflicts")]
pub async fn get_my_conflicts(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let actor = principal.actor.clone();
    let conflicts = state
        .run(move |conn| use_cases::my_conflicts(conn, &actor))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "private, no-store"))
        .json(ConflictsBody::from(conflicts)))
}

/// A nomination assigned to a reviewer.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"nomination": "0193a0c4-8f2e-7d41-b6a2-5c1d9e0f3a7b", "reviewer": "0193a0c4-3333-7d41-b6a2-5c1d9e0f3a7b", "assigned_at": "2025-02-12T09:00:00Z"}))]
pub struct AssignmentView {
    /// The nomination.
    #[schema(format = Uuid)]
    pub nomination: String,
    /// The reviewer (a user id).
    #[schema(format = Uuid)]
    pub reviewer: String,
    /// When it was assigned (UTC).
    #[schema(format = DateTime)]
    pub assigned_at: String,
}

impl From<wsis_persistence::prizes::Assignment> for AssignmentView {
    fn from(a: wsis_persistence::prizes::Assignment) -> Self {
        Self {
            nomination: a.nomination_id,
            reviewer: a.reviewer_id,
            assigned_at: rfc3339(a.assigned_at.and_utc()),
        }
    }
}

/// Assign a nomination to a reviewer (staff).
///
/// Staff only. It assigns an accepted nomination to a member of the Expert Group, unless the reviewer has a
/// conflict of interest with it (409); assigning again changes nothing. The step is in the prizes' audit trail.
#[utoipa::path(
    operation_id = "assign_prize_reviewer",
    tag = "prizes",
    security(("bearer" = [])),
    params(
        ("call" = String, Path, description = "The call's slug", example = "wsis-2025"),
        ("id" = String, Path, description = "The nomination's id", format = Uuid),
        ("reviewer" = String, Path, description = "The reviewer's user id", format = Uuid),
    ),
    responses(
        (status = 200, description = "The assignment", body = AssignmentView),
        StaffOnly,
        (status = 404, description = "No such call or nomination of it", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`conflict`: the reviewer has a conflict of interest; `invalid_transition`: the nomination is not accepted", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a member of the Expert Group", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/calls/{call}/prizes/nominations/{id}/reviewers/{reviewer}")]
pub async fn assign_prize_reviewer(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let (call, id, reviewer) = path.into_inner();
    let (actor, now) = (principal.actor.clone(), state.clock.now());
    let assignment = state
        .run(move |conn| use_cases::assign_reviewer(conn, &actor, &call, &id, &reviewer, now))
        .await?;
    Ok(HttpResponse::Ok().json(AssignmentView::from(assignment)))
}

/// Take an assignment back (staff).
///
/// Staff only. It removes the assignment, in the prizes' audit trail.
#[utoipa::path(
    operation_id = "unassign_prize_reviewer",
    tag = "prizes",
    security(("bearer" = [])),
    params(
        ("call" = String, Path, description = "The call's slug", example = "wsis-2025"),
        ("id" = String, Path, description = "The nomination's id", format = Uuid),
        ("reviewer" = String, Path, description = "The reviewer's user id", format = Uuid),
    ),
    responses(
        (status = 204, description = "Taken back"),
        StaffOnly,
        (status = 404, description = "No such call, or no such assignment", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/calls/{call}/prizes/nominations/{id}/reviewers/{reviewer}")]
pub async fn unassign_prize_reviewer(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let (call, id, reviewer) = path.into_inner();
    let (actor, now) = (principal.actor.clone(), state.clock.now());
    state
        .run(move |conn| use_cases::unassign_reviewer(conn, &actor, &call, &id, &reviewer, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// How many reviewers each nomination gets.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"per_nomination": 3}))]
pub struct AutoAssignRequest {
    /// Reviewers per nomination, 1–10.
    pub per_nomination: usize,
}

/// What automatic assignment did.
#[derive(Debug, Serialize, ToSchema)]
pub struct AutoAssignedView {
    /// The assignments made.
    pub assigned: Vec<AssignmentPair>,
    /// Nominations left with fewer reviewers than asked (too few reviewers free of conflict).
    pub short: Vec<String>,
}

/// A nomination and a reviewer.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssignmentPair {
    /// The nomination.
    #[schema(format = Uuid)]
    pub nomination: String,
    /// The reviewer.
    #[schema(format = Uuid)]
    pub reviewer: String,
}

/// Assign every accepted nomination to reviewers automatically (staff), balanced, never with a conflict.
///
/// Staff only. It gives each accepted nomination of the call `per_nomination` reviewers of the Expert Group where it
/// can, balancing their work across and within categories and never assigning a reviewer with a conflict of
/// interest; assignments made before stay. The step is in the prizes' audit trail.
#[utoipa::path(
    operation_id = "auto_assign_prize_reviewers",
    tag = "prizes",
    security(("bearer" = [])),
    params(("call" = String, Path, description = "The call's slug", example = "wsis-2025")),
    request_body(content = AutoAssignRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "What was assigned", body = AutoAssignedView),
        StaffOnly,
        (status = 404, description = "No such call or prizes track", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`per_nomination` out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/calls/{call}/prizes/assignments:auto")]
pub async fn auto_assign_prize_reviewers(
    state: web::Data<AppState>,
    principal: Principal,
    call: web::Path<String>,
    body: Result<JsonBody<AutoAssignRequest>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let per = body?.0.per_nomination;
    let (actor, now, call) = (
        principal.actor.clone(),
        state.clock.now(),
        call.into_inner(),
    );
    let made = state
        .run(move |conn| use_cases::auto_assign(conn, &actor, &call, per, now))
        .await?;
    Ok(HttpResponse::Ok().json(AutoAssignedView {
        assigned: made
            .assigned
            .into_iter()
            .map(|(nomination, reviewer)| AssignmentPair {
                nomination,
                reviewer,
            })
            .collect(),
        short: made.short,
    }))
}

/// Every assignment of a call.
#[derive(Debug, Serialize, ToSchema)]
pub struct Assignments {
    /// By nomination, then reviewer.
    pub items: Vec<AssignmentView>,
}

/// The assignments of a call (staff).
///
/// Staff only; it changes nothing.
#[utoipa::path(
    operation_id = "list_prize_assignments",
    tag = "prizes",
    security(("bearer" = [])),
    params(("call" = String, Path, description = "The call's slug", example = "wsis-2025")),
    responses(
        (status = 200, description = "The assignments", body = Assignments),
        StaffOnly,
        (status = 404, description = "No such call or prizes track", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/calls/{call}/prizes/assignments")]
pub async fn list_prize_assignments(
    state: web::Data<AppState>,
    principal: Principal,
    call: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let (actor, call) = (principal.actor.clone(), call.into_inner());
    let found = state
        .run(move |conn| use_cases::assignments(conn, &actor, &call))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "private, no-cache"))
        .json(Assignments {
            items: found.into_iter().map(Into::into).collect(),
        }))
}

/// A nomination as its reviewer reads it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssignedNomination {
    /// The nomination.
    #[schema(format = Uuid)]
    pub nomination: String,
    /// Its category.
    pub category: u8,
    /// The nomination as submitted (`PrizeNomination`).
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
}

/// The query of a reviewer's assignments.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MyAssignmentsQuery {
    /// The call's slug.
    #[param(example = "wsis-2025")]
    pub call: String,
}

/// The nominations assigned to me (a reviewer).
#[derive(Debug, Serialize, ToSchema)]
pub struct MyAssignments {
    /// Oldest first; never one I have a conflict of interest with.
    pub items: Vec<AssignedNomination>,
}

/// The nominations assigned to me in a call (a reviewer).
///
/// A member of the Expert Group may call it; it changes nothing. A nomination the caller has a conflict of
/// interest with is never listed, even when the conflict was declared after the assignment.
#[utoipa::path(
    operation_id = "list_my_assignments",
    tag = "prizes",
    security(("bearer" = [])),
    params(MyAssignmentsQuery),
    responses(
        (status = 200, description = "The caller's assigned nominations", body = MyAssignments),
        SignInRequired,
        (status = 403, description = "Not a member of the Expert Group", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such call", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No `call`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/assignments")]
pub async fn list_my_assignments(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    use crate::routes::filters::{QueryString, declared};
    let query: MyAssignmentsQuery =
        QueryString::parse(&req, &declared::<MyAssignmentsQuery>())?.read()?;
    let actor = principal.actor.clone();
    let found = state
        .run(move |conn| use_cases::my_assignments(conn, &actor, &query.call))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "private, no-store"))
        .json(MyAssignments {
            items: found
                .into_iter()
                .map(|n| AssignedNomination {
                    nomination: n.id,
                    category: n.category,
                    content: n.content,
                })
                .collect(),
        }))
}

/// A reviewer's declared conflicts, as staff see them.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewerConflicts {
    /// The reviewer (a user id).
    #[schema(format = Uuid)]
    pub reviewer: String,
    /// What they declared (memberships of organisations count too, without being declared).
    pub conflicts: ConflictsBody,
}

/// Every reviewer's declared conflicts.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewersConflicts {
    /// One per member of the Expert Group.
    pub items: Vec<ReviewerConflicts>,
}

/// The Expert Group's declared conflicts of interest (staff).
///
/// Staff only; it changes nothing. Each member of the Expert Group with what they declared.
#[utoipa::path(
    operation_id = "list_reviewer_conflicts",
    tag = "prizes",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every reviewer's declared conflicts", body = ReviewersConflicts),
        StaffOnly,
    )
)]
#[get("/prizes/conflicts")]
pub async fn list_reviewer_conflicts(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let actor = principal.actor.clone();
    let found = state
        .run(move |conn| use_cases::reviewer_conflicts(conn, &actor))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "private, no-cache"))
        .json(ReviewersConflicts {
            items: found
                .into_iter()
                .map(|(reviewer, conflicts)| ReviewerConflicts {
                    reviewer,
                    conflicts: conflicts.into(),
                })
                .collect(),
        }))
}
