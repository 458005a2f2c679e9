//! The application layer: the use cases of the WSIS Contributions API, between HTTP and persistence.
//!
//! One use case is one function. It takes a connection, the caller (a domain [`wsis_domain::Actor`]) and domain
//! values, runs in one database transaction ([`run`]), and returns what it made or a typed [`Refusal`] that the HTTP
//! layer maps once to a problem response. The rules it applies (access, deadlines, the forms, the prize rules) come
//! from the domain; the rows it reads and writes from persistence; the mail it sends is rendered by [`letters`] and
//! queued as outbox rows in the same transaction, so a change and its mail are committed together or not at all.
//!
//! No actix, no utoipa: the binary's own commands (`wsis seed-demo`) call the same use cases as the API.

pub mod accounts;
pub mod calls;
pub mod changes;
pub mod extensions;
pub mod letters;
pub mod oauth;
pub mod organisations;
pub mod passwords;
pub mod prizes;
mod refusal;
pub mod staff;
pub mod submissions;
pub mod throttle;
pub mod webhooks;

pub use refusal::Refusal;
use wsis_persistence::DbConnection;

/// Runs a use case in one transaction. A refusal commits what the use case recorded of the attempt (a late attempt
/// is kept in the history) — use cases refuse before they write anything else; a database error rolls back.
pub fn run<T>(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection) -> Result<T, Refusal>,
) -> Result<T, Refusal> {
    wsis_persistence::db::transaction(conn, |conn| match work(conn) {
        Err(Refusal::Db(error)) => Err(error),
        outcome => Ok(outcome),
    })?
}

/// Staff only: the staff member's id, or the refusal for anyone else (`what` says what they tried).
pub(crate) fn require_staff(
    actor: &wsis_domain::Actor,
    what: wsis_domain::Said,
) -> Result<String, Refusal> {
    match actor.user() {
        Some(user) if actor.is_staff() => Ok(user.id.clone()),
        _ if *actor == wsis_domain::Actor::Anonymous => Err(Refusal::Unauthenticated(
            wsis_domain::said!("refused-sign-in-to", action = what),
        )),
        _ => Err(Refusal::Forbidden(wsis_domain::said!(
            "refused-staff-only",
            action = what
        ))),
    }
}
