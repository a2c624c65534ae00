//! Ed25519 keys that sign access tokens.

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use zeroize::Zeroizing;

use crate::{ACCESS_TOKEN_TYPE, Claims, KeyError, VerifyingKey};

/// DER prefix of an Ed25519 PKCS#8 v1 private key; the 32-byte seed follows it.
pub const PKCS8_ED25519_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

/// One Ed25519 key that signs access tokens, with the id written to their `kid`.
#[derive(Clone)]
pub struct SigningKey {
    kid: String,
    encoding_key: EncodingKey,
    verifying_key: VerifyingKey,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// The key whose 32-byte Ed25519 seed is `seed`, named `kid`.
    pub fn from_seed(kid: impl Into<String>, seed: &[u8; 32]) -> Result<Self, KeyError> {
        let mut pkcs8 = Zeroizing::new(Vec::with_capacity(PKCS8_ED25519_PREFIX.len() + 32));
        pkcs8.extend_from_slice(&PKCS8_ED25519_PREFIX);
        pkcs8.extend_from_slice(seed);
        let encoding_key = EncodingKey::from_ed_der(&pkcs8);
        // Building the JWK derives the public half, which also proves the key is usable.
        let jwk = Jwk::from_encoding_key(&encoding_key, Algorithm::EdDSA).map_err(KeyError)?;
        let verifying_key = VerifyingKey::from_jwk(&jwk)
            .ok_or_else(|| KeyError(ErrorKind::InvalidEddsaKey.into()))?;
        Ok(SigningKey {
            kid: kid.into(),
            encoding_key,
            verifying_key,
        })
    }

    /// The key id.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The public half, which verifies what this key signs.
    pub fn verifying_key(&self) -> &VerifyingKey {
        &self.verifying_key
    }

    /// Signs `claims` into a compact JWS with header `{"typ":"at+jwt","alg":"EdDSA","kid":...}`.
    pub fn sign(&self, claims: &Claims) -> Result<String, KeyError> {
        let header = Header {
            typ: Some(ACCESS_TOKEN_TYPE.to_owned()),
            kid: Some(self.kid.clone()),
            ..Header::new(Algorithm::EdDSA)
        };
        jsonwebtoken::encode(&header, claims, &self.encoding_key).map_err(KeyError)
    }
}

#[cfg(test)]
impl SigningKey {
    /// Signs any header and claims text, for tokens this crate would never issue.
    pub(crate) fn sign_raw(&self, header_json: &str, claims_json: &str) -> String {
        use base64::Engine;
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header_json),
            URL_SAFE_NO_PAD.encode(claims_json)
        );
        let signature = jsonwebtoken::crypto::sign(
            signing_input.as_bytes(),
            &self.encoding_key,
            Algorithm::EdDSA,
        )
        .expect("an ed25519 key signs");
        format!("{signing_input}.{signature}")
    }
}
