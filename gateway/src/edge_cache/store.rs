//! The stored responses: a moka cache bounded by bytes (TinyLFU admission), each entry expiring
//! after its route class's TTL, and the mapping from catalog-svc's invalidations to the entries
//! they make obsolete.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue};
use kensho_cache::Invalidation;
use moka::Expiry;
use moka::future::Cache;

use super::EdgeClass;

/// One stored response: everything needed to answer a hit without the handler.
#[derive(Debug)]
pub(crate) struct EdgeEntry {
    /// Response headers as the inner stack produced them (minus per-request ones).
    pub headers: HeaderMap,
    /// The body as sent: after field selection and compression.
    pub body: Bytes,
    /// The strong `ETag` of the representation.
    pub etag: Option<HeaderValue>,
    /// The `Cache-Status` of the response when it was stored (the catalog's member).
    pub upstream_cache_status: Option<HeaderValue>,
    /// The route class.
    pub class: EdgeClass,
    /// The anime this entry is about, for per-anime invalidation.
    pub anime_id: Option<String>,
    /// When it was stored, and for how long it may be served.
    pub stored_at: Instant,
    pub ttl: Duration,
}

impl EdgeEntry {
    /// Whole seconds it may still be served.
    pub fn remaining_seconds(&self) -> u64 {
        self.ttl.saturating_sub(self.stored_at.elapsed()).as_secs()
    }

    fn weight(&self, key: &str) -> u32 {
        let headers: usize = self
            .headers
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len())
            .sum();
        u32::try_from(key.len() + headers + self.body.len()).unwrap_or(u32::MAX)
    }
}

/// Each entry lives for its own class's TTL.
struct PerEntryTtl;

impl Expiry<String, Arc<EdgeEntry>> for PerEntryTtl {
    fn expire_after_create(
        &self,
        _key: &String,
        entry: &Arc<EdgeEntry>,
        _created_at: Instant,
    ) -> Option<Duration> {
        Some(entry.ttl)
    }
}

/// The edge cache's entries; cheap to clone (one shared cache).
#[derive(Clone)]
pub(crate) struct EdgeStore {
    entries: Cache<String, Arc<EdgeEntry>>,
}

impl EdgeStore {
    /// An empty store of at most `max_bytes`.
    pub fn new(max_bytes: u64) -> Self {
        let entries = Cache::builder()
            .max_capacity(max_bytes)
            .weigher(|key: &String, entry: &Arc<EdgeEntry>| entry.weight(key))
            .expire_after(PerEntryTtl)
            .support_invalidation_closures()
            .build();
        EdgeStore { entries }
    }

    /// The entry of `key`, if stored and not expired.
    pub async fn get(&self, key: &str) -> Option<Arc<EdgeEntry>> {
        self.entries.get(key).await
    }

    /// Stores an entry under `key`.
    pub async fn insert(&self, key: String, entry: EdgeEntry) {
        self.entries.insert(key, Arc::new(entry)).await;
    }

    /// Drops what `invalidation` makes obsolete. A changed anime shows in its own reads and in
    /// any list or search, so it drops those; a class's new generation drops the edge classes
    /// built from it.
    pub fn apply(&self, invalidation: &Invalidation) {
        match invalidation {
            Invalidation::Everything => self.entries.invalidate_all(),
            Invalidation::Key { class, key } if is_per_anime(class) => {
                let anime_id = anime_id_of_key(key).to_owned();
                self.drop_where(move |entry| {
                    entry.class != EdgeClass::Anime
                        || entry.anime_id.as_deref() == Some(anime_id.as_str())
                });
            }
            Invalidation::Key { class, .. } | Invalidation::Generation { class, .. } => {
                let affected = affected_classes(class);
                self.drop_where(move |entry| affected.contains(&entry.class));
            }
        }
    }

    fn drop_where(&self, predicate: impl Fn(&EdgeEntry) -> bool + Send + Sync + 'static) {
        // Fails only when closures were not enabled at build time, which `new` does.
        let _ = self
            .entries
            .invalidate_entries_if(move |_key, entry| predicate(entry));
    }
}

/// Catalog classes keyed by one anime.
fn is_per_anime(class: &str) -> bool {
    class == "anime" || class == "episodes"
}

/// A catalog key names its anime first (`<id>` or `<id>:<page>`), after any generation prefix
/// (`g<n>:`).
fn anime_id_of_key(key: &str) -> &str {
    let unprefixed = match key.split_once(':') {
        Some((generation, rest))
            if generation.starts_with('g')
                && generation[1..].bytes().all(|b| b.is_ascii_digit()) =>
        {
            rest
        }
        _ => key,
    };
    unprefixed.split([':', '+']).next().unwrap_or(unprefixed)
}

/// The edge classes whose responses are built from a catalog class.
fn affected_classes(catalog_class: &str) -> &'static [EdgeClass] {
    match catalog_class {
        "anime" | "episodes" => &[EdgeClass::Anime, EdgeClass::List, EdgeClass::Search],
        "search" => &[EdgeClass::Search],
        "tags" | "seasons" | "lists" => &[EdgeClass::List],
        // A class this release does not know: be safe.
        _ => &[EdgeClass::Anime, EdgeClass::List, EdgeClass::Search],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(class: EdgeClass, anime_id: Option<&str>) -> EdgeEntry {
        EdgeEntry {
            headers: HeaderMap::new(),
            body: Bytes::from_static(b"{}"),
            etag: None,
            upstream_cache_status: None,
            class,
            anime_id: anime_id.map(str::to_owned),
            stored_at: Instant::now(),
            ttl: Duration::from_secs(60),
        }
    }

    async fn filled() -> EdgeStore {
        let store = EdgeStore::new(1024 * 1024);
        store
            .insert("a".to_owned(), entry(EdgeClass::Anime, Some("a")))
            .await;
        store
            .insert("b".to_owned(), entry(EdgeClass::Anime, Some("b")))
            .await;
        store
            .insert("list".to_owned(), entry(EdgeClass::List, None))
            .await;
        store
            .insert("search".to_owned(), entry(EdgeClass::Search, None))
            .await;
        store
    }

    #[tokio::test]
    async fn an_anime_key_drops_that_anime_and_every_list_and_search() {
        let store = filled().await;
        store.apply(&Invalidation::Key {
            class: "anime".to_owned(),
            key: "g3:a".to_owned(),
        });
        assert!(store.get("a").await.is_none());
        assert!(store.get("list").await.is_none());
        assert!(store.get("search").await.is_none());
        assert!(store.get("b").await.is_some());
    }

    #[tokio::test]
    async fn a_search_generation_drops_only_searches() {
        let store = filled().await;
        store.apply(&Invalidation::Generation {
            class: "search".to_owned(),
            generation: 2,
        });
        assert!(store.get("search").await.is_none());
        assert!(store.get("a").await.is_some());
        assert!(store.get("list").await.is_some());
    }

    #[test]
    fn the_anime_id_is_read_past_a_generation_prefix_and_a_page() {
        assert_eq!(anime_id_of_key("g12:abc"), "abc");
        assert_eq!(anime_id_of_key("abc:0+20"), "abc");
        assert_eq!(anime_id_of_key("abc"), "abc");
    }
}
