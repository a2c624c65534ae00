//! Access tokens as three-part base64url JWTs. Clients decode the payload without checking the
//! signature (§2.4), so the signature is a plain SHA-256 over a per-process key and the signing
//! input: well-formed, unforgeable enough for a simulator, and never verified by anyone.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The JWT header the simulator writes.
const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

/// The claims of an access token.
#[derive(Debug, Serialize)]
pub(crate) struct Claims {
    pub(crate) sub: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) account_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) profile_id: Option<String>,
    pub(crate) benefits: Vec<String>,
    pub(crate) client_id: String,
    pub(crate) device_id: String,
    pub(crate) country: &'static str,
    pub(crate) iat: u64,
    pub(crate) exp: u64,
    pub(crate) jti: String,
}

/// Encodes and signs `claims` with `key`.
pub(crate) fn encode(claims: &Claims, key: &str) -> String {
    // Serialising a struct of strings and integers cannot fail.
    let payload = serde_json::to_vec(claims).unwrap_or_default();
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(HEADER),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let signature = Sha256::new()
        .chain_update(key.as_bytes())
        .chain_update(b".")
        .chain_update(signing_input.as_bytes())
        .finalize();
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_three_parts_and_a_decodable_payload() {
        let claims = Claims {
            sub: "account".to_owned(),
            account_id: Some("account".to_owned()),
            profile_id: None,
            benefits: vec!["cr_premium".to_owned()],
            client_id: "client".to_owned(),
            device_id: "device".to_owned(),
            country: "US",
            iat: 1,
            exp: 301,
            jti: "id".to_owned(),
        };
        let token = encode(&claims, "key");
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let payload: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).expect("base64url"))
                .expect("json");
        assert_eq!(payload["benefits"][0], "cr_premium");
        assert_eq!(payload["exp"], 301);
    }
}
