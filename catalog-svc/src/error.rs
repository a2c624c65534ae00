//! The catalog's one error type at the gRPC boundary, mapped through the shared error-code table.

use kensho_kit::{ErrorCode, ServiceError};

use crate::domain::{AnimeId, FieldViolation, SourceRef};
use crate::search::SearchIndexError;
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
    /// No anime lists the source.
    #[error("no anime has the source {0}")]
    SourceNotFound(SourceRef),
    /// Storage failed.
    #[error("catalog storage failed")]
    Store(#[from] StoreError),
    /// The search index failed.
    #[error("search index failed")]
    SearchIndex(#[from] SearchIndexError),
    /// The Crunchyroll sync cannot start.
    #[error("{0}")]
    SyncUnavailable(String),
}

impl CatalogError {
    /// The shared code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            CatalogError::InvalidArgument(_) => ErrorCode::InvalidArgument,
            CatalogError::AnimeNotFound(_) | CatalogError::SourceNotFound(_) => ErrorCode::NotFound,
            CatalogError::SyncUnavailable(_) => ErrorCode::FailedPrecondition,
            CatalogError::Store(
                StoreError::Database(sqlx::Error::PoolTimedOut) | StoreError::PoolTimedOut,
            ) => ErrorCode::Unavailable,
            CatalogError::Store(_) | CatalogError::SearchIndex(_) => ErrorCode::Internal,
        }
    }
}

impl From<FieldViolation> for CatalogError {
    fn from(violation: FieldViolation) -> Self {
        CatalogError::InvalidArgument(vec![violation])
    }
}

impl ServiceError for CatalogError {
    fn error_code(&self) -> ErrorCode {
        self.code()
    }

    fn field_violations(&self) -> &[FieldViolation] {
        match self {
            CatalogError::InvalidArgument(violations) => violations,
            _ => &[],
        }
    }
}

impl From<CatalogError> for tonic::Status {
    fn from(error: CatalogError) -> Self {
        kensho_kit::service_error::into_status(&error)
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
