//! Accounts, e-mail verification, tokens, throttling, revocation, token attacks, staff and API clients.

use chrono::Duration;
use serde_json::{Value, json};
use wsis_domain::Clock;
use wsis_e2e::{PASSWORD, TEST_KID, TestApp, e2e_test, header, json as body_json, problem};
use wsis_http::auth::{Claims, SigningKey, TokenIssuer};

fn token_request(app: &TestApp, form: &[(&str, &str)]) -> reqwest::blocking::Response {
    app.send(app.client.post(app.url("/api/v1/auth/token")).form(form))
}

fn me(app: &TestApp, access: &str) -> reqwest::blocking::Response {
    app.send(app.client.get(app.url("/api/v1/me")).bearer_auth(access))
}

e2e_test! {
    fn registration_verification_and_sign_in(app) {
        let body = json!({"email": "Amina.Diallo@Example.org", "password": PASSWORD, "display_name": "Amina Diallo", "language": "fr"});
        let created = app.send(app.client.post(app.url("/api/v1/auth/register")).json(&body));
        assert_eq!(created.status().as_u16(), 202);
        let answer = body_json(created);
        assert_eq!(answer["email"], "Amina.Diallo@Example.org");
        assert_eq!(answer["next"], "verify_email");
        assert!(!answer.to_string().contains("argon2"), "{answer}");

        let mails = app.mails_to("Amina.Diallo@Example.org");
        assert_eq!(mails.len(), 1);
        assert!(mails[0].body.contains("https://frontend.example/verify-email?token=wsis_ev_"), "{}", mails[0].body);
        assert!(mails[0].body.contains("Pour confirmer votre adresse"), "in the account's language: {}", mails[0].body);

        let session = app.sign_in("amina.diallo@example.org", PASSWORD);
        let before = body_json(me(&app, &session.access));
        assert_eq!(before["account"]["email_verified"], false, "unverified accounts can sign in");

        let token = app.mailed_token("Amina.Diallo@Example.org");
        let verified = app.send(app.client.post(app.url("/api/v1/auth/verify-email")).json(&json!({"token": token})));
        assert_eq!(body_json(verified), json!({"email_verified": true}));
        let again = app.send(app.client.post(app.url("/api/v1/auth/verify-email")).json(&json!({"token": token})));
        problem(again, 400, "invalid_token");

        let after = body_json(me(&app, &session.access));
        assert_eq!(after["account"]["email_verified"], true);
        assert_eq!(after["account"]["language"], "fr");
        assert_eq!(after["roles"], json!([]));
        assert_eq!(after["organisations"], json!([]));
    }
}

e2e_test! {
    fn verification_links_expire(app) {
        app.register("late@example.org");
        let token = app.mailed_token("late@example.org");
        app.clock.advance(Duration::hours(48) + Duration::seconds(1));
        let response = app.send(app.client.post(app.url("/api/v1/auth/verify-email")).json(&json!({"token": token})));
        problem(response, 400, "invalid_token");
    }
}

e2e_test! {
    fn registration_reports_every_invalid_field_and_taken_addresses(app) {
        let body = json!({"email": "not-an-address", "password": "short", "display_name": " ", "language": "de"});
        let response = app.send(app.client.post(app.url("/api/v1/auth/register")).json(&body));
        let problem_body = problem(response, 422, "validation_failed");
        let fields: Vec<(&str, &str)> = problem_body["errors"].as_array().unwrap().iter().map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap())).collect();
        assert_eq!(
            fields,
            [("email", "invalid_email"), ("password", "too_short"), ("display_name", "invalid_length"), ("language", "unsupported_language")]
        );
        let weak = json!({"email": "kofi@example.org", "password": "kofi-kofi-kofi-1", "display_name": "Kofi", "language": "en"});
        let body = problem(app.send(app.client.post(app.url("/api/v1/auth/register")).json(&weak)), 422, "validation_failed");
        assert_eq!(body["errors"][0]["code"], "contains_email");

    }
}

e2e_test! {
    fn registration_answers_alike_whether_or_not_the_address_has_an_account(app) {
        let register = |email: &str, name: &str| {
            let body = json!({"email": email, "password": PASSWORD, "display_name": name, "language": "en"});
            let response = app.send(app.client.post(app.url("/api/v1/auth/register")).json(&body));
            let status = response.status().as_u16();
            let mut body = body_json(response);
            body["email"] = json!("");
            (status, body)
        };
        app.verified_user("taken@example.org");
        let mails_before = app.mails_to("taken@example.org").len();
        let fresh = register("fresh@example.org", "Fresh");
        let taken = register("TAKEN@example.org", "Twin");
        assert_eq!(fresh, taken, "the same status and body: nobody learns which addresses have accounts");
        assert_eq!(taken.0, 202);
        // The owner is told by mail instead; their account is untouched.
        let mails = app.mails_to("taken@example.org");
        assert_eq!(mails.len(), mails_before + 1);
        assert!(mails.last().unwrap().body.contains("You already have one"), "{}", mails.last().unwrap().body);
        assert!(!mails.last().unwrap().body.contains("token="), "no link that does anything");
        app.sign_in("taken@example.org", PASSWORD);
        problem(token_request(&app, &[("grant_type", "password"), ("username", "taken@example.org"), ("password", "the twin's password")]), 400, "invalid_grant");
        // An address that never verified gets a fresh link instead, so a lost mail is no dead end.
        register("fresh@example.org", "Fresh again");
        let links: Vec<_> = app.mails_to("fresh@example.org").into_iter().filter(|m| m.body.contains("verify-email?token=")).collect();
        assert_eq!(links.len(), 2);
        // Mail to one address is limited: registering it over and over does not flood its mailbox.
        for _ in 0..10 {
            assert_eq!(register("taken@example.org", "Spam").0, 202);
        }
        assert!(app.mails_to("taken@example.org").len() <= mails_before + 5, "at most five unsolicited mails an hour");
    }
}

e2e_test! {
    fn an_address_never_verified_is_freed_after_a_week(app) {
        app.register("squatter@example.org");
        let squatter = app.sign_in("squatter@example.org", PASSWORD);
        app.clock.advance(Duration::days(7) + Duration::seconds(1));
        // The owner of the mailbox registers; the squatting account is gone and the address is theirs.
        let body = json!({"email": "squatter@example.org", "password": "the real owner's passphrase", "display_name": "Owner", "language": "en"});
        let accepted = app.send(app.client.post(app.url("/api/v1/auth/register")).header("Accept-Language", "es").json(&body));
        assert_eq!(accepted.status().as_u16(), 202);
        assert!(body_json(accepted)["detail"].as_str().unwrap().starts_with("Si se puede entregar correo"), "said in Spanish");
        problem(me(&app, &squatter.access), 401, "unauthorized");
        problem(token_request(&app, &[("grant_type", "password"), ("username", "squatter@example.org"), ("password", PASSWORD)]), 400, "invalid_grant");
        let verify = app.send(app.client.post(app.url("/api/v1/auth/verify-email")).json(&json!({"token": app.mailed_token("squatter@example.org")})));
        assert_eq!(verify.status().as_u16(), 200);
        app.sign_in("squatter@example.org", "the real owner's passphrase");
    }
}

e2e_test! {
    fn an_unknown_address_and_a_wrong_password_get_the_same_answer(app) {
        app.register("known@example.org");
        let unknown = token_request(&app, &[("grant_type", "password"), ("username", "nobody@example.org"), ("password", PASSWORD)]);
        let wrong = token_request(&app, &[("grant_type", "password"), ("username", "known@example.org"), ("password", "not the password at all")]);
        let strip = |mut v: Value| {
            v.as_object_mut().unwrap().remove("request_id");
            v
        };
        let unknown = strip(problem(unknown, 400, "invalid_grant"));
        let wrong = strip(problem(wrong, 400, "invalid_grant"));
        assert_eq!(unknown, wrong);
        assert_eq!(unknown["error"], "invalid_grant", "RFC 6749 member for OAuth libraries");
    }
}

e2e_test! {
    fn failed_sign_ins_are_throttled_per_account(app) {
        app.register("target@example.org");
        for _ in 0..5 {
            let r = token_request(&app, &[("grant_type", "password"), ("username", "target@example.org"), ("password", "guess guess guess")]);
            problem(r, 400, "invalid_grant");
        }
        let blocked = token_request(&app, &[("grant_type", "password"), ("username", "target@example.org"), ("password", PASSWORD)]);
        let retry: i64 = header(&blocked, "retry-after").parse().unwrap();
        assert!((1..=900).contains(&retry), "{retry}");
        problem(blocked, 429, "rate_limited");
        // Another account from the same address is not blocked by this one.
        app.register("bystander@example.org");
        app.sign_in("bystander@example.org", PASSWORD);
        app.clock.advance(Duration::minutes(15) + Duration::seconds(1));
        app.sign_in("target@example.org", PASSWORD);
    }
}

e2e_test! {
    fn refresh_tokens_rotate_and_a_reused_one_revokes_the_session(app) {
        app.register("rotor@example.org");
        let first = app.sign_in("rotor@example.org", PASSWORD);
        let rotated = body_json(token_request(&app, &[("grant_type", "refresh_token"), ("refresh_token", &first.refresh)]));
        let second_refresh = rotated["refresh_token"].as_str().unwrap().to_owned();
        let second_access = rotated["access_token"].as_str().unwrap().to_owned();
        assert_ne!(second_refresh, first.refresh);
        assert_eq!(me(&app, &second_access).status().as_u16(), 200);
        // Replaying the first refresh token is theft: the whole session goes.
        let replay = token_request(&app, &[("grant_type", "refresh_token"), ("refresh_token", &first.refresh)]);
        problem(replay, 400, "invalid_grant");
        problem(token_request(&app, &[("grant_type", "refresh_token"), ("refresh_token", &second_refresh)]), 400, "invalid_grant");
        problem(me(&app, &second_access), 401, "unauthorized");
        problem(me(&app, &first.access), 401, "unauthorized");
        // Another session of the same user is untouched.
        let other = app.sign_in("rotor@example.org", PASSWORD);
        assert_eq!(me(&app, &other.access).status().as_u16(), 200);
    }
}

e2e_test! {
    fn revocation_ends_a_session_and_always_answers_200(app) {
        app.register("leaver@example.org");
        let session = app.sign_in("leaver@example.org", PASSWORD);
        let revoke = |token: &str| app.send(app.client.post(app.url("/api/v1/auth/revoke")).form(&[("token", token), ("token_type_hint", "refresh_token")]));
        assert_eq!(revoke(&session.refresh).status().as_u16(), 200);
        problem(me(&app, &session.access), 401, "unauthorized");
        assert_eq!(revoke("never-issued").status().as_u16(), 200);
        let by_access = app.sign_in("leaver@example.org", PASSWORD);
        let response = app.send(app.client.post(app.url("/api/v1/auth/revoke")).json(&json!({"token": by_access.access})));
        assert_eq!(response.status().as_u16(), 200);
        problem(me(&app, &by_access.access), 401, "unauthorized");
        problem(token_request(&app, &[("grant_type", "refresh_token"), ("refresh_token", &by_access.refresh)]), 400, "invalid_grant");
    }
}

e2e_test! {
    fn changing_the_password_revokes_every_session(app) {
        app.register("changer@example.org");
        let one = app.sign_in("changer@example.org", PASSWORD);
        let two = app.sign_in("changer@example.org", PASSWORD);
        let change = |current: &str, new: &str| {
            app.send(app.client.post(app.url("/api/v1/me/password")).bearer_auth(&one.access).json(&json!({"current_password": current, "new_password": new})))
        };
        // The new password is checked first, before anything is hashed; then the current one.
        let body = problem(change("wrong wrong wrong", "short"), 422, "validation_failed");
        let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["new_password"]);
        let wrong = change("wrong wrong wrong", "another entirely new passphrase");
        // A wrong current password is a failed attempt, counted like a sign-in's and told as one.
        assert_eq!(header(&wrong, "ratelimit"), "\"sign-in-account\";r=4;t=900, \"sign-in-address\";r=49;t=900");
        let body = problem(wrong, 422, "validation_failed");
        assert_eq!(body["errors"][0]["field"], "current_password");
        let changed = change(PASSWORD, "an entirely new passphrase");
        assert_eq!(changed.status().as_u16(), 204);
        assert_eq!(header(&changed, "ratelimit"), "\"sign-in-account\";r=4;t=900, \"sign-in-address\";r=49;t=900");
        problem(me(&app, &one.access), 401, "unauthorized");
        problem(me(&app, &two.access), 401, "unauthorized");
        problem(token_request(&app, &[("grant_type", "refresh_token"), ("refresh_token", &two.refresh)]), 400, "invalid_grant");
        problem(token_request(&app, &[("grant_type", "password"), ("username", "changer@example.org"), ("password", PASSWORD)]), 400, "invalid_grant");
        app.sign_in("changer@example.org", "an entirely new passphrase");
    }
}

e2e_test! {
    fn the_token_endpoint_takes_json_too_and_names_its_errors(app) {
        app.register("json@example.org");
        let response = app.send(app.client.post(app.url("/api/v1/auth/token")).json(&json!({"grant_type": "password", "username": "json@example.org", "password": PASSWORD})));
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(header(&response, "cache-control"), "no-store");
        let tokens = body_json(response);
        assert_eq!(tokens["token_type"], "Bearer");
        assert_eq!(tokens["expires_in"], 900);
        let body = problem(token_request(&app, &[("grant_type", "implicit")]), 400, "unsupported_grant_type");
        assert_eq!(body["error"], "unsupported_grant_type");
        let body = problem(token_request(&app, &[("grant_type", "password"), ("username", "json@example.org")]), 400, "invalid_request");
        assert!(body["error_description"].as_str().unwrap().contains("password"));
        let text = app.send(app.client.post(app.url("/api/v1/auth/token")).header("Content-Type", "text/plain").body("grant_type=password"));
        problem(text, 415, "unsupported_media_type");
    }
}

fn forged(app: &TestApp, edit: impl FnOnce(&mut Claims), issuer: Option<&TokenIssuer>) -> String {
    let now = app.clock.now().timestamp();
    let mut claims = Claims {
        iss: "wsis".into(),
        aud: "wsis-api".into(),
        sub: String::new(),
        exp: now + 900,
        iat: now,
        nbf: now,
        jti: "forged".into(),
        sid: String::new(),
        kind: "user".into(),
        roles: vec!["staff".into()],
        scope: String::new(),
    };
    edit(&mut claims);
    issuer
        .unwrap_or(&app.identity.tokens)
        .sign(&claims)
        .unwrap()
}

e2e_test! {
    fn token_attacks_are_rejected(app) {
        let victim = app.staff("victim@example.org");
        let real = app.identity.tokens.verify(&victim.access, app.clock.now()).unwrap();
        let same = |c: &mut Claims| {
            c.sub = real.sub.clone();
            c.sid = real.sid.clone();
        };
        let b64 = |v: &Value| {
            use base64::Engine;
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
        };
        let payload = |edit: &dyn Fn(&mut Claims)| {
            let mut c = real.clone();
            edit(&mut c);
            b64(&serde_json::to_value(&c).unwrap())
        };
        let signature = victim.access.rsplit('.').next().unwrap().to_owned();
        let other_key = TokenIssuer::new("wsis", "wsis-api", 900, &[SigningKey { kid: TEST_KID.into(), secret: secrecy::SecretSlice::from(vec![9u8; 32]) }]).unwrap();
        let unknown_kid = TokenIssuer::new("wsis", "wsis-api", 900, &[SigningKey { kid: "stolen".into(), secret: secrecy::SecretSlice::from(vec![7u8; 32]) }]).unwrap();
        let attacks: Vec<(&str, String)> = vec![
            ("expired", forged(&app, |c| { same(c); c.exp = app.clock.now().timestamp() - 60; }, None)),
            ("not yet valid", forged(&app, |c| { same(c); c.nbf = app.clock.now().timestamp() + 600; }, None)),
            ("wrong signature", forged(&app, same, Some(&other_key))),
            ("unknown kid", forged(&app, same, Some(&unknown_kid))),
            ("wrong audience", forged(&app, |c| { same(c); c.aud = "another-api".into(); }, None)),
            ("wrong issuer", forged(&app, |c| { same(c); c.iss = "evil".into(); }, None)),
            ("alg none", format!("{}.{}.", b64(&json!({"alg": "none", "typ": "JWT", "kid": TEST_KID})), payload(&|_| {}))),
            ("alg swap to HS512", format!("{}.{}.{signature}", b64(&json!({"alg": "HS512", "typ": "JWT", "kid": TEST_KID})), payload(&|_| {}))),
            ("alg swap to RS256", format!("{}.{}.{signature}", b64(&json!({"alg": "RS256", "typ": "JWT", "kid": TEST_KID})), payload(&|_| {}))),
            ("tampered claims", format!("{}.{}.{signature}", victim.access.split('.').next().unwrap(), payload(&|c| c.roles = vec!["staff".into(), "reviewer".into()]))),
            ("another user's session", forged(&app, |c| { c.sub = "someone-else".into(); c.sid = real.sid.clone(); }, None)),
            ("unknown session", forged(&app, |c| { c.sub = real.sub.clone(); c.sid = "no-such-session".into(); }, None)),
            ("garbage", "not.a.jwt".into()),
        ];
        let mut details = std::collections::BTreeSet::new();
        for (name, token) in attacks {
            let response = me(&app, &token);
            assert!(header(&response, "www-authenticate").starts_with("Bearer"), "{name}");
            let body = problem(response, 401, "unauthorized");
            let detail = body["detail"].as_str().unwrap().to_owned();
            for leak in ["Signature", "Audience", "Issuer", "Algorithm", "Kid", "Immature", "Base64", "Json"] {
                assert!(!detail.contains(leak), "{name}: the detail names the check that failed: {detail}");
            }
            details.insert(detail);
        }
        assert!(details.len() <= 2, "a forger learns nothing from the detail beyond invalid or ended: {details:?}");
        let basic = app.send(app.client.get(app.url("/api/v1/me")).header("Authorization", "Basic dXNlcjpwYXNz"));
        problem(basic, 401, "unauthorized");
        // The real token works, and stops working when its user is deleted.
        assert_eq!(me(&app, &victim.access).status().as_u16(), 200);
        let admin = app.staff("admin@example.org");
        let deleted = app.send(app.client.delete(app.url(&format!("/api/v1/admin/users/{}", victim.user_id))).bearer_auth(&admin.access));
        assert_eq!(deleted.status().as_u16(), 204);
        problem(me(&app, &victim.access), 401, "unauthorized");
        problem(token_request(&app, &[("grant_type", "password"), ("username", "victim@example.org"), ("password", PASSWORD)]), 400, "invalid_grant");
    }
}

e2e_test! {
    fn staff_manage_users_and_roles(app) {
        let staff = app.staff("chief@example.org");
        let me_body = body_json(me(&app, &staff.access));
        assert_eq!(me_body["roles"], json!(["staff"]));
        assert_eq!(me_body["account"]["email_verified"], true);
        let user = app.register("expert@example.org");
        let grant = app.send(app.client.put(app.url(&format!("/api/v1/admin/users/{user}/roles/reviewer"))).bearer_auth(&staff.access));
        assert_eq!(grant.status().as_u16(), 204);
        let expert = app.sign_in("expert@example.org", PASSWORD);
        assert_eq!(body_json(me(&app, &expert.access))["roles"], json!(["reviewer"]));
        let users = body_json(app.send(app.client.get(app.url("/api/v1/admin/users")).bearer_auth(&staff.access)));
        let listed: Vec<&str> = users["items"].as_array().unwrap().iter().map(|u| u["account"]["email"].as_str().unwrap()).collect();
        assert_eq!(listed, ["chief@example.org", "expert@example.org"]);
        problem(app.send(app.client.put(app.url(&format!("/api/v1/admin/users/{user}/roles/emperor"))).bearer_auth(&staff.access)), 404, "not_found");
        problem(app.send(app.client.put(app.url("/api/v1/admin/users/nobody/roles/reviewer")).bearer_auth(&staff.access)), 404, "not_found");
        let withdraw = app.send(app.client.delete(app.url(&format!("/api/v1/admin/users/{user}/roles/reviewer"))).bearer_auth(&staff.access));
        assert_eq!(withdraw.status().as_u16(), 204);
        let expert = app.sign_in("expert@example.org", PASSWORD);
        assert_eq!(body_json(me(&app, &expert.access))["roles"], json!([]));
        let err = wsis::create_staff(&app.database, "chief@example.org", "Again", "en", PASSWORD, app.clock.as_ref()).unwrap_err();
        assert!(err.contains("exists"), "{err}");
        let err = wsis::create_staff(&app.database, "weak@example.org", "Weak", "en", "short", app.clock.as_ref()).unwrap_err();
        assert!(err.contains("not acceptable"), "{err}");
    }
}

e2e_test! {
    fn partner_api_clients_get_tokens_by_client_credentials(app) {
        let staff = app.staff("ops@example.org");
        let body = json!({"name": "UNESCO knowledge portal", "agency": "UNESCO", "scopes": ["submissions:read", "stats:read"], "action_lines": ["C3", "c7.e-learning"]});
        let created = app.send(app.client.post(app.url("/api/v1/admin/api-clients")).bearer_auth(&staff.access).json(&body));
        assert_eq!(created.status().as_u16(), 201);
        let location = header(&created, "location");
        let created = body_json(created);
        let secret = created["client_secret"].as_str().unwrap().to_owned();
        let client_id = created["client"]["client_id"].as_str().unwrap().to_owned();
        let record = created["client"]["id"].as_str().unwrap().to_owned();
        // `Location` reads the new client back (without its secret).
        assert_eq!(location, format!("/api/v1/admin/api-clients/{record}"));
        let read_back = body_json(app.send(app.client.get(app.url(&location)).bearer_auth(&staff.access)));
        assert_eq!((read_back["client_id"].as_str(), read_back.get("client_secret")), (Some(client_id.as_str()), None));
        assert!(client_id.starts_with("wsis_cl_unesco_"), "{client_id}");
        assert_eq!(created["client"]["action_lines"], json!(["C3", "C7.e-learning"]));

        let listed = app.send(app.client.get(app.url("/api/v1/admin/api-clients")).bearer_auth(&staff.access)).text().unwrap();
        assert!(!listed.contains(&secret), "the secret is shown once");

        let by_body = body_json(token_request(&app, &[("grant_type", "client_credentials"), ("client_id", &client_id), ("client_secret", &secret)]));
        assert_eq!(by_body["scope"], "submissions:read stats:read");
        assert!(by_body.get("refresh_token").is_none());
        let narrowed = app.send(
            app.client.post(app.url("/api/v1/auth/token")).basic_auth(&client_id, Some(&secret)).form(&[("grant_type", "client_credentials"), ("scope", "stats:read")]),
        );
        let narrowed = body_json(narrowed);
        assert_eq!(narrowed["scope"], "stats:read");
        let claims = app.identity.tokens.verify(narrowed["access_token"].as_str().unwrap(), app.clock.now()).unwrap();
        assert_eq!((claims.kind.as_str(), claims.roles.clone()), ("client", vec!["partner".to_owned()]));
        problem(token_request(&app, &[("grant_type", "client_credentials"), ("client_id", &client_id), ("client_secret", &secret), ("scope", "exports:read")]), 400, "invalid_scope");
        problem(token_request(&app, &[("grant_type", "client_credentials"), ("client_id", &client_id), ("client_secret", "wrong")]), 401, "invalid_client");
        let fetched = body_json(app.send(app.client.get(app.url(&format!("/api/v1/admin/api-clients/{record}"))).bearer_auth(&staff.access)));
        assert!(fetched["last_used_at"].is_string(), "{fetched}");
        let partner_access = by_body["access_token"].as_str().unwrap().to_owned();
        problem(me(&app, &partner_access), 403, "forbidden");

        let rotated = body_json(app.send(app.client.post(app.url(&format!("/api/v1/admin/api-clients/{record}/secret"))).bearer_auth(&staff.access)));
        let new_secret = rotated["client_secret"].as_str().unwrap().to_owned();
        assert_ne!(new_secret, secret);
        problem(token_request(&app, &[("grant_type", "client_credentials"), ("client_id", &client_id), ("client_secret", &secret)]), 401, "invalid_client");
        problem(me(&app, &partner_access), 401, "unauthorized");
        assert_eq!(token_request(&app, &[("grant_type", "client_credentials"), ("client_id", &client_id), ("client_secret", &new_secret)]).status().as_u16(), 200);

        let revoked = body_json(app.send(app.client.delete(app.url(&format!("/api/v1/admin/api-clients/{record}"))).bearer_auth(&staff.access)));
        assert!(revoked["revoked_at"].is_string());
        problem(token_request(&app, &[("grant_type", "client_credentials"), ("client_id", &client_id), ("client_secret", &new_secret)]), 401, "invalid_client");

        let bad = json!({"name": "", "agency": "X", "scopes": ["everything"], "action_lines": ["C99"]});
        let body = problem(app.send(app.client.post(app.url("/api/v1/admin/api-clients")).bearer_auth(&staff.access).json(&bad)), 422, "validation_failed");
        let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["name", "scopes[0]", "action_lines[0]"]);
    }
}

e2e_test! {
    fn failed_sign_ins_are_throttled_per_client_address(app) {
        app.register("real@example.org");
        let attempt = |address: &str, username: &str, password: &str| {
            app.send(
                app.client
                    .post(app.url("/api/v1/auth/token"))
                    .header("X-Forwarded-For", address)
                    .form(&[("grant_type", "password"), ("username", username), ("password", password)]),
            )
        };
        // A spray over many addresses from one client: under each account's limit, over the address's.
        for i in 0..50 {
            problem(attempt("203.0.113.7", &format!("guess{i}@example.org"), "whatever whatever"), 400, "invalid_grant");
        }
        let blocked = attempt("203.0.113.7", "real@example.org", PASSWORD);
        assert!(!header(&blocked, "retry-after").is_empty());
        problem(blocked, 429, "rate_limited");
        // Another client is not affected.
        assert_eq!(attempt("198.51.100.2", "real@example.org", PASSWORD).status().as_u16(), 200);
        // A client that writes its own X-Forwarded-For does not get a fresh counter: the proxy (the test's
        // loopback peer, trusted) appends the address it saw, and that rightmost untrusted address is what counts.
        for i in 0..50 {
            let forged = format!("198.18.{}.{}, 192.0.2.55", i / 200, i % 200);
            problem(attempt(&forged, &format!("spray{i}@example.org"), "whatever whatever"), 400, "invalid_grant");
        }
        problem(attempt("10.9.8.7, 192.0.2.55", "real@example.org", PASSWORD), 429, "rate_limited");
        problem(attempt("192.0.2.55", "real@example.org", PASSWORD), 429, "rate_limited");
    }
}

e2e_test! {
    fn parallel_guesses_cannot_pass_the_limit_together(app) {
        app.verified_user("target@example.org");
        // Sixty guesses at once: the attempt is reserved before any password is checked, so only the account's
        // limit of five are ever checked and the rest are refused unchecked (counted after the check, all sixty
        // were checked, and a right password among them was accepted).
        let barrier = std::sync::Barrier::new(60);
        let statuses: Vec<u16> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..60)
                .map(|i| {
                    let barrier = &barrier;
                    let app = &app;
                    s.spawn(move || {
                        let password = format!("wrong guess number {i}");
                        barrier.wait();
                        token_request(app, &[("grant_type", "password"), ("username", "target@example.org"), ("password", &password)]).status().as_u16()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let checked = statuses.iter().filter(|s| **s == 400).count();
        assert_eq!(checked, 5, "exactly the limit is checked: {statuses:?}");
        assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 55, "{statuses:?}");
        // The right password, next, is not checked either: the account waits out the window.
        problem(token_request(&app, &[("grant_type", "password"), ("username", "target@example.org"), ("password", PASSWORD)]), 429, "rate_limited");
    }
}

e2e_test! {
    fn changing_the_password_is_no_password_oracle(app) {
        let session = app.verified_user("holder@example.org");
        let change = |current: &str| {
            app.send(app.client.post(app.url("/api/v1/me/password")).bearer_auth(&session.access)
                .json(&json!({"current_password": current, "new_password": "a brand new long passphrase"})))
        };
        // A weak new password is refused before anything is checked, and does not count.
        let weak = app.send(app.client.post(app.url("/api/v1/me/password")).bearer_auth(&session.access)
            .json(&json!({"current_password": "whatever it is", "new_password": "short"})));
        problem(weak, 422, "validation_failed");
        for i in 0..5 {
            let body = problem(change(&format!("guess {i} of the password")), 422, "validation_failed");
            assert_eq!(body["errors"][0]["field"], "current_password");
        }
        let blocked = change(PASSWORD);
        assert!(!header(&blocked, "retry-after").is_empty());
        problem(blocked, 429, "rate_limited");
        // The same limit as sign-ins: the account is held for the window there too.
        problem(token_request(&app, &[("grant_type", "password"), ("username", "holder@example.org"), ("password", PASSWORD)]), 429, "rate_limited");
        app.clock.advance(Duration::minutes(16));
        let session = app.sign_in("holder@example.org", PASSWORD);
        let changed = app.send(app.client.post(app.url("/api/v1/me/password")).bearer_auth(&session.access)
            .json(&json!({"current_password": PASSWORD, "new_password": "a brand new long passphrase"})));
        assert_eq!(changed.status().as_u16(), 204);
    }
}

e2e_test! {
    fn sign_in_and_invitations_tell_their_rate_limits(app) {
        app.register("counted@example.org");
        let sign_in = |password: &str| token_request(&app, &[("grant_type", "password"), ("username", "counted@example.org"), ("password", password)]);
        let state = |account: u32, address: u32, t: u32| format!("\"sign-in-account\";r={account};t={t}, \"sign-in-address\";r={address};t={t}");
        // A right password uses nothing up; each wrong one is counted under the account and the address.
        let right = sign_in(PASSWORD);
        assert_eq!(right.status().as_u16(), 200);
        assert_eq!(header(&right, "ratelimit-policy"), "\"sign-in-account\";q=5;w=900, \"sign-in-address\";q=50;w=900");
        assert_eq!(header(&right, "ratelimit"), state(5, 50, 900));
        for (account, address) in [(4, 49), (3, 48)] {
            let wrong = sign_in("not the password at all");
            assert_eq!(header(&wrong, "ratelimit"), state(account, address, 900));
            problem(wrong, 400, "invalid_grant");
        }
        // A right password forgets the account's failures (not the address's), and says so.
        assert_eq!(header(&sign_in(PASSWORD), "ratelimit"), state(5, 48, 900));
        for (account, address) in [(4, 47), (3, 46), (2, 45), (1, 44), (0, 43)] {
            let wrong = sign_in("not the password at all");
            assert_eq!(header(&wrong, "ratelimit"), state(account, address, 900));
            problem(wrong, 400, "invalid_grant");
        }
        // Five minutes on, the account is at its limit until its first failure leaves the window.
        app.clock.set(app.clock.now() + Duration::minutes(5));
        let refused = sign_in(PASSWORD);
        assert_eq!(header(&refused, "retry-after"), "600");
        assert_eq!(header(&refused, "ratelimit"), "\"sign-in-account\";r=0;t=600, \"sign-in-address\";r=43;t=600");
        problem(refused, 429, "rate_limited");
        // The answers say so to a browser too: CORS exposes both fields.
        let exposed = header(&app.send(app.client.get(app.url("/api/v1/calls")).header("Origin", "https://frontend.example")), "access-control-expose-headers");
        let exposed: Vec<&str> = exposed.split(',').map(str::trim).collect();
        assert!(exposed.contains(&"ratelimit") && exposed.contains(&"ratelimit-policy"), "{exposed:?}");

        // An owner's invitations count against the owner's hourly quota, and say what is left of it.
        let owner = app.verified_user("inviter@example.org");
        let org = app.organisation(&owner, "Counted Org");
        let invite = |email: &str| app.send(app.client.post(app.url(&format!("/api/v1/organisations/{org}/invitations"))).bearer_auth(&owner.access).json(&json!({"email": email, "role": "viewer"})));
        let first = invite("one@example.org");
        assert_eq!(first.status().as_u16(), 201);
        assert_eq!(header(&first, "ratelimit-policy"), "\"invitations\";q=30;w=3600");
        assert_eq!(header(&first, "ratelimit"), "\"invitations\";r=29;t=3600");
        assert_eq!(header(&invite("two@example.org"), "ratelimit"), "\"invitations\";r=28;t=3600");
        // A registration tells the caller's own quota of registrations, never anything of the address registered:
        // a new address and one with an account get the same answer.
        let register = |email: &str| app.send(app.client.post(app.url("/api/v1/auth/register")).header("X-Forwarded-For", "192.0.2.44").json(&json!({"email": email, "password": PASSWORD, "display_name": "Quiet", "language": "en"})));
        let new = register("quiet@example.org");
        assert_eq!(new.status().as_u16(), 202);
        assert_eq!((header(&new, "ratelimit-policy"), header(&new, "ratelimit")), ("\"sign-ups-address\";q=30;w=3600".to_owned(), "\"sign-ups-address\";r=29;t=3600".to_owned()));
        let taken = register("inviter@example.org");
        assert_eq!(taken.status().as_u16(), 202);
        assert_eq!((header(&taken, "ratelimit-policy"), header(&taken, "ratelimit")), ("\"sign-ups-address\";q=30;w=3600".to_owned(), "\"sign-ups-address\";r=28;t=3600".to_owned()));
    }
}

e2e_test! {
    fn one_client_address_registers_a_limited_number_of_accounts_an_hour(app) {
        let register = |n: usize, from: &str| {
            let body = json!({"email": format!("crowd{n}@example.org"), "password": PASSWORD, "display_name": "Crowd", "language": "en"});
            app.send(app.client.post(app.url("/api/v1/auth/register")).header("X-Forwarded-For", from).json(&body))
        };
        // The test server allows 30 an hour from one address (WSIS_SIGNUP_MAX_PER_ADDRESS; 20 by default).
        let first = register(0, "203.0.113.7");
        assert_eq!(first.status().as_u16(), 202);
        assert_eq!(header(&first, "ratelimit-policy"), "\"sign-ups-address\";q=30;w=3600");
        assert!(header(&first, "ratelimit").starts_with("\"sign-ups-address\";r=29;"), "{}", header(&first, "ratelimit"));
        // Parallel registrations from the same machine: the limit holds (the database counts under a lock).
        let statuses: Vec<u16> = std::thread::scope(|scope| {
            let handles: Vec<_> = (1..=34).map(|n| scope.spawn(move || register(n, "203.0.113.7").status().as_u16())).collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(statuses.iter().filter(|s| **s == 202).count(), 29, "{statuses:?}");
        assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 5, "{statuses:?}");
        let refused = register(40, "203.0.113.7");
        let retry = header(&refused, "retry-after");
        let body = problem(refused, 429, "rate_limited");
        assert!(retry.parse::<u64>().unwrap() <= 3600, "{retry}");
        assert_eq!(body["detail"], "Too many registrations from this address this hour; wait before registering again.");
        // Another address is not concerned, and an hour later this one may register again.
        assert_eq!(register(41, "198.51.100.9").status().as_u16(), 202);
        app.clock.advance(Duration::hours(1) + Duration::seconds(1));
        assert_eq!(register(42, "203.0.113.7").status().as_u16(), 202);
    }
}
