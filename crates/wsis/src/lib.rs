//! The WSIS Contributions API server: configuration, telemetry and start-up, shared by the `wsis` binary and the
//! end-to-end tests (which start the very same server in-process).

pub mod config;
pub mod telemetry;

use std::net::TcpListener;

use actix_web::dev::Server;
use wsis_domain::Clock;
use wsis_http::{AppState, HttpSettings};
use wsis_persistence::{Database, DbError, PoolOptions, seed};

/// Opens the pool, applies pending migrations and seeds reference data and the 2025 call (idempotent).
pub fn prepare_database(
    url: &str,
    pool: &PoolOptions,
    clock: &dyn Clock,
) -> Result<Database, DbError> {
    let database = Database::new(url, pool)?;
    let applied = database.migrate()?;
    for version in &applied {
        tracing::info!(migration = %version, "migration applied");
    }
    let report = database.with(|conn| seed::seed(conn, clock.now()))?;
    if report.reference_rows > 0 || report.created_wsis_2025 {
        tracing::info!(
            reference_rows = report.reference_rows,
            wsis_2025 = report.created_wsis_2025,
            "database seeded"
        );
    }
    Ok(database)
}

/// Starts serving on `listener`.
pub fn start(
    listener: TcpListener,
    state: AppState,
    http: HttpSettings,
) -> std::io::Result<Server> {
    wsis_http::run(listener, state, http)
}
