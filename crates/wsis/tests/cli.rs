#![expect(
    clippy::unwrap_used,
    reason = "a test fails loudly where its assumption breaks"
)]
//! The `wsis` binary itself: its commands, its configuration errors, and a graceful stop on SIGTERM.

use std::io::Read;
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_wsis");

/// A loopback port nobody listens on now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wsis(args: &[&str], dir: &std::path::Path) -> Command {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    command
}

#[test]
fn openapi_writes_the_committed_document() {
    let dir = tempfile::tempdir().unwrap();
    let output = wsis(&["openapi", "--output", "-"], dir.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    let committed = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../openapi/openapi.json"
    ))
    .unwrap();
    assert!(
        output.stdout == committed,
        "run `cargo run -p wsis -- openapi` and commit openapi/openapi.json"
    );
    let status = wsis(&["openapi"], dir.path()).status().unwrap();
    assert!(status.success());
    assert_eq!(
        std::fs::read(dir.path().join("openapi/openapi.json")).unwrap(),
        committed
    );
}

#[test]
fn migrate_creates_and_seeds_the_embedded_database_idempotently() {
    let dir = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        let output = wsis(&["migrate", "--data-dir", "state"], dir.path())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert!(dir.path().join("state/wsis.sqlite3").exists());
}

#[test]
fn configuration_errors_are_all_reported_and_secrets_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let output = wsis(&["migrate"], dir.path())
        .env("DATABASE_URL", "mysql://root:hunter2@db/wsis")
        .env("WSIS_LOG_FORMAT", "yaml")
        .env("WSIS_DB_POOL_SIZE", "zero")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    for variable in ["DATABASE_URL", "WSIS_LOG_FORMAT", "WSIS_DB_POOL_SIZE"] {
        assert!(
            stderr.contains(variable),
            "{variable} missing from: {stderr}"
        );
    }
    assert!(!stderr.contains("hunter2"), "{stderr}");
}

#[test]
fn serve_answers_and_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = wsis(
        &["serve", "--listen", &format!("127.0.0.1:{port}")],
        dir.path(),
    )
    .env("WSIS_LOG_FORMAT", "json")
    .env("WSIS_WORKERS", "1")
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let client = reqwest::blocking::Client::new();
    let url = format!("http://127.0.0.1:{port}/api/v1/calls/wsis-2025/tracks");
    let started = Instant::now();
    let body = loop {
        match client.get(&url).send() {
            Ok(response) => break response.text().unwrap(),
            Err(_) if started.elapsed() < Duration::from_secs(30) => {
                std::thread::sleep(Duration::from_millis(50))
            }
            Err(err) => panic!("server did not come up: {err}"),
        }
    };
    assert!(
        body.contains("\"closes_at_local\":\"2025-03-14T23:59:59+01:00\""),
        "{body}"
    );
    assert!(
        dir.path().join("data/wsis.sqlite3").exists(),
        "the default data directory holds the SQLite file"
    );
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "still running after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    let mut logs = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut logs)
        .unwrap();
    let lines: Vec<serde_json::Value> = logs
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l["message"] == "request completed" && l["span"]["request.id"].is_string()),
        "{logs}"
    );
    assert!(lines.iter().any(|l| l["message"] == "stopped"), "{logs}");
}

wsis_persistence::backend_test! {
    fn admin_create_staff_reads_the_password_from_stdin(test_db) {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let create = |email: &str, password: &str| {
            let mut child = wsis(&["admin", "create-staff", "--email", email, "--name", "Head of Stocktaking"], dir.path())
                .env("DATABASE_URL", &test_db.url)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            child.stdin.take().unwrap().write_all(format!("{password}\n").as_bytes()).unwrap();
            child.wait_with_output().unwrap()
        };
        let output = create("chief@example.org", "correct horse battery staple");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(stdout.contains("staff account") && stdout.contains("chief@example.org"), "{stdout}");
        let logs = String::from_utf8_lossy(&output.stderr);
        assert!(!logs.contains("correct horse"), "the password is never printed: {logs}");

        let again = create("chief@example.org", "correct horse battery staple");
        assert!(!again.status.success());
        assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
        let weak = create("weak@example.org", "short");
        assert!(!weak.status.success());
        assert!(String::from_utf8_lossy(&weak.stderr).contains("not acceptable"));

        let database = wsis_persistence::Database::new(&test_db.url, &wsis_persistence::PoolOptions::default()).unwrap();
        let users = database.with(wsis_persistence::users::list_users).unwrap();
        assert_eq!(users.len(), 1);
        assert_eq!(users[0].1, [wsis_domain::UserRole::Staff]);
        assert!(users[0].0.email_verified_at.is_some());
    }
}

/// `wsis seed-demo --projects N` in `dir`; panics with its output unless it succeeds.
fn seed_demo(dir: &std::path::Path, projects: usize) {
    let seeded = wsis(&["seed-demo", "--projects", &projects.to_string()], dir)
        .output()
        .unwrap();
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
}

/// `wsis serve` in `dir` on a free port (one worker, output discarded), once it answers `path`.
fn serve_until(dir: &std::path::Path, path: &str) -> (std::process::Child, u16) {
    let port = free_port();
    let child = wsis(&["serve", "--listen", &format!("127.0.0.1:{port}")], dir)
        .env("WSIS_WORKERS", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let client = reqwest::blocking::Client::new();
    let started = Instant::now();
    while client
        .get(format!("http://127.0.0.1:{port}{path}"))
        .send()
        .map_or(true, |r| !r.status().is_success())
    {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "server did not come up"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (child, port)
}

#[test]
fn sigterm_lets_a_request_in_flight_finish() {
    use std::io::Read as _;
    let dir = tempfile::tempdir().unwrap();
    seed_demo(dir.path(), 8000);
    let (mut child, port) = serve_until(dir.path(), "/health/live");
    let client = reqwest::blocking::Client::new();
    // A long streamed export is under way when the stop signal arrives…
    let mut response = client
        .get(format!(
            "http://127.0.0.1:{port}/api/v1/stocktaking/projects/export?format=jsonl"
        ))
        .send()
        .unwrap();
    let mut first = [0u8; 64];
    response.read_exact(&mut first).unwrap();
    assert!(
        Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
    // The export (about 4 MB) is larger than the socket buffers: while we wait, the server can only be holding the
    // rest, not having sent it.
    std::thread::sleep(Duration::from_secs(1));
    // …and still completes: every project arrives.
    let mut rest = String::new();
    response.read_to_string(&mut rest).unwrap();
    let body = format!("{}{rest}", String::from_utf8_lossy(&first));
    assert_eq!(body.lines().count(), 8000);
    assert!(child.wait().unwrap().success());
    assert!(
        client
            .get(format!("http://127.0.0.1:{port}/health/live"))
            .send()
            .is_err(),
        "no new requests after the stop"
    );
}

/// Forwards every connection made to `listener` to `target` (a stand-in for a database host that comes up late).
fn forward(listener: TcpListener, target: &'static str) {
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(client) = client else { return };
            let Ok(server) = std::net::TcpStream::connect(target) else {
                continue;
            };
            let (mut c_read, mut s_write) =
                (client.try_clone().unwrap(), server.try_clone().unwrap());
            let (mut s_read, mut c_write) = (server, client);
            std::thread::spawn(move || std::io::copy(&mut c_read, &mut s_write));
            std::thread::spawn(move || std::io::copy(&mut s_read, &mut c_write));
        }
    });
}

#[test]
#[cfg_attr(
    not(pg_tests),
    ignore = "PostgreSQL skipped: set WSIS_TEST_POSTGRES_URL to run it"
)]
fn serve_waits_for_a_database_that_is_not_up_yet() {
    let test_db = wsis_persistence::testing::TestDatabase::new(
        wsis_persistence::testing::TestBackend::Postgres,
    )
    .unwrap();
    // The database's host is down at start: nothing listens on this port yet.
    let db_port = free_port();
    let url = test_db
        .url
        .replace("127.0.0.1:5432", &format!("127.0.0.1:{db_port}"));
    assert_ne!(url, test_db.url, "the test database is on 127.0.0.1:5432");
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = wsis(
        &["serve", "--listen", &format!("127.0.0.1:{port}")],
        dir.path(),
    )
    .env("DATABASE_URL", &url)
    .env("WSIS_WORKERS", "1")
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .spawn()
    .unwrap();
    let client = reqwest::blocking::Client::new();
    let get = |path: &str| client.get(format!("http://127.0.0.1:{port}{path}")).send();
    let started = Instant::now();
    let live = loop {
        match get("/health/live") {
            Ok(response) => break response,
            Err(_) if started.elapsed() < Duration::from_secs(30) => {
                std::thread::sleep(Duration::from_millis(50))
            }
            Err(err) => panic!("the server did not start without its database: {err}"),
        }
    };
    assert_eq!(
        live.status().as_u16(),
        200,
        "alive while the database is away"
    );
    for path in ["/health/ready", "/api/v1/calls"] {
        let response = get(path).unwrap();
        assert_eq!(response.status().as_u16(), 503, "{path}");
        assert!(response.headers().contains_key("retry-after"), "{path}");
    }
    assert!(child.try_wait().unwrap().is_none(), "still running");
    // The database's host comes up: the server finds it by itself, migrates and seeds, and serves.
    forward(
        TcpListener::bind(("127.0.0.1", db_port)).unwrap(),
        "127.0.0.1:5432",
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if get("/health/ready").unwrap().status().as_u16() == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "the server did not recover");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        get("/api/v1/calls/wsis-2025").unwrap().status().as_u16(),
        200
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn mail_a_request_queues_is_delivered_at_once_not_at_the_next_round() {
    let dir = tempfile::tempdir().unwrap();
    seed_demo(dir.path(), 1);
    let (mut child, port) = serve_until(dir.path(), "/health/ready");
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let client = reqwest::blocking::Client::new();
    // The outbox worker's round is 30 s and its first one runs at start: let it pass.
    std::thread::sleep(Duration::from_millis(500));
    let outbox = dir.path().join("data/outbox");
    let letters = || -> Vec<String> {
        std::fs::read_dir(&outbox)
            .map(|entries| {
                entries
                    .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert!(letters().is_empty(), "the seeder's mail was discarded");

    // The demo owner submits a pledge…
    let tokens: serde_json::Value = client
        .post(format!("{base}/auth/token"))
        .form(&[
            ("grant_type", "password"),
            ("username", "demo-owner@wsis.invalid"),
            ("password", "demo account, not for production"),
        ])
        .send()
        .unwrap()
        .json()
        .unwrap();
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let me: serde_json::Value = client
        .get(format!("{base}/me"))
        .bearer_auth(&access)
        .send()
        .unwrap()
        .json()
        .unwrap();
    let year = chrono::Utc::now().format("%Y").to_string();
    let draft: serde_json::Value = client
        .post(format!("{base}/submissions"))
        .bearer_auth(&access)
        .json(&serde_json::json!({
            "call": format!("demo-{year}"), "track": "trust_fund", "language": "en",
            "organisation_id": me["organisations"][0]["id"],
            "content": {"kind": "financial", "amount": "1000", "currency": "CHF"}
        }))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let receipt: serde_json::Value = client
        .post(format!(
            "{base}/submissions/{}/submit",
            draft["id"].as_str().unwrap()
        ))
        .bearer_auth(&access)
        .send()
        .unwrap()
        .json()
        .unwrap();
    let number = receipt["number"].as_str().unwrap().to_owned();
    // …and its receipt mail, queued with the submit and not delivered in the request, is delivered by the worker
    // woken at once, long before its next round.
    let submitted = Instant::now();
    while !letters().iter().any(|l| l.contains(&number)) {
        assert!(
            submitted.elapsed() < Duration::from_secs(10),
            "the receipt {number} was not delivered: {:?}",
            letters()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
}
