//! Response and request bodies: the API's shapes, mapped to and from domain types here.

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use wsis_domain::prizes::{Phase, PhaseDefinition, PrizePhase};
use wsis_domain::said;
use wsis_domain::{
    CallDefinition, EventDefinition, Labels, Language, TimeRule, TrackDefinition, TrackKind,
    TrackSchedule, TrackState,
};
use wsis_persistence::calls::{CallRecord, EventRecord, TrackRecord};

/// A list page: `{items, next_cursor}` (reference lists fit in one page; `next_cursor` is then null).
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Pass as `?cursor=` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// A single, complete page.
    pub fn complete(items: Vec<T>) -> Self {
        Self {
            items,
            next_cursor: None,
        }
    }
}

/// Health status.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"status": "ok"}))]
pub struct Health {
    /// `ok`.
    pub status: &'static str,
    /// The database backend, on readiness.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database: Option<&'static str>,
}

/// An instant as RFC 3339 UTC to the second (`2025-03-14T22:59:59Z`), as the API writes times.
pub(crate) fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn local(t: DateTime<Utc>, zone: Tz) -> String {
    t.with_timezone(&zone)
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// How one end of a window is given: a rule read in the track's time zone.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"rule": "end_of_local_day", "date": "2025-03-14"}))]
#[serde(tag = "rule", rename_all = "snake_case", deny_unknown_fields)]
pub enum TimeRuleDto {
    /// An exact instant (RFC 3339).
    Instant {
        /// The instant.
        at: DateTime<Utc>,
    },
    /// The first second of a local calendar day.
    StartOfLocalDay {
        /// The day.
        date: NaiveDate,
    },
    /// The last second of a local calendar day (23:59:59 local on an ordinary day).
    EndOfLocalDay {
        /// The day.
        date: NaiveDate,
    },
    /// A local wall-clock time; one skipped by a DST change is refused, one repeated resolves to the later instant.
    LocalTime {
        /// Local date and time, without offset (`2025-03-14T17:00:00`).
        at: NaiveDateTime,
    },
    /// The end of the day everywhere on Earth (23:59:59 at UTC−12).
    AnywhereOnEarth {
        /// The day.
        date: NaiveDate,
    },
}

impl From<TimeRule> for TimeRuleDto {
    fn from(rule: TimeRule) -> Self {
        match rule {
            TimeRule::Instant { at } => Self::Instant { at },
            TimeRule::StartOfLocalDay { date } => Self::StartOfLocalDay { date },
            TimeRule::EndOfLocalDay { date } => Self::EndOfLocalDay { date },
            TimeRule::LocalTime { at } => Self::LocalTime { at },
            TimeRule::AnywhereOnEarth { date } => Self::AnywhereOnEarth { date },
        }
    }
}

impl From<TimeRuleDto> for TimeRule {
    fn from(rule: TimeRuleDto) -> Self {
        match rule {
            TimeRuleDto::Instant { at } => Self::Instant { at },
            TimeRuleDto::StartOfLocalDay { date } => Self::StartOfLocalDay { date },
            TimeRuleDto::EndOfLocalDay { date } => Self::EndOfLocalDay { date },
            TimeRuleDto::LocalTime { at } => Self::LocalTime { at },
            TimeRuleDto::AnywhereOnEarth { date } => Self::AnywhereOnEarth { date },
        }
    }
}

/// The rules a window was given by.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"opens": {"rule": "start_of_local_day", "date": "2024-10-04"}, "closes": {"rule": "end_of_local_day", "date": "2025-03-14"}}))]
pub struct WindowRules {
    /// Opening rule.
    pub opens: TimeRuleDto,
    /// Closing rule.
    pub closes: TimeRuleDto,
}

/// An individual extension of the deadline for the caller.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"until": "2025-03-21T22:59:59Z", "reason": "National power outage on 14 March"}))]
pub struct ExtensionDto {
    /// The caller's new cut-off (UTC).
    #[schema(format = DateTime)]
    pub until: String,
    /// Why it was granted.
    pub reason: String,
}

/// The deadline rendered in the zone the caller asked for with `?tz=`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"timezone": "America/New_York", "opens_at": "2024-10-03T18:00:00-04:00", "closes_at": "2025-03-14T18:59:59-04:00", "effective_closes_at": "2025-03-14T18:59:59-04:00"}))]
pub struct ZonedDeadline {
    /// The IANA zone asked for.
    pub timezone: String,
    /// Opening in that zone.
    #[schema(format = DateTime)]
    pub opens_at: String,
    /// Published deadline in that zone.
    #[schema(format = DateTime)]
    pub closes_at: String,
    /// The caller's cut-off in that zone.
    #[schema(format = DateTime)]
    pub effective_closes_at: String,
}

/// Where a window stands: its rules, resolved instants in UTC and in the track's zone, and the state at
/// `server_time`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "opens_at": "2024-10-03T22:00:00Z",
    "closes_at": "2025-03-14T22:59:59Z",
    "timezone": "Europe/Zurich",
    "opens_at_local": "2024-10-04T00:00:00+02:00",
    "closes_at_local": "2025-03-14T23:59:59+01:00",
    "grace_seconds": 0,
    "effective_closes_at": "2025-03-14T22:59:59Z",
    "extension": null,
    "state": "closed",
    "server_time": "2026-11-28T17:00:00Z",
    "rules": {"opens": {"rule": "start_of_local_day", "date": "2024-10-04"}, "closes": {"rule": "end_of_local_day", "date": "2025-03-14"}}
}))]
pub struct Deadline {
    /// First accepted instant (UTC).
    #[schema(format = DateTime)]
    pub opens_at: String,
    /// The published deadline: the last accepted second before any grace (UTC).
    #[schema(format = DateTime)]
    pub closes_at: String,
    /// The track's IANA time zone.
    pub timezone: String,
    /// `opens_at` on the track zone's wall clock, with its offset.
    #[schema(format = DateTime)]
    pub opens_at_local: String,
    /// `closes_at` on the track zone's wall clock, with its offset.
    #[schema(format = DateTime)]
    pub closes_at_local: String,
    /// Seconds after `closes_at` still accepted from everyone.
    pub grace_seconds: u32,
    /// The caller's own cut-off: `closes_at` plus grace, or the caller's extension when later (UTC).
    #[schema(format = DateTime)]
    pub effective_closes_at: String,
    /// The caller's extension, if staff granted one.
    pub extension: Option<ExtensionDto>,
    /// `upcoming`, `open` or `closed` at `server_time`, for the caller.
    #[schema(example = "open")]
    pub state: TrackState,
    /// The server's clock when this was computed (UTC). Not covered by the entity tag.
    #[schema(format = DateTime)]
    pub server_time: String,
    /// The rules the window is given by.
    pub rules: WindowRules,
    /// The same instants in the zone asked for with `?tz=`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requested_timezone: Option<ZonedDeadline>,
}

impl Deadline {
    /// The deadline object of a schedule at `now` for a caller with `extension` (none for tracks in general).
    pub fn new(schedule: &TrackSchedule, now: DateTime<Utc>, caller_zone: Option<Tz>) -> Self {
        Self::for_caller(schedule, now, caller_zone, None)
    }

    /// The same for a caller who may have an individual extension.
    pub fn for_caller(
        schedule: &TrackSchedule,
        now: DateTime<Utc>,
        caller_zone: Option<Tz>,
        extension: Option<&wsis_domain::Extension>,
    ) -> Self {
        let zone = schedule.timezone();
        let effective = schedule.effective_closes_at(extension);
        Self {
            opens_at: rfc3339(schedule.opens_at()),
            closes_at: rfc3339(schedule.closes_at()),
            timezone: zone.name().to_owned(),
            opens_at_local: local(schedule.opens_at(), zone),
            closes_at_local: local(schedule.closes_at(), zone),
            grace_seconds: schedule.grace_seconds(),
            effective_closes_at: rfc3339(effective),
            extension: extension.map(|e| ExtensionDto {
                until: rfc3339(e.until),
                reason: e.reason.clone(),
            }),
            state: schedule.state_at(now, extension),
            server_time: rfc3339(now),
            rules: WindowRules {
                opens: schedule.opens().into(),
                closes: schedule.closes().into(),
            },
            requested_timezone: caller_zone.map(|tz| ZonedDeadline {
                timezone: tz.name().to_owned(),
                opens_at: local(schedule.opens_at(), tz),
                closes_at: local(schedule.closes_at(), tz),
                effective_closes_at: local(effective, tz),
            }),
        }
    }
}

/// A track of a call.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01938f6e-3ce7-7221-a471-b0595d4b1bbb", "call": "wsis-2025", "kind": "prizes", "name": "WSIS Prizes",
    "deadline": {
        "opens_at": "2024-10-02T22:00:00Z", "closes_at": "2025-02-10T22:59:59Z", "timezone": "Europe/Zurich",
        "opens_at_local": "2024-10-03T00:00:00+02:00", "closes_at_local": "2025-02-10T23:59:59+01:00",
        "grace_seconds": 0, "effective_closes_at": "2025-02-10T22:59:59Z", "extension": null, "state": "closed",
        "server_time": "2026-11-28T17:00:00Z",
        "rules": {"opens": {"rule": "start_of_local_day", "date": "2024-10-03"}, "closes": {"rule": "end_of_local_day", "date": "2025-02-10"}}
    }
}))]
pub struct Track {
    /// Opaque id (null in a preview: nothing is stored).
    #[schema(format = Uuid)]
    pub id: Option<String>,
    /// The call's slug.
    pub call: String,
    /// `ocp`, `stocktaking`, `prizes` or `trust_fund`; also the track's path segment.
    #[schema(example = "ocp")]
    pub kind: TrackKind,
    /// The track's name in the negotiated language.
    pub name: String,
    /// The window.
    pub deadline: Deadline,
    /// A prizes track's phases after its nominations (`review`, `nominees`, `voting`, `results`), in order, each
    /// with its window and its state; absent on other tracks and when the call sets none (docs/prizes.md).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(nullable = false)]
    pub phases: Vec<PrizePhaseWindow>,
}

/// One phase of a prizes track with its window.
#[derive(Debug, Serialize, ToSchema)]
pub struct PrizePhaseWindow {
    /// Which phase.
    #[schema(example = "voting")]
    pub phase: PrizePhase,
    /// Its window, resolved in the track's zone, and its state now.
    pub window: Deadline,
}

impl Track {
    /// Maps a track.
    pub fn new(
        call: &str,
        id: Option<&str>,
        kind: TrackKind,
        labels: &Labels,
        schedule: &TrackSchedule,
        phases: &[Phase],
        ctx: &RenderContext,
    ) -> Self {
        Self {
            id: id.map(str::to_owned),
            call: call.to_owned(),
            kind,
            name: labels.get(ctx.language).to_owned(),
            deadline: Deadline::new(schedule, ctx.now, ctx.caller_zone),
            phases: phases
                .iter()
                .map(|p| PrizePhaseWindow {
                    phase: p.phase,
                    window: Deadline::new(&p.schedule, ctx.now, ctx.caller_zone),
                })
                .collect(),
        }
    }

    /// Maps a stored track record.
    pub fn from_record(call: &str, track: &TrackRecord, ctx: &RenderContext) -> Self {
        Self::new(
            call,
            Some(&track.id),
            track.kind,
            &track.labels,
            &track.schedule,
            &track.phases,
            ctx,
        )
    }
}

/// The event a call prepares.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"name": "WSIS+20 High-Level Event", "starts_on": "2025-07-07", "ends_on": "2025-07-11", "city": "Geneva", "country": "CH", "timezone": "Europe/Zurich", "co_organisers": ["ITU", "UNESCO", "UNDP", "UNCTAD"]}))]
pub struct Event {
    /// Name in the negotiated language.
    pub name: String,
    /// First day (local).
    pub starts_on: NaiveDate,
    /// Last day (local).
    pub ends_on: NaiveDate,
    /// City.
    pub city: String,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// The venue's IANA zone.
    pub timezone: String,
    /// Co-organising organisations.
    pub co_organisers: Vec<String>,
}

impl Event {
    fn from_record(event: &EventRecord, language: Language) -> Self {
        Self {
            name: event.name.get(language).to_owned(),
            starts_on: event.starts_on,
            ends_on: event.ends_on,
            city: event.city.clone(),
            country: event.country.clone(),
            timezone: event.timezone.name().to_owned(),
            co_organisers: event.co_organisers.clone(),
        }
    }

    fn from_definition(event: &EventDefinition, language: Language) -> Self {
        Self {
            name: event.name.get(language).to_owned(),
            starts_on: event.starts_on,
            ends_on: event.ends_on,
            city: event.city.clone(),
            country: event.country.to_string(),
            timezone: event.timezone.name().to_owned(),
            co_organisers: event.co_organisers.clone(),
        }
    }
}

/// A call for contributions.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "01938f6e-3ce7-7221-a471-b0595d4b1bba",
    "slug": "wsis-2025",
    "year": 2025,
    "title": "WSIS 2025 call for contributions",
    "timezone": "Europe/Zurich",
    "letter_date": "2024-10-04",
    "event": {"name": "WSIS+20 High-Level Event", "starts_on": "2025-07-07", "ends_on": "2025-07-11", "city": "Geneva", "country": "CH", "timezone": "Europe/Zurich", "co_organisers": ["ITU", "UNESCO", "UNDP", "UNCTAD"]},
    "tracks": [{
        "id": "01938f6e-3ce7-7221-a471-b0595d4b1bbb",
        "call": "wsis-2025",
        "kind": "ocp",
        "name": "Open Consultation Process",
        "deadline": {
            "opens_at": "2024-10-03T22:00:00Z", "closes_at": "2025-03-14T22:59:59Z", "timezone": "Europe/Zurich",
            "opens_at_local": "2024-10-04T00:00:00+02:00", "closes_at_local": "2025-03-14T23:59:59+01:00",
            "grace_seconds": 0, "effective_closes_at": "2025-03-14T22:59:59Z", "extension": null, "state": "open",
            "server_time": "2025-03-14T12:00:00Z",
            "rules": {"opens": {"rule": "start_of_local_day", "date": "2024-10-04"}, "closes": {"rule": "end_of_local_day", "date": "2025-03-14"}}
        }
    }],
    "session_formats": ["interactive_session", "action_line_facilitation_meeting", "knowledge_cafe", "workshop", "high_level_dialogue", "country_workshop", "exhibition_space"],
    "prize_narrative_min_words": 0,
    "prizes": {"review_criteria": [{"code": "results_impact", "name": {"ar": "النتائج والأثر", "zh": "成果与影响", "en": "Results and impact", "fr": "Résultats et impact", "ru": "Результаты и влияние", "es": "Resultados e impacto"}, "weight": 1, "max_score": 10}], "country_conflicts": true, "running_totals": false},
    "created_at": "2026-11-28T17:00:00Z",
    "updated_at": "2026-11-28T17:00:00Z"
}))]
pub struct Call {
    /// Opaque id (absent in a preview).
    #[schema(format = Uuid)]
    pub id: Option<String>,
    /// URL identifier, such as `wsis-2025`.
    pub slug: String,
    /// The year.
    pub year: i32,
    /// Title in the negotiated language.
    pub title: String,
    /// The call's default IANA zone for deadlines.
    pub timezone: String,
    /// Date of the Secretary-General's letter.
    pub letter_date: Option<NaiveDate>,
    /// The event the call prepares.
    pub event: Option<Event>,
    /// Its tracks with their deadlines.
    pub tracks: Vec<Track>,
    /// The session formats an OCP session proposal may take (`format` of a session proposal).
    pub session_formats: Vec<String>,
    /// The fewest words each narrative answer of a WSIS Prizes nomination must have (0: no minimum).
    pub prize_narrative_min_words: u32,
    /// The Prizes' review form and switches (also `GET /calls/{call}/prizes/rules`).
    pub prizes: crate::routes::prizes::PrizeRulesBody,
    /// Created (absent in a preview).
    #[schema(format = DateTime)]
    pub created_at: Option<String>,
    /// Last changed (absent in a preview).
    #[schema(format = DateTime)]
    pub updated_at: Option<String>,
}

/// What rendering depends on besides the data.
#[derive(Debug, Clone, Copy)]
pub struct RenderContext {
    /// Label language.
    pub language: Language,
    /// The server clock's reading for this request.
    pub now: DateTime<Utc>,
    /// The zone from `?tz=`.
    pub caller_zone: Option<Tz>,
}

impl Call {
    /// Maps a stored call.
    pub fn from_record(call: &CallRecord, ctx: &RenderContext) -> Self {
        Self {
            id: Some(call.id.clone()),
            slug: call.slug.clone(),
            year: call.year,
            title: call.title.get(ctx.language).to_owned(),
            timezone: call.timezone.name().to_owned(),
            letter_date: call.letter_date,
            event: call
                .event
                .as_ref()
                .map(|e| Event::from_record(e, ctx.language)),
            tracks: call
                .tracks
                .iter()
                .map(|t| Track::from_record(&call.slug, t, ctx))
                .collect(),
            session_formats: call.session_formats.clone(),
            prize_narrative_min_words: call.prize_narrative_min_words,
            prizes: (&call.prizes).into(),
            created_at: Some(rfc3339(call.created_at)),
            updated_at: Some(rfc3339(call.updated_at)),
        }
    }

    /// Renders a validated definition as it would be stored.
    pub fn preview(def: &CallDefinition, schedules: &[TrackSchedule], ctx: &RenderContext) -> Self {
        let labels = wsis_domain::catalogue();
        Self {
            id: None,
            slug: def.slug.clone(),
            year: def.year,
            title: def.title.get(ctx.language).to_owned(),
            timezone: def.timezone.name().to_owned(),
            letter_date: def.letter_date,
            event: def
                .event
                .as_ref()
                .map(|e| Event::from_definition(e, ctx.language)),
            tracks: def
                .tracks
                .iter()
                .zip(schedules)
                .map(|(track, schedule)| {
                    let names = labels
                        .track_kinds
                        .iter()
                        .find(|k| k.code == track.kind.code())
                        .map(|k| &k.labels);
                    let fallback = Labels::same(track.kind.code());
                    let phases: Vec<Phase> = track
                        .phases
                        .iter()
                        .filter_map(|p| {
                            let schedule = p.schedule(schedule.timezone()).ok()?;
                            Some(Phase {
                                phase: p.phase,
                                schedule,
                            })
                        })
                        .collect();
                    Track::new(
                        &def.slug,
                        None,
                        track.kind,
                        names.unwrap_or(&fallback),
                        schedule,
                        &phases,
                        ctx,
                    )
                })
                .collect(),
            session_formats: def.session_formats.clone(),
            prize_narrative_min_words: def.prize_narrative_min_words,
            prizes: (&def.prizes).into(),
            created_at: None,
            updated_at: None,
        }
    }
}

/// Text in the six UN languages; all six are required.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"ar": "دعوة 2026", "zh": "2026年征集", "en": "WSIS 2026 call", "fr": "Appel SMSI 2026", "ru": "Призыв ВВУИО 2026", "es": "Convocatoria CMSI 2026"}))]
pub struct LabelsInput {
    /// Arabic.
    pub ar: String,
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
    /// French.
    pub fr: String,
    /// Russian.
    pub ru: String,
    /// Spanish.
    pub es: String,
}

impl From<&Labels> for LabelsInput {
    fn from(l: &Labels) -> Self {
        Self {
            ar: l.ar.clone(),
            zh: l.zh.clone(),
            en: l.en.clone(),
            fr: l.fr.clone(),
            ru: l.ru.clone(),
            es: l.es.clone(),
        }
    }
}

impl From<LabelsInput> for Labels {
    fn from(l: LabelsInput) -> Self {
        Self {
            ar: l.ar,
            zh: l.zh,
            en: l.en,
            fr: l.fr,
            ru: l.ru,
            es: l.es,
        }
    }
}

fn tracks_complete(def: &CallDefinition, given: usize) -> bool {
    def.tracks.len() == given
}

/// The event a call prepares, as given by staff.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    /// Name.
    pub name: LabelsInput,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day (not before the first).
    pub ends_on: NaiveDate,
    /// City.
    pub city: String,
    /// ISO 3166-1 alpha-2 code or `global`.
    #[schema(example = "CH")]
    pub country: String,
    /// The venue's IANA zone.
    #[schema(example = "Europe/Zurich")]
    pub timezone: String,
    /// Co-organisers.
    #[serde(default)]
    pub co_organisers: Vec<String>,
}

/// A track, as given by staff.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrackInput {
    /// `ocp`, `stocktaking`, `prizes` or `trust_fund`.
    #[schema(example = "ocp")]
    #[schema(value_type = wsis_domain::TrackKind)]
    pub kind: String,
    /// When it opens.
    pub opens: TimeRuleDto,
    /// When it closes.
    pub closes: TimeRuleDto,
    /// Seconds after the close still accepted from everyone (at most 604800).
    #[serde(default)]
    pub grace_seconds: u32,
    /// The zone its rules are read in, when not the call's.
    #[serde(default)]
    #[schema(example = "Europe/Zurich")]
    pub timezone: Option<String>,
    /// A prizes track's phases after its nominations (docs/prizes.md).
    #[serde(default)]
    pub phases: Vec<PhaseInput>,
}

/// A phase of a prizes track, as staff give it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"phase": "voting", "opens": {"rule": "start_of_local_day", "date": "2025-03-14"}, "closes": {"rule": "end_of_local_day", "date": "2025-04-14"}}))]
pub struct PhaseInput {
    /// `review`, `nominees`, `voting` or `results`.
    #[schema(value_type = PrizePhase)]
    pub phase: String,
    /// When it opens.
    pub opens: TimeRuleDto,
    /// When it closes.
    pub closes: TimeRuleDto,
}

/// A call for contributions, as staff define it: the next year's call is one of these, not code.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "slug": "wsis-2026",
    "year": 2026,
    "timezone": "Europe/Zurich",
    "title": {"ar": "دعوة 2026", "zh": "2026年征集", "en": "WSIS 2026 call", "fr": "Appel SMSI 2026", "ru": "Призыв ВВУИО 2026", "es": "Convocatoria CMSI 2026"},
    "tracks": [
        {"kind": "ocp", "opens": {"rule": "start_of_local_day", "date": "2025-10-01"}, "closes": {"rule": "end_of_local_day", "date": "2026-03-13"}},
        {"kind": "prizes", "opens": {"rule": "start_of_local_day", "date": "2025-10-01"}, "closes": {"rule": "end_of_local_day", "date": "2026-02-09"}, "grace_seconds": 0}
    ],
    "session_formats": ["interactive_session", "knowledge_cafe", "workshop", "high_level_dialogue"]
}))]
pub struct CallInput {
    /// 3–64 characters of a-z, 0-9 and inner hyphens.
    pub slug: String,
    /// 2000–2100.
    pub year: i32,
    /// Default IANA zone for the tracks' rules.
    pub timezone: String,
    /// Title.
    pub title: LabelsInput,
    /// Date of the letter.
    #[serde(default)]
    pub letter_date: Option<NaiveDate>,
    /// The event.
    #[serde(default)]
    pub event: Option<EventInput>,
    /// Tracks, at most one per kind.
    pub tracks: Vec<TrackInput>,
    /// The session formats an OCP session proposal may take: snake_case codes (2–40 characters), at most 30; at
    /// least one when the call has an OCP track.
    #[serde(default)]
    #[schema(example = json!(["interactive_session", "knowledge_cafe", "workshop"]))]
    pub session_formats: Vec<String>,
    /// The fewest words each narrative answer of a WSIS Prizes nomination must have (impact, SDG linkage,
    /// partnerships, challenges, future plans), as the call's form says: 0 (the default) sets none, at most 500.
    #[serde(default)]
    #[schema(maximum = 500)]
    pub prize_narrative_min_words: u32,
    /// The Prizes' review form (weighted criteria) and switches; absent: no review form, declared countries are
    /// conflicts of interest, running totals hidden.
    #[serde(default)]
    pub prizes: Option<crate::routes::prizes::PrizeRulesBody>,
}

impl CallInput {
    /// Maps to the domain, collecting every field error (JSON paths) together with the domain's own checks.
    pub fn into_domain(self) -> Result<CallDefinition, Vec<crate::problem::FieldError>> {
        use crate::problem::FieldError;
        let mut errors = Vec::new();
        let mut zone = |field: String, name: &str| -> Tz {
            name.parse().unwrap_or_else(|_| {
                errors.push(FieldError::new(
                    field,
                    "unknown_time_zone",
                    said!("field-unknown-time-zone", given = name),
                ));
                chrono_tz::UTC
            })
        };
        let timezone = zone("timezone".into(), &self.timezone);
        let event_zone = self
            .event
            .as_ref()
            .map(|e| zone("event.timezone".into(), &e.timezone));
        let track_zones: Vec<Option<Tz>> = self
            .tracks
            .iter()
            .enumerate()
            .map(|(i, t)| {
                t.timezone
                    .as_ref()
                    .map(|name| zone(format!("tracks[{i}].timezone"), name))
            })
            .collect();
        let mut event = None;
        if let (Some(input), Some(event_zone)) = (self.event, event_zone) {
            match input.country.parse() {
                Ok(country) => {
                    event = Some(EventDefinition {
                        name: input.name.into(),
                        starts_on: input.starts_on,
                        ends_on: input.ends_on,
                        city: input.city,
                        country,
                        timezone: event_zone,
                        co_organisers: input.co_organisers,
                    });
                }
                Err(err) => errors.push(FieldError::new(
                    "event.country",
                    "unknown_country",
                    err.said(),
                )),
            }
        }
        let track_count = self.tracks.len();
        let mut tracks = Vec::new();
        for (i, (track, zone)) in self.tracks.into_iter().zip(track_zones).enumerate() {
            let mut phases = Vec::new();
            for (j, phase) in track.phases.into_iter().enumerate() {
                match phase.phase.parse::<PrizePhase>() {
                    Ok(which) => phases.push(PhaseDefinition {
                        phase: which,
                        opens: phase.opens.into(),
                        closes: phase.closes.into(),
                    }),
                    Err(err) => errors.push(FieldError::new(
                        format!("tracks[{i}].phases[{j}].phase"),
                        "unknown_phase",
                        err.said(),
                    )),
                }
            }
            match track.kind.parse::<TrackKind>() {
                Ok(kind) => tracks.push(TrackDefinition {
                    kind,
                    opens: track.opens.into(),
                    closes: track.closes.into(),
                    grace_seconds: track.grace_seconds,
                    timezone: zone,
                    phases,
                }),
                Err(err) => errors.push(FieldError::new(
                    format!("tracks[{i}].kind"),
                    "unknown_track_kind",
                    err.said(),
                )),
            }
        }
        let def = CallDefinition {
            slug: self.slug,
            year: self.year,
            timezone,
            title: self.title.into(),
            letter_date: self.letter_date,
            event,
            tracks,
            session_formats: self.session_formats,
            prize_narrative_min_words: self.prize_narrative_min_words,
            prizes: self.prizes.map(Into::into).unwrap_or_default(),
        };
        // The domain's checks index tracks as given; run them when every track could be read.
        if tracks_complete(&def, track_count) {
            errors.extend(
                def.validate()
                    .into_iter()
                    .map(|e| FieldError::new(e.field, e.code, e.message)),
            );
        }
        if errors.is_empty() {
            Ok(def)
        } else {
            Err(errors)
        }
    }
}
