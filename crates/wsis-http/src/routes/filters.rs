//! Query strings, parsed into the `IntoParams` structs that the contract declares: a route reads the struct, never
//! a second list of names. Each value is read by its vocabulary's parser ([`QueryValue`]) and a bad one is a 422
//! naming the parameter and the rule; repeated parameters (`Vec` fields) mean OR; a parameter the struct does not
//! declare is refused.

use actix_web::HttpRequest;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer, Error as _};
use wsis_domain::forms::ProjectStatus;
use wsis_domain::{
    ActionLineCode, CountryCode, Region, Sdg, StakeholderCategory, SubmissionStatus, TrackKind,
};

use wsis_domain::{Said, said};

use crate::problem::{ApiError, FieldError};

/// A query parameter's value type: read from the text by its vocabulary's parser, refused with its rule's code.
pub trait QueryValue: Sized {
    /// The code of the rule a bad value breaks (`unknown_track`).
    const RULE: &'static str;
    /// The value, or what is expected instead.
    fn read(text: &str) -> Result<Self, Said>;
}

/// One value of a query parameter, read by [`QueryValue`] (a wrapper, so that domain types need no serde).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param<T>(pub T);

/// Joins a rule's code to its message inside a serde error, to be split when the problem is made.
const RULE_MARK: char = '\u{1f}';

impl<'de, T: QueryValue> Deserialize<'de> for Param<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        T::read(&text).map(Param).map_err(|message| {
            let message = serde_json::to_string(&message).unwrap_or_default();
            D::Error::custom(format!("{}{RULE_MARK}{message}", T::RULE))
        })
    }
}

/// The values of a repeated parameter.
pub fn values<T>(params: Vec<Param<T>>) -> Vec<T> {
    params.into_iter().map(|p| p.0).collect()
}

macro_rules! vocabulary {
    ($($type:ty => $rule:literal),* $(,)?) => {$(
        impl QueryValue for $type {
            const RULE: &'static str = $rule;
            fn read(text: &str) -> Result<Self, Said> {
                text.parse().map_err(|e: wsis_domain::ParseError| e.said())
            }
        }
    )*};
}

vocabulary!(
    TrackKind => "unknown_track",
    SubmissionStatus => "unknown_status",
    StakeholderCategory => "unknown_category",
    CountryCode => "unknown_country",
    Region => "unknown_region",
    ActionLineCode => "unknown_action_line",
    wsis_domain::search::SortOrder => "invalid_value",
    wsis_domain::prizes::ReviewOrder => "invalid_value",
);

impl QueryValue for wsis_domain::PrizeCategory {
    const RULE: &'static str = "unknown_category";
    fn read(text: &str) -> Result<Self, Said> {
        text.parse::<u8>()
            .ok()
            .and_then(|n| Self::new(n).ok())
            .ok_or_else(|| said!("field-prize-category"))
    }
}

impl QueryValue for Sdg {
    const RULE: &'static str = "unknown_sdg";
    fn read(text: &str) -> Result<Self, Said> {
        text.parse::<u8>()
            .ok()
            .and_then(|n| Sdg::new(n).ok())
            .ok_or_else(|| said!("expected-number-up-to", max = 17))
    }
}

impl QueryValue for ProjectStatus {
    const RULE: &'static str = "invalid_value";
    fn read(text: &str) -> Result<Self, Said> {
        text.parse().map_err(|_| said!("field-project-status"))
    }
}

/// An organisation id: a UUID (anything else names no organisation, and is refused rather than matching none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationId(pub String);

impl QueryValue for OrganisationId {
    const RULE: &'static str = "invalid_value";
    fn read(text: &str) -> Result<Self, Said> {
        uuid::Uuid::try_parse(text)
            .map(|_| Self(text.to_owned()))
            .map_err(|_| said!("field-organisation-id"))
    }
}

/// An instant, RFC 3339.
impl QueryValue for DateTime<Utc> {
    const RULE: &'static str = "invalid_time";
    fn read(text: &str) -> Result<Self, Said> {
        DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| said!("field-rfc3339"))
    }
}

/// A page size, 1–200 (default 50).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit(pub i64);

impl Limit {
    /// The size asked for, or the default.
    pub fn or_default(limit: Option<Param<Self>>) -> i64 {
        limit.map_or(50, |l| l.0.0)
    }
}

impl QueryValue for Limit {
    const RULE: &'static str = "out_of_range";
    fn read(text: &str) -> Result<Self, Said> {
        text.parse::<i64>()
            .ok()
            .filter(|l| (1..=200).contains(l))
            .map(Self)
            .ok_or_else(|| said!("field-limit"))
    }
}

/// A year such as 2025.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Year(pub i32);

impl QueryValue for Year {
    const RULE: &'static str = "invalid_value";
    fn read(text: &str) -> Result<Self, Said> {
        text.parse().map(Self).map_err(|_| said!("field-year"))
    }
}

/// Free text (a search, a cursor, a slug): any value is read as it is.
impl QueryValue for String {
    const RULE: &'static str = "invalid_value";
    fn read(text: &str) -> Result<Self, Said> {
        Ok(text.to_owned())
    }
}

/// A 422 naming one query parameter.
pub fn bad(field: &str, code: &str, message: Said) -> ApiError {
    ApiError::validation(vec![FieldError::new(field, code, message)])
}

/// A query string read into the struct `P` that declares its parameters (an `IntoParams` struct of the contract);
/// the first value that its type refuses is a 422 naming the parameter and the rule. Parameters `P` does not
/// declare are left alone (see [`QueryString::parse`], which refuses them).
pub fn read<P: DeserializeOwned>(query_string: &str) -> Result<P, ApiError> {
    let deserializer = serde_html_form::Deserializer::from_bytes(query_string.as_bytes());
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        let field = path
            .split(['.', '['])
            .next()
            .filter(|f| !f.is_empty() && *f != "?")
            .unwrap_or("query")
            .to_owned();
        let inner = error.into_inner().to_string();
        match inner.split_once(RULE_MARK) {
            Some((rule, message)) => bad(
                &field,
                rule,
                serde_json::from_str(message)
                    .unwrap_or_else(|_| said!("field-invalid", reason = message)),
            ),
            // What the form reader says of several values for a parameter that takes one.
            None if inner == "unsupported value" => {
                bad(&field, "not_repeatable", said!("field-one-value"))
            }
            None => bad(
                &field,
                "invalid_value",
                said!("field-invalid", reason = inner),
            ),
        }
    })
}

/// The parameters of a request, in order.
#[derive(Debug)]
pub struct QueryString {
    raw: String,
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
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(req.query_string()).map_err(|e| {
                bad(
                    "query",
                    "invalid_query",
                    said!("field-invalid", reason = e.to_string()),
                )
            })?;
        for (name, value) in &pairs {
            if name == "lang" {
                crate::negotiate::query_language(value)?;
            } else if !known.contains(name) {
                return Err(bad(
                    name,
                    "unknown_parameter",
                    said!("field-unknown-parameter", known = known.join(", ")),
                ));
            }
        }
        Ok(Self {
            raw: req.query_string().to_owned(),
            pairs,
        })
    }

    /// The parameters as the struct `P` declares them (see [`read`]).
    pub fn read<P: DeserializeOwned>(&self) -> Result<P, ApiError> {
        read(&self.raw)
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

/// `al:<code>` tags for action lines.
pub fn action_line_tags(lines: Vec<Param<ActionLineCode>>) -> Vec<String> {
    values(lines)
        .into_iter()
        .map(|c| wsis_domain::forms::Tag::ActionLine(c).to_string())
        .collect()
}

/// `sdg:<n>` tags for SDGs.
pub fn sdg_tags(sdgs: Vec<Param<Sdg>>) -> Vec<String> {
    values(sdgs)
        .into_iter()
        .map(|s| wsis_domain::forms::Tag::Sdg(s).to_string())
        .collect()
}

/// Stakeholder category codes (the legacy merged value read as `academia`).
pub fn categories(categories: Vec<Param<StakeholderCategory>>) -> Vec<String> {
    values(categories)
        .into_iter()
        .map(|c| c.code().to_owned())
        .collect()
}

/// Organisation ids.
pub fn organisation_ids(ids: Vec<Param<OrganisationId>>) -> Vec<String> {
    values(ids).into_iter().map(|id| id.0).collect()
}

/// The country codes of the given ITU-D regions.
pub fn region_countries(regions: Vec<Param<Region>>) -> Vec<String> {
    values(regions)
        .into_iter()
        .flat_map(Region::country_codes)
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Filters {
        #[serde(default)]
        track: Vec<Param<TrackKind>>,
        limit: Option<Param<Limit>>,
        updated_since: Option<Param<DateTime<Utc>>>,
        q: Option<String>,
    }

    fn refused(query: &str) -> (String, String, String) {
        let problem =
            read::<Filters>(query)
                .unwrap_err()
                .to_problem(wsis_domain::Language::En, "/", None);
        let error = problem.errors.into_iter().next().unwrap();
        (error.field, error.code, error.message)
    }

    #[test]
    fn a_query_is_read_into_its_struct_repeated_values_in_order() {
        let filters: Filters =
            read("track=ocp&q=open%20data&track=prizes&limit=20&lang=fr&other=x").unwrap();
        assert_eq!(values(filters.track), [TrackKind::Ocp, TrackKind::Prizes]);
        assert_eq!(Limit::or_default(filters.limit), 20);
        assert_eq!(filters.q.as_deref(), Some("open data"));
        let empty: Filters = read("").unwrap();
        assert!(empty.track.is_empty() && empty.updated_since.is_none());
        assert_eq!(Limit::or_default(empty.limit), 50);
    }

    #[test]
    fn a_bad_value_names_its_parameter_and_rule() {
        assert_eq!(
            refused("track=ocp&track=nope").0,
            "track",
            "the parameter, not its position"
        );
        assert_eq!(refused("track=nope").1, "unknown_track");
        assert_eq!(
            refused("limit=0"),
            ("limit".into(), "out_of_range".into(), "1 to 200".into())
        );
        assert_eq!(refused("limit=201").1, "out_of_range");
        assert_eq!(refused("limit=%00").1, "out_of_range");
        assert_eq!(refused("limit=").1, "out_of_range", "empty is not a size");
        assert_eq!(refused("updated_since=yesterday").1, "invalid_time");
        assert_eq!(
            refused("limit=5&limit=6"),
            (
                "limit".into(),
                "not_repeatable".into(),
                "this parameter takes one value".into()
            )
        );
        assert_eq!(refused("q=a&q=b").1, "not_repeatable");
    }
}
