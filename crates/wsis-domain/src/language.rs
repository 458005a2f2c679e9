//! The six UN languages and text labelled in each of them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::reference::ParseError;

/// One of the six official languages of the United Nations, by its ISO 639-1 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Arabic (right to left).
    Ar,
    /// Chinese.
    Zh,
    /// English: the default and the fallback.
    En,
    /// French.
    Fr,
    /// Russian.
    Ru,
    /// Spanish.
    Es,
}

impl Language {
    /// All six, in the UN's alphabetical order (Arabic, Chinese, English, French, Russian, Spanish).
    pub const ALL: [Language; 6] = [Self::Ar, Self::Zh, Self::En, Self::Fr, Self::Ru, Self::Es];

    /// The ISO 639-1 code.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Ar => "ar",
            Self::Zh => "zh",
            Self::En => "en",
            Self::Fr => "fr",
            Self::Ru => "ru",
            Self::Es => "es",
        }
    }

    /// Parses a language tag, ignoring case and any region or script subtag (`fr-CH`, `zh-Hans-CN`).
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        Self::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(primary))
    }

    /// Picks the best of the six for an HTTP `Accept-Language` value (RFC 9110 §12.5.4): the supported tag with the
    /// highest quality, the earlier one on a tie; `q=0` excludes a language. `None` when nothing supported is asked.
    pub fn negotiate(accept_language: &str) -> Option<Self> {
        let mut best: Option<(Self, u16)> = None;
        for item in accept_language.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default().trim();
            let quality = parts
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .or_else(|| p.trim().strip_prefix("Q="))
                })
                .map_or(Some(1000), parse_quality);
            let (Some(language), Some(quality)) = (Self::from_tag(tag), quality) else {
                continue;
            };
            if quality > 0 && best.is_none_or(|(_, q)| quality > q) {
                best = Some((language, quality));
            }
        }
        best.map(|(language, _)| language)
    }
}

/// A quality value as thousandths (`0.5` → 500); `None` when malformed.
fn parse_quality(value: &str) -> Option<u16> {
    let value: f32 = value.trim().parse().ok()?;
    (0.0..=1.0)
        .contains(&value)
        .then(|| (value * 1000.0).round() as u16)
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Language {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|l| l.code() == s)
            .ok_or_else(|| ParseError::one_of("language", s, &["ar", "zh", "en", "fr", "ru", "es"]))
    }
}

/// A text in each of the six UN languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    /// Arabic.
    pub ar: String,
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
    /// French.
    pub fr: String,
    /// Russian.
    pub ru: String,
    /// Spanish.
    pub es: String,
}

impl Labels {
    /// The text in `language`, or in English where that one is empty.
    pub fn get(&self, language: Language) -> &str {
        let text = match language {
            Language::Ar => &self.ar,
            Language::Zh => &self.zh,
            Language::En => &self.en,
            Language::Fr => &self.fr,
            Language::Ru => &self.ru,
            Language::Es => &self.es,
        };
        if text.trim().is_empty() {
            &self.en
        } else {
            text
        }
    }

    /// The same text in every language (for proper names such as "ITU").
    pub fn same(text: &str) -> Self {
        Self {
            ar: text.to_owned(),
            zh: text.to_owned(),
            en: text.to_owned(),
            fr: text.to_owned(),
            ru: text.to_owned(),
            es: text.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_takes_the_highest_quality_supported_language() {
        assert_eq!(
            Language::negotiate("fr-CH, fr;q=0.9, en;q=0.8"),
            Some(Language::Fr)
        );
        assert_eq!(
            Language::negotiate("de-DE, ar;q=0.5, zh-Hans;q=0.7"),
            Some(Language::Zh)
        );
        assert_eq!(Language::negotiate("de, it"), None);
        assert_eq!(Language::negotiate("es;q=0, ru"), Some(Language::Ru));
        assert_eq!(Language::negotiate("*"), None);
        assert_eq!(Language::negotiate(""), None);
        assert_eq!(
            Language::negotiate("en;q=0.5, ES;q=0.5"),
            Some(Language::En)
        );
        assert_eq!(
            Language::negotiate("ar;q=abc, ru;q=0.1"),
            Some(Language::Ru)
        );
    }

    #[test]
    fn labels_fall_back_to_english_when_a_translation_is_empty() {
        let mut labels = Labels::same("ITU");
        labels.fr = String::new();
        labels.ar = "الاتحاد".to_owned();
        assert_eq!(labels.get(Language::Fr), "ITU");
        assert_eq!(labels.get(Language::Ar), "الاتحاد");
    }

    #[test]
    fn language_codes_round_trip() {
        for language in Language::ALL {
            assert_eq!(language.code().parse::<Language>().ok(), Some(language));
            assert_eq!(
                Language::from_tag(&language.code().to_uppercase()),
                Some(language)
            );
        }
        assert!("de".parse::<Language>().is_err());
    }
}
