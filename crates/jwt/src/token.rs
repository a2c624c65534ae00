//! Reading and checking one access token.

use std::sync::LazyLock;

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, Validation};

use crate::{Claims, TokenError, VerifyingKey};

/// What `jsonwebtoken` checks: the EdDSA signature and that `exp` is present. `exp` itself is
/// compared by [`UnverifiedToken::verify`] against the caller's clock, with no leeway.
static VALIDATION: LazyLock<Validation> = LazyLock::new(|| {
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.leeway = 0;
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.set_required_spec_claims(&["exp"]);
    validation
});

/// A token whose header has been read, its signature not yet checked.
#[derive(Debug)]
pub struct UnverifiedToken<'a> {
    token: &'a str,
    kid: String,
}

impl<'a> UnverifiedToken<'a> {
    /// Reads the header of `token`: three parts, algorithm EdDSA, a `kid`.
    pub fn parse(token: &'a str) -> Result<Self, TokenError> {
        if token.split('.').count() != 3 {
            return Err(TokenError::Malformed);
        }
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Malformed)?;
        if header.alg != Algorithm::EdDSA {
            return Err(TokenError::Malformed);
        }
        let kid = header.kid.ok_or(TokenError::Malformed)?;
        Ok(UnverifiedToken { token, kid })
    }

    /// The id of the key that claims to have signed the token.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// Checks the signature with `key`, then the expiry at `now_unix`: a token is expired from
    /// the second its `exp` names.
    pub fn verify(&self, key: &VerifyingKey, now_unix: i64) -> Result<Claims, TokenError> {
        let verified = jsonwebtoken::decode::<Claims>(self.token, key.decoding_key(), &VALIDATION)
            .map_err(|error| match error.kind() {
                ErrorKind::InvalidSignature | ErrorKind::InvalidEddsaKey => {
                    TokenError::BadSignature
                }
                _ => TokenError::Malformed,
            })?;
        if verified.claims.exp <= now_unix {
            return Err(TokenError::Expired);
        }
        Ok(verified.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SigningKey, VerifyingKeys};

    const HEADER: &str = r#"{"alg":"EdDSA","typ":"JWT","kid":"k1"}"#;
    const CLAIMS: &str = r#"{"sub":"account","sid":"session","iat":100,"exp":200}"#;

    fn key(kid: &str, seed: u8) -> SigningKey {
        SigningKey::from_seed(kid, &[seed; 32]).expect("a valid seed")
    }

    #[test]
    fn a_signed_token_verifies_until_it_expires() {
        let key = key("k1", 1);
        let token = key.sign_raw(HEADER, CLAIMS);
        let parsed = UnverifiedToken::parse(&token).expect("well formed");
        assert_eq!(parsed.kid(), "k1");
        let claims = parsed.verify(key.verifying_key(), 199).expect("verifies");
        assert_eq!(claims.sub, "account");
        assert_eq!(claims.sid, "session");
        assert_eq!(
            parsed.verify(key.verifying_key(), 200),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn another_key_does_not_verify_the_signature() {
        let token = key("k1", 1).sign_raw(HEADER, CLAIMS);
        let stranger = key("k1", 2);
        let parsed = UnverifiedToken::parse(&token).expect("well formed");
        assert_eq!(
            parsed.verify(stranger.verifying_key(), 150),
            Err(TokenError::BadSignature)
        );
    }

    #[test]
    fn tokens_of_the_wrong_shape_or_algorithm_are_malformed() {
        let key = key("k1", 1);
        let other_algorithm = key.sign_raw(r#"{"alg":"none","kid":"k1"}"#, CLAIMS);
        let hmac = key.sign_raw(r#"{"alg":"HS256","kid":"k1"}"#, CLAIMS);
        let without_kid = key.sign_raw(r#"{"alg":"EdDSA","typ":"JWT"}"#, CLAIMS);
        for token in [
            "",
            "a.b",
            "a.b.c.d",
            "not-base64!.x.y",
            other_algorithm.as_str(),
            hmac.as_str(),
            without_kid.as_str(),
        ] {
            assert_eq!(
                UnverifiedToken::parse(token).err(),
                Some(TokenError::Malformed),
                "{token}"
            );
        }
    }

    #[test]
    fn a_token_without_exp_or_with_claims_of_another_shape_is_malformed() {
        let key = key("k1", 1);
        let keys = VerifyingKeys::from_signing_keys([&key]);
        for claims in [
            r#"{"sub":"account","sid":"session","iat":100}"#,
            r#"{"sub":"account","iat":100,"exp":200}"#,
            r#"{"sub":"account","sid":"session","iat":100,"exp":"later"}"#,
        ] {
            let token = key.sign_raw(HEADER, claims);
            assert_eq!(
                keys.verify(&token, 150),
                Err(TokenError::Malformed),
                "{claims}"
            );
        }
    }
}
