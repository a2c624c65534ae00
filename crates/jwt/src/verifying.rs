//! Public keys that verify access tokens, and the JWKS document they travel in.

use jsonwebtoken::DecodingKey;
use jsonwebtoken::jwk::{
    AlgorithmParameters, CommonParameters, EllipticCurve, Jwk, JwkSet, KeyAlgorithm,
    OctetKeyPairParameters, OctetKeyPairType, PublicKeyUse,
};
use serde::Deserialize;

use crate::{Claims, SigningKey, TokenError, TokenSettings, UnverifiedToken};

/// Length of an Ed25519 public key.
const ED25519_PUBLIC_KEY_LENGTH: usize = 32;

/// The public half of an Ed25519 signing key.
#[derive(Clone)]
pub struct VerifyingKey {
    decoding_key: DecodingKey,
    /// The key as the JWK `x` parameter (base64url), kept to publish it again.
    x: String,
}

impl std::fmt::Debug for VerifyingKey {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("VerifyingKey")
            .field("x", &self.x)
            .finish()
    }
}

impl VerifyingKey {
    /// The key of an Ed25519 OKP JWK; `None` for any other kind of key.
    pub(crate) fn from_jwk(jwk: &Jwk) -> Option<Self> {
        let AlgorithmParameters::OctetKeyPair(parameters) = &jwk.algorithm else {
            return None;
        };
        if parameters.curve != EllipticCurve::Ed25519 {
            return None;
        }
        let decoding_key = DecodingKey::from_ed_components(&parameters.x).ok()?;
        // jsonwebtoken reads the first 32 bytes of an EdDSA key without checking there are that
        // many, so a short key must not get this far.
        let length = decoding_key.try_get_as_bytes().ok()?.len();
        (length == ED25519_PUBLIC_KEY_LENGTH).then(|| VerifyingKey {
            decoding_key,
            x: parameters.x.clone(),
        })
    }

    /// The key as `jsonwebtoken` verifies with it.
    pub(crate) fn decoding_key(&self) -> &DecodingKey {
        &self.decoding_key
    }

    fn to_jwk(&self, kid: &str) -> Jwk {
        Jwk {
            common: CommonParameters {
                public_key_use: Some(PublicKeyUse::Signature),
                key_algorithm: Some(KeyAlgorithm::EdDSA),
                key_id: Some(kid.to_owned()),
                ..CommonParameters::default()
            },
            algorithm: AlgorithmParameters::OctetKeyPair(OctetKeyPairParameters {
                key_type: OctetKeyPairType::OctetKeyPair,
                curve: EllipticCurve::Ed25519,
                x: self.x.clone(),
            }),
        }
    }
}

/// Public keys by `kid`, in the order they were given (the signing key first).
#[derive(Clone, Debug, Default)]
pub struct VerifyingKeys {
    keys: Vec<(String, VerifyingKey)>,
}

impl VerifyingKeys {
    /// The public halves of `signing_keys`.
    pub fn from_signing_keys<'a>(signing_keys: impl IntoIterator<Item = &'a SigningKey>) -> Self {
        let keys = signing_keys
            .into_iter()
            .map(|key| (key.kid().to_owned(), key.verifying_key().clone()))
            .collect();
        VerifyingKeys { keys }
    }

    /// The Ed25519 keys of a JWKS document; keys of other kinds, or without a `kid`, are
    /// ignored.
    pub fn from_jwks(document: &serde_json::Value) -> Result<Self, serde_json::Error> {
        let set = JwkSet::deserialize(document)?;
        let keys = set
            .keys
            .iter()
            .filter_map(|jwk| Some((jwk.common.key_id.clone()?, VerifyingKey::from_jwk(jwk)?)))
            .collect();
        Ok(VerifyingKeys { keys })
    }

    /// The keys as a JWKS document: `{"keys":[{"kty":"OKP","crv":"Ed25519","x","kid",
    /// "alg":"EdDSA","use":"sig"}]}`.
    pub fn to_jwks(&self) -> serde_json::Value {
        let set = JwkSet {
            keys: self.keys.iter().map(|(kid, key)| key.to_jwk(kid)).collect(),
        };
        // A set of plain JWKs always serialises.
        serde_json::to_value(set).unwrap_or_default()
    }

    /// The key with id `kid`.
    pub fn key(&self, kid: &str) -> Option<&VerifyingKey> {
        self.keys
            .iter()
            .find(|(candidate, _)| candidate == kid)
            .map(|(_, key)| key)
    }

    /// Verifies `token` with the key its `kid` names, that it belongs to `deployment`, then its
    /// validity at `now_unix`.
    pub fn verify(
        &self,
        token: &str,
        deployment: &TokenSettings,
        now_unix: i64,
    ) -> Result<Claims, TokenError> {
        let unverified = UnverifiedToken::parse(token)?;
        let key = self.key(unverified.kid()).ok_or(TokenError::UnknownKey)?;
        unverified.verify(key, deployment, now_unix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(kid: &str, seed: u8) -> SigningKey {
        SigningKey::from_seed(kid, &[seed; 32]).expect("a valid seed")
    }

    #[test]
    fn a_signed_token_reads_back_its_claims_through_the_key_set() {
        let key = key("k1", 1);
        let deployment = TokenSettings::default();
        let claims = Claims::issue(&deployment, "account", "session", 100, 100);
        let token = key.sign(&claims).expect("signs");
        let keys = VerifyingKeys::from_signing_keys([&key]);
        assert_eq!(keys.verify(&token, &deployment, 199), Ok(claims));
        assert_eq!(
            VerifyingKeys::default().verify(&token, &deployment, 199),
            Err(TokenError::UnknownKey)
        );
    }

    #[test]
    fn the_jwks_round_trips_its_ed25519_keys_in_order() {
        let new = key("new", 1);
        let old = key("old", 2);
        let published = VerifyingKeys::from_signing_keys([&new, &old]).to_jwks();
        assert_eq!(
            published["keys"][0],
            serde_json::json!({
                "kty": "OKP",
                "crv": "Ed25519",
                "x": published["keys"][0]["x"],
                "kid": "new",
                "alg": "EdDSA",
                "use": "sig",
            })
        );
        assert_eq!(published["keys"][1]["kid"], "old");
        let read_back = VerifyingKeys::from_jwks(&published).expect("a jwks");
        assert_eq!(read_back.to_jwks(), published);
        let deployment = TokenSettings::default();
        let token = old
            .sign(&Claims::issue(&deployment, "account", "session", 100, 100))
            .expect("signs");
        assert!(read_back.verify(&token, &deployment, 150).is_ok());
    }

    #[test]
    fn keys_that_are_not_ed25519_or_lack_an_id_are_ignored() {
        let x = key("k", 3).verifying_key().x.clone();
        let document = serde_json::json!({"keys": [
            {"kty": "OKP", "crv": "Ed25519", "x": x, "kid": "k1"},
            {"kty": "OKP", "crv": "Ed25519", "x": x},
            {"kty": "OKP", "crv": "Ed25519", "x": "c2hvcnQ", "kid": "short"},
            {"kty": "RSA", "kid": "rsa"},
        ]});
        let keys = VerifyingKeys::from_jwks(&document).expect("a jwks");
        assert!(keys.key("k1").is_some());
        assert!(keys.key("short").is_none());
        assert!(keys.key("rsa").is_none());
        assert_eq!(keys.to_jwks()["keys"].as_array().map(Vec::len), Some(1));
    }
}
