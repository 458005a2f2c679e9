//! The WSIS call for contributions as pure domain types and rules.
//!
//! This crate owns the vocabulary every other crate speaks: the six UN languages, stakeholder categories, ITU
//! regions, countries, action lines, SDGs, prize categories, currencies, the four track kinds, calls and tracks with
//! their windows, and the deadline rule engine (time zones, grace periods, extensions, track state at an instant).
//!
//! It must not depend on diesel, actix, utoipa or tokio by default (CI checks it with `cargo tree`; the `openapi`
//! feature, which only the HTTP crate turns on, adds the OpenAPI schemas of the types): persistence maps rows to
//! these types and the HTTP layer maps its DTOs to them. Time always comes from a [`clock::Clock`] passed in.

pub mod account;
pub mod call;
pub mod catalogue;
pub mod changes;
pub mod clock;
pub mod deadline;
pub mod forms;
pub mod identity;
pub mod language;
pub mod oauth;
#[cfg(feature = "openapi")]
mod openapi;
pub mod organisation;
pub mod prizes;
pub mod reference;
pub mod said;
pub mod search;
pub mod submission;
pub mod text;
pub mod webhooks;

pub use account::Email;
pub use call::{CallDefinition, CallError, EventDefinition, TrackDefinition};
pub use catalogue::{Catalogue, catalogue};
pub use clock::{Clock, FixedClock, SystemClock};
pub use deadline::{Extension, RuleError, ScheduleError, TimeRule, TrackSchedule, TrackState};
pub use identity::{Access, Actor, ClientActor, MemberRole, Scope, UserActor, UserRole, policy};
pub use language::{Labels, Language};
pub use reference::{
    ActionLineCode, CountryCode, CurrencyCode, ParseError, PrizeCategory, Region, Sdg,
    StakeholderCategory, TrackKind,
};
pub use said::{MessageArg, Said};
pub use submission::{
    DECISION_NOTE_MAX, Decision, Money, Performer, PledgeStatus, PrizeAward, SubmissionStatus,
    Transition,
};
