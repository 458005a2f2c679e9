//! Contributions on the four tracks, by action family: `drafts` (create, conditional edits with revisions, delete),
//! `lifecycle` (submit to the second with a receipt, withdraw), `records` (receipts, revisions, history, public
//! receipt checks), `decisions` (staff, one by one and in batch), `awards` (pledge status, prize awards), `listing`
//! (one, a filtered page) and `export`.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put, web};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use wsis_domain::Extension;
use wsis_domain::forms;
use wsis_domain::submission::canonical_json;
use wsis_domain::{Actor, Language, Scope, SubmissionStatus, TrackKind};
use wsis_persistence::calls::{self, CallRecord};
use wsis_persistence::submissions::{self, ListOrder, SubmissionRecord};

use crate::auth::Principal;
use crate::auth::principal::unauthenticated;
use crate::dto::{Deadline, Page, rfc3339};
use crate::export::{Export, ExportFormat, ExportItem};
use crate::json::JsonBody;
use crate::problem::{ApiError, FORBIDDEN, FieldError, Problem, SignInRequired, StaffOnly};
use crate::routes::filters::bad;
use crate::state::AppState;

mod awards;
mod decisions;
mod drafts;
mod export;
mod lifecycle;
mod listing;
mod records;

pub use awards::*;
pub use decisions::*;
pub use drafts::*;
pub use export::*;
pub use lifecycle::*;
pub use listing::*;
pub use records::*;

/// `?dry_run=true`: validate and answer as if written, without writing.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DryRun {
    /// Validate only.
    #[serde(default)]
    pub dry_run: bool,
}

/// A receipt: proof of what was received, and when.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "number": "WSIS-2025-PRZ-000042", "submission_id": "0193a0d0-1a2b-7c3d-8e4f-5a6b7c8d9e0f", "call": "wsis-2025",
    "track": "prizes", "received_at": "2025-02-10T22:59:58Z", "received_at_local": "2025-02-10T23:59:58+01:00",
    "content_sha256": "9f2c4e0b3c1a6d8e7f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e",
    "check_code": "3f9a1c07b2e48d5a6c10",
    "verify": "/api/v1/receipts/WSIS-2025-PRZ-000042?check=3f9a1c07b2e48d5a6c10"
}))]
pub struct Receipt {
    /// Unique per call: the call's slug in capitals, the track's code and a sequence.
    pub number: String,
    /// The submission.
    #[schema(format = Uuid)]
    pub submission_id: String,
    /// Call slug.
    pub call: String,
    /// The track.
    pub track: TrackKind,
    /// The server's receive time (UTC), to the second.
    #[schema(format = DateTime)]
    pub received_at: String,
    /// The same on the track zone's wall clock.
    #[schema(format = DateTime)]
    pub received_at_local: String,
    /// SHA-256 (hex) of the canonical JSON of the content received (object keys sorted, no whitespace).
    pub content_sha256: String,
    /// The receipt's check code (20 hexadecimal digits): with the number, it lets whoever you give both to check the
    /// receipt. The number alone shows nothing to anyone.
    pub check_code: String,
    /// Where whoever holds the number and the check code can check the receipt, without signing in.
    pub verify: String,
}

/// A contribution.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a0d0-1a2b-7c3d-8e4f-5a6b7c8d9e0f", "call": "wsis-2025", "track": "trust_fund",
    "organisation_id": "0193a0c5-1b2c-7d3e-8f40-5a6b7c8d9e0f", "language": "en", "status": "draft",
    "content": {"kind": "financial", "amount": "25000.00", "currency": "CHF"},
    "deadline": {
        "opens_at": "2024-10-03T22:00:00Z", "closes_at": "2025-07-11T21:59:59Z", "timezone": "Europe/Zurich",
        "opens_at_local": "2024-10-04T00:00:00+02:00", "closes_at_local": "2025-07-11T23:59:59+02:00",
        "grace_seconds": 0, "effective_closes_at": "2025-07-11T21:59:59Z", "extension": null, "state": "open",
        "server_time": "2025-02-01T10:00:00Z",
        "rules": {"opens": {"rule": "start_of_local_day", "date": "2024-10-04"}, "closes": {"rule": "end_of_local_day", "date": "2025-07-11"}}
    },
    "receipt": null, "warnings": [], "created_at": "2025-02-01T10:00:00Z", "updated_at": "2025-02-01T10:00:00Z"
}))]
pub struct Submission {
    /// Id.
    #[schema(format = Uuid)]
    pub id: String,
    /// Call slug.
    pub call: String,
    /// The track.
    pub track: TrackKind,
    /// Submitting organisation.
    #[schema(format = Uuid)]
    pub organisation_id: String,
    /// Language of the content.
    pub language: Language,
    /// Where it stands.
    pub status: SubmissionStatus,
    /// The track's form.
    #[schema(schema_with = crate::openapi::form_content)]
    pub content: serde_json::Value,
    /// The receipt, once submitted.
    pub receipt: Option<Receipt>,
    /// Trust Fund pledges, once submitted; null on other tracks.
    pub pledge_status: Option<wsis_domain::PledgeStatus>,
    /// WSIS Prizes nominations: the award once staff chose it, else null.
    pub prize_award: Option<wsis_domain::PrizeAward>,
    /// The caller's deadline for this submission.
    pub deadline: Deadline,
    /// Advisories on the content (speaker balance…), said in the negotiated language; they do not block.
    pub warnings: Vec<FieldError>,
    /// Created.
    #[schema(format = DateTime)]
    pub created_at: String,
    /// Last changed.
    #[schema(format = DateTime)]
    pub updated_at: String,
}

fn track_of(call: &CallRecord, id: &str) -> Result<calls::TrackRecord, ApiError> {
    call.tracks
        .iter()
        .find(|t| t.id == id)
        .cloned()
        .ok_or_else(|| ApiError::internal("submission's track is missing"))
}

fn receipt_of(
    record: &SubmissionRecord,
    call: &CallRecord,
    track: &calls::TrackRecord,
) -> Option<Receipt> {
    let (number, at, sha, check) = (
        record.receipt_number.clone()?,
        record.received_at?,
        record.content_sha256.clone()?,
        record.receipt_check.clone()?,
    );
    Some(Receipt {
        verify: format!("/api/v1/receipts/{number}?check={check}"),
        check_code: check,
        number,
        submission_id: record.id.clone(),
        call: call.slug.clone(),
        track: record.track_kind,
        received_at: rfc3339(at),
        received_at_local: at
            .with_timezone(&track.schedule.timezone())
            .to_rfc3339_opts(SecondsFormat::Secs, true),
        content_sha256: sha,
    })
}

pub(crate) fn render_with(
    record: &SubmissionRecord,
    call: &CallRecord,
    now: DateTime<Utc>,
    warnings: Vec<FieldError>,
    extension: Option<&Extension>,
) -> Result<Submission, ApiError> {
    let track = track_of(call, &record.track_id)?;
    Ok(Submission {
        id: record.id.clone(),
        call: call.slug.clone(),
        track: record.track_kind,
        organisation_id: record.organisation_id.clone(),
        language: record.language.parse().unwrap_or(Language::En),
        status: record.status,
        content: record.content.clone(),
        receipt: receipt_of(record, call, &track),
        pledge_status: record.pledge_status,
        prize_award: record.prize_award,
        deadline: Deadline::for_caller(&track.schedule, now, None, extension),
        warnings,
        created_at: rfc3339(record.created_at),
        updated_at: rfc3339(record.updated_at),
    })
}

fn render(
    record: &SubmissionRecord,
    call: &CallRecord,
    now: DateTime<Utc>,
    warnings: Vec<FieldError>,
) -> Result<Submission, ApiError> {
    render_with(record, call, now, warnings, None)
}

/// The strong entity tag of a submission: its id and version (the deadline's `server_time` and `state` are
/// computed per request and not part of what `If-Match` protects).
fn etag(record: &SubmissionRecord) -> String {
    wsis_app::submissions::version_tag(record)
}

fn respond(
    status: actix_web::http::StatusCode,
    record: &SubmissionRecord,
    body: &Submission,
) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag(record)))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .insert_header((
            header::LOCATION,
            format!("/api/v1/submissions/{}", record.id),
        ))
        .json(body)
}

use wsis_app::submissions::may_read_all;

/// The submission and its call, as the caller may see it (`wsis_app::submissions::find`).
async fn load(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<(SubmissionRecord, CallRecord), ApiError> {
    let (actor, id) = (principal.actor.clone(), id.to_owned());
    state
        .run(move |conn| wsis_app::submissions::find(conn, &actor, &id))
        .await
}

/// A form's advisories as the problem format's field errors, said in `language`.
fn warnings_of(
    warnings: Vec<forms::Violation>,
    language: wsis_domain::Language,
) -> Vec<FieldError> {
    warnings
        .into_iter()
        .map(|w| FieldError::from(w).said_in(language))
        .collect()
}
