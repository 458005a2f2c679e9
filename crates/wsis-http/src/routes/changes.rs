//! The change feed (docs/changes.md): every change the caller may see, oldest first, from a cursor, with long poll.

use std::time::Duration;

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use wsis_domain::changes::{EventType, Filters};
use wsis_domain::{ActionLineCode, Said, TrackKind, said};

use crate::auth::Principal;
use crate::changes::ChangeItem;
use crate::negotiate::Lang;
use crate::problem::{ApiError, Problem, ReadResponses};
use crate::responses::conditional::{Cached, Freshness};
use crate::routes::filters::{self, Param, QueryString, QueryValue, values};
use crate::state::AppState;

/// The longest a long poll waits.
pub const MAX_WAIT_SECONDS: u64 = 30;

impl QueryValue for EventType {
    const RULE: &'static str = "unknown_event_type";
    fn read(text: &str) -> Result<Self, Said> {
        text.parse().map_err(|e: wsis_domain::ParseError| e.said())
    }
}

/// Seconds to wait for a change, 0–30.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wait(pub u64);

impl QueryValue for Wait {
    const RULE: &'static str = "out_of_range";
    fn read(text: &str) -> Result<Self, Said> {
        text.parse::<u64>()
            .ok()
            .filter(|w| *w <= MAX_WAIT_SECONDS)
            .map(Self)
            .ok_or_else(|| said!("field-wait"))
    }
}

/// A page size for the feed, 1–500 (default 100).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedLimit(pub i64);

impl QueryValue for FeedLimit {
    const RULE: &'static str = "out_of_range";
    fn read(text: &str) -> Result<Self, Said> {
        text.parse::<i64>()
            .ok()
            .filter(|l| (1..=wsis_app::changes::MAX_LIMIT).contains(l))
            .map(Self)
            .ok_or_else(|| said!("field-feed-limit"))
    }
}

/// The feed's parameters; repeated filters mean OR.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangesParams {
    /// The cursor `next` of the page before (absent: from the beginning). It carries the filters it was read with:
    /// pass the same filters with it.
    pub after: Option<String>,
    /// Event types.
    #[serde(default, rename = "type")]
    #[param(rename = "type", style = Form, explode, value_type = Vec<EventType>)]
    pub types: Vec<Param<EventType>>,
    /// Call slugs.
    #[serde(default)]
    #[param(style = Form, explode)]
    pub call: Vec<String>,
    /// Track kinds.
    #[serde(default)]
    #[param(style = Form, explode, value_type = Vec<wsis_domain::TrackKind>)]
    pub track: Vec<Param<TrackKind>>,
    /// Action lines (events of submissions and repository entries on any of them).
    #[serde(default)]
    #[param(style = Form, explode, value_type = Vec<String>, example = json!(["C3", "C7.e-science"]))]
    pub action_line: Vec<Param<ActionLineCode>>,
    /// Events per page, 1–500 (default 100).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub limit: Option<Param<FeedLimit>>,
    /// Seconds to wait, when nothing is there yet, for a change the caller may see (0–30, default 0): a long poll.
    #[param(value_type = Option<u64>, minimum = 0, maximum = 30)]
    pub wait: Option<Param<Wait>>,
}

/// A page of the feed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangesPage {
    /// The changes, oldest first.
    pub items: Vec<ChangeItem>,
    /// Pass as `after` to read on (with the same filters); given on every page, the last one included, so that a
    /// follower keeps reading from it.
    #[schema(example = "c1042.3f2a9c1b7d40")]
    pub next: String,
    /// Whether more changes wait after this page (read on at once rather than waiting).
    pub has_more: bool,
}

/// Follow every change you may see, oldest first: the change feed.
///
/// Anyone may read it: without credentials, the public changes (the public repository, calls, tracks, the prizes'
/// publications); members see their organisations' changes; staff see everything; a partner with
/// `submissions:read` sees changes of submitted entries, on its action lines when it is limited to some. Each item
/// has a `seq` that only grows, and the object as it is now (as its own route gives it to you), or
/// `{"deleted": true}`. Pass `next` back as `after` to read on: a cursor never skips or repeats a change, also under
/// concurrent writers on several instances (a change is numbered once no earlier transaction can still commit).
/// With `wait`, an empty page waits up to that many seconds for a change. It changes nothing.
#[utoipa::path(
    operation_id = "list_changes",
    tag = "changes",
    security((), ("bearer" = []), ("oauth2" = []), ("oauth2" = ["submissions:read"])),
    params(ChangesParams),
    responses(
        (status = 200, description = "A page of changes, and the cursor to read on", body = ChangesPage),
        (status = 401, description = "An invalid, expired or revoked access token (`WWW-Authenticate: Bearer …`)", body = Problem, content_type = "application/problem+json"),
        ReadResponses,
    )
)]
#[get("/changes")]
pub async fn list_changes(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    lang: Lang,
) -> Result<HttpResponse, ApiError> {
    let query = QueryString::parse(&req, &filters::declared::<ChangesParams>())?;
    let params: ChangesParams = query.read()?;
    let filters = Filters {
        types: values(params.types),
        calls: params.call,
        tracks: values(params.track),
        action_lines: values(params.action_line),
    };
    let limit = params.limit.map_or(100, |l| l.0.0);
    let wait = Duration::from_secs(params.wait.map_or(0, |w| w.0.0));
    let deadline = tokio::time::Instant::now() + wait;
    let actor = principal.actor.clone();
    let page = loop {
        // Registered before the read, so that growth between the read and the wait is not missed.
        let grown = state.feed.grown.notified();
        let (actor, filters, after) = (actor.clone(), filters.clone(), params.after.clone());
        let page = state
            .run(move |conn| {
                wsis_app::changes::read(conn, &actor, &filters, after.as_deref(), limit)
            })
            .await?;
        if !page.events.is_empty() || tokio::time::Instant::now() >= deadline {
            break page;
        }
        // Woken when this instance's watcher sees the feed grow (it reads the feed's end in the database, so changes
        // of every instance wake it); a waiting poll costs no database work until then. Once a second it reads
        // anyway, in case a change it may see came in a burst it woke for before.
        let _ = tokio::time::timeout_at(
            deadline.min(tokio::time::Instant::now() + Duration::from_secs(1)),
            grown,
        )
        .await;
    };
    let items = crate::changes::render(&state, &actor, page.events, lang.0).await?;
    let body = ChangesPage {
        items,
        next: page.next.encode(),
        has_more: page.has_more,
    };
    const FEED: Cached<'static> = Cached {
        language: None,
        freshness: Freshness::Private,
        volatile_fields: &[],
    };
    FEED.respond(&req, &body)
}
