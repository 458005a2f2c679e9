//! A WSIS Prizes nomination (English only): one of the organisation's stocktaking projects, in one category.

use serde::{Deserialize, Serialize};
use validator::Validate;

use super::{Found, Input};
use crate::PrizeCategory;
use crate::said;
use crate::submission::word_count;

/// Words in a nomination's short description, which voters read.
pub const SHORT_DESCRIPTION_WORDS: std::ops::RangeInclusive<usize> = 150..=200;

/// A WSIS Prizes nomination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "project_id": "0193a0d0-1a2b-7c3d-8e4f-5a6b7c8d9e0f",
    "category": 9,
    "short_description": "Rural e-learning hubs bring solar power, offline digital libraries and trained facilitators to villages in Senegal and Mali where schools have no connectivity. Each hub serves about four hundred pupils and their teachers, with content in Wolof, Bambara and French aligned with national curricula. Since 2021 the project has opened thirty hubs, trained two hundred teachers and reached twelve thousand learners, more than half of them girls. Community committees own and run the hubs, which also host adult literacy classes and health information sessions in the evenings. Costs per learner fell by forty percent after the second phase thanks to locally assembled equipment and shared maintenance. The ministries of education of both countries now include the hubs in their digital education plans, and a regional university evaluates learning outcomes every year. The next phase will connect hubs through community networks where possible, add mathematics and science content, and train young people from each village as technicians, so that the hubs keep working without outside support.",
    "impact": "Twelve thousand learners, more than half of them girls, in 30 villages.",
    "sdg_linkage": "SDG 4 (quality education) and SDG 5 through Action Line C7 e-learning.",
    "partnerships": "Ministries of education of Senegal and Mali; a regional university; community committees.",
    "challenges": "Power, connectivity and maintenance in remote villages.",
    "future_plans": "Community-network links between hubs, science content, local technicians."
})))]
pub struct PrizeNomination {
    /// The organisation's stocktaking submission nominated (its id).
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub project_id: String,
    /// Prize category 1–18.
    pub category: PrizeCategory,
    /// Short description shown to voters: 150–200 words.
    pub short_description: String,
    /// Impact, 1–5000 characters.
    pub impact: String,
    /// Linkage with action lines and SDGs, 1–5000 characters.
    pub sdg_linkage: String,
    /// Partnerships, 1–5000 characters.
    pub partnerships: String,
    /// Challenges, 1–5000 characters.
    pub challenges: String,
    /// Future plans, 1–5000 characters.
    pub future_plans: String,
}

#[derive(Debug, Serialize, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub(super) struct PrizeInput {
    #[validate(
        length(min = 1, code = "required", message = "field-project-nominated"),
        custom(function = "not_blank_id")
    )]
    project_id: String,
    #[validate(range(
        min = 1,
        max = 18,
        code = "unknown_category",
        message = "field-prize-category"
    ))]
    category: u8,
    #[validate(custom(function = "short_description"))]
    short_description: String,
    #[validate(custom(function = "super::text_5000"))]
    impact: String,
    #[validate(custom(function = "super::text_5000"))]
    sdg_linkage: String,
    #[validate(custom(function = "super::text_5000"))]
    partnerships: String,
    #[validate(custom(function = "super::text_5000"))]
    challenges: String,
    #[validate(custom(function = "super::text_5000"))]
    future_plans: String,
}

fn not_blank_id(value: &str) -> Result<(), validator::ValidationError> {
    if value.trim().is_empty() && !value.is_empty() {
        return Err(super::said_error(
            "required",
            &said!("field-project-nominated"),
        ));
    }
    Ok(())
}

fn short_description(value: &str) -> Result<(), validator::ValidationError> {
    let words = word_count(value);
    if SHORT_DESCRIPTION_WORDS.contains(&words) {
        return Ok(());
    }
    Err(super::said_error(
        "word_count",
        &said!("field-short-description-words", words = words),
    ))
}

pub(super) fn parse(
    input: Input<PrizeInput>,
    rules: &super::FormRules,
    found: &mut Found,
) -> Option<PrizeNomination> {
    let form = &input.value;
    let min = rules.prize_narrative_min_words;
    let narratives = [
        ("impact", &form.impact),
        ("sdg_linkage", &form.sdg_linkage),
        ("partnerships", &form.partnerships),
        ("challenges", &form.challenges),
        ("future_plans", &form.future_plans),
    ];
    for (field, text) in narratives {
        let words = word_count(text);
        // A blank answer is `validator`'s to report; a short one is the call's rule.
        if min > 0 && words > 0 && words < min as usize {
            found.error(
                format!("content.{field}"),
                "too_few_words",
                said!("field-too-few-words", min = min, words = words),
            );
        }
    }
    let Ok(category) = PrizeCategory::new(form.category) else {
        // `validator` reported it.
        return found.finish(input, None);
    };
    let nomination = PrizeNomination {
        project_id: form.project_id.clone(),
        category,
        short_description: form.short_description.clone(),
        impact: form.impact.clone(),
        sdg_linkage: form.sdg_linkage.clone(),
        partnerships: form.partnerships.clone(),
        challenges: form.challenges.clone(),
        future_plans: form.future_plans.clone(),
    };
    found.finish(input, Some(nomination))
}
