//! Database errors, mapped once at this boundary into what callers can act on.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// A persistence failure, classified.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The row asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A unique constraint refused the write; `constraint` names it where the backend says (PostgreSQL always,
    /// SQLite as `table.column` list).
    #[error("unique constraint violated: {constraint}")]
    UniqueViolation {
        /// Constraint name (PostgreSQL) or the constrained columns (SQLite).
        constraint: String,
    },
    /// A referenced row does not exist.
    #[error("foreign key constraint violated: {constraint}")]
    ForeignKeyViolation {
        /// Constraint name where known.
        constraint: String,
    },
    /// A check constraint refused the write.
    #[error("check constraint violated: {constraint}")]
    CheckViolation {
        /// Constraint name where known.
        constraint: String,
    },
    /// No connection could be had in time, or the server is unreachable: retry later (503).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The URL or configuration is wrong.
    #[error("database configuration: {0}")]
    Config(String),
    /// Stored data does not parse into the domain (a bug or a manual edit).
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    /// Applying or reverting migrations failed.
    #[error("migration failed: {0}")]
    Migration(String),
    /// Any other database error.
    #[error("database error: {0}")]
    Other(#[source] DieselError),
}

impl From<DieselError> for DbError {
    fn from(err: DieselError) -> Self {
        match err {
            DieselError::NotFound => Self::NotFound,
            DieselError::DatabaseError(kind, info) => {
                let constraint = info
                    .constraint_name()
                    .map(str::to_owned)
                    .unwrap_or_else(|| sqlite_constraint(info.message()));
                match kind {
                    DatabaseErrorKind::UniqueViolation => Self::UniqueViolation { constraint },
                    DatabaseErrorKind::ForeignKeyViolation => {
                        Self::ForeignKeyViolation { constraint }
                    }
                    DatabaseErrorKind::CheckViolation => Self::CheckViolation { constraint },
                    DatabaseErrorKind::ClosedConnection => {
                        Self::Unavailable(info.message().to_owned())
                    }
                    DatabaseErrorKind::SerializationFailure => {
                        Self::Unavailable(info.message().to_owned())
                    }
                    other => Self::Other(DieselError::DatabaseError(other, info)),
                }
            }
            other => Self::Other(other),
        }
    }
}

impl From<diesel::r2d2::PoolError> for DbError {
    fn from(err: diesel::r2d2::PoolError) -> Self {
        Self::Unavailable(err.to_string())
    }
}

/// SQLite reports constraints in its message only: "UNIQUE constraint failed: calls.slug".
fn sqlite_constraint(message: &str) -> String {
    message
        .split_once(": ")
        .map_or_else(|| message.to_owned(), |(_, what)| what.to_owned())
}

impl DbError {
    /// Whether this is a unique violation of the named constraint (PostgreSQL name, or SQLite column list).
    pub fn is_unique_violation_of(&self, postgres_name: &str, sqlite_columns: &str) -> bool {
        matches!(self, Self::UniqueViolation { constraint } if constraint == postgres_name || constraint == sqlite_columns)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_messages_name_the_columns() {
        assert_eq!(
            sqlite_constraint("UNIQUE constraint failed: calls.slug"),
            "calls.slug"
        );
        assert_eq!(sqlite_constraint("odd"), "odd");
    }

    #[test]
    fn not_found_is_classified() {
        assert!(matches!(
            DbError::from(DieselError::NotFound),
            DbError::NotFound
        ));
    }
}
