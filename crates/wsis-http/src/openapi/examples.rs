//! A realistic problem example for every documented error status, rendered by the same code that renders the
//! server's problems (`ApiError::to_problem`), so that an example cannot drift from what is sent: a 401 with its
//! challenge, a 409 `deadline_passed` with its `deadline` member, a 422 with its field errors, 429 and 503 with
//! `Retry-After`. `tests/api/docs.rs` validates every example of the document against its schema.

use std::collections::BTreeMap;

use serde_json::json;
use utoipa::openapi::example::{Example, ExampleBuilder};
use utoipa::openapi::path::Operation;
use utoipa::openapi::{OpenApi as Document, RefOr};
use wsis_domain::{Language, Said, said};

use crate::problem::{self, ApiError, FieldError, ProblemKind};

/// A request id as the server makes them (UUIDv7).
const REQUEST_ID: &str = "01938f6e-8a1c-7cc2-9a51-3f0e2b1c4d5e";
/// A submission id, to fill path templates.
const ID: &str = "0193a0c4-8f2e-7d41-b6a2-5c1d9e0f3a7b";

fn example(summary: &str, error: &ApiError, instance: &str) -> RefOr<Example> {
    let value = serde_json::to_value(error.to_problem(Language::En, instance, Some(REQUEST_ID)))
        .unwrap_or_default();
    RefOr::T(
        ExampleBuilder::new()
            .summary(summary)
            .value(Some(value))
            .build(),
    )
}

fn plain(kind: &'static ProblemKind, message: Said) -> ApiError {
    ApiError::new(kind, message)
}

/// The examples of one error status of one operation, by name.
fn examples(
    status: u16,
    operation_id: &str,
    instance: &str,
) -> Vec<(&'static str, RefOr<Example>)> {
    let token_endpoint = matches!(operation_id, "create_token" | "revoke_token");
    match status {
        400 if token_endpoint => vec![(
            "invalid_grant",
            example(
                "A wrong password, or a refresh token already used (RFC 6749's `error` repeated)",
                &ApiError {
                    oauth: true,
                    ..plain(problem::INVALID_GRANT, said!("grant-wrong-password"))
                },
                instance,
            ),
        )],
        400 if matches!(operation_id, "verify_email" | "accept_invitation") => vec![(
            "invalid_token",
            example(
                "The link's token is unknown, used or expired",
                &plain(problem::INVALID_TOKEN, said!("token-link-invalid")),
                instance,
            ),
        )],
        400 => vec![(
            "malformed_json",
            example(
                "The body is not JSON",
                &plain(
                    problem::MALFORMED_JSON,
                    said!(
                        "json-invalid",
                        what = "expected `,` or `}`",
                        line = 1,
                        column = 18
                    ),
                ),
                instance,
            ),
        )],
        401 if token_endpoint => vec![(
            "invalid_client",
            example(
                "Client credentials that do not match a client",
                &ApiError {
                    oauth: true,
                    ..plain(problem::INVALID_CLIENT, said!("grant-wrong-client"))
                },
                instance,
            ),
        )],
        401 => vec![(
            "unauthorized",
            example(
                "No access token, or one that expired (with `WWW-Authenticate: Bearer realm=\"wsis\", error=\"invalid_token\"`)",
                &ApiError {
                    www_authenticate: true,
                    ..plain(problem::UNAUTHORIZED, said!("token-invalid-or-expired"))
                },
                instance,
            ),
        )],
        403 => vec![(
            "forbidden",
            example(
                "Signed in, without the role this needs",
                &plain(problem::FORBIDDEN, said!("refused-editors-change")),
                instance,
            ),
        )],
        404 => vec![(
            "not_found",
            example(
                "Nothing here, or nothing you may see",
                &plain(problem::NOT_FOUND, said!("not-found-submission", id = ID)),
                instance,
            ),
        )],
        409 => conflicts(operation_id, instance),
        412 => vec![(
            "precondition_failed",
            example(
                "Someone changed it since the `ETag` you sent",
                &plain(problem::PRECONDITION_FAILED, said!("changed-submission")),
                instance,
            ),
        )],
        413 => vec![(
            "payload_too_large",
            example(
                "The body is over the limit",
                &plain(
                    problem::PAYLOAD_TOO_LARGE,
                    said!("body-too-large", limit = 262_144),
                ),
                instance,
            ),
        )],
        415 => vec![(
            "unsupported_media_type",
            example(
                "Not sent as JSON",
                &plain(problem::UNSUPPORTED_MEDIA_TYPE, said!("body-not-json")),
                instance,
            ),
        )],
        422 => vec![(
            "validation_failed",
            example(
                "Every invalid field named, with its JSON path and rule",
                &ApiError::validation(vec![
                    FieldError::new(
                        "content.title",
                        "invalid_length",
                        said!("field-invalid_length", min = 1, max = 300),
                    ),
                    FieldError::new(
                        "content.sdgs[1]",
                        "unknown_sdg",
                        said!(
                            "field-not-valid",
                            what = Said::new("what-SDG"),
                            given = "18",
                            expected = said!("expected-number-up-to", max = 17)
                        ),
                    ),
                ]),
                instance,
            ),
        )],
        428 => vec![(
            "precondition_required",
            example(
                "A change sent without `If-Match`",
                &plain(
                    problem::PRECONDITION_REQUIRED,
                    said!("precondition-submission"),
                ),
                instance,
            ),
        )],
        429 => vec![(
            "rate_limited",
            example(
                "Too many attempts (with `Retry-After`)",
                &ApiError {
                    retry_after: Some(600),
                    ..plain(problem::RATE_LIMITED, said!("rate-limited-passwords"))
                },
                instance,
            ),
        )],
        503 => vec![(
            "service_unavailable",
            example(
                "The database is unavailable, or too busy (with `Retry-After`)",
                &ApiError {
                    retry_after: Some(5),
                    ..plain(problem::SERVICE_UNAVAILABLE, said!("database-unavailable"))
                },
                instance,
            ),
        )],
        other => problem::ALL_KINDS
            .iter()
            .find(|k| k.status == other)
            .map(|kind| {
                vec![(
                    kind.code,
                    example(
                        kind.title(Language::En),
                        &plain(
                            kind,
                            said!("status-refused", status = kind.status, code = kind.code),
                        ),
                        instance,
                    ),
                )]
            })
            .unwrap_or_default(),
    }
}

/// The 409s: a deadline where a change of an entry is refused after it; otherwise the conflicts the route has.
fn conflicts(operation_id: &str, instance: &str) -> Vec<(&'static str, RefOr<Example>)> {
    let mut found = Vec::new();
    if matches!(
        operation_id,
        "create_submission" | "update_submission" | "submit_submission" | "withdraw_submission"
    ) {
        let deadline = ApiError {
            deadline: Some(Box::new(json!({
                "attempted": "submit",
                "received_at": "2025-02-10T23:00:01.250Z",
                "opens_at": "2024-11-04T00:00:00Z",
                "effective_closes_at": "2025-02-10T22:59:59Z",
                "effective_closes_at_local": "2025-02-10T23:59:59+01:00",
                "timezone": "Europe/Zurich"
            }))),
            ..plain(
                problem::DEADLINE_PASSED,
                said!(
                    "deadline-was",
                    deadline = "2025-02-10T22:59:59Z",
                    local = "2025-02-10T23:59:59+01:00",
                    received = "2025-02-10T23:00:01.250Z"
                ),
            )
        };
        found.push((
            "deadline_passed",
            example(
                "After the track's effective deadline (recorded as a late attempt)",
                &deadline,
                instance,
            ),
        ));
    }
    if matches!(
        operation_id,
        "submit_submission" | "withdraw_submission" | "decide_submission"
    ) {
        found.push((
            "invalid_transition",
            example(
                "Not in a state that allows it",
                &plain(
                    problem::INVALID_TRANSITION,
                    said!(
                        "refused-transition",
                        from = "submitted",
                        transition = "submit"
                    ),
                ),
                instance,
            ),
        ));
    }
    if matches!(
        operation_id,
        "delete_user" | "remove_member" | "update_member"
    ) {
        found.push((
            "last_owner",
            example(
                "It would leave an organisation without an owner",
                &plain(problem::LAST_OWNER, said!("last-owner")),
                instance,
            ),
        ));
    }
    if found.is_empty() {
        found.push((
            "conflict",
            example(
                "It clashes with the current state",
                &plain(problem::CONFLICT, said!("conflict-one-per-category")),
                instance,
            ),
        ));
    }
    found
}

/// The path with its templates filled, as a problem's `instance` would be.
fn instance(path: &str) -> String {
    path.split('/')
        .map(|segment| match segment {
            "{id}" | "{user}" => ID,
            "{role}" => "reviewer",
            "{call}" => "wsis-2025",
            "{track}" => "prizes",
            "{number}" => "WSIS-2025-PRZ-000042",
            "{code}" => "not_found",
            other => other,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Puts the examples on every problem response of `document`.
pub fn document(document: &mut Document) {
    for (path, item) in document.paths.paths.iter_mut() {
        let instance = instance(path);
        for (operation, _) in super::operations(item) {
            operation_examples(operation, &instance);
        }
    }
}

fn operation_examples(operation: &mut Operation, instance: &str) {
    let id = operation.operation_id.clone().unwrap_or_default();
    for (status, response) in operation.responses.responses.iter_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        let Some(RefOr::T(content)) = response.content.get_mut(problem::PROBLEM_JSON) else {
            continue;
        };
        let code: u16 = status.parse().unwrap_or(0);
        let found: BTreeMap<String, RefOr<Example>> = examples(code, &id, instance)
            .into_iter()
            .map(|(name, example)| (name.to_owned(), example))
            .collect();
        if !found.is_empty() {
            content.example = None;
            content.examples = found;
        }
    }
}
