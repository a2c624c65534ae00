//! Shared building blocks of every Kensho process: layered configuration, the error-code table that
//! maps one failure to both a gRPC code and an HTTP status, secrets that never print, shutdown,
//! gRPC server plumbing, the resilience layer for upstream calls, and time at the wire.
#![forbid(unsafe_code)]

pub mod config;
pub mod error_code;
pub mod grpc;
pub mod resilience;
pub mod secret;
pub mod shutdown;
pub mod time;

pub use config::{ConfigError, load_config};
pub use error_code::ErrorCode;
pub use secret::Secret;
pub use shutdown::Shutdown;
