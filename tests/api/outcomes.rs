//! What a submitted entry keeps of its organisation: the stakeholder category and country it had when the entry was
//! submitted, so that a later edit of the organisation's profile does not rewrite past statistics and filters.

use serde_json::{Value, json};
use wsis_e2e::{e2e_test, header, json as body_json};

use crate::submissions::{created, pledge, setup, submit};

/// The counted cells of a call's statistics as (track, status, category, region, count).
fn cells(stats: &Value) -> Vec<(String, String, String, String, i64)> {
    let mut cells: Vec<_> = stats["by_track_status_category_region"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let text = |k: &str| c[k].as_str().unwrap_or_default().to_owned();
            (
                text("track"),
                text("status"),
                text("stakeholder_category"),
                text("region"),
                c["count"].as_i64().unwrap(),
            )
        })
        .collect();
    cells.sort();
    cells
}

e2e_test! {
    fn a_submitted_entry_keeps_its_organisations_category_and_country(app) {
        let (owner, org) = setup(&app);
        let (id, _) = created(&app, &owner, &org, "trust_fund", pledge());
        assert_eq!(submit(&app, &owner, &id).status().as_u16(), 200);
        let stats = || body_json(app.send(app.client.get(app.url("/api/v1/calls/wsis-2025/stats"))));
        let before = cells(&stats());
        assert_eq!(before, [("trust_fund".into(), "submitted".into(), "civil_society".into(), "africa".into(), 1)]);

        // The organisation changes its profile: a Kenyan civil society group becomes a French company.
        let url = app.url(&format!("/api/v1/organisations/{org}"));
        let etag = header(&app.send(app.client.get(&url).bearer_auth(&owner.access)), "etag");
        let changed = app.send(app.client.patch(&url).bearer_auth(&owner.access).header("If-Match", etag)
            .json(&json!({"stakeholder_category": "private_sector", "country": "FR"})));
        assert_eq!(changed.status().as_u16(), 200);

        // What was submitted is counted and found as it was.
        assert_eq!(cells(&stats()), before, "statistics of past entries do not move");
        let listed = |query: &str| -> Vec<String> {
            let page = body_json(app.send(app.client.get(app.url(&format!("/api/v1/submissions?{query}"))).bearer_auth(&owner.access)));
            page["items"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_owned()).collect()
        };
        assert_eq!(listed("stakeholder_category=civil_society&country=KE"), [id.as_str()]);
        assert!(listed("stakeholder_category=private_sector").is_empty());

        // A draft follows its organisation until it is submitted; then it keeps what the organisation is then.
        let (draft, _) = created(&app, &owner, &org, "trust_fund", pledge());
        assert_eq!(listed("stakeholder_category=private_sector&country=FR"), [draft.as_str()]);
        assert_eq!(submit(&app, &owner, &draft).status().as_u16(), 200);
        assert_eq!(
            cells(&stats()),
            [
                ("trust_fund".into(), "submitted".into(), "civil_society".into(), "africa".into(), 1),
                ("trust_fund".into(), "submitted".into(), "private_sector".into(), "europe".into(), 1),
            ]
        );
    }
}
