//! The gateway's REST API, tested end to end: real HTTP to the gateway, real gRPC to catalog-svc
//! and auth-svc, a real database seeded with the sample catalog.

mod anime;
mod anime_list;
mod auth;
mod browse;
mod by_source;
mod fields;
mod hardening;
mod helpers;
mod http_cache;
mod metrics;
mod middleware;
mod observability;
mod params;
mod rate_limit;
mod scrape;
mod search;
mod services;
mod stream;
mod sync;
mod tags;
mod traces;
mod trust;
