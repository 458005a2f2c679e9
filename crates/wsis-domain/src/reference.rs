//! Reference vocabulary: constructor-checked codes. A value of these types is always valid; parsing is the only way
//! in, and a failed parse says which field, what was given and what was expected.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::catalogue::catalogue;
use crate::said;
use crate::said::Said;

/// A value that is not one of the accepted codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// What was being parsed (`country`, `currency`, …): with `what-` before it and spaces as `-`, the id of its
    /// name in the message catalogue.
    pub what: &'static str,
    /// The rejected input (cut to 64 characters).
    pub given: String,
    /// What is accepted, as a message of the catalogue.
    pub expected: Said,
}

impl ParseError {
    pub(crate) fn new(what: &'static str, given: &str, expected: Said) -> Self {
        Self {
            what,
            given: given.chars().take(64).collect(),
            expected,
        }
    }

    /// One of `codes` was expected.
    pub(crate) fn one_of(what: &'static str, given: &str, codes: &[&str]) -> Self {
        Self::new(
            what,
            given,
            said!("expected-one-of", codes = codes.join(", ")),
        )
    }

    /// The explanation: what was given and what is accepted.
    pub fn said(&self) -> Said {
        let what = Said::named(format!("what-{}", self.what.replace(' ', "-")));
        let given = self.given.clone();
        said!(
            "field-not-valid",
            what = what,
            given = given,
            expected = self.expected.clone()
        )
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.said(), f)
    }
}

impl std::error::Error for ParseError {}

/// Declares a closed set of snake_case codes with `code()`, `ALL`, `FromStr`, `Display` and serde.
macro_rules! code_enum_impl {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(try_from = "String", into = "&'static str")]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code used in the API and the database.
            pub const fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            fn parse_exact(s: &str) -> Result<Self, $crate::reference::ParseError> {
                match s {
                    $($code => Ok($name::$variant),)+
                    _ => Err($crate::reference::ParseError::one_of($what, s, &[$($code),+])),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl From<$name> for &'static str {
            fn from(value: $name) -> Self {
                value.code()
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::reference::ParseError;

            fn try_from(value: String) -> Result<Self, Self::Error> {
                value.parse()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                crate::openapi::string_enum(&[$($code),+])
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}
    };
}
pub(crate) use code_enum_impl as code_enum;

/// `FromStr` for closed sets declared with `code_enum!` that accept their codes exactly, nothing else.
macro_rules! exact_from_str_impl {
    ($($name:ty),+ $(,)?) => {
        $(
            impl ::std::str::FromStr for $name {
                type Err = $crate::reference::ParseError;

                fn from_str(s: &str) -> Result<Self, Self::Err> {
                    Self::parse_exact(s)
                }
            }
        )+
    };
}
pub(crate) use exact_from_str_impl as exact_from_str;

code_enum!(
    /// The stakeholder groups of the WSIS process. Academia and the technical community are kept apart (the
    /// technical community objects to being merged); the letter's merged value is accepted on input, see
    /// [`StakeholderCategory::LEGACY_ACADEMIA_TECHNICAL_COMMUNITY`].
    StakeholderCategory, "stakeholder category" {
        /// Governments.
        Government => "government",
        /// Private sector.
        PrivateSector => "private_sector",
        /// Civil society.
        CivilSociety => "civil_society",
        /// Academia.
        Academia => "academia",
        /// Technical community.
        TechnicalCommunity => "technical_community",
        /// International organisations.
        InternationalOrganisation => "international_organisation",
        /// Anyone else.
        Other => "other",
    }
);

impl StakeholderCategory {
    /// The merged value of earlier forms and of the 2024 letter. It is read as `academia`, the first group it
    /// names; the organisation can change it to `technical_community` afterwards.
    pub const LEGACY_ACADEMIA_TECHNICAL_COMMUNITY: &'static [&'static str] = &[
        "academia_technical_community",
        "academia/technical community",
        "academia/technical_community",
    ];
}

impl FromStr for StakeholderCategory {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if Self::LEGACY_ACADEMIA_TECHNICAL_COMMUNITY
            .iter()
            .any(|legacy| legacy.eq_ignore_ascii_case(s.trim()))
        {
            return Ok(Self::Academia);
        }
        Self::parse_exact(s)
    }
}

code_enum!(
    /// The six regions of the ITU Telecommunication Development Sector.
    Region, "region" {
        /// Africa.
        Africa => "africa",
        /// The Americas.
        Americas => "americas",
        /// Arab States.
        ArabStates => "arab_states",
        /// Asia and the Pacific.
        AsiaPacific => "asia_pacific",
        /// Commonwealth of Independent States.
        Cis => "cis",
        /// Europe.
        Europe => "europe",
    }
);

impl FromStr for Region {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_exact(s)
    }
}

impl Region {
    /// The ISO 3166-1 alpha-2 codes of the region's countries, in the catalogue's order.
    pub fn country_codes(self) -> impl Iterator<Item = &'static str> {
        catalogue()
            .countries
            .iter()
            .filter(move |c| c.region == Some(self))
            .map(|c| c.code.as_str())
    }
}

code_enum!(
    /// The four channels of a call for contributions.
    TrackKind, "track" {
        /// Open Consultation Process for the High-Level Event.
        Ocp => "ocp",
        /// The WSIS Stocktaking repository.
        Stocktaking => "stocktaking",
        /// WSIS Prizes nominations.
        Prizes => "prizes",
        /// WSIS Trust Fund contributions.
        TrustFund => "trust_fund",
    }
);

impl FromStr for TrackKind {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_exact(s)
    }
}

/// Declares a string newtype whose values are checked against a catalogue lookup.
macro_rules! catalogue_code {
    ($(#[$meta:meta])* $name:ident, $what:literal, $expected:literal, |$s:ident| $normalise:expr, $known:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The code as the API and the database spell it.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = ParseError;

            fn from_str($s: &str) -> Result<Self, Self::Err> {
                let normalised: String = $normalise;
                let known: fn(&str) -> bool = $known;
                if known(&normalised) {
                    Ok(Self(normalised))
                } else {
                    Err(ParseError::new($what, $s, $crate::said::Said::new($expected)))
                }
            }
        }

        impl TryFrom<String> for $name {
            type Error = ParseError;

            fn try_from(value: String) -> Result<Self, Self::Error> {
                value.parse()
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                crate::openapi::code_string(concat!("A code (", $what, "): ", $expected, "."))
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}
    };
}

catalogue_code!(
    /// An ISO 3166-1 alpha-2 country code (upper case), or `global` for organisations and projects that work
    /// worldwide.
    CountryCode,
    "country",
    "expected-country",
    |s| if s.eq_ignore_ascii_case(CountryCode::GLOBAL) { CountryCode::GLOBAL.to_owned() } else { s.to_ascii_uppercase() },
    |code| code == CountryCode::GLOBAL || catalogue().country(code).is_some()
);

impl CountryCode {
    /// The pseudo-country of global organisations.
    pub const GLOBAL: &'static str = "global";

    /// Whether this is `global` rather than a country.
    pub fn is_global(&self) -> bool {
        self.0 == Self::GLOBAL
    }

    /// The ITU region of the country; `None` for `global` and for Antarctica.
    pub fn region(&self) -> Option<Region> {
        catalogue().country(&self.0).and_then(|c| c.region)
    }
}

catalogue_code!(
    /// An ISO 4217 currency code (upper case) of a currency in circulation.
    CurrencyCode,
    "currency",
    "expected-currency",
    |s| s.to_ascii_uppercase(),
    |code| catalogue().currency(code).is_some()
);

impl CurrencyCode {
    /// Digits after the decimal point (CHF 2, JPY 0, KWD 3).
    pub fn minor_units(&self) -> u8 {
        catalogue().currency(&self.0).map_or(2, |c| c.minor_units)
    }
}

catalogue_code!(
    /// A WSIS Action Line code: `C1`…`C6`, `C7.e-government`…`C7.e-science`, `C8`…`C11`.
    ActionLineCode,
    "action line",
    "expected-action-line",
    |s| {
        let trimmed = s.trim();
        match trimmed.split_once('.') {
            Some((line, sub)) => format!("{}.{}", line.to_ascii_uppercase(), sub.to_ascii_lowercase()),
            None => trimmed.to_ascii_uppercase(),
        }
    },
    |code| catalogue().action_line(code).is_some()
);

/// Declares a small-number newtype with an inclusive range.
macro_rules! numbered {
    ($(#[$meta:meta])* $name:ident, $what:literal, $max:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "u8", into = "u8")]
        pub struct $name(u8);

        impl $name {
            /// The highest number.
            pub const MAX: u8 = $max;

            /// Checks that `n` is within 1..=MAX.
            pub fn new(n: u8) -> Result<Self, ParseError> {
                if (1..=$max).contains(&n) {
                    Ok(Self(n))
                } else {
                    Err(ParseError::new($what, &n.to_string(), $crate::said!("expected-number-up-to", max = $max)))
                }
            }

            /// The number.
            pub const fn get(self) -> u8 {
                self.0
            }

            /// All of them, in order.
            pub fn all() -> impl Iterator<Item = Self> {
                (1..=$max).map(Self)
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                crate::openapi::small_number(concat!("A ", $what, " number."), $max)
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}

        impl TryFrom<u8> for $name {
            type Error = ParseError;

            fn try_from(value: u8) -> Result<Self, Self::Error> {
                Self::new(value)
            }
        }

        impl From<$name> for u8 {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

numbered!(
    /// One of the 17 Sustainable Development Goals.
    Sdg, "SDG", 17
);

numbered!(
    /// One of the 18 WSIS Prizes categories; category N corresponds to the Nth action line.
    PrizeCategory, "prize category", 18
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stakeholder_categories_parse_and_accept_the_legacy_merged_value() {
        for category in StakeholderCategory::ALL {
            assert_eq!(
                category.code().parse::<StakeholderCategory>(),
                Ok(*category)
            );
        }
        assert_eq!(
            "academia/technical community".parse(),
            Ok(StakeholderCategory::Academia)
        );
        assert_eq!(
            "academia_technical_community".parse(),
            Ok(StakeholderCategory::Academia)
        );
        let err = "ngo".parse::<StakeholderCategory>().unwrap_err();
        assert_eq!(err.what, "stakeholder category");
        assert!(err.to_string().contains("technical_community"), "{err}");
        assert_eq!(StakeholderCategory::ALL.len(), 7);
    }

    #[test]
    fn stakeholder_categories_serialise_as_codes() {
        let json = serde_json::to_string(&StakeholderCategory::InternationalOrganisation).unwrap();
        assert_eq!(json, "\"international_organisation\"");
        let back: StakeholderCategory =
            serde_json::from_str("\"academia/technical community\"").unwrap();
        assert_eq!(back, StakeholderCategory::Academia);
        assert!(serde_json::from_str::<StakeholderCategory>("\"nobody\"").is_err());
    }

    #[test]
    fn country_codes_are_iso_alpha2_or_global_with_a_region() {
        let ch: CountryCode = "ch".parse().unwrap();
        assert_eq!(ch.as_str(), "CH");
        assert_eq!(ch.region(), Some(Region::Europe));
        assert_eq!(
            "EG".parse::<CountryCode>().unwrap().region(),
            Some(Region::ArabStates)
        );
        assert_eq!(
            "KZ".parse::<CountryCode>().unwrap().region(),
            Some(Region::Cis)
        );
        assert_eq!(
            "BR".parse::<CountryCode>().unwrap().region(),
            Some(Region::Americas)
        );
        assert_eq!(
            "KE".parse::<CountryCode>().unwrap().region(),
            Some(Region::Africa)
        );
        assert_eq!(
            "JP".parse::<CountryCode>().unwrap().region(),
            Some(Region::AsiaPacific)
        );
        let global: CountryCode = "GLOBAL".parse().unwrap();
        assert!(global.is_global());
        assert_eq!(global.region(), None);
        assert!("XX".parse::<CountryCode>().is_err());
        assert!("CHE".parse::<CountryCode>().is_err());
        assert!("".parse::<CountryCode>().is_err());
    }

    #[test]
    fn currencies_know_their_minor_units() {
        assert_eq!("chf".parse::<CurrencyCode>().unwrap().minor_units(), 2);
        assert_eq!("JPY".parse::<CurrencyCode>().unwrap().minor_units(), 0);
        assert_eq!("KWD".parse::<CurrencyCode>().unwrap().minor_units(), 3);
        assert!(
            "XAU".parse::<CurrencyCode>().is_err(),
            "gold is not a currency in circulation"
        );
        assert!("ABC".parse::<CurrencyCode>().is_err());
    }

    #[test]
    fn action_line_codes_are_normalised() {
        assert_eq!("c3".parse::<ActionLineCode>().unwrap().as_str(), "C3");
        assert_eq!(
            "c7.E-Health".parse::<ActionLineCode>().unwrap().as_str(),
            "C7.e-health"
        );
        assert!("C7".parse::<ActionLineCode>().is_err());
        assert!("C12".parse::<ActionLineCode>().is_err());
    }

    #[test]
    fn numbered_codes_check_their_range() {
        assert!(Sdg::new(0).is_err());
        assert_eq!(Sdg::new(17).map(Sdg::get), Ok(17));
        assert!(Sdg::new(18).is_err());
        assert_eq!(Sdg::all().count(), 17);
        assert_eq!(PrizeCategory::all().count(), 18);
        assert!(PrizeCategory::new(19).is_err());
        assert!(serde_json::from_str::<Sdg>("18").is_err());
    }
}
