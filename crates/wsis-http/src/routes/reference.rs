//! Public reference data, localised by `Accept-Language` or `?lang=`.

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use wsis_domain::said;
use wsis_domain::{Language, Region, StakeholderCategory};
use wsis_persistence::{DbConnection, DbError, reference};

use crate::dto::Page;
use crate::negotiate::Lang;
use crate::problem::{ApiError, FieldError, ReadResponses};
use crate::responses::conditional::{Cached, Freshness};
use crate::state::AppState;

/// A stakeholder category.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"code": "technical_community", "name": "Technical community", "accepted_aliases": []}))]
pub struct StakeholderCategoryItem {
    /// Stable code.
    pub code: String,
    /// Name in the negotiated language.
    pub name: String,
    /// Other values accepted on input for this category (the letter's merged "academia/technical community").
    pub accepted_aliases: Vec<&'static str>,
}

/// An ITU-D region.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"code": "arab_states", "name": "Arab States"}))]
pub struct RegionItem {
    /// Stable code.
    pub code: String,
    /// Name in the negotiated language.
    pub name: String,
}

/// A country, or `global`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"code": "CH", "alpha3": "CHE", "numeric": "756", "region": "europe", "name": "Switzerland"}))]
pub struct CountryItem {
    /// ISO 3166-1 alpha-2, or `global`.
    pub code: String,
    /// ISO 3166-1 alpha-3 (null for `global`).
    pub alpha3: Option<String>,
    /// ISO 3166-1 numeric (null for `global`).
    pub numeric: Option<String>,
    /// ITU-D region code (null for `global` and Antarctica).
    #[schema(value_type = Option<wsis_domain::Region>)]
    pub region: Option<String>,
    /// Name in the negotiated language.
    pub name: String,
}

/// A WSIS Action Line.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"code": "C7.e-health", "number": 10, "title": "ICT applications: E-health", "facilitators": ["WHO"]}))]
pub struct ActionLineItem {
    /// Code.
    pub code: String,
    /// Position 1–18 (also its prize category).
    pub number: i32,
    /// Title in the negotiated language.
    pub title: String,
    /// Facilitating UN agencies.
    pub facilitators: Vec<String>,
}

/// A Sustainable Development Goal.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"number": 4, "name": "Quality education"}))]
pub struct SdgItem {
    /// 1–17.
    pub number: i32,
    /// Name in the negotiated language.
    pub name: String,
}

/// A WSIS Prizes category.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"number": 3, "action_line": "C3", "title": "Access to information and knowledge"}))]
pub struct PrizeCategoryItem {
    /// 1–18.
    pub number: i32,
    /// The corresponding action line.
    #[schema(value_type = wsis_domain::ActionLineCode)]
    pub action_line: String,
    /// Title in the negotiated language.
    pub title: String,
}

/// A currency in circulation.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"code": "CHF", "numeric": "756", "minor_units": 2, "name": "Swiss Franc"}))]
pub struct CurrencyItem {
    /// ISO 4217 code.
    pub code: String,
    /// ISO 4217 numeric code.
    pub numeric: String,
    /// Digits after the decimal point; amounts are checked against it.
    pub minor_units: i32,
    /// Name in the negotiated language.
    pub name: String,
}

/// Loads rows, maps them in the negotiated language and answers with an entity tag.
async fn respond<T: Send + 'static, R: Serialize>(
    req: &HttpRequest,
    state: &AppState,
    language: Language,
    load: impl FnOnce(&mut DbConnection) -> Result<Vec<T>, DbError> + Send + 'static,
    map: impl Fn(T, Language) -> R,
) -> Result<HttpResponse, ApiError> {
    let rows = state.db(load).await?;
    let page = Page::complete(rows.into_iter().map(|row| map(row, language)).collect());
    Cached {
        language: Some(language),
        freshness: Freshness::Reference,
        volatile_fields: &[],
    }
    .respond(req, &page)
}

/// Query of every reference list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LangQuery {
    /// Language of names: ar, zh, en, fr, ru or es (overrides `Accept-Language`).
    #[param(example = "fr")]
    pub lang: Option<String>,
}

/// Query of the country list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CountryQuery {
    /// Language of names: ar, zh, en, fr, ru or es (overrides `Accept-Language`).
    pub lang: Option<String>,
    /// Only countries of this ITU-D region.
    #[param(value_type = Option<wsis_domain::Region>, example = "africa")]
    pub region: Option<String>,
}

/// List stakeholder categories.
///
/// Anyone may call it, without credentials; it changes nothing. Labels come in the negotiated language; the list is
/// cacheable for an hour.
#[utoipa::path(
    operation_id = "list_stakeholder_categories",
    tag = "reference",
    params(LangQuery, ("Accept-Language" = Option<String>, Header, description = "Preferred languages")),
    responses(
        (status = 200, description = "The seven stakeholder categories", body = Page<StakeholderCategoryItem>),
        ReadResponses,
    )
)]
#[get("/stakeholder-categories")]
pub async fn list_stakeholder_categories(
    req: HttpRequest,
    state: web::Data<AppState>,
    lang: Lang,
) -> Result<HttpResponse, ApiError> {
    respond(
        &req,
        &state,
        lang.0,
        reference::stakeholder_categories,
        |row, l| StakeholderCategoryItem {
            accepted_aliases: if row.code == StakeholderCategory::Academia.code() {
                StakeholderCategory::LEGACY_ACADEMIA_TECHNICAL_COMMUNITY.to_vec()
            } else {
                Vec::new()
            },
            name: row.labels.get(l).to_owned(),
            code: row.code,
        },
    )
    .await
}

/// List ITU-D regions.
///
/// Anyone may call it, without credentials; it changes nothing. Labels come in the negotiated language; the list is
/// cacheable for an hour.
#[utoipa::path(
    operation_id = "list_regions",
    tag = "reference",
    params(LangQuery),
    responses(
        (status = 200, description = "The six ITU-D regions", body = Page<RegionItem>),
        ReadResponses,
    )
)]
#[get("/regions")]
pub async fn list_regions(
    req: HttpRequest,
    state: web::Data<AppState>,
    lang: Lang,
) -> Result<HttpResponse, ApiError> {
    respond(&req, &state, lang.0, reference::regions, |row, l| {
        RegionItem {
            name: row.labels.get(l).to_owned(),
            code: row.code,
        }
    })
    .await
}

/// List countries (ISO 3166-1 plus `global`).
///
/// Anyone may call it, without credentials; it changes nothing. `?region=` narrows the list to one ITU-D region;
/// labels come in the negotiated language.
#[utoipa::path(
    operation_id = "list_countries",
    tag = "reference",
    params(CountryQuery),
    responses(
        (status = 200, description = "Countries and territories with their ITU-D region; `global` first", body = Page<CountryItem>),
        ReadResponses,
    )
)]
#[get("/countries")]
pub async fn list_countries(
    req: HttpRequest,
    state: web::Data<AppState>,
    lang: Lang,
) -> Result<HttpResponse, ApiError> {
    let query = web::Query::<CountryQuery>::from_query(req.query_string()).map_err(|e| {
        ApiError::validation(vec![FieldError::new(
            "query",
            "invalid_query",
            said!("field-invalid", reason = e.to_string()),
        )])
    })?;
    let region = match query.region.as_deref() {
        None => None,
        Some(code) => Some(code.parse::<Region>().map_err(|e| {
            ApiError::validation(vec![FieldError::new("region", "unknown_region", e.said())])
        })?),
    };
    respond(
        &req,
        &state,
        lang.0,
        move |conn| reference::countries(conn, region.map(Region::code)),
        |row, l| CountryItem {
            name: row.labels.get(l).to_owned(),
            code: row.code,
            alpha3: row.alpha3,
            numeric: row.numeric,
            region: row.region,
        },
    )
    .await
}

/// List the WSIS Action Lines with their facilitators.
///
/// Anyone may call it, without credentials; it changes nothing. Labels come in the negotiated language; the list is
/// cacheable for an hour.
#[utoipa::path(
    operation_id = "list_action_lines",
    tag = "reference",
    params(LangQuery),
    responses(
        (status = 200, description = "The 18 action lines in order", body = Page<ActionLineItem>),
        ReadResponses,
    )
)]
#[get("/action-lines")]
pub async fn list_action_lines(
    req: HttpRequest,
    state: web::Data<AppState>,
    lang: Lang,
) -> Result<HttpResponse, ApiError> {
    respond(&req, &state, lang.0, reference::action_lines, |row, l| {
        ActionLineItem {
            title: row.labels.get(l).to_owned(),
            code: row.code,
            number: row.number,
            facilitators: row.facilitators,
        }
    })
    .await
}

/// List the Sustainable Development Goals.
///
/// Anyone may call it, without credentials; it changes nothing. Labels come in the negotiated language; the list is
/// cacheable for an hour.
#[utoipa::path(
    operation_id = "list_sdgs",
    tag = "reference",
    params(LangQuery),
    responses(
        (status = 200, description = "The 17 SDGs", body = Page<SdgItem>),
        ReadResponses,
    )
)]
#[get("/sdgs")]
pub async fn list_sdgs(
    req: HttpRequest,
    state: web::Data<AppState>,
    lang: Lang,
) -> Result<HttpResponse, ApiError> {
    respond(&req, &state, lang.0, reference::sdgs, |row, l| SdgItem {
        name: row.labels.get(l).to_owned(),
        number: row.number,
    })
    .await
}

/// List the WSIS Prizes categories.
///
/// Anyone may call it, without credentials; it changes nothing. Each category names the action line it belongs to;
/// labels come in the negotiated language.
#[utoipa::path(
    operation_id = "list_prize_categories",
    tag = "reference",
    params(LangQuery),
    responses(
        (status = 200, description = "The 18 prize categories, one per action line", body = Page<PrizeCategoryItem>),
        ReadResponses,
    )
)]
#[get("/prize-categories")]
pub async fn list_prize_categories(
    req: HttpRequest,
    state: web::Data<AppState>,
    lang: Lang,
) -> Result<HttpResponse, ApiError> {
    respond(
        &req,
        &state,
        lang.0,
        reference::prize_categories,
        |row, l| PrizeCategoryItem {
            title: row.labels.get(l).to_owned(),
            number: row.number,
            action_line: row.action_line,
        },
    )
    .await
}

/// List currencies (ISO 4217) with their minor units.
///
/// Anyone may call it, without credentials; it changes nothing. Trust Fund pledges name one of these currencies.
#[utoipa::path(
    operation_id = "list_currencies",
    tag = "reference",
    params(LangQuery),
    responses(
        (status = 200, description = "Currencies in circulation", body = Page<CurrencyItem>),
        ReadResponses,
    )
)]
#[get("/currencies")]
pub async fn list_currencies(
    req: HttpRequest,
    state: web::Data<AppState>,
    lang: Lang,
) -> Result<HttpResponse, ApiError> {
    respond(&req, &state, lang.0, reference::currencies, |row, l| {
        CurrencyItem {
            name: row.labels.get(l).to_owned(),
            code: row.code,
            numeric: row.numeric,
            minor_units: row.minor_units,
        }
    })
    .await
}
