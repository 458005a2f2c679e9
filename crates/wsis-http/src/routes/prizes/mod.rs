//! The WSIS Prizes after their nominations (docs/prizes.md), one module per family of routes: phases, the
//! Expert Group, earlier winners, the reviews, the nominee list, public voting, results.

mod earlier_winners;
mod experts;
mod nominees;
mod phases;
mod results;
mod reviews;
mod voting;

pub use earlier_winners::*;
pub use experts::*;
pub use nominees::*;
pub use phases::*;
pub use results::*;
pub use reviews::*;
pub use voting::*;

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

/// When something was published.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"published_at": "2025-03-14T08:00:00Z"}))]
pub struct Published {
    /// When (UTC).
    #[schema(format = DateTime)]
    pub published_at: String,
}

/// The query of a reviewer's own lists in a call (assignments, reviews).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MyCallQuery {
    /// The call's slug.
    #[param(example = "wsis-2025")]
    pub call: String,
}

/// A read answered as the API's other reads are (`ETag`, 304 on `If-None-Match`, `Cache-Control`, and with a
/// `language`, `Content-Language` and `Vary`): for every caller alike once `public`, else private to the caller.
fn read<T: Serialize>(
    req: &HttpRequest,
    language: Option<Language>,
    public: bool,
    value: &T,
) -> Result<HttpResponse, ApiError> {
    use crate::responses::conditional::{Cached, Freshness};
    Cached {
        language,
        freshness: if public {
            Freshness::Revalidate
        } else {
            Freshness::Private
        },
        volatile_fields: &[],
    }
    .respond(req, value)
}

fn category_name(number: i32, language: Language) -> String {
    catalogue()
        .prize_categories
        .iter()
        .find(|c| i32::from(c.number.get()) == number)
        .map_or_else(|| number.to_string(), |c| c.labels.get(language).to_owned())
}
