//! The one error boundary of every gRPC service. Each service's error enum says what it is through
//! [`ServiceError`] (its code from the shared table, the message a caller may read, invalid fields,
//! when to retry, extra metadata); [`into_status`] turns any of them into a `tonic::Status` the same
//! way and logs a server-side failure once, with its cause chain. The gateway reads the same
//! metadata keys back ([`RETRY_AFTER_METADATA`], [`ACTIVE_STREAMS_METADATA`]).

use std::error::Error;
use std::fmt::Write as _;
use std::time::Duration;

use tonic::metadata::MetadataValue;
use tonic_types::{ErrorDetails, StatusExt};

use crate::ErrorCode;

/// gRPC metadata key: whole seconds the caller should wait before retrying.
pub const RETRY_AFTER_METADATA: &str = "retry-after";
/// gRPC metadata key: how many streams the account has open, when a stream limit was hit.
pub const ACTIVE_STREAMS_METADATA: &str = "active-streams";
/// gRPC metadata key: the upstream (`crunchyroll`) whose failure caused the error, so the
/// gateway can tell it apart from a refusal of Kensho's own.
pub const UPSTREAM_METADATA: &str = "kensho-upstream";

/// A request field that failed validation, with a message a person can act on. It travels as a
/// `google.rpc.BadRequest` field violation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldViolation {
    /// The request field, as the gRPC contract names it.
    pub field: String,
    /// Why it is invalid.
    pub description: String,
}

impl FieldViolation {
    /// A violation of `field`.
    pub fn new(field: impl Into<String>, description: impl Into<String>) -> Self {
        FieldViolation {
            field: field.into(),
            description: description.into(),
        }
    }
}

/// What the boundary needs to know about a service's error.
pub trait ServiceError: Error {
    /// The class of failure, from the shared table.
    fn error_code(&self) -> ErrorCode;

    /// The message a caller may read when the code is a client error; server errors always
    /// answer with the code's title, so internals never leak.
    fn public_message(&self) -> String {
        self.to_string()
    }

    /// The invalid request fields, for `InvalidArgument`.
    fn field_violations(&self) -> &[FieldViolation] {
        &[]
    }

    /// How long the caller should wait before retrying, when it is known.
    fn retry_after(&self) -> Option<Duration> {
        None
    }

    /// The upstream whose failure this is (`crunchyroll`), when it is one.
    fn upstream(&self) -> Option<&'static str> {
        None
    }

    /// Further metadata entries the caller can act on.
    fn extra_metadata(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }
}

/// The status a service answers with for `error`. Server errors are logged here, once, with the
/// whole cause chain; client errors are the caller's business and are not logged.
pub fn into_status(error: &dyn ServiceError) -> tonic::Status {
    let code = error.error_code();
    let violations = error.field_violations();
    let mut status = if !violations.is_empty() {
        let mut details = ErrorDetails::new();
        for violation in violations {
            details.add_bad_request_violation(&violation.field, &violation.description);
        }
        tonic::Status::with_error_details(code.grpc_code(), summary(violations), details)
    } else if code.is_client_visible() {
        tonic::Status::new(code.grpc_code(), error.public_message())
    } else {
        log_server_error(code, error);
        tonic::Status::new(code.grpc_code(), code.title())
    };
    if let Some(retry_after) = error.retry_after() {
        insert_metadata(
            &mut status,
            RETRY_AFTER_METADATA,
            retry_after_seconds(retry_after).to_string(),
        );
    }
    if let Some(upstream) = error.upstream() {
        insert_metadata(&mut status, UPSTREAM_METADATA, upstream.to_owned());
    }
    for (key, value) in error.extra_metadata() {
        insert_metadata(&mut status, key, value);
    }
    status
}

/// Whole seconds to wait, rounded up so a client never retries early, and at least one.
pub fn retry_after_seconds(retry_after: Duration) -> u64 {
    let rounded_up = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
    rounded_up.max(1)
}

/// The error and every cause below it, `outer: inner: innermost`.
pub fn cause_chain(error: &dyn Error) -> String {
    let mut chain = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        let _ = write!(chain, ": {inner}");
        cause = inner.source();
    }
    chain
}

fn log_server_error(code: ErrorCode, error: &dyn ServiceError) {
    let chain = cause_chain(error);
    match code {
        // A dependency being down is expected weather, not a bug.
        ErrorCode::Unavailable | ErrorCode::DeadlineExceeded | ErrorCode::Cancelled => {
            tracing::warn!(?code, error = %chain, "request failed");
        }
        _ => tracing::error!(?code, error = %chain, "request failed"),
    }
}

fn summary(violations: &[FieldViolation]) -> String {
    violations
        .iter()
        .map(|violation| format!("{}: {}", violation.field, violation.description))
        .collect::<Vec<_>>()
        .join("; ")
}

fn insert_metadata(status: &mut tonic::Status, key: &'static str, value: String) {
    match MetadataValue::try_from(value) {
        Ok(value) => {
            status.metadata_mut().insert(key, value);
        }
        Err(error) => tracing::error!(key, %error, "metadata value is not valid ascii"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    enum ExampleError {
        #[error("bad fields")]
        Fields(Vec<FieldViolation>),
        #[error("slow down")]
        Limited(Duration),
        #[error("storage failed")]
        Storage(#[source] std::io::Error),
    }

    impl ServiceError for ExampleError {
        fn error_code(&self) -> ErrorCode {
            match self {
                ExampleError::Fields(_) => ErrorCode::InvalidArgument,
                ExampleError::Limited(_) => ErrorCode::ResourceExhausted,
                ExampleError::Storage(_) => ErrorCode::Internal,
            }
        }

        fn field_violations(&self) -> &[FieldViolation] {
            match self {
                ExampleError::Fields(violations) => violations,
                _ => &[],
            }
        }

        fn retry_after(&self) -> Option<Duration> {
            match self {
                ExampleError::Limited(wait) => Some(*wait),
                _ => None,
            }
        }

        fn extra_metadata(&self) -> Vec<(&'static str, String)> {
            vec![(ACTIVE_STREAMS_METADATA, "2".to_owned())]
        }
    }

    #[test]
    fn field_violations_travel_as_bad_request_details() {
        let error = ExampleError::Fields(vec![
            FieldViolation::new("query", "too short"),
            FieldViolation::new("limit", "too big"),
        ]);
        let status = into_status(&error);
        assert_eq!(status.code(), tonic::Code::InvalidArgument);
        assert_eq!(status.message(), "query: too short; limit: too big");
        let details = status
            .get_details_bad_request()
            .expect("bad request details");
        let fields: Vec<_> = details
            .field_violations
            .iter()
            .map(|violation| violation.field.as_str())
            .collect();
        assert_eq!(fields, ["query", "limit"]);
    }

    #[test]
    fn retry_after_is_rounded_up_to_whole_seconds() {
        let status = into_status(&ExampleError::Limited(Duration::from_millis(1_200)));
        assert_eq!(status.code(), tonic::Code::ResourceExhausted);
        assert_eq!(status.metadata().get(RETRY_AFTER_METADATA).unwrap(), "2");
        assert_eq!(status.metadata().get(ACTIVE_STREAMS_METADATA).unwrap(), "2");
        assert_eq!(retry_after_seconds(Duration::from_millis(10)), 1);
        assert_eq!(retry_after_seconds(Duration::from_secs(30)), 30);
    }

    #[test]
    fn server_errors_answer_with_the_title_and_keep_the_cause_for_the_log() {
        let error = ExampleError::Storage(std::io::Error::other("disk on fire"));
        let status = into_status(&error);
        assert_eq!(status.code(), tonic::Code::Internal);
        assert_eq!(status.message(), ErrorCode::Internal.title());
        assert_eq!(cause_chain(&error), "storage failed: disk on fire");
    }
}
