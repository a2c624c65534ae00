//! The deployment a token belongs to: its issuer and audience, the same in auth-svc (which
//! writes them into every token) and the gateway (which accepts only tokens naming both).

use serde::{Deserialize, Serialize};

/// The `tokens` configuration section: who issues access tokens and who they are for. Two
/// deployments with different values refuse each other's tokens even if they shared a key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TokenSettings {
    /// The `iss` claim (`tokens.issuer`).
    pub issuer: String,
    /// The `aud` claim (`tokens.audience`).
    pub audience: String,
}

impl Default for TokenSettings {
    fn default() -> Self {
        TokenSettings {
            issuer: "kensho".to_owned(),
            audience: "kensho-api".to_owned(),
        }
    }
}
