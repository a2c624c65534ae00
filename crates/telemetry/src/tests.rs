//! The log level syntax, through the subscriber layers `init` installs, scoped to each test.
//! (Trace ids in log lines are read through the global dispatcher, which a scoped subscriber
//! hides from its own formatter: `gateway/tests/api/logs.rs` checks them in a running cluster.)

use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

use opentelemetry::trace::TracerProvider as _;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;

use super::{OtelEnvironment, TelemetrySettings, log_filter, log_line, tracer_provider};

/// Every line written, shared between the subscriber and the test.
#[derive(Clone, Default)]
struct Lines(Arc<Mutex<Vec<u8>>>);

impl Lines {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}

impl Write for Lines {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Lines {
    type Writer = Lines;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Runs `emit` under the subscriber `init` installs for `log_level` (JSON lines, every span an
/// OpenTelemetry span), and returns what it wrote.
fn json_lines_of(log_level: &str, emit: impl FnOnce()) -> Vec<serde_json::Value> {
    let settings = TelemetrySettings {
        log_level: log_level.to_owned(),
        ..TelemetrySettings::default()
    };
    let lines = Lines::default();
    // The provider of a process that exports nothing.
    let provider = tracer_provider(&settings, "test", &OtelEnvironment::default());
    let subscriber = tracing_subscriber::registry()
        .with(log_filter(&settings).expect("a valid filter"))
        .with(tracing_opentelemetry::layer().with_tracer(provider.tracer("test")))
        .with(
            tracing_subscriber::fmt::layer()
                .event_format(log_line::JsonWithTraceIds::new())
                .fmt_fields(tracing_subscriber::fmt::format::JsonFields::new())
                .with_writer(lines.clone()),
        );
    tracing::subscriber::with_default(subscriber, emit);
    lines
        .text()
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is one JSON object"))
        .collect()
}

fn messages(lines: &[serde_json::Value]) -> Vec<&str> {
    lines
        .iter()
        .filter_map(|line| line["fields"]["message"].as_str())
        .collect()
}

#[test]
fn a_module_level_raises_only_that_modules_verbosity() {
    let lines = json_lines_of("info,kensho_catalog=debug", || {
        tracing::debug!(target: "kensho_catalog::search", "catalog debug");
        tracing::debug!(target: "kensho_gateway", "gateway debug");
        tracing::info!(target: "kensho_gateway", "gateway info");
    });

    assert_eq!(messages(&lines), ["catalog debug", "gateway info"]);
}

#[test]
fn a_module_level_lowers_only_that_modules_verbosity() {
    let lines = json_lines_of("info,sqlx=warn", || {
        tracing::info!(target: "sqlx::query", "statement");
        tracing::info!(target: "kensho_catalog", "catalog info");
    });

    assert_eq!(messages(&lines), ["catalog info"]);
}

#[test]
fn an_unparsable_level_is_refused_with_the_key_named() {
    let settings = TelemetrySettings {
        log_level: "info,kensho_catalog=loud".to_owned(),
        ..TelemetrySettings::default()
    };

    let error = log_filter(&settings).expect_err("an invalid level");

    assert!(error.to_string().contains("telemetry.log_level"), "{error}");
}
