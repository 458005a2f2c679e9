//! The authorization page of the OAuth 2.0 authorization code grant with PKCE (docs/identity.md): a small
//! server-rendered sign-in and consent form (no JavaScript, no third-party resources, a strict CSP, no framing,
//! a CSRF token bound to a same-site cookie), in the six UN languages with right-to-left Arabic; the public
//! clients' registration by staff; and the server's metadata (RFC 8414).

use std::sync::LazyLock;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use wsis_app::oauth::{AuthorizationRequest, NewPublicClient, Rejected, ValidRequest};
use wsis_domain::{Email, Language, Said, said};
use wsis_persistence::oauth::OAuthClientRecord;

use crate::auth::{Principal, secrets};
use crate::json::JsonBody;
use crate::problem::{ApiError, Problem, StaffOnly};
use crate::state::AppState;

/// The page's only style, allowed by its hash in the CSP (no `unsafe-inline`).
const STYLE: &str = "\
body{font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;background:#f4f6f8;margin:0}\
main{max-width:28rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002}\
h1{font-size:1.4rem;margin:0 0 1rem;color:#003366}\
p{margin:.5rem 0 1rem}\
label{display:block;font-weight:600;margin:.75rem 0 .25rem}\
input[type=email],input[type=password]{box-sizing:border-box;width:100%;padding:.6rem;border:1px solid #555;border-radius:4px;font:inherit}\
input:focus,button:focus{outline:3px solid #0b5fff;outline-offset:2px}\
.actions{display:flex;gap:.75rem;margin-top:1.5rem}\
button{font:inherit;padding:.6rem 1.2rem;border-radius:4px;border:1px solid #003366;cursor:pointer}\
button.allow{background:#003366;color:#fff}\
button.deny{background:#fff;color:#003366}\
.error{background:#fde8e8;border:1px solid #b00020;color:#7a0016;padding:.6rem;border-radius:4px}\
small{color:#444}";

static STYLE_HASH: LazyLock<String> = LazyLock::new(|| {
    use base64::Engine as _;
    use sha2::Digest as _;
    base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(STYLE.as_bytes()))
});

const CSRF_COOKIE: &str = "wsis_oauth_csrf";

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The origin (`scheme://host[:port]`) of an absolute URI.
fn origin(uri: &str) -> String {
    match uri.split_once("://") {
        Some((scheme, rest)) => {
            let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
            format!("{scheme}://{authority}")
        }
        None => String::new(),
    }
}

/// An HTML page with the headers every page of the flow carries.
fn page(
    status: actix_web::http::StatusCode,
    language: Language,
    form_to: Option<&str>,
    body: String,
) -> HttpResponse {
    let form_action = match form_to {
        Some(redirect) => format!("form-action 'self' {}", origin(redirect)),
        None => "form-action 'none'".into(),
    };
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::CONTENT_LANGUAGE, language.code()))
        // The form's own origin travels with its post (under `no-referrer` a browser sends `Origin: null`), and no
        // referrer leaves for another origin.
        .insert_header((header::REFERRER_POLICY, "same-origin"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            format!(
                "default-src 'none'; style-src 'sha256-{}'; {form_action}; frame-ancestors 'none'; base-uri 'none'",
                *STYLE_HASH
            ),
        ))
        .body(body)
}

fn document(language: Language, title: &str, main: &str) -> String {
    let dir = if language == Language::Ar {
        "rtl"
    } else {
        "ltr"
    };
    format!(
        "<!doctype html><html lang=\"{lang}\" dir=\"{dir}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title>\
         <style>{STYLE}</style></head><body><main>{main}</main></body></html>",
        lang = language.code(),
        title = escape(title),
    )
}

fn error_page(
    language: Language,
    status: actix_web::http::StatusCode,
    message: &Said,
) -> HttpResponse {
    let title = said!("oauth-page-error-title").in_language(language);
    let main = format!(
        "<h1>{}</h1><p class=\"error\" role=\"alert\">{}</p>",
        escape(&title),
        escape(&message.in_language(language))
    );
    page(status, language, None, document(language, &title, &main))
}

/// The sign-in and consent form for a valid request.
fn form_page(
    language: Language,
    status: actix_web::http::StatusCode,
    request: &ValidRequest,
    csrf: &str,
    email: &str,
    error: Option<Said>,
) -> HttpResponse {
    let t = |id: &'static str| escape(&Said::named(id.to_owned()).in_language(language));
    let title = said!("oauth-page-title").in_language(language);
    let hidden = [
        ("response_type", "code"),
        ("client_id", request.client.client_id.as_str()),
        ("redirect_uri", request.redirect_uri.as_str()),
        ("scope", &request.scopes.join(" ")),
        ("state", request.state.as_deref().unwrap_or_default()),
        ("code_challenge", request.code_challenge.as_str()),
        ("code_challenge_method", "S256"),
        ("lang", language.code()),
        ("csrf", csrf),
    ]
    .iter()
    .map(|(name, value)| {
        format!(
            "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
            escape(value)
        )
    })
    .collect::<String>();
    let alert = error
        .map(|e| {
            format!(
                "<p class=\"error\" role=\"alert\" id=\"error\">{}</p>",
                escape(&e.in_language(language))
            )
        })
        .unwrap_or_default();
    let described = if alert.is_empty() {
        ""
    } else {
        " aria-describedby=\"error\""
    };
    let main = format!(
        "<h1>{title}</h1>{alert}<p>{asks}</p><p>{grants}</p>\
         <form method=\"post\" action=\"authorize\">{hidden}\
         <label for=\"email\">{email_label}</label>\
         <input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\" required autofocus value=\"{email}\"{described}>\
         <label for=\"password\">{password_label}</label>\
         <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required{described}>\
         <div class=\"actions\"><button class=\"allow\" type=\"submit\" name=\"decision\" value=\"allow\">{allow}</button>\
         <button class=\"deny\" type=\"submit\" name=\"decision\" value=\"deny\" formnovalidate>{deny}</button></div>\
         </form><p><small>{later}</small></p>",
        title = escape(&title),
        asks = escape(
            &said!("oauth-page-asks", client = request.client.name.clone()).in_language(language)
        ),
        grants = t("oauth-page-grants"),
        email_label = t("oauth-page-email"),
        email = escape(email),
        password_label = t("oauth-page-password"),
        allow = t("oauth-page-allow"),
        deny = t("oauth-page-deny"),
        later = t("oauth-page-later"),
    );
    page(
        status,
        language,
        Some(&request.redirect_uri),
        document(language, &title, &main),
    )
}

/// A 303 to the client's redirect URI with these parameters (and the issuer, RFC 9207).
fn redirect(state: &AppState, to: &str, params: &[(&str, &str)]) -> HttpResponse {
    let issuer = state.identity.tokens.issuer().to_owned();
    let mut pairs: Vec<(&str, &str)> = params.to_vec();
    pairs.push(("iss", &issuer));
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    let separator = if to.contains('?') { '&' } else { '?' };
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("{to}{separator}{query}")))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}

fn rejected(state: &AppState, language: Language, rejection: Rejected) -> HttpResponse {
    match rejection {
        Rejected::Untrusted(message) => {
            error_page(language, actix_web::http::StatusCode::BAD_REQUEST, &message)
        }
        Rejected::Redirect {
            redirect_uri,
            error,
            description,
            state: client_state,
        } => {
            let mut params = vec![("error", error), ("error_description", description)];
            if let Some(s) = client_state.as_deref() {
                params.push(("state", s));
            }
            redirect(state, &redirect_uri, &params)
        }
    }
}

/// An authorization request's parameters (RFC 6749 §4.1.1, RFC 7636 §4.3); others are ignored, as RFC 6749 asks.
#[derive(Debug, Clone, Default, Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuthorizeParams {
    /// `code`.
    pub response_type: Option<String>,
    /// The public client's id.
    pub client_id: Option<String>,
    /// One of the client's registered redirect URIs, exactly (optional when it has one).
    pub redirect_uri: Option<String>,
    /// `account` (the default: every scope the client may have).
    pub scope: Option<String>,
    /// An opaque value the client gets back with the code (CSRF protection on the client's side).
    pub state: Option<String>,
    /// `BASE64URL(SHA256(code_verifier))`.
    pub code_challenge: Option<String>,
    /// `S256` (`plain` is refused).
    pub code_challenge_method: Option<String>,
    /// The page's language: ar, zh, en, fr, ru or es (else `Accept-Language`).
    pub lang: Option<String>,
}

impl AuthorizeParams {
    fn request(&self) -> AuthorizationRequest {
        AuthorizationRequest {
            response_type: self.response_type.clone(),
            client_id: self.client_id.clone(),
            redirect_uri: self.redirect_uri.clone(),
            scope: self.scope.clone(),
            state: self.state.clone().filter(|s| !s.is_empty()),
            code_challenge: self.code_challenge.clone(),
            code_challenge_method: self.code_challenge_method.clone(),
        }
    }
}

fn language_of(req: &HttpRequest, asked: Option<&str>) -> Language {
    asked
        .and_then(|l| l.parse().ok())
        .unwrap_or_else(|| crate::negotiate::request_language(req))
}

/// The authorization page: sign in and allow a third-party application (HTML).
///
/// Anyone may open it; a third-party frontend sends people here (OAuth 2.0 authorization code with PKCE, `S256`
/// only). With a known client and one of its redirect URIs it shows the sign-in and consent form; an unknown client
/// or a redirect URI it has not registered is an error page (never a redirect); any other fault of the request is
/// told to the client at its redirect URI (`error`, `error_description`, `state`, `iss`).
#[utoipa::path(
    operation_id = "authorize",
    tag = "identity",
    params(AuthorizeParams),
    responses(
        (status = 200, description = "The sign-in and consent form", content_type = "text/html", body = String,
         headers(("Content-Security-Policy" = String, description = "No script, the page's style by hash, no framing"), ("Set-Cookie" = String, description = "The form's CSRF cookie (HttpOnly, SameSite=Strict)"))),
        (status = 303, description = "A faulty request, told to the client at its redirect URI",
         headers(("Location" = String, description = "The redirect URI with `error`, `error_description`, `state` and `iss`"))),
        (status = 400, description = "Unknown client, or a redirect URI it has not registered (an error page)", content_type = "text/html", body = String,
         headers(("Content-Security-Policy" = String, description = "No script, no framing"))),
        (status = 422, description = "A parameter given twice, or a control character in the query", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/oauth/authorize")]
pub async fn authorize(
    req: HttpRequest,
    state: web::Data<AppState>,
    params: web::Query<AuthorizeParams>,
) -> Result<HttpResponse, ApiError> {
    let language = language_of(&req, params.lang.as_deref());
    let request = params.request();
    let checked = state
        .run(move |conn| wsis_app::oauth::check_request(conn, &request))
        .await?;
    let valid = match checked {
        Ok(valid) => valid,
        Err(rejection) => return Ok(rejected(&state, language, rejection)),
    };
    let csrf = secrets::generate("");
    let secure = req.connection_info().scheme() == "https";
    let mut response = form_page(
        language,
        actix_web::http::StatusCode::OK,
        &valid,
        &csrf,
        "",
        None,
    );
    let cookie = actix_web::cookie::Cookie::build(CSRF_COOKIE, csrf)
        .path("/api/v1/oauth")
        .http_only(true)
        .secure(secure)
        .same_site(actix_web::cookie::SameSite::Strict)
        .finish();
    response.add_cookie(&cookie).map_err(ApiError::internal)?;
    Ok(response)
}

/// What the form posts: the request again, its CSRF token, the decision and the credentials.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct AuthorizeForm {
    /// The authorization request, as the page was opened with.
    #[serde(flatten)]
    pub request: AuthorizeParams,
    /// The form's CSRF token (the cookie's value).
    pub csrf: Option<String>,
    /// `allow` or `deny`.
    pub decision: Option<String>,
    /// The e-mail address.
    pub email: Option<String>,
    /// The password.
    pub password: Option<String>,
}

/// The form's answer: sign in and allow (or deny) a third-party application.
///
/// The page's own form posts here (same origin, with its CSRF token and cookie). Allowed with the right password
/// (throttled as every sign-in is), the person goes back to the client with a code (60 seconds, single use); denied,
/// with `error=access_denied`. A wrong password shows the form again (200, with the reason).
#[utoipa::path(
    operation_id = "authorize_decision",
    tag = "identity",
    request_body(content = AuthorizeForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Back to the client: `code` (or `error`), `state`, `iss`",
         headers(("Location" = String, description = "The redirect URI with the code or the error"))),
        (status = 200, description = "Wrong e-mail or password: the form again, with the reason", content_type = "text/html", body = String,
         headers(("Content-Security-Policy" = String, description = "No script, no framing"))),
        (status = 400, description = "An untrusted client or redirect URI (an error page)", content_type = "text/html", body = String,
         headers(("Content-Security-Policy" = String, description = "No script, no framing"))),
        (status = 403, description = "The form's CSRF token or origin does not match (the page expired)", content_type = "text/html", body = String,
         headers(("Content-Security-Policy" = String, description = "No script, no framing"))),
        (status = 429, description = "Too many failed sign-ins (the page again, with the reason)", content_type = "text/html", body = String,
         headers(("Content-Security-Policy" = String, description = "No script, no framing"), ("Retry-After" = String, description = "Seconds to wait"))),
        (status = 503, description = "Too many password checks in progress; retry after `Retry-After`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/oauth/authorize")]
pub async fn authorize_decision(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    // Read whatever arrived: a body that is not this form has no CSRF token, and is answered as an expired page.
    let form: AuthorizeForm = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let language = language_of(&req, form.request.lang.as_deref());
    // The form is ours: its token matches its cookie, and a browser that names an origin names ours.
    let cookie = req.cookie(CSRF_COOKIE).map(|c| c.value().to_owned());
    let token_matches = match (&cookie, &form.csrf) {
        (Some(cookie), Some(field)) if !cookie.is_empty() => {
            secrets::digests_equal(&secrets::digest(cookie), &secrets::digest(field))
        }
        _ => false,
    };
    let info = req.connection_info().clone();
    let own_origin = format!("{}://{}", info.scheme(), info.host());
    let same_origin = req
        .headers()
        .get(header::ORIGIN)
        .is_none_or(|o| o.to_str().is_ok_and(|o| o == own_origin));
    if !token_matches || !same_origin {
        return Ok(error_page(
            language,
            actix_web::http::StatusCode::FORBIDDEN,
            &said!("oauth-page-expired"),
        ));
    }
    let request = form.request.request();
    let checked = state
        .run(move |conn| wsis_app::oauth::check_request(conn, &request))
        .await?;
    let valid = match checked {
        Ok(valid) => valid,
        Err(rejection) => return Ok(rejected(&state, language, rejection)),
    };
    let client_state = valid.state.clone().unwrap_or_default();
    if form.decision.as_deref() != Some("allow") {
        let mut params = vec![
            ("error", "access_denied"),
            ("error_description", "the person denied the request"),
        ];
        if valid.state.is_some() {
            params.push(("state", &client_state));
        }
        return Ok(redirect(&state, &valid.redirect_uri, &params));
    }
    let csrf = form.csrf.clone().unwrap_or_default();
    let email_given = form.email.clone().unwrap_or_default();
    let again =
        |status, error: Said| form_page(language, status, &valid, &csrf, &email_given, Some(error));
    let normalized = email_given
        .trim()
        .parse::<Email>()
        .map(|e| e.normalized().to_owned())
        .unwrap_or_else(|_| email_given.trim().to_lowercase());
    let password = form.password.clone().unwrap_or_default();
    // The same throttle as every sign-in: reserved before the password is checked.
    let admission = state.identity.hashing.admit()?;
    let address = crate::client_address::client_address(&req, &state.identity.trusted_proxies);
    let reserved =
        match crate::routes::auth::reserve_password_attempt(&state, &normalized, &address).await {
            Ok(reserved) => reserved,
            Err(error) if error.kind.status == 429 => {
                let mut page = again(
                    actix_web::http::StatusCode::TOO_MANY_REQUESTS,
                    said!("oauth-page-throttled"),
                );
                if let Some(retry) = error.retry_after {
                    page.headers_mut()
                        .insert(header::RETRY_AFTER, header::HeaderValue::from(retry));
                }
                return Ok(page);
            }
            Err(error) => return Err(error),
        };
    let user =
        match crate::routes::auth::account_with_password(&state, admission, &normalized, password)
            .await?
        {
            Some(user) => user,
            // The form again, with the reason: a page for the person, who may try again.
            None => {
                return Ok(again(
                    actix_web::http::StatusCode::OK,
                    said!("oauth-page-wrong"),
                ));
            }
        };
    let code = secrets::generate("wsis_ac_");
    let digest = secrets::digest(&code);
    let now = state.clock.now();
    let (issued_for, user_id) = (valid.clone(), user.id.clone());
    state
        .run(move |conn| {
            wsis_app::oauth::issue_code(conn, &issued_for, &user_id, &reserved.ids, &digest, now)
        })
        .await?;
    let mut params = vec![("code", code.as_str())];
    if valid.state.is_some() {
        params.push(("state", &client_state));
    }
    Ok(redirect(&state, &valid.redirect_uri, &params))
}

/// The authorization server's metadata (RFC 8414).
#[derive(Debug, Serialize, ToSchema)]
pub struct ServerMetadata {
    /// The issuer: the `iss` of access tokens and of authorization responses.
    pub issuer: String,
    /// The authorization page.
    pub authorization_endpoint: String,
    /// The token endpoint.
    pub token_endpoint: String,
    /// The revocation endpoint (RFC 7009).
    pub revocation_endpoint: String,
    /// `code`.
    pub response_types_supported: Vec<&'static str>,
    /// The grants of the token endpoint.
    pub grant_types_supported: Vec<&'static str>,
    /// `S256`.
    pub code_challenge_methods_supported: Vec<&'static str>,
    /// `none` (public clients), `client_secret_basic` and `client_secret_post` (partners' API clients).
    pub token_endpoint_auth_methods_supported: Vec<&'static str>,
    /// Scopes: `account` for public clients; partners' scopes for API clients.
    pub scopes_supported: Vec<&'static str>,
    /// The page's languages.
    pub ui_locales_supported: Vec<&'static str>,
    /// The authorization response carries `iss` (RFC 9207).
    pub authorization_response_iss_parameter_supported: bool,
    /// The API's reference.
    pub service_documentation: String,
}

/// The OAuth 2.0 authorization server's metadata (RFC 8414).
///
/// Anyone may read it; it changes nothing.
#[utoipa::path(
    operation_id = "get_oauth_metadata",
    tag = "identity",
    responses(
        (status = 200, description = "The metadata", body = ServerMetadata),
        (status = 422, description = "A control character in the query string", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/.well-known/oauth-authorization-server")]
pub async fn oauth_metadata(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let info = req.connection_info().clone();
    let base = format!("{}://{}", info.scheme(), info.host());
    let api = format!("{base}/api/v1");
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .json(ServerMetadata {
            issuer: state.identity.tokens.issuer().to_owned(),
            authorization_endpoint: format!("{api}/oauth/authorize"),
            token_endpoint: format!("{api}/auth/token"),
            revocation_endpoint: format!("{api}/auth/revoke"),
            response_types_supported: vec!["code"],
            grant_types_supported: vec![
                "authorization_code",
                "refresh_token",
                "password",
                "client_credentials",
            ],
            code_challenge_methods_supported: vec!["S256"],
            token_endpoint_auth_methods_supported: vec![
                "none",
                "client_secret_basic",
                "client_secret_post",
            ],
            scopes_supported: vec!["account", "submissions:read", "exports:read", "stats:read"],
            ui_locales_supported: vec!["ar", "zh", "en", "fr", "ru", "es"],
            authorization_response_iss_parameter_supported: true,
            service_documentation: format!("{base}/docs"),
        })
}

/// A public client as staff see it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a0c8-3c4d-7e5f-8a60-7b8c9d0e1f2a", "client_id": "wsis_pc_5f2a9c3e7b1d4e6f", "name": "Digital Rights Collective portal", "redirect_uris": ["https://portal.drc.example/callback"], "scopes": ["account"], "created_at": "2025-01-10T08:00:00Z", "revoked_at": null}))]
pub struct PublicClient {
    /// Record id.
    #[schema(format = Uuid)]
    pub id: String,
    /// The `client_id` of its requests (public; it has no secret).
    pub client_id: String,
    /// Its name, shown on the consent page.
    pub name: String,
    /// Its redirect URIs, matched exactly.
    pub redirect_uris: Vec<String>,
    /// The scopes it may be granted.
    pub scopes: Vec<String>,
    /// Registered (UTC).
    #[schema(format = DateTime)]
    pub created_at: String,
    /// Revoked (UTC).
    #[schema(format = DateTime)]
    pub revoked_at: Option<String>,
}

impl From<OAuthClientRecord> for PublicClient {
    fn from(record: OAuthClientRecord) -> Self {
        use crate::dto::rfc3339 as at;
        Self {
            id: record.id,
            client_id: record.client_id,
            name: record.name,
            redirect_uris: record.redirect_uris,
            scopes: record.scopes,
            created_at: at(record.created_at),
            revoked_at: record.revoked_at.map(at),
        }
    }
}

/// A public client to register.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Digital Rights Collective portal", "redirect_uris": ["https://portal.drc.example/callback"], "scopes": ["account"]}))]
pub struct NewPublicClientRequest {
    /// Its name, shown on the consent page (1–200 characters).
    pub name: String,
    /// 1 to 10 redirect URIs: absolute `https`, or `http` on a loopback address; no fragment.
    pub redirect_uris: Vec<String>,
    /// The scopes it may be granted: `account`.
    pub scopes: Vec<String>,
}

/// The public clients.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicClients {
    /// Newest first.
    pub items: Vec<PublicClient>,
}

/// Register a public OAuth client (staff): a third-party frontend that signs people in.
///
/// Staff only. The client has no secret (it runs in browsers): PKCE binds each code to the request that asked for it.
#[utoipa::path(
    operation_id = "create_oauth_client",
    tag = "admin",
    security(("bearer" = [])),
    request_body(content = NewPublicClientRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Registered", body = PublicClient),
        StaffOnly,
        (status = 422, description = "Invalid fields, every one named", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/oauth-clients")]
pub async fn create_oauth_client(
    state: web::Data<AppState>,
    principal: Principal,
    body: Result<JsonBody<NewPublicClientRequest>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    principal.require_staff()?;
    let body = body?.0;
    let client = NewPublicClient {
        name: body.name,
        redirect_uris: body.redirect_uris,
        scopes: body.scopes,
    };
    let (actor, now) = (principal.actor.clone(), state.clock.now());
    let record = state
        .run(move |conn| wsis_app::oauth::register_client(conn, &actor, &client, now))
        .await?;
    let location = format!("/api/v1/admin/oauth-clients/{}", record.id);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .json(PublicClient::from(record)))
}

/// List the public OAuth clients (staff).
///
/// Staff only; it changes nothing.
#[utoipa::path(
    operation_id = "list_oauth_clients",
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every public client, newest first", body = PublicClients),
        StaffOnly,
    )
)]
#[get("/admin/oauth-clients")]
pub async fn list_oauth_clients(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let actor = principal.actor.clone();
    let records = state
        .run(move |conn| wsis_app::oauth::clients(conn, &actor))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .json(PublicClients {
            items: records.into_iter().map(PublicClient::from).collect(),
        }))
}

/// Revoke a public OAuth client (staff): its codes stop working and every session it opened ends.
///
/// Staff only.
#[utoipa::path(
    operation_id = "revoke_oauth_client",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Client record id")),
    responses(
        (status = 200, description = "The revoked client", body = PublicClient),
        StaffOnly,
        (status = 404, description = "No such client", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/admin/oauth-clients/{id}")]
pub async fn revoke_oauth_client(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (actor, now) = (principal.actor.clone(), state.clock.now());
    let record = state
        .run(move |conn| wsis_app::oauth::revoke_client(conn, &actor, &id, now))
        .await?;
    Ok(HttpResponse::Ok().json(PublicClient::from(record)))
}
