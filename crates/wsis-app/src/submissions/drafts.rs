//! Drafts: starting a contribution, changing it (a revision each time; a submitted entry until its deadline, with
//! a renewed receipt time and digest), deleting a draft.

use chrono::{DateTime, Utc};
use wsis_domain::changes::EventType;
use wsis_domain::forms::{self, Violation};
use wsis_domain::said;
use wsis_domain::submission::content_digest;
use wsis_domain::{
    Actor, Extension, Language, MemberRole, SubmissionStatus, TrackKind, TrackState,
};
use wsis_persistence::calls::{self, CallRecord};
use wsis_persistence::submissions::{self, NewSubmission, SubmissionRecord};
use wsis_persistence::{DbConnection, DbError, organisations};

use super::{check_window, load, require_editor, tag_matches};
use crate::Refusal;

/// A request to start a contribution.
#[derive(Debug, Clone)]
pub struct NewDraft {
    /// The call's slug.
    pub call: String,
    /// The track, as requested (parsed once the caller may contribute: `unknown_track` otherwise).
    pub track: String,
    /// The organisation contributing.
    pub organisation_id: String,
    /// The language of the content, as requested (`unsupported_language` otherwise).
    pub language: String,
    /// The form, as sent.
    pub content: serde_json::Value,
    /// The server's receive time.
    pub at: DateTime<Utc>,
    /// Check and answer without writing.
    pub dry_run: bool,
}

/// A draft made or changed (or, in a dry run, as it would be), with its call, the extension that applies to it and
/// the form's advisories.
#[derive(Debug, Clone)]
pub struct Drafted {
    /// The entry.
    pub record: SubmissionRecord,
    /// Its call.
    pub call: CallRecord,
    /// The individual extension that applies, if any.
    pub extension: Option<Extension>,
    /// Advisories on the content.
    pub warnings: Vec<Violation>,
}

/// Starts a contribution for an organisation (its owners and editors), while the track is open.
pub fn create_draft(
    conn: &mut DbConnection,
    actor: &Actor,
    draft: NewDraft,
) -> Result<Drafted, Refusal> {
    crate::run(conn, |conn| create_in(conn, actor, draft))
}

fn create_in(conn: &mut DbConnection, actor: &Actor, draft: NewDraft) -> Result<Drafted, Refusal> {
    // Contributions are made by the organisation's owners and editors; staff and viewers see it but may not, and
    // anyone else is told nothing about it.
    let role = actor.member_role(&draft.organisation_id);
    match (actor, role) {
        (_, Some(MemberRole::Owner | MemberRole::Editor)) => {}
        (Actor::Anonymous, _) => {
            return Err(Refusal::Unauthenticated(said!(
                "refused-sign-in-submissions"
            )));
        }
        (actor, None) if !actor.is_staff() => {
            return Err(Refusal::NotFound(said!("not-found-membership")));
        }
        _ => {
            return Err(Refusal::Forbidden(said!("refused-editors-contribute")));
        }
    }
    let user = actor.user().map(|u| u.id.clone()).unwrap_or_default();
    // What was asked for, once the caller is known to be allowed to ask.
    let kind = draft.track.parse::<TrackKind>();
    let language = draft.language.parse::<Language>();
    let (kind, language) = match (kind, language) {
        (Ok(kind), Ok(language)) => (kind, language),
        (kind, language) => {
            let mut violations = Vec::new();
            if let Err(e) = kind {
                violations.push(Violation::new("track", "unknown_track", e.said()));
            }
            if let Err(e) = language {
                violations.push(Violation::new("language", "unsupported_language", e.said()));
            }
            return Err(Refusal::Invalid(violations));
        }
    };
    let missing = |e: DbError| match e {
        DbError::NotFound => Refusal::NotFound(said!("not-found-call-or-organisation")),
        other => other.into(),
    };
    let call = calls::find_call(conn, &draft.call).map_err(missing)?;
    organisations::find(conn, &draft.organisation_id).map_err(missing)?;
    let track = crate::calls::track_in(&call, kind)?;
    let parsed = forms::parse(kind, &draft.content, language, &super::form_rules(&call))
        .map_err(Refusal::Invalid)?;
    let extension = wsis_persistence::extensions::for_submission(
        conn,
        &track.id,
        &draft.organisation_id,
        None,
    )?;
    if track.schedule.state_at(draft.at, extension.as_ref()) == TrackState::Closed {
        let effective = track.schedule.effective_closes_at(extension.as_ref());
        let rfc = |at: DateTime<Utc>| at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        return Err(Refusal::DeadlinePassed {
            message: said!(
                "deadline-closed",
                kind = kind.code(),
                closed = rfc(effective)
            ),
            deadline: super::deadline_facts(
                &track.schedule,
                extension.as_ref(),
                "create",
                draft.at,
            ),
        });
    }
    let preview = SubmissionRecord {
        id: String::new(),
        call_id: call.id.clone(),
        track_id: track.id.clone(),
        track_kind: kind,
        organisation_id: draft.organisation_id.clone(),
        language: language.code().to_owned(),
        status: SubmissionStatus::Draft,
        content: draft.content.clone(),
        version: 0,
        receipt_number: None,
        received_at: None,
        content_sha256: None,
        pledge_status: None,
        prize_award: None,
        receipt_check: None,
        created_by: user.clone(),
        created_at: draft.at,
        updated_at: draft.at,
    };
    let record = if draft.dry_run {
        preview
    } else {
        let created = submissions::create(
            conn,
            &NewSubmission {
                call_id: &call.id,
                track_id: &track.id,
                track_kind: kind,
                organisation_id: &draft.organisation_id,
                language: language.code(),
                content: &draft.content,
                created_by: &user,
                index: &parsed.content.index(),
            },
            draft.at,
        )?;
        tracing::info!(submission.id = %created.id, track.kind = %kind, "draft created");
        crate::changes::submission(
            conn,
            EventType::SubmissionCreated,
            None,
            Some(&created),
            draft.at,
        )?;
        created
    };
    Ok(Drafted {
        record,
        call,
        extension: None,
        warnings: parsed.warnings,
    })
}

/// A request to change a contribution's content.
#[derive(Debug, Clone)]
pub struct Change {
    /// The entry.
    pub id: String,
    /// The version the caller read (`If-Match`; required).
    pub if_match: Option<String>,
    /// The whole new form; `None` when the body could not be read ([`Refusal::Unreadable`] once access is
    /// settled).
    pub content: Option<serde_json::Value>,
    /// The server's receive time.
    pub at: DateTime<Utc>,
    /// Check and answer without writing.
    pub dry_run: bool,
}

/// The top-level fields of the form that differ, as JSON paths.
fn changed_fields(before: &serde_json::Value, after: &serde_json::Value) -> Vec<String> {
    let keys = |v: &serde_json::Value| {
        v.as_object()
            .map(|m| m.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let mut all: Vec<String> = keys(before).into_iter().chain(keys(after)).collect();
    all.sort();
    all.dedup();
    all.into_iter()
        .filter(|k| before.get(k) != after.get(k))
        .map(|k| format!("content.{k}"))
        .collect()
}

/// Changes a draft, or a submitted entry until its deadline (owners, editors), as one revision.
pub fn update(conn: &mut DbConnection, actor: &Actor, change: Change) -> Result<Drafted, Refusal> {
    crate::run(conn, |conn| update_in(conn, actor, change))
}

fn update_in(conn: &mut DbConnection, actor: &Actor, change: Change) -> Result<Drafted, Refusal> {
    let record = load(conn, actor, &change.id)?;
    require_editor(actor, &record)?;
    let content = change.content.ok_or(Refusal::Unreadable)?;
    let Some(if_match) = &change.if_match else {
        return Err(Refusal::PreconditionRequired(said!(
            "precondition-submission"
        )));
    };
    if !tag_matches(if_match, &record) {
        return Err(Refusal::PreconditionFailed(said!("changed-submission")));
    }
    let user = actor.user().map(|u| u.id.clone()).unwrap_or_default();
    if !record.status.editable_by_organisation() {
        return Err(Refusal::InvalidTransition(said!(
            "refused-change-status",
            status = record.status.code()
        )));
    }
    let call = super::call_of(conn, &record)?;
    let extension = check_window(conn, &record, &call, &user, "update", change.at)?;
    let language: Language = record.language.parse().unwrap_or(Language::En);
    let parsed = forms::parse(
        record.track_kind,
        &content,
        language,
        &super::form_rules(&call),
    )
    .map_err(Refusal::Invalid)?;
    let changed = changed_fields(&record.content, &content);
    let digest = (record.status == SubmissionStatus::Submitted).then(|| content_digest(&content));
    if change.dry_run {
        let preview = SubmissionRecord {
            received_at: digest
                .as_ref()
                .map_or(record.received_at, |_| Some(change.at)),
            content_sha256: digest.or(record.content_sha256.clone()),
            content,
            ..record
        };
        return Ok(Drafted {
            record: preview,
            call,
            extension,
            warnings: parsed.warnings,
        });
    }
    let updated = submissions::update_content(
        conn,
        &record.id,
        record.version,
        &content,
        &parsed.content.index(),
        &changed,
        &user,
        digest.as_deref(),
        change.at,
    )?
    .ok_or_else(|| Refusal::PreconditionFailed(said!("changed-submission")))?;
    crate::changes::submission(
        conn,
        EventType::SubmissionUpdated,
        Some(&record),
        Some(&updated),
        change.at,
    )?;
    Ok(Drafted {
        record: updated,
        call,
        extension,
        warnings: parsed.warnings,
    })
}

/// Deletes a draft (owners, editors). Submitted entries are withdrawn, never deleted.
pub fn delete_draft(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    at: DateTime<Utc>,
) -> Result<(), Refusal> {
    crate::run(conn, |conn| {
        let record = load(conn, actor, id)?;
        require_editor(actor, &record)?;
        if submissions::delete_draft(conn, &record.id)? {
            crate::changes::submission(
                conn,
                EventType::SubmissionDeleted,
                Some(&record),
                None,
                at,
            )?;
            Ok(())
        } else {
            Err(Refusal::InvalidTransition(said!(
                "refused-delete-submitted"
            )))
        }
    })
}
