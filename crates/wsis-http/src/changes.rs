//! The change feed's items as the feed and the webhooks give them (docs/changes.md): each event with the object as
//! it is now, rendered as the object's own route renders it for the same caller, or a tombstone when the object is
//! gone or no longer visible to that caller.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use wsis_domain::changes::ObjectKind;
use wsis_domain::{Actor, Language, TrackKind};
use wsis_persistence::calls;
use wsis_persistence::changes::ChangeRecord;

use crate::dto::{Call, RenderContext, Track};
use crate::problem::ApiError;
use crate::state::AppState;

/// What the object of an event is.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ObjectRef {
    /// `submission`, `project`, `call`, `track` or `webhook`.
    #[schema(example = "submission")]
    pub kind: String,
    /// Its id: a UUID for a submission, a project or a webhook endpoint, the slug for a call, `{slug}/{kind}` for a
    /// track.
    #[schema(example = "0193a0c5-1b2c-7d3e-8f40-5a6b7c8d9e0f")]
    pub id: String,
    /// Its version after the change (submissions and projects; what `ETag` and `If-Match` name, as a number).
    pub version: Option<i32>,
    /// Its route.
    #[schema(example = "/api/v1/submissions/0193a0c5-1b2c-7d3e-8f40-5a6b7c8d9e0f")]
    pub href: String,
}

/// One change: the feed's item and a webhook delivery's body.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a0c6-0000-7000-8000-000000000001", "seq": 1042, "type": "submission.submitted", "timestamp": "2025-03-14T22:59:59.000Z", "object": {"kind": "submission", "id": "0193a0c5-1b2c-7d3e-8f40-5a6b7c8d9e0f", "version": 3, "href": "/api/v1/submissions/0193a0c5-1b2c-7d3e-8f40-5a6b7c8d9e0f"}, "data": {"id": "0193a0c5-1b2c-7d3e-8f40-5a6b7c8d9e0f", "status": "submitted"}}))]
pub struct ChangeItem {
    /// The event's id: the same in the feed and in every delivery of it (`webhook-id`), so receivers deduplicate.
    #[schema(format = Uuid)]
    pub id: String,
    /// Its place in the feed: increasing, never reused (none for a `ping`).
    pub seq: Option<i64>,
    /// What happened: `submission.created`, `.updated`, `.submitted`, `.withdrawn`, `.decided`, `.awarded`,
    /// `.deleted`; `repository.published`, `.changed`, `.removed`; `call.created`; `track.changed`;
    /// `prizes.phase_changed`, `.nominees_published`, `.results_published`; `webhook.disabled` (for the endpoint's
    /// owner: its API client, and staff); `ping` (webhooks only).
    #[serde(rename = "type")]
    #[schema(example = "submission.submitted")]
    pub event_type: String,
    /// When it happened (UTC, to the millisecond): when the request that made it arrived.
    #[schema(format = DateTime)]
    pub timestamp: String,
    /// What it is about (none for a `ping`).
    pub object: Option<ObjectRef>,
    /// The object as it is now, as its route gives it to the same caller; `{"deleted": true}` when it no longer
    /// exists or the caller may no longer see it.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

/// Shared by the feed's readers and the webhook worker of one instance.
#[derive(Debug, Default)]
pub struct Feed {
    /// Rung when the feed has grown (the watcher saw a higher `seq`): long polls wake and read.
    pub grown: tokio::sync::Notify,
    /// The highest `seq` the watcher has seen.
    pub last_seen: AtomicI64,
}

impl Feed {
    /// Records the feed's end as read; wakes waiters when it moved.
    pub fn saw(&self, last: i64) {
        if self.last_seen.fetch_max(last, Ordering::AcqRel) < last {
            self.grown.notify_waiters();
        }
    }
}

/// Webhook settings of an instance.
#[derive(Debug, Clone)]
pub struct WebhookSettings {
    /// Deliver to loopback, link-local and private addresses and over `http` (tests and local work only).
    pub allow_private: bool,
    /// The longest a receiver may take to answer.
    pub timeout: Duration,
    /// How often the worker and the feed's watcher look for work when nothing wakes them.
    pub tick: Duration,
    /// How long a claim of an endpoint lasts (a crashed worker's endpoints are taken over after it).
    pub lease: chrono::Duration,
    /// This instance's name in leases.
    pub instance: String,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        Self {
            allow_private: false,
            timeout: Duration::from_secs(10),
            tick: Duration::from_millis(250),
            lease: chrono::Duration::seconds(60),
            instance: wsis_persistence::new_id(),
        }
    }
}

impl WebhookSettings {
    /// The URL policy of endpoints.
    pub fn url_policy(&self) -> wsis_app::webhooks::UrlPolicy {
        wsis_app::webhooks::UrlPolicy {
            allow_insecure: self.allow_private,
            allow_private: self.allow_private,
        }
    }
}

/// The shared parts, cheap to clone into the state.
pub fn shared(settings: WebhookSettings) -> (Arc<Feed>, Arc<WebhookSettings>) {
    (Arc::new(Feed::default()), Arc::new(settings))
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn tombstone() -> serde_json::Value {
    serde_json::json!({"deleted": true})
}

fn href(kind: ObjectKind, id: &str) -> String {
    match kind {
        ObjectKind::Submission => format!("/api/v1/submissions/{id}"),
        ObjectKind::Project => format!("/api/v1/stocktaking/projects/{id}"),
        ObjectKind::Call => format!("/api/v1/calls/{id}"),
        ObjectKind::Track => {
            let (slug, kind) = id.split_once('/').unwrap_or((id, ""));
            format!("/api/v1/calls/{slug}/tracks/{kind}")
        }
        ObjectKind::Webhook => format!("/api/v1/webhooks/{id}"),
    }
}

/// The object of an event as `actor` may see it now, or a tombstone.
async fn object(
    state: &AppState,
    actor: &Actor,
    kind: ObjectKind,
    id: &str,
    language: Language,
) -> Result<serde_json::Value, ApiError> {
    let value = match kind {
        ObjectKind::Submission => {
            let (actor, lookup) = (actor.clone(), id.to_owned());
            match state
                .attempt(move |conn| wsis_app::submissions::view(conn, &actor, &lookup))
                .await?
            {
                Ok((record, call, extension)) => {
                    serde_json::to_value(crate::routes::submissions::render_with(
                        &record,
                        &call,
                        state.clock.now(),
                        Vec::new(),
                        extension.as_ref(),
                    )?)
                }
                Err(_) => Ok(tombstone()),
            }
        }
        ObjectKind::Project => {
            match crate::routes::stocktaking::render_project(state, id.to_owned()).await {
                Ok(page) => serde_json::from_slice(&page.body),
                Err(error) if error.kind.status == 404 => Ok(tombstone()),
                Err(error) => return Err(error),
            }
        }
        ObjectKind::Webhook => {
            let (actor, lookup) = (actor.clone(), id.to_owned());
            match state
                .attempt(move |conn| wsis_app::webhooks::find(conn, &actor, &lookup))
                .await?
            {
                Ok(record) => serde_json::to_value(
                    crate::routes::webhooks::endpoint_view(state, record).await?,
                ),
                Err(_) => Ok(tombstone()),
            }
        }
        ObjectKind::Call | ObjectKind::Track => {
            let (slug, track) = id.split_once('/').unwrap_or((id, ""));
            let slug = slug.to_owned();
            let found = match state.db(move |conn| calls::find_call(conn, &slug)).await {
                Ok(call) => Some(call),
                Err(error) if error.kind.status == 404 => None,
                Err(error) => return Err(error),
            };
            let context = RenderContext {
                language,
                now: state.clock.now(),
                caller_zone: None,
            };
            match (found, kind) {
                (Some(call), ObjectKind::Call) => {
                    serde_json::to_value(Call::from_record(&call, &context))
                }
                (Some(call), _) => {
                    let kind: Option<TrackKind> = track.parse().ok();
                    match call.tracks.iter().find(|t| Some(t.kind) == kind) {
                        Some(found) => {
                            serde_json::to_value(Track::from_record(&call.slug, found, &context))
                        }
                        None => Ok(tombstone()),
                    }
                }
                (None, _) => Ok(tombstone()),
            }
        }
    };
    value.map_err(ApiError::internal)
}

/// The items of events for `actor`: each object rendered once however many events name it.
pub async fn render(
    state: &AppState,
    actor: &Actor,
    events: Vec<ChangeRecord>,
    language: Language,
) -> Result<Vec<ChangeItem>, ApiError> {
    let mut objects: HashMap<(ObjectKind, String), serde_json::Value> = HashMap::new();
    let mut items = Vec::with_capacity(events.len());
    for event in events {
        let key = (event.object_kind, event.object_id.clone());
        let data = if event.event_type.is_tombstone() {
            tombstone()
        } else if let Some(data) = objects.get(&key) {
            data.clone()
        } else {
            let data = object(state, actor, event.object_kind, &event.object_id, language).await?;
            objects.insert(key, data.clone());
            data
        };
        items.push(ChangeItem {
            id: event.id,
            seq: Some(event.seq),
            event_type: event.event_type.code().to_owned(),
            timestamp: rfc3339(event.occurred_at),
            object: Some(ObjectRef {
                kind: event.object_kind.code().to_owned(),
                href: href(event.object_kind, &event.object_id),
                id: event.object_id,
                version: event.object_version,
            }),
            data,
        });
    }
    Ok(items)
}

/// The body of a `ping`.
pub fn ping(id: &str, endpoint: &str, at: DateTime<Utc>) -> ChangeItem {
    ChangeItem {
        id: id.to_owned(),
        seq: None,
        event_type: "ping".into(),
        timestamp: rfc3339(at),
        object: None,
        data: serde_json::json!({"endpoint": endpoint}),
    }
}

/// Watches the feed's end for this instance: numbers the events of ended transactions (PostgreSQL) and wakes the
/// long polls and the webhook worker when the feed grew, every `tick` until the process stops.
pub fn spawn_watcher(state: AppState) {
    actix_web::rt::spawn(async move {
        let mut ticks = actix_web::rt::time::interval(state.webhooks.tick);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let outcome = state
                .db(|conn| {
                    wsis_app::changes::sequence(conn)?;
                    wsis_persistence::changes::last_seq(conn)
                })
                .await;
            match outcome {
                Ok(last) => state.feed.saw(last),
                Err(error) => {
                    tracing::warn!(error = %error.detail(), "the change feed's watcher could not run");
                }
            }
        }
    });
}
