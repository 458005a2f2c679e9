//! The public Stocktaking repository and call statistics.

use serde_json::{Value, json};
use wsis_domain::Clock;
use wsis_e2e::{PASSWORD, Session, TestApp, at, e2e_test, header, json as body_json, problem};

fn project(
    title: &str,
    description: &str,
    lines: &[&str],
    countries: &[&str],
    status: &str,
) -> Value {
    json!({
        "title": title, "description": description, "action_lines": lines, "sdgs": [4, 9], "countries": countries,
        "coverage_level": "national", "status": status, "start_date": "2022-01-01",
        "contact": {"name": "Private Person", "email": "private.person@example.org"}
    })
}

/// Creates, submits and (optionally) has staff accept a stocktaking entry; returns its id.
fn entry(
    app: &TestApp,
    owner: &Session,
    staff: &Session,
    org: &str,
    language: &str,
    content: Value,
    accept: bool,
) -> String {
    let body = json!({"call": "wsis-2025", "track": "stocktaking", "organisation_id": org, "language": language, "content": content});
    let created = body_json(
        app.send(
            app.client
                .post(app.url("/api/v1/submissions"))
                .bearer_auth(&owner.access)
                .json(&body),
        ),
    );
    let id = created["id"]
        .as_str()
        .expect("the draft was created")
        .to_owned();
    let submitted = app.send(
        app.client
            .post(app.url(&format!("/api/v1/submissions/{id}/submit")))
            .bearer_auth(&owner.access),
    );
    assert_eq!(submitted.status().as_u16(), 200);
    if accept {
        let decided = app.send(
            app.client
                .post(app.url(&format!("/api/v1/submissions/{id}/decision")))
                .bearer_auth(&staff.access)
                .json(&json!({"decision": "accept"})),
        );
        assert_eq!(decided.status().as_u16(), 200);
    }
    id
}

fn search(app: &TestApp, query: &str) -> Vec<String> {
    let body = app.get_json(&format!("/api/v1/stocktaking/projects?{query}"));
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap().to_owned())
        .collect()
}

fn setup(app: &TestApp) -> (Session, Session, String) {
    app.clock.set(at("2025-02-01T10:00:00Z"));
    let owner = app.verified_user("owner@example.org");
    let org = app.organisation(&owner, "Knowledge Commons");
    app.staff("staff@example.org");
    let staff = app.sign_in("staff@example.org", PASSWORD);
    (owner, staff, org)
}

e2e_test! {
    fn accepted_projects_are_public_and_searchable_in_six_languages(app) {
        let (owner, staff, org) = setup(&app);
        entry(&app, &owner, &staff, &org, "ar", project("مكتبات رقمية", "مشروع المَكْتَبَات الرقمية لمجتمع المعلومات في القُرى", &["C3"], &["EG"], "ongoing"), true);
        entry(&app, &owner, &staff, &org, "zh", project("数字图书馆", "信息社会世界峰会的数字图书馆项目", &["C3"], &["CN"], "completed"), true);
        entry(&app, &owner, &staff, &org, "fr", project("Bibliothèques numériques", "Un réseau de bibliothèques numériques à Genève pour la société de l'information", &["C3", "C4"], &["CH"], "ongoing"), true);
        entry(&app, &owner, &staff, &org, "ru", project("Цифровые библиотеки", "Цифровая грамотность в сельских школах", &["C4"], &["KZ"], "planned"), true);
        entry(&app, &owner, &staff, &org, "es", project("Bibliotecas digitales", "Formación en línea para niñas en zonas rurales", &["C7.e-learning"], &["PE"], "ongoing"), true);
        entry(&app, &owner, &staff, &org, "en", project("Digital libraries", "Offline digital libraries for rural schools", &["C3"], &["global"], "completed"), true);
        entry(&app, &owner, &staff, &org, "en", project("Not accepted yet", "Offline digital libraries pending review", &["C3"], &["KE"], "ongoing"), false);

        let all = app.get_json("/api/v1/stocktaking/projects");
        assert_eq!(all["items"].as_array().unwrap().len(), 6, "only accepted entries are public");
        assert!(!all.to_string().contains("private.person"), "contacts never appear");
        assert_eq!(all["items"][0]["organisation"]["name"], "Knowledge Commons");
        assert_eq!(all["items"][0]["year"], 2025);

        // What a native speaker would type finds the entry.
        assert_eq!(search(&app, "q=المكتبات"), ["مكتبات رقمية"], "Arabic without tashkeel finds text written with it");
        assert_eq!(search(&app, "q=الْقُرَى"), ["مكتبات رقمية"], "and the other way round, alef maksura folded");
        assert_eq!(search(&app, "q=图书馆"), ["数字图书馆"], "Chinese without spaces between words");
        assert_eq!(search(&app, "q=bibliotheques geneve"), ["Bibliothèques numériques"], "French without accents");
        assert_eq!(search(&app, "q=ГРАМОТНОСТЬ"), ["Цифровые библиотеки"]);
        assert_eq!(search(&app, "q=formacion ninas"), ["Bibliotecas digitales"]);
        assert_eq!(search(&app, "q=offline"), ["Digital libraries"], "not the entry still under review");
        let hit = app.get_json("/api/v1/stocktaking/projects?q=geneve");
        assert_eq!(hit["items"][0]["snippet"], "Un réseau de bibliothèques numériques à <mark>Genève</mark> pour la société de l'information");

        // Filters combine; repeated values mean OR.
        assert_eq!(search(&app, "action_line=C4").len(), 2);
        assert_eq!(search(&app, "action_line=C4&status=planned"), ["Цифровые библиотеки"]);
        assert_eq!(search(&app, "region=arab_states"), ["مكتبات رقمية"]);
        assert_eq!(search(&app, "country=global"), ["Digital libraries"]);
        assert_eq!(search(&app, "country=EG&country=CN").len(), 2);
        assert_eq!(search(&app, "year=2025").len(), 6);
        assert_eq!(search(&app, "year=2031").len(), 0);
        assert_eq!(search(&app, "stakeholder_category=civil_society&sdg=9").len(), 6);
        for bad in ["sort=popular", "sort=relevance", "status=dreaming", "colour=red", "limit=500", "cursor=xyz"] {
            problem(app.get(&format!("/api/v1/stocktaking/projects?{bad}")), 422, "validation_failed");
        }
    }
}

e2e_test! {
    fn projects_page_and_revalidate(app) {
        let (owner, staff, org) = setup(&app);
        let ids: Vec<String> = (0..3).map(|i| entry(&app, &owner, &staff, &org, "en", project(&format!("Project {i}"), "Text", &["C2"], &["FR"], "ongoing"), true)).collect();
        let first = app.get("/api/v1/stocktaking/projects?limit=2");
        let link = header(&first, "link");
        assert!(link.contains("rel=\"next\""), "{link}");
        let etag = header(&first, "etag");
        let body = body_json(first);
        let cursor = body["next_cursor"].as_str().unwrap();
        let second = app.get_json(&format!("/api/v1/stocktaking/projects?limit=2&cursor={cursor}"));
        assert_eq!(second["items"].as_array().unwrap().len(), 1);
        assert_eq!(second["next_cursor"], Value::Null);
        let again = app.send(app.client.get(app.url("/api/v1/stocktaking/projects?limit=2")).header("If-None-Match", &etag));
        assert_eq!(again.status().as_u16(), 304);
        // A new accepted project changes the answer.
        entry(&app, &owner, &staff, &org, "en", project("Project 3", "Text", &["C2"], &["FR"], "ongoing"), true);
        let changed = app.send(app.client.get(app.url("/api/v1/stocktaking/projects?limit=2")).header("If-None-Match", &etag));
        assert_eq!(changed.status().as_u16(), 200);
        // Stable under inserts: an entry accepted while a client pages through the listing neither repeats an entry
        // nor hides one from that client.
        let (mut seen, mut cursor) = page(&app, "limit=2");
        entry(&app, &owner, &staff, &org, "en", project("Project 4", "Text", &["C2"], &["FR"], "ongoing"), true);
        while let Some(c) = cursor {
            let (items, next) = page(&app, &format!("limit=2&cursor={c}"));
            seen.extend(items);
            cursor = next;
        }
        assert_eq!(seen, ["Project 3", "Project 2", "Project 1", "Project 0"]);
        let one = app.get_json(&format!("/api/v1/stocktaking/projects/{}", ids[0]));
        assert_eq!(one["title"], "Project 0");
        assert!(one.get("contact").is_none());
        problem(app.get("/api/v1/stocktaking/projects/nothing"), 404, "not_found");
        // `lang` is every route's: accepted on the listing and its export, checked, never an unknown parameter.
        assert_eq!(app.get_json("/api/v1/stocktaking/projects?limit=2&lang=fr")["items"].as_array().unwrap().len(), 2);
        assert_eq!(app.get("/api/v1/stocktaking/projects/export?format=csv&lang=ar").status().as_u16(), 200);
        let body = problem(app.get("/api/v1/stocktaking/projects?lang=xx"), 422, "validation_failed");
        assert_eq!((body["errors"][0]["field"].as_str(), body["errors"][0]["code"].as_str()), (Some("lang"), Some("unsupported_language")));
        let body = problem(app.get("/api/v1/stocktaking/projects?colour=red"), 422, "validation_failed");
        assert_eq!((body["errors"][0]["field"].as_str(), body["errors"][0]["code"].as_str()), (Some("colour"), Some("unknown_parameter")));
    }
}

e2e_test! {
    fn call_statistics_count_submitted_entries_and_staff_see_drafts(app) {
        let (owner, staff, org) = setup(&app);
        entry(&app, &owner, &staff, &org, "en", project("A", "Text", &["C3", "C4"], &["KE"], "ongoing"), true);
        entry(&app, &owner, &staff, &org, "en", project("B", "Text", &["C3"], &["KE"], "ongoing"), false);
        let body = json!({"call": "wsis-2025", "track": "stocktaking", "organisation_id": org, "language": "en", "content": project("Draft", "Text", &["C9"], &["KE"], "ongoing")});
        assert_eq!(app.send(app.client.post(app.url("/api/v1/submissions")).bearer_auth(&owner.access).json(&body)).status().as_u16(), 201);
        let stats = app.get_json("/api/v1/calls/wsis-2025/stats");
        assert_eq!(stats["total"], 2);
        assert_eq!(stats["include_drafts"], false);
        let cells: Vec<(String, String, i64)> = stats["by_track_status_category_region"].as_array().unwrap().iter()
            .map(|c| (c["status"].as_str().unwrap().to_owned(), c["region"].as_str().unwrap().to_owned(), c["count"].as_i64().unwrap()))
            .collect();
        assert_eq!(cells, [("accepted".into(), "africa".into(), 1), ("submitted".into(), "africa".into(), 1)]);
        assert_eq!(stats["by_action_line"], json!([{"key": "C3", "count": 2}, {"key": "C4", "count": 1}]));
        assert_eq!(stats["by_sdg"], json!([{"key": "4", "count": 2}, {"key": "9", "count": 2}]));
        problem(app.get("/api/v1/calls/wsis-2025/stats?include_drafts=true"), 403, "forbidden");
        let with_drafts = body_json(app.send(app.client.get(app.url("/api/v1/calls/wsis-2025/stats?include_drafts=true")).bearer_auth(&staff.access)));
        assert_eq!(with_drafts["total"], 3);
        problem(app.get("/api/v1/calls/wsis-1999/stats"), 404, "not_found");
    }
}

e2e_test! {
    fn the_demo_seed_fills_the_repository_through_the_real_code_paths(app) {
        let now = wsis_domain::Clock::now(app.clock.as_ref());
        let report = wsis::demo::seed(&app.database, 60, now, &|_| {}).unwrap();
        assert_eq!(report.projects, 60);
        let page = app.get_json("/api/v1/stocktaking/projects?limit=200");
        let items = page["items"].as_array().unwrap();
        assert_eq!(items.len(), 60);
        let mut languages: Vec<&str> = items.iter().map(|p| p["language"].as_str().unwrap()).collect();
        languages.sort_unstable();
        languages.dedup();
        assert_eq!(languages, ["ar", "en", "es", "fr", "ru", "zh"]);
        assert!(!page.to_string().contains("contact@example.org"));
        let call = app.get_json(&format!("/api/v1/calls/{}", report.call));
        assert!(call["tracks"].as_array().unwrap().iter().all(|t| t["deadline"]["state"] == "open"), "{call}");
        let stats = app.get_json(&format!("/api/v1/calls/{}/stats", report.call));
        assert_eq!(stats["total"], 60);
        // Every project has a receipt, as a real one would.
        let number = format!("{}-STK-000060", report.call.to_uppercase());
        let receipt = app.database.with(|conn| wsis_persistence::submissions::receipt(conn, &number)).unwrap().unwrap();
        assert_eq!(receipt.track, "stocktaking");
        let checked = app.get_json(&format!("/api/v1/receipts/{number}?check={}", receipt.check_code));
        assert_eq!(checked["track"], "stocktaking");
        // Seeding again adds more projects to the same demo call.
        wsis::demo::seed(&app.database, 5, now, &|_| {}).unwrap();
        assert_eq!(app.get_json(&format!("/api/v1/calls/{}/stats", report.call))["total"], 65);
    }
}

e2e_test! {
    fn the_whole_repository_exports_as_csv_and_json_lines(app) {
        let now = wsis_domain::Clock::now(app.clock.as_ref());
        wsis::demo::seed(&app.database, 1203, now, &|_| {}).unwrap();
        let csv = app.get("/api/v1/stocktaking/projects/export?format=csv");
        assert_eq!(header(&csv, "content-type"), "text/csv; charset=utf-8; header=present");
        let text = csv.text().unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(reader.headers().unwrap().get(4), Some("title"));
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 1203, "every page streamed, none twice");
        let mut ids: Vec<&str> = rows.iter().map(|r| r.get(0).unwrap()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 1203);
        assert!(rows.iter().any(|r| r.get(3) == Some("ar") && !r.get(4).unwrap().is_empty()), "UTF-8 survives");
        assert!(!text.contains("contact@example.org"));
        let lines = app.get("/api/v1/stocktaking/projects/export?format=jsonl&action_line=C3");
        assert_eq!(header(&lines, "content-type"), "application/x-ndjson");
        let body = lines.text().unwrap();
        let projects: Vec<Value> = body.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert!(!projects.is_empty() && projects.len() < 1203);
        assert!(projects.iter().all(|p| p["action_lines"].as_array().unwrap().contains(&json!("C3"))));
        let both = app.get("/api/v1/stocktaking/projects/export?format=jsonl&action_line=C3&action_line=C4");
        assert_eq!(header(&both, "content-type"), "application/x-ndjson", "repeated filters keep the format");
        assert!(both.text().unwrap().lines().count() > projects.len());
        // `json` is one array of the same projects, streamed like the rest (as the submissions export takes it).
        let array = app.get("/api/v1/stocktaking/projects/export?format=json&action_line=C3");
        assert_eq!(header(&array, "content-type"), "application/json");
        let array: Value = serde_json::from_str(&array.text().unwrap()).unwrap();
        assert_eq!(array.as_array().unwrap(), &projects);
        let all: Value = serde_json::from_str(&app.get("/api/v1/stocktaking/projects/export?format=json").text().unwrap()).unwrap();
        assert_eq!(all.as_array().unwrap().len(), 1203, "pages of 1,000 join into one array");
        let none: Value = serde_json::from_str(&app.get("/api/v1/stocktaking/projects/export?format=json&q=nothingmatchesthis").text().unwrap()).unwrap();
        assert_eq!(none, json!([]));
        problem(app.get("/api/v1/stocktaking/projects/export?format=xml"), 422, "validation_failed");
    }
}

fn page(app: &TestApp, query: &str) -> (Vec<String>, Option<String>) {
    let body = app.get_json(&format!("/api/v1/stocktaking/projects?{query}"));
    let titles = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap().to_owned())
        .collect();
    (titles, body["next_cursor"].as_str().map(str::to_owned))
}

/// Every title of a listing, following its cursors one item at a time.
fn walk(app: &TestApp, query: &str) -> Vec<String> {
    let mut titles = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let next = cursor
            .as_ref()
            .map(|c| format!("&cursor={c}"))
            .unwrap_or_default();
        let (items, more) = page(app, &format!("{query}&limit=1{next}"));
        titles.extend(items);
        match more {
            Some(c) => cursor = Some(c),
            None => return titles,
        }
        assert!(titles.len() < 50, "the cursor loops: {titles:?}");
    }
}

e2e_test! {
    fn search_ranks_by_relevance_and_lists_sort_by_title_with_their_own_cursors(app) {
        let (owner, staff, org) = setup(&app);
        let add = |title: &str, description: &str| {
            app.clock.advance(chrono::Duration::seconds(1));
            entry(&app, &owner, &staff, &org, "en", project(title, description, &["C3"], &["CH"], "ongoing"), true)
        };
        add("abacus", "Counting games for young pupils in rural schools and towns");
        add("zebra crossings", "Libraries of road safety lessons for schools in towns");
        add("Ábaco digital", "Counting games and libraries of songs for rural pupils");
        add("Écoles connectées", "Libraries libraries libraries: school libraries everywhere");

        // Title order folds case and accents; it pages with its own cursor.
        let by_title = ["Ábaco digital", "abacus", "Écoles connectées", "zebra crossings"];
        assert_eq!(page(&app, "sort=title").0, by_title);
        assert_eq!(walk(&app, "sort=title"), by_title);
        // Newest first without q.
        assert_eq!(page(&app, "").0, ["Écoles connectées", "Ábaco digital", "zebra crossings", "abacus"]);

        // With q, best match first by default: the entry that is all about libraries leads.
        let ranked = page(&app, "q=libraries").0;
        assert_eq!(ranked.len(), 3, "{ranked:?}");
        assert_eq!(ranked[0], "Écoles connectées", "{ranked:?}");
        assert_eq!(page(&app, "q=libraries&sort=relevance").0, ranked);
        assert_eq!(walk(&app, "q=libraries"), ranked, "relevance pages with its own cursor");
        assert_eq!(page(&app, "q=libraries&sort=newest").0, ["Écoles connectées", "Ábaco digital", "zebra crossings"]);
        assert_eq!(page(&app, "q=libraries&sort=title").0, ["Ábaco digital", "Écoles connectées", "zebra crossings"]);

        // A cursor belongs to its order.
        let (_, cursor) = page(&app, "sort=title&limit=1");
        let body = problem(app.get(&format!("/api/v1/stocktaking/projects?sort=newest&cursor={}", cursor.unwrap())), 422, "validation_failed");
        assert_eq!(body["errors"][0]["code"], "invalid_cursor");
        let body = problem(app.get("/api/v1/stocktaking/projects?sort=relevance"), 422, "validation_failed");
        assert_eq!((body["errors"][0]["field"].as_str(), body["errors"][0]["code"].as_str()), (Some("sort"), Some("needs_q")));
    }
}

e2e_test! {
    fn equal_matches_page_without_gaps_or_repeats_with_or_without_filters(app) {
        let (owner, staff, org) = setup(&app);
        // Five public entries that score alike for "kiosks" (same terms, same length), one in another action line,
        // and one still under review.
        for n in 1..=5 {
            app.clock.advance(chrono::Duration::seconds(1));
            entry(&app, &owner, &staff, &org, "en", project(&format!("Kiosk {n}"), "Solar kiosks in markets", &["C3"], &["KE"], "ongoing"), true);
        }
        entry(&app, &owner, &staff, &org, "en", project("Kiosk 6", "Solar kiosks in markets", &["C2"], &["KE"], "ongoing"), true);
        entry(&app, &owner, &staff, &org, "en", project("Kiosk 7", "Solar kiosks in markets", &["C3"], &["KE"], "ongoing"), false);

        let ranked = page(&app, "q=kiosks").0;
        let mut titles = ranked.clone();
        titles.sort();
        assert_eq!(titles, ["Kiosk 1", "Kiosk 2", "Kiosk 3", "Kiosk 4", "Kiosk 5", "Kiosk 6"], "public entries only");
        assert_eq!(walk(&app, "q=kiosks"), ranked, "a page at a time, ties in score neither skip nor repeat");
        let filtered: Vec<String> = ranked.iter().filter(|t| *t != "Kiosk 6").cloned().collect();
        assert_eq!(page(&app, "q=kiosks&action_line=C3").0, filtered, "a filter keeps the order");
        assert_eq!(walk(&app, "q=kiosks&action_line=C3"), filtered);
        assert_eq!(walk(&app, "q=kiosks&country=KE"), ranked);
        assert_eq!(walk(&app, "q=kiosks&stakeholder_category=civil_society"), ranked);
        assert!(page(&app, "q=kiosks&stakeholder_category=government").0.is_empty());
    }
}

e2e_test! {
    fn the_search_index_follows_every_edit(app) {
        let (owner, _, org) = setup(&app);
        let body = json!({"call": "wsis-2025", "track": "stocktaking", "organisation_id": org, "language": "en", "content": project("Solar kiosks", "Charging phones in markets", &["C2"], &["KE"], "ongoing")});
        let created = app.send(app.client.post(app.url("/api/v1/submissions")).bearer_auth(&owner.access).json(&body));
        let etag = header(&created, "etag");
        let id = body_json(created)["id"].as_str().unwrap().to_owned();
        let found = |q: &str| -> usize {
            let listed = body_json(app.send(app.client.get(app.url(&format!("/api/v1/submissions?q={q}"))).bearer_auth(&owner.access)));
            listed["items"].as_array().unwrap().len()
        };
        assert_eq!((found("kiosks"), found("lanterns")), (1, 0));
        let change = json!({"content": project("Solar lanterns", "Lighting homes after dark", &["C2"], &["KE"], "ongoing")});
        let edited = app.send(app.client.patch(app.url(&format!("/api/v1/submissions/{id}"))).bearer_auth(&owner.access).header("If-Match", etag).json(&change));
        assert_eq!(edited.status().as_u16(), 200);
        assert_eq!((found("kiosks"), found("lanterns")), (0, 1), "the index follows the edit");
        let deleted = app.send(app.client.delete(app.url(&format!("/api/v1/submissions/{id}"))).bearer_auth(&owner.access));
        assert_eq!(deleted.status().as_u16(), 204);
        assert_eq!(found("lanterns"), 0);
    }
}

e2e_test! {
    fn kept_pages_never_outlive_a_change_made_here_or_by_another_instance(app) {
        let (owner, staff, org) = setup(&app);
        let id = entry(&app, &owner, &staff, &org, "en", project("Mesh networks", "Community mesh networks", &["C2"], &["KE"], "ongoing"), true);
        let one = format!("/api/v1/stocktaking/projects/{id}");
        let titles = |query: &str| search(&app, query);
        // Read twice: the second answer comes from the kept page, identical.
        let first = app.get(&one);
        let etag = header(&first, "etag");
        let again = app.get(&one);
        assert_eq!(header(&again, "etag"), etag);
        assert_eq!(body_json(again)["organisation"]["name"], "Knowledge Commons");
        assert_eq!(titles("q=mesh"), ["Mesh networks"]);

        // The organisation renames itself: project and listing show the new name at once.
        let url = app.url(&format!("/api/v1/organisations/{org}"));
        let org_etag = header(&app.send(app.client.get(&url).bearer_auth(&owner.access)), "etag");
        let renamed = app.send(app.client.patch(&url).bearer_auth(&owner.access).header("If-Match", org_etag).json(&json!({"name": "Open Knowledge Commons"})));
        assert_eq!(renamed.status().as_u16(), 200);
        let now = app.get(&one);
        assert_ne!(header(&now, "etag"), etag);
        assert_eq!(body_json(now)["organisation"]["name"], "Open Knowledge Commons");
        assert_eq!(app.get_json("/api/v1/stocktaking/projects?q=mesh")["items"][0]["organisation"]["name"], "Open Knowledge Commons");

        // Staff reopen it: it leaves the repository; accepted again, it comes back.
        let decide = |decision: &str| {
            let response = app.send(app.client.post(app.url(&format!("/api/v1/submissions/{id}/decision"))).bearer_auth(&staff.access).json(&json!({"decision": decision})));
            assert_eq!(response.status().as_u16(), 200, "{decision}");
        };
        decide("reopen");
        problem(app.get(&one), 404, "not_found");
        assert!(titles("q=mesh").is_empty());
        decide("accept");
        assert_eq!(app.get(&one).status().as_u16(), 200);

        // Another instance (here: a write straight to the shared database, not through this server) withdraws the
        // entry from the public: this instance's kept pages are not used any more.
        assert_eq!(titles("q=mesh"), ["Mesh networks"]);
        let at = app.clock.now();
        let moved = app
            .database
            .with(|conn| {
                wsis_persistence::submissions::transition(
                    conn, &id, wsis_domain::SubmissionStatus::Accepted, wsis_domain::SubmissionStatus::UnderReview,
                    &staff.user_id, "reopen", &json!({}), at, &[],
                )
            })
            .unwrap();
        assert!(moved.is_some());
        problem(app.get(&one), 404, "not_found");
        assert!(titles("q=mesh").is_empty());
    }
}
