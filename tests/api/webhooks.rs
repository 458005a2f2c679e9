//! Webhooks (docs/changes.md): a receiver in the test process gets every change its endpoint wants, once and in
//! order, signed as the Standard Webhooks reference library verifies; failures are retried with backoff, a day of
//! them disables the endpoint and tells its owner; a restarted server resumes; two instances deliver each event once.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wsis_domain::Clock;
use wsis_e2e::receiver::{Answer, Delivery, Receiver};
use wsis_e2e::{Session, TestApp, at, header, json as body_json, problem};

use crate::changes::{accept, client_token, draft, follow, partner, partner_credentials, submit};

const WAIT: Duration = Duration::from_secs(30);

fn register(app: &TestApp, token: &str, body: Value) -> Value {
    let response = app.send(
        app.client
            .post(app.url("/api/v1/webhooks"))
            .bearer_auth(token)
            .json(&body),
    );
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(header(&response, "cache-control"), "no-store");
    let location = header(&response, "location");
    let endpoint = body_json(response);
    assert_eq!(
        location,
        format!("/api/v1/webhooks/{}", endpoint["id"].as_str().unwrap())
    );
    assert!(endpoint["secret"].as_str().unwrap().starts_with("whsec_"));
    endpoint
}

fn endpoint(app: &TestApp, token: &str, id: &str) -> Value {
    body_json(
        app.send(
            app.client
                .get(app.url(&format!("/api/v1/webhooks/{id}")))
                .bearer_auth(token),
        ),
    )
}

fn log(app: &TestApp, token: &str, id: &str) -> Vec<Value> {
    body_json(
        app.send(
            app.client
                .get(app.url(&format!("/api/v1/webhooks/{id}/deliveries?limit=200")))
                .bearer_auth(token),
        ),
    )["items"]
        .as_array()
        .unwrap()
        .clone()
}

/// Waits (a bounded while) until the endpoint's log satisfies `done`: the log is written when the receiver's answer
/// is in, just after the receiver has seen the request.
fn log_until(app: &TestApp, token: &str, id: &str, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let deadline = Instant::now() + WAIT;
    loop {
        let lines = log(app, token, id);
        if done(&lines) || Instant::now() > deadline {
            return lines;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

fn endpoint_until(app: &TestApp, token: &str, id: &str, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + WAIT;
    loop {
        let found = endpoint(app, token, id);
        if done(&found) || Instant::now() > deadline {
            return found;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// The ids of the deliveries the receiver acknowledged (2xx in time: an answer it held back was after the sender's
/// timeout), in order of arrival.
fn acknowledged(got: &[Delivery]) -> Vec<String> {
    got.iter()
        .filter(|d| (200..300).contains(&d.answered) && d.delayed.is_zero())
        .map(|d| d.id.clone())
        .collect()
}

fn feed_ids(app: &TestApp, token: &str) -> Vec<String> {
    follow(app, Some(token), "", 500)
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

/// The ids of the feed's `submission.submitted` events, as `token` sees them.
fn submitted_ids(app: &TestApp, token: &str) -> Vec<String> {
    follow(app, Some(token), "type=submission.submitted", 500)
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

fn setup(app: &TestApp) -> (Session, Session, String) {
    app.clock.set(at("2025-02-01T10:00:00Z"));
    let staff = app.staff("staff@example.org");
    let owner = app.verified_user("owner@example.org");
    let org = app.organisation(&owner, "Knowledge Commons");
    (staff, owner, org)
}

macro_rules! with_workers {
    ($(#[$meta:meta])* fn $name:ident($app:ident, $timeout:expr) $body:block) => {
        mod $name {
            use super::*;

            fn run($app: TestApp) $body

            #[test]
            fn sqlite() {
                run(TestApp::spawn_with_workers(wsis_e2e::Backend::Sqlite, $timeout));
            }

            #[test]
            #[cfg_attr(not(pg_tests), ignore = "PostgreSQL skipped: set WSIS_TEST_POSTGRES_URL to run it")]
            fn postgres() {
                run(TestApp::spawn_with_workers(wsis_e2e::Backend::Postgres, $timeout));
            }
        }
    };
}

with_workers! {
    fn every_change_is_delivered_once_in_order_and_signed(app, Duration::from_secs(5)) {
        let (staff, owner, org) = setup(&app);
        let receiver = Receiver::start();
        let staffs = register(&app, &staff.access, json!({"url": receiver.url, "description": "everything"}));
        let secret = staffs["secret"].as_str().unwrap().to_owned();
        let id = staffs["id"].as_str().unwrap().to_owned();
        // A partner limited to C3 registers its own endpoint: it gets what it may see.
        let unesco = partner(&app, &staff, json!(["submissions:read"]), Some(json!(["C3"])));
        let theirs_receiver = Receiver::start();
        let theirs = register(&app, &unesco, json!({"url": theirs_receiver.url, "types": ["submission.submitted", "repository.published"]}));

        let schools = draft(&app, &owner, &org, "Schools online", &["C3"]);
        submit(&app, &owner, &schools);
        accept(&app, &staff, &schools);
        let clinics = draft(&app, &owner, &org, "Clinics online", &["C5"]);
        submit(&app, &owner, &clinics);

        // Staff's endpoint: what staff see in the feed (submitted entries, never drafts), the same events in order.
        let got = receiver.wait_for(4, WAIT);
        assert_eq!(acknowledged(&got), feed_ids(&app, &staff.access));
        let types: Vec<&str> = got.iter().map(|d| d.json["type"].as_str().unwrap()).collect();
        assert_eq!(types, ["submission.submitted", "submission.decided", "repository.published", "submission.submitted"]);
        for delivery in &got {
            assert!(delivery.verifies_with(&secret), "the reference library refused {delivery:?}");
            assert!(!delivery.verifies_with("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
            assert_eq!(delivery.id, delivery.json["id"].as_str().unwrap());
            assert_eq!(delivery.content_type, "application/json");
        }
        let seqs: Vec<i64> = got.iter().map(|d| d.json["seq"].as_i64().unwrap()).collect();
        assert!(seqs.windows(2).all(|w| w[0] < w[1]));
        // The object as it is when delivered (the first delivery may come before or after the acceptance).
        assert_eq!(got[0].json["data"]["id"], schools.as_str());
        assert_eq!(got[1].json["data"]["status"], "accepted");
        assert_eq!(got[2].json["data"]["title"], "Schools online");

        // The partner's: its line and its types only.
        let theirs_got = theirs_receiver.wait_for(2, WAIT);
        let types: Vec<&str> = theirs_got.iter().map(|d| d.json["type"].as_str().unwrap()).collect();
        assert_eq!(types, ["submission.submitted", "repository.published"]);
        assert!(theirs_got.iter().all(|d| d.json["object"]["id"] == schools.as_str()));
        assert!(theirs_got.iter().all(|d| d.verifies_with(theirs["secret"].as_str().unwrap())));

        // The log: one line per attempt, newest first.
        let lines = log_until(&app, &staff.access, &id, |l| l.len() == 4);
        assert_eq!(lines.len(), 4);
        assert!(lines.iter().all(|l| l["status"] == "succeeded" && l["http_status"] == 204 && l["attempt"] == 1 && l["kind"] == "feed"));
        assert!(lines.iter().all(|l| l["latency_ms"].as_i64().unwrap() >= 0));
        assert_eq!(lines[0]["event_id"], got[3].id.as_str());
        assert_eq!(lines[0]["response_excerpt"], "", "a 204 has no body");
        // Staff see every endpoint; a partner only its own, and not staff's.
        assert_eq!(body_json(app.send(app.client.get(app.url("/api/v1/webhooks")).bearer_auth(&staff.access)))["items"].as_array().unwrap().len(), 2);
        let listed = body_json(app.send(app.client.get(app.url("/api/v1/webhooks")).bearer_auth(&unesco)));
        assert_eq!(listed["items"].as_array().unwrap().len(), 1);
        assert!(listed["items"][0].get("secret").is_none(), "a secret is shown once");
        problem(app.send(app.client.get(app.url(&format!("/api/v1/webhooks/{id}"))).bearer_auth(&unesco)), 404, "not_found");

        // A ping.
        let ping = app.send(app.client.post(app.url(&format!("/api/v1/webhooks/{id}/ping"))).bearer_auth(&staff.access));
        assert_eq!(ping.status().as_u16(), 202);
        let ping = body_json(ping);
        assert_eq!(ping["status"], "pending");
        let got = receiver.wait_for(5, WAIT);
        assert_eq!(got[4].json["type"], "ping");
        assert_eq!(got[4].json["data"]["endpoint"], id.as_str());
        assert!(got[4].verifies_with(&secret));
        let lines = log_until(&app, &staff.access, &id, |l| l.iter().any(|x| x["kind"] == "ping" && x["status"] == "succeeded"));
        assert!(lines.iter().any(|x| x["id"] == ping["id"] && x["status"] == "succeeded"));
        // A redelivery: the same event, the same `webhook-id`, once more; a ping is not redelivered.
        let first = lines.iter().find(|l| l["event_id"] == got[0].id.as_str()).unwrap();
        let again = app.send(app.client.post(app.url(&format!("/api/v1/webhooks/{id}/deliveries/{}/redeliver", first["id"].as_str().unwrap()))).bearer_auth(&staff.access));
        assert_eq!(again.status().as_u16(), 202);
        let got = receiver.wait_for(6, WAIT);
        assert_eq!(got[5].id, got[0].id);
        assert!(got[5].verifies_with(&secret));
        problem(app.send(app.client.post(app.url(&format!("/api/v1/webhooks/{id}/deliveries/{}/redeliver", ping["id"].as_str().unwrap()))).bearer_auth(&staff.access)), 409, "invalid_transition");
        problem(app.send(app.client.post(app.url(&format!("/api/v1/webhooks/{id}/deliveries/0193a0c4-0000-7000-8000-000000000000/redeliver"))).bearer_auth(&staff.access)), 404, "not_found");

        // Rotation with the default overlap: both secrets sign meanwhile.
        let rotated = body_json(app.send(app.client.post(app.url(&format!("/api/v1/webhooks/{id}/secret:rotate"))).bearer_auth(&staff.access)));
        let newer = rotated["secret"].as_str().unwrap().to_owned();
        assert_ne!(newer, secret);
        assert_eq!(rotated["secrets"].as_array().unwrap().len(), 2);
        assert_eq!(rotated["secrets"][1]["expires_at"], "2025-02-02T10:00:00Z");
        let extra = draft(&app, &owner, &org, "Libraries online", &["C3"]);
        submit(&app, &owner, &extra);
        let got = receiver.wait_for(7, WAIT);
        assert_eq!(got[6].signature.split(' ').count(), 2);
        assert!(got[6].verifies_with(&newer) && got[6].verifies_with(&secret));
        // Rotation without overlap: only the newest signs.
        let newest = body_json(app.send(app.client.post(app.url(&format!("/api/v1/webhooks/{id}/secret:rotate?overlap_seconds=0"))).bearer_auth(&staff.access)))["secret"]
            .as_str()
            .unwrap()
            .to_owned();
        let ping = app.send(app.client.post(app.url(&format!("/api/v1/webhooks/{id}/ping"))).bearer_auth(&staff.access));
        assert_eq!(ping.status().as_u16(), 202);
        let got = receiver.wait_for(8, WAIT);
        assert!(got[7].verifies_with(&newest));
        assert!(!got[7].verifies_with(&newer) && !got[7].verifies_with(&secret));
        problem(app.send(app.client.post(app.url(&format!("/api/v1/webhooks/{id}/secret:rotate?overlap_seconds=604801"))).bearer_auth(&staff.access)), 422, "validation_failed");
        // Nothing was delivered twice but the redelivery asked for.
        assert_eq!(receiver.received().len(), 8);

        // The log keeps its lines for 30 days (docs/privacy.md), then the retention sweep deletes them.
        let theirs_id = theirs["id"].as_str().unwrap().to_owned();
        let logged = log(&app, &staff.access, &id).len() + log(&app, &staff.access, &theirs_id).len();
        assert!(logged >= 10, "{logged}");
        let sweep = |app: &TestApp| app.database.with(|conn| wsis_app::accounts::sweep_retention(conn, app.clock.now())).unwrap();
        app.clock.advance(chrono::Duration::days(29));
        assert_eq!(sweep(&app).deliveries, 0);
        app.clock.advance(chrono::Duration::days(2));
        assert_eq!(sweep(&app).deliveries, logged);
        let staff = app.sign_in("staff@example.org", wsis_e2e::PASSWORD);
        assert!(log(&app, &staff.access, &id).is_empty());
        assert!(log(&app, &staff.access, &theirs_id).is_empty());
    }
}

with_workers! {
    fn failures_are_retried_with_backoff_and_a_day_of_them_disables_the_endpoint(app, Duration::from_secs(1)) {
        let (staff, owner, org) = setup(&app);
        let receiver = Receiver::start();
        let hook = register(&app, &staff.access, json!({"url": receiver.url, "types": ["submission.submitted"]}));
        let id = hook["id"].as_str().unwrap().to_owned();
        // A 500, then an answer slower than the timeout, then 204s.
        receiver.plan(&[
            Answer { status: 500, delay: Duration::ZERO },
            Answer { status: 204, delay: Duration::from_millis(2500) },
        ]);
        let first = draft(&app, &owner, &org, "First", &["C3"]);
        submit(&app, &owner, &first);
        let second = draft(&app, &owner, &org, "Second", &["C3"]);
        submit(&app, &owner, &second);

        assert_eq!(receiver.wait_for(1, WAIT).len(), 1);
        let failing = endpoint_until(&app, &staff.access, &id, |e| !e["failing_since"].is_null());
        assert_eq!(failing["failing_since"], "2025-02-01T10:00:00Z");
        let due: chrono::DateTime<chrono::Utc> = failing["next_attempt_at"].as_str().unwrap().parse().unwrap();
        assert!(due > app.clock.now(), "the retry waits for its backoff");
        // Not before it is due: the second event waits behind the first.
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(receiver.received().len(), 1);
        app.clock.advance(chrono::Duration::seconds(2));
        assert_eq!(receiver.wait_for(2, WAIT).len(), 2);
        let lines = log_until(&app, &staff.access, &id, |l| l.len() == 2);
        assert_eq!(lines[0]["attempt"], 2);
        assert_eq!(lines[0]["status"], "failed");
        assert!(lines[0]["error"].as_str().unwrap().starts_with("timed out"), "{}", lines[0]);
        assert_eq!(lines[1]["http_status"], 500);
        assert_eq!(lines[1]["response_excerpt"], "answered 500");
        app.clock.advance(chrono::Duration::seconds(5));
        let got = receiver.wait_for(4, WAIT);
        // Each event acknowledged once, in order; the first was tried three times.
        let feed = feed_ids(&app, &staff.access);
        assert_eq!(acknowledged(&got), feed);
        assert_eq!(got.iter().filter(|d| d.id == feed[0]).count(), 3);
        let healthy = endpoint_until(&app, &staff.access, &id, |e| e["failing_since"].is_null());
        assert!(healthy["failing_since"].is_null());

        // A receiver down for a day: the endpoint is disabled and staff are told.
        receiver.plan(&[Answer { status: 503, delay: Duration::ZERO }; 100]);
        let third = draft(&app, &owner, &org, "Third", &["C3"]);
        submit(&app, &owner, &third);
        assert_eq!(receiver.wait_for(5, WAIT).len(), 5);
        endpoint_until(&app, &staff.access, &id, |e| !e["failing_since"].is_null());
        app.clock.advance(chrono::Duration::hours(24) + chrono::Duration::minutes(1));
        // A day on, access tokens have long expired.
        let staff = app.sign_in("staff@example.org", wsis_e2e::PASSWORD);
        let owner = app.sign_in("owner@example.org", wsis_e2e::PASSWORD);
        let disabled = endpoint_until(&app, &staff.access, &id, |e| e["status"] == "disabled");
        assert_eq!(disabled["status"], "disabled");
        assert!(disabled["disabled_reason"].as_str().unwrap().contains("failing since 2025-02-01T10:00:07Z"), "{disabled}");
        let told = app.mails_to("staff@example.org");
        assert!(told.iter().any(|m| m.subject.contains("Webhook endpoint disabled") && m.body.contains(&receiver.url)), "{told:?}");
        // And in staff's feed.
        let events = follow(&app, Some(&staff.access), "type=webhook.disabled", 100);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0]["object"]["id"], id.as_str());
        // Disabled, it gets nothing; enabled again, it resumes where it stopped, in order.
        let fourth = draft(&app, &owner, &org, "Fourth", &["C3"]);
        submit(&app, &owner, &fourth);
        std::thread::sleep(Duration::from_millis(300));
        let before = receiver.received().len();
        receiver.clear_plan();
        let enabled = body_json(app.send(app.client.patch(app.url(&format!("/api/v1/webhooks/{id}"))).bearer_auth(&staff.access).json(&json!({"active": true}))));
        assert_eq!(enabled["status"], "active");
        let got = receiver.wait_for(before + 2, WAIT);
        assert_eq!(acknowledged(&got), submitted_ids(&app, &staff.access));
    }
}

with_workers! {
    fn a_partner_is_told_in_its_feed_and_at_its_other_endpoints_when_one_is_disabled(app, Duration::from_secs(1)) {
        let (staff, owner, org) = setup(&app);
        let (unesco_id, unesco_secret) = partner_credentials(&app, &staff, json!(["submissions:read"]), None);
        let (undp_id, undp_secret) = partner_credentials(&app, &staff, json!(["submissions:read"]), None);
        let unesco = client_token(&app, &unesco_id, &unesco_secret);
        let down = Receiver::start();
        down.plan(&[Answer { status: 503, delay: Duration::ZERO }; 100]);
        let alerts = Receiver::start();
        let failing = register(&app, &unesco, json!({"url": down.url, "types": ["submission.submitted"]}));
        let failing_id = failing["id"].as_str().unwrap().to_owned();
        let watching = register(&app, &unesco, json!({"url": alerts.url, "types": ["webhook.disabled"]}));
        // Staff's own endpoint that wants everything staff see.
        let staffs = Receiver::start();
        register(&app, &staff.access, json!({"url": staffs.url, "types": ["webhook.disabled"]}));

        let schools = draft(&app, &owner, &org, "Schools online", &["C3"]);
        submit(&app, &owner, &schools);
        assert_eq!(down.wait_for(1, WAIT).len(), 1);
        endpoint_until(&app, &unesco, &failing_id, |e| !e["failing_since"].is_null());
        app.clock.advance(chrono::Duration::hours(24) + chrono::Duration::minutes(1));
        let unesco = client_token(&app, &unesco_id, &unesco_secret);
        let undp = client_token(&app, &undp_id, &undp_secret);
        let staff = app.sign_in("staff@example.org", wsis_e2e::PASSWORD);
        let owner = app.sign_in("owner@example.org", wsis_e2e::PASSWORD);
        let disabled = endpoint_until(&app, &unesco, &failing_id, |e| e["status"] == "disabled");

        // The partner's other endpoint gets the event, signed, with the endpoint as it is now.
        let got = alerts.wait_for(1, WAIT);
        assert_eq!(got.len(), 1);
        let item = &got[0].json;
        assert!(got[0].verifies_with(watching["secret"].as_str().unwrap()));
        assert_eq!(item["type"], "webhook.disabled");
        assert_eq!(item["object"], json!({"kind": "webhook", "id": failing_id, "version": null, "href": format!("/api/v1/webhooks/{failing_id}")}));
        assert_eq!(item["data"]["status"], "disabled");
        assert_eq!(item["data"]["disabled_reason"], disabled["disabled_reason"]);
        assert!(item["data"].get("secret").is_none(), "a secret is shown once");
        // Its feed has it, and so do staff's feed and staff's endpoint; another partner and the public do not.
        let theirs = follow(&app, Some(&unesco), "type=webhook.disabled", 100);
        assert_eq!(theirs.len(), 1);
        assert_eq!(theirs[0]["id"], item["id"]);
        assert_eq!(follow(&app, Some(&unesco), "", 100).iter().filter(|i| i["type"] == "webhook.disabled").count(), 1);
        assert_eq!(follow(&app, Some(&staff.access), "type=webhook.disabled", 100).len(), 1);
        assert_eq!(staffs.wait_for(1, WAIT)[0].id, item["id"].as_str().unwrap());
        assert!(follow(&app, Some(&undp), "", 100).iter().all(|i| i["type"] != "webhook.disabled"));
        assert!(follow(&app, None, "", 100).iter().all(|i| i["type"] != "webhook.disabled"));
        // Once deleted, the event stays, with a tombstone.
        assert_eq!(app.send(app.client.delete(app.url(&format!("/api/v1/webhooks/{failing_id}"))).bearer_auth(&unesco)).status().as_u16(), 204);
        let theirs = follow(&app, Some(&unesco), "type=webhook.disabled", 100);
        assert_eq!(theirs[0]["data"], json!({"deleted": true}));
        // Nothing else reached the partner's watching endpoint.
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(alerts.received().len(), 1);

        // A revoked client's endpoint is disabled at its next delivery, and staff are told in the feed too.
        let undps = Receiver::start();
        let hook = register(&app, &undp, json!({"url": undps.url, "types": ["submission.submitted"]}));
        let hook_id = hook["id"].as_str().unwrap().to_owned();
        let client = hook["client_id"].as_str().unwrap();
        let gone = body_json(app.send(app.client.delete(app.url(&format!("/api/v1/admin/api-clients/{client}"))).bearer_auth(&staff.access)));
        assert!(gone["revoked_at"].is_string(), "{gone}");
        let clinics = draft(&app, &owner, &org, "Clinics online", &["C5"]);
        submit(&app, &owner, &clinics);
        let revoked = endpoint_until(&app, &staff.access, &hook_id, |e| e["status"] == "disabled");
        assert_eq!(revoked["disabled_reason"], "its API client was revoked");
        let events = follow(&app, Some(&staff.access), "type=webhook.disabled", 100);
        assert_eq!(events.len(), 2);
        assert_eq!(events[1]["object"]["id"], hook_id.as_str());
        assert_eq!(events[1]["data"]["status"], "disabled");
        assert_eq!(staffs.wait_for(2, WAIT).len(), 2);
        assert!(undps.received().is_empty());
        assert_eq!(alerts.received().len(), 1, "another client's endpoint is not its business");
    }
}

with_workers! {
    fn a_restarted_server_resumes_where_it_stopped(app, Duration::from_secs(5)) {
        let mut app = app;
        let (staff, owner, org) = setup(&app);
        let receiver = Receiver::start();
        register(&app, &staff.access, json!({"url": receiver.url, "types": ["submission.submitted"]}));
        receiver.plan(&[Answer { status: 500, delay: Duration::ZERO }]);
        for title in ["One", "Two", "Three"] {
            let id = draft(&app, &owner, &org, title, &["C3"]);
            submit(&app, &owner, &id);
        }
        assert_eq!(receiver.wait_for(1, WAIT).len(), 1);
        let expected = feed_ids(&app, &staff.access);
        assert_eq!(expected.len(), 3);
        app.stop();
        // Another process over the same database, after the backoff and any lease of the stopped one have run out.
        let restarted = app.another_instance(Duration::from_secs(5));
        restarted.clock.advance(chrono::Duration::minutes(2));
        let got = receiver.wait_for(4, WAIT);
        assert_eq!(acknowledged(&got), expected);
    }
}

with_workers! {
    fn two_instances_deliver_each_event_once(app, Duration::from_secs(5)) {
        let (staff, owner, org) = setup(&app);
        let other = app.another_instance(Duration::from_secs(5));
        let receivers: Vec<Receiver> = (0..3).map(|_| Receiver::start()).collect();
        for receiver in &receivers {
            register(&app, &staff.access, json!({"url": receiver.url}));
        }
        // Changes made through both instances.
        for (i, instance) in [&app, &other, &app, &other, &app, &other].into_iter().enumerate() {
            let id = draft(instance, &owner, &org, &format!("Project {i}"), &["C3"]);
            submit(instance, &owner, &id);
        }
        let expected = feed_ids(&app, &staff.access);
        assert_eq!(expected.len(), 6);
        for receiver in &receivers {
            let got = receiver.wait_for(6, WAIT);
            assert_eq!(acknowledged(&got), expected);
        }
        // Nothing more comes: no event went twice to an endpoint.
        std::thread::sleep(Duration::from_millis(500));
        for receiver in &receivers {
            assert_eq!(receiver.received().len(), 6);
        }
    }
}

wsis_e2e::e2e_test! {
    fn endpoints_are_https_on_public_hosts_for_staff_and_partners(app) {
        let staff = app.staff("staff@example.org");
        let user = app.verified_user("user@example.org");
        let url = "https://hooks.unesco.example/wsis";
        for (bad, rule) in [
            ("http://hooks.unesco.example/wsis", "an absolute https:// address"),
            ("https://127.0.0.1/hook", "an address on the public internet"),
            ("https://10.1.2.3/hook", "an address on the public internet"),
            ("https://169.254.169.254/latest/meta-data", "an address on the public internet"),
            ("https://[::1]/hook", "an address on the public internet"),
            ("https://localhost/hook", "an address on the public internet"),
            ("https://user:pw@hooks.unesco.example/", "an absolute https:// address"),
            ("hooks.unesco.example", "an absolute https:// address"),
        ] {
            let refused = problem(app.send(app.client.post(app.url("/api/v1/webhooks")).bearer_auth(&staff.access).json(&json!({"url": bad}))), 422, "validation_failed");
            assert_eq!(refused["errors"][0]["field"], "url", "{bad}");
            assert!(refused["errors"][0]["message"].as_str().unwrap().starts_with(rule), "{bad}: {refused}");
        }
        let long = "x".repeat(201);
        let refused = problem(app.send(app.client.post(app.url("/api/v1/webhooks")).bearer_auth(&staff.access).json(&json!({"url": url, "description": long}))), 422, "validation_failed");
        assert_eq!(refused["errors"][0]["field"], "description");
        let refused = problem(app.send(app.client.post(app.url("/api/v1/webhooks")).bearer_auth(&staff.access).json(&json!({"url": url, "types": ["submission.nope"]}))), 422, "validation_failed");
        assert_eq!(refused["errors"][0]["field"], "types[0]");
        problem(app.send(app.client.post(app.url("/api/v1/webhooks")).json(&json!({"url": url}))), 401, "unauthorized");
        problem(app.send(app.client.post(app.url("/api/v1/webhooks")).bearer_auth(&user.access).json(&json!({"url": url}))), 403, "forbidden");
        // A user who is not staff is told so before anything about the body.
        problem(app.send(app.client.post(app.url("/api/v1/webhooks")).bearer_auth(&user.access).body("{")), 403, "forbidden");

        let hook = register(&app, &staff.access, json!({"url": url, "action_lines": ["C3", "c8"]}));
        assert_eq!(hook["action_lines"], json!(["C3", "C8"]));
        assert_eq!(hook["status"], "active");
        let id = hook["id"].as_str().unwrap();
        let refused = problem(app.send(app.client.patch(app.url(&format!("/api/v1/webhooks/{id}"))).bearer_auth(&staff.access).json(&json!({"url": "https://192.168.1.1/"}))), 422, "validation_failed");
        assert_eq!(refused["errors"][0]["field"], "url");
        let changed = body_json(app.send(app.client.patch(app.url(&format!("/api/v1/webhooks/{id}"))).bearer_auth(&staff.access).json(&json!({"active": false, "types": ["call.created"]}))));
        assert_eq!(changed["status"], "disabled");
        assert_eq!(changed["types"], json!(["call.created"]));
        assert_eq!(changed["action_lines"], json!(["C3", "C8"]));
        assert_eq!(app.send(app.client.delete(app.url(&format!("/api/v1/webhooks/{id}"))).bearer_auth(&staff.access)).status().as_u16(), 204);
        problem(app.send(app.client.get(app.url(&format!("/api/v1/webhooks/{id}"))).bearer_auth(&staff.access)), 404, "not_found");
    }
}

wsis_e2e::e2e_test! {
    fn a_partner_registers_at_most_ten_endpoints_even_in_parallel(app) {
        let staff = app.staff("staff@example.org");
        let unesco = partner(&app, &staff, json!(["submissions:read"]), None);
        let barrier = std::sync::Barrier::new(12);
        let statuses: Vec<u16> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..12)
                .map(|i| {
                    let (barrier, app, unesco) = (&barrier, &app, &unesco);
                    s.spawn(move || {
                        barrier.wait();
                        app.send(app.client.post(app.url("/api/v1/webhooks")).bearer_auth(unesco).json(&json!({"url": format!("https://hooks.unesco.example/{i}")}))).status().as_u16()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 10, "{statuses:?}");
        assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 2, "{statuses:?}");
        let refused = problem(app.send(app.client.post(app.url("/api/v1/webhooks")).bearer_auth(&unesco).json(&json!({"url": "https://hooks.unesco.example/x"}))), 409, "conflict");
        assert_eq!(refused["errors"][0]["code"], "too_many_endpoints");
        // Deleting one makes room; staff have no cap.
        let listed = body_json(app.send(app.client.get(app.url("/api/v1/webhooks")).bearer_auth(&unesco)));
        let one = listed["items"][0]["id"].as_str().unwrap();
        assert_eq!(app.send(app.client.delete(app.url(&format!("/api/v1/webhooks/{one}"))).bearer_auth(&unesco)).status().as_u16(), 204);
        register(&app, &unesco, json!({"url": "https://hooks.unesco.example/again"}));
        for i in 0..11 {
            register(&app, &staff.access, json!({"url": format!("https://hooks.itu.example/{i}")}));
        }
    }
}

wsis_e2e::e2e_test! {
    fn pings_and_redeliveries_are_limited_per_endpoint_even_in_parallel(app) {
        let staff = app.staff("staff@example.org");
        let hook = register(&app, &staff.access, json!({"url": "https://hooks.itu.example/limited"}));
        let id = hook["id"].as_str().unwrap().to_owned();
        let ping = |app: &TestApp| app.send(app.client.post(app.url(&format!("/api/v1/webhooks/{id}/ping"))).bearer_auth(&staff.access));
        let first = ping(&app);
        assert_eq!(first.status().as_u16(), 202);
        assert!(header(&first, "ratelimit").contains(r#""manual-deliveries-endpoint";r=29"#), "{}", header(&first, "ratelimit"));
        let barrier = std::sync::Barrier::new(32);
        let statuses: Vec<u16> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..32)
                .map(|_| {
                    let (barrier, app, ping) = (&barrier, &app, &ping);
                    s.spawn(move || {
                        barrier.wait();
                        ping(app).status().as_u16()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(statuses.iter().filter(|s| **s == 202).count(), 29, "{statuses:?}");
        assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 3, "{statuses:?}");
        let refused = ping(&app);
        assert!(header(&refused, "retry-after").parse::<u64>().unwrap() > 0);
        problem(refused, 429, "rate_limited");
        // Another endpoint has its own quota; the hour after, this one has its quota again.
        let other = register(&app, &staff.access, json!({"url": "https://hooks.itu.example/other"}));
        assert_eq!(app.send(app.client.post(app.url(&format!("/api/v1/webhooks/{}/ping", other["id"].as_str().unwrap()))).bearer_auth(&staff.access)).status().as_u16(), 202);
        app.clock.advance(chrono::Duration::minutes(61));
        let staff = app.sign_in("staff@example.org", wsis_e2e::PASSWORD);
        assert_eq!(app.send(app.client.post(app.url(&format!("/api/v1/webhooks/{id}/ping"))).bearer_auth(&staff.access)).status().as_u16(), 202);
    }
}
