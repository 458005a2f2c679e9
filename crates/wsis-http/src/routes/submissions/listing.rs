//! Reading contributions: one, and a filtered page (the filters are shared with the export).

use super::*;

/// Get a submission (members of its organisation; staff and partners with `submissions:read` once submitted).
#[utoipa::path(
    operation_id = "get_submission",
    tag = "submissions",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Submission id")),
    responses(
        (status = 200, description = "The submission with its `ETag`", body = Submission),
        (status = 304, description = "Not modified"),
        SignInRequired,
        (status = 404, description = "No such submission, or not visible to you", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/submissions/{id}")]
pub async fn get_submission(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (record, call) = load(&state, &principal, &id).await?;
    let extension = extension_for(
        &state,
        &record.track_id,
        &record.organisation_id,
        Some(&record.id),
    )
    .await?;
    let tag = etag(&record);
    let fresh = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag));
    if fresh {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, tag))
            .finish());
    }
    Ok(respond(
        actix_web::http::StatusCode::OK,
        &record,
        &render_with(
            &record,
            &call,
            state.clock.now(),
            Vec::new(),
            extension.as_ref(),
        )?,
    ))
}

/// The filters of a listing, as query parameters; repeated parameters mean OR.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Call slug.
    pub call: Option<String>,
    /// Track kind.
    #[param(value_type = Option<wsis_domain::TrackKind>)]
    pub track: Option<String>,
    /// Status.
    #[param(value_type = Option<wsis_domain::SubmissionStatus>)]
    pub status: Option<String>,
    /// Organisation id.
    #[param(format = Uuid)]
    pub organisation: Option<String>,
    /// The organisation's stakeholder category.
    #[param(value_type = Option<wsis_domain::StakeholderCategory>)]
    pub stakeholder_category: Option<String>,
    /// The organisation's country (ISO 3166-1 alpha-2 or `global`).
    #[param(value_type = Option<wsis_domain::CountryCode>)]
    pub country: Option<String>,
    /// The organisation's ITU-D region.
    #[param(value_type = Option<wsis_domain::Region>)]
    pub region: Option<String>,
    /// Action line the content is about.
    #[param(value_type = Option<wsis_domain::ActionLineCode>)]
    pub action_line: Option<String>,
    /// SDG the content is about.
    pub sdg: Option<u8>,
    /// Changed at or after (RFC 3339).
    #[param(format = DateTime)]
    pub updated_since: Option<String>,
    /// Words the main text contains.
    pub q: Option<String>,
    /// Page size, 1–200 (default 50).
    pub limit: Option<u32>,
    /// Opaque cursor from the previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// Builds the database query from the query string (repeated parameters are OR) and the caller's visibility.
pub(super) async fn list_query(
    req: &HttpRequest,
    state: &AppState,
    actor: &Actor,
    exports: bool,
) -> Result<(submissions::ListQuery, String), ApiError> {
    use crate::routes::filters::{self, QueryString};
    // A list takes its filters; an export takes them and its format.
    let known = [
        filters::declared::<ListParams>(),
        filters::declared::<crate::export::ExportParams>(),
    ]
    .concat();
    let params = QueryString::parse(req, &known)?;
    let mut query = submissions::ListQuery::default();
    match actor {
        Actor::Anonymous => {
            return Err(unauthenticated(
                "Sign in: submissions need an access token.",
            ));
        }
        Actor::User(user) => {
            query.member_of = user.memberships.iter().map(|(id, _)| id.clone()).collect()
        }
        Actor::Client(client) => {
            query.limited_to_tags = client.action_lines.as_ref().map(|lines| {
                lines
                    .iter()
                    .map(|l| forms::Tag::ActionLine(l.clone()).to_string())
                    .collect()
            });
        }
    }
    query.all_submitted = may_read_all(actor);
    query.submitted_only = exports;
    for v in params.all("track") {
        v.parse::<TrackKind>()
            .map_err(|e| bad("track", "unknown_track", e.to_string()))?;
    }
    query.tracks = params.all("track");
    for v in params.all("status") {
        v.parse::<SubmissionStatus>()
            .map_err(|e| bad("status", "unknown_status", e.to_string()))?;
    }
    query.statuses = params.all("status");
    query.organisations = filters::organisation_ids(params.all("organisation"))?;
    query.stakeholder_categories = filters::categories(&params.all("stakeholder_category"))?;
    for v in params.all("country") {
        let code: wsis_domain::CountryCode = v.parse().map_err(|e: wsis_domain::ParseError| {
            bad("country", "unknown_country", e.to_string())
        })?;
        query.countries.push(code.to_string());
    }
    if !params.all("region").is_empty() && !query.countries.is_empty() {
        return Err(bad(
            "region",
            "conflicting_filters",
            "filter by country or by region, not both",
        ));
    }
    query
        .countries
        .extend(filters::region_countries(&params.all("region"))?);
    let groups = [
        filters::action_line_tags(&params.all("action_line"))?,
        filters::sdg_tags(&params.all("sdg"))?,
    ];
    query.tag_groups = groups.into_iter().filter(|g| !g.is_empty()).collect();
    if let Some(since) = params.first("updated_since") {
        let since = DateTime::parse_from_rfc3339(since).map_err(|_| {
            bad(
                "updated_since",
                "invalid_time",
                "an RFC 3339 time such as 2025-03-14T00:00:00Z",
            )
        })?;
        query.updated_since = Some(since.with_timezone(&Utc));
    }
    query.search = params
        .first("q")
        .map(wsis_domain::search::query_phrases)
        .unwrap_or_default();
    query.limit = filters::limit(params.first("limit"))?;
    if let Some(cursor) = params.first("cursor") {
        query.after = Some(crate::responses::cursor::decode(cursor, ListOrder::Newest)?);
    }
    let slugs = params.all("call");
    if !slugs.is_empty() {
        let calls = state.db(calls::summaries).await?;
        for slug in &slugs {
            let call = calls
                .iter()
                .find(|c| &c.slug == slug)
                .ok_or_else(|| bad("call", "unknown_call", format!("there is no call `{slug}`")))?;
            query.calls.push(call.id.clone());
        }
    }
    Ok((query, params.without("cursor")))
}

/// List submissions, newest first, with cursor pagination. Members see their organisations' (drafts included);
/// staff and partners with `submissions:read` see every submitted one, never drafts; a partner limited to action
/// lines sees only those.
#[utoipa::path(
    operation_id = "list_submissions",
    tag = "submissions",
    security(("bearer" = [])),
    params(ListParams),
    responses(
        (status = 200, description = "A page; `Link: <…>; rel=\"next\"` when there is more", body = Page<Submission>),
        SignInRequired,
        (status = 422, description = "An invalid filter, limit or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/submissions")]
pub async fn list_submissions(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let (mut query, base) = list_query(&req, &state, &principal.actor, false).await?;
    let limit = query.limit;
    query.limit = limit + 1;
    let now = state.clock.now();
    let (mut rows, calls) = state
        .db(move |conn| Ok((submissions::list(conn, &query)?, calls::list_calls(conn)?)))
        .await?;
    let more = i64::try_from(rows.len()).unwrap_or(i64::MAX) > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        let call = calls
            .iter()
            .find(|c| c.id == row.record.call_id)
            .ok_or_else(|| ApiError::internal("call missing"))?;
        items.push(render(&row.record, call, now, Vec::new())?);
    }
    let next_cursor = if more {
        rows.last()
            .map(|row| crate::responses::cursor::encode(&row.position))
    } else {
        None
    };
    let mut response = HttpResponse::Ok();
    response.insert_header((header::CACHE_CONTROL, "private, no-cache"));
    if let Some(cursor) = &next_cursor {
        let sep = if base.is_empty() { "" } else { "&" };
        response.insert_header((
            header::LINK,
            format!("</api/v1/submissions?{base}{sep}cursor={cursor}>; rel=\"next\""),
        ));
    }
    Ok(response.json(Page { items, next_cursor }))
}
