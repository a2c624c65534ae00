//! The one error-code table: every failure Kensho reports has one code, which knows its gRPC code,
//! its HTTP status and its problem type. Services map their errors to a code; the gateway maps an
//! incoming gRPC status back through the same table.

use http::StatusCode;

/// Base of the `type` URI of problem+json documents.
pub const PROBLEM_TYPE_BASE: &str = "https://kensho.dev/problems/";

/// A class of failure, shared by gRPC and HTTP.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// The request is malformed or a field is invalid.
    InvalidArgument,
    /// The request is valid but the system is not in a state to accept it.
    FailedPrecondition,
    /// A value is outside its allowed range (for example a page past the end).
    OutOfRange,
    /// No valid credentials.
    Unauthenticated,
    /// Valid credentials that do not allow this.
    PermissionDenied,
    /// The resource does not exist.
    NotFound,
    /// The resource already exists.
    AlreadyExists,
    /// A conflict with a concurrent change.
    Aborted,
    /// A quota or rate limit was hit.
    ResourceExhausted,
    /// The caller went away.
    Cancelled,
    /// The operation is not implemented.
    Unimplemented,
    /// A dependency or this service is unavailable; retry later.
    Unavailable,
    /// The deadline passed before the operation finished.
    DeadlineExceeded,
    /// A bug or an unexpected failure; details go to the log, not to the caller.
    Internal,
}

impl ErrorCode {
    /// The gRPC status code.
    pub fn grpc_code(self) -> tonic::Code {
        match self {
            ErrorCode::InvalidArgument => tonic::Code::InvalidArgument,
            ErrorCode::FailedPrecondition => tonic::Code::FailedPrecondition,
            ErrorCode::OutOfRange => tonic::Code::OutOfRange,
            ErrorCode::Unauthenticated => tonic::Code::Unauthenticated,
            ErrorCode::PermissionDenied => tonic::Code::PermissionDenied,
            ErrorCode::NotFound => tonic::Code::NotFound,
            ErrorCode::AlreadyExists => tonic::Code::AlreadyExists,
            ErrorCode::Aborted => tonic::Code::Aborted,
            ErrorCode::ResourceExhausted => tonic::Code::ResourceExhausted,
            ErrorCode::Cancelled => tonic::Code::Cancelled,
            ErrorCode::Unimplemented => tonic::Code::Unimplemented,
            ErrorCode::Unavailable => tonic::Code::Unavailable,
            ErrorCode::DeadlineExceeded => tonic::Code::DeadlineExceeded,
            ErrorCode::Internal => tonic::Code::Internal,
        }
    }

    /// The code for a gRPC status code received from another service.
    pub fn from_grpc(code: tonic::Code) -> Self {
        match code {
            tonic::Code::InvalidArgument => ErrorCode::InvalidArgument,
            tonic::Code::FailedPrecondition => ErrorCode::FailedPrecondition,
            tonic::Code::OutOfRange => ErrorCode::OutOfRange,
            tonic::Code::Unauthenticated => ErrorCode::Unauthenticated,
            tonic::Code::PermissionDenied => ErrorCode::PermissionDenied,
            tonic::Code::NotFound => ErrorCode::NotFound,
            tonic::Code::AlreadyExists => ErrorCode::AlreadyExists,
            tonic::Code::Aborted => ErrorCode::Aborted,
            tonic::Code::ResourceExhausted => ErrorCode::ResourceExhausted,
            tonic::Code::Cancelled => ErrorCode::Cancelled,
            tonic::Code::Unimplemented => ErrorCode::Unimplemented,
            tonic::Code::Unavailable => ErrorCode::Unavailable,
            tonic::Code::DeadlineExceeded => ErrorCode::DeadlineExceeded,
            tonic::Code::Ok
            | tonic::Code::Unknown
            | tonic::Code::Internal
            | tonic::Code::DataLoss => ErrorCode::Internal,
        }
    }

    /// The HTTP status of the REST API.
    pub fn http_status(self) -> StatusCode {
        match self {
            ErrorCode::InvalidArgument | ErrorCode::FailedPrecondition | ErrorCode::OutOfRange => {
                StatusCode::BAD_REQUEST
            }
            ErrorCode::Unauthenticated => StatusCode::UNAUTHORIZED,
            ErrorCode::PermissionDenied => StatusCode::FORBIDDEN,
            ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::AlreadyExists | ErrorCode::Aborted => StatusCode::CONFLICT,
            ErrorCode::ResourceExhausted => StatusCode::TOO_MANY_REQUESTS,
            // 499 is nginx's "client closed request"; http has no constant for it.
            ErrorCode::Cancelled => {
                StatusCode::from_u16(499).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
            ErrorCode::Unimplemented => StatusCode::NOT_IMPLEMENTED,
            ErrorCode::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::DeadlineExceeded => StatusCode::GATEWAY_TIMEOUT,
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable slug naming the code, used in problem `type` URIs.
    pub fn slug(self) -> &'static str {
        match self {
            ErrorCode::InvalidArgument => "invalid-argument",
            ErrorCode::FailedPrecondition => "failed-precondition",
            ErrorCode::OutOfRange => "out-of-range",
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::PermissionDenied => "permission-denied",
            ErrorCode::NotFound => "not-found",
            ErrorCode::AlreadyExists => "already-exists",
            ErrorCode::Aborted => "conflict",
            ErrorCode::ResourceExhausted => "too-many-requests",
            ErrorCode::Cancelled => "cancelled",
            ErrorCode::Unimplemented => "not-implemented",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::DeadlineExceeded => "timeout",
            ErrorCode::Internal => "internal",
        }
    }

    /// A short human title for problem documents.
    pub fn title(self) -> &'static str {
        match self {
            ErrorCode::InvalidArgument => "Invalid request",
            ErrorCode::FailedPrecondition => "Request cannot be applied",
            ErrorCode::OutOfRange => "Out of range",
            ErrorCode::Unauthenticated => "Authentication required",
            ErrorCode::PermissionDenied => "Forbidden",
            ErrorCode::NotFound => "Not found",
            ErrorCode::AlreadyExists => "Already exists",
            ErrorCode::Aborted => "Conflict",
            ErrorCode::ResourceExhausted => "Too many requests",
            ErrorCode::Cancelled => "Request cancelled",
            ErrorCode::Unimplemented => "Not implemented",
            ErrorCode::Unavailable => "Service unavailable",
            ErrorCode::DeadlineExceeded => "Upstream timeout",
            ErrorCode::Internal => "Internal error",
        }
    }

    /// The problem `type` URI.
    pub fn problem_type(self) -> String {
        format!("{PROBLEM_TYPE_BASE}{}", self.slug())
    }

    /// Whether clients should be told when to retry (429 and 503 carry `Retry-After`).
    pub fn wants_retry_after(self) -> bool {
        matches!(self, ErrorCode::ResourceExhausted | ErrorCode::Unavailable)
    }

    /// Whether the message may be shown to clients; 5xx details stay in the log.
    pub fn is_client_visible(self) -> bool {
        self.http_status().is_client_error()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grpc_codes_map_to_the_documented_http_statuses() {
        let table = [
            (tonic::Code::InvalidArgument, 400),
            (tonic::Code::FailedPrecondition, 400),
            (tonic::Code::OutOfRange, 400),
            (tonic::Code::Unauthenticated, 401),
            (tonic::Code::PermissionDenied, 403),
            (tonic::Code::NotFound, 404),
            (tonic::Code::AlreadyExists, 409),
            (tonic::Code::Aborted, 409),
            (tonic::Code::ResourceExhausted, 429),
            (tonic::Code::Cancelled, 499),
            (tonic::Code::Unimplemented, 501),
            (tonic::Code::Unavailable, 503),
            (tonic::Code::DeadlineExceeded, 504),
            (tonic::Code::Unknown, 500),
            (tonic::Code::DataLoss, 500),
            (tonic::Code::Internal, 500),
        ];
        for (grpc_code, http_status) in table {
            assert_eq!(
                ErrorCode::from_grpc(grpc_code).http_status().as_u16(),
                http_status,
                "{grpc_code:?}"
            );
        }
    }

    #[test]
    fn every_code_round_trips_through_grpc() {
        for code in [
            ErrorCode::InvalidArgument,
            ErrorCode::NotFound,
            ErrorCode::Unavailable,
            ErrorCode::Internal,
            ErrorCode::Cancelled,
        ] {
            assert_eq!(ErrorCode::from_grpc(code.grpc_code()), code);
        }
    }
}
