//! Access tokens minted for tests, through the same `kensho_jwt` format auth-svc signs: genuine
//! ones from a known Ed25519 seed and `kid` (expired, from a stranger key, under another `kid`),
//! and the kinds a verifier must refuse (other algorithms, unsigned, claims swapped under a
//! genuine signature, a JWT of another type).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
pub use kensho_jwt::Claims;
pub use kensho_jwt::TokenSettings;
use kensho_jwt::{PKCS8_ED25519_PREFIX, SigningKey, VerifyingKeys};

/// Signs access tokens with one Ed25519 key.
#[derive(Clone)]
pub struct TokenSigner {
    key: SigningKey,
    /// The same key as `jsonwebtoken` takes it, to sign headers auth-svc never writes.
    raw_key: EncodingKey,
}

impl std::fmt::Debug for TokenSigner {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("TokenSigner")
            .field("kid", &self.key.kid())
            .finish_non_exhaustive()
    }
}

impl TokenSigner {
    /// A signer whose key has the 32-byte `seed` and the id `kid`.
    pub fn new(kid: &str, seed: [u8; 32]) -> Self {
        let key = SigningKey::from_seed(kid, &seed).expect("every 32-byte seed is an Ed25519 key");
        let mut pkcs8 = PKCS8_ED25519_PREFIX.to_vec();
        pkcs8.extend_from_slice(&seed);
        let raw_key = EncodingKey::from_ed_der(&pkcs8);
        TokenSigner { key, raw_key }
    }

    /// A token exactly as auth-svc would issue it with this key.
    pub fn sign(&self, claims: &Claims) -> String {
        self.key.sign(claims).expect("an Ed25519 key signs")
    }

    /// A token signed by this key whose header `typ` is `typ` instead of `at+jwt`: a JWT of
    /// another kind (an ID token, say) that must not pass for an access token.
    pub fn sign_with_type(&self, claims: &Claims, typ: &str) -> String {
        let header = Header {
            typ: Some(typ.to_owned()),
            kid: Some(self.key.kid().to_owned()),
            ..Header::new(Algorithm::EdDSA)
        };
        jsonwebtoken::encode(&header, claims, &self.raw_key).expect("an Ed25519 key signs")
    }

    /// The JWKS document that publishes this key.
    pub fn jwks(&self) -> serde_json::Value {
        VerifyingKeys::from_signing_keys([&self.key]).to_jwks()
    }

    /// An HS256 token whose HMAC secret is this key's public half, with this key's `kid`: the
    /// algorithm-confusion forgery anyone holding the JWKS could make.
    pub fn sign_hs256_with_public_key(&self, claims: &Claims) -> String {
        let jwks = self.jwks();
        let public_key = jwks["keys"][0]["x"]
            .as_str()
            .expect("the published key has an x");
        let secret = URL_SAFE_NO_PAD.decode(public_key).expect("x is base64url");
        let header = Header {
            kid: Some(self.key.kid().to_owned()),
            ..Header::new(Algorithm::HS256)
        };
        let hmac_key = EncodingKey::from_secret(&secret).expect("a non-empty secret");
        jsonwebtoken::encode(&header, claims, &hmac_key).expect("an HMAC key signs")
    }
}

/// A token with `alg: none` under `kid` and an empty signature.
pub fn unsigned(kid: &str, claims: &Claims) -> String {
    let header = serde_json::json!({"alg": "none", "typ": "JWT", "kid": kid});
    format!("{}.{}.", encode_json(&header), encode_json(claims))
}

/// The claims of `token`, read without verifying it.
///
/// # Panics
/// When `token` is not a compact JWS with JSON claims of the Kensho shape.
pub fn read_claims(token: &str) -> Claims {
    let payload = token.split('.').nth(1).expect("a token has three parts");
    let bytes = URL_SAFE_NO_PAD.decode(payload).expect("base64url claims");
    serde_json::from_slice(&bytes).expect("claims of the Kensho shape")
}

/// `token` with its claims replaced by `claims` and its header and signature kept: a forgery
/// whose signature no longer matches.
///
/// # Panics
/// When `token` does not have three parts.
pub fn with_claims(token: &str, claims: &Claims) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "a token has three parts");
    format!("{}.{}.{}", parts[0], encode_json(claims), parts[2])
}

fn encode_json(value: &impl serde::Serialize) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).expect("JSON serialises"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> Claims {
        Claims::issue(&TokenSettings::default(), "account", "session", 100, 100)
    }

    fn published_keys(signer: &TokenSigner) -> VerifyingKeys {
        VerifyingKeys::from_jwks(&signer.jwks()).expect("a jwks")
    }

    #[test]
    fn a_signed_token_verifies_against_the_signers_jwks() {
        let signer = TokenSigner::new("k1", [1; 32]);
        let token = signer.sign(&claims());
        assert_eq!(
            published_keys(&signer).verify(&token, &TokenSettings::default(), 150),
            Ok(claims())
        );
        assert_eq!(read_claims(&token), claims());
    }

    #[test]
    fn forgeries_are_refused_by_the_signers_jwks() {
        let signer = TokenSigner::new("k1", [1; 32]);
        let keys = published_keys(&signer);
        let genuine = signer.sign(&claims());
        let swapped = with_claims(
            &genuine,
            &Claims {
                sub: "someone-else".to_owned(),
                ..claims()
            },
        );
        assert_eq!(
            keys.verify(&swapped, &TokenSettings::default(), 150),
            Err(kensho_jwt::TokenError::BadSignature)
        );
        for other_algorithm in [
            signer.sign_hs256_with_public_key(&claims()),
            unsigned("k1", &claims()),
            signer.sign_with_type(&claims(), "JWT"),
        ] {
            assert_eq!(
                keys.verify(&other_algorithm, &TokenSettings::default(), 150),
                Err(kensho_jwt::TokenError::Malformed)
            );
        }
    }
}
