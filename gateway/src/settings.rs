//! Gateway configuration: the `[gateway]` section and, for the standalone binary, the whole tree.

use crate::conditional::HttpCacheSettings;
use crate::edge_cache::EdgeCacheSettings;
use kensho_jwt::TokenSettings;
use kensho_kit::flags::FlagSettings;
use kensho_kit::grpc::{ClientSettings, InternalSettings};
use kensho_kit::health::HealthSettings;
use kensho_kit::http_server::HttpServerSettings;
use kensho_telemetry::TelemetrySettings;
use serde::{Deserialize, Serialize};

use crate::rate_limit::RateLimitSettings;

/// The `[gateway]` section.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GatewaySettings {
    /// Address the HTTP server binds to.
    pub host: String,
    /// HTTP port; 0 picks a free port.
    pub port: u16,
    /// catalog-svc's gRPC endpoint.
    pub catalog_url: String,
    /// auth-svc's gRPC endpoint (login, sessions, token introspection, JWKS).
    pub auth_url: String,
    /// stream-svc's gRPC endpoint (playable streams).
    pub stream_url: String,
    /// How long the gateway keeps auth-svc's public keys (JWKS) before fetching them again, in
    /// seconds; a token naming an unknown key triggers one early refetch.
    pub jwks_cache_seconds: u64,
    /// How long one REST request may take end to end, in milliseconds (504 after that); the gRPC
    /// calls it makes share this budget.
    pub request_timeout_ms: u64,
    /// How the gateway calls the services: connect timeout and the longest deadline of one call
    /// (each call also gets no more than what remains of `request_timeout_ms`).
    pub grpc_client: ClientSettings,
    /// Largest accepted request body, in bytes (413 beyond).
    pub body_limit_bytes: usize,
    /// Origins allowed to call the API from a browser (CORS), for example
    /// `["https://app.example.org"]`; `["*"]` allows any origin; empty allows none.
    pub cors_allowed_origins: Vec<String>,
    /// Seconds clients should wait before retrying a 429 or 503.
    pub retry_after_seconds: u32,
    /// How long in-flight requests may finish after a shutdown signal, in milliseconds.
    pub drain_timeout_ms: u64,
    /// Dependency checks (interval, timeout) and the pre-stop delay of a shutdown.
    pub health: HealthSettings,
    /// Connection limits of the HTTP server.
    pub http: HttpServerSettings,
    /// Most API requests handled at once; beyond it a request is refused at once with 503 and
    /// `Retry-After` instead of queueing (health routes are exempt).
    pub max_concurrent_requests: usize,
    /// `Strict-Transport-Security` max-age sent on responses to requests that reached a TLS
    /// front end (`X-Forwarded-Proto: https`); 0 sends none.
    pub hsts_max_age_seconds: u64,
    /// Rate limits per client and route class.
    pub rate_limit: RateLimitSettings,
    /// `ETag` / `Cache-Control` of catalog reads.
    pub http_cache: HttpCacheSettings,
    /// Feature flags (flagd format) gating behaviour being rolled out.
    pub flags: FlagSettings,
    /// The gateway's own response cache of anonymous catalog reads.
    pub edge_cache: EdgeCacheSettings,
}

impl Default for GatewaySettings {
    fn default() -> Self {
        GatewaySettings {
            host: "127.0.0.1".to_owned(),
            port: 8080,
            catalog_url: "http://127.0.0.1:50051".to_owned(),
            auth_url: "http://127.0.0.1:50052".to_owned(),
            stream_url: "http://127.0.0.1:50053".to_owned(),
            jwks_cache_seconds: 300,
            request_timeout_ms: 10_000,
            grpc_client: ClientSettings::default(),
            body_limit_bytes: 1024 * 1024,
            cors_allowed_origins: Vec::new(),
            retry_after_seconds: 5,
            drain_timeout_ms: 10_000,
            health: HealthSettings::default(),
            http: HttpServerSettings::default(),
            max_concurrent_requests: 512,
            hsts_max_age_seconds: 31_536_000,
            rate_limit: RateLimitSettings::default(),
            http_cache: HttpCacheSettings::default(),
            flags: FlagSettings::default(),
            edge_cache: EdgeCacheSettings::default(),
        }
    }
}

/// Everything the standalone gateway reads.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct GatewayConfig {
    /// The gateway.
    pub gateway: GatewaySettings,
    /// Logs and traces.
    pub telemetry: TelemetrySettings,
    /// The credential the gateway's calls to the services carry.
    pub internal: InternalSettings,
    /// The issuer and audience an access token must name to be accepted.
    pub tokens: TokenSettings,
}
