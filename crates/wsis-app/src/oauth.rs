//! Third-party frontends signing people in with the OAuth 2.0 authorization code grant and PKCE (docs/identity.md):
//! staff register public clients; the authorization page checks a request, signs the person in and, with their
//! consent, issues a short-lived single-use code bound to the client, the redirect URI and the PKCE challenge; the
//! token endpoint exchanges it for a session.

use chrono::{DateTime, Duration, Utc};
use rand::Rng as _;
use wsis_domain::forms::Violation;
use wsis_domain::oauth as rules;
use wsis_domain::{Actor, Said, UserRole, said};
use wsis_persistence::oauth::{self as rows, NewCode, OAuthClientRecord};
use wsis_persistence::users::{self, SessionOwner};
use wsis_persistence::{DbConnection, DbError};

use crate::Refusal;
use crate::accounts::Seen;

/// A public client as staff register it.
#[derive(Debug, Clone)]
pub struct NewPublicClient {
    /// Its name, shown on the consent page: 1–200 characters.
    pub name: String,
    /// Its redirect URIs: 1 to [`rules::MAX_REDIRECT_URIS`].
    pub redirect_uris: Vec<String>,
    /// The scopes it may be granted (of [`rules::SCOPES`]).
    pub scopes: Vec<String>,
}

fn client_not_found(id: &str) -> Refusal {
    Refusal::NotFound(said!(
        "not-found-oauth-client",
        id = id.chars().take(64).collect::<String>()
    ))
}

/// Registers a public client (staff). Its `client_id` is `wsis_pc_` and 16 random hex digits.
pub fn register_client(
    conn: &mut DbConnection,
    actor: &Actor,
    client: &NewPublicClient,
    at: DateTime<Utc>,
) -> Result<OAuthClientRecord, Refusal> {
    let staff = crate::require_staff(actor, said!("action-register-oauth-clients"))?;
    let mut violations = Vec::new();
    let name = client.name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        violations.push(Violation::new(
            "name",
            "invalid_length",
            said!("field-invalid_length", min = 1, max = 200),
        ));
    }
    if client.redirect_uris.is_empty() || client.redirect_uris.len() > rules::MAX_REDIRECT_URIS {
        violations.push(Violation::new(
            "redirect_uris",
            "invalid_length",
            said!("field-redirect-uris-count", max = rules::MAX_REDIRECT_URIS),
        ));
    }
    for (i, uri) in client.redirect_uris.iter().enumerate() {
        if let Err(message) = rules::check_redirect_uri(uri) {
            violations.push(Violation::new(
                format!("redirect_uris[{i}]"),
                "invalid_redirect_uri",
                message,
            ));
        }
    }
    if client.scopes.is_empty() {
        violations.push(Violation::new(
            "scopes",
            "invalid_length",
            said!("field-oauth-scope", allowed = rules::SCOPES.join(", ")),
        ));
    }
    for (i, scope) in client.scopes.iter().enumerate() {
        if !rules::SCOPES.contains(&scope.as_str()) {
            violations.push(Violation::new(
                format!("scopes[{i}]"),
                "invalid_choice",
                said!("field-oauth-scope", allowed = rules::SCOPES.join(", ")),
            ));
        }
    }
    if !violations.is_empty() {
        return Err(Refusal::Invalid(violations));
    }
    let mut random = [0u8; 8];
    rand::rng().fill(&mut random);
    let client_id = format!(
        "wsis_pc_{}",
        random
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let mut scopes = client.scopes.clone();
    scopes.dedup();
    crate::run(conn, |conn| {
        let record = rows::create_client(
            conn,
            &client_id,
            name,
            &client.redirect_uris,
            &scopes,
            &staff,
            at,
        )?;
        tracing::info!(client.id = %record.client_id, by = %staff, "public OAuth client registered");
        Ok(record)
    })
}

/// Every public client (staff).
pub fn clients(conn: &mut DbConnection, actor: &Actor) -> Result<Vec<OAuthClientRecord>, Refusal> {
    crate::require_staff(actor, said!("action-register-oauth-clients"))?;
    crate::run(conn, |conn| Ok(rows::list_clients(conn)?))
}

/// One public client (staff).
pub fn client(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
) -> Result<OAuthClientRecord, Refusal> {
    crate::require_staff(actor, said!("action-register-oauth-clients"))?;
    crate::run(conn, |conn| match rows::find_client(conn, id) {
        Ok(record) => Ok(record),
        Err(DbError::NotFound) => Err(client_not_found(id)),
        Err(error) => Err(error.into()),
    })
}

/// Revokes a public client (staff): its codes stop working and every session it opened is revoked.
pub fn revoke_client(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    at: DateTime<Utc>,
) -> Result<OAuthClientRecord, Refusal> {
    let staff = crate::require_staff(actor, said!("action-register-oauth-clients"))?;
    crate::run(conn, |conn| {
        match rows::find_client(conn, id) {
            Ok(_) => {}
            Err(DbError::NotFound) => return Err(client_not_found(id)),
            Err(error) => return Err(error.into()),
        }
        rows::revoke_client(conn, id, at)?;
        let ended = rows::revoke_client_sessions(conn, id, "its OAuth client was revoked", at)?;
        tracing::info!(client = %id, by = %staff, ended, "public OAuth client revoked");
        Ok(rows::find_client(conn, id)?)
    })
}

/// An authorization request as it arrives (RFC 6749 §4.1.1, RFC 7636 §4.3).
#[derive(Debug, Clone, Default)]
pub struct AuthorizationRequest {
    /// Must be `code`.
    pub response_type: Option<String>,
    /// The client's public id.
    pub client_id: Option<String>,
    /// One of the client's registered redirect URIs, exactly.
    pub redirect_uri: Option<String>,
    /// Space-separated scopes (none: all the client may have).
    pub scope: Option<String>,
    /// Opaque value the client gets back.
    pub state: Option<String>,
    /// The PKCE challenge.
    pub code_challenge: Option<String>,
    /// Must be `S256`.
    pub code_challenge_method: Option<String>,
}

/// A request that passed every check: where the code goes and what it grants.
#[derive(Debug, Clone)]
pub struct ValidRequest {
    /// The client.
    pub client: OAuthClientRecord,
    /// The redirect URI (one of the client's).
    pub redirect_uri: String,
    /// The scopes granted.
    pub scopes: Vec<String>,
    /// The client's `state`, given back.
    pub state: Option<String>,
    /// The PKCE challenge.
    pub code_challenge: String,
}

/// Why a request is refused.
#[derive(Debug, Clone)]
pub enum Rejected {
    /// The client or its redirect URI cannot be trusted: the page says so and never redirects (RFC 6749 §4.1.2.1).
    Untrusted(Said),
    /// The request is otherwise wrong: the client is told at its redirect URI (`error`, RFC 6749 §4.1.2.1).
    Redirect {
        /// Where.
        redirect_uri: String,
        /// The RFC 6749 error code.
        error: &'static str,
        /// Why, in English (RFC 6749 `error_description` is ASCII).
        description: &'static str,
        /// The client's `state`.
        state: Option<String>,
    },
}

/// Checks an authorization request: the client and its redirect URI first (nothing is redirected to an address
/// that is not the client's), then the rest (told to the client at that address).
pub fn check_request(
    conn: &mut DbConnection,
    request: &AuthorizationRequest,
) -> Result<Result<ValidRequest, Rejected>, Refusal> {
    let client = match request.client_id.as_deref() {
        Some(id) if !id.is_empty() => {
            crate::run(conn, |conn| Ok(rows::find_live_client(conn, id)?))?
        }
        _ => None,
    };
    let Some(client) = client else {
        return Ok(Err(Rejected::Untrusted(said!("oauth-unknown-client"))));
    };
    let redirect_uri = match request.redirect_uri.as_deref() {
        Some(uri) if client.redirect_uris.iter().any(|r| r == uri) => uri.to_owned(),
        // Optional when the client has exactly one (RFC 6749 §3.1.2.3); required otherwise.
        None if client.redirect_uris.len() == 1 => client.redirect_uris[0].clone(),
        _ => return Ok(Err(Rejected::Untrusted(said!("oauth-redirect-mismatch")))),
    };
    let state = request.state.clone();
    let rejected = |error, description| {
        Ok(Err(Rejected::Redirect {
            redirect_uri: redirect_uri.clone(),
            error,
            description,
            state: state.clone(),
        }))
    };
    if request.response_type.as_deref() != Some("code") {
        return rejected("unsupported_response_type", "response_type must be code");
    }
    if request.code_challenge_method.as_deref() != Some("S256") {
        return rejected(
            "invalid_request",
            "PKCE is required: code_challenge_method must be S256",
        );
    }
    let challenge = match request.code_challenge.as_deref() {
        Some(challenge) if rules::challenge_is_s256(challenge) => challenge.to_owned(),
        _ => {
            return rejected(
                "invalid_request",
                "code_challenge must be the base64url SHA-256 of the code verifier (43 characters)",
            );
        }
    };
    if state.as_deref().is_some_and(|s| s.len() > 1000) {
        return rejected("invalid_request", "state is longer than 1000 characters");
    }
    let Some(scopes) = rules::granted_scopes(request.scope.as_deref(), &client.scopes) else {
        return rejected(
            "invalid_scope",
            "a scope asked for is not allowed to this client",
        );
    };
    Ok(Ok(ValidRequest {
        client,
        redirect_uri,
        scopes,
        state,
        code_challenge: challenge,
    }))
}

/// Issues a code for a person who signed in on the page and consented (`reserved`: the password attempt, forgotten
/// now that it succeeded).
pub fn issue_code(
    conn: &mut DbConnection,
    request: &ValidRequest,
    user_id: &str,
    reserved: &[String],
    code_digest: &str,
    at: DateTime<Utc>,
) -> Result<(), Refusal> {
    crate::run(conn, |conn| {
        users::forget_attempt(conn, reserved)?;
        rows::create_code(
            conn,
            &NewCode {
                code_hash: code_digest,
                client: &request.client.id,
                user_id,
                redirect_uri: &request.redirect_uri,
                scope: &request.scopes.join(" "),
                code_challenge: &request.code_challenge,
                expires_at: at + Duration::seconds(rules::CODE_LIFETIME_SECONDS),
            },
            at,
        )?;
        tracing::info!(user.id = %user_id, client.id = %request.client.client_id, "authorization code issued");
        Ok(())
    })
}

/// A code exchange's request (RFC 6749 §4.1.3, RFC 7636 §4.5).
#[derive(Debug, Clone)]
pub struct Exchange<'a> {
    /// The code's digest.
    pub code_digest: &'a str,
    /// The client's public id.
    pub client_id: &'a str,
    /// The redirect URI of the authorization request.
    pub redirect_uri: &'a str,
    /// The PKCE verifier.
    pub code_verifier: &'a str,
    /// The new refresh token's digest.
    pub refresh_digest: &'a str,
    /// The session's lifetime.
    pub lifetime: Duration,
}

/// What an exchange came to.
#[derive(Debug)]
pub enum Exchanged {
    /// A session: its id, the user, the scope granted.
    Session(String, String, String),
    /// The code is unknown, expired, used (its session is then revoked: RFC 6749 §4.1.2), or not this client's,
    /// redirect URI's or verifier's.
    Invalid(&'static str),
}

/// Exchanges a code for a session, once.
pub fn exchange_code(
    conn: &mut DbConnection,
    exchange: &Exchange<'_>,
    seen: &Seen,
    at: DateTime<Utc>,
) -> Result<Exchanged, Refusal> {
    crate::run(conn, |conn| {
        let Some(code) = rows::find_code_for_update(conn, exchange.code_digest)? else {
            return Ok(Exchanged::Invalid("the code is unknown"));
        };
        if code.used_at.is_some() {
            // A code presented twice was stolen or replayed: what it opened is closed.
            if let Some(session) = &code.session_id {
                users::revoke_session(conn, session, "authorization code reused", at)?;
            }
            tracing::warn!(code = %code.id, "an authorization code was presented again; its session is revoked");
            return Ok(Exchanged::Invalid("the code was used already"));
        }
        if code.expires_at.and_utc() <= at {
            return Ok(Exchanged::Invalid("the code has expired"));
        }
        let client = rows::find_live_client(conn, exchange.client_id)?;
        if client.as_ref().map(|c| c.id.as_str()) != Some(code.client_id.as_str()) {
            return Ok(Exchanged::Invalid("the code was issued to another client"));
        }
        if code.redirect_uri != exchange.redirect_uri {
            return Ok(Exchanged::Invalid(
                "redirect_uri is not the one of the authorization request",
            ));
        }
        if !rules::verifier_answers(exchange.code_verifier, &code.code_challenge) {
            return Ok(Exchanged::Invalid(
                "code_verifier does not answer the code_challenge",
            ));
        }
        let sid = users::create_session(
            conn,
            &SessionOwner::User(code.user_id.clone()),
            &code.scope,
            at + exchange.lifetime,
            at,
        )?;
        if !rows::use_code(conn, &code.id, &sid, at)? {
            return Ok(Exchanged::Invalid("the code was used already"));
        }
        users::add_refresh_token(
            conn,
            &sid,
            exchange.refresh_digest,
            at + exchange.lifetime,
            at,
        )?;
        rows::mark_session_client(conn, &sid, &code.client_id)?;
        users::note_session_seen(
            conn,
            &sid,
            seen.user_agent.as_deref(),
            seen.client_address.as_deref(),
            at,
        )?;
        tracing::info!(user.id = %code.user_id, session.id = %sid, "signed in through an OAuth client");
        Ok(Exchanged::Session(sid, code.user_id, code.scope))
    })
}

/// Whether a session's scope is a delegation to a third-party client (its roles are then not granted).
pub fn is_delegated(scope: &str) -> bool {
    scope.split(' ').any(|s| s == rules::ACCOUNT_SCOPE)
}

/// The roles a session grants: none through a third-party client.
pub fn delegated_roles(scope: &str, roles: Vec<UserRole>) -> Vec<UserRole> {
    if is_delegated(scope) {
        Vec::new()
    } else {
        roles
    }
}
