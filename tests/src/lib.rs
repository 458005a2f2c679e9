//! Helpers for the end-to-end suite: each test starts the real server (the same `wsis::start` the binary uses) on
//! a free loopback port, over a database of its own, with a clock the test controls, and talks to it over HTTP.

#![expect(
    clippy::panic,
    reason = "test support: a failed set-up must fail the test that asked for it"
)]

pub mod contract;
pub mod receiver;

use std::net::TcpListener;
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

use actix_web::dev::ServerHandle;
use chrono::{DateTime, Utc};
use reqwest::blocking::{Client, RequestBuilder, Response};
use wsis_domain::FixedClock;
use wsis_http::auth::{SigningKey, TokenIssuer};
use wsis_http::mail::{Mailer, Transport};
use wsis_http::{AppState, HttpSettings, Identity};
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
    /// A client as real ones are: it sends `Accept-Encoding: gzip, br` and decodes what it gets; it keeps no
    /// cookies and follows no redirects.
    pub client: Client,
    /// A client that asks for no encoding and decodes nothing, for checks of raw bytes and lengths.
    pub plain_client: Client,
    /// The server's clock.
    pub clock: Arc<FixedClock>,
    /// The server's identity services (its token issuer signs test tokens).
    pub identity: Arc<Identity>,
    /// The server's database pool (for set-up that has no API, such as creating staff).
    pub database: Database,
    /// Where mail lands as `.eml` files.
    pub outbox: std::path::PathBuf,
    _data: Option<tempfile::TempDir>,
    handle: Option<ServerHandle>,
    thread: Option<JoinHandle<()>>,
    _db: Option<TestDatabase>,
    /// The database's URL when another instance owns the test database.
    url_of_database: String,
}

/// The test signing key id.
pub const TEST_KID: &str = "test-key";

/// Identity services as tests use them: a fixed key, mail as files, the default throttling.
pub fn test_identity(transport: Transport) -> Identity {
    let key = SigningKey {
        kid: TEST_KID.into(),
        secret: secrecy::SecretSlice::from(vec![7u8; 32]),
    };
    Identity {
        tokens: TokenIssuer::new("wsis", "wsis-api", 900, &[key])
            .unwrap_or_else(|e| panic!("issuer: {e}")),
        hashing: wsis_http::auth::passwords::HashGate::new(2, 64),
        mailer: Mailer::new(transport, "WSIS <no-reply@wsis.invalid>")
            .unwrap_or_else(|e| panic!("mailer: {e}")),
        frontend_url: "https://frontend.example".into(),
        max_account_failures: 5,
        max_address_failures: 50,
        max_signups_per_address: 30,
        throttle_window: chrono::Duration::minutes(15),
        session_lifetime: chrono::Duration::days(30),
        trusted_proxies: wsis_http::client_address::parse_trusted("127.0.0.1, ::1")
            .unwrap_or_else(|e| panic!("proxies: {e}")),
    }
}

/// HTTP settings for tests: one worker, no signal handlers.
pub fn test_settings() -> HttpSettings {
    HttpSettings {
        workers: Some(1),
        handle_signals: false,
        ..HttpSettings::default()
    }
}

/// The pool tests use: small, so that many tests run side by side.
fn test_pool() -> PoolOptions {
    PoolOptions {
        max_size: 4,
        connection_timeout: Duration::from_secs(5),
    }
}

/// A fresh database of `backend`, migrated and seeded, with a test clock at [`DEFAULT_NOW`].
fn fresh(backend: TestBackend) -> (Database, Arc<FixedClock>, TestDatabase) {
    let db = TestDatabase::new(backend).unwrap_or_else(|e| panic!("test database: {e}"));
    let clock = Arc::new(FixedClock::new(at(DEFAULT_NOW)));
    let database = wsis::prepare_database(&db.url, &test_pool(), clock.as_ref())
        .unwrap_or_else(|e| panic!("prepare: {e}"));
    (database, clock, db)
}

impl TestApp {
    /// A server on a fresh, migrated and seeded database of `backend`.
    pub fn spawn(backend: TestBackend) -> Self {
        Self::spawn_with(backend, test_settings())
    }

    /// The same with other HTTP settings.
    pub fn spawn_with(backend: TestBackend, settings: HttpSettings) -> Self {
        let (database, clock, db) = fresh(backend);
        Self::start(database, clock, settings, Some(db))
    }

    /// A server with its background workers running (the change feed's watcher, the webhook deliveries), ticking
    /// every 50 ms, delivering webhooks to loopback addresses over http (test receivers), with a timeout of
    /// `timeout`.
    pub fn spawn_with_workers(backend: TestBackend, timeout: Duration) -> Self {
        let (database, clock, db) = fresh(backend);
        Self::start_workers(database, clock, Some(db), timeout)
    }

    /// Another instance with its workers over the database of a running one (its own pool, the same clock): for
    /// tests of several instances, and of a restart.
    pub fn another_instance(&self, timeout: Duration) -> Self {
        let database = Database::new(&self.database_url(), &test_pool())
            .unwrap_or_else(|e| panic!("pool: {e}"));
        let mut other = Self::start_workers(database, self.clock.clone(), None, timeout);
        other.url_of_database = self.database_url();
        other
    }

    fn start_workers(
        database: Database,
        clock: Arc<FixedClock>,
        db: Option<TestDatabase>,
        timeout: Duration,
    ) -> Self {
        let webhooks = wsis_http::changes::WebhookSettings {
            allow_private: true,
            timeout,
            tick: Duration::from_millis(50),
            ..wsis_http::changes::WebhookSettings::default()
        };
        Self::launch(
            database,
            clock.clone(),
            clock,
            test_settings(),
            db,
            webhooks,
            true,
        )
    }

    /// A server whose clock is the system's (for the few tests that must see real time pass); `clock` then only
    /// records when the server started.
    pub fn spawn_real_time(backend: TestBackend) -> Self {
        let db = TestDatabase::new(backend).unwrap_or_else(|e| panic!("test database: {e}"));
        let system: Arc<dyn wsis_domain::Clock> = Arc::new(wsis_domain::SystemClock);
        let pool = PoolOptions {
            max_size: 4,
            connection_timeout: Duration::from_secs(5),
        };
        let database = wsis::prepare_database(&db.url, &pool, system.as_ref())
            .unwrap_or_else(|e| panic!("prepare: {e}"));
        let clock = Arc::new(FixedClock::new(system.now()));
        Self::start_with_clock(database, system, clock, test_settings(), Some(db))
    }

    /// A server over `database` as given (not migrated): for failure tests.
    pub fn start(
        database: Database,
        clock: Arc<FixedClock>,
        settings: HttpSettings,
        db: Option<TestDatabase>,
    ) -> Self {
        Self::start_with_clock(database, clock.clone(), clock, settings, db)
    }

    fn start_with_clock(
        database: Database,
        server_clock: Arc<dyn wsis_domain::Clock>,
        clock: Arc<FixedClock>,
        settings: HttpSettings,
        db: Option<TestDatabase>,
    ) -> Self {
        // As in production: endpoints must be https on public hosts.
        let webhooks = wsis_http::changes::WebhookSettings::default();
        Self::launch(database, server_clock, clock, settings, db, webhooks, false)
    }

    fn launch(
        database: Database,
        server_clock: Arc<dyn wsis_domain::Clock>,
        clock: Arc<FixedClock>,
        settings: HttpSettings,
        db: Option<TestDatabase>,
        webhooks: wsis_http::changes::WebhookSettings,
        workers: bool,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
        let port = listener
            .local_addr()
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("addr: {e}"));
        let data = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
        let outbox = data.path().join("outbox");
        let identity = Arc::new(test_identity(Transport::Files(outbox.clone())));
        let state = AppState {
            db: database.clone(),
            clock: server_clock,
            timeout: Duration::from_secs(10),
            identity: identity.clone(),
            pages: Arc::new(wsis_http::responses::pages::Pages::new(
                wsis_http::responses::pages::DEFAULT_CAPACITY,
            )),
            gate: AppState::gate_for(&database),
            ready: Arc::new(std::sync::atomic::AtomicBool::new(true)),
            mail_queued: Arc::new(tokio::sync::Notify::new()),
            feed: Arc::default(),
            webhooks: Arc::new(webhooks),
        };
        let (tx, rx) = mpsc::channel();
        let thread = std::thread::spawn(move || {
            let system = actix_web::rt::System::new();
            system.block_on(async move {
                if workers {
                    wsis_http::changes::spawn_watcher(state.clone());
                    wsis_http::webhooks::spawn_worker(state.clone());
                }
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
            .gzip(true)
            .brotli(true)
            .build()
            .unwrap_or_else(|e| panic!("client: {e}"));
        let plain_client = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .gzip(false)
            .brotli(false)
            .build()
            .unwrap_or_else(|e| panic!("client: {e}"));
        Self {
            base: format!("http://127.0.0.1:{port}"),
            client,
            plain_client,
            clock,
            identity,
            database,
            outbox,
            _data: Some(data),
            handle: Some(handle),
            thread: Some(thread),
            _db: db,
            url_of_database: String::new(),
        }
    }

    /// The test database's URL.
    pub fn database_url(&self) -> String {
        self._db
            .as_ref()
            .map(|d| d.url.clone())
            .unwrap_or_else(|| self.url_of_database.clone())
    }

    /// An absolute URL for a path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// `GET path`.
    pub fn get(&self, path: &str) -> Response {
        self.send(self.client.get(self.url(path)))
    }

    /// Sends a request (built on any client) and holds its response against the contract: a status or a header
    /// the OpenAPI document does not declare for that operation fails the test ([`contract::undocumented`]).
    pub fn send(&self, request: RequestBuilder) -> Response {
        let (client, request) = request.build_split();
        let request = request.unwrap_or_else(|e| panic!("request not built: {e}"));
        let (method, path) = (
            request.method().as_str().to_owned(),
            request.url().path().to_owned(),
        );
        let response = client
            .execute(request)
            .unwrap_or_else(|e| panic!("request failed: {e}"));
        let undocumented = contract::undocumented(&method, &path, &response);
        assert!(
            undocumented.is_empty(),
            "the contract does not document what was answered:\n{}",
            undocumented.join("\n")
        );
        response
    }

    /// `GET path` expecting 200 and JSON.
    pub fn get_json(&self, path: &str) -> serde_json::Value {
        let response = self.get(path);
        assert_eq!(response.status().as_u16(), 200, "GET {path}");
        json(response)
    }
}

/// Sends a request through [`TestApp::send`], so that its answer is held against the contract, at the end of a
/// builder chain: `with(app.client.get(…), token).send_to(app)`.
pub trait SendTo {
    /// Sends it and returns the checked response.
    fn send_to(self, app: &TestApp) -> Response;
}

impl SendTo for RequestBuilder {
    fn send_to(self, app: &TestApp) -> Response {
        app.send(self)
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

impl TestApp {
    /// Stops the server (its workers with it), keeping the database: a crash or a restart, as far as the database can
    /// tell. Requests to it fail from now on.
    pub fn stop(&mut self) {
        if let Some(handle) = self.handle.take() {
            drop(handle.stop(false));
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
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

/// The password every test account uses.
pub const PASSWORD: &str = "correct horse battery staple";

/// A mail as the outbox delivered it.
#[derive(Debug, Clone)]
pub struct Mail {
    /// `To:`.
    pub to: String,
    /// `Subject:` (as sent; RFC 2047 encoded when not ASCII).
    pub subject: String,
    /// The decoded text body.
    pub body: String,
}

fn decode_body(encoding: &str, raw: &str) -> String {
    use base64::Engine;
    match encoding.to_ascii_lowercase().as_str() {
        "base64" => {
            let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(compact)
                .unwrap_or_default();
            String::from_utf8_lossy(&bytes).into_owned()
        }
        "quoted-printable" => {
            let joined = raw.replace("=\r\n", "").replace("=\n", "");
            let mut bytes = Vec::new();
            let mut chars = joined.as_bytes().iter().copied().peekable();
            while let Some(b) = chars.next() {
                if b == b'=' {
                    let hex: Vec<u8> = chars.by_ref().take(2).collect();
                    let parsed = std::str::from_utf8(&hex)
                        .ok()
                        .and_then(|h| u8::from_str_radix(h, 16).ok());
                    bytes.push(parsed.unwrap_or(b'?'));
                } else {
                    bytes.push(b);
                }
            }
            String::from_utf8_lossy(&bytes).into_owned()
        }
        _ => raw.to_owned(),
    }
}

/// The tokens of a signed-in session.
#[derive(Debug, Clone)]
pub struct Session {
    /// Access token.
    pub access: String,
    /// Refresh token.
    pub refresh: String,
    /// The user's id.
    pub user_id: String,
}

impl TestApp {
    /// Every mail, oldest first: what is still queued in the outbox is delivered first (the server's outbox worker
    /// does that in production; the test server runs none, so a test reads its mail deterministically).
    pub fn mails(&self) -> Vec<Mail> {
        let now = self.clock.peek();
        if let Err(error) =
            wsis_http::mail::deliver_pending(&self.database, &self.identity.mailer, now, None)
        {
            unreachable!("delivering the outbox failed: {error}");
        }
        let Ok(entries) = std::fs::read_dir(&self.outbox) else {
            return Vec::new();
        };
        let mut files: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|path| {
                let text = std::fs::read_to_string(path)
                    .unwrap_or_default()
                    .replace("\r\n", "\n");
                let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
                let header = |name: &str| {
                    head.lines()
                        .find_map(|l| l.strip_prefix(&format!("{name}: ")).map(str::to_owned))
                        .unwrap_or_default()
                };
                Mail {
                    to: header("To"),
                    subject: header("Subject"),
                    body: decode_body(&header("Content-Transfer-Encoding"), body),
                }
            })
            .collect()
    }

    /// The mails sent to `address`.
    pub fn mails_to(&self, address: &str) -> Vec<Mail> {
        self.mails()
            .into_iter()
            .filter(|m| m.to.contains(address))
            .collect()
    }

    /// The `token=` of the newest link mailed to `address`.
    pub fn mailed_token(&self, address: &str) -> String {
        let mails = self.mails_to(address);
        let mail = mails
            .last()
            .unwrap_or_else(|| panic!("no mail to {address}"));
        let start = mail
            .body
            .find("token=")
            .unwrap_or_else(|| panic!("no token in {}", mail.body))
            + 6;
        mail.body[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect()
    }

    /// Registers an account (English, password [`PASSWORD`]); returns its id.
    pub fn register(&self, email: &str) -> String {
        let body = serde_json::json!({"email": email, "password": PASSWORD, "display_name": "Test User", "language": "en"});
        // Each test user registers from an address of its own (behind the trusted loopback proxy), as people do:
        // the per-address limit of registrations is for one machine making many accounts.
        let digest = email
            .bytes()
            .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
        let [_, b, c, d] = digest.to_be_bytes();
        let response = self.send(
            self.client
                .post(self.url("/api/v1/auth/register"))
                .header("X-Forwarded-For", format!("10.{b}.{c}.{d}"))
                .json(&body),
        );
        assert_eq!(response.status().as_u16(), 202, "register {email}");
        // The answer is the same for every address; the id is read where the account is kept.
        self.database
            .with(|conn| wsis_persistence::users::find_user_by_email(conn, &email.to_lowercase()))
            .ok()
            .flatten()
            .map(|u| u.id)
            .unwrap_or_else(|| panic!("no account for {email}"))
    }

    /// Signs in; panics unless it succeeds.
    pub fn sign_in(&self, email: &str, password: &str) -> Session {
        let response = self.send(self.client.post(self.url("/api/v1/auth/token")).form(&[
            ("grant_type", "password"),
            ("username", email),
            ("password", password),
        ]));
        assert_eq!(response.status().as_u16(), 200, "sign in {email}");
        let tokens = json(response);
        let access = tokens["access_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let me = json(self.send(self.client.get(self.url("/api/v1/me")).bearer_auth(&access)));
        Session {
            access,
            refresh: tokens["refresh_token"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            user_id: me["account"]["id"].as_str().unwrap_or_default().to_owned(),
        }
    }

    /// Registers, verifies the address through the mailed link, and signs in.
    pub fn verified_user(&self, email: &str) -> Session {
        self.register(email);
        let token = self.mailed_token(email);
        let response = self.send(
            self.client
                .post(self.url("/api/v1/auth/verify-email"))
                .json(&serde_json::json!({"token": token})),
        );
        assert_eq!(response.status().as_u16(), 200, "verify {email}");
        self.sign_in(email, PASSWORD)
    }

    /// A staff account (created as `wsis admin create-staff` does) and its session.
    pub fn staff(&self, email: &str) -> Session {
        wsis::create_staff(
            &self.database,
            email,
            "Staff",
            "en",
            PASSWORD,
            self.clock.as_ref(),
        )
        .unwrap_or_else(|e| panic!("create staff: {e}"));
        self.sign_in(email, PASSWORD)
    }

    /// Creates an organisation as `session`; returns its id.
    pub fn organisation(&self, session: &Session, name: &str) -> String {
        let body = serde_json::json!({"name": name, "stakeholder_category": "civil_society", "country": "KE"});
        let response = self.send(
            self.client
                .post(self.url("/api/v1/organisations"))
                .bearer_auth(&session.access)
                .json(&body),
        );
        assert_eq!(response.status().as_u16(), 201, "create organisation");
        json(response)["id"].as_str().unwrap_or_default().to_owned()
    }
}
