//! auth-svc: Crunchyroll login, Kensho sessions and tokens, and custody of upstream tokens,
//! behind `kensho.auth.v1.AuthService`. Access tokens are EdDSA-signed JWTs (verifiable by
//! anyone holding the JWKS); refresh tokens are opaque, stored hashed and rotated on every use;
//! Crunchyroll tokens are stored encrypted in Redis or SQLite.
//!
//! The public surface is [`Application`] and the settings operators write; everything else is
//! reached over gRPC.
#![forbid(unsafe_code)]

mod crypto;
mod error;
mod grpc;
mod keys;
mod limits;
mod local_keys;
#[cfg(test)]
mod no_secrets_in_logs;
mod refresh;
mod sessions;
mod settings;
mod startup;
mod store;

pub use settings::{
    AuthConfig, AuthSettings, EncryptionKeySettings, LoginLimitSettings, SigningKeySettings,
    StoreBackend, StoreSettings,
};
pub use startup::Application;
