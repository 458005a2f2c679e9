//! Helpers for the end-to-end suite: each test starts the real server (the same `wsis::start` the binary uses) on
//! a free loopback port, over a database of its own, with a clock the test controls, and talks to it over HTTP.

#![expect(
    clippy::panic,
    reason = "test support: a failed set-up must fail the test that asked for it"
)]

use std::net::TcpListener;
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

use actix_web::dev::ServerHandle;
use chrono::{DateTime, Utc};
use reqwest::blocking::{Client, RequestBuilder, Response};
use wsis_domain::FixedClock;
use wsis_http::{AppState, HttpSettings};
use wsis_persistence::testing::{TestBackend, TestDatabase};
use wsis_persistence::{Database, PoolOptions};

pub use wsis_persistence::testing::TestBackend as Backend;

/// The instant the test clock starts at: the last second of the OCP 2025 window.
pub const DEFAULT_NOW: &str = "2025-03-14T22:59:59Z";

/// Parses an RFC 3339 instant.
pub fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap_or_else(|e| panic!("bad instant {s}: {e}"))
}

/// A running server and a client for it.
#[derive(Debug)]
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// A client that keeps no cookies and follows no redirects.
    pub client: Client,
    /// The server's clock.
    pub clock: Arc<FixedClock>,
    handle: Option<ServerHandle>,
    thread: Option<JoinHandle<()>>,
    _db: Option<TestDatabase>,
}

/// HTTP settings for tests: one worker, no signal handlers.
pub fn test_settings() -> HttpSettings {
    HttpSettings {
        workers: Some(1),
        handle_signals: false,
        ..HttpSettings::default()
    }
}

impl TestApp {
    /// A server on a fresh, migrated and seeded database of `backend`.
    pub fn spawn(backend: TestBackend) -> Self {
        Self::spawn_with(backend, test_settings())
    }

    /// The same with other HTTP settings.
    pub fn spawn_with(backend: TestBackend, settings: HttpSettings) -> Self {
        let db = TestDatabase::new(backend).unwrap_or_else(|e| panic!("test database: {e}"));
        let clock = Arc::new(FixedClock::new(at(DEFAULT_NOW)));
        let pool = PoolOptions {
            max_size: 4,
            connection_timeout: Duration::from_secs(5),
        };
        let database = wsis::prepare_database(&db.url, &pool, clock.as_ref())
            .unwrap_or_else(|e| panic!("prepare: {e}"));
        Self::start(database, clock, settings, Some(db))
    }

    /// A server over `database` as given (not migrated): for failure tests.
    pub fn start(
        database: Database,
        clock: Arc<FixedClock>,
        settings: HttpSettings,
        db: Option<TestDatabase>,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
        let port = listener
            .local_addr()
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("addr: {e}"));
        let state = AppState {
            db: database,
            clock: clock.clone(),
            timeout: Duration::from_secs(10),
        };
        let (tx, rx) = mpsc::channel();
        let thread = std::thread::spawn(move || {
            let system = actix_web::rt::System::new();
            system.block_on(async move {
                let server =
                    wsis::start(listener, state, settings).unwrap_or_else(|e| panic!("start: {e}"));
                let _ = tx.send(server.handle());
                let _ = server.await;
            });
        });
        let handle = rx
            .recv()
            .unwrap_or_else(|e| panic!("server did not start: {e}"));
        let client = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap_or_else(|e| panic!("client: {e}"));
        Self {
            base: format!("http://127.0.0.1:{port}"),
            client,
            clock,
            handle: Some(handle),
            thread: Some(thread),
            _db: db,
        }
    }

    /// An absolute URL for a path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// `GET path`.
    pub fn get(&self, path: &str) -> Response {
        self.send(self.client.get(self.url(path)))
    }

    /// Sends a request built on this app's client.
    pub fn send(&self, request: RequestBuilder) -> Response {
        request
            .send()
            .unwrap_or_else(|e| panic!("request failed: {e}"))
    }

    /// `GET path` expecting 200 and JSON.
    pub fn get_json(&self, path: &str) -> serde_json::Value {
        let response = self.get(path);
        assert_eq!(response.status().as_u16(), 200, "GET {path}");
        json(response)
    }
}

/// The body as JSON.
pub fn json(response: Response) -> serde_json::Value {
    response.json().unwrap_or_else(|e| panic!("not JSON: {e}"))
}

/// Asserts a problem+json response with `status` and `code`, and returns its body.
pub fn problem(response: Response, status: u16, code: &str) -> serde_json::Value {
    assert_eq!(response.status().as_u16(), status, "status");
    let content_type = header(&response, "content-type");
    assert_eq!(content_type, "application/problem+json", "content type");
    let request_id = header(&response, "x-request-id");
    let body = json(response);
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status, "{body}");
    assert_eq!(body["type"], format!("/problems/{code}"), "{body}");
    assert_eq!(body["request_id"], request_id.as_str(), "{body}");
    for member in ["title", "detail", "instance"] {
        assert!(
            body[member].as_str().is_some_and(|s| !s.is_empty()),
            "{member} in {body}"
        );
    }
    body
}

/// A response header as text ("" when absent).
pub fn header(response: &Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            // The stop command is sent at once; the thread ends when the server has stopped.
            drop(handle.stop(false));
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Declares an end-to-end test that runs once per backend: `mod NAME { fn sqlite(); fn postgres(); }`. The
/// PostgreSQL variant is ignored, with the reason shown, unless built with `WSIS_TEST_POSTGRES_URL` set.
#[macro_export]
macro_rules! e2e_test {
    ($(#[$meta:meta])* fn $name:ident($app:ident) $body:block) => {
        mod $name {
            use super::*;

            fn run($app: $crate::TestApp) $body

            #[test]
            $(#[$meta])*
            fn sqlite() {
                run($crate::TestApp::spawn($crate::Backend::Sqlite));
            }

            #[test]
            #[cfg_attr(not(pg_tests), ignore = "PostgreSQL skipped: set WSIS_TEST_POSTGRES_URL to run it")]
            $(#[$meta])*
            fn postgres() {
                run($crate::TestApp::spawn($crate::Backend::Postgres));
            }
        }
    };
}
