//! Local verification of Kensho access tokens: compact JWS (JWT) signed with EdDSA (Ed25519),
//! the signing key named by `kid` in the header, claims `sub`, `sid` and `exp`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, VerifyingKey};
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// Why an access token is refused before anyone is asked about its session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenError {
    /// Not a compact JWS of the expected shape.
    Malformed,
    /// No published key has the token's `kid`.
    UnknownKey,
    /// The signature does not verify.
    BadSignature,
    /// `exp` has passed.
    Expired,
}

impl TokenError {
    /// What the client is told.
    pub fn detail(self) -> &'static str {
        match self {
            TokenError::Malformed => "the access token is malformed",
            TokenError::UnknownKey => "the access token is signed by an unknown key",
            TokenError::BadSignature => "the access token signature does not verify",
            TokenError::Expired => "the access token has expired",
        }
    }
}

/// The claims the gateway uses.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Claims {
    /// The Crunchyroll account id.
    pub sub: String,
    /// The Kensho session id.
    pub sid: String,
    /// Expires at, Unix seconds.
    pub exp: i64,
}

#[derive(Deserialize)]
struct Header {
    alg: String,
    kid: String,
}

/// A token split into its parts, its signature not yet checked.
pub struct UnverifiedToken<'a> {
    kid: String,
    signing_input: &'a [u8],
    claims_part: &'a str,
    signature: Signature,
}

impl<'a> UnverifiedToken<'a> {
    /// Splits `token` and reads its header; only EdDSA tokens with a `kid` are accepted.
    pub fn parse(token: &'a str) -> Result<Self, TokenError> {
        let mut parts = token.split('.');
        let (Some(header_part), Some(claims_part), Some(signature_part), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenError::Malformed);
        };
        let header: Header = decode_json(header_part)?;
        if header.alg != "EdDSA" {
            return Err(TokenError::Malformed);
        }
        let signature_bytes = URL_SAFE_NO_PAD
            .decode(signature_part)
            .map_err(|_| TokenError::Malformed)?;
        let signature =
            Signature::from_slice(&signature_bytes).map_err(|_| TokenError::Malformed)?;
        let signing_input_length = header_part.len() + 1 + claims_part.len();
        Ok(UnverifiedToken {
            kid: header.kid,
            signing_input: &token.as_bytes()[..signing_input_length],
            claims_part,
            signature,
        })
    }

    /// The id of the key that claims to have signed the token.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// Checks the signature with `key`, then the expiry at `now_unix`.
    pub fn verify(&self, key: &VerifyingKey, now_unix: i64) -> Result<Claims, TokenError> {
        key.verify_strict(self.signing_input, &self.signature)
            .map_err(|_| TokenError::BadSignature)?;
        let claims: Claims = decode_json(self.claims_part)?;
        if claims.exp <= now_unix {
            return Err(TokenError::Expired);
        }
        Ok(claims)
    }
}

fn decode_json<T: DeserializeOwned>(part: &str) -> Result<T, TokenError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| TokenError::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| TokenError::Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};

    fn sign(key: &SigningKey, header: &str, claims: &str) -> String {
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header),
            URL_SAFE_NO_PAD.encode(claims)
        );
        let signature = key.sign(signing_input.as_bytes());
        format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature.to_bytes())
        )
    }

    const HEADER: &str = r#"{"alg":"EdDSA","typ":"JWT","kid":"k1"}"#;
    const CLAIMS: &str = r#"{"sub":"account","sid":"session","iat":100,"exp":200}"#;

    #[test]
    fn a_signed_token_verifies_until_it_expires() {
        let key = SigningKey::from_bytes(&[1; 32]);
        let token = sign(&key, HEADER, CLAIMS);
        let parsed = UnverifiedToken::parse(&token).expect("well formed");
        assert_eq!(parsed.kid(), "k1");
        let claims = parsed.verify(&key.verifying_key(), 199).expect("verifies");
        assert_eq!(claims.sub, "account");
        assert_eq!(claims.sid, "session");
        assert_eq!(
            parsed.verify(&key.verifying_key(), 200),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn another_key_does_not_verify_the_signature() {
        let token = sign(&SigningKey::from_bytes(&[1; 32]), HEADER, CLAIMS);
        let stranger = SigningKey::from_bytes(&[2; 32]).verifying_key();
        let parsed = UnverifiedToken::parse(&token).expect("well formed");
        assert_eq!(parsed.verify(&stranger, 150), Err(TokenError::BadSignature));
    }

    #[test]
    fn tokens_of_the_wrong_shape_or_algorithm_are_malformed() {
        let key = SigningKey::from_bytes(&[1; 32]);
        let other_algorithm = sign(&key, r#"{"alg":"none","kid":"k1"}"#, CLAIMS);
        for token in [
            "",
            "a.b",
            "a.b.c.d",
            "not-base64!.x.y",
            other_algorithm.as_str(),
        ] {
            assert_eq!(
                UnverifiedToken::parse(token).err(),
                Some(TokenError::Malformed),
                "{token}"
            );
        }
    }
}
