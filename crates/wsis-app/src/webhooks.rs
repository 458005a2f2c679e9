//! Webhooks (docs/changes.md): endpoints that staff register, or that a partner's API client registers for itself,
//! each receiving the feed's events it wants and its owner may see, in feed order; and the steps of the delivery
//! worker, each one transaction: claim endpoints, find an endpoint's next event, record an attempt's outcome.

use chrono::{DateTime, Duration, Utc};
use rand::Rng as _;
use wsis_domain::changes::{Filters, Sight};
use wsis_domain::webhooks::{self as rules, Secret};
use wsis_domain::{Actor, ClientActor, UserActor, UserRole, said};
use wsis_persistence::changes::{self as feed, ChangeRecord};
use wsis_persistence::webhooks::{self as rows, DeliveryRow, EndpointRecord, SecretRecord};
use wsis_persistence::{DbConnection, DbError, api_clients, new_id, submissions, users};

use crate::throttle::{self, Quota};
use crate::{Refusal, letters};

/// What an endpoint's URL may be: `http` too (`allow_insecure`), private addresses too (`allow_private`). Both are
/// for tests and local work only.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UrlPolicy {
    /// `http://` is accepted.
    pub allow_insecure: bool,
    /// Loopback, link-local and private addresses are accepted.
    pub allow_private: bool,
}

/// An endpoint to register.
#[derive(Debug, Clone)]
pub struct NewEndpoint {
    /// Where deliveries go.
    pub url: String,
    /// What it is for (at most 200 characters).
    pub description: String,
    /// The events it wants.
    pub filters: Filters,
}

/// A change to an endpoint: only what is given changes.
#[derive(Debug, Clone, Default)]
pub struct EndpointChange {
    /// Where deliveries go.
    pub url: Option<String>,
    /// What it is for.
    pub description: Option<String>,
    /// The event types it wants (empty: all).
    pub types: Option<Vec<wsis_domain::changes::EventType>>,
    /// The calls, by slug (empty: all).
    pub calls: Option<Vec<String>>,
    /// The track kinds (empty: all).
    pub tracks: Option<Vec<wsis_domain::TrackKind>>,
    /// The action lines (empty: all).
    pub action_lines: Option<Vec<wsis_domain::ActionLineCode>>,
    /// `true` enables it again (with a clean slate of failures), `false` disables it.
    pub active: Option<bool>,
}

/// An endpoint with the secrets that sign for it now.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// The endpoint.
    pub record: EndpointRecord,
    /// Newest first.
    pub secrets: Vec<SecretRecord>,
}

/// Whether `actor` may manage webhooks at all: staff, and API clients (for their own endpoints).
pub fn may_manage(actor: &Actor) -> Result<(), Refusal> {
    match actor {
        Actor::Anonymous => Err(Refusal::Unauthenticated(said!("refused-webhooks"))),
        Actor::Client(_) => Ok(()),
        _ if actor.is_staff() => Ok(()),
        Actor::User(_) => Err(Refusal::Forbidden(said!("refused-webhooks"))),
    }
}

fn not_found(id: &str) -> Refusal {
    Refusal::NotFound(said!(
        "not-found-webhook",
        id = id.chars().take(64).collect::<String>()
    ))
}

/// The endpoint, if `actor` may manage it: staff every one, a client its own.
fn load(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    lock: bool,
) -> Result<EndpointRecord, Refusal> {
    may_manage(actor)?;
    let found = if lock {
        rows::find_for_update(conn, id)
    } else {
        rows::find(conn, id)
    };
    let record = match found {
        Ok(record) => record,
        Err(DbError::NotFound) => return Err(not_found(id)),
        Err(error) => return Err(error.into()),
    };
    match actor {
        Actor::Client(client) if record.client_id.as_deref() != Some(client.id.as_str()) => {
            Err(not_found(id))
        }
        _ => Ok(record),
    }
}

fn check(url: Option<&str>, description: Option<&str>, policy: UrlPolicy) -> Result<(), Refusal> {
    let mut violations = Vec::new();
    if let Some(url) = url
        && let Err(message) = rules::check_url(url, policy.allow_insecure, policy.allow_private)
    {
        violations.push(wsis_domain::forms::Violation::new(
            "url",
            "invalid_url",
            message,
        ));
    }
    if let Some(description) = description
        && (description.chars().count() > rules::DESCRIPTION_MAX
            || description.chars().any(char::is_control))
    {
        violations.push(wsis_domain::forms::Violation::new(
            "description",
            "invalid_length",
            said!("field-at-most-characters", max = rules::DESCRIPTION_MAX),
        ));
    }
    if violations.is_empty() {
        Ok(())
    } else {
        Err(Refusal::Invalid(violations))
    }
}

/// A new signing secret: 32 random bytes.
fn new_secret() -> String {
    let mut key = vec![0u8; 32];
    rand::rng().fill(&mut key[..]);
    Secret::from_key(key)
        .map(|s| s.encode())
        .unwrap_or_default()
}

/// Registers an endpoint (staff; a partner's client for itself). Deliveries start with the events after this moment.
/// Returns it with its first secret, which the caller sees here and at each rotation.
pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    endpoint: NewEndpoint,
    policy: UrlPolicy,
    now: DateTime<Utc>,
) -> Result<Endpoint, Refusal> {
    may_manage(actor)?;
    check(Some(&endpoint.url), Some(&endpoint.description), policy)?;
    crate::run(conn, |conn| {
        // A partner's endpoints are capped; counted under a lock of the client, so parallel registrations cannot
        // pass it together.
        if let Actor::Client(client) = actor {
            wsis_persistence::db::lock(conn, &format!("webhooks:client:{}", client.id))?;
            if rows::list(conn, Some(&client.id))?.len() >= rules::MAX_ENDPOINTS_PER_CLIENT {
                let message = said!("webhooks-too-many", max = rules::MAX_ENDPOINTS_PER_CLIENT);
                return Err(Refusal::Conflict {
                    message: message.clone(),
                    violations: vec![wsis_domain::forms::Violation::new(
                        "url",
                        "too_many_endpoints",
                        message,
                    )],
                });
            }
        }
        feed::sequence(conn)?;
        let record = EndpointRecord {
            id: new_id(),
            client_id: match actor {
                Actor::Client(client) => Some(client.id.clone()),
                _ => None,
            },
            created_by: actor.user().map(|u| u.id.clone()),
            url: endpoint.url,
            description: endpoint.description,
            filters: endpoint.filters.normalised(),
            status: "active".into(),
            disabled_reason: None,
            delivered_seq: feed::last_seq(conn)?,
            next_attempt_at: now,
            attempts: 0,
            failing_since: None,
            created_at: now,
            updated_at: now,
        };
        rows::insert(conn, &record)?;
        rows::add_secret(conn, &record.id, &new_secret(), now, now)?;
        tracing::info!(webhook.id = %record.id, "webhook endpoint registered");
        let secrets = rows::secrets(conn, &record.id, now)?;
        Ok(Endpoint { record, secrets })
    })
}

/// The endpoints `actor` manages: staff every one, a client its own.
pub fn list(conn: &mut DbConnection, actor: &Actor) -> Result<Vec<EndpointRecord>, Refusal> {
    may_manage(actor)?;
    let client = match actor {
        Actor::Client(client) => Some(client.id.as_str()),
        _ => None,
    };
    Ok(rows::list(conn, client)?)
}

/// One endpoint.
pub fn find(conn: &mut DbConnection, actor: &Actor, id: &str) -> Result<EndpointRecord, Refusal> {
    load(conn, actor, id, false)
}

/// Changes an endpoint. Enabling a disabled one starts afresh from where it stopped (its events are delivered,
/// in order), with no failures counted.
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    change: EndpointChange,
    policy: UrlPolicy,
    now: DateTime<Utc>,
) -> Result<EndpointRecord, Refusal> {
    may_manage(actor)?;
    check(change.url.as_deref(), change.description.as_deref(), policy)?;
    crate::run(conn, |conn| {
        let mut record = load(conn, actor, id, true)?;
        if let Some(url) = change.url {
            record.url = url;
        }
        if let Some(description) = change.description {
            record.description = description;
        }
        // Each filter given replaces its own; the others stay.
        let filters = &mut record.filters;
        if let Some(types) = change.types {
            filters.types = types;
        }
        if let Some(calls) = change.calls {
            filters.calls = calls;
        }
        if let Some(tracks) = change.tracks {
            filters.tracks = tracks;
        }
        if let Some(lines) = change.action_lines {
            filters.action_lines = lines;
        }
        record.filters = record.filters.normalised();
        match change.active {
            Some(true) if record.status != "active" => {
                record.status = "active".into();
                record.disabled_reason = None;
                record.attempts = 0;
                record.failing_since = None;
                record.next_attempt_at = now;
            }
            Some(false) => {
                record.status = "disabled".into();
                record.disabled_reason = Some("disabled by its owner".into());
            }
            _ => {}
        }
        record.updated_at = now;
        rows::save(conn, &record)?;
        Ok(record)
    })
}

/// Deletes an endpoint, its secrets and its log.
pub fn delete(conn: &mut DbConnection, actor: &Actor, id: &str) -> Result<(), Refusal> {
    crate::run(conn, |conn| {
        load(conn, actor, id, true)?;
        rows::delete(conn, id)?;
        Ok(())
    })
}

/// Rotates an endpoint's secret: a new one signs from now on, the ones before keep signing for `overlap` (both
/// signatures are sent meanwhile, so the receiver can switch at its pace).
pub fn rotate_secret(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    overlap: Duration,
    now: DateTime<Utc>,
) -> Result<Endpoint, Refusal> {
    crate::run(conn, |conn| {
        let record = load(conn, actor, id, true)?;
        rows::add_secret(conn, id, &new_secret(), now, now + overlap)?;
        let secrets = rows::secrets(conn, id, now)?;
        Ok(Endpoint { record, secrets })
    })
}

/// The secrets that sign for an endpoint now, newest first.
pub fn secrets(
    conn: &mut DbConnection,
    endpoint_id: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Secret>, DbError> {
    Ok(rows::secrets(conn, endpoint_id, now)?
        .iter()
        .filter_map(|s| Secret::parse(&s.secret))
        .collect())
}

fn pending(
    endpoint_id: &str,
    event_id: String,
    event_type: &str,
    seq: Option<i64>,
    kind: &str,
    now: DateTime<Utc>,
) -> DeliveryRow {
    DeliveryRow {
        id: new_id(),
        endpoint_id: endpoint_id.to_owned(),
        event_id,
        event_type: event_type.to_owned(),
        seq,
        kind: kind.to_owned(),
        attempt: 1,
        status: "pending".into(),
        created_at: now.naive_utc(),
        attempted_at: None,
        http_status: None,
        latency_ms: None,
        response_excerpt: None,
        error: None,
    }
}

/// Asks for a test event (`ping`) to the endpoint, even a disabled one; the worker sends it. Pings and redeliveries
/// of an endpoint are limited per hour; the endpoint's quota after this one is returned.
pub fn ping(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    now: DateTime<Utc>,
) -> Result<(DeliveryRow, Quota), Refusal> {
    crate::run(conn, |conn| {
        load(conn, actor, id, false)?;
        let quota = throttle::reserve_manual_delivery(conn, id, now)?;
        let row = pending(id, new_id(), "ping", None, "ping", now);
        rows::log(conn, &row)?;
        Ok((row, quota))
    })
}

/// An endpoint's delivery log, newest first.
pub fn deliveries(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    before: Option<&str>,
    limit: i64,
) -> Result<Vec<DeliveryRow>, Refusal> {
    load(conn, actor, id, false)?;
    Ok(rows::deliveries(conn, id, before, limit)?)
}

/// Asks for an event of the log to be delivered again, out of order, once (a receiver that lost it). Counted with
/// the endpoint's pings; the endpoint's quota after this one is returned.
pub fn redeliver(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    delivery: &str,
    now: DateTime<Utc>,
) -> Result<(DeliveryRow, Quota), Refusal> {
    crate::run(conn, |conn| {
        load(conn, actor, id, false)?;
        let original = match rows::delivery(conn, id, delivery) {
            Ok(row) => row,
            Err(DbError::NotFound) => {
                return Err(Refusal::NotFound(said!(
                    "not-found-delivery",
                    id = delivery.chars().take(64).collect::<String>()
                )));
            }
            Err(error) => return Err(error.into()),
        };
        if original.kind == "ping" {
            return Err(Refusal::InvalidTransition(said!("refused-redeliver-ping")));
        }
        let row = pending(
            id,
            original.event_id,
            &original.event_type,
            original.seq,
            "redelivery",
            now,
        );
        let quota = throttle::reserve_manual_delivery(conn, id, now)?;
        rows::log(conn, &row)?;
        Ok((row, quota))
    })
}

/// Who an endpoint's deliveries are for: its client as it is now (`None` once the client is revoked), or staff.
pub fn owner(conn: &mut DbConnection, endpoint: &EndpointRecord) -> Result<Option<Actor>, DbError> {
    match &endpoint.client_id {
        Some(client) => {
            let record = api_clients::find(conn, client)?;
            Ok(record
                .revoked_at
                .is_none()
                .then_some(Actor::Client(ClientActor {
                    id: record.id,
                    scopes: record.scopes,
                    action_lines: record.action_lines,
                })))
        }
        None => Ok(Some(Actor::User(UserActor {
            id: endpoint.created_by.clone().unwrap_or_default(),
            roles: vec![UserRole::Staff],
            memberships: Vec::new(),
            email_verified: true,
            delegated: false,
        }))),
    }
}

/// Leases endpoints with work due to worker `owner` for `lease` (see [`rows::claim`]); the events of ended
/// transactions are numbered first.
pub fn claim(
    conn: &mut DbConnection,
    owner: &str,
    now: DateTime<Utc>,
    lease: Duration,
    limit: i64,
) -> Result<Vec<EndpointRecord>, DbError> {
    feed::sequence(conn)?;
    let last = feed::last_seq(conn)?;
    rows::claim(conn, owner, now, now + lease, last, limit)
}

/// The next events for an endpoint after what it has (at most `limit`), as its owner may see them and its filters
/// select, in feed order. When there are none, the endpoint's position moves to the end of the feed as it was before
/// the read (nothing it wants is there), so the next look starts from there.
pub fn next_events(
    conn: &mut DbConnection,
    endpoint: &EndpointRecord,
    owner: &Actor,
    limit: i64,
) -> Result<Vec<ChangeRecord>, DbError> {
    let last = feed::last_seq(conn)?;
    let call_ids = crate::changes::call_ids(conn, &endpoint.filters.calls)?;
    let next = feed::read(
        conn,
        &Sight::of(owner),
        &endpoint.filters,
        &call_ids,
        endpoint.delivered_seq,
        limit,
    )?;
    if next.is_empty() && last > endpoint.delivered_seq {
        skip_to(conn, endpoint, last)?;
    }
    Ok(next)
}

fn skip_to(conn: &mut DbConnection, endpoint: &EndpointRecord, to: i64) -> Result<(), DbError> {
    // One statement that only ever moves the position forward: a concurrent change of the endpoint's settings is
    // left as it is.
    rows::advance_to(conn, &endpoint.id, to)
}

/// One event (one, or a ping) as it went to an endpoint.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// The event's id (`webhook-id`).
    pub event_id: String,
    /// Its type.
    pub event_type: String,
    /// Its place in the feed.
    pub seq: Option<i64>,
    /// When it was sent.
    pub at: DateTime<Utc>,
    /// The receiver's status, if it answered.
    pub http_status: Option<u16>,
    /// Milliseconds from sending to the end of the answer.
    pub latency_ms: i64,
    /// The answer's first kilobyte.
    pub excerpt: Option<String>,
    /// Why there was no answer.
    pub error: Option<String>,
}

impl Attempt {
    /// Whether the receiver took it (2xx).
    pub fn succeeded(&self) -> bool {
        self.http_status.is_some_and(|s| (200..300).contains(&s))
    }

    fn row(&self, endpoint_id: &str, kind: &str, attempt: i32, id: String) -> DeliveryRow {
        DeliveryRow {
            id,
            endpoint_id: endpoint_id.to_owned(),
            event_id: self.event_id.clone(),
            event_type: self.event_type.clone(),
            seq: self.seq,
            kind: kind.to_owned(),
            attempt,
            status: if self.succeeded() {
                "succeeded"
            } else {
                "failed"
            }
            .into(),
            created_at: self.at.naive_utc(),
            attempted_at: Some(self.at.naive_utc()),
            http_status: self.http_status.map(i32::from),
            latency_ms: Some(i32::try_from(self.latency_ms).unwrap_or(i32::MAX)),
            response_excerpt: self.excerpt.clone(),
            error: self.error.clone(),
        }
    }
}

/// Records the outcome of a ping or a redelivery over its pending row.
pub fn record_manual(
    conn: &mut DbConnection,
    pending: &DeliveryRow,
    attempt: &Attempt,
) -> Result<(), DbError> {
    let mut row = attempt.row(&pending.endpoint_id, &pending.kind, 1, pending.id.clone());
    row.created_at = pending.created_at;
    rows::complete(conn, &row)
}

/// What became of an endpoint after an attempt in feed order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Delivered: the endpoint moves on to its next event.
    Delivered,
    /// Failed: tried again at this instant.
    Retry(DateTime<Utc>),
    /// Failed for a day: the endpoint is disabled and its owner told.
    Disabled,
}

/// Records an attempt of an endpoint's next event, in one transaction: the log line, and either the endpoint's new
/// position or its next attempt after a backoff with jitter, or, failing for [`rules::GIVE_UP_AFTER_HOURS`], the
/// endpoint disabled and a letter to whoever registered it (or its client) in the outbox.
pub fn record_attempt(
    conn: &mut DbConnection,
    endpoint_id: &str,
    attempt: &Attempt,
    now: DateTime<Utc>,
) -> Result<Outcome, DbError> {
    wsis_persistence::db::transaction(conn, |conn| {
        let mut endpoint = rows::find_for_update(conn, endpoint_id)?;
        // The endpoint's failures in a row are the attempts of the event first in line, which this one is.
        let number = endpoint.attempts.saturating_add(1);
        rows::log(conn, &attempt.row(endpoint_id, "feed", number, new_id()))?;
        let outcome = if attempt.succeeded() {
            if let Some(seq) = attempt.seq {
                endpoint.delivered_seq = endpoint.delivered_seq.max(seq);
            }
            endpoint.attempts = 0;
            endpoint.failing_since = None;
            endpoint.next_attempt_at = now;
            Outcome::Delivered
        } else {
            let since = *endpoint.failing_since.get_or_insert(now);
            endpoint.attempts = endpoint.attempts.saturating_add(1);
            if rules::gives_up(since, now) {
                endpoint.status = "disabled".into();
                endpoint.disabled_reason = Some(format!(
                    "failing since {}: {}",
                    since.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    attempt
                        .error
                        .clone()
                        .or(attempt.http_status.map(|s| format!("HTTP {s}")))
                        .unwrap_or_default()
                ));
                tell_owner(conn, &endpoint, now)?;
                tracing::warn!(webhook.id = %endpoint.id, "webhook endpoint disabled after a day of failures");
                Outcome::Disabled
            } else {
                let unit: f64 = rand::rng().random();
                let attempts = u32::try_from(endpoint.attempts).unwrap_or(u32::MAX);
                endpoint.next_attempt_at = now + rules::backoff(attempts, unit);
                Outcome::Retry(endpoint.next_attempt_at)
            }
        };
        endpoint.updated_at = now;
        rows::save(conn, &endpoint)?;
        Ok(outcome)
    })
}

/// Tells an endpoint's owner that it was disabled: a `webhook.disabled` event in the feed (the owning client sees it
/// there and at its other endpoints; staff too), and a letter to whoever registered it (for a client's endpoint, the
/// staff member who made the client; a client has no address of its own).
fn tell_owner(
    conn: &mut DbConnection,
    endpoint: &EndpointRecord,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    crate::changes::webhook_disabled(conn, &endpoint.id, endpoint.client_id.as_deref(), now)?;
    let who = match (&endpoint.created_by, &endpoint.client_id) {
        (Some(user), _) => Some(user.clone()),
        (None, Some(client)) => api_clients::creator(conn, client)?,
        (None, None) => None,
    };
    let Some(user) = who else {
        return Ok(());
    };
    let user = match users::find_user(conn, &user) {
        Ok(user) => user,
        Err(DbError::NotFound) => return Ok(()),
        Err(error) => return Err(error),
    };
    let language = user.language.parse().unwrap_or(wsis_domain::Language::En);
    let letter = letters::webhook_disabled(
        language,
        &endpoint.url,
        endpoint.disabled_reason.as_deref().unwrap_or_default(),
    );
    submissions::enqueue_all(
        conn,
        &[submissions::Mail {
            to: user.email,
            subject: letter.subject,
            body: letter.body,
            language: language.code().to_owned(),
        }],
        now,
    )
}

/// Gives up worker `owner`'s lease of an endpoint.
pub fn release(conn: &mut DbConnection, endpoint_id: &str, owner: &str) -> Result<(), DbError> {
    rows::release(conn, endpoint_id, owner)
}

/// Whether worker `owner` still holds the endpoint.
pub fn holds(
    conn: &mut DbConnection,
    endpoint_id: &str,
    owner: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    rows::holds(conn, endpoint_id, owner, now)
}

/// The pings and redeliveries waiting for an endpoint.
pub fn waiting(conn: &mut DbConnection, endpoint_id: &str) -> Result<Vec<DeliveryRow>, DbError> {
    rows::pending(conn, endpoint_id)
}

/// One event by id (for a redelivery).
pub fn event(conn: &mut DbConnection, id: &str) -> Result<Option<ChangeRecord>, DbError> {
    match feed::find(conn, id) {
        Ok(event) => Ok(Some(event)),
        Err(DbError::NotFound) => Ok(None),
        Err(error) => Err(error),
    }
}

/// Disables an endpoint that cannot be delivered to any more (its client was revoked), telling its owner.
pub fn disable(
    conn: &mut DbConnection,
    endpoint_id: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    wsis_persistence::db::transaction(conn, |conn| {
        let mut endpoint = rows::find_for_update(conn, endpoint_id)?;
        if endpoint.status == "disabled" {
            return Ok(());
        }
        endpoint.status = "disabled".into();
        endpoint.disabled_reason = Some(reason.to_owned());
        endpoint.updated_at = now;
        rows::save(conn, &endpoint)?;
        tell_owner(conn, &endpoint, now)?;
        tracing::warn!(webhook.id = %endpoint.id, reason, "webhook endpoint disabled");
        Ok(())
    })
}
