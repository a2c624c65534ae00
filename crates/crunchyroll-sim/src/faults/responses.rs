//! The answers faults inject, in the shapes real clients recognise: the "Crunchyroll -
//! Overloaded" page for 502/503/504, Cloudflare's challenge page for 403, the JSON error bodies
//! of §6 for the statuses the API itself uses.

use std::io;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::errors::{SimError, not_found, rate_limited, set_retry_after};

/// The page RS recognises as "server overloaded, try later".
const OVERLOADED_PAGE: &str = "<html><head><title>Crunchyroll - Overloaded</title></head>\
<body><h1>Crunchyroll is overloaded</h1><p>Please try again in a few minutes.</p></body></html>\n";
/// Cloudflare's bot challenge, which RS maps to a block error.
const CLOUDFLARE_CHALLENGE_PAGE: &str = "<!DOCTYPE html><html><head><title>Just a moment...</title></head>\
<body><p>Checking your browser before accessing www.crunchyroll.com.</p></body></html>\n";
/// Retry-After of an injected 429 without an explicit value.
const DEFAULT_RETRY_AFTER_SECONDS: u64 = 1;

/// An injected error answer.
pub(crate) fn fault_response(status: u16, retry_after_seconds: Option<u64>) -> Response {
    let mut response = match status {
        429 => rate_limited(retry_after_seconds.unwrap_or(DEFAULT_RETRY_AFTER_SECONDS)),
        401 => SimError::InvalidAuthToken.into_response(),
        404 => not_found(),
        420 => SimError::TooManyActiveStreams(Vec::new()).into_response(),
        403 => html(StatusCode::FORBIDDEN, CLOUDFLARE_CHALLENGE_PAGE),
        502..=504 => html(status_code(status), OVERLOADED_PAGE),
        500 => (StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error").into_response(),
        _ => (
            status_code(status),
            Json(json!({"code": "simulator.injected_fault", "context": [], "message": "injected fault"})),
        )
            .into_response(),
    };
    if let Some(seconds) = retry_after_seconds {
        set_retry_after(&mut response, seconds);
    }
    response
}

/// An answer whose body fails before any byte is written, so the server drops the connection
/// without sending the status line: the client sees a connection error.
pub(crate) fn reset_connection() -> Response {
    let failing_body = tokio_stream::iter([Err::<Bytes, io::Error>(io::Error::new(
        io::ErrorKind::ConnectionReset,
        "injected connection reset",
    ))]);
    Response::new(Body::from_stream(failing_body))
}

fn html(status: StatusCode, page: &'static str) -> Response {
    let mut response = (status, page).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

fn status_code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}
