//! The signed-in user's own account.

use actix_web::{HttpResponse, delete, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use wsis_domain::Email;
use wsis_domain::account::password_violations;
use wsis_domain::said;
use wsis_persistence::users;

use crate::auth::{Principal, passwords};
use crate::json::JsonBody;
use crate::problem::{ApiError, FieldError, Problem, SignInRequired};
use crate::routes::auth::Account;
use crate::state::AppState;

/// A membership as its member sees it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a0c5-1b2c-7d3e-8f40-5a6b7c8d9e0f", "name": "Digital Rights Collective", "role": "owner"}))]
pub struct MyOrganisation {
    /// Organisation id.
    #[schema(format = Uuid)]
    pub id: String,
    /// Name.
    pub name: String,
    /// `owner`, `editor` or `viewer`.
    #[schema(value_type = wsis_domain::MemberRole)]
    pub role: String,
}

/// The signed-in user with roles and memberships.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "account": {"id": "0193a0c4-8f2e-7d41-b6a2-5c1d9e0f3a7b", "email": "amina@example.org", "display_name": "Amina Diallo", "language": "fr", "email_verified": true, "created_at": "2025-01-15T09:30:00Z"},
    "roles": [],
    "organisations": [{"id": "0193a0c5-1b2c-7d3e-8f40-5a6b7c8d9e0f", "name": "Digital Rights Collective", "role": "owner"}]
}))]
pub struct Me {
    /// The account.
    pub account: Account,
    /// Roles granted by staff (`staff`, `reviewer`).
    #[schema(value_type = Vec<wsis_domain::UserRole>)]
    pub roles: Vec<String>,
    /// Memberships.
    pub organisations: Vec<MyOrganisation>,
}

/// Who am I: the user, roles and organisation memberships.
///
/// A signed-in user may call it (not an API client); it changes nothing.
#[utoipa::path(
    operation_id = "get_me",
    tag = "identity",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The signed-in user", body = Me),
        SignInRequired,
        (status = 403, description = "An API client, not a user", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me")]
pub async fn get_me(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let actor = principal.actor.clone();
    let (user, roles, memberships) = state
        .run(move |conn| wsis_app::accounts::me(conn, &actor))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "private, no-store"))
        .json(me_of((user, roles, memberships))))
}

/// A password change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"current_password": "a long and unusual passphrase", "new_password": "another long, unusual passphrase"}))]
pub struct PasswordChange {
    /// The password now.
    pub current_password: String,
    /// The new password (same rules as at registration).
    pub new_password: String,
}

/// Change my password. Every session of the account is revoked, this one included: sign in again.
///
/// A signed-in user may call it for their own account, with their current password. It sets the new password and
/// revokes every session of the account; a wrong current password counts as a failed sign-in.
#[utoipa::path(
    operation_id = "change_password",
    tag = "identity",
    security(("bearer" = [])),
    request_body(content = PasswordChange, content_type = "application/json"),
    responses(
        (status = 204, description = "Changed; every session is revoked"),
        SignInRequired,
        (status = 403, description = "An API client, not a user", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong current password or a weak new one", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed password attempts on this account or from this address", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Too many password checks in progress; retry after `Retry-After`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/password")]
pub async fn change_password(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    body: Result<JsonBody<PasswordChange>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let id = principal.user_id()?.to_owned();
    wsis_app::accounts::may_manage_credentials(&principal.actor)?;
    let change = body?.0;
    let lookup = id.clone();
    let user = state
        .db(move |conn| users::find_user(conn, &lookup))
        .await?;
    // The cheap checks first: a weak new password is refused before anything is hashed.
    let email: Option<Email> = user.email.parse().ok();
    let violations = password_violations("new_password", &change.new_password, email.as_ref());
    if !violations.is_empty() {
        return Err(ApiError::violations(violations));
    }
    // A wrong current password is a failed password attempt like a failed sign-in, counted in the same limits,
    // reserved before the check: a stolen access token must not become an unthrottled password oracle.
    let admission = state.identity.hashing.admit()?;
    let address = crate::client_address::client_address(&req, &state.identity.trusted_proxies);
    let reserved =
        crate::routes::auth::reserve_password_attempt(&state, &user.email.to_lowercase(), &address)
            .await?;
    let stored = user.password_hash.clone();
    let current = change.current_password;
    let new_password = change.new_password;
    // One place in the gate for both: the new password is hashed only when the current one is right.
    let hashed = admission
        .run(move || passwords::verify(&current, &stored).then(|| passwords::hash(&new_password)))
        .await?;
    let Some(hash) = hashed else {
        return Err(ApiError {
            quotas: Some(Box::new(crate::problem::Quotas(reserved.quotas(true)))),
            ..ApiError::validation(vec![FieldError::new(
                "current_password",
                "incorrect",
                said!("field-password-incorrect"),
            )])
        });
    };
    let hash = hash.map_err(ApiError::internal)?;
    let now = state.clock.now();
    let actor = principal.actor.clone();
    let quotas = reserved.quotas(false);
    state
        .run(move |conn| wsis_app::accounts::set_password(conn, &actor, &reserved.ids, &hash, now))
        .await?;
    let mut answer = HttpResponse::NoContent().finish();
    crate::responses::ratelimit::tell(answer.headers_mut(), &quotas);
    Ok(answer)
}

fn naive(at: chrono::NaiveDateTime) -> String {
    crate::dto::rfc3339(at.and_utc())
}

/// The caller's own session: its access token's.
fn current_session(principal: &Principal) -> Result<String, ApiError> {
    principal.user_id()?;
    principal
        .session_id
        .clone()
        .ok_or_else(|| ApiError::internal("a user's token without a session"))
}

/// A move to a new e-mail address.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"new_email": "amina.diallo@example.org", "password": "a long and unusual passphrase"}))]
pub struct EmailChange {
    /// The new address: a link is mailed to it, and the account moves when it is opened.
    pub new_email: String,
    /// The password now.
    pub password: String,
}

/// Change my e-mail address: a confirmation link goes to the new one.
///
/// A signed-in user may call it for their own account, with their password (a wrong one counts as a failed sign-in).
/// Nothing changes until the link mailed to the new address (48 hours) is confirmed with
/// `POST /auth/email-change:confirm`; then the old address is told.
#[utoipa::path(
    operation_id = "change_email",
    tag = "identity",
    security(("bearer" = [])),
    request_body(content = EmailChange, content_type = "application/json"),
    responses(
        (status = 202, description = "The link is on its way to the new address", body = crate::routes::auth::Accepted),
        SignInRequired,
        (status = 403, description = "An API client, not a user", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong password, or not a new deliverable address", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed password attempts, or too much mail to the new address this hour", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Too many password checks in progress; retry after `Retry-After`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/email")]
pub async fn change_email(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    lang: crate::negotiate::Lang,
    body: Result<JsonBody<EmailChange>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let id = principal.user_id()?.to_owned();
    wsis_app::accounts::may_manage_credentials(&principal.actor)?;
    let change = body?.0;
    let new_email = wsis_domain::account::deliverable_email(
        "new_email",
        &change.new_email,
        crate::mail::deliverable,
    )
    .map_err(|violation| ApiError::violations(vec![violation]))?;
    let user = state.db(move |conn| users::find_user(conn, &id)).await?;
    // The password is checked as a sign-in is: reserved under the same limits first.
    let admission = state.identity.hashing.admit()?;
    let address = crate::client_address::client_address(&req, &state.identity.trusted_proxies);
    let reserved =
        crate::routes::auth::reserve_password_attempt(&state, &user.email.to_lowercase(), &address)
            .await?;
    let (stored, password) = (user.password_hash.clone(), change.password);
    if !admission
        .run(move || passwords::verify(&password, &stored))
        .await?
    {
        return Err(ApiError {
            quotas: Some(Box::new(crate::problem::Quotas(reserved.quotas(true)))),
            ..ApiError::validation(vec![FieldError::new(
                "password",
                "incorrect",
                said!("field-password-incorrect"),
            )])
        });
    }
    let link = crate::routes::auth::email_change_link(&state);
    let (actor, now) = (principal.actor.clone(), state.clock.now());
    let quotas = reserved.quotas(false);
    let sent = state
        .run(move |conn| {
            wsis_app::accounts::request_email_change(
                conn,
                &actor,
                &reserved.ids,
                &new_email,
                &link,
                &address,
                now,
            )
        })
        .await?;
    crate::routes::auth::deliver_now(&state, Some(vec![sent])).await;
    let mut answer = HttpResponse::Accepted().json(crate::routes::auth::Accepted {
        detail: said!("email-change-accepted").in_language(lang.0),
    });
    crate::responses::ratelimit::tell(answer.headers_mut(), &quotas);
    Ok(answer)
}

/// A session of the signed-in user.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a0c6-2b3c-7d4e-8f50-6a7b8c9d0e1f", "created_at": "2025-03-01T09:00:00Z", "last_used_at": "2025-03-02T14:05:00Z", "expires_at": "2025-03-31T09:00:00Z", "client": null, "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0", "client_address": "203.0.113.7", "current": true}))]
pub struct MySession {
    /// Id (revoke it with `DELETE /me/sessions/{id}`).
    #[schema(format = Uuid)]
    pub id: String,
    /// When it was opened by a sign-in (UTC).
    #[schema(format = DateTime)]
    pub created_at: String,
    /// Its last sign-in or token refresh (UTC): at most 15 minutes stale while it is in use.
    #[schema(format = DateTime)]
    pub last_used_at: Option<String>,
    /// When it ends unless refreshed (UTC).
    #[schema(format = DateTime)]
    pub expires_at: String,
    /// The OAuth client it was opened through; none for the first-party password grant.
    pub client: Option<String>,
    /// The `User-Agent` it was last seen with.
    pub user_agent: Option<String>,
    /// The client address it was last seen from.
    pub client_address: Option<String>,
    /// Whether it is the session of the token making this request.
    pub current: bool,
}

/// The signed-in user's live sessions.
#[derive(Debug, Serialize, ToSchema)]
pub struct MySessions {
    /// Newest first.
    pub items: Vec<MySession>,
}

/// List my sessions: where my account is signed in.
///
/// A signed-in user may call it (not an API client); it changes nothing. Live sessions only, newest first.
#[utoipa::path(
    operation_id = "list_my_sessions",
    tag = "identity",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The live sessions", body = MySessions),
        SignInRequired,
        (status = 403, description = "An API client, not a user", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/sessions")]
pub async fn list_my_sessions(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let current = current_session(&principal)?;
    let (actor, now) = (principal.actor.clone(), state.clock.now());
    let sessions = state
        .run(move |conn| wsis_app::accounts::my_sessions(conn, &actor, now))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "private, no-store"))
        .json(MySessions {
            items: sessions
                .into_iter()
                .map(|s| MySession {
                    current: s.id == current,
                    id: s.id,
                    created_at: naive(s.created_at),
                    last_used_at: s.last_used_at.map(naive),
                    expires_at: naive(s.expires_at),
                    client: s.oauth_client_id,
                    user_agent: s.user_agent,
                    client_address: s.client_address,
                })
                .collect(),
        }))
}

/// Sign out one of my sessions.
///
/// A signed-in user may call it for their own sessions (another's is 404); its refresh token and access tokens stop
/// working at once. Revoking the current session signs this client out.
#[utoipa::path(
    operation_id = "revoke_my_session",
    tag = "identity",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Session id")),
    responses(
        (status = 204, description = "Revoked"),
        SignInRequired,
        (status = 403, description = "An API client, not a user", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No live session of yours with this id", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/me/sessions/{id}")]
pub async fn revoke_my_session(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    principal.user_id()?;
    let address = crate::client_address::client_address(&req, &state.identity.trusted_proxies);
    let (actor, now) = (principal.actor.clone(), state.clock.now());
    state
        .run(move |conn| wsis_app::accounts::revoke_my_session(conn, &actor, &id, &address, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// How many sessions were signed out.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"revoked": 2}))]
pub struct Revoked {
    /// The number of sessions revoked.
    pub revoked: usize,
}

/// Sign out everywhere else: every session of mine but this one.
///
/// A signed-in user may call it for their own account.
#[utoipa::path(
    operation_id = "revoke_my_other_sessions",
    tag = "identity",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The other sessions are revoked", body = Revoked),
        SignInRequired,
        (status = 403, description = "An API client, not a user", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/sessions:revoke-others")]
pub async fn revoke_my_other_sessions(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let current = current_session(&principal)?;
    let address = crate::client_address::client_address(&req, &state.identity.trusted_proxies);
    let (actor, now) = (principal.actor.clone(), state.clock.now());
    let revoked = state
        .run(move |conn| {
            wsis_app::accounts::revoke_my_other_sessions(conn, &actor, &current, &address, now)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Revoked { revoked }))
}

/// A session in the export (revoked ones too).
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedSession {
    /// Id.
    #[schema(format = Uuid)]
    pub id: String,
    /// Opened (UTC).
    #[schema(format = DateTime)]
    pub created_at: String,
    /// Last sign-in or refresh (UTC).
    #[schema(format = DateTime)]
    pub last_used_at: Option<String>,
    /// Ends (UTC).
    #[schema(format = DateTime)]
    pub expires_at: String,
    /// Revoked (UTC).
    #[schema(format = DateTime)]
    pub revoked_at: Option<String>,
    /// Why.
    pub revoked_reason: Option<String>,
    /// The OAuth client it was opened through.
    pub client: Option<String>,
    /// The `User-Agent` it was last seen with.
    pub user_agent: Option<String>,
    /// The client address it was last seen from.
    pub client_address: Option<String>,
}

/// A submission the person created.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedSubmission {
    /// Id.
    #[schema(format = Uuid)]
    pub id: String,
    /// Its organisation (the submission belongs to it).
    #[schema(format = Uuid)]
    pub organisation_id: String,
    /// Its track.
    pub track: String,
    /// Status.
    pub status: String,
    /// Its receipt number, once submitted.
    pub receipt_number: Option<String>,
    /// The content as it is now.
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
    /// Created (UTC).
    #[schema(format = DateTime)]
    pub created_at: String,
    /// Last changed (UTC).
    #[schema(format = DateTime)]
    pub updated_at: String,
}

/// A revision the person wrote, or an action of theirs in a submission's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedEntry {
    /// The submission.
    #[schema(format = Uuid)]
    pub submission_id: String,
    /// `revision` with its number, or the history's action.
    pub action: String,
    /// Details: for a revision, the list of the fields it changed; for a history entry, its details.
    pub detail: serde_json::Value,
    /// When (UTC).
    #[schema(format = DateTime)]
    pub at: String,
}

/// A prize vote the person cast.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedVote {
    /// The call.
    #[schema(format = Uuid)]
    pub call_id: String,
    /// The prize category.
    pub category: i32,
    /// The nominee voted for.
    #[schema(format = Uuid)]
    pub nominee_id: String,
    /// When (UTC).
    #[schema(format = DateTime)]
    pub cast_at: String,
    /// The client address it came from.
    pub client_address: Option<String>,
    /// When staff invalidated it, if they did (UTC).
    #[schema(format = DateTime)]
    pub invalidated_at: Option<String>,
}

/// An entry of the account's security log.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedAccountEvent {
    /// What happened: `password_reset_requested`, `password_reset`, `email_change_requested`, `email_changed`,
    /// `session_revoked`, `sessions_revoked`.
    pub action: String,
    /// Who did it: the account's own id, a staff member's, or none.
    #[schema(format = Uuid)]
    pub actor_id: Option<String>,
    /// In words.
    pub detail: String,
    /// The client address of the request.
    pub client_address: Option<String>,
    /// When (UTC).
    #[schema(format = DateTime)]
    pub at: String,
}

/// Everything held about the signed-in person (docs/privacy.md).
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonalExport {
    /// When this copy was made (UTC).
    #[schema(format = DateTime)]
    pub exported_at: String,
    /// The account, roles and memberships, as `GET /me` gives them.
    pub me: Me,
    /// Every session, revoked ones too, newest first.
    pub sessions: Vec<ExportedSession>,
    /// The submissions they created (they belong to their organisations).
    pub submissions: Vec<ExportedSubmission>,
    /// The revisions they wrote.
    pub revisions: Vec<ExportedEntry>,
    /// Their actions in submissions' histories.
    pub history: Vec<ExportedEntry>,
    /// Their prize votes.
    pub votes: Vec<ExportedVote>,
    /// The account's security log.
    pub account_events: Vec<ExportedAccountEvent>,
}

fn json_or_text(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|_| serde_json::Value::String(text.to_owned()))
}

fn me_of((user, roles, memberships): wsis_app::accounts::Me) -> Me {
    Me {
        account: Account::from(&user),
        roles: roles.iter().map(|r| r.code().to_owned()).collect(),
        organisations: memberships
            .into_iter()
            .map(|m| MyOrganisation {
                id: m.organisation_id,
                name: m.organisation_name,
                role: m.role.code().to_owned(),
            })
            .collect(),
    }
}

/// Export my data: a machine-readable copy of everything held about me.
///
/// A signed-in user may call it for their own account; it changes nothing. One JSON document: the account, roles and
/// memberships, sessions, the submissions they created with their content, the revisions and history entries they
/// made, their prize votes and the account's security log. Served as an attachment, never stored by caches.
#[utoipa::path(
    operation_id = "export_my_data",
    tag = "identity",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Everything held about the caller", body = PersonalExport),
        SignInRequired,
        (status = 403, description = "An API client, not a user", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me/export")]
pub async fn export_my_data(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let id = principal.user_id()?.to_owned();
    let actor = principal.actor.clone();
    let data = state
        .run(move |conn| wsis_app::accounts::export(conn, &actor))
        .await?;
    let records = data.records;
    let export = PersonalExport {
        exported_at: crate::dto::rfc3339(state.clock.now()),
        me: me_of(data.me),
        sessions: data
            .sessions
            .into_iter()
            .map(|s| ExportedSession {
                id: s.id,
                created_at: naive(s.created_at),
                last_used_at: s.last_used_at.map(naive),
                expires_at: naive(s.expires_at),
                revoked_at: s.revoked_at.map(naive),
                revoked_reason: s.revoked_reason,
                client: s.oauth_client_id,
                user_agent: s.user_agent,
                client_address: s.client_address,
            })
            .collect(),
        submissions: records
            .submissions
            .into_iter()
            .map(|s| ExportedSubmission {
                id: s.id,
                organisation_id: s.organisation_id,
                track: s.track_kind,
                status: s.status,
                receipt_number: s.receipt_number,
                content: json_or_text(&s.content),
                created_at: naive(s.created_at),
                updated_at: naive(s.updated_at),
            })
            .collect(),
        revisions: records
            .revisions
            .into_iter()
            .map(|r| ExportedEntry {
                submission_id: r.submission_id,
                action: format!("revision {}", r.number),
                detail: json_or_text(&r.changed_fields),
                at: naive(r.created_at),
            })
            .collect(),
        history: records
            .history
            .into_iter()
            .map(|h| ExportedEntry {
                submission_id: h.submission_id,
                action: h.action,
                detail: json_or_text(&h.detail),
                at: naive(h.created_at),
            })
            .collect(),
        votes: records
            .votes
            .into_iter()
            .map(|v| ExportedVote {
                call_id: v.call_id,
                category: v.category,
                nominee_id: v.nominee_id,
                cast_at: naive(v.cast_at),
                client_address: v.client_address,
                invalidated_at: v.invalidated_at.map(naive),
            })
            .collect(),
        account_events: data
            .events
            .into_iter()
            .map(|e| ExportedAccountEvent {
                action: e.action,
                actor_id: e.actor_id,
                detail: e.detail,
                client_address: e.client_address,
                at: naive(e.at),
            })
            .collect(),
    };
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "private, no-store"))
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"wsis-account-{id}.json\""),
        ))
        .json(export))
}

/// Erase my account.
///
/// A signed-in user may call it for their own account, from a session signed in within the last 15 minutes (403
/// otherwise: sign in again). Refused with 409 `last_owner` naming the organisations where they are the last owner:
/// hand them over first. Otherwise the account is erased at once: personal fields removed (the address is free
/// again; the account is named "Erased account" wherever it is referred to), memberships ended, roles dropped, sessions revoked; the submissions they
/// made stay with their organisations; a confirmation is mailed to the address it had. See docs/privacy.md.
#[utoipa::path(
    operation_id = "erase_me",
    tag = "identity",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Erased"),
        SignInRequired,
        (status = 403, description = "An API client, or a sign-in older than 15 minutes", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`last_owner`: make someone else owner of the organisations named first", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/me")]
pub async fn erase_me(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let session = current_session(&principal)?;
    wsis_app::accounts::may_manage_credentials(&principal.actor)?;
    let (actor, now) = (principal.actor.clone(), state.clock.now());
    let notice = state
        .run(move |conn| wsis_app::accounts::erase_me(conn, &actor, &session, now))
        .await?;
    crate::routes::auth::deliver_now(&state, Some(vec![notice])).await;
    Ok(HttpResponse::NoContent().finish())
}
