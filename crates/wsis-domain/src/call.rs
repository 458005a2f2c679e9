//! Calls for contributions and their tracks, as data. The 2025 call is `data/calls/wsis-2025.json`; the next
//! year's call is another value of [`CallDefinition`], created by staff without a code change.

use std::collections::HashSet;

use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::deadline::{ScheduleError, TimeRule, TrackSchedule};
use crate::language::Labels;
use crate::prizes::{Phase, PhaseDefinition, PhaseProblem, PrizeRules, check_phases};
use crate::reference::{CountryCode, TrackKind};
use crate::said;
use crate::said::Said;

/// A call for contributions: a yearly cycle with up to one track of each kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallDefinition {
    /// URL identifier, such as `wsis-2025`: 3–64 characters of `a-z`, `0-9` and `-`.
    pub slug: String,
    /// The year the call is for.
    pub year: i32,
    /// The zone its deadlines are read in unless a track says otherwise.
    pub timezone: Tz,
    /// The call's title.
    pub title: Labels,
    /// The date of the Secretary-General's letter, if any.
    #[serde(default)]
    pub letter_date: Option<NaiveDate>,
    /// The event the call prepares.
    #[serde(default)]
    pub event: Option<EventDefinition>,
    /// The tracks.
    pub tracks: Vec<TrackDefinition>,
    /// The session formats an OCP session proposal may take (snake_case codes, such as `knowledge_cafe`): each
    /// year's event offers its own. A call with an OCP track offers at least one.
    #[serde(default)]
    pub session_formats: Vec<String>,
    /// The fewest words each narrative answer of a WSIS Prizes nomination must have (impact, SDG linkage,
    /// partnerships, challenges, future plans), as the call's form says; 0 sets none, at most
    /// [`NARRATIVE_MIN_WORDS_MAX`].
    #[serde(default)]
    pub prize_narrative_min_words: u32,
    /// The prizes' review form and switches (docs/prizes.md); the defaults when absent: no review form, declared
    /// countries are conflicts, running totals hidden.
    #[serde(default)]
    pub prizes: PrizeRules,
}

/// The highest minimum of words a call may set for a narrative answer.
pub const NARRATIVE_MIN_WORDS_MAX: u32 = 500;

/// The most session formats a call offers.
pub const SESSION_FORMATS_MAX: usize = 30;

impl CallDefinition {
    /// What the call says about its forms beyond the code: the session formats it offers.
    pub fn form_rules(&self) -> crate::forms::FormRules {
        crate::forms::FormRules {
            session_formats: self.session_formats.clone(),
            prize_narrative_min_words: self.prize_narrative_min_words,
        }
    }
}

/// The event a call prepares (the High-Level Event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventDefinition {
    /// Name.
    pub name: Labels,
    /// First day (local).
    pub starts_on: NaiveDate,
    /// Last day (local).
    pub ends_on: NaiveDate,
    /// City.
    pub city: String,
    /// Country.
    pub country: CountryCode,
    /// The venue's zone.
    pub timezone: Tz,
    /// Organisations that co-organise it.
    #[serde(default)]
    pub co_organisers: Vec<String>,
}

/// One track of a call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackDefinition {
    /// Which channel.
    pub kind: TrackKind,
    /// When it opens.
    pub opens: TimeRule,
    /// When it closes.
    pub closes: TimeRule,
    /// Seconds after the close still accepted from everyone.
    #[serde(default)]
    pub grace_seconds: u32,
    /// The zone its rules are read in, when not the call's.
    #[serde(default)]
    pub timezone: Option<Tz>,
    /// A prizes track's phases after its nominations (review, nominees, voting, results): docs/prizes.md.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phases: Vec<PhaseDefinition>,
}

impl TrackDefinition {
    /// Resolves the window in the track's zone, or the call's.
    pub fn schedule(&self, call_timezone: Tz) -> Result<TrackSchedule, ScheduleError> {
        TrackSchedule::new(
            self.timezone.unwrap_or(call_timezone),
            self.opens,
            self.closes,
            self.grace_seconds,
        )
    }
}

/// One thing wrong with a call definition, with the JSON path of the offending field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct CallError {
    /// JSON path, such as `tracks[1].closes`.
    pub field: String,
    /// Stable snake_case rule name.
    pub code: &'static str,
    /// Human explanation.
    pub message: Said,
}

impl CallDefinition {
    /// The WSIS 2025 call exactly as the Secretary-General's letter of 4 October 2024 gives it.
    pub fn wsis_2025() -> Result<Self, serde_json::Error> {
        serde_json::from_str(include_str!("../data/calls/wsis-2025.json"))
    }

    /// Every rule the definition breaks, all at once; empty when valid.
    pub fn validate(&self) -> Vec<CallError> {
        let mut errors = Vec::new();
        let mut push = |field: String, code, message: Said| {
            errors.push(CallError {
                field,
                code,
                message,
            })
        };
        let slug_ok = (3..=64).contains(&self.slug.len())
            && self
                .slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !self.slug.starts_with('-')
            && !self.slug.ends_with('-');
        if !slug_ok {
            push("slug".into(), "invalid_slug", said!("call-slug"));
        }
        if !(2000..=2100).contains(&self.year) {
            push("year".into(), "out_of_range", said!("call-year"));
        }
        if let Some(event) = &self.event
            && event.ends_on < event.starts_on
        {
            push(
                "event.ends_on".into(),
                "before_start",
                said!("call-event-ends-before"),
            );
        }
        if self.tracks.is_empty() {
            push("tracks".into(), "required", said!("call-needs-track"));
        }
        let mut formats = HashSet::new();
        for (i, format) in self.session_formats.iter().enumerate() {
            let well_formed = (2..=40).contains(&format.len())
                && format.starts_with(|c: char| c.is_ascii_lowercase())
                && format
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !well_formed {
                push(
                    format!("session_formats[{i}]"),
                    "invalid_code",
                    said!("call-session-format-code"),
                );
            } else if !formats.insert(format.as_str()) {
                push(
                    format!("session_formats[{i}]"),
                    "duplicate",
                    said!("call-format-twice", format = format),
                );
            }
        }
        if self.session_formats.len() > SESSION_FORMATS_MAX {
            push(
                "session_formats".into(),
                "too_many",
                said!("call-too-many-formats", max = SESSION_FORMATS_MAX),
            );
        }
        if self.prize_narrative_min_words > NARRATIVE_MIN_WORDS_MAX {
            push(
                "prize_narrative_min_words".into(),
                "out_of_range",
                said!("call-narrative-min-words", max = NARRATIVE_MIN_WORDS_MAX),
            );
        }
        for error in self.prizes.violations("prizes.") {
            push(error.field, error.code, error.message);
        }
        if self.session_formats.is_empty() && self.tracks.iter().any(|t| t.kind == TrackKind::Ocp) {
            push(
                "session_formats".into(),
                "required",
                said!("call-ocp-needs-format"),
            );
        }
        let mut seen = HashSet::new();
        for (i, track) in self.tracks.iter().enumerate() {
            if !seen.insert(track.kind) {
                push(
                    format!("tracks[{i}].kind"),
                    "duplicate",
                    said!("call-second-track", kind = track.kind.code()),
                );
            }
            let schedule = match track.schedule(self.timezone) {
                Ok(schedule) => schedule,
                Err(err) => {
                    let (field, code) = schedule_error_at(&err);
                    push(format!("tracks[{i}].{field}"), code, err.said());
                    continue;
                }
            };
            if !track.phases.is_empty() && track.kind != TrackKind::Prizes {
                push(
                    format!("tracks[{i}].phases"),
                    "phases_on_other_track",
                    said!("call-phases-other-track"),
                );
                continue;
            }
            let mut phases = Vec::new();
            for (j, phase) in track.phases.iter().enumerate() {
                match phase.schedule(schedule.timezone()) {
                    Ok(resolved) => phases.push((
                        j,
                        Phase {
                            phase: phase.phase,
                            schedule: resolved,
                        },
                    )),
                    Err(err) => {
                        let (field, code) = schedule_error_at(&err);
                        push(format!("tracks[{i}].phases[{j}].{field}"), code, err.said());
                    }
                }
            }
            let resolved: Vec<Phase> = phases.iter().map(|(_, p)| p.clone()).collect();
            for problem in check_phases(&schedule, &resolved) {
                let (at, code, message) = match problem {
                    PhaseProblem::Twice(k) => (k, "duplicate", said!("call-phase-twice")),
                    PhaseProblem::BeforeNominations(k) => (
                        k,
                        "before_nominations_close",
                        said!("call-phase-before-nominations"),
                    ),
                    PhaseProblem::OutOfOrder(k) => (k, "phase_order", said!("call-phase-order")),
                };
                let j = phases.get(at).map_or(at, |(j, _)| *j);
                push(format!("tracks[{i}].phases[{j}].opens"), code, message);
            }
        }
        errors
    }
}

/// The field and rule code of a window that does not resolve.
fn schedule_error_at(err: &ScheduleError) -> (&'static str, &'static str) {
    match err {
        ScheduleError::Opens(_) => ("opens", "invalid_time"),
        ScheduleError::Closes(_) => ("closes", "invalid_time"),
        ScheduleError::OpensAfterCloses { .. } => ("closes", "window_reversed"),
        ScheduleError::GraceTooLong(_) => ("grace_seconds", "out_of_range"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    #[test]
    fn the_2025_call_is_the_letter() {
        let call = CallDefinition::wsis_2025().unwrap();
        assert_eq!(call.validate(), []);
        assert_eq!(call.slug, "wsis-2025");
        assert_eq!(call.timezone, chrono_tz::Europe::Zurich);
        assert_eq!(call.session_formats.len(), 7, "the 2025 event's formats");
        let mut without = call.clone();
        without.session_formats.clear();
        assert_eq!(
            without
                .validate()
                .iter()
                .map(|e| (e.field.as_str(), e.code))
                .collect::<Vec<_>>(),
            [("session_formats", "required")],
            "an OCP track needs formats"
        );
        let closes: Vec<(TrackKind, DateTime<Utc>)> = call
            .tracks
            .iter()
            .map(|t| (t.kind, t.schedule(call.timezone).unwrap().closes_at()))
            .collect();
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        assert_eq!(
            closes,
            [
                (TrackKind::Ocp, at("2025-03-14T22:59:59Z")),
                (TrackKind::Stocktaking, at("2025-02-10T22:59:59Z")),
                (TrackKind::Prizes, at("2025-02-10T22:59:59Z")),
                (TrackKind::TrustFund, at("2025-07-11T21:59:59Z")),
            ]
        );
        let event = call.event.unwrap();
        assert_eq!(
            (event.starts_on.to_string(), event.ends_on.to_string()),
            ("2025-07-07".into(), "2025-07-11".into())
        );
        assert_eq!(event.co_organisers, ["ITU", "UNESCO", "UNDP", "UNCTAD"]);
        assert_eq!(event.city, "Geneva");
    }

    #[test]
    fn validation_reports_every_error_with_its_path() {
        let mut call = CallDefinition::wsis_2025().unwrap();
        call.slug = "WSIS 2026".into();
        call.year = 1999;
        call.tracks[1].kind = TrackKind::Ocp;
        call.tracks[2].closes = TimeRule::StartOfLocalDay {
            date: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
        };
        let fields: Vec<(String, &str)> = call
            .validate()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect();
        assert_eq!(
            fields,
            [
                ("slug".into(), "invalid_slug"),
                ("year".into(), "out_of_range"),
                ("tracks[1].kind".into(), "duplicate"),
                ("tracks[2].closes".into(), "window_reversed"),
            ]
        );
    }

    #[test]
    fn unknown_fields_are_refused() {
        let mut json = serde_json::to_value(CallDefinition::wsis_2025().unwrap()).unwrap();
        json["deadline"] = serde_json::json!("tomorrow");
        let err = serde_json::from_value::<CallDefinition>(json).unwrap_err();
        assert!(
            err.to_string().contains("unknown field `deadline`"),
            "{err}"
        );
    }
}
