//! HTTP caching of catalog reads: every successful anonymous catalog GET carries a strong `ETag`
//! (a hash of the body after field selection), `Cache-Control: public, max-age=N` for its
//! resource class and `Vary: Accept-Encoding`; a matching `If-None-Match` is answered 304 with
//! no body. Requests with `Authorization` are marked `private`, as a shared cache must not keep
//! them. The catalog's own `Cache-Status` member travels here from gRPC metadata.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The gRPC metadata key the catalog's cache status arrives in.
const CACHE_STATUS_METADATA: &str = "kensho-cache-status";
/// The RFC 9211 response header.
pub const CACHE_STATUS: &str = "cache-status";
/// Largest body hashed for an `ETag`; larger bodies pass through without one.
const MAX_TAGGED_BODY_BYTES: usize = 16 * 1024 * 1024;

/// The `[gateway.http_cache]` section: how long clients and shared caches may keep catalog reads.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpCacheSettings {
    /// `max-age` of anime details and episode lists, in seconds.
    pub anime_max_age_seconds: u32,
    /// `max-age` of search results, in seconds.
    pub search_max_age_seconds: u32,
    /// `max-age` of the catalog list, tags and seasonal browse, in seconds.
    pub list_max_age_seconds: u32,
}

impl Default for HttpCacheSettings {
    fn default() -> Self {
        HttpCacheSettings {
            anime_max_age_seconds: 60,
            search_max_age_seconds: 30,
            list_max_age_seconds: 60,
        }
    }
}

impl HttpCacheSettings {
    /// The `max-age` of a catalog path; `None` for paths that are not catalog reads.
    pub(crate) fn max_age(&self, path: &str) -> Option<u32> {
        if path == "/api/v1/anime/batch" {
            None
        } else if path.starts_with("/api/v1/anime/") {
            Some(self.anime_max_age_seconds)
        } else if path.starts_with("/api/v1/search") {
            Some(self.search_max_age_seconds)
        } else if path == "/api/v1/anime"
            || path.starts_with("/api/v1/tags")
            || path.starts_with("/api/v1/browse")
            || path == "/api/v1/seasons"
        {
            Some(self.list_max_age_seconds)
        } else {
            None
        }
    }
}

/// Copies the catalog's cache status from gRPC metadata into an RFC 9211 `Cache-Status` header.
pub fn cache_status_header(metadata: &tonic::metadata::MetadataMap) -> Option<HeaderValue> {
    let value = metadata.get(CACHE_STATUS_METADATA)?.to_str().ok()?;
    HeaderValue::from_str(value).ok()
}

/// Tags successful catalog GETs and answers revalidations with 304.
pub async fn conditional_get(
    State(settings): State<HttpCacheSettings>,
    request: Request,
    next: Next,
) -> Response {
    let max_age = settings.max_age(request.uri().path());
    let (Method::GET, Some(max_age)) = (request.method().clone(), max_age) else {
        return next.run(request).await;
    };
    let authorized = request.headers().contains_key(header::AUTHORIZATION);
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_TAGGED_BODY_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let etag = strong_etag(&bytes);
    set_caching_headers(&mut parts.headers, &etag, max_age, authorized);
    if if_none_match.is_some_and(|candidates| if_none_match_matches(&candidates, &etag)) {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_TYPE);
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn strong_etag(body: &[u8]) -> HeaderValue {
    let digest = Sha256::digest(body);
    let tag = format!("\"{}\"", hex::encode(&digest[..16]));
    HeaderValue::from_str(&tag).unwrap_or_else(|_| HeaderValue::from_static("\"\""))
}

fn set_caching_headers(
    headers: &mut HeaderMap,
    etag: &HeaderValue,
    max_age: u32,
    authorized: bool,
) {
    let visibility = if authorized { "private" } else { "public" };
    let cache_control = format!("{visibility}, max-age={max_age}");
    headers.insert(header::ETAG, etag.clone());
    if let Ok(value) = HeaderValue::from_str(&cache_control) {
        headers.insert(header::CACHE_CONTROL, value);
    }
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
}

/// `If-None-Match` semantics (RFC 9110 §13.1.2): `*` or any listed tag equal to ours, weakly.
pub(crate) fn if_none_match_matches(candidates: &HeaderValue, etag: &HeaderValue) -> bool {
    let Ok(candidates) = candidates.to_str() else {
        return false;
    };
    let Ok(ours) = etag.to_str() else {
        return false;
    };
    candidates.split(',').map(str::trim).any(|candidate| {
        candidate == "*" || candidate.strip_prefix("W/").unwrap_or(candidate) == ours
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_accepts_a_list_and_weak_forms_of_our_tag() {
        let ours = strong_etag(b"{}");
        let listed = format!("\"other\", W/{}", ours.to_str().expect("ascii"));
        assert!(if_none_match_matches(
            &HeaderValue::from_str(&listed).expect("value"),
            &ours
        ));
        assert!(if_none_match_matches(&HeaderValue::from_static("*"), &ours));
        assert!(!if_none_match_matches(
            &HeaderValue::from_static("\"other\""),
            &ours
        ));
    }

    #[test]
    fn only_catalog_reads_get_a_max_age() {
        let settings = HttpCacheSettings::default();
        assert_eq!(settings.max_age("/api/v1/anime/abc"), Some(60));
        assert_eq!(settings.max_age("/api/v1/search"), Some(30));
        assert_eq!(settings.max_age("/api/v1/anime/batch"), None);
        assert_eq!(settings.max_age("/api/v1/stream/a/1"), None);
    }
}
