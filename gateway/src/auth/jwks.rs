//! auth-svc's public keys (JWKS), fetched on first use and kept for `jwks_cache_seconds`; a
//! token naming an unknown `kid` refetches them once, so a newly published key is picked up
//! without waiting for the cache to expire.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kensho_jwt::{VerifyingKey, VerifyingKeys};
use tokio::sync::Mutex;

/// Shortest time between two fetches forced by unknown `kid`s, so tokens with made-up key ids
/// cannot turn every request into a JWKS fetch.
const MIN_FORCED_REFETCH_INTERVAL: Duration = Duration::from_secs(10);

/// One fetched JWKS document and the Ed25519 keys in it.
#[derive(Debug)]
pub struct Jwks {
    document: serde_json::Value,
    keys: VerifyingKeys,
    fetched_at: Instant,
}

impl Jwks {
    /// Parses a JWKS document; keys that are not Ed25519 signing keys are ignored.
    pub fn parse(json: &str) -> Result<Self, serde_json::Error> {
        let document: serde_json::Value = serde_json::from_str(json)?;
        let keys = VerifyingKeys::from_jwks(&document)?;
        Ok(Jwks {
            document,
            keys,
            fetched_at: Instant::now(),
        })
    }

    /// The document as auth-svc published it.
    pub fn document(&self) -> &serde_json::Value {
        &self.document
    }

    /// The key with id `kid`.
    pub fn key(&self, kid: &str) -> Option<&VerifyingKey> {
        self.keys.key(kid)
    }
}

/// The cached JWKS; clones share one cache.
#[derive(Clone, Debug)]
pub struct JwksCache {
    current: Arc<Mutex<Option<Arc<Jwks>>>>,
    time_to_live: Duration,
    min_forced_refetch_interval: Duration,
}

impl JwksCache {
    /// An empty cache whose documents live for `time_to_live`.
    pub fn new(time_to_live: Duration) -> Self {
        JwksCache {
            current: Arc::new(Mutex::new(None)),
            time_to_live,
            min_forced_refetch_interval: MIN_FORCED_REFETCH_INTERVAL,
        }
    }

    /// How long a fetched document is kept.
    pub fn time_to_live(&self) -> Duration {
        self.time_to_live
    }

    /// The cached keys, fetched with `fetch` when missing or older than the time to live; when
    /// `wanted_kid` is given and not among them, fetched again (at most once per
    /// [`MIN_FORCED_REFETCH_INTERVAL`]).
    pub async fn get<E, F, Fut>(&self, wanted_kid: Option<&str>, fetch: F) -> Result<Arc<Jwks>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Jwks, E>>,
    {
        // Held across the fetch: concurrent requests wait for one fetch instead of each making
        // their own.
        let mut current = self.current.lock().await;
        if let Some(jwks) = current.as_ref() {
            let age = jwks.fetched_at.elapsed();
            let has_wanted_key = wanted_kid.is_none_or(|kid| jwks.key(kid).is_some());
            let may_refetch = age >= self.min_forced_refetch_interval;
            if age < self.time_to_live && (has_wanted_key || !may_refetch) {
                return Ok(Arc::clone(jwks));
            }
        }
        let fetched = Arc::new(fetch().await?);
        *current = Some(Arc::clone(&fetched));
        Ok(fetched)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn document(kid: &str) -> String {
        let key = kensho_jwt::SigningKey::from_seed(kid, &[3; 32]).expect("a valid seed");
        let published = VerifyingKeys::from_signing_keys([&key]).to_jwks();
        let x = published["keys"][0]["x"].as_str().expect("x");
        format!(
            r#"{{"keys":[{{"kty":"OKP","crv":"Ed25519","x":"{x}","kid":"{kid}","alg":"EdDSA"}},{{"kty":"RSA","kid":"rsa"}}]}}"#
        )
    }

    async fn get(cache: &JwksCache, kid: Option<&str>, fetches: &AtomicUsize) -> Arc<Jwks> {
        cache
            .get(kid, || async {
                let count = fetches.fetch_add(1, Ordering::SeqCst);
                Jwks::parse(&document(&format!("k{count}")))
            })
            .await
            .expect("parses")
    }

    #[test]
    fn only_ed25519_keys_with_an_id_are_kept() {
        let jwks = Jwks::parse(&document("k1")).expect("parses");
        assert!(jwks.key("k1").is_some());
        assert!(jwks.key("rsa").is_none());
        assert_eq!(jwks.document()["keys"][1]["kty"], "RSA");
    }

    #[tokio::test]
    async fn keys_are_fetched_once_while_fresh() {
        let cache = JwksCache::new(Duration::from_secs(300));
        let fetches = AtomicUsize::new(0);
        get(&cache, None, &fetches).await;
        get(&cache, Some("k0"), &fetches).await;
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn an_unknown_kid_refetches_the_keys_once() {
        let cache = JwksCache {
            min_forced_refetch_interval: Duration::ZERO,
            ..JwksCache::new(Duration::from_secs(300))
        };
        let fetches = AtomicUsize::new(0);
        get(&cache, None, &fetches).await;
        let refetched = get(&cache, Some("k1"), &fetches).await;
        assert!(refetched.key("k1").is_some());
        get(&cache, Some("k1"), &fetches).await;
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn unknown_kids_do_not_refetch_within_the_minimum_interval() {
        let cache = JwksCache::new(Duration::from_secs(300));
        let fetches = AtomicUsize::new(0);
        get(&cache, None, &fetches).await;
        get(&cache, Some("made-up"), &fetches).await;
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn expired_keys_are_fetched_again() {
        let cache = JwksCache::new(Duration::ZERO);
        let fetches = AtomicUsize::new(0);
        get(&cache, None, &fetches).await;
        get(&cache, None, &fetches).await;
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
    }
}
