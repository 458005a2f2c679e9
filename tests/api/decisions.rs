//! Staff decisions, one by one and in batch, windows and individual extensions.

use serde_json::{Value, json};
use wsis_e2e::{e2e_test, json as body_json, problem};

use crate::submissions::{created, pledge, project, setup, submit, travel};

e2e_test! {
    fn staff_decide_one_by_one_and_in_batch_and_the_organisation_is_told(app) {
        let (owner, org) = setup(&app);
        let staff = app.staff("staff@example.org");
        let ids: Vec<String> = (0..3).map(|_| created(&app, &owner, &org, "trust_fund", pledge()).0).collect();
        for id in &ids {
            submit(&app, &owner, id);
        }
        let receipts = app.mails_to("owner@example.org");
        assert!(receipts.iter().any(|m| m.subject.contains("WSIS-2025-TF-000001") && m.body.contains("2025-03-14T23:59:59+01:00")), "{receipts:?}");

        let decide = |id: &str, decision: &str, note: Option<&str>| {
            app.send(app.client.post(app.url(&format!("/api/v1/submissions/{id}/decision"))).bearer_auth(&staff.access).json(&json!({"decision": decision, "note": note})))
        };
        problem(app.send(app.client.post(app.url(&format!("/api/v1/submissions/{}/decision", ids[0]))).bearer_auth(&owner.access).json(&json!({"decision": "accept"}))), 403, "forbidden");
        assert_eq!(body_json(decide(&ids[0], "start_review", None))["status"], "under_review");
        assert_eq!(body_json(decide(&ids[0], "accept", None))["status"], "accepted");
        problem(decide(&ids[0], "accept", None), 409, "invalid_transition");
        assert_eq!(body_json(decide(&ids[1], "reject", Some("Outside the Trust Fund's scope.")))["status"], "rejected");
        let rejection = app.mails_to("owner@example.org").into_iter().find(|m| m.body.contains("rejected")).unwrap();
        assert!(rejection.body.contains("Outside the Trust Fund's scope."));
        problem(decide(&ids[1], "approve", None), 422, "validation_failed");
        assert_eq!(body_json(decide(&ids[1], "reopen", None))["status"], "under_review");
        problem(app.send(app.client.post(app.url(&format!("/api/v1/submissions/{}/withdraw", ids[0]))).bearer_auth(&owner.access)), 409, "invalid_transition");

        let (draft, _) = created(&app, &owner, &org, "trust_fund", pledge());
        let batch = json!({"items": [
            {"submission_id": ids[2], "decision": "accept"},
            {"submission_id": ids[0], "decision": "accept"},
            {"submission_id": "no-such-submission", "decision": "reject"},
            {"submission_id": draft, "decision": "accept"},
            {"submission_id": ids[1], "decision": "promote"}
        ]});
        let results = body_json(app.send(app.client.post(app.url("/api/v1/decisions:batch")).bearer_auth(&staff.access).json(&batch)));
        let outcome: Vec<(u64, Value)> = results["results"].as_array().unwrap().iter().map(|r| (r["status"].as_u64().unwrap(), r["submission_status"].clone())).collect();
        assert_eq!(outcome, [(200, json!("accepted")), (409, Value::Null), (404, Value::Null), (404, Value::Null), (422, Value::Null)]);
        assert_eq!(results["results"][1]["error"]["code"], "invalid_transition");
        problem(app.send(app.client.post(app.url("/api/v1/decisions:batch")).bearer_auth(&staff.access).json(&json!({"items": []}))), 422, "validation_failed");

        let pledge_status = |id: &str, status: &str| {
            app.send(app.client.post(app.url(&format!("/api/v1/submissions/{id}/pledge-status"))).bearer_auth(&staff.access).json(&json!({"status": status})))
        };
        let current = body_json(app.send(app.client.get(app.url(&format!("/api/v1/submissions/{}", ids[2]))).bearer_auth(&staff.access)));
        assert_eq!(current["pledge_status"], "pledged");
        problem(pledge_status(&ids[2], "received"), 409, "invalid_transition");
        assert_eq!(body_json(pledge_status(&ids[2], "confirmed"))["pledge_status"], "confirmed");
        assert_eq!(body_json(pledge_status(&ids[2], "received"))["pledge_status"], "received");
        let history = body_json(app.send(app.client.get(app.url(&format!("/api/v1/submissions/{}/history", ids[2]))).bearer_auth(&staff.access)));
        let actions: Vec<&str> = history["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["created", "submitted", "accept", "pledge_status", "pledge_status"], "staff actions are in the audit trail");
    }
}

e2e_test! {
    fn staff_change_windows_and_grant_individual_extensions(app) {
        let (_, org) = setup(&app);
        app.staff("staff@example.org");
        let other = app.verified_user("other@example.org");
        let other_org = app.organisation(&other, "Other");
        // Drafts made before the stocktaking deadline…
        let owner = travel(&app, "2025-02-05T10:00:00Z");
        let other = app.sign_in("other@example.org", wsis_e2e::PASSWORD);
        let (mine, _) = created(&app, &owner, &org, "stocktaking", project("Mine"));
        let (theirs, _) = created(&app, &other, &other_org, "stocktaking", project("Theirs"));
        // …and submitted after it.
        let owner = travel(&app, "2025-02-12T09:00:00Z");
        let other = app.sign_in("other@example.org", wsis_e2e::PASSWORD);
        problem(submit(&app, &owner, &mine), 409, "deadline_passed");
        // The refusal is said in the caller's language; its facts stay machine-readable.
        let late = problem(app.send(app.client.post(app.url(&format!("/api/v1/submissions/{mine}/submit")))
            .bearer_auth(&owner.access).header("Accept-Language", "ar")), 409, "deadline_passed");
        assert_eq!(late["detail"], "كان الموعد النهائي \u{2068}2025-02-10T22:59:59Z\u{2069} (\u{2068}2025-02-10T23:59:59+01:00\u{2069})؛ \
            وتلقّى الخادم هذا الطلب في \u{2068}2025-02-12T09:00:00.000Z\u{2069}.", "{late}");
        assert_eq!(late["deadline"]["effective_closes_at"], "2025-02-10T22:59:59Z");

        let staff_session = app.sign_in("staff@example.org", wsis_e2e::PASSWORD);
        let grant = |body: Value| app.send(app.client.post(app.url("/api/v1/calls/wsis-2025/tracks/stocktaking/extensions")).bearer_auth(&staff_session.access).json(&body));
        problem(grant(json!({"organisation_id": org, "until": "2025-02-01T00:00:00Z", "reason": "too early"})), 422, "validation_failed");
        problem(grant(json!({"organisation_id": org, "submission_id": mine, "until": "2025-02-20T22:59:59Z", "reason": "both"})), 422, "validation_failed");
        problem(grant(json!({"organisation_id": "nobody", "until": "2025-02-20T22:59:59Z", "reason": "ghost"})), 404, "not_found");
        let granted = grant(json!({"organisation_id": org, "until": "2025-02-20T22:59:59Z", "reason": "National power outage"}));
        assert_eq!(granted.status().as_u16(), 201);
        problem(app.send(app.client.post(app.url("/api/v1/calls/wsis-2025/tracks/stocktaking/extensions")).bearer_auth(&owner.access).json(&json!({"organisation_id": org, "until": "2025-02-20T22:59:59Z", "reason": "self-service"}))), 403, "forbidden");

        let view = body_json(app.send(app.client.get(app.url(&format!("/api/v1/submissions/{mine}"))).bearer_auth(&owner.access)));
        assert_eq!(view["deadline"]["extension"], json!({"until": "2025-02-20T22:59:59Z", "reason": "National power outage"}));
        assert_eq!(view["deadline"]["effective_closes_at"], "2025-02-20T22:59:59Z");
        assert_eq!(view["deadline"]["state"], "open");
        assert_eq!(submit(&app, &owner, &mine).status().as_u16(), 200, "the extension lets this organisation submit");
        problem(submit(&app, &other, &theirs), 409, "deadline_passed");
        let per_submission = grant(json!({"submission_id": theirs, "until": "2025-02-12T09:00:30Z", "reason": "Form outage on our side"}));
        assert_eq!(per_submission.status().as_u16(), 201);
        assert_eq!(submit(&app, &other, &theirs).status().as_u16(), 200);
        let listed = body_json(app.send(app.client.get(app.url("/api/v1/calls/wsis-2025/tracks/stocktaking/extensions")).bearer_auth(&staff_session.access)));
        assert_eq!(listed["items"].as_array().unwrap().len(), 2);
        assert_eq!(listed["items"][1]["granted_by"], staff_session.user_id.as_str());

        // Staff move the OCP deadline a week later; it applies to everyone at once.
        let patch = |body: Value, token: &str| app.send(app.client.patch(app.url("/api/v1/calls/wsis-2025/tracks/ocp")).bearer_auth(token).json(&body));
        problem(patch(json!({"grace_seconds": 60}), &owner.access), 403, "forbidden");
        problem(patch(json!({"closes": {"rule": "end_of_local_day", "date": "2024-01-01"}}), &staff_session.access), 422, "validation_failed");
        problem(patch(json!({"timezone": "Mars/Base"}), &staff_session.access), 422, "validation_failed");
        let moved = body_json(patch(json!({"closes": {"rule": "end_of_local_day", "date": "2025-03-21"}, "grace_seconds": 300}), &staff_session.access));
        assert_eq!(moved["deadline"]["closes_at_local"], "2025-03-21T23:59:59+01:00");
        assert_eq!(moved["deadline"]["effective_closes_at"], "2025-03-21T23:04:59Z");
        let track = app.get_json("/api/v1/calls/wsis-2025/tracks/ocp");
        assert_eq!(track["deadline"]["closes_at"], "2025-03-21T22:59:59Z");
    }
}

e2e_test! {
    fn staff_actions_name_the_field_and_rule_they_break(app) {
        let (owner, org) = setup(&app);
        let staff = app.staff("staff@example.org");
        let (id, _) = created(&app, &owner, &org, "trust_fund", pledge());
        submit(&app, &owner, &id);
        let post = |path: &str, body: Value| app.send(app.client.post(app.url(&format!("/api/v1/submissions/{id}/{path}"))).bearer_auth(&staff.access).json(&body));
        let field = |response| {
            let body = problem(response, 422, "validation_failed");
            (body["errors"][0]["field"].as_str().unwrap_or_default().to_owned(), body["errors"][0]["code"].as_str().unwrap_or_default().to_owned())
        };
        assert_eq!(field(post("decision", json!({"decision": "accept", "note": "n".repeat(2001)}))), ("note".into(), "invalid_length".into()));
        assert_eq!(field(post("decision", json!({"decision": "submit"}))), ("decision".into(), "invalid_value".into()), "not a staff decision");
        assert_eq!(field(post("pledge-status", json!({"status": "pledged"}))), ("status".into(), "invalid_value".into()), "every pledge starts pledged");
        assert_eq!(field(post("pledge-status", json!({"status": "paid"}))), ("status".into(), "invalid_value".into()));
        let award = app.send(app.client.put(app.url(&format!("/api/v1/submissions/{id}/prize-award"))).bearer_auth(&staff.access).json(&json!({"award": "gold"})));
        assert_eq!(field(award), ("award".into(), "invalid_value".into()));
        // A note of exactly 2,000 characters is taken, and mailed.
        let accepted = body_json(post("decision", json!({"decision": "accept", "note": "n".repeat(2000)})));
        assert_eq!(accepted["status"], "accepted");
        assert!(app.mails_to("owner@example.org").iter().any(|m| m.body.contains(&"n".repeat(2000))));
        // Awards are for accepted prize nominations only: a pledge has none.
        let award = app.send(app.client.put(app.url(&format!("/api/v1/submissions/{id}/prize-award"))).bearer_auth(&staff.access).json(&json!({"award": "winner"})));
        problem(award, 404, "not_found");
    }
}
