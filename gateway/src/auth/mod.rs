//! Bearer authentication for protected routes: the [`Authenticated`] extractor verifies the
//! access token's EdDSA signature and expiry locally (`kensho_jwt`, the format auth-svc signs)
//! against auth-svc's cached JWKS, then asks auth-svc (`Introspect`) whether its session is still
//! alive, so a logout takes effect at once. The token itself is kept for the services that
//! derive the caller from it (stream-svc).

mod jwks;

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use kensho_jwt::{Claims, TokenError, UnverifiedToken};
use kensho_kit::Secret;
use kensho_proto::auth::v1 as pb;

pub use jwks::{Jwks, JwksCache};

use crate::problem::{ApiError, BearerChallenge};
use crate::state::AppState;

/// The caller of a protected route, as its verified access token says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authenticated {
    /// The Crunchyroll account id.
    pub subject: String,
    /// The Kensho session id.
    pub session_id: String,
    /// The verified access token, passed on to services that check the caller themselves.
    pub access_token: Secret<String>,
}

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let access_token = bearer_token(&parts.headers)?;
        let claims = verify_locally(state, access_token).await?;
        let introspection = state
            .auth
            .clone()
            .introspect(pb::IntrospectRequest {
                access_token: access_token.to_owned(),
            })
            .await
            .map_err(ApiError::token_refused)?
            .into_inner();
        if !introspection.active {
            return Err(invalid_token("the session has ended"));
        }
        Ok(Authenticated {
            subject: claims.sub,
            session_id: claims.sid,
            access_token: Secret::new(access_token.to_owned()),
        })
    }
}

/// The token of an `Authorization: Bearer <token>` header.
fn bearer_token(headers: &HeaderMap) -> Result<&str, ApiError> {
    let missing = |detail: &str| ApiError::Unauthenticated {
        challenge: BearerChallenge::Credentials,
        detail: detail.to_owned(),
    };
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or_else(|| missing("an access token is required"))?;
    let text = value
        .to_str()
        .map_err(|_| missing("the Authorization header is not a bearer token"))?;
    let (scheme, token) = text
        .split_once(' ')
        .ok_or_else(|| missing("the Authorization header is not a bearer token"))?;
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return Err(missing("the Authorization header is not a bearer token"));
    }
    Ok(token)
}

/// Signature, deployment and validity period, checked with the cached keys; an unknown `kid`
/// refetches them once.
async fn verify_locally(state: &AppState, access_token: &str) -> Result<Claims, ApiError> {
    let token = UnverifiedToken::parse(access_token).map_err(refused)?;
    let mut jwks = current_jwks(state, None).await?;
    if jwks.key(token.kid()).is_none() {
        jwks = current_jwks(state, Some(token.kid())).await?;
    }
    let key = jwks
        .key(token.kid())
        .ok_or_else(|| refused(TokenError::UnknownKey))?;
    token
        .verify(key, &state.token_deployment, now_unix())
        .map_err(refused)
}

/// The cached JWKS, fetched from auth-svc when missing, stale or lacking `wanted_kid`.
pub async fn current_jwks(
    state: &AppState,
    wanted_kid: Option<&str>,
) -> Result<Arc<Jwks>, ApiError> {
    state
        .jwks
        .get(wanted_kid, || async {
            let response = state
                .auth
                .clone()
                .get_jwks(pb::GetJwksRequest {})
                .await?
                .into_inner();
            Jwks::parse(&response.jwks_json).map_err(|error| {
                tonic::Status::internal(format!("auth-svc sent an unreadable jwks: {error}"))
            })
        })
        .await
        .map_err(ApiError::Backend)
}

fn refused(error: TokenError) -> ApiError {
    invalid_token(&error.to_string())
}

fn invalid_token(detail: &str) -> ApiError {
    ApiError::Unauthenticated {
        challenge: BearerChallenge::InvalidToken,
        detail: detail.to_owned(),
    }
}

fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(authorization: Option<&'static str>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Some(value) = authorization {
            headers.insert(header::AUTHORIZATION, HeaderValue::from_static(value));
        }
        headers
    }

    #[test]
    fn a_bearer_header_yields_its_token_whatever_the_scheme_case() {
        assert_eq!(bearer_token(&headers(Some("Bearer abc"))).ok(), Some("abc"));
        assert_eq!(bearer_token(&headers(Some("bearer abc"))).ok(), Some("abc"));
    }

    #[test]
    fn a_missing_or_non_bearer_header_asks_for_credentials() {
        for value in [
            None,
            Some("Basic dXNlcjpwYXNz"),
            Some("Bearer "),
            Some("Bearer"),
        ] {
            let error = bearer_token(&headers(value)).expect_err("refused");
            assert!(
                matches!(
                    error,
                    ApiError::Unauthenticated {
                        challenge: BearerChallenge::Credentials,
                        ..
                    }
                ),
                "{value:?}"
            );
        }
    }
}
