//! The WSIS Prizes at submission: who may nominate what, the rules that hold across requests, awards and previous
//! winners.

use serde_json::{Value, json};
use wsis_e2e::{Session, e2e_test, json as body_json, problem};

use crate::submissions::{created, nomination, pledge, project, setup, submit, travel};

e2e_test! {
    fn prize_nominations_follow_the_rules(app) {
        let (_, org) = setup(&app);
        let owner = travel(&app, "2025-02-01T12:00:00Z");
        let (stk, _) = created(&app, &owner, &org, "stocktaking", project("Hubs"));
        let (draft_project, _) = created(&app, &owner, &org, "stocktaking", project("Not yet submitted"));
        assert_eq!(submit(&app, &owner, &stk).status().as_u16(), 200);
        let (not_eligible, _) = created(&app, &owner, &org, "prizes", nomination(&draft_project, 9));
        let body = problem(submit(&app, &owner, &not_eligible), 422, "validation_failed");
        assert_eq!(body["errors"][0]["code"], "not_eligible");
        let (first, _) = created(&app, &owner, &org, "prizes", nomination(&stk, 9));
        assert_eq!(body_json(submit(&app, &owner, &first))["number"], "WSIS-2025-PRZ-000001");
        let (same_category, _) = created(&app, &owner, &org, "prizes", nomination(&stk, 9));
        let body = problem(submit(&app, &owner, &same_category), 409, "conflict");
        assert_eq!(body["errors"][0]["code"], "one_per_category");
        let (same_project, _) = created(&app, &owner, &org, "prizes", nomination(&stk, 4));
        let body = problem(submit(&app, &owner, &same_project), 409, "conflict");
        assert_eq!(body["errors"][0]["code"], "already_nominated");
        // Another organisation cannot nominate this one's project.
        let rival = app.verified_user("rival@example.org");
        let rival_org = app.organisation(&rival, "Rival");
        let (stolen, _) = created(&app, &rival, &rival_org, "prizes", nomination(&stk, 2));
        problem(submit(&app, &rival, &stolen), 422, "validation_failed");
    }
}

e2e_test! {
    fn staff_record_prize_awards_and_previous_winners_are_not_eligible(app) {
        let (_, org) = setup(&app);
        app.staff("staff@example.org");
        let owner = travel(&app, "2025-02-01T12:00:00Z");
        let (stk, _) = created(&app, &owner, &org, "stocktaking", project("Hubs"));
        let (other, _) = created(&app, &owner, &org, "stocktaking", project("Libraries"));
        let (trust, _) = created(&app, &owner, &org, "trust_fund", pledge());
        for id in [&stk, &other, &trust] {
            assert_eq!(submit(&app, &owner, id).status().as_u16(), 200);
        }
        let (winner, _) = created(&app, &owner, &org, "prizes", nomination(&stk, 9));
        let (champion, _) = created(&app, &owner, &org, "prizes", nomination(&other, 4));
        for id in [&winner, &champion] {
            assert_eq!(submit(&app, &owner, id).status().as_u16(), 200);
        }
        let award = |session: &Session, id: &str, body: Value| {
            app.send(app.client.put(app.url(&format!("/api/v1/submissions/{id}/prize-award"))).bearer_auth(&session.access).json(&body))
        };
        let staff = app.sign_in("staff@example.org", wsis_e2e::PASSWORD);
        let body = problem(award(&staff, &winner, json!({"award": "winner"})), 409, "invalid_transition");
        assert!(body["detail"].as_str().unwrap().contains("accepted"), "{body}");
        for id in [&winner, &champion] {
            for decision in ["start_review", "accept"] {
                let decided = app.send(app.client.post(app.url(&format!("/api/v1/submissions/{id}/decision"))).bearer_auth(&staff.access).json(&json!({"decision": decision})));
                assert_eq!(decided.status().as_u16(), 200);
            }
        }
        problem(award(&owner, &winner, json!({"award": "winner"})), 403, "forbidden");
        let body = problem(award(&staff, &winner, json!({"award": "gold"})), 422, "validation_failed");
        assert_eq!((body["errors"][0]["field"].as_str(), body["errors"][0]["code"].as_str()), (Some("award"), Some("invalid_value")));
        problem(award(&staff, &trust, json!({"award": "winner"})), 404, "not_found");
        let won = award(&staff, &winner, json!({"award": "winner"}));
        assert_eq!(won.status().as_u16(), 200);
        assert_eq!(body_json(won)["prize_award"], "winner");
        assert_eq!(body_json(award(&staff, &champion, json!({"award": "champion"})))["prize_award"], "champion");
        let seen = body_json(app.send(app.client.get(app.url(&format!("/api/v1/submissions/{winner}"))).bearer_auth(&owner.access)));
        assert_eq!(seen["prize_award"], "winner", "the organisation sees its award");
        let history = body_json(app.send(app.client.get(app.url(&format!("/api/v1/submissions/{winner}/history"))).bearer_auth(&owner.access)));
        let recorded = history["items"].as_array().unwrap().iter().find(|e| e["action"] == "prize_award").expect("the award is in the audit trail");
        assert_eq!(recorded["detail"]["to"], "winner");

        // The next year's call, opened by staff as data.
        let call = json!({
            "slug": "wsis-2026", "year": 2026, "timezone": "Europe/Zurich",
            "title": {"ar": "x", "zh": "x", "en": "WSIS 2026", "fr": "x", "ru": "x", "es": "x"},
            "tracks": [
                {"kind": "stocktaking", "opens": {"rule": "instant", "at": "2025-10-01T00:00:00Z"}, "closes": {"rule": "end_of_local_day", "date": "2026-02-10"}},
                {"kind": "prizes", "opens": {"rule": "instant", "at": "2025-10-01T00:00:00Z"}, "closes": {"rule": "end_of_local_day", "date": "2026-02-10"}}
            ]
        });
        assert_eq!(app.send(app.client.post(app.url("/api/v1/calls")).bearer_auth(&staff.access).json(&call)).status().as_u16(), 201);
        let owner = travel(&app, "2026-01-15T12:00:00Z");
        let nominate = |project_id: &str, category: u8| {
            let body = json!({"call": "wsis-2026", "track": "prizes", "organisation_id": org, "language": "en", "content": nomination(project_id, category)});
            let response = app.send(app.client.post(app.url("/api/v1/submissions")).bearer_auth(&owner.access).json(&body));
            assert_eq!(response.status().as_u16(), 201);
            body_json(response)["id"].as_str().unwrap().to_owned()
        };
        let again = nominate(&stk, 9);
        let body = problem(submit(&app, &owner, &again), 422, "validation_failed");
        assert_eq!((body["errors"][0]["field"].as_str(), body["errors"][0]["code"].as_str()), (Some("content.project_id"), Some("previous_winner")));
        assert!(body["errors"][0]["message"].as_str().unwrap().contains("wsis-2025"), "{body}");
        let champion_again = nominate(&other, 4);
        assert_eq!(submit(&app, &owner, &champion_again).status().as_u16(), 200, "a champion that did not win may try again");
        // The winner entered again as a new stocktaking entry of the same organisation, its title spelt otherwise.
        let body = json!({"call": "wsis-2026", "track": "stocktaking", "organisation_id": org, "language": "en", "content": project("  HUBS ")});
        let reentered = body_json(app.send(app.client.post(app.url("/api/v1/submissions")).bearer_auth(&owner.access).json(&body)))["id"].as_str().unwrap().to_owned();
        assert_eq!(submit(&app, &owner, &reentered).status().as_u16(), 200);
        let disguised = nominate(&reentered, 11);
        let body = problem(submit(&app, &owner, &disguised), 422, "validation_failed");
        assert_eq!(body["errors"][0]["code"], "previous_winner");
        assert!(body["errors"][0]["message"].as_str().unwrap().contains("wsis-2025"), "{body}");

        // Staff take the award back (a mistake): the project is eligible again.
        let staff = app.sign_in("staff@example.org", wsis_e2e::PASSWORD);
        let cleared = app.send(app.client.delete(app.url(&format!("/api/v1/submissions/{winner}/prize-award"))).bearer_auth(&staff.access));
        assert_eq!(cleared.status().as_u16(), 200);
        assert_eq!(body_json(cleared)["prize_award"], Value::Null);
        assert_eq!(submit(&app, &owner, &again).status().as_u16(), 200);
    }
}

e2e_test! {
    fn concurrent_nominations_that_would_break_a_prize_rule_one_wins(app) {
        let (_, org) = setup(&app);
        let owner = travel(&app, "2025-02-01T12:00:00Z");
        let (stk, _) = created(&app, &owner, &org, "stocktaking", project("Hubs"));
        let (other, _) = created(&app, &owner, &org, "stocktaking", project("Labs"));
        assert_eq!(submit(&app, &owner, &stk).status().as_u16(), 200);
        assert_eq!(submit(&app, &owner, &other).status().as_u16(), 200);
        // Six drafts in one category (each project twice): only one may be submitted.
        let same_category: Vec<String> = (0..6)
            .map(|i| created(&app, &owner, &org, "prizes", nomination(if i % 2 == 0 { &stk } else { &other }, 9)).0)
            .collect();
        let statuses: Vec<u16> = std::thread::scope(|scope| {
            let handles: Vec<_> = same_category.iter().map(|id| scope.spawn(|| submit(&app, &owner, id).status().as_u16())).collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let mut sorted = statuses.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, [200, 409, 409, 409, 409, 409], "one per category: {statuses:?}");
        // Six drafts nominating the other project in six categories: it is nominated once per call.
        let winner_project = if statuses[0] == 200 || statuses[2] == 200 || statuses[4] == 200 { &other } else { &stk };
        let same_project: Vec<String> = (1..=6)
            .map(|category| created(&app, &owner, &org, "prizes", nomination(winner_project, category)).0)
            .collect();
        let statuses: Vec<u16> = std::thread::scope(|scope| {
            let handles: Vec<_> = same_project.iter().map(|id| scope.spawn(|| submit(&app, &owner, id).status().as_u16())).collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let mut sorted = statuses.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, [200, 409, 409, 409, 409, 409], "a project once per call: {statuses:?}");
        let listed = body_json(app.send(app.client.get(app.url("/api/v1/submissions?track=prizes&status=submitted")).bearer_auth(&owner.access)));
        assert_eq!(listed["items"].as_array().unwrap().len(), 2, "{listed}");
    }
}

/// A nominating organisation of its own, with a submitted stocktaking project and a nomination of it in
/// `category`: the nomination's id.
pub(crate) fn nominee_of(app: &wsis_e2e::TestApp, n: usize, category: u8) -> String {
    let email = format!("org{n}@example.org");
    let session = app.verified_user(&email);
    let org = app.organisation(&session, &format!("Organisation {n}"));
    let (stk, _) = created(
        app,
        &session,
        &org,
        "stocktaking",
        project(&format!("Project {n}")),
    );
    assert_eq!(submit(app, &session, &stk).status().as_u16(), 200);
    let (id, _) = created(app, &session, &org, "prizes", nomination(&stk, category));
    assert_eq!(submit(app, &session, &id).status().as_u16(), 200);
    id
}

e2e_test! {
    fn a_prizes_year_from_nominees_to_published_results(app) {
        let at = |t: &str| app.clock.set(wsis_e2e::at(t));
        app.staff("staff@example.org");
        at("2025-02-01T12:00:00Z");
        // Six nominations in category 9 and one in category 4, each from its own organisation.
        let nine: Vec<String> = (1..=6).map(|n| nominee_of(&app, n, 9)).collect();
        let four = nominee_of(&app, 7, 4);
        let staff = app.sign_in("staff@example.org", wsis_e2e::PASSWORD);
        let shortlist = |session: &Session, id: &str| {
            app.send(app.client.put(app.url(&format!("/api/v1/calls/wsis-2025/prizes/nominees/{id}"))).bearer_auth(&session.access))
        };
        problem(shortlist(&staff, &four), 409, "invalid_transition");
        for id in nine.iter().chain([&four]) {
            for decision in ["start_review", "accept"] {
                let decided = app.send(app.client.post(app.url(&format!("/api/v1/submissions/{id}/decision"))).bearer_auth(&staff.access).json(&json!({"decision": decision})));
                assert_eq!(decided.status().as_u16(), 200);
            }
        }

        // The review: staff shortlist the nominees, once each.
        at("2025-02-20T09:00:00Z");
        let staff = app.sign_in("staff@example.org", wsis_e2e::PASSWORD);
        let track = body_json(app.send(app.client.get(app.url("/api/v1/calls/wsis-2025/tracks/prizes"))));
        let phases: Vec<(&str, &str)> = track["phases"].as_array().unwrap().iter()
            .map(|p| (p["phase"].as_str().unwrap(), p["window"]["state"].as_str().unwrap())).collect();
        assert_eq!(phases, [("review", "open"), ("nominees", "upcoming"), ("voting", "upcoming"), ("results", "upcoming")]);
        assert_eq!(track["phases"][2]["window"]["closes_at"], "2025-04-14T21:59:59Z", "voting ends with 14 April in Geneva");
        let owner = app.sign_in("org1@example.org", wsis_e2e::PASSWORD);
        problem(shortlist(&owner, &nine[0]), 403, "forbidden");
        problem(shortlist(&staff, "0193a0c4-0000-7000-8000-000000000000"), 404, "not_found");
        for id in nine.iter().chain([&four]) {
            let added = shortlist(&staff, id);
            assert_eq!(added.status().as_u16(), 200);
            assert_eq!(body_json(added)["nomination"], id.as_str());
        }
        assert_eq!(body_json(shortlist(&staff, &nine[0]))["project"]["title"], "Project 1", "shortlisting again changes nothing");
        let nominees = |session: Option<&Session>, query: &str| {
            let request = app.client.get(app.url(&format!("/api/v1/calls/wsis-2025/prizes/nominees{query}")));
            app.send(match session { Some(s) => request.bearer_auth(&s.access), None => request })
        };
        problem(nominees(None, ""), 404, "not_found");
        let draft = nominees(Some(&staff), "");
        assert_eq!(wsis_e2e::header(&draft, "cache-control"), "private, no-cache", "a draft is staff's alone");
        assert_eq!(body_json(draft)["published"], false);

        // Publication: not before the nominees phase; then public, per category, and frozen.
        let publish = |what: &str, session: &Session| {
            app.send(app.client.post(app.url(&format!("/api/v1/calls/wsis-2025/prizes/{what}:publish"))).bearer_auth(&session.access))
        };
        problem(publish("nominees", &staff), 409, "invalid_transition");
        at("2025-03-14T08:00:00Z");
        let staff = app.sign_in("staff@example.org", wsis_e2e::PASSWORD);
        assert_eq!(body_json(publish("nominees", &staff))["published_at"], "2025-03-14T08:00:00Z");
        at("2025-03-14T09:00:00Z");
        let staff = app.sign_in("staff@example.org", wsis_e2e::PASSWORD);
        assert_eq!(body_json(publish("nominees", &staff))["published_at"], "2025-03-14T08:00:00Z", "publishing again changes nothing");
        let listed = nominees(None, "?lang=fr");
        let etag = wsis_e2e::header(&listed, "etag");
        assert_eq!(wsis_e2e::header(&listed, "cache-control"), "public, no-cache", "the same list for everyone");
        let again = app.send(app.client.get(app.url("/api/v1/calls/wsis-2025/prizes/nominees?lang=fr")).header("If-None-Match", &etag));
        assert_eq!(again.status().as_u16(), 304, "1.5 million voters revalidate, they do not download again");
        let public = body_json(listed);
        assert_eq!(public["published"], true);
        let categories: Vec<(i64, usize)> = public["categories"].as_array().unwrap().iter()
            .map(|c| (c["category"].as_i64().unwrap(), c["nominees"].as_array().unwrap().len())).collect();
        assert_eq!(categories, [(4, 1), (9, 6)]);
        assert_ne!(public["categories"][0]["name"], "4", "named in French");
        assert_eq!(public["categories"][1]["nominees"][0]["organisation"]["name"], "Organisation 1");
        problem(app.send(app.client.delete(app.url(&format!("/api/v1/calls/wsis-2025/prizes/nominees/{}", nine[5]))).bearer_auth(&staff.access)), 409, "invalid_transition");

        // Voting: 5, 4, 3, 2, 1 and 1 votes in category 9 (a tie at the fifth place).
        at("2025-03-20T10:00:00Z");
        let vote = |session: Option<&Session>, category: i64, nominee: &str, key: Option<&str>| {
            let mut request = app.client.post(app.url("/api/v1/calls/wsis-2025/prizes/votes")).json(&json!({"category": category, "nominee": nominee}));
            if let Some(s) = session { request = request.bearer_auth(&s.access); }
            if let Some(k) = key { request = request.header("Idempotency-Key", k); }
            app.send(request)
        };
        problem(vote(None, 9, &nine[0], None), 401, "unauthorized");
        app.register("unverified@example.org");
        let unverified = app.sign_in("unverified@example.org", wsis_e2e::PASSWORD);
        problem(vote(Some(&unverified), 9, &nine[0], None), 403, "forbidden");
        let spread = [5, 4, 3, 2, 1, 1];
        let mut voters = Vec::new();
        for (i, count) in spread.iter().enumerate() {
            for _ in 0..*count {
                let voter = app.verified_user(&format!("voter{}@example.org", voters.len()));
                let cast = vote(Some(&voter), 9, &nine[i], None);
                assert_eq!(cast.status().as_u16(), 201);
                voters.push(voter);
            }
        }
        let first = &voters[0];
        let body = problem(vote(Some(first), 9, &nine[1], None), 409, "conflict");
        assert_eq!(body["errors"][0]["code"], "already_voted");
        let body = problem(vote(Some(first), 4, &nine[1], None), 422, "validation_failed");
        assert_eq!((body["errors"][0]["field"].as_str(), body["errors"][0]["code"].as_str()), (Some("nominee"), Some("not_a_nominee")));
        problem(vote(Some(first), 19, &four, None), 422, "validation_failed");
        // A retry with the same key replays the first answer; a double click without one is refused.
        let cast = vote(Some(first), 4, &four, Some("vote-4-first"));
        assert_eq!(cast.status().as_u16(), 201);
        let replay = vote(Some(first), 4, &four, Some("vote-4-first"));
        assert_eq!(replay.status().as_u16(), 201);
        assert_eq!(wsis_e2e::header(&replay, "idempotent-replayed"), "true");
        // Parallel votes of one voter in one category: one counts.
        let eager = &voters[1];
        let statuses: Vec<u16> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8).map(|_| scope.spawn(|| vote(Some(eager), 4, &four, None).status().as_u16())).collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let mut sorted = statuses.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, [201, 409, 409, 409, 409, 409, 409, 409], "{statuses:?}");
        let mine = body_json(app.send(app.client.get(app.url("/api/v1/me/votes?call=wsis-2025")).bearer_auth(&first.access)));
        let voted: Vec<(i64, &str)> = mine["items"].as_array().unwrap().iter()
            .map(|v| (v["category"].as_i64().unwrap(), v["nominee"]["nomination"].as_str().unwrap())).collect();
        assert_eq!(voted, [(4, four.as_str()), (9, nine[0].as_str())]);
        // Totals stay hidden while voting is open; staff see a preview.
        let results = |session: Option<&Session>| {
            let request = app.client.get(app.url("/api/v1/calls/wsis-2025/prizes/results"));
            app.send(match session { Some(s) => request.bearer_auth(&s.access), None => request })
        };
        problem(results(None), 404, "not_found");
        let staff = app.sign_in("staff@example.org", wsis_e2e::PASSWORD);
        assert_eq!(body_json(results(Some(&staff)))["published"], false);
        let winners = |session: &Session, category: i64, ids: &[&str]| {
            app.send(app.client.put(app.url(&format!("/api/v1/calls/wsis-2025/prizes/categories/{category}/winners"))).bearer_auth(&session.access).json(&json!({"nominees": ids})))
        };
        problem(winners(&staff, 9, &[&nine[0]]), 409, "invalid_transition");

        // After the vote: no more votes; the Expert Group's two winners among the champions.
        at("2025-04-20T10:00:00Z");
        let late_voter = app.sign_in("voter2@example.org", wsis_e2e::PASSWORD);
        let late = problem(vote(Some(&late_voter), 4, &four, None), 409, "deadline_passed");
        assert_eq!(late["deadline"]["attempted"], "vote");
        let staff = app.sign_in("staff@example.org", wsis_e2e::PASSWORD);
        let body = problem(winners(&staff, 4, &[&nine[0]]), 422, "validation_failed");
        assert_eq!(body["errors"][0]["code"], "not_a_champion");
        let recorded = body_json(winners(&staff, 9, &[&nine[0], &nine[1]]));
        let standing: Vec<(u64, bool)> = recorded["champions"].as_array().unwrap().iter()
            .map(|c| (c["votes"].as_u64().unwrap(), c["winner"].as_bool().unwrap())).collect();
        assert_eq!(standing, [(5, true), (4, true), (3, false), (2, false), (1, false), (1, false)], "both tied at the fifth place are champions");
        problem(publish("results", &staff), 409, "invalid_transition");

        // The ceremony: published results, awards on the nominations, and a frozen record.
        at("2025-07-07T10:00:00Z");
        let staff = app.sign_in("staff@example.org", wsis_e2e::PASSWORD);
        assert_eq!(body_json(publish("results", &staff))["published_at"], "2025-07-07T10:00:00Z");
        let public = body_json(results(None));
        assert_eq!(public["published"], true);
        let per_category: Vec<(i64, Vec<u64>)> = public["categories"].as_array().unwrap().iter()
            .map(|c| (c["category"].as_i64().unwrap(), c["champions"].as_array().unwrap().iter().map(|x| x["votes"].as_u64().unwrap()).collect())).collect();
        assert_eq!(per_category, [(4, vec![2]), (9, vec![5, 4, 3, 2, 1, 1])]);
        problem(winners(&staff, 9, &[&nine[2]]), 409, "invalid_transition");
        let award = |id: &str| body_json(app.send(app.client.get(app.url(&format!("/api/v1/submissions/{id}"))).bearer_auth(&staff.access)))["prize_award"].clone();
        assert_eq!((award(&nine[0]), award(&nine[2]), award(&four)), (json!("winner"), json!("champion"), json!("champion")));
        let trail = app.database.with(|conn| {
            let call = wsis_persistence::calls::find_call(conn, "wsis-2025")?;
            wsis_persistence::prizes::audit_trail(conn, &call.id)
        }).unwrap();
        let actions: Vec<&str> = trail.iter().map(|step| step.action.as_str()).collect();
        assert_eq!(actions.iter().filter(|a| **a == "nominee_added").count(), 7);
        assert_eq!(actions.iter().filter(|a| **a != "nominee_added").copied().collect::<Vec<_>>(), ["nominees_published", "winners_recorded", "results_published"]);
    }
}

/// A call at the voting phase (20 March 2025) with `n` published nominees in category 9: their nomination ids.
fn voting_open(app: &wsis_e2e::TestApp, n: usize) -> Vec<String> {
    let at = |t: &str| app.clock.set(wsis_e2e::at(t));
    app.staff("staff@example.org");
    at("2025-02-01T12:00:00Z");
    let nine: Vec<String> = (1..=n).map(|i| nominee_of(app, i, 9)).collect();
    let staff = app.sign_in("staff@example.org", wsis_e2e::PASSWORD);
    for id in &nine {
        for decision in ["start_review", "accept"] {
            let decided = app.send(
                app.client
                    .post(app.url(&format!("/api/v1/submissions/{id}/decision")))
                    .bearer_auth(&staff.access)
                    .json(&json!({"decision": decision})),
            );
            assert_eq!(decided.status().as_u16(), 200);
        }
    }
    at("2025-02-20T09:00:00Z");
    let staff = app.sign_in("staff@example.org", wsis_e2e::PASSWORD);
    for id in &nine {
        let added = app.send(
            app.client
                .put(app.url(&format!("/api/v1/calls/wsis-2025/prizes/nominees/{id}")))
                .bearer_auth(&staff.access),
        );
        assert_eq!(added.status().as_u16(), 200);
    }
    at("2025-03-14T08:00:00Z");
    let staff = app.sign_in("staff@example.org", wsis_e2e::PASSWORD);
    let published = app.send(
        app.client
            .post(app.url("/api/v1/calls/wsis-2025/prizes/nominees:publish"))
            .bearer_auth(&staff.access),
    );
    assert_eq!(published.status().as_u16(), 200);
    at("2025-03-20T10:00:00Z");
    nine
}

e2e_test! {
    fn staff_invalidate_votes_and_one_address_is_limited(app) {
        let nine = voting_open(&app, 2);
        let vote = |session: &Session, nominee: &str| {
            app.send(app.client.post(app.url("/api/v1/calls/wsis-2025/prizes/votes")).bearer_auth(&session.access).json(&json!({"category": 9, "nominee": nominee})))
        };
        let amina = app.verified_user("amina@example.org");
        let first = vote(&amina, &nine[0]);
        assert_eq!(first.status().as_u16(), 201);
        assert_eq!(wsis_e2e::header(&first, "ratelimit-policy"), "\"votes-address\";q=120;w=3600");
        assert!(wsis_e2e::header(&first, "ratelimit").starts_with("\"votes-address\";r=119;"), "{}", wsis_e2e::header(&first, "ratelimit"));
        let bo = app.verified_user("bo@example.org");
        assert_eq!(vote(&bo, &nine[1]).status().as_u16(), 201);
        let amina_id = amina.user_id.clone();

        // Staff invalidate one account's votes, with a reason: they stop counting, and the voter sees it.
        let staff = app.sign_in("staff@example.org", wsis_e2e::PASSWORD);
        let invalidate = |body: Value| {
            app.send(app.client.post(app.url("/api/v1/calls/wsis-2025/prizes/votes:invalidate")).bearer_auth(&staff.access).json(&body))
        };
        problem(app.send(app.client.post(app.url("/api/v1/calls/wsis-2025/prizes/votes:invalidate")).bearer_auth(&amina.access).json(&json!({"voter": amina_id, "reason": "mine"}))), 403, "forbidden");
        let body = problem(invalidate(json!({"reason": "nothing named"})), 422, "validation_failed");
        assert_eq!(body["errors"][0]["field"], "votes");
        let body = problem(invalidate(json!({"addresses": "not a network", "reason": "x"})), 422, "validation_failed");
        assert_eq!(body["errors"][0]["field"], "addresses");
        problem(invalidate(json!({"voter": amina_id, "reason": " "})), 422, "validation_failed");
        assert_eq!(body_json(invalidate(json!({"voter": amina_id, "reason": "Bought votes"})))["invalidated"], 1);
        assert_eq!(body_json(invalidate(json!({"voter": amina_id, "reason": "Again"})))["invalidated"], 0, "an invalid vote stays as it is");
        let mine = body_json(app.send(app.client.get(app.url("/api/v1/me/votes")).bearer_auth(&amina.access)));
        assert_eq!(mine["items"][0]["valid"], false);
        problem(vote(&amina, &nine[1]), 409, "conflict");
        let preview = body_json(app.send(app.client.get(app.url("/api/v1/calls/wsis-2025/prizes/results")).bearer_auth(&staff.access)));
        let champions: Vec<(&str, u64)> = preview["categories"][0]["champions"].as_array().unwrap().iter()
            .map(|c| (c["nominee"]["nomination"].as_str().unwrap(), c["votes"].as_u64().unwrap())).collect();
        assert_eq!(champions, [(nine[1].as_str(), 1)], "only valid votes count");
        // Every vote from an address range (these tests reach the server from loopback).
        assert_eq!(body_json(invalidate(json!({"addresses": "127.0.0.0/8", "reason": "A vote drive from one machine"})))["invalidated"], 1);
        assert_eq!(body_json(app.send(app.client.get(app.url("/api/v1/calls/wsis-2025/prizes/results")).bearer_auth(&staff.access)))["categories"], json!([]));

        // One address votes at most 120 times an hour, attempts included: the next is told when to come back.
        let carla = app.verified_user("carla@example.org");
        let cast = vote(&carla, &nine[0]);
        assert_eq!(cast.status().as_u16(), 201);
        let state = wsis_e2e::header(&cast, "ratelimit");
        let left: usize = state.split(";r=").nth(1).and_then(|r| r.split(';').next()).unwrap().parse().unwrap();
        assert_eq!(left, 120 - 4, "four attempts from this address so far, the refused one included: {state}");
        for _ in 0..left {
            assert_eq!(vote(&carla, &nine[0]).status().as_u16(), 409);
        }
        let refused = vote(&carla, &nine[0]);
        let (retry, state) = (wsis_e2e::header(&refused, "retry-after"), wsis_e2e::header(&refused, "ratelimit"));
        problem(refused, 429, "rate_limited");
        assert!(state.starts_with("\"votes-address\";r=0;"), "{state}");
        assert!(retry.parse::<u64>().unwrap() <= 3600, "{retry}");
        let trail = app.database.with(|conn| {
            let call = wsis_persistence::calls::find_call(conn, "wsis-2025")?;
            wsis_persistence::prizes::audit_trail(conn, &call.id)
        }).unwrap();
        assert_eq!(trail.iter().filter(|step| step.action == "votes_invalidated").count(), 3, "each invalidation is audited");
    }
}

e2e_test! {
    fn earlier_winners_and_planned_projects_are_not_eligible(app) {
        let (_, org) = setup(&app);
        app.staff("staff@example.org");
        let owner = travel(&app, "2025-02-01T12:00:00Z");
        let staff = app.sign_in("staff@example.org", wsis_e2e::PASSWORD);
        let record = |session: &Session, body: Value| {
            app.send(app.client.post(app.url("/api/v1/prizes/earlier-winners")).bearer_auth(&session.access).json(&body))
        };
        // Staff record a win of 2019, before this system, for this organisation's project.
        problem(record(&owner, json!({"year": 2019, "title": "Hubs", "organisation_name": "Geneva Digital Trust"})), 403, "forbidden");
        let body = problem(record(&staff, json!({"year": 2005, "title": " ", "organisation_name": "Geneva Digital Trust", "organisation_id": "0193a0c4-0000-7000-8000-000000000000", "category": 30})), 422, "validation_failed");
        let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["category"], "the category is read first: {body}");
        let body = problem(record(&staff, json!({"year": 2005, "title": " ", "organisation_name": "Geneva Digital Trust", "organisation_id": "0193a0c4-0000-7000-8000-000000000000"})), 422, "validation_failed");
        let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["year", "title", "organisation_id"], "{body}");
        let recorded = record(&staff, json!({"year": 2019, "category": 7, "title": "Solar Hubs for Schools", "organisation_name": "Geneva Digital Trust", "organisation_id": org}));
        assert_eq!(recorded.status().as_u16(), 201);
        let listed = body_json(app.send(app.client.get(app.url("/api/v1/prizes/earlier-winners")).bearer_auth(&staff.access)));
        assert_eq!(listed["items"][0]["year"], 2019);

        // The same project, entered now under its title spelt otherwise, is a previous winner; the error names the win.
        let (again, _) = created(&app, &owner, &org, "stocktaking", project("solar hubs for SCHOOLS"));
        assert_eq!(submit(&app, &owner, &again).status().as_u16(), 200);
        let (nominated, _) = created(&app, &owner, &org, "prizes", nomination(&again, 7));
        let body = problem(submit(&app, &owner, &nominated), 422, "validation_failed");
        assert_eq!(body["errors"][0]["code"], "previous_winner");
        assert_eq!(body["errors"][0]["message"], "this project won a WSIS Prize in 2019 (“Solar Hubs for Schools”); previous winners are not eligible");
        // A project still planned is not eligible either.
        let mut planned = project("A library network");
        planned["status"] = json!("planned");
        let (planned, _) = created(&app, &owner, &org, "stocktaking", planned);
        assert_eq!(submit(&app, &owner, &planned).status().as_u16(), 200);
        let (early, _) = created(&app, &owner, &org, "prizes", nomination(&planned, 3));
        let body = problem(submit(&app, &owner, &early), 422, "validation_failed");
        assert_eq!((body["errors"][0]["code"].as_str(), body["errors"][0]["message"].as_str()), (Some("not_eligible"), Some("a project is nominated once it is completed or at the end of a major phase, not while planned")));
        // A different project of the organisation stays eligible.
        let (fresh, _) = created(&app, &owner, &org, "stocktaking", project("Community radio"));
        assert_eq!(submit(&app, &owner, &fresh).status().as_u16(), 200);
        let (ok, _) = created(&app, &owner, &org, "prizes", nomination(&fresh, 3));
        assert_eq!(submit(&app, &owner, &ok).status().as_u16(), 200);

        // A call's form sets the fewest words of each narrative answer: data, checked when the call is made.
        assert_eq!(body_json(app.send(app.client.get(app.url("/api/v1/calls/wsis-2025"))))["prize_narrative_min_words"], 0);
        let mut call = json!({
            "slug": "wsis-2027", "year": 2027, "timezone": "Europe/Zurich",
            "title": {"ar": "x", "zh": "x", "en": "WSIS 2027", "fr": "x", "ru": "x", "es": "x"},
            "prize_narrative_min_words": 501,
            "tracks": [{"kind": "prizes", "opens": {"rule": "instant", "at": "2025-01-01T00:00:00Z"}, "closes": {"rule": "end_of_local_day", "date": "2025-12-31"}}]
        });
        let body = problem(app.send(app.client.post(app.url("/api/v1/calls")).bearer_auth(&staff.access).json(&call)), 422, "validation_failed");
        assert_eq!(body["errors"][0]["field"], "prize_narrative_min_words");
        call["prize_narrative_min_words"] = json!(4);
        assert_eq!(app.send(app.client.post(app.url("/api/v1/calls")).bearer_auth(&staff.access).json(&call)).status().as_u16(), 201);
        let body = json!({"call": "wsis-2027", "track": "prizes", "organisation_id": org, "language": "en", "content": nomination(&fresh, 5)});
        let body = problem(app.send(app.client.post(app.url("/api/v1/submissions")).bearer_auth(&owner.access).json(&body)), 422, "validation_failed");
        let short: Vec<(&str, &str)> = body["errors"].as_array().unwrap().iter().map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap())).collect();
        assert_eq!(short, [("content.challenges", "too_few_words")], "\"Power and connectivity.\" has three words");
    }
}

e2e_test! {
    fn the_expert_group_is_assigned_nominations_without_conflicts_of_interest(app) {
        app.staff("staff@example.org");
        app.clock.set(wsis_e2e::at("2025-02-01T12:00:00Z"));
        let nominations: Vec<String> = (1..=3).map(|n| nominee_of(&app, n, 9)).collect();
        app.clock.set(wsis_e2e::at("2025-02-12T09:00:00Z"));
        let staff = app.sign_in("staff@example.org", wsis_e2e::PASSWORD);
        for id in &nominations {
            for decision in ["start_review", "accept"] {
                let decided = app.send(app.client.post(app.url(&format!("/api/v1/submissions/{id}/decision"))).bearer_auth(&staff.access).json(&json!({"decision": decision})));
                assert_eq!(decided.status().as_u16(), 200);
            }
        }
        // Three reviewers: the first belongs to the first nominating organisation.
        let grant = |user: &str| {
            let granted = app.send(app.client.put(app.url(&format!("/api/v1/admin/users/{user}/roles/reviewer"))).bearer_auth(&staff.access));
            assert_eq!(granted.status().as_u16(), 204);
        };
        let member = app.sign_in("org1@example.org", wsis_e2e::PASSWORD);
        let declarer = app.verified_user("declarer@example.org");
        let neutral = app.verified_user("neutral@example.org");
        for user in [&member.user_id, &declarer.user_id, &neutral.user_id] {
            grant(user);
        }
        let outsider = app.verified_user("outsider@example.org");
        let org_of = |n: usize| body_json(app.send(app.client.get(app.url(&format!("/api/v1/submissions/{}", nominations[n]))).bearer_auth(&staff.access)))["organisation_id"].as_str().unwrap().to_owned();

        // Conflicts are declared by the reviewers themselves.
        let declare = |session: &Session, body: Value| app.send(app.client.put(app.url("/api/v1/me/conflicts")).bearer_auth(&session.access).json(&body));
        problem(declare(&outsider, json!({"countries": ["FR"]})), 403, "forbidden");
        let body = problem(declare(&declarer, json!({"organisations": ["0193a0c4-0000-7000-8000-000000000000"], "countries": ["ZZ"]})), 422, "validation_failed");
        let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["organisations[0]", "countries[0]"]);
        let declared = body_json(declare(&declarer, json!({"organisations": [org_of(1)], "countries": ["fr"]})));
        assert_eq!(declared["countries"], json!(["FR"]));
        assert_eq!(body_json(app.send(app.client.get(app.url("/api/v1/me/conflicts")).bearer_auth(&declarer.access)))["organisations"], json!([org_of(1)]));
        // Staff see every reviewer's declaration.
        let seen = body_json(app.send(app.client.get(app.url("/api/v1/prizes/conflicts")).bearer_auth(&staff.access)));
        let declared: Vec<(&str, usize)> = seen["items"].as_array().unwrap().iter()
            .map(|r| (r["reviewer"].as_str().unwrap(), r["conflicts"]["organisations"].as_array().unwrap().len() + r["conflicts"]["countries"].as_array().unwrap().len()))
            .collect();
        assert_eq!(declared.len(), 3, "{seen}");
        assert!(declared.contains(&(declarer.user_id.as_str(), 2)) && declared.contains(&(neutral.user_id.as_str(), 0)), "{seen}");

        // Staff assign by hand: never across a conflict.
        let assign = |session: &Session, n: usize, user: &str| app.send(app.client.put(app.url(&format!("/api/v1/calls/wsis-2025/prizes/nominations/{}/reviewers/{user}", nominations[n]))).bearer_auth(&session.access));
        problem(assign(&member, 1, &neutral.user_id), 403, "forbidden");
        let body = problem(assign(&staff, 0, &member.user_id), 409, "conflict");
        assert_eq!(body["errors"][0]["code"], "conflict_of_interest");
        problem(assign(&staff, 1, &declarer.user_id), 409, "conflict");
        let body = problem(assign(&staff, 0, &outsider.user_id), 422, "validation_failed");
        assert_eq!(body["errors"][0]["code"], "not_a_reviewer");
        assert_eq!(body_json(assign(&staff, 0, &neutral.user_id))["reviewer"], neutral.user_id.as_str());
        assert_eq!(assign(&staff, 0, &neutral.user_id).status().as_u16(), 200, "assigning again changes nothing");

        // Automatically: two reviewers each, balanced, no conflict.
        let auto = |per: u64| app.send(app.client.post(app.url("/api/v1/calls/wsis-2025/prizes/assignments:auto")).bearer_auth(&staff.access).json(&json!({"per_nomination": per})));
        problem(auto(0), 422, "validation_failed");
        let made = body_json(auto(2));
        assert_eq!(made["short"], json!([]));
        let listed = body_json(app.send(app.client.get(app.url("/api/v1/calls/wsis-2025/prizes/assignments")).bearer_auth(&staff.access)));
        let pairs: Vec<(String, String)> = listed["items"].as_array().unwrap().iter()
            .map(|a| (a["nomination"].as_str().unwrap().to_owned(), a["reviewer"].as_str().unwrap().to_owned())).collect();
        assert_eq!(pairs.len(), 6, "{listed}");
        assert!(!pairs.contains(&(nominations[0].clone(), member.user_id.clone())), "a member never reviews their organisation");
        assert!(!pairs.contains(&(nominations[1].clone(), declarer.user_id.clone())), "nor one who declared it");
        let mut loads: Vec<usize> = [&member, &declarer, &neutral].iter().map(|r| pairs.iter().filter(|(_, u)| *u == r.user_id).count()).collect();
        loads.sort_unstable();
        assert_eq!(loads, [2, 2, 2], "balanced");

        // A reviewer sees what is theirs, never what they are conflicted with, even when declared later.
        let mine = |session: &Session| -> Vec<String> {
            body_json(app.send(app.client.get(app.url("/api/v1/me/assignments?call=wsis-2025")).bearer_auth(&session.access)))["items"]
                .as_array().unwrap().iter().map(|n| n["nomination"].as_str().unwrap().to_owned()).collect()
        };
        problem(app.send(app.client.get(app.url("/api/v1/me/assignments?call=wsis-2025")).bearer_auth(&outsider.access)), 403, "forbidden");
        let before = mine(&neutral);
        assert!(before.contains(&nominations[0]));
        declare(&neutral, json!({"organisations": [org_of(0)]}));
        let after = mine(&neutral);
        assert!(!after.contains(&nominations[0]), "{after:?}");
        assert_eq!(after.len(), before.len() - 1);

        // Staff take an assignment back; the steps are audited.
        let unassign = || app.send(app.client.delete(app.url(&format!("/api/v1/calls/wsis-2025/prizes/nominations/{}/reviewers/{}", nominations[0], neutral.user_id))).bearer_auth(&staff.access));
        assert_eq!(unassign().status().as_u16(), 204);
        problem(unassign(), 404, "not_found");
        let trail = app.database.with(|conn| {
            let call = wsis_persistence::calls::find_call(conn, "wsis-2025")?;
            wsis_persistence::prizes::audit_trail(conn, &call.id)
        }).unwrap();
        let actions: Vec<&str> = trail.iter().map(|step| step.action.as_str()).collect();
        assert_eq!(actions, ["reviewer_assigned", "reviewers_assigned", "reviewer_unassigned"], "assigning again is no step");
    }
}
