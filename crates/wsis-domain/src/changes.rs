//! The change feed's vocabulary and rules (docs/changes.md): which events exist, who may see one, and the filters a
//! reader or a webhook endpoint narrows them with. Pure: the rows are written by the use cases, read by persistence.

use std::str::FromStr;

use crate::identity::{Actor, Scope};
use crate::reference::{ActionLineCode, ParseError, TrackKind, code_enum, exact_from_str};

code_enum!(
    /// What happened.
    EventType, "event type" {
        /// A draft was created.
        SubmissionCreated => "submission.created",
        /// A submission's content or facts changed.
        SubmissionUpdated => "submission.updated",
        /// A draft was submitted (it has a receipt).
        SubmissionSubmitted => "submission.submitted",
        /// A submission was withdrawn.
        SubmissionWithdrawn => "submission.withdrawn",
        /// Staff decided (review started, accepted, rejected, reopened).
        SubmissionDecided => "submission.decided",
        /// A nomination's prize award was recorded or taken back.
        SubmissionAwarded => "submission.awarded",
        /// A draft was deleted (its members' feed gets a tombstone).
        SubmissionDeleted => "submission.deleted",
        /// A stocktaking entry entered the public repository.
        RepositoryPublished => "repository.published",
        /// An entry of the public repository changed.
        RepositoryChanged => "repository.changed",
        /// An entry left the public repository.
        RepositoryRemoved => "repository.removed",
        /// A call was opened.
        CallCreated => "call.created",
        /// A track's window changed (individual extensions are not public, and are not in the feed).
        TrackChanged => "track.changed",
        /// A prizes track moved to another phase.
        PrizesPhaseChanged => "prizes.phase_changed",
        /// The nominees of a call were published.
        PrizesNomineesPublished => "prizes.nominees_published",
        /// The results of a call were published.
        PrizesResultsPublished => "prizes.results_published",
        /// A webhook endpoint was disabled after a day of failed deliveries, or because its client was revoked
        /// (for its owner: the client that registered it, and staff).
        WebhookDisabled => "webhook.disabled",
    }
);
exact_from_str!(EventType);

code_enum!(
    /// Who may see an event: the public, the readers of submitted entries (staff, partners with
    /// `submissions:read`) and the organisation's members, the organisation's members alone (drafts), or the owner
    /// of the object alone (a webhook endpoint: the API client that registered it, and staff).
    Audience, "audience" {
        /// Anyone, without credentials.
        Public => "public",
        /// Staff, partners with `submissions:read` (on their action lines) and the organisation's members.
        Readers => "readers",
        /// The organisation's members.
        Members => "members",
        /// The API client that owns the object, and staff.
        Owner => "owner",
    }
);
exact_from_str!(Audience);

code_enum!(
    /// What kind of object an event is about; each has its own route.
    ObjectKind, "object kind" {
        /// `/submissions/{id}`.
        Submission => "submission",
        /// `/stocktaking/projects/{id}`.
        Project => "project",
        /// `/calls/{slug}`.
        Call => "call",
        /// `/calls/{slug}/tracks/{kind}` (its id is `{slug}/{kind}`).
        Track => "track",
        /// `/webhooks/{id}`.
        Webhook => "webhook",
    }
);
exact_from_str!(ObjectKind);

impl EventType {
    /// The kind of object the event is about.
    pub fn object_kind(self) -> ObjectKind {
        match self {
            Self::SubmissionCreated
            | Self::SubmissionUpdated
            | Self::SubmissionSubmitted
            | Self::SubmissionWithdrawn
            | Self::SubmissionDecided
            | Self::SubmissionAwarded
            | Self::SubmissionDeleted => ObjectKind::Submission,
            Self::RepositoryPublished | Self::RepositoryChanged | Self::RepositoryRemoved => {
                ObjectKind::Project
            }
            Self::CallCreated => ObjectKind::Call,
            Self::TrackChanged
            | Self::PrizesPhaseChanged
            | Self::PrizesNomineesPublished
            | Self::PrizesResultsPublished => ObjectKind::Track,
            Self::WebhookDisabled => ObjectKind::Webhook,
        }
    }

    /// Whether the object no longer exists (for this reader) after the event: its data is a tombstone.
    pub fn is_tombstone(self) -> bool {
        matches!(self, Self::SubmissionDeleted | Self::RepositoryRemoved)
    }
}

/// Who an event of a submission is for: its members while a draft, the readers of submitted entries after.
pub fn submission_audience(submitted: bool) -> Audience {
    if submitted {
        Audience::Readers
    } else {
        Audience::Members
    }
}

/// What of the feed a caller may see, as persistence filters rows with it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sight {
    /// Staff: the events of every owner (webhook endpoints).
    pub staff: bool,
    /// An API client: the events of the objects it owns (its webhook endpoints).
    pub client: Option<String>,
    /// Events for the readers of submitted entries (staff, partners with `submissions:read`).
    pub readers: bool,
    /// A partner limited to action lines: events that carry action lines are seen only on these.
    pub lines: Option<Vec<ActionLineCode>>,
    /// Organisations whose every event the caller sees (its memberships).
    pub organisations: Vec<String>,
}

impl Sight {
    /// What `actor` may see, as the objects' own routes show them: the public events always; staff and partners
    /// with `submissions:read` the events of submitted entries (a partner on its action lines when it is limited to
    /// some); a user every event of its organisations, drafts included. Staff do not see other organisations' drafts,
    /// as `GET /submissions/{id}` does not show them.
    pub fn of(actor: &Actor) -> Self {
        match actor {
            Actor::Anonymous => Self::default(),
            Actor::User(user) => Self {
                staff: actor.is_staff(),
                readers: actor.is_staff(),
                organisations: user.memberships.iter().map(|(o, _)| o.clone()).collect(),
                ..Self::default()
            },
            Actor::Client(client) => Self {
                client: Some(client.id.clone()),
                readers: client.scopes.contains(&Scope::SubmissionsRead),
                lines: client.action_lines.clone(),
                ..Self::default()
            },
        }
    }

    /// Whether an event with these facts is visible. Persistence filters rows by the same rule written as SQL
    /// (`wsis_persistence::changes::read`); this statement of it is what the domain's tests pin, and the end-to-end
    /// tests hold the SQL to the same cases.
    pub fn sees(
        &self,
        audience: Audience,
        organisation: Option<&str>,
        lines: Option<&[ActionLineCode]>,
        client: Option<&str>,
    ) -> bool {
        if audience == Audience::Owner {
            return self.staff || (client.is_some() && self.client.as_deref() == client);
        }
        if organisation.is_some_and(|o| self.organisations.iter().any(|m| m == o)) {
            return true;
        }
        let on_lines = match (&self.lines, lines) {
            (Some(mine), Some(theirs)) => theirs.iter().any(|l| mine.contains(l)),
            _ => true,
        };
        on_lines
            && match audience {
                Audience::Public => true,
                Audience::Readers => self.readers,
                Audience::Members | Audience::Owner => false,
            }
    }
}

/// The filters of a feed read or of a webhook endpoint; each list empty means "any", several values mean OR.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Filters {
    /// Event types.
    #[serde(default)]
    pub types: Vec<EventType>,
    /// Calls, by slug.
    #[serde(default)]
    pub calls: Vec<String>,
    /// Track kinds.
    #[serde(default)]
    pub tracks: Vec<TrackKind>,
    /// Action lines (events of submissions and repository entries on any of them).
    #[serde(default)]
    pub action_lines: Vec<ActionLineCode>,
}

impl Filters {
    /// A short digest of the filters, so that a cursor is not replayed with other filters (the feed's cursor
    /// carries it).
    pub fn digest(&self) -> String {
        use sha2::{Digest, Sha256};
        let canonical = serde_json::to_string(&self.normalised()).unwrap_or_default();
        let digest = Sha256::digest(canonical.as_bytes());
        digest[..6].iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The same filters, each list sorted and without repeats.
    pub fn normalised(&self) -> Self {
        fn tidy<T: Ord + Clone>(values: &[T]) -> Vec<T> {
            let mut v = values.to_vec();
            v.sort();
            v.dedup();
            v
        }
        Self {
            types: tidy(&self.types),
            calls: tidy(&self.calls),
            tracks: tidy(&self.tracks),
            action_lines: tidy(&self.action_lines),
        }
    }
}

/// A feed position: the last sequence number read, and the digest of the filters it was read with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// The last `seq` the reader has.
    pub seq: i64,
    /// [`Filters::digest`] of the read.
    pub filters: String,
}

impl Cursor {
    /// The opaque text a reader passes back (`after=`).
    pub fn encode(&self) -> String {
        format!("c{}.{}", self.seq, self.filters)
    }
}

impl FromStr for Cursor {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        let (seq, filters) = s
            .strip_prefix('c')
            .and_then(|r| r.split_once('.'))
            .ok_or(())?;
        let seq: i64 = seq.parse().map_err(|_| ())?;
        if seq < 0 || filters.len() != 12 || !filters.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(());
        }
        Ok(Self {
            seq,
            filters: filters.to_owned(),
        })
    }
}

/// An action line code as it is kept on an event row: `,C3,C7,` (so that one `LIKE '%,C3,%'` finds it).
pub fn lines_column(lines: &[ActionLineCode]) -> Option<String> {
    if lines.is_empty() {
        None
    } else {
        let codes: Vec<&str> = lines.iter().map(ActionLineCode::as_str).collect();
        Some(format!(",{},", codes.join(",")))
    }
}

/// The action lines of an event row's column.
pub fn lines_of_column(column: Option<&str>) -> Vec<ActionLineCode> {
    column
        .unwrap_or_default()
        .split(',')
        .filter(|c| !c.is_empty())
        .filter_map(|c| c.parse().ok())
        .collect()
}

/// Parses an event type as a filter value.
pub fn event_type(value: &str) -> Result<EventType, ParseError> {
    value.parse()
}

#[cfg(test)]
mod tests;
