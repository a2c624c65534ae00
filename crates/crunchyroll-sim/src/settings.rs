//! Simulator configuration: the `[simulator]` section and, for the standalone binary, the whole
//! tree. Every key has a default, so an empty configuration runs a usable simulator.

use kensho_kit::Secret;
use kensho_kit::http_server::HttpServerSettings;
use kensho_telemetry::TelemetrySettings;
use serde::{Deserialize, Serialize};

/// The `[simulator]` section.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SimSettings {
    /// Address the HTTP server binds to.
    pub host: String,
    /// HTTP port; 0 picks a free port.
    pub port: u16,
    /// Base URL written into manifest and subtitle URLs; empty means `http://{bound address}`
    /// (with `127.0.0.1` when bound to every interface). Set it when clients reach the simulator
    /// under another name, for example behind a container network.
    pub public_base_url: String,
    /// Lifetime of an access token, in seconds (Crunchyroll: 300). 0 issues tokens that are
    /// already expired, which lets tests exercise expiry without waiting.
    pub access_token_ttl_seconds: u64,
    /// Lifetime of a stream token that is neither kept alive nor released, in seconds
    /// (Crunchyroll: 21600). Each keepAlive restarts it; 0 issues tokens that are already expired.
    pub stream_token_ttl_seconds: u64,
    /// The accounts that can log in with the `password` grant.
    pub accounts: Vec<Account>,
    /// Accepted OAuth client ids; empty accepts any well-formed client credentials.
    pub client_ids: Vec<String>,
    /// Seed of the synthetic catalog (`extra_series`); the sample-derived catalog never changes.
    pub catalog_seed: u64,
    /// Synthetic series generated on top of the sample catalog, for load tests (2 seasons of 12
    /// episodes each).
    pub extra_series: u32,
    /// Requests per second allowed per client IP (token bucket, burst of twice this); 0 turns
    /// rate limiting off. Over the limit: 429 with `Retry-After`.
    pub rate_limit_per_second: u32,
    /// Connection limits of the HTTP server.
    pub http: HttpServerSettings,
    /// How long in-flight requests may finish after a shutdown signal, in milliseconds.
    pub drain_timeout_ms: u64,
    /// How many of the latest `traceparent` headers `/_sim/stats` reports.
    pub recorded_traceparents: usize,
}

impl Default for SimSettings {
    fn default() -> Self {
        SimSettings {
            host: "127.0.0.1".to_owned(),
            port: 8090,
            public_base_url: String::new(),
            access_token_ttl_seconds: 300,
            stream_token_ttl_seconds: 21_600,
            accounts: Account::demo_accounts(),
            client_ids: Vec::new(),
            catalog_seed: 1,
            extra_series: 0,
            rate_limit_per_second: 0,
            http: HttpServerSettings::default(),
            drain_timeout_ms: 5_000,
            recorded_traceparents: 64,
        }
    }
}

/// One Crunchyroll account of the simulator.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// Login name (the `username` form field), compared case-insensitively.
    pub email: String,
    /// Login password.
    pub password: Secret<String>,
    /// Whether the account has the `cr_premium` benefit (premium-only episodes play).
    pub premium: bool,
    /// How many stream tokens the account may hold at once (`concurrent_streams.N`).
    pub concurrent_streams: u32,
}

/// Email of the bundled premium demo account.
pub const PREMIUM_DEMO_EMAIL: &str = "premium@kensho.test";
/// Password of the bundled premium demo account.
pub const PREMIUM_DEMO_PASSWORD: &str = "premium-demo";
/// Email of the bundled free-tier demo account.
pub const FREE_DEMO_EMAIL: &str = "free@kensho.test";
/// Password of the bundled free-tier demo account.
pub const FREE_DEMO_PASSWORD: &str = "free-demo";

impl Account {
    /// The two bundled accounts: premium with 4 streams, free with 1.
    pub fn demo_accounts() -> Vec<Account> {
        vec![
            Account {
                email: PREMIUM_DEMO_EMAIL.to_owned(),
                password: Secret::new(PREMIUM_DEMO_PASSWORD.to_owned()),
                premium: true,
                concurrent_streams: 4,
            },
            Account {
                email: FREE_DEMO_EMAIL.to_owned(),
                password: Secret::new(FREE_DEMO_PASSWORD.to_owned()),
                premium: false,
                concurrent_streams: 1,
            },
        ]
    }
}

/// Everything the standalone simulator reads.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SimConfig {
    /// The simulator.
    pub simulator: SimSettings,
    /// Logs and traces.
    pub telemetry: TelemetrySettings,
}
