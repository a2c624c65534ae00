//! Custody of a session's Crunchyroll tokens: sealed at rest, refreshed when about to expire,
//! one refresh at a time per session in this replica.

use std::sync::Arc;

use kensho_crunchyroll::{CrunchyrollError, Grant, Tokens};
use kensho_jwt::Claims;
use kensho_kit::Secret;
use serde::{Deserialize, Serialize};
use tracing::instrument;

use super::Sessions;
use crate::error::AuthError;
use crate::store::{StoredSession, now_unix};

/// A valid Crunchyroll access token, and whose it is.
#[derive(Debug)]
pub struct UpstreamToken {
    /// The bearer token.
    pub access_token: Secret<String>,
    /// When it expires, Unix seconds.
    pub expires_at_unix: i64,
    /// The account of the verified Kensho access token it was lent for.
    pub subject: String,
    /// The session of that Kensho access token.
    pub session_id: String,
}

/// The plaintext of a session's encrypted Crunchyroll tokens.
#[derive(Serialize, Deserialize)]
struct UpstreamTokens {
    access_token: String,
    refresh_token: String,
    expires_at: i64,
}

impl Sessions {
    /// The Crunchyroll access token of the session a Kensho access token belongs to, refreshed
    /// first when it is about to expire; concurrent callers for one session share one refresh.
    ///
    /// The Kensho token is checked as fully as by [`Sessions::introspect`] (signature, expiry,
    /// a live session of the same account), except that a store outage refuses: the upstream
    /// token lives in the store, and a session id alone never opens it.
    #[instrument(skip_all)]
    pub async fn upstream_token(&self, access_token: &str) -> Result<UpstreamToken, AuthError> {
        let claims = self
            .tokens
            .verify(access_token, now_unix())
            .map_err(|_| AuthError::InvalidToken)?;
        let lock = self.upstream_lock(&claims.sid);
        let result = {
            let _guard = lock.lock().await;
            self.upstream_token_locked(&claims).await
        };
        drop(lock);
        self.release_upstream_lock(&claims.sid);
        result
    }

    async fn upstream_token_locked(&self, claims: &Claims) -> Result<UpstreamToken, AuthError> {
        let session_id = claims.sid.as_str();
        let session = self
            .store
            .touch(session_id, self.lifetimes.session_idle)
            .await?
            .filter(|session| session.account_id == claims.sub)
            .ok_or(AuthError::InvalidToken)?;
        let lent = |access_token: Secret<String>, expires_at_unix: i64| UpstreamToken {
            access_token,
            expires_at_unix,
            subject: session.account_id.clone(),
            session_id: session.session_id.clone(),
        };
        let current = self.open(&session)?;
        let margin =
            i64::try_from(self.lifetimes.upstream_refresh_margin.as_secs()).unwrap_or(i64::MAX);
        if now_unix().saturating_add(margin) < current.expires_at {
            return Ok(lent(Secret::new(current.access_token), current.expires_at));
        }
        tracing::debug!("refreshing crunchyroll tokens of a session");
        let grant = Grant::RefreshToken(Secret::new(current.refresh_token.clone()));
        let tokens = match self.client.request_token(&grant, &session.device_id).await {
            Ok(tokens) => tokens,
            Err(CrunchyrollError::InvalidGrant) => {
                // Another replica may have rotated the refresh token meanwhile: use its result.
                if let Some(latest) = self
                    .store
                    .touch(session_id, self.lifetimes.session_idle)
                    .await?
                    .filter(|latest| latest.upstream != session.upstream)
                {
                    let refreshed = self.open(&latest)?;
                    return Ok(lent(
                        Secret::new(refreshed.access_token),
                        refreshed.expires_at,
                    ));
                }
                tracing::info!("crunchyroll refused the session's refresh token, session ended");
                self.store.delete(session_id).await?;
                return Err(AuthError::InvalidToken);
            }
            Err(error) => return Err(AuthError::from_upstream(error)),
        };
        let sealed = self.seal(session_id, &tokens, Some(current.refresh_token))?;
        self.store.replace_upstream(session_id, &sealed).await?;
        let expires_at_unix = expires_at(&tokens);
        Ok(lent(tokens.access_token, expires_at_unix))
    }

    fn upstream_lock(&self, session_id: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self
            .upstream_locks
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Arc::clone(locks.entry(session_id.to_owned()).or_default())
    }

    fn release_upstream_lock(&self, session_id: &str) {
        let mut locks = self
            .upstream_locks
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Only the map holds it: nobody waits, so the entry can go.
        if locks
            .get(session_id)
            .is_some_and(|lock| Arc::strong_count(lock) == 1)
        {
            locks.remove(session_id);
        }
    }

    pub(super) fn seal(
        &self,
        session_id: &str,
        tokens: &Tokens,
        previous_refresh_token: Option<String>,
    ) -> Result<String, AuthError> {
        let refresh_token = tokens
            .refresh_token
            .as_ref()
            .map(|token| token.expose().clone())
            .or(previous_refresh_token)
            .ok_or_else(|| AuthError::Internal("crunchyroll returned no refresh token".into()))?;
        let plaintext = serde_json::to_vec(&UpstreamTokens {
            access_token: tokens.access_token.expose().clone(),
            refresh_token,
            expires_at: expires_at(tokens),
        })
        .map_err(|error| AuthError::Internal(error.to_string()))?;
        self.cipher
            .encrypt(&plaintext, session_id)
            .map_err(|error| AuthError::Internal(error.to_string()))
    }

    fn open(&self, session: &StoredSession) -> Result<UpstreamTokens, AuthError> {
        let plaintext = self
            .cipher
            .decrypt(&session.upstream, &session.session_id)
            .map_err(|error| AuthError::Internal(error.to_string()))?;
        serde_json::from_slice(&plaintext).map_err(|error| AuthError::Internal(error.to_string()))
    }
}

fn expires_at(tokens: &Tokens) -> i64 {
    now_unix().saturating_add(i64::try_from(tokens.expires_in.as_secs()).unwrap_or(i64::MAX))
}
