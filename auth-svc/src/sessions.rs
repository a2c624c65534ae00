//! The service logic: login against Crunchyroll, Kensho token issue and rotation with reuse
//! detection, logout, introspection, and custody of each session's Crunchyroll tokens.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use kensho_crunchyroll::{CrunchyrollClient, Grant};
use kensho_kit::Secret;
use tracing::instrument;

use crate::crypto::TokenCipher;
use crate::error::AuthError;
use crate::keys::AccessTokens;
use crate::limits::LoginLimits;
use crate::refresh::RefreshToken;
use crate::store::{RefreshLookup, SessionStore, StoreError, StoredSession, now_unix};

mod ended;
mod upstream;

pub use ended::EndedSessions;

/// Tokens handed to a client at login or refresh.
#[derive(Debug)]
pub struct IssuedTokens {
    /// The signed access token (JWT).
    pub access_token: Secret<String>,
    /// The new refresh token.
    pub refresh_token: RefreshToken,
    /// Lifetime of the access token.
    pub expires_in: Duration,
}

/// An active access token's facts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Introspection {
    /// The Crunchyroll account id.
    pub subject: String,
    /// The session id.
    pub session_id: String,
    /// When the access token expires, Unix seconds.
    pub expires_at_unix: i64,
}

/// Durations that shape sessions.
#[derive(Clone, Copy, Debug)]
pub struct Lifetimes {
    /// Access-token lifetime.
    pub access_token: Duration,
    /// Sliding idle timeout of a session.
    pub session_idle: Duration,
    /// Crunchyroll access tokens are refreshed this long before they expire.
    pub upstream_refresh_margin: Duration,
}

/// The auth service's state.
#[derive(Debug)]
pub struct Sessions {
    client: CrunchyrollClient,
    store: Arc<dyn SessionStore>,
    tokens: AccessTokens,
    ended: EndedSessions,
    cipher: TokenCipher,
    limits: LoginLimits,
    lifetimes: Lifetimes,
    upstream_locks: std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl Sessions {
    /// Assembles the service state.
    pub fn new(
        client: CrunchyrollClient,
        store: Arc<dyn SessionStore>,
        tokens: AccessTokens,
        ended: EndedSessions,
        cipher: TokenCipher,
        limits: LoginLimits,
        lifetimes: Lifetimes,
    ) -> Self {
        Sessions {
            client,
            store,
            tokens,
            ended,
            cipher,
            limits,
            lifetimes,
            upstream_locks: std::sync::Mutex::new(HashMap::new()),
        }
    }

    /// The public keys of access tokens, as a JWKS document.
    pub fn jwks(&self) -> serde_json::Value {
        self.tokens.jwks()
    }

    /// Logs in with Crunchyroll credentials and opens a session.
    #[instrument(skip_all)]
    pub async fn login(
        &self,
        username: &str,
        password: Secret<String>,
        client_address: &str,
    ) -> Result<IssuedTokens, AuthError> {
        if let Err(retry_after) = self.limits.check(username, client_address) {
            metrics::counter!("logins_total", "outcome" => "rate_limited").increment(1);
            return Err(AuthError::RateLimited { retry_after });
        }
        // A login the store could not record would open a Crunchyroll session for nothing.
        self.store.ping().await?;
        let device_id = uuid::Uuid::new_v4().to_string();
        let grant = Grant::Password {
            username: username.to_owned(),
            password,
        };
        let tokens = match self.client.request_token(&grant, &device_id).await {
            Ok(tokens) => tokens,
            Err(error) => {
                let error = AuthError::from_upstream(error);
                let outcome = match error {
                    AuthError::InvalidCredentials => "invalid_credentials",
                    _ => "error",
                };
                metrics::counter!("logins_total", "outcome" => outcome).increment(1);
                return Err(error);
            }
        };
        let account_id = tokens
            .account_id
            .clone()
            .ok_or_else(|| AuthError::Internal("crunchyroll returned no account id".to_owned()))?;
        let session_id = uuid::Uuid::new_v4().to_string();
        let upstream = self.seal(&session_id, &tokens, None)?;
        let refresh_token = generate_refresh_token()?;
        let session = StoredSession {
            session_id,
            account_id,
            device_id,
            refresh_hash: refresh_token.hash(),
            upstream,
        };
        self.store
            .create(&session, self.lifetimes.session_idle)
            .await?;
        metrics::counter!("logins_total", "outcome" => "success").increment(1);
        tracing::info!("session opened");
        self.issue(&session, refresh_token)
    }

    /// Rotates a refresh token. A token presented a second time revokes its session.
    #[instrument(skip_all)]
    pub async fn refresh(&self, presented: &RefreshToken) -> Result<IssuedTokens, AuthError> {
        let presented_hash = presented.hash();
        match self.store.find_by_refresh(&presented_hash).await? {
            RefreshLookup::Current(session) if session.refresh_hash.matches(&presented_hash) => {
                let next = generate_refresh_token()?;
                let rotated = self
                    .store
                    .rotate_refresh(
                        &session.session_id,
                        &presented_hash,
                        &next.hash(),
                        self.lifetimes.session_idle,
                    )
                    .await?;
                if !rotated {
                    // A concurrent refresh won with the same token: that is reuse too.
                    self.revoke_for_reuse(&session.session_id).await?;
                    return Err(AuthError::InvalidToken);
                }
                self.issue(&session, next)
            }
            RefreshLookup::Used { session_id } => {
                self.revoke_for_reuse(&session_id).await?;
                Err(AuthError::InvalidToken)
            }
            RefreshLookup::Current(_) | RefreshLookup::Unknown => Err(AuthError::InvalidToken),
        }
    }

    /// Ends the session of a refresh token, and only that one: the refresh token is the
    /// session's own secret, found by its hash. Unknown tokens are accepted silently.
    #[instrument(skip_all)]
    pub async fn logout(&self, presented: &RefreshToken) -> Result<(), AuthError> {
        let session_id = match self.store.find_by_refresh(&presented.hash()).await? {
            RefreshLookup::Current(session) => session.session_id,
            RefreshLookup::Used { session_id } => session_id,
            RefreshLookup::Unknown => return Ok(()),
        };
        // Remembered first: even when the store cannot delete it now, this replica refuses the
        // session's access tokens from here on.
        self.ended.remember(&session_id).await;
        self.store.delete(&session_id).await?;
        tracing::info!("session closed");
        Ok(())
    }

    /// Whether an access token is valid and its session live; `None` when not.
    ///
    /// When the store cannot answer, a token with a good signature and `exp` is accepted
    /// (signature-only): access tokens are short-lived, and an outage must not log everyone out.
    #[instrument(skip_all)]
    pub async fn introspect(&self, access_token: &str) -> Result<Option<Introspection>, AuthError> {
        let Ok(claims) = self.tokens.verify(access_token, now_unix()) else {
            return Ok(None);
        };
        if self.ended.contains(&claims.sid) {
            return Ok(None);
        }
        let introspection = Introspection {
            subject: claims.sub.clone(),
            session_id: claims.sid.clone(),
            expires_at_unix: claims.exp,
        };
        match self
            .store
            .touch(&claims.sid, self.lifetimes.session_idle)
            .await
        {
            Ok(Some(session)) if session.account_id == claims.sub => Ok(Some(introspection)),
            Ok(_) => Ok(None),
            Err(StoreError::Unavailable(cause)) => {
                tracing::warn!(error = %cause, "session store unavailable, introspecting by signature only");
                Ok(Some(introspection))
            }
            Err(error) => Err(error.into()),
        }
    }

    async fn revoke_for_reuse(&self, session_id: &str) -> Result<(), AuthError> {
        tracing::warn!("refresh token reused, session revoked");
        self.ended.remember(session_id).await;
        self.store.delete(session_id).await?;
        Ok(())
    }

    fn issue(
        &self,
        session: &StoredSession,
        refresh_token: RefreshToken,
    ) -> Result<IssuedTokens, AuthError> {
        let issued_at = now_unix();
        let lifetime = i64::try_from(self.lifetimes.access_token.as_secs()).unwrap_or(i64::MAX);
        let access_token = self
            .tokens
            .issue(
                &session.account_id,
                &session.session_id,
                issued_at,
                lifetime,
            )
            .map_err(|error| AuthError::Internal(error.to_string()))?;
        Ok(IssuedTokens {
            access_token: Secret::new(access_token),
            refresh_token,
            expires_in: self.lifetimes.access_token,
        })
    }
}

fn generate_refresh_token() -> Result<RefreshToken, AuthError> {
    RefreshToken::generate().map_err(|error| AuthError::Internal(error.to_string()))
}
