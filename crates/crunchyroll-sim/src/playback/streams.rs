//! Stream tokens: one per play request, counted per account until released, or until they go
//! `stream_token_ttl_seconds` without a keepAlive.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::lock;

/// One stream token and what it plays.
#[derive(Clone, Debug)]
pub(crate) struct StreamSession {
    pub(crate) token: String,
    pub(crate) account: usize,
    pub(crate) content_id: String,
    pub(crate) client_id: String,
    pub(crate) device_id: String,
    /// `{device}` of the play path, e.g. `web`.
    pub(crate) device_type: String,
    /// `{platform}` of the play path, e.g. `chrome`.
    pub(crate) device_subtype: String,
    pub(crate) created_ms: u64,
    pub(crate) last_keep_alive_ms: u64,
    pub(crate) playhead_seconds: u64,
    expires_at: Instant,
}

impl StreamSession {
    /// Whole seconds until the token expires.
    pub(crate) fn remaining_seconds(&self) -> u64 {
        self.expires_at
            .saturating_duration_since(Instant::now())
            .as_secs()
    }

    fn matches(&self, account: usize, content_id: &str) -> bool {
        self.account == account && self.content_id == content_id && self.expires_at > Instant::now()
    }
}

/// What a play request asks for.
#[derive(Debug)]
pub(crate) struct StreamRequest {
    pub(crate) account: usize,
    pub(crate) content_id: String,
    pub(crate) client_id: String,
    pub(crate) device_id: String,
    pub(crate) device_type: String,
    pub(crate) device_subtype: String,
}

/// Every live stream token.
#[derive(Debug)]
pub(crate) struct StreamStore {
    sessions: Mutex<HashMap<String, StreamSession>>,
    ttl: Duration,
}

impl StreamStore {
    /// A store whose tokens live `ttl` past their creation or last keepAlive.
    pub(crate) fn new(ttl: Duration) -> Self {
        StreamStore {
            sessions: Mutex::new(HashMap::new()),
            ttl,
        }
    }

    /// The token lifetime, in seconds (`session.sessionExpirationSeconds`).
    pub(crate) fn ttl_seconds(&self) -> u64 {
        self.ttl.as_secs()
    }

    /// Issues a token unless the account already holds `limit`; then returns those it holds.
    pub(crate) fn start(
        &self,
        request: StreamRequest,
        limit: u32,
    ) -> Result<StreamSession, Vec<StreamSession>> {
        let now = Instant::now();
        let mut sessions = lock(&self.sessions);
        sessions.retain(|_, session| session.expires_at > now);
        let held = sessions
            .values()
            .filter(|session| session.account == request.account)
            .count();
        if held >= limit as usize {
            return Err(sorted(
                sessions
                    .values()
                    .filter(|session| session.account == request.account)
                    .cloned()
                    .collect(),
            ));
        }
        let created_ms = unix_millis();
        let session = StreamSession {
            token: uuid::Uuid::new_v4().to_string(),
            account: request.account,
            content_id: request.content_id,
            client_id: request.client_id,
            device_id: request.device_id,
            device_type: request.device_type,
            device_subtype: request.device_subtype,
            created_ms,
            last_keep_alive_ms: created_ms,
            playhead_seconds: 0,
            expires_at: now + self.ttl,
        };
        sessions.insert(session.token.clone(), session.clone());
        Ok(session)
    }

    /// Releases a live token of `account` for `content_id`; false if there is none.
    pub(crate) fn release(&self, account: usize, content_id: &str, token: &str) -> bool {
        let mut sessions = lock(&self.sessions);
        let owned = sessions
            .get(token)
            .is_some_and(|session| session.matches(account, content_id));
        owned && sessions.remove(token).is_some()
    }

    /// Restarts a live token's lifetime and records the playhead; false if there is none.
    pub(crate) fn keep_alive(
        &self,
        account: usize,
        content_id: &str,
        token: &str,
        playhead_seconds: Option<u64>,
    ) -> bool {
        let mut sessions = lock(&self.sessions);
        let Some(session) = sessions
            .get_mut(token)
            .filter(|session| session.matches(account, content_id))
        else {
            return false;
        };
        session.expires_at = Instant::now() + self.ttl;
        session.last_keep_alive_ms = unix_millis();
        if let Some(playhead) = playhead_seconds {
            session.playhead_seconds = playhead;
        }
        true
    }

    /// The live tokens of an account, oldest first.
    pub(crate) fn active_for(&self, account: usize) -> Vec<StreamSession> {
        let now = Instant::now();
        sorted(
            lock(&self.sessions)
                .values()
                .filter(|session| session.account == account && session.expires_at > now)
                .cloned()
                .collect(),
        )
    }

    /// The live token `token` if it plays `content_id` (media URLs carry both).
    pub(crate) fn playable(&self, content_id: &str, token: &str) -> Option<StreamSession> {
        lock(&self.sessions)
            .get(token)
            .filter(|session| session.content_id == content_id)
            .filter(|session| session.expires_at > Instant::now())
            .cloned()
    }
}

fn sorted(mut sessions: Vec<StreamSession>) -> Vec<StreamSession> {
    sessions.sort_by(|a, b| a.created_ms.cmp(&b.created_ms).then(a.token.cmp(&b.token)));
    sessions
}

/// Milliseconds since the Unix epoch.
fn unix_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_millis() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(account: usize) -> StreamRequest {
        StreamRequest {
            account,
            content_id: "GEPISODE1".to_owned(),
            client_id: "client".to_owned(),
            device_id: "device".to_owned(),
            device_type: "web".to_owned(),
            device_subtype: "chrome".to_owned(),
        }
    }

    #[test]
    fn the_limit_counts_only_the_accounts_own_live_tokens() {
        let store = StreamStore::new(Duration::from_secs(60));
        let first = store.start(request(0), 1).expect("first stream");
        assert!(store.start(request(1), 1).is_ok(), "another account");
        let held = store.start(request(0), 1).expect_err("over the limit");
        assert_eq!(held[0].token, first.token);
        assert!(store.release(0, "GEPISODE1", &first.token));
        assert!(store.start(request(0), 1).is_ok());
    }

    #[test]
    fn tokens_born_expired_never_count() {
        let store = StreamStore::new(Duration::ZERO);
        assert!(store.start(request(0), 1).is_ok());
        assert!(store.start(request(0), 1).is_ok());
        assert!(store.active_for(0).is_empty());
    }
}
