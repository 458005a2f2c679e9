//! Statistics of a call: the numbers behind the consultation's charts, by track, status, stakeholder category and
//! region (each submitted entry counted as its organisation was when it was submitted).

use std::collections::BTreeMap;
use wsis_domain::said;

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use wsis_domain::{CountryCode, forms};
use wsis_persistence::{calls, submissions};

use crate::auth::Principal;
use crate::problem::{ApiError, Problem, ReadResponses};
use crate::responses::conditional::{Cached, Freshness};
use crate::routes::filters::bad;
use crate::routes::stocktaking::PUBLIC;
use crate::state::AppState;

/// One cell of the statistics.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatsCell {
    /// Track.
    #[schema(value_type = wsis_domain::TrackKind)]
    pub track: String,
    /// Status.
    #[schema(value_type = wsis_domain::SubmissionStatus)]
    pub status: String,
    /// The organisations' stakeholder category.
    #[schema(value_type = wsis_domain::StakeholderCategory)]
    pub stakeholder_category: String,
    /// The organisations' ITU-D region (`global` for global organisations).
    pub region: String,
    /// Submissions.
    pub count: i64,
}

/// A count by key.
#[derive(Debug, Serialize, ToSchema)]
pub struct KeyCount {
    /// Action line code or SDG number.
    pub key: String,
    /// Submissions.
    pub count: i64,
}

/// The numbers behind the consultation's charts.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "call": "wsis-2025", "include_drafts": false, "total": 3,
    "by_track_status_category_region": [{"track": "ocp", "status": "submitted", "stakeholder_category": "civil_society", "region": "africa", "count": 2}],
    "by_action_line": [{"key": "C3", "count": 1}], "by_sdg": [{"key": "4", "count": 1}]
}))]
pub struct CallStats {
    /// Call slug.
    pub call: String,
    /// Whether drafts are counted (staff only).
    pub include_drafts: bool,
    /// All counted submissions.
    pub total: i64,
    /// By track × status × stakeholder category × region.
    pub by_track_status_category_region: Vec<StatsCell>,
    /// By action line (a submission counts once per line it is about).
    pub by_action_line: Vec<KeyCount>,
    /// By SDG.
    pub by_sdg: Vec<KeyCount>,
}

/// Statistics of a call: public for submitted entries; staff also see drafts (`?include_drafts=true`).
///
/// Anyone may read the counts of submitted entries without credentials; counts with drafts are for staff. It changes
/// nothing.
#[utoipa::path(
    operation_id = "get_call_stats",
    tag = "calls",
    params(
        ("call" = String, Path, description = "The call's slug", example = "wsis-2025"),
        ("include_drafts" = Option<bool>, Query, description = "Staff only: count drafts too"),
    ),
    responses(
        (status = 200, description = "Counts", body = CallStats),
        (status = 403, description = "Drafts are for staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such call", body = Problem, content_type = "application/problem+json"),
        ReadResponses,
    )
)]
#[get("/calls/{call}/stats")]
pub async fn get_call_stats(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    #[derive(Deserialize)]
    struct Params {
        include_drafts: Option<bool>,
    }
    let include_drafts = web::Query::<Params>::from_query(req.query_string())
        .map_err(|e| {
            bad(
                "include_drafts",
                "invalid_value",
                said!("field-invalid", reason = e.to_string()),
            )
        })?
        .include_drafts
        .unwrap_or(false);
    if include_drafts && !principal.actor.is_staff() {
        return Err(ApiError::new(
            crate::problem::FORBIDDEN,
            said!("refused-drafts-staff"),
        ));
    }
    let lookup = slug.clone();
    let (call, groups, tags) = state
        .db(move |conn| {
            let call = calls::find_call(conn, &lookup)?;
            let groups = submissions::group_counts(conn, &call.id, include_drafts)?;
            let tags = submissions::tag_counts(conn, &call.id, include_drafts)?;
            Ok((call, groups, tags))
        })
        .await
        .map_err(|e| e.when_missing(said!("not-found-call", slug = slug.as_str())))?;
    let mut cells: BTreeMap<(String, String, String, String), i64> = BTreeMap::new();
    for group in groups {
        let region = if group.country == CountryCode::GLOBAL {
            "global".to_owned()
        } else {
            group
                .country
                .parse::<CountryCode>()
                .ok()
                .and_then(|c| c.region())
                .map_or("unknown".to_owned(), |r| r.code().to_owned())
        };
        *cells
            .entry((group.track, group.status, group.category, region))
            .or_default() += group.count;
    }
    let total = cells.values().sum();
    let by = |prefix: &str| {
        let mut list: Vec<KeyCount> = tags
            .iter()
            .filter_map(|t| {
                t.tag.strip_prefix(prefix).map(|k| KeyCount {
                    key: k.to_owned(),
                    count: t.count,
                })
            })
            .collect();
        list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
        list
    };
    let stats = CallStats {
        call: call.slug.clone(),
        include_drafts,
        total,
        by_track_status_category_region: cells
            .into_iter()
            .map(
                |((track, status, stakeholder_category, region), count)| StatsCell {
                    track,
                    status,
                    stakeholder_category,
                    region,
                    count,
                },
            )
            .collect(),
        by_action_line: by(forms::Tag::ACTION_LINE),
        by_sdg: by(forms::Tag::SDG),
    };
    let cache = if include_drafts {
        Cached {
            freshness: Freshness::Private,
            ..PUBLIC
        }
    } else {
        PUBLIC
    };
    cache.respond(&req, &stats)
}
