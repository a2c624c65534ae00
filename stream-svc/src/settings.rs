//! stream-svc configuration: the `[stream]` section and, for the standalone binary, the whole tree.

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
    /// How long in-flight calls may finish after a shutdown signal, in milliseconds.
    pub drain_timeout_ms: u64,
}

impl Default for StreamSettings {
    fn default() -> Self {
        StreamSettings {
            host: "127.0.0.1".to_owned(),
            port: 50053,
            drain_timeout_ms: 10_000,
        }
    }
}

/// Everything the standalone stream-svc reads.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct StreamConfig {
    /// The service.
    pub stream: StreamSettings,
    /// Logs and traces.
    pub telemetry: TelemetrySettings,
}
