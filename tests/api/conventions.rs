//! Contract conventions that hold across endpoints: conditional requests, caching, errors, CORS, headers.

use serde_json::json;
use wsis_e2e::{Backend, TestApp, at, e2e_test, header, problem, test_settings};
use wsis_http::HttpSettings;

e2e_test! {
    fn reference_data_answers_304_to_a_matching_if_none_match(app) {
        let first = app.get("/api/v1/reference/action-lines");
        let etag = header(&first, "etag");
        assert!(etag.starts_with('"') && etag.ends_with('"'), "strong: {etag}");
        assert_eq!(header(&first, "cache-control"), "public, max-age=3600, stale-while-revalidate=60");
        let again = app.send(app.client.get(app.url("/api/v1/reference/action-lines")).header("If-None-Match", &etag));
        assert_eq!(again.status().as_u16(), 304);
        assert_eq!(header(&again, "etag"), etag);
        assert_eq!(again.text().unwrap(), "");
        let listed = app.send(app.client.get(app.url("/api/v1/reference/action-lines")).header("If-None-Match", format!("\"other\", {etag}")));
        assert_eq!(listed.status().as_u16(), 304);
        let french = app.send(app.client.get(app.url("/api/v1/reference/action-lines?lang=fr")).header("If-None-Match", &etag));
        assert_eq!(french.status().as_u16(), 200, "another language is another representation");
        assert_ne!(header(&french, "etag"), etag);
    }
}

e2e_test! {
    fn calls_revalidate_and_their_tag_changes_with_the_state_not_the_clock(app) {
        let first = app.get("/api/v1/calls/wsis-2025/tracks/ocp");
        let etag = header(&first, "etag");
        assert!(etag.starts_with("W/\""), "weak, as server_time is outside it: {etag}");
        assert_eq!(header(&first, "cache-control"), "public, no-cache");
        app.clock.set(at("2025-03-14T22:59:30Z"));
        let same_state = app.send(app.client.get(app.url("/api/v1/calls/wsis-2025/tracks/ocp")).header("If-None-Match", &etag));
        assert_eq!(same_state.status().as_u16(), 304);
        app.clock.set(at("2025-03-14T23:00:00Z"));
        let closed = app.send(app.client.get(app.url("/api/v1/calls/wsis-2025/tracks/ocp")).header("If-None-Match", &etag));
        assert_eq!(closed.status().as_u16(), 200, "the state moved to closed");
        assert_ne!(header(&closed, "etag"), etag);
        for path in ["/api/v1/calls", "/api/v1/calls/wsis-2025", "/api/v1/calls/wsis-2025/tracks"] {
            let tag = header(&app.get(path), "etag");
            let revalidated = app.send(app.client.get(app.url(path)).header("If-None-Match", &tag));
            assert_eq!(revalidated.status().as_u16(), 304, "{path}");
        }
    }
}

e2e_test! {
    fn head_answers_what_get_answers_without_the_body(app) {
        for path in ["/api/v1/reference/action-lines", "/api/v1/calls/wsis-2025/tracks/ocp", "/api/v1/stocktaking/projects"] {
            let got = app.send(app.plain_client.get(app.url(path)));
            let head = app.send(app.plain_client.head(app.url(path)));
            assert_eq!(head.status().as_u16(), 200, "{path}");
            for name in ["etag", "content-type", "cache-control"] {
                assert_eq!(header(&head, name), header(&got, name), "{path}: {name}");
            }
            let length = got.text().unwrap().len().to_string();
            assert_eq!(head.headers().get("content-length").and_then(|v| v.to_str().ok()), Some(length.as_str()), "{path}");
            assert_eq!(head.text().unwrap(), "", "{path}: no body");
        }
        // Conditional and failing HEADs answer as GET would, without a body.
        let etag = header(&app.get("/api/v1/reference/action-lines"), "etag");
        let revalidated = app.send(app.client.head(app.url("/api/v1/reference/action-lines")).header("If-None-Match", &etag));
        assert_eq!(revalidated.status().as_u16(), 304);
        let missing = app.send(app.client.head(app.url("/api/v1/submarines")));
        assert_eq!(missing.status().as_u16(), 404);
        assert_eq!(header(&missing, "content-type"), "application/problem+json");
        assert_eq!(missing.text().unwrap(), "");
        let wrong = app.send(app.client.head(app.url("/api/v1/calls:preview")));
        assert_eq!((wrong.status().as_u16(), header(&wrong, "allow")), (405, "POST".to_owned()));
        let private = app.send(app.client.head(app.url("/api/v1/submissions")));
        assert_eq!(private.status().as_u16(), 401, "HEAD is checked like GET");
    }
}

/// Reads a body as a browser does: decoded by its `Content-Encoding` (gzip or none).
fn decoded(response: reqwest::blocking::Response) -> (String, Vec<u8>) {
    use std::io::Read;
    let encoding = header(&response, "content-encoding");
    let raw = response.bytes().unwrap().to_vec();
    let bytes = match encoding.as_str() {
        "" | "identity" => raw,
        "gzip" => {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(raw.as_slice())
                .read_to_end(&mut out)
                .expect("Content-Encoding: gzip over a body that is not gzip");
            out
        }
        other => {
            assert_eq!(other, "gzip", "asked for gzip only");
            raw
        }
    };
    (encoding, bytes)
}

e2e_test! {
    fn every_answer_to_a_client_that_accepts_gzip_decodes(app) {
        let session = app.verified_user("gzip@example.org");
        // Errors of every origin: routing, method, extractors, handlers, authentication, and a success for contrast.
        let cases: Vec<(reqwest::blocking::RequestBuilder, u16)> = vec![
            (app.plain_client.get(app.url("/api/v1/submarines")), 404),
            (app.plain_client.delete(app.url("/api/v1/calls/wsis-2025")), 405),
            (app.plain_client.get(app.url("/api/v1/calls/wsis-1999")), 404),
            (app.plain_client.post(app.url("/api/v1/organisations")).bearer_auth(&session.access).header("Content-Type", "application/json").body("{not json"), 400),
            (app.plain_client.post(app.url("/api/v1/organisations")).bearer_auth(&session.access).header("Content-Type", "text/plain").body("x"), 415),
            (app.plain_client.post(app.url("/api/v1/organisations")).bearer_auth(&session.access).json(&json!({"name": ""})), 422),
            (app.plain_client.get(app.url("/api/v1/submissions")), 401),
            (app.plain_client.get(app.url("/api/v1/submissions")).bearer_auth("not-a-token"), 401),
            (app.plain_client.get(app.url("/api/v1/calls/wsis-2025/tracks/ocp?tz=Mars/Olympus")), 422),
            (app.plain_client.get(app.url("/api/v1/reference/action-lines")), 200),
        ];
        for (request, status) in cases {
            let response = app.send(request.header("Accept-Encoding", "gzip"));
            assert_eq!(response.status().as_u16(), status);
            let content_type = header(&response, "content-type");
            let (encoding, bytes) = decoded(response);
            let body: serde_json::Value = serde_json::from_slice(&bytes)
                .map_err(|e| format!("{status} with Content-Encoding `{encoding}` is not JSON once decoded: {e}"))
                .unwrap();
            if status >= 400 {
                assert_eq!(content_type, "application/problem+json");
                assert_eq!(body["status"], status, "{body}");
            }
        }
        // The suite's own client asks for gzip and br, as browsers do, and reads problems through them.
        problem(app.get("/api/v1/submarines"), 404, "not_found");
    }
}

e2e_test! {
    fn unknown_routes_and_wrong_methods_are_problems(app) {
        let body = problem(app.get("/api/v1/submarines"), 404, "not_found");
        assert_eq!(body["instance"], "/api/v1/submarines");
        problem(app.get("/"), 404, "not_found");
        let wrong = app.send(app.client.delete(app.url("/api/v1/calls/wsis-2025")));
        assert_eq!(header(&wrong, "allow"), "GET, HEAD");
        problem(wrong, 405, "method_not_allowed");
        let wrong = app.send(app.client.get(app.url("/api/v1/calls:preview")));
        assert_eq!(header(&wrong, "allow"), "POST");
        problem(wrong, 405, "method_not_allowed");
        // A path without parameters is not taken for its parameterised sibling: the export is not a submission.
        let staff = app.staff("staff@example.org");
        for request in [app.client.patch(app.url("/api/v1/submissions/export")), app.client.delete(app.url("/api/v1/submissions/export"))] {
            let wrong = app.send(request.bearer_auth(&staff.access).header("If-Match", "*").json(&serde_json::json!({"content": {}})));
            assert_eq!(header(&wrong, "allow"), "GET, HEAD");
            problem(wrong, 405, "method_not_allowed");
        }
        assert_eq!(app.send(app.client.get(app.url("/api/v1/submissions/export")).bearer_auth(&staff.access)).status().as_u16(), 200);
    }
}

e2e_test! {
    fn malformed_json_wrong_content_type_and_unknown_fields_are_problems(app) {
        let url = app.url("/api/v1/calls:preview");
        let broken = app.send(app.client.post(&url).header("Content-Type", "application/json").body("{\"slug\": "));
        let body = problem(broken, 400, "malformed_json");
        assert!(body["detail"].as_str().unwrap().contains("line 1"), "{body}");
        problem(app.send(app.client.post(&url).header("Content-Type", "application/json").body("")), 400, "malformed_json");
        problem(app.send(app.client.post(&url).header("Content-Type", "text/plain").body("{}")), 415, "unsupported_media_type");
        problem(app.send(app.client.post(&url).body("{}")), 415, "unsupported_media_type");
        let unknown = app.send(app.client.post(&url).json(&json!({"slug": "x", "year": 2026, "deadline": "soon"})));
        let body = problem(unknown, 422, "validation_failed");
        assert_eq!(body["errors"][0], json!({"field": "deadline", "code": "unknown_field", "message": body["errors"][0]["message"]}));
        let nested = app.send(app.client.post(&url).json(&json!({
            "slug": "x", "year": 2026, "timezone": "UTC",
            "title": {"ar": "", "zh": "", "en": "", "fr": "", "ru": "", "es": ""},
            "tracks": [{"kind": "ocp", "opens": {"rule": "instant", "at": "2026-01-01T00:00:00Z"}, "closes": {"rule": "end_of_local_day"}}]
        })));
        let body = problem(nested, 422, "validation_failed");
        assert_eq!(body["errors"][0]["field"], "tracks[0].closes.date", "{body}");
        assert_eq!(body["errors"][0]["code"], "required", "{body}");
    }
}

#[test]
fn a_body_over_the_configured_limit_is_413() {
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        HttpSettings {
            body_limit: 2048,
            ..test_settings()
        },
    );
    let big = json!({"slug": "x".repeat(4096)});
    let response = app.send(app.client.post(app.url("/api/v1/calls:preview")).json(&big));
    let body = problem(response, 413, "payload_too_large");
    assert!(body["detail"].as_str().unwrap().contains("2048"));
    let chunked =
        reqwest::blocking::Body::new(std::io::Cursor::new(serde_json::to_vec(&big).unwrap()));
    let response = app.send(
        app.client
            .post(app.url("/api/v1/calls:preview"))
            .header("Content-Type", "application/json")
            .body(chunked),
    );
    problem(response, 413, "payload_too_large");
}

e2e_test! {
    fn problem_titles_follow_the_language(app) {
        let body = problem(app.send(app.client.get(app.url("/api/v1/nothing")).header("Accept-Language", "fr")), 404, "not_found");
        assert_eq!(body["title"], "Introuvable");
        let body = problem(app.get("/api/v1/nothing?lang=ru"), 404, "not_found");
        assert_eq!(body["title"], "Не найдено");
    }
}

e2e_test! {
    fn security_headers_are_set_on_every_response(app) {
        for path in ["/api/v1/calls", "/nowhere", "/health/live"] {
            let response = app.get(path);
            assert_eq!(header(&response, "x-content-type-options"), "nosniff", "{path}");
            assert_eq!(header(&response, "x-frame-options"), "DENY", "{path}");
            assert_eq!(header(&response, "referrer-policy"), "no-referrer", "{path}");
        }
    }
}

#[test]
fn cors_allows_configured_origins_only() {
    let settings = HttpSettings {
        cors_allowed_origins: vec!["https://frontend.example".into()],
        ..test_settings()
    };
    let app = TestApp::spawn_with(Backend::Sqlite, settings);
    let preflight = app.send(
        app.client
            .request(reqwest::Method::OPTIONS, app.url("/api/v1/calls:preview"))
            .header("Origin", "https://frontend.example")
            .header("Access-Control-Request-Method", "POST")
            .header(
                "Access-Control-Request-Headers",
                "content-type, idempotency-key, if-match",
            ),
    );
    assert_eq!(preflight.status().as_u16(), 200);
    assert_eq!(
        header(&preflight, "access-control-allow-origin"),
        "https://frontend.example"
    );
    let allowed_headers = header(&preflight, "access-control-allow-headers").to_lowercase();
    assert!(
        allowed_headers.contains("idempotency-key") && allowed_headers.contains("if-match"),
        "{allowed_headers}"
    );
    let get = app.send(
        app.client
            .get(app.url("/api/v1/calls"))
            .header("Origin", "https://frontend.example"),
    );
    assert_eq!(
        header(&get, "access-control-allow-origin"),
        "https://frontend.example"
    );
    let exposed = header(&get, "access-control-expose-headers").to_lowercase();
    for needed in [
        "etag",
        "link",
        "x-request-id",
        "retry-after",
        "ratelimit",
        "ratelimit-policy",
    ] {
        assert!(
            exposed.split(", ").any(|h| h == needed),
            "{needed} not in {exposed}"
        );
    }
    let foreign = app.send(
        app.client
            .get(app.url("/api/v1/calls"))
            .header("Origin", "https://evil.example"),
    );
    assert_eq!(header(&foreign, "access-control-allow-origin"), "");
    let status = foreign.status().as_u16();
    if status != 200 {
        problem(foreign, status, "bad_request");
    }
}

#[test]
fn a_client_that_never_finishes_its_request_head_is_timed_out() {
    use std::io::{Read, Write};
    let settings = HttpSettings {
        client_request_timeout: std::time::Duration::from_millis(300),
        ..test_settings()
    };
    let app = TestApp::spawn_with(Backend::Sqlite, settings);
    let address = app.base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    stream
        .write_all(b"GET /health/live HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
}

e2e_test! {
    fn nul_control_and_bidi_characters_are_refused_naming_the_field(app) {
        let session = app.verified_user("hostile@example.org");
        let fields = |response: reqwest::blocking::Response| -> Vec<(String, String)> {
            let body = problem(response, 422, "validation_failed");
            body["errors"].as_array().unwrap().iter().map(|e| (e["field"].as_str().unwrap().to_owned(), e["code"].as_str().unwrap().to_owned())).collect()
        };
        let forbidden = |field: &str| (field.to_owned(), "forbidden_character".to_owned());
        // A NUL anywhere in a JSON body, at any depth: PostgreSQL cannot store it (a 500 before).
        let register = app.send(app.client.post(app.url("/api/v1/auth/register")).json(&json!({"email": "n@example.org", "password": "a long and unusual passphrase", "display_name": "a\u{0}b", "language": "en"})));
        assert_eq!(fields(register), [forbidden("display_name")]);
        let org = app.send(app.client.post(app.url("/api/v1/organisations")).bearer_auth(&session.access).json(&json!({"name": "Org\u{0}", "stakeholder_category": "academia", "country": "KE"})));
        assert_eq!(fields(org), [forbidden("name")]);
        let org = app.organisation(&session, "Hostile Org");
        let nested = json!({"call": "wsis-2025", "track": "stocktaking", "organisation_id": org, "language": "en", "content": {"title": "ok", "partners": ["fine", "bad\u{0}"]}});
        let created = app.send(app.client.post(app.url("/api/v1/submissions")).bearer_auth(&session.access).json(&nested));
        assert_eq!(fields(created), [forbidden("content.partners[1]")]);
        // In a form body and in a query string.
        let token = app.send(app.client.post(app.url("/api/v1/auth/token")).form(&[("grant_type", "password"), ("username", "a\u{0}b@example.org"), ("password", "x")]));
        assert_eq!(fields(token), [forbidden("username")]);
        for path in ["/api/v1/stocktaking/projects?organisation=a%00b", "/api/v1/stocktaking/projects?q=%E2%80%AEevil", "/api/v1/calls?x=%0d%0aSet-Cookie:%20a"] {
            let response = app.get(path);
            assert_eq!(response.status().as_u16(), 422, "{path}");
            let body = problem(response, 422, "validation_failed");
            assert_eq!(body["errors"][0]["code"], "forbidden_character", "{path}: {body}");
        }
        // Control characters and bidi overrides in names, which go into mail and are shown to others.
        for name in ["Line\nBreak", "Evil\u{202E}gpj.exe", "Tab\there", "Isolate\u{2066}x"] {
            let response = app.send(app.client.post(app.url("/api/v1/organisations")).bearer_auth(&session.access).json(&json!({"name": name, "stakeholder_category": "academia", "country": "KE"})));
            assert_eq!(fields(response), [forbidden("name")], "{name:?}");
        }
        let arabic = app.send(app.client.post(app.url("/api/v1/organisations")).bearer_auth(&session.access).json(&json!({"name": "منظمة \u{200F}المجتمع", "stakeholder_category": "academia", "country": "KE"})));
        assert_eq!(arabic.status().as_u16(), 201, "letters of every script and the RLM mark are fine");
        // An address mail cannot be sent to is refused at registration (a comma would name two recipients).
        let comma = app.send(app.client.post(app.url("/api/v1/auth/register")).json(&json!({"email": "a,b@example.org", "password": "a long and unusual passphrase", "display_name": "Comma", "language": "en"})));
        assert_eq!(fields(comma), [("email".to_owned(), "undeliverable".to_owned())]);
        let invite = app.send(app.client.post(app.url(&format!("/api/v1/organisations/{org}/invitations"))).bearer_auth(&session.access).json(&json!({"email": "x;y@example.org", "role": "editor"})));
        assert_eq!(fields(invite), [("email".to_owned(), "undeliverable".to_owned())]);
    }
}

e2e_test! {
    fn the_data_directory_keeps_mail_private(app) {
        use std::os::unix::fs::PermissionsExt;
        app.verified_user("private@example.org");
        let mode = |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&app.outbox), 0o700, "the outbox directory");
        let files: Vec<_> = std::fs::read_dir(&app.outbox).unwrap().map(|e| e.unwrap().path()).collect();
        assert!(!files.is_empty());
        for file in files {
            assert_eq!(mode(&file), 0o600, "{}: it holds a verification token", file.display());
        }
    }
}

e2e_test! {
    fn a_validation_failure_is_explained_in_the_callers_language(app) {
        let register = |language: Option<&str>, query: &str| {
            let mut request = app.client.post(app.url(&format!("/api/v1/auth/register{query}")))
                .json(&json!({"email": "not an address", "password": "short", "display_name": "", "language": "xx"}));
            if let Some(language) = language {
                request = request.header("Accept-Language", language);
            }
            app.send(request)
        };
        let arabic = register(Some("ar"), "");
        assert_eq!(header(&arabic, "content-language"), "ar");
        let body = problem(arabic, 422, "validation_failed");
        let count = body["errors"].as_array().unwrap().len();
        assert!(count >= 3, "{body}");
        assert_eq!(body["title"], "فشل التحقق");
        assert!(body["detail"].as_str().unwrap().ends_with("انظر `errors`."), "{body}");
        assert!(body["detail"].as_str().unwrap().contains(&count.to_string()), "{body}");
        // The registration's field messages are said in Arabic too, each with its rule code unchanged.
        let messages: Vec<(&str, &str)> = body["errors"].as_array().unwrap().iter()
            .map(|e| (e["code"].as_str().unwrap(), e["message"].as_str().unwrap()))
            .collect();
        assert!(messages.contains(&("invalid_email", "\u{2068}عنوان البريد الإلكتروني\u{2069}: القيمة `\u{2068}not an address\u{2069}` غير صالحة؛ المطلوب \u{2068}عنوان مثل name@example.org\u{2069}")), "{messages:?}");
        assert!(messages.contains(&("too_short", "استخدم \u{2068}12\u{2069} حرفًا على الأقل")), "{messages:?}");
        assert!(messages.contains(&("invalid_length", "بين \u{2068}1\u{2069} و\u{2068}200\u{2069} حرفًا")), "{messages:?}");
        assert!(messages.iter().any(|(code, message)| *code == "unsupported_language" && message.starts_with("\u{2068}اللغة\u{2069}")), "{messages:?}");
        // One invalid field: the detail names it with its message, in the caller's language.
        let one = app.send(app.client.post(app.url("/api/v1/auth/register")).header("Accept-Language", "ru")
            .json(&json!({"email": "amina@example.org", "password": "abababababababab", "display_name": "Amina", "language": "fr"})));
        let body = problem(one, 422, "validation_failed");
        assert_eq!(body["detail"], "`password`: используйте больше разных символов", "{body}");
        for (language, expected) in [
            (Some("fr-CH, en;q=0.5"), format!("{count} champs ne sont pas valides ; voir `errors`.")),
            (None, format!("{count} fields are invalid; see `errors`.")),
        ] {
            assert_eq!(problem(register(language, ""), 422, "validation_failed")["detail"], expected.as_str());
        }
        // An organisation's profile and a body's missing field are said in Spanish.
        let session = app.verified_user("amina@example.org");
        let create = |body: serde_json::Value| {
            app.send(app.client.post(app.url("/api/v1/organisations")).bearer_auth(&session.access).header("Accept-Language", "es").json(&body))
        };
        let body = problem(create(json!({"name": " ", "stakeholder_category": "civil_society", "country": "KE", "website": "ftp://x"})), 422, "validation_failed");
        let said: Vec<(&str, &str)> = body["errors"].as_array().unwrap().iter()
            .map(|e| (e["field"].as_str().unwrap(), e["message"].as_str().unwrap()))
            .collect();
        assert_eq!(said, [("name", "de 1 a 300 caracteres"), ("website", "una dirección http:// o https://")], "{body}");
        assert_eq!(body["detail"], "2 campos no son válidos; consulte `errors`.");
        let body = problem(create(json!({"stakeholder_category": "civil_society", "country": "KE"})), 422, "validation_failed");
        assert_eq!((body["errors"][0]["code"].as_str(), body["errors"][0]["message"].as_str()), (Some("required"), Some("falta el campo `name`")), "{body}");
        // `?lang=` wins over the header, as for titles.
        let chinese = problem(register(Some("ar"), "?lang=zh"), 422, "validation_failed");
        assert_eq!(chinese["detail"], format!("{count} 个字段无效；请查看 `errors`。").as_str());
    }
}

e2e_test! {
    fn refusals_and_request_errors_are_said_in_the_callers_language(app) {
        let get = |path: &str, language: &str| {
            app.send(app.client.get(app.url(path)).header("Accept-Language", language))
        };
        // A missing call, in French and (unchanged) in English.
        let body = problem(get("/api/v1/calls/wsis-1999", "fr"), 404, "not_found");
        assert_eq!(body["detail"], "Il n’existe pas d’appel `wsis-1999`.");
        let body = problem(get("/api/v1/calls/wsis-1999", "en"), 404, "not_found");
        assert_eq!(body["detail"], "There is no call `wsis-1999`.");
        // Sign-in needed, in Russian; the challenge header stays ASCII English, as RFC 6750 asks.
        let response = get("/api/v1/me", "ru");
        let challenge = header(&response, "www-authenticate");
        let body = problem(response, 401, "unauthorized");
        assert_eq!(body["detail"], "Войдите: для этой операции нужен токен доступа пользователя.");
        assert!(challenge.contains("error_description=\"Sign in: this operation needs a user access token.\""), "{challenge}");
        // A parameter the route does not take, in Spanish: the field message names the ones it does.
        let body = problem(get("/api/v1/stocktaking/projects?colour=red", "es"), 422, "validation_failed");
        let message = body["errors"][0]["message"].as_str().unwrap();
        assert!(message.starts_with("los parámetros son "), "{body}");
        assert!(message.ends_with(", lang"), "{body}");
        assert_eq!(body["detail"], format!("`colour`: {message}").as_str());
        // A body that is not JSON, in Chinese: serde's own words stay as they are, the sentence around them is said.
        let body = problem(app.send(app.client.post(app.url("/api/v1/auth/register")).header("Accept-Language", "zh")
            .header("Content-Type", "application/json").body("{\"email\":")), 400, "malformed_json");
        let detail = body["detail"].as_str().unwrap();
        assert!(detail.contains("：请求体不是有效的 JSON（第 1 行，第 9 列）。"), "{detail}");
        // A code outside a vocabulary, in Arabic: the value and what is expected, each part said.
        let body = problem(get("/api/v1/stocktaking/projects?region=atlantis", "ar"), 422, "validation_failed");
        let message = body["errors"][0]["message"].as_str().unwrap();
        assert!(message.starts_with("\u{2068}المنطقة\u{2069}: القيمة `\u{2068}atlantis\u{2069}` غير صالحة؛ المطلوب \u{2068}إحدى القيم "), "{body}");
        assert_eq!(body["errors"][0]["code"], "unknown_region");
    }
}
