//! The OAuth 2.0 token endpoint (password, refresh token, client credentials grants) and revocation.

use super::*;
use wsis_app::accounts::Refreshed;
use wsis_app::throttle::Quota;
use wsis_domain::{Said, said};

/// An OAuth 2.0 token request (RFC 6749), form-encoded or JSON.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"grant_type": "password", "username": "amina@example.org", "password": "a long and unusual passphrase"}))]
pub struct TokenRequest {
    /// `authorization_code`, `password`, `refresh_token` or `client_credentials` (any other is 400
    /// `unsupported_grant_type`).
    #[schema(value_type = GrantType)]
    pub grant_type: String,
    /// E-mail address (`password` grant).
    pub username: Option<String>,
    /// Password (`password` grant).
    pub password: Option<String>,
    /// Refresh token (`refresh_token` grant).
    pub refresh_token: Option<String>,
    /// Client id (`client_credentials`; or HTTP Basic).
    pub client_id: Option<String>,
    /// Client secret (`client_credentials`; or HTTP Basic).
    pub client_secret: Option<String>,
    /// Space-separated scopes to narrow a client's grant.
    pub scope: Option<String>,
    /// The code from the redirect (`authorization_code` grant).
    pub code: Option<String>,
    /// The redirect URI of the authorization request, again (`authorization_code` grant).
    pub redirect_uri: Option<String>,
    /// The PKCE code verifier (`authorization_code` grant).
    pub code_verifier: Option<String>,
}

/// Tokens (RFC 6749 §5.1).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"access_token": "eyJhbGciOiJIUzI1NiIsImtpZCI6IjIwMjUtMDEifQ.eyJzdWIiOiIuLi4ifQ.c2ln", "token_type": "Bearer", "expires_in": 900, "refresh_token": "wsis_rt_Zr7c1mQpX2aLk9VwYb3N8tE0uH5sJ4gD6fRiOqTnB1c", "scope": ""}))]
pub struct TokenResponse {
    /// JWT access token.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Access token lifetime in seconds.
    pub expires_in: i64,
    /// Opaque refresh token (users only); rotated on every use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// Granted scopes, space-separated.
    pub scope: String,
}

fn oauth_error(kind: &'static ProblemKind, message: Said) -> ApiError {
    ApiError {
        oauth: true,
        ..ApiError::new(kind, message)
    }
}

fn token_response(body: &TokenResponse) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"))
        .json(body)
}

/// HTTP Basic credentials (RFC 6749 §2.3.1).
fn basic_credentials(req: &HttpRequest) -> Option<(String, String)> {
    use base64::Engine;
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

fn user_roles(roles: &[wsis_domain::UserRole]) -> Vec<String> {
    roles.iter().map(|r| r.code().to_owned()).collect()
}

/// Signs in with e-mail and password, throttled per account and per client address.
async fn password_grant(
    state: &AppState,
    address: String,
    seen: wsis_app::accounts::Seen,
    username: String,
    password: String,
) -> Result<(TokenResponse, Vec<Quota>), ApiError> {
    let identity = state.identity.clone();
    let now = state.clock.now();
    let normalized = username.trim().to_lowercase();
    let account_key = format!("account:{normalized}");
    let since = now - identity.throttle_window;
    // A place to hash first: when the gate is full the answer is 503 at once, before anything is written.
    let admission = identity
        .hashing
        .admit()
        .map_err(|e| ApiError { oauth: true, ..e })?;
    let reserved = reserve_password_attempt(state, &normalized, &address)
        .await
        .map_err(|e| ApiError { oauth: true, ..e })?;
    let user = match account_with_password(state, admission, &normalized, password).await? {
        Some(user) => user,
        // The reserved attempt stays: it is the failure.
        None => {
            return Err(ApiError {
                quotas: Some(Box::new(crate::problem::Quotas(reserved.quotas(true)))),
                ..oauth_error(INVALID_GRANT, said!("grant-wrong-password"))
            });
        }
    };
    let refresh = secrets::generate("wsis_rt_");
    let refresh_digest = secrets::digest(&refresh);
    let user_id = user.id.clone();
    let lifetime = identity.session_lifetime;
    let quotas = reserved.quotas_signed_in();
    let (sid, roles) = state
        .run(move |conn| {
            let signed_in = wsis_app::accounts::SignedIn {
                reserved: &reserved.ids,
                account_key: &account_key,
                // Events older than the longest window (an hour, for mail) are purged by the way.
                purge_before: since.min(now - Duration::hours(1)),
            };
            wsis_app::accounts::open_user_session(
                conn,
                &user_id,
                &signed_in,
                &refresh_digest,
                lifetime,
                &seen,
                now,
            )
        })
        .await?;
    let access = identity
        .tokens
        .issue(&user.id, &sid, "user", user_roles(&roles), "", now)
        .map_err(ApiError::internal)?;
    let tokens = TokenResponse {
        access_token: access,
        token_type: "Bearer",
        expires_in: identity.tokens.lifetime_seconds(),
        refresh_token: Some(refresh),
        scope: String::new(),
    };
    Ok((tokens, quotas))
}

/// Exchanges a refresh token for new tokens, rotating it.
async fn refresh_grant(
    state: &AppState,
    seen: wsis_app::accounts::Seen,
    presented: String,
) -> Result<TokenResponse, ApiError> {
    let identity = state.identity.clone();
    let now = state.clock.now();
    let new_refresh = secrets::generate("wsis_rt_");
    let new_hash = secrets::digest(&new_refresh);
    let presented_digest = secrets::digest(presented.trim());
    let lifetime = identity.session_lifetime;
    let outcome = state
        .run(move |conn| {
            wsis_app::accounts::refresh_session(
                conn,
                &presented_digest,
                &new_hash,
                lifetime,
                &seen,
                now,
            )
        })
        .await?;
    match outcome {
        Refreshed::Rotated(session, user_id, roles) => {
            // A session opened through a third-party client keeps its scope, and never carries roles.
            let roles = wsis_app::oauth::delegated_roles(&session.scope, roles);
            let access = identity
                .tokens
                .issue(
                    &user_id,
                    &session.id,
                    "user",
                    user_roles(&roles),
                    &session.scope,
                    now,
                )
                .map_err(ApiError::internal)?;
            Ok(TokenResponse {
                access_token: access,
                token_type: "Bearer",
                expires_in: identity.tokens.lifetime_seconds(),
                refresh_token: Some(new_refresh),
                scope: session.scope,
            })
        }
        Refreshed::Reused => Err(oauth_error(INVALID_GRANT, said!("grant-refresh-reused"))),
        Refreshed::Invalid => Err(oauth_error(INVALID_GRANT, said!("grant-refresh-invalid"))),
    }
}

/// Exchanges an authorization code for tokens (RFC 6749 §4.1.3, RFC 7636 §4.6): the code once, for the client it
/// was issued to, with the redirect URI of the request and the verifier of its PKCE challenge.
async fn authorization_code_grant(
    state: &AppState,
    seen: wsis_app::accounts::Seen,
    request: TokenRequest,
) -> Result<TokenResponse, ApiError> {
    let code = required(request.code, "code")?;
    let client_id = required(request.client_id, "client_id")?;
    let redirect_uri = required(request.redirect_uri, "redirect_uri")?;
    let verifier = required(request.code_verifier, "code_verifier")?;
    let identity = state.identity.clone();
    let now = state.clock.now();
    let refresh = secrets::generate("wsis_rt_");
    let refresh_digest = secrets::digest(&refresh);
    let code_digest = secrets::digest(code.trim());
    let lifetime = identity.session_lifetime;
    let outcome = state
        .run(move |conn| {
            wsis_app::oauth::exchange_code(
                conn,
                &wsis_app::oauth::Exchange {
                    code_digest: &code_digest,
                    client_id: &client_id,
                    redirect_uri: &redirect_uri,
                    code_verifier: &verifier,
                    refresh_digest: &refresh_digest,
                    lifetime,
                },
                &seen,
                now,
            )
        })
        .await?;
    match outcome {
        wsis_app::oauth::Exchanged::Session(sid, user_id, scope) => {
            let access = identity
                .tokens
                .issue(&user_id, &sid, "user", Vec::new(), &scope, now)
                .map_err(ApiError::internal)?;
            Ok(TokenResponse {
                access_token: access,
                token_type: "Bearer",
                expires_in: identity.tokens.lifetime_seconds(),
                refresh_token: Some(refresh),
                scope,
            })
        }
        wsis_app::oauth::Exchanged::Invalid(why) => Err(oauth_error(
            INVALID_GRANT,
            said!("grant-code-invalid", reason = why),
        )),
    }
}

/// Issues a partner API client an access token for its (possibly narrowed) scopes.
async fn client_credentials_grant(
    state: &AppState,
    client_id: String,
    secret: String,
    scope: Option<String>,
) -> Result<TokenResponse, ApiError> {
    let identity = state.identity.clone();
    let now = state.clock.now();
    let lookup = client_id.clone();
    let found = state
        .db(move |conn| api_clients::find_for_login(conn, &lookup))
        .await?;
    let client = match found {
        Some((client, hash)) if secrets::digests_equal(&secrets::digest(&secret), &hash) => client,
        _ => {
            return Err(oauth_error(INVALID_CLIENT, said!("grant-wrong-client")));
        }
    };
    let scopes: Vec<Scope> = narrow_scopes(scope.as_deref(), &client.scopes)
        .map_err(|e| oauth_error(INVALID_SCOPE, e.said()))?;
    let scope = scope_string(&scopes);
    let record_id = client.id.clone();
    let granted = scope.clone();
    let sid = state
        .run(move |conn| {
            wsis_app::accounts::open_client_session(
                conn,
                &record_id,
                &granted,
                Duration::seconds(900),
                now,
            )
        })
        .await?;
    let access = identity
        .tokens
        .issue(
            &client.id,
            &sid,
            "client",
            vec!["partner".into()],
            &scope,
            now,
        )
        .map_err(ApiError::internal)?;
    tracing::info!(client.id = %client.client_id, "client token issued");
    Ok(TokenResponse {
        access_token: access,
        token_type: "Bearer",
        expires_in: identity.tokens.lifetime_seconds(),
        refresh_token: None,
        scope,
    })
}

fn required(value: Option<String>, name: &str) -> Result<String, ApiError> {
    value.filter(|v| !v.is_empty()).ok_or_else(|| {
        oauth_error(
            INVALID_REQUEST,
            said!("grant-parameter-required", name = name),
        )
    })
}

/// Get tokens (OAuth 2.0 token endpoint, RFC 6749).
///
/// `authorization_code`: third-party frontends, with the `code` from the authorization page, their public
/// `client_id`, the `redirect_uri` of the request and the PKCE `code_verifier` (a code works once, for a minute).
/// `password`: first-party tools and scripts only (a third-party frontend must not collect passwords): `username`
/// (e-mail) and `password`; failed attempts are throttled per account and per address (429 with `Retry-After`), and
/// an unknown address answers exactly like a wrong password. `refresh_token`: rotates the refresh token; presenting a
/// used one revokes the session. `client_credentials`: partner API clients, with `client_id`/`client_secret` in the
/// body or HTTP Basic, optionally narrowing `scope`.
#[utoipa::path(
    operation_id = "create_token",
    tag = "identity",
    request_body(content(
        (TokenRequest = "application/x-www-form-urlencoded"),
        (TokenRequest = "application/json"),
    )),
    responses(
        (status = 200, description = "Tokens", body = TokenResponse),
        (status = 400, description = "`invalid_grant`, `invalid_request`, `invalid_scope` or `unsupported_grant_type` (with RFC 6749 `error`)", body = Problem, content_type = "application/problem+json"),
        SignInRequired,
        (status = 415, description = "Neither form-encoded nor JSON", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed sign-ins; see `Retry-After`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/token")]
pub async fn create_token(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: FormOrJson<TokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.0;
    let address = crate::client_address::client_address(&req, &state.identity.trusted_proxies);
    let seen = wsis_app::accounts::Seen::new(
        req.headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok()),
        &address,
    );
    let (response, quotas) = match request.grant_type.as_str() {
        "password" => {
            let username = required(request.username, "username")?;
            let password = required(request.password, "password")?;
            password_grant(&state, address, seen, username, password).await?
        }
        "authorization_code" => (
            authorization_code_grant(&state, seen, request).await?,
            Vec::new(),
        ),
        "refresh_token" => (
            refresh_grant(
                &state,
                seen,
                required(request.refresh_token, "refresh_token")?,
            )
            .await?,
            Vec::new(),
        ),
        "client_credentials" => {
            let (id, secret) = match (
                basic_credentials(&req),
                request.client_id,
                request.client_secret,
            ) {
                (Some(basic), _, _) => basic,
                (None, Some(id), Some(secret)) => (id, secret),
                _ => {
                    return Err(oauth_error(
                        INVALID_CLIENT,
                        said!("grant-client-credentials"),
                    ));
                }
            };
            (
                client_credentials_grant(&state, id, secret, request.scope).await?,
                Vec::new(),
            )
        }
        other => {
            return Err(oauth_error(
                UNSUPPORTED_GRANT_TYPE,
                said!(
                    "grant-type-unsupported",
                    given = other.chars().take(40).collect::<String>()
                ),
            ));
        }
    };
    let mut answer = token_response(&response);
    crate::responses::ratelimit::tell(answer.headers_mut(), &quotas);
    Ok(answer)
}

/// The OAuth 2.0 grants the token endpoint takes (documentation only: the request keeps the text, so that another
/// grant is answered with RFC 6749's `unsupported_grant_type`).
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum GrantType {
    /// A code from the authorization page, with its PKCE verifier (third-party frontends).
    AuthorizationCode,
    /// E-mail and password (users).
    Password,
    /// A refresh token, rotated.
    RefreshToken,
    /// A partner API client's id and secret.
    ClientCredentials,
}

/// A token to revoke (RFC 7009).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"token": "wsis_rt_Zr7c1mQpX2aLk9VwYb3N8tE0uH5sJ4gD6fRiOqTnB1c", "token_type_hint": "refresh_token"}))]
pub struct RevokeRequest {
    /// A refresh token or an access token.
    pub token: String,
    /// `refresh_token` or `access_token` (a hint only).
    pub token_type_hint: Option<String>,
}

/// Revoke a token's session (RFC 7009): a refresh token, or an access token. Always 200, even for unknown tokens.
///
/// Anyone holding the token may call it, without other credentials. It ends the session the token belongs to (every
/// access and refresh token of it stops working); an unknown token changes nothing.
#[utoipa::path(
    operation_id = "revoke_token",
    tag = "identity",
    request_body(content(
        (RevokeRequest = "application/x-www-form-urlencoded"),
        (RevokeRequest = "application/json"),
    )),
    responses(
        (status = 200, description = "Revoked, or nothing to revoke"),
        (status = 415, description = "Neither form-encoded nor JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No token given", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/revoke")]
pub async fn revoke_token(
    state: web::Data<AppState>,
    body: FormOrJson<RevokeRequest>,
) -> Result<HttpResponse, ApiError> {
    let token = body.0.token.trim().to_owned();
    let now = state.clock.now();
    let session_from_access = state
        .identity
        .tokens
        .verify(&token, now)
        .ok()
        .map(|claims| claims.sid);
    let digest = secrets::digest(&token);
    state
        .run(move |conn| {
            wsis_app::accounts::revoke_session(conn, session_from_access, &digest, now)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish())
}
