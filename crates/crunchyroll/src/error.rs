//! What a Crunchyroll call can fail with, read from the status and the error bodies of the
//! reference (`{"code", "context", "error"}`, `{"error": ...}`, `{"message", "type"}`, HTML pages).
//! No message ever carries a credential, token or cookie.

use std::time::{Duration, SystemTime};

use kensho_kit::resilience::{CallError, Classify, FailureClass, parse_retry_after};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// A failed Crunchyroll call.
#[derive(Debug, thiserror::Error)]
pub enum CrunchyrollError {
    /// Wrong username or password.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// The refresh token is unknown, used, expired, or bound to another device.
    #[error("invalid grant: the refresh token is no longer valid")]
    InvalidGrant,
    /// The app client id or secret is not accepted.
    #[error("invalid client: the configured app credentials are not accepted")]
    InvalidClient,
    /// The access token is missing, expired or invalid.
    #[error("invalid access token")]
    InvalidAuthToken,
    /// The resource does not exist.
    #[error("not found")]
    NotFound,
    /// The account plays as many streams as its plan allows.
    #[error("too many active streams ({active_streams} active)")]
    TooManyActiveStreams {
        /// Streams the account has open.
        active_streams: usize,
    },
    /// The content needs a premium membership.
    #[error("premium membership required")]
    PremiumOnly,
    /// Blocked by the CDN's bot protection.
    #[error("blocked by Crunchyroll's bot protection")]
    Blocked,
    /// Crunchyroll is throttling.
    #[error("rate limited by Crunchyroll")]
    RateLimited {
        /// When to try again, if Crunchyroll said.
        retry_after: Option<Duration>,
    },
    /// Crunchyroll is failing or overloaded.
    #[error("Crunchyroll answered {status}")]
    Unavailable {
        /// The HTTP status.
        status: u16,
        /// When to try again, if Crunchyroll said.
        retry_after: Option<Duration>,
    },
    /// Any other error answer.
    #[error("Crunchyroll answered {status}: {code}")]
    Api {
        /// The HTTP status.
        status: u16,
        /// The error code of the body, or `unknown`.
        code: String,
    },
    /// The connection failed or broke (no response, or a truncated one).
    #[error("cannot reach Crunchyroll: {0}")]
    Transport(String),
    /// The answer is not in the expected shape.
    #[error("unexpected answer from Crunchyroll: {0}")]
    Decode(String),
    /// The circuit breaker is open, too many calls are in flight, or the deadline passed.
    #[error("Crunchyroll is unavailable: {0}")]
    Protected(String),
}

impl Classify for CrunchyrollError {
    fn classify(&self) -> FailureClass {
        match self {
            CrunchyrollError::Transport(_) => FailureClass::Transient { retry_after: None },
            CrunchyrollError::Unavailable {
                status: 502..=504,
                retry_after,
                ..
            } => FailureClass::Transient {
                retry_after: *retry_after,
            },
            CrunchyrollError::RateLimited { retry_after } => FailureClass::Throttled {
                retry_after: *retry_after,
            },
            CrunchyrollError::Unavailable { .. } | CrunchyrollError::Decode(_) => {
                FailureClass::Broken
            }
            _ => FailureClass::Rejected,
        }
    }
}

impl From<CallError<CrunchyrollError>> for CrunchyrollError {
    fn from(error: CallError<CrunchyrollError>) -> Self {
        match error {
            CallError::Upstream(error) => error,
            other => CrunchyrollError::Protected(other.to_string()),
        }
    }
}

impl From<reqwest::Error> for CrunchyrollError {
    fn from(error: reqwest::Error) -> Self {
        // reqwest's messages name the URL; ours carry no query strings or credentials, but the
        // URL is dropped anyway so nothing request-specific reaches a log.
        let error = error.without_url();
        if error.is_decode() {
            CrunchyrollError::Decode(error.to_string())
        } else {
            CrunchyrollError::Transport(error.to_string())
        }
    }
}

/// Reads an error answer. `is_token_endpoint` selects the meaning of 400 and 401.
pub(crate) fn error_from_response(
    status: StatusCode,
    headers: &HeaderMap,
    body: &str,
    is_token_endpoint: bool,
) -> CrunchyrollError {
    let retry_after = headers
        .get(RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| parse_retry_after(value, SystemTime::now()));
    let json: serde_json::Value = serde_json::from_str(body).unwrap_or(serde_json::Value::Null);
    let error_field = json.get("error").map(|error| match error {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    });
    let code = json
        .get("code")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default();
    match status.as_u16() {
        400 | 401 if is_token_endpoint => match (code, error_field.as_deref()) {
            (code, _) if code.ends_with("invalid_credentials") => {
                CrunchyrollError::InvalidCredentials
            }
            (_, Some("invalid_client")) => CrunchyrollError::InvalidClient,
            (_, Some("invalid_grant")) => CrunchyrollError::InvalidGrant,
            _ => api_error(status, code, error_field),
        },
        401 => CrunchyrollError::InvalidAuthToken,
        403 if body.contains("<title>Just a moment...</title>") || body.contains("Cloudflare") => {
            CrunchyrollError::Blocked
        }
        403 if error_field.as_deref() == Some("PREMIUM_ONLY") => CrunchyrollError::PremiumOnly,
        404 => CrunchyrollError::NotFound,
        420 => CrunchyrollError::TooManyActiveStreams {
            active_streams: json
                .get("activeStreams")
                .and_then(serde_json::Value::as_array)
                .map_or(0, Vec::len),
        },
        429 => CrunchyrollError::RateLimited { retry_after },
        500..=599 => CrunchyrollError::Unavailable {
            status: status.as_u16(),
            retry_after,
        },
        _ => api_error(status, code, error_field),
    }
}

fn api_error(status: StatusCode, code: &str, error_field: Option<String>) -> CrunchyrollError {
    let code = if code.is_empty() {
        error_field.unwrap_or_else(|| "unknown".to_owned())
    } else {
        code.to_owned()
    };
    CrunchyrollError::Api {
        status: status.as_u16(),
        code,
    }
}

/// Whether a 2xx body is in fact an error (Crunchyroll sometimes answers errors with 200).
pub(crate) fn is_error_body(json: &serde_json::Value) -> bool {
    json.get("error").is_some() || (json.get("code").is_some() && json.get("context").is_some())
}
