//! The account's lifecycle (docs/identity.md): password reset by a mailed link (and by staff), e-mail change, the
//! sessions list, the export of everything held about a person, and erasure.

use std::sync::Barrier;

use serde_json::{Value, json};
use wsis_domain::Clock;
use wsis_e2e::{PASSWORD, TestApp, at, e2e_test, header, json as body_json, problem};

use crate::changes::draft;

const NEW_PASSWORD: &str = "a brand new, unusual passphrase";

fn reset(app: &TestApp, email: &str, from: &str) -> reqwest::blocking::Response {
    app.send(
        app.client
            .post(app.url("/api/v1/auth/password-reset"))
            .header("X-Forwarded-For", from)
            .json(&json!({"email": email})),
    )
}

fn confirm(app: &TestApp, token: &str, password: &str) -> reqwest::blocking::Response {
    app.send(
        app.client
            .post(app.url("/api/v1/auth/password-reset:confirm"))
            .json(&json!({"token": token, "new_password": password})),
    )
}

fn sign_in_status(app: &TestApp, email: &str, password: &str) -> u16 {
    app.send(app.client.post(app.url("/api/v1/auth/token")).form(&[
        ("grant_type", "password"),
        ("username", email),
        ("password", password),
    ]))
    .status()
    .as_u16()
}

fn refresh_status(app: &TestApp, refresh: &str) -> u16 {
    app.send(
        app.client
            .post(app.url("/api/v1/auth/token"))
            .form(&[("grant_type", "refresh_token"), ("refresh_token", refresh)]),
    )
    .status()
    .as_u16()
}

fn me_status(app: &TestApp, access: &str) -> u16 {
    app.send(app.client.get(app.url("/api/v1/me")).bearer_auth(access))
        .status()
        .as_u16()
}

e2e_test! {
    fn a_forgotten_password_is_reset_by_a_mailed_link(app) {
        let amina = app.verified_user("amina@example.org");
        let laptop = app.sign_in("amina@example.org", PASSWORD);

        // Known and unknown addresses are answered alike; only the account's address gets mail.
        let known = reset(&app, "Amina@Example.org", "10.1.0.1");
        assert_eq!(known.status().as_u16(), 202);
        assert!(header(&known, "ratelimit").contains("\"password-resets-address\";r=19"), "{}", header(&known, "ratelimit"));
        let known = body_json(known);
        let unknown = reset(&app, "nobody@example.org", "10.1.0.2");
        assert_eq!(unknown.status().as_u16(), 202);
        assert_eq!(body_json(unknown), known);
        assert!(app.mails_to("nobody@example.org").is_empty());
        let refused = problem(reset(&app, "not an address", "10.1.0.3"), 422, "validation_failed");
        assert_eq!(refused["errors"][0]["field"], "email");

        let mail = app.mails_to("amina@example.org").pop().unwrap();
        assert_eq!(mail.subject, "WSIS: Reset your password");
        assert!(mail.body.contains("https://frontend.example/reset-password?token=wsis_pr_"), "{}", mail.body);
        let token = app.mailed_token("amina@example.org");

        // A weak password is refused and the link still works.
        let weak = problem(confirm(&app, &token, "short"), 422, "validation_failed");
        assert_eq!(weak["errors"][0]["field"], "new_password");
        let garbage = problem(confirm(&app, "wsis_pr_\0\u{202e}", NEW_PASSWORD), 422, "validation_failed");
        assert_eq!(garbage["errors"][0]["field"], "token", "{garbage}");
        let unknown = problem(confirm(&app, &"wsis_pr_x".repeat(1000), NEW_PASSWORD), 400, "invalid_token");
        assert!(unknown["detail"].as_str().unwrap().contains("link"));
        assert_eq!(confirm(&app, &token, NEW_PASSWORD).status().as_u16(), 204);
        // Used once; every session revoked; the new password signs in, the old one no longer.
        problem(confirm(&app, &token, "yet another long passphrase"), 400, "invalid_token");
        assert_eq!(me_status(&app, &amina.access), 401);
        assert_eq!(refresh_status(&app, &laptop.refresh), 400);
        assert_eq!(sign_in_status(&app, "amina@example.org", PASSWORD), 400);
        assert_eq!(sign_in_status(&app, "amina@example.org", NEW_PASSWORD), 200);
        let notice = app.mails_to("amina@example.org").pop().unwrap();
        assert_eq!(notice.subject, "WSIS: Your password was changed");
    }
}

e2e_test! {
    fn a_reset_link_expires_and_gets_a_locked_out_person_back_in(app) {
        app.clock.set(at("2025-02-01T10:00:00Z"));
        app.verified_user("kofi@example.org");
        assert_eq!(reset(&app, "kofi@example.org", "10.2.0.1").status().as_u16(), 202);
        let stale = app.mailed_token("kofi@example.org");
        app.clock.advance(chrono::Duration::minutes(61));
        problem(confirm(&app, &stale, NEW_PASSWORD), 400, "invalid_token");

        // Guessers lock the account; a reset gets its owner back in at once, and voids the other links.
        for _ in 0..5 {
            assert_eq!(sign_in_status(&app, "kofi@example.org", "a wrong guess of a password"), 400);
        }
        assert_eq!(sign_in_status(&app, "kofi@example.org", PASSWORD), 429);
        reset(&app, "kofi@example.org", "10.2.0.1");
        let first = app.mailed_token("kofi@example.org");
        reset(&app, "kofi@example.org", "10.2.0.1");
        let second = app.mailed_token("kofi@example.org");
        assert_ne!(first, second);
        assert_eq!(confirm(&app, &second, NEW_PASSWORD).status().as_u16(), 204);
        assert_eq!(sign_in_status(&app, "kofi@example.org", NEW_PASSWORD), 200);
        problem(confirm(&app, &first, "yet another long passphrase"), 400, "invalid_token");
    }
}

e2e_test! {
    fn a_reset_link_works_once_when_used_twice_at_the_same_time(app) {
        app.verified_user("twice@example.org");
        reset(&app, "twice@example.org", "10.3.0.1");
        let token = app.mailed_token("twice@example.org");
        let barrier = Barrier::new(4);
        let statuses: Vec<u16> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|i| {
                    let (barrier, token, app) = (&barrier, &token, &app);
                    s.spawn(move || {
                        barrier.wait();
                        confirm(app, token, &format!("{NEW_PASSWORD} number {i}")).status().as_u16()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(statuses.iter().filter(|s| **s == 204).count(), 1, "{statuses:?}");
        assert_eq!(statuses.iter().filter(|s| **s == 400).count(), 3, "{statuses:?}");
    }
}

e2e_test! {
    fn password_reset_requests_are_limited_per_client_address_and_per_mailbox(app) {
        app.verified_user("busy@example.org");
        // Parallel requests from one client address: exactly the hour's quota passes, whichever instance counts.
        let barrier = Barrier::new(24);
        let statuses: Vec<u16> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..24)
                .map(|i| {
                    let (barrier, app) = (&barrier, &app);
                    s.spawn(move || {
                        barrier.wait();
                        reset(app, &format!("someone{i}@example.org"), "10.4.0.1").status().as_u16()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(statuses.iter().filter(|s| **s == 202).count(), 20, "{statuses:?}");
        let refused = reset(&app, "busy@example.org", "10.4.0.1");
        assert!(header(&refused, "retry-after").parse::<u64>().unwrap() > 0);
        problem(refused, 429, "rate_limited");
        // One mailbox gets at most five unsolicited messages an hour (its verification link was the first).
        for i in 0..8 {
            assert_eq!(reset(&app, "busy@example.org", &format!("10.4.1.{i}")).status().as_u16(), 202);
        }
        assert_eq!(app.mails_to("busy@example.org").len(), 5);
    }
}

e2e_test! {
    fn staff_send_a_reset_link_without_seeing_it_and_it_is_audited(app) {
        let staff = app.staff("ops@example.org");
        let amina = app.verified_user("amina@example.org");
        let url = format!("/api/v1/admin/users/{}/password-reset", amina.user_id);
        problem(app.send(app.client.post(app.url(&url)).bearer_auth(&amina.access)), 403, "forbidden");
        problem(app.send(app.client.post(app.url(&url))), 401, "unauthorized");
        problem(app.send(app.client.post(app.url("/api/v1/admin/users/0193a0c4-0000-7000-8000-000000000000/password-reset")).bearer_auth(&staff.access)), 404, "not_found");
        let sent = app.send(app.client.post(app.url(&url)).bearer_auth(&staff.access));
        assert_eq!(sent.status().as_u16(), 202);
        assert_eq!(sent.text().unwrap(), "", "staff never see the link");
        let token = app.mailed_token("amina@example.org");
        assert!(token.starts_with("wsis_pr_"));
        assert_eq!(confirm(&app, &token, NEW_PASSWORD).status().as_u16(), 204);
        let amina = app.sign_in("amina@example.org", NEW_PASSWORD);
        let export = body_json(app.send(app.client.get(app.url("/api/v1/me/export")).bearer_auth(&amina.access)));
        let log: Vec<(&str, &str)> = export["account_events"].as_array().unwrap().iter().map(|e| (e["action"].as_str().unwrap(), e["actor_id"].as_str().unwrap_or(""))).collect();
        assert_eq!(log, [("password_reset_requested", staff.user_id.as_str()), ("password_reset", amina.user_id.as_str())]);
    }
}

e2e_test! {
    fn an_email_change_takes_effect_once_the_new_address_confirms_it(app) {
        let amina = app.verified_user("amina@example.org");
        let change = |body: Value| app.send(app.client.post(app.url("/api/v1/me/email")).bearer_auth(&amina.access).json(&body));
        let wrong = problem(change(json!({"new_email": "amina.d@example.org", "password": "not my password at all"})), 422, "validation_failed");
        assert_eq!(wrong["errors"][0]["field"], "password");
        let same = problem(change(json!({"new_email": "AMINA@example.org", "password": PASSWORD})), 422, "validation_failed");
        assert_eq!(same["errors"][0]["field"], "new_email");
        let bad = problem(change(json!({"new_email": "amina\u{0}@example.org", "password": PASSWORD})), 422, "validation_failed");
        assert_eq!(bad["errors"][0]["field"], "new_email");
        problem(app.send(app.client.post(app.url("/api/v1/me/email")).json(&json!({"new_email": "x@example.org", "password": PASSWORD}))), 401, "unauthorized");

        assert_eq!(change(json!({"new_email": "amina.d@example.org", "password": PASSWORD})).status().as_u16(), 202);
        let link = app.mails_to("amina.d@example.org").pop().unwrap();
        assert_eq!(link.subject, "WSIS: Confirm your new e-mail address");
        assert!(link.body.contains("https://frontend.example/confirm-email?token=wsis_ec_"), "{}", link.body);
        // Nothing changes until the new address confirms.
        let me = body_json(app.send(app.client.get(app.url("/api/v1/me")).bearer_auth(&amina.access)));
        assert_eq!(me["account"]["email"], "amina@example.org");
        let token = app.mailed_token("amina.d@example.org");
        let confirm = |token: &str| app.send(app.client.post(app.url("/api/v1/auth/email-change:confirm")).json(&json!({"token": token})));
        assert_eq!(confirm(&token).status().as_u16(), 204);
        problem(confirm(&token), 400, "invalid_token");
        let me = body_json(app.send(app.client.get(app.url("/api/v1/me")).bearer_auth(&amina.access)));
        assert_eq!(me["account"]["email"], "amina.d@example.org");
        assert_eq!(me["account"]["email_verified"], true);
        let told = app.mails_to("amina@example.org").pop().unwrap();
        assert_eq!(told.subject, "WSIS: Your e-mail address was changed");
        assert!(told.body.contains("amina.d@example.org"));
        assert_eq!(sign_in_status(&app, "amina.d@example.org", PASSWORD), 200);
        assert_eq!(sign_in_status(&app, "amina@example.org", PASSWORD), 400);

        // An address taken between the request and the confirmation: 409 to the holder of the new mailbox.
        assert_eq!(change(json!({"new_email": "kofi@example.org", "password": PASSWORD})).status().as_u16(), 202);
        let token = app.mailed_token("kofi@example.org");
        app.register("kofi@example.org");
        problem(confirm(&token), 409, "conflict");
        let me = body_json(app.send(app.client.get(app.url("/api/v1/me")).bearer_auth(&amina.access)));
        assert_eq!(me["account"]["email"], "amina.d@example.org");
    }
}

e2e_test! {
    fn a_person_sees_their_sessions_and_signs_them_out(app) {
        let first = app.verified_user("amina@example.org");
        let sign_in_with = |agent: &str| {
            body_json(app.send(app.client.post(app.url("/api/v1/auth/token")).header("User-Agent", agent).header("X-Forwarded-For", "203.0.113.7").form(&[("grant_type", "password"), ("username", "amina@example.org"), ("password", PASSWORD)])))
        };
        let phone = sign_in_with("Phone/1.0 (Android 14)");
        let laptop = sign_in_with("Laptop/2.0\t(Debian)");
        let laptop_access = laptop["access_token"].as_str().unwrap();
        let listed = body_json(app.send(app.client.get(app.url("/api/v1/me/sessions")).bearer_auth(laptop_access)));
        let items = listed["items"].as_array().unwrap();
        assert_eq!(items.len(), 3);
        assert_eq!(items.iter().filter(|s| s["current"] == true).count(), 1);
        let current = items.iter().find(|s| s["current"] == true).unwrap();
        assert_eq!(current["user_agent"], "Laptop/2.0(Debian)", "control characters are dropped");
        assert_eq!(current["client_address"], "203.0.113.7");
        assert!(current["client"].is_null());
        assert!(current["last_used_at"].is_string());
        let phone_session = items.iter().find(|s| s["user_agent"] == "Phone/1.0 (Android 14)").unwrap()["id"].as_str().unwrap().to_owned();

        // One session out: its tokens stop working; another person's session is not found.
        let kofi = app.verified_user("kofi@example.org");
        problem(app.send(app.client.delete(app.url(&format!("/api/v1/me/sessions/{phone_session}"))).bearer_auth(&kofi.access)), 404, "not_found");
        assert_eq!(app.send(app.client.delete(app.url(&format!("/api/v1/me/sessions/{phone_session}"))).bearer_auth(laptop_access)).status().as_u16(), 204);
        assert_eq!(me_status(&app, phone["access_token"].as_str().unwrap()), 401);
        assert_eq!(refresh_status(&app, phone["refresh_token"].as_str().unwrap()), 400);
        problem(app.send(app.client.delete(app.url(&format!("/api/v1/me/sessions/{phone_session}"))).bearer_auth(laptop_access)), 404, "not_found");

        // Everywhere else out: this one stays.
        let revoked = body_json(app.send(app.client.post(app.url("/api/v1/me/sessions:revoke-others")).bearer_auth(laptop_access)));
        assert_eq!(revoked["revoked"], 1);
        assert_eq!(me_status(&app, &first.access), 401);
        assert_eq!(me_status(&app, laptop_access), 200);
        assert_eq!(me_status(&app, &kofi.access), 200);
        let listed = body_json(app.send(app.client.get(app.url("/api/v1/me/sessions")).bearer_auth(laptop_access)));
        assert_eq!(listed["items"].as_array().unwrap().len(), 1);
        // A refresh is a use: it moves `last_used_at`.
        app.clock.advance(chrono::Duration::minutes(5));
        let refreshed = body_json(app.send(app.client.post(app.url("/api/v1/auth/token")).form(&[("grant_type", "refresh_token"), ("refresh_token", laptop["refresh_token"].as_str().unwrap())])));
        let listed = body_json(app.send(app.client.get(app.url("/api/v1/me/sessions")).bearer_auth(refreshed["access_token"].as_str().unwrap())));
        assert_ne!(listed["items"][0]["last_used_at"], listed["items"][0]["created_at"]);
        problem(app.send(app.client.get(app.url("/api/v1/me/sessions"))), 401, "unauthorized");
    }
}

e2e_test! {
    fn a_person_exports_everything_held_about_them(app) {
        app.clock.set(at("2025-02-01T10:00:00Z"));
        let amina = app.verified_user("amina@example.org");
        let org = app.organisation(&amina, "Knowledge Commons");
        let id = draft(&app, &amina, &org, "Schools online", &["C3"]);
        let response = app.send(app.client.get(app.url("/api/v1/me/export")).bearer_auth(&amina.access));
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(header(&response, "cache-control"), "private, no-store");
        assert!(header(&response, "content-disposition").starts_with("attachment; filename=\"wsis-account-"));
        let export = body_json(response);
        assert_eq!(export["me"]["account"]["email"], "amina@example.org");
        assert_eq!(export["me"]["organisations"][0]["name"], "Knowledge Commons");
        assert_eq!(export["sessions"].as_array().unwrap().len(), 1);
        assert_eq!(export["submissions"][0]["id"], id.as_str());
        assert_eq!(export["submissions"][0]["content"]["title"], "Schools online");
        assert_eq!(export["submissions"][0]["organisation_id"], org.as_str());
        assert!(export["history"].as_array().unwrap().iter().any(|h| h["submission_id"] == id.as_str()), "{}", export["history"]);
        assert_eq!(export["votes"], json!([]));
        assert_eq!(export["exported_at"], "2025-02-01T10:00:00Z");
        // Someone else's export holds none of it.
        let kofi = app.verified_user("kofi@example.org");
        let theirs = body_json(app.send(app.client.get(app.url("/api/v1/me/export")).bearer_auth(&kofi.access)));
        assert_eq!(theirs["submissions"], json!([]));
        assert_eq!(theirs["me"]["organisations"], json!([]));
    }
}

e2e_test! {
    fn a_person_erases_their_account_once_no_organisation_depends_on_them(app) {
        app.clock.set(at("2025-02-01T10:00:00Z"));
        let amina = app.verified_user("amina@example.org");
        let org = app.organisation(&amina, "Knowledge Commons");
        let id = draft(&app, &amina, &org, "Schools online", &["C3"]);
        let erase = |access: &str| app.send(app.client.delete(app.url("/api/v1/me")).bearer_auth(access));
        let refused = problem(erase(&amina.access), 409, "last_owner");
        assert!(refused["detail"].as_str().unwrap().contains("Knowledge Commons"), "{refused}");

        // Another owner takes over.
        let kofi = app.verified_user("kofi@example.org");
        assert_eq!(app.send(app.client.post(app.url(&format!("/api/v1/organisations/{org}/invitations"))).bearer_auth(&amina.access).json(&json!({"email": "kofi@example.org", "role": "owner"}))).status().as_u16(), 201);
        let token = app.mailed_token("kofi@example.org");
        assert_eq!(app.send(app.client.post(app.url("/api/v1/invitations:accept")).bearer_auth(&kofi.access).json(&json!({"token": token}))).status().as_u16(), 200);

        // An old sign-in is not enough: sign in again first.
        app.clock.advance(chrono::Duration::minutes(16));
        let refreshed = body_json(app.send(app.client.post(app.url("/api/v1/auth/token")).form(&[("grant_type", "refresh_token"), ("refresh_token", amina.refresh.as_str())])));
        let stale = refreshed["access_token"].as_str().unwrap();
        problem(erase(stale), 403, "forbidden");
        let fresh = app.sign_in("amina@example.org", PASSWORD);
        assert_eq!(erase(&fresh.access).status().as_u16(), 204);

        // Signed out everywhere, the address free, a confirmation mailed; the organisation keeps its submission.
        assert_eq!(me_status(&app, &fresh.access), 401);
        assert_eq!(me_status(&app, stale), 401);
        assert_eq!(sign_in_status(&app, "amina@example.org", PASSWORD), 400);
        let told = app.mails_to("amina@example.org").pop().unwrap();
        assert_eq!(told.subject, "WSIS: Your account was erased");
        let kofi = app.sign_in("kofi@example.org", PASSWORD);
        let kept = body_json(app.send(app.client.get(app.url(&format!("/api/v1/submissions/{id}"))).bearer_auth(&kofi.access)));
        assert_eq!(kept["content"]["title"], "Schools online");
        let members = body_json(app.send(app.client.get(app.url(&format!("/api/v1/organisations/{org}/members"))).bearer_auth(&kofi.access)));
        let emails: Vec<&str> = members["items"].as_array().unwrap().iter().map(|m| m["email"].as_str().unwrap()).collect();
        assert_eq!(emails, ["kofi@example.org"]);
        // The history keeps the erased account's id: a pseudonym now, naming nobody.
        let history = body_json(app.send(app.client.get(app.url(&format!("/api/v1/submissions/{id}/history"))).bearer_auth(&kofi.access)));
        assert_eq!(history["items"][0]["actor_id"], amina.user_id.as_str(), "{history}");
        assert!(!history.to_string().contains("amina@example.org"));
        let again = app.register("amina@example.org");
        assert_ne!(again, amina.user_id, "the address is free for a new account");
        problem(erase(&kofi.access), 409, "last_owner");
    }
}

e2e_test! {
    fn personal_data_is_deleted_once_kept_as_long_as_its_purpose_needs(app) {
        app.clock.set(at("2025-02-01T10:00:00Z"));
        app.verified_user("amina@example.org");
        let laptop = app.sign_in("amina@example.org", PASSWORD);
        assert_eq!(body_json(app.send(app.client.post(app.url("/api/v1/me/sessions:revoke-others")).bearer_auth(&laptop.access)))["revoked"], 1);
        app.mails();
        let sweep = |app: &TestApp| app.database.with(|conn| wsis_app::accounts::sweep_retention(conn, app.clock.now())).unwrap();
        // Nothing is due yet.
        let swept = sweep(&app);
        assert_eq!((swept.mail, swept.sessions, swept.account_events), (0, 0, 0));

        app.clock.advance(chrono::Duration::days(91));
        let fresh = app.sign_in("amina@example.org", PASSWORD);
        let swept = sweep(&app);
        assert_eq!(swept.mail, 1, "the verification mail, sent 91 days ago");
        // The session revoked 91 days ago; the laptop's expired 61 days ago (after 30) and stays a while.
        assert_eq!(swept.sessions, 1);
        let export = body_json(app.send(app.client.get(app.url("/api/v1/me/export")).bearer_auth(&fresh.access)));
        assert_eq!(export["sessions"].as_array().unwrap().len(), 2);
        assert_eq!(export["account_events"].as_array().unwrap().len(), 1, "kept for a year");

        app.clock.advance(chrono::Duration::days(275));
        let fresh = app.sign_in("amina@example.org", PASSWORD);
        let swept = sweep(&app);
        assert_eq!((swept.account_events, swept.sessions), (1, 2));
        let export = body_json(app.send(app.client.get(app.url("/api/v1/me/export")).bearer_auth(&fresh.access)));
        assert_eq!(export["account_events"], json!([]));
        assert_eq!(export["sessions"].as_array().unwrap().len(), 1);
    }
}

e2e_test! {
    fn two_owners_erasing_themselves_at_once_leave_one_owner(app) {
        app.clock.set(at("2025-02-01T10:00:00Z"));
        let amina = app.verified_user("amina@example.org");
        let kofi = app.verified_user("kofi@example.org");
        let org = app.organisation(&amina, "Knowledge Commons");
        assert_eq!(app.send(app.client.post(app.url(&format!("/api/v1/organisations/{org}/invitations"))).bearer_auth(&amina.access).json(&json!({"email": "kofi@example.org", "role": "owner"}))).status().as_u16(), 201);
        let token = app.mailed_token("kofi@example.org");
        assert_eq!(app.send(app.client.post(app.url("/api/v1/invitations:accept")).bearer_auth(&kofi.access).json(&json!({"token": token}))).status().as_u16(), 200);
        let barrier = Barrier::new(2);
        let statuses: Vec<u16> = std::thread::scope(|s| {
            let handles: Vec<_> = [&amina.access, &kofi.access]
                .into_iter()
                .map(|access| {
                    let (barrier, app) = (&barrier, &app);
                    s.spawn(move || {
                        barrier.wait();
                        app.send(app.client.delete(app.url("/api/v1/me")).bearer_auth(access)).status().as_u16()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let mut sorted = statuses.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, [204, 409], "{statuses:?}");
        // The one left is the organisation's owner.
        let left = if statuses[0] == 409 { &amina } else { &kofi };
        let members = body_json(app.send(app.client.get(app.url(&format!("/api/v1/organisations/{org}/members"))).bearer_auth(&left.access)));
        let roles: Vec<&str> = members["items"].as_array().unwrap().iter().map(|m| m["role"].as_str().unwrap()).collect();
        assert_eq!(roles, ["owner"]);
    }
}
