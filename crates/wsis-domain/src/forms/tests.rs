use serde_json::json;

use super::*;

fn fields(kind: TrackKind, content: serde_json::Value) -> Vec<(String, String)> {
    match parse(kind, &content, Language::En, &rules_2025()) {
        Ok(_) => Vec::new(),
        Err(e) => e.into_iter().map(|e| (e.field, e.code)).collect(),
    }
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(f, c)| ((*f).to_owned(), (*c).to_owned()))
        .collect()
}

fn project() -> serde_json::Value {
    json!({
        "title": "Hubs", "description": "Learning hubs.", "action_lines": ["C4"], "sdgs": [4],
        "countries": ["SN"], "coverage_level": "national", "status": "ongoing", "start_date": "2022-01-01",
        "contact": {"name": "A", "email": "a@example.org"}
    })
}

#[test]
fn shape_errors_carry_the_content_path() {
    assert_eq!(
        fields(
            TrackKind::TrustFund,
            json!({"kind": "financial", "amount": 5})
        ),
        pairs(&[("content.amount", "invalid_type")])
    );
    assert_eq!(
        fields(
            TrackKind::TrustFund,
            json!({"kind": "financial", "bonus": true})
        ),
        pairs(&[("content.bonus", "unknown_field")])
    );
}

#[test]
fn every_violation_comes_at_once_in_field_order() {
    let mut bad = project();
    bad["title"] = json!(" ");
    bad["end_date"] = json!("2020-01-01");
    bad["countries"] = json!(["global", "FR"]);
    bad["sdgs"] = json!([18, 4, 0]);
    bad["action_lines"] = json!(["C4", "c4", "C99"]);
    bad["contact"]["email"] = json!("nobody");
    bad["coverage_level"] = json!("planetary");
    assert_eq!(
        fields(TrackKind::Stocktaking, bad),
        pairs(&[
            ("content.title", "invalid_length"),
            ("content.action_lines[1]", "duplicate"),
            ("content.action_lines[2]", "unknown_action_line"),
            ("content.sdgs[0]", "unknown_sdg"),
            ("content.sdgs[2]", "unknown_sdg"),
            ("content.countries", "global_alone"),
            ("content.coverage_level", "invalid_value"),
            ("content.end_date", "before_start"),
            ("content.contact.email", "invalid_email"),
        ])
    );
}

#[test]
fn a_parsed_project_holds_domain_types_and_indexes_them() {
    let parsed = parse(
        TrackKind::Stocktaking,
        &project(),
        Language::Fr,
        &rules_2025(),
    )
    .expect("valid");
    let Content::Stocktaking(p) = &parsed.content else {
        unreachable!("a stocktaking form")
    };
    assert_eq!(p.coverage_level, CoverageLevel::National);
    assert_eq!(p.countries[0].as_str(), "SN");
    let index = parsed.content.index();
    assert_eq!(
        index.tags,
        [
            "al:C4",
            "sdg:4",
            "country:SN",
            "status:ongoing",
            "coverage_level:national"
        ]
    );
    assert!(index.text.contains("hubs"));
}

#[test]
fn an_ocp_contribution_needs_one_part_only() {
    let only_feedback =
        json!({"action_line_feedback": [{"action_line": "C2", "feedback": "Spectrum."}]});
    assert!(fields(TrackKind::Ocp, only_feedback).is_empty());
    let only_sessions = json!({"session_proposals": [{
        "title": "Panel", "format": "workshop", "description": "A panel.", "action_lines": ["C2"], "languages": ["en"]
    }]});
    assert!(fields(TrackKind::Ocp, only_sessions).is_empty());
    assert_eq!(
        fields(TrackKind::Ocp, json!({})),
        pairs(&[("content", "required")])
    );
}

/// The session formats of the 2025 call.
fn rules_2025() -> FormRules {
    crate::CallDefinition::wsis_2025().unwrap().form_rules()
}

#[test]
fn session_formats_are_the_calls() {
    let proposal = |format: &str| {
        json!({"session_proposals": [{
            "title": "Café", "format": format, "description": "Talk.", "action_lines": ["C2"], "languages": ["en"]
        }]})
    };
    assert!(
        parse(
            TrackKind::Ocp,
            &proposal("knowledge_cafe"),
            Language::En,
            &rules_2025()
        )
        .is_ok()
    );
    assert_eq!(
        fields(TrackKind::Ocp, proposal("panel")),
        pairs(&[("content.session_proposals[0].format", "invalid_value")]),
        "2025 offered no panels"
    );
    let rules = FormRules {
        session_formats: vec!["panel".into()],
        prize_narrative_min_words: 0,
    };
    assert!(parse(TrackKind::Ocp, &proposal("panel"), Language::En, &rules).is_ok());
}

#[test]
fn nominations_are_in_english_and_count_words() {
    let nomination = json!({
        "project_id": "p", "category": 19, "short_description": "too short", "impact": "i",
        "sdg_linkage": "s", "partnerships": "p", "challenges": "c", "future_plans": "f"
    });
    let found: Vec<(String, String)> =
        match parse(TrackKind::Prizes, &nomination, Language::Fr, &rules_2025()) {
            Ok(_) => Vec::new(),
            Err(e) => e.into_iter().map(|e| (e.field, e.code)).collect(),
        };
    assert_eq!(
        found,
        pairs(&[
            ("content.category", "unknown_category"),
            ("content.short_description", "word_count"),
            ("language", "english_only"),
        ])
    );
}

#[test]
fn a_call_sets_the_fewest_words_of_each_narrative_answer() {
    let words = |n: usize| vec!["word"; n].join(" ");
    let nomination = json!({
        "project_id": "p", "category": 3, "short_description": words(170), "impact": words(49),
        "sdg_linkage": words(50), "partnerships": words(80), "challenges": words(3), "future_plans": words(50)
    });
    assert!(
        parse(TrackKind::Prizes, &nomination, Language::En, &rules_2025()).is_ok(),
        "2025 set no minimum"
    );
    let rules = FormRules {
        prize_narrative_min_words: 50,
        ..rules_2025()
    };
    let found = match parse(TrackKind::Prizes, &nomination, Language::En, &rules) {
        Ok(_) => panic!("two answers are too short"),
        Err(found) => found,
    };
    let said: Vec<(&str, &str, String)> = found
        .iter()
        .map(|v| (v.field.as_str(), v.code.as_str(), v.message.english()))
        .collect();
    assert_eq!(
        said,
        [
            (
                "content.impact",
                "too_few_words",
                "at least 50 words, as the call's form says; this has 49".to_owned()
            ),
            (
                "content.challenges",
                "too_few_words",
                "at least 50 words, as the call's form says; this has 3".to_owned()
            ),
        ]
    );
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
            json!({"kind": "financial", "amount": "100.5", "currency": "JPY", "earmark": ""})
        ),
        pairs(&[
            ("content.amount", "invalid_amount"),
            ("content.earmark", "invalid_length")
        ])
    );
    assert_eq!(
        fields(TrackKind::TrustFund, json!({"kind": "in_kind"})),
        pairs(&[("content.description", "required")])
    );
}

#[test]
fn stored_documents_read_back_into_their_form() {
    let content = Content::read(TrackKind::Stocktaking, &project()).expect("reads");
    assert_eq!(content.kind(), TrackKind::Stocktaking);
    assert!(Content::read(TrackKind::TrustFund, &project()).is_none());
}

#[test]
fn standard_messages_carry_what_they_name() {
    let violations = |content: &serde_json::Value| match parse(
        TrackKind::Stocktaking,
        content,
        Language::En,
        &rules_2025(),
    ) {
        Ok(_) => panic!("the project is invalid"),
        Err(found) => found,
    };
    let said = |found: &[Violation], field: &str| {
        found
            .iter()
            .find(|v| v.field == field)
            .map(|v| v.message.clone())
            .unwrap_or_else(|| panic!("nothing at {field}: {found:?}"))
    };
    let mut content = project();
    content["title"] = json!("t".repeat(301));
    content["contact"]["email"] = json!("nobody");
    content["website"] = json!("ftp://example.org");
    let found = violations(&content);
    assert_eq!(
        said(&found, "content.title"),
        crate::said!("field-invalid_length", min = 1, max = 300)
    );
    let email = said(&found, "content.contact.email");
    assert_eq!(email.id, "field-not-valid");
    assert_eq!(
        email.english(),
        "e-mail address `nobody` is not valid: expected an address such as name@example.org"
    );
    assert_eq!(
        email.in_language(Language::Fr),
        "adresse électronique : `nobody` n’est pas une valeur valide ; attendu : une adresse telle que name@example.org"
    );
    assert_eq!(
        said(&found, "content.website"),
        crate::said!("field-invalid_url")
    );
    // A missing field names itself.
    let mut content = project();
    content.as_object_mut().map(|o| o.remove("description"));
    let found = violations(&content);
    assert_eq!(
        said(&found, "content.description"),
        crate::said!("field-required", name = "description")
    );
    // A rule's message named by its `validator` attribute.
    let mut content = project();
    content["sdgs"] = json!([]);
    let found = violations(&content);
    let sdgs = said(&found, "content.sdgs");
    assert_eq!(sdgs.id, "field-at-least-one-sdg");
    assert_eq!(sdgs.english(), "at least one SDG");
}
