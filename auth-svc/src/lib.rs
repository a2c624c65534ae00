//! auth-svc: Crunchyroll login, Kensho sessions and tokens, and custody of upstream tokens,
//! behind `kensho.auth.v1.AuthService`. The service boots, reports health and serves reflection;
//! its methods answer UNIMPLEMENTED until sessions land.
#![forbid(unsafe_code)]

pub mod grpc;
pub mod settings;
pub mod startup;

pub use settings::{AuthConfig, AuthSettings};
pub use startup::Application;
