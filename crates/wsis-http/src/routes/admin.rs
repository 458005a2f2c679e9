//! Staff administration: users and their roles, partner API clients.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use wsis_app::Refusal;
use wsis_domain::{ActionLineCode, Scope, UserRole};
use wsis_persistence::api_clients::ApiClientRecord;

use crate::auth::{Principal, secrets};
use crate::dto::Page;
use crate::json::{JsonBody, split_body, unreadable_first};
use crate::problem::{ApiError, Problem, StaffOnly};
use crate::responses::conditional::{Cached, Freshness};
use crate::routes::auth::Account;

use crate::state::AppState;

const ADMIN_CACHE: Cached<'static> = Cached {
    language: None,
    freshness: Freshness::Private,
    volatile_fields: &[],
};

/// A user as staff see them.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"account": {"id": "0193a0c4-8f2e-7d41-b6a2-5c1d9e0f3a7b", "email": "amina@example.org", "display_name": "Amina Diallo", "language": "fr", "email_verified": true, "created_at": "2025-01-15T09:30:00Z"}, "roles": ["reviewer"]}))]
pub struct AdminUser {
    /// The account.
    pub account: Account,
    /// Granted roles.
    #[schema(value_type = Vec<wsis_domain::UserRole>)]
    pub roles: Vec<String>,
}

/// List users (staff).
///
/// Staff only; it changes nothing.
#[utoipa::path(
    operation_id = "list_users",
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every account with its roles", body = Page<AdminUser>),
        StaffOnly,
    )
)]
#[get("/admin/users")]
pub async fn list_users(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let actor = principal.actor.clone();
    let rows = state
        .run(move |conn| wsis_app::staff::users(conn, &actor))
        .await?;
    let items = rows
        .iter()
        .map(|(user, roles)| AdminUser {
            account: Account::from(user),
            roles: roles.iter().map(|r| r.code().to_owned()).collect(),
        })
        .collect();
    ADMIN_CACHE.respond(&req, &Page::complete(items))
}

/// A role named in a path: a name that is no role names nothing there (404).
fn parse_user_role(role: &str) -> Result<UserRole, Refusal> {
    role.parse()
        .map_err(|e: wsis_domain::ParseError| Refusal::NotFound(e.said()))
}

/// Grant a role (`staff` or `reviewer`) to a user (staff). Idempotent.
///
/// Staff only. It grants the role; granting one held already changes nothing.
#[utoipa::path(
    operation_id = "grant_role",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "User id"), ("role" = wsis_domain::UserRole, Path, description = "`staff` or `reviewer`")),
    responses(
        (status = 204, description = "The user holds the role"),
        StaffOnly,
        (status = 404, description = "No such user or role", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/admin/users/{id}/roles/{role}")]
pub async fn grant_role(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, role) = path.into_inner();
    let now = state.clock.now();
    let actor = principal.actor.clone();
    state
        .run(move |conn| {
            wsis_app::staff::grant_role(conn, &actor, &id, parse_user_role(&role), now)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Withdraw a role from a user (staff). Idempotent.
///
/// Staff only. It withdraws the role; withdrawing one not held changes nothing.
#[utoipa::path(
    operation_id = "revoke_role",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "User id"), ("role" = wsis_domain::UserRole, Path, description = "`staff` or `reviewer`")),
    responses(
        (status = 204, description = "The user does not hold the role"),
        StaffOnly,
        (status = 404, description = "No such user or role", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/admin/users/{id}/roles/{role}")]
pub async fn revoke_role(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, role) = path.into_inner();
    let actor = principal.actor.clone();
    state
        .run(move |conn| wsis_app::staff::revoke_role(conn, &actor, &id, parse_user_role(&role)))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Delete a user (staff): memberships end and every session is revoked; the record is kept for audit. Refused while
/// the user is the last owner of an organisation.
///
/// Staff only. It marks the account deleted, ends its memberships and revokes its sessions; the address stays taken
/// and the record is kept for audit.
#[utoipa::path(
    operation_id = "delete_user",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "User id")),
    responses(
        (status = 204, description = "Deleted"),
        StaffOnly,
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`last_owner`: the user is the last owner of the organisations named; make someone else owner first", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/admin/users/{id}")]
pub async fn delete_user(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let actor = principal.actor.clone();
    state
        .run(move |conn| wsis_app::staff::delete_user(conn, &actor, &id, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Send a user a password reset link (staff): for a person locked out of their account.
///
/// Staff only. A single-use link (60 minutes) is mailed to the user's own address, in their language; staff never see
/// it, and never see or set a password. Recorded in the user's security log with the staff member as the actor. Mail
/// to one address is limited to a few an hour (429 past it).
#[utoipa::path(
    operation_id = "send_password_reset",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "User id")),
    responses(
        (status = 202, description = "The link is on its way to the user's address"),
        StaffOnly,
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "The address has had as much mail as it may this hour", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/users/{id}/password-reset")]
pub async fn send_password_reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let link = crate::routes::auth::reset_link(&state);
    let address = crate::client_address::client_address(&req, &state.identity.trusted_proxies);
    let (actor, now) = (principal.actor.clone(), state.clock.now());
    let sent = state
        .run(move |conn| {
            wsis_app::accounts::staff_password_reset(conn, &actor, &id, &link, &address, now)
        })
        .await?;
    crate::routes::auth::deliver_now(&state, Some(vec![sent])).await;
    Ok(HttpResponse::Accepted().finish())
}

/// A partner API client.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a0c7-2b3c-7d4e-8f50-6a7b8c9d0e1f", "client_id": "wsis_cl_unesco_8f2a", "name": "UNESCO knowledge portal", "agency": "UNESCO", "scopes": ["submissions:read", "stats:read"], "action_lines": ["C3", "C7.e-learning"], "created_at": "2025-01-10T08:00:00Z", "secret_rotated_at": "2025-01-10T08:00:00Z", "last_used_at": null, "revoked_at": null}))]
pub struct ApiClient {
    /// Record id.
    #[schema(format = Uuid)]
    pub id: String,
    /// Public identifier for `client_credentials`.
    pub client_id: String,
    /// Name.
    pub name: String,
    /// The agency.
    pub agency: String,
    /// Granted scopes.
    pub scopes: Vec<Scope>,
    /// When set, the client sees only entries on these action lines.
    pub action_lines: Option<Vec<ActionLineCode>>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last secret change.
    pub secret_rotated_at: DateTime<Utc>,
    /// Last token issued.
    pub last_used_at: Option<DateTime<Utc>>,
    /// Revocation.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<ApiClientRecord> for ApiClient {
    fn from(c: ApiClientRecord) -> Self {
        Self {
            id: c.id,
            client_id: c.client_id,
            name: c.name,
            agency: c.agency,
            scopes: c.scopes,
            action_lines: c.action_lines,
            created_at: c.created_at,
            secret_rotated_at: c.secret_rotated_at,
            last_used_at: c.last_used_at,
            revoked_at: c.revoked_at,
        }
    }
}

/// A client with its secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"client": {"id": "0193a0c7-2b3c-7d4e-8f50-6a7b8c9d0e1f", "client_id": "wsis_cl_unesco_8f2a", "name": "UNESCO knowledge portal", "agency": "UNESCO", "scopes": ["submissions:read"], "action_lines": null, "created_at": "2025-01-10T08:00:00Z", "secret_rotated_at": "2025-01-10T08:00:00Z", "last_used_at": null, "revoked_at": null}, "client_secret": "wsis_cs_Qm8xV2pLk7aZr3cN9tYb1wE5uH0sJ4gD6fRiOqTnB2d"}))]
pub struct ApiClientWithSecret {
    /// The client.
    pub client: ApiClient,
    /// The secret: store it now; the server keeps only its hash.
    pub client_secret: String,
}

/// A new API client.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "UNESCO knowledge portal", "agency": "UNESCO", "scopes": ["submissions:read", "stats:read"], "action_lines": ["C3", "C7.e-learning"]}))]
pub struct NewApiClientRequest {
    /// Name, 1–200 characters.
    pub name: String,
    /// The agency, 1–100 characters.
    pub agency: String,
    /// At least one of `submissions:read`, `exports:read`, `stats:read`.
    #[schema(value_type = Vec<wsis_domain::Scope>)]
    pub scopes: Vec<String>,
    /// Optional action-line codes the client is limited to.
    #[serde(default)]
    #[schema(value_type = Option<Vec<wsis_domain::ActionLineCode>>)]
    pub action_lines: Option<Vec<String>>,
}

/// Create a partner API client (staff). The secret is in this answer only.
///
/// Staff only. It creates a partner API client with its scopes (and, optionally, the action lines it is limited to)
/// and a secret shown in this answer alone.
#[utoipa::path(
    operation_id = "create_api_client",
    tag = "admin",
    security(("bearer" = [])),
    request_body(content = NewApiClientRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "The client and its secret, shown once", body = ApiClientWithSecret),
        StaffOnly,
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/api-clients")]
pub async fn create_api_client(
    state: web::Data<AppState>,
    principal: Principal,
    body: Result<JsonBody<NewApiClientRequest>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let (body, unreadable) = split_body(body);
    let new = body
        .map(|request| wsis_app::staff::NewClient {
            name: request.name,
            agency: request.agency,
            scopes: request.scopes,
            action_lines: request.action_lines,
        })
        .ok_or(Refusal::Unreadable);
    let secret = secrets::generate("wsis_cs_");
    let credentials = wsis_app::staff::ClientCredentials {
        secret_digest: secrets::digest(&secret),
        id_suffix: secrets::generate("")[..8].to_owned(),
    };
    let now = state.clock.now();
    let actor = principal.actor.clone();
    let created = state
        .attempt(move |conn| wsis_app::staff::create_client(conn, &actor, new, &credentials, now))
        .await?
        .map_err(|refusal| unreadable_first(refusal, unreadable))?;
    Ok(HttpResponse::Created()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/api/v1/admin/api-clients/{}", created.id),
        ))
        .json(ApiClientWithSecret {
            client: created.into(),
            client_secret: secret,
        }))
}

/// List API clients (staff).
///
/// Staff only; it changes nothing. Secrets are never shown again after creation.
#[utoipa::path(
    operation_id = "list_api_clients",
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Clients, newest first (secrets are never shown again)", body = Page<ApiClient>),
        StaffOnly,
    )
)]
#[get("/admin/api-clients")]
pub async fn list_api_clients(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let actor = principal.actor.clone();
    let clients = state
        .run(move |conn| wsis_app::staff::clients(conn, &actor))
        .await?;
    ADMIN_CACHE.respond(
        &req,
        &Page::complete(clients.into_iter().map(ApiClient::from).collect()),
    )
}

/// Get an API client (staff).
///
/// Staff only; it changes nothing.
#[utoipa::path(
    operation_id = "get_api_client",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Client record id")),
    responses(
        (status = 200, description = "The client", body = ApiClient),
        StaffOnly,
        (status = 404, description = "No such client", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/api-clients/{id}")]
pub async fn get_api_client(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let actor = principal.actor.clone();
    let client = state
        .run(move |conn| wsis_app::staff::client(conn, &actor, &id))
        .await?;
    ADMIN_CACHE.respond(&req, &ApiClient::from(client))
}

/// Rotate an API client's secret (staff): the old secret and its tokens stop working; the new one is shown once.
///
/// Staff only. It replaces the client's secret; the old secret and the tokens issued with it stop working.
#[utoipa::path(
    operation_id = "rotate_api_client_secret",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Client record id")),
    responses(
        (status = 200, description = "The client and its new secret", body = ApiClientWithSecret),
        StaffOnly,
        (status = 404, description = "No such live client", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/api-clients/{id}/secret")]
pub async fn rotate_api_client_secret(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let secret = secrets::generate("wsis_cs_");
    let digest = secrets::digest(&secret);
    let now = state.clock.now();
    let actor = principal.actor.clone();
    let client = state
        .run(move |conn| wsis_app::staff::rotate_secret(conn, &actor, &id, &digest, now))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(ApiClientWithSecret {
            client: client.into(),
            client_secret: secret,
        }))
}

/// Revoke an API client (staff): its secret and tokens stop working at once.
///
/// Staff only. It revokes the client; its secret and its tokens stop working at once.
#[utoipa::path(
    operation_id = "revoke_api_client",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Client record id")),
    responses(
        (status = 200, description = "The revoked client", body = ApiClient),
        StaffOnly,
        (status = 404, description = "No such client", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/admin/api-clients/{id}")]
pub async fn revoke_api_client(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let actor = principal.actor.clone();
    let client = state
        .run(move |conn| wsis_app::staff::revoke_client(conn, &actor, &id, now))
        .await?;
    Ok(HttpResponse::Ok().json(ApiClient::from(client)))
}
