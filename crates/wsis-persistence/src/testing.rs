//! Isolated databases for tests (feature `testing`): a fresh SQLite file in a temporary directory, or a fresh
//! PostgreSQL database created through `WSIS_TEST_POSTGRES_URL` and dropped afterwards. No test shares state.

use std::fmt;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};

/// The backend a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestBackend {
    /// A fresh SQLite file.
    Sqlite,
    /// A fresh PostgreSQL database.
    Postgres,
}

/// The environment variable naming the PostgreSQL server tests may create databases on.
pub const POSTGRES_URL_VAR: &str = "WSIS_TEST_POSTGRES_URL";

/// A database that exists for one test and is removed when dropped.
pub struct TestDatabase {
    /// Its `DATABASE_URL`.
    pub url: String,
    backend: TestBackend,
    _dir: Option<tempfile::TempDir>,
    postgres: Option<(String, String)>,
}

impl fmt::Debug for TestDatabase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestDatabase")
            .field("backend", &self.backend)
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl TestDatabase {
    /// Creates an empty database on `backend` (no migrations applied).
    pub fn new(backend: TestBackend) -> Result<Self, String> {
        match backend {
            TestBackend::Sqlite => {
                let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
                let url = format!("sqlite://{}", dir.path().join("wsis.sqlite3").display());
                Ok(Self {
                    url,
                    backend,
                    _dir: Some(dir),
                    postgres: None,
                })
            }
            TestBackend::Postgres => {
                let admin = std::env::var(POSTGRES_URL_VAR)
                    .map_err(|_| format!("{POSTGRES_URL_VAR} is not set"))?;
                let name = format!("wsis_test_{}", uuid::Uuid::new_v4().simple());
                let mut conn =
                    PgConnection::establish(&admin).map_err(|e| format!("{admin}: {e}"))?;
                conn.batch_execute(&format!("CREATE DATABASE {name}"))
                    .map_err(|e| e.to_string())?;
                let url = replace_database(&admin, &name)?;
                Ok(Self {
                    url,
                    backend,
                    _dir: None,
                    postgres: Some((admin, name)),
                })
            }
        }
    }

    /// Which backend.
    pub fn backend(&self) -> TestBackend {
        self.backend
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.postgres
            && let Ok(mut conn) = PgConnection::establish(admin)
        {
            let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

/// `postgres://u@h:5432/test?x=y` with `test` replaced by `name`.
fn replace_database(url: &str, name: &str) -> Result<String, String> {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").ok_or("not a URL")? + 3;
    let path_start = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    Ok(out)
}

/// Declares a test that runs once per backend: `mod NAME { fn sqlite(); fn postgres(); }`. The PostgreSQL variant
/// is ignored, with the reason shown, unless the crate was built with `WSIS_TEST_POSTGRES_URL` set (cfg
/// `pg_tests`, set by the crate's build script).
#[macro_export]
macro_rules! backend_test {
    ($(#[$meta:meta])* fn $name:ident($db:ident) $body:block) => {
        mod $name {
            use super::*;

            fn run($db: $crate::testing::TestDatabase) $body

            #[test]
            $(#[$meta])*
            fn sqlite() {
                run($crate::testing::TestDatabase::new($crate::testing::TestBackend::Sqlite).expect("SQLite test database"));
            }

            #[test]
            #[cfg_attr(not(pg_tests), ignore = "PostgreSQL skipped: set WSIS_TEST_POSTGRES_URL to run it")]
            $(#[$meta])*
            fn postgres() {
                run($crate::testing::TestDatabase::new($crate::testing::TestBackend::Postgres).expect("PostgreSQL test database"));
            }
        }
    };
}

/// Ends every other session on the PostgreSQL database at `url`, as `pg_terminate_backend` does when an operator
/// or a failover kills them (fault tests); returns how many were ended.
pub fn terminate_other_sessions(url: &str) -> Result<usize, crate::DbError> {
    let mut conn =
        PgConnection::establish(url).map_err(|e| crate::DbError::Unavailable(e.to_string()))?;
    #[derive(diesel::QueryableByName)]
    struct Ended {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        #[expect(dead_code, reason = "only counted")]
        ended: bool,
    }
    let rows: Vec<Ended> = diesel::RunQueryDsl::load(
        diesel::sql_query(
            "SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
        ),
        &mut conn,
    )?;
    Ok(rows.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_are_replaced_in_urls() {
        assert_eq!(
            replace_database("postgres://postgres@127.0.0.1:5432/test", "x").unwrap(),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            replace_database("postgres://h/test?sslmode=disable", "x").unwrap(),
            "postgres://h/x?sslmode=disable"
        );
        assert_eq!(
            replace_database("postgres://h", "x").unwrap(),
            "postgres://h/x"
        );
    }
}
