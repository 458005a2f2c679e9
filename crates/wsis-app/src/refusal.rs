//! Why a use case did not do what was asked: one type for every use case, mapped once by HTTP.

use wsis_domain::forms::Violation;
use wsis_domain::{Said, said};
use wsis_persistence::DbError;

/// A use case's refusal.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// The caller may not know that the object exists (404).
    #[error("{0}")]
    NotFound(Said),
    /// Credentials are needed (401).
    #[error("{0}")]
    Unauthenticated(Said),
    /// The caller sees the object but may not do this (403).
    #[error("{0}")]
    Forbidden(Said),
    /// The caller must name the version it changes (428).
    #[error("{0}")]
    PreconditionRequired(Said),
    /// The request's body could not be read; the caller knows why (it is answered once access is settled).
    #[error("the request's body could not be read")]
    Unreadable,
    /// The object changed since the version the caller named (412).
    #[error("{0}")]
    PreconditionFailed(Said),
    /// The object's status does not allow the action (409 `invalid_transition`).
    #[error("{0}")]
    InvalidTransition(Said),
    /// Outside the track's window (409 `deadline_passed`), with the deadline's facts.
    #[error("{message}")]
    DeadlinePassed {
        /// For people.
        message: Said,
        /// The `deadline` member: when it was received, the window, the zone.
        deadline: serde_json::Value,
    },
    /// The content breaks rules of its form (422), every violation at once.
    #[error("the content breaks {} rule(s)", .0.len())]
    Invalid(Vec<Violation>),
    /// The action conflicts with other entries (409 `conflict`: one nomination per category…).
    #[error("{message}")]
    Conflict {
        /// For people.
        message: Said,
        /// Which rule, at which field.
        violations: Vec<Violation>,
    },
    /// The organisation would be left without an owner (409 `last_owner`).
    #[error("{0}")]
    LastOwner(Said),
    /// A one-time token (an invitation's, a link's) is unknown, used, expired or not the caller's (400
    /// `invalid_token`).
    #[error("{0}")]
    InvalidToken(Said),
    /// A limit counted across requests is reached (429), and when to try again.
    #[error("{message}")]
    RateLimited {
        /// For people.
        message: Said,
        /// Seconds until a new attempt may pass.
        retry_after: u64,
        /// The limits the caller may know of, and what is left of them (the RateLimit fields).
        quotas: Vec<crate::throttle::Quota>,
    },
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

impl Refusal {
    /// The refusal for an access policy's answer other than allowed (`hidden` when the caller may not know that
    /// the object exists).
    pub fn unless_allowed(
        access: wsis_domain::Access,
        hidden: impl FnOnce() -> Self,
    ) -> Result<(), Self> {
        use wsis_domain::Access;
        match access {
            Access::Allowed => Ok(()),
            Access::Hidden => Err(hidden()),
            Access::Forbidden => Err(Self::Forbidden(said!("refused-role"))),
            Access::Unauthenticated => Err(Self::Unauthenticated(said!("refused-sign-in"))),
        }
    }

    /// One violation of a form's rule.
    pub fn invalid(field: &str, code: &str, message: Said) -> Self {
        Self::Invalid(vec![Violation::new(field, code, message)])
    }
}
