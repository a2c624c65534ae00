//! Authentication: the token endpoint's grants, and [`TokenManager`], which keeps one identity's
//! access token fresh, refreshing ahead of expiry with one refresh however many callers wait.

use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use kensho_kit::Secret;
use kensho_kit::resilience::Idempotency;
use reqwest::header::AUTHORIZATION;
use serde::Deserialize;
use tokio::sync::Mutex;

use crate::error::CrunchyrollError;
use crate::transport::{CrunchyrollClient, Endpoint, Host};

/// How to obtain a token.
#[derive(Clone, Debug)]
pub enum Grant {
    /// No account: enough for content calls.
    Anonymous,
    /// A user's email and password.
    Password {
        /// The account's email.
        username: String,
        /// The password, never logged.
        password: Secret<String>,
    },
    /// A refresh token from an earlier grant; Crunchyroll rotates it on every use.
    RefreshToken(Secret<String>),
}

/// Tokens returned by the token endpoint.
#[derive(Clone, Debug)]
pub struct Tokens {
    /// The bearer access token.
    pub access_token: Secret<String>,
    /// The refresh token (absent for anonymous grants).
    pub refresh_token: Option<Secret<String>>,
    /// Lifetime of the access token.
    pub expires_in: Duration,
    /// When the tokens were received.
    pub received_at: Instant,
    /// The account, for account grants.
    pub account_id: Option<String>,
    /// The profile, for account grants.
    pub profile_id: Option<String>,
    /// The account's country.
    pub country: Option<String>,
}

impl Tokens {
    /// When the access token expires.
    pub fn expires_at(&self) -> Instant {
        self.received_at + self.expires_in
    }

    /// The `benefits` claim of the access token (`cr_premium`, ...), read without verifying the
    /// signature, as Crunchyroll's own clients do.
    pub fn benefits(&self) -> Vec<String> {
        let payload = self
            .access_token
            .expose()
            .split('.')
            .nth(1)
            .unwrap_or_default();
        let Ok(bytes) = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')) else {
            return Vec::new();
        };
        serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|claims| claims.get("benefits").cloned())
            .and_then(|benefits| serde_json::from_value(benefits).ok())
            .unwrap_or_default()
    }

    /// Whether the account is premium.
    pub fn is_premium(&self) -> bool {
        self.benefits()
            .iter()
            .any(|benefit| benefit == "cr_premium")
    }
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    expires_in: Option<u64>,
    #[serde(default)]
    account_id: Option<String>,
    #[serde(default)]
    profile_id: Option<String>,
    #[serde(default)]
    country: Option<String>,
}

/// Access tokens live 300 s; used when an answer omits `expires_in`.
const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(300);

impl CrunchyrollClient {
    /// Asks the token endpoint for tokens. `device_id` identifies this installation; a refresh
    /// must use the device id that obtained the refresh token.
    pub async fn request_token(
        &self,
        grant: &Grant,
        device_id: &str,
    ) -> Result<Tokens, CrunchyrollError> {
        let settings = &self.inner.settings;
        let basic = STANDARD.encode(format!(
            "{}:{}",
            settings.client_id,
            settings.client_secret.expose()
        ));
        let mut form: Vec<(&str, String)> = vec![
            ("device_id", device_id.to_owned()),
            ("device_type", settings.device_type.clone()),
        ];
        let (name, idempotency) = match grant {
            Grant::Anonymous => {
                form.push(("grant_type", "client_id".to_owned()));
                ("token_anonymous", Idempotency::Idempotent)
            }
            Grant::Password { username, password } => {
                form.extend([
                    ("grant_type", "password".to_owned()),
                    ("username", username.clone()),
                    ("password", password.expose().clone()),
                    ("scope", "offline_access".to_owned()),
                ]);
                // A repeated password grant opens a second session: never retried.
                ("token_password", Idempotency::NonIdempotent)
            }
            Grant::RefreshToken(refresh_token) => {
                form.extend([
                    ("grant_type", "refresh_token".to_owned()),
                    ("refresh_token", refresh_token.expose().clone()),
                    ("scope", "offline_access".to_owned()),
                ]);
                // The refresh token rotates: a retry after a lost answer would present a used one.
                ("token_refresh", Idempotency::NonIdempotent)
            }
        };
        let url = self.api_url("/auth/v1/token");
        let answer: TokenAnswer = self
            .send_json(Host::Api, name, Endpoint::Token, idempotency, |http| {
                http.post(&url)
                    .header(AUTHORIZATION, format!("Basic {basic}"))
                    .header("ETP-Anonymous-ID", device_id)
                    .form(&form)
            })
            .await?;
        Ok(Tokens {
            access_token: Secret::new(answer.access_token),
            refresh_token: answer.refresh_token.map(Secret::new),
            expires_in: answer
                .expires_in
                .map_or(DEFAULT_TOKEN_LIFETIME, Duration::from_secs),
            received_at: Instant::now(),
            account_id: answer.account_id,
            profile_id: answer.profile_id,
            country: answer.country,
        })
    }
}

/// Keeps one identity's access token valid. Callers ask for a token; the first one to find it
/// expiring (within the configured margin) refreshes it while the others wait for that refresh.
#[derive(Debug)]
pub struct TokenManager {
    client: CrunchyrollClient,
    device_id: String,
    initial_grant: Grant,
    current: Mutex<Option<Tokens>>,
}

impl TokenManager {
    /// A manager that obtains its first tokens with `grant` when first asked.
    pub fn new(client: CrunchyrollClient, grant: Grant, device_id: String) -> Self {
        TokenManager {
            client,
            device_id,
            initial_grant: grant,
            current: Mutex::new(None),
        }
    }

    /// A manager for an anonymous identity with a fresh device id.
    pub fn anonymous(client: CrunchyrollClient) -> Self {
        Self::new(client, Grant::Anonymous, uuid::Uuid::new_v4().to_string())
    }

    /// A manager starting from tokens obtained elsewhere (for example at login).
    pub fn with_tokens(client: CrunchyrollClient, tokens: Tokens, device_id: String) -> Self {
        TokenManager {
            client,
            device_id,
            initial_grant: Grant::Anonymous,
            current: Mutex::new(Some(tokens)),
        }
    }

    /// The device id of this identity.
    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    /// A valid access token, refreshed first when it expires within the margin.
    pub async fn access_token(&self) -> Result<Secret<String>, CrunchyrollError> {
        let mut current = self.current.lock().await;
        let margin = self.client.settings().refresh_margin();
        if let Some(tokens) = current.as_ref()
            && Instant::now() + margin < tokens.expires_at()
        {
            return Ok(tokens.access_token.clone());
        }
        let grant = match current
            .as_ref()
            .and_then(|tokens| tokens.refresh_token.clone())
        {
            Some(refresh_token) => Grant::RefreshToken(refresh_token),
            None => self.initial_grant.clone(),
        };
        tracing::debug!(device_id = %self.device_id, "refreshing crunchyroll access token");
        let tokens = self.client.request_token(&grant, &self.device_id).await?;
        let access_token = tokens.access_token.clone();
        *current = Some(tokens);
        Ok(access_token)
    }

    /// The current tokens, if any were obtained.
    pub async fn tokens(&self) -> Option<Tokens> {
        self.current.lock().await.clone()
    }

    /// Forgets the access token (after Crunchyroll refused it), keeping the refresh token, so
    /// the next [`TokenManager::access_token`] refreshes.
    pub async fn invalidate(&self) {
        if let Some(tokens) = self.current.lock().await.as_mut() {
            tokens.expires_in = Duration::ZERO;
        }
    }
}
