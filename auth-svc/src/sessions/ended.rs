//! Sessions this replica ended (logout, refresh-token reuse), remembered for as long as one of
//! their access tokens can still be valid. Introspection asks the session store whether a session
//! is live; while the store is down it falls back to the token's signature, and this memory keeps
//! a token whose session was ended before the outage from being accepted again.

use std::time::Duration;

/// Recently ended session ids, bounded in number and each kept for one access-token lifetime.
#[derive(Debug)]
pub struct EndedSessions {
    ended: moka::future::Cache<String, ()>,
}

impl EndedSessions {
    /// Remembers up to `max_entries` sessions, each for `remember_for` (the access-token
    /// lifetime: after that every token of the session has expired anyway).
    pub fn new(max_entries: u64, remember_for: Duration) -> Self {
        EndedSessions {
            ended: moka::future::Cache::builder()
                .max_capacity(max_entries)
                .time_to_live(remember_for)
                .build(),
        }
    }

    /// Notes that `session_id` has ended.
    pub async fn remember(&self, session_id: &str) {
        self.ended.insert(session_id.to_owned(), ()).await;
    }

    /// Whether `session_id` ended here within the last access-token lifetime.
    pub fn contains(&self, session_id: &str) -> bool {
        self.ended.contains_key(session_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_ended_session_is_remembered_and_others_are_not() {
        let ended = EndedSessions::new(10, Duration::from_secs(60));

        ended.remember("session-a").await;

        assert!(ended.contains("session-a"));
        assert!(!ended.contains("session-b"));
    }

    #[tokio::test]
    async fn nothing_is_remembered_past_the_token_lifetime() {
        let ended = EndedSessions::new(10, Duration::ZERO);

        ended.remember("session-a").await;

        assert!(!ended.contains("session-a"));
    }
}
