//! Why a token is refused, and why a key cannot be used.

/// Why an access token is refused. The messages are fit to show a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Not a compact JWS of the expected shape, algorithm or claims.
    #[error("the access token is malformed")]
    Malformed,
    /// No known key has the token's `kid`.
    #[error("the access token is signed by an unknown key")]
    UnknownKey,
    /// The signature does not verify.
    #[error("the access token signature does not verify")]
    BadSignature,
    /// `iss` or `aud` names another deployment.
    #[error("the access token was issued for another deployment")]
    Foreign,
    /// `nbf` is still ahead.
    #[error("the access token is not valid yet")]
    NotYetValid,
    /// `exp` has passed.
    #[error("the access token has expired")]
    Expired,
}

/// An Ed25519 key that cannot sign.
#[derive(Debug, thiserror::Error)]
#[error("the Ed25519 signing key cannot be used")]
pub struct KeyError(#[source] pub(crate) jsonwebtoken::errors::Error);
