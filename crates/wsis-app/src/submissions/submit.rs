//! Submitting a draft: the deadline to the second, the form, the prize rules, the receipt and its mail, in one
//! transaction.

use chrono::{DateTime, SecondsFormat, Utc};
use wsis_domain::changes::EventType;
use wsis_domain::forms::{self, Content, PrizeNomination, Violation};
use wsis_domain::said;
use wsis_domain::submission::content_digest;
use wsis_domain::{
    Access, Actor, Language, Performer, PledgeStatus, SubmissionStatus, TrackKind, Transition,
    policy,
};
use wsis_persistence::calls::CallRecord;
use wsis_persistence::submissions::{self, Mail, SubmissionRecord, SubmitWrite};
use wsis_persistence::{DbConnection, DbError, db};

use super::{call_of, check_window, load_locked, require_editor, tag_matches, track_of};
use crate::{Refusal, letters};

/// A request to submit a draft.
#[derive(Debug, Clone)]
pub struct Submit {
    /// The draft.
    pub id: String,
    /// The server's receive time of the request, taken once when it arrived.
    pub received_at: DateTime<Utc>,
    /// The `If-Match` the caller sent, if any: the version it means to submit.
    pub if_match: Option<String>,
    /// Check everything and answer the receipt as it would be, writing nothing.
    pub dry_run: bool,
}

/// A submitted entry (or, in a dry run, the entry as it would be), with its call.
#[derive(Debug, Clone)]
pub struct Submitted {
    /// The entry, with its receipt.
    pub record: SubmissionRecord,
    /// Its call.
    pub call: CallRecord,
    /// Whether it queued mail for the outbox worker to deliver.
    pub mail_queued: bool,
}

/// Submits a draft, in one transaction: access, the track's window at the receive time (a late attempt is
/// recorded), the form, the prize rules (under a lock per organisation and call, so concurrent submits cannot both
/// pass them), the receipt number, the history event and the receipt mail to the organisation's owners and the
/// author.
pub fn submit(
    conn: &mut DbConnection,
    actor: &Actor,
    request: Submit,
) -> Result<Submitted, Refusal> {
    crate::run(conn, |conn| submit_in(conn, actor, request))
}

fn submit_in(
    conn: &mut DbConnection,
    actor: &Actor,
    request: Submit,
) -> Result<Submitted, Refusal> {
    // Locked: a second submit of the draft (a double click) waits here, then finds it submitted.
    let record = load_locked(conn, actor, &request.id)?;
    require_editor(actor, &record)?;
    if let Some(given) = &request.if_match
        && !tag_matches(given, &record)
    {
        return Err(Refusal::PreconditionFailed(said!("changed-submission")));
    }
    if policy::act_as_verified_user(actor) != Access::Allowed {
        return Err(Refusal::Forbidden(said!("refused-verify-to-submit")));
    }
    let user = actor.user().map(|u| u.id.clone()).unwrap_or_default();
    record
        .status
        .apply(Transition::Submit, Performer::Organisation)
        .map_err(|e| Refusal::InvalidTransition(e.said()))?;
    let call = call_of(conn, &record)?;
    check_window(conn, &record, &call, &user, "submit", request.received_at)?;
    let language: Language = record.language.parse().unwrap_or(Language::En);
    let parsed = forms::parse(
        record.track_kind,
        &record.content,
        language,
        &super::form_rules(&call),
    )
    .map_err(Refusal::Invalid)?;
    if let Content::Prizes(nomination) = &parsed.content {
        check_prize_rules(conn, &record, nomination)?;
    }
    let digest = content_digest(&record.content);
    let pledge_status = PledgeStatus::on_submit(record.track_kind);
    if request.dry_run {
        let preview = SubmissionRecord {
            pledge_status,
            receipt_number: Some("DRY-RUN".into()),
            received_at: Some(request.received_at),
            content_sha256: Some(digest),
            receipt_check: Some("DRY-RUN".into()),
            ..record
        };
        return Ok(Submitted {
            record: preview,
            call,
            mail_queued: false,
        });
    }
    let recipients = submissions::recipients(conn, &record)?;
    let check_code = super::receipt_check_code();
    let written = submissions::submit(
        conn,
        &SubmitWrite {
            id: &record.id,
            expected_version: record.version,
            track_id: &record.track_id,
            call_slug: &call.slug,
            kind: record.track_kind,
            digest: &digest,
            check_code: &check_code,
            actor: &user,
            received_at: request.received_at,
            // The entry keeps the organisation's category and country as they are now (statistics and filters
            // use them).
            organisation_id: &record.organisation_id,
            pledge_status,
        },
    )?
    .ok_or_else(|| Refusal::PreconditionFailed(said!("changed-submission-while-submitting")))?;
    let submitted = SubmissionRecord {
        status: SubmissionStatus::Submitted,
        version: written.version,
        receipt_number: Some(written.receipt_number),
        received_at: Some(request.received_at),
        content_sha256: Some(digest),
        receipt_check: Some(check_code),
        pledge_status,
        updated_at: request.received_at,
        ..record
    };
    let zone = track_of(&call, &submitted)?.schedule.timezone();
    let mails = receipt_mails(&recipients, &submitted, zone);
    submissions::enqueue_all(conn, &mails, request.received_at)?;
    tracing::info!(submission.id = %submitted.id, receipt = ?submitted.receipt_number, "submitted");
    crate::changes::submission_on(
        conn,
        EventType::SubmissionSubmitted,
        None,
        Some(&submitted),
        Some(&parsed.content),
        request.received_at,
    )?;
    Ok(Submitted {
        record: submitted,
        call,
        mail_queued: !mails.is_empty(),
    })
}

/// What the WSIS Prizes add at submission: the project is the organisation's own submitted stocktaking entry that
/// has not won a WSIS Prize before; one nomination per organisation and category in a call; a project once per
/// call. The organisation's nominations in the call are locked first (every instance shares the lock on
/// PostgreSQL; SQLite runs one writer at a time): of two concurrent submits that would break a rule, the second
/// sees the first.
fn check_prize_rules(
    conn: &mut DbConnection,
    record: &SubmissionRecord,
    nomination: &PrizeNomination,
) -> Result<(), Refusal> {
    db::lock(
        conn,
        &format!("nominations:{}:{}", record.organisation_id, record.call_id),
    )?;
    let project = match submissions::find(conn, &nomination.project_id) {
        Ok(project) => Some(project),
        Err(DbError::NotFound) => None,
        Err(error) => return Err(error.into()),
    };
    let eligible = project.as_ref().is_some_and(|p| {
        p.organisation_id == record.organisation_id
            && p.track_kind == TrackKind::Stocktaking
            && matches!(
                p.status,
                SubmissionStatus::Submitted
                    | SubmissionStatus::UnderReview
                    | SubmissionStatus::Accepted
            )
    });
    if !eligible {
        return Err(Refusal::invalid(
            "content.project_id",
            "not_eligible",
            said!("field-not-eligible"),
        ));
    }
    let project_content = project.as_ref().map(|p| &p.content);
    let project_text = |key: &str| {
        project_content
            .and_then(|c| c.get(key))
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    // Completed, or at the end of a major phase: a project that has not started is not eligible.
    if project_text("status") == "planned" {
        return Err(Refusal::invalid(
            "content.project_id",
            "not_eligible",
            said!("field-project-planned"),
        ));
    }
    if let Some(win) = submissions::winning_nominations_of(conn, &nomination.project_id)?.first() {
        let call = wsis_persistence::calls::find_call_by_id(conn, &win.call_id)?.slug;
        return Err(Refusal::invalid(
            "content.project_id",
            "previous_winner",
            said!("field-previous-winner", call = call),
        ));
    }
    // The same project entered again (a new stocktaking entry of the same organisation, under the same title) won
    // before: here, or in a year staff recorded.
    let key = wsis_domain::prizes::title_key(&project_text("title"));
    let earlier = wsis_persistence::prizes::earlier_wins_of(
        conn,
        &nomination.project_id,
        &record.organisation_id,
        &key,
    )?;
    if let Some(win) = earlier.first() {
        return Err(Refusal::invalid(
            "content.project_id",
            "previous_winner",
            said!("field-earlier-winner", year = win.year, title = &win.title),
        ));
    }
    for win in submissions::winning_nominations_of_organisation(conn, &record.organisation_id)? {
        let Some(project_id) = win.content.get("project_id").and_then(|v| v.as_str()) else {
            continue;
        };
        let title = match submissions::find(conn, project_id) {
            Ok(p) => p
                .content
                .get("title")
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned(),
            Err(DbError::NotFound) => continue,
            Err(error) => return Err(error.into()),
        };
        if wsis_domain::prizes::title_key(&title) == key {
            let call = wsis_persistence::calls::find_call_by_id(conn, &win.call_id)?.slug;
            return Err(Refusal::invalid(
                "content.project_id",
                "previous_winner",
                said!("field-previous-winner", call = call),
            ));
        }
    }
    let others: Vec<PrizeNomination> =
        submissions::live_nominations(conn, &record.organisation_id, &record.call_id, &record.id)?
            .iter()
            .filter_map(|s| match Content::read(TrackKind::Prizes, &s.content) {
                Some(Content::Prizes(n)) => Some(n),
                _ => None,
            })
            .collect();
    if others.iter().any(|n| n.category == nomination.category) {
        return Err(Refusal::Conflict {
            message: said!("conflict-one-per-category"),
            violations: vec![Violation::new(
                "content.category",
                "one_per_category",
                said!("field-one-per-category"),
            )],
        });
    }
    if others.iter().any(|n| n.project_id == nomination.project_id) {
        return Err(Refusal::Conflict {
            message: said!("conflict-nominated-once"),
            violations: vec![Violation::new(
                "content.project_id",
                "already_nominated",
                said!("field-already-nominated"),
            )],
        });
    }
    Ok(())
}

/// The receipt mail for each recipient, in their language.
fn receipt_mails(
    recipients: &[submissions::Recipient],
    submitted: &SubmissionRecord,
    zone: chrono_tz::Tz,
) -> Vec<Mail> {
    let (Some(number), Some(at), Some(sha), Some(check)) = (
        &submitted.receipt_number,
        submitted.received_at,
        &submitted.content_sha256,
        &submitted.receipt_check,
    ) else {
        return Vec::new();
    };
    let utc = at.to_rfc3339_opts(SecondsFormat::Secs, true);
    let local = at
        .with_timezone(&zone)
        .to_rfc3339_opts(SecondsFormat::Secs, true);
    letters::to_each(recipients, |language| {
        letters::receipt(
            language,
            number,
            submitted.track_kind.code(),
            &utc,
            &local,
            sha,
            check,
        )
    })
}
