//! What filters and full-text search see of a form: tags (action lines, SDGs, countries, …) and its main text.
//! This module owns the tag vocabulary: every `al:`, `sdg:`, `country:` string is made here.

use std::fmt;

use super::Content;
use crate::{ActionLineCode, CountryCode, PrizeCategory, Sdg};

/// A tag a submission is found by.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tag {
    /// `al:C7.e-health`
    ActionLine(ActionLineCode),
    /// `sdg:4`
    Sdg(Sdg),
    /// `country:SN` (or `country:global`)
    Country(CountryCode),
    /// `status:ongoing` (stocktaking)
    ProjectStatus(super::ProjectStatus),
    /// `coverage_level:regional` (stocktaking)
    CoverageLevel(super::CoverageLevel),
    /// `prize:9`
    PrizeCategory(PrizeCategory),
}

impl Tag {
    /// The prefix of action-line tags.
    pub const ACTION_LINE: &'static str = "al:";
    /// The prefix of SDG tags.
    pub const SDG: &'static str = "sdg:";
    /// The prefix of country tags.
    pub const COUNTRY: &'static str = "country:";
    /// The prefix of project-status tags.
    pub const PROJECT_STATUS: &'static str = "status:";
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ActionLine(code) => write!(f, "{}{code}", Self::ACTION_LINE),
            Self::Sdg(sdg) => write!(f, "{}{}", Self::SDG, sdg.get()),
            Self::Country(code) => write!(f, "{}{code}", Self::COUNTRY),
            Self::ProjectStatus(status) => write!(f, "{}{status}", Self::PROJECT_STATUS),
            Self::CoverageLevel(level) => write!(f, "coverage_level:{level}"),
            Self::PrizeCategory(category) => write!(f, "prize:{}", category.get()),
        }
    }
}

/// A form as search sees it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Indexed {
    /// Tags, as stored (`al:C4`, `sdg:9`, …).
    pub tags: Vec<String>,
    /// The searchable text (see [`crate::search::document`]).
    pub text: String,
    /// The key titles sort by (empty for forms without a title).
    pub sort_title: String,
}

impl Content {
    /// The tags and text search keeps of this form.
    pub fn index(&self) -> Indexed {
        let mut tags: Vec<Tag> = Vec::new();
        let mut text: Vec<&str> = Vec::new();
        let mut title = "";
        match self {
            Self::Stocktaking(p) => {
                tags.extend(p.action_lines.iter().cloned().map(Tag::ActionLine));
                tags.extend(p.sdgs.iter().copied().map(Tag::Sdg));
                tags.extend(p.countries.iter().cloned().map(Tag::Country));
                tags.push(Tag::ProjectStatus(p.status));
                tags.push(Tag::CoverageLevel(p.coverage_level));
                text.extend([p.title.as_str(), p.description.as_str()]);
                title = &p.title;
            }
            Self::Ocp(c) => {
                tags.extend(c.sdgs.iter().copied().map(Tag::Sdg));
                tags.extend(
                    c.action_line_feedback
                        .iter()
                        .map(|f| Tag::ActionLine(f.action_line.clone())),
                );
                for p in &c.session_proposals {
                    tags.extend(p.action_lines.iter().cloned().map(Tag::ActionLine));
                    text.push(&p.title);
                }
                text.extend(c.innovative_ideas.as_deref());
                text.extend(c.sdg_alignment.as_deref());
            }
            Self::Prizes(n) => {
                tags.push(Tag::PrizeCategory(n.category));
                text.push(&n.short_description);
            }
            Self::TrustFund(p) => {
                text.extend(p.earmark.as_deref());
                text.extend(p.description.as_deref());
            }
        }
        Indexed {
            tags: tags.iter().map(Tag::to_string).collect(),
            text: crate::search::document(&text.join("\n")),
            sort_title: crate::search::sort_key(title),
        }
    }
}
