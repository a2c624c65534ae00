//! Logging and tracing for every Kensho process, behind one entry point: [`init`] returns a
//! [`TelemetryGuard`] whose [`TelemetryGuard::shutdown`] flushes before the process exits.
//!
//! Logs are structured: JSON lines when stderr is not a terminal (containers, CI), human-readable
//! text on a terminal. The level filter uses `tracing-subscriber`'s `EnvFilter` syntax.
#![forbid(unsafe_code)]

pub mod metrics;

use std::io::IsTerminal;

use serde::{Deserialize, Serialize};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// How log lines are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    /// JSON when stderr is not a terminal, text otherwise.
    #[default]
    Auto,
    /// One JSON object per line.
    Json,
    /// Human-readable text.
    Text,
}

/// The `[telemetry]` configuration section.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TelemetrySettings {
    /// Log filter in `EnvFilter` syntax, for example `info` or `info,kensho_catalog=debug`.
    pub log_level: String,
    /// `auto`, `json` or `text`.
    pub log_format: LogFormat,
}

impl Default for TelemetrySettings {
    fn default() -> Self {
        TelemetrySettings {
            log_level: "info".to_owned(),
            log_format: LogFormat::Auto,
        }
    }
}

/// Keeps telemetry running; call [`TelemetryGuard::shutdown`] at the end of `main`.
#[derive(Debug)]
#[must_use = "dropping the guard early loses buffered telemetry"]
pub struct TelemetryGuard {
    service_name: &'static str,
}

impl TelemetryGuard {
    /// Flushes what is buffered. Log lines are written synchronously, so nothing is pending yet;
    /// exporters added later flush here.
    pub async fn shutdown(self) {
        tracing::info!(service = self.service_name, "telemetry shut down");
    }
}

/// A filter string that cannot be parsed.
#[derive(Debug)]
pub struct InvalidLogLevel(String);

impl std::error::Error for InvalidLogLevel {}

impl std::fmt::Display for InvalidLogLevel {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "invalid telemetry.log_level: {}", self.0)
    }
}

/// Installs the global subscriber for `service_name`. When a subscriber is already installed (a
/// second service in the all-in-one, or a test), the existing one is kept.
pub fn init(
    settings: &TelemetrySettings,
    service_name: &'static str,
) -> Result<TelemetryGuard, InvalidLogLevel> {
    let filter = EnvFilter::try_new(&settings.log_level)
        .map_err(|error| InvalidLogLevel(error.to_string()))?;
    let use_json = match settings.log_format {
        LogFormat::Json => true,
        LogFormat::Text => false,
        LogFormat::Auto => !std::io::stderr().is_terminal(),
    };
    let registry = tracing_subscriber::registry().with(filter);
    // try_init fails only when a subscriber is already set, which is fine: keep that one.
    let _ = if use_json {
        registry
            .with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .with_current_span(true)
                    .with_writer(std::io::stderr),
            )
            .try_init()
    } else {
        registry
            .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
            .try_init()
    };
    Ok(TelemetryGuard { service_name })
}
