//! An organisation's profile, as stakeholders give it: parsed once, every broken rule named at once.

use crate::forms::Violation;
use crate::reference::{CountryCode, Region, StakeholderCategory};
use crate::said;
use crate::text;

/// Longest organisation name, in characters.
pub const NAME_MAX: usize = 300;
/// Longest website address, in bytes.
pub const WEBSITE_MAX: usize = 2048;

/// What an organisation says of itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// Name, trimmed.
    pub name: String,
    /// Stakeholder category.
    pub stakeholder_category: StakeholderCategory,
    /// Country or `global`.
    pub country: CountryCode,
    /// Website, an http(s) address.
    pub website: Option<String>,
}

/// A profile as given, before it is parsed.
#[derive(Debug, Clone, Copy)]
pub struct ProfileInput<'a> {
    /// Name.
    pub name: &'a str,
    /// Stakeholder category code.
    pub stakeholder_category: &'a str,
    /// ISO 3166-1 alpha-2, or `global`.
    pub country: &'a str,
    /// Website; blank is none.
    pub website: Option<&'a str>,
}

/// What is wrong with a name: its length (1 to `max` characters) and any control character or bidi override
/// (NUL cannot be stored; line breaks forge mail headers; overrides disguise what is shown).
pub fn name_violations(field: &str, name: &str, max: usize) -> Vec<Violation> {
    let mut violations = Vec::new();
    if name.is_empty() || name.chars().count() > max {
        violations.push(Violation::new(
            field,
            "invalid_length",
            said!("field-invalid_length", min = 1, max = max),
        ));
    }
    if let Some(c) = text::forbidden_in_name(name) {
        violations.push(Violation::new(
            field,
            "forbidden_character",
            said!("field-forbidden_character", character = text::describe(c)),
        ));
    }
    violations
}

/// Whether `url` is an http(s) address with a host that has a dot, without whitespace, at most
/// [`WEBSITE_MAX`] bytes.
pub fn is_website(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() <= WEBSITE_MAX
        && !url.contains(char::is_whitespace)
        && url
            .split("://")
            .nth(1)
            .is_some_and(|rest| rest.len() > 2 && rest.contains('.'))
}

impl Profile {
    /// Parses a profile: every field checked, every violation returned at once.
    pub fn parse(input: ProfileInput<'_>) -> Result<Self, Vec<Violation>> {
        let name = input.name.trim();
        let mut violations = name_violations("name", name, NAME_MAX);
        let category = input
            .stakeholder_category
            .parse::<StakeholderCategory>()
            .map_err(|e| {
                violations.push(Violation::new(
                    "stakeholder_category",
                    "unknown_category",
                    e.said(),
                ))
            })
            .ok();
        let country = input
            .country
            .parse::<CountryCode>()
            .map_err(|e| violations.push(Violation::new("country", "unknown_country", e.said())))
            .ok();
        let website = input.website.map(str::trim).filter(|w| !w.is_empty());
        if website.is_some_and(|url| !is_website(url)) {
            violations.push(Violation::new(
                "website",
                "invalid_url",
                said!("field-invalid_url"),
            ));
        }
        match (category, country) {
            (Some(stakeholder_category), Some(country)) if violations.is_empty() => Ok(Self {
                name: name.to_owned(),
                stakeholder_category,
                country,
                website: website.map(str::to_owned),
            }),
            _ => Err(violations),
        }
    }
}

/// Where the organisations a listing asks for are: in given countries, or in given ITU-D regions, never both at
/// once (the two would not say whether they add up or narrow down).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum PlaceFilter {
    /// No filter by place.
    #[default]
    Anywhere,
    /// In one of these countries (`global` included as given).
    Countries(Vec<CountryCode>),
    /// In one of these regions.
    Regions(Vec<Region>),
}

impl PlaceFilter {
    /// The filter a listing's `country` and `region` parameters ask for; both at once is `conflicting_filters`,
    /// named at `region`.
    pub fn parse(countries: Vec<CountryCode>, regions: Vec<Region>) -> Result<Self, Violation> {
        match (countries.is_empty(), regions.is_empty()) {
            (true, true) => Ok(Self::Anywhere),
            (false, true) => Ok(Self::Countries(countries)),
            (true, false) => Ok(Self::Regions(regions)),
            (false, false) => Err(Violation::new(
                "region",
                "conflicting_filters",
                said!("field-conflicting-filters"),
            )),
        }
    }

    /// The country codes an organisation's country must be one of; empty when there is no filter.
    pub fn country_codes(&self) -> Vec<String> {
        match self {
            Self::Anywhere => Vec::new(),
            Self::Countries(countries) => countries.iter().map(ToString::to_string).collect(),
            Self::Regions(regions) => regions
                .iter()
                .flat_map(|r| r.country_codes())
                .map(str::to_owned)
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(name: &'a str, website: Option<&'a str>) -> ProfileInput<'a> {
        ProfileInput {
            name,
            stakeholder_category: "civil_society",
            country: "KE",
            website,
        }
    }

    #[test]
    fn a_profile_is_trimmed_and_typed() {
        let profile = Profile::parse(input(
            "  Digital Rights  ",
            Some(" https://drc.example.org "),
        ))
        .unwrap();
        assert_eq!(profile.name, "Digital Rights");
        assert_eq!(
            profile.stakeholder_category,
            StakeholderCategory::CivilSociety
        );
        assert_eq!(profile.country.as_str(), "KE");
        assert_eq!(profile.website.as_deref(), Some("https://drc.example.org"));
        assert_eq!(
            Profile::parse(input("X", Some("  "))).unwrap().website,
            None
        );
    }

    #[test]
    fn every_broken_rule_is_named_at_once() {
        let violations = Profile::parse(ProfileInput {
            name: "a\u{0}b",
            stakeholder_category: "pirates",
            country: "XX",
            website: Some("ftp://x"),
        })
        .unwrap_err();
        let fields: Vec<(&str, &str)> = violations
            .iter()
            .map(|v| (v.field.as_str(), v.code.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("name", "forbidden_character"),
                ("stakeholder_category", "unknown_category"),
                ("country", "unknown_country"),
                ("website", "invalid_url"),
            ]
        );
        assert_eq!(
            Profile::parse(input(&"n".repeat(NAME_MAX + 1), None)).unwrap_err()[0].code,
            "invalid_length"
        );
        assert_eq!(
            Profile::parse(input("   ", None)).unwrap_err()[0].code,
            "invalid_length"
        );
    }

    #[test]
    fn websites_are_http_addresses_with_a_host() {
        for ok in ["https://drc.example.org", "http://a.io/path?q=1"] {
            assert!(is_website(ok), "{ok}");
        }
        for bad in [
            "drc.example.org",
            "https://x",
            "https://a b.org",
            "javascript:alert(1)",
        ] {
            assert!(!is_website(bad), "{bad}");
        }
        assert!(!is_website(&format!(
            "https://a.org/{}",
            "x".repeat(WEBSITE_MAX)
        )));
    }

    #[test]
    fn a_place_filter_is_by_country_or_by_region_never_both() {
        let ke: CountryCode = "KE".parse().unwrap();
        assert_eq!(
            PlaceFilter::parse(vec![], vec![]),
            Ok(PlaceFilter::Anywhere)
        );
        assert_eq!(
            PlaceFilter::parse(vec![], vec![]).unwrap().country_codes(),
            Vec::<String>::new()
        );
        let by_country = PlaceFilter::parse(vec![ke.clone()], vec![]).unwrap();
        assert_eq!(by_country.country_codes(), ["KE"]);
        let by_region = PlaceFilter::parse(vec![], vec![Region::Africa]).unwrap();
        let codes = by_region.country_codes();
        assert!(codes.iter().any(|c| c == "KE") && codes.iter().any(|c| c == "SN"));
        assert!(!codes.iter().any(|c| c == "CH"));
        let both = PlaceFilter::parse(vec![ke], vec![Region::Africa]).unwrap_err();
        assert_eq!(
            (both.field.as_str(), both.code.as_str()),
            ("region", "conflicting_filters")
        );
    }
}
