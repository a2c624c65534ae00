//! Errors of `POST /auth/v1/token`, with the captured bodies of §2.6.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Why a token request failed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum AuthError {
    /// Missing, malformed or not allow-listed client credentials.
    #[error("invalid client")]
    InvalidClient,
    /// Wrong username or password.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// Unknown, used or foreign-device refresh token.
    #[error("invalid refresh token")]
    InvalidRefreshToken,
    /// A required form field is missing.
    #[error("missing form field `{0}`")]
    MissingField(&'static str),
    /// Missing or unknown `grant_type`.
    #[error("unsupported grant type")]
    UnsupportedGrantType,
}

impl IntoResponse for AuthError {
    fn into_response(self) -> Response {
        let (status, code, error) = match self {
            AuthError::InvalidClient => (
                StatusCode::UNAUTHORIZED,
                "auth.obtain_access_token.client_inactive",
                "invalid_client",
            ),
            AuthError::InvalidCredentials => (
                StatusCode::UNAUTHORIZED,
                "auth.obtain_access_token.invalid_credentials",
                "invalid_grant",
            ),
            AuthError::InvalidRefreshToken => (
                StatusCode::BAD_REQUEST,
                "auth.obtain_access_token.oauth2_error",
                "invalid_grant",
            ),
            AuthError::MissingField(_) => (
                StatusCode::BAD_REQUEST,
                "auth.obtain_access_token.invalid_request",
                "invalid_request",
            ),
            AuthError::UnsupportedGrantType => (
                StatusCode::BAD_REQUEST,
                "auth.obtain_access_token.unsupported_grant_type",
                "unsupported_grant_type",
            ),
        };
        (
            status,
            Json(json!({"code": code, "context": [], "error": error})),
        )
            .into_response()
    }
}
