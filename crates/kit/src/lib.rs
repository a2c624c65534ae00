//! Shared building blocks of every Kensho process: layered configuration, the error-code table that
//! maps one failure to both a gRPC code and an HTTP status, the one error boundary of every gRPC
//! service, secrets that never print, shutdown, gRPC server and client plumbing, the one HTTP
//! server, Redis pools, the resilience layer for upstream calls, and time at the wire.
#![forbid(unsafe_code)]

pub mod admin;
pub mod config;
pub mod error_code;
pub mod flags;
pub mod grpc;
pub mod health;
pub mod http_server;
pub mod private_fs;
pub mod redis;
pub mod resilience;
pub mod secret;
pub mod service_error;
pub mod shutdown;
pub mod time;

pub use config::{ConfigError, load_config};
pub use error_code::ErrorCode;
pub use secret::Secret;
pub use service_error::{FieldViolation, ServiceError};
pub use shutdown::Shutdown;
