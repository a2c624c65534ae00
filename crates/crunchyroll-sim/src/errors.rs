//! Crunchyroll's error answers (§6 of the reference), one variant per situation. Bodies follow
//! the captured shapes; where the reference marks a shape UNVERIFIED the choice is noted here and
//! in the README.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// Status Crunchyroll's play service uses for the concurrent-stream limit.
const TOO_MANY_ACTIVE_STREAMS_STATUS: u16 = 420;

/// An error answer of the imitated API.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SimError {
    /// Missing, unknown or expired bearer token (or an anonymous token on an account route).
    #[error("invalid auth token")]
    InvalidAuthToken,
    /// Unknown id on a single-resource route. The real body is UNVERIFIED; the simulator uses
    /// the `{code, context, message}` shape of other content errors.
    #[error("resource not found")]
    NotFound,
    /// A free account asked to play a premium-only episode. UNVERIFIED in the reference.
    #[error("premium only")]
    PremiumOnly,
    /// The account already holds its limit of stream tokens; the payload lists them.
    #[error("too many active streams")]
    TooManyActiveStreams(Vec<Value>),
}

impl IntoResponse for SimError {
    fn into_response(self) -> Response {
        match self {
            SimError::InvalidAuthToken => (
                StatusCode::UNAUTHORIZED,
                Json(
                    json!({"code": "accounts.get_account_info.invalid_auth_token", "context": []}),
                ),
            )
                .into_response(),
            SimError::NotFound => not_found(),
            SimError::PremiumOnly => (
                StatusCode::FORBIDDEN,
                Json(json!({
                    "error": "PREMIUM_ONLY",
                    "message": "This content requires a premium membership"
                })),
            )
                .into_response(),
            SimError::TooManyActiveStreams(active_streams) => (
                StatusCode::from_u16(TOO_MANY_ACTIVE_STREAMS_STATUS)
                    .unwrap_or(StatusCode::TOO_MANY_REQUESTS),
                Json(json!({"error": "TOO_MANY_ACTIVE_STREAMS", "activeStreams": active_streams})),
            )
                .into_response(),
        }
    }
}

/// The 404 of content routes and unknown stream tokens.
pub(crate) fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(json!({"code": "cms.resource_not_found", "context": [], "message": "resource not found"})),
    )
        .into_response()
}

/// A 429 with `Retry-After` in whole seconds and the play service's 4294 error body.
pub(crate) fn rate_limited(retry_after_seconds: u64) -> Response {
    let mut response = (
        StatusCode::TOO_MANY_REQUESTS,
        Json(json!({"error": {"code": 4294, "message": "Too many requests, try again later"}})),
    )
        .into_response();
    set_retry_after(&mut response, retry_after_seconds);
    response
}

/// Sets `Retry-After: <seconds>` on a response.
pub(crate) fn set_retry_after(response: &mut Response, seconds: u64) {
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
}
