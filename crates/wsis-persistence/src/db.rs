//! Connections: one [`DbConnection`] type over PostgreSQL and SQLite, pooled, chosen by the URL at run time, and
//! the embedded migrations of each backend.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{self, ManageConnection, Pool, PooledConnection, R2D2Connection};
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, MultiConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::DbError;

const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");
const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");

/// A connection to either backend. Queries written once against it run on both.
#[derive(MultiConnection)]
pub enum DbConnection {
    /// PostgreSQL through libpq.
    Postgresql(PgConnection),
    /// Bundled SQLite.
    Sqlite(SqliteConnection),
}

impl fmt::Debug for DbConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Postgresql(_) => "DbConnection::Postgresql",
            Self::Sqlite(_) => "DbConnection::Sqlite",
        })
    }
}

/// Which database a URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// `postgres://…` or `postgresql://…`.
    Postgres {
        /// The libpq connection URL.
        url: String,
    },
    /// `sqlite://PATH`, `sqlite:PATH` or `file:PATH`.
    Sqlite {
        /// The database file.
        path: PathBuf,
    },
}

impl Backend {
    /// Reads a `DATABASE_URL`. Anything that is not a PostgreSQL or SQLite URL is refused, and so is an
    /// in-memory SQLite database (each pooled connection would get its own).
    pub fn from_url(url: &str) -> Result<Self, DbError> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres {
                url: url.to_owned(),
            });
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .or_else(|| url.strip_prefix("file:"))
            .ok_or_else(|| {
                DbError::Config(
                    "DATABASE_URL must start with postgres://, postgresql:// or sqlite://".into(),
                )
            })?;
        let path = path.split('?').next().unwrap_or_default();
        if path.is_empty() || path == ":memory:" {
            return Err(DbError::Config(
                "an SQLite DATABASE_URL must name a file, not memory".into(),
            ));
        }
        Ok(Self::Sqlite {
            path: PathBuf::from(path),
        })
    }

    /// A short name for logs: `postgres` or `sqlite`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Postgres { .. } => "postgres",
            Self::Sqlite { .. } => "sqlite",
        }
    }

    /// Opens one connection, configured.
    pub fn connect(&self) -> Result<DbConnection, diesel::ConnectionError> {
        match self {
            Self::Postgres { url } => {
                let mut conn = PgConnection::establish(&with_pg_defaults(url))?;
                // No statement runs longer than the API waits for it (requests give up after 10 s): a query stuck
                // behind a lock is cancelled by the server instead of holding a connection for ever.
                conn.batch_execute("SET statement_timeout = '15s'; SET lock_timeout = '10s'")
                    .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConnection::Postgresql(conn))
            }
            Self::Sqlite { path } => {
                create_private_file(path).map_err(|e| {
                    diesel::ConnectionError::BadConnection(format!("{}: {e}", path.display()))
                })?;
                let mut conn = SqliteConnection::establish(&path.to_string_lossy())?;
                // busy_timeout first: switching a fresh file to WAL can otherwise fail with "database is locked".
                // An 8 MiB page cache per connection (at most 8 connections: 64 MiB) keeps the indexes the listings
                // walk in memory; SQLite's default of 2 MiB made each search re-read pages through system calls.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA foreign_keys = ON; PRAGMA cache_size = -8192;",
                )
                .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

/// Creates the SQLite file before SQLite does, readable by the owner alone (0600), in a directory of the owner alone
/// (0700) when that has to be made too: it holds every account and contribution. SQLite gives its `-wal` and `-shm`
/// files the database file's mode. An existing file keeps its mode.
fn create_private_file(path: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    if path.exists() {
        return Ok(());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// The r2d2 manager: opens connections for the backend chosen from the URL (the derived `establish` would try
/// each backend in turn and hide the real error).
#[derive(Debug, Clone)]
pub struct Manager {
    backend: Backend,
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        self.backend.connect().map_err(r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.ping().map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        std::thread::panicking() || conn.is_broken() || LOST.with(|lost| lost.replace(false))
    }
}

thread_local! {
    /// Set by [`Database::with`] when the work it ran found its connection gone; read (and cleared) by
    /// `has_broken` when that connection goes back to the pool, on the same thread, right after: so a dead
    /// connection is dropped instead of being handed to the next request.
    static LOST: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// How long after a lost connection every connection is checked before it is handed out: when PostgreSQL restarts
/// or its backends are terminated, every pooled connection is dead at once, and each would otherwise fail one
/// request before being dropped.
const SUSPECT_FOR: Duration = Duration::from_secs(30);

/// libpq settings that turn a dead or silent server into an error within seconds instead of a hang: a bounded
/// connect (which includes the start-up handshake, so a server that accepts and never answers is given up on),
/// TCP keepalives and an unacknowledged-data limit for connections that die while idle or mid-query. Any the URL
/// sets itself are kept.
const PG_DEFAULTS: [(&str, &str); 6] = [
    ("connect_timeout", "5"),
    ("keepalives", "1"),
    ("keepalives_idle", "30"),
    ("keepalives_interval", "10"),
    ("keepalives_count", "3"),
    ("tcp_user_timeout", "15000"),
];

/// The URL with [`PG_DEFAULTS`] added where it does not set them.
pub fn with_pg_defaults(url: &str) -> String {
    let mut out = url.to_owned();
    for (name, value) in PG_DEFAULTS {
        let query = out.split_once('?').map(|(_, q)| q).unwrap_or_default();
        let present = query
            .split('&')
            .any(|pair| pair.split('=').next() == Some(name));
        if !present {
            out.push(if out.contains('?') { '&' } else { '?' });
            out.push_str(&format!("{name}={value}"));
        }
    }
    out
}

/// Pool settings.
#[derive(Debug, Clone)]
pub struct PoolOptions {
    /// Most connections open at once.
    pub max_size: u32,
    /// How long a caller waits for a connection before getting [`DbError::Unavailable`].
    pub connection_timeout: Duration,
}

impl Default for PoolOptions {
    fn default() -> Self {
        Self {
            max_size: 16,
            connection_timeout: Duration::from_secs(5),
        }
    }
}

/// A pool of connections to one database. Cheap to clone.
#[derive(Clone)]
pub struct Database {
    pool: Pool<Manager>,
    backend: Backend,
    /// Until when connections are checked on checkout (after a lost connection).
    suspect_until: std::sync::Arc<std::sync::Mutex<Option<std::time::Instant>>>,
}

impl fmt::Debug for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Database")
            .field("backend", &self.backend.name())
            .finish_non_exhaustive()
    }
}

/// A connection borrowed from the pool.
pub type PooledDbConnection = PooledConnection<Manager>;

impl Database {
    /// Builds the pool without connecting: the first use connects, so start-up never hangs on a database that is
    /// down (readiness reports it instead).
    pub fn new(url: &str, options: &PoolOptions) -> Result<Self, DbError> {
        let backend = Backend::from_url(url)?;
        if let Backend::Sqlite { path } = &backend
            && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        {
            use std::os::unix::fs::DirBuilderExt;
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(|e| DbError::Config(format!("cannot create {}: {e}", dir.display())))?;
        }
        let max_size = match backend {
            // One writer at a time in SQLite; a few readers in WAL mode are plenty.
            Backend::Sqlite { .. } => options.max_size.clamp(1, 8),
            Backend::Postgres { .. } => options.max_size.max(1),
        };
        let pool = Pool::builder()
            .max_size(max_size)
            .min_idle(Some(0))
            .connection_timeout(options.connection_timeout)
            .test_on_check_out(false)
            .build_unchecked(Manager {
                backend: backend.clone(),
            });
        Ok(Self {
            pool,
            backend,
            suspect_until: std::sync::Arc::default(),
        })
    }

    /// The most connections the pool opens.
    pub fn max_size(&self) -> u32 {
        self.pool.max_size()
    }

    /// Which backend this is.
    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// Borrows a connection; [`DbError::Unavailable`] when none comes within the timeout. Shortly after a lost
    /// connection, each is pinged first and a dead one dropped, so one restart of the server costs one failed
    /// request, not one per pooled connection.
    pub fn conn(&self) -> Result<PooledDbConnection, DbError> {
        let suspect = self
            .suspect_until
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .is_some_and(|until| std::time::Instant::now() < until);
        if !suspect {
            return Ok(self.pool.get()?);
        }
        for _ in 0..=self.pool.max_size() {
            let mut conn = self.pool.get()?;
            if ping(&mut conn).is_ok() {
                return Ok(conn);
            }
            LOST.with(|lost| lost.set(true));
            drop(conn);
        }
        Err(DbError::Unavailable(
            "every pooled connection was lost".into(),
        ))
    }

    /// Runs `f` on a pooled connection. When `f` finds the connection gone, the connection is dropped rather than
    /// returned to the pool, and the pool checks connections for a while (see [`Database::conn`]).
    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        let mut conn = self.conn()?;
        let outcome = f(&mut conn);
        // A fault to retry (503) may be a lost connection or a busy database; only a connection that no longer
        // answers is dropped.
        if matches!(&outcome, Err(DbError::Unavailable(_))) && ping(&mut conn).is_err() {
            LOST.with(|lost| lost.set(true));
            *self
                .suspect_until
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) =
                Some(std::time::Instant::now() + SUSPECT_FOR);
        }
        drop(conn);
        LOST.with(|lost| lost.set(false));
        outcome
    }

    /// A round trip to the database (readiness).
    pub fn ping(&self) -> Result<(), DbError> {
        self.with(ping)
    }

    /// Refreshes the query planner's statistics after a bulk load such as the demo seed (PostgreSQL: and vacuums).
    pub fn analyze(&self) -> Result<(), DbError> {
        self.with(|conn| {
            // On PostgreSQL also VACUUM: a bulk load through the real code paths leaves each row's earlier versions
            // (a project is created, submitted, then accepted), which every index scan would visit until autovacuum
            // runs; VACUUM clears them and sets the visibility map that index-only scans need.
            let sql = match conn {
                DbConnection::Sqlite(_) => "ANALYZE",
                DbConnection::Postgresql(_) => "VACUUM ANALYZE",
            };
            conn.batch_execute(sql).map_err(DbError::from)
        })
    }

    /// Applies every pending migration; returns the versions applied.
    pub fn migrate(&self) -> Result<Vec<String>, DbError> {
        self.with(run_pending_migrations)
    }
}

/// Runs `work` in a transaction: committed when it returns `Ok`, rolled back otherwise (inside another one: a
/// savepoint). Every transaction of this crate goes through here.
///
/// On SQLite the outermost transaction is `BEGIN IMMEDIATE`: it takes the write lock at once, waiting for it under
/// `busy_timeout`. A deferred `BEGIN` takes it at the first write, and if the transaction has read anything by
/// then (including FTS5 reading its own tables when a trigger's full-text index is first used on the connection),
/// SQLite cannot wait and answers "database is locked" as soon as another connection writes: seen as a lost
/// submit among eight concurrent ones once a trigger on `status` wrote to `repository_fts`.
pub fn transaction<T>(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection) -> Result<T, DbError>,
) -> Result<T, DbError> {
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    if FLAT.with(std::cell::Cell::get)
        && matches!(
            <DbConnection as Connection>::TransactionManager::transaction_manager_status_mut(conn)
                .transaction_depth(),
            Ok(Some(_))
        )
    {
        // Inside `bulk_transaction`: part of the one transaction, no savepoint.
        return work(conn);
    }
    if let DbConnection::Sqlite(sqlite) = conn {
        match AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE") {
            Ok(()) => {
                let result = work(conn);
                let DbConnection::Sqlite(sqlite) = conn else {
                    return Err(DbError::Corrupt("the connection changed backend".into()));
                };
                return match result {
                    Ok(value) => {
                        AnsiTransactionManager::commit_transaction(sqlite)?;
                        Ok(value)
                    }
                    Err(error) => {
                        AnsiTransactionManager::rollback_transaction(sqlite)?;
                        Err(error)
                    }
                };
            }
            // Nested: a savepoint of the transaction already open, below.
            Err(diesel::result::Error::AlreadyInTransaction) => {}
            Err(error) => return Err(error.into()),
        }
    }
    conn.transaction(work)
}

/// Takes a lock on `key` until the current transaction ends, so that checks and writes made under the same key by
/// concurrent transactions, on every instance, run one after the other (PostgreSQL: an advisory transaction lock;
/// SQLite: nothing to do, its transactions here already take the database's write lock at `BEGIN IMMEDIATE`).
pub fn lock(conn: &mut DbConnection, key: &str) -> Result<(), DbError> {
    use diesel::RunQueryDsl as _;
    if let DbConnection::Postgresql(c) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 7261))")
            .bind::<diesel::sql_types::Text, _>(key)
            .execute(c)?;
    }
    Ok(())
}

/// A round trip on one connection.
pub fn ping(conn: &mut DbConnection) -> Result<(), DbError> {
    conn.ping().map_err(DbError::from)
}

fn migrations_of(conn: &DbConnection) -> EmbeddedMigrations {
    match conn {
        DbConnection::Postgresql(_) => POSTGRES_MIGRATIONS,
        DbConnection::Sqlite(_) => SQLITE_MIGRATIONS,
    }
}

/// Applies every pending migration of the connection's backend.
pub fn run_pending_migrations(conn: &mut DbConnection) -> Result<Vec<String>, DbError> {
    let migrations = migrations_of(conn);
    let applied = conn
        .run_pending_migrations(migrations)
        .map_err(|e| DbError::Migration(e.to_string()))?;
    Ok(applied.into_iter().map(|v| v.to_string()).collect())
}

thread_local! {
    /// Set while this thread runs a `bulk_transaction`.
    static FLAT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `work` as one transaction in which the nested `transaction`s of the functions it calls open no savepoints
/// (`wsis seed-demo`: a batch of projects, each created, submitted and accepted through the same functions as the
/// API's). A savepoint costs two statements, a journal of every page it changes, and on SQLite a flush of each
/// full-text index written in it (FTS5 writes its pending terms out as a new segment at every release), which was
/// a fifth of a seed's time. The price: a nested step that fails is not undone on its own, so `work` must let any
/// error end the whole transaction (rolled back), never catch one and go on.
pub fn bulk_transaction<T>(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection) -> Result<T, DbError>,
) -> Result<T, DbError> {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            FLAT.with(|flat| flat.set(self.0));
        }
    }
    let _restore = Restore(FLAT.with(|flat| flat.replace(true)));
    transaction(conn, work)
}

/// Settings for a connection that loads many rows (`wsis seed-demo`). On SQLite: checkpoint the write-ahead log
/// every 64 MiB instead of every 4 MiB, so pages that every batch touches (index roots, the full-text index's
/// structure) are copied into the database file once per checkpoint rather than once per batch; and keep temporary
/// files in memory: each project's steps (create, submit, accept) are savepoints inside the batch's transaction, and
/// the journal of every page a savepoint changes went to a temporary file (`subjournalPageIfRequired` and `pwrite`,
/// 12% of a seed's time in perf). Nothing to do on PostgreSQL.
pub fn prepare_bulk_load(conn: &mut DbConnection) -> Result<(), DbError> {
    if let DbConnection::Sqlite(sqlite) = conn {
        sqlite.batch_execute("PRAGMA wal_autocheckpoint = 16384; PRAGMA temp_store = MEMORY")?;
    }
    Ok(())
}

/// Reverts the last applied migration; returns its version.
pub fn revert_last_migration(conn: &mut DbConnection) -> Result<String, DbError> {
    let migrations = migrations_of(conn);
    conn.revert_last_migration(migrations)
        .map(|v| v.to_string())
        .map_err(|e| DbError::Migration(e.to_string()))
}

/// Versions of the embedded migrations of the connection's backend, oldest first.
pub fn embedded_migration_names(conn: &DbConnection) -> Result<Vec<String>, DbError> {
    use diesel::migration::MigrationSource;
    let source = migrations_of(conn);
    let migrations = MigrationSource::<diesel::pg::Pg>::migrations(&source)
        .map_err(|e| DbError::Migration(e.to_string()))?;
    Ok(migrations.iter().map(|m| m.name().to_string()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_urls_get_timeouts_and_keepalives_unless_they_set_them() {
        let url = with_pg_defaults("postgres://u@h/db");
        assert_eq!(
            url,
            "postgres://u@h/db?connect_timeout=5&keepalives=1&keepalives_idle=30&keepalives_interval=10&keepalives_count=3&tcp_user_timeout=15000"
        );
        let own = with_pg_defaults("postgres://u@h/db?sslmode=require&connect_timeout=2");
        assert!(
            own.starts_with("postgres://u@h/db?sslmode=require&connect_timeout=2&keepalives=1"),
            "{own}"
        );
        assert_eq!(
            own.matches("connect_timeout").count(),
            1,
            "the URL's own value is kept: {own}"
        );
    }

    #[test]
    fn a_server_that_accepts_and_never_answers_is_given_up_on() {
        // A listener that takes the connection and says nothing: libpq's connect_timeout ends the wait.
        let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = silent.local_addr().unwrap().port();
        let backend = Backend::from_url(&format!(
            "postgres://u@127.0.0.1:{port}/db?connect_timeout=1"
        ))
        .unwrap();
        let started = std::time::Instant::now();
        assert!(backend.connect().is_err());
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
        drop(silent);
    }

    #[test]
    fn backends_are_chosen_by_url_scheme() {
        assert!(matches!(
            Backend::from_url("postgres://u@h/db"),
            Ok(Backend::Postgres { .. })
        ));
        assert!(matches!(
            Backend::from_url("postgresql://u@h/db"),
            Ok(Backend::Postgres { .. })
        ));
        assert_eq!(
            Backend::from_url("sqlite://data/wsis.sqlite3").ok(),
            Some(Backend::Sqlite {
                path: "data/wsis.sqlite3".into()
            })
        );
        assert_eq!(
            Backend::from_url("sqlite:///tmp/x.db").ok(),
            Some(Backend::Sqlite {
                path: "/tmp/x.db".into()
            })
        );
        assert!(matches!(
            Backend::from_url("sqlite::memory:"),
            Err(DbError::Config(_))
        ));
        assert!(matches!(
            Backend::from_url("mysql://x"),
            Err(DbError::Config(_))
        ));
    }
}
