//! Use cases on submissions, and what they share: who may see and change an entry, its version tag, its window.

use chrono::{DateTime, SecondsFormat, Utc};
use sha2::{Digest, Sha256};
use wsis_domain::forms::Tag;
use wsis_domain::said;
use wsis_domain::{Actor, Extension, MemberRole, Scope};
use wsis_persistence::calls::{self, CallRecord, TrackRecord};
use wsis_persistence::submissions::{self, SubmissionRecord};
use wsis_persistence::{DbConnection, DbError};

use crate::Refusal;

mod decisions;
mod drafts;
mod submit;
mod withdraw;

pub use decisions::{Decide, decide, set_pledge_status, set_prize_award};
pub use drafts::{Change, Drafted, NewDraft, create_draft, delete_draft, update};
pub use submit::{Submit, Submitted, submit};
pub use withdraw::withdraw;

/// The version tag of a submission (its HTTP `ETag`): a digest of its id and version.
pub fn version_tag(record: &SubmissionRecord) -> String {
    let digest = Sha256::digest(format!("{}:{}", record.id, record.version).as_bytes());
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// Whether an `If-Match` list names this version (or is `*`).
pub fn tag_matches(if_match: &str, record: &SubmissionRecord) -> bool {
    let current = version_tag(record);
    if_match
        .split(',')
        .any(|t| t.trim() == current || t.trim() == "*")
}

/// A receipt's check code: 80 random bits as 20 lower-case hexadecimal digits, short enough to read out or type
/// from a printed receipt, far too many to guess through an API.
pub fn receipt_check_code() -> String {
    use rand::RngCore as _;
    let mut bytes = [0u8; 10];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn not_found(id: &str) -> Refusal {
    Refusal::NotFound(said!(
        "not-found-submission",
        id = id.chars().take(64).collect::<String>()
    ))
}

/// Reads a submission with its call, as `actor` may see it (see [`load`]); one transaction.
pub fn find(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
) -> Result<(SubmissionRecord, CallRecord), Refusal> {
    crate::run(conn, |conn| {
        let record = load(conn, actor, id)?;
        let call = call_of(conn, &record)?;
        Ok((record, call))
    })
}

/// A submission as `actor` may see it (see [`load`]), with its call and the individual extension that applies to it:
/// what a reader of one entry is shown, in one transaction.
pub fn view(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
) -> Result<(SubmissionRecord, CallRecord, Option<Extension>), Refusal> {
    crate::run(conn, |conn| {
        let record = load(conn, actor, id)?;
        let call = call_of(conn, &record)?;
        let extension = extension_of(conn, &record)?;
        Ok((record, call, extension))
    })
}

/// The individual extension that applies to a submission (its own, or its organisation's on its track).
fn extension_of(
    conn: &mut DbConnection,
    record: &SubmissionRecord,
) -> Result<Option<Extension>, DbError> {
    wsis_persistence::extensions::for_submission(
        conn,
        &record.track_id,
        &record.organisation_id,
        Some(&record.id),
    )
}

/// Whether `actor` reads every organisation's submitted entries (staff, partners with `submissions:read`).
pub fn may_read_all(actor: &Actor) -> bool {
    actor.is_staff()
        || matches!(actor, Actor::Client(c) if c.scopes.contains(&Scope::SubmissionsRead))
}

/// The submission as `actor` may see it: members of its organisation always; staff and partners with
/// `submissions:read` once it is submitted (never drafts), partners limited to action lines only on those lines.
/// Anything else is answered as if it did not exist.
pub(crate) fn load(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
) -> Result<SubmissionRecord, Refusal> {
    load_with(conn, actor, id, submissions::find)
}

/// Like [`load`], the row locked until the transaction ends (to change it).
pub(crate) fn load_locked(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
) -> Result<SubmissionRecord, Refusal> {
    load_with(conn, actor, id, submissions::find_for_update)
}

fn load_with(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    find: fn(&mut DbConnection, &str) -> Result<SubmissionRecord, DbError>,
) -> Result<SubmissionRecord, Refusal> {
    if *actor == Actor::Anonymous {
        return Err(Refusal::Unauthenticated(said!(
            "refused-sign-in-submissions"
        )));
    }
    let record = match find(conn, id) {
        Ok(record) => record,
        Err(DbError::NotFound) => return Err(not_found(id)),
        Err(error) => return Err(error.into()),
    };
    if let Actor::Client(client) = actor
        && let Some(lines) = &client.action_lines
    {
        let tags = submissions::tags_of(conn, &record.id)?;
        let wanted: Vec<String> = lines
            .iter()
            .map(|l| Tag::ActionLine(l.clone()).to_string())
            .collect();
        if !tags.iter().any(|t| wanted.contains(t)) {
            return Err(not_found(id));
        }
    }
    let visible = actor.member_role(&record.organisation_id).is_some()
        || (record.status.is_submitted() && may_read_all(actor));
    if visible {
        Ok(record)
    } else {
        Err(not_found(id))
    }
}

/// Organisation editors (owners, editors) act on the organisation's submissions; viewers and staff may not.
pub(crate) fn require_editor(actor: &Actor, record: &SubmissionRecord) -> Result<(), Refusal> {
    match actor.member_role(&record.organisation_id) {
        Some(MemberRole::Owner | MemberRole::Editor) => Ok(()),
        _ => Err(Refusal::Forbidden(said!("refused-editors-change"))),
    }
}

/// The submission's track in its call.
pub(crate) fn track_of<'a>(
    call: &'a CallRecord,
    record: &SubmissionRecord,
) -> Result<&'a TrackRecord, Refusal> {
    call.tracks
        .iter()
        .find(|t| t.id == record.track_id)
        .ok_or_else(|| Refusal::Db(DbError::Corrupt("a submission's track is missing".into())))
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Checks `at` against the submission's own effective deadline (with any extension for it or its organisation).
/// Outside the window the attempt is recorded in the submission's history (the refusal commits it) and refused with
/// the deadline's facts: when it was received, the window in UTC and on the track zone's wall clock.
pub(crate) fn check_window(
    conn: &mut DbConnection,
    record: &SubmissionRecord,
    call: &CallRecord,
    actor_id: &str,
    action: &str,
    at: DateTime<Utc>,
) -> Result<Option<Extension>, Refusal> {
    let track = track_of(call, record)?;
    let extension = extension_of(conn, record)?;
    let schedule = &track.schedule;
    if schedule.accepts(at, extension.as_ref()) {
        return Ok(extension);
    }
    let detail = deadline_facts(schedule, extension.as_ref(), action, at);
    submissions::record_event(
        conn,
        &record.id,
        Some(actor_id),
        "late_attempt",
        &detail,
        at,
    )?;
    tracing::info!(submission.id = %record.id, track.kind = %record.track_kind, "attempt outside the window recorded");
    let effective = schedule.effective_closes_at(extension.as_ref());
    let zone = schedule.timezone();
    let message = if at < schedule.opens_at() {
        said!(
            "deadline-not-open",
            kind = record.track_kind.code(),
            opens = rfc3339(schedule.opens_at())
        )
    } else {
        said!(
            "deadline-was",
            deadline = rfc3339(effective),
            local = effective
                .with_timezone(&zone)
                .to_rfc3339_opts(SecondsFormat::Secs, true),
            received = at.to_rfc3339_opts(SecondsFormat::Millis, true)
        )
    };
    Err(Refusal::DeadlinePassed {
        message,
        deadline: detail,
    })
}

/// The facts of a refused attempt, the same for every action: what was attempted, when it was received, and the
/// window (UTC and on the track zone's wall clock).
pub(crate) fn deadline_facts(
    schedule: &wsis_domain::TrackSchedule,
    extension: Option<&Extension>,
    action: &str,
    at: DateTime<Utc>,
) -> serde_json::Value {
    let effective = schedule.effective_closes_at(extension);
    let zone = schedule.timezone();
    serde_json::json!({
        "attempted": action,
        "received_at": at.to_rfc3339_opts(SecondsFormat::Millis, true),
        "opens_at": rfc3339(schedule.opens_at()),
        "effective_closes_at": rfc3339(effective),
        "effective_closes_at_local": effective.with_timezone(&zone).to_rfc3339_opts(SecondsFormat::Secs, true),
        "timezone": zone.name(),
    })
}

/// What the call says about its forms: the session formats it offers.
pub(crate) fn form_rules(call: &CallRecord) -> wsis_domain::forms::FormRules {
    wsis_domain::forms::FormRules {
        session_formats: call.session_formats.clone(),
        prize_narrative_min_words: call.prize_narrative_min_words,
    }
}

/// The call a submission belongs to.
pub(crate) fn call_of(
    conn: &mut DbConnection,
    record: &SubmissionRecord,
) -> Result<CallRecord, Refusal> {
    Ok(calls::find_call_by_id(conn, &record.call_id)?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn check_codes_are_twenty_random_hex_digits() {
        let code = super::receipt_check_code();
        assert!(
            code.len() == 20 && code.bytes().all(|b| b.is_ascii_hexdigit()),
            "{code}"
        );
        assert_ne!(code, super::receipt_check_code());
    }
}
