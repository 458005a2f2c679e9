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
                    _ if is_connection_lost(info.message()) => {
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

/// Whether a message from libpq or the server says the connection is gone or the server is going away (an
/// administrator ended the backend, the server restarted, the network dropped, a timeout fired): a fault to answer
/// 503 and retry, not a bug to answer 500.
pub fn is_connection_lost(message: &str) -> bool {
    const SIGNS: [&str; 12] = [
        "no connection to the server",
        "server closed the connection",
        "terminating connection",
        "connection to server",
        "could not receive data",
        "could not send data",
        "ssl syscall",
        "ssl error",
        "the database system is shutting down",
        "the database system is starting up",
        "canceling statement due to statement timeout",
        "connection timed out",
    ];
    let message = message.to_ascii_lowercase();
    SIGNS.iter().any(|sign| message.contains(sign))
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
    fn lost_connections_are_faults_to_retry() {
        for message in [
            "no connection to the server\n",
            "terminating connection due to administrator command",
            "server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally",
            "canceling statement due to statement timeout",
        ] {
            assert!(is_connection_lost(message), "{message}");
        }
        assert!(!is_connection_lost(
            "duplicate key value violates unique constraint"
        ));
    }

    #[test]
    fn not_found_is_classified() {
        assert!(matches!(
            DbError::from(DieselError::NotFound),
            DbError::NotFound
        ));
    }
}
