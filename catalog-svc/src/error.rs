//! The catalog's one error type at the gRPC boundary, mapped through the shared error-code table.

use kensho_kit::ErrorCode;
use tonic_types::{ErrorDetails, StatusExt};

use crate::domain::{AnimeId, FieldViolation};
use crate::store::StoreError;

/// Everything a catalog RPC can fail with.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// One or more request fields are invalid.
    #[error("invalid request")]
    InvalidArgument(Vec<FieldViolation>),
    /// The anime does not exist.
    #[error("anime {0} not found")]
    AnimeNotFound(AnimeId),
    /// Storage failed.
    #[error("storage failure")]
    Store(#[from] StoreError),
    /// The Crunchyroll sync cannot start.
    #[error("{0}")]
    SyncUnavailable(String),
}

impl CatalogError {
    /// The shared code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            CatalogError::InvalidArgument(_) => ErrorCode::InvalidArgument,
            CatalogError::AnimeNotFound(_) => ErrorCode::NotFound,
            CatalogError::SyncUnavailable(_) => ErrorCode::FailedPrecondition,
            CatalogError::Store(StoreError::Database(sqlx::Error::PoolTimedOut)) => {
                ErrorCode::Unavailable
            }
            CatalogError::Store(_) => ErrorCode::Internal,
        }
    }
}

impl From<FieldViolation> for CatalogError {
    fn from(violation: FieldViolation) -> Self {
        CatalogError::InvalidArgument(vec![violation])
    }
}

impl From<CatalogError> for tonic::Status {
    fn from(error: CatalogError) -> Self {
        let code = error.code();
        match error {
            CatalogError::InvalidArgument(violations) => {
                let mut details = ErrorDetails::new();
                for violation in &violations {
                    details.add_bad_request_violation(&violation.field, &violation.description);
                }
                let summary = violations
                    .iter()
                    .map(|violation| format!("{}: {}", violation.field, violation.description))
                    .collect::<Vec<_>>()
                    .join("; ");
                tonic::Status::with_error_details(code.grpc_code(), summary, details)
            }
            CatalogError::AnimeNotFound(_) | CatalogError::SyncUnavailable(_) => {
                tonic::Status::new(code.grpc_code(), error.to_string())
            }
            CatalogError::Store(ref store_error) => {
                // The cause chain goes to the log once; the caller gets an opaque message.
                tracing::error!(error = %store_error, cause = ?std::error::Error::source(store_error), "catalog storage failed");
                tonic::Status::new(code.grpc_code(), "catalog storage is unavailable")
            }
        }
    }
}

/// Collects violations across several fields, failing with all of them at once.
#[derive(Default)]
pub struct Violations(Vec<FieldViolation>);

impl Violations {
    /// Keeps the parsed value, or records the violation.
    pub fn check<T>(&mut self, parsed: Result<T, FieldViolation>) -> Option<T> {
        parsed.map_err(|violation| self.0.push(violation)).ok()
    }

    /// Records a violation.
    pub fn push(&mut self, violation: FieldViolation) {
        self.0.push(violation);
    }

    /// The mutable list, for parsers that collect their own violations.
    pub fn as_mut_vec(&mut self) -> &mut Vec<FieldViolation> {
        &mut self.0
    }

    /// Fails when anything was recorded.
    pub fn finish(self) -> Result<(), CatalogError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(CatalogError::InvalidArgument(self.0))
        }
    }
}
