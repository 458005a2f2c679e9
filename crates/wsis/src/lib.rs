//! The WSIS Contributions API server: configuration, telemetry and start-up, shared by the `wsis` binary and the
//! end-to-end tests (which start the very same server in-process).

pub mod config;
pub mod demo;
pub mod demo_voting;
pub mod identity;
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
    prepare(&database, clock)?;
    Ok(database)
}

/// Applies pending migrations and seeds reference data and the 2025 call (idempotent).
pub fn prepare(database: &Database, clock: &dyn Clock) -> Result<(), DbError> {
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
    Ok(())
}

/// Creates a staff account (verified: an operator vouches for it). The password must pass the usual rules.
pub fn create_staff(
    database: &Database,
    email: &str,
    name: &str,
    language: &str,
    password: &str,
    clock: &dyn Clock,
) -> Result<String, String> {
    let email: wsis_domain::Email = email
        .parse()
        .map_err(|e: wsis_domain::ParseError| e.to_string())?;
    let language: wsis_domain::Language = language
        .parse()
        .map_err(|e: wsis_domain::ParseError| e.to_string())?;
    let problems = wsis_domain::account::check_password(password, Some(&email));
    if !problems.is_empty() {
        let reasons: Vec<String> = problems.iter().map(|p| p.said().english()).collect();
        return Err(format!(
            "the password is not acceptable: {}",
            reasons.join("; ")
        ));
    }
    let name = name.trim();
    if name.is_empty() {
        return Err("the display name is empty".into());
    }
    let hash = wsis_app::passwords::hash(password)?;
    let now = clock.now();
    database
        .with(|conn| {
            wsis_persistence::db::transaction(conn, |conn| {
                let user = wsis_persistence::users::create_user(
                    conn,
                    &wsis_persistence::users::NewUser {
                        email: email.as_str(),
                        email_normalized: email.normalized(),
                        password_hash: &hash,
                        display_name: name,
                        language: language.code(),
                    },
                    now,
                )?;
                wsis_persistence::users::mark_verified(conn, &user.id, now)?;
                wsis_persistence::users::grant_role(
                    conn,
                    &user.id,
                    wsis_domain::UserRole::Staff,
                    now,
                )?;
                Ok(user.id)
            })
        })
        .map_err(|e| {
            if wsis_persistence::users::is_email_taken(&e) {
                format!("an account for {email} exists already")
            } else {
                e.to_string()
            }
        })
}

/// Starts the background work of an instance once its database is ready: the outbox's mail, the change feed's
/// watcher (it numbers events on PostgreSQL and wakes long polls), the webhook deliveries.
pub fn spawn_workers(state: AppState) {
    identity::spawn_outbox_worker(state.clone(), std::time::Duration::from_secs(30));
    wsis_http::changes::spawn_watcher(state.clone());
    wsis_http::webhooks::spawn_worker(state);
}

/// Starts serving on `listener`.
pub fn start(
    listener: TcpListener,
    state: AppState,
    http: HttpSettings,
) -> std::io::Result<Server> {
    wsis_http::run(listener, state, http)
}
