//! The reference data shipped with the code: countries with their ITU region, currencies with their minor units,
//! action lines with their facilitators, SDGs, prize categories, stakeholder categories, regions and track kinds,
//! each labelled in the six UN languages.
//!
//! The data lives in `data/*.json` (countries and currencies are generated from ISO lists and the Unicode CLDR by
//! `scripts/gen-reference-data.py`). It is the seed of the database's reference tables, and the set of codes the
//! domain accepts.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::language::Labels;
use crate::reference::{PrizeCategory, Region};

/// A country or territory.
#[derive(Debug, Clone, Deserialize)]
pub struct Country {
    /// ISO 3166-1 alpha-2.
    pub code: String,
    /// ISO 3166-1 alpha-3.
    pub alpha3: String,
    /// ISO 3166-1 numeric.
    pub numeric: String,
    /// ITU-D region; `None` for Antarctica.
    pub region: Option<Region>,
    /// Names.
    pub labels: Labels,
}

/// A currency in circulation.
#[derive(Debug, Clone, Deserialize)]
pub struct Currency {
    /// ISO 4217 alphabetic code.
    pub code: String,
    /// ISO 4217 numeric code.
    pub numeric: String,
    /// Digits after the decimal point.
    pub minor_units: u8,
    /// Names.
    pub labels: Labels,
}

/// A WSIS Action Line.
#[derive(Debug, Clone, Deserialize)]
pub struct ActionLine {
    /// `C1`…`C11`, with `C7.<application>` for the eight C7 applications.
    pub code: String,
    /// Position 1–18, which is also the number of the matching prize category.
    pub number: u8,
    /// The UN agencies that facilitate it.
    pub facilitators: Vec<String>,
    /// Titles.
    pub labels: Labels,
}

/// A labelled code (stakeholder categories, regions, track kinds).
#[derive(Debug, Clone, Deserialize)]
pub struct Coded {
    /// The code.
    pub code: String,
    /// Names.
    pub labels: Labels,
}

/// A labelled number (SDGs).
#[derive(Debug, Clone, Deserialize)]
pub struct Numbered {
    /// The number.
    pub number: u8,
    /// Names.
    pub labels: Labels,
}

/// A WSIS Prizes category: one per action line, with the action line's title.
#[derive(Debug, Clone)]
pub struct PrizeCategoryEntry {
    /// 1–18.
    pub number: PrizeCategory,
    /// The matching action line's code.
    pub action_line: String,
    /// Titles.
    pub labels: Labels,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReferenceFile {
    stakeholder_categories: Vec<Coded>,
    regions: Vec<Coded>,
    global_country: Coded,
    track_kinds: Vec<Coded>,
    action_lines: Vec<ActionLine>,
    sdgs: Vec<Numbered>,
}

/// All reference data, indexed.
#[derive(Debug)]
pub struct Catalogue {
    /// Stakeholder categories in display order.
    pub stakeholder_categories: Vec<Coded>,
    /// ITU-D regions in display order.
    pub regions: Vec<Coded>,
    /// The `global` pseudo-country's names.
    pub global_country: Coded,
    /// The four track kinds.
    pub track_kinds: Vec<Coded>,
    /// The 18 action lines in order.
    pub action_lines: Vec<ActionLine>,
    /// The 17 SDGs.
    pub sdgs: Vec<Numbered>,
    /// The 18 prize categories.
    pub prize_categories: Vec<PrizeCategoryEntry>,
    /// Countries by code.
    pub countries: Vec<Country>,
    /// Currencies by code.
    pub currencies: Vec<Currency>,
    country_index: HashMap<String, usize>,
    currency_index: HashMap<String, usize>,
    action_line_index: HashMap<String, usize>,
}

/// An embedded data file that does not parse.
#[derive(Debug, thiserror::Error)]
#[error("embedded reference data file {file} is invalid: {source}")]
pub struct CatalogueError {
    file: &'static str,
    source: serde_json::Error,
}

impl Catalogue {
    /// Parses the embedded data files.
    pub fn load() -> Result<Self, CatalogueError> {
        let reference: ReferenceFile =
            parse("reference.json", include_str!("../data/reference.json"))?;
        let countries: Vec<Country> =
            parse("countries.json", include_str!("../data/countries.json"))?;
        let currencies: Vec<Currency> =
            parse("currencies.json", include_str!("../data/currencies.json"))?;
        let prize_categories = reference
            .action_lines
            .iter()
            .filter_map(|line| {
                Some(PrizeCategoryEntry {
                    number: PrizeCategory::new(line.number).ok()?,
                    action_line: line.code.clone(),
                    labels: line.labels.clone(),
                })
            })
            .collect();
        let index = |codes: Vec<&str>| {
            codes
                .into_iter()
                .enumerate()
                .map(|(i, c)| (c.to_owned(), i))
                .collect()
        };
        Ok(Self {
            country_index: index(countries.iter().map(|c| c.code.as_str()).collect()),
            currency_index: index(currencies.iter().map(|c| c.code.as_str()).collect()),
            action_line_index: index(
                reference
                    .action_lines
                    .iter()
                    .map(|c| c.code.as_str())
                    .collect(),
            ),
            stakeholder_categories: reference.stakeholder_categories,
            regions: reference.regions,
            global_country: reference.global_country,
            track_kinds: reference.track_kinds,
            action_lines: reference.action_lines,
            sdgs: reference.sdgs,
            prize_categories,
            countries,
            currencies,
        })
    }

    /// A country by its upper-case alpha-2 code.
    pub fn country(&self, code: &str) -> Option<&Country> {
        self.country_index.get(code).map(|&i| &self.countries[i])
    }

    /// A currency by its upper-case code.
    pub fn currency(&self, code: &str) -> Option<&Currency> {
        self.currency_index.get(code).map(|&i| &self.currencies[i])
    }

    /// An action line by its normalised code.
    pub fn action_line(&self, code: &str) -> Option<&ActionLine> {
        self.action_line_index
            .get(code)
            .map(|&i| &self.action_lines[i])
    }
}

fn parse<T: serde::de::DeserializeOwned>(
    file: &'static str,
    text: &str,
) -> Result<T, CatalogueError> {
    serde_json::from_str(text).map_err(|source| CatalogueError { file, source })
}

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| {
    #[expect(
        clippy::expect_used,
        reason = "the data is compiled in and checked by the catalogue_loads test"
    )]
    Catalogue::load().expect("embedded reference data parses")
});

/// The reference data compiled into this build.
pub fn catalogue() -> &'static Catalogue {
    &CATALOGUE
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::{StakeholderCategory, TrackKind};

    #[test]
    fn catalogue_loads_and_matches_the_domain_enums() {
        let catalogue = Catalogue::load().unwrap();
        let codes = |items: &[Coded]| items.iter().map(|c| c.code.clone()).collect::<Vec<_>>();
        assert_eq!(
            codes(&catalogue.stakeholder_categories),
            StakeholderCategory::ALL
                .iter()
                .map(|c| c.code().to_owned())
                .collect::<Vec<_>>()
        );
        assert_eq!(
            codes(&catalogue.regions),
            Region::ALL
                .iter()
                .map(|c| c.code().to_owned())
                .collect::<Vec<_>>()
        );
        assert_eq!(
            codes(&catalogue.track_kinds),
            TrackKind::ALL
                .iter()
                .map(|c| c.code().to_owned())
                .collect::<Vec<_>>()
        );
        assert_eq!(catalogue.action_lines.len(), 18);
        assert_eq!(catalogue.prize_categories.len(), 18);
        assert_eq!(
            catalogue.sdgs.iter().map(|s| s.number).collect::<Vec<_>>(),
            (1..=17).collect::<Vec<_>>()
        );
        assert_eq!(
            catalogue
                .action_lines
                .iter()
                .map(|a| a.number)
                .collect::<Vec<_>>(),
            (1..=18).collect::<Vec<_>>()
        );
        assert_eq!(catalogue.countries.len(), 249);
        assert!(catalogue.currencies.len() > 150);
    }

    #[test]
    fn every_label_is_present_in_all_six_languages() {
        let catalogue = catalogue();
        let all = catalogue
            .stakeholder_categories
            .iter()
            .chain(&catalogue.regions)
            .chain(&catalogue.track_kinds)
            .map(|c| &c.labels)
            .chain(catalogue.action_lines.iter().map(|a| &a.labels))
            .chain(catalogue.sdgs.iter().map(|s| &s.labels))
            .chain(catalogue.countries.iter().map(|c| &c.labels))
            .chain(catalogue.currencies.iter().map(|c| &c.labels));
        for labels in all {
            for text in [
                &labels.ar, &labels.zh, &labels.en, &labels.fr, &labels.ru, &labels.es,
            ] {
                assert!(!text.trim().is_empty(), "missing label in {labels:?}");
            }
        }
    }

    #[test]
    fn the_track_names_in_arabic_are_those_of_the_letter() {
        let kinds = &catalogue().track_kinds;
        let ar: Vec<&str> = kinds.iter().map(|k| k.labels.ar.as_str()).collect();
        assert_eq!(
            ar,
            [
                "عملية التشاور المفتوحة",
                "تقييم تنفيذ نتائج القمة العالمية لمجتمع المعلومات",
                "جوائز القمة العالمية لمجتمع المعلومات",
                "الصندوق الاستئماني للقمة العالمية لمجتمع المعلومات",
            ]
        );
    }

    #[test]
    fn action_lines_carry_their_facilitators() {
        let c3 = catalogue().action_line("C3").unwrap();
        assert_eq!(c3.facilitators, ["UNESCO"]);
        let health = catalogue().action_line("C7.e-health").unwrap();
        assert_eq!(health.number, 10);
        assert_eq!(health.facilitators, ["WHO"]);
        let prize10 = &catalogue().prize_categories[9];
        assert_eq!(prize10.action_line, "C7.e-health");
    }
}
