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
            "tracks": [{"kind": "prizes", "opens": {"rule": "instant", "at": "2025-10-01T00:00:00Z"}, "closes": {"rule": "end_of_local_day", "date": "2026-02-10"}}]
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
