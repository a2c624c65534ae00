//! Kensho access tokens, in one place for the service that signs them (auth-svc), the one that
//! checks them (the gateway) and the tests that mint odd ones: compact JWS (JWT) signed with
//! EdDSA (Ed25519) through `jsonwebtoken`, in RFC 9068's profile: header `typ` `at+jwt` and the
//! signing key's `kid`; claims `iss`, `aud`, `sub`, `sid`, `iat`, `nbf` and `exp`. Verification
//! accepts EdDSA only, needs a `kid` and the `at+jwt` type, checks `iss` and `aud` against the
//! deployment's [`TokenSettings`], and has no leeway on `nbf` or `exp`. Public keys travel as a
//! JWKS document of OKP keys (RFC 7517, RFC 8037).
#![forbid(unsafe_code)]

mod claims;
mod error;
mod settings;
mod signing;
mod token;
mod verifying;

pub use claims::Claims;
pub use error::{KeyError, TokenError};
pub use settings::TokenSettings;
pub use signing::{PKCS8_ED25519_PREFIX, SigningKey};
pub use token::{ACCESS_TOKEN_TYPE, UnverifiedToken};
pub use verifying::{VerifyingKey, VerifyingKeys};
