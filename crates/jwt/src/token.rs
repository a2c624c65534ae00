//! Reading and checking one access token.

use std::sync::LazyLock;

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, Validation};

use crate::{Claims, TokenError, TokenSettings, VerifyingKey};

/// The header `typ` of an access token (RFC 9068 §2.1), which keeps an ID token or any other JWT
/// signed by the same key from passing for one.
pub const ACCESS_TOKEN_TYPE: &str = "at+jwt";

/// What `jsonwebtoken` checks: the EdDSA signature and that the time claims are present. `iss`,
/// `aud`, `nbf` and `exp` themselves are compared by [`UnverifiedToken::verify`] against the
/// deployment and the caller's clock, with no leeway.
static VALIDATION: LazyLock<Validation> = LazyLock::new(|| {
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.leeway = 0;
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud"]);
    validation
});

/// A token whose header has been read, its signature not yet checked.
#[derive(Debug)]
pub struct UnverifiedToken<'a> {
    token: &'a str,
    kid: String,
}

impl<'a> UnverifiedToken<'a> {
    /// Reads the header of `token`: three parts, algorithm EdDSA, type `at+jwt`, a `kid`.
    pub fn parse(token: &'a str) -> Result<Self, TokenError> {
        if token.split('.').count() != 3 {
            return Err(TokenError::Malformed);
        }
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Malformed)?;
        if header.alg != Algorithm::EdDSA || !is_access_token_type(header.typ.as_deref()) {
            return Err(TokenError::Malformed);
        }
        let kid = header.kid.ok_or(TokenError::Malformed)?;
        Ok(UnverifiedToken { token, kid })
    }

    /// The id of the key that claims to have signed the token.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// Checks the signature with `key`, that the token belongs to `deployment`, then its validity
    /// at `now_unix`: valid from the second its `nbf` names, expired from the second its `exp`
    /// names.
    pub fn verify(
        &self,
        key: &VerifyingKey,
        deployment: &TokenSettings,
        now_unix: i64,
    ) -> Result<Claims, TokenError> {
        let verified = jsonwebtoken::decode::<Claims>(self.token, key.decoding_key(), &VALIDATION)
            .map_err(|error| match error.kind() {
                ErrorKind::InvalidSignature | ErrorKind::InvalidEddsaKey => {
                    TokenError::BadSignature
                }
                _ => TokenError::Malformed,
            })?;
        let claims = verified.claims;
        if claims.iss != deployment.issuer || claims.aud != deployment.audience {
            return Err(TokenError::Foreign);
        }
        if claims.nbf > now_unix {
            return Err(TokenError::NotYetValid);
        }
        if claims.exp <= now_unix {
            return Err(TokenError::Expired);
        }
        Ok(claims)
    }
}

/// `at+jwt`, or its media-type form `application/at+jwt`, in any case (RFC 9068 §4).
fn is_access_token_type(typ: Option<&str>) -> bool {
    let Some(typ) = typ else {
        return false;
    };
    let without_prefix = typ
        .get(..12)
        .filter(|prefix| prefix.eq_ignore_ascii_case("application/"))
        .map_or(typ, |_| &typ[12..]);
    without_prefix.eq_ignore_ascii_case(ACCESS_TOKEN_TYPE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SigningKey, VerifyingKeys};

    const HEADER: &str = r#"{"alg":"EdDSA","typ":"at+jwt","kid":"k1"}"#;
    const CLAIMS: &str = r#"{"iss":"kensho","aud":"kensho-api","sub":"account","sid":"session","iat":100,"nbf":100,"exp":200}"#;

    fn deployment() -> TokenSettings {
        TokenSettings::default()
    }

    fn key(kid: &str, seed: u8) -> SigningKey {
        SigningKey::from_seed(kid, &[seed; 32]).expect("a valid seed")
    }

    #[test]
    fn a_signed_token_verifies_until_it_expires() {
        let key = key("k1", 1);
        let token = key.sign_raw(HEADER, CLAIMS);
        let parsed = UnverifiedToken::parse(&token).expect("well formed");
        assert_eq!(parsed.kid(), "k1");
        let claims = parsed
            .verify(key.verifying_key(), &deployment(), 199)
            .expect("verifies");
        assert_eq!(claims.sub, "account");
        assert_eq!(claims.sid, "session");
        assert_eq!(
            parsed.verify(key.verifying_key(), &deployment(), 200),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn a_token_is_refused_before_its_not_before_time() {
        let key = key("k1", 1);
        let parsed_token = key.sign_raw(HEADER, CLAIMS);
        let parsed = UnverifiedToken::parse(&parsed_token).expect("well formed");
        assert_eq!(
            parsed.verify(key.verifying_key(), &deployment(), 99),
            Err(TokenError::NotYetValid)
        );
        assert!(
            parsed
                .verify(key.verifying_key(), &deployment(), 100)
                .is_ok()
        );
    }

    #[test]
    fn a_token_of_another_issuer_or_audience_is_foreign() {
        let key = key("k1", 1);
        let token = key.sign_raw(HEADER, CLAIMS);
        let parsed = UnverifiedToken::parse(&token).expect("well formed");
        let other_issuer = TokenSettings {
            issuer: "https://kensho.example".to_owned(),
            ..deployment()
        };
        let other_audience = TokenSettings {
            audience: "another-api".to_owned(),
            ..deployment()
        };
        for expected in [other_issuer, other_audience] {
            assert_eq!(
                parsed.verify(key.verifying_key(), &expected, 150),
                Err(TokenError::Foreign),
                "{expected:?}"
            );
        }
    }

    #[test]
    fn the_access_token_type_is_required_in_either_form() {
        let key = key("k1", 1);
        for typ in ["at+jwt", "AT+JWT", "application/at+jwt"] {
            let header = format!(r#"{{"alg":"EdDSA","typ":"{typ}","kid":"k1"}}"#);
            let token = key.sign_raw(&header, CLAIMS);
            assert!(UnverifiedToken::parse(&token).is_ok(), "{typ}");
        }
        for header in [
            r#"{"alg":"EdDSA","typ":"JWT","kid":"k1"}"#,
            r#"{"alg":"EdDSA","typ":"application/jwt","kid":"k1"}"#,
            r#"{"alg":"EdDSA","kid":"k1"}"#,
        ] {
            let token = key.sign_raw(header, CLAIMS);
            assert_eq!(
                UnverifiedToken::parse(&token).err(),
                Some(TokenError::Malformed),
                "{header}"
            );
        }
    }

    #[test]
    fn another_key_does_not_verify_the_signature() {
        let token = key("k1", 1).sign_raw(HEADER, CLAIMS);
        let stranger = key("k1", 2);
        let parsed = UnverifiedToken::parse(&token).expect("well formed");
        assert_eq!(
            parsed.verify(stranger.verifying_key(), &deployment(), 150),
            Err(TokenError::BadSignature)
        );
    }

    #[test]
    fn tokens_of_the_wrong_shape_or_algorithm_are_malformed() {
        let key = key("k1", 1);
        let other_algorithm = key.sign_raw(r#"{"alg":"none","kid":"k1"}"#, CLAIMS);
        let hmac = key.sign_raw(r#"{"alg":"HS256","kid":"k1"}"#, CLAIMS);
        let without_kid = key.sign_raw(r#"{"alg":"EdDSA","typ":"at+jwt"}"#, CLAIMS);
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
    fn a_token_missing_a_required_claim_or_with_claims_of_another_shape_is_malformed() {
        let key = key("k1", 1);
        let keys = VerifyingKeys::from_signing_keys([&key]);
        for claims in [
            r#"{"iss":"kensho","aud":"kensho-api","sub":"account","sid":"session","iat":100,"nbf":100}"#,
            r#"{"iss":"kensho","aud":"kensho-api","sub":"account","sid":"session","iat":100,"exp":200}"#,
            r#"{"aud":"kensho-api","sub":"account","sid":"session","iat":100,"nbf":100,"exp":200}"#,
            r#"{"iss":"kensho","sub":"account","sid":"session","iat":100,"nbf":100,"exp":200}"#,
            r#"{"iss":"kensho","aud":"kensho-api","sub":"account","iat":100,"nbf":100,"exp":200}"#,
            r#"{"iss":"kensho","aud":"kensho-api","sub":"account","sid":"session","iat":100,"nbf":100,"exp":"later"}"#,
        ] {
            let token = key.sign_raw(HEADER, claims);
            assert_eq!(
                keys.verify(&token, &deployment(), 150),
                Err(TokenError::Malformed),
                "{claims}"
            );
        }
    }
}
