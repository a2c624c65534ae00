//! The REST routes, one module per resource; each exposes `router()` and the root merges them.

mod anime;
mod anime_list;
mod auth;
mod browse;
mod discovery;
mod health;
mod jwks;
mod me;
mod search;
mod season_clock;
mod stream;
mod tags;

use std::sync::Arc;

use axum::error_handling::HandleErrorLayer;
use axum::http::{HeaderValue, header};
use axum::middleware;
use axum::response::Response;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::{BoxError, ServiceBuilder};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;

use crate::problem::ApiError;
use crate::rate_limit::{self, ClassLimit, RateLimits, RouteClass};
use crate::state::AppState;

/// Every route of the gateway, each registered with its OpenAPI operation (`routes!`), so the
/// served routes and the document come from this one table. Each route class spends its own rate-limit budget (when `limits`
/// is set). API routes share one concurrency limit: past `max_concurrent_requests` a request is
/// shed at once (503) rather than queued behind the others; health routes stay outside both, so
/// an overloaded gateway still answers its probes.
pub fn router(
    max_concurrent_requests: usize,
    limits: Option<&Arc<RateLimits>>,
) -> OpenApiRouter<AppState> {
    let limited = |routes: OpenApiRouter<AppState>, class: RouteClass| match limits {
        Some(limits) => routes.layer(middleware::from_fn_with_state(
            ClassLimit::new(limits.clone(), class),
            rate_limit::enforce,
        )),
        None => routes,
    };
    let catalog = OpenApiRouter::new()
        .merge(anime::router())
        .merge(anime_list::router())
        .merge(browse::router())
        .merge(discovery::router())
        .merge(tags::router())
        .merge(jwks::router());
    // Tokens, who owns them and per-user stream URLs must not land in any cache.
    let private = OpenApiRouter::new()
        .merge(limited(
            OpenApiRouter::new()
                .merge(auth::router())
                .merge(me::router()),
            RouteClass::Auth,
        ))
        .merge(limited(stream::router(), RouteClass::Streams))
        .layer(middleware::map_response(no_store));
    let api = OpenApiRouter::new()
        .merge(limited(catalog, RouteClass::Catalog))
        .merge(limited(search::router(), RouteClass::Search))
        .merge(private)
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(|_: BoxError| async {
                    ApiError::Overloaded
                }))
                .load_shed()
                // Global: axum layers each route separately, and the limit is for all of them.
                .layer(GlobalConcurrencyLimitLayer::new(
                    max_concurrent_requests.max(1),
                )),
        );
    OpenApiRouter::new()
        .merge(api)
        .merge(health::router())
        .fallback(|| async { ApiError::RouteNotFound })
}

async fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `limit` and `cursor`, shared by every list route.
#[derive(Debug, Default, serde::Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ListParams {
    /// Items per page.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100, default = 20)]
    limit: Option<String>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

impl crate::extract::Accepted for ListParams {
    const ACCEPTED: &'static [&'static str] = &["limit", "cursor"];
}

impl ListParams {
    fn page_size(&self) -> Result<Option<u32>, ApiError> {
        crate::extract::optional_u32(self.limit.as_deref(), "limit")
    }

    fn page_token(&self) -> String {
        self.cursor.clone().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests;
