//! RFC 9457 problem details: every error the API returns is `application/problem+json`.
//!
//! Handlers return [`ApiError`]; its response carries a [`Problem`] in its extensions and the
//! [`render_problems`] middleware writes the body, adding `instance` (the request path) and
//! `trace_id` (the request's OpenTelemetry trace id, which continues a client's `traceparent`),
//! which only the middleware knows. The same middleware turns any
//! other bodiless error response (unknown route, wrong method, body too large) into a problem.
//! It also writes the headers a status asks for: `WWW-Authenticate` on 401 and `Retry-After` on
//! 429 and 503 (the backend's own `retry-after` metadata when it sent one).

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kensho_kit::ErrorCode;
use kensho_kit::error_code::PROBLEM_TYPE_BASE;
use kensho_kit::service_error::{ACTIVE_STREAMS_METADATA, RETRY_AFTER_METADATA, UPSTREAM_METADATA};
use serde::Serialize;
use tonic_types::StatusExt;

use crate::request_id::RequestId;
use crate::state::AppState;

/// The media type of every error body.
pub(crate) const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// The problem document's schema, as operations name it in their responses.
pub(crate) type ProblemSchema = ProblemBody<'static>;

/// What a 401 asks of the client, as the RFC 6750 `WWW-Authenticate` header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BearerChallenge {
    /// No usable credentials were sent: `Bearer realm="kensho"`.
    Credentials,
    /// A token was sent and refused: `Bearer realm="kensho", error="invalid_token"`.
    InvalidToken,
}

impl BearerChallenge {
    fn header_value(self) -> HeaderValue {
        match self {
            BearerChallenge::Credentials => HeaderValue::from_static(r#"Bearer realm="kensho""#),
            BearerChallenge::InvalidToken => {
                HeaderValue::from_static(r#"Bearer realm="kensho", error="invalid_token""#)
            }
        }
    }
}

/// One invalid request field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// The field as the REST API names it (`q`, `limit`, `cursor`, `id`, ...).
    #[schema(example = "limit")]
    pub field: String,
    /// What is wrong.
    #[schema(example = "must be between 1 and 100")]
    pub message: String,
}

/// A problem document, before `instance` and `trace_id` are known.
#[derive(Clone, Debug)]
pub struct Problem {
    code: ErrorCode,
    status: StatusCode,
    detail: String,
    errors: Vec<FieldError>,
    challenge: Option<BearerChallenge>,
    retry_after_seconds: Option<u32>,
    /// Streams the account has open, when a stream limit was hit.
    active_streams: Option<u32>,
    /// A more specific problem type than the code's, so a client can tell a limit Kensho
    /// imposes from a failure of Crunchyroll.
    specific_type: Option<&'static str>,
}

/// An RFC 9457 problem document, as every error response carries it.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Problem)]
pub(crate) struct ProblemBody<'a> {
    /// A URI naming the kind of problem (`https://kensho.dev/problems/<slug>`).
    #[serde(rename = "type")]
    #[schema(example = "https://kensho.dev/problems/invalid-argument")]
    problem_type: String,
    /// A short summary of the kind of problem.
    #[schema(example = "Invalid request")]
    title: &'static str,
    /// The HTTP status.
    #[schema(example = 400)]
    status: u16,
    /// What happened to this request.
    #[schema(example = "the request has invalid fields")]
    detail: &'a str,
    /// The request path.
    #[schema(example = "/api/v1/search")]
    instance: &'a str,
    /// The request's trace id (the client's own when it sent a `traceparent`).
    #[schema(example = "4bf92f3577b34da6a3ce929d0e0e4736")]
    trace_id: &'a str,
    /// Every invalid field, for validation failures.
    #[serde(skip_serializing_if = "<[FieldError]>::is_empty")]
    #[schema(required = false)]
    errors: &'a [FieldError],
    /// Streams the account has open, when its stream limit was hit.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = u32, required = false)]
    active_streams: Option<u32>,
}

/// Everything a REST handler can fail with.
#[derive(Debug)]
pub enum ApiError {
    /// Request fields the gateway itself could not parse.
    InvalidFields(Vec<FieldError>),
    /// No route matches the path.
    RouteNotFound,
    /// An extractor refused the request (bad JSON, body too large, wrong content type).
    Rejected {
        /// The status the extractor chose.
        status: StatusCode,
        /// What it said.
        message: String,
    },
    /// The request took longer than the configured timeout.
    Timeout,
    /// The gateway is handling as many requests as it is configured to.
    Overloaded,
    /// A backend answered with an error status.
    Backend(tonic::Status),
    /// The client spent its rate-limit budget (429, problem type `rate-limited`).
    RateLimited {
        /// Until the next request is allowed.
        retry_after_seconds: u32,
    },
    /// `X-API-Key` names no configured key (401).
    UnknownApiKey,
    /// The request lacks valid credentials (401).
    Unauthenticated {
        /// What the `WWW-Authenticate` header asks for.
        challenge: BearerChallenge,
        /// Why, for the client.
        detail: String,
    },
}

impl ApiError {
    /// One invalid field.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        ApiError::InvalidFields(vec![FieldError {
            field: field.to_owned(),
            message: message.into(),
        }])
    }

    /// A backend status for a call that carried a client's token: `UNAUTHENTICATED` means that
    /// token was refused, so the 401 says `error="invalid_token"`.
    pub fn token_refused(status: tonic::Status) -> Self {
        if status.code() == tonic::Code::Unauthenticated {
            ApiError::Unauthenticated {
                challenge: BearerChallenge::InvalidToken,
                detail: status.message().to_owned(),
            }
        } else {
            ApiError::Backend(status)
        }
    }

    fn into_problem(self) -> Problem {
        match self {
            ApiError::InvalidFields(errors) => Problem {
                code: ErrorCode::InvalidArgument,
                status: ErrorCode::InvalidArgument.http_status(),
                detail: "the request has invalid fields".to_owned(),
                errors,
                challenge: None,
                retry_after_seconds: None,
                active_streams: None,
                specific_type: None,
            },
            ApiError::RouteNotFound => Problem {
                code: ErrorCode::NotFound,
                status: StatusCode::NOT_FOUND,
                detail: "no such route".to_owned(),
                errors: Vec::new(),
                challenge: None,
                retry_after_seconds: None,
                active_streams: None,
                specific_type: None,
            },
            ApiError::Rejected { status, message } => Problem {
                detail: message,
                ..generic_problem(status)
            },
            ApiError::Timeout => Problem {
                detail: "the request took too long".to_owned(),
                ..generic_problem(StatusCode::GATEWAY_TIMEOUT)
            },
            ApiError::Overloaded => Problem {
                detail: "the gateway is at capacity; retry shortly".to_owned(),
                ..generic_problem(StatusCode::SERVICE_UNAVAILABLE)
            },
            ApiError::Backend(status) => problem_from_status(&status),
            ApiError::Unauthenticated { challenge, detail } => Problem {
                detail,
                challenge: Some(challenge),
                ..generic_problem(StatusCode::UNAUTHORIZED)
            },
            ApiError::RateLimited {
                retry_after_seconds,
            } => Problem {
                detail:
                    "this client has used its request budget; retry after the time in Retry-After"
                        .to_owned(),
                retry_after_seconds: Some(retry_after_seconds),
                specific_type: Some(RATE_LIMITED_TYPE),
                ..generic_problem(StatusCode::TOO_MANY_REQUESTS)
            },
            ApiError::UnknownApiKey => Problem {
                detail: "the X-API-Key header names no known API key".to_owned(),
                challenge: None,
                ..generic_problem(StatusCode::UNAUTHORIZED)
            },
        }
    }
}

impl From<tonic::Status> for ApiError {
    fn from(status: tonic::Status) -> Self {
        ApiError::Backend(status)
    }
}

/// gRPC field names as the REST API spells them.
fn rest_field_name(grpc_field: &str) -> String {
    match grpc_field {
        "query" => "q".to_owned(),
        "page_size" => "limit".to_owned(),
        "page_token" => "cursor".to_owned(),
        "anime_id" => "id".to_owned(),
        // GetStream's episode by number, whose REST path is `/stream/{anime_id}/{episode}`.
        "by_number.anime_id" => "anime_id".to_owned(),
        "by_number.episode_number" => "episode".to_owned(),
        // The list filters (`AnimeFilter`), whose REST parameters are singular.
        "filter.types" => "type".to_owned(),
        "filter.statuses" => "status".to_owned(),
        "filter.tags" => "tag".to_owned(),
        "filter.any_tags" => "any_tag".to_owned(),
        "filter.exclude_tags" => "exclude_tag".to_owned(),
        "sort.field" => "sort".to_owned(),
        other => other.strip_prefix("filter.").unwrap_or(other).to_owned(),
    }
}

fn problem_from_status(status: &tonic::Status) -> Problem {
    let code = ErrorCode::from_grpc(status.code());
    let errors: Vec<FieldError> = status
        .get_details_bad_request()
        .map(|bad_request| {
            bad_request
                .field_violations
                .iter()
                .map(|violation| FieldError {
                    field: rest_field_name(&violation.field),
                    message: violation.description.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    let detail = if code.is_client_visible() {
        if errors.is_empty() {
            status.message().to_owned()
        } else {
            "the request has invalid fields".to_owned()
        }
    } else {
        // 5xx: the cause goes to the log once, with the request's span; the client gets the title.
        tracing::error!(code = ?status.code(), error = %status.message(), "backend call failed");
        code.title().to_owned()
    };
    let retry_after_seconds = status
        .metadata()
        .get(RETRY_AFTER_METADATA)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.trim().parse::<u32>().ok());
    Problem {
        code,
        status: code.http_status(),
        detail,
        errors,
        challenge: (code == ErrorCode::Unauthenticated).then_some(BearerChallenge::Credentials),
        retry_after_seconds,
        active_streams: status
            .metadata()
            .get(ACTIVE_STREAMS_METADATA)
            .and_then(|value| value.to_str().ok())
            .and_then(|text| text.trim().parse::<u32>().ok()),
        specific_type: status
            .metadata()
            .get(UPSTREAM_METADATA)
            .and(upstream_type(code)),
    }
}

/// The problem type of a failure Crunchyroll caused, when it differs from Kensho's own.
fn upstream_type(code: ErrorCode) -> Option<&'static str> {
    match code {
        ErrorCode::Unavailable => Some(UPSTREAM_UNAVAILABLE_TYPE),
        ErrorCode::ResourceExhausted => Some(UPSTREAM_RATE_LIMITED_TYPE),
        _ => None,
    }
}

/// Slug of a 429 the gateway's own rate limits answer.
const RATE_LIMITED_TYPE: &str = "rate-limited";
/// Slug of a 503 because Crunchyroll is down, slow or refusing.
const UPSTREAM_UNAVAILABLE_TYPE: &str = "upstream-unavailable";
/// Slug of a 429 passed on from Crunchyroll.
const UPSTREAM_RATE_LIMITED_TYPE: &str = "upstream-rate-limited";

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let problem = self.into_problem();
        let mut response = problem.status.into_response();
        response.extensions_mut().insert(problem);
        response
    }
}

fn generic_problem(status: StatusCode) -> Problem {
    let code = match status {
        StatusCode::NOT_FOUND => ErrorCode::NotFound,
        StatusCode::UNAUTHORIZED => ErrorCode::Unauthenticated,
        StatusCode::PAYLOAD_TOO_LARGE
        | StatusCode::METHOD_NOT_ALLOWED
        | StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::InvalidArgument,
        StatusCode::REQUEST_TIMEOUT | StatusCode::GATEWAY_TIMEOUT => ErrorCode::DeadlineExceeded,
        StatusCode::SERVICE_UNAVAILABLE => ErrorCode::Unavailable,
        StatusCode::TOO_MANY_REQUESTS => ErrorCode::ResourceExhausted,
        _ if status.is_client_error() => ErrorCode::InvalidArgument,
        _ => ErrorCode::Internal,
    };
    Problem {
        code,
        status,
        detail: status.canonical_reason().unwrap_or("error").to_owned(),
        errors: Vec::new(),
        challenge: (status == StatusCode::UNAUTHORIZED).then_some(BearerChallenge::Credentials),
        retry_after_seconds: None,
        active_streams: None,
        specific_type: None,
    }
}

/// Writes every error response as problem+json (see the module docs).
pub async fn render_problems(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let instance = request.uri().path().to_owned();
    // The request id stands in only where no tracing subscriber is installed (never in the
    // binaries, which always install one).
    let trace_id = kensho_telemetry::propagation::current_trace_id().unwrap_or_else(|| {
        request
            .extensions()
            .get::<RequestId>()
            .map(|id| id.as_str().to_owned())
            .unwrap_or_default()
    });
    let mut response = next.run(request).await;
    let status = response.status();
    let problem = match response.extensions_mut().remove::<Problem>() {
        Some(problem) => problem,
        None if status.is_client_error() || status.is_server_error() => {
            // Bodiless or plain-text errors come from axum and tower layers; JSON ones (health
            // checks) already say what they mean.
            let is_plain = response
                .headers()
                .get(header::CONTENT_TYPE)
                .is_none_or(|value| value.as_bytes().starts_with(b"text/plain"));
            if !is_plain {
                return response;
            }
            generic_problem(status)
        }
        None => return response,
    };
    let body = ProblemBody {
        problem_type: problem.specific_type.map_or_else(
            || problem.code.problem_type(),
            |slug| format!("{PROBLEM_TYPE_BASE}{slug}"),
        ),
        title: problem.code.title(),
        status: problem.status.as_u16(),
        detail: &problem.detail,
        instance: &instance,
        trace_id: &trace_id,
        errors: &problem.errors,
        active_streams: problem.active_streams,
    };
    let json = serde_json::to_vec(&body).unwrap_or_default();
    let mut rendered = (problem.status, json).into_response();
    // The error code rides along for the metrics layer (`http_errors_total{type}`).
    rendered.extensions_mut().insert(problem.code);
    let headers = rendered.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(PROBLEM_CONTENT_TYPE),
    );
    if problem.code.wants_retry_after() {
        let seconds = problem
            .retry_after_seconds
            .unwrap_or(state.retry_after_seconds);
        headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    if let Some(challenge) = problem.challenge {
        headers.insert(header::WWW_AUTHENTICATE, challenge.header_value());
    }
    for (name, value) in response.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            rendered.headers_mut().entry(name).or_insert(value.clone());
        }
    }
    rendered
}
