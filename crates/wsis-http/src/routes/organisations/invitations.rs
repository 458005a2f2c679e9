//! Invitations to an organisation: sent by mail in the invitee's language, accepted with the token it carries.

use super::*;
use wsis_domain::forms::Violation;

/// A new invitation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "kofi@example.org", "role": "editor"}))]
pub struct NewInvitation {
    /// The invitee's address; they accept while signed in with it.
    pub email: String,
    /// `owner`, `editor` or `viewer`.
    #[schema(value_type = wsis_domain::MemberRole)]
    pub role: String,
}

/// An invitation (its token only ever travels by mail).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a0c6-0a1b-7c2d-9e3f-4a5b6c7d8e9f", "organisation_id": "0193a0c5-1b2c-7d3e-8f40-5a6b7c8d9e0f", "email": "kofi@example.org", "role": "editor", "expires_at": "2025-01-22T09:40:00Z", "accepted_at": null, "created_at": "2025-01-15T09:40:00Z"}))]
pub struct Invitation {
    /// Id.
    #[schema(format = Uuid)]
    pub id: String,
    /// Organisation.
    #[schema(format = Uuid)]
    pub organisation_id: String,
    /// Invitee (normalised address).
    pub email: String,
    /// Role on acceptance.
    #[schema(value_type = wsis_domain::MemberRole)]
    pub role: String,
    /// Expiry.
    pub expires_at: DateTime<Utc>,
    /// Acceptance time.
    pub accepted_at: Option<DateTime<Utc>>,
    /// Created.
    pub created_at: DateTime<Utc>,
}

impl From<organisations::InvitationRecord> for Invitation {
    fn from(i: organisations::InvitationRecord) -> Self {
        Self {
            id: i.id,
            organisation_id: i.organisation_id,
            email: i.email,
            role: i.role.code().to_owned(),
            expires_at: i.expires_at,
            accepted_at: i.accepted_at,
            created_at: i.created_at,
        }
    }
}

/// Invite someone by e-mail (owners, staff). The invitee gets a link, in their language when they have an account.
///
/// Owners and staff may call it. It creates the invitation (valid 7 days) and mails its link; an address and an
/// inviting account receive and send only so many an hour (429).
#[utoipa::path(
    operation_id = "create_invitation",
    tag = "organisations",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Organisation id")),
    request_body(content = NewInvitation, content_type = "application/json"),
    responses(
        (status = 201, description = "Invited; the link is mailed", body = Invitation),
        SignInRequired,
        (status = 403, description = "Only owners invite", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid address or role", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "This address, or this account, has had as many invitations as it may this hour", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organisations/{id}/invitations")]
pub async fn create_invitation(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    body: Result<JsonBody<NewInvitation>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let (body, unreadable) = split_body(body);
    let invitee = body.ok_or(Refusal::Unreadable).and_then(|request| {
        let mut errors = Vec::new();
        let email = wsis_domain::account::deliverable_email(
            "email",
            &request.email,
            crate::mail::deliverable,
        )
        .map_err(|e| errors.push(e))
        .ok();
        let role = request
            .role
            .parse::<MemberRole>()
            .map_err(|e| errors.push(Violation::new("role", "unknown_role", e.said())))
            .ok();
        match (email, role) {
            (Some(email), Some(role)) => Ok(wsis_app::organisations::Invitee { email, role }),
            _ => Err(Refusal::Invalid(errors)),
        }
    });
    let token = secrets::generate("wsis_inv_");
    let secret = wsis_app::organisations::InvitationSecret {
        token_digest: secrets::digest(&token),
        link: format!(
            "{}/invitations/accept?token={token}",
            state.identity.frontend_url.trim_end_matches('/')
        ),
    };
    let now = state.clock.now();
    let actor = principal.actor.clone();
    let invited = state
        .attempt(move |conn| {
            wsis_app::organisations::invite(conn, &actor, &id, invitee, &secret, now)
        })
        .await?
        .map_err(|refusal| unreadable_first(refusal, unreadable))?;
    deliver_now(&state, Some(vec![invited.message])).await;
    let mut answer = HttpResponse::Created().json(Invitation::from(invited.invitation));
    crate::responses::ratelimit::tell(answer.headers_mut(), invited.quota.as_slice());
    Ok(answer)
}

/// List an organisation's invitations, newest first (owners, staff).
///
/// Owners and staff may call it; it changes nothing.
#[utoipa::path(
    operation_id = "list_invitations",
    tag = "organisations",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Organisation id")),
    responses(
        (status = 200, description = "Invitations", body = crate::dto::Page<Invitation>),
        SignInRequired,
        (status = 403, description = "Only owners see invitations", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation, or not yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations/{id}/invitations")]
pub async fn list_invitations(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let actor = principal.actor.clone();
    let invitations = state
        .run(move |conn| wsis_app::organisations::invitations(conn, &actor, &id))
        .await?;
    ORGANISATION_CACHE.respond(
        &req,
        &crate::dto::Page::complete(invitations.into_iter().map(Invitation::from).collect()),
    )
}

/// Accept an invitation with the token from its link, signed in with the invited address.
///
/// A signed-in user with a verified address may call it, for an invitation sent to that address. It makes them a
/// member with the invited role (never lowering a role they hold) and uses the invitation up.
#[utoipa::path(
    operation_id = "accept_invitation",
    tag = "organisations",
    security(("bearer" = [])),
    request_body(content = TokenBody, content_type = "application/json"),
    responses(
        (status = 200, description = "You are a member", body = Invitation),
        (status = 400, description = "Unknown, used or expired token, or for another address", body = Problem, content_type = "application/problem+json"),
        SignInRequired,
        (status = 403, description = "Your address is not verified yet", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/invitations:accept")]
pub async fn accept_invitation(
    state: web::Data<AppState>,
    principal: Principal,
    body: Result<JsonBody<TokenBody>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let (body, unreadable) = split_body(body);
    let digest = body
        .map(|b| secrets::digest(b.token.trim()))
        .ok_or(Refusal::Unreadable);
    let now = state.clock.now();
    let actor = principal.actor.clone();
    let invitation = state
        .attempt(move |conn| wsis_app::organisations::accept(conn, &actor, digest, now))
        .await?
        .map_err(|refusal| unreadable_first(refusal, unreadable))?;
    Ok(HttpResponse::Ok().json(Invitation::from(invitation)))
}
