//! Exports of submitted entries, streamed with the list's filters.

use super::listing::list_query;
use super::*;
use wsis_domain::said;

/// Export submitted entries (staff; partners with `exports:read`), never drafts, with the list's filters, streamed
/// page by page in constant memory. CSV cells that a spreadsheet would run as a formula are prefixed with `'`.
///
/// Staff and partners with `exports:read` may call it; it changes nothing. The same filters as the list; streamed in
/// constant memory as CSV, JSON or JSON Lines.
#[utoipa::path(
    operation_id = "export_submissions",
    tag = "submissions",
    security(("bearer" = []), ("oauth2" = []), ("oauth2" = ["exports:read"])),
    params(crate::export::ExportParams, ListParams),
    responses(
        (status = 200, description = "The export, streamed", content(("text/csv"), ("application/json"), ("application/x-ndjson"))),
        SignInRequired,
        (status = 403, description = "Staff and partners with `exports:read` only", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown format or filter", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/submissions/export")]
pub async fn export_submissions(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let allowed = principal.actor.is_staff()
        || matches!(&principal.actor, Actor::Client(c) if c.scopes.contains(&Scope::ExportsRead));
    if principal.actor == Actor::Anonymous {
        return Err(unauthenticated(said!("refused-sign-in-exports")));
    }
    if !allowed {
        return Err(ApiError::new(FORBIDDEN, said!("refused-exports")));
    }
    let format = ExportFormat::from_query(req.query_string())?;
    let (query, _) = list_query(&req, &state, &principal.actor, true).await?;
    let calls = state.db(calls::summaries).await?;
    let stamp = state.clock.now().format("%Y%m%dT%H%M%SZ");
    let export = Export {
        format,
        columns: &EXPORT_COLUMNS,
        file_stem: format!("submissions-{stamp}"),
        cache_control: "private, no-store",
    };
    Ok(export.stream(state, query, move |row| {
        let (r, org) = (&row.record, &row.organisation);
        let call = calls
            .iter()
            .find(|c| c.id == r.call_id)
            .map(|c| c.slug.clone())
            .ok_or_else(|| format!("call {} of submission {} is missing", r.call_id, r.id))?;
        let region = org
            .country
            .parse::<wsis_domain::CountryCode>()
            .ok()
            .and_then(|c| c.region())
            .map(|r| r.code().to_owned())
            .unwrap_or_default();
        Ok(ExportedSubmission(serde_json::json!({
            "id": r.id, "receipt_number": r.receipt_number, "call": call, "track": r.track_kind.code(),
            "status": r.status.code(), "organisation_id": r.organisation_id, "organisation_name": org.name,
            "stakeholder_category": org.stakeholder_category, "country": org.country, "region": region,
            "language": r.language, "received_at": r.received_at.map(rfc3339), "content_sha256": r.content_sha256,
            "pledge_status": r.pledge_status, "updated_at": rfc3339(r.updated_at), "content": r.content,
        })))
    }))
}

/// The columns of a submissions export, in order (the JSON formats carry the same members).
const EXPORT_COLUMNS: [&str; 16] = [
    "id",
    "receipt_number",
    "call",
    "track",
    "status",
    "organisation_id",
    "organisation_name",
    "stakeholder_category",
    "country",
    "region",
    "language",
    "received_at",
    "content_sha256",
    "pledge_status",
    "updated_at",
    "content",
];

/// One exported submission: its members as JSON; for CSV, one cell per column (the content as canonical JSON).
#[derive(Debug, Serialize)]
#[serde(transparent)]
struct ExportedSubmission(serde_json::Value);

impl ExportItem for ExportedSubmission {
    fn cells(&self) -> Vec<String> {
        EXPORT_COLUMNS
            .iter()
            .map(|c| match &self.0[*c] {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect()
    }
}
