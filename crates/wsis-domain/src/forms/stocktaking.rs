//! A WSIS Stocktaking project entry: the public repository of ICT-for-development projects.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::said;

use super::{Found, Input};
use crate::reference::{code_enum, exact_from_str};
use crate::{ActionLineCode, CountryCode, Sdg};

code_enum!(
    /// How far a project reaches.
    CoverageLevel, "coverage level" {
        /// One country.
        National => "national",
        /// Several countries of a region.
        Regional => "regional",
        /// Several regions.
        International => "international",
        /// Worldwide.
        Global => "global",
    }
);

code_enum!(
    /// Where a project stands.
    ProjectStatus, "project status" {
        /// Not started yet.
        Planned => "planned",
        /// Running.
        Ongoing => "ongoing",
        /// Finished.
        Completed => "completed",
    }
);

exact_from_str!(CoverageLevel, ProjectStatus);

/// A contact person (never shown publicly).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Name, 1–200 characters.
    #[validate(custom(function = "super::text_200"))]
    pub name: String,
    /// E-mail address.
    #[validate(custom(function = "super::email"))]
    pub email: String,
}

/// A WSIS Stocktaking project entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "title": "Rural e-learning hubs",
    "description": "Solar-powered learning centres with offline content in Wolof and French.",
    "website": "https://hubs.example.org",
    "action_lines": ["C7.e-learning", "C4"],
    "sdgs": [4],
    "countries": ["SN", "ML"],
    "coverage_level": "regional",
    "status": "ongoing",
    "start_date": "2023-01-15",
    "end_date": null,
    "partners": ["Ministry of Education"],
    "beneficiaries": "12,000 pupils",
    "contact": {"name": "Amina Diallo", "email": "amina@example.org"}
})))]
pub struct StocktakingProject {
    /// Title, 1–300 characters.
    pub title: String,
    /// Description, 1–10000 characters.
    pub description: String,
    /// An http(s) URL.
    #[serde(default)]
    pub website: Option<String>,
    /// Action lines (at least one, each once).
    pub action_lines: Vec<ActionLineCode>,
    /// SDGs (at least one).
    pub sdgs: Vec<Sdg>,
    /// Countries, or `["global"]`.
    pub countries: Vec<CountryCode>,
    /// Coverage level.
    pub coverage_level: CoverageLevel,
    /// Project status.
    pub status: ProjectStatus,
    /// Start date.
    pub start_date: NaiveDate,
    /// End date, not before the start.
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    /// Partners, each 1–300 characters.
    #[serde(default)]
    pub partners: Vec<String>,
    /// Who benefits.
    #[serde(default)]
    pub beneficiaries: Option<String>,
    /// Contact (never shown publicly).
    pub contact: Contact,
}

#[derive(Debug, Serialize, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub(super) struct StocktakingInput {
    #[validate(custom(function = "super::text_300"))]
    title: String,
    #[validate(custom(function = "super::text_10000"))]
    description: String,
    #[serde(default)]
    #[validate(custom(function = "super::web_address"))]
    website: Option<String>,
    #[validate(length(min = 1, code = "required", message = "field-at-least-one-action-line"))]
    action_lines: Vec<String>,
    #[validate(length(min = 1, code = "required", message = "field-at-least-one-sdg"))]
    sdgs: Vec<u8>,
    #[validate(length(min = 1, code = "required", message = "field-at-least-one-country"))]
    countries: Vec<String>,
    coverage_level: String,
    status: String,
    start_date: NaiveDate,
    #[serde(default)]
    end_date: Option<NaiveDate>,
    #[serde(default)]
    partners: Vec<String>,
    #[serde(default)]
    beneficiaries: Option<String>,
    #[validate(nested)]
    contact: Contact,
}

pub(super) fn parse(
    input: Input<StocktakingInput>,
    found: &mut Found,
) -> Option<StocktakingProject> {
    let form = &input.value;
    let action_lines = found.codes(
        "content.action_lines",
        &form.action_lines,
        "unknown_action_line",
        true,
        |l| l.parse::<ActionLineCode>().map_err(|e| e.said()),
    );
    let sdgs = found.sdgs("content.sdgs", &form.sdgs);
    let countries = found.codes(
        "content.countries",
        &form.countries,
        "unknown_country",
        false,
        |c| c.parse::<CountryCode>().map_err(|e| e.said()),
    );
    if countries.iter().any(CountryCode::is_global) && form.countries.len() > 1 {
        found.error(
            "content.countries",
            "global_alone",
            said!("field-global-alone"),
        );
    }
    let coverage_level = form.coverage_level.parse::<CoverageLevel>().map_err(|_| {
        found.error(
            "content.coverage_level",
            "invalid_value",
            said!(
                "expected-one-of",
                codes = "national, regional, international, global"
            ),
        );
    });
    let status = form.status.parse::<ProjectStatus>().map_err(|_| {
        found.error(
            "content.status",
            "invalid_value",
            said!("expected-one-of", codes = "planned, ongoing, completed"),
        );
    });
    if let Some(end) = form.end_date
        && end < form.start_date
    {
        found.error(
            "content.end_date",
            "before_start",
            said!("field-end-before-start"),
        );
    }
    for (i, partner) in form.partners.iter().enumerate() {
        if let Err(e) = super::text_300(partner) {
            found.error(
                format!("content.partners[{i}]"),
                &e.code,
                super::said_of(&e),
            );
        }
    }
    let (Ok(coverage_level), Ok(status)) = (coverage_level, status) else {
        return found.finish(input, None);
    };
    let project = StocktakingProject {
        title: form.title.clone(),
        description: form.description.clone(),
        website: form.website.clone(),
        action_lines,
        sdgs,
        countries,
        coverage_level,
        status,
        start_date: form.start_date,
        end_date: form.end_date,
        partners: form.partners.clone(),
        beneficiaries: form.beneficiaries.clone(),
        contact: form.contact.clone(),
    };
    found.finish(input, Some(project))
}
