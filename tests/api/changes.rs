//! The change feed (docs/changes.md): who sees which change, in order, from a cursor that never skips or repeats,
//! with filters and long poll, and under concurrent writers.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wsis_domain::Clock;
use wsis_e2e::{PASSWORD, Session, TestApp, at, e2e_test, json as body_json, problem};

/// A partner's API client with these scopes (and action lines); returns its access token.
pub fn partner(app: &TestApp, staff: &Session, scopes: Value, lines: Option<Value>) -> String {
    let (client_id, secret) = partner_credentials(app, staff, scopes, lines);
    client_token(app, &client_id, &secret)
}

/// A partner's API client made by staff: its `client_id` and secret.
pub fn partner_credentials(
    app: &TestApp,
    staff: &Session,
    scopes: Value,
    lines: Option<Value>,
) -> (String, String) {
    let mut body = json!({"name": "Partner", "agency": "UNESCO", "scopes": scopes});
    if let Some(lines) = lines {
        body["action_lines"] = lines;
    }
    let created = body_json(
        app.send(
            app.client
                .post(app.url("/api/v1/admin/api-clients"))
                .bearer_auth(&staff.access)
                .json(&body),
        ),
    );
    (
        created["client"]["client_id"].as_str().unwrap().to_owned(),
        created["client_secret"].as_str().unwrap().to_owned(),
    )
}

/// An access token of a partner's client, by the client credentials grant.
pub fn client_token(app: &TestApp, client_id: &str, secret: &str) -> String {
    let tokens = body_json(
        app.send(app.client.post(app.url("/api/v1/auth/token")).form(&[
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_secret", secret),
        ])),
    );
    tokens["access_token"].as_str().unwrap().to_owned()
}

/// A stocktaking draft on these action lines; returns its id.
pub fn draft(app: &TestApp, owner: &Session, org: &str, title: &str, lines: &[&str]) -> String {
    let content = json!({
        "title": title, "description": "A project that connects schools.", "action_lines": lines, "sdgs": [4],
        "countries": ["KE"], "coverage_level": "national", "status": "ongoing", "start_date": "2022-01-01",
        "contact": {"name": "Private Person", "email": "private.person@example.org"}
    });
    let body = json!({"call": "wsis-2025", "track": "stocktaking", "organisation_id": org, "language": "en", "content": content});
    let created = body_json(
        app.send(
            app.client
                .post(app.url("/api/v1/submissions"))
                .bearer_auth(&owner.access)
                .json(&body),
        ),
    );
    created["id"].as_str().expect("a draft").to_owned()
}

/// Submits a draft.
pub fn submit(app: &TestApp, owner: &Session, id: &str) {
    let submitted = app.send(
        app.client
            .post(app.url(&format!("/api/v1/submissions/{id}/submit")))
            .bearer_auth(&owner.access),
    );
    assert_eq!(submitted.status().as_u16(), 200);
}

/// Staff accept a submitted entry.
pub fn accept(app: &TestApp, staff: &Session, id: &str) {
    let decided = app.send(
        app.client
            .post(app.url(&format!("/api/v1/submissions/{id}/decision")))
            .bearer_auth(&staff.access)
            .json(&json!({"decision": "accept"})),
    );
    assert_eq!(decided.status().as_u16(), 200);
}

/// Every change `token` may see with `query`, page after page of `limit`; checks the pages' cursors and flags.
pub fn follow(app: &TestApp, token: Option<&str>, query: &str, limit: usize) -> Vec<Value> {
    let mut items = Vec::new();
    let mut after: Option<String> = None;
    for _ in 0..1000 {
        let mut url = format!("/api/v1/changes?limit={limit}");
        if !query.is_empty() {
            url.push('&');
            url.push_str(query);
        }
        if let Some(after) = &after {
            url.push_str(&format!("&after={after}"));
        }
        let mut request = app.client.get(app.url(&url));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = app.send(request);
        assert_eq!(response.status().as_u16(), 200, "GET {url}");
        let page = body_json(response);
        let got = page["items"].as_array().unwrap().clone();
        assert!(got.len() <= limit);
        let more = page["has_more"].as_bool().unwrap();
        after = Some(page["next"].as_str().unwrap().to_owned());
        items.extend(got);
        if !more {
            return items;
        }
    }
    unreachable!("the feed did not end");
}

fn types(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["type"].as_str().unwrap().to_owned())
        .collect()
}

fn assert_in_order(items: &[Value]) {
    let seqs: Vec<i64> = items.iter().map(|i| i["seq"].as_i64().unwrap()).collect();
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "not in order: {seqs:?}"
    );
    let ids: HashSet<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), items.len(), "an event was repeated");
}

e2e_test! {
    fn each_reader_sees_the_changes_it_may_see_in_order(app) {
        app.clock.set(at("2025-02-01T10:00:00Z"));
        let staff = app.staff("staff@example.org");
        let owner = app.verified_user("owner@example.org");
        let org = app.organisation(&owner, "Knowledge Commons");
        let stranger = app.verified_user("stranger@example.org");
        app.organisation(&stranger, "Elsewhere");
        let reader = partner(&app, &staff, json!(["submissions:read"]), None);
        let limited = partner(&app, &staff, json!(["submissions:read"]), Some(json!(["C3"])));
        let stats = partner(&app, &staff, json!(["stats:read"]), None);

        let schools = draft(&app, &owner, &org, "Schools online", &["C3"]);
        let updated = app.send(
            app.client
                .patch(app.url(&format!("/api/v1/submissions/{schools}")))
                .bearer_auth(&owner.access)
                .header("If-Match", "*")
                .json(&json!({"content": {
                    "title": "Schools online, 2nd phase", "description": "A project that connects schools.", "action_lines": ["C3"],
                    "sdgs": [4], "countries": ["KE"], "coverage_level": "national", "status": "ongoing", "start_date": "2022-01-01",
                    "contact": {"name": "Private Person", "email": "private.person@example.org"}
                }})),
        );
        assert_eq!(updated.status().as_u16(), 200);
        submit(&app, &owner, &schools);
        accept(&app, &staff, &schools);
        let health = draft(&app, &owner, &org, "Clinics online", &["C5"]);
        submit(&app, &owner, &health);
        let scrap = draft(&app, &owner, &org, "Scrapped", &["C3"]);
        let deleted = app.send(app.client.delete(app.url(&format!("/api/v1/submissions/{scrap}"))).bearer_auth(&owner.access));
        assert_eq!(deleted.status().as_u16(), 204);

        // The organisation's members: everything of theirs, drafts included, oldest first.
        let mine = follow(&app, Some(&owner.access), "", 100);
        assert_in_order(&mine);
        assert_eq!(
            types(&mine),
            [
                "submission.created", "submission.updated", "submission.submitted", "submission.decided",
                "repository.published", "submission.created", "submission.submitted", "submission.created",
                "submission.deleted",
            ]
        );
        // Each with the object as it is now, as its own route gives it to this reader.
        assert_eq!(mine[0]["object"]["kind"], "submission");
        assert_eq!(mine[0]["object"]["id"], schools.as_str());
        assert_eq!(mine[0]["object"]["href"], format!("/api/v1/submissions/{schools}"));
        assert_eq!(mine[0]["object"]["version"], 1);
        assert_eq!(mine[0]["data"]["status"], "accepted");
        assert_eq!(mine[0]["data"]["content"]["title"], "Schools online, 2nd phase");
        assert_eq!(mine[4]["object"]["kind"], "project");
        assert_eq!(mine[4]["data"]["title"], "Schools online, 2nd phase");
        assert!(mine[4]["data"].get("contact").is_none(), "the public view leaves the contact out");
        assert_eq!(mine[7]["data"], json!({"deleted": true}));
        assert_eq!(mine[8]["data"], json!({"deleted": true}));
        assert_eq!(mine[8]["object"]["id"], scrap.as_str());

        // Anyone, without credentials: the public repository only.
        let public = follow(&app, None, "", 100);
        assert_eq!(types(&public), ["repository.published"]);
        assert_eq!(public[0]["id"], mine[4]["id"]);
        // Another organisation's member, or a partner without the scope: the same.
        assert_eq!(types(&follow(&app, Some(&stranger.access), "", 100)), ["repository.published"]);
        assert_eq!(types(&follow(&app, Some(&stats), "", 100)), ["repository.published"]);
        // Staff and partners with submissions:read: submitted entries, never drafts.
        let submitted = [
            "submission.submitted", "submission.decided", "repository.published", "submission.submitted",
        ];
        assert_eq!(types(&follow(&app, Some(&staff.access), "", 100)), submitted);
        assert_eq!(types(&follow(&app, Some(&reader), "", 100)), submitted);
        // A partner limited to C3: only C3's entries.
        let c3 = follow(&app, Some(&limited), "", 100);
        assert_eq!(types(&c3), ["submission.submitted", "submission.decided", "repository.published"]);
        assert!(c3.iter().all(|i| i["object"]["id"] == schools.as_str()));

        // Pages of two give the same, each change once.
        assert_eq!(follow(&app, Some(&owner.access), "", 2), mine);
        // Filters (repeated parameters mean OR).
        assert_eq!(types(&follow(&app, Some(&owner.access), "type=repository.published&type=submission.deleted", 100)), ["repository.published", "submission.deleted"]);
        let health_only = follow(&app, Some(&owner.access), "action_line=C5", 100);
        assert_eq!(types(&health_only), ["submission.created", "submission.submitted"]);
        assert!(health_only.iter().all(|i| i["object"]["id"] == health.as_str()));
        assert_eq!(follow(&app, Some(&owner.access), "call=wsis-2025&track=stocktaking", 100).len(), mine.len());
        assert!(follow(&app, Some(&owner.access), "track=ocp", 100).is_empty());
        assert!(follow(&app, Some(&owner.access), "call=wsis-2031", 100).is_empty());

        // The end of the feed is a cursor to follow from: nothing new, the same cursor back.
        let end = body_json(app.send(app.client.get(app.url("/api/v1/changes?limit=500")).bearer_auth(&owner.access)));
        let next = end["next"].as_str().unwrap().to_owned();
        let again = body_json(app.send(app.client.get(app.url(&format!("/api/v1/changes?after={next}"))).bearer_auth(&owner.access)));
        assert_eq!(again["items"], json!([]));
        assert_eq!(again["next"], next.as_str());
        assert_eq!(again["has_more"], false);
        // A change after it is the next page.
        app.clock.advance(chrono::Duration::minutes(1));
        draft(&app, &owner, &org, "One more", &["C7.e-health"]);
        let after = body_json(app.send(app.client.get(app.url(&format!("/api/v1/changes?after={next}"))).bearer_auth(&owner.access)));
        assert_eq!(types(after["items"].as_array().unwrap()), ["submission.created"]);
        assert_eq!(after["items"][0]["timestamp"], "2025-02-01T10:01:00.000Z");

        // A cursor read with other filters, or not one of ours, is refused naming `after`.
        for bad in [format!("{next}&type=submission.created"), "c1.zzzzzzzzzzzz".into(), "12".into()] {
            let refused = problem(app.send(app.client.get(app.url(&format!("/api/v1/changes?after={bad}"))).bearer_auth(&owner.access)), 422, "validation_failed");
            assert_eq!(refused["errors"][0]["field"], "after", "{bad}");
        }
        for (query, field, code) in [
            ("type=submission.nope", "type", "unknown_event_type"),
            ("wait=31", "wait", "out_of_range"),
            ("limit=0", "limit", "out_of_range"),
            ("limit=501", "limit", "out_of_range"),
            ("action_line=C7", "action_line", "unknown_action_line"),
            ("since=2025-01-01", "since", "unknown_parameter"),
        ] {
            let refused = problem(app.get(&format!("/api/v1/changes?{query}")), 422, "validation_failed");
            assert_eq!(refused["errors"][0]["field"], field, "{query}");
            assert_eq!(refused["errors"][0]["code"], code, "{query}");
        }
        let _ = PASSWORD;
    }
}

e2e_test! {
    fn calls_tracks_and_the_prizes_publications_are_public_changes(app) {
        let staff = app.staff("staff@example.org");
        let changed = app.send(
            app.client
                .patch(app.url("/api/v1/calls/wsis-2025/tracks/ocp"))
                .bearer_auth(&staff.access)
                .json(&json!({"grace_seconds": 600})),
        );
        assert_eq!(changed.status().as_u16(), 200);
        let public = follow(&app, None, "", 100);
        assert_eq!(types(&public), ["track.changed"]);
        assert_eq!(public[0]["object"]["id"], "wsis-2025/ocp");
        assert_eq!(public[0]["object"]["href"], "/api/v1/calls/wsis-2025/tracks/ocp");
        assert_eq!(public[0]["data"]["kind"], "ocp");
        assert_eq!(public[0]["data"]["deadline"]["grace_seconds"], 600);
    }
}

mod a_long_poll_answers_as_soon_as_a_change_is_made {
    use super::*;

    #[test]
    fn sqlite() {
        run(TestApp::spawn_with_workers(
            wsis_e2e::Backend::Sqlite,
            Duration::from_secs(5),
        ));
    }

    #[test]
    #[cfg_attr(
        not(pg_tests),
        ignore = "PostgreSQL skipped: set WSIS_TEST_POSTGRES_URL to run it"
    )]
    fn postgres() {
        run(TestApp::spawn_with_workers(
            wsis_e2e::Backend::Postgres,
            Duration::from_secs(5),
        ));
    }

    /// With the instance's watcher running, as in production.
    fn run(app: TestApp) {
        app.clock.set(at("2025-02-01T10:00:00Z"));
        let owner = app.verified_user("owner@example.org");
        let org = app.organisation(&owner, "Knowledge Commons");
        let end = body_json(
            app.send(
                app.client
                    .get(app.url("/api/v1/changes"))
                    .bearer_auth(&owner.access),
            ),
        );
        let next = end["next"].as_str().unwrap().to_owned();
        // Nothing comes: the poll answers an empty page after its wait, with the same cursor.
        let started = Instant::now();
        let quiet = body_json(
            app.send(
                app.client
                    .get(app.url(&format!("/api/v1/changes?after={next}&wait=1")))
                    .bearer_auth(&owner.access),
            ),
        );
        assert!(started.elapsed() >= Duration::from_millis(900));
        assert_eq!(quiet["items"], json!([]));
        assert_eq!(quiet["next"], next.as_str());
        // A change made while it waits ends the wait at once.
        let (base, token, after) = (app.base.clone(), owner.access.clone(), next.clone());
        let poll = std::thread::spawn(move || {
            let started = Instant::now();
            let client = reqwest::blocking::Client::new();
            let page: Value = client
                .get(format!("{base}/api/v1/changes?after={after}&wait=20"))
                .bearer_auth(token)
                .send()
                .unwrap()
                .json()
                .unwrap();
            (page, started.elapsed())
        });
        std::thread::sleep(Duration::from_millis(300));
        let id = draft(&app, &owner, &org, "Schools online", &["C3"]);
        let (page, waited) = poll.join().unwrap();
        assert_eq!(page["items"][0]["object"]["id"], id.as_str());
        assert!(
            waited < Duration::from_secs(15),
            "the poll waited {waited:?}"
        );
    }
}

/// Writers commit events in an order other than the one they began them in (each holds its transaction open a random
/// while), as requests on several instances do; a reader following the feed meanwhile must see every committed
/// event exactly once, in `seq` order: a feed numbered at insert would let the reader pass an event still
/// uncommitted below one it has seen, and never see it.
fn concurrent_writers_never_make_the_feed_skip(app: &TestApp) {
    use wsis_domain::changes::{Audience, EventType};
    use wsis_persistence::changes::{NewEvent, record};
    const WRITERS: usize = 6;
    const EACH: usize = 25;
    let now = app.clock.now();
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let database = app.database.clone();
            std::thread::spawn(move || {
                let mut written = Vec::new();
                for i in 0..EACH {
                    let object = format!("w{w}-{i}");
                    let pause = Duration::from_millis(((w * 7 + i * 13) % 23) as u64);
                    database
                        .with(|conn| {
                            wsis_persistence::db::transaction(conn, |conn| {
                                record(
                                    conn,
                                    &NewEvent {
                                        event_type: EventType::CallCreated,
                                        object_id: object.clone(),
                                        object_version: None,
                                        call_id: None,
                                        track_kind: None,
                                        action_lines: Vec::new(),
                                        organisation_id: None,
                                        client_id: None,
                                        audience: Audience::Public,
                                        occurred_at: now,
                                    },
                                )?;
                                std::thread::sleep(pause);
                                Ok(())
                            })
                        })
                        .unwrap();
                    written.push(object);
                }
                written
            })
        })
        .collect();
    let mut seen: Vec<Value> = Vec::new();
    let mut after: Option<String> = None;
    // Read until the writers are done and two pages after that come back empty.
    let mut quiet = 0;
    while quiet < 2 {
        let finished = writers.iter().all(std::thread::JoinHandle::is_finished);
        let url = match &after {
            Some(after) => format!("/api/v1/changes?limit=7&after={after}"),
            None => "/api/v1/changes?limit=7".to_owned(),
        };
        let page = app.get_json(&url);
        let items = page["items"].as_array().unwrap();
        quiet = if finished && items.is_empty() {
            quiet + 1
        } else {
            0
        };
        seen.extend(items.iter().cloned());
        after = Some(page["next"].as_str().unwrap().to_owned());
    }
    let mut written: Vec<String> = writers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    assert_in_order(&seen);
    let mut got: Vec<String> = seen
        .iter()
        .map(|i| i["object"]["id"].as_str().unwrap().to_owned())
        .collect();
    got.sort();
    written.sort();
    assert_eq!(got, written, "the reader missed or repeated events");
}

e2e_test! {
    fn the_feed_never_skips_an_event_under_concurrent_writers(app) {
        concurrent_writers_never_make_the_feed_skip(&app);
    }
}
