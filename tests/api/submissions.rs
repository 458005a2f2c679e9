//! Submissions on the four tracks: drafts, edits with revisions, the cut-off to the second, receipts, history.

use chrono::Duration;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use wsis_e2e::{Backend, Session, TestApp, at, e2e_test, header, json as body_json, problem};

pub(crate) fn pledge() -> Value {
    json!({"kind": "financial", "amount": "25000", "currency": "CHF", "earmark": "Fellowships for civil society"})
}

pub(crate) fn project(title: &str) -> Value {
    json!({
        "title": title,
        "description": "Solar-powered learning centres with offline content in Wolof and French.",
        "website": "https://hubs.example.org",
        "action_lines": ["C7.e-learning", "C4"],
        "sdgs": [4],
        "countries": ["SN", "ML"],
        "coverage_level": "regional",
        "status": "completed",
        "start_date": "2021-01-15",
        "end_date": "2024-06-30",
        "partners": ["Ministry of Education"],
        "beneficiaries": "12,000 pupils",
        "contact": {"name": "Amina Diallo", "email": "amina@example.org"}
    })
}

pub(crate) fn words(n: usize) -> String {
    (0..n)
        .map(|i| format!("word{i}"))
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn nomination(project_id: &str, category: u8) -> Value {
    json!({
        "project_id": project_id,
        "category": category,
        "short_description": words(170),
        "impact": "Twelve thousand pupils learn with offline content.",
        "sdg_linkage": "SDG 4 through C7 e-learning.",
        "partnerships": "Ministry of Education; two NGOs.",
        "challenges": "Power and connectivity.",
        "future_plans": "Forty more hubs by 2027."
    })
}

pub(crate) fn create(
    app: &TestApp,
    session: &Session,
    org: &str,
    track: &str,
    language: &str,
    content: Value,
) -> reqwest::blocking::Response {
    let body = json!({"call": "wsis-2025", "track": track, "organisation_id": org, "language": language, "content": content});
    app.send(
        app.client
            .post(app.url("/api/v1/submissions"))
            .bearer_auth(&session.access)
            .json(&body),
    )
}

pub(crate) fn created(
    app: &TestApp,
    session: &Session,
    org: &str,
    track: &str,
    content: Value,
) -> (String, String) {
    let response = create(app, session, org, track, "en", content);
    assert_eq!(response.status().as_u16(), 201, "create {track}");
    let etag = header(&response, "etag");
    (body_json(response)["id"].as_str().unwrap().to_owned(), etag)
}

pub(crate) fn submit(app: &TestApp, session: &Session, id: &str) -> reqwest::blocking::Response {
    app.send(
        app.client
            .post(app.url(&format!("/api/v1/submissions/{id}/submit")))
            .bearer_auth(&session.access),
    )
}

pub(crate) fn canonical_sha(content: &Value) -> String {
    let canonical = wsis_domain::submission::canonical_json(content);
    Sha256::digest(canonical.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub(crate) fn setup(app: &TestApp) -> (Session, String) {
    let owner = app.verified_user("owner@example.org");
    let org = app.organisation(&owner, "Geneva Digital Trust");
    (owner, org)
}

/// Moves the server clock and signs in again (access tokens are checked against that clock too).
pub(crate) fn travel(app: &TestApp, to: &str) -> Session {
    app.clock.set(at(to));
    app.sign_in("owner@example.org", wsis_e2e::PASSWORD)
}

e2e_test! {
    fn a_pledge_from_draft_to_receipt(app) {
        let (owner, org) = setup(&app);
        let (id, etag) = created(&app, &owner, &org, "trust_fund", pledge());
        let url = app.url(&format!("/api/v1/submissions/{id}"));
        let draft = body_json(app.send(app.client.get(&url).bearer_auth(&owner.access)));
        assert_eq!(draft["status"], "draft");
        assert_eq!(draft["receipt"], Value::Null);
        assert_eq!(draft["deadline"]["closes_at"], "2025-07-11T21:59:59Z");
        assert_eq!(draft["content"], pledge(), "stored exactly as given");

        // Edits need the current ETag.
        let change = json!({"content": {"kind": "financial", "amount": "30000.00", "currency": "CHF"}});
        problem(app.send(app.client.patch(&url).bearer_auth(&owner.access).json(&change)), 428, "precondition_required");
        let updated = app.send(app.client.patch(&url).bearer_auth(&owner.access).header("If-Match", &etag).json(&change));
        assert_eq!(updated.status().as_u16(), 200);
        let new_etag = header(&updated, "etag");
        problem(app.send(app.client.patch(&url).bearer_auth(&owner.access).header("If-Match", &etag).json(&change)), 412, "precondition_failed");
        // A body that is not a form is the first error, whatever the precondition says.
        let not_a_form = app.send(app.client.patch(&url).bearer_auth(&owner.access).header("If-Match", &etag).json(&json!({"content": "not a form"})));
        assert_eq!(problem(not_a_form, 422, "validation_failed")["errors"][0]["field"], "content");

        let receipt = submit(&app, &owner, &id);
        assert_eq!(receipt.status().as_u16(), 200);
        assert_ne!(header(&receipt, "etag"), new_etag);
        let receipt = body_json(receipt);
        assert_eq!(receipt["number"], "WSIS-2025-TF-000001");
        assert_eq!(receipt["received_at"], "2025-03-14T22:59:59Z");
        assert_eq!(receipt["received_at_local"], "2025-03-14T23:59:59+01:00");
        assert_eq!(receipt["content_sha256"], canonical_sha(&change["content"]));
        let again = body_json(app.send(app.client.get(app.url(&format!("/api/v1/submissions/{id}/receipt"))).bearer_auth(&owner.access)));
        assert_eq!(again, receipt);
        // Whoever holds the number and its check code can check it, without signing in.
        let code = receipt["check_code"].as_str().unwrap();
        assert_eq!(receipt["verify"], format!("/api/v1/receipts/WSIS-2025-TF-000001?check={code}"));
        let check = body_json(app.get(receipt["verify"].as_str().unwrap()));
        assert_eq!(check["content_sha256"], receipt["content_sha256"]);
        assert_eq!(check["call"], "wsis-2025");
        assert!(app.mails_to("owner@example.org").iter().any(|m| m.body.contains(code)), "the receipt mail carries the code");
        problem(app.get(&format!("/api/v1/receipts/WSIS-2025-TF-999999?check={code}")), 404, "not_found");
        problem(submit(&app, &owner, &id), 409, "invalid_transition");

        let revisions = body_json(app.send(app.client.get(app.url(&format!("/api/v1/submissions/{id}/revisions"))).bearer_auth(&owner.access)));
        let changed: Vec<Value> = revisions["items"].as_array().unwrap().iter().map(|r| r["changed_fields"].clone()).collect();
        assert_eq!(changed, [json!(["content"]), json!(["content.amount", "content.earmark"])]);
        let history = body_json(app.send(app.client.get(app.url(&format!("/api/v1/submissions/{id}/history"))).bearer_auth(&owner.access)));
        let actions: Vec<&str> = history["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["created", "updated", "submitted"]);

        // A second pledge gets the next number of the same call and track.
        let (second, _) = created(&app, &owner, &org, "trust_fund", pledge());
        assert_eq!(body_json(submit(&app, &owner, &second))["number"], "WSIS-2025-TF-000002");
    }
}

e2e_test! {
    fn the_cut_off_is_exact_to_the_second_and_late_attempts_are_recorded(app) {
        let (_, org) = setup(&app);
        let owner = travel(&app, "2025-02-10T22:59:00Z");
        let (on_time, _) = created(&app, &owner, &org, "stocktaking", project("On time"));
        let (late, late_etag) = created(&app, &owner, &org, "stocktaking", project("Late"));
        app.clock.set(at("2025-02-10T22:59:59Z"));
        assert_eq!(body_json(submit(&app, &owner, &on_time))["number"], "WSIS-2025-STK-000001");
        app.clock.set(at("2025-02-10T23:00:00Z"));
        let refused = problem(submit(&app, &owner, &late), 409, "deadline_passed");
        assert_eq!(refused["deadline"]["effective_closes_at"], "2025-02-10T22:59:59Z");
        assert_eq!(refused["deadline"]["effective_closes_at_local"], "2025-02-10T23:59:59+01:00");
        assert_eq!(refused["deadline"]["received_at"], "2025-02-10T23:00:00.000Z");
        assert!(refused["detail"].as_str().unwrap().contains("2025-02-10T23:59:59+01:00"), "{refused}");
        // After the deadline a submitted entry is frozen for the organisation too.
        let url = app.url(&format!("/api/v1/submissions/{on_time}"));
        let etag = header(&app.send(app.client.get(&url).bearer_auth(&owner.access)), "etag");
        problem(app.send(app.client.patch(&url).bearer_auth(&owner.access).header("If-Match", etag).json(&json!({"content": project("Changed")}))), 409, "deadline_passed");
        let late_url = app.url(&format!("/api/v1/submissions/{late}"));
        problem(app.send(app.client.patch(&late_url).bearer_auth(&owner.access).header("If-Match", late_etag).json(&json!({"content": project("Late, edited")}))), 409, "deadline_passed");
        // The late attempts are in the history, for staff to settle "I tried before the deadline" claims.
        let history = body_json(app.send(app.client.get(app.url(&format!("/api/v1/submissions/{late}/history"))).bearer_auth(&owner.access)));
        let attempts: Vec<&Value> = history["items"].as_array().unwrap().iter().filter(|e| e["action"] == "late_attempt").collect();
        assert_eq!(attempts.len(), 2);
        assert_eq!(attempts[0]["detail"]["attempted"], "submit");
        assert_eq!(attempts[0]["actor_id"], owner.user_id.as_str());
        assert_eq!(attempts[0]["at"], "2025-02-10T23:00:00.000Z");
        // New drafts on a closed track are refused too.
        problem(create(&app, &owner, &org, "stocktaking", "en", project("Too late")), 409, "deadline_passed");
    }
}

e2e_test! {
    fn a_submitted_entry_can_be_edited_until_the_deadline_with_a_renewed_receipt(app) {
        let (owner, org) = setup(&app);
        let (id, _) = created(&app, &owner, &org, "trust_fund", pledge());
        let first = body_json(submit(&app, &owner, &id));
        let owner = travel(&app, "2025-03-15T00:59:59Z");
        let url = app.url(&format!("/api/v1/submissions/{id}"));
        let etag = header(&app.send(app.client.get(&url).bearer_auth(&owner.access)), "etag");
        let change = json!({"content": {"kind": "in_kind", "description": "Two interpreters for the event week"}});
        let updated = body_json(app.send(app.client.patch(&url).bearer_auth(&owner.access).header("If-Match", etag).json(&change)));
        assert_eq!(updated["status"], "submitted");
        assert_eq!(updated["receipt"]["number"], first["number"], "the number stays");
        assert_eq!(updated["receipt"]["received_at"], "2025-03-15T00:59:59Z");
        assert_eq!(updated["receipt"]["content_sha256"], canonical_sha(&change["content"]));
    }
}

e2e_test! {
    fn forms_report_every_error_with_its_path(app) {
        let (owner, org) = setup(&app);
        let bad_pledge = json!({"kind": "financial", "amount": "100.5", "currency": "JPY", "earmark": ""});
        let body = problem(create(&app, &owner, &org, "trust_fund", "en", bad_pledge), 422, "validation_failed");
        let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["content.amount", "content.earmark"]);
        problem(create(&app, &owner, &org, "trust_fund", "en", json!({"kind": "financial", "amount": 5})), 422, "validation_failed");
        let typo = problem(create(&app, &owner, &org, "trust_fund", "en", json!({"kind": "in_kind", "descripton": "x"})), 422, "validation_failed");
        assert_eq!(typo["errors"][0]["field"], "content.descripton");
        assert_eq!(typo["errors"][0]["code"], "unknown_field");

        let owner = travel(&app, "2025-02-01T12:00:00Z");
        let mut bad_project = project("");
        bad_project["end_date"] = json!("2020-01-01");
        bad_project["countries"] = json!(["global", "FR"]);
        bad_project["sdgs"] = json!([18]);
        bad_project["contact"]["email"] = json!("nobody");
        let body = problem(create(&app, &owner, &org, "stocktaking", "fr", bad_project), 422, "validation_failed");
        let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["content.title", "content.sdgs[0]", "content.countries", "content.end_date", "content.contact.email"]);

        let mut short = nomination("any", 3);
        short["short_description"] = json!(words(149));
        let body = problem(create(&app, &owner, &org, "prizes", "fr", short), 422, "validation_failed");
        let fields: Vec<(&str, &str)> = body["errors"].as_array().unwrap().iter().map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap())).collect();
        assert_eq!(fields, [("content.short_description", "word_count"), ("language", "english_only")]);

        let owner = travel(&app, "2025-03-01T12:00:00Z");
        let ocp = json!({
            "innovative_ideas": "Community networks.",
            "sdg_alignment": "SDG 9.",
            "session_proposals": [{
                "title": "Workshop", "format": "workshop", "description": "A workshop.", "action_lines": ["C2"], "languages": ["en"],
                "speakers": [
                    {"name": "A", "organisation": "X", "stakeholder_category": "government", "country": "FR", "gender": "male"},
                    {"name": "B", "organisation": "Y", "stakeholder_category": "government", "country": "DE", "gender": "male"}
                ]
            }]
        });
        let response = create(&app, &owner, &org, "ocp", "en", ocp.clone());
        assert_eq!(response.status().as_u16(), 201);
        let codes: Vec<String> = body_json(response)["warnings"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap().to_owned()).collect();
        assert_eq!(codes, ["stakeholder_balance", "gender_balance"], "balance is advice, not an error");
        // The advice is said in the caller's language (a dry run, so nothing more is stored).
        let body = json!({"call": "wsis-2025", "track": "ocp", "organisation_id": org, "language": "en", "content": ocp});
        let advised = body_json(app.send(app.client.post(app.url("/api/v1/submissions?dry_run=true")).bearer_auth(&owner.access)
            .header("Accept-Language", "fr").json(&body)));
        assert_eq!(advised["warnings"][1]["message"], "tous les intervenants sont du même genre", "{advised}");
    }
}

e2e_test! {
    fn withdrawal_deletion_dry_runs_and_unverified_accounts(app) {
        let (owner, org) = setup(&app);
        let (id, etag) = created(&app, &owner, &org, "trust_fund", pledge());
        let url = app.url(&format!("/api/v1/submissions/{id}"));
        // Dry runs validate and answer without writing.
        let dry = app.send(app.client.post(app.url("/api/v1/submissions?dry_run=true")).bearer_auth(&owner.access).json(&json!({"call": "wsis-2025", "track": "trust_fund", "organisation_id": org, "language": "en", "content": pledge()})));
        assert_eq!(dry.status().as_u16(), 200);
        let change = json!({"content": {"kind": "in_kind", "description": "Interpreters"}});
        let dry = body_json(app.send(app.client.patch(format!("{url}?dry_run=true")).bearer_auth(&owner.access).header("If-Match", &etag).json(&change)));
        assert_eq!(dry["content"]["kind"], "in_kind");
        let dry_receipt = body_json(app.send(app.client.post(app.url(&format!("/api/v1/submissions/{id}/submit?dry_run=true"))).bearer_auth(&owner.access)));
        assert_eq!(dry_receipt["number"], "DRY-RUN");
        let stored = body_json(app.send(app.client.get(&url).bearer_auth(&owner.access)));
        assert_eq!((stored["status"].as_str(), stored["content"]["kind"].as_str()), (Some("draft"), Some("financial")));
        let listed = body_json(app.send(app.client.get(app.url("/api/v1/submissions")).bearer_auth(&owner.access)));
        assert_eq!(listed["items"].as_array().unwrap().len(), 1, "dry runs created nothing");

        problem(app.send(app.client.post(app.url(&format!("/api/v1/submissions/{id}/withdraw"))).bearer_auth(&owner.access)), 409, "invalid_transition");
        assert_eq!(submit(&app, &owner, &id).status().as_u16(), 200);
        problem(app.send(app.client.delete(&url).bearer_auth(&owner.access)), 409, "invalid_transition");
        let withdrawn = body_json(app.send(app.client.post(app.url(&format!("/api/v1/submissions/{id}/withdraw"))).bearer_auth(&owner.access)));
        assert_eq!(withdrawn["status"], "withdrawn");
        let etag = header(&app.send(app.client.get(&url).bearer_auth(&owner.access)), "etag");
        problem(app.send(app.client.patch(&url).bearer_auth(&owner.access).header("If-Match", etag).json(&change)), 409, "invalid_transition");

        let (draft, _) = created(&app, &owner, &org, "trust_fund", pledge());
        assert_eq!(app.send(app.client.delete(app.url(&format!("/api/v1/submissions/{draft}"))).bearer_auth(&owner.access)).status().as_u16(), 204);
        problem(app.send(app.client.get(app.url(&format!("/api/v1/submissions/{draft}"))).bearer_auth(&owner.access)), 404, "not_found");

        // An unverified account may draft but not submit.
        app.register("fresh@example.org");
        let fresh = app.sign_in("fresh@example.org", wsis_e2e::PASSWORD);
        let fresh_org = app.organisation(&fresh, "Fresh Org");
        let (fresh_draft, _) = created(&app, &fresh, &fresh_org, "trust_fund", pledge());
        problem(submit(&app, &fresh, &fresh_draft), 403, "forbidden");
    }
}

e2e_test! {
    fn who_sees_and_changes_submissions(app) {
        let (owner, org) = setup(&app);
        let viewer = app.verified_user("viewer@example.org");
        let stranger = app.verified_user("stranger@example.org");
        let staff = app.staff("staff@example.org");
        let now = wsis_domain::Clock::now(app.clock.as_ref());
        app.database.with(|conn| wsis_persistence::organisations::add_member(conn, &org, &viewer.user_id, wsis_domain::MemberRole::Viewer, now)).unwrap();
        let viewer = app.sign_in("viewer@example.org", wsis_e2e::PASSWORD);
        let (draft, etag) = created(&app, &owner, &org, "trust_fund", pledge());
        let (sent, _) = created(&app, &owner, &org, "trust_fund", pledge());
        submit(&app, &owner, &sent);
        let get = |s: &Session, id: &str| app.send(app.client.get(app.url(&format!("/api/v1/submissions/{id}"))).bearer_auth(&s.access)).status().as_u16();
        assert_eq!((get(&viewer, &draft), get(&stranger, &draft), get(&staff, &draft)), (200, 404, 404), "drafts stay inside the organisation");
        assert_eq!((get(&stranger, &sent), get(&staff, &sent)), (404, 200));
        problem(app.get(&format!("/api/v1/submissions/{sent}")), 401, "unauthorized");
        let patch = app.send(app.client.patch(app.url(&format!("/api/v1/submissions/{draft}"))).bearer_auth(&viewer.access).header("If-Match", etag).json(&json!({"content": pledge()})));
        problem(patch, 403, "forbidden");
        problem(submit(&app, &staff, &sent), 403, "forbidden");
        problem(create(&app, &stranger, &org, "trust_fund", "en", pledge()), 404, "not_found");
        problem(create(&app, &viewer, &org, "trust_fund", "en", pledge()), 403, "forbidden");

        // Partners with submissions:read see submitted entries, never drafts; without the scope, nothing.
        let client = |scopes: Value| {
            let created = body_json(app.send(app.client.post(app.url("/api/v1/admin/api-clients")).bearer_auth(&staff.access).json(&json!({"name": "P", "agency": "UNDP", "scopes": scopes}))));
            let tokens = body_json(app.send(app.client.post(app.url("/api/v1/auth/token")).form(&[
                ("grant_type", "client_credentials"),
                ("client_id", created["client"]["client_id"].as_str().unwrap()),
                ("client_secret", created["client_secret"].as_str().unwrap()),
            ])));
            tokens["access_token"].as_str().unwrap().to_owned()
        };
        let reader = client(json!(["submissions:read"]));
        let stats = client(json!(["stats:read"]));
        let list = |token: &str| {
            let body = body_json(app.send(app.client.get(app.url("/api/v1/submissions")).bearer_auth(token)));
            body["items"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_owned()).collect::<Vec<_>>()
        };
        assert_eq!(list(&reader), std::slice::from_ref(&sent));
        assert_eq!(list(&stats), Vec::<String>::new());
        assert_eq!(list(&staff.access), std::slice::from_ref(&sent));
        let mut mine = list(&owner.access);
        mine.sort();
        let mut expected = vec![draft.clone(), sent.clone()];
        expected.sort();
        assert_eq!(mine, expected);
        assert_eq!(app.send(app.client.get(app.url(&format!("/api/v1/submissions/{sent}"))).bearer_auth(&stats)).status().as_u16(), 404);
    }
}

e2e_test! {
    fn staff_create_the_next_call_without_code(app) {
        let staff = app.staff("staff@example.org");
        let owner = app.verified_user("owner@example.org");
        let call = json!({
            "slug": "wsis-2026", "year": 2026, "timezone": "Europe/Zurich",
            "title": {"ar": "دعوة 2026", "zh": "2026年征集", "en": "WSIS 2026 call", "fr": "Appel 2026", "ru": "Призыв 2026", "es": "Convocatoria 2026"},
            "tracks": [{"kind": "trust_fund", "opens": {"rule": "start_of_local_day", "date": "2025-01-01"}, "closes": {"rule": "instant", "at": "2025-03-14T23:00:05Z"}}]
        });
        problem(app.send(app.client.post(app.url("/api/v1/calls")).bearer_auth(&owner.access).json(&call)), 403, "forbidden");
        let created = app.send(app.client.post(app.url("/api/v1/calls")).bearer_auth(&staff.access).json(&call));
        assert_eq!(created.status().as_u16(), 201);
        assert_eq!(header(&created, "location"), "/api/v1/calls/wsis-2026");
        problem(app.send(app.client.post(app.url("/api/v1/calls")).bearer_auth(&staff.access).json(&call)), 409, "conflict");
        let org = app.organisation(&owner, "Org");
        let body = json!({"call": "wsis-2026", "track": "trust_fund", "organisation_id": org, "language": "en", "content": pledge()});
        let id = body_json(app.send(app.client.post(app.url("/api/v1/submissions")).bearer_auth(&owner.access).json(&body)))["id"].as_str().unwrap().to_owned();
        let owner = travel(&app, "2025-03-14T23:00:05Z");
        assert_eq!(body_json(submit(&app, &owner, &id))["number"], "WSIS-2026-TF-000001");
        let owner = travel(&app, "2025-03-14T23:00:06Z");
        let body = json!({"call": "wsis-2026", "track": "trust_fund", "organisation_id": org, "language": "en", "content": pledge()});
        problem(app.send(app.client.post(app.url("/api/v1/submissions")).bearer_auth(&owner.access).json(&body)), 409, "deadline_passed");
    }
}

/// The same cut-off with the real clock: a track closing two seconds ahead accepts before and refuses after.
fn real_time_cut_off(backend: Backend) {
    let app = TestApp::spawn_real_time(backend);
    let staff = app.staff("staff@example.org");
    let owner = app.verified_user("owner@example.org");
    let org = app.organisation(&owner, "Org");
    let now = chrono::Utc::now();
    let closes = (now + Duration::seconds(2)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let call = json!({
        "slug": "flash", "year": 2026, "timezone": "UTC",
        "title": {"ar": "x", "zh": "x", "en": "Flash call", "fr": "x", "ru": "x", "es": "x"},
        "tracks": [{"kind": "trust_fund", "opens": {"rule": "instant", "at": "2020-01-01T00:00:00Z"}, "closes": {"rule": "instant", "at": closes}}]
    });
    assert_eq!(
        app.send(
            app.client
                .post(app.url("/api/v1/calls"))
                .bearer_auth(&staff.access)
                .json(&call)
        )
        .status()
        .as_u16(),
        201
    );
    let draft = |_: ()| {
        let body = json!({"call": "flash", "track": "trust_fund", "organisation_id": org, "language": "en", "content": pledge()});
        body_json(
            app.send(
                app.client
                    .post(app.url("/api/v1/submissions"))
                    .bearer_auth(&owner.access)
                    .json(&body),
            ),
        )["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (early, late) = (draft(()), draft(()));
    assert_eq!(
        submit(&app, &owner, &early).status().as_u16(),
        200,
        "before the cut-off"
    );
    let deadline = chrono::DateTime::parse_from_rfc3339(&closes)
        .unwrap()
        .with_timezone(&chrono::Utc)
        + Duration::seconds(1);
    while chrono::Utc::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    problem(submit(&app, &owner, &late), 409, "deadline_passed");
}

#[test]
fn the_real_clock_cut_off_on_sqlite() {
    real_time_cut_off(Backend::Sqlite);
}

#[test]
#[cfg_attr(
    not(pg_tests),
    ignore = "PostgreSQL skipped: set WSIS_TEST_POSTGRES_URL to run it"
)]
fn the_real_clock_cut_off_on_postgres() {
    real_time_cut_off(Backend::Postgres);
}

e2e_test! {
    fn concurrent_submits_get_distinct_numbers_and_one_draft_one_receipt(app) {
        let (owner, org) = setup(&app);
        let drafts: Vec<String> = (0..8).map(|_| created(&app, &owner, &org, "trust_fund", pledge()).0).collect();
        let numbers: Vec<String> = std::thread::scope(|scope| {
            let handles: Vec<_> = drafts.iter().map(|id| scope.spawn(|| body_json(submit(&app, &owner, id))["number"].as_str().unwrap_or_default().to_owned())).collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let mut sorted = numbers.clone();
        sorted.sort();
        let expected: Vec<String> = (1..=8).map(|n| format!("WSIS-2025-TF-{n:06}")).collect();
        assert_eq!(sorted, expected);
        // The same draft submitted twice at once: one receipt, one refusal.
        let (one, _) = created(&app, &owner, &org, "trust_fund", pledge());
        let statuses: Vec<u16> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..2).map(|_| scope.spawn(|| submit(&app, &owner, &one).status().as_u16())).collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let mut statuses = statuses;
        statuses.sort();
        assert!(statuses == [200, 409] || statuses == [200, 412], "{statuses:?}");
        let receipts = body_json(app.send(app.client.get(app.url(&format!("/api/v1/submissions/{one}/history"))).bearer_auth(&owner.access)));
        let submitted = receipts["items"].as_array().unwrap().iter().filter(|e| e["action"] == "submitted").count();
        assert_eq!(submitted, 1);
        // The double click used up no number: the next entry's follows.
        let (next, _) = created(&app, &owner, &org, "trust_fund", pledge());
        assert_eq!(body_json(submit(&app, &owner, &next))["number"], "WSIS-2025-TF-000010");
    }
}

e2e_test! {
    fn idempotency_keys_replay_creates_and_submits(app) {
        let (owner, org) = setup(&app);
        let body = json!({"call": "wsis-2025", "track": "trust_fund", "organisation_id": org, "language": "en", "content": pledge()});
        let post = |key: &str, body: &Value| {
            app.send(app.client.post(app.url("/api/v1/submissions")).bearer_auth(&owner.access).header("Idempotency-Key", key).json(body))
        };
        let first = post("create-1", &body);
        assert_eq!(first.status().as_u16(), 201);
        let (etag, location) = (header(&first, "etag"), header(&first, "location"));
        let first = body_json(first);
        let retry = post("create-1", &body);
        assert_eq!(retry.status().as_u16(), 201);
        assert_eq!(header(&retry, "idempotent-replayed"), "true");
        assert_eq!((header(&retry, "etag"), header(&retry, "location")), (etag, location));
        assert_eq!(body_json(retry)["id"], first["id"], "a retried create never makes a second draft");
        let listed = body_json(app.send(app.client.get(app.url("/api/v1/submissions")).bearer_auth(&owner.access)));
        assert_eq!(listed["items"].as_array().unwrap().len(), 1);
        let mut other = body.clone();
        other["language"] = json!("fr");
        let reused = problem(post("create-1", &other), 422, "validation_failed");
        assert_eq!(reused["errors"][0]["code"], "key_reused");
        // Keys are per caller: someone else's identical key is theirs alone.
        let other_user = app.verified_user("other@example.org");
        let other_org = app.organisation(&other_user, "Other");
        let theirs = json!({"call": "wsis-2025", "track": "trust_fund", "organisation_id": other_org, "language": "en", "content": pledge()});
        let r = app.send(app.client.post(app.url("/api/v1/submissions")).bearer_auth(&other_user.access).header("Idempotency-Key", "create-1").json(&theirs));
        assert_eq!(r.status().as_u16(), 201);
        assert!(header(&r, "idempotent-replayed").is_empty());

        let id = first["id"].as_str().unwrap();
        let submit_with = |key: &str| app.send(app.client.post(app.url(&format!("/api/v1/submissions/{id}/submit"))).bearer_auth(&owner.access).header("Idempotency-Key", key));
        let receipt = body_json(submit_with("submit-1"));
        let replayed = submit_with("submit-1");
        assert_eq!(header(&replayed, "idempotent-replayed"), "true");
        assert_eq!(body_json(replayed), receipt, "a retried submit never makes a second receipt");
        problem(submit_with("submit-2"), 409, "invalid_transition");
        // A failed request releases its key: the retry runs again (and fails again, honestly).
        problem(submit_with("submit-2"), 409, "invalid_transition");
        // Kept 24 hours.
        let owner2 = travel(&app, "2025-03-15T23:00:00Z");
        let after = app.send(app.client.post(app.url("/api/v1/submissions")).bearer_auth(&owner2.access).header("Idempotency-Key", "create-1").json(&body));
        assert_eq!(after.status().as_u16(), 201);
        assert!(header(&after, "idempotent-replayed").is_empty(), "an expired key starts afresh");
        problem(app.send(app.client.post(app.url("/api/v1/submissions")).bearer_auth(&owner2.access).header("Idempotency-Key", "").json(&body)), 422, "validation_failed");
    }
}

e2e_test! {
    fn a_key_still_in_flight_answers_409(app) {
        let (owner, org) = setup(&app);
        let body = json!({"call": "wsis-2025", "track": "trust_fund", "organisation_id": org, "language": "en", "content": pledge()});
        // Another instance has claimed this key and not answered yet.
        let now = wsis_domain::Clock::now(app.clock.as_ref());
        let claim = app.database.with(|conn| wsis_persistence::idempotency::claim(conn, &owner.user_id, "busy-key", "another instance's request", now)).unwrap();
        assert!(matches!(claim, wsis_persistence::idempotency::Claim::Fresh { .. }), "{claim:?}");
        let busy = app.send(app.client.post(app.url("/api/v1/submissions")).bearer_auth(&owner.access).header("Idempotency-Key", "busy-key").json(&body));
        // The fingerprints differ here, so this is a mismatch; with the same fingerprint it is in flight.
        problem(busy, 422, "validation_failed");
        let same = app.database.with(|conn| wsis_persistence::idempotency::claim(conn, &owner.user_id, "busy-key", "another instance's request", now)).unwrap();
        assert_eq!(same, wsis_persistence::idempotency::Claim::InFlight);
        // Through HTTP: the first request's claim is taken, then the same request arrives again before it answers.
        let key = "in-flight";
        let fingerprint = format!("POST /api/v1/submissions?\n{}", wsis_domain::submission::canonical_json(&body));
        let hash: String = sha2::Sha256::digest(fingerprint.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        let dead = app.database.with(|conn| wsis_persistence::idempotency::claim(conn, &owner.user_id, key, &hash, now)).unwrap();
        let retry = || app.send(app.client.post(app.url("/api/v1/submissions")).bearer_auth(&owner.access).header("Idempotency-Key", key).json(&body));
        let busy = retry();
        assert_eq!(header(&busy, "retry-after"), "1");
        problem(busy, 409, "conflict");
        // That first request never answers: its process was killed. Once the claim's lease has run out, a retry with
        // the same key runs instead of being told "in flight" for a day, and the retry after that replays it.
        app.clock.advance(Duration::seconds(wsis_persistence::idempotency::LEASE_SECONDS - 1));
        problem(retry(), 409, "conflict");
        app.clock.advance(Duration::seconds(2));
        let owner = app.sign_in("owner@example.org", wsis_e2e::PASSWORD);
        let retry = || app.send(app.client.post(app.url("/api/v1/submissions")).bearer_auth(&owner.access).header("Idempotency-Key", key).json(&body));
        let ran = retry();
        assert_eq!(ran.status().as_u16(), 201, "taken over after the lease");
        let id = body_json(ran)["id"].clone();
        let replayed = retry();
        assert_eq!(header(&replayed, "idempotent-replayed"), "true");
        assert_eq!(body_json(replayed)["id"], id);
        // The dead request's late answer, should it come, changes nothing.
        let claim_id = match dead {
            wsis_persistence::idempotency::Claim::Fresh { claim_id } => claim_id,
            other => unreachable!("{other:?}"),
        };
        app.database.with(|conn| wsis_persistence::idempotency::complete(conn, &owner.user_id, key, &claim_id, 500, "{}")).unwrap();
        assert_eq!(body_json(retry())["id"], id);
    }
}

e2e_test! {
    fn a_request_is_stamped_when_it_arrives_not_when_it_is_served(app) {
        let (_, org) = setup(&app);
        let owner = travel(&app, "2025-02-10T22:59:00Z");
        let (id, _) = created(&app, &owner, &org, "stocktaking", project("Sent at the last second"));
        // The request arrives at the last second of the window; every later reading of the clock (authentication,
        // database work, the handler) sees time pass, as it does on a busy server.
        app.clock.set(at("2025-02-10T22:59:59Z"));
        app.clock.step_on_each_reading(Duration::seconds(1));
        let receipt = submit(&app, &owner, &id);
        app.clock.step_on_each_reading(Duration::zero());
        assert_eq!(receipt.status().as_u16(), 200, "decided on the arrival instant");
        let receipt = body_json(receipt);
        assert_eq!(receipt["received_at"], "2025-02-10T22:59:59Z", "the receipt carries the arrival instant");
    }
}

e2e_test! {
    fn withdrawing_after_the_deadline_is_refused_and_recorded(app) {
        let (_, org) = setup(&app);
        let owner = travel(&app, "2025-02-10T22:00:00Z");
        let (id, _) = created(&app, &owner, &org, "stocktaking", project("Frozen after the close"));
        assert_eq!(submit(&app, &owner, &id).status().as_u16(), 200);
        let owner = travel(&app, "2025-02-10T23:00:00Z");
        let withdraw = || app.send(app.client.post(app.url(&format!("/api/v1/submissions/{id}/withdraw"))).bearer_auth(&owner.access));
        let refused = problem(withdraw(), 409, "deadline_passed");
        assert_eq!(refused["deadline"]["attempted"], "withdraw");
        let stored = body_json(app.send(app.client.get(app.url(&format!("/api/v1/submissions/{id}"))).bearer_auth(&owner.access)));
        assert_eq!(stored["status"], "submitted", "nothing changed");
        let history = body_json(app.send(app.client.get(app.url(&format!("/api/v1/submissions/{id}/history"))).bearer_auth(&owner.access)));
        assert!(history["items"].as_array().unwrap().iter().any(|e| e["action"] == "late_attempt" && e["detail"]["attempted"] == "withdraw"), "{history}");
        // An extension for this organisation reopens withdrawal with the rest.
        let staff = app.staff("staff@example.org");
        let granted = app.send(app.client.post(app.url("/api/v1/calls/wsis-2025/tracks/stocktaking/extensions")).bearer_auth(&staff.access)
            .json(&json!({"organisation_id": org, "until": "2025-02-12T22:59:59Z", "reason": "Power cut at the office"})));
        assert_eq!(granted.status().as_u16(), 201, "{}", granted.text().unwrap());
        assert_eq!(body_json(withdraw())["status"], "withdrawn");
    }
}

e2e_test! {
    fn a_receipt_number_alone_tells_a_stranger_nothing(app) {
        let (owner, org) = setup(&app);
        let secret = json!({"kind": "financial", "amount": "4750", "currency": "CHF"});
        let (id, _) = created(&app, &owner, &org, "trust_fund", secret.clone());
        let receipt = body_json(submit(&app, &owner, &id));
        let number = receipt["number"].as_str().unwrap().to_owned();
        // The attack that worked: walk the sequential numbers anonymously, read each digest, and hash guessed pledges
        // until one matches. Without the check code no answer carries a digest, or even says the number exists.
        let mut answers = std::collections::BTreeSet::new();
        for n in 1..=3 {
            for query in ["", "?check=", "?check=00000000000000000000", "?check=ffffffffffffffffffff"] {
                let response = app.get(&format!("/api/v1/receipts/WSIS-2025-TF-{n:06}{query}"));
                let status = response.status().as_u16();
                let text = response.text().unwrap();
                assert!(!text.contains(receipt["content_sha256"].as_str().unwrap()), "{text}");
                let body: Value = serde_json::from_str(&text).unwrap();
                assert!(body.get("content_sha256").is_none() && body.get("received_at").is_none(), "{body}");
                answers.insert((status, body["code"].as_str().unwrap().to_owned(), body["detail"].as_str().unwrap().to_owned()));
            }
        }
        let statuses: std::collections::BTreeSet<u16> = answers.iter().map(|a| a.0).collect();
        assert_eq!(statuses, [404, 422].into(), "missing code: 422; wrong code or no such number: one 404 for both");
        assert_eq!(answers.iter().filter(|a| a.0 == 404).count(), 1, "an existing number with a wrong code answers exactly as a missing one: {answers:?}");
        let digest = |content: &Value| {
            Sha256::digest(wsis_domain::submission::canonical_json(content).as_bytes()).iter().map(|b| format!("{b:02x}")).collect::<String>()
        };
        assert_eq!(receipt["content_sha256"], digest(&secret), "the owner's own copy still checks against the receipt");
        let check = body_json(app.get(&format!("/api/v1/receipts/{number}?check={}", receipt["check_code"].as_str().unwrap().to_uppercase())));
        assert_eq!(check["content_sha256"], receipt["content_sha256"], "the code is read case-insensitively");
    }
}

e2e_test! {
    fn receipt_numbers_are_unique_per_call_when_two_calls_share_a_year(app) {
        let staff = app.staff("staff@example.org");
        let (_, org) = setup(&app);
        for slug in ["wsis-2026", "wsis-2026-special"] {
            let call = json!({
                "slug": slug, "year": 2026, "timezone": "Europe/Zurich",
                "title": {"ar": "دعوة", "zh": "征集", "en": "Call", "fr": "Appel", "ru": "Призыв", "es": "Convocatoria"},
                "tracks": [{"kind": "trust_fund", "opens": {"rule": "start_of_local_day", "date": "2025-01-01"}, "closes": {"rule": "end_of_local_day", "date": "2026-03-13"}}]
            });
            assert_eq!(app.send(app.client.post(app.url("/api/v1/calls")).bearer_auth(&staff.access).json(&call)).status().as_u16(), 201);
        }
        let owner = app.sign_in("owner@example.org", wsis_e2e::PASSWORD);
        let mut numbers = Vec::new();
        for slug in ["wsis-2026", "wsis-2026-special", "wsis-2026-special", "wsis-2026"] {
            let body = json!({"call": slug, "track": "trust_fund", "organisation_id": org, "language": "en", "content": pledge()});
            let id = body_json(app.send(app.client.post(app.url("/api/v1/submissions")).bearer_auth(&owner.access).json(&body)))["id"].as_str().unwrap().to_owned();
            let receipt = submit(&app, &owner, &id);
            assert_eq!(receipt.status().as_u16(), 200, "a second call of the same year takes submissions");
            numbers.push(body_json(receipt)["number"].as_str().unwrap().to_owned());
        }
        assert_eq!(numbers, ["WSIS-2026-TF-000001", "WSIS-2026-SPECIAL-TF-000001", "WSIS-2026-SPECIAL-TF-000002", "WSIS-2026-TF-000002"]);
    }
}

e2e_test! {
    fn a_member_removed_from_the_organisation_gets_no_more_mail_about_its_entries(app) {
        let (owner, org) = setup(&app);
        let staff = app.staff("staff@example.org");
        let editor = app.verified_user("editor@example.org");
        let now = wsis_domain::Clock::now(app.clock.as_ref());
        app.database.with(|conn| wsis_persistence::organisations::add_member(conn, &org, &editor.user_id, wsis_domain::MemberRole::Editor, now)).unwrap();
        let editor = app.sign_in("editor@example.org", wsis_e2e::PASSWORD);
        let (first, _) = created(&app, &editor, &org, "trust_fund", pledge());
        let (second, _) = created(&app, &editor, &org, "trust_fund", pledge());
        assert_eq!(submit(&app, &editor, &first).status().as_u16(), 200);
        let before = app.mails_to("editor@example.org").len();
        assert!(app.mails_to("editor@example.org").iter().any(|m| m.subject.contains("WSIS-2025-TF-000001")), "the author is told while a member");
        let removed = app.send(app.client.delete(app.url(&format!("/api/v1/organisations/{org}/members/{}", editor.user_id))).bearer_auth(&owner.access));
        assert_eq!(removed.status().as_u16(), 204);
        // A receipt and a decision with a staff note about the entries the former member wrote.
        assert_eq!(submit(&app, &owner, &second).status().as_u16(), 200);
        let decided = app.send(app.client.post(app.url(&format!("/api/v1/submissions/{first}/decision"))).bearer_auth(&staff.access).json(&json!({"decision": "reject", "note": "Internal: the budget line is unclear."})));
        assert_eq!(decided.status().as_u16(), 200);
        assert_eq!(app.mails_to("editor@example.org").len(), before, "nothing after the removal");
        let owner_mails = app.mails_to("owner@example.org");
        assert!(owner_mails.iter().any(|m| m.subject.contains("WSIS-2025-TF-000002")), "the owners still are");
        assert!(owner_mails.iter().any(|m| m.body.contains("budget line")));
    }
}

e2e_test! {
    fn an_unknown_track_or_language_is_named_after_who_may_ask_is_settled(app) {
        let (owner, org) = setup(&app);
        let body = problem(create(&app, &owner, &org, "tombola", "xx", pledge()), 422, "validation_failed");
        let fields: Vec<(&str, &str)> = body["errors"].as_array().unwrap().iter().map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap())).collect();
        assert_eq!(fields, [("track", "unknown_track"), ("language", "unsupported_language")]);
        // Someone who is not a member learns nothing about the organisation, whatever else is wrong.
        let stranger = app.verified_user("stranger@example.org");
        problem(create(&app, &stranger, &org, "tombola", "en", pledge()), 404, "not_found");
    }
}

e2e_test! {
    fn a_submission_read_again_unchanged_is_not_modified(app) {
        let (owner, org) = setup(&app);
        let (id, created_tag) = created(&app, &owner, &org, "trust_fund", pledge());
        let get = |tag: Option<&str>| {
            let request = app.client.get(app.url(&format!("/api/v1/submissions/{id}"))).bearer_auth(&owner.access);
            app.send(match tag {
                Some(tag) => request.header("If-None-Match", tag),
                None => request,
            })
        };
        let first = get(None);
        assert_eq!(first.status().as_u16(), 200);
        let tag = header(&first, "etag");
        assert_eq!(tag, created_tag, "the tag a create gave is the tag a read gives");
        assert_eq!(header(&first, "cache-control"), "private, no-cache");
        let again = get(Some(&tag));
        assert_eq!(again.status().as_u16(), 304);
        assert_eq!(header(&again, "etag"), tag);
        assert_eq!(get(Some(&format!("\"other\", {tag}"))).status().as_u16(), 304, "a list naming it");
        assert_eq!(submit(&app, &owner, &id).status().as_u16(), 200);
        let changed = get(Some(&tag));
        assert_eq!(changed.status().as_u16(), 200, "a new version is sent in full");
        assert_ne!(header(&changed, "etag"), tag);
        assert_eq!(body_json(changed)["status"], "submitted");
    }
}

e2e_test! {
    fn a_submit_with_an_ended_session_is_refused_whatever_its_headers(app) {
        // The submit looks the caller's session up in its own database job: an ended session must still be 401,
        // with or without an Idempotency-Key, and before a malformed key is named.
        let (owner, org) = setup(&app);
        let (id, _) = created(&app, &owner, &org, "trust_fund", pledge());
        let revoked = app.send(app.client.post(app.url("/api/v1/auth/revoke")).form(&[("token", owner.refresh.as_str()), ("token_type_hint", "refresh_token")]));
        assert_eq!(revoked.status().as_u16(), 200);
        let url = app.url(&format!("/api/v1/submissions/{id}/submit"));
        let plain = problem(submit(&app, &owner, &id), 401, "unauthorized");
        assert_eq!(plain["detail"], "The token's session has ended; sign in again.");
        let keyed = app.send(app.client.post(&url).bearer_auth(&owner.access).header("Idempotency-Key", "retry-1"));
        assert!(header(&keyed, "www-authenticate").starts_with("Bearer"));
        problem(keyed, 401, "unauthorized");
        problem(app.send(app.client.post(&url).bearer_auth(&owner.access).header("Idempotency-Key", "")), 401, "unauthorized");
        problem(app.send(app.client.post(format!("{url}?dry_run=true")).bearer_auth(&owner.access)), 401, "unauthorized");
        // The draft is untouched; a new session submits it.
        let again = app.sign_in("owner@example.org", wsis_e2e::PASSWORD);
        assert_eq!(body_json(submit(&app, &again, &id))["number"].as_str().map(|n| n.starts_with("WSIS-2025-")), Some(true));
    }
}
