//! Kensho access tokens, in one place for the service that signs them (auth-svc), the one that
//! checks them (the gateway) and the tests that mint odd ones: compact JWS (JWT) signed with
//! EdDSA (Ed25519) through `jsonwebtoken`, the signing key named by `kid` in the header, claims
//! `sub`, `sid`, `iat` and `exp`. Verification accepts EdDSA only, needs a `kid`, and has no
//! leeway on `exp`. Public keys travel as a JWKS document of OKP keys (RFC 7517, RFC 8037).
#![forbid(unsafe_code)]

mod claims;
mod error;
mod signing;
mod token;
mod verifying;

pub use claims::Claims;
pub use error::{KeyError, TokenError};
pub use signing::{PKCS8_ED25519_PREFIX, SigningKey};
pub use token::UnverifiedToken;
pub use verifying::{VerifyingKey, VerifyingKeys};
