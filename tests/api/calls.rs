use serde_json::{Value, json};
use wsis_e2e::{TestApp, at, e2e_test, header, json as body_json, problem};

fn track<'a>(tracks: &'a Value, kind: &str) -> &'a Value {
    tracks["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["kind"] == kind)
        .unwrap()
}

e2e_test! {
    fn the_2025_tracks_have_the_letters_deadlines_in_utc_and_geneva_time(app) {
        let tracks = app.get_json("/api/v1/calls/wsis-2025/tracks");
        let kinds: Vec<&str> = tracks["items"].as_array().unwrap().iter().map(|t| t["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["ocp", "stocktaking", "prizes", "trust_fund"]);
        let expected = [
            ("ocp", "2025-03-14T22:59:59Z", "2025-03-14T23:59:59+01:00"),
            ("stocktaking", "2025-02-10T22:59:59Z", "2025-02-10T23:59:59+01:00"),
            ("prizes", "2025-02-10T22:59:59Z", "2025-02-10T23:59:59+01:00"),
            ("trust_fund", "2025-07-11T21:59:59Z", "2025-07-11T23:59:59+02:00"),
        ];
        for (kind, utc, local) in expected {
            let deadline = &track(&tracks, kind)["deadline"];
            assert_eq!(deadline["closes_at"], utc, "{kind}");
            assert_eq!(deadline["closes_at_local"], local, "{kind}");
            assert_eq!(deadline["timezone"], "Europe/Zurich");
            assert_eq!(deadline["effective_closes_at"], utc, "no grace in 2025");
            assert_eq!(deadline["grace_seconds"], 0);
            assert_eq!(deadline["extension"], Value::Null);
            assert_eq!(deadline["rules"]["closes"]["rule"], "end_of_local_day");
        }
        assert_eq!(track(&tracks, "ocp")["name"], "Open Consultation Process");
        assert_eq!(track(&tracks, "prizes")["deadline"]["opens_at_local"], "2024-10-03T00:00:00+02:00");
    }
}

e2e_test! {
    fn track_state_follows_the_server_clock_to_the_second(app) {
        let state = |app: &TestApp, kind: &str| {
            let t = app.get_json(&format!("/api/v1/calls/wsis-2025/tracks/{kind}"));
            (t["deadline"]["state"].as_str().unwrap().to_owned(), t["deadline"]["server_time"].as_str().unwrap().to_owned())
        };
        assert_eq!(state(&app, "ocp"), ("open".into(), "2025-03-14T22:59:59Z".into()));
        assert_eq!(state(&app, "prizes").0, "closed");
        assert_eq!(state(&app, "trust_fund").0, "open");
        app.clock.set(at("2025-03-14T23:00:00Z"));
        assert_eq!(state(&app, "ocp"), ("closed".into(), "2025-03-14T23:00:00Z".into()));
        // Prizes opened on 3 October 2024, Geneva time (CEST, UTC+2).
        app.clock.set(at("2024-10-02T21:59:59Z"));
        assert_eq!(state(&app, "prizes").0, "upcoming");
        app.clock.set(at("2024-10-02T22:00:00Z"));
        assert_eq!(state(&app, "prizes").0, "open");
    }
}

e2e_test! {
    fn calls_list_and_detail_carry_the_event_and_tracks(app) {
        let calls = app.get_json("/api/v1/calls");
        assert_eq!(calls["next_cursor"], Value::Null);
        let items = calls["items"].as_array().unwrap();
        assert_eq!(items.len(), 1);
        let call = app.get_json("/api/v1/calls/wsis-2025");
        assert_eq!(&items[0], &call);
        assert_eq!(call["slug"], "wsis-2025");
        assert_eq!(call["year"], 2025);
        assert_eq!(call["timezone"], "Europe/Zurich");
        assert_eq!(call["letter_date"], "2024-10-04");
        assert_eq!(call["tracks"].as_array().unwrap().len(), 4);
        assert_eq!(
            call["event"],
            json!({
                "name": "WSIS+20 High-Level Event",
                "starts_on": "2025-07-07",
                "ends_on": "2025-07-11",
                "city": "Geneva",
                "country": "CH",
                "timezone": "Europe/Zurich",
                "co_organisers": ["ITU", "UNESCO", "UNDP", "UNCTAD"]
            })
        );
        assert!(call["id"].as_str().unwrap().len() == 36);
    }
}

e2e_test! {
    fn deadlines_render_in_the_callers_zone_and_bad_zones_are_422(app) {
        let ocp = app.get_json("/api/v1/calls/wsis-2025/tracks/ocp?tz=America/New_York");
        assert_eq!(
            ocp["deadline"]["requested_timezone"],
            json!({
                "timezone": "America/New_York",
                "opens_at": "2024-10-03T18:00:00-04:00",
                "closes_at": "2025-03-14T18:59:59-04:00",
                "effective_closes_at": "2025-03-14T18:59:59-04:00"
            })
        );
        let tokyo = app.get_json("/api/v1/calls/wsis-2025?tz=Asia/Tokyo");
        assert_eq!(tokyo["tracks"][1]["deadline"]["requested_timezone"]["closes_at"], "2025-02-11T07:59:59+09:00");
        assert!(app.get_json("/api/v1/calls/wsis-2025/tracks/ocp")["deadline"].get("requested_timezone").is_none());
        let body = problem(app.get("/api/v1/calls/wsis-2025/tracks?tz=Mars/Olympus"), 422, "validation_failed");
        assert_eq!(body["errors"][0]["field"], "tz");
        assert_eq!(body["errors"][0]["code"], "unknown_time_zone");
    }
}

e2e_test! {
    fn unknown_calls_and_tracks_are_404_problems(app) {
        let body = problem(app.get("/api/v1/calls/wsis-1999"), 404, "not_found");
        assert!(body["detail"].as_str().unwrap().contains("wsis-1999"));
        assert_eq!(body["instance"], "/api/v1/calls/wsis-1999");
        problem(app.get("/api/v1/calls/wsis-1999/tracks"), 404, "not_found");
        problem(app.get("/api/v1/calls/wsis-2025/tracks/lottery"), 404, "not_found");
        problem(app.get("/api/v1/calls/wsis-1999/tracks/ocp"), 404, "not_found");
    }
}

e2e_test! {
    fn track_names_follow_the_negotiated_language(app) {
        let response = app.send(app.client.get(app.url("/api/v1/calls/wsis-2025/tracks")).header("Accept-Language", "ar, en;q=0.5"));
        assert_eq!(header(&response, "content-language"), "ar");
        let tracks = body_json(response);
        assert_eq!(track(&tracks, "trust_fund")["name"], "الصندوق الاستئماني للقمة العالمية لمجتمع المعلومات");
        let call = app.get_json("/api/v1/calls/wsis-2025?lang=zh");
        assert_eq!(call["title"], "2025年信息社会世界峰会征集意见");
    }
}

fn call_2026() -> Value {
    json!({
        "slug": "wsis-2026",
        "year": 2026,
        "timezone": "Europe/Zurich",
        "title": {"ar": "دعوة 2026", "zh": "2026年征集", "en": "WSIS 2026 call", "fr": "Appel SMSI 2026", "ru": "Призыв 2026", "es": "Convocatoria 2026"},
        "tracks": [
            {"kind": "ocp", "opens": {"rule": "start_of_local_day", "date": "2025-10-01"}, "closes": {"rule": "end_of_local_day", "date": "2026-03-29"}},
            {"kind": "prizes", "opens": {"rule": "start_of_local_day", "date": "2025-10-01"}, "closes": {"rule": "anywhere_on_earth", "date": "2026-02-09"}, "grace_seconds": 300}
        ],
        "session_formats": ["interactive_session", "workshop"]
    })
}

e2e_test! {
    fn session_formats_are_the_calls_data(app) {
        let call = app.get_json("/api/v1/calls/wsis-2025");
        assert_eq!(
            call["session_formats"],
            json!(["interactive_session", "action_line_facilitation_meeting", "knowledge_cafe", "workshop", "high_level_dialogue", "country_workshop", "exhibition_space"])
        );
        // A call with an OCP track offers formats, each a well-formed code, once.
        let preview = |call: &Value| app.send(app.client.post(app.url("/api/v1/calls:preview")).json(call));
        let fields = |response| -> Vec<(String, String)> {
            let body = problem(response, 422, "validation_failed");
            body["errors"].as_array().unwrap().iter().map(|e| (e["field"].as_str().unwrap().to_owned(), e["code"].as_str().unwrap().to_owned())).collect()
        };
        let mut definition = call_2026();
        definition["session_formats"] = json!([]);
        assert_eq!(fields(preview(&definition)), [("session_formats".to_owned(), "required".to_owned())]);
        definition["session_formats"] = json!(["Panel!", "workshop", "workshop"]);
        assert_eq!(
            fields(preview(&definition)),
            [("session_formats[0]".to_owned(), "invalid_code".to_owned()), ("session_formats[2]".to_owned(), "duplicate".to_owned())]
        );
        definition["session_formats"] = json!(["panel"]);
        assert_eq!(body_json(preview(&definition))["session_formats"], json!(["panel"]));

        // A proposal takes one of its own call's formats: 2025 offered no panels; a call that offers them takes them.
        let (_, org) = crate::submissions::setup(&app);
        let owner = crate::submissions::travel(&app, "2025-03-01T12:00:00Z");
        let proposal = |format: &str| json!({"session_proposals": [{
            "title": "Session", "format": format, "description": "A session.", "action_lines": ["C2"], "languages": ["en"]
        }]});
        let draft = |call: &str, format: &str| {
            app.send(app.client.post(app.url("/api/v1/submissions")).bearer_auth(&owner.access).json(&json!({
                "call": call, "track": "ocp", "organisation_id": org, "language": "en", "content": proposal(format)
            })))
        };
        assert_eq!(fields(draft("wsis-2025", "panel")), [("content.session_proposals[0].format".to_owned(), "invalid_value".to_owned())]);
        assert_eq!(draft("wsis-2025", "knowledge_cafe").status().as_u16(), 201);
        let staff = app.staff("staff@example.org");
        let mut open_now = definition.clone();
        open_now["slug"] = json!("panels-2025");
        open_now["tracks"] = json!([{"kind": "ocp", "opens": {"rule": "start_of_local_day", "date": "2020-01-01"}, "closes": {"rule": "end_of_local_day", "date": "2099-12-31"}}]);
        let created = app.send(app.client.post(app.url("/api/v1/calls")).bearer_auth(&staff.access).json(&open_now));
        assert_eq!(created.status().as_u16(), 201);
        assert_eq!(draft("panels-2025", "panel").status().as_u16(), 201);
        assert_eq!(fields(draft("panels-2025", "knowledge_cafe")), [("content.session_proposals[0].format".to_owned(), "invalid_value".to_owned())]);
    }
}

e2e_test! {
    fn a_call_definition_previews_with_resolved_deadlines(app) {
        let response = app.send(app.client.post(app.url("/api/v1/calls:preview")).json(&call_2026()));
        assert_eq!(response.status().as_u16(), 200);
        let call = body_json(response);
        assert_eq!(call["id"], Value::Null);
        // 29 March 2026 is the day Zurich moves to summer time: the day ends at 23:59:59+02:00.
        assert_eq!(call["tracks"][0]["deadline"]["closes_at"], "2026-03-29T21:59:59Z");
        assert_eq!(call["tracks"][0]["deadline"]["closes_at_local"], "2026-03-29T23:59:59+02:00");
        assert_eq!(call["tracks"][1]["deadline"]["closes_at"], "2026-02-10T11:59:59Z");
        assert_eq!(call["tracks"][1]["deadline"]["effective_closes_at"], "2026-02-10T12:04:59Z");
        assert_eq!(call["tracks"][1]["deadline"]["state"], "upcoming");
        // Nothing was stored.
        problem(app.get("/api/v1/calls/wsis-2026"), 404, "not_found");
    }
}

e2e_test! {
    fn an_invalid_call_definition_reports_every_field(app) {
        let mut call = call_2026();
        call["slug"] = json!("WSIS 2026!");
        call["tracks"][0]["closes"] = json!({"rule": "local_time", "at": "2026-03-29T02:30:00"});
        call["tracks"][1]["kind"] = json!("ocp");
        call["tracks"][1]["timezone"] = json!("Europe/Geneva-ish");
        let body = problem(app.send(app.client.post(app.url("/api/v1/calls:preview")).json(&call)), 422, "validation_failed");
        let fields: Vec<(&str, &str)> = body["errors"].as_array().unwrap().iter().map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap())).collect();
        assert_eq!(
            fields,
            [("tracks[1].timezone", "unknown_time_zone"), ("slug", "invalid_slug"), ("tracks[0].closes", "invalid_time"), ("tracks[1].kind", "duplicate")]
        );
        call["tracks"][1]["timezone"] = Value::Null;
        let body = problem(app.send(app.client.post(app.url("/api/v1/calls:preview")).json(&call)), 422, "validation_failed");
        let fields: Vec<(&str, &str)> = body["errors"].as_array().unwrap().iter().map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap())).collect();
        assert_eq!(fields, [("slug", "invalid_slug"), ("tracks[0].closes", "invalid_time"), ("tracks[1].kind", "duplicate")]);
        assert!(body["errors"][1]["message"].as_str().unwrap().contains("does not exist"), "{body}");
    }
}

e2e_test! {
    fn a_second_call_with_a_slug_in_use_is_a_conflict_naming_the_slug(app) {
        let staff = app.staff("staff@example.org");
        let create = || app.send(app.client.post(app.url("/api/v1/calls")).bearer_auth(&staff.access).json(&call_2026()));
        assert_eq!(create().status().as_u16(), 201);
        let body = problem(create(), 409, "conflict");
        assert_eq!(body["errors"][0]["field"], "slug", "{body}");
        assert_eq!(body["errors"][0]["code"], "taken", "{body}");
        // The refusal left the first call as it was, and the database usable.
        assert_eq!(app.get_json("/api/v1/calls/wsis-2026")["session_formats"], json!(["interactive_session", "workshop"]));
    }
}
