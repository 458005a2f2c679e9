//! Organisations: creation, conditional updates, members, invitations, the last owner.

use serde_json::json;
use wsis_e2e::{PASSWORD, e2e_test, header, json as body_json, problem};

e2e_test! {
    fn creating_reading_and_updating_an_organisation(app) {
        let owner = app.register("owner@example.org");
        let session = app.sign_in("owner@example.org", PASSWORD);
        let body = json!({"name": "Digital Rights Collective", "stakeholder_category": "academia/technical community", "country": "global", "website": "https://drc.example.org"});
        let created = app.send(app.client.post(app.url("/api/v1/organisations")).bearer_auth(&session.access).json(&body));
        assert_eq!(created.status().as_u16(), 201, "unverified users may create organisations to prepare drafts");
        let id_location = header(&created, "location");
        let etag = header(&created, "etag");
        let org = body_json(created);
        let id = org["id"].as_str().unwrap().to_owned();
        assert_eq!(id_location, format!("/api/v1/organisations/{id}"));
        assert_eq!(org["stakeholder_category"], "academia", "the legacy merged value is read as academia");
        assert_eq!(org["country"], "global");
        assert_eq!(org["region"], serde_json::Value::Null);

        let me = body_json(app.send(app.client.get(app.url("/api/v1/me")).bearer_auth(&session.access)));
        assert_eq!(me["organisations"], json!([{"id": id, "name": "Digital Rights Collective", "role": "owner"}]));

        let fetched = app.send(app.client.get(app.url(&format!("/api/v1/organisations/{id}"))).bearer_auth(&session.access));
        assert_eq!(header(&fetched, "etag"), etag);
        assert_eq!(header(&fetched, "cache-control"), "private, no-cache");
        let cached = app.send(app.client.get(app.url(&format!("/api/v1/organisations/{id}"))).bearer_auth(&session.access).header("If-None-Match", &etag));
        assert_eq!(cached.status().as_u16(), 304);

        let url = app.url(&format!("/api/v1/organisations/{id}"));
        let patch = json!({"stakeholder_category": "technical_community", "country": "ch", "website": null});
        problem(app.send(app.client.patch(&url).bearer_auth(&session.access).json(&patch)), 428, "precondition_required");
        problem(app.send(app.client.patch(&url).bearer_auth(&session.access).header("If-Match", "\"stale\"").json(&patch)), 412, "precondition_failed");
        let updated = app.send(app.client.patch(&url).bearer_auth(&session.access).header("If-Match", &etag).json(&patch));
        assert_eq!(updated.status().as_u16(), 200);
        let new_etag = header(&updated, "etag");
        assert_ne!(new_etag, etag);
        let updated = body_json(updated);
        assert_eq!((updated["stakeholder_category"].as_str(), updated["country"].as_str(), updated["region"].as_str()), (Some("technical_community"), Some("CH"), Some("europe")));
        assert_eq!(updated["website"], serde_json::Value::Null);
        assert_eq!(updated["name"], "Digital Rights Collective", "fields not given stay");
        // The first editor's tag is stale now: a second writer cannot overwrite silently.
        problem(app.send(app.client.patch(&url).bearer_auth(&session.access).header("If-Match", &etag).json(&json!({"name": "Late"}))), 412, "precondition_failed");
        let invalid = json!({"name": "", "country": "XX", "website": "ftp://x", "stakeholder_category": "nobody"});
        let body = problem(app.send(app.client.patch(&url).bearer_auth(&session.access).header("If-Match", &new_etag).json(&invalid)), 422, "validation_failed");
        let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["name", "stakeholder_category", "country", "website"]);
        problem(app.send(app.client.patch(&url).bearer_auth(&session.access).header("If-Match", &new_etag).json(&json!({"owner": owner}))), 422, "validation_failed");
    }
}

e2e_test! {
    fn invitations_members_and_the_last_owner(app) {
        let owner = app.verified_user("owner@example.org");
        let id = app.organisation(&owner, "Open Knowledge Africa");
        let invite = |email: &str, role: &str| {
            app.send(app.client.post(app.url(&format!("/api/v1/organisations/{id}/invitations"))).bearer_auth(&owner.access).json(&json!({"email": email, "role": role})))
        };
        // An invitee without an account yet: mail in English with an accept link.
        let created = invite("Kofi@Example.org", "editor");
        assert_eq!(created.status().as_u16(), 201);
        let invitation = body_json(created);
        assert_eq!(invitation["email"], "kofi@example.org");
        assert!(invitation.get("token").is_none());
        let mail = app.mails_to("Kofi@Example.org").pop().unwrap();
        assert!(mail.subject.contains("Open Knowledge Africa"), "{}", mail.subject);
        assert!(mail.body.contains("https://frontend.example/invitations/accept?token=wsis_inv_"), "{}", mail.body);
        let token = app.mailed_token("Kofi@Example.org");

        // Someone else cannot use it.
        let stranger = app.verified_user("stranger@example.org");
        let accept = |session: &wsis_e2e::Session, token: &str| {
            app.send(app.client.post(app.url("/api/v1/invitations:accept")).bearer_auth(&session.access).json(&json!({"token": token})))
        };
        problem(accept(&stranger, &token), 400, "invalid_token");
        // The invitee must prove the address first.
        app.register("kofi@example.org");
        let unverified = app.sign_in("kofi@example.org", PASSWORD);
        problem(accept(&unverified, &token), 403, "forbidden");
        let verify = app.send(app.client.post(app.url("/api/v1/auth/verify-email")).json(&json!({"token": app.mailed_token("kofi@example.org")})));
        assert_eq!(verify.status().as_u16(), 200);
        let kofi = app.sign_in("kofi@example.org", PASSWORD);
        let joined = accept(&kofi, &token);
        assert_eq!(joined.status().as_u16(), 200);
        assert!(body_json(joined)["accepted_at"].is_string());
        problem(accept(&kofi, &token), 400, "invalid_token");

        let members = body_json(app.send(app.client.get(app.url(&format!("/api/v1/organisations/{id}/members"))).bearer_auth(&kofi.access)));
        let roles: Vec<(&str, &str)> = members["items"].as_array().unwrap().iter().map(|m| (m["email"].as_str().unwrap(), m["role"].as_str().unwrap())).collect();
        assert_eq!(roles, [("owner@example.org", "owner"), ("kofi@example.org", "editor")]);
        let invitations = body_json(app.send(app.client.get(app.url(&format!("/api/v1/organisations/{id}/invitations"))).bearer_auth(&owner.access)));
        assert!(invitations["items"][0]["accepted_at"].is_string());

        // An Arabic-speaking invitee gets the mail in Arabic.
        let body = json!({"email": "layla@example.org", "password": PASSWORD, "display_name": "Layla", "language": "ar"});
        assert_eq!(app.send(app.client.post(app.url("/api/v1/auth/register")).json(&body)).status().as_u16(), 202);
        assert_eq!(invite("layla@example.org", "viewer").status().as_u16(), 201);
        let mail = app.mails_to("layla@example.org").pop().unwrap();
        assert!(mail.body.contains("تمت دعوتك"), "{}", mail.body);
        problem(invite("not an address", "emperor"), 422, "validation_failed");

        // The last owner can neither leave nor be demoted; after a second owner, they can.
        let member_url = |user: &str| app.url(&format!("/api/v1/organisations/{id}/members/{user}"));
        problem(app.send(app.client.delete(member_url(&owner.user_id)).bearer_auth(&owner.access)), 409, "last_owner");
        problem(app.send(app.client.patch(member_url(&owner.user_id)).bearer_auth(&owner.access).json(&json!({"role": "viewer"}))), 409, "last_owner");
        assert_eq!(app.send(app.client.patch(member_url(&kofi.user_id)).bearer_auth(&owner.access).json(&json!({"role": "owner"}))).status().as_u16(), 204);
        assert_eq!(app.send(app.client.delete(member_url(&owner.user_id)).bearer_auth(&owner.access)).status().as_u16(), 204);
        problem(app.send(app.client.get(app.url(&format!("/api/v1/organisations/{id}"))).bearer_auth(&owner.access)), 404, "not_found");
        problem(app.send(app.client.delete(member_url("nobody")).bearer_auth(&kofi.access)), 404, "not_found");
        problem(app.send(app.client.patch(member_url(&kofi.user_id)).bearer_auth(&kofi.access).json(&json!({"role": "admiral"}))), 422, "validation_failed");
    }
}

e2e_test! {
    fn invitations_expire_after_seven_days(app) {
        let owner = app.verified_user("owner@example.org");
        let id = app.organisation(&owner, "Slow Org");
        let invited = app.send(app.client.post(app.url(&format!("/api/v1/organisations/{id}/invitations"))).bearer_auth(&owner.access).json(&json!({"email": "late@example.org", "role": "viewer"})));
        assert_eq!(invited.status().as_u16(), 201);
        let token = app.mailed_token("late@example.org");
        app.verified_user("late@example.org");
        app.clock.advance(chrono::Duration::days(7) + chrono::Duration::seconds(1));
        let late = app.sign_in("late@example.org", PASSWORD);
        let response = app.send(app.client.post(app.url("/api/v1/invitations:accept")).bearer_auth(&late.access).json(&json!({"token": token})));
        problem(response, 400, "invalid_token");
    }
}

e2e_test! {
    fn two_owners_removing_or_demoting_each_other_at_once_leave_an_owner(app) {
        let first = app.verified_user("first@example.org");
        let second = app.verified_user("second@example.org");
        for trial in 0..8 {
            let org = app.organisation(&first, &format!("Race {trial}"));
            let now = wsis_domain::Clock::now(app.clock.as_ref());
            app.database.with(|conn| wsis_persistence::organisations::add_member(conn, &org, &second.user_id, wsis_domain::MemberRole::Owner, now)).unwrap();
            let second = app.sign_in("second@example.org", wsis_e2e::PASSWORD);
            let first = app.sign_in("first@example.org", wsis_e2e::PASSWORD);
            let barrier = std::sync::Barrier::new(2);
            let act = |actor: &wsis_e2e::Session, target: &str| {
                let url = app.url(&format!("/api/v1/organisations/{org}/members/{target}"));
                let request = if trial % 2 == 0 {
                    app.client.delete(url)
                } else {
                    app.client.patch(url).json(&json!({"role": "viewer"}))
                };
                barrier.wait();
                app.send(request.bearer_auth(&actor.access)).status().as_u16()
            };
            let (a, b) = std::thread::scope(|s| {
                let a = s.spawn(|| act(&first, &second.user_id));
                let b = s.spawn(|| act(&second, &first.user_id));
                (a.join().unwrap(), b.join().unwrap())
            });
            let mut outcomes = [a, b];
            outcomes.sort_unstable();
            let owners = app.database.with(|conn| wsis_persistence::organisations::members(conn, &org)).unwrap()
                .into_iter().filter(|m| m.role == wsis_domain::MemberRole::Owner).count();
            assert_eq!(owners, 1, "trial {trial}: {outcomes:?}");
            assert!(outcomes[0] < 300 && matches!(outcomes[1], 403 | 404 | 409), "trial {trial}: one wins, the other is refused: {outcomes:?}");
        }
    }
}

e2e_test! {
    fn invitations_are_limited_per_account_and_per_address(app) {
        let owner = app.verified_user("owner@example.org");
        let id = app.organisation(&owner, "Busy Org");
        let invite = |email: &str| app.send(app.client.post(app.url(&format!("/api/v1/organisations/{id}/invitations"))).bearer_auth(&owner.access).json(&json!({"email": email, "role": "viewer"})));
        // One address: at most five unsolicited mails an hour, whoever sends them.
        for _ in 0..5 {
            assert_eq!(invite("target@example.org").status().as_u16(), 201);
        }
        let refused = invite("target@example.org");
        assert!(!header(&refused, "retry-after").is_empty());
        problem(refused, 429, "rate_limited");
        assert_eq!(app.mails_to("target@example.org").len(), 5);
        // One account: at most thirty invitations an hour (five are spent above).
        for i in 0..25 {
            assert_eq!(invite(&format!("person{i}@example.org")).status().as_u16(), 201, "{i}");
        }
        problem(invite("one-too-many@example.org"), 429, "rate_limited");
        assert!(app.mails_to("one-too-many@example.org").is_empty());
        app.clock.advance(chrono::Duration::hours(1) + chrono::Duration::seconds(1));
        let owner = app.sign_in("owner@example.org", PASSWORD);
        let again = app.send(app.client.post(app.url(&format!("/api/v1/organisations/{id}/invitations"))).bearer_auth(&owner.access).json(&json!({"email": "one-too-many@example.org", "role": "viewer"})));
        assert_eq!(again.status().as_u16(), 201, "the hour has passed");
    }
}

e2e_test! {
    fn an_invitation_accepted_twice_at_once_makes_one_membership_and_never_lowers_a_role(app) {
        let owner = app.verified_user("owner@example.org");
        let id = app.organisation(&owner, "Double Click");
        let invite = |email: &str, role: &str| {
            let response = app.send(app.client.post(app.url(&format!("/api/v1/organisations/{id}/invitations"))).bearer_auth(&owner.access).json(&json!({"email": email, "role": role})));
            assert_eq!(response.status().as_u16(), 201);
            app.mailed_token(email)
        };
        let token = invite("amina@example.org", "editor");
        let amina = app.verified_user("amina@example.org");
        let barrier = std::sync::Barrier::new(2);
        let accept = |token: &str| {
            barrier.wait();
            app.send(app.client.post(app.url("/api/v1/invitations:accept")).bearer_auth(&amina.access).json(&json!({"token": token}))).status().as_u16()
        };
        let (a, b) = std::thread::scope(|s| {
            let a = s.spawn(|| accept(&token));
            let b = s.spawn(|| accept(&token));
            (a.join().unwrap(), b.join().unwrap())
        });
        let mut outcomes = [a, b];
        outcomes.sort_unstable();
        assert_eq!(outcomes, [200, 400], "one click joins, the other finds the invitation used");
        let members = || {
            let amina = app.sign_in("amina@example.org", PASSWORD);
            let listed = body_json(app.send(app.client.get(app.url(&format!("/api/v1/organisations/{id}/members"))).bearer_auth(&amina.access)));
            listed["items"].as_array().unwrap().iter().map(|m| (m["email"].as_str().unwrap().to_owned(), m["role"].as_str().unwrap().to_owned())).collect::<Vec<_>>()
        };
        assert_eq!(members(), [("owner@example.org".to_owned(), "owner".to_owned()), ("amina@example.org".to_owned(), "editor".to_owned())]);
        // A second invitation with a lesser role leaves the role as it is; one with a greater role raises it.
        let viewer = invite("amina@example.org", "viewer");
        let amina = app.sign_in("amina@example.org", PASSWORD);
        let accepted = app.send(app.client.post(app.url("/api/v1/invitations:accept")).bearer_auth(&amina.access).json(&json!({"token": viewer})));
        assert_eq!(accepted.status().as_u16(), 200);
        assert_eq!(members()[1].1, "editor");
        let owner_token = invite("amina@example.org", "owner");
        let accepted = app.send(app.client.post(app.url("/api/v1/invitations:accept")).bearer_auth(&amina.access).json(&json!({"token": owner_token})));
        assert_eq!(accepted.status().as_u16(), 200);
        assert_eq!(members()[1].1, "owner");
    }
}

e2e_test! {
    fn staff_cannot_delete_the_last_owner_of_an_organisation(app) {
        let owner = app.verified_user("owner@example.org");
        let id = app.organisation(&owner, "Sole Owner Foundation");
        let staff = app.staff("staff@example.org");
        let delete = |user: &str| app.send(app.client.delete(app.url(&format!("/api/v1/admin/users/{user}"))).bearer_auth(&staff.access));
        let refused = problem(delete(&owner.user_id), 409, "last_owner");
        assert!(refused["detail"].as_str().unwrap().contains("Sole Owner Foundation"), "{refused}");
        // Still there, still the owner.
        let members = body_json(app.send(app.client.get(app.url(&format!("/api/v1/organisations/{id}/members"))).bearer_auth(&owner.access)));
        assert_eq!(members["items"][0]["role"], "owner");
        // With a second owner, the first may go.
        let now = wsis_domain::Clock::now(app.clock.as_ref());
        let second = app.verified_user("second@example.org");
        app.database.with(|conn| wsis_persistence::organisations::add_member(conn, &id, &second.user_id, wsis_domain::MemberRole::Owner, now)).unwrap();
        assert_eq!(delete(&owner.user_id).status().as_u16(), 204);
        let members = app.database.with(|conn| wsis_persistence::organisations::members(conn, &id)).unwrap();
        assert_eq!(members.iter().map(|m| m.user_id.as_str()).collect::<Vec<_>>(), [second.user_id.as_str()]);
    }
}
