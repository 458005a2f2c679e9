//! The caller of a request, from its `Authorization: Bearer` token: verified, then checked against the database
//! (session not revoked, user not deleted, client not revoked). No credentials: anonymous. Bad credentials: 401.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use chrono::{DateTime, Utc};
use wsis_domain::{Access, Actor, ClientActor, UserActor, policy};
use wsis_persistence::users::SessionOwner;
use wsis_persistence::{DbConnection, DbError, api_clients, users};

use super::Claims;

use crate::problem::{ApiError, UNAUTHORIZED};
use crate::state::AppState;
use wsis_domain::{Said, said};

/// The authenticated caller.
#[derive(Debug, Clone)]
pub struct Principal {
    /// Who, for the policy.
    pub actor: Actor,
    /// The session of the token, if any.
    pub session_id: Option<String>,
}

impl Principal {
    /// The staff member's user id, or 401 (no credentials) / 403 (not staff).
    pub fn require_staff(&self) -> Result<String, ApiError> {
        enforce(policy::administer(&self.actor), || {
            ApiError::internal("administration is never hidden")
        })?;
        Ok(self.user_id()?.to_owned())
    }

    /// The signed-in user's id, or a 401/403 as the policy would answer for own-account operations.
    pub fn user_id(&self) -> Result<&str, ApiError> {
        match &self.actor {
            Actor::User(user) => Ok(&user.id),
            Actor::Anonymous => Err(unauthenticated(said!("refused-sign-in-user"))),
            Actor::Client(_) => Err(ApiError::new(
                crate::problem::FORBIDDEN,
                said!("refused-clients-cannot"),
            )),
        }
    }
}

/// Turns a policy answer into the error the caller gets: hidden → `hidden()` (a 404 like a missing object),
/// forbidden → 403, unauthenticated → 401 — the use cases' mapping (`wsis_app::Refusal::unless_allowed`), answered
/// as a problem.
pub fn enforce(access: Access, hidden: impl FnOnce() -> ApiError) -> Result<(), ApiError> {
    match wsis_app::Refusal::unless_allowed(access, || {
        wsis_app::Refusal::NotFound(said!("resource-missing"))
    }) {
        Ok(()) => Ok(()),
        Err(wsis_app::Refusal::NotFound(_)) => Err(hidden()),
        Err(refusal) => Err(refusal.into()),
    }
}

/// A 401 with the `WWW-Authenticate` challenge of RFC 6750.
pub fn unauthenticated(message: Said) -> ApiError {
    ApiError {
        www_authenticate: true,
        ..ApiError::new(UNAUTHORIZED, message)
    }
}

fn bearer(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| unauthenticated(said!("token-header-unreadable")))?;
    let (scheme, token) = value.split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(unauthenticated(said!("token-use-bearer")));
    }
    Ok(Some(token.trim().to_owned()))
}

/// A request's verified access token (`None`: no credentials), not yet checked against the database: for a route
/// that resolves its caller in its use case's own database checkout ([`Credentials::actor`]), one blocking hop
/// and one checkout fewer than [`Principal`] (the vote, the busiest write). Bad credentials are a 401 already.
#[derive(Debug, Clone)]
pub struct Credentials {
    claims: Option<Claims>,
}

impl Credentials {
    /// The user the token names, before the database confirms it (for keying an idempotent retry: a token that
    /// turns out to be revoked is refused before anything is stored).
    pub fn user_hint(&self) -> Option<&str> {
        self.claims
            .as_ref()
            .filter(|c| c.kind == "user")
            .map(|c| c.sub.as_str())
    }

    /// The caller, as [`Principal`] would resolve it, on the use case's connection: anonymous without credentials;
    /// a 401 when the session has ended, or its user or client is gone.
    pub fn actor(
        &self,
        conn: &mut DbConnection,
        now: DateTime<Utc>,
    ) -> Result<Actor, wsis_app::Refusal> {
        match &self.claims {
            None => Ok(Actor::Anonymous),
            Some(claims) => actor_for(conn, claims, now)?
                .ok_or_else(|| wsis_app::Refusal::Unauthenticated(said!("token-session-ended"))),
        }
    }
}

/// Verifies the request's bearer token, if any.
fn verified(req: &HttpRequest) -> Result<(Option<Claims>, Option<web::Data<AppState>>), ApiError> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let Some(token) = bearer(req)? else {
        return Ok((None, state));
    };
    let state = state.ok_or_else(|| ApiError::internal("application state missing"))?;
    let claims = state
        .identity
        .tokens
        .verify(&token, state.clock.now())
        .map_err(|e| {
            // Which check failed helps a forger more than a client: it is logged, never sent.
            tracing::debug!(error = %e, "access token refused");
            unauthenticated(said!("token-invalid-or-expired"))
        })?;
    Ok((Some(claims), Some(state)))
}

impl FromRequest for Credentials {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(verified(req).map(|(claims, _)| Self { claims }))
    }
}

/// The actor a verified token's session stands for (`None`: the session was revoked or has expired, or its user
/// or client is gone).
fn actor_for(
    conn: &mut DbConnection,
    claims: &Claims,
    now: DateTime<Utc>,
) -> Result<Option<Actor>, DbError> {
    let (session, user) = match users::find_session_with_user(conn, &claims.sid) {
        Ok(found) => found,
        Err(DbError::NotFound) => return Ok(None),
        Err(err) => return Err(err),
    };
    if session.revoked_at.is_some() || session.expires_at <= now {
        return Ok(None);
    }
    match session.owner {
        SessionOwner::User(id) if id == claims.sub && claims.kind == "user" => {
            let Some(granted) = user else {
                return Ok(None);
            };
            Ok(Some(Actor::User(UserActor {
                id,
                // A third-party client acts as the person's plain account: staff and reviewer roles stay home.
                roles: wsis_app::oauth::delegated_roles(&session.scope, granted.roles),
                memberships: granted.memberships,
                email_verified: granted.email_verified,
                delegated: wsis_app::oauth::is_delegated(&session.scope),
            })))
        }
        SessionOwner::Client(id) if id == claims.sub && claims.kind == "client" => {
            let client = api_clients::find(conn, &id)?;
            if client.revoked_at.is_some() {
                return Ok(None);
            }
            let granted: Vec<_> = claims
                .scope
                .split_whitespace()
                .filter_map(|s| s.parse().ok())
                .collect();
            let scopes = granted
                .into_iter()
                .filter(|s| client.scopes.contains(s))
                .collect();
            Ok(Some(Actor::Client(ClientActor {
                id,
                scopes,
                action_lines: client.action_lines,
            })))
        }
        _ => Ok(None),
    }
}

impl FromRequest for Principal {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let verified = verified(req);
        Box::pin(async move {
            let (claims, state) = verified?;
            let (Some(claims), Some(state)) = (claims, state) else {
                return Ok(Self {
                    actor: Actor::Anonymous,
                    session_id: None,
                });
            };
            let now = state.clock.now();
            let sid = claims.sid.clone();
            let actor = state.db(move |conn| actor_for(conn, &claims, now)).await?;
            let actor = actor.ok_or_else(|| unauthenticated(said!("token-session-ended")))?;
            Ok(Self {
                actor,
                session_id: Some(sid),
            })
        })
    }
}
