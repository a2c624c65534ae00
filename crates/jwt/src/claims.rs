//! The claims every Kensho access token carries (RFC 9068's profile, with Kensho's session id).

use serde::{Deserialize, Serialize};

use crate::TokenSettings;

/// The claims of an access token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Who issued the token: the deployment's [`TokenSettings::issuer`].
    pub iss: String,
    /// Who the token is for: the deployment's [`TokenSettings::audience`].
    pub aud: String,
    /// The Crunchyroll account id.
    pub sub: String,
    /// The Kensho session id.
    pub sid: String,
    /// Issued at, Unix seconds.
    pub iat: i64,
    /// Not valid before, Unix seconds.
    pub nbf: i64,
    /// Expires at, Unix seconds.
    pub exp: i64,
}

impl Claims {
    /// The claims of a token of `deployment` for `sub`'s session `sid`, valid from `issued_at`
    /// for `lifetime_seconds`.
    pub fn issue(
        deployment: &TokenSettings,
        sub: impl Into<String>,
        sid: impl Into<String>,
        issued_at: i64,
        lifetime_seconds: i64,
    ) -> Self {
        Claims {
            iss: deployment.issuer.clone(),
            aud: deployment.audience.clone(),
            sub: sub.into(),
            sid: sid.into(),
            iat: issued_at,
            nbf: issued_at,
            exp: issued_at.saturating_add(lifetime_seconds),
        }
    }
}
