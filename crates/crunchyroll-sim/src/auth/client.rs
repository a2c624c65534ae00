//! Client authentication: HTTP Basic (`base64(id:secret)`, the usual way) or the `client_id`
//! and `client_secret` form fields (multi-downloader-nx's way). The secret is never checked:
//! real credentials are public app constants.

use std::collections::HashMap;

use axum::http::{HeaderMap, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::errors::AuthError;

/// The client id of a token request, checked against `allowed` (empty allows any).
pub(crate) fn client_id(
    headers: &HeaderMap,
    form: &HashMap<String, String>,
    allowed: &[String],
) -> Result<String, AuthError> {
    let client_id = match headers.get(header::AUTHORIZATION) {
        Some(value) => basic_client_id(value.to_str().map_err(|_| AuthError::InvalidClient)?)?,
        None => form
            .get("client_id")
            .filter(|id| !id.is_empty())
            .cloned()
            .ok_or(AuthError::InvalidClient)?,
    };
    if !allowed.is_empty() && !allowed.contains(&client_id) {
        return Err(AuthError::InvalidClient);
    }
    Ok(client_id)
}

fn basic_client_id(authorization: &str) -> Result<String, AuthError> {
    let (scheme, encoded) = authorization
        .split_once(' ')
        .ok_or(AuthError::InvalidClient)?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(AuthError::InvalidClient);
    }
    let decoded = STANDARD
        .decode(encoded.trim())
        .map_err(|_| AuthError::InvalidClient)?;
    let credentials = String::from_utf8(decoded).map_err(|_| AuthError::InvalidClient)?;
    match credentials.split_once(':') {
        Some((id, _secret)) if !id.is_empty() => Ok(id.to_owned()),
        _ => Err(AuthError::InvalidClient),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basic(credentials: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let value = format!("Basic {}", STANDARD.encode(credentials));
        headers.insert(header::AUTHORIZATION, value.parse().expect("header value"));
        headers
    }

    #[test]
    fn basic_credentials_with_an_empty_secret_are_well_formed() {
        let id = client_id(&basic("web-client:"), &HashMap::new(), &[]);
        assert_eq!(id, Ok("web-client".to_owned()));
    }

    #[test]
    fn malformed_basic_credentials_are_refused() {
        for credentials in ["no-colon", ":secret-only"] {
            let id = client_id(&basic(credentials), &HashMap::new(), &[]);
            assert_eq!(id, Err(AuthError::InvalidClient), "{credentials}");
        }
    }

    #[test]
    fn form_credentials_are_checked_against_the_allow_list() {
        let form = HashMap::from([("client_id".to_owned(), "other".to_owned())]);
        let allowed = vec!["known".to_owned()];
        assert_eq!(
            client_id(&HeaderMap::new(), &form, &allowed),
            Err(AuthError::InvalidClient)
        );
    }
}
