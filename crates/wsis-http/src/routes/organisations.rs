//! Organisations, their members and invitations. Stakeholders act through organisations.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;
use wsis_domain::{Access, CountryCode, Language, MemberRole, StakeholderCategory, policy};
use wsis_persistence::organisations::{
    self, Acceptance, MembershipChange, OrganisationFields, OrganisationRecord,
};
use wsis_persistence::{outbox, users};

use crate::auth::principal::enforce;
use crate::auth::{Principal, secrets};
use crate::cache::{Cached, Freshness};
use crate::json::JsonBody;
use crate::mail;
use crate::problem::{
    ApiError, FieldError, INVALID_TOKEN, LAST_OWNER, PRECONDITION_FAILED, PRECONDITION_REQUIRED,
    Problem, SignInRequired,
};
use crate::routes::auth::{TokenBody, deliver_now};
use crate::state::AppState;

/// How long an invitation stays valid.
pub const INVITATION_LIFETIME_DAYS: i64 = 7;

/// An organisation.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a0c5-1b2c-7d3e-8f40-5a6b7c8d9e0f", "name": "Digital Rights Collective", "stakeholder_category": "civil_society", "country": "KE", "region": "africa", "website": "https://drc.example.org", "created_at": "2025-01-15T09:35:00Z", "updated_at": "2025-01-15T09:35:00Z"}))]
pub struct Organisation {
    /// Id.
    #[schema(format = Uuid)]
    pub id: String,
    /// Name.
    pub name: String,
    /// Stakeholder category code.
    pub stakeholder_category: StakeholderCategory,
    /// ISO 3166-1 alpha-2, or `global`.
    pub country: CountryCode,
    /// ITU-D region of the country (null for `global`).
    #[schema(value_type = Option<wsis_domain::Region>)]
    pub region: Option<String>,
    /// Website.
    pub website: Option<String>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<&OrganisationRecord> for Organisation {
    fn from(o: &OrganisationRecord) -> Self {
        Self {
            id: o.id.clone(),
            name: o.name.clone(),
            stakeholder_category: o.stakeholder_category,
            region: o.country.region().map(|r| r.code().to_owned()),
            country: o.country.clone(),
            website: o.website.clone(),
            created_at: o.created_at,
            updated_at: o.updated_at,
        }
    }
}

/// A new organisation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Digital Rights Collective", "stakeholder_category": "civil_society", "country": "KE", "website": "https://drc.example.org"}))]
pub struct NewOrganisation {
    /// 1–300 characters.
    pub name: String,
    /// A stakeholder category code (the merged `academia/technical community` is read as `academia`).
    pub stakeholder_category: String,
    /// ISO 3166-1 alpha-2, or `global` for organisations that work worldwide.
    pub country: String,
    /// An http(s) URL.
    #[serde(default)]
    pub website: Option<String>,
}

fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// Changes to an organisation: only the fields given change; `website: null` clears it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"website": "https://digitalrights.example.org"}))]
pub struct OrganisationPatch {
    /// 1–300 characters.
    pub name: Option<String>,
    /// A stakeholder category code.
    pub stakeholder_category: Option<String>,
    /// ISO 3166-1 alpha-2, or `global`.
    pub country: Option<String>,
    /// An http(s) URL, or null to clear.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub website: Option<Option<String>>,
}

fn check_fields(
    name: &str,
    category: &str,
    country: &str,
    website: Option<&str>,
) -> Result<OrganisationFields, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = name.trim();
    errors.extend(crate::routes::auth::name_errors("name", name, 300));
    let category = category
        .parse::<StakeholderCategory>()
        .map_err(|e| {
            errors.push(FieldError::new(
                "stakeholder_category",
                "unknown_category",
                e.to_string(),
            ))
        })
        .ok();
    let country = country
        .parse::<CountryCode>()
        .map_err(|e| errors.push(FieldError::new("country", "unknown_country", e.to_string())))
        .ok();
    let website = website.map(str::trim).filter(|w| !w.is_empty());
    if let Some(url) = website {
        let ok = (url.starts_with("https://") || url.starts_with("http://"))
            && url.len() <= 2048
            && !url.contains(char::is_whitespace)
            && url
                .split("://")
                .nth(1)
                .is_some_and(|rest| rest.len() > 2 && rest.contains('.'));
        if !ok {
            errors.push(FieldError::new(
                "website",
                "invalid_url",
                "an http:// or https:// address",
            ));
        }
    }
    match (category, country, errors.is_empty()) {
        (Some(stakeholder_category), Some(country), true) => Ok(OrganisationFields {
            name: name.to_owned(),
            stakeholder_category,
            country,
            website: website.map(str::to_owned),
        }),
        _ => Err(errors),
    }
}

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(format!(
        "There is no organisation `{}`.",
        id.chars().take(64).collect::<String>()
    ))
}

const ORGANISATION_CACHE: Cached<'static> = Cached {
    language: None,
    freshness: Freshness::Private,
    volatile_fields: &[],
};

/// Create an organisation; the creator becomes its owner.
#[utoipa::path(
    operation_id = "create_organisation",
    tag = "organisations",
    security(("bearer" = [])),
    request_body(content = NewOrganisation, content_type = "application/json"),
    responses(
        (status = 201, description = "Created; `Location` and `ETag` given", body = Organisation),
        SignInRequired,
        (status = 403, description = "API clients cannot create organisations", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, every one named", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organisations")]
pub async fn create_organisation(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    body: Result<JsonBody<NewOrganisation>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    enforce(policy::create_organisation(&principal.actor), || {
        ApiError::internal("create is never hidden")
    })?;
    let user = principal.user_id()?.to_owned();
    let new = body?.0;
    let fields = check_fields(
        &new.name,
        &new.stakeholder_category,
        &new.country,
        new.website.as_deref(),
    )
    .map_err(ApiError::validation)?;
    let now = state.clock.now();
    let created = state
        .db(move |conn| organisations::create(conn, &fields, &user, now))
        .await?;
    tracing::info!(organisation.id = %created.id, "organisation created");
    let mut response = ORGANISATION_CACHE.respond(&req, &Organisation::from(&created))?;
    *response.status_mut() = actix_web::http::StatusCode::CREATED;
    response.headers_mut().insert(
        header::LOCATION,
        header::HeaderValue::from_str(&format!("/api/v1/organisations/{}", created.id))
            .map_err(ApiError::internal)?,
    );
    Ok(response)
}

async fn load_visible(
    state: &AppState,
    principal: &Principal,
    id: &str,
    access: fn(&wsis_domain::Actor, &str) -> Access,
) -> Result<OrganisationRecord, ApiError> {
    enforce(access(&principal.actor, id), || not_found(id))?;
    let lookup = id.to_owned();
    state
        .db(move |conn| organisations::find(conn, &lookup))
        .await
        .map_err(|e| e.when_missing(not_found(id).detail))
}

/// Get an organisation (members and staff).
#[utoipa::path(
    operation_id = "get_organisation",
    tag = "organisations",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Organisation id")),
    responses(
        (status = 200, description = "The organisation, with its `ETag`", body = Organisation),
        (status = 304, description = "Not modified"),
        SignInRequired,
        (status = 404, description = "No such organisation, or not yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations/{id}")]
pub async fn get_organisation(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let record = load_visible(&state, &principal, &id, policy::view_organisation).await?;
    ORGANISATION_CACHE.respond(&req, &Organisation::from(&record))
}

/// Change an organisation (owners, editors, staff). Requires `If-Match` with the current `ETag`.
#[utoipa::path(
    operation_id = "update_organisation",
    tag = "organisations",
    security(("bearer" = [])),
    params(
        ("id" = uuid::Uuid, Path, description = "Organisation id"),
        ("If-Match" = String, Header, description = "The `ETag` of the version being changed"),
    ),
    request_body(content = OrganisationPatch, content_type = "application/json"),
    responses(
        (status = 200, description = "The changed organisation with its new `ETag`", body = Organisation),
        SignInRequired,
        (status = 403, description = "Viewers cannot change it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since your `ETag`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "`If-Match` is missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/organisations/{id}")]
pub async fn update_organisation(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    body: Result<JsonBody<OrganisationPatch>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let record = load_visible(&state, &principal, &id, policy::edit_organisation).await?;
    // The body is read before the preconditions: a missing or malformed body is the client's first error.
    let patch = body?.0;
    let if_match = req
        .headers()
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let Some(if_match) = if_match else {
        return Err(ApiError::new(
            PRECONDITION_REQUIRED,
            "Send `If-Match` with the organisation's current `ETag`.",
        ));
    };
    let current = ORGANISATION_CACHE.etag(&Organisation::from(&record))?;
    if !if_match
        .split(',')
        .any(|t| t.trim() == current || t.trim() == "*")
    {
        return Err(ApiError::new(
            PRECONDITION_FAILED,
            "The organisation changed since your copy; fetch it again.",
        ));
    }
    let website = match patch.website {
        Some(value) => value,
        None => record.website.clone(),
    };
    let fields = check_fields(
        patch.name.as_deref().unwrap_or(&record.name),
        patch
            .stakeholder_category
            .as_deref()
            .unwrap_or(record.stakeholder_category.code()),
        patch.country.as_deref().unwrap_or(record.country.as_str()),
        website.as_deref(),
    )
    .map_err(ApiError::validation)?;
    let now = state.clock.now();
    let (org_id, version) = (record.id.clone(), record.version);
    let updated = state
        .db(move |conn| organisations::update(conn, &org_id, version, &fields, now))
        .await?;
    let updated = updated.ok_or_else(|| {
        ApiError::new(
            PRECONDITION_FAILED,
            "The organisation changed since your copy; fetch it again.",
        )
    })?;
    ORGANISATION_CACHE.respond(&req, &Organisation::from(&updated))
}

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
    let record = load_visible(&state, &principal, &id, policy::view_organisation).await?;
    let members = state
        .db(move |conn| organisations::members(conn, &record.id))
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

fn parse_role(role: &str) -> Result<MemberRole, ApiError> {
    role.parse().map_err(|e: wsis_domain::ParseError| {
        ApiError::validation(vec![FieldError::new("role", "unknown_role", e.to_string())])
    })
}

fn membership_outcome(change: MembershipChange, user: &str) -> Result<(), ApiError> {
    match change {
        MembershipChange::Done => Ok(()),
        MembershipChange::NotMember => Err(ApiError::not_found(format!(
            "`{}` is not a member.",
            user.chars().take(64).collect::<String>()
        ))),
        MembershipChange::LastOwner => Err(ApiError::new(
            LAST_OWNER,
            "An organisation keeps at least one owner; make someone else owner first.",
        )),
    }
}

/// Change a member's role (owners, staff). The last owner cannot be demoted.
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
    let record = load_visible(&state, &principal, &id, policy::manage_members).await?;
    let role = parse_role(&body?.0.role)?;
    let target = user.clone();
    let change = state
        .db(move |conn| organisations::set_member_role(conn, &record.id, &target, role))
        .await?;
    membership_outcome(change, &user)?;
    Ok(HttpResponse::NoContent().finish())
}

/// Remove a member (owners, staff), or leave (any member, for themself). The last owner cannot leave.
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
    let leaving = principal.actor.user().is_some_and(|u| u.id == user);
    let access = if leaving {
        policy::view_organisation
    } else {
        policy::manage_members
    };
    let record = load_visible(&state, &principal, &id, access).await?;
    let target = user.clone();
    let change = state
        .db(move |conn| organisations::remove_member(conn, &record.id, &target))
        .await?;
    membership_outcome(change, &user)?;
    Ok(HttpResponse::NoContent().finish())
}

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
    let record = load_visible(&state, &principal, &id, policy::manage_members).await?;
    let inviter = principal.user_id()?.to_owned();
    let request = body?.0;
    let mut errors = Vec::new();
    let email = crate::routes::auth::deliverable_email("email", &request.email)
        .map_err(|e| errors.push(e))
        .ok();
    let role = request
        .role
        .parse::<MemberRole>()
        .map_err(|e| errors.push(FieldError::new("role", "unknown_role", e.to_string())))
        .ok();
    let (Some(email), Some(role)) = (email, role) else {
        return Err(ApiError::validation(errors));
    };
    let now = state.clock.now();
    let token = secrets::generate("wsis_inv_");
    let link = format!(
        "{}/invitations/accept?token={token}",
        state.identity.frontend_url.trim_end_matches('/')
    );
    let sent = state
        .db(move |conn| {
            wsis_persistence::db::transaction(conn, |conn| {
                if !crate::routes::auth::reserve_mail(
                    conn,
                    email.normalized(),
                    Some(&inviter),
                    now,
                )? {
                    return Ok(None);
                }
                let invitation = organisations::create_invitation(
                    conn,
                    &record.id,
                    email.normalized(),
                    role,
                    &secrets::digest(&token),
                    &inviter,
                    now + Duration::days(INVITATION_LIFETIME_DAYS),
                    now,
                )?;
                let language = users::find_user_by_email(conn, email.normalized())?
                    .and_then(|u| u.language.parse().ok())
                    .unwrap_or(Language::En);
                let letter = mail::invitation(language, &record.name, role.code(), &link);
                let message = outbox::enqueue(
                    conn,
                    email.as_str(),
                    &letter.subject,
                    &letter.body,
                    language.code(),
                    now,
                )?;
                Ok(Some((invitation, message)))
            })
        })
        .await?;
    let Some((invitation, message)) = sent else {
        return Err(ApiError {
            retry_after: Some(3600),
            ..ApiError::new(
                crate::problem::RATE_LIMITED,
                "Too many invitations: this address, or this account, has had as many as it may this hour.",
            )
        });
    };
    deliver_now(&state, Some(vec![message])).await;
    Ok(HttpResponse::Created().json(Invitation::from(invitation)))
}

/// List an organisation's invitations, newest first (owners, staff).
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
    let record = load_visible(&state, &principal, &id, policy::manage_members).await?;
    let invitations = state
        .db(move |conn| organisations::invitations_of(conn, &record.id))
        .await?;
    ORGANISATION_CACHE.respond(
        &req,
        &crate::dto::Page::complete(invitations.into_iter().map(Invitation::from).collect()),
    )
}

/// Accept an invitation with the token from its link, signed in with the invited address.
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
    enforce(policy::own_account(&principal.actor), || {
        ApiError::internal("never hidden")
    })?;
    let user = principal.user_id()?.to_owned();
    // Joining an organisation needs an address that is proven: the invitation went to an address, and only its
    // owner may take it up.
    if policy::act_as_verified_user(&principal.actor) != Access::Allowed {
        return Err(ApiError::new(
            crate::problem::FORBIDDEN,
            "Verify your e-mail address before accepting an invitation.",
        ));
    }
    let hash = secrets::digest(body?.0.token.trim());
    let now = state.clock.now();
    let outcome = state
        .db(move |conn| {
            let me = users::find_user(conn, &user)?;
            organisations::accept_invitation(conn, &hash, &user, &me.email.to_lowercase(), now)
        })
        .await?;
    match outcome {
        Acceptance::Joined(invitation) => Ok(HttpResponse::Ok().json(Invitation::from(invitation))),
        Acceptance::Invalid => Err(ApiError::new(
            INVALID_TOKEN,
            "This invitation is unknown, used, expired, or addressed to another e-mail address.",
        )),
    }
}
