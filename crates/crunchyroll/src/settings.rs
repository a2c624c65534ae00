//! The `[crunchyroll]` configuration section: where Crunchyroll is, who we say we are, and how
//! calls to it are pooled and protected.

use std::time::Duration;

use kensho_kit::Secret;
use kensho_kit::resilience::ResilienceSettings;
use serde::{Deserialize, Serialize};

/// How to reach Crunchyroll.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CrunchyrollSettings {
    /// Host of authentication and content calls.
    pub api_base_url: String,
    /// Base of the play service (play, stream token release and keep-alive).
    pub play_base_url: String,
    /// The app client id Kensho authenticates as. Empty means no real Crunchyroll is configured:
    /// the all-in-one then starts the bundled simulator.
    pub client_id: String,
    /// The app client secret (may be empty for web clients). Never logged.
    pub client_secret: Secret<String>,
    /// `device_type` sent with token requests.
    pub device_type: String,
    /// `User-Agent` of every request.
    pub user_agent: String,
    /// Language of titles and descriptions (`locale` query parameter).
    pub locale: String,
    /// Audio version preferred when listing seasons and episodes.
    pub preferred_audio_language: String,
    /// Play-service device and platform, for example `tv` and `android_tv`.
    pub stream_device: String,
    /// See `stream_device`.
    pub stream_platform: String,
    /// Refresh access tokens this many seconds before they expire.
    pub token_refresh_margin_seconds: u64,
    /// Limit for opening a connection, in milliseconds.
    pub connect_timeout_ms: u64,
    /// Idle pooled connections are closed after this many milliseconds.
    pub pool_idle_timeout_ms: u64,
    /// Most idle pooled connections kept per host.
    pub pool_max_idle_per_host: usize,
    /// TCP keep-alive interval of pooled connections, in milliseconds.
    pub tcp_keepalive_ms: u64,
    /// Protection of authentication and content calls.
    pub api: ResilienceSettings,
    /// Protection of play-service calls.
    pub play: ResilienceSettings,
}

impl Default for CrunchyrollSettings {
    fn default() -> Self {
        CrunchyrollSettings {
            api_base_url: "https://www.crunchyroll.com".to_owned(),
            play_base_url: "https://www.crunchyroll.com/playback".to_owned(),
            client_id: String::new(),
            client_secret: Secret::new(String::new()),
            device_type: "Kensho".to_owned(),
            user_agent: concat!("Kensho/", env!("CARGO_PKG_VERSION")).to_owned(),
            locale: "en-US".to_owned(),
            preferred_audio_language: "ja-JP".to_owned(),
            stream_device: "tv".to_owned(),
            stream_platform: "android_tv".to_owned(),
            token_refresh_margin_seconds: 30,
            connect_timeout_ms: 2_000,
            pool_idle_timeout_ms: 90_000,
            pool_max_idle_per_host: 32,
            tcp_keepalive_ms: 60_000,
            api: ResilienceSettings::default(),
            play: ResilienceSettings::default(),
        }
    }
}

impl CrunchyrollSettings {
    /// Settings for a Crunchyroll at `base_url` that serves its play service under `/playback`
    /// (the simulator does), authenticating as the app `client_id` with an empty secret.
    pub fn at_base_url(base_url: &str, client_id: &str) -> Self {
        let base_url = base_url.trim_end_matches('/');
        CrunchyrollSettings {
            api_base_url: base_url.to_owned(),
            play_base_url: format!("{base_url}/playback"),
            client_id: client_id.to_owned(),
            ..CrunchyrollSettings::default()
        }
    }

    /// The same settings, protecting both upstreams with `resilience`.
    pub fn with_resilience(self, resilience: ResilienceSettings) -> Self {
        CrunchyrollSettings {
            api: resilience.clone(),
            play: resilience,
            ..self
        }
    }

    /// Whether real Crunchyroll app credentials are configured.
    pub fn has_credentials(&self) -> bool {
        !self.client_id.is_empty()
    }

    pub(crate) fn refresh_margin(&self) -> Duration {
        Duration::from_secs(self.token_refresh_margin_seconds)
    }
}
