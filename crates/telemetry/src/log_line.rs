//! JSON log lines that carry the OpenTelemetry `trace_id` and `span_id` of the span they were
//! written in, so a log line leads to its trace and back.

use std::fmt;

use opentelemetry::trace::TraceContextExt;
use tracing::{Event, Subscriber};
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::fmt::format::{Format, Json, Writer};
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

/// `tracing-subscriber`'s JSON line with `"trace_id"` and `"span_id"` appended inside a span.
#[derive(Debug)]
pub struct JsonWithTraceIds {
    inner: Format<Json>,
}

impl JsonWithTraceIds {
    /// The standard JSON line (with the current span and its parents) plus the ids.
    pub fn new() -> Self {
        JsonWithTraceIds {
            inner: Format::default()
                .json()
                .with_current_span(true)
                .with_span_list(false),
        }
    }
}

impl Default for JsonWithTraceIds {
    fn default() -> Self {
        Self::new()
    }
}

impl<S, N> FormatEvent<S, N> for JsonWithTraceIds
where
    S: Subscriber + for<'lookup> LookupSpan<'lookup>,
    N: for<'writer> FormatFields<'writer> + 'static,
{
    fn format_event(
        &self,
        context: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let mut line = String::new();
        self.inner
            .format_event(context, Writer::new(&mut line), event)?;
        let trace_ids = context.lookup_current().map(|_| {
            let otel_context = tracing::Span::current().context();
            otel_context.span().span_context().clone()
        });
        match (trace_ids, line.trim_end().strip_suffix('}')) {
            (Some(span_context), Some(object)) if span_context.is_valid() => writeln!(
                writer,
                "{object},\"trace_id\":\"{}\",\"span_id\":\"{}\"}}",
                span_context.trace_id(),
                span_context.span_id()
            ),
            _ => writer.write_str(&line),
        }
    }
}
