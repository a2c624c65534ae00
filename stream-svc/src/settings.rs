//! stream-svc configuration: the `[stream]` section and, for the standalone binary, the whole tree.

use std::time::Duration;

use kensho_crunchyroll::CrunchyrollSettings;
use kensho_kit::admin::AdminSettings;
use kensho_kit::grpc::{ClientSettings, InternalSettings};
use kensho_kit::health::HealthSettings;
use kensho_telemetry::TelemetrySettings;
use serde::{Deserialize, Serialize};

/// The `[stream]` section.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StreamSettings {
    /// Address the gRPC server binds to.
    pub host: String,
    /// gRPC port; 0 picks a free port.
    pub port: u16,
    /// catalog-svc's gRPC endpoint (episode number → Crunchyroll episode).
    pub catalog_url: String,
    /// auth-svc's gRPC endpoint (session → Crunchyroll access token).
    pub auth_url: String,
    /// Longest life of a cached stream, in seconds.
    pub cache_ttl_seconds: u64,
    /// A cached stream is dropped this many seconds before its URL expires.
    pub cache_safety_margin_seconds: u64,
    /// Most streams kept in the cache; the soonest to expire make room.
    pub cache_max_entries: usize,
    /// Seconds callers are told to wait when the account's stream limit is reached.
    pub stream_limit_retry_after_seconds: u32,
    /// How stream-svc calls catalog-svc and auth-svc: connect timeout and the longest deadline
    /// of one call (each call also gets no more than what remains of the caller's deadline).
    pub grpc_client: ClientSettings,
    /// How long in-flight calls may finish after a shutdown signal, in milliseconds.
    pub drain_timeout_ms: u64,
    /// Dependency checks (interval, timeout) and the pre-stop delay of a shutdown.
    pub health: HealthSettings,
    /// The admin port (`/metrics`, `/health/*`); 9467 unless configured.
    pub admin: AdminSettings,
}

impl Default for StreamSettings {
    fn default() -> Self {
        StreamSettings {
            host: "127.0.0.1".to_owned(),
            port: 50053,
            catalog_url: "http://127.0.0.1:50051".to_owned(),
            auth_url: "http://127.0.0.1:50052".to_owned(),
            cache_ttl_seconds: 300,
            cache_safety_margin_seconds: 30,
            cache_max_entries: 10_000,
            stream_limit_retry_after_seconds: 30,
            grpc_client: ClientSettings {
                call_timeout_ms: 5_000,
                ..ClientSettings::default()
            },
            drain_timeout_ms: 10_000,
            health: HealthSettings::default(),
            admin: AdminSettings::default(),
        }
    }
}

impl StreamSettings {
    /// The cache's longest entry life.
    pub fn cache_ttl(&self) -> Duration {
        Duration::from_secs(self.cache_ttl_seconds)
    }

    /// How long before a URL's expiry its cache entry goes.
    pub fn cache_safety_margin(&self) -> Duration {
        Duration::from_secs(self.cache_safety_margin_seconds)
    }
}

/// Everything the standalone stream-svc reads.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct StreamConfig {
    /// The service.
    pub stream: StreamSettings,
    /// Where Crunchyroll's play service is.
    pub crunchyroll: CrunchyrollSettings,
    /// Logs and traces.
    pub telemetry: TelemetrySettings,
    /// The credentials internal calls carry, and reflection.
    pub internal: InternalSettings,
}
