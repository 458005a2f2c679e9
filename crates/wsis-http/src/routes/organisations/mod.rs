//! Organisations, their members and invitations. Stakeholders act through organisations: the profile here, the
//! members in `members`, the invitations in `invitations`.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;
use wsis_app::Refusal;
use wsis_domain::organisation::ProfileInput;
use wsis_domain::{CountryCode, MemberRole, StakeholderCategory};
use wsis_persistence::organisations::{self, OrganisationRecord};

use crate::auth::{Principal, secrets};
use crate::json::{JsonBody, split_body, unreadable_first};
use crate::problem::{ApiError, Problem, SignInRequired};
use crate::responses::conditional::{Cached, Freshness};
use crate::routes::auth::{TokenBody, deliver_now};
use crate::state::AppState;

mod invitations;
mod members;

pub use invitations::*;
pub use members::*;

pub use wsis_app::organisations::INVITATION_LIFETIME_DAYS;

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
    #[schema(value_type = wsis_domain::StakeholderCategory)]
    pub stakeholder_category: String,
    /// ISO 3166-1 alpha-2, or `global` for organisations that work worldwide.
    #[schema(value_type = wsis_domain::CountryCode)]
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
    #[schema(value_type = Option<wsis_domain::StakeholderCategory>)]
    pub stakeholder_category: Option<String>,
    /// ISO 3166-1 alpha-2, or `global`.
    #[schema(value_type = Option<wsis_domain::CountryCode>)]
    pub country: Option<String>,
    /// An http(s) URL, or null to clear.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub website: Option<Option<String>>,
}

const ORGANISATION_CACHE: Cached<'static> = Cached {
    language: None,
    freshness: Freshness::Private,
    volatile_fields: &[],
};

/// Create an organisation; the creator becomes its owner.
///
/// Any signed-in user may call it (not an API client). It creates the organisation and makes the caller its owner.
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
    let (body, unreadable) = split_body(body);
    let now = state.clock.now();
    let actor = principal.actor.clone();
    let created = state
        .attempt(move |conn| {
            let profile = body.as_ref().map(|new| ProfileInput {
                name: &new.name,
                stakeholder_category: &new.stakeholder_category,
                country: &new.country,
                website: new.website.as_deref(),
            });
            wsis_app::organisations::create(conn, &actor, profile.ok_or(Refusal::Unreadable), now)
        })
        .await?
        .map_err(|refusal| unreadable_first(refusal, unreadable))?;
    let mut response = respond(&req, &created)?;
    *response.status_mut() = actix_web::http::StatusCode::CREATED;
    response.headers_mut().insert(
        header::LOCATION,
        header::HeaderValue::from_str(&format!("/api/v1/organisations/{}", created.id))
            .map_err(ApiError::internal)?,
    );
    Ok(response)
}

/// An organisation with its version tag as `ETag` (304 when the client's copy is current).
fn respond(req: &HttpRequest, record: &OrganisationRecord) -> Result<HttpResponse, ApiError> {
    ORGANISATION_CACHE.respond_tagged(
        req,
        &Organisation::from(record),
        &wsis_app::organisations::version_tag(record),
    )
}

/// Get an organisation (members and staff).
///
/// Members of the organisation and staff may call it; to anyone else it does not exist (404). It changes nothing;
/// the `ETag` is the version to name in `If-Match` when changing it.
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
    let actor = principal.actor.clone();
    let record = state
        .run(move |conn| wsis_app::organisations::find(conn, &actor, &id))
        .await?;
    respond(&req, &record)
}

/// Change an organisation (owners, editors, staff). Requires `If-Match` with the current `ETag`.
///
/// Owners, editors and staff may call it; viewers get 403. It changes the fields given, from the version named in
/// `If-Match` only (412 if someone changed it meanwhile).
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
    let (patch, unreadable) = split_body(body);
    let change = patch.map(|p| wsis_app::organisations::ProfileChange {
        name: p.name,
        stakeholder_category: p.stakeholder_category,
        country: p.country,
        website: p.website,
    });
    let if_match = req
        .headers()
        .get(header::IF_MATCH)
        .map(|v| v.to_str().unwrap_or_default().to_owned());
    let now = state.clock.now();
    let actor = principal.actor.clone();
    let updated = state
        .attempt(move |conn| {
            wsis_app::organisations::update(
                conn,
                &actor,
                &id,
                if_match.as_deref(),
                change.ok_or(Refusal::Unreadable),
                now,
            )
        })
        .await?
        .map_err(|refusal| unreadable_first(refusal, unreadable))?;
    respond(&req, &updated)
}
