//! The gateway: Kensho's public REST API (`/api/v1/...`), translating each request into gRPC
//! calls to the services and their statuses back into HTTP (problem+json on every error).
#![forbid(unsafe_code)]

pub mod auth;
pub mod extract;
pub mod fields;
pub mod json;
pub mod problem;
pub mod request_id;
pub mod routes;
pub mod settings;
pub mod startup;
pub mod state;

pub use settings::{GatewayConfig, GatewaySettings};
pub use startup::Application;
