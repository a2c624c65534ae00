//! Ed25519 keys that sign and verify access tokens: the first configured key signs, every key
//! verifies, so a new key can be added first and an old one dropped later without logging
//! anyone out. The public halves are published as a JWKS document.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ed25519_dalek::{SigningKey, VerifyingKey};
use serde_json::json;

use crate::settings::SigningKeySettings;

/// DER prefix of an Ed25519 PKCS#8 v1 private key; the 32-byte seed follows it.
const PKCS8_ED25519_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

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
    /// Two keys share an id.
    #[error("key id `{kid}` is configured twice")]
    DuplicateKid {
        /// The key id.
        kid: String,
    },
    /// The system random source failed.
    #[error("cannot generate a key: no randomness")]
    Randomness,
}

/// The signing key set.
#[derive(Clone)]
pub struct SigningKeys {
    keys: Vec<(String, SigningKey)>,
}

impl std::fmt::Debug for SigningKeys {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kids: Vec<&str> = self.keys.iter().map(|(kid, _)| kid.as_str()).collect();
        formatter
            .debug_struct("SigningKeys")
            .field("kids", &kids)
            .finish()
    }
}

impl SigningKeys {
    /// Reads the configured keys; `None` when none is configured.
    pub fn from_settings(settings: &[SigningKeySettings]) -> Result<Option<Self>, KeyError> {
        if settings.is_empty() {
            return Ok(None);
        }
        let mut keys: Vec<(String, SigningKey)> = Vec::with_capacity(settings.len());
        for key in settings {
            if keys.iter().any(|(kid, _)| kid == &key.kid) {
                return Err(KeyError::DuplicateKid {
                    kid: key.kid.clone(),
                });
            }
            let seed = decode_private_key(&key.kid, key.private_key.expose())?;
            keys.push((key.kid.clone(), SigningKey::from_bytes(&seed)));
        }
        Ok(Some(SigningKeys { keys }))
    }

    /// One fresh key, for deployments without configured keys.
    pub fn generate() -> Result<Self, KeyError> {
        let mut seed = [0_u8; 32];
        getrandom::getrandom(&mut seed).map_err(|_| KeyError::Randomness)?;
        let kid = format!("generated-{}", uuid::Uuid::new_v4().simple());
        Ok(SigningKeys {
            keys: vec![(kid, SigningKey::from_bytes(&seed))],
        })
    }

    /// The key that signs new tokens, with its id.
    pub fn signer(&self) -> (&str, &SigningKey) {
        let (kid, key) = &self.keys[0];
        (kid, key)
    }

    /// The verifying key of `kid`.
    pub fn verifier(&self, kid: &str) -> Option<VerifyingKey> {
        self.keys
            .iter()
            .find(|(candidate, _)| candidate == kid)
            .map(|(_, key)| key.verifying_key())
    }

    /// The public keys as a JWKS document (RFC 7517, OKP keys of RFC 8037).
    pub fn jwks(&self) -> serde_json::Value {
        let keys: Vec<serde_json::Value> = self
            .keys
            .iter()
            .map(|(kid, key)| {
                json!({
                    "kty": "OKP",
                    "crv": "Ed25519",
                    "x": URL_SAFE_NO_PAD.encode(key.verifying_key().as_bytes()),
                    "kid": kid,
                    "alg": "EdDSA",
                    "use": "sig",
                })
            })
            .collect();
        json!({ "keys": keys })
    }
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
        assert_eq!(keys.signer().0, "new");
    }
}
