//! The OpenAPI document: served, committed, complete; the reference UI works offline.

use serde_json::Value;
use wsis_e2e::{e2e_test, header, problem};

fn committed() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");
    let text = std::fs::read_to_string(path).expect("openapi/openapi.json is committed");
    serde_json::from_str(&text).expect("it is JSON")
}

#[test]
fn the_committed_openapi_file_is_what_the_code_generates() {
    let generated = wsis_http::openapi::document_json().unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        generated == on_disk,
        "openapi/openapi.json is stale: run `cargo run -p wsis -- openapi` and commit the result"
    );
}

#[test]
fn every_operation_is_documented() {
    let doc = committed();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 14, "{}", paths.len());
    let mut operation_ids = Vec::new();
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            if method == "parameters" {
                continue;
            }
            let id = op["operationId"].as_str().unwrap_or_default();
            assert!(!id.is_empty(), "{method} {path} has no operationId");
            operation_ids.push(id.to_owned());
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{method} {path} has no summary"
            );
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{method} {path} has no tag"
            );
            let responses = op["responses"].as_object().unwrap();
            assert!(
                responses.keys().any(|s| s.starts_with('2')),
                "{method} {path} has no success response"
            );
            for (status, response) in responses {
                assert!(
                    response["description"]
                        .as_str()
                        .is_some_and(|d| !d.is_empty()),
                    "{method} {path} {status}"
                );
                if status.starts_with('4') || status.starts_with('5') {
                    let content = &response["content"]["application/problem+json"];
                    assert!(
                        content.is_object(),
                        "{method} {path} {status} is not a problem"
                    );
                }
            }
        }
    }
    let unique: std::collections::BTreeSet<&String> = operation_ids.iter().collect();
    assert_eq!(
        unique.len(),
        operation_ids.len(),
        "operation ids are unique"
    );
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in [
        "Problem",
        "FieldError",
        "Call",
        "Track",
        "Deadline",
        "CallInput",
    ] {
        assert!(schemas.contains_key(name), "{name}");
        assert!(
            schemas[name].to_string().contains("example") || name != "Problem",
            "{name} has an example"
        );
    }
}

e2e_test! {
    fn the_server_serves_its_document_and_an_offline_reference_ui(app) {
        let served = app.get("/api/v1/openapi.json");
        assert!(!header(&served, "etag").is_empty());
        let served: Value = served.json().unwrap();
        assert_eq!(served, committed());
        let redirect = app.get("/docs");
        assert_eq!(redirect.status().as_u16(), 308);
        assert_eq!(header(&redirect, "location"), "/docs/");
        let page = app.get("/docs/");
        assert_eq!(page.status().as_u16(), 200);
        let html = page.text().unwrap();
        assert!(html.contains("swagger-ui"), "{html}");
        assert!(!html.contains("http://") && !html.contains("https://"), "no CDN: {html}");
        let init = app.get("/docs/swagger-initializer.js").text().unwrap();
        assert!(init.contains("/api/v1/openapi.json"), "{init}");
        for asset in ["swagger-ui-bundle.js", "swagger-ui.css"] {
            assert_eq!(app.get(&format!("/docs/{asset}")).status().as_u16(), 200, "{asset}");
        }
        problem(app.get("/docs/missing.js"), 404, "not_found");
    }
}

e2e_test! {
    fn problem_types_are_described_where_their_type_points(app) {
        let body = problem(app.get("/api/v1/calls/none"), 404, "not_found");
        let described = app.get_json(body["type"].as_str().unwrap());
        assert_eq!(described["code"], "not_found");
        assert_eq!(described["status"], 404);
        problem(app.get("/problems/no_such_problem"), 404, "not_found");
    }
}

/// Every `$ref` in a JSON document.
fn refs(value: &Value, out: &mut std::collections::BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                if key == "$ref"
                    && let Some(target) = item.as_str()
                {
                    out.insert(
                        target
                            .trim_start_matches("#/components/schemas/")
                            .to_owned(),
                    );
                }
                refs(item, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| refs(item, out)),
        _ => {}
    }
}

#[test]
fn the_contract_is_typed_and_has_no_unused_component() {
    let document = committed();
    let components = document["components"]["schemas"].as_object().unwrap();
    // What the paths reach, and what those reach in turn.
    let mut reached = std::collections::BTreeSet::new();
    refs(&document["paths"], &mut reached);
    loop {
        let mut next = reached.clone();
        for name in &reached {
            refs(&components[name.as_str()], &mut next);
        }
        if next == reached {
            break;
        }
        reached = next;
    }
    let unused: Vec<&String> = components
        .keys()
        .filter(|name| !reached.contains(*name))
        .collect();
    assert!(
        unused.is_empty(),
        "components no operation uses: {unused:?}"
    );

    let forms: Vec<&str> = [
        "OcpContribution",
        "StocktakingProject",
        "PrizeNomination",
        "TrustFundPledge",
    ]
    .to_vec();
    for (schema, property) in [
        ("Submission", "content"),
        ("NewSubmissionRequest", "content"),
        ("SubmissionPatch", "content"),
        ("Revision", "content"),
    ] {
        let content = &components[schema]["properties"][property];
        let one_of: Vec<&str> = content["oneOf"]
            .as_array()
            .expect("a oneOf")
            .iter()
            .map(|r| {
                r["$ref"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("#/components/schemas/")
            })
            .collect();
        assert_eq!(one_of, forms, "{schema}.{property}");
    }
    let enum_of = |schema: &Value| -> Vec<String> {
        let resolved = match schema["$ref"].as_str() {
            Some(target) => &components[target.trim_start_matches("#/components/schemas/")],
            None => schema,
        };
        resolved["enum"]
            .as_array()
            .map(|v| v.iter().map(|x| x.as_str().unwrap().to_owned()).collect())
            .unwrap_or_default()
    };
    let submission = &components["Submission"]["properties"];
    assert_eq!(
        enum_of(&submission["track"]),
        ["ocp", "stocktaking", "prizes", "trust_fund"]
    );
    assert!(enum_of(&submission["status"]).contains(&"under_review".to_owned()));
    assert_eq!(enum_of(&submission["language"]).len(), 6);
    assert!(
        enum_of(&components["Problem"]["properties"]["code"])
            .contains(&"deadline_passed".to_owned())
    );
    let project = &components["StocktakingProject"]["properties"];
    assert_eq!(
        enum_of(&project["coverage_level"]),
        ["national", "regional", "international", "global"]
    );
    assert_eq!(
        enum_of(&components["TrustFundPledge"]["properties"]["kind"]),
        ["financial", "in_kind"]
    );
    let deadline = &components["Problem"]["properties"]["deadline"];
    assert_eq!(
        deadline["properties"]["effective_closes_at"]["format"], "date-time",
        "{deadline}"
    );
}
