//! Third-party frontends sign people in with the OAuth 2.0 authorization code grant and PKCE (docs/identity.md):
//! staff register public clients; the authorization page (HTML) signs the person in and asks their consent; the
//! code is exchanged once, with the verifier, for tokens that act as a plain user. Over real HTTP, as a browser
//! would (the form's hidden fields and cookie), on both backends; `tests/browser` drives a real Chromium.

use serde_json::{Value, json};
use wsis_domain::Clock;
use wsis_e2e::{PASSWORD, TestApp, e2e_test, header, json as body_json, problem};

const REDIRECT: &str = "https://portal.drc.example/callback";
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

fn register_client(app: &TestApp, staff: &str) -> Value {
    let response = app.send(app.client.post(app.url("/api/v1/admin/oauth-clients")).bearer_auth(staff).json(&json!({
        "name": "Digital Rights <Portal>", "redirect_uris": [REDIRECT, "http://127.0.0.1:5173/cb"], "scopes": ["account"]
    })));
    assert_eq!(response.status().as_u16(), 201);
    assert!(header(&response, "location").starts_with("/api/v1/admin/oauth-clients/"));
    body_json(response)
}

fn authorize_url(client_id: &str, extra: &str) -> String {
    format!(
        "/api/v1/oauth/authorize?response_type=code&client_id={client_id}&redirect_uri={}&state=xyz-123&code_challenge={CHALLENGE}&code_challenge_method=S256{extra}",
        urlencode(REDIRECT)
    )
}

fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("v", text)]).unwrap()[2..].to_owned()
}

/// The page's hidden fields and CSRF cookie, as a browser keeps them.
struct Page {
    fields: Vec<(String, String)>,
    cookie: String,
    html: String,
}

fn open(app: &TestApp, url: &str) -> Page {
    let response = app.send(app.client.get(app.url(url)));
    assert_eq!(response.status().as_u16(), 200, "{url}");
    let set_cookie = header(&response, "set-cookie");
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict"),
        "{set_cookie}"
    );
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let html = response.text().unwrap();
    let fields = html
        .split("<input type=\"hidden\" name=\"")
        .skip(1)
        .map(|rest| {
            let (name, rest) = rest.split_once('"').unwrap();
            let value = rest
                .split_once("value=\"")
                .unwrap()
                .1
                .split_once('"')
                .unwrap()
                .0;
            (
                name.to_owned(),
                value.replace("&amp;", "&").replace("&quot;", "\""),
            )
        })
        .collect();
    Page {
        fields,
        cookie,
        html,
    }
}

fn post(
    app: &TestApp,
    page: &Page,
    email: &str,
    password: &str,
    decision: &str,
) -> reqwest::blocking::Response {
    let mut form = page.fields.clone();
    form.push(("email".into(), email.into()));
    form.push(("password".into(), password.into()));
    form.push(("decision".into(), decision.into()));
    app.send(
        app.client
            .post(app.url("/api/v1/oauth/authorize"))
            .header("Cookie", &page.cookie)
            .header("Origin", app.url("").trim_end_matches('/'))
            .form(&form),
    )
}

fn query_of(location: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str(location.split_once('?').unwrap().1).unwrap()
}

fn param(location: &str, name: &str) -> Option<String> {
    query_of(location)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
}

fn exchange(
    app: &TestApp,
    client_id: &str,
    code: &str,
    verifier: &str,
) -> reqwest::blocking::Response {
    app.send(app.client.post(app.url("/api/v1/auth/token")).form(&[
        ("grant_type", "authorization_code"),
        ("client_id", client_id),
        ("code", code),
        ("redirect_uri", REDIRECT),
        ("code_verifier", verifier),
    ]))
}

/// Signs `email` in through the page and returns the code.
fn code_for(app: &TestApp, client_id: &str, email: &str) -> String {
    let page = open(app, &authorize_url(client_id, ""));
    let response = post(app, &page, email, PASSWORD, "allow");
    assert_eq!(response.status().as_u16(), 303);
    param(&header(&response, "location"), "code").unwrap()
}

e2e_test! {
    fn staff_register_public_clients_with_exact_redirect_uris(app) {
        let staff = app.staff("ops@example.org");
        let user = app.verified_user("amina@example.org");
        let body = json!({"name": "X", "redirect_uris": ["http://portal.example/cb", "https://a.example/cb#f"], "scopes": ["account", "admin"]});
        let refused = problem(app.send(app.client.post(app.url("/api/v1/admin/oauth-clients")).bearer_auth(&staff.access).json(&body)), 422, "validation_failed");
        let fields: Vec<&str> = refused["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["redirect_uris[0]", "redirect_uris[1]", "scopes[1]"]);
        problem(app.send(app.client.post(app.url("/api/v1/admin/oauth-clients")).bearer_auth(&user.access).json(&body)), 403, "forbidden");
        let client = register_client(&app, &staff.access);
        assert!(client["client_id"].as_str().unwrap().starts_with("wsis_pc_"));
        assert!(client.get("client_secret").is_none(), "a public client has no secret");
        let listed = body_json(app.send(app.client.get(app.url("/api/v1/admin/oauth-clients")).bearer_auth(&staff.access)));
        assert_eq!(listed["items"][0]["redirect_uris"], json!([REDIRECT, "http://127.0.0.1:5173/cb"]));

        let metadata = body_json(app.send(app.client.get(app.url("/.well-known/oauth-authorization-server"))));
        assert_eq!(metadata["code_challenge_methods_supported"], json!(["S256"]));
        assert_eq!(metadata["response_types_supported"], json!(["code"]));
        assert!(metadata["authorization_endpoint"].as_str().unwrap().ends_with("/api/v1/oauth/authorize"));
        assert!(metadata["grant_types_supported"].as_array().unwrap().contains(&json!("authorization_code")));
        assert_eq!(metadata["authorization_response_iss_parameter_supported"], true);
    }
}

e2e_test! {
    fn the_authorization_page_signs_in_asks_consent_and_returns_a_code_once(app) {
        let staff = app.staff("ops@example.org");
        app.verified_user("amina@example.org");
        let client = register_client(&app, &staff.access);
        let client_id = client["client_id"].as_str().unwrap();

        let response = app.send(app.client.get(app.url(&authorize_url(client_id, ""))));
        let csp = header(&response, "content-security-policy");
        assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), "{csp}");
        assert!(csp.contains("form-action 'self' https://portal.drc.example"), "{csp}");
        assert_eq!(header(&response, "x-frame-options"), "DENY");
        assert_eq!(header(&response, "cache-control"), "no-store");
        let page = open(&app, &authorize_url(client_id, ""));
        assert!(page.html.contains("Digital Rights &lt;Portal&gt; asks to use your WSIS account."), "the client's name is escaped");
        assert!(page.html.contains("<html lang=\"en\" dir=\"ltr\">"));
        assert!(page.html.contains("<label for=\"email\">") && page.html.contains("<label for=\"password\">"));
        assert!(!page.html.contains("<script"));
        let arabic = open(&app, &authorize_url(client_id, "&lang=ar"));
        assert!(arabic.html.contains("<html lang=\"ar\" dir=\"rtl\">"));
        assert!(arabic.html.contains("كلمة المرور"));

        // Without the form's cookie, or from another origin, nothing happens.
        let mut stolen = Page { fields: page.fields.clone(), cookie: "wsis_oauth_csrf=forged".into(), html: String::new() };
        assert_eq!(post(&app, &stolen, "amina@example.org", PASSWORD, "allow").status().as_u16(), 403);
        stolen.cookie = page.cookie.clone();
        let cross = app.send(app.client.post(app.url("/api/v1/oauth/authorize")).header("Cookie", &page.cookie).header("Origin", "https://evil.example").form(&page.fields));
        assert_eq!(cross.status().as_u16(), 403);

        // A wrong password shows the form again, with the address kept and the reason.
        let wrong = post(&app, &page, "amina@example.org", "not the password at all", "allow");
        assert_eq!(wrong.status().as_u16(), 200);
        let html = wrong.text().unwrap();
        assert!(html.contains("The e-mail address or the password is wrong.") && html.contains("value=\"amina@example.org\""), "{html}");
        // Denied: the client hears `access_denied` with its state.
        let denied = post(&app, &page, "", "", "deny");
        assert_eq!(denied.status().as_u16(), 303);
        let location = header(&denied, "location");
        assert!(location.starts_with(REDIRECT));
        assert_eq!(param(&location, "error").as_deref(), Some("access_denied"));
        assert_eq!(param(&location, "state").as_deref(), Some("xyz-123"));

        let allowed = post(&app, &page, "Amina@Example.org", PASSWORD, "allow");
        assert_eq!(allowed.status().as_u16(), 303);
        let location = header(&allowed, "location");
        assert_eq!(param(&location, "state").as_deref(), Some("xyz-123"));
        assert!(param(&location, "iss").is_some());
        let code = param(&location, "code").unwrap();
        // The code is bound to the verifier, the client and the redirect URI.
        let refused = problem(exchange(&app, client_id, &code, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXl"), 400, "invalid_grant");
        assert_eq!(refused["error"], "invalid_grant");
        let tokens = body_json(exchange(&app, client_id, &code, VERIFIER));
        assert_eq!(tokens["scope"], "account");
        let access = tokens["access_token"].as_str().unwrap().to_owned();
        let me = body_json(app.send(app.client.get(app.url("/api/v1/me")).bearer_auth(&access)));
        assert_eq!(me["account"]["email"], "amina@example.org");
        let sessions = body_json(app.send(app.client.get(app.url("/api/v1/me/sessions")).bearer_auth(&access)));
        let current = sessions["items"].as_array().unwrap().iter().find(|s| s["current"] == true).unwrap().clone();
        assert_eq!(current["client"], "Digital Rights <Portal>");
        // Replayed: refused, and what the code opened is closed (RFC 6749 §4.1.2).
        problem(exchange(&app, client_id, &code, VERIFIER), 400, "invalid_grant");
        assert_eq!(app.send(app.client.get(app.url("/api/v1/me")).bearer_auth(&access)).status().as_u16(), 401);
    }
}

e2e_test! {
    fn faulty_requests_are_refused_without_redirecting_anywhere_untrusted(app) {
        let staff = app.staff("ops@example.org");
        let client = register_client(&app, &staff.access);
        let client_id = client["client_id"].as_str().unwrap();
        // Unknown client, or a redirect URI it has not registered: an error page, never a redirect.
        for url in [
            authorize_url("wsis_pc_unknown", ""),
            format!("/api/v1/oauth/authorize?response_type=code&client_id={client_id}&redirect_uri={}&code_challenge={CHALLENGE}&code_challenge_method=S256", urlencode("https://evil.example/cb")),
            format!("/api/v1/oauth/authorize?response_type=code&client_id={client_id}&code_challenge={CHALLENGE}&code_challenge_method=S256"),
        ] {
            let response = app.send(app.client.get(app.url(&url)));
            assert_eq!(response.status().as_u16(), 400, "{url}");
            assert!(response.headers().get("location").is_none());
            assert!(response.text().unwrap().contains("Sign-in cannot continue"));
        }
        // Anything else is told to the client at its redirect URI.
        for (extra, error) in [
            ("&code_challenge_method=plain", "invalid_request"),
            ("&scope=admin", "invalid_scope"),
        ] {
            let url = authorize_url(client_id, "").replace("&code_challenge_method=S256", "") + if extra.contains("method") { extra } else { "&code_challenge_method=S256" } + if extra.contains("scope") { extra } else { "" };
            let response = app.send(app.client.get(app.url(&url)));
            assert_eq!(response.status().as_u16(), 303, "{url}");
            let location = header(&response, "location");
            assert!(location.starts_with(REDIRECT), "{location}");
            assert_eq!(param(&location, "error").as_deref(), Some(error), "{location}");
            assert_eq!(param(&location, "state").as_deref(), Some("xyz-123"));
        }
        let no_pkce = format!("/api/v1/oauth/authorize?response_type=code&client_id={client_id}&redirect_uri={}&state=s", urlencode(REDIRECT));
        let location = header(&app.send(app.client.get(app.url(&no_pkce))), "location");
        assert_eq!(param(&location, "error").as_deref(), Some("invalid_request"));
        let token = app.send(app.client.get(app.url(&authorize_url(client_id, "").replace("response_type=code", "response_type=token"))));
        assert_eq!(param(&header(&token, "location"), "error").as_deref(), Some("unsupported_response_type"));
    }
}

e2e_test! {
    fn a_third_party_client_acts_as_a_plain_user_and_ends_with_its_registration(app) {
        let staff = app.staff("ops@example.org");
        let client = register_client(&app, &staff.access);
        let client_id = client["client_id"].as_str().unwrap().to_owned();
        // A staff member signing in to a third-party frontend lends it their account, never their role.
        let code = code_for(&app, &client_id, "ops@example.org");
        let tokens = body_json(exchange(&app, &client_id, &code, VERIFIER));
        let access = tokens["access_token"].as_str().unwrap().to_owned();
        assert_eq!(app.send(app.client.get(app.url("/api/v1/me")).bearer_auth(&access)).status().as_u16(), 200);
        problem(app.send(app.client.get(app.url("/api/v1/admin/users")).bearer_auth(&access)), 403, "forbidden");
        problem(app.send(app.client.post(app.url("/api/v1/me/password")).bearer_auth(&access).json(&json!({"current_password": PASSWORD, "new_password": "another fine passphrase"}))), 403, "forbidden");
        problem(app.send(app.client.post(app.url("/api/v1/me/email")).bearer_auth(&access).json(&json!({"new_email": "x@example.org", "password": PASSWORD}))), 403, "forbidden");
        problem(app.send(app.client.delete(app.url("/api/v1/me")).bearer_auth(&access)), 403, "forbidden");
        // A refresh keeps the delegation.
        let refreshed = body_json(app.send(app.client.post(app.url("/api/v1/auth/token")).form(&[("grant_type", "refresh_token"), ("refresh_token", tokens["refresh_token"].as_str().unwrap())])));
        assert_eq!(refreshed["scope"], "account");
        let access = refreshed["access_token"].as_str().unwrap().to_owned();
        problem(app.send(app.client.get(app.url("/api/v1/admin/users")).bearer_auth(&access)), 403, "forbidden");
        // Staff's own sign-in is untouched.
        assert_eq!(app.send(app.client.get(app.url("/api/v1/admin/users")).bearer_auth(&staff.access)).status().as_u16(), 200);

        // A code lives a minute.
        let late = code_for(&app, &client_id, "ops@example.org");
        app.clock.advance(chrono::Duration::seconds(61));
        problem(exchange(&app, &client_id, &late, VERIFIER), 400, "invalid_grant");
        let _ = app.clock.now();

        // Revoked: its sessions end and its page no longer opens.
        let revoked = body_json(app.send(app.client.delete(app.url(&format!("/api/v1/admin/oauth-clients/{}", client["id"].as_str().unwrap()))).bearer_auth(&app.sign_in("ops@example.org", PASSWORD).access)));
        assert!(revoked["revoked_at"].is_string());
        assert_eq!(app.send(app.client.get(app.url("/api/v1/me")).bearer_auth(&access)).status().as_u16(), 401);
        assert_eq!(app.send(app.client.get(app.url(&authorize_url(&client_id, "")))).status().as_u16(), 400);
    }
}

e2e_test! {
    fn guessing_passwords_on_the_page_is_throttled_like_any_sign_in(app) {
        let staff = app.staff("ops@example.org");
        app.verified_user("amina@example.org");
        let client = register_client(&app, &staff.access);
        let page = open(&app, &authorize_url(client["client_id"].as_str().unwrap(), ""));
        for _ in 0..5 {
            let again = post(&app, &page, "amina@example.org", "a wrong guess of it", "allow");
            assert_eq!(again.status().as_u16(), 200);
            assert!(again.text().unwrap().contains("role=\"alert\""));
        }
        let throttled = post(&app, &page, "amina@example.org", PASSWORD, "allow");
        assert_eq!(throttled.status().as_u16(), 429);
        assert!(header(&throttled, "retry-after").parse::<u64>().unwrap() > 0);
        assert!(throttled.text().unwrap().contains("Too many attempts"));
    }
}

e2e_test! {
    fn a_code_exchanged_in_parallel_opens_one_session(app) {
        let staff = app.staff("ops@example.org");
        app.verified_user("amina@example.org");
        let client = register_client(&app, &staff.access);
        let client_id = client["client_id"].as_str().unwrap();
        let code = code_for(&app, client_id, "amina@example.org");
        let barrier = std::sync::Barrier::new(4);
        let statuses: Vec<u16> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| {
                    let (barrier, app, code) = (&barrier, &app, &code);
                    s.spawn(move || {
                        barrier.wait();
                        exchange(app, client_id, code, VERIFIER).status().as_u16()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
        assert_eq!(statuses.iter().filter(|s| **s == 400).count(), 3, "{statuses:?}");
    }
}
