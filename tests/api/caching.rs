//! Conditional reads: every read the contract declares with `If-None-Match` has an `ETag` and answers 304 when the
//! client's copy is current; what changes the representation changes the tag.

use wsis_e2e::{TestApp, e2e_test, header};

use crate::submissions::{created, pledge, setup, submit};

/// Reads `path` as `token`, then again with its `ETag`: 304 with the same tag and no body.
fn revalidates(app: &TestApp, token: &str, path: &str) -> String {
    let first = app.send(app.client.get(app.url(path)).bearer_auth(token));
    assert_eq!(first.status().as_u16(), 200, "{path}");
    let etag = header(&first, "etag");
    assert!(!etag.is_empty(), "{path} has no ETag");
    assert!(
        header(&first, "cache-control").starts_with("private"),
        "{path}"
    );
    let again = app.send(
        app.client
            .get(app.url(path))
            .bearer_auth(token)
            .header("If-None-Match", &etag),
    );
    assert_eq!(again.status().as_u16(), 304, "{path}");
    assert_eq!(header(&again, "etag"), etag, "{path}");
    assert!(
        again.bytes().unwrap().is_empty(),
        "{path}: a 304 has no body"
    );
    etag
}

e2e_test! {
    fn an_entrys_records_and_the_list_are_conditional_reads(app) {
        let (owner, org) = setup(&app);
        let (id, _) = created(&app, &owner, &org, "trust_fund", pledge());
        let list = revalidates(&app, &owner.access, "/api/v1/submissions");
        let history = revalidates(&app, &owner.access, &format!("/api/v1/submissions/{id}/history"));
        revalidates(&app, &owner.access, &format!("/api/v1/submissions/{id}/revisions"));
        assert_eq!(submit(&app, &owner, &id).status().as_u16(), 200);
        revalidates(&app, &owner.access, &format!("/api/v1/submissions/{id}/receipt"));
        // Submitting changed the list and the history: the old tags no longer match.
        for (path, old) in [("/api/v1/submissions".to_owned(), list), (format!("/api/v1/submissions/{id}/history"), history)] {
            let response = app.send(app.client.get(app.url(&path)).bearer_auth(&owner.access).header("If-None-Match", &old));
            assert_eq!(response.status().as_u16(), 200, "{path}");
            assert_ne!(header(&response, "etag"), old, "{path}");
        }
        // A page with a next one keeps its `Link` on the 304 too.
        created(&app, &owner, &org, "trust_fund", pledge());
        let page = app.send(app.client.get(app.url("/api/v1/submissions?limit=1")).bearer_auth(&owner.access));
        let (etag, link) = (header(&page, "etag"), header(&page, "link"));
        assert!(link.contains("rel=\"next\""), "{link}");
        let again = app.send(app.client.get(app.url("/api/v1/submissions?limit=1")).bearer_auth(&owner.access).header("If-None-Match", etag));
        assert_eq!((again.status().as_u16(), header(&again, "link")), (304, link));
    }
}

e2e_test! {
    fn a_tracks_extensions_are_a_conditional_read(app) {
        let staff = app.staff("staff@example.org");
        revalidates(&app, &staff.access, "/api/v1/calls/wsis-2025/tracks/ocp/extensions");
    }
}
