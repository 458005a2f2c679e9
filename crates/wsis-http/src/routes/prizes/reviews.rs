//! The Expert Group's reviews: a call's prizes rules (the review form), a reviewer's own reviews, and what staff
//! make of them (every review as CSV or JSON, the per-nomination aggregates, the shortlist drawn from them).

use wsis_domain::prizes::{Criterion, PrizeRules, ReviewOrder, Score};
use wsis_persistence::reviews::ReviewRecord;

use super::*;
use crate::dto::LabelsInput;
use crate::export::{ExportFormat, ExportItem};
use crate::routes::filters::{Param, QueryString, declared};

/// One criterion of a review form.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "results_impact", "name": {"ar": "النتائج والأثر", "zh": "成果与影响", "en": "Results and impact", "fr": "Résultats et impact", "ru": "Результаты и влияние", "es": "Resultados e impacto"}, "weight": 1, "max_score": 10}))]
pub struct CriterionBody {
    /// Stable snake_case code (1–40 characters of `a-z`, `0-9`, `_`, starting with a letter).
    pub code: String,
    /// Its name in the six languages.
    pub name: LabelsInput,
    /// Its weight relative to the other criteria, 1–100.
    #[schema(minimum = 1, maximum = 100)]
    pub weight: u32,
    /// Scores run from 1 to this (2–100).
    #[schema(minimum = 2, maximum = 100)]
    pub max_score: u32,
}

/// A call's prizes rules: the review form, and two switches.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"review_criteria": [{"code": "results_impact", "name": {"ar": "النتائج والأثر", "zh": "成果与影响", "en": "Results and impact", "fr": "Résultats et impact", "ru": "Результаты и влияние", "es": "Resultados e impacto"}, "weight": 2, "max_score": 10}, {"code": "replicability", "name": {"ar": "إمكانية التكرار", "zh": "可复制性", "en": "Potential for replication", "fr": "Potentiel de reproduction", "ru": "Возможность тиражирования", "es": "Potencial de replicación"}, "weight": 1, "max_score": 10}], "country_conflicts": true, "running_totals": false}))]
pub struct PrizeRulesBody {
    /// The review form: each criterion scored from 1 to its `max_score` with a comment; a review's total is the
    /// weighted mean of the scores as shares of their scales, out of 100. At most 20; empty: no review form yet.
    /// It no longer changes once a review is written on it.
    #[serde(default)]
    pub review_criteria: Vec<CriterionBody>,
    /// Whether a reviewer's declared countries are conflicts of interest (default true). Organisations they belong
    /// to or declared always are.
    #[serde(default = "yes")]
    pub country_conflicts: bool,
    /// Whether anyone may read the running vote totals (`GET …/prizes/results`) once voting has opened, winners
    /// aside (default false: staff only until the results are published).
    #[serde(default)]
    pub running_totals: bool,
}

fn yes() -> bool {
    true
}

impl From<PrizeRulesBody> for PrizeRules {
    fn from(body: PrizeRulesBody) -> Self {
        Self {
            review_criteria: body
                .review_criteria
                .into_iter()
                .map(|c| Criterion {
                    code: c.code,
                    name: c.name.into(),
                    weight: c.weight,
                    max_score: c.max_score,
                })
                .collect(),
            country_conflicts: body.country_conflicts,
            running_totals: body.running_totals,
        }
    }
}

impl From<&PrizeRules> for PrizeRulesBody {
    fn from(rules: &PrizeRules) -> Self {
        Self {
            review_criteria: rules
                .review_criteria
                .iter()
                .map(|c| CriterionBody {
                    code: c.code.clone(),
                    name: (&c.name).into(),
                    weight: c.weight,
                    max_score: c.max_score,
                })
                .collect(),
            country_conflicts: rules.country_conflicts,
            running_totals: rules.running_totals,
        }
    }
}

/// A call's prizes rules: the review form's weighted criteria, and the two switches.
///
/// Anyone may read them (a frontend renders the review form from them). It changes nothing.
#[utoipa::path(
    operation_id = "get_prize_rules",
    tag = "prizes",
    security((), ("bearer" = [])),
    params(("call" = String, Path, description = "The call's slug", example = "wsis-2025")),
    responses(
        (status = 200, description = "The rules", body = PrizeRulesBody),
        (status = 404, description = "No such call", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/calls/{call}/prizes/rules")]
pub async fn get_prize_rules(
    req: HttpRequest,
    state: web::Data<AppState>,
    call: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let call = call.into_inner();
    let rules = state
        .run(move |conn| use_cases::prize_rules(conn, &call))
        .await?;
    read(&req, None, true, &PrizeRulesBody::from(&rules))
}

/// Set a call's prizes rules (staff): the review form and the switches.
///
/// Staff only. It replaces the rules; the review form no longer changes once a review is written on it (409), the
/// switches always may. Recorded in the prizes' audit trail.
#[utoipa::path(
    operation_id = "set_prize_rules",
    tag = "prizes",
    security(("bearer" = [])),
    params(("call" = String, Path, description = "The call's slug", example = "wsis-2025")),
    request_body(content = PrizeRulesBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The rules as stored", body = PrizeRulesBody),
        StaffOnly,
        (status = 404, description = "No such call", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: reviews exist, the review form is frozen", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A criterion breaks a rule (code, weight, scale, name), or more than 20", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/calls/{call}/prizes/rules")]
pub async fn set_prize_rules(
    state: web::Data<AppState>,
    principal: Principal,
    call: web::Path<String>,
    body: Result<JsonBody<PrizeRulesBody>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let rules: PrizeRules = body?.0.into();
    let (actor, now, call) = (
        principal.actor.clone(),
        state.clock.now(),
        call.into_inner(),
    );
    let stored = state
        .run(move |conn| use_cases::set_prize_rules(conn, &actor, &call, rules, now))
        .await?;
    Ok(HttpResponse::Ok().json(PrizeRulesBody::from(&stored)))
}

/// One criterion's score in a review.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"criterion": "results_impact", "score": 8, "comment": "Twelve thousand learners reached, measured by a university."}))]
pub struct ScoreBody {
    /// The criterion's code.
    pub criterion: String,
    /// From 1 to the criterion's `max_score`.
    pub score: i64,
    /// Why (1–2000 characters).
    pub comment: String,
}

/// A review as its reviewer writes it: every criterion of the call's form, once.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"scores": [{"criterion": "results_impact", "score": 8, "comment": "Twelve thousand learners reached, measured by a university."}, {"criterion": "replicability", "score": 7, "comment": "Locally assembled equipment; costs fell by 40 %."}]}))]
pub struct ReviewRequest {
    /// The scores, one per criterion.
    pub scores: Vec<ScoreBody>,
}

/// A review.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"nomination": "0193a0c4-8f2e-7d41-b6a2-5c1d9e0f3a7b", "reviewer": "0193a0c6-2c3d-7e4f-8a5b-6c7d8e9f0a1b", "scores": [{"criterion": "results_impact", "score": 8, "comment": "Twelve thousand learners reached, measured by a university."}, {"criterion": "replicability", "score": 7, "comment": "Locally assembled equipment; costs fell by 40 %."}], "total": 76.67, "created_at": "2025-02-20T09:00:00Z", "updated_at": "2025-02-21T16:30:00Z"}))]
pub struct Review {
    /// The nomination reviewed.
    #[schema(format = Uuid)]
    pub nomination: String,
    /// The reviewer (a user id).
    #[schema(format = Uuid)]
    pub reviewer: String,
    /// The scores, in the form's order.
    pub scores: Vec<ScoreBody>,
    /// The weighted total out of 100 (two decimals).
    pub total: f64,
    /// First saved.
    #[schema(format = DateTime)]
    pub created_at: String,
    /// Last saved.
    #[schema(format = DateTime)]
    pub updated_at: String,
}

impl From<&ReviewRecord> for Review {
    fn from(r: &ReviewRecord) -> Self {
        Self {
            nomination: r.nomination_id.clone(),
            reviewer: r.reviewer_id.clone(),
            scores: r
                .scores
                .iter()
                .map(|s| ScoreBody {
                    criterion: s.criterion.clone(),
                    score: s.score,
                    comment: s.comment.clone(),
                })
                .collect(),
            total: r.total,
            created_at: rfc3339(r.created_at),
            updated_at: rfc3339(r.updated_at),
        }
    }
}

/// Write or rewrite my review of a nomination assigned to me (a reviewer).
///
/// Reviewers only, for a nomination assigned to them and free of conflict (else 404: it is not theirs to see),
/// during the review phase (409 `deadline_passed` with the window outside it). Every criterion of the call's form
/// is scored once on its scale with a comment; saving again replaces the review. Recorded in the prizes' audit
/// trail.
#[utoipa::path(
    operation_id = "save_my_prize_review",
    tag = "prizes",
    security(("bearer" = [])),
    params(
        ("call" = String, Path, description = "The call's slug", example = "wsis-2025"),
        ("id" = String, Path, description = "The nomination's id", format = Uuid),
    ),
    request_body(content = ReviewRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "The review, written now", body = Review),
        (status = 200, description = "The review, rewritten", body = Review),
        SignInRequired,
        (status = 403, description = "Not a member of the Expert Group", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such call, or no such nomination assigned to the caller free of conflict", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`deadline_passed`: outside the review phase; `invalid_transition`: no review phase or no review form", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A score is missing, twice, off its scale, of no criterion, or without a comment", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/calls/{call}/prizes/nominations/{id}/review")]
pub async fn save_my_prize_review(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
    body: Result<JsonBody<ReviewRequest>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let (call, id) = path.into_inner();
    let scores: Vec<Score> = body?
        .0
        .scores
        .into_iter()
        .map(|s| Score {
            criterion: s.criterion,
            score: s.score,
            comment: s.comment,
        })
        .collect();
    let (actor, now) = (principal.actor.clone(), state.clock.now());
    let saved = state
        .run(move |conn| use_cases::save_review(conn, &actor, &call, &id, scores, now))
        .await?;
    let body = Review::from(&saved.review);
    Ok(if saved.created {
        HttpResponse::Created().json(body)
    } else {
        HttpResponse::Ok().json(body)
    })
}

/// My review of a nomination (a reviewer).
///
/// Reviewers only, their own review; 404 when they have not written one. It changes nothing.
#[utoipa::path(
    operation_id = "get_my_prize_review",
    tag = "prizes",
    security(("bearer" = [])),
    params(
        ("call" = String, Path, description = "The call's slug", example = "wsis-2025"),
        ("id" = String, Path, description = "The nomination's id", format = Uuid),
    ),
    responses(
        (status = 200, description = "The review", body = Review),
        SignInRequired,
        (status = 403, description = "Not a member of the Expert Group", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such call, or no review of the caller's of it", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/calls/{call}/prizes/nominations/{id}/review")]
pub async fn get_my_prize_review(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (call, id) = path.into_inner();
    let actor = principal.actor.clone();
    let mut found = state
        .run(move |conn| use_cases::my_reviews(conn, &actor, &call, Some(&id)))
        .await?;
    let review = found
        .pop()
        .ok_or_else(|| ApiError::internal("a review found and then not"))?;
    read(&req, None, false, &Review::from(&review))
}

/// A list of reviews.
#[derive(Debug, Serialize, ToSchema)]
pub struct Reviews {
    /// By nomination.
    pub items: Vec<Review>,
}

/// My reviews in a call (a reviewer).
///
/// Reviewers only: their own reviews, of the nominations they may still see. It changes nothing.
#[utoipa::path(
    operation_id = "list_my_prize_reviews",
    tag = "prizes",
    security(("bearer" = [])),
    params(MyCallQuery),
    responses(
        (status = 200, description = "The caller's reviews", body = Reviews),
        SignInRequired,
        (status = 403, description = "Not a member of the Expert Group", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such call", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No `call`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/reviews")]
pub async fn list_my_prize_reviews(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let query: MyCallQuery = QueryString::parse(&req, &declared::<MyCallQuery>())?.read()?;
    let actor = principal.actor.clone();
    let found = state
        .run(move |conn| use_cases::my_reviews(conn, &actor, &query.call, None))
        .await?;
    read(
        &req,
        None,
        false,
        &Reviews {
            items: found.iter().map(Review::from).collect(),
        },
    )
}

/// The query of the reviews' export.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewExportQuery {
    /// `csv` (default: RFC 4180, UTF-8, a header row), `json` (one array) or `jsonl` (JSON Lines).
    #[param(value_type = Option<ExportFormat>)]
    pub format: Option<Param<ExportFormat>>,
}

/// A review as exported: the review, with its nomination's category; in CSV one row per review, a score and a
/// comment column per criterion.
#[derive(Debug, Serialize)]
struct ExportedReview {
    category: Option<u8>,
    #[serde(flatten)]
    review: Review,
    #[serde(skip)]
    cells: Vec<String>,
}

impl ExportItem for ExportedReview {
    fn cells(&self) -> Vec<String> {
        self.cells.clone()
    }
}

/// Every review of a call (staff), as CSV, JSON or JSON Lines.
///
/// Staff only. CSV: one row per review (`nomination`, `category`, `reviewer`, `total`, `created_at`,
/// `updated_at`, then for each criterion of the form its score and `<code>_comment`), by nomination then reviewer;
/// cells a spreadsheet would run as a formula are neutralised. It changes nothing.
#[utoipa::path(
    operation_id = "export_prize_reviews",
    tag = "prizes",
    security(("bearer" = [])),
    params(
        ("call" = String, Path, description = "The call's slug", example = "wsis-2025"),
        ReviewExportQuery,
    ),
    responses(
        (status = 200, description = "The reviews", content(("text/csv"), ("application/json"), ("application/x-ndjson"))),
        StaffOnly,
        (status = 404, description = "No such call or prizes track", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown `format`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/calls/{call}/prizes/reviews")]
pub async fn export_prize_reviews(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    call: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let query: ReviewExportQuery =
        QueryString::parse(&req, &declared::<ReviewExportQuery>())?.read()?;
    let format = query.format.map_or(ExportFormat::Csv, |f| f.0);
    let (actor, slug) = (principal.actor.clone(), call.into_inner());
    let lookup = slug.clone();
    let (rules, reviews) = state
        .run(move |conn| use_cases::all_reviews(conn, &actor, &lookup))
        .await?;
    let mut columns: Vec<String> = [
        "nomination",
        "category",
        "reviewer",
        "total",
        "created_at",
        "updated_at",
    ]
    .map(String::from)
    .to_vec();
    for criterion in &rules.review_criteria {
        columns.push(criterion.code.clone());
        columns.push(format!("{}_comment", criterion.code));
    }
    let items: Vec<ExportedReview> = reviews
        .iter()
        .map(|(record, category)| {
            let review = Review::from(record);
            let mut cells = vec![
                review.nomination.clone(),
                category.map(|c| c.to_string()).unwrap_or_default(),
                review.reviewer.clone(),
                format!("{:.2}", review.total),
                review.created_at.clone(),
                review.updated_at.clone(),
            ];
            for criterion in &rules.review_criteria {
                let score = review.scores.iter().find(|s| s.criterion == criterion.code);
                cells.push(score.map(|s| s.score.to_string()).unwrap_or_default());
                cells.push(score.map(|s| s.comment.clone()).unwrap_or_default());
            }
            ExportedReview {
                category: *category,
                review,
                cells,
            }
        })
        .collect();
    crate::export::whole(format, &columns, &items, &format!("{slug}-prize-reviews"))
}

/// The query of the review summary.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewSummaryQuery {
    /// Only this prize category (1–18).
    #[param(value_type = Option<u8>, minimum = 1, maximum = 18)]
    pub category: Option<Param<PrizeCategory>>,
    /// `-mean` (default), `mean`, `-median`, `median`, `-spread`, `spread`, `-count` or `count`; `-` puts the
    /// highest first. Nominations without a review come last.
    #[param(value_type = Option<ReviewOrder>)]
    pub sort: Option<Param<ReviewOrder>>,
}

/// One criterion's mean score across a nomination's reviews.
#[derive(Debug, Serialize, ToSchema)]
pub struct CriterionMean {
    /// The criterion's code.
    pub criterion: String,
    /// The mean score, on the criterion's scale (two decimals).
    pub mean: f64,
}

/// An accepted nomination with what its reviews say together.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"nomination": "0193a0c4-8f2e-7d41-b6a2-5c1d9e0f3a7b", "category": 9, "organisation": "0193a0c5-1b2c-7d3e-8f40-5a6b7c8d9e0f", "country": "SN", "project": "0193a0c4-1111-7d41-b6a2-5c1d9e0f3a7b", "assigned": 3, "reviews": 3, "mean": 74.44, "median": 76.67, "spread": 5.67, "min": 66.67, "max": 80.0, "criteria": [{"criterion": "results_impact", "mean": 8.0}], "nominee": false}))]
pub struct ReviewSummaryItem {
    /// The nomination.
    #[schema(format = Uuid)]
    pub nomination: String,
    /// Its prize category.
    pub category: u8,
    /// The nominating organisation.
    #[schema(format = Uuid)]
    pub organisation: String,
    /// Its country (ISO code, or `global`).
    pub country: String,
    /// The stocktaking project nominated.
    #[schema(format = Uuid)]
    pub project: Option<String>,
    /// Reviewers assigned.
    pub assigned: usize,
    /// Reviews written.
    pub reviews: usize,
    /// Mean total out of 100 (null without a review).
    pub mean: Option<f64>,
    /// Median total.
    pub median: Option<f64>,
    /// Standard deviation of the totals: how far the reviewers disagree.
    pub spread: Option<f64>,
    /// Lowest total.
    pub min: Option<f64>,
    /// Highest total.
    pub max: Option<f64>,
    /// Each criterion's mean score, in the form's order.
    pub criteria: Vec<CriterionMean>,
    /// Shortlisted as a nominee.
    pub nominee: bool,
}

/// The review summary.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewSummary {
    /// The nominations in the order asked.
    pub items: Vec<ReviewSummaryItem>,
}

/// Every accepted nomination with its reviews' mean, median, spread and count (staff), sorted by one of them.
///
/// Staff only. It changes nothing.
#[utoipa::path(
    operation_id = "get_prize_review_summary",
    tag = "prizes",
    security(("bearer" = [])),
    params(
        ("call" = String, Path, description = "The call's slug", example = "wsis-2025"),
        ReviewSummaryQuery,
    ),
    responses(
        (status = 200, description = "The nominations with their aggregates", body = ReviewSummary),
        StaffOnly,
        (status = 404, description = "No such call or prizes track", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown `category` or `sort`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/calls/{call}/prizes/review-summary")]
pub async fn get_prize_review_summary(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    call: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let query: ReviewSummaryQuery =
        QueryString::parse(&req, &declared::<ReviewSummaryQuery>())?.read()?;
    let order = query.sort.map_or(ReviewOrder::MeanDesc, |s| s.0);
    let category = query.category.map(|c| c.0);
    let (actor, call) = (principal.actor.clone(), call.into_inner());
    let found = state
        .run(move |conn| use_cases::review_summary(conn, &actor, &call, category, order))
        .await?;
    let items = found
        .into_iter()
        .map(|s| ReviewSummaryItem {
            project: s
                .nomination
                .content
                .get("project_id")
                .and_then(|v| v.as_str())
                .map(str::to_owned),
            nomination: s.nomination.id,
            category: s.nomination.category,
            organisation: s.nomination.organisation_id,
            country: s.nomination.country,
            assigned: s.assigned,
            reviews: s.aggregate.map_or(0, |a| a.count),
            mean: s.aggregate.map(|a| a.mean),
            median: s.aggregate.map(|a| a.median),
            spread: s.aggregate.map(|a| a.spread),
            min: s.aggregate.map(|a| a.min),
            max: s.aggregate.map(|a| a.max),
            criteria: s
                .criteria
                .into_iter()
                .map(|(criterion, mean)| CriterionMean { criterion, mean })
                .collect(),
            nominee: s.nominee,
        })
        .collect();
    read(&req, None, false, &ReviewSummary { items })
}

/// How to shortlist from the reviews.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"per_category": 10, "min_reviews": 3}))]
pub struct ShortlistRequest {
    /// Nominees per category (1–50); every nomination tied at the last place (same mean and median) goes too.
    pub per_category: usize,
    /// The fewest reviews a nomination needs to be ranked (1–20, default 1).
    #[serde(default = "one")]
    pub min_reviews: usize,
}

fn one() -> usize {
    1
}

/// The nominees a shortlist added.
#[derive(Debug, Serialize, ToSchema)]
pub struct Shortlisted {
    /// Added now (those already on the list stay and are not repeated).
    pub added: Vec<Nominee>,
}

/// Shortlist the best-reviewed nominations of each category as nominees (staff).
///
/// Staff only, under the same conditions as shortlisting by hand (the nominations closed, the list not yet
/// published). In each category, the `per_category` nominations with the highest mean total among those with at
/// least `min_reviews` reviews, and every one tied with the last of them, join the list; those already on it
/// stay. Recorded in the nominations' history and the prizes' audit trail.
#[utoipa::path(
    operation_id = "shortlist_prize_nominees",
    tag = "prizes",
    security(("bearer" = [])),
    params(("call" = String, Path, description = "The call's slug", example = "wsis-2025")),
    request_body(content = ShortlistRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The nominees added", body = Shortlisted),
        StaffOnly,
        (status = 404, description = "No such call or prizes track", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: the nominations are open, or the list is published", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`per_category` or `min_reviews` out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/calls/{call}/prizes/nominees:shortlist")]
pub async fn shortlist_prize_nominees(
    state: web::Data<AppState>,
    principal: Principal,
    call: web::Path<String>,
    body: Result<JsonBody<ShortlistRequest>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let request = body?.0;
    let (actor, now, call) = (
        principal.actor.clone(),
        state.clock.now(),
        call.into_inner(),
    );
    let added = state
        .run(move |conn| {
            use_cases::shortlist_from_reviews(
                conn,
                &actor,
                &call,
                request.per_category,
                request.min_reviews,
                now,
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(Shortlisted {
        added: added.iter().map(Nominee::from).collect(),
    }))
}
