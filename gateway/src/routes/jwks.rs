//! `GET /.well-known/jwks.json`: the public keys that verify Kensho access tokens, as auth-svc
//! publishes them, served from the gateway's JWKS cache.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use crate::auth::current_jwks;
use crate::extract::{NoParams, StrictQuery};
use crate::problem::ApiError;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/.well-known/jwks.json", get(jwks))
}

async fn jwks(
    State(state): State<AppState>,
    StrictQuery(NoParams {}): StrictQuery<NoParams>,
) -> Result<Response, ApiError> {
    let jwks = current_jwks(&state, None).await?;
    let mut response = Json(jwks.document().clone()).into_response();
    // Verifiers may keep the keys as long as the gateway does.
    let cache_control = format!("public, max-age={}", state.jwks.time_to_live().as_secs());
    if let Ok(value) = HeaderValue::from_str(&cache_control) {
        response.headers_mut().insert(header::CACHE_CONTROL, value);
    }
    Ok(response)
}
