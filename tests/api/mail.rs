//! The durable outbox: failed deliveries are kept and retried with backoff; a lease keeps two workers apart.

use chrono::Duration;
use wsis_domain::Clock;
use wsis_e2e::{e2e_test, test_identity};
use wsis_http::mail::{Transport, deliver_pending};
use wsis_persistence::outbox;

e2e_test! {
    fn failed_deliveries_are_retried_with_backoff(app) {
        let now = app.clock.now();
        let id = app.database.with(|conn| outbox::enqueue(conn, "someone@example.org", "Hello", "Body", "en", now)).unwrap();
        // A transport that cannot write: its "directory" is a file.
        let blocked = tempfile::NamedTempFile::new().unwrap();
        let broken = test_identity(Transport::Files(blocked.path().join("outbox")));
        assert_eq!(deliver_pending(&app.database, &broken.mailer, now, None).unwrap(), 0);
        assert_eq!(app.database.with(outbox::pending_count).unwrap(), 1, "kept for a retry");
        // Not due again before the backoff has passed, even for a working transport.
        assert_eq!(deliver_pending(&app.database, &app.identity.mailer, now + Duration::seconds(59), None).unwrap(), 0);
        assert_eq!(deliver_pending(&app.database, &app.identity.mailer, now + Duration::seconds(61), None).unwrap(), 1);
        assert_eq!(app.database.with(outbox::pending_count).unwrap(), 0);
        assert!(app.outbox.join(format!("{id}.eml")).exists());
        assert_eq!(app.mails_to("someone@example.org").len(), 1, "delivered once");
    }
}

e2e_test! {
    fn a_claimed_message_is_not_claimed_twice_until_its_lease_ends(app) {
        let now = app.clock.now();
        app.database.with(|conn| outbox::enqueue(conn, "x@example.org", "S", "B", "en", now)).unwrap();
        let first = app.database.with(|conn| outbox::claim_due(conn, now, Duration::minutes(5), 10, None)).unwrap();
        let second = app.database.with(|conn| outbox::claim_due(conn, now, Duration::minutes(5), 10, None)).unwrap();
        assert_eq!((first.len(), second.len()), (1, 0));
        let after_lease = app.database.with(|conn| outbox::claim_due(conn, now + Duration::minutes(6), Duration::minutes(5), 10, None)).unwrap();
        assert_eq!(after_lease.len(), 1, "a worker that died does not strand the message");
    }
}
