//! The Open Consultation Process's official submission form: ideas, SDG alignment, feedback per action line and
//! session proposals for the High-Level Event. A contribution may be any one of these parts or several: one that is
//! only session proposals, or only feedback on action lines, is complete.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use validator::Validate;

use super::{FormRules, Found, Input};
use crate::reference::{code_enum, exact_from_str};
use crate::said;
use crate::{ActionLineCode, CountryCode, Language, Sdg, StakeholderCategory};

code_enum!(
    /// A speaker's gender, as the speaker gives it (for the event's balance; `undisclosed` is always fine).
    Gender, "gender" {
        /// Female.
        Female => "female",
        /// Male.
        Male => "male",
        /// Non-binary.
        NonBinary => "non_binary",
        /// Not given.
        Undisclosed => "undisclosed",
    }
);

exact_from_str!(Gender);

/// A speaker proposed for a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Speaker {
    /// Full name, 1–200 characters.
    pub name: String,
    /// Organisation, 1–300 characters.
    pub organisation: String,
    /// Stakeholder category.
    pub stakeholder_category: StakeholderCategory,
    /// ISO 3166-1 alpha-2, or `global`.
    pub country: CountryCode,
    /// Gender.
    pub gender: Gender,
    /// Contact address (optional).
    #[serde(default)]
    pub email: Option<String>,
}

/// A session proposed for the High-Level Event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SessionProposal {
    /// Title, 1–200 characters.
    pub title: String,
    /// One of the session formats the call offers (`GET /calls/{slug}`: `session_formats`).
    pub format: String,
    /// Description, 1–5000 characters.
    pub description: String,
    /// Action lines (at least one, each once).
    pub action_lines: Vec<ActionLineCode>,
    /// Proposed speakers.
    #[serde(default)]
    pub speakers: Vec<Speaker>,
    /// Languages of the session (at least one of the six).
    pub languages: Vec<Language>,
}

/// Feedback on one action line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ActionLineFeedback {
    /// The action line.
    pub action_line: ActionLineCode,
    /// The feedback, 1–5000 characters.
    pub feedback: String,
}

/// The OCP official submission form: at least one of its four parts. Organisation type and country come from the
/// organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "innovative_ideas": "Community networks run by women's cooperatives to connect the last mile.",
    "sdg_alignment": "Advances SDG 5 and SDG 9 through local ownership of infrastructure.",
    "sdgs": [5, 9],
    "action_line_feedback": [{"action_line": "C2", "feedback": "Spectrum for community networks needs clearer rules."}],
    "session_proposals": [{
        "title": "Last-mile connectivity led by communities",
        "format": "workshop",
        "description": "Practitioners from three regions compare models.",
        "action_lines": ["C2", "C4"],
        "speakers": [
            {"name": "Amina Diallo", "organisation": "Digital Rights Collective", "stakeholder_category": "civil_society", "country": "SN", "gender": "female"},
            {"name": "Kenji Sato", "organisation": "Ministry of Internal Affairs", "stakeholder_category": "government", "country": "JP", "gender": "male"}
        ],
        "languages": ["en", "fr"]
    }]
})))]
pub struct OcpContribution {
    /// "Innovative Ideas", 1–5000 characters.
    #[serde(default)]
    pub innovative_ideas: Option<String>,
    /// "Alignment with the SDGs", 1–5000 characters.
    #[serde(default)]
    pub sdg_alignment: Option<String>,
    /// SDGs the contribution addresses.
    #[serde(default)]
    pub sdgs: Vec<Sdg>,
    /// Feedback per action line (each line at most once).
    #[serde(default)]
    pub action_line_feedback: Vec<ActionLineFeedback>,
    /// Session proposals.
    #[serde(default)]
    pub session_proposals: Vec<SessionProposal>,
}

#[derive(Debug, Serialize, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub(super) struct SpeakerInput {
    #[validate(custom(function = "super::text_200"))]
    name: String,
    #[validate(custom(function = "super::text_300"))]
    organisation: String,
    stakeholder_category: String,
    country: String,
    gender: String,
    #[serde(default)]
    #[validate(custom(function = "super::email"))]
    email: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub(super) struct SessionProposalInput {
    #[validate(custom(function = "super::text_200"))]
    title: String,
    format: String,
    #[validate(custom(function = "super::text_5000"))]
    description: String,
    #[validate(length(min = 1, code = "required", message = "field-at-least-one-action-line"))]
    action_lines: Vec<String>,
    #[serde(default)]
    #[validate(nested)]
    speakers: Vec<SpeakerInput>,
    #[validate(length(min = 1, code = "required", message = "field-at-least-one-language"))]
    languages: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub(super) struct ActionLineFeedbackInput {
    action_line: String,
    #[validate(custom(function = "super::text_5000"))]
    feedback: String,
}

#[derive(Debug, Serialize, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub(super) struct OcpInput {
    #[serde(default)]
    #[validate(custom(function = "super::text_5000"))]
    innovative_ideas: Option<String>,
    #[serde(default)]
    #[validate(custom(function = "super::text_5000"))]
    sdg_alignment: Option<String>,
    #[serde(default)]
    sdgs: Vec<u8>,
    #[serde(default)]
    #[validate(nested)]
    action_line_feedback: Vec<ActionLineFeedbackInput>,
    #[serde(default)]
    #[validate(nested)]
    session_proposals: Vec<SessionProposalInput>,
}

pub(super) fn parse(
    input: Input<OcpInput>,
    rules: &FormRules,
    found: &mut Found,
) -> Option<OcpContribution> {
    let form = &input.value;
    if form.innovative_ideas.is_none()
        && form.sdg_alignment.is_none()
        && form.action_line_feedback.is_empty()
        && form.session_proposals.is_empty()
    {
        found.error("content", "required", said!("field-ocp-at-least-one-part"));
    }
    let sdgs = found.sdgs("content.sdgs", &form.sdgs);
    let mut lines = HashSet::new();
    let mut feedback = Vec::new();
    for (i, f) in form.action_line_feedback.iter().enumerate() {
        let field = format!("content.action_line_feedback[{i}].action_line");
        match f.action_line.parse::<ActionLineCode>() {
            Ok(code) if !lines.insert(code.clone()) => {
                found.error(field, "duplicate", said!("field-feedback-twice"))
            }
            Ok(code) => feedback.push(ActionLineFeedback {
                action_line: code,
                feedback: f.feedback.clone(),
            }),
            Err(e) => found.error(field, "unknown_action_line", e.said()),
        }
    }
    let proposals = form
        .session_proposals
        .iter()
        .enumerate()
        .map(|(i, p)| proposal(p, &format!("content.session_proposals[{i}]"), rules, found))
        .collect();
    let contribution = OcpContribution {
        innovative_ideas: form.innovative_ideas.clone(),
        sdg_alignment: form.sdg_alignment.clone(),
        sdgs,
        action_line_feedback: feedback,
        session_proposals: proposals,
    };
    found.finish(input, Some(contribution))
}

fn proposal(
    p: &SessionProposalInput,
    field: &str,
    rules: &FormRules,
    found: &mut Found,
) -> SessionProposal {
    if !rules.session_formats.contains(&p.format) {
        found.error(
            format!("{field}.format"),
            "invalid_value",
            said!("expected-one-of", codes = rules.session_formats.join(", ")),
        );
    }
    let action_lines = found.codes(
        &format!("{field}.action_lines"),
        &p.action_lines,
        "unknown_action_line",
        true,
        |l| l.parse::<ActionLineCode>().map_err(|e| e.said()),
    );
    let languages = found.codes(
        &format!("{field}.languages"),
        &p.languages,
        "unsupported_language",
        false,
        |l| {
            l.parse::<Language>()
                .map_err(|_| said!("expected-one-of", codes = "ar, zh, en, fr, ru, es"))
        },
    );
    let mut speakers = Vec::new();
    for (j, s) in p.speakers.iter().enumerate() {
        let sf = format!("{field}.speakers[{j}]");
        let category = s
            .stakeholder_category
            .parse::<StakeholderCategory>()
            .map_err(|e| {
                found.error(
                    format!("{sf}.stakeholder_category"),
                    "unknown_category",
                    e.said(),
                )
            });
        let country = s
            .country
            .parse::<CountryCode>()
            .map_err(|e| found.error(format!("{sf}.country"), "unknown_country", e.said()));
        let gender = s.gender.parse::<Gender>().map_err(|_| {
            found.error(
                format!("{sf}.gender"),
                "invalid_value",
                said!(
                    "expected-one-of",
                    codes = "female, male, non_binary, undisclosed"
                ),
            );
        });
        if let (Ok(stakeholder_category), Ok(country), Ok(gender)) = (category, country, gender) {
            speakers.push(Speaker {
                name: s.name.clone(),
                organisation: s.organisation.clone(),
                stakeholder_category,
                country,
                gender,
                email: s.email.clone(),
            });
        }
    }
    balance(&speakers, p.speakers.len(), field, found);
    SessionProposal {
        title: p.title.clone(),
        format: p.format.clone(),
        description: p.description.clone(),
        action_lines,
        speakers,
        languages,
    }
}

/// The event favours multistakeholder, gender-balanced panels: advice, not a rule.
fn balance(speakers: &[Speaker], given: usize, field: &str, found: &mut Found) {
    if given < 2 || speakers.len() != given {
        return;
    }
    let categories: HashSet<_> = speakers.iter().map(|s| s.stakeholder_category).collect();
    if categories.len() == 1 {
        found.warn(
            format!("{field}.speakers"),
            "stakeholder_balance",
            said!("field-stakeholder-balance"),
        );
    }
    let genders: HashSet<_> = speakers.iter().map(|s| s.gender).collect();
    if genders.len() == 1 && !genders.contains(&Gender::Undisclosed) {
        found.warn(
            format!("{field}.speakers"),
            "gender_balance",
            said!("field-gender-balance"),
        );
    }
}
