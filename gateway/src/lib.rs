//! The gateway: Kensho's public REST API (`/api/v1/...`), translating each request into gRPC
//! calls to the services and their statuses back into HTTP (problem+json on every error).
#![forbid(unsafe_code)]

mod auth;
mod extract;
mod fields;
mod json;
mod metrics;
mod problem;
mod request_id;
mod routes;
mod settings;
mod startup;
mod state;

pub use settings::{GatewayConfig, GatewaySettings};
pub use startup::Application;
