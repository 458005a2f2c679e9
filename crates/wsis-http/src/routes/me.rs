//! The signed-in user's own account.

use actix_web::{HttpResponse, get, post, web};
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
        .json(Me {
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
        }))
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
