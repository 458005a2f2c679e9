//! Reading contributions: one, and a filtered page (the filters are shared with the export).

use super::*;
use crate::responses::conditional::{Cached, Freshness};
use crate::routes::filters::{Limit, OrganisationId, Param};
use wsis_domain::organisation::PlaceFilter;
use wsis_domain::said;
use wsis_domain::{ActionLineCode, CountryCode, Region, Sdg, StakeholderCategory};

/// Get a submission (members of its organisation; staff and partners with `submissions:read` once submitted).
///
/// Members of its organisation, and (once submitted) staff and partners with `submissions:read`, may call it; to
/// anyone else it does not exist. It changes nothing.
#[utoipa::path(
    operation_id = "get_submission",
    tag = "submissions",
    security(("bearer" = []), ("oauth2" = []), ("oauth2" = ["submissions:read"])),
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
    let actor = principal.actor.clone();
    let (record, call, extension) = state
        .run(move |conn| wsis_app::submissions::view(conn, &actor, &id))
        .await?;
    let body = render_with(
        &record,
        &call,
        state.clock.now(),
        Vec::new(),
        extension.as_ref(),
    )?;
    // The entity tag is the entry's version tag (the deadline's `server_time` and `state` are computed per request
    // and not part of what it protects).
    const SUBMISSION: Cached<'static> = Cached {
        language: None,
        freshness: Freshness::Private,
        volatile_fields: &[],
    };
    SUBMISSION.respond_tagged(&req, &body, &etag(&record))
}

/// The filters of a listing, as query parameters; repeated parameters mean OR. This struct is what the query
/// string is parsed into (`filters::QueryString::read`).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Call slug.
    #[serde(default)]
    #[param(style = Form, explode)]
    pub call: Vec<String>,
    /// Track kind.
    #[serde(default)]
    #[param(style = Form, explode, value_type = Vec<wsis_domain::TrackKind>)]
    pub track: Vec<Param<TrackKind>>,
    /// Status.
    #[serde(default)]
    #[param(style = Form, explode, value_type = Vec<wsis_domain::SubmissionStatus>)]
    pub status: Vec<Param<SubmissionStatus>>,
    /// Organisation id.
    #[serde(default)]
    #[param(style = Form, explode, value_type = Vec<uuid::Uuid>)]
    pub organisation: Vec<Param<OrganisationId>>,
    /// The organisation's stakeholder category.
    #[serde(default)]
    #[param(style = Form, explode, value_type = Vec<wsis_domain::StakeholderCategory>)]
    pub stakeholder_category: Vec<Param<StakeholderCategory>>,
    /// The organisation's country (ISO 3166-1 alpha-2 or `global`).
    #[serde(default)]
    #[param(style = Form, explode, value_type = Vec<wsis_domain::CountryCode>)]
    pub country: Vec<Param<CountryCode>>,
    /// The organisation's ITU-D region.
    #[serde(default)]
    #[param(style = Form, explode, value_type = Vec<wsis_domain::Region>)]
    pub region: Vec<Param<Region>>,
    /// Action line the content is about.
    #[serde(default)]
    #[param(style = Form, explode, value_type = Vec<wsis_domain::ActionLineCode>)]
    pub action_line: Vec<Param<ActionLineCode>>,
    /// SDG the content is about.
    #[serde(default)]
    #[param(style = Form, explode, value_type = Vec<wsis_domain::Sdg>)]
    pub sdg: Vec<Param<Sdg>>,
    /// Changed at or after (RFC 3339).
    #[param(value_type = Option<DateTime<Utc>>)]
    pub updated_since: Option<Param<DateTime<Utc>>>,
    /// Words the main text contains.
    pub q: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub limit: Option<Param<Limit>>,
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
    use crate::routes::filters::{self, QueryString, values};
    // A list takes its filters; an export takes them and its format.
    let known = [
        filters::declared::<ListParams>(),
        filters::declared::<crate::export::ExportParams>(),
    ]
    .concat();
    // Who asks is answered first: without credentials, 401 whatever the query says.
    if *actor == Actor::Anonymous {
        return Err(unauthenticated(said!("refused-sign-in-submissions")));
    }
    let query_string = QueryString::parse(req, &known)?;
    let params: ListParams = query_string.read()?;
    let mut query = submissions::ListQuery::default();
    match actor {
        Actor::Anonymous => {}
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
    query.tracks = values(params.track)
        .iter()
        .map(|t| t.code().to_owned())
        .collect();
    query.statuses = values(params.status)
        .iter()
        .map(|s| s.code().to_owned())
        .collect();
    query.organisations = filters::organisation_ids(params.organisation);
    query.stakeholder_categories = filters::categories(params.stakeholder_category);
    query.countries = PlaceFilter::parse(values(params.country), values(params.region))
        .map_err(|v| ApiError::violations(vec![v]))?
        .country_codes();
    let groups = [
        filters::action_line_tags(params.action_line),
        filters::sdg_tags(params.sdg),
    ];
    query.tag_groups = groups.into_iter().filter(|g| !g.is_empty()).collect();
    query.updated_since = params.updated_since.map(|p| p.0);
    query.search = params
        .q
        .as_deref()
        .map(wsis_domain::search::query_phrases)
        .unwrap_or_default();
    query.limit = Limit::or_default(params.limit);
    if let Some(cursor) = &params.cursor {
        query.after = Some(crate::responses::cursor::decode(cursor, ListOrder::Newest)?);
    }
    if !params.call.is_empty() {
        let calls = state.db(calls::summaries).await?;
        for slug in &params.call {
            let call = calls
                .iter()
                .find(|c| &c.slug == slug)
                .ok_or_else(|| bad("call", "unknown_call", said!("field-no-call", slug = slug)))?;
            query.calls.push(call.id.clone());
        }
    }
    Ok((query, query_string.without("cursor")))
}

/// List submissions, newest first, with cursor pagination. Members see their organisations' (drafts included);
/// staff and partners with `submissions:read` see every submitted one, never drafts; a partner limited to action
/// lines sees only those.
///
/// Signed-in users (their organisations' entries, drafts included), staff and partners with `submissions:read`
/// (submitted entries) may call it; it changes nothing.
#[utoipa::path(
    operation_id = "list_submissions",
    tag = "submissions",
    security(("bearer" = []), ("oauth2" = []), ("oauth2" = ["submissions:read"])),
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
    let link = next_cursor.as_ref().and_then(|cursor| {
        let sep = if base.is_empty() { "" } else { "&" };
        header::HeaderValue::from_str(&format!(
            "</api/v1/submissions?{base}{sep}cursor={cursor}>; rel=\"next\""
        ))
        .ok()
    });
    const LIST: Cached<'static> = Cached {
        language: None,
        freshness: Freshness::Private,
        volatile_fields: &[],
    };
    let (body, etag) = LIST.render(&Page { items, next_cursor })?;
    Ok(LIST.respond_with(&req, body.into(), &etag, link.as_ref()))
}
