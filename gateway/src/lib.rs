//! The gateway: Kensho's public REST API (`/api/v1/...`), translating each request into gRPC
//! calls to the services and their statuses back into HTTP (problem+json on every error).
#![forbid(unsafe_code)]

mod auth;
mod conditional;
mod edge_cache;
mod enum_names;
mod extract;
mod fields;
mod json;
mod metrics;
mod openapi;
mod problem;
mod rate_limit;
mod request_id;
mod routes;
mod settings;
mod startup;
mod state;

pub use conditional::HttpCacheSettings;
pub use edge_cache::EdgeCacheSettings;
pub use rate_limit::{ApiKeySettings, ClassQuotas, Quota, RateLimitSettings};
pub use settings::{GatewayConfig, GatewaySettings};
pub use startup::Application;

/// The OpenAPI document the gateway serves at `/api/openapi.json`, built from its route table.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    let (_, route_table) = routes::router(1, None).split_for_parts();
    openapi::document(route_table)
}
