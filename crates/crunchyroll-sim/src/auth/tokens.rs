//! Issued tokens, kept in memory: access tokens with their expiry, refresh tokens bound to the
//! device that obtained them and consumed on use (each refresh returns a new one: rotation).
//! Refresh tokens do not expire (their real lifetime is undocumented).

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use super::accounts::AccountRecord;
use super::jwt::{self, Claims};
use crate::lock;

/// Scope string of a real capture (§2.4).
const SCOPE: &str = "account content offline_access reviews talkbox";
/// Country every token claims.
const COUNTRY: &str = "US";
/// Expired access tokens are swept after this many new ones.
const SWEEP_EVERY: u64 = 1_024;

/// The device a token was issued to (form fields `device_id`, `device_type`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct DeviceInfo {
    pub(crate) device_id: String,
    pub(crate) device_type: String,
}

/// What a valid access token grants.
#[derive(Clone, Debug)]
pub(crate) struct AccessGrant {
    /// Index of the account; `None` for anonymous tokens.
    pub(crate) account: Option<usize>,
    pub(crate) client_id: String,
    pub(crate) device: DeviceInfo,
    expires_at: Instant,
}

#[derive(Debug)]
struct RefreshGrant {
    account: usize,
    device: DeviceInfo,
}

/// The body of a successful token request (§2.4 field order).
#[derive(Debug, Serialize)]
pub(crate) struct TokenResponse {
    access_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    expires_in: u64,
    token_type: &'static str,
    scope: &'static str,
    country: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    account_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    profile_id: Option<String>,
}

/// Every token the simulator issued.
#[derive(Debug)]
pub(crate) struct TokenStore {
    access: Mutex<HashMap<String, AccessGrant>>,
    refresh: Mutex<HashMap<String, RefreshGrant>>,
    access_ttl: Duration,
    signing_key: String,
    issued: AtomicU64,
}

impl TokenStore {
    /// A store issuing access tokens valid for `access_ttl`.
    pub(crate) fn new(access_ttl: Duration) -> Self {
        TokenStore {
            access: Mutex::new(HashMap::new()),
            refresh: Mutex::new(HashMap::new()),
            access_ttl,
            signing_key: uuid::Uuid::new_v4().simple().to_string(),
            issued: AtomicU64::new(0),
        }
    }

    /// Issues an access token (and, for an account, a refresh token).
    pub(crate) fn issue(
        &self,
        account: Option<(usize, &AccountRecord)>,
        client_id: &str,
        device: DeviceInfo,
    ) -> TokenResponse {
        let issued_at = unix_seconds();
        let ttl_seconds = self.access_ttl.as_secs();
        let claims = Claims {
            sub: account.map_or_else(
                || uuid::Uuid::new_v4().to_string(),
                |(_, record)| record.account_id.clone(),
            ),
            account_id: account.map(|(_, record)| record.account_id.clone()),
            profile_id: account.map(|(_, record)| record.profile_id.clone()),
            benefits: account.map_or_else(Vec::new, |(_, record)| record.benefits()),
            client_id: client_id.to_owned(),
            device_id: device.device_id.clone(),
            country: COUNTRY,
            iat: issued_at,
            exp: issued_at + ttl_seconds,
            jti: uuid::Uuid::new_v4().to_string(),
        };
        let access_token = jwt::encode(&claims, &self.signing_key);
        let refresh_token = account.map(|(index, _)| {
            let token = uuid::Uuid::new_v4().to_string();
            let grant = RefreshGrant {
                account: index,
                device: device.clone(),
            };
            lock(&self.refresh).insert(token.clone(), grant);
            token
        });
        let grant = AccessGrant {
            account: account.map(|(index, _)| index),
            client_id: client_id.to_owned(),
            device,
            expires_at: Instant::now() + self.access_ttl,
        };
        let mut access = lock(&self.access);
        if self.issued.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            let now = Instant::now();
            access.retain(|_, grant| grant.expires_at > now);
        }
        access.insert(access_token.clone(), grant);
        TokenResponse {
            access_token,
            refresh_token,
            expires_in: ttl_seconds,
            token_type: "Bearer",
            scope: SCOPE,
            country: COUNTRY,
            account_id: claims.account_id,
            profile_id: claims.profile_id,
        }
    }

    /// Consumes a refresh token presented from `device_id`; returns the account and device it
    /// was issued to. A token presented from another device stays valid for its own device.
    pub(crate) fn redeem_refresh(
        &self,
        refresh_token: &str,
        device_id: &str,
    ) -> Option<(usize, DeviceInfo)> {
        let mut refresh = lock(&self.refresh);
        let grant = refresh.get(refresh_token)?;
        if grant.device.device_id != device_id {
            return None;
        }
        refresh
            .remove(refresh_token)
            .map(|grant| (grant.account, grant.device))
    }

    /// The grant of an unexpired access token.
    pub(crate) fn authenticate(&self, access_token: &str) -> Option<AccessGrant> {
        lock(&self.access)
            .get(access_token)
            .filter(|grant| grant.expires_at > Instant::now())
            .cloned()
    }
}

/// Seconds since the Unix epoch.
pub(crate) fn unix_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}
