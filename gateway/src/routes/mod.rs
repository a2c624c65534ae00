//! The REST routes, one module per resource; each exposes `router()` and the root merges them.

mod anime;
mod browse;
mod health;
mod search;
mod tags;

use axum::Router;

use crate::problem::ApiError;
use crate::state::AppState;

/// Every route of the gateway.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(anime::router())
        .merge(search::router())
        .merge(browse::router())
        .merge(tags::router())
        .merge(health::router())
        .fallback(|| async { ApiError::RouteNotFound })
}

/// `limit` and `cursor`, shared by every list route.
#[derive(Debug, Default, serde::Deserialize)]
struct ListParams {
    limit: Option<String>,
    cursor: Option<String>,
}

impl ListParams {
    fn page_size(&self) -> Result<Option<u32>, ApiError> {
        crate::extract::optional_u32(self.limit.as_deref(), "limit")
    }

    fn page_token(&self) -> String {
        self.cursor.clone().unwrap_or_default()
    }
}
