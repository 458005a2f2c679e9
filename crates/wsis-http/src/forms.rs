//! The four contribution forms, as the API takes them in `content`, and their rules. Every error is reported at
//! once with its JSON path (`content.session_proposals[0].speakers[2].country`); advisories such as speaker
//! balance come back as warnings and do not block.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use wsis_domain::submission::{Money, word_count};
use wsis_domain::{
    ActionLineCode, CountryCode, CurrencyCode, Email, Language, PrizeCategory, Sdg,
    StakeholderCategory, TrackKind,
};

use crate::problem::FieldError;

/// A speaker proposed for a session.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Speaker {
    /// Full name.
    pub name: String,
    /// Organisation.
    pub organisation: String,
    /// Stakeholder category code.
    pub stakeholder_category: String,
    /// ISO 3166-1 alpha-2 or `global`.
    pub country: String,
    /// `female`, `male`, `non_binary` or `undisclosed`.
    pub gender: String,
    /// Contact address (optional).
    #[serde(default)]
    pub email: Option<String>,
}

/// A session proposed for the High-Level Event.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionProposal {
    /// Title, 1–200 characters.
    pub title: String,
    /// `workshop`, `panel`, `high_level_dialogue`, `country_workshop` or `other`.
    pub format: String,
    /// Description, 1–5000 characters.
    pub description: String,
    /// Action lines (at least one).
    pub action_lines: Vec<String>,
    /// Proposed speakers.
    #[serde(default)]
    pub speakers: Vec<Speaker>,
    /// Languages of the session (at least one of the six).
    pub languages: Vec<String>,
}

/// Feedback on one action line.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionLineFeedback {
    /// The action line.
    pub action_line: String,
    /// The feedback, 1–5000 characters.
    pub feedback: String,
}

/// The OCP official submission form. Organisation type and country come from the organisation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
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
}))]
pub struct OcpContribution {
    /// "Innovative Ideas", 1–5000 characters.
    pub innovative_ideas: String,
    /// "Alignment with the SDGs", 1–5000 characters.
    pub sdg_alignment: String,
    /// SDGs the contribution addresses.
    #[serde(default)]
    pub sdgs: Vec<u8>,
    /// Feedback per action line (each line at most once).
    #[serde(default)]
    pub action_line_feedback: Vec<ActionLineFeedback>,
    /// Optional session proposals.
    #[serde(default)]
    pub session_proposals: Vec<SessionProposal>,
}

/// A contact person.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Name.
    pub name: String,
    /// E-mail address.
    pub email: String,
}

/// A WSIS Stocktaking project entry.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
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
}))]
pub struct StocktakingProject {
    /// Title, 1–300 characters.
    pub title: String,
    /// Description, 1–10000 characters.
    pub description: String,
    /// An http(s) URL.
    #[serde(default)]
    pub website: Option<String>,
    /// Action lines (at least one).
    pub action_lines: Vec<String>,
    /// SDGs (at least one).
    pub sdgs: Vec<u8>,
    /// Countries, or `["global"]`.
    pub countries: Vec<String>,
    /// `national`, `regional`, `international` or `global`.
    pub coverage_level: String,
    /// `planned`, `ongoing` or `completed`.
    pub status: String,
    /// Start date.
    pub start_date: NaiveDate,
    /// End date, not before the start.
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    /// Partners.
    #[serde(default)]
    pub partners: Vec<String>,
    /// Who benefits.
    #[serde(default)]
    pub beneficiaries: Option<String>,
    /// Contact (never shown publicly).
    pub contact: Contact,
}

/// A WSIS Prizes nomination (English only).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "project_id": "0193a0d0-1a2b-7c3d-8e4f-5a6b7c8d9e0f",
    "category": 9,
    "short_description": "Rural e-learning hubs bring solar power, offline digital libraries and trained facilitators to villages in Senegal and Mali where schools have no connectivity. Each hub serves about four hundred pupils and their teachers, with content in Wolof, Bambara and French aligned with national curricula. Since 2021 the project has opened thirty hubs, trained two hundred teachers and reached twelve thousand learners, more than half of them girls. Community committees own and run the hubs, which also host adult literacy classes and health information sessions in the evenings. Costs per learner fell by forty percent after the second phase thanks to locally assembled equipment and shared maintenance. The ministries of education of both countries now include the hubs in their digital education plans, and a regional university evaluates learning outcomes every year. The next phase will connect hubs through community networks where possible, add mathematics and science content, and train young people from each village as technicians, so that the hubs keep working without outside support.",
    "impact": "Twelve thousand learners, more than half of them girls, in 30 villages.",
    "sdg_linkage": "SDG 4 (quality education) and SDG 5 through Action Line C7 e-learning.",
    "partnerships": "Ministries of education of Senegal and Mali; a regional university; community committees.",
    "challenges": "Power, connectivity and maintenance in remote villages.",
    "future_plans": "Community-network links between hubs, science content, local technicians."
}))]
pub struct PrizeNomination {
    /// The organisation's stocktaking submission nominated.
    pub project_id: String,
    /// Prize category 1–18.
    pub category: u8,
    /// Short description shown to voters: 150–200 words.
    pub short_description: String,
    /// Impact, 1–5000 characters.
    pub impact: String,
    /// Linkage with action lines and SDGs.
    pub sdg_linkage: String,
    /// Partnerships.
    pub partnerships: String,
    /// Challenges.
    pub challenges: String,
    /// Future plans.
    pub future_plans: String,
}

/// A WSIS Trust Fund pledge.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "financial", "amount": "25000.00", "currency": "CHF", "earmark": "Fellowships for civil society participants"}))]
pub struct TrustFundPledge {
    /// `financial` or `in_kind`.
    pub kind: String,
    /// Decimal string, with the currency's precision (financial pledges).
    #[serde(default)]
    pub amount: Option<String>,
    /// ISO 4217 code (financial pledges).
    #[serde(default)]
    pub currency: Option<String>,
    /// What it is earmarked for.
    #[serde(default)]
    pub earmark: Option<String>,
    /// What is given (in-kind pledges).
    #[serde(default)]
    pub description: Option<String>,
}

/// Errors and warnings of a form.
#[derive(Debug, Default)]
pub struct Checked {
    /// Blocking problems.
    pub errors: Vec<FieldError>,
    /// Advisories.
    pub warnings: Vec<FieldError>,
}

impl Checked {
    fn error(&mut self, field: impl Into<String>, code: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, code, message));
    }

    fn text(&mut self, field: &str, value: &str, max: usize) {
        let n = value.trim().chars().count();
        if n == 0 || n > max {
            self.error(field, "invalid_length", format!("1 to {max} characters"));
        }
    }

    fn action_lines(&mut self, field: &str, values: &[String], required: bool) {
        if required && values.is_empty() {
            self.error(field, "required", "at least one action line");
        }
        let mut seen = HashSet::new();
        for (i, v) in values.iter().enumerate() {
            match v.parse::<ActionLineCode>() {
                Ok(code) if !seen.insert(code.clone()) => {
                    self.error(format!("{field}[{i}]"), "duplicate", "listed twice")
                }
                Ok(_) => {}
                Err(e) => self.error(
                    format!("{field}[{i}]"),
                    "unknown_action_line",
                    e.to_string(),
                ),
            }
        }
    }

    fn sdgs(&mut self, field: &str, values: &[u8], required: bool) {
        if required && values.is_empty() {
            self.error(field, "required", "at least one SDG");
        }
        for (i, v) in values.iter().enumerate() {
            if let Err(e) = Sdg::new(*v) {
                self.error(format!("{field}[{i}]"), "unknown_sdg", e.to_string());
            }
        }
    }

    fn url(&mut self, field: &str, value: Option<&str>) {
        if let Some(url) = value.map(str::trim).filter(|u| !u.is_empty()) {
            let ok = (url.starts_with("https://") || url.starts_with("http://"))
                && url.len() <= 2048
                && !url.contains(char::is_whitespace);
            if !ok {
                self.error(field, "invalid_url", "an http:// or https:// address");
            }
        }
    }

    fn one_of(&mut self, field: &str, value: &str, allowed: &[&str]) {
        if !allowed.contains(&value) {
            self.error(
                field,
                "invalid_value",
                format!("one of {}", allowed.join(", ")),
            );
        }
    }
}

/// Parses `content` as the form of `kind` and checks its rules. `Err` carries shape errors (unknown or mistyped
/// fields), which stop checking; `Ok` carries every rule broken and every warning.
pub fn check(
    kind: TrackKind,
    content: &serde_json::Value,
    language: Language,
) -> Result<Checked, Vec<FieldError>> {
    let mut checked = Checked::default();
    match kind {
        TrackKind::Ocp => check_ocp(&parse(content)?, &mut checked),
        TrackKind::Stocktaking => check_stocktaking(&parse(content)?, &mut checked),
        TrackKind::Prizes => {
            check_prize(&parse(content)?, &mut checked);
            if language != Language::En {
                checked.error(
                    "language",
                    "english_only",
                    "WSIS Prizes nominations are in English only",
                );
            }
        }
        TrackKind::TrustFund => check_pledge(&parse(content)?, &mut checked),
    }
    Ok(checked)
}

fn parse<T: serde::de::DeserializeOwned>(
    content: &serde_json::Value,
) -> Result<T, Vec<FieldError>> {
    let text = content.to_string();
    crate::json::parse::<T>(text.as_bytes()).map_err(|err| {
        err.errors
            .into_iter()
            .map(|e| FieldError {
                field: if e.field.is_empty() {
                    "content".into()
                } else {
                    format!("content.{}", e.field)
                },
                ..e
            })
            .collect()
    })
}

fn check_ocp(form: &OcpContribution, c: &mut Checked) {
    c.text("content.innovative_ideas", &form.innovative_ideas, 5000);
    c.text("content.sdg_alignment", &form.sdg_alignment, 5000);
    c.sdgs("content.sdgs", &form.sdgs, false);
    let mut lines = HashSet::new();
    for (i, f) in form.action_line_feedback.iter().enumerate() {
        let field = format!("content.action_line_feedback[{i}]");
        match f.action_line.parse::<ActionLineCode>() {
            Ok(code) if !lines.insert(code.clone()) => c.error(
                format!("{field}.action_line"),
                "duplicate",
                "feedback on this action line is given twice",
            ),
            Ok(_) => {}
            Err(e) => c.error(
                format!("{field}.action_line"),
                "unknown_action_line",
                e.to_string(),
            ),
        }
        c.text(&format!("{field}.feedback"), &f.feedback, 5000);
    }
    for (i, p) in form.session_proposals.iter().enumerate() {
        let field = format!("content.session_proposals[{i}]");
        c.text(&format!("{field}.title"), &p.title, 200);
        c.one_of(
            &format!("{field}.format"),
            &p.format,
            &[
                "workshop",
                "panel",
                "high_level_dialogue",
                "country_workshop",
                "other",
            ],
        );
        c.text(&format!("{field}.description"), &p.description, 5000);
        c.action_lines(&format!("{field}.action_lines"), &p.action_lines, true);
        if p.languages.is_empty() {
            c.error(
                format!("{field}.languages"),
                "required",
                "at least one language",
            );
        }
        for (j, l) in p.languages.iter().enumerate() {
            if l.parse::<Language>().is_err() {
                c.error(
                    format!("{field}.languages[{j}]"),
                    "unsupported_language",
                    "one of ar, zh, en, fr, ru, es",
                );
            }
        }
        let mut categories = HashSet::new();
        let mut genders = HashSet::new();
        for (j, s) in p.speakers.iter().enumerate() {
            let sf = format!("{field}.speakers[{j}]");
            c.text(&format!("{sf}.name"), &s.name, 200);
            c.text(&format!("{sf}.organisation"), &s.organisation, 300);
            match s.stakeholder_category.parse::<StakeholderCategory>() {
                Ok(cat) => {
                    categories.insert(cat);
                }
                Err(e) => c.error(
                    format!("{sf}.stakeholder_category"),
                    "unknown_category",
                    e.to_string(),
                ),
            }
            if let Err(e) = s.country.parse::<CountryCode>() {
                c.error(format!("{sf}.country"), "unknown_country", e.to_string());
            }
            c.one_of(
                &format!("{sf}.gender"),
                &s.gender,
                &["female", "male", "non_binary", "undisclosed"],
            );
            genders.insert(s.gender.as_str());
            if let Some(email) = &s.email
                && let Err(e) = email.parse::<Email>()
            {
                c.error(format!("{sf}.email"), "invalid_email", e.to_string());
            }
        }
        if p.speakers.len() >= 2 && categories.len() == 1 {
            c.warnings.push(FieldError::new(format!("{field}.speakers"), "stakeholder_balance", "every speaker comes from the same stakeholder group; the event favours multistakeholder panels"));
        }
        if p.speakers.len() >= 2 && genders.len() == 1 && !genders.contains("undisclosed") {
            c.warnings.push(FieldError::new(
                format!("{field}.speakers"),
                "gender_balance",
                "every speaker has the same gender",
            ));
        }
    }
}

fn check_stocktaking(form: &StocktakingProject, c: &mut Checked) {
    c.text("content.title", &form.title, 300);
    c.text("content.description", &form.description, 10_000);
    c.url("content.website", form.website.as_deref());
    c.action_lines("content.action_lines", &form.action_lines, true);
    c.sdgs("content.sdgs", &form.sdgs, true);
    if form.countries.is_empty() {
        c.error(
            "content.countries",
            "required",
            "at least one country, or global",
        );
    }
    let mut global = false;
    for (i, v) in form.countries.iter().enumerate() {
        match v.parse::<CountryCode>() {
            Ok(code) => global |= code.is_global(),
            Err(e) => c.error(
                format!("content.countries[{i}]"),
                "unknown_country",
                e.to_string(),
            ),
        }
    }
    if global && form.countries.len() > 1 {
        c.error(
            "content.countries",
            "global_alone",
            "global coverage is given alone, without countries",
        );
    }
    c.one_of(
        "content.coverage_level",
        &form.coverage_level,
        &["national", "regional", "international", "global"],
    );
    c.one_of(
        "content.status",
        &form.status,
        &["planned", "ongoing", "completed"],
    );
    if let Some(end) = form.end_date
        && end < form.start_date
    {
        c.error(
            "content.end_date",
            "before_start",
            "the end date is before the start date",
        );
    }
    for (i, p) in form.partners.iter().enumerate() {
        c.text(&format!("content.partners[{i}]"), p, 300);
    }
    c.text("content.contact.name", &form.contact.name, 200);
    if let Err(e) = form.contact.email.parse::<Email>() {
        c.error("content.contact.email", "invalid_email", e.to_string());
    }
}

fn check_prize(form: &PrizeNomination, c: &mut Checked) {
    if let Err(e) = PrizeCategory::new(form.category) {
        c.error("content.category", "unknown_category", e.to_string());
    }
    let words = word_count(&form.short_description);
    if !(150..=200).contains(&words) {
        c.error(
            "content.short_description",
            "word_count",
            format!("150 to 200 words; this has {words}"),
        );
    }
    for (field, value) in [
        ("impact", &form.impact),
        ("sdg_linkage", &form.sdg_linkage),
        ("partnerships", &form.partnerships),
        ("challenges", &form.challenges),
        ("future_plans", &form.future_plans),
    ] {
        c.text(&format!("content.{field}"), value, 5000);
    }
    if form.project_id.trim().is_empty() {
        c.error(
            "content.project_id",
            "required",
            "the stocktaking project nominated",
        );
    }
}

fn check_pledge(form: &TrustFundPledge, c: &mut Checked) {
    match form.kind.as_str() {
        "financial" => match (&form.amount, &form.currency) {
            (Some(amount), Some(currency)) => match currency.parse::<CurrencyCode>() {
                Ok(code) => {
                    if let Err(e) = Money::parse(amount, code) {
                        c.error("content.amount", "invalid_amount", e.to_string());
                    }
                }
                Err(e) => c.error("content.currency", "unknown_currency", e.to_string()),
            },
            (amount, currency) => {
                if amount.is_none() {
                    c.error(
                        "content.amount",
                        "required",
                        "a financial pledge has an amount",
                    );
                }
                if currency.is_none() {
                    c.error(
                        "content.currency",
                        "required",
                        "a financial pledge has a currency",
                    );
                }
            }
        },
        "in_kind" => match &form.description {
            Some(d) => c.text("content.description", d, 5000),
            None => c.error(
                "content.description",
                "required",
                "an in-kind pledge says what is given",
            ),
        },
        _ => c.error("content.kind", "invalid_value", "financial or in_kind"),
    }
    if let Some(earmark) = &form.earmark {
        c.text("content.earmark", earmark, 1000);
    }
}

/// What filters and full-text search see of a valid form: action lines, SDGs and countries as tags, and its main
/// text in lower case.
pub fn index(
    kind: TrackKind,
    content: &serde_json::Value,
) -> wsis_persistence::submissions::SearchIndex {
    let mut tags = Vec::new();
    let mut text = Vec::new();
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let lines = |values: Vec<String>, tags: &mut Vec<String>| {
        for v in values {
            if let Ok(code) = v.parse::<ActionLineCode>() {
                tags.push(format!("al:{code}"));
            }
        }
    };
    let sdgs = |v: &serde_json::Value, tags: &mut Vec<String>| {
        for n in v
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(serde_json::Value::as_u64)
        {
            tags.push(format!("sdg:{n}"));
        }
    };
    match kind {
        TrackKind::Stocktaking => {
            lines(strings(&content["action_lines"]), &mut tags);
            sdgs(&content["sdgs"], &mut tags);
            for c in strings(&content["countries"]) {
                if let Ok(code) = c.parse::<CountryCode>() {
                    tags.push(format!("country:{code}"));
                }
            }
            text.extend(
                [content["title"].as_str(), content["description"].as_str()]
                    .into_iter()
                    .flatten()
                    .map(str::to_owned),
            );
            for key in ["status", "coverage_level"] {
                if let Some(value) = content[key].as_str() {
                    tags.push(format!("{key}:{value}"));
                }
            }
        }
        TrackKind::Ocp => {
            sdgs(&content["sdgs"], &mut tags);
            for f in content["action_line_feedback"]
                .as_array()
                .into_iter()
                .flatten()
            {
                lines(
                    f["action_line"]
                        .as_str()
                        .map(str::to_owned)
                        .into_iter()
                        .collect(),
                    &mut tags,
                );
            }
            for p in content["session_proposals"]
                .as_array()
                .into_iter()
                .flatten()
            {
                lines(strings(&p["action_lines"]), &mut tags);
                text.extend(p["title"].as_str().map(str::to_owned));
            }
            text.extend(
                [
                    content["innovative_ideas"].as_str(),
                    content["sdg_alignment"].as_str(),
                ]
                .into_iter()
                .flatten()
                .map(str::to_owned),
            );
        }
        TrackKind::Prizes => {
            if let Some(category) = content["category"].as_u64() {
                tags.push(format!("prize:{category}"));
            }
            text.extend(content["short_description"].as_str().map(str::to_owned));
        }
        TrackKind::TrustFund => {
            text.extend(
                [content["earmark"].as_str(), content["description"].as_str()]
                    .into_iter()
                    .flatten()
                    .map(str::to_owned),
            );
        }
    }
    wsis_persistence::submissions::SearchIndex {
        tags,
        text: wsis_domain::search::document(&text.join("\n")),
        sort_title: content["title"]
            .as_str()
            .map(wsis_domain::search::sort_key)
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(kind: TrackKind, content: serde_json::Value) -> Vec<(String, String)> {
        match check(kind, &content, Language::En) {
            Ok(c) => c.errors.into_iter().map(|e| (e.field, e.code)).collect(),
            Err(e) => e.into_iter().map(|e| (e.field, e.code)).collect(),
        }
    }

    #[test]
    fn shape_errors_carry_the_content_path() {
        let got = fields(
            TrackKind::TrustFund,
            json!({"kind": "financial", "amount": 5}),
        );
        assert_eq!(
            got,
            [("content.amount".to_owned(), "invalid_type".to_owned())]
        );
        let got = fields(
            TrackKind::TrustFund,
            json!({"kind": "financial", "bonus": true}),
        );
        assert_eq!(
            got,
            [("content.bonus".to_owned(), "unknown_field".to_owned())]
        );
    }

    #[test]
    fn the_documented_prize_example_is_a_valid_nomination() {
        let schema = <PrizeNomination as utoipa::PartialSchema>::schema();
        let json = serde_json::to_value(schema).unwrap();
        let example = json["example"].clone();
        assert!(fields(TrackKind::Prizes, example).is_empty());
    }

    #[test]
    fn every_documented_form_example_passes_its_rules() {
        use utoipa::PartialSchema;
        for (kind, schema) in [
            (TrackKind::Ocp, OcpContribution::schema()),
            (TrackKind::Stocktaking, StocktakingProject::schema()),
            (TrackKind::TrustFund, TrustFundPledge::schema()),
        ] {
            let example = serde_json::to_value(schema).unwrap()["example"].clone();
            assert!(!example.is_null(), "{kind} has an example");
            assert!(fields(kind, example).is_empty(), "{kind}");
        }
    }

    #[test]
    fn pledges_check_money_against_the_currency() {
        assert!(
            fields(
                TrackKind::TrustFund,
                json!({"kind": "financial", "amount": "2500.00", "currency": "CHF"})
            )
            .is_empty()
        );
        assert_eq!(
            fields(
                TrackKind::TrustFund,
                json!({"kind": "financial", "amount": "100.5", "currency": "JPY"})
            )[0]
            .1,
            "invalid_amount"
        );
        assert_eq!(
            fields(TrackKind::TrustFund, json!({"kind": "in_kind"}))[0].0,
            "content.description"
        );
    }
}
