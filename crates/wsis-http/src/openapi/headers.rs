//! The headers of the contract: every response header the server sends, documented on the responses that carry it,
//! and every request header it reads, declared on the operations that read it. Written once here as components and
//! attached by rule (what the server does is the same rule: `responses::conditional` tags every read, the error
//! middleware renders every problem, the idempotency layer replays), so that a new route is documented the day it
//! is added. The end-to-end suite checks every response it receives against these declarations.
//!
//! Headers the server sends on every response alike, whatever the operation (`Content-Type`, `Content-Encoding`,
//! `Vary`, the security headers, CORS), are named in the document's description instead.

use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::{OpenApi as Document, Ref, RefOr, Required, Response, ResponseBuilder};

/// The headers every response carries, whatever its operation; named in the document's description (and the
/// hop-by-hop ones of the connection, which are not the API's).
pub const ON_EVERY_RESPONSE: &[&str] = &[
    "connection",
    "content-type",
    "content-length",
    "content-encoding",
    "transfer-encoding",
    "date",
    "vary",
    "strict-transport-security",
    "x-content-type-options",
    "x-frame-options",
    "referrer-policy",
    "cross-origin-opener-policy",
    "access-control-allow-origin",
    "access-control-allow-credentials",
    "access-control-expose-headers",
];

fn text(description: &str, example: &str) -> Header {
    HeaderBuilder::new()
        .schema(Some(Schema::Object(
            ObjectBuilder::new().schema_type(Type::String).build(),
        )))
        .description(Some(description))
        .example(Some(example.into()))
        .build()
}

fn seconds(description: &str, example: u32) -> Header {
    HeaderBuilder::new()
        .schema(Some(Schema::Object(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0))
                .build(),
        )))
        .description(Some(description))
        .example(Some(example.into()))
        .build()
}

/// The reusable headers, by name.
fn definitions() -> Vec<(&'static str, Header)> {
    let languages = HeaderBuilder::new()
        .schema(Some(Schema::Object(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(["ar", "zh", "en", "fr", "ru", "es"]))
                .build(),
        )))
        .description(Some(
            "The language of the answer's text (labels, problem titles and details): the one `Accept-Language` or \
             `?lang=` asked for, English otherwise.",
        ))
        .example(Some("fr".into()))
        .build();
    let location = HeaderBuilder::new()
        .schema(Some(Schema::Object(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::Custom("uri-reference".into())))
                .build(),
        )))
        .description(Some(
            "Where the created resource is (a path under `/api/v1`).",
        ))
        .build();
    vec![
        (
            "X-Request-Id",
            text(
                "The request's id: yours when you sent a well-formed `X-Request-Id`, a UUIDv7 otherwise. Every \
                 problem repeats it as `request_id`; quote it when you ask for support.",
                "01938f6e-8a1c-7cc2-9a51-3f0e2b1c4d5e",
            ),
        ),
        (
            "Cache-Control",
            text(
                "How the answer may be reused: `no-store` for credentials, problems and what must not be kept; \
                 `private, no-cache` for what only its caller sees (revalidate with `If-None-Match`); `public, \
                 no-cache` or `public, max-age=…` for public reads.",
                "private, no-cache",
            ),
        ),
        ("Content-Language", languages),
        (
            "ETag",
            text(
                "The representation's entity tag: send it back in `If-None-Match` (a 304 when nothing changed) or, \
                 for a write, in `If-Match` (a 412 when someone changed it meanwhile).",
                "\"ro6mpN8uhJcJ4ZTmptgfbTgb\"",
            ),
        ),
        ("Location", location),
        (
            "Link",
            text(
                "`<…>; rel=\"next\"` (RFC 8288) when there is a next page: the same query with the next page's \
                 cursor.",
                "</api/v1/stocktaking/projects?action_line=C3&cursor=eyJrIjoiMjAyNS0wMi0xMCJ9>; rel=\"next\"",
            ),
        ),
        (
            "Retry-After",
            seconds("How many seconds to wait before trying again.", 30),
        ),
        (
            "WWW-Authenticate",
            text(
                "The bearer challenge of RFC 6750: `Bearer realm=\"wsis\"`, with `error=\"invalid_token\"` when a \
                 token was sent and refused.",
                "Bearer realm=\"wsis\", error=\"invalid_token\", error_description=\"The access token is invalid or expired; sign in again.\"",
            ),
        ),
        (
            "Idempotent-Replayed",
            HeaderBuilder::new()
                .schema(Some(Schema::Object(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .enum_values(Some(["true"]))
                        .build(),
                )))
                .description(Some(
                    "`true` when this is the stored answer to an earlier request with the same `Idempotency-Key`, \
                     replayed instead of doing the work again.",
                ))
                .example(Some("true".into()))
                .build(),
        ),
        (
            "Content-Disposition",
            text(
                "`attachment; filename=\"…\"`: the file name to save the export under.",
                "attachment; filename=\"wsis-stocktaking-projects.csv\"",
            ),
        ),
        (
            "RateLimit-Policy",
            text(
                "The limits counted for this request (draft-ietf-httpapi-ratelimit-headers): a list of policies, \
                 each a name with its quota `q` of attempts in a window of `w` seconds. Sign-in and password \
                 change: `sign-in-account` and `sign-in-address` (failed attempts); invitations: `invitations` \
                 (per inviting account).",
                "\"sign-in-account\";q=5;w=900, \"sign-in-address\";q=50;w=900",
            ),
        ),
        (
            "RateLimit",
            text(
                "What is left of each policy of `RateLimit-Policy`: `r` attempts remain, and one is free again in \
                 `t` seconds.",
                "\"sign-in-account\";r=4;t=900, \"sign-in-address\";r=49;t=900",
            ),
        ),
        (
            "Pragma",
            text(
                "`no-cache`, for HTTP/1.0 caches (RFC 6749 asks it of token answers).",
                "no-cache",
            ),
        ),
    ]
}

fn header_ref(name: &str) -> RefOr<Header> {
    RefOr::Ref(Ref::new(format!("#/components/headers/{name}")))
}

/// The request headers the server reads on every operation: declared on each (with a reference).
const READ_EVERYWHERE: &[&str] = &["Accept-Language", "X-Request-Id"];

fn parameter_definitions() -> Vec<(&'static str, utoipa::openapi::path::Parameter)> {
    let header = |name: &str, description: &str, schema: Schema| {
        ParameterBuilder::new()
            .name(name)
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(description))
            .schema(Some(schema))
            .build()
    };
    let string = || Schema::Object(ObjectBuilder::new().schema_type(Type::String).build());
    vec![
        (
            "Accept-Language",
            header(
                "Accept-Language",
                "The languages you read, with their weights (`ar, fr;q=0.8`): the best of ar, zh, en, fr, ru and \
                 es is used for labels and problem texts (`?lang=` wins over it).",
                string(),
            ),
        ),
        (
            "X-Request-Id",
            header(
                "X-Request-Id",
                "Your own id for this request, to find it in the server's logs: 1 to 128 letters, digits, `-`, \
                 `_`, `.` or `:` (anything else is replaced by the server's own id).",
                string(),
            ),
        ),
        (
            "X-Forwarded-For",
            header(
                "X-Forwarded-For",
                "Written by the proxies in front of the server, not by clients: behind the proxies that \
                 `WSIS_TRUSTED_PROXIES` lists, its rightmost address that is not one of them is the client's, \
                 whose failed password attempts are counted (`sign-in-address`).",
                string(),
            ),
        ),
        (
            "If-None-Match",
            header(
                "If-None-Match",
                "The `ETag` of the representation you hold (or several, comma-separated, or `*`): a 304 without a \
                 body when it is still current.",
                string(),
            ),
        ),
    ]
}

fn parameter_ref(name: &str) -> RefOr<utoipa::openapi::path::Parameter> {
    RefOr::Ref(Ref::new(format!("#/components/parameters/{name}")))
}

/// Whether `parameter` is the header `name`.
fn declares(parameter: &RefOr<utoipa::openapi::path::Parameter>, name: &str) -> bool {
    match parameter {
        RefOr::T(p) => p.parameter_in == ParameterIn::Header && p.name.eq_ignore_ascii_case(name),
        RefOr::Ref(r) => r.ref_location.ends_with(&format!("/{name}")),
    }
}

/// Whether the operation reads the header `name`.
fn reads(operation: &Operation, name: &str) -> bool {
    operation
        .parameters
        .iter()
        .flatten()
        .any(|p| declares(p, name))
}

fn has_query(operation: &Operation, name: &str) -> bool {
    operation
        .parameters
        .iter()
        .flatten()
        .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Query && p.name == name))
}

/// Declares the headers on every operation of `document`, by the rules the server follows.
pub fn document(document: &mut Document) {
    let components = document.components.get_or_insert_with(Default::default);
    for (name, header) in definitions() {
        components.headers.insert(name.to_owned(), RefOr::T(header));
    }
    for (name, parameter) in parameter_definitions() {
        components
            .parameters
            .insert(name.to_owned(), RefOr::T(parameter));
    }
    for item in document.paths.paths.values_mut() {
        for (operation, is_get) in super::operations(item) {
            operation_headers(operation, is_get);
        }
    }
}

fn problem_headers(response: &mut Response, status: u16) {
    for name in ["X-Request-Id", "Cache-Control", "Content-Language"] {
        add(response, name);
    }
    match status {
        401 => add(response, "WWW-Authenticate"),
        429 | 503 => add(response, "Retry-After"),
        _ => {}
    }
}

/// The reads that are not conditional (no `ETag`, no 304): health, which no cache may keep; `/me` and the receipt
/// check, never stored (`no-store`); exports, streamed.
const UNCONDITIONAL: &[&str] = &[
    "get_liveness",
    "get_readiness",
    "get_me",
    "list_my_sessions",
    "export_my_data",
    "check_receipt",
    "export_submissions",
    "export_projects",
];

/// Creations whose result has no address of its own to read it back at (no `Location`).
const UNADDRESSED: &[&str] = &[
    "create_extension",
    "create_invitation",
    "record_earlier_prize_winner",
];

/// Reads whose answers carry no `Content-Language` (nothing in them is in a language): health.
const LANGUAGE_FREE: &[&str] = &["get_liveness", "get_readiness"];

/// The operations that count attempts across requests, and the statuses whose answers tell what is left.
const LIMITED: &[(&str, &[u16])] = &[
    ("create_token", &[200, 400, 429]),
    ("change_password", &[204, 422, 429]),
    ("create_invitation", &[201, 429]),
    ("cast_prize_vote", &[201, 429]),
    ("register", &[202, 429]),
    ("request_password_reset", &[202, 429]),
    ("change_email", &[202, 422, 429]),
    ("ping_webhook", &[202, 429]),
    ("redeliver_webhook_delivery", &[202, 429]),
];

/// The operations that count by client address (password attempts, votes, registrations), and so read
/// `X-Forwarded-For` behind proxies.
const READS_CLIENT_ADDRESS: &[&str] = &[
    "create_token",
    "change_password",
    "cast_prize_vote",
    "register",
    "request_password_reset",
    "change_email",
];

fn operation_headers(operation: &mut Operation, is_get: bool) {
    let id = operation.operation_id.clone().unwrap_or_default();
    let conditional = is_get && !UNCONDITIONAL.contains(&id.as_str());
    let idempotent = reads(operation, "Idempotency-Key");
    let paged = has_query(operation, "cursor");
    let export = operation
        .operation_id
        .as_deref()
        .is_some_and(|id| id.starts_with("export"));
    let token = operation.operation_id.as_deref() == Some("create_token");
    let parameters = operation.parameters.get_or_insert_with(Vec::new);
    let mut read = READ_EVERYWHERE.to_vec();
    if conditional {
        read.push("If-None-Match");
    }
    if READS_CLIENT_ADDRESS.contains(&id.as_str()) {
        read.push("X-Forwarded-For");
    }
    for name in read {
        if !parameters.iter().any(|p| declares(p, name)) {
            parameters.push(parameter_ref(name));
        }
    }
    let responses = &mut operation.responses.responses;
    if conditional && !responses.contains_key("304") {
        responses.insert(
            "304".to_owned(),
            RefOr::T(
                ResponseBuilder::new()
                    .description("Not modified: the `If-None-Match` you sent names the current representation")
                    .build(),
            ),
        );
    }
    let limited = LIMITED
        .iter()
        .find(|(op, _)| *op == id)
        .map_or(&[][..], |(_, statuses)| *statuses);
    for (status, response) in responses.iter_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        let code: u16 = status.parse().unwrap_or(0);
        if limited.contains(&code) {
            add(response, "RateLimit-Policy");
            add(response, "RateLimit");
        }
        if code >= 400 {
            problem_headers(response, code);
            if code == 409 && idempotent {
                add(response, "Retry-After");
            }
            continue;
        }
        add(response, "X-Request-Id");
        add(response, "Cache-Control");
        if !response.content.is_empty() && !LANGUAGE_FREE.contains(&id.as_str()) {
            add(response, "Content-Language");
        }
        let body = body_schema(response);
        let tagged = matches!(
            body.as_deref(),
            Some("Submission" | "Organisation" | "Receipt")
        );
        if (conditional && (code == 200 || code == 304)) || tagged {
            add(response, "ETag");
        }
        if conditional && code == 304 {
            add(response, "Content-Language");
        }
        if (code == 201 && !UNADDRESSED.contains(&id.as_str()))
            || body.as_deref() == Some("Submission")
        {
            add(response, "Location");
        }
        if paged && (code == 200 || code == 304) {
            add(response, "Link");
        }
        if idempotent && (200..300).contains(&code) {
            add(response, "Idempotent-Replayed");
        }
        if export && code == 200 {
            add(response, "Content-Disposition");
        }
        if token && code == 200 {
            add(response, "Pragma");
        }
    }
}

/// The component a response's JSON body is, when it is one.
fn body_schema(response: &Response) -> Option<String> {
    let RefOr::T(content) = response.content.get("application/json")? else {
        return None;
    };
    match content.schema.as_ref()? {
        RefOr::Ref(r) => r.ref_location.rsplit('/').next().map(str::to_owned),
        RefOr::T(_) => None,
    }
}

fn add(response: &mut Response, name: &str) {
    response
        .headers
        .entry(name.to_owned())
        .or_insert_with(|| header_ref(name));
}
