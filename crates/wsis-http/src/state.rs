//! What every handler shares: the database pool and the clock.

use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use wsis_domain::Clock;
use wsis_persistence::{Database, DbConnection, DbError};

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
}

impl AppState {
    /// Runs blocking database work on the blocking thread pool; 503 when it takes longer than `timeout` (the work
    /// itself finishes in the background, as a blocking call cannot be interrupted).
    pub async fn db<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut DbConnection) -> Result<T, DbError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let db = self.db.clone();
        match actix_web::rt::time::timeout(self.timeout, web::block(move || db.with(work))).await {
            Ok(result) => Ok(result??),
            Err(_) => Err(ApiError::unavailable(format!(
                "database work took longer than {:?}",
                self.timeout
            ))),
        }
    }
}
