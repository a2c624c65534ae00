//! The edge cache: anonymous GETs of catalog resources answered from the gateway's own
//! short-lived response cache. It sits outside compression, so what it stores is the body as
//! sent (after field selection, compressed once for the negotiated encoding) with its strong
//! `ETag` and headers; a hit answers `If-None-Match` with 304 itself. Requests carrying
//! `Authorization` and every route outside the catalog pass straight through. Entries are keyed
//! by path, normalised query and negotiated encoding, expire after their route class's TTL and
//! are dropped when catalog-svc publishes an invalidation (see [`store`]). A hit still spends
//! the client's rate-limit token and carries fresh `RateLimit` headers.

mod settings;
mod store;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use kensho_cache::CacheHub;
use kensho_kit::flags::Flags;
use kensho_telemetry::metrics::names::{CACHE_HITS_TOTAL, CACHE_MISSES_TOTAL};

use crate::conditional::{CACHE_STATUS, if_none_match_matches};
use crate::rate_limit::{self, ClientKey, RateLimits, RouteClass};
use crate::request_id::REQUEST_ID_HEADER;
pub use settings::EdgeCacheSettings;
use store::{EdgeEntry, EdgeStore};

/// This cache's name in `Cache-Status`.
const CACHE_NAME: &str = "kensho-edge";
/// The `layer` label of the edge cache's metrics.
const METRICS_LAYER: &str = "edge";
/// Largest body collected on a miss; larger ones are answered 500 by the conditional layer
/// before reaching here anyway.
const MAX_COLLECTED_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Route classes, each with its own TTL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EdgeClass {
    /// One anime's reads: detail, episodes.
    Anime,
    /// Search results.
    Search,
    /// Reads over many anime: the list, tags, seasons, seasonal browse, source lookup.
    List,
}

impl EdgeClass {
    fn label(self) -> &'static str {
        match self {
            EdgeClass::Anime => "anime",
            EdgeClass::Search => "search",
            EdgeClass::List => "list",
        }
    }

    fn rate_limit_class(self) -> RouteClass {
        match self {
            EdgeClass::Search => RouteClass::Search,
            EdgeClass::Anime | EdgeClass::List => RouteClass::Catalog,
        }
    }

    /// The class of a matched route template, and the anime it is about; `None` for routes
    /// that are never edge-cached.
    fn of_route(template: &str, path: &str) -> Option<(EdgeClass, Option<String>)> {
        match template {
            "/api/v1/anime/{id}" | "/api/v1/anime/{id}/episodes" => {
                let anime_id = path.split('/').nth(4).map(str::to_owned);
                Some((EdgeClass::Anime, anime_id))
            }
            "/api/v1/search" => Some((EdgeClass::Search, None)),
            "/api/v1/anime"
            | "/api/v1/anime/by-source"
            | "/api/v1/tags"
            | "/api/v1/seasons"
            | "/api/v1/browse/season/{year}/{season}" => Some((EdgeClass::List, None)),
            _ => None,
        }
    }
}

/// The edge cache of one gateway: its settings, entries and the rate limits a hit spends.
#[derive(Clone)]
pub struct EdgeCache {
    settings: Arc<EdgeCacheSettings>,
    store: EdgeStore,
    rate_limits: Option<Arc<RateLimits>>,
    flags: Flags,
}

/// The feature flag the edge cache is rolled out behind (on when no flag file names it).
pub const EDGE_CACHE_FLAG: &str = "edge-cache";

impl EdgeCache {
    /// An empty edge cache; hits spend tokens of `rate_limits` when set; each client uses it
    /// only while the `edge-cache` flag of `flags` is on for its address.
    pub(crate) fn new(
        settings: &EdgeCacheSettings,
        rate_limits: Option<Arc<RateLimits>>,
        flags: Flags,
    ) -> Self {
        EdgeCache {
            settings: Arc::new(settings.clone()),
            store: EdgeStore::new(settings.max_bytes),
            rate_limits,
            flags,
        }
    }

    /// Drops entries whenever `hub` delivers an invalidation (from catalog-svc over pub/sub).
    pub fn follow(&self, hub: &CacheHub) {
        let store = self.store.clone();
        hub.on_invalidation(Arc::new(move |invalidation| store.apply(invalidation)));
    }
}

/// Answers cacheable requests from the edge cache, storing successful answers of the inner stack.
pub(crate) async fn edge_cache(
    State(cache): State<EdgeCache>,
    mut request: Request,
    next: Next,
) -> Response {
    let Some((class, anime_id, ttl)) = cacheable(&cache.settings, &request) else {
        return next.run(request).await;
    };
    // Anonymous callers are told apart by address: a rollout keeps each client in its bucket.
    let client_address = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| peer.ip().to_string())
        .unwrap_or_default();
    if !cache.flags.enabled(EDGE_CACHE_FLAG, &client_address, true) {
        return next.run(request).await;
    }
    let encoding = negotiated_encoding(request.headers());
    let key = cache_key(&request, encoding);
    let if_none_match = request.headers_mut().remove(header::IF_NONE_MATCH);
    if let Some(entry) = cache.store.get(&key).await {
        let client = match &cache.rate_limits {
            Some(limits) => match rate_limit::client_of(limits, &request) {
                Some(client) => Some(client),
                // An unknown API key: the inner stack answers it.
                None => return next.run(request).await,
            },
            None => None,
        };
        if let Some(response) = answer_hit(&cache, class, client, &entry, if_none_match).await {
            metrics::counter!(CACHE_HITS_TOTAL, "layer" => METRICS_LAYER, "class" => class.label())
                .increment(1);
            return response;
        }
        // Refused by the rate limit: the inner stack answers (and renders) the refusal.
        return next.run(request).await;
    }
    metrics::counter!(CACHE_MISSES_TOTAL, "layer" => METRICS_LAYER, "class" => class.label())
        .increment(1);
    // The stored body must be the one the key names, whatever else the client accepts.
    request
        .headers_mut()
        .insert(header::ACCEPT_ENCODING, HeaderValue::from_static(encoding));
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_COLLECTED_BODY_BYTES).await else {
        return internal_error();
    };
    let upstream_cache_status = parts.headers.get(CACHE_STATUS).cloned();
    let stored = bytes.len() <= cache.settings.max_entry_bytes;
    let edge_member = if stored {
        format!("{CACHE_NAME}; fwd=miss; stored")
    } else {
        format!("{CACHE_NAME}; fwd=miss")
    };
    set_cache_status(
        &mut parts.headers,
        upstream_cache_status.as_ref(),
        &edge_member,
    );
    let etag = parts.headers.get(header::ETAG).cloned();
    if stored {
        let entry = EdgeEntry {
            headers: storable_headers(&parts.headers),
            body: bytes.clone(),
            etag: etag.clone(),
            upstream_cache_status,
            class,
            anime_id,
            stored_at: Instant::now(),
            ttl,
        };
        cache.store.insert(key, entry).await;
    }
    if let (Some(candidates), Some(etag)) = (&if_none_match, &etag)
        && if_none_match_matches(candidates, etag)
    {
        return not_modified(parts.headers);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The class, anime and TTL of a request the edge cache may answer: an anonymous GET of a
/// catalog route whose class has a TTL.
fn cacheable(
    settings: &EdgeCacheSettings,
    request: &Request,
) -> Option<(EdgeClass, Option<String>, std::time::Duration)> {
    if !settings.enabled
        || request.method() != Method::GET
        || request.headers().contains_key(header::AUTHORIZATION)
    {
        return None;
    }
    let template = request.extensions().get::<MatchedPath>()?.as_str();
    let (class, anime_id) = EdgeClass::of_route(template, request.uri().path())?;
    let ttl = settings.ttl(class)?;
    Some((class, anime_id, ttl))
}

/// A hit's answer, spending a token of `client` when rate limits apply; `None` when the rate
/// limit refuses it.
async fn answer_hit(
    cache: &EdgeCache,
    class: EdgeClass,
    client: Option<ClientKey>,
    entry: &EdgeEntry,
    if_none_match: Option<HeaderValue>,
) -> Option<Response> {
    let mut headers = entry.headers.clone();
    if let (Some(limits), Some(client)) = (&cache.rate_limits, client) {
        let decision = limits.check(&client, class.rate_limit_class()).await;
        if !decision.is_allowed() {
            return None;
        }
        decision.write_headers(class.rate_limit_class(), &mut headers);
    }
    let edge_member = format!("{CACHE_NAME}; hit; ttl={}", entry.remaining_seconds());
    set_cache_status(
        &mut headers,
        entry.upstream_cache_status.as_ref(),
        &edge_member,
    );
    if let (Some(candidates), Some(etag)) = (&if_none_match, &entry.etag)
        && if_none_match_matches(candidates, etag)
    {
        return Some(not_modified(headers));
    }
    let mut response = Response::new(Body::from(entry.body.clone()));
    *response.headers_mut() = headers;
    Some(response)
}

/// The key of a request: path, query with its parameters in a canonical order, and encoding.
fn cache_key(request: &Request, encoding: &str) -> String {
    let mut pairs: Vec<(String, String)> =
        form_urlencoded::parse(request.uri().query().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    // By name only (stable): the order of a repeated parameter's values is kept.
    pairs.sort_by(|left, right| left.0.cmp(&right.0));
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    format!("{}?{query}#{encoding}", request.uri().path())
}

/// The one encoding the response will be compressed with: the client's most preferred of those
/// the gateway compresses with (`br`, then `gzip` on ties), or `identity`.
fn negotiated_encoding(headers: &HeaderMap) -> &'static str {
    let Some(accepted) = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|value| value.to_str().ok())
    else {
        return "identity";
    };
    let mut best = ("identity", 0.0_f32);
    for item in accepted.split(',') {
        let mut parts = item.split(';').map(str::trim);
        let coding = parts.next().unwrap_or("").to_ascii_lowercase();
        let quality = parts
            .find_map(|parameter| parameter.strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        let candidate = match coding.as_str() {
            "br" => "br",
            "gzip" => "gzip",
            _ => continue,
        };
        let better = quality > best.1 || (quality == best.1 && candidate == "br");
        if quality > 0.0 && better {
            best = (candidate, quality);
        }
    }
    best.0
}

/// `Cache-Status` lists caches from the origin outward: the catalog's member, then ours.
fn set_cache_status(headers: &mut HeaderMap, upstream: Option<&HeaderValue>, edge_member: &str) {
    let value = match upstream.and_then(|value| value.to_str().ok()) {
        Some(upstream) => format!("{upstream}, {edge_member}"),
        None => edge_member.to_owned(),
    };
    if let Ok(value) = HeaderValue::from_str(&value) {
        headers.insert(CACHE_STATUS, value);
    }
}

/// Headers worth replaying on a hit: not those the outer stack or the hit itself sets per request.
fn storable_headers(headers: &HeaderMap) -> HeaderMap {
    let per_request: [&HeaderName; 2] = [&REQUEST_ID_HEADER, &header::CONTENT_LENGTH];
    let mut stored = HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        if per_request.contains(&name)
            || name.as_str() == CACHE_STATUS
            || rate_limit::is_rate_limit_header(name)
        {
            continue;
        }
        stored.append(name.clone(), value.clone());
    }
    stored
}

fn not_modified(mut headers: HeaderMap) -> Response {
    headers.remove(header::CONTENT_TYPE);
    headers.remove(header::CONTENT_LENGTH);
    headers.remove(header::CONTENT_ENCODING);
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NOT_MODIFIED;
    *response.headers_mut() = headers;
    response
}

fn internal_error() -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers_accepting(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn the_negotiated_encoding_follows_preference_and_quality() {
        assert_eq!(negotiated_encoding(&HeaderMap::new()), "identity");
        assert_eq!(negotiated_encoding(&headers_accepting("gzip, br")), "br");
        assert_eq!(
            negotiated_encoding(&headers_accepting("br;q=0.5, gzip")),
            "gzip"
        );
        assert_eq!(
            negotiated_encoding(&headers_accepting("br;q=0, deflate")),
            "identity"
        );
    }

    #[test]
    fn equal_queries_in_another_order_share_a_key() {
        let first = Request::get("/api/v1/anime?type=tv&limit=5")
            .body(Body::empty())
            .expect("request");
        let second = Request::get("/api/v1/anime?limit=5&type=tv")
            .body(Body::empty())
            .expect("request");
        assert_eq!(cache_key(&first, "gzip"), cache_key(&second, "gzip"));
        assert_ne!(cache_key(&first, "gzip"), cache_key(&first, "br"));
    }

    #[test]
    fn only_catalog_routes_have_an_edge_class() {
        assert_eq!(
            EdgeClass::of_route("/api/v1/anime/{id}", "/api/v1/anime/abc"),
            Some((EdgeClass::Anime, Some("abc".to_owned())))
        );
        assert_eq!(
            EdgeClass::of_route("/api/v1/anime/batch", "/api/v1/anime/batch"),
            None
        );
        assert_eq!(EdgeClass::of_route("/api/v1/me", "/api/v1/me"), None);
    }
}
