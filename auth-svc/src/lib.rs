//! auth-svc: Crunchyroll login, Kensho sessions and tokens, and custody of upstream tokens,
//! behind `kensho.auth.v1.AuthService`. Access tokens are EdDSA-signed JWTs (verifiable by
//! anyone holding the JWKS); refresh tokens are opaque, stored hashed and rotated on every use;
//! Crunchyroll tokens are stored encrypted in Redis or SQLite.
#![forbid(unsafe_code)]

pub mod crypto;
pub mod error;
pub mod grpc;
pub mod keys;
pub mod limits;
pub mod local_keys;
pub mod refresh;
pub mod sessions;
pub mod settings;
pub mod startup;
pub mod store;

pub use settings::{AuthConfig, AuthSettings};
pub use startup::Application;
