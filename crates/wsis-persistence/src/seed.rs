//! What a new database gets: the reference data and the WSIS 2025 call.

use chrono::{DateTime, Utc};
use wsis_domain::CallDefinition;

use crate::calls;
use crate::db::DbConnection;
use crate::error::DbError;
use crate::reference;

/// What seeding added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SeedReport {
    /// Reference rows inserted.
    pub reference_rows: usize,
    /// Whether the WSIS 2025 call was created.
    pub created_wsis_2025: bool,
}

/// Inserts missing reference rows and, when absent, the WSIS 2025 call; idempotent and safe to run from several
/// instances at once (a concurrent creator of the call wins, the other sees it there).
pub fn seed(conn: &mut DbConnection, now: DateTime<Utc>) -> Result<SeedReport, DbError> {
    let reference_rows = reference::seed_reference_data(conn)?;
    let call = CallDefinition::wsis_2025()
        .map_err(|e| DbError::Corrupt(format!("wsis-2025.json: {e}")))?;
    let created_wsis_2025 = if calls::call_exists(conn, &call.slug)? {
        false
    } else {
        match calls::create_call(conn, &call, now) {
            Ok(_) => true,
            Err(err) if err.is_unique_violation_of("calls_slug_key", "calls.slug") => false,
            Err(err) => return Err(err),
        }
    };
    Ok(SeedReport {
        reference_rows,
        created_wsis_2025,
    })
}
