//! Accounts and tokens: registration, e-mail verification, the OAuth 2.0 token endpoint and revocation.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, post, web};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use wsis_domain::identity::{check_password, narrow_scopes, scope_string};
use wsis_domain::{Email, Language, Scope};
use wsis_persistence::users::{self, NewUser, Rotation, SessionOwner};
use wsis_persistence::{DbError, api_clients, outbox};

use crate::auth::{passwords, secrets};
use crate::json::{FormOrJson, JsonBody};
use crate::mail;
use crate::problem::{
    ApiError, FieldError, INVALID_CLIENT, INVALID_GRANT, INVALID_REQUEST, INVALID_SCOPE,
    INVALID_TOKEN, Problem, ProblemKind, RATE_LIMITED, SignInRequired, UNSUPPORTED_GRANT_TYPE,
};
use crate::state::AppState;

/// How long an e-mail verification link stays valid.
pub const VERIFICATION_LIFETIME_HOURS: i64 = 48;

/// A new account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "amina@example.org", "password": "a long and unusual passphrase", "display_name": "Amina Diallo", "language": "fr"}))]
pub struct RegisterRequest {
    /// The e-mail address; a verification link is sent to it.
    pub email: String,
    /// 12–256 characters, not a well-known password, not containing the address.
    pub password: String,
    /// The name shown to colleagues, 1–200 characters.
    pub display_name: String,
    /// Preferred language for mail: ar, zh, en, fr, ru or es.
    pub language: String,
}

/// An account as its owner sees it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a0c4-8f2e-7d41-b6a2-5c1d9e0f3a7b", "email": "amina@example.org", "display_name": "Amina Diallo", "language": "fr", "email_verified": false, "created_at": "2025-01-15T09:30:00Z"}))]
pub struct Account {
    /// Id.
    pub id: String,
    /// E-mail as given.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// Preferred language.
    pub language: String,
    /// Whether the address is verified (needed to submit and vote).
    pub email_verified: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
}

impl From<&users::UserRecord> for Account {
    fn from(user: &users::UserRecord) -> Self {
        Self {
            id: user.id.clone(),
            email: user.email.clone(),
            display_name: user.display_name.clone(),
            language: user.language.clone(),
            email_verified: user.email_verified_at.is_some(),
            created_at: user.created_at,
        }
    }
}

/// An e-mail address that is well formed and one that mail can be sent to (a link must arrive there): `a,b@x.org`
/// parses as an address but would name two recipients in a mail header.
pub(crate) fn deliverable_email(field: &str, text: &str) -> Result<Email, FieldError> {
    let email = text
        .parse::<Email>()
        .map_err(|e| FieldError::new(field, "invalid_email", e.to_string()))?;
    if email.as_str().parse::<lettre::Address>().is_err() {
        return Err(FieldError::new(
            field,
            "undeliverable",
            "mail cannot be sent to this address",
        ));
    }
    Ok(email)
}

/// What is wrong with a name: its length (1 to `max` characters) and any control character or bidi override
/// (NUL cannot be stored; line breaks forge mail headers; overrides disguise what is shown).
pub(crate) fn name_errors(field: &str, name: &str, max: usize) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if name.is_empty() || name.chars().count() > max {
        errors.push(FieldError::new(
            field,
            "invalid_length",
            format!("1 to {max} characters"),
        ));
    }
    if let Some(c) = wsis_domain::text::forbidden_in_name(name) {
        errors.push(FieldError::new(
            field,
            "forbidden_character",
            format!(
                "{} (a control character or a bidirectional override) is not allowed in a name",
                wsis_domain::text::describe(c)
            ),
        ));
    }
    errors
}

fn password_errors(field: &str, password: &str, email: Option<&Email>) -> Vec<FieldError> {
    check_password(password, email)
        .into_iter()
        .map(|p| FieldError::new(field, p.code(), p.message()))
        .collect()
}

/// Queues the verification mail for `user` in the same transaction as the caller's change; returns the message id.
pub(crate) fn queue_verification(
    conn: &mut wsis_persistence::DbConnection,
    user: &users::UserRecord,
    frontend_url: &str,
    now: DateTime<Utc>,
) -> Result<String, DbError> {
    let token = secrets::generate("wsis_ev_");
    let expires = now + Duration::hours(VERIFICATION_LIFETIME_HOURS);
    users::create_email_token(
        conn,
        &user.id,
        "verify_email",
        &secrets::digest(&token),
        expires,
        now,
    )?;
    let language: Language = user.language.parse().unwrap_or(Language::En);
    let link = format!(
        "{}/verify-email?token={token}",
        frontend_url.trim_end_matches('/')
    );
    let letter = mail::verification(language, &user.display_name, &link);
    outbox::enqueue(
        conn,
        &user.email,
        &letter.subject,
        &letter.body,
        language.code(),
        now,
    )
}

/// Delivers the given outbox messages now (best effort: the background worker retries what fails).
pub(crate) async fn deliver_now(state: &AppState, ids: Option<Vec<String>>) {
    let db = state.db.clone();
    let identity = state.identity.clone();
    let now = state.clock.now();
    let outcome =
        web::block(move || mail::deliver_pending(&db, &identity.mailer, now, ids.as_deref())).await;
    if let Ok(Err(err)) | Err(err) = outcome.map_err(|e| DbError::Unavailable(e.to_string())) {
        tracing::warn!(error = %err, "immediate mail delivery failed; the outbox worker will retry");
    }
}

/// What a registration answers, whatever the address: nobody learns from it whether an account exists.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"email": "amina@example.org", "next": "verify_email", "detail": "If mail can be delivered to this address, a message is on its way: open its link to verify the address, then sign in."}))]
pub struct RegistrationAccepted {
    /// The address as given.
    pub email: String,
    /// Always `verify_email`: open the link the mail brings.
    pub next: String,
    /// What happens next, in words.
    pub detail: String,
}

/// How long an account whose address was never verified lives; then it is deleted and its address freed.
pub const UNVERIFIED_LIFETIME_DAYS: i64 = 7;

/// Unsolicited mail (verification links, notices, invitations) that one address receives at most per hour, and
/// invitations one account sends at most per hour: registration and invitations must not become a way to flood a
/// mailbox.
pub const MAIL_PER_DESTINATION_PER_HOUR: i64 = 5;
/// See [`MAIL_PER_DESTINATION_PER_HOUR`].
pub const INVITATIONS_PER_ACCOUNT_PER_HOUR: i64 = 30;

/// Reserves one unsolicited mail to `address` (and, with `sender`, one invitation of that account) within the hour;
/// `false` when a limit is reached.
pub(crate) fn reserve_mail(
    conn: &mut wsis_persistence::DbConnection,
    address: &str,
    sender: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let to = format!("mail-to:{}", address.to_lowercase());
    let by = sender.map(|s| format!("mail-by:{s}"));
    let mut keys = vec![(to.as_str(), MAIL_PER_DESTINATION_PER_HOUR)];
    if let Some(by) = &by {
        keys.push((by.as_str(), INVITATIONS_PER_ACCOUNT_PER_HOUR));
    }
    Ok(matches!(
        users::reserve_attempt(conn, &keys, now - Duration::hours(1), now)?,
        users::Attempt::Reserved(_)
    ))
}

/// Register: ask for an account.
///
/// Every well-formed registration is answered alike, 202, whether the address is new or not, so that the answer tells
/// nobody which addresses have accounts. A new address gets a verification link; an address whose account was never
/// verified gets a fresh link; the owner of an existing account is told by mail that someone tried (nothing changes).
/// Unsolicited mail to one address is limited to a few an hour. The password is hashed with Argon2id and never
/// stored or logged in clear. Until the address is verified the account can prepare drafts but not submit, vote or
/// join an organisation; an account not verified within 7 days is deleted and its address freed.
#[utoipa::path(
    operation_id = "register",
    tag = "identity",
    request_body(content = RegisterRequest, content_type = "application/json"),
    responses(
        (status = 202, description = "Registration received: check the mailbox", body = RegistrationAccepted),
        (status = 422, description = "Invalid fields, every one named", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Too many password hashes in progress; retry after `Retry-After`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/register")]
pub async fn register(
    state: web::Data<AppState>,
    body: JsonBody<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.0;
    let mut errors = Vec::new();
    let email = deliverable_email("email", &request.email)
        .map_err(|e| errors.push(e))
        .ok();
    errors.extend(password_errors(
        "password",
        &request.password,
        email.as_ref(),
    ));
    let display_name = request.display_name.trim().to_owned();
    errors.extend(name_errors("display_name", &display_name, 200));
    let language = request.language.parse::<Language>();
    if let Err(err) = &language {
        errors.push(FieldError::new(
            "language",
            "unsupported_language",
            err.to_string(),
        ));
    }
    let (Some(email), Ok(language), true) = (email, language, errors.is_empty()) else {
        return Err(ApiError::validation(errors));
    };
    // Hashed whether or not the address is taken, so that both take the same time.
    let password = request.password;
    let hash = state
        .identity
        .hashing
        .run(move || passwords::hash(&password))
        .await?
        .map_err(ApiError::internal)?;
    let now = state.clock.now();
    let frontend = state.identity.frontend_url.clone();
    let answer = RegistrationAccepted {
        email: email.as_str().to_owned(),
        next: "verify_email".into(),
        detail: "If mail can be delivered to this address, a message is on its way: open its link to verify the \
                 address, then sign in."
            .into(),
    };
    let message = state
        .db(move |conn| {
            wsis_persistence::db::transaction(conn, |conn| {
                users::expire_unverified(
                    conn,
                    now - Duration::days(UNVERIFIED_LIFETIME_DAYS),
                    now,
                )?;
                if !reserve_mail(conn, email.normalized(), None, now)? {
                    return Ok(None);
                }
                match users::find_user_by_email(conn, email.normalized())? {
                    Some(existing) if existing.email_verified_at.is_none() => {
                        queue_verification(conn, &existing, &frontend, now).map(Some)
                    }
                    Some(existing) => {
                        let language: Language = existing.language.parse().unwrap_or(Language::En);
                        let sign_in = format!("{}/sign-in", frontend.trim_end_matches('/'));
                        let letter =
                            mail::registration_again(language, &existing.display_name, &sign_in);
                        outbox::enqueue(
                            conn,
                            &existing.email,
                            &letter.subject,
                            &letter.body,
                            language.code(),
                            now,
                        )
                        .map(Some)
                    }
                    None => {
                        let created = users::create_user(
                            conn,
                            &NewUser {
                                email: email.as_str(),
                                email_normalized: email.normalized(),
                                password_hash: &hash,
                                display_name: &display_name,
                                language: language.code(),
                            },
                            now,
                        );
                        match created {
                            Ok(user) => {
                                tracing::info!(user.id = %user.id, "account registered");
                                queue_verification(conn, &user, &frontend, now).map(Some)
                            }
                            // A deleted account still holds the address: nothing to send.
                            Err(err) if users::is_email_taken(&err) => Ok(None),
                            Err(err) => Err(err),
                        }
                    }
                }
            })
        })
        .await?;
    if let Some(message) = message {
        deliver_now(&state, Some(vec![message])).await;
    }
    Ok(HttpResponse::Accepted().json(answer))
}

/// A token from a mail link.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"token": "wsis_ev_3q2-7wJkVYxLr0m1u8Fq4A9pQbN6c5sTzHdE2gKjYiU"}))]
pub struct TokenBody {
    /// The `token` query parameter of the link.
    pub token: String,
}

/// The result of verifying an address.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"email_verified": true}))]
pub struct Verified {
    /// Always true.
    pub email_verified: bool,
}

/// Verify an e-mail address with the token from the mailed link (single use, 48 hours).
#[utoipa::path(
    operation_id = "verify_email",
    tag = "identity",
    request_body(content = TokenBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The address is verified", body = Verified),
        (status = 400, description = "Unknown, used or expired token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No token given", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/verify-email")]
pub async fn verify_email(
    state: web::Data<AppState>,
    body: JsonBody<TokenBody>,
) -> Result<HttpResponse, ApiError> {
    let hash = secrets::digest(body.0.token.trim());
    let now = state.clock.now();
    let user = state
        .db(move |conn| {
            let Some(user) = users::consume_email_token(conn, "verify_email", &hash, now)? else {
                return Ok(None);
            };
            users::mark_verified(conn, &user, now)?;
            Ok(Some(user))
        })
        .await?;
    match user {
        Some(user) => {
            tracing::info!(user.id = %user, "e-mail verified");
            Ok(HttpResponse::Ok().json(Verified {
                email_verified: true,
            }))
        }
        None => Err(ApiError::new(
            INVALID_TOKEN,
            "The link is unknown, already used or expired; ask for a new one.",
        )),
    }
}

/// An OAuth 2.0 token request (RFC 6749), form-encoded or JSON.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"grant_type": "password", "username": "amina@example.org", "password": "a long and unusual passphrase"}))]
pub struct TokenRequest {
    /// `password`, `refresh_token` or `client_credentials`.
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

fn oauth_error(kind: &'static ProblemKind, detail: &str) -> ApiError {
    ApiError {
        oauth: true,
        ..ApiError::new(kind, detail)
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

/// Reserves a password attempt under the caller's account and address keys before any password is checked (so
/// parallel guesses cannot pass the limit together), or answers 429 with `Retry-After`.
pub(crate) async fn reserve_password_attempt(
    state: &AppState,
    account: &str,
    address: &str,
) -> Result<Vec<String>, ApiError> {
    let identity = state.identity.clone();
    let now = state.clock.now();
    let since = now - identity.throttle_window;
    let (account_key, address_key) = (format!("account:{account}"), format!("address:{address}"));
    let attempt = state
        .db(move |conn| {
            users::reserve_attempt(
                conn,
                &[
                    (&account_key, identity.max_account_failures),
                    (&address_key, identity.max_address_failures),
                ],
                since,
                now,
            )
        })
        .await?;
    match attempt {
        users::Attempt::Reserved(ids) => Ok(ids),
        users::Attempt::Refused { oldest } => {
            let window = state.identity.throttle_window;
            let retry = oldest.map_or(60, |o| (o + window - now).num_seconds().max(1));
            Err(ApiError {
                retry_after: u64::try_from(retry).ok(),
                ..ApiError::new(
                    RATE_LIMITED,
                    "Too many failed password attempts; wait before trying again.",
                )
            })
        }
    }
}

/// Signs in with e-mail and password, throttled per account and per client address.
async fn password_grant(
    state: &AppState,
    address: String,
    username: String,
    password: String,
) -> Result<TokenResponse, ApiError> {
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
    let lookup = normalized.clone();
    let user = state
        .db(move |conn| users::find_user_by_email(conn, &lookup))
        .await?;
    // Verify against the account's hash, or a decoy when there is none, so both cases take the same time.
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let ok = admission
        .run(move || match stored {
            Some(hash) => passwords::verify(&password, &hash),
            None => {
                passwords::verify_decoy(&password);
                false
            }
        })
        .await?;
    let user = match (ok, user) {
        (true, Some(user)) => user,
        // The reserved attempt stays: it is the failure.
        _ => {
            return Err(oauth_error(
                INVALID_GRANT,
                "The e-mail address or the password is wrong.",
            ));
        }
    };
    let refresh = secrets::generate("wsis_rt_");
    let refresh_hash = secrets::digest(&refresh);
    let user_id = user.id.clone();
    let lifetime = identity.session_lifetime;
    let (sid, roles) = state
        .db(move |conn| {
            wsis_persistence::db::transaction(conn, |conn| {
                users::forget_attempt(conn, &reserved)?;
                // Events older than the longest window (an hour, for mail) are purged by the way.
                let purge_before = since.min(now - Duration::hours(1));
                users::clear_auth_failures(conn, &account_key, purge_before)?;
                let sid = users::create_session(
                    conn,
                    &SessionOwner::User(user_id.clone()),
                    "",
                    now + lifetime,
                    now,
                )?;
                users::add_refresh_token(conn, &sid, &refresh_hash, now + lifetime, now)?;
                Ok((sid, users::roles_of(conn, &user_id)?))
            })
        })
        .await?;
    let access = identity
        .tokens
        .issue(&user.id, &sid, "user", user_roles(&roles), "", now)
        .map_err(ApiError::internal)?;
    tracing::info!(user.id = %user.id, session.id = %sid, "signed in");
    Ok(TokenResponse {
        access_token: access,
        token_type: "Bearer",
        expires_in: identity.tokens.lifetime_seconds(),
        refresh_token: Some(refresh),
        scope: String::new(),
    })
}

/// Exchanges a refresh token for new tokens, rotating it.
async fn refresh_grant(state: &AppState, presented: String) -> Result<TokenResponse, ApiError> {
    let identity = state.identity.clone();
    let now = state.clock.now();
    let new_refresh = secrets::generate("wsis_rt_");
    let new_hash = secrets::digest(&new_refresh);
    let presented_hash = secrets::digest(presented.trim());
    let lifetime = identity.session_lifetime;
    let outcome = state
        .db(move |conn| {
            let rotation =
                users::rotate_refresh_token(conn, &presented_hash, &new_hash, now + lifetime, now)?;
            let Rotation::Rotated(session) = rotation else {
                return Ok((rotation, None));
            };
            let SessionOwner::User(user_id) = &session.owner else {
                return Ok((Rotation::Invalid, None));
            };
            match users::find_user(conn, user_id) {
                Ok(_) => {}
                Err(DbError::NotFound) => return Ok((Rotation::Invalid, None)),
                Err(err) => return Err(err),
            }
            let roles = users::roles_of(conn, user_id)?;
            Ok((Rotation::Rotated(session), Some(roles)))
        })
        .await?;
    match outcome {
        (Rotation::Rotated(session), Some(roles)) => {
            let SessionOwner::User(user_id) = &session.owner else {
                return Err(oauth_error(
                    INVALID_GRANT,
                    "The refresh token is not valid.",
                ));
            };
            let access = identity
                .tokens
                .issue(user_id, &session.id, "user", user_roles(&roles), "", now)
                .map_err(ApiError::internal)?;
            Ok(TokenResponse {
                access_token: access,
                token_type: "Bearer",
                expires_in: identity.tokens.lifetime_seconds(),
                refresh_token: Some(new_refresh),
                scope: session.scope,
            })
        }
        (Rotation::Reused, _) => {
            tracing::warn!("a rotated refresh token was presented again; its session is revoked");
            Err(oauth_error(
                INVALID_GRANT,
                "The refresh token was already used; the session is revoked, sign in again.",
            ))
        }
        _ => Err(oauth_error(
            INVALID_GRANT,
            "The refresh token is unknown, expired or revoked.",
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
            return Err(oauth_error(
                INVALID_CLIENT,
                "Unknown client or wrong secret.",
            ));
        }
    };
    let scopes: Vec<Scope> = narrow_scopes(scope.as_deref(), &client.scopes)
        .map_err(|e| oauth_error(INVALID_SCOPE, &e.to_string()))?;
    let scope = scope_string(&scopes);
    let record_id = client.id.clone();
    let granted = scope.clone();
    let sid = state
        .db(move |conn| {
            api_clients::touch(conn, &record_id, now)?;
            users::create_session(
                conn,
                &SessionOwner::Client(record_id.clone()),
                &granted,
                now + Duration::seconds(900),
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
            &format!("`{name}` is required for this grant type."),
        )
    })
}

/// Get tokens (OAuth 2.0 token endpoint, RFC 6749).
///
/// `password`: `username` (e-mail) and `password`; failed attempts are throttled per account and per address (429
/// with `Retry-After`), and an unknown address answers exactly like a wrong password. `refresh_token`: rotates the
/// refresh token; presenting a used one revokes the session. `client_credentials`: partner API clients, with
/// `client_id`/`client_secret` in the body or HTTP Basic, optionally narrowing `scope`.
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
    let response = match request.grant_type.as_str() {
        "password" => {
            let username = required(request.username, "username")?;
            let password = required(request.password, "password")?;
            password_grant(
                &state,
                crate::client_address::client_address(&req, &state.identity.trusted_proxies),
                username,
                password,
            )
            .await?
        }
        "refresh_token" => {
            refresh_grant(&state, required(request.refresh_token, "refresh_token")?).await?
        }
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
                        "Give `client_id` and `client_secret`, or HTTP Basic credentials.",
                    ));
                }
            };
            client_credentials_grant(&state, id, secret, request.scope).await?
        }
        other => {
            return Err(oauth_error(
                UNSUPPORTED_GRANT_TYPE,
                &format!(
                    "`{}` is not supported; use password, refresh_token or client_credentials.",
                    other.chars().take(40).collect::<String>()
                ),
            ));
        }
    };
    Ok(token_response(&response))
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
    let hash = secrets::digest(&token);
    state
        .db(move |conn| {
            let session = match session_from_access {
                Some(sid) => Some(sid),
                None => users::session_of_refresh_token(conn, &hash)?,
            };
            if let Some(sid) = session {
                users::revoke_session(conn, &sid, "revoked by client", now)?;
            }
            Ok(())
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish())
}
