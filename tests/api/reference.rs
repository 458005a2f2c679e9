use serde_json::Value;
use wsis_e2e::{e2e_test, header, json, problem};

fn items(value: &Value) -> &Vec<Value> {
    value["items"].as_array().unwrap()
}

e2e_test! {
    fn every_reference_list_is_complete(app) {
        let counts = [
            ("stakeholder-categories", 7),
            ("regions", 6),
            ("countries", 250),
            ("action-lines", 18),
            ("sdgs", 17),
            ("prize-categories", 18),
        ];
        for (list, count) in counts {
            let body = app.get_json(&format!("/api/v1/reference/{list}"));
            assert_eq!(items(&body).len(), count, "{list}");
            assert_eq!(body["next_cursor"], Value::Null);
        }
        assert!(items(&app.get_json("/api/v1/reference/currencies")).len() > 150);
    }
}

e2e_test! {
    fn reference_items_carry_their_facts(app) {
        let categories = app.get_json("/api/v1/reference/stakeholder-categories");
        let academia = items(&categories).iter().find(|c| c["code"] == "academia").unwrap();
        assert!(academia["accepted_aliases"].as_array().unwrap().contains(&Value::from("academia/technical community")));
        assert!(items(&categories).iter().any(|c| c["code"] == "technical_community"));

        let lines = app.get_json("/api/v1/reference/action-lines");
        assert_eq!(items(&lines)[9]["code"], "C7.e-health");
        assert_eq!(items(&lines)[9]["facilitators"], serde_json::json!(["WHO"]));
        let prizes = app.get_json("/api/v1/reference/prize-categories");
        assert_eq!(items(&prizes)[9]["action_line"], "C7.e-health");

        let countries = app.get_json("/api/v1/reference/countries");
        assert_eq!(items(&countries)[0]["code"], "global");
        let egypt = items(&countries).iter().find(|c| c["code"] == "EG").unwrap();
        assert_eq!(egypt["region"], "arab_states");
        assert_eq!(egypt["alpha3"], "EGY");

        let currencies = app.get_json("/api/v1/reference/currencies");
        let minor = |code: &str| items(&currencies).iter().find(|c| c["code"] == code).unwrap()["minor_units"].clone();
        assert_eq!((minor("CHF"), minor("JPY"), minor("KWD")), (2.into(), 0.into(), 3.into()));
    }
}

e2e_test! {
    fn countries_filter_by_region(app) {
        let africa = app.get_json("/api/v1/reference/countries?region=africa");
        assert!(items(&africa).len() > 40);
        assert!(items(&africa).iter().all(|c| c["region"] == "africa"));
        assert!(items(&africa).iter().any(|c| c["code"] == "KE"));
        let body = problem(app.get("/api/v1/reference/countries?region=atlantis"), 422, "validation_failed");
        assert_eq!(body["errors"][0]["field"], "region");
    }
}

e2e_test! {
    fn labels_are_localised_in_the_six_languages(app) {
        let expected = [
            ("ar", "سويسرا"),
            ("zh", "瑞士"),
            ("en", "Switzerland"),
            ("fr", "Suisse"),
            ("ru", "Швейцария"),
            ("es", "Suiza"),
        ];
        for (lang, name) in expected {
            let by_header = app.send(app.client.get(app.url("/api/v1/reference/countries?region=europe")).header("Accept-Language", format!("{lang}-XX, en;q=0.1")));
            assert_eq!(header(&by_header, "content-language"), lang);
            assert!(header(&by_header, "vary").contains("Accept-Language"));
            let body = json(by_header);
            let ch = items(&body).iter().find(|c| c["code"] == "CH").unwrap();
            assert_eq!(ch["name"], name, "{lang}");
            let by_query = app.get_json(&format!("/api/v1/reference/sdgs?lang={lang}"));
            assert!(!items(&by_query)[3]["name"].as_str().unwrap().is_empty());
        }
        // ?lang= wins over Accept-Language; an unsupported Accept-Language falls back to English.
        let fr = app.send(app.client.get(app.url("/api/v1/reference/regions?lang=fr")).header("Accept-Language", "ru"));
        assert_eq!(header(&fr, "content-language"), "fr");
        assert_eq!(items(&json(fr))[2]["name"], "États arabes");
        let de = app.send(app.client.get(app.url("/api/v1/reference/regions")).header("Accept-Language", "de-CH, de"));
        assert_eq!(header(&de, "content-language"), "en");
        let body = problem(app.get("/api/v1/reference/regions?lang=de"), 422, "validation_failed");
        assert_eq!(body["errors"][0]["field"], "lang");
    }
}
