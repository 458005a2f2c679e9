#![expect(
    clippy::unwrap_used,
    reason = "a test fails loudly where its assumption breaks"
)]
//! The persistence contract, run on SQLite and on PostgreSQL (each test on a database of its own).

use chrono::{DateTime, Utc};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use wsis_domain::{CallDefinition, TrackKind};
use wsis_persistence::testing::TestDatabase;
use wsis_persistence::{
    Database, DbConnection, DbError, PoolOptions, backend_test, calls, db, reference, seed,
};

fn now() -> DateTime<Utc> {
    "2026-01-01T00:00:00Z".parse().unwrap()
}

fn migrated(test_db: &TestDatabase) -> Database {
    let database = Database::new(&test_db.url, &PoolOptions::default()).unwrap();
    database.migrate().unwrap();
    database
}

#[derive(QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct SchemaLine {
    #[diesel(sql_type = Text)]
    line: String,
}

/// A textual snapshot of the schema: tables, columns, indexes (not diesel's own bookkeeping table).
fn schema_snapshot(conn: &mut DbConnection) -> Vec<String> {
    let query = match conn {
        DbConnection::Postgresql(_) => {
            "SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable AS line \
             FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations' \
             UNION ALL SELECT 'index ' || indexname || ' ' || indexdef AS line FROM pg_indexes \
             WHERE schemaname = 'public' AND tablename <> '__diesel_schema_migrations'"
        }
        DbConnection::Sqlite(_) => {
            "SELECT type || ' ' || name || ' ' || coalesce(sql, '') AS line FROM sqlite_master \
             WHERE name NOT LIKE '__diesel%' AND name NOT LIKE 'sqlite_%'"
        }
    };
    let mut lines: Vec<String> = diesel::sql_query(query)
        .load::<SchemaLine>(conn)
        .unwrap()
        .into_iter()
        .map(|l| l.line)
        .collect();
    lines.sort();
    lines
}

backend_test! {
    fn each_down_migration_reverts_its_up_migration(test_db) {
        let database = Database::new(&test_db.url, &PoolOptions::default()).unwrap();
        let mut conn = database.conn().unwrap();
        let names = db::embedded_migration_names(&conn).unwrap();
        assert!(names.len() >= 2, "{names:?}");
        // Apply one migration at a time, remembering the schema before each.
        let mut before = Vec::new();
        for _ in &names {
            before.push(schema_snapshot(&mut conn));
            // Run just the next pending migration by running all and reverting back down to where we were.
            let applied = db::run_pending_migrations(&mut conn).unwrap();
            for _ in 1..applied.len() {
                db::revert_last_migration(&mut conn).unwrap();
            }
        }
        assert!(!schema_snapshot(&mut conn).is_empty());
        for expected in before.into_iter().rev() {
            db::revert_last_migration(&mut conn).unwrap();
            assert_eq!(schema_snapshot(&mut conn), expected);
        }
        assert!(schema_snapshot(&mut conn).is_empty());
        // And everything applies again after a full revert.
        assert_eq!(db::run_pending_migrations(&mut conn).unwrap().len(), names.len());
    }
}

backend_test! {
    fn seeding_fills_the_reference_tables_once(test_db) {
        let database = migrated(&test_db);
        let mut conn = database.conn().unwrap();
        let first = seed::seed(&mut conn, now()).unwrap();
        assert!(first.created_wsis_2025);
        assert!(first.reference_rows > 400, "{first:?}");
        let again = seed::seed(&mut conn, now()).unwrap();
        assert_eq!(again, seed::SeedReport { reference_rows: 0, created_wsis_2025: false });

        assert_eq!(reference::stakeholder_categories(&mut conn).unwrap().len(), 7);
        assert_eq!(reference::regions(&mut conn).unwrap().len(), 6);
        assert_eq!(reference::action_lines(&mut conn).unwrap().len(), 18);
        assert_eq!(reference::sdgs(&mut conn).unwrap().len(), 17);
        assert_eq!(reference::prize_categories(&mut conn).unwrap().len(), 18);
        assert_eq!(reference::track_kinds(&mut conn).unwrap().len(), 4);
        let countries = reference::countries(&mut conn, None).unwrap();
        assert_eq!(countries.len(), 250);
        assert_eq!(countries[0].code, "global", "global comes first");
        let europe = reference::countries(&mut conn, Some("europe")).unwrap();
        assert!(europe.iter().any(|c| c.code == "CH"));
        assert!(europe.iter().all(|c| c.region.as_deref() == Some("europe")));
        let chf = reference::currencies(&mut conn).unwrap().into_iter().find(|c| c.code == "CHF").unwrap();
        assert_eq!((chf.minor_units, chf.labels.fr.as_str()), (2, "franc suisse"));
        let c8 = reference::action_lines(&mut conn).unwrap().into_iter().find(|a| a.code == "C8").unwrap();
        assert_eq!(c8.facilitators, ["UNESCO"]);
    }
}

backend_test! {
    fn staff_edits_of_reference_rows_survive_reseeding(test_db) {
        let database = migrated(&test_db);
        let mut conn = database.conn().unwrap();
        seed::seed(&mut conn, now()).unwrap();
        conn.batch_execute("UPDATE action_lines SET facilitators = '[\"UNDP\"]' WHERE code = 'C4'").unwrap();
        seed::seed(&mut conn, now()).unwrap();
        let c4 = reference::action_lines(&mut conn).unwrap().into_iter().find(|a| a.code == "C4").unwrap();
        assert_eq!(c4.facilitators, ["UNDP"]);
    }
}

backend_test! {
    fn the_2025_call_is_stored_as_the_letter_gives_it(test_db) {
        let database = migrated(&test_db);
        let mut conn = database.conn().unwrap();
        seed::seed(&mut conn, now()).unwrap();
        let call = calls::find_call(&mut conn, "wsis-2025").unwrap();
        assert_eq!(call.year, 2025);
        assert_eq!(call.timezone, chrono_tz::Europe::Zurich);
        let kinds: Vec<TrackKind> = call.tracks.iter().map(|t| t.kind).collect();
        assert_eq!(kinds, [TrackKind::Ocp, TrackKind::Stocktaking, TrackKind::Prizes, TrackKind::TrustFund]);
        let closes: Vec<String> = call.tracks.iter().map(|t| t.schedule.closes_at_local().to_rfc3339()).collect();
        assert_eq!(
            closes,
            ["2025-03-14T23:59:59+01:00", "2025-02-10T23:59:59+01:00", "2025-02-10T23:59:59+01:00", "2025-07-11T23:59:59+02:00"]
        );
        assert_eq!(call.tracks[0].labels.ar, "عملية التشاور المفتوحة");
        let event = call.event.as_ref().unwrap();
        assert_eq!(event.co_organisers, ["ITU", "UNESCO", "UNDP", "UNCTAD"]);
        assert_eq!(event.city, "Geneva");
        assert_eq!(calls::list_calls(&mut conn).unwrap(), vec![call]);
        assert!(matches!(calls::find_call(&mut conn, "wsis-1999"), Err(DbError::NotFound)));
    }
}

backend_test! {
    fn constraint_violations_are_classified_by_name(test_db) {
        let database = migrated(&test_db);
        let mut conn = database.conn().unwrap();
        seed::seed(&mut conn, now()).unwrap();
        let call = CallDefinition::wsis_2025().unwrap();
        let err = calls::create_call(&mut conn, &call, now()).unwrap_err();
        assert!(err.is_unique_violation_of("calls_slug_key", "calls.slug"), "{err:?}");
        assert!(calls::list_calls(&mut conn).unwrap().len() == 1, "the failed create left nothing behind");
        let err = DbError::from(
            conn.batch_execute("INSERT INTO countries (code, region_code, labels) VALUES ('ZZ', 'atlantis', '{}')").unwrap_err(),
        );
        assert!(matches!(err, DbError::ForeignKeyViolation { .. }), "{err:?}");
    }
}

backend_test! {
    fn a_new_call_round_trips(test_db) {
        let database = migrated(&test_db);
        let mut conn = database.conn().unwrap();
        seed::seed(&mut conn, now()).unwrap();
        let mut next = CallDefinition::wsis_2025().unwrap();
        next.slug = "wsis-2026".into();
        next.year = 2026;
        next.event = None;
        next.tracks.truncate(2);
        next.tracks[1].grace_seconds = 600;
        let created = calls::create_call(&mut conn, &next, now()).unwrap();
        assert_eq!(created.tracks.len(), 2);
        assert_eq!(created.tracks[1].schedule.grace_seconds(), 600);
        assert_eq!(created.created_at, now());
        let listed: Vec<String> = calls::list_calls(&mut conn).unwrap().into_iter().map(|c| c.slug).collect();
        assert_eq!(listed, ["wsis-2026", "wsis-2025"]);
    }
}

#[test]
fn an_unreachable_database_is_unavailable_not_a_hang() {
    let options = PoolOptions {
        max_size: 1,
        connection_timeout: std::time::Duration::from_millis(300),
    };
    let database = Database::new(
        "postgres://postgres@127.0.0.1:1/none?connect_timeout=1",
        &options,
    )
    .unwrap();
    assert!(matches!(database.ping(), Err(DbError::Unavailable(_))));
}

backend_test! {
    fn nested_transactions_are_savepoints_except_inside_a_bulk_transaction(test_db) {
        let database = migrated(&test_db);
        let mut conn = database.conn().unwrap();
        conn.batch_execute("CREATE TABLE marks (name TEXT NOT NULL)").unwrap();
        let mark = |conn: &mut DbConnection, name: &str| {
            diesel::sql_query("INSERT INTO marks (name) VALUES ('".to_owned() + name + "')").execute(conn).unwrap();
        };
        let marks = |conn: &mut DbConnection| -> Vec<String> {
            let mut names: Vec<String> = diesel::sql_query("SELECT name AS line FROM marks")
                .load::<SchemaLine>(conn).unwrap().into_iter().map(|l| l.line).collect();
            names.sort();
            names
        };
        // A nested step that fails is undone on its own; the outer transaction goes on and commits.
        db::transaction(&mut conn, |conn| {
            mark(conn, "outer");
            let failed: Result<(), DbError> = db::transaction(conn, |conn| {
                mark(conn, "inner");
                Err(DbError::Corrupt("the inner step fails".into()))
            });
            assert!(failed.is_err());
            Ok(())
        })
        .unwrap();
        assert_eq!(marks(&mut conn), ["outer"]);
        // In a bulk transaction the nested steps are part of the one transaction: an error undoes all of it.
        let failed: Result<(), DbError> = db::bulk_transaction(&mut conn, |conn| {
            db::transaction(conn, |conn| {
                mark(conn, "bulk one");
                Ok(())
            })?;
            db::transaction(conn, |conn| {
                mark(conn, "bulk two");
                Err(DbError::Corrupt("the second step fails".into()))
            })
        });
        assert!(failed.is_err());
        assert_eq!(marks(&mut conn), ["outer"], "nothing of the failed bulk transaction stays");
        db::bulk_transaction(&mut conn, |conn| db::transaction(conn, |conn| {
            mark(conn, "bulk");
            Ok(())
        }))
        .unwrap();
        assert_eq!(marks(&mut conn), ["bulk", "outer"]);
        // Outside it, nested transactions are savepoints again.
        db::transaction(&mut conn, |conn| {
            let failed: Result<(), DbError> = db::transaction(conn, |conn| {
                mark(conn, "undone");
                Err(DbError::Corrupt("fails".into()))
            });
            assert!(failed.is_err());
            Ok(())
        })
        .unwrap();
        assert_eq!(marks(&mut conn), ["bulk", "outer"]);
    }
}

#[test]
fn a_new_sqlite_database_is_readable_by_its_owner_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = data.join("wsis.sqlite3");
    let database = Database::new(
        &format!("sqlite://{}", file.display()),
        &PoolOptions::default(),
    )
    .unwrap();
    database.migrate().unwrap();
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700, "the data directory");
    for name in ["wsis.sqlite3", "wsis.sqlite3-wal", "wsis.sqlite3-shm"] {
        let path = data.join(name);
        if path.exists() {
            assert_eq!(mode(&path), 0o600, "{name}");
        }
    }
    assert!(
        data.join("wsis.sqlite3-wal").exists(),
        "WAL mode: the -wal file is checked too"
    );
}

backend_test! {
    fn hourly_counters_count_each_hour_apart_and_past_hours_are_forgotten(test_db) {
        use wsis_persistence::users::{bump_hourly, forget_hourly_before};
        let database = migrated(&test_db);
        let mut conn = database.conn().unwrap();
        let hour = now();
        let next = hour + chrono::Duration::hours(1);
        assert_eq!(bump_hourly(&mut conn, "vote-from:a", hour).unwrap(), 1);
        assert_eq!(bump_hourly(&mut conn, "vote-from:a", hour).unwrap(), 2);
        assert_eq!(bump_hourly(&mut conn, "vote-from:b", hour).unwrap(), 1, "another key");
        assert_eq!(bump_hourly(&mut conn, "vote-from:a", next).unwrap(), 1, "another hour");
        assert_eq!(forget_hourly_before(&mut conn, next).unwrap(), 2);
        assert_eq!(bump_hourly(&mut conn, "vote-from:a", next).unwrap(), 2, "the current hour is kept");
    }
}
