//! Organisations, their members and invitations. Stakeholders act through organisations: the profile here, the
//! members in `members`, the invitations in `invitations`.

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
use crate::json::JsonBody;
use crate::mail;
use crate::problem::{
    ApiError, FieldError, INVALID_TOKEN, LAST_OWNER, PRECONDITION_FAILED, PRECONDITION_REQUIRED,
    Problem, SignInRequired,
};
use crate::responses::conditional::{Cached, Freshness};
use crate::routes::auth::{TokenBody, deliver_now};
use crate::state::AppState;

mod invitations;
mod members;

pub use invitations::*;
pub use members::*;

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
