//! stream-svc: playable stream URLs for episodes, per user, behind
//! `kensho.stream.v1.StreamService`. The service boots, reports health and serves reflection;
//! its methods answer UNIMPLEMENTED until streaming lands.
#![forbid(unsafe_code)]

pub mod grpc;
pub mod settings;
pub mod startup;

pub use settings::{StreamConfig, StreamSettings};
pub use startup::Application;
