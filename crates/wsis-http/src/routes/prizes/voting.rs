//! Public voting, "My votes", and staff invalidating votes.

use super::*;
use crate::auth::Credentials;

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
    credentials: Credentials,
    call: web::Path<String>,
    body: Result<JsonBody<BallotRequest>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    // The caller is resolved in the vote's own database checkout (one hop fewer on the busiest write).
    let caller = credentials.user_hint().unwrap_or_default().to_owned();
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
    let work_state = state.clone();
    let work = async move {
        let now = work_state.clock.now();
        let vote = work_state
            .run(move |conn| {
                let actor = credentials.actor(conn, now)?;
                use_cases::vote(conn, &actor, ballot)
            })
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
    read(
        &req,
        None,
        false,
        &MyVotes {
            items: votes.into_iter().map(VoteView::from).collect(),
        },
    )
}
