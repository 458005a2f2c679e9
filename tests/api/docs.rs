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
                // The authorization page's form succeeds by sending the person back to the client (303).
                responses.keys().any(
                    |s| s.starts_with('2') || (path == "/api/v1/oauth/authorize" && s == "303")
                ),
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
                    // The OAuth authorization page talks to people in a browser: its errors are pages.
                    let page = path == "/api/v1/oauth/authorize"
                        && response["content"]["text/html"].is_object();
                    assert!(
                        content.is_object() || page,
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
                    out.insert(target.trim_start_matches("#/components/").to_owned());
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
    // What the paths reach (`schemas/Submission`, `headers/ETag`, `parameters/Accept-Language`), and what those
    // reach in turn.
    let component = |reference: &str| {
        let (kind, name) = reference.split_once('/').unwrap_or_default();
        document["components"][kind].get(name).cloned()
    };
    let mut reached = std::collections::BTreeSet::new();
    refs(&document["paths"], &mut reached);
    loop {
        let mut next = reached.clone();
        for reference in &reached {
            let target = component(reference)
                .unwrap_or_else(|| panic!("`{reference}` is referred to but not a component"));
            refs(&target, &mut next);
        }
        if next == reached {
            break;
        }
        reached = next;
    }
    let mut unused = Vec::new();
    for (kind, components) in document["components"].as_object().unwrap() {
        if kind == "securitySchemes" {
            continue;
        }
        for name in components.as_object().unwrap().keys() {
            if !reached.contains(&format!("{kind}/{name}")) {
                unused.push(format!("{kind}/{name}"));
            }
        }
    }
    assert!(
        unused.is_empty(),
        "components no operation uses: {unused:?}"
    );
    let components = document["components"]["schemas"].as_object().unwrap();

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
    // Staff vocabularies, in requests and in the submission.
    let reached_enum = |schema: &Value| -> Vec<String> {
        let mut found = enum_of(schema);
        for choice in schema["oneOf"].as_array().into_iter().flatten() {
            found.extend(enum_of(choice));
        }
        found
    };
    let property = |schema: &str, name: &str| components[schema]["properties"][name].clone();
    assert_eq!(
        enum_of(&property("DecisionRequest", "decision")),
        ["start_review", "accept", "reject", "reopen"]
    );
    assert_eq!(
        enum_of(&property("BatchItem", "decision")),
        ["start_review", "accept", "reject", "reopen"]
    );
    assert_eq!(
        reached_enum(&property("Submission", "pledge_status")),
        ["pledged", "confirmed", "received"]
    );
    assert_eq!(
        reached_enum(&property("Submission", "prize_award")),
        ["champion", "winner"]
    );
    assert_eq!(
        enum_of(&property("PrizeAwardRequest", "award")),
        ["champion", "winner"]
    );
    assert_eq!(
        enum_of(&property("Member", "role")),
        ["owner", "editor", "viewer"]
    );
    assert!(
        enum_of(&property("ApiClient", "scopes")["items"]).contains(&"submissions:read".to_owned())
    );
    assert!(enum_of(&property("Me", "roles")["items"]).contains(&"staff".to_owned()));
    let parameter = |path: &str, name: &str| -> Value {
        document["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap()["schema"]
            .clone()
    };
    assert_eq!(
        enum_of(&parameter("/api/v1/stocktaking/projects", "sort")),
        ["relevance", "newest", "title"]
    );
    for path in [
        "/api/v1/stocktaking/projects/export",
        "/api/v1/submissions/export",
    ] {
        assert_eq!(
            enum_of(&parameter(path, "format")),
            ["csv", "json", "jsonl"],
            "{path}"
        );
    }
    // Repeated filters (OR) are arrays of their vocabulary; page sizes are bounded as the server bounds them.
    for (path, name) in [
        ("/api/v1/submissions", "status"),
        ("/api/v1/submissions", "track"),
        ("/api/v1/stocktaking/projects", "region"),
    ] {
        let schema = parameter(path, name);
        assert_eq!(schema["type"], "array", "{path} {name}");
        assert!(!enum_of(&schema["items"]).is_empty(), "{path} {name}");
    }
    // Every array parameter says how it is sent: the name repeated (`style: form`, `explode: true`).
    for (path, item) in document["paths"].as_object().unwrap() {
        for parameter in item["get"]["parameters"].as_array().into_iter().flatten() {
            if parameter["schema"]["type"] == "array" {
                assert_eq!(
                    (&parameter["style"], &parameter["explode"]),
                    (&Value::from("form"), &Value::from(true)),
                    "{path} {}",
                    parameter["name"]
                );
            }
        }
    }
    assert!(
        enum_of(&parameter("/api/v1/submissions", "status")["items"])
            .contains(&"accepted".to_owned())
    );
    for path in ["/api/v1/submissions", "/api/v1/stocktaking/projects"] {
        let limit = parameter(path, "limit");
        assert_eq!(
            (limit["minimum"].as_i64(), limit["maximum"].as_i64()),
            (Some(1), Some(200)),
            "{path}"
        );
    }
}

/// The formats a property or parameter of this name must carry: ids are UUIDs, times RFC 3339 date-times.
fn format_for(name: &str) -> Option<&'static str> {
    let id = name == "id"
        || name == "granted_by"
        || (name.ends_with("_id") && name != "client_id" && name != "request_id");
    let time = name.ends_with("_at")
        || name.ends_with("_at_local")
        || ["since", "until", "server_time", "updated_since"].contains(&name);
    if id {
        Some("uuid")
    } else if time {
        Some("date-time")
    } else {
        None
    }
}

/// Every `format` a schema states, through `oneOf`/`anyOf`.
fn formats(schema: &Value, found: &mut Vec<String>) {
    if let Some(format) = schema["format"].as_str() {
        found.push(format.to_owned());
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        for choice in schema[key].as_array().into_iter().flatten() {
            formats(choice, found);
        }
    }
}

fn check_properties(node: &Value, at: &str, missing: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            if let Some(properties) = map.get("properties").and_then(Value::as_object) {
                for (name, schema) in properties {
                    // A change's object is a submission (a UUID), a call (its slug) or a track (`{slug}/{kind}`).
                    if at == "components/schemas/ObjectRef" && name == "id" {
                        continue;
                    }
                    if let Some(wanted) = format_for(name) {
                        let mut found = Vec::new();
                        formats(schema, &mut found);
                        if !found.iter().any(|f| f == wanted) {
                            missing.push(format!("{at}.{name}: {wanted}"));
                        }
                    }
                }
            }
            for (key, value) in map {
                check_properties(value, &format!("{at}/{key}"), missing);
            }
        }
        Value::Array(items) => {
            for item in items {
                check_properties(item, at, missing);
            }
        }
        _ => {}
    }
}

#[test]
fn ids_and_times_carry_their_formats() {
    let document = committed();
    let mut missing = Vec::new();
    check_properties(&document["components"], "components", &mut missing);
    for (path, operations) in document["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                // Shared header parameters (`Accept-Language`, …) are references; none is an id or a time.
                let Some(name) = parameter["name"].as_str() else {
                    continue;
                };
                let wanted = match name {
                    "user" | "organisation" => Some("uuid"),
                    other => format_for(other),
                };
                let Some(wanted) = wanted else { continue };
                let mut found = Vec::new();
                formats(&parameter["schema"], &mut found);
                formats(&parameter["schema"]["items"], &mut found);
                if !found.iter().any(|f| f == wanted) {
                    missing.push(format!("{method} {path} {name}: {wanted}"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "without their format: {missing:#?}");
}

#[test]
fn the_contract_changelog_has_an_entry_for_the_current_version() {
    let version = committed()["info"]["version"].as_str().unwrap().to_owned();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/CHANGELOG-api.md");
    let changelog = std::fs::read_to_string(path).expect("docs/CHANGELOG-api.md is committed");
    let headings: Vec<&str> = changelog
        .lines()
        .filter_map(|line| line.strip_prefix("## "))
        .collect();
    assert!(
        headings
            .iter()
            .any(|h| h.split_whitespace().next() == Some(version.as_str())),
        "docs/CHANGELOG-api.md has no `## {version} (date)` entry: a contract change raises info.version and says what changed"
    );
    assert_eq!(
        headings.first().and_then(|h| h.split_whitespace().next()),
        Some(version.as_str()),
        "the newest entry comes first and is the current version"
    );
}

#[test]
fn every_operation_states_its_security_requirement() {
    let doc = committed();
    let mut public = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let security = operation["security"]
                .as_array()
                .unwrap_or_else(|| panic!("{method} {path} states no `security`"));
            if security.is_empty() {
                public.push(format!("{method} {path}"));
            }
        }
    }
    // Public reads say so with `security: []`; everything that needs a token names its scheme.
    for open in [
        "get /api/v1/calls",
        "get /health/live",
        "get /api/v1/stocktaking/projects",
        "post /api/v1/auth/token",
    ] {
        assert!(
            public.contains(&open.to_owned()),
            "{open} should be public: {public:?}"
        );
    }
    assert!(!public.contains(&"get /api/v1/submissions".to_owned()));
    // Partners learn from the file which scope an operation needs; users' tokens (password flow) carry none.
    let requirements = |path: &str, method: &str| -> Vec<Value> {
        doc["paths"][path][method]["security"]
            .as_array()
            .unwrap()
            .clone()
    };
    let partner = serde_json::json!({"oauth2": ["submissions:read"]});
    assert!(requirements("/api/v1/submissions", "get").contains(&partner));
    assert!(requirements("/api/v1/submissions/{id}", "get").contains(&partner));
    assert!(
        requirements("/api/v1/submissions/export", "get")
            .contains(&serde_json::json!({"oauth2": ["exports:read"]}))
    );
    let user_only = requirements("/api/v1/organisations", "post");
    assert_eq!(
        user_only,
        [
            serde_json::json!({"bearer": []}),
            serde_json::json!({"oauth2": []})
        ]
    );
    assert!(
        !doc["servers"].as_array().unwrap().is_empty(),
        "the document names its server"
    );
}

#[test]
fn headers_sent_on_every_response_are_named_in_the_description() {
    // The headers the contract checker lets through on any response must be documented once, in words.
    let document = committed();
    let description = document["info"]["description"]
        .as_str()
        .unwrap()
        .to_ascii_lowercase();
    for name in wsis_http::openapi::headers::ON_EVERY_RESPONSE {
        if matches!(*name, "connection" | "transfer-encoding") {
            continue; // hop by hop: the connection's, not the API's
        }
        assert!(
            description.contains(&format!("`{name}`")),
            "`{name}` is not named in info.description"
        );
    }
}

e2e_test! {
    fn the_contract_checker_names_an_undocumented_status_or_header(app) {
        // Every response of the suite passes through `contract::undocumented`; held against the wrong operation,
        // a real answer must be refused, so the check can fail.
        let calls = app.client.get(app.url("/api/v1/calls")).send().unwrap();
        assert_eq!(calls.status().as_u16(), 200);
        assert_eq!(wsis_e2e::contract::undocumented("GET", "/api/v1/calls", &calls), Vec::<String>::new());
        let as_liveness = wsis_e2e::contract::undocumented("GET", "/health/live", &calls);
        assert!(as_liveness.iter().any(|m| m.contains("`etag` is not documented")), "{as_liveness:?}");
        assert!(as_liveness.iter().any(|m| m.contains("`content-language` is not documented")), "{as_liveness:?}");
        let as_registration = wsis_e2e::contract::undocumented("POST", "/api/v1/auth/register", &calls);
        assert_eq!(as_registration, ["POST /api/v1/auth/register answered 200: the status is not documented"]);
        // Outside the contract nothing is judged: an unknown path, a method the path does not answer.
        assert!(wsis_e2e::contract::undocumented("GET", "/api/v1/no/such/thing", &calls).is_empty());
        assert!(wsis_e2e::contract::undocumented("DELETE", "/api/v1/calls", &calls).is_empty());
    }
}

/// Every example of `value` with the schema it must satisfy: media types, parameters and headers (`example` or
/// `examples` beside a `schema`), and schemas (their own `example`), at any depth.
fn examples_with_schemas(value: &Value, at: &str, out: &mut Vec<(String, Value, Value)>) {
    match value {
        Value::Object(map) => {
            if let Some(schema) = map.get("schema") {
                if let Some(example) = map.get("example") {
                    out.push((format!("{at}/example"), example.clone(), schema.clone()));
                }
                for (name, example) in map
                    .get("examples")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    out.push((
                        format!("{at}/examples/{name}"),
                        example["value"].clone(),
                        schema.clone(),
                    ));
                }
            } else if let Some(example) = map.get("example")
                && (map.contains_key("type")
                    || map.contains_key("$ref")
                    || map.contains_key("properties"))
            {
                let mut schema = value.clone();
                if let Some(object) = schema.as_object_mut() {
                    object.remove("example");
                }
                out.push((format!("{at}/example"), example.clone(), schema));
            }
            for (key, item) in map {
                examples_with_schemas(item, &format!("{at}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                examples_with_schemas(item, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_example_validates_against_its_schema() {
    let document = committed();
    let mut found = Vec::new();
    examples_with_schemas(&document, "#", &mut found);
    let mut invalid = Vec::new();
    for (at, example, schema) in &found {
        // The schema is checked as the root of a resource that also holds the document's components, so that its
        // `$ref`s resolve; formats (uuid, date-time, date, uri-reference) are asserted.
        let mut root = serde_json::json!({"allOf": [schema], "components": document["components"]});
        if let Some(object) = root.as_object_mut() {
            object.insert(
                "$schema".into(),
                "https://json-schema.org/draft/2020-12/schema".into(),
            );
        }
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(&root)
            .unwrap_or_else(|e| panic!("{at}: the schema does not compile: {e}"));
        for error in validator.iter_errors(example) {
            invalid.push(format!("{at}: {error} (at {})", error.instance_path));
        }
    }
    assert!(
        invalid.is_empty(),
        "examples that break their schema:\n{}",
        invalid.join("\n")
    );
    // Every documented error status has an example of its own: not one example shown for every status.
    let mut problem_examples = 0;
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for (status, response) in operation["responses"].as_object().unwrap() {
                let Some(content) = response["content"].get("application/problem+json") else {
                    continue;
                };
                let examples = content["examples"].as_object();
                assert!(
                    examples.is_some_and(|e| !e.is_empty()),
                    "{method} {path} {status} has no problem example"
                );
                for example in examples.into_iter().flatten().map(|(_, e)| &e["value"]) {
                    assert_eq!(
                        example["status"].as_u64(),
                        status.parse().ok(),
                        "{method} {path} {status}"
                    );
                    problem_examples += 1;
                }
            }
        }
    }
    // Some of the statuses the contract promises examples of, with what makes them useful.
    let submit = &document["paths"]["/api/v1/submissions/{id}/submit"]["post"]["responses"];
    let late = &submit["409"]["content"]["application/problem+json"]["examples"]["deadline_passed"]
        ["value"];
    assert_eq!(late["code"], "deadline_passed");
    assert!(
        late["deadline"]["effective_closes_at_local"].is_string(),
        "{late}"
    );
    let invalid_fields = &submit["422"]["content"]["application/problem+json"]["examples"]["validation_failed"]
        ["value"];
    assert!(
        invalid_fields["errors"]
            .as_array()
            .is_some_and(|e| e.len() == 2),
        "{invalid_fields}"
    );
    assert!(submit["401"]["headers"]["WWW-Authenticate"].is_object());
    let headers = &document["components"]["headers"];
    assert!(
        headers["WWW-Authenticate"]["example"]
            .as_str()
            .unwrap()
            .starts_with("Bearer realm=\"wsis\"")
    );
    assert!(headers["Retry-After"]["example"].is_u64());
    assert!(
        problem_examples > 200 && found.len() > problem_examples,
        "{problem_examples} of {}",
        found.len()
    );
}
