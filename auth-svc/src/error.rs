//! auth-svc's one error type at the gRPC boundary, mapped through the shared error-code table.
//! Messages never carry a credential or a token.

use std::time::Duration;

use kensho_crunchyroll::CrunchyrollError;
use kensho_kit::ErrorCode;
use tonic::metadata::MetadataValue;
use tonic_types::{ErrorDetails, StatusExt};

use crate::store::StoreError;

/// How long clients are asked to wait when a dependency is down.
const UNAVAILABLE_RETRY_AFTER: Duration = Duration::from_secs(1);

/// An invalid request field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldViolation {
    /// The field name.
    pub field: &'static str,
    /// What is wrong with it.
    pub description: String,
}

/// Everything an auth RPC can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// One or more request fields are invalid.
    #[error("invalid request")]
    InvalidArgument(Vec<FieldViolation>),
    /// Wrong username or password (one message for both).
    #[error("invalid username or password")]
    InvalidCredentials,
    /// The refresh token, session or access token is not (or no longer) valid.
    #[error("invalid or expired token")]
    InvalidToken,
    /// Too many login attempts.
    #[error("too many login attempts")]
    RateLimited {
        /// When to try again.
        retry_after: Duration,
    },
    /// Crunchyroll cannot be reached or is failing.
    #[error("crunchyroll is unavailable")]
    UpstreamUnavailable(#[source] CrunchyrollError),
    /// Crunchyroll answered in a way we cannot use (bad client credentials, odd answer).
    #[error("crunchyroll refused the request")]
    Upstream(#[source] CrunchyrollError),
    /// The session store cannot answer.
    #[error("session store failure")]
    Store(#[from] StoreError),
    /// A local failure (randomness, encryption).
    #[error("internal failure: {0}")]
    Internal(String),
}

impl AuthError {
    /// The shared code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            AuthError::InvalidArgument(_) => ErrorCode::InvalidArgument,
            AuthError::InvalidCredentials | AuthError::InvalidToken => ErrorCode::Unauthenticated,
            AuthError::RateLimited { .. } => ErrorCode::ResourceExhausted,
            AuthError::UpstreamUnavailable(_) | AuthError::Store(StoreError::Unavailable(_)) => {
                ErrorCode::Unavailable
            }
            AuthError::Upstream(_) | AuthError::Store(_) | AuthError::Internal(_) => {
                ErrorCode::Internal
            }
        }
    }

    /// Sorts a Crunchyroll failure: outages become [`AuthError::UpstreamUnavailable`].
    pub fn from_upstream(error: CrunchyrollError) -> Self {
        match error {
            CrunchyrollError::InvalidCredentials => AuthError::InvalidCredentials,
            CrunchyrollError::Transport(_)
            | CrunchyrollError::Unavailable { .. }
            | CrunchyrollError::Protected(_)
            | CrunchyrollError::RateLimited { .. }
            | CrunchyrollError::Blocked => AuthError::UpstreamUnavailable(error),
            other => AuthError::Upstream(other),
        }
    }
}

fn with_retry_after(mut status: tonic::Status, retry_after: Duration) -> tonic::Status {
    let seconds = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
    if let Ok(value) = MetadataValue::try_from(seconds.max(1).to_string()) {
        status.metadata_mut().insert("retry-after", value);
    }
    status
}

impl From<AuthError> for tonic::Status {
    fn from(error: AuthError) -> Self {
        let code = error.code().grpc_code();
        match error {
            AuthError::InvalidArgument(violations) => {
                let mut details = ErrorDetails::new();
                for violation in &violations {
                    details.add_bad_request_violation(violation.field, &violation.description);
                }
                let summary = violations
                    .iter()
                    .map(|violation| format!("{}: {}", violation.field, violation.description))
                    .collect::<Vec<_>>()
                    .join("; ");
                tonic::Status::with_error_details(code, summary, details)
            }
            AuthError::InvalidCredentials | AuthError::InvalidToken => {
                tonic::Status::new(code, error.to_string())
            }
            AuthError::RateLimited { retry_after } => {
                with_retry_after(tonic::Status::new(code, error.to_string()), retry_after)
            }
            AuthError::UpstreamUnavailable(ref cause) => {
                tracing::warn!(error = %cause, "crunchyroll unavailable");
                with_retry_after(
                    tonic::Status::new(code, error.to_string()),
                    UNAVAILABLE_RETRY_AFTER,
                )
            }
            AuthError::Store(StoreError::Unavailable(ref cause)) => {
                tracing::warn!(error = %cause, "session store unavailable");
                with_retry_after(
                    tonic::Status::new(code, "session store is unavailable"),
                    UNAVAILABLE_RETRY_AFTER,
                )
            }
            AuthError::Upstream(ref cause) => {
                tracing::error!(error = %cause, "crunchyroll refused an auth request");
                tonic::Status::new(code, "authentication failed upstream")
            }
            AuthError::Store(ref cause) => {
                tracing::error!(error = %cause, "session store failed");
                tonic::Status::new(code, "session store failed")
            }
            AuthError::Internal(ref cause) => {
                tracing::error!(error = %cause, "auth internal failure");
                tonic::Status::new(code, "internal error")
            }
        }
    }
}
