//! What every handler shares: the database pool and the clock.

use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use wsis_domain::Clock;
use wsis_persistence::{Database, DbConnection, DbError};

use crate::auth::TokenIssuer;
use crate::mail::Mailer;
use crate::problem::ApiError;

/// Application state (cheap to clone).
#[derive(Debug, Clone)]
pub struct AppState {
    /// The connection pool.
    pub db: Database,
    /// Where "now" comes from: the system clock in production, a fixed clock in tests.
    pub clock: Arc<dyn Clock>,
    /// Longest a request may wait on the database before it is answered 503.
    pub timeout: Duration,
    /// Tokens, mail and sign-in settings.
    pub identity: Arc<Identity>,
    /// Rendered public repository pages of this process (valid per repository version).
    pub pages: Arc<crate::responses::pages::Pages>,
    /// As many permits as the pool has connections: requests wait for database work here, asynchronously, rather
    /// than each holding a blocking thread while it waits for a connection (which multiplied threads and their
    /// allocator arenas under load).
    pub gate: Arc<tokio::sync::Semaphore>,
    /// Whether the database is migrated and seeded: until then every route but `/health/live` answers 503 with
    /// `Retry-After` (the server starts listening before the database can be reached, and keeps trying).
    pub ready: Arc<std::sync::atomic::AtomicBool>,
    /// Rung when mail was queued that no request delivers itself (receipts): the outbox worker wakes and delivers,
    /// off the request path, in one batch for however many were queued meanwhile.
    pub mail_queued: Arc<tokio::sync::Notify>,
    /// The change feed's end as this instance last saw it, and the bell long polls wait on.
    pub feed: Arc<crate::changes::Feed>,
    /// Webhook delivery settings.
    pub webhooks: Arc<crate::changes::WebhookSettings>,
}

/// Identity settings and services.
#[derive(Debug)]
pub struct Identity {
    /// Access token signing and verification.
    pub tokens: TokenIssuer,
    /// Where password hashes and verifications run, bounded (503 when full).
    pub hashing: crate::auth::passwords::HashGate,
    /// Outbox delivery.
    pub mailer: Mailer,
    /// Base URL of the frontend, for links in mail (`<url>/verify-email?token=…`).
    pub frontend_url: String,
    /// Failed sign-ins allowed per account within `throttle_window` before 429.
    pub max_account_failures: i64,
    /// Failed sign-ins allowed per client address within `throttle_window` before 429.
    pub max_address_failures: i64,
    /// Registrations one client address makes at most per hour.
    pub max_signups_per_address: i64,
    /// The window failed sign-ins are counted over.
    pub throttle_window: chrono::Duration,
    /// How long a session (and its refresh tokens) lasts.
    pub session_lifetime: chrono::Duration,
    /// The proxies (addresses or networks) whose `X-Forwarded-For`/`Forwarded` are believed: behind them the
    /// client is the rightmost address that is not one of them. Empty: the peer address, headers ignored.
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

impl AppState {
    /// The gate for a pool: one permit per connection.
    pub fn gate_for(db: &Database) -> Arc<tokio::sync::Semaphore> {
        Arc::new(tokio::sync::Semaphore::new(
            usize::try_from(db.max_size()).unwrap_or(1).max(1),
        ))
    }

    /// Runs a use case (`wsis_app`) on a pooled connection, off the async threads, under the same gate and time
    /// limit as [`AppState::db`]; its refusal becomes the problem HTTP answers.
    pub async fn run<T: Send + 'static>(
        &self,
        use_case: impl FnOnce(&mut DbConnection) -> Result<T, wsis_app::Refusal> + Send + 'static,
    ) -> Result<T, ApiError> {
        self.attempt(use_case).await?.map_err(ApiError::from)
    }

    /// Like [`AppState::run`], but hands back the use case's refusal for the handler to answer (a database error is
    /// still a problem at once).
    pub async fn attempt<T: Send + 'static>(
        &self,
        use_case: impl FnOnce(&mut DbConnection) -> Result<T, wsis_app::Refusal> + Send + 'static,
    ) -> Result<Result<T, wsis_app::Refusal>, ApiError> {
        // A database error goes back through `db`, which notices a lost connection.
        self.db(move |conn| match use_case(conn) {
            Err(wsis_app::Refusal::Db(error)) => Err(error),
            outcome => Ok(outcome),
        })
        .await
    }

    /// Runs blocking database work on the blocking thread pool; 503 when it takes longer than `timeout` (the work
    /// itself finishes in the background, as a blocking call cannot be interrupted).
    pub async fn db<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut DbConnection) -> Result<T, DbError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let db = self.db.clone();
        let gate = self.gate.clone();
        let run = async move {
            let permit = gate
                .acquire_owned()
                .await
                .map_err(|_| ApiError::unavailable("the database gate is closed"))?;
            // The permit goes with the work: it is returned when the work ends, even after a timeout here.
            let done = web::block(move || {
                let _permit = permit;
                db.with(work)
            })
            .await?;
            Ok::<_, ApiError>(done?)
        };
        match actix_web::rt::time::timeout(self.timeout, run).await {
            Ok(result) => result,
            Err(_) => Err(ApiError::unavailable(format!(
                "database work took longer than {:?}",
                self.timeout
            ))),
        }
    }
}
