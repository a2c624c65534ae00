//! stream-svc's one error type at the gRPC boundary, mapped through the shared error-code table.
//! Messages never carry a token or a URL.

use std::time::Duration;

use kensho_crunchyroll::CrunchyrollError;
use kensho_kit::service_error::ACTIVE_STREAMS_METADATA;
use kensho_kit::{ErrorCode, FieldViolation, ServiceError};
use tonic_types::StatusExt;

/// How long clients are asked to wait when a dependency is down and did not say.
const UNAVAILABLE_RETRY_AFTER: Duration = Duration::from_secs(1);

/// Everything a stream RPC can fail with.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    /// Request fields are missing or malformed.
    #[error("invalid request")]
    InvalidArgument(Vec<FieldViolation>),
    /// No session, or the session has ended.
    #[error("not logged in or the session has ended")]
    Unauthenticated,
    /// The account may not play this episode.
    #[error("{0}")]
    Forbidden(&'static str),
    /// The anime or episode is unknown, not on Crunchyroll, or the stream token is unknown.
    #[error("{0}")]
    NotFound(String),
    /// The account plays as many streams as its plan allows.
    #[error("too many active streams ({active_streams} active); release one and retry")]
    TooManyActiveStreams {
        /// Streams the account has open.
        active_streams: usize,
        /// When to retry.
        retry_after: Duration,
    },
    /// Crunchyroll or a Kensho dependency cannot answer now.
    #[error("{what} is unavailable: {cause}")]
    Unavailable {
        /// Which dependency.
        what: &'static str,
        /// The cause, for the log.
        cause: String,
        /// When to retry, if known.
        retry_after: Option<Duration>,
    },
    /// An unexpected failure; the cause goes to the log.
    #[error("internal failure: {0}")]
    Internal(String),
}

/// The upstream's name, in errors and in the `kensho-upstream` metadata.
const CRUNCHYROLL: &str = "crunchyroll";

impl StreamError {
    /// The shared code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            StreamError::InvalidArgument(_) => ErrorCode::InvalidArgument,
            StreamError::Unauthenticated => ErrorCode::Unauthenticated,
            StreamError::Forbidden(_) => ErrorCode::PermissionDenied,
            StreamError::NotFound(_) => ErrorCode::NotFound,
            StreamError::TooManyActiveStreams { .. } => ErrorCode::ResourceExhausted,
            StreamError::Unavailable { .. } => ErrorCode::Unavailable,
            StreamError::Internal(_) => ErrorCode::Internal,
        }
    }

    /// Sorts a failure of the play service.
    pub fn from_upstream(error: CrunchyrollError, retry_after_limit: Duration) -> Self {
        match error {
            CrunchyrollError::PremiumOnly => {
                StreamError::Forbidden("premium membership required for this episode")
            }
            CrunchyrollError::Api { status: 403, code }
                if code.to_ascii_lowercase().contains("region")
                    || code.to_ascii_lowercase().contains("geo") =>
            {
                StreamError::Forbidden("this episode is not available in your region")
            }
            CrunchyrollError::NotFound => {
                StreamError::NotFound("the episode is not available on Crunchyroll".to_owned())
            }
            CrunchyrollError::TooManyActiveStreams { active_streams } => {
                StreamError::TooManyActiveStreams {
                    active_streams,
                    retry_after: retry_after_limit,
                }
            }
            CrunchyrollError::InvalidAuthToken
            | CrunchyrollError::InvalidGrant
            | CrunchyrollError::InvalidCredentials => StreamError::Unauthenticated,
            other @ (CrunchyrollError::RateLimited { .. }
            | CrunchyrollError::Unavailable { .. }
            | CrunchyrollError::Transport(_)
            | CrunchyrollError::Protected(_)
            | CrunchyrollError::Blocked) => StreamError::Unavailable {
                what: CRUNCHYROLL,
                retry_after: match &other {
                    CrunchyrollError::RateLimited { retry_after }
                    | CrunchyrollError::Unavailable { retry_after, .. } => *retry_after,
                    _ => None,
                },
                cause: other.to_string(),
            },
            other => StreamError::Internal(other.to_string()),
        }
    }

    /// catalog-svc refused the anime id of an episode by number: the caller's field is wrong.
    pub fn invalid_anime_id(status: &tonic::Status) -> Self {
        let description = status
            .get_details_bad_request()
            .and_then(|bad_request| bad_request.field_violations.into_iter().next())
            .map_or_else(
                || "is not a Kensho anime id".to_owned(),
                |violation| violation.description,
            );
        StreamError::InvalidArgument(vec![FieldViolation::new("by_number.anime_id", description)])
    }

    /// Sorts a failure of catalog-svc or auth-svc.
    pub fn from_backend(what: &'static str, status: &tonic::Status) -> Self {
        match status.code() {
            tonic::Code::Unavailable | tonic::Code::DeadlineExceeded | tonic::Code::Cancelled => {
                StreamError::Unavailable {
                    what,
                    cause: status.message().to_owned(),
                    retry_after: None,
                }
            }
            code => {
                StreamError::Internal(format!("{what} answered {code:?}: {}", status.message()))
            }
        }
    }
}

impl ServiceError for StreamError {
    fn error_code(&self) -> ErrorCode {
        self.code()
    }

    fn field_violations(&self) -> &[FieldViolation] {
        match self {
            StreamError::InvalidArgument(violations) => violations,
            _ => &[],
        }
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            StreamError::TooManyActiveStreams { retry_after, .. } => Some(*retry_after),
            StreamError::Unavailable { retry_after, .. } => {
                Some(retry_after.unwrap_or(UNAVAILABLE_RETRY_AFTER))
            }
            _ => None,
        }
    }

    fn upstream(&self) -> Option<&'static str> {
        match self {
            StreamError::Unavailable {
                what: CRUNCHYROLL, ..
            } => Some(CRUNCHYROLL),
            _ => None,
        }
    }

    fn extra_metadata(&self) -> Vec<(&'static str, String)> {
        match self {
            StreamError::TooManyActiveStreams { active_streams, .. } => {
                vec![(ACTIVE_STREAMS_METADATA, active_streams.to_string())]
            }
            _ => Vec::new(),
        }
    }
}

impl From<StreamError> for tonic::Status {
    fn from(error: StreamError) -> Self {
        kensho_kit::service_error::into_status(&error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT_WAIT: Duration = Duration::from_secs(30);

    #[test]
    fn too_many_streams_carries_retry_after_and_the_active_count() {
        let error = StreamError::from_upstream(
            CrunchyrollError::TooManyActiveStreams { active_streams: 4 },
            LIMIT_WAIT,
        );
        let status = tonic::Status::from(error);
        assert_eq!(status.code(), tonic::Code::ResourceExhausted);
        assert_eq!(status.metadata().get("retry-after").unwrap(), "30");
        assert_eq!(status.metadata().get(ACTIVE_STREAMS_METADATA).unwrap(), "4");
        assert!(
            status.message().contains("4 active"),
            "{}",
            status.message()
        );
    }

    #[test]
    fn invalid_fields_travel_as_bad_request_details() {
        let error = StreamError::InvalidArgument(vec![FieldViolation::new(
            "by_number.anime_id",
            "must not be empty",
        )]);
        let status = tonic::Status::from(error);
        assert_eq!(status.code(), tonic::Code::InvalidArgument);
        let details = status
            .get_details_bad_request()
            .expect("bad request details");
        assert_eq!(details.field_violations[0].field, "by_number.anime_id");
    }

    #[test]
    fn a_region_lock_is_permission_denied_with_the_reason() {
        let error = StreamError::from_upstream(
            CrunchyrollError::Api {
                status: 403,
                code: "REGION_LOCKED".to_owned(),
            },
            LIMIT_WAIT,
        );
        let status = tonic::Status::from(error);
        assert_eq!(status.code(), tonic::Code::PermissionDenied);
        assert!(status.message().contains("region"), "{}", status.message());
    }

    #[test]
    fn an_outage_is_unavailable_with_retry_after_and_an_opaque_message() {
        let error = StreamError::from_upstream(
            CrunchyrollError::Unavailable {
                status: 503,
                retry_after: None,
            },
            LIMIT_WAIT,
        );
        let status = tonic::Status::from(error);
        assert_eq!(status.code(), tonic::Code::Unavailable);
        assert_eq!(status.metadata().get("retry-after").unwrap(), "1");
        assert_eq!(status.message(), ErrorCode::Unavailable.title());
    }
}
