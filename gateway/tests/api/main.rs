//! The gateway's REST API, tested end to end: real HTTP to the gateway, real gRPC to catalog-svc
//! and auth-svc, a real database seeded with the sample catalog.

mod anime;
mod anime_list;
mod auth;
mod balancing;
mod browse;
mod by_source;
mod discovery;
mod docs_page;
mod edge_cache;
mod edge_invalidation;
mod fields;
mod hardening;
mod health;
mod helpers;
mod http_cache;
mod logs;
mod lone_catalog;
mod metrics;
mod middleware;
mod observability;
mod openapi;
mod openapi_compat;
mod params;
mod rate_limit;
mod scrape;
mod sdk_go;
mod sdk_python;
mod sdk_typescript;
mod search;
mod services;
mod stream;
mod sync;
mod tags;
mod traces;
mod trust;
