//! Kensho access tokens: compact JWS (JWT) signed with EdDSA, claims `sub`, `sid`, `iat`, `exp`,
//! and the signing key's `kid` in the header. Verification is local, so it needs no store.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, Signer};
use serde::{Deserialize, Serialize};

use crate::keys::SigningKeys;

/// The claims of an access token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The Crunchyroll account id.
    pub sub: String,
    /// The Kensho session id.
    pub sid: String,
    /// Issued at, Unix seconds.
    pub iat: i64,
    /// Expires at, Unix seconds.
    pub exp: i64,
}

#[derive(Serialize, Deserialize)]
struct Header {
    alg: String,
    typ: String,
    kid: String,
}

/// Why an access token is not accepted.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    /// Not a compact JWS of the expected shape.
    #[error("malformed token")]
    Malformed,
    /// No configured key has the token's `kid`.
    #[error("unknown signing key")]
    UnknownKey,
    /// The signature does not verify.
    #[error("bad signature")]
    BadSignature,
    /// `exp` has passed.
    #[error("expired")]
    Expired,
}

/// Signs `claims` with the current signing key.
pub fn issue(keys: &SigningKeys, claims: &Claims) -> String {
    let (kid, key) = keys.signer();
    let header = Header {
        alg: "EdDSA".to_owned(),
        typ: "JWT".to_owned(),
        kid: kid.to_owned(),
    };
    // Serialising these plain structs cannot fail.
    let header_json = serde_json::to_vec(&header).unwrap_or_default();
    let claims_json = serde_json::to_vec(claims).unwrap_or_default();
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header_json),
        URL_SAFE_NO_PAD.encode(claims_json)
    );
    let signature = key.sign(signing_input.as_bytes());
    format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(signature.to_bytes())
    )
}

/// Verifies the signature and expiry of `token` at `now_unix`.
pub fn verify(keys: &SigningKeys, token: &str, now_unix: i64) -> Result<Claims, JwtError> {
    let mut parts = token.split('.');
    let (Some(header_part), Some(claims_part), Some(signature_part), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed);
    };
    let header: Header = decode_json(header_part)?;
    if header.alg != "EdDSA" {
        return Err(JwtError::Malformed);
    }
    let verifier = keys.verifier(&header.kid).ok_or(JwtError::UnknownKey)?;
    let signature_bytes = URL_SAFE_NO_PAD
        .decode(signature_part)
        .map_err(|_| JwtError::Malformed)?;
    let signature = Signature::from_slice(&signature_bytes).map_err(|_| JwtError::Malformed)?;
    let signing_input_length = header_part.len() + 1 + claims_part.len();
    verifier
        .verify_strict(&token.as_bytes()[..signing_input_length], &signature)
        .map_err(|_| JwtError::BadSignature)?;
    let claims: Claims = decode_json(claims_part)?;
    if claims.exp <= now_unix {
        return Err(JwtError::Expired);
    }
    Ok(claims)
}

fn decode_json<T: for<'de> Deserialize<'de>>(part: &str) -> Result<T, JwtError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| JwtError::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| JwtError::Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::SigningKeySettings;
    use base64::engine::general_purpose::STANDARD;
    use kensho_kit::Secret;

    fn keys(kids_and_seeds: &[(&str, u8)]) -> SigningKeys {
        let settings: Vec<SigningKeySettings> = kids_and_seeds
            .iter()
            .map(|(kid, seed)| SigningKeySettings {
                kid: (*kid).to_owned(),
                private_key: Secret::new(STANDARD.encode([*seed; 32])),
            })
            .collect();
        SigningKeys::from_settings(&settings)
            .expect("valid")
            .expect("configured")
    }

    fn claims(exp: i64) -> Claims {
        Claims {
            sub: "account".to_owned(),
            sid: "session".to_owned(),
            iat: 100,
            exp,
        }
    }

    #[test]
    fn a_token_verifies_until_it_expires() {
        let keys = keys(&[("k1", 1)]);
        let token = issue(&keys, &claims(200));
        assert_eq!(verify(&keys, &token, 199), Ok(claims(200)));
        assert_eq!(verify(&keys, &token, 200), Err(JwtError::Expired));
    }

    #[test]
    fn a_token_signed_by_an_older_key_still_verifies_after_rotation() {
        let old_token = issue(&keys(&[("old", 1)]), &claims(200));
        let rotated = keys(&[("new", 2), ("old", 1)]);
        assert!(verify(&rotated, &old_token, 150).is_ok());
        assert_eq!(
            verify(&keys(&[("new", 2)]), &old_token, 150),
            Err(JwtError::UnknownKey)
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
        assert_eq!(verify(&keys, &forged, 150), Err(JwtError::BadSignature));
        assert_eq!(verify(&keys, "not-a-jwt", 150), Err(JwtError::Malformed));
    }
}
