//! auth-svc's one error type at the gRPC boundary, mapped through the shared error-code table.
//! Messages never carry a credential or a token.

use std::time::Duration;

use kensho_crunchyroll::CrunchyrollError;
use kensho_kit::{ErrorCode, FieldViolation, ServiceError};

use crate::store::StoreError;

/// How long clients are asked to wait when a dependency is down.
const UNAVAILABLE_RETRY_AFTER: Duration = Duration::from_secs(1);

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
    #[error("session store failed")]
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

impl ServiceError for AuthError {
    fn error_code(&self) -> ErrorCode {
        self.code()
    }

    fn field_violations(&self) -> &[FieldViolation] {
        match self {
            AuthError::InvalidArgument(violations) => violations,
            _ => &[],
        }
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            AuthError::RateLimited { retry_after } => Some(*retry_after),
            AuthError::UpstreamUnavailable(_) | AuthError::Store(StoreError::Unavailable(_)) => {
                Some(UNAVAILABLE_RETRY_AFTER)
            }
            _ => None,
        }
    }

    fn upstream(&self) -> Option<&'static str> {
        matches!(self, AuthError::UpstreamUnavailable(_)).then_some("crunchyroll")
    }
}

impl From<AuthError> for tonic::Status {
    fn from(error: AuthError) -> Self {
        kensho_kit::service_error::into_status(&error)
    }
}
