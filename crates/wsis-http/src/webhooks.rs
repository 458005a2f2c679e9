//! The webhook delivery worker (docs/changes.md): in every instance, it claims endpoints with work due (a lease in
//! the database, so instances share the work and never deliver one endpoint's events at once), sends each endpoint
//! its pings and redeliveries, then its next events in feed order, signed with the Standard Webhooks scheme. The
//! cursor moves only after a 2xx: a crash or a restart loses nothing (delivery is at least once; the `webhook-id` is
//! the event's id, for receivers to deduplicate).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use chrono::Utc;
use wsis_app::webhooks::{self as use_cases, Attempt, Outcome};
use wsis_domain::webhooks::{Secret, check_url, is_public, signature_header};
use wsis_domain::{Actor, Language};
use wsis_persistence::webhooks::{DeliveryRow, EndpointRecord};

use crate::changes::{self, ChangeItem};
use crate::problem::ApiError;
use crate::state::AppState;

/// The most events one claim of an endpoint delivers before the worker looks at the others.
const BATCH: i64 = 100;
/// The most endpoints one instance claims at once.
const CLAIMS: i64 = 16;
/// How much of an answer the log keeps.
const EXCERPT_BYTES: usize = 1024;

/// Resolves host names to public addresses only: a name that resolves to a loopback, link-local or private address
/// (or only to such) is not delivered to, whatever the URL said (SSRF, DNS rebinding included: the address checked is
/// the address connected to).
#[derive(Debug)]
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| is_public(a.ip()))
                .collect();
            if found.is_empty() {
                return Err(format!("{host} has no public address").into());
            }
            let addresses: reqwest::dns::Addrs = Box::new(found.into_iter());
            Ok(addresses)
        })
    }
}

/// The outgoing client: rustls, the timeout of the settings, no redirects, no proxy from the environment, and (unless
/// private addresses are allowed) public addresses only.
pub fn client(settings: &crate::changes::WebhookSettings) -> Result<reqwest::Client, String> {
    let mut builder = reqwest::Client::builder()
        .timeout(settings.timeout)
        .connect_timeout(settings.timeout.min(Duration::from_secs(5)))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .user_agent("WSIS-Webhooks/1.0 (+https://www.itu.int/net4/wsis/)");
    if !settings.allow_private {
        builder = builder.dns_resolver(std::sync::Arc::new(PublicOnly));
    }
    builder.build().map_err(|e| e.to_string())
}

/// Starts the worker on the actix runtime: a round at each tick, and at once when the feed grows or a ping or
/// redelivery is asked for on this instance.
pub fn spawn_worker(state: AppState) {
    actix_web::rt::spawn(async move {
        let client = match client(&state.webhooks) {
            Ok(client) => client,
            Err(error) => {
                tracing::error!(%error, "the webhook client could not be built; no webhooks are delivered");
                return;
            }
        };
        let mut ticks = actix_web::rt::time::interval(state.webhooks.tick);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            let grown = state.feed.grown.notified();
            futures_util::pin_mut!(grown);
            futures_util::future::select(Box::pin(ticks.tick()), grown).await;
            if let Err(error) = round(&state, &client).await {
                tracing::warn!(error = %error.detail(), "webhook delivery round failed; will retry");
            }
        }
    });
}

/// Claims endpoints with work due and works through them, until none is left.
pub async fn round(state: &AppState, client: &reqwest::Client) -> Result<(), ApiError> {
    loop {
        let (owner, lease, now) = (
            state.webhooks.instance.clone(),
            state.webhooks.lease,
            state.clock.now(),
        );
        let claimed = state
            .db(move |conn| use_cases::claim(conn, &owner, now, lease, CLAIMS))
            .await?;
        if claimed.is_empty() {
            return Ok(());
        }
        let work = claimed
            .into_iter()
            .map(|endpoint| serve_endpoint(state, client, endpoint));
        for outcome in futures_util::future::join_all(work).await {
            outcome?;
        }
    }
}

async fn serve_endpoint(
    state: &AppState,
    client: &reqwest::Client,
    endpoint: EndpointRecord,
) -> Result<(), ApiError> {
    let id = endpoint.id.clone();
    let served = deliver_to(state, client, endpoint).await;
    let owner = state.webhooks.instance.clone();
    state
        .db(move |conn| use_cases::release(conn, &id, &owner))
        .await?;
    served
}

async fn deliver_to(
    state: &AppState,
    client: &reqwest::Client,
    endpoint: EndpointRecord,
) -> Result<(), ApiError> {
    let lookup = endpoint.clone();
    let owner = state
        .db(move |conn| use_cases::owner(conn, &lookup))
        .await?;
    let Some(owner) = owner else {
        let (id, now) = (endpoint.id.clone(), state.clock.now());
        state
            .db(move |conn| use_cases::disable(conn, &id, "its API client was revoked", now))
            .await?;
        return Ok(());
    };
    let (id, now) = (endpoint.id.clone(), state.clock.now());
    let (waiting, secrets) = state
        .db(move |conn| {
            Ok((
                use_cases::waiting(conn, &id)?,
                use_cases::secrets(conn, &id, now)?,
            ))
        })
        .await?;
    for pending in waiting {
        manual(state, client, &endpoint, &owner, &secrets, pending).await?;
    }
    if endpoint.status != "active" || endpoint.next_attempt_at > state.clock.now() {
        return Ok(());
    }
    // The next events in one read, their objects rendered once each; then one signed POST each, in order, each
    // outcome recorded before the next is sent.
    // A failing endpoint is tried with its first event alone, until it takes one.
    let batch = if endpoint.attempts > 0 { 1 } else { BATCH };
    let (lookup, actor) = (endpoint.clone(), owner.clone());
    let events = state
        .db(move |conn| use_cases::next_events(conn, &lookup, &actor, batch))
        .await?;
    let items = changes::render(state, &owner, events, Language::En).await?;
    for item in items {
        let (id, owner_name, now) = (
            endpoint.id.clone(),
            state.webhooks.instance.clone(),
            state.clock.now(),
        );
        let held = state
            .db(move |conn| use_cases::holds(conn, &id, &owner_name, now))
            .await?;
        if !held {
            return Ok(());
        }
        let attempt = post(state, client, &endpoint, &secrets, &item).await?;
        let (id, at) = (endpoint.id.clone(), state.clock.now());
        let outcome = state
            .db(move |conn| use_cases::record_attempt(conn, &id, &attempt, at))
            .await?;
        if outcome != Outcome::Delivered {
            return Ok(());
        }
    }
    Ok(())
}

/// Sends a ping or a redelivery, and records its outcome over its pending line.
async fn manual(
    state: &AppState,
    client: &reqwest::Client,
    endpoint: &EndpointRecord,
    owner: &Actor,
    secrets: &[Secret],
    pending: DeliveryRow,
) -> Result<(), ApiError> {
    let item = if pending.kind == "ping" {
        Some(changes::ping(
            &pending.event_id,
            &endpoint.id,
            state.clock.now(),
        ))
    } else {
        let event_id = pending.event_id.clone();
        let event = state
            .db(move |conn| use_cases::event(conn, &event_id))
            .await?;
        match event {
            Some(event) => changes::render(state, owner, vec![event], Language::En)
                .await?
                .pop(),
            None => None,
        }
    };
    let attempt = match item {
        Some(item) => post(state, client, endpoint, secrets, &item).await?,
        None => Attempt {
            event_id: pending.event_id.clone(),
            event_type: pending.event_type.clone(),
            seq: pending.seq,
            at: state.clock.now(),
            http_status: None,
            latency_ms: 0,
            excerpt: None,
            error: Some("the event no longer exists".into()),
        },
    };
    state
        .db(move |conn| use_cases::record_manual(conn, &pending, &attempt))
        .await
}

/// One signed `POST` of an item to an endpoint, and what came of it.
async fn post(
    state: &AppState,
    client: &reqwest::Client,
    endpoint: &EndpointRecord,
    secrets: &[Secret],
    item: &ChangeItem,
) -> Result<Attempt, ApiError> {
    let at = state.clock.now();
    let mut attempt = Attempt {
        event_id: item.id.clone(),
        event_type: item.event_type.clone(),
        seq: item.seq,
        at,
        http_status: None,
        latency_ms: 0,
        excerpt: None,
        error: None,
    };
    let policy = state.webhooks.url_policy();
    if check_url(&endpoint.url, policy.allow_insecure, policy.allow_private).is_err() {
        attempt.error = Some("the address is not one webhooks are delivered to".into());
        return Ok(attempt);
    }
    let body = serde_json::to_vec(item).map_err(ApiError::internal)?;
    // The moment of sending by the system clock: receivers compare it with theirs to refuse replays.
    let timestamp = Utc::now().timestamp();
    let signature = signature_header(secrets, &item.id, timestamp, &body);
    let request = client
        .post(&endpoint.url)
        .header("content-type", "application/json")
        .header("webhook-id", item.id.as_str())
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(body);
    let started = Instant::now();
    match request.send().await {
        Ok(mut response) => {
            attempt.http_status = Some(response.status().as_u16());
            let mut excerpt = Vec::new();
            loop {
                match response.chunk().await {
                    Ok(Some(chunk)) => {
                        let room = EXCERPT_BYTES.saturating_sub(excerpt.len());
                        excerpt.extend_from_slice(&chunk[..chunk.len().min(room)]);
                        if excerpt.len() >= EXCERPT_BYTES {
                            break;
                        }
                    }
                    Ok(None) => break,
                    Err(error) => {
                        attempt.error = Some(describe(&error));
                        break;
                    }
                }
            }
            attempt.excerpt = Some(String::from_utf8_lossy(&excerpt).replace('\0', "\u{fffd}"));
        }
        Err(error) => attempt.error = Some(describe(&error)),
    }
    attempt.latency_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    Ok(attempt)
}

/// What went wrong, without the URL (it may carry a receiver's token in its query).
fn describe(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else if error.is_redirect() {
        "redirected (redirects are not followed)"
    } else {
        "failed"
    };
    let mut cause = String::new();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        cause = inner.to_string();
        source = inner.source();
    }
    if cause.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}: {cause}")
    }
}

#[cfg(test)]
mod tests {
    use reqwest::dns::Resolve as _;

    use super::*;

    #[tokio::test]
    async fn a_name_of_a_private_address_is_not_resolved_nor_connected_to() {
        let name: reqwest::dns::Name = "localhost".parse().unwrap();
        let refused = PublicOnly.resolve(name).await;
        assert!(
            refused
                .err()
                .is_some_and(|e| e.to_string().contains("no public address"))
        );
        // The client of production settings refuses it before any connection, whatever the URL's scheme.
        let client = client(&crate::changes::WebhookSettings::default()).unwrap();
        let error = client
            .post("http://localhost:9/hook")
            .send()
            .await
            .unwrap_err();
        assert!(error.is_connect() || error.is_request(), "{error}");
        assert!(
            describe(&error).contains("no public address"),
            "{}",
            describe(&error)
        );
    }
}
