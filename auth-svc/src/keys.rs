//! Ed25519 keys that sign and verify access tokens: the first configured key signs, every key
//! verifies, so a new key can be added first and an old one dropped later without logging
//! anyone out. The public halves are published as a JWKS document. The token format itself is
//! `kensho_jwt`'s, shared with the gateway.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use kensho_jwt::{
    Claims, PKCS8_ED25519_PREFIX, SigningKey, TokenError, TokenSettings, VerifyingKeys,
};

use crate::settings::SigningKeySettings;

/// A configured key that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The key is not valid base64.
    #[error("key `{kid}` is not valid base64")]
    NotBase64 {
        /// The key id.
        kid: String,
    },
    /// The decoded key has the wrong shape.
    #[error("key `{kid}` must be {expected}")]
    WrongShape {
        /// The key id.
        kid: String,
        /// What was expected.
        expected: &'static str,
    },
    /// The key has the right shape but cannot sign.
    #[error("key `{kid}` cannot sign")]
    Unusable {
        /// The key id.
        kid: String,
        /// Why.
        #[source]
        source: kensho_jwt::KeyError,
    },
    /// Two keys share an id.
    #[error("key id `{kid}` is configured twice")]
    DuplicateKid {
        /// The key id.
        kid: String,
    },
}

/// The signing key set.
#[derive(Clone, Debug)]
pub struct SigningKeys {
    /// Never empty: the first signs.
    signing: Vec<SigningKey>,
    verifying: VerifyingKeys,
}

impl SigningKeys {
    /// Reads the configured keys; `None` when none is configured.
    pub fn from_settings(settings: &[SigningKeySettings]) -> Result<Option<Self>, KeyError> {
        if settings.is_empty() {
            return Ok(None);
        }
        let mut signing: Vec<SigningKey> = Vec::with_capacity(settings.len());
        for key in settings {
            if signing.iter().any(|existing| existing.kid() == key.kid) {
                return Err(KeyError::DuplicateKid {
                    kid: key.kid.clone(),
                });
            }
            let seed = decode_private_key(&key.kid, key.private_key.expose())?;
            signing.push(signing_key(&key.kid, &seed)?);
        }
        Ok(Some(SigningKeys::new(signing)))
    }

    fn new(signing: Vec<SigningKey>) -> Self {
        let verifying = VerifyingKeys::from_signing_keys(&signing);
        SigningKeys { signing, verifying }
    }

    /// The key that signs new tokens.
    pub fn signer(&self) -> &SigningKey {
        &self.signing[0]
    }

    /// Signs `claims` with the current signing key.
    pub fn sign(&self, claims: &Claims) -> Result<String, kensho_jwt::KeyError> {
        self.signer().sign(claims)
    }

    /// Verifies the signature (with any configured key) of `token`, that it belongs to
    /// `deployment`, and its validity at `now_unix`.
    pub fn verify(
        &self,
        token: &str,
        deployment: &TokenSettings,
        now_unix: i64,
    ) -> Result<Claims, TokenError> {
        self.verifying.verify(token, deployment, now_unix)
    }

    /// The public keys as a JWKS document (RFC 7517, OKP keys of RFC 8037).
    pub fn jwks(&self) -> serde_json::Value {
        self.verifying.to_jwks()
    }
}

/// The deployment's access tokens: its keys, and the issuer and audience every token names.
#[derive(Clone, Debug)]
pub struct AccessTokens {
    keys: SigningKeys,
    deployment: TokenSettings,
}

impl AccessTokens {
    /// Tokens signed by `keys` for `deployment`.
    pub fn new(keys: SigningKeys, deployment: TokenSettings) -> Self {
        AccessTokens { keys, deployment }
    }

    /// A signed token for `sub`'s session `sid`, valid from `issued_at` for `lifetime_seconds`.
    pub fn issue(
        &self,
        sub: &str,
        sid: &str,
        issued_at: i64,
        lifetime_seconds: i64,
    ) -> Result<String, kensho_jwt::KeyError> {
        let claims = Claims::issue(&self.deployment, sub, sid, issued_at, lifetime_seconds);
        self.keys.sign(&claims)
    }

    /// The claims of `token` when one of the keys signed it for this deployment and it is valid
    /// at `now_unix`.
    pub fn verify(&self, token: &str, now_unix: i64) -> Result<Claims, TokenError> {
        self.keys.verify(token, &self.deployment, now_unix)
    }

    /// The public keys as a JWKS document.
    pub fn jwks(&self) -> serde_json::Value {
        self.keys.jwks()
    }
}

fn signing_key(kid: &str, seed: &[u8; 32]) -> Result<SigningKey, KeyError> {
    SigningKey::from_seed(kid, seed).map_err(|source| KeyError::Unusable {
        kid: kid.to_owned(),
        source,
    })
}

fn decode_private_key(kid: &str, encoded: &str) -> Result<[u8; 32], KeyError> {
    let bytes = STANDARD
        .decode(encoded.trim())
        .or_else(|_| URL_SAFE_NO_PAD.decode(encoded.trim()))
        .map_err(|_| KeyError::NotBase64 {
            kid: kid.to_owned(),
        })?;
    let seed = match bytes.len() {
        32 => &bytes[..],
        48 if bytes[..16] == PKCS8_ED25519_PREFIX => &bytes[16..],
        _ => {
            return Err(KeyError::WrongShape {
                kid: kid.to_owned(),
                expected: "an Ed25519 PKCS#8 key or a 32-byte seed",
            });
        }
    };
    let mut seed_array = [0_u8; 32];
    seed_array.copy_from_slice(seed);
    Ok(seed_array)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kensho_kit::Secret;

    fn settings(kid: &str, key: &[u8]) -> SigningKeySettings {
        SigningKeySettings {
            kid: kid.to_owned(),
            private_key: Secret::new(STANDARD.encode(key)),
        }
    }

    fn keys(kids_and_seeds: &[(&str, u8)]) -> SigningKeys {
        let settings: Vec<SigningKeySettings> = kids_and_seeds
            .iter()
            .map(|(kid, seed)| settings(kid, &[*seed; 32]))
            .collect();
        SigningKeys::from_settings(&settings)
            .expect("valid")
            .expect("configured")
    }

    fn claims(exp: i64) -> Claims {
        Claims::issue(&deployment(), "account", "session", 100, exp - 100)
    }

    fn deployment() -> TokenSettings {
        TokenSettings::default()
    }

    fn issue(keys: &SigningKeys, claims: &Claims) -> String {
        keys.sign(claims).expect("signs")
    }

    #[test]
    fn a_pkcs8_key_and_its_raw_seed_are_the_same_key() {
        let seed = [7_u8; 32];
        let mut pkcs8 = PKCS8_ED25519_PREFIX.to_vec();
        pkcs8.extend_from_slice(&seed);
        let from_pkcs8 = SigningKeys::from_settings(&[settings("a", &pkcs8)])
            .expect("valid")
            .expect("configured");
        let from_seed = SigningKeys::from_settings(&[settings("a", &seed)])
            .expect("valid")
            .expect("configured");
        assert_eq!(from_pkcs8.jwks(), from_seed.jwks());
    }

    #[test]
    fn a_key_of_the_wrong_length_is_refused_naming_its_kid() {
        let error =
            SigningKeys::from_settings(&[settings("short", &[1_u8; 31])]).expect_err("must fail");
        assert!(error.to_string().contains("short"));
    }

    #[test]
    fn the_jwks_lists_every_key_with_its_kid() {
        let keys =
            SigningKeys::from_settings(&[settings("new", &[1_u8; 32]), settings("old", &[2; 32])])
                .expect("valid")
                .expect("configured");
        let jwks = keys.jwks();
        assert_eq!(jwks["keys"][0]["kid"], "new");
        assert_eq!(jwks["keys"][1]["kid"], "old");
        assert_eq!(jwks["keys"][0]["crv"], "Ed25519");
        assert_eq!(keys.signer().kid(), "new");
    }

    #[test]
    fn a_token_verifies_until_it_expires() {
        let keys = keys(&[("k1", 1)]);
        let token = issue(&keys, &claims(200));
        assert_eq!(keys.verify(&token, &deployment(), 199), Ok(claims(200)));
        assert_eq!(
            keys.verify(&token, &deployment(), 200),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn a_token_signed_by_an_older_key_still_verifies_after_rotation() {
        let old_token = issue(&keys(&[("old", 1)]), &claims(200));
        let rotated = keys(&[("new", 2), ("old", 1)]);
        assert!(rotated.verify(&old_token, &deployment(), 150).is_ok());
        assert_eq!(
            keys(&[("new", 2)]).verify(&old_token, &deployment(), 150),
            Err(TokenError::UnknownKey)
        );
    }

    #[test]
    fn a_tampered_token_fails_its_signature() {
        let keys = keys(&[("k1", 1)]);
        let token = issue(&keys, &claims(200));
        let forged_claims = URL_SAFE_NO_PAD.encode(
            serde_json::to_vec(&Claims {
                sub: "someone-else".to_owned(),
                ..claims(200)
            })
            .expect("serialises"),
        );
        let parts: Vec<&str> = token.split('.').collect();
        let forged = format!("{}.{forged_claims}.{}", parts[0], parts[2]);
        assert_eq!(
            keys.verify(&forged, &deployment(), 150),
            Err(TokenError::BadSignature)
        );
        assert_eq!(
            keys.verify("not-a-jwt", &deployment(), 150),
            Err(TokenError::Malformed)
        );
    }
}
