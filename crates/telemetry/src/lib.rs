//! Logging and tracing for every Kensho process, behind one entry point: [`init`] returns a
//! [`TelemetryGuard`] whose [`TelemetryGuard::shutdown`] flushes before the process exits.
//!
//! Logs are structured: JSON lines (with `trace_id` and `span_id` inside a span) when stderr is
//! not a terminal (containers, CI), human-readable text on a terminal. The level filter uses
//! `tracing-subscriber`'s `EnvFilter` syntax. Every span is an OpenTelemetry span, so trace ids
//! exist even when nothing is exported; spans are exported over OTLP/gRPC when
//! `telemetry.otlp_endpoint` or `OTEL_EXPORTER_OTLP_ENDPOINT` is set ([`routing`] explains how
//! each service's spans keep their own `service.name`). [`propagation`] carries the W3C trace
//! context across processes; [`database`] makes a span per database statement.
#![forbid(unsafe_code)]

pub mod database;
pub mod environment;
pub mod log_line;
pub mod metrics;
pub mod propagation;
pub mod routing;

use std::io::IsTerminal;
use std::time::Duration;

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::trace::SdkTracerProvider;
use serde::{Deserialize, Serialize};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

pub use environment::OtelEnvironment;
pub use routing::SERVICE_FIELD;
/// Where log lines go ([`init_with_writer`]): `LogWriter::new(std::io::stderr)` by default.
pub use tracing_subscriber::fmt::writer::BoxMakeWriter as LogWriter;

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
    /// OTLP/gRPC collector (`http://127.0.0.1:4317`); `OTEL_EXPORTER_OTLP_ENDPOINT` when unset;
    /// no export when neither is set.
    pub otlp_endpoint: Option<String>,
    /// Longest time one batch export may take, in milliseconds.
    pub otlp_export_timeout_ms: u64,
    /// Finished spans buffered per service while the collector is slow; beyond it spans are
    /// dropped rather than delaying requests.
    pub otlp_max_queue_size: usize,
    /// How long finished spans wait to be exported together, in milliseconds.
    pub otlp_batch_delay_ms: u64,
    /// Longest time [`TelemetryGuard::shutdown`] waits for the last export, in milliseconds.
    pub shutdown_timeout_ms: u64,
}

impl Default for TelemetrySettings {
    fn default() -> Self {
        TelemetrySettings {
            log_level: "info".to_owned(),
            log_format: LogFormat::Auto,
            otlp_endpoint: None,
            otlp_export_timeout_ms: 3_000,
            otlp_max_queue_size: 2_048,
            otlp_batch_delay_ms: 5_000,
            shutdown_timeout_ms: 5_000,
        }
    }
}

/// Keeps telemetry running; call [`TelemetryGuard::shutdown`] at the end of `main`.
#[derive(Debug)]
#[must_use = "dropping the guard early loses buffered telemetry"]
pub struct TelemetryGuard {
    service_name: &'static str,
    provider: Option<SdkTracerProvider>,
    shutdown_timeout: Duration,
}

impl TelemetryGuard {
    /// Exports the spans still buffered, waiting at most `telemetry.shutdown_timeout_ms`.
    pub async fn shutdown(self) {
        tracing::info!(service = self.service_name, "telemetry shutting down");
        if let Some(provider) = self.provider {
            let timeout = self.shutdown_timeout;
            // The SDK blocks while it flushes: keep that off the async workers.
            let flushed =
                tokio::task::spawn_blocking(move || provider.shutdown_with_timeout(timeout)).await;
            if let Ok(Err(error)) = flushed {
                tracing::warn!(%error, "the last spans could not be exported");
            }
        }
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

/// Installs the global subscriber for `service_name`, with the `OTEL_*` variables of this
/// process. When a subscriber is already installed (a test), the existing one is kept.
pub fn init(
    settings: &TelemetrySettings,
    service_name: &'static str,
) -> Result<TelemetryGuard, InvalidLogLevel> {
    init_with_environment(settings, service_name, &OtelEnvironment::from_process())
}

/// [`init`] with the `OTEL_*` variables taken from `environment`. Exporting needs a Tokio
/// runtime: call it from within one.
pub fn init_with_environment(
    settings: &TelemetrySettings,
    service_name: &'static str,
    environment: &OtelEnvironment,
) -> Result<TelemetryGuard, InvalidLogLevel> {
    init_with_writer(
        settings,
        service_name,
        environment,
        LogWriter::new(std::io::stderr),
    )
}

/// The level filter `telemetry.log_level` describes (`EnvFilter` syntax: `info`,
/// `warn,kensho_catalog=debug`).
pub fn log_filter(settings: &TelemetrySettings) -> Result<EnvFilter, InvalidLogLevel> {
    EnvFilter::try_new(&settings.log_level).map_err(|error| InvalidLogLevel(error.to_string()))
}

/// [`init_with_environment`] writing log lines to `writer` instead of stderr (`auto` still
/// decides the format by whether stderr is a terminal), so a test can read what a flow logged.
pub fn init_with_writer(
    settings: &TelemetrySettings,
    service_name: &'static str,
    environment: &OtelEnvironment,
    writer: LogWriter,
) -> Result<TelemetryGuard, InvalidLogLevel> {
    let filter = log_filter(settings)?;
    let use_json = match settings.log_format {
        LogFormat::Json => true,
        LogFormat::Text => false,
        LogFormat::Auto => !std::io::stderr().is_terminal(),
    };
    let provider = tracer_provider(settings, service_name, environment);
    let tracing_layer = tracing_opentelemetry::layer()
        .with_tracer(provider.tracer(service_name))
        .with_threads(false)
        .with_location(false);
    let registry = tracing_subscriber::registry()
        .with(filter)
        .with(tracing_layer);
    // try_init fails only when a subscriber is already set, which is fine: keep that one.
    let installed = if use_json {
        registry
            .with(
                tracing_subscriber::fmt::layer()
                    .event_format(log_line::JsonWithTraceIds::new())
                    .fmt_fields(tracing_subscriber::fmt::format::JsonFields::new())
                    .with_writer(writer),
            )
            .try_init()
    } else {
        registry
            .with(tracing_subscriber::fmt::layer().with_writer(writer))
            .try_init()
    };
    Ok(TelemetryGuard {
        service_name,
        provider: installed.is_ok().then_some(provider),
        shutdown_timeout: Duration::from_millis(settings.shutdown_timeout_ms),
    })
}

fn tracer_provider(
    settings: &TelemetrySettings,
    service_name: &'static str,
    environment: &OtelEnvironment,
) -> SdkTracerProvider {
    let builder = SdkTracerProvider::builder().with_sampler(environment.sampler());
    let endpoint = settings
        .otlp_endpoint
        .clone()
        .or_else(|| environment.exporter_endpoint.clone());
    let runtime = tokio::runtime::Handle::try_current();
    match (endpoint, runtime) {
        (Some(endpoint), Ok(runtime)) => builder
            .with_span_processor(routing::RoutingProcessor::new(routing::ExportPlan {
                endpoint,
                export_timeout: Duration::from_millis(settings.otlp_export_timeout_ms),
                max_queue_size: settings.otlp_max_queue_size,
                batch_delay: Duration::from_millis(settings.otlp_batch_delay_ms),
                resource_attributes: environment.resource_attributes(),
                service_name_override: environment.service_name.clone(),
                default_service: service_name.to_owned(),
                runtime,
            }))
            .build(),
        // Spans still get trace ids for logs and problem bodies; nothing is exported.
        _ => builder.build(),
    }
}

#[cfg(test)]
mod tests;
