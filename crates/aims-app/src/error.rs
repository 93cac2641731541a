//! Errors of the use cases, in terms a user understands; each says whether it was the input's fault.

use aims_domain::ValidationError;
use aims_store::StoreError;
use thiserror::Error;

/// What a use case can fail with.
#[derive(Debug, Error)]
pub enum AppError {
    /// The input is invalid; every field problem is listed.
    #[error("{0}")]
    Invalid(#[from] ValidationError),
    /// The thing asked for does not exist in this organization.
    #[error("{0}")]
    NotFound(String),
    /// The actor may not do this.
    #[error("not allowed: {0}")]
    Forbidden(String),
    /// The record changed since it was read, or the request clashes with the current state.
    #[error("{0}")]
    Conflict(String),
    /// The record is no longer at the version the caller said it read (a failed `If-Match`): told apart from
    /// [`AppError::Conflict`] where one request can fail either way, such as approving a draft.
    #[error("{0}")]
    Stale(String),
    /// A storage problem.
    #[error("{0}")]
    Store(StoreError),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { record_type, id } => AppError::NotFound(format!(
                "no {} with id {id} in this organization",
                record_type.replace('_', " ")
            )),
            e @ StoreError::Conflict { .. } => AppError::Conflict(e.to_string()),
            e @ StoreError::Duplicate { .. } => AppError::Conflict(e.to_string()),
            StoreError::InvalidValue { field, message } => {
                AppError::Invalid(ValidationError::one(field, message))
            }
            other => AppError::Store(other),
        }
    }
}

impl AppError {
    /// True when the caller's input (arguments, files, URLs, ids) caused the error rather than the system.
    pub fn is_input_error(&self) -> bool {
        match self {
            AppError::Invalid(_)
            | AppError::NotFound(_)
            | AppError::Conflict(_)
            | AppError::Stale(_)
            | AppError::Forbidden(_) => true,
            AppError::Store(s) => matches!(
                s,
                StoreError::BadUrl(_)
                    | StoreError::Unavailable(_)
                    | StoreError::Backup(_)
                    | StoreError::ReadOnly(_)
                    | StoreError::Schema(_)
            ),
        }
    }
}
