use std::sync::Arc;
use std::time::Duration;

use wsis_domain::FixedClock;
use wsis_e2e::{DEFAULT_NOW, TestApp, at, e2e_test, header, json, problem, test_settings};
use wsis_persistence::{Database, PoolOptions};

e2e_test! {
    fn liveness_and_readiness_answer(app) {
        let live = app.get("/health/live");
        assert_eq!(live.status().as_u16(), 200);
        assert_eq!(header(&live, "cache-control"), "no-store");
        assert_eq!(json(live)["status"], "ok");
        let ready = json(app.get("/health/ready"));
        assert_eq!(ready["status"], "ok");
        assert!(["sqlite", "postgres"].contains(&ready["database"].as_str().unwrap()), "{ready}");
    }
}

e2e_test! {
    fn every_response_carries_a_request_id_and_a_given_one_is_kept(app) {
        let fresh = header(&app.get("/health/live"), "x-request-id");
        assert_eq!(fresh.len(), 36, "a UUID: {fresh}");
        let echoed = app.send(app.client.get(app.url("/health/live")).header("X-Request-Id", "partner-abc.123"));
        assert_eq!(header(&echoed, "x-request-id"), "partner-abc.123");
        let refused = app.send(app.client.get(app.url("/health/live")).header("X-Request-Id", "bad id with spaces"));
        assert_ne!(header(&refused, "x-request-id"), "bad id with spaces");
        let missing = app.get("/nowhere");
        let id = header(&missing, "x-request-id");
        let body = problem(missing, 404, "not_found");
        assert_eq!(body["request_id"], id.as_str());
    }
}

/// A database that cannot be reached answers 503 problems with `Retry-After`, never a 500 and never the cause.
#[test]
fn an_unreachable_database_gives_503_problems() {
    let options = PoolOptions {
        max_size: 1,
        connection_timeout: Duration::from_millis(300),
    };
    let database = Database::new(
        "postgres://wsis:s3cret@127.0.0.1:1/none?connect_timeout=1",
        &options,
    )
    .unwrap();
    let app = TestApp::start(
        database,
        Arc::new(FixedClock::new(at(DEFAULT_NOW))),
        test_settings(),
        None,
    );
    assert_eq!(
        app.get("/health/live").status().as_u16(),
        200,
        "liveness does not need the database"
    );
    for path in ["/health/ready", "/api/v1/calls", "/api/v1/reference/sdgs"] {
        let response = app.get(path);
        assert_eq!(header(&response, "retry-after"), "5", "{path}");
        let body = problem(response, 503, "service_unavailable");
        let text = body.to_string();
        assert!(
            !text.contains("s3cret") && !text.contains("127.0.0.1:1") && !text.contains("connect"),
            "{text}"
        );
    }
}

/// PostgreSQL's backends are killed under load (an operator's `pg_terminate_backend`, a failover): every request
/// answers 200 or 503 with `Retry-After`, never 500, and the service recovers by itself.
#[test]
#[cfg_attr(
    not(pg_tests),
    ignore = "PostgreSQL skipped: set WSIS_TEST_POSTGRES_URL to run it"
)]
fn killed_database_sessions_answer_503_and_the_service_recovers() {
    let app = wsis_e2e::TestApp::spawn(wsis_e2e::Backend::Postgres);
    let url = app.database_url();
    let paths = [
        "/api/v1/calls/wsis-2025",
        "/health/ready",
        "/api/v1/stocktaking/projects?q=library",
        "/api/v1/calls/wsis-2025/stats",
    ];
    let statuses = std::sync::Mutex::new(Vec::new());
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        for worker in 0..4 {
            let (app, statuses, stop) = (&app, &statuses, &stop);
            s.spawn(move || {
                let mut i = worker;
                while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    let response = app.get(paths[i % paths.len()]);
                    let status = response.status().as_u16();
                    let retry = response.headers().contains_key("retry-after");
                    statuses.lock().unwrap().push((status, retry));
                    i += 1;
                }
            });
        }
        for _ in 0..5 {
            let ended = wsis_persistence::testing::terminate_other_sessions(&url).unwrap();
            let _ = ended;
            std::thread::sleep(std::time::Duration::from_millis(150));
        }
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
    });
    let statuses = statuses.into_inner().unwrap();
    assert!(statuses.len() > 20, "load ran: {}", statuses.len());
    for (status, retry) in &statuses {
        assert!(matches!(status, 200 | 503), "never a 500: {statuses:?}");
        if *status == 503 {
            assert!(retry, "503 carries Retry-After");
        }
    }
    // Recovered: every path answers at once, with no restart.
    for path in paths {
        assert_eq!(
            app.get(path).status().as_u16(),
            200,
            "{path} after the faults"
        );
    }
}
