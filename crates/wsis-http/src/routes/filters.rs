//! Query-string filters shared by the lists: parsing (repeated parameters mean OR), unknown-parameter refusal,
//! and the vocabulary checks every filter needs, each failure a 422 naming the parameter.

use actix_web::HttpRequest;
use wsis_domain::{ActionLineCode, Region, Sdg, StakeholderCategory};

use crate::problem::{ApiError, FieldError};

/// A 422 naming one query parameter.
pub fn bad(field: &str, code: &str, message: impl Into<String>) -> ApiError {
    ApiError::validation(vec![FieldError::new(field, code, message)])
}

/// The parameters of a request, in order.
#[derive(Debug)]
pub struct QueryString {
    pairs: Vec<(String, String)>,
}

/// The names of the query parameters an `IntoParams` struct declares: a route parses what its contract says, and
/// refuses what it does not.
pub fn declared<P: utoipa::IntoParams>() -> Vec<String> {
    P::into_params(|| None)
        .into_iter()
        .map(|parameter| parameter.name)
        .collect()
}

impl QueryString {
    /// Parses the query string, refusing parameters not in `known` (see [`declared`]). `lang` (the response
    /// language, a convention of every route) is always known, and checked like the `Lang` extractor does.
    pub fn parse(req: &HttpRequest, known: &[String]) -> Result<Self, ApiError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string())
            .map_err(|e| bad("query", "invalid_query", e.to_string()))?;
        for (name, value) in &pairs {
            if name == "lang" {
                crate::negotiate::query_language(value)?;
            } else if !known.contains(name) {
                return Err(bad(
                    name,
                    "unknown_parameter",
                    format!("parameters are {}, lang", known.join(", ")),
                ));
            }
        }
        Ok(Self { pairs })
    }

    /// Every value of `name`.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The first value of `name`.
    pub fn first(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The query string without `name` (to build the next page's link).
    pub fn without(&self, name: &str) -> String {
        serde_urlencoded::to_string(
            self.pairs
                .iter()
                .filter(|(k, _)| k != name)
                .collect::<Vec<_>>(),
        )
        .unwrap_or_default()
    }
}

/// Organisation ids, each a UUID (anything else names no organisation, and is refused rather than matching none).
pub fn organisation_ids(values: Vec<String>) -> Result<Vec<String>, ApiError> {
    for value in &values {
        if uuid::Uuid::try_parse(value).is_err() {
            return Err(bad(
                "organisation",
                "invalid_value",
                "an organisation id (a UUID)",
            ));
        }
    }
    Ok(values)
}

/// `al:<code>` tags for action-line values.
pub fn action_line_tags(values: &[String]) -> Result<Vec<String>, ApiError> {
    values
        .iter()
        .map(|v| {
            v.parse::<ActionLineCode>()
                .map(|c| wsis_domain::forms::Tag::ActionLine(c).to_string())
                .map_err(|e| bad("action_line", "unknown_action_line", e.to_string()))
        })
        .collect()
}

/// `sdg:<n>` tags for SDG values.
pub fn sdg_tags(values: &[String]) -> Result<Vec<String>, ApiError> {
    values
        .iter()
        .map(|v| {
            v.parse::<u8>()
                .ok()
                .and_then(|n| Sdg::new(n).ok())
                .map(|s| wsis_domain::forms::Tag::Sdg(s).to_string())
                .ok_or_else(|| bad("sdg", "unknown_sdg", "a number from 1 to 17"))
        })
        .collect()
}

/// Stakeholder category codes (the legacy merged value read as `academia`).
pub fn categories(values: &[String]) -> Result<Vec<String>, ApiError> {
    values
        .iter()
        .map(|v| {
            v.parse::<StakeholderCategory>()
                .map(|c| c.code().to_owned())
                .map_err(|e| bad("stakeholder_category", "unknown_category", e.to_string()))
        })
        .collect()
}

/// The country codes of the given ITU-D regions.
pub fn region_countries(values: &[String]) -> Result<Vec<String>, ApiError> {
    let mut countries = Vec::new();
    for v in values {
        let region: Region = v
            .parse()
            .map_err(|e: wsis_domain::ParseError| bad("region", "unknown_region", e.to_string()))?;
        countries.extend(
            wsis_domain::catalogue()
                .countries
                .iter()
                .filter(|c| c.region == Some(region))
                .map(|c| c.code.clone()),
        );
    }
    Ok(countries)
}

/// A page size, 1–200, default 50.
pub fn limit(value: Option<&str>) -> Result<i64, ApiError> {
    match value {
        None => Ok(50),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|l| (1..=200).contains(l))
            .ok_or_else(|| bad("limit", "out_of_range", "1 to 200")),
    }
}
