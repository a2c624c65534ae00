//! Where sessions live: one trait, two backends. Redis serves the distributed deployment (every
//! replica sees a logout at once; keys expire by TTL); SQLite serves the all-in-one. Both keep
//! sessions across restarts, slide the idle deadline on use, store refresh tokens only as
//! hashes, remember rotated-away hashes to detect reuse, and hold Crunchyroll tokens only as
//! ciphertext.

pub mod redis;
pub mod sqlite;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;

use crate::refresh::RefreshHash;

/// A session as stored.
#[derive(Clone, Debug)]
pub struct StoredSession {
    /// The session id (a UUID), the JWT `sid`.
    pub session_id: String,
    /// The Crunchyroll account id, the JWT `sub`.
    pub account_id: String,
    /// The Crunchyroll device id the upstream refresh token is bound to.
    pub device_id: String,
    /// Hash of the current refresh token.
    pub refresh_hash: RefreshHash,
    /// The Crunchyroll tokens, encrypted (see `crypto`).
    pub upstream: String,
}

/// What a refresh-token hash points at.
#[derive(Debug)]
pub enum RefreshLookup {
    /// The current refresh token of a live session.
    Current(StoredSession),
    /// A refresh token already rotated away: presenting it again is reuse.
    Used {
        /// The session it belonged to.
        session_id: String,
    },
    /// Nothing (never issued, or expired with its session).
    Unknown,
}

/// A store that cannot answer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The backend is unreachable or timed out; retrying later may work.
    #[error("session store unavailable: {0}")]
    Unavailable(String),
    /// The backend answered with an error or with data it should not hold.
    #[error("session store failed: {0}")]
    Backend(String),
}

/// The session store.
#[async_trait]
pub trait SessionStore: Send + Sync + std::fmt::Debug {
    /// Stores a new session, live for `idle_timeout`.
    async fn create(
        &self,
        session: &StoredSession,
        idle_timeout: Duration,
    ) -> Result<(), StoreError>;

    /// What `hash` points at.
    async fn find_by_refresh(&self, hash: &RefreshHash) -> Result<RefreshLookup, StoreError>;

    /// Replaces the session's refresh hash `old` by `new` (only if `old` is still current),
    /// remembers `old` as used, and slides the session. False when `old` was no longer current.
    async fn rotate_refresh(
        &self,
        session_id: &str,
        old: &RefreshHash,
        new: &RefreshHash,
        idle_timeout: Duration,
    ) -> Result<bool, StoreError>;

    /// The live session, its idle deadline slid by `idle_timeout`; `None` when it ended.
    async fn touch(
        &self,
        session_id: &str,
        idle_timeout: Duration,
    ) -> Result<Option<StoredSession>, StoreError>;

    /// Replaces the encrypted Crunchyroll tokens of a live session.
    async fn replace_upstream(&self, session_id: &str, upstream: &str) -> Result<(), StoreError>;

    /// Ends the session at once.
    async fn delete(&self, session_id: &str) -> Result<(), StoreError>;

    /// Whether the store answers at all (checked before a login reaches Crunchyroll).
    async fn ping(&self) -> Result<(), StoreError>;
}

/// Now, in Unix seconds.
pub fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        })
}

/// A duration in whole seconds, at least one.
pub(crate) fn whole_seconds(duration: Duration) -> i64 {
    i64::try_from(duration.as_secs().max(1)).unwrap_or(i64::MAX)
}
