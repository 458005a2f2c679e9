//! The OpenAPI document: generated from the handlers themselves (utoipa) and committed as `openapi/openapi.json`.

mod examples;
pub mod headers;

use utoipa::openapi::OpenApi as Document;
use utoipa::openapi::security::{
    AuthorizationCode, ClientCredentials, Flow, HttpAuthScheme, HttpBuilder, OAuth2, Password,
    Scopes, SecurityRequirement, SecurityScheme,
};
use utoipa::{Modify, OpenApi};

use crate::problem::{FieldError, Problem};
use wsis_domain::forms::{OcpContribution, PrizeNomination, StocktakingProject, TrustFundPledge};

/// Document-level metadata; paths and schemas are collected from the registered handlers.
#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "WSIS Contributions API",
        description = "Contributions to the World Summit on the Information Society: the Open Consultation Process, \
the WSIS Stocktaking, the WSIS Prizes and the WSIS Trust Fund.\n\nConventions: JSON in UTF-8 with snake_case fields; \
times in RFC 3339 UTC, deadlines also in their track's zone; errors as RFC 9457 `application/problem+json` with a \
stable `code`; `Accept-Language` or `?lang=` picks one of the six UN languages (ar, zh, en, fr, ru, es) and \
`Content-Language` says which was used; every read has an `ETag` and answers 304 to a matching `If-None-Match` \
(except health, `/me` and the receipt check, which are never stored, and exports, which are streamed); \
every `GET` also answers `HEAD` (the same status and headers, no body); every response carries `X-Request-Id`.\n\n\
Headers: what a response may carry is documented on it (`ETag`, `Location`, `Link`, `Retry-After`, `WWW-Authenticate`, \
`Content-Language`, `Cache-Control`, `Idempotent-Replayed`, …) and what an operation reads is declared on it \
(`Accept-Language`, `If-None-Match`, `If-Match`, `Idempotency-Key`, `X-Request-Id`). Besides those, any response may \
carry `Content-Type`, `Content-Length`, `Content-Encoding` (gzip or br, as `Accept-Encoding` asks), `Date`, `Vary`; \
the security headers `Strict-Transport-Security`, `X-Content-Type-Options`, `X-Frame-Options`, `Referrer-Policy` and \
`Cross-Origin-Opener-Policy`; and, for an allowed origin, the CORS headers `Access-Control-Allow-Origin`, \
`Access-Control-Allow-Credentials` and `Access-Control-Expose-Headers`.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
        contact(name = "The WSIS secretariat at ITU, which runs this service"),
        version = "1.9.0"
    ),
    servers((url = "/", description = "This server: the API is under `/api/v1` on the host that serves this document")),
    tags(
        (name = "identity", description = "Accounts, e-mail verification, OAuth 2.0 tokens"),
        (name = "organisations", description = "Organisations, members and invitations"),
        (name = "admin", description = "Staff administration: users, roles, partner API clients"),
        (name = "submissions", description = "Contributions on the four tracks: drafts, revisions, submission with receipts"),
        (name = "stocktaking", description = "The public WSIS Stocktaking repository"),
        (name = "calls", description = "Calls for contributions, their tracks and deadlines"),
        (name = "prizes", description = "The WSIS Prizes after the nominations: phases, nominees, public voting, results"),
        (name = "changes", description = "The change feed: every change you may see, in order, from a cursor, with long poll"),
        (name = "webhooks", description = "Webhook endpoints: the change feed pushed to partners, signed with the Standard Webhooks scheme"),
        (name = "reference", description = "Reference vocabulary in the six UN languages"),
        (name = "health", description = "Liveness and readiness"),
        (name = "docs", description = "This API's own documentation"),
    ),
    components(schemas(Problem, FieldError, OcpContribution, StocktakingProject, PrizeNomination, TrustFundPledge, crate::export::ExportFormat, wsis_domain::search::SortOrder, wsis_domain::prizes::ReviewOrder)),
    modifiers(&SecuritySchemes)
)]
pub struct ApiDoc;

/// Declares how to authenticate: a bearer JWT, obtained through the OAuth 2.0 password or client-credentials flow.
#[derive(Debug)]
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut Document) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "An access token from `POST /api/v1/auth/token` (15 minutes).",
                    ))
                    .build(),
            ),
        );
        let scopes = || {
            Scopes::from_iter([
                ("submissions:read", "Read submitted entries (partners)"),
                ("exports:read", "Download exports (partners)"),
                ("stats:read", "Read statistics (partners)"),
            ])
        };
        components.add_security_scheme(
            "oauth2",
            SecurityScheme::OAuth2(OAuth2::with_description(
                [
                    Flow::AuthorizationCode(AuthorizationCode::new(
                        "/api/v1/oauth/authorize",
                        "/api/v1/auth/token",
                        Scopes::from_iter([(
                            "account",
                            "Act as the person who signed in, as a plain user (third-party frontends)",
                        )]),
                    )),
                    Flow::Password(Password::new("/api/v1/auth/token", Scopes::new())),
                    Flow::ClientCredentials(ClientCredentials::new("/api/v1/auth/token", scopes())),
                ],
                "Third-party frontends sign people in with the authorization code flow and PKCE (S256, public \
                 clients registered by staff); first-party tools and scripts use the password flow; partner \
                 agencies' API clients use client credentials.",
            )),
        );
    }
}

/// The schema of a submission's `content`: one of the four forms, chosen by the submission's `track` (`ocp`:
/// `OcpContribution`, `stocktaking`: `StocktakingProject`, `prizes`: `PrizeNomination`, `trust_fund`:
/// `TrustFundPledge`). The forms refuse unknown fields, so a document matches exactly one of them.
pub fn form_content() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::Ref;
    use utoipa::openapi::schema::OneOfBuilder;
    OneOfBuilder::new()
        .item(Ref::from_schema_name("OcpContribution"))
        .item(Ref::from_schema_name("StocktakingProject"))
        .item(Ref::from_schema_name("PrizeNomination"))
        .item(Ref::from_schema_name("TrustFundPledge"))
        .description(Some(
            "The track's form: `OcpContribution` (ocp), `StocktakingProject` (stocktaking), `PrizeNomination` \
(prizes) or `TrustFundPledge` (trust_fund).",
        ))
        .into()
}

/// `Problem.code`: every problem kind the API answers with.
pub fn problem_code() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::String))
        .description(Some("Stable snake_case code of the type."))
        .enum_values(Some(crate::problem::ALL_KINDS.iter().map(|k| k.code)))
        .into()
}

/// The `deadline` member of a `deadline_passed` problem, the same from every operation.
pub fn deadline_facts() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, SchemaType, Type};
    let text = |description: &str| {
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::String))
            .description(Some(description))
    };
    let time = |description: &str| {
        text(description).format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
    };
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::Object))
        .description(Some(
            "On `deadline_passed`: what was attempted, when the server received it, and the caller's window in UTC and \
in the track's zone.",
        ))
        .property("attempted", text("The action: `create`, `update`, `submit` or `withdraw`."))
        .property("received_at", time("The server's receive time (UTC, milliseconds)."))
        .property("opens_at", time("When the track opens (UTC)."))
        .property("effective_closes_at", time("The caller's effective deadline (UTC), extensions and grace included."))
        .property(
            "effective_closes_at_local",
            time("The same on the track zone's wall clock, with its offset."),
        )
        .property("timezone", text("The track's IANA zone."))
        .required("received_at")
        .required("effective_closes_at")
        .into()
}

/// `Page<T>` comes out of the derive with `T`'s schema copied inline; where `T` is a component of its own, the page's
/// items refer to it instead, so a generated client has one `CountryItem` type, not a copy per page.
fn share_page_items(document: &mut Document) {
    use utoipa::openapi::schema::{ArrayItems, Schema};
    use utoipa::openapi::{Ref, RefOr};
    let Some(components) = document.components.as_mut() else {
        return;
    };
    let names: Vec<String> = components.schemas.keys().cloned().collect();
    for (name, schema) in &mut components.schemas {
        let Some(item) = name.strip_prefix("Page_") else {
            continue;
        };
        if !names.iter().any(|n| n == item) {
            continue;
        }
        if let RefOr::T(Schema::Object(page)) = schema
            && let Some(RefOr::T(Schema::Array(items))) = page.properties.get_mut("items")
        {
            items.items =
                ArrayItems::RefOrSchema(Box::new(RefOr::Ref(Ref::from_schema_name(item))));
        }
    }
}

/// Refinements that hold for every operation, applied once to the collected document rather than repeated in 64
/// handler attributes: public operations say they need no credentials (`security: []`); the error answers every operation can give (a body that is not JSON, too large, or sent
/// as another type; a query parameter the server refuses; the database unavailable or not ready), and the exact
/// shape of parameters that every route reads alike (`lang`, `Idempotency-Key`).
pub fn refine(document: &mut Document) {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    use utoipa::openapi::{Content, Ref, RefOr, ResponseBuilder};
    share_page_items(document);
    let problem = |description: &str| {
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/problem+json",
                    Content::new(Some(Ref::from_schema_name("Problem"))),
                )
                .build(),
        )
    };
    for (path, item) in &mut document.paths.paths {
        for (operation, _) in operations(item) {
            // An operation that names no requirement is public, and says so (`security: []`); one that takes a
            // bearer token takes it from either OAuth 2.0 flow: users' tokens carry no scope (the password flow),
            // partners' carry the scopes their handlers name (client credentials).
            let security = operation.security.get_or_insert_with(Vec::new);
            if !security.is_empty() && !names_scheme(security, "oauth2") {
                security.push(SecurityRequirement::new("oauth2", Vec::<String>::new()));
            }
            let responses = &mut operation.responses.responses;
            let mut add = |status: &str, description: &str| {
                responses
                    .entry(status.to_owned())
                    .or_insert_with(|| problem(description));
            };
            if operation.request_body.is_some() {
                add("400", "The body is not well-formed JSON (`malformed_json`)");
                add(
                    "413",
                    "The body is over the size limit (`payload_too_large`)",
                );
                add(
                    "415",
                    "The body is not sent with a JSON (or, where accepted, form) content type (`unsupported_media_type`)",
                );
                add(
                    "422",
                    "Invalid fields, each named with its JSON path (`validation_failed`)",
                );
            }
            let has_query = operation.parameters.iter().flatten().any(|p| {
                matches!(p, RefOr::T(p) if p.parameter_in == utoipa::openapi::path::ParameterIn::Query)
            });
            if has_query {
                add(
                    "422",
                    "A query parameter is invalid, unknown, or holds a control character (`validation_failed`)",
                );
            }
            if path.starts_with("/api/v1") && path != "/api/v1/openapi.json" {
                add(
                    "503",
                    "The database is unavailable or not ready yet; retry after `Retry-After` (`service_unavailable`)",
                );
            }
            for parameter in operation.parameters.iter_mut().flatten() {
                let RefOr::T(parameter) = parameter else {
                    continue;
                };
                match parameter.name.as_str() {
                    "lang" => {
                        parameter.schema = Some(
                            ObjectBuilder::new()
                                .schema_type(Type::String)
                                .enum_values(Some(["ar", "zh", "en", "fr", "ru", "es"]))
                                .into(),
                        );
                    }
                    "Idempotency-Key" => {
                        parameter.schema = Some(
                            ObjectBuilder::new()
                                .schema_type(Type::String)
                                .min_length(Some(1))
                                .max_length(Some(255))
                                .pattern(Some("^[!-~]+$"))
                                .into(),
                        );
                    }
                    _ => {}
                }
            }
        }
    }
    headers::document(document);
    examples::document(document);
}

/// The operations of a path item, each with whether it is its `GET`.
pub(crate) fn operations(
    item: &mut utoipa::openapi::PathItem,
) -> impl Iterator<Item = (&mut utoipa::openapi::path::Operation, bool)> {
    [
        (item.get.as_mut(), true),
        (item.post.as_mut(), false),
        (item.put.as_mut(), false),
        (item.patch.as_mut(), false),
        (item.delete.as_mut(), false),
    ]
    .into_iter()
    .filter_map(|(operation, is_get)| operation.map(|o| (o, is_get)))
}

/// Whether one of the requirements names this scheme.
fn names_scheme(security: &[SecurityRequirement], scheme: &str) -> bool {
    security.iter().any(|requirement| {
        serde_json::to_value(requirement)
            .ok()
            .and_then(|v| v.as_object().map(|o| o.contains_key(scheme)))
            .unwrap_or(false)
    })
}

/// The full document, as the server serves it.
pub fn document() -> Document {
    crate::server::api_document()
}

/// The document as pretty JSON with a trailing newline (the committed form).
pub fn document_json() -> Result<String, serde_json::Error> {
    let mut json = document().to_pretty_json()?;
    json.push('\n');
    Ok(json)
}
