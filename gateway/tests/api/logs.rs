//! Log lines as an operator reads them: one JSON object per line, and inside a request the
//! `trace_id` and `span_id` of the spans exported for it, so a log line leads to its trace.

use std::collections::HashSet;
use std::time::Duration;

use kensho_test_support::logs::CapturedLogs;
use kensho_test_support::otlp::OtlpReceiver;
use kensho_test_support::simulator::play_service_outage;
use serde_json::Value;

use crate::helpers::{PREMIUM, spawn_app_exporting_and_logging_to};

/// The trace of the request below (W3C example values).
const REQUEST_TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const CLIENT_SPAN_ID: &str = "00f067aa0ba902b7";
/// How long the spans may take to reach the receiver.
const EXPORT_WAIT: Duration = Duration::from_secs(20);

#[tokio::test]
async fn a_requests_log_lines_carry_the_trace_and_span_ids_of_its_exported_spans() {
    let receiver = OtlpReceiver::start().await;
    let logs = CapturedLogs::default();
    let app = spawn_app_exporting_and_logging_to(&receiver.endpoint, "info", logs.clone()).await;
    app.sync_catalog().await;
    let anime_id = app.id_of("Cowboy Bebop").await;
    let tokens = app.login(PREMIUM).await;
    let access_token = tokens["access_token"].as_str().expect("a token");
    // A failing upstream makes the services log the failure, inside the request's spans.
    app.simulator
        .as_ref()
        .expect("a simulator")
        .set_faults(play_service_outage())
        .expect("a valid plan");

    let response = app
        .client
        .get(format!("{}/api/v1/stream/{anime_id}/1", app.address))
        .bearer_auth(access_token)
        .header(
            "traceparent",
            format!("00-{REQUEST_TRACE_ID}-{CLIENT_SPAN_ID}-01"),
        )
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 503);

    let lines: Vec<Value> = logs
        .text()
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is one JSON object"))
        .collect();
    let request_lines: Vec<&Value> = lines
        .iter()
        .filter(|line| line["trace_id"] == REQUEST_TRACE_ID)
        .collect();
    assert!(
        request_lines
            .iter()
            .any(|line| line["fields"]["message"] == "request failed"),
        "no failure line in the request's trace: {lines:#?}"
    );
    let logged_span_ids: HashSet<String> = request_lines
        .iter()
        .map(|line| {
            line["span_id"]
                .as_str()
                .expect("a span id beside the trace id")
                .to_owned()
        })
        .collect();
    let spans = receiver
        .wait_for(EXPORT_WAIT, |spans| {
            let exported: HashSet<&str> = spans
                .iter()
                .filter(|span| span.trace_id == REQUEST_TRACE_ID)
                .map(|span| span.span_id.as_str())
                .collect();
            logged_span_ids
                .iter()
                .all(|span_id| exported.contains(span_id.as_str()))
        })
        .await;
    let exported: HashSet<&str> = spans
        .iter()
        .filter(|span| span.trace_id == REQUEST_TRACE_ID)
        .map(|span| span.span_id.as_str())
        .collect();
    for span_id in &logged_span_ids {
        assert!(
            exported.contains(span_id.as_str()),
            "a line's span {span_id} was not exported in the request's trace"
        );
    }
}
