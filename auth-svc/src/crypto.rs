//! Encryption of Crunchyroll tokens at rest: ChaCha20-Poly1305, a random nonce per encryption,
//! the key id stored beside the ciphertext (`kid.base64url(nonce || ciphertext)`), and the
//! session id as associated data so a ciphertext cannot be moved to another session.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};

use crate::keys::KeyError;
use crate::settings::EncryptionKeySettings;

const NONCE_LENGTH: usize = 12;

/// A ciphertext that cannot be decrypted.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    /// No configured key has the ciphertext's key id.
    #[error("no encryption key `{0}` is configured")]
    UnknownKey(String),
    /// Malformed, tampered with, or bound to another session.
    #[error("the ciphertext does not decrypt")]
    Corrupt,
    /// The system random source failed.
    #[error("no randomness for a nonce")]
    Randomness,
}

/// The encryption key set: the first key encrypts, every key decrypts.
#[derive(Clone)]
pub struct TokenCipher {
    keys: Vec<(String, ChaCha20Poly1305)>,
}

impl std::fmt::Debug for TokenCipher {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("TokenCipher")
    }
}

impl TokenCipher {
    /// Reads the configured keys; `None` when none is configured.
    pub fn from_settings(settings: &[EncryptionKeySettings]) -> Result<Option<Self>, KeyError> {
        if settings.is_empty() {
            return Ok(None);
        }
        let mut keys: Vec<(String, ChaCha20Poly1305)> = Vec::with_capacity(settings.len());
        for key in settings {
            if keys.iter().any(|(kid, _)| kid == &key.kid) || key.kid.contains('.') {
                return Err(KeyError::DuplicateKid {
                    kid: key.kid.clone(),
                });
            }
            let bytes =
                STANDARD
                    .decode(key.key.expose().trim())
                    .map_err(|_| KeyError::NotBase64 {
                        kid: key.kid.clone(),
                    })?;
            if bytes.len() != 32 {
                return Err(KeyError::WrongShape {
                    kid: key.kid.clone(),
                    expected: "32 bytes",
                });
            }
            let cipher =
                ChaCha20Poly1305::new_from_slice(&bytes).map_err(|_| KeyError::WrongShape {
                    kid: key.kid.clone(),
                    expected: "32 bytes",
                })?;
            keys.push((key.kid.clone(), cipher));
        }
        Ok(Some(TokenCipher { keys }))
    }

    /// Encrypts `plaintext`, bound to `session_id`.
    pub fn encrypt(&self, plaintext: &[u8], session_id: &str) -> Result<String, CryptoError> {
        let (kid, cipher) = &self.keys[0];
        let mut nonce = [0_u8; NONCE_LENGTH];
        getrandom::getrandom(&mut nonce).map_err(|_| CryptoError::Randomness)?;
        let payload = Payload {
            msg: plaintext,
            aad: session_id.as_bytes(),
        };
        let ciphertext = cipher
            .encrypt(&Nonce::from(nonce), payload)
            .map_err(|_| CryptoError::Corrupt)?;
        let mut sealed = nonce.to_vec();
        sealed.extend_from_slice(&ciphertext);
        Ok(format!("{kid}.{}", URL_SAFE_NO_PAD.encode(sealed)))
    }

    /// Decrypts what [`TokenCipher::encrypt`] produced for `session_id`, with any configured key.
    pub fn decrypt(&self, sealed: &str, session_id: &str) -> Result<Vec<u8>, CryptoError> {
        let (kid, encoded) = sealed.split_once('.').ok_or(CryptoError::Corrupt)?;
        let (_, cipher) = self
            .keys
            .iter()
            .find(|(candidate, _)| candidate == kid)
            .ok_or_else(|| CryptoError::UnknownKey(kid.to_owned()))?;
        let bytes = URL_SAFE_NO_PAD
            .decode(encoded)
            .map_err(|_| CryptoError::Corrupt)?;
        if bytes.len() < NONCE_LENGTH {
            return Err(CryptoError::Corrupt);
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_LENGTH);
        let nonce: [u8; NONCE_LENGTH] = nonce.try_into().map_err(|_| CryptoError::Corrupt)?;
        let payload = Payload {
            msg: ciphertext,
            aad: session_id.as_bytes(),
        };
        cipher
            .decrypt(&Nonce::from(nonce), payload)
            .map_err(|_| CryptoError::Corrupt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kensho_kit::Secret;

    fn cipher(kids_and_bytes: &[(&str, u8)]) -> TokenCipher {
        let settings: Vec<EncryptionKeySettings> = kids_and_bytes
            .iter()
            .map(|(kid, byte)| EncryptionKeySettings {
                kid: (*kid).to_owned(),
                key: Secret::new(STANDARD.encode([*byte; 32])),
            })
            .collect();
        TokenCipher::from_settings(&settings)
            .expect("valid")
            .expect("configured")
    }

    #[test]
    fn what_is_encrypted_decrypts_for_the_same_session_only() {
        let cipher = cipher(&[("k1", 1)]);
        let sealed = cipher.encrypt(b"upstream", "session-a").expect("encrypts");
        assert_eq!(
            cipher.decrypt(&sealed, "session-a").expect("decrypts"),
            b"upstream"
        );
        assert!(matches!(
            cipher.decrypt(&sealed, "session-b"),
            Err(CryptoError::Corrupt)
        ));
        assert!(!sealed.contains("upstream"));
    }

    #[test]
    fn each_encryption_uses_a_fresh_nonce() {
        let cipher = cipher(&[("k1", 1)]);
        let first = cipher.encrypt(b"same", "s").expect("encrypts");
        let second = cipher.encrypt(b"same", "s").expect("encrypts");
        assert_ne!(first, second);
    }

    #[test]
    fn an_old_key_still_decrypts_after_a_new_key_is_put_first() {
        let sealed = cipher(&[("old", 1)])
            .encrypt(b"token", "s")
            .expect("encrypts");
        let rotated = cipher(&[("new", 2), ("old", 1)]);
        assert_eq!(rotated.decrypt(&sealed, "s").expect("decrypts"), b"token");
        assert!(
            rotated
                .encrypt(b"token", "s")
                .expect("encrypts")
                .starts_with("new.")
        );
    }
}
