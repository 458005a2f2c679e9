//! The public WSIS Stocktaking repository: accepted stocktaking entries of every call, read by anyone, searched,
//! paged and exported.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use wsis_domain::said;
use wsis_domain::{
    ActionLineCode, CountryCode, Region, Sdg, StakeholderCategory, SubmissionStatus, TrackKind,
    forms,
};
use wsis_persistence::calls::{self, CallSummary};
use wsis_persistence::submissions::{
    self, ListOrder, ListQuery, OrganisationFacts, SubmissionRecord,
};

use crate::dto::Page;
use crate::export::{Export, ExportFormat};
use crate::problem::{ApiError, Problem, ReadResponses};
use crate::responses::conditional::{Cached, Freshness};
use crate::routes::filters::{Limit, OrganisationId, Param, Year};
use crate::state::AppState;
use wsis_domain::search::SortOrder;

pub(crate) const PUBLIC: Cached<'static> = Cached {
    language: None,
    freshness: Freshness::Revalidate,
    volatile_fields: &[],
};

/// The organisation behind a project.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectOrganisation {
    /// Id.
    #[schema(format = Uuid)]
    pub id: String,
    /// Name.
    pub name: String,
    /// Stakeholder category.
    #[schema(value_type = wsis_domain::StakeholderCategory)]
    pub stakeholder_category: String,
    /// Country or `global`.
    #[schema(value_type = wsis_domain::CountryCode)]
    pub country: String,
    /// ITU-D region (null for `global`).
    #[schema(value_type = Option<wsis_domain::Region>)]
    pub region: Option<String>,
}

/// A project of the public repository: what its organisation entered, without the contact.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a0d0-1a2b-7c3d-8e4f-5a6b7c8d9e0f", "call": "wsis-2025", "year": 2025, "language": "fr",
    "title": "Rural e-learning hubs", "description": "Solar-powered learning centres…", "website": "https://hubs.example.org",
    "action_lines": ["C7.e-learning", "C4"], "sdgs": [4], "countries": ["SN", "ML"], "coverage_level": "regional",
    "status": "ongoing", "start_date": "2023-01-15", "end_date": null, "partners": ["Ministry of Education"],
    "beneficiaries": "12,000 pupils",
    "organisation": {"id": "0193a0c5-1b2c-7d3e-8f40-5a6b7c8d9e0f", "name": "Digital Rights Collective", "stakeholder_category": "civil_society", "country": "SN", "region": "africa"},
    "updated_at": "2025-03-01T09:00:00Z", "snippet": null
}))]
pub struct Project {
    /// Id (the stocktaking submission's).
    #[schema(format = Uuid)]
    pub id: String,
    /// Call slug.
    pub call: String,
    /// The call's year.
    pub year: i32,
    /// Language of the entry.
    #[schema(value_type = wsis_domain::Language)]
    pub language: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Website.
    pub website: Option<String>,
    /// Action lines.
    pub action_lines: Vec<ActionLineCode>,
    /// SDGs.
    pub sdgs: Vec<Sdg>,
    /// Countries, or `["global"]`.
    pub countries: Vec<CountryCode>,
    /// Coverage level.
    pub coverage_level: forms::CoverageLevel,
    /// Planned, ongoing or completed.
    pub status: forms::ProjectStatus,
    /// Start date.
    pub start_date: chrono::NaiveDate,
    /// End date.
    pub end_date: Option<chrono::NaiveDate>,
    /// Partners.
    pub partners: Vec<String>,
    /// Beneficiaries.
    pub beneficiaries: Option<String>,
    /// The organisation.
    pub organisation: ProjectOrganisation,
    /// Last change.
    #[schema(format = DateTime)]
    pub updated_at: String,
    /// With `q`: a passage of the description with the matching words in `<mark>`.
    pub snippet: Option<String>,
}

fn project(
    record: &SubmissionRecord,
    org: &OrganisationFacts,
    call: &CallSummary,
    q: Option<&str>,
) -> Result<Project, ApiError> {
    let Some(forms::Content::Stocktaking(entry)) =
        forms::Content::read(TrackKind::Stocktaking, &record.content)
    else {
        tracing::error!(submission.id = %record.id, "a stored stocktaking entry does not read as one");
        return Err(ApiError::internal(
            "a stored stocktaking entry does not read",
        ));
    };
    Ok(Project {
        id: record.id.clone(),
        call: call.slug.clone(),
        year: call.year,
        language: record.language.clone(),
        snippet: q.and_then(|q| wsis_domain::search::snippet(&entry.description, q, 30)),
        title: entry.title,
        description: entry.description,
        website: entry.website,
        action_lines: entry.action_lines,
        sdgs: entry.sdgs,
        countries: entry.countries,
        coverage_level: entry.coverage_level,
        status: entry.status,
        start_date: entry.start_date,
        end_date: entry.end_date,
        partners: entry.partners,
        beneficiaries: entry.beneficiaries,
        organisation: ProjectOrganisation {
            id: record.organisation_id.clone(),
            name: org.name.clone(),
            stakeholder_category: org.stakeholder_category.clone(),
            region: org
                .country
                .parse::<CountryCode>()
                .ok()
                .and_then(|c| c.region())
                .map(|r| r.code().to_owned()),
            country: org.country.clone(),
        },
        updated_at: crate::dto::rfc3339(record.updated_at),
    })
}

/// Filters of the repository; repeated parameters mean OR.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProjectParams {
    /// Action line.
    #[serde(default)]
    #[param(style = Form, explode, value_type = Vec<wsis_domain::ActionLineCode>)]
    pub action_line: Vec<Param<ActionLineCode>>,
    /// SDG (1–17).
    #[serde(default)]
    #[param(style = Form, explode, value_type = Vec<wsis_domain::Sdg>)]
    pub sdg: Vec<Param<Sdg>>,
    /// A country the project covers (or `global`).
    #[serde(default)]
    #[param(style = Form, explode, value_type = Vec<wsis_domain::CountryCode>)]
    pub country: Vec<Param<CountryCode>>,
    /// An ITU-D region the project covers.
    #[serde(default)]
    #[param(style = Form, explode, value_type = Vec<wsis_domain::Region>)]
    pub region: Vec<Param<Region>>,
    /// The organisation's stakeholder category.
    #[serde(default)]
    #[param(style = Form, explode, value_type = Vec<wsis_domain::StakeholderCategory>)]
    pub stakeholder_category: Vec<Param<StakeholderCategory>>,
    /// `planned`, `ongoing` or `completed`.
    #[serde(default)]
    #[param(style = Form, explode, value_type = Vec<wsis_domain::forms::ProjectStatus>)]
    pub status: Vec<Param<forms::ProjectStatus>>,
    /// The call's year.
    #[serde(default)]
    #[param(style = Form, explode, value_type = Vec<i32>)]
    pub year: Vec<Param<Year>>,
    /// Organisation id.
    #[serde(default)]
    #[param(style = Form, explode, value_type = Vec<uuid::Uuid>)]
    pub organisation: Vec<Param<OrganisationId>>,
    /// Words in the title or description, in any of the six languages (Arabic and Latin letters folded, Chinese
    /// without spaces).
    pub q: Option<String>,
    /// `relevance` (best match first; the default with `q`, which it needs), `newest` (the default without `q`)
    /// or `title` (folded: case, accents and Arabic letter forms do not change the order; then byte order).
    #[param(value_type = Option<wsis_domain::search::SortOrder>)]
    pub sort: Option<Param<SortOrder>>,
    /// Page size, 1–200 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub limit: Option<Param<Limit>>,
    /// Opaque cursor from `next_cursor`.
    pub cursor: Option<String>,
}

fn repository_query(
    req: &HttpRequest,
    calls: &[CallSummary],
) -> Result<(ListQuery, Option<String>, String), ApiError> {
    use crate::routes::filters::{self, QueryString, values};
    // The list takes its filters; the export takes them and its format.
    let known = [
        filters::declared::<ProjectParams>(),
        filters::declared::<crate::export::ExportParams>(),
    ]
    .concat();
    let query_string = QueryString::parse(req, &known)?;
    let params: ProjectParams = query_string.read()?;
    let mut q = ListQuery {
        submitted_only: true,
        statuses: vec![SubmissionStatus::Accepted.code().to_owned()],
        tracks: vec![TrackKind::Stocktaking.code().to_owned()],
        ..Default::default()
    };
    let mut countries: Vec<String> = values(params.country)
        .into_iter()
        .map(|c| forms::Tag::Country(c).to_string())
        .collect();
    countries.extend(
        filters::region_countries(params.region)
            .into_iter()
            .map(|c| format!("{}{c}", forms::Tag::COUNTRY)),
    );
    let statuses = values(params.status)
        .into_iter()
        .map(|status| forms::Tag::ProjectStatus(status).to_string())
        .collect();
    let groups = [
        filters::action_line_tags(params.action_line),
        filters::sdg_tags(params.sdg),
        countries,
        statuses,
    ];
    q.tag_groups = groups.into_iter().filter(|g| !g.is_empty()).collect();
    q.stakeholder_categories = filters::categories(params.stakeholder_category);
    for Year(year) in values(params.year) {
        let ids: Vec<String> = calls
            .iter()
            .filter(|c| c.year == year)
            .map(|c| c.id.clone())
            .collect();
        // A year without a call matches nothing.
        q.calls.extend(if ids.is_empty() {
            vec![String::new()]
        } else {
            ids
        });
    }
    q.organisations = filters::organisation_ids(params.organisation);
    let text = params.q.filter(|t| !t.trim().is_empty());
    q.search = text
        .as_deref()
        .map(wsis_domain::search::query_phrases)
        .unwrap_or_default();
    q.order = match SortOrder::choose(params.sort.map(|s| s.0), !q.search.is_empty())
        .map_err(|v| ApiError::violations(vec![v]))?
    {
        SortOrder::Relevance => ListOrder::Relevance,
        SortOrder::Newest => ListOrder::Newest,
        SortOrder::Title => ListOrder::Title,
    };
    q.limit = Limit::or_default(params.limit);
    if let Some(cursor) = &params.cursor {
        q.after = Some(crate::responses::cursor::decode(cursor, q.order)?);
    }
    Ok((q, text, query_string.without("cursor")))
}

/// Search the public WSIS Stocktaking repository: accepted projects of every call; with `q`, best match first.
///
/// Anyone may call it, without credentials; it changes nothing. Contacts are never shown.
#[utoipa::path(
    operation_id = "list_projects",
    tag = "stocktaking",
    params(ProjectParams),
    responses(
        (status = 200, description = "A page of projects; `Link: <…>; rel=\"next\"` when there is more", body = Page<Project>),
        ReadResponses,
    )
)]
#[get("/stocktaking/projects")]
pub async fn list_projects(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let key = format!("projects?{}", req.query_string());
    let version = repository_version(&state).await?;
    let page = state
        .pages
        .get_or_render(&key, version, render_projects(&req, &state))
        .await?;
    Ok(PUBLIC.respond_with(&req, page.body.clone(), &page.etag, page.link.as_ref()))
}

/// The repository version a kept page must carry; not read when no pages are kept. Requests that need it at once
/// share one read begun after they arrived (`pages::SharedReads`).
async fn repository_version(state: &AppState) -> Result<i64, ApiError> {
    state
        .pages
        .version(|| state.db(submissions::repository_version))
        .await
}

/// Renders a page of the repository listing.
async fn render_projects(
    req: &HttpRequest,
    state: &AppState,
) -> Result<crate::responses::pages::Page, ApiError> {
    let calls = state.db(calls::summaries).await?;
    let (mut query, text, base) = repository_query(req, &calls)?;
    let limit = query.limit;
    query.limit = limit + 1;
    let mut rows = state
        .db(move |conn| submissions::list(conn, &query))
        .await?;
    let more = i64::try_from(rows.len()).unwrap_or(i64::MAX) > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        let call = calls
            .iter()
            .find(|c| c.id == row.record.call_id)
            .ok_or_else(|| ApiError::internal("call missing"))?;
        items.push(project(
            &row.record,
            &row.organisation,
            call,
            text.as_deref(),
        )?);
    }
    let next_cursor = if more {
        rows.last()
            .map(|row| crate::responses::cursor::encode(&row.position))
    } else {
        None
    };
    let link = next_cursor.as_ref().and_then(|cursor| {
        let sep = if base.is_empty() { "" } else { "&" };
        header::HeaderValue::from_str(&format!(
            "</api/v1/stocktaking/projects?{base}{sep}cursor={cursor}>; rel=\"next\""
        ))
        .ok()
    });
    let (body, etag) = PUBLIC.render(&Page { items, next_cursor })?;
    Ok(crate::responses::pages::Page {
        body: web::Bytes::from(body),
        etag,
        link,
    })
}

/// Get one project of the public repository.
///
/// Anyone may call it, without credentials; it changes nothing. Contacts are never shown.
#[utoipa::path(
    operation_id = "get_project",
    tag = "stocktaking",
    params(("id" = uuid::Uuid, Path, description = "Project id")),
    responses(
        (status = 200, description = "The project", body = Project),
        (status = 404, description = "No such accepted project", body = Problem, content_type = "application/problem+json"),
        ReadResponses,
    )
)]
#[get("/stocktaking/projects/{id}")]
pub async fn get_project(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let key = format!("project/{id}");
    let version = repository_version(&state).await?;
    let page = state
        .pages
        .get_or_render(&key, version, render_project(&state, id.into_inner()))
        .await?;
    Ok(PUBLIC.respond_with(&req, page.body.clone(), &page.etag, None))
}

/// Renders one project of the repository.
pub(crate) async fn render_project(
    state: &AppState,
    id: String,
) -> Result<crate::responses::pages::Page, ApiError> {
    let lookup = id.clone();
    let found = state
        .db(move |conn| {
            let query = ListQuery {
                submitted_only: true,
                statuses: vec![SubmissionStatus::Accepted.code().to_owned()],
                tracks: vec![TrackKind::Stocktaking.code().to_owned()],
                ids: vec![lookup],
                limit: 1,
                ..Default::default()
            };
            let row = submissions::list(conn, &query)?.pop();
            match row {
                Some(submissions::Listed {
                    record,
                    organisation: org,
                    ..
                }) => {
                    let call = calls::summaries(conn)?
                        .into_iter()
                        .find(|c| c.id == record.call_id)
                        .ok_or(wsis_persistence::DbError::NotFound)?;
                    Ok(Some((record, org, call)))
                }
                None => Ok(None),
            }
        })
        .await?;
    let (record, org, call) =
        found.ok_or_else(|| ApiError::not_found(said!("not-found-project")))?;
    let (body, etag) = PUBLIC.render(&project(&record, &org, &call, None)?)?;
    Ok(crate::responses::pages::Page {
        body: web::Bytes::from(body),
        etag,
        link: None,
    })
}

/// The CSV columns of a repository export; lists are joined with `;`.
const EXPORT_COLUMNS: [&str; 22] = [
    "id",
    "call",
    "year",
    "language",
    "title",
    "description",
    "website",
    "action_lines",
    "sdgs",
    "countries",
    "coverage_level",
    "status",
    "start_date",
    "end_date",
    "partners",
    "beneficiaries",
    "organisation_id",
    "organisation_name",
    "stakeholder_category",
    "organisation_country",
    "region",
    "updated_at",
];

impl crate::export::ExportItem for Project {
    fn cells(&self) -> Vec<String> {
        fn join<T: ToString>(items: &[T]) -> String {
            items
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(";")
        }
        let sdgs: Vec<u8> = self.sdgs.iter().map(|s| s.get()).collect();
        vec![
            self.id.clone(),
            self.call.clone(),
            self.year.to_string(),
            self.language.clone(),
            self.title.clone(),
            self.description.clone(),
            self.website.clone().unwrap_or_default(),
            join(&self.action_lines),
            join(&sdgs),
            join(&self.countries),
            self.coverage_level.to_string(),
            self.status.to_string(),
            self.start_date.to_string(),
            self.end_date.map(|d| d.to_string()).unwrap_or_default(),
            join(&self.partners),
            self.beneficiaries.clone().unwrap_or_default(),
            self.organisation.id.clone(),
            self.organisation.name.clone(),
            self.organisation.stakeholder_category.clone(),
            self.organisation.country.clone(),
            self.organisation.region.clone().unwrap_or_default(),
            self.updated_at.clone(),
        ]
    }
}

/// Export the whole repository, or a filtered part, streamed page by page so memory stays constant: CSV (RFC
/// 4180, UTF-8, a header row, one row per project, lists joined with `;`, cells that a spreadsheet would run as a
/// formula prefixed with `'`), one JSON array, or JSON Lines (one project per line).
///
/// Anyone may call it, without credentials; it changes nothing. Contacts are never exported.
#[utoipa::path(
    operation_id = "export_projects",
    tag = "stocktaking",
    params(
        crate::export::ExportParams,
        ProjectParams,
    ),
    responses(
        (status = 200, description = "The export, streamed", content(("text/csv"), ("application/json"), ("application/x-ndjson"))),
        ReadResponses,
    )
)]
#[get("/stocktaking/projects/export")]
pub async fn export_projects(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let format = ExportFormat::from_query(req.query_string())?;
    let calls = state.db(calls::summaries).await?;
    let (query, _, _) = repository_query(&req, &calls)?;
    let export = Export {
        format,
        columns: &EXPORT_COLUMNS,
        file_stem: "wsis-stocktaking".into(),
        cache_control: "public, no-cache",
    };
    Ok(export.stream(state, query, move |row| {
        let call = calls
            .iter()
            .find(|c| c.id == row.record.call_id)
            .ok_or_else(|| {
                format!(
                    "call {} of project {} is missing",
                    row.record.call_id, row.record.id
                )
            })?;
        project(&row.record, &row.organisation, call, None).map_err(|e| e.to_string())
    }))
}
