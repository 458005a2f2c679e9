//! What a submission keeps: its receipt, its revisions, its history, and the public receipt check.

use super::*;
use crate::responses::conditional::{Cached, Freshness};
use wsis_domain::said;

/// What only the entry's readers see: kept by their browser, revalidated with `If-None-Match`.
const PRIVATE: Cached<'static> = Cached {
    language: None,
    freshness: Freshness::Private,
    volatile_fields: &[],
};

/// Get the receipt of a submitted entry again.
///
/// Whoever may read the submission may call it (members of its organisation; once it is submitted, staff and
/// partners with `submissions:read`); it changes nothing.
#[utoipa::path(
    operation_id = "get_receipt",
    tag = "submissions",
    security(("bearer" = []), ("oauth2" = []), ("oauth2" = ["submissions:read"])),
    params(("id" = uuid::Uuid, Path, description = "Submission id")),
    responses(
        (status = 200, description = "The receipt", body = Receipt),
        SignInRequired,
        (status = 404, description = "No such submission, or not submitted", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/submissions/{id}/receipt")]
pub async fn get_receipt(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (record, call) = load(&state, &principal, &id).await?;
    let track = track_of(&call, &record.track_id)?;
    let receipt = receipt_of(&record, &call, &track)
        .ok_or_else(|| ApiError::not_found(said!("not-found-receipt-never-submitted")))?;
    PRIVATE.respond(&req, &receipt)
}

/// A revision of the content.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"number": 2, "author_id": "0193a0c4-8f2e-7d41-b6a2-5c1d9e0f3a7b", "created_at": "2025-02-03T08:00:00Z", "changed_fields": ["content.amount"], "content": {"kind": "financial", "amount": "30000.00", "currency": "CHF"}}))]
pub struct Revision {
    /// 1 for the draft as created, then one per change.
    pub number: i32,
    /// Who made it.
    #[schema(format = Uuid)]
    pub author_id: String,
    /// When.
    #[schema(format = DateTime)]
    pub created_at: String,
    /// Top-level fields that changed.
    pub changed_fields: Vec<String>,
    /// The content after the change.
    #[schema(schema_with = crate::openapi::form_content)]
    pub content: serde_json::Value,
}

/// The revisions of a submission, oldest first.
///
/// Whoever may read the submission may call it (members of its organisation; once it is submitted, staff and
/// partners with `submissions:read`); it changes nothing.
#[utoipa::path(
    operation_id = "list_revisions",
    tag = "submissions",
    security(("bearer" = []), ("oauth2" = []), ("oauth2" = ["submissions:read"])),
    params(("id" = uuid::Uuid, Path, description = "Submission id")),
    responses(
        (status = 200, description = "Revisions", body = Page<Revision>),
        SignInRequired,
        (status = 404, description = "No such submission, or not yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/submissions/{id}/revisions")]
pub async fn list_revisions(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (record, _) = load(&state, &principal, &id).await?;
    let revisions = state
        .db(move |conn| submissions::revisions(conn, &record.id))
        .await?;
    let items = revisions
        .into_iter()
        .map(|r| Revision {
            number: r.number,
            author_id: r.author_id,
            created_at: rfc3339(r.created_at),
            changed_fields: r.changed_fields,
            content: r.content,
        })
        .collect();
    PRIVATE.respond(&req, &Page::complete(items))
}

/// An entry of the audit trail.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"action": "late_attempt", "actor_id": "0193a0c4-8f2e-7d41-b6a2-5c1d9e0f3a7b", "at": "2025-02-10T23:00:01Z", "detail": {"attempted": "submit", "received_at": "2025-02-10T23:00:01.250Z", "effective_closes_at": "2025-02-10T22:59:59Z"}}))]
pub struct HistoryEntry {
    /// `created`, `updated`, `submitted`, `withdrawn`, `late_attempt`, and staff actions.
    pub action: String,
    /// Who.
    #[schema(format = Uuid)]
    pub actor_id: Option<String>,
    /// When.
    pub at: String,
    /// Details.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

/// The audit trail of a submission: every action, late attempts included, oldest first.
///
/// Whoever may read the submission may call it (members of its organisation; once it is submitted, staff and
/// partners with `submissions:read`); it changes nothing.
#[utoipa::path(
    operation_id = "list_history",
    tag = "submissions",
    security(("bearer" = []), ("oauth2" = []), ("oauth2" = ["submissions:read"])),
    params(("id" = uuid::Uuid, Path, description = "Submission id")),
    responses(
        (status = 200, description = "History", body = Page<HistoryEntry>),
        SignInRequired,
        (status = 404, description = "No such submission, or not yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/submissions/{id}/history")]
pub async fn list_history(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (record, _) = load(&state, &principal, &id).await?;
    let events = state
        .db(move |conn| submissions::events(conn, &record.id))
        .await?;
    let items = events
        .into_iter()
        .map(|e| HistoryEntry {
            action: e.action,
            actor_id: e.actor_id,
            at: e.created_at.to_rfc3339_opts(SecondsFormat::Millis, true),
            detail: e.detail,
        })
        .collect();
    PRIVATE.respond(&req, &Page::complete(items))
}

/// What a receipt certifies, for whoever holds its number and check code.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"number": "WSIS-2025-PRZ-000042", "call": "wsis-2025", "track": "prizes", "received_at": "2025-02-10T22:59:58Z", "content_sha256": "9f2c4e0b3c1a6d8e7f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e"}))]
pub struct ReceiptCheck {
    /// The number.
    pub number: String,
    /// Call slug.
    pub call: String,
    /// Track.
    #[schema(value_type = wsis_domain::TrackKind)]
    pub track: String,
    /// Receive time (UTC).
    #[schema(format = DateTime)]
    pub received_at: String,
    /// Compare with the SHA-256 of the canonical JSON of your copy of the content.
    pub content_sha256: String,
}

/// The check code of a receipt.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReceiptCheckParams {
    /// The receipt's `check_code`, as the receipt and its mail give it.
    #[serde(default)]
    #[param(
        required = true,
        min_length = 20,
        max_length = 20,
        pattern = "^[0-9a-fA-F]{20}$"
    )]
    pub check: String,
}

/// Check a receipt: whoever holds its number and its check code (both on the receipt the submitter received) sees
/// when it was received and the digest of what was received. A number without its code, or with a wrong one,
/// answers 404 exactly as a number that does not exist, so walking numbers or guessing codes learns nothing.
///
/// Anyone holding the receipt's number and check code may call it, without credentials; it changes nothing.
#[utoipa::path(
    operation_id = "check_receipt",
    tag = "submissions",
    params(
        ("number" = String, Path, description = "Receipt number", example = "WSIS-2025-PRZ-000042"),
        ReceiptCheckParams,
    ),
    responses(
        (status = 200, description = "What the receipt certifies", body = ReceiptCheck),
        (status = 404, description = "No such receipt, or not this check code", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No check code given", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/receipts/{number}")]
pub async fn check_receipt(
    req: HttpRequest,
    state: web::Data<AppState>,
    number: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    use crate::routes::filters::{QueryString, declared};
    let query: ReceiptCheckParams =
        QueryString::parse(&req, &declared::<ReceiptCheckParams>())?.read()?;
    let check = query.check;
    if check.trim().is_empty() {
        return Err(bad("check", "required", said!("field-check-code")));
    }
    let lookup = number.clone();
    let found = state
        .db(move |conn| submissions::receipt(conn, &lookup))
        .await?;
    let presented = crate::auth::secrets::digest(check.trim().to_ascii_lowercase().as_str());
    let facts = found
        .filter(|f| {
            crate::auth::secrets::digests_equal(
                &crate::auth::secrets::digest(&f.check_code),
                &presented,
            )
        })
        .ok_or_else(|| ApiError::not_found(said!("not-found-receipt")))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .json(ReceiptCheck {
            number: number.into_inner(),
            call: facts.call,
            track: facts.track,
            received_at: rfc3339(facts.received_at),
            content_sha256: facts.content_sha256,
        }))
}
