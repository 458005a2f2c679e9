//! The members of an organisation: who they are, their roles, leaving and removal (an organisation keeps an owner).

use super::*;

/// A member of an organisation.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"user_id": "0193a0c4-8f2e-7d41-b6a2-5c1d9e0f3a7b", "display_name": "Amina Diallo", "email": "amina@example.org", "role": "owner", "since": "2025-01-15T09:35:00Z"}))]
pub struct Member {
    /// User id.
    #[schema(format = Uuid)]
    pub user_id: String,
    /// Display name.
    pub display_name: String,
    /// E-mail.
    pub email: String,
    /// `owner`, `editor` or `viewer`.
    #[schema(value_type = wsis_domain::MemberRole)]
    pub role: String,
    /// Member since.
    pub since: DateTime<Utc>,
}

/// List an organisation's members, owners first (members and staff).
///
/// Members of the organisation and staff may call it; it changes nothing.
#[utoipa::path(
    operation_id = "list_members",
    tag = "organisations",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Organisation id")),
    responses(
        (status = 200, description = "The members", body = crate::dto::Page<Member>),
        SignInRequired,
        (status = 404, description = "No such organisation, or not yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations/{id}/members")]
pub async fn list_members(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let actor = principal.actor.clone();
    let members = state
        .run(move |conn| wsis_app::organisations::members(conn, &actor, &id))
        .await?;
    let items = members
        .into_iter()
        .map(|m| Member {
            user_id: m.user_id,
            display_name: m.display_name,
            email: m.email,
            role: m.role.code().to_owned(),
            since: m.since,
        })
        .collect();
    ORGANISATION_CACHE.respond(&req, &crate::dto::Page::complete(items))
}

/// A role change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"role": "editor"}))]
pub struct RoleChange {
    /// `owner`, `editor` or `viewer`.
    #[schema(value_type = wsis_domain::MemberRole)]
    pub role: String,
}

/// A role as the use case takes it: unreadable, unknown (a field error), or parsed.
fn parse_role(body: Option<RoleChange>) -> Result<MemberRole, Refusal> {
    body.ok_or(Refusal::Unreadable)?
        .role
        .parse()
        .map_err(|e: wsis_domain::ParseError| Refusal::invalid("role", "unknown_role", e.said()))
}

/// Change a member's role (owners, staff). The last owner cannot be demoted.
///
/// Owners and staff may call it. It changes the member's role; demoting the last owner is refused (409
/// `last_owner`).
#[utoipa::path(
    operation_id = "update_member",
    tag = "organisations",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Organisation id"), ("user" = uuid::Uuid, Path, description = "User id")),
    request_body(content = RoleChange, content_type = "application/json"),
    responses(
        (status = 204, description = "Changed"),
        SignInRequired,
        (status = 403, description = "Only owners manage members", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation or member", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`last_owner`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown role", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/organisations/{id}/members/{user}")]
pub async fn update_member(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
    body: Result<JsonBody<RoleChange>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let (id, user) = path.into_inner();
    let (body, unreadable) = split_body(body);
    let actor = principal.actor.clone();
    state
        .attempt(move |conn| {
            wsis_app::organisations::set_role(conn, &actor, &id, &user, parse_role(body))
        })
        .await?
        .map_err(|refusal| unreadable_first(refusal, unreadable))?;
    Ok(HttpResponse::NoContent().finish())
}

/// Remove a member (owners, staff), or leave (any member, for themself). The last owner cannot leave.
///
/// Owners and staff may remove anyone; any member may remove themself (leave). It ends the membership; the last
/// owner is refused (409 `last_owner`).
#[utoipa::path(
    operation_id = "remove_member",
    tag = "organisations",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Organisation id"), ("user" = uuid::Uuid, Path, description = "User id")),
    responses(
        (status = 204, description = "Removed"),
        SignInRequired,
        (status = 403, description = "Only owners remove others", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation or member", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`last_owner`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/organisations/{id}/members/{user}")]
pub async fn remove_member(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, user) = path.into_inner();
    let actor = principal.actor.clone();
    state
        .run(move |conn| wsis_app::organisations::remove_member(conn, &actor, &id, &user))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
