//! Extractors whose rejections are problem+json with the offending field, instead of axum's
//! plain-text defaults.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::problem::ApiError;

/// Query parameters, or a 400 problem naming the query.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| ApiQuery(value))
            .map_err(|rejection: QueryRejection| {
                ApiError::invalid_field("query", rejection.body_text())
            })
    }
}

/// A JSON body, or a 400 problem saying what is wrong with it.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::Json::<T>::from_request(request, state)
            .await
            .map(|axum::Json(value)| ApiJson(value))
            .map_err(|rejection: JsonRejection| match rejection.status() {
                StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => {
                    ApiError::invalid_field("body", rejection.body_text())
                }
                status => ApiError::Rejected {
                    status,
                    message: rejection.body_text(),
                },
            })
    }
}

/// A JSON body that may hold secrets (passwords, tokens): like [`ApiJson`], but a body that
/// does not deserialize is refused without quoting it, since the deserializer's message can
/// echo the values it saw.
pub struct SensitiveJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for SensitiveJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::Json::<T>::from_request(request, state)
            .await
            .map(|axum::Json(value)| SensitiveJson(value))
            .map_err(|rejection: JsonRejection| match rejection {
                JsonRejection::JsonSyntaxError(_) => {
                    ApiError::invalid_field("body", "is not valid JSON")
                }
                JsonRejection::JsonDataError(_) => ApiError::invalid_field(
                    "body",
                    "must be a JSON object whose fields are strings",
                ),
                other => ApiError::Rejected {
                    status: other.status(),
                    message: other.body_text(),
                },
            })
    }
}

/// Parses an optional numeric query parameter, naming it in the error.
pub fn optional_u32(value: Option<&str>, field: &str) -> Result<Option<u32>, ApiError> {
    match value {
        None | Some("") => Ok(None),
        Some(text) => text
            .parse::<u32>()
            .map(Some)
            .map_err(|_| ApiError::invalid_field(field, "must be a non-negative whole number")),
    }
}
