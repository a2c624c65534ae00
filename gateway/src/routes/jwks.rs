//! `GET /.well-known/jwks.json`: the public keys that verify Kensho access tokens, as auth-svc
//! publishes them, served from the gateway's JWKS cache.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::current_jwks;
use crate::extract::{NoParams, StrictQuery};
use crate::problem::ApiError;
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(jwks))
}

/// The public keys that verify access tokens (EdDSA, Ed25519), by `kid` (RFC 7517 key set).
#[utoipa::path(
    get,
    path = "/.well-known/jwks.json",
    tag = "auth",
    responses((status = 200, description = "The key set.", body = Object))
)]
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
