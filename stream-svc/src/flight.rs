//! Single-flight for cache misses: concurrent requests of one user for one episode wait for the
//! first to open its stream and then find it cached, instead of each taking a stream slot.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, Weak};

use tokio::sync::OwnedMutexGuard;

use crate::cache::StreamKey;

/// One async lock per key, alive while someone holds or waits for it.
#[derive(Default)]
pub struct KeyLocks {
    locks: Mutex<HashMap<StreamKey, Weak<tokio::sync::Mutex<()>>>>,
}

impl KeyLocks {
    /// Waits until no one else loads `key`; the guard lets the next waiter in when dropped.
    pub async fn lock(&self, key: &StreamKey) -> OwnedMutexGuard<()> {
        let lock = {
            let mut locks = self.locks.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(existing) = locks.get(key).and_then(Weak::upgrade) {
                existing
            } else {
                // Forget locks nobody holds any more, so the map stays as small as the traffic.
                locks.retain(|_, lock| lock.strong_count() > 0);
                let fresh = Arc::new(tokio::sync::Mutex::new(()));
                locks.insert(key.clone(), Arc::downgrade(&fresh));
                fresh
            }
        };
        lock.lock_owned().await
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn key(subject: &str) -> StreamKey {
        StreamKey {
            subject: subject.to_owned(),
            episode_id: "GEPISODE1".to_owned(),
        }
    }

    #[tokio::test]
    async fn a_second_loader_of_one_key_waits_for_the_first() {
        let locks = KeyLocks::default();
        let first = locks.lock(&key("alice")).await;

        let second =
            tokio::time::timeout(Duration::from_millis(50), locks.lock(&key("alice"))).await;
        let other_user =
            tokio::time::timeout(Duration::from_secs(5), locks.lock(&key("bob"))).await;

        assert!(second.is_err(), "the same key is held");
        assert!(other_user.is_ok(), "another key is independent");
        drop(first);
        let third = tokio::time::timeout(Duration::from_secs(5), locks.lock(&key("alice"))).await;
        assert!(third.is_ok(), "released keys can be taken again");
    }
}
