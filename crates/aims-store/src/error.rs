//! Store errors, mapped so callers can tell a missing record from a stale version from a broken database.

use thiserror::Error;

/// What can go wrong in the store.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The database URL is not usable; the message names the problem (never the password).
    #[error("database URL: {0}")]
    BadUrl(String),
    /// The database could not be opened or reached.
    #[error("cannot open the database: {0}")]
    Unavailable(String),
    /// The schema is not one this build understands, or a migration failed.
    #[error("database schema: {0}")]
    Schema(String),
    /// No record with that id in this organization.
    #[error("{record_type} {id} not found")]
    NotFound {
        /// Record type.
        record_type: String,
        /// Requested id.
        id: String,
    },
    /// The record changed since the caller read it.
    #[error(
        "{record_type} {id} was changed by someone else (expected version {expected}, found {found})"
    )]
    Conflict {
        /// Record type.
        record_type: String,
        /// Record id.
        id: String,
        /// Version the caller had.
        expected: i64,
        /// Version in the store.
        found: i64,
    },
    /// A unique constraint was violated (duplicate slug, email, key, ...).
    #[error("a {record_type} with the same {what} already exists")]
    Duplicate {
        /// Record type.
        record_type: String,
        /// The duplicated property, as the user knows it.
        what: String,
    },
    /// The database refused to write (read-only file, disk full).
    #[error("the database is read-only or cannot be written: {0}")]
    ReadOnly(String),
    /// A value did not fit its column; a bug in the caller, reported instead of panicking.
    #[error("invalid value for {field}: {message}")]
    InvalidValue {
        /// Column name.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// A backup file could not be used; the message says why.
    #[error("backup file: {0}")]
    Backup(String),
    /// Any other database error.
    #[error("database error: {0}")]
    Database(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            let msg = db.message().to_string();
            let lower = msg.to_ascii_lowercase();
            if lower.contains("readonly")
                || lower.contains("read-only")
                || lower.contains("read only")
            {
                return StoreError::ReadOnly(msg);
            }
        }
        match e {
            sqlx::Error::PoolTimedOut => {
                StoreError::Unavailable("timed out waiting for a connection".into())
            }
            sqlx::Error::Io(io) => StoreError::Unavailable(io.to_string()),
            other => StoreError::Database(other.to_string()),
        }
    }
}

/// Whether a database error is a unique-constraint violation (checked by kind, which works on both backends).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.kind() == sqlx::error::ErrorKind::UniqueViolation)
}
