//! The L1 stream cache: user-scoped (the key holds the account id, so one user never receives
//! another's URL), each entry living for the smaller of the configured TTL and its URL's own
//! expiry less a safety margin.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Whose stream of which episode.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StreamKey {
    /// The account id (the access token's subject).
    pub subject: String,
    /// The Crunchyroll episode id.
    pub episode_id: String,
}

struct Entry<V> {
    value: V,
    expires_at: Instant,
}

/// An in-process TTL map, bounded in size.
pub struct StreamCache<V> {
    entries: Mutex<HashMap<StreamKey, Entry<V>>>,
    ttl: Duration,
    safety_margin: Duration,
    max_entries: usize,
}

impl<V: Clone> StreamCache<V> {
    /// An empty cache.
    pub fn new(ttl: Duration, safety_margin: Duration, max_entries: usize) -> Self {
        StreamCache {
            entries: Mutex::new(HashMap::new()),
            ttl,
            safety_margin,
            max_entries,
        }
    }

    /// The live entry of `key`, if any.
    pub fn get(&self, key: &StreamKey, now: Instant) -> Option<V> {
        let mut entries = self.lock();
        match entries.get(key) {
            Some(entry) if now < entry.expires_at => Some(entry.value.clone()),
            Some(_) => {
                entries.remove(key);
                None
            }
            None => None,
        }
    }

    /// Stores `value`, whose URL stops working at `url_expires_at`; nothing is stored when the
    /// URL would expire within the safety margin. Returns when the entry expires, if stored.
    pub fn insert(
        &self,
        key: StreamKey,
        value: V,
        url_expires_at: Instant,
        now: Instant,
    ) -> Option<Instant> {
        if self.max_entries == 0 {
            return None;
        }
        let by_url = url_expires_at.checked_sub(self.safety_margin)?;
        let expires_at = by_url.min(now + self.ttl);
        if expires_at <= now {
            return None;
        }
        let mut entries = self.lock();
        if entries.len() >= self.max_entries && !entries.contains_key(&key) {
            entries.retain(|_, entry| now < entry.expires_at);
            if entries.len() >= self.max_entries
                && let Some(soonest) = entries
                    .iter()
                    .min_by_key(|(_, entry)| entry.expires_at)
                    .map(|(key, _)| key.clone())
            {
                entries.remove(&soonest);
            }
        }
        entries.insert(key, Entry { value, expires_at });
        Some(expires_at)
    }

    /// Forgets `key` (after its stream was released).
    pub fn remove(&self, key: &StreamKey) {
        self.lock().remove(key);
    }

    /// Entries held, live or not yet purged.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether nothing is held.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<StreamKey, Entry<V>>> {
        // A panic while holding the lock cannot leave the map half-updated.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    fn key(subject: &str) -> StreamKey {
        StreamKey {
            subject: subject.to_owned(),
            episode_id: "GEPISODE1".to_owned(),
        }
    }

    fn cache() -> StreamCache<&'static str> {
        StreamCache::new(5 * MINUTE, Duration::from_secs(30), 2)
    }

    #[test]
    fn an_entry_is_only_served_to_its_own_user() {
        let cache = cache();
        let now = Instant::now();
        cache.insert(key("alice"), "alice-url", now + 60 * MINUTE, now);
        assert_eq!(cache.get(&key("alice"), now), Some("alice-url"));
        assert_eq!(cache.get(&key("bob"), now), None);
    }

    #[test]
    fn an_entry_lives_at_most_the_ttl() {
        let cache = cache();
        let now = Instant::now();
        let expires_at = cache.insert(key("alice"), "url", now + 60 * MINUTE, now);
        assert_eq!(expires_at, Some(now + 5 * MINUTE));
        assert_eq!(cache.get(&key("alice"), now + 5 * MINUTE), None);
    }

    #[test]
    fn an_entry_goes_a_safety_margin_before_its_url_expires() {
        let cache = cache();
        let now = Instant::now();
        let expires_at = cache.insert(key("alice"), "url", now + 2 * MINUTE, now);
        assert_eq!(expires_at, Some(now + 90 * Duration::from_secs(1)));
    }

    #[test]
    fn a_url_expiring_within_the_margin_is_not_cached() {
        let cache = cache();
        let now = Instant::now();
        let stored = cache.insert(key("alice"), "url", now + Duration::from_secs(10), now);
        assert_eq!(stored, None);
        assert!(cache.is_empty());
    }

    #[test]
    fn a_full_cache_evicts_the_entry_expiring_soonest() {
        let cache = cache();
        let now = Instant::now();
        cache.insert(key("a"), "a", now + 2 * MINUTE, now);
        cache.insert(key("b"), "b", now + 60 * MINUTE, now);
        cache.insert(key("c"), "c", now + 60 * MINUTE, now);
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.get(&key("a"), now), None);
        assert_eq!(cache.get(&key("c"), now), Some("c"));
    }

    #[test]
    fn a_removed_entry_is_gone() {
        let cache = cache();
        let now = Instant::now();
        cache.insert(key("alice"), "url", now + 60 * MINUTE, now);
        cache.remove(&key("alice"));
        assert_eq!(cache.get(&key("alice"), now), None);
    }
}
