//! Refresh tokens: 256 random bits, base64url, opaque to clients. Only their SHA-256 hash is
//! stored, and hashes are compared in constant time.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use kensho_kit::Secret;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Length of an encoded refresh token: 32 bytes in unpadded base64url.
const ENCODED_LENGTH: usize = 43;

/// A refresh token as handed to the client.
#[derive(Clone, Debug)]
pub struct RefreshToken(Secret<String>);

/// The stored form of a refresh token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RefreshHash([u8; 32]);

impl RefreshToken {
    /// A fresh random token.
    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut bytes = [0_u8; 32];
        getrandom::getrandom(&mut bytes)?;
        Ok(RefreshToken(Secret::new(URL_SAFE_NO_PAD.encode(bytes))))
    }

    /// A token presented by a client, if it has the shape of one of ours.
    pub fn parse(presented: &str) -> Option<Self> {
        let well_formed = presented.len() == ENCODED_LENGTH
            && URL_SAFE_NO_PAD
                .decode(presented)
                .is_ok_and(|bytes| bytes.len() == 32);
        well_formed.then(|| RefreshToken(Secret::new(presented.to_owned())))
    }

    /// The token text, for the response to the client only.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }

    /// The hash under which the token is stored.
    pub fn hash(&self) -> RefreshHash {
        RefreshHash(Sha256::digest(self.0.expose().as_bytes()).into())
    }
}

impl RefreshHash {
    /// Hex form, for storage keys and columns.
    pub fn to_hex(self) -> String {
        self.0.iter().map(|byte| format!("{byte:02x}")).collect()
    }

    /// Reads the hex form.
    pub fn from_hex(text: &str) -> Option<Self> {
        if text.len() != 64 {
            return None;
        }
        let mut bytes = [0_u8; 32];
        for (index, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(text.get(index * 2..index * 2 + 2)?, 16).ok()?;
        }
        Some(RefreshHash(bytes))
    }

    /// Constant-time equality, so timing reveals nothing about a stored hash.
    pub fn matches(&self, other: &RefreshHash) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_token_parses_and_hashes_the_same() {
        let token = RefreshToken::generate().expect("randomness");
        let parsed = RefreshToken::parse(token.expose()).expect("well formed");
        assert!(parsed.hash().matches(&token.hash()));
        assert_eq!(token.expose().len(), ENCODED_LENGTH);
    }

    #[test]
    fn two_generated_tokens_differ() {
        let first = RefreshToken::generate().expect("randomness");
        let second = RefreshToken::generate().expect("randomness");
        assert!(!first.hash().matches(&second.hash()));
    }

    #[test]
    fn a_hash_survives_its_hex_form() {
        let hash = RefreshToken::generate().expect("randomness").hash();
        assert_eq!(RefreshHash::from_hex(&hash.to_hex()), Some(hash));
        assert_eq!(RefreshHash::from_hex("zz"), None);
    }

    #[test]
    fn malformed_tokens_are_refused() {
        assert!(RefreshToken::parse("").is_none());
        assert!(RefreshToken::parse("short").is_none());
        assert!(RefreshToken::parse(&"!".repeat(ENCODED_LENGTH)).is_none());
    }
}
