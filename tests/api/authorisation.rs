//! Who can do what: every endpoint that exists × every kind of caller. A foreign object answers 404 like a
//! missing one; a missing role or scope answers 403; no credentials answer 401.

use reqwest::blocking::RequestBuilder;
use serde_json::json;
use wsis_domain::Clock;
use wsis_e2e::{SendTo, TestApp, e2e_test, header, json as body_json};

const ACTORS: [&str; 8] = [
    "anonymous",
    "other member",
    "viewer",
    "editor",
    "owner",
    "reviewer",
    "partner",
    "staff",
];

type Call = Box<dyn Fn(&TestApp, Option<&str>) -> u16>;

fn with(request: RequestBuilder, token: Option<&str>) -> RequestBuilder {
    match token {
        Some(token) => request.bearer_auth(token),
        None => request,
    }
}

e2e_test! {
    fn every_endpoint_answers_each_kind_of_caller_as_the_policy_says(app) {
        let staff = app.staff("staff@example.org");
        let owner = app.verified_user("owner@example.org");
        let editor = app.verified_user("editor@example.org");
        let viewer = app.verified_user("viewer@example.org");
        let other = app.verified_user("other@example.org");
        let reviewer = app.verified_user("reviewer@example.org");
        let org = app.organisation(&owner, "Target Org");
        app.organisation(&other, "Other Org");
        let now = app.clock.now();
        app.database
            .with(|conn| {
                use wsis_persistence::organisations::add_member;
                add_member(conn, &org, &editor.user_id, wsis_domain::MemberRole::Editor, now)?;
                add_member(conn, &org, &viewer.user_id, wsis_domain::MemberRole::Viewer, now)?;
                wsis_persistence::users::grant_role(conn, &reviewer.user_id, wsis_domain::UserRole::Reviewer, now)
            })
            .unwrap();
        let reviewer = app.sign_in("reviewer@example.org", wsis_e2e::PASSWORD);
        let client = body_json(app.send(
            app.client.post(app.url("/api/v1/admin/api-clients")).bearer_auth(&staff.access).json(&json!({"name": "Portal", "agency": "UNDP", "scopes": ["stats:read"]})),
        ));
        let partner = body_json(app.send(app.client.post(app.url("/api/v1/auth/token")).form(&[
            ("grant_type", "client_credentials"),
            ("client_id", client["client"]["client_id"].as_str().unwrap()),
            ("client_secret", client["client_secret"].as_str().unwrap()),
        ])));
        let partner = partner["access_token"].as_str().unwrap().to_owned();
        let client_id = client["client"]["id"].as_str().unwrap().to_owned();
        let throwaway = app.register("throwaway@example.org");
        let temp = app.register("temp@example.org");
        let pledge = json!({"kind": "financial", "amount": "100", "currency": "CHF"});
        let new_pledge = json!({"call": "wsis-2025", "track": "trust_fund", "organisation_id": org, "language": "en", "content": pledge});
        let draft = body_json(app.send(app.client.post(app.url("/api/v1/submissions")).bearer_auth(&owner.access).json(&new_pledge)))["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let sent = body_json(app.send(app.client.post(app.url("/api/v1/submissions")).bearer_auth(&owner.access).json(&new_pledge)))["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let receipt = body_json(app.send(app.client.post(app.url(&format!("/api/v1/submissions/{sent}/submit"))).bearer_auth(&owner.access)));
        let receipt = format!("{}?check={}", receipt["number"].as_str().unwrap(), receipt["check_code"].as_str().unwrap());
        let tokens: [Option<&str>; 8] = [
            None,
            Some(&other.access),
            Some(&viewer.access),
            Some(&editor.access),
            Some(&owner.access),
            Some(&reviewer.access),
            Some(&partner),
            Some(&staff.access),
        ];

        let o = org.clone();
        let org_url = move |app: &TestApp, rest: &str| app.url(&format!("/api/v1/organisations/{o}{rest}"));
        let current_etag = {
            let org_url = org_url.clone();
            let staff = staff.access.clone();
            move |app: &TestApp| header(&app.send(app.client.get(org_url(app, "")).bearer_auth(&staff)), "etag")
        };
        let (org_for_temp, temp_id) = (org.clone(), temp.clone());
        let ensure_temp_member = move |app: &TestApp| {
            let now = app.clock.now();
            let _ = app.database.with(|conn| wsis_persistence::organisations::add_member(conn, &org_for_temp, &temp_id, wsis_domain::MemberRole::Viewer, now));
        };
        let viewer_id = viewer.user_id.clone();
        let (throwaway_id, client_for_rotate, client_for_delete) = (throwaway.clone(), client_id.clone(), client_id.clone());
        let temp_for_delete = temp.clone();
        let u = |s: &str| s.to_owned();
        let hook = |url: &str| {
            body_json(app.send(app.client.post(app.url("/api/v1/webhooks")).bearer_auth(&staff.access).json(&json!({"url": url}))))["id"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        let (hook_id, hook_to_delete) = (hook("https://hooks.example.org/in"), hook("https://hooks.example.org/gone"));
        let h = move |rest: &str| format!("/api/v1/webhooks/{hook_id}{rest}");
        let cases: Vec<(String, Call, [u16; 8])> = vec![
            (u("GET /changes"), Box::new(|app, t| app.send(with(app.client.get(app.url("/api/v1/changes")), t)).status().as_u16()), [200; 8]),
            (
                u("POST /webhooks"),
                Box::new(|app, t| with(app.client.post(app.url("/api/v1/webhooks")), t).json(&json!({"url": "https://hooks.example.org/new"})).send_to(app).status().as_u16()),
                [401, 403, 403, 403, 403, 403, 201, 201],
            ),
            (u("GET /webhooks"), Box::new(|app, t| app.send(with(app.client.get(app.url("/api/v1/webhooks")), t)).status().as_u16()), [401, 403, 403, 403, 403, 403, 200, 200]),
            (u("GET /webhooks/{id}"), Box::new({ let h = h.clone(); move |app, t| app.send(with(app.client.get(app.url(&h(""))), t)).status().as_u16() }), [401, 403, 403, 403, 403, 403, 404, 200]),
            (
                u("PATCH /webhooks/{id}"),
                Box::new({ let h = h.clone(); move |app, t| with(app.client.patch(app.url(&h(""))), t).json(&json!({"description": "x"})).send_to(app).status().as_u16() }),
                [401, 403, 403, 403, 403, 403, 404, 200],
            ),
            (u("POST /webhooks/{id}/secret:rotate"), Box::new({ let h = h.clone(); move |app, t| app.send(with(app.client.post(app.url(&h("/secret:rotate"))), t)).status().as_u16() }), [401, 403, 403, 403, 403, 403, 404, 200]),
            (u("POST /webhooks/{id}/ping"), Box::new({ let h = h.clone(); move |app, t| app.send(with(app.client.post(app.url(&h("/ping"))), t)).status().as_u16() }), [401, 403, 403, 403, 403, 403, 404, 202]),
            (u("GET /webhooks/{id}/deliveries"), Box::new({ let h = h.clone(); move |app, t| app.send(with(app.client.get(app.url(&h("/deliveries"))), t)).status().as_u16() }), [401, 403, 403, 403, 403, 403, 404, 200]),
            (
                u("POST /webhooks/{id}/deliveries/{delivery}/redeliver"),
                Box::new({ let h = h.clone(); move |app, t| app.send(with(app.client.post(app.url(&h("/deliveries/0193a0c4-0000-7000-8000-000000000000/redeliver"))), t)).status().as_u16() }),
                [401, 403, 403, 403, 403, 403, 404, 404],
            ),
            (
                u("DELETE /webhooks/{id}"),
                Box::new(move |app, t| app.send(with(app.client.delete(app.url(&format!("/api/v1/webhooks/{hook_to_delete}"))), t)).status().as_u16()),
                [401, 403, 403, 403, 403, 403, 404, 204],
            ),
            (u("GET /calls"), Box::new(|app, t| app.send(with(app.client.get(app.url("/api/v1/calls")), t)).status().as_u16()), [200; 8]),
            (u("GET /reference/sdgs"), Box::new(|app, t| app.send(with(app.client.get(app.url("/api/v1/reference/sdgs")), t)).status().as_u16()), [200; 8]),
            (u("GET /me"), Box::new(|app, t| app.send(with(app.client.get(app.url("/api/v1/me")), t)).status().as_u16()), [401, 200, 200, 200, 200, 200, 403, 200]),
            (u("GET /me/sessions"), Box::new(|app, t| app.send(with(app.client.get(app.url("/api/v1/me/sessions")), t)).status().as_u16()), [401, 200, 200, 200, 200, 200, 403, 200]),
            (u("GET /me/export"), Box::new(|app, t| app.send(with(app.client.get(app.url("/api/v1/me/export")), t)).status().as_u16()), [401, 200, 200, 200, 200, 200, 403, 200]),
            (u("POST /me/sessions:revoke-others"), Box::new(|app, t| app.send(with(app.client.post(app.url("/api/v1/me/sessions:revoke-others")), t)).status().as_u16()), [401, 200, 200, 200, 200, 200, 403, 200]),
            (
                u("DELETE /me/sessions/{id} (not the caller's)"),
                Box::new(|app, t| app.send(with(app.client.delete(app.url("/api/v1/me/sessions/0193a0c4-0000-7000-8000-000000000000")), t)).status().as_u16()),
                [401, 404, 404, 404, 404, 404, 403, 404],
            ),
            (
                u("POST /me/email (wrong password)"),
                Box::new(|app, t| with(app.client.post(app.url("/api/v1/me/email")), t).json(&json!({"new_email": "moved@example.org", "password": "not it at all"})).send_to(app).status().as_u16()),
                [401, 422, 422, 422, 422, 422, 403, 422],
            ),
            (u("POST /auth/password-reset"), Box::new(|app, t| with(app.client.post(app.url("/api/v1/auth/password-reset")), t).json(&json!({"email": "owner@example.org"})).send_to(app).status().as_u16()), [202; 8]),
            (u("POST /auth/password-reset:confirm (unknown link)"), Box::new(|app, t| with(app.client.post(app.url("/api/v1/auth/password-reset:confirm")), t).json(&json!({"token": "wsis_pr_unknown", "new_password": "another fine passphrase"})).send_to(app).status().as_u16()), [400; 8]),
            (u("POST /auth/email-change:confirm (unknown link)"), Box::new(|app, t| with(app.client.post(app.url("/api/v1/auth/email-change:confirm")), t).json(&json!({"token": "wsis_ec_unknown"})).send_to(app).status().as_u16()), [400; 8]),
            (u("GET /me/votes"), Box::new(|app, t| app.send(with(app.client.get(app.url("/api/v1/me/votes")), t)).status().as_u16()), [401, 200, 200, 200, 200, 200, 403, 200]),
            // The Prizes at the clock's default time (14 March 2025): voting is open, the nominees are not published.
            (u("GET /calls/{call}/prizes/nominees (a draft)"), Box::new(|app, t| app.send(with(app.client.get(app.url("/api/v1/calls/wsis-2025/prizes/nominees")), t)).status().as_u16()), [404, 404, 404, 404, 404, 404, 404, 200]),
            (u("GET /calls/{call}/prizes/results (a preview)"), Box::new(|app, t| app.send(with(app.client.get(app.url("/api/v1/calls/wsis-2025/prizes/results")), t)).status().as_u16()), [404, 404, 404, 404, 404, 404, 404, 200]),
            (
                u("POST /calls/{call}/prizes/votes (nominees not published)"),
                Box::new(|app, t| with(app.client.post(app.url("/api/v1/calls/wsis-2025/prizes/votes")), t).json(&json!({"category": 9, "nominee": "0193a0c4-0000-7000-8000-000000000000"})).send_to(app).status().as_u16()),
                [401, 409, 409, 409, 409, 409, 403, 409],
            ),
            (
                u("PUT /calls/{call}/tracks/prizes/phases/results"),
                Box::new(|app, t| with(app.client.put(app.url("/api/v1/calls/wsis-2025/tracks/prizes/phases/results")), t).json(&json!({"opens": {"rule": "start_of_local_day", "date": "2025-07-07"}, "closes": {"rule": "end_of_local_day", "date": "2025-12-31"}})).send_to(app).status().as_u16()),
                [401, 403, 403, 403, 403, 403, 403, 200],
            ),
            (
                u("PUT /calls/{call}/prizes/nominees/{id} (not a nomination)"),
                Box::new(|app, t| app.send(with(app.client.put(app.url("/api/v1/calls/wsis-2025/prizes/nominees/0193a0c4-0000-7000-8000-000000000000")), t)).status().as_u16()),
                [401, 403, 403, 403, 403, 403, 403, 404],
            ),
            (
                u("PUT /calls/{call}/prizes/categories/{category}/winners (voting open)"),
                Box::new(|app, t| with(app.client.put(app.url("/api/v1/calls/wsis-2025/prizes/categories/9/winners")), t).json(&json!({"nominees": []})).send_to(app).status().as_u16()),
                [401, 403, 403, 403, 403, 403, 403, 409],
            ),
            (
                u("POST /calls/{call}/prizes/results:publish (voting open)"),
                Box::new(|app, t| app.send(with(app.client.post(app.url("/api/v1/calls/wsis-2025/prizes/results:publish")), t)).status().as_u16()),
                [401, 403, 403, 403, 403, 403, 403, 409],
            ),
            (u("GET /prizes/conflicts"), Box::new(|app, t| app.send(with(app.client.get(app.url("/api/v1/prizes/conflicts")), t)).status().as_u16()), [401, 403, 403, 403, 403, 403, 403, 200]),
            (u("GET /me/conflicts"), Box::new(|app, t| app.send(with(app.client.get(app.url("/api/v1/me/conflicts")), t)).status().as_u16()), [401, 403, 403, 403, 403, 200, 403, 403]),
            (
                u("PUT /me/conflicts"),
                Box::new(|app, t| with(app.client.put(app.url("/api/v1/me/conflicts")), t).json(&json!({"countries": ["FR"]})).send_to(app).status().as_u16()),
                [401, 403, 403, 403, 403, 200, 403, 403],
            ),
            (u("GET /me/assignments"), Box::new(|app, t| app.send(with(app.client.get(app.url("/api/v1/me/assignments?call=wsis-2025")), t)).status().as_u16()), [401, 403, 403, 403, 403, 200, 403, 403]),
            (u("GET /calls/{call}/prizes/assignments"), Box::new(|app, t| app.send(with(app.client.get(app.url("/api/v1/calls/wsis-2025/prizes/assignments")), t)).status().as_u16()), [401, 403, 403, 403, 403, 403, 403, 200]),
            (
                u("POST /calls/{call}/prizes/assignments:auto"),
                Box::new(|app, t| with(app.client.post(app.url("/api/v1/calls/wsis-2025/prizes/assignments:auto")), t).json(&json!({"per_nomination": 1})).send_to(app).status().as_u16()),
                [401, 403, 403, 403, 403, 403, 403, 200],
            ),
            (
                u("PUT /calls/{call}/prizes/nominations/{id}/reviewers/{reviewer} (no such nomination)"),
                Box::new(|app, t| app.send(with(app.client.put(app.url("/api/v1/calls/wsis-2025/prizes/nominations/0193a0c4-0000-7000-8000-000000000000/reviewers/nobody")), t)).status().as_u16()),
                [401, 403, 403, 403, 403, 403, 403, 404],
            ),
            (
                u("DELETE /calls/{call}/prizes/nominations/{id}/reviewers/{reviewer} (no such assignment)"),
                Box::new(|app, t| app.send(with(app.client.delete(app.url("/api/v1/calls/wsis-2025/prizes/nominations/0193a0c4-0000-7000-8000-000000000000/reviewers/nobody")), t)).status().as_u16()),
                [401, 403, 403, 403, 403, 403, 403, 404],
            ),
            (u("GET /calls/{call}/prizes/rules"), Box::new(|app, t| app.send(with(app.client.get(app.url("/api/v1/calls/wsis-2025/prizes/rules")), t)).status().as_u16()), [200; 8]),
            (
                u("PUT /calls/{call}/prizes/rules"),
                Box::new(|app, t| with(app.client.put(app.url("/api/v1/calls/wsis-2025/prizes/rules")), t).json(&json!({"review_criteria": [], "country_conflicts": true})).send_to(app).status().as_u16()),
                [401, 403, 403, 403, 403, 403, 403, 200],
            ),
            (
                u("PUT /calls/{call}/prizes/nominations/{id}/review (not assigned)"),
                Box::new(|app, t| with(app.client.put(app.url("/api/v1/calls/wsis-2025/prizes/nominations/0193a0c4-0000-7000-8000-000000000000/review")), t).json(&json!({"scores": []})).send_to(app).status().as_u16()),
                [401, 403, 403, 403, 403, 404, 403, 403],
            ),
            (
                u("GET /calls/{call}/prizes/nominations/{id}/review (none)"),
                Box::new(|app, t| app.send(with(app.client.get(app.url("/api/v1/calls/wsis-2025/prizes/nominations/0193a0c4-0000-7000-8000-000000000000/review")), t)).status().as_u16()),
                [401, 403, 403, 403, 403, 404, 403, 403],
            ),
            (u("GET /me/reviews"), Box::new(|app, t| app.send(with(app.client.get(app.url("/api/v1/me/reviews?call=wsis-2025")), t)).status().as_u16()), [401, 403, 403, 403, 403, 200, 403, 403]),
            (u("GET /calls/{call}/prizes/reviews"), Box::new(|app, t| app.send(with(app.client.get(app.url("/api/v1/calls/wsis-2025/prizes/reviews")), t)).status().as_u16()), [401, 403, 403, 403, 403, 403, 403, 200]),
            (u("GET /calls/{call}/prizes/review-summary"), Box::new(|app, t| app.send(with(app.client.get(app.url("/api/v1/calls/wsis-2025/prizes/review-summary")), t)).status().as_u16()), [401, 403, 403, 403, 403, 403, 403, 200]),
            (
                u("POST /calls/{call}/prizes/nominees:shortlist"),
                Box::new(|app, t| with(app.client.post(app.url("/api/v1/calls/wsis-2025/prizes/nominees:shortlist")), t).json(&json!({"per_category": 1})).send_to(app).status().as_u16()),
                [401, 403, 403, 403, 403, 403, 403, 200],
            ),
            (u("GET /prizes/earlier-winners"), Box::new(|app, t| app.send(with(app.client.get(app.url("/api/v1/prizes/earlier-winners")), t)).status().as_u16()), [401, 403, 403, 403, 403, 403, 403, 200]),
            (
                u("POST /prizes/earlier-winners"),
                Box::new(|app, t| with(app.client.post(app.url("/api/v1/prizes/earlier-winners")), t).json(&json!({"year": 2018, "title": "Matrix", "organisation_name": "Matrix Org"})).send_to(app).status().as_u16()),
                [401, 403, 403, 403, 403, 403, 403, 201],
            ),
            (
                u("POST /calls/{call}/prizes/votes:invalidate"),
                Box::new(|app, t| with(app.client.post(app.url("/api/v1/calls/wsis-2025/prizes/votes:invalidate")), t).json(&json!({"voter": "nobody", "reason": "matrix"})).send_to(app).status().as_u16()),
                [401, 403, 403, 403, 403, 403, 403, 200],
            ),
            (
                u("POST /calls/{call}/prizes/nominees:publish"),
                Box::new(|app, t| app.send(with(app.client.post(app.url("/api/v1/calls/wsis-2025/prizes/nominees:publish")), t)).status().as_u16()),
                [401, 403, 403, 403, 403, 403, 403, 200],
            ),
            (
                u("DELETE /calls/{call}/prizes/nominees/{id} (published)"),
                Box::new(|app, t| app.send(with(app.client.delete(app.url("/api/v1/calls/wsis-2025/prizes/nominees/0193a0c4-0000-7000-8000-000000000000")), t)).status().as_u16()),
                [401, 403, 403, 403, 403, 403, 403, 409],
            ),
            (u("GET /calls/{call}/prizes/nominees (published)"), Box::new(|app, t| app.send(with(app.client.get(app.url("/api/v1/calls/wsis-2025/prizes/nominees")), t)).status().as_u16()), [200; 8]),
            (
                u("POST /me/password (wrong current)"),
                Box::new(|app, t| with(app.client.post(app.url("/api/v1/me/password")), t).json(&json!({"current_password": "not it at all", "new_password": "another fine passphrase"})).send_to(app).status().as_u16()),
                [401, 422, 422, 422, 422, 422, 403, 422],
            ),
            (
                u("POST /organisations"),
                Box::new(|app, t| with(app.client.post(app.url("/api/v1/organisations")), t).json(&json!({"name": "New", "stakeholder_category": "government", "country": "FR"})).send_to(app).status().as_u16()),
                [401, 201, 201, 201, 201, 201, 403, 201],
            ),
            (u("GET /organisations/{id}"), Box::new({ let f = org_url.clone(); move |app, t| app.send(with(app.client.get(f(app, "")), t)).status().as_u16() }), [401, 404, 200, 200, 200, 404, 404, 200]),
            (
                u("PATCH /organisations/{id}"),
                Box::new({ let f = org_url.clone(); let etag = current_etag.clone(); move |app, t| with(app.client.patch(f(app, "")), t).header("If-Match", etag(app)).json(&json!({"website": "https://target.example.org"})).send_to(app).status().as_u16() }),
                [401, 404, 403, 200, 200, 404, 404, 200],
            ),
            (u("GET /organisations/{id}/members"), Box::new({ let f = org_url.clone(); move |app, t| app.send(with(app.client.get(f(app, "/members")), t)).status().as_u16() }), [401, 404, 200, 200, 200, 404, 404, 200]),
            (
                u("PATCH /organisations/{id}/members/{viewer}"),
                Box::new({ let f = org_url.clone(); move |app, t| with(app.client.patch(f(app, &format!("/members/{viewer_id}"))), t).json(&json!({"role": "viewer"})).send_to(app).status().as_u16() }),
                [401, 404, 403, 403, 204, 404, 404, 204],
            ),
            (
                u("DELETE /organisations/{id}/members/{someone}"),
                Box::new({ let f = org_url.clone(); move |app, t| { ensure_temp_member(app); app.send(with(app.client.delete(f(app, &format!("/members/{temp_for_delete}"))), t)).status().as_u16() } }),
                [401, 404, 403, 403, 204, 404, 404, 204],
            ),
            (
                u("POST /organisations/{id}/invitations"),
                Box::new({ let f = org_url.clone(); move |app, t| with(app.client.post(f(app, "/invitations")), t).json(&json!({"email": "guest@example.org", "role": "viewer"})).send_to(app).status().as_u16() }),
                [401, 404, 403, 403, 201, 404, 404, 201],
            ),
            (u("GET /organisations/{id}/invitations"), Box::new({ let f = org_url.clone(); move |app, t| app.send(with(app.client.get(f(app, "/invitations")), t)).status().as_u16() }), [401, 404, 403, 403, 200, 404, 404, 200]),
            (
                u("POST /submissions"),
                Box::new({ let body = new_pledge.clone(); move |app, t| with(app.client.post(app.url("/api/v1/submissions")), t).json(&body).send_to(app).status().as_u16() }),
                [401, 404, 403, 201, 201, 404, 404, 403],
            ),
            (u("GET /submissions"), Box::new(|app, t| app.send(with(app.client.get(app.url("/api/v1/submissions")), t)).status().as_u16()), [401, 200, 200, 200, 200, 200, 200, 200]),
            (
                u("GET /submissions/{draft}"),
                Box::new({ let id = draft.clone(); move |app, t| app.send(with(app.client.get(app.url(&format!("/api/v1/submissions/{id}"))), t)).status().as_u16() }),
                [401, 404, 200, 200, 200, 404, 404, 404],
            ),
            (
                u("PATCH /submissions/{draft}"),
                Box::new({
                    let (id, owner_token, content) = (draft.clone(), owner.access.clone(), pledge.clone());
                    move |app, t| {
                        let url = app.url(&format!("/api/v1/submissions/{id}"));
                        let etag = header(&app.send(app.client.get(&url).bearer_auth(&owner_token)), "etag");
                        with(app.client.patch(&url), t).header("If-Match", etag).json(&json!({"content": content})).send_to(app).status().as_u16()
                    }
                }),
                [401, 404, 403, 200, 200, 404, 404, 404],
            ),
            (
                u("GET /submissions/{submitted}/history"),
                Box::new({ let id = sent.clone(); move |app, t| app.send(with(app.client.get(app.url(&format!("/api/v1/submissions/{id}/history"))), t)).status().as_u16() }),
                [401, 404, 200, 200, 200, 404, 404, 200],
            ),
            (
                // Staff only; a trust-fund pledge is no prize nomination, hence 404 for staff.
                u("PUT /submissions/{submitted}/prize-award"),
                Box::new({ let id = sent.clone(); move |app, t| with(app.client.put(app.url(&format!("/api/v1/submissions/{id}/prize-award"))), t).json(&json!({"award": "winner"})).send_to(app).status().as_u16() }),
                [401, 403, 403, 403, 403, 403, 403, 404],
            ),
            (
                u("DELETE /submissions/{submitted}/prize-award"),
                Box::new({ let id = sent.clone(); move |app, t| app.send(with(app.client.delete(app.url(&format!("/api/v1/submissions/{id}/prize-award"))), t)).status().as_u16() }),
                [401, 403, 403, 403, 403, 403, 403, 404],
            ),
            (
                u("POST /submissions/{submitted}/decision"),
                Box::new({ let id = sent.clone(); move |app, t| with(app.client.post(app.url(&format!("/api/v1/submissions/{id}/decision"))), t).json(&json!({"decision": "start_review"})).send_to(app).status().as_u16() }),
                [401, 403, 403, 403, 403, 403, 403, 200],
            ),
            (
                u("POST /decisions:batch"),
                Box::new(|app, t| with(app.client.post(app.url("/api/v1/decisions:batch")), t).json(&json!({"items": [{"submission_id": "none", "decision": "accept"}]})).send_to(app).status().as_u16()),
                [401, 403, 403, 403, 403, 403, 403, 200],
            ),
            (u("GET /submissions/export"), Box::new(|app, t| app.send(with(app.client.get(app.url("/api/v1/submissions/export")), t)).status().as_u16()), [401, 403, 403, 403, 403, 403, 403, 200]),
            (
                u("GET /receipts/{number}"),
                Box::new({ let n = receipt.clone(); move |app, t| app.send(with(app.client.get(app.url(&format!("/api/v1/receipts/{n}"))), t)).status().as_u16() }),
                [200; 8],
            ),
            (u("GET /stocktaking/projects"), Box::new(|app, t| app.send(with(app.client.get(app.url("/api/v1/stocktaking/projects")), t)).status().as_u16()), [200; 8]),
            (u("GET /calls/{call}/stats"), Box::new(|app, t| app.send(with(app.client.get(app.url("/api/v1/calls/wsis-2025/stats")), t)).status().as_u16()), [200; 8]),
            (
                u("POST /calls"),
                Box::new(|app, t| {
                    let call = json!({
                        "slug": "matrix-call", "year": 2030, "timezone": "UTC",
                        "title": {"ar": "x", "zh": "x", "en": "x", "fr": "x", "ru": "x", "es": "x"},
                        "tracks": [{"kind": "ocp", "opens": {"rule": "start_of_local_day", "date": "2030-01-01"}, "closes": {"rule": "end_of_local_day", "date": "2030-02-01"}}],
                        "session_formats": ["workshop"]
                    });
                    with(app.client.post(app.url("/api/v1/calls")), t).json(&call).send_to(app).status().as_u16()
                }),
                [401, 403, 403, 403, 403, 403, 403, 201],
            ),
            (
                u("PATCH /calls/{call}/tracks/{track}"),
                Box::new(|app, t| with(app.client.patch(app.url("/api/v1/calls/wsis-2025/tracks/trust_fund")), t).json(&json!({"grace_seconds": 0})).send_to(app).status().as_u16()),
                [401, 403, 403, 403, 403, 403, 403, 200],
            ),
            (
                u("POST /calls/{call}/tracks/{track}/extensions"),
                Box::new({ let o = org.clone(); move |app, t| with(app.client.post(app.url("/api/v1/calls/wsis-2025/tracks/ocp/extensions")), t).json(&json!({"organisation_id": o, "until": "2025-04-01T00:00:00Z", "reason": "matrix"})).send_to(app).status().as_u16() }),
                [401, 403, 403, 403, 403, 403, 403, 201],
            ),
            (
                u("GET /calls/{call}/tracks/{track}/extensions"),
                Box::new(|app, t| app.send(with(app.client.get(app.url("/api/v1/calls/wsis-2025/tracks/ocp/extensions")), t)).status().as_u16()),
                [401, 403, 403, 403, 403, 403, 403, 200],
            ),
            (
                u("POST /invitations:accept (unknown token)"),
                Box::new(|app, t| with(app.client.post(app.url("/api/v1/invitations:accept")), t).json(&json!({"token": "wsis_inv_nothing"})).send_to(app).status().as_u16()),
                [401, 400, 400, 400, 400, 400, 403, 400],
            ),
            (u("GET /admin/users"), Box::new(|app, t| app.send(with(app.client.get(app.url("/api/v1/admin/users")), t)).status().as_u16()), [401, 403, 403, 403, 403, 403, 403, 200]),
            (
                u("POST /admin/oauth-clients"),
                Box::new(|app, t| with(app.client.post(app.url("/api/v1/admin/oauth-clients")), t).json(&json!({"name": "Portal", "redirect_uris": ["https://portal.example/cb"], "scopes": ["account"]})).send_to(app).status().as_u16()),
                [401, 403, 403, 403, 403, 403, 403, 201],
            ),
            (u("GET /admin/oauth-clients"), Box::new(|app, t| app.send(with(app.client.get(app.url("/api/v1/admin/oauth-clients")), t)).status().as_u16()), [401, 403, 403, 403, 403, 403, 403, 200]),
            (
                u("DELETE /admin/oauth-clients/{id} (unknown)"),
                Box::new(|app, t| app.send(with(app.client.delete(app.url("/api/v1/admin/oauth-clients/0193a0c4-0000-7000-8000-000000000000")), t)).status().as_u16()),
                [401, 403, 403, 403, 403, 403, 403, 404],
            ),
            (u("GET /.well-known/oauth-authorization-server"), Box::new(|app, t| app.send(with(app.client.get(app.url("/.well-known/oauth-authorization-server")), t)).status().as_u16()), [200; 8]),
            (u("GET /oauth/authorize (unknown client)"), Box::new(|app, t| app.send(with(app.client.get(app.url("/api/v1/oauth/authorize?client_id=nobody")), t)).status().as_u16()), [400; 8]),
            (
                u("POST /admin/users/{id}/password-reset"),
                Box::new({ let id = throwaway_id.clone(); move |app, t| app.send(with(app.client.post(app.url(&format!("/api/v1/admin/users/{id}/password-reset"))), t)).status().as_u16() }),
                [401, 403, 403, 403, 403, 403, 403, 202],
            ),
            (
                u("PUT /admin/users/{id}/roles/reviewer"),
                Box::new({ let id = throwaway_id.clone(); move |app, t| app.send(with(app.client.put(app.url(&format!("/api/v1/admin/users/{id}/roles/reviewer"))), t)).status().as_u16() }),
                [401, 403, 403, 403, 403, 403, 403, 204],
            ),
            (
                u("DELETE /admin/users/{id}/roles/reviewer"),
                Box::new({ let id = throwaway_id.clone(); move |app, t| app.send(with(app.client.delete(app.url(&format!("/api/v1/admin/users/{id}/roles/reviewer"))), t)).status().as_u16() }),
                [401, 403, 403, 403, 403, 403, 403, 204],
            ),
            (
                u("POST /admin/api-clients"),
                Box::new(|app, t| with(app.client.post(app.url("/api/v1/admin/api-clients")), t).json(&json!({"name": "X", "agency": "ITU", "scopes": ["stats:read"]})).send_to(app).status().as_u16()),
                [401, 403, 403, 403, 403, 403, 403, 201],
            ),
            (u("GET /admin/api-clients"), Box::new(|app, t| app.send(with(app.client.get(app.url("/api/v1/admin/api-clients")), t)).status().as_u16()), [401, 403, 403, 403, 403, 403, 403, 200]),
            (
                u("GET /admin/api-clients/{id}"),
                Box::new({ let id = client_id.clone(); move |app, t| app.send(with(app.client.get(app.url(&format!("/api/v1/admin/api-clients/{id}"))), t)).status().as_u16() }),
                [401, 403, 403, 403, 403, 403, 403, 200],
            ),
            (
                u("POST /admin/api-clients/{id}/secret"),
                Box::new(move |app, t| app.send(with(app.client.post(app.url(&format!("/api/v1/admin/api-clients/{client_for_rotate}/secret"))), t)).status().as_u16()),
                // The partner's own token dies with the rotation staff make here, hence 401 in the rows below.
                [401, 403, 403, 403, 403, 403, 403, 200],
            ),
            (
                u("DELETE /admin/api-clients/{id}"),
                Box::new(move |app, t| app.send(with(app.client.delete(app.url(&format!("/api/v1/admin/api-clients/{client_for_delete}"))), t)).status().as_u16()),
                [401, 403, 403, 403, 403, 403, 401, 200],
            ),
            (
                u("DELETE /admin/users/{id}"),
                Box::new(move |app, t| app.send(with(app.client.delete(app.url(&format!("/api/v1/admin/users/{throwaway_id}"))), t)).status().as_u16()),
                [401, 403, 403, 403, 403, 403, 401, 204],
            ),
            // Last, as it would erase its callers: every user here made an organisation above and is its last owner
            // (tests/api/accounts.rs erases one).
            (u("DELETE /me"), Box::new(|app, t| app.send(with(app.client.delete(app.url("/api/v1/me")), t)).status().as_u16()), [401, 409, 409, 409, 409, 409, 401, 409]),
        ];
        let mut mismatches = Vec::new();
        for (name, call, expected) in &cases {
            for (i, actor) in ACTORS.iter().enumerate() {
                let got = call(&app, tokens[i]);
                if got != expected[i] {
                    mismatches.push(format!("{name} as {actor}: expected {}, got {got}", expected[i]));
                }
            }
        }
        assert!(mismatches.is_empty(), "\n{}", mismatches.join("\n"));
    }
}

e2e_test! {
    fn the_caller_is_authorised_before_the_body_is_read(app) {
        let member = app.verified_user("member@example.org");
        let org = app.organisation(&member, "Member Org");
        let staff_only = [
            ("POST", "/api/v1/calls".to_owned()),
            ("POST", "/api/v1/admin/api-clients".to_owned()),
            ("POST", "/api/v1/admin/oauth-clients".to_owned()),
            ("PATCH", "/api/v1/calls/wsis-2025/tracks/ocp".to_owned()),
            ("POST", "/api/v1/calls/wsis-2025/tracks/ocp/extensions".to_owned()),
            ("POST", "/api/v1/decisions:batch".to_owned()),
            ("POST", "/api/v1/submissions/00000000-0000-0000-0000-000000000000/decision".to_owned()),
            ("POST", "/api/v1/webhooks".to_owned()),
            ("PATCH", "/api/v1/webhooks/00000000-0000-0000-0000-000000000000".to_owned()),
        ];
        let signed_in = [
            ("POST", "/api/v1/organisations".to_owned()),
            ("POST", "/api/v1/submissions".to_owned()),
            ("POST", "/api/v1/me/password".to_owned()),
            ("POST", "/api/v1/me/email".to_owned()),
            ("PATCH", format!("/api/v1/organisations/{org}")),
            ("POST", format!("/api/v1/organisations/{org}/invitations")),
            ("POST", "/api/v1/invitations:accept".to_owned()),
        ];
        let send = |method: &str, path: &str, token: Option<&str>, body: &str| {
            let request = app.client.request(method.parse().unwrap(), app.url(path)).header("Content-Type", "application/json").body(body.to_owned());
            let request = match token { Some(t) => request.bearer_auth(t), None => request };
            app.send(request).status().as_u16()
        };
        // Malformed JSON, an empty object (missing fields) and a wrong shape: none of it is looked at first.
        for body in ["{not json", "{}", "[1, 2]"] {
            for (method, path) in staff_only.iter().chain(signed_in.iter()) {
                assert_eq!(send(method, path, None, body), 401, "anonymous {method} {path} with {body}");
            }
            for (method, path) in &staff_only {
                assert_eq!(send(method, path, Some(&member.access), body), 403, "member {method} {path} with {body}");
            }
        }
    }
}
