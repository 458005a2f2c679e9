//! Every response the suite receives, held against the contract: its status must be documented for its operation,
//! and every header it carries must be documented on that response (or be one of the headers the document's
//! description names as sent on every response). [`crate::TestApp::send`] calls [`check`], so each end-to-end test
//! on both backends walks the served spec with real responses.

use std::sync::OnceLock;

use reqwest::blocking::Response;
use serde_json::Value;
use wsis_http::openapi::headers::ON_EVERY_RESPONSE;

struct Contract {
    document: Value,
    /// `(segments of the path template, the path item's key)`.
    paths: Vec<(Vec<String>, String)>,
}

fn contract() -> &'static Contract {
    static CONTRACT: OnceLock<Contract> = OnceLock::new();
    CONTRACT.get_or_init(|| {
        let document = serde_json::to_value(wsis_http::openapi::document()).unwrap_or_default();
        let paths = document["paths"]
            .as_object()
            .map(|paths| {
                paths
                    .keys()
                    .map(|key| (key.split('/').map(str::to_owned).collect(), key.clone()))
                    .collect()
            })
            .unwrap_or_default();
        Contract { document, paths }
    })
}

/// The path item whose template matches `path`, the one with the most literal segments when several do.
fn template(contract: &Contract, path: &str) -> Option<String> {
    let segments: Vec<&str> = path.split('/').collect();
    contract
        .paths
        .iter()
        .filter(|(template, _)| {
            template.len() == segments.len()
                && template.iter().zip(&segments).all(|(t, s)| {
                    (t.starts_with('{') && t.ends_with('}') && !s.is_empty()) || t == s
                })
        })
        .max_by_key(|(template, _)| template.iter().filter(|t| !t.starts_with('{')).count())
        .map(|(_, key)| key.clone())
}

/// What of `response` the contract does not document; empty when it all is. Requests outside the contract (an
/// unknown path, a method the path does not answer, a CORS preflight) are not judged.
pub fn undocumented(method: &str, path: &str, response: &Response) -> Vec<String> {
    let contract = contract();
    let method = match method {
        "HEAD" => "get".to_owned(),
        other => other.to_ascii_lowercase(),
    };
    let Some(key) = template(contract, path) else {
        return Vec::new();
    };
    let operation = &contract.document["paths"][&key][&method];
    if !operation.is_object() {
        return Vec::new();
    }
    let status = response.status().as_u16().to_string();
    let documented = &operation["responses"][&status];
    let what = format!("{} {key} answered {status}", method.to_ascii_uppercase());
    if !documented.is_object() {
        return vec![format!("{what}: the status is not documented")];
    }
    let declared: Vec<String> = documented["headers"]
        .as_object()
        .map(|headers| headers.keys().map(|k| k.to_ascii_lowercase()).collect())
        .unwrap_or_default();
    let mut missing: Vec<String> = response
        .headers()
        .keys()
        .map(|name| name.as_str().to_owned())
        .filter(|name| !ON_EVERY_RESPONSE.contains(&name.as_str()) && !declared.contains(name))
        .map(|name| format!("{what}: the header `{name}` is not documented"))
        .collect();
    missing.dedup();
    missing
}
