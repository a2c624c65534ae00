//! Traces as a collector receives them: one stream request continues the client's trace through
//! the gateway, stream-svc, auth-svc and catalog-svc to the Crunchyroll simulator, each service's
//! spans under its own `service.name` and each span parented on the one that caused it; a span
//! per database statement; and a collector that never answers or cannot be reached neither fails
//! nor slows requests.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use kensho_test_support::otlp::{BlackHole, OtlpReceiver, ReceivedSpan};

use crate::helpers::{PREMIUM, Storage, spawn_app_exporting_to, spawn_app_on_storage_exporting_to};

/// The client's trace and span (W3C example values).
const CLIENT_TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const CLIENT_SPAN_ID: &str = "00f067aa0ba902b7";
/// How long the spans may take to reach the receiver.
const EXPORT_WAIT: Duration = Duration::from_secs(20);
const SERVICES: [&str; 4] = ["gateway", "stream-svc", "auth-svc", "catalog-svc"];

fn of_the_client_trace(spans: &[ReceivedSpan]) -> Vec<ReceivedSpan> {
    spans
        .iter()
        .filter(|span| span.trace_id == CLIENT_TRACE_ID)
        .cloned()
        .collect()
}

#[tokio::test]
async fn one_stream_request_is_one_trace_across_every_service_and_the_upstream() {
    let receiver = OtlpReceiver::start().await;
    let app = spawn_app_exporting_to(&receiver.endpoint, |telemetry| {
        telemetry.otlp_batch_delay_ms = 50;
    })
    .await;
    app.sync_catalog().await;
    let anime_id = app.id_of("Cowboy Bebop").await;
    let tokens = app.login(PREMIUM).await;
    let access_token = tokens["access_token"].as_str().expect("a token");
    let simulator = app.simulator.clone().expect("a simulator");
    simulator.reset_stats();

    let response = app
        .client
        .get(format!("{}/api/v1/stream/{anime_id}/5", app.address))
        .bearer_auth(access_token)
        .header(
            "traceparent",
            format!("00-{CLIENT_TRACE_ID}-{CLIENT_SPAN_ID}-01"),
        )
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);

    let spans = of_the_client_trace(
        &receiver
            .wait_for(EXPORT_WAIT, |spans| {
                let services: HashSet<String> = of_the_client_trace(spans)
                    .into_iter()
                    .filter(|span| {
                        span.name.starts_with("kensho.") || span.name.starts_with("GET ")
                    })
                    .map(|span| span.service_name)
                    .collect();
                SERVICES.iter().all(|service| services.contains(*service))
            })
            .await,
    );
    let span_ids: HashSet<&str> = spans.iter().map(|span| span.span_id.as_str()).collect();
    for span in &spans {
        assert!(
            span.parent_span_id == CLIENT_SPAN_ID
                || span_ids.contains(span.parent_span_id.as_str()),
            "{span:?} has a parent outside the trace"
        );
    }
    let entry = spans
        .iter()
        .find(|span| span.service_name == "gateway" && span.parent_span_id == CLIENT_SPAN_ID)
        .expect("the gateway's request span continues the client's");
    assert_eq!(entry.name, "GET /api/v1/stream/{anime_id}/{episode}");
    // Each service's request span is a child of a span of its caller, not of its own.
    for service in ["stream-svc", "auth-svc", "catalog-svc"] {
        let server_span = spans
            .iter()
            .find(|span| span.service_name == service && span.name.starts_with("kensho."))
            .unwrap_or_else(|| panic!("no request span of {service}: {spans:#?}"));
        let parent = spans
            .iter()
            .find(|span| span.span_id == server_span.parent_span_id)
            .expect("the parent was exported");
        assert_ne!(
            parent.service_name, service,
            "{server_span:?} under {parent:?}"
        );
    }
    let upstream_attempt = spans
        .iter()
        .find(|span| span.attribute("upstream").is_some())
        .expect("a span per upstream attempt");
    assert_eq!(upstream_attempt.attribute("retry"), Some("0"));
    assert_eq!(upstream_attempt.attribute("breaker.state"), Some("Closed"));

    let seen = simulator.stats().traceparents;
    assert!(
        seen.iter()
            .any(|traceparent| traceparent.starts_with(&format!("00-{CLIENT_TRACE_ID}-"))),
        "the simulator saw {seen:?}"
    );
}

#[tokio::test]
async fn a_black_holed_collector_neither_fails_nor_slows_requests() {
    let black_hole = BlackHole::start().await;

    assert_requests_unaffected_by_the_collector_at(&black_hole.endpoint).await;
}

#[tokio::test]
async fn an_unreachable_collector_neither_fails_nor_slows_requests() {
    // A port that was just free: connecting to it is refused.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let endpoint = format!("http://{}", listener.local_addr().expect("an address"));
    drop(listener);

    assert_requests_unaffected_by_the_collector_at(&endpoint).await;
}

/// 100 searches each answer 200 well under the export timeout while every export to `endpoint`
/// fails or hangs, and shutdown returns within its bound.
async fn assert_requests_unaffected_by_the_collector_at(endpoint: &str) {
    let mut app = spawn_app_exporting_to(endpoint, |telemetry| {
        telemetry.otlp_batch_delay_ms = 10;
        telemetry.otlp_max_queue_size = 8;
        telemetry.otlp_export_timeout_ms = 2_000;
        telemetry.shutdown_timeout_ms = 500;
    })
    .await;
    // Far more spans than the queue holds, while every export fails or hangs until its timeout.
    let mut slowest = Duration::ZERO;
    for _ in 0..100 {
        let started = Instant::now();
        let response = app.get("/api/v1/search?q=bebop").await;
        assert_eq!(response.status(), 200);
        slowest = slowest.max(started.elapsed());
    }
    assert!(
        slowest < Duration::from_millis(500),
        "a request waited on the collector: {slowest:?}"
    );
    let flush_started = Instant::now();
    app.cluster_mut().flush_telemetry().await;
    assert!(
        flush_started.elapsed() < Duration::from_secs(3),
        "shutdown waited {:?} on a collector that never answers",
        flush_started.elapsed()
    );
}

/// The trace of the anime detail requests below.
const DETAIL_TRACE_ID: &str = "0af7651916cd43dd8448eb211c80319c";

/// Makes one detail request in [`DETAIL_TRACE_ID`] and returns the spans of that trace once
/// catalog-svc's statement spans for it have arrived, with the anime id asked for.
async fn statement_spans_of_one_detail_request(storage: Storage) -> (Vec<ReceivedSpan>, String) {
    let receiver = OtlpReceiver::start().await;
    let app = spawn_app_on_storage_exporting_to(storage, &receiver.endpoint, |telemetry| {
        telemetry.otlp_batch_delay_ms = 50;
    })
    .await;
    app.sync_catalog().await;
    let anime_id = app.id_of("Cowboy Bebop").await;

    let response = app
        .client
        .get(format!("{}/api/v1/anime/{anime_id}", app.address))
        .header(
            "traceparent",
            format!("00-{DETAIL_TRACE_ID}-{CLIENT_SPAN_ID}-01"),
        )
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);

    let is_detail_trace = |span: &ReceivedSpan| span.trace_id == DETAIL_TRACE_ID;
    let spans = receiver
        .wait_for(EXPORT_WAIT, |spans| {
            let trace: Vec<&ReceivedSpan> =
                spans.iter().filter(|span| is_detail_trace(span)).collect();
            let has_statements = trace
                .iter()
                .any(|span| span.name == "SELECT anime_relation");
            let has_rpc = trace
                .iter()
                .any(|span| span.name == "kensho.catalog.v1.CatalogService/GetAnime");
            has_statements && has_rpc
        })
        .await;
    let trace = spans.into_iter().filter(is_detail_trace).collect();
    (trace, anime_id)
}

/// Checks that `trace` holds the statements of a detail request, each a client span of
/// `system` under the detail cache's load and catalog-svc's RPC span, with no bound value in
/// any of its attributes.
fn assert_statement_spans(trace: &[ReceivedSpan], anime_id: &str, system: &str) {
    let rpc_span = trace
        .iter()
        .find(|span| span.name == "kensho.catalog.v1.CatalogService/GetAnime")
        .expect("catalog-svc's request span");
    let cache_load = trace
        .iter()
        .find(|span| span.name == "cache.load")
        .expect("the detail cache's load span");
    assert_eq!(cache_load.attribute("class"), Some("anime"));
    let statements: Vec<&ReceivedSpan> = trace
        .iter()
        .filter(|span| span.attribute("db.system.name").is_some())
        .collect();
    let names: HashSet<&str> = statements.iter().map(|span| span.name.as_str()).collect();
    // The anime row, its synonyms, sources and tags in one statement, and its relations.
    for expected in [
        "SELECT anime",
        "SELECT anime_synonym",
        "SELECT anime_relation",
    ] {
        assert!(names.contains(expected), "no {expected} span in {names:?}");
    }
    for statement in &statements {
        assert_eq!(statement.service_name, "catalog-svc", "{statement:?}");
        assert_eq!(statement.kind, 3, "a client span: {statement:?}");
        assert_eq!(statement.attribute("db.system.name"), Some(system));
        let (operation, collection) = statement.name.split_once(' ').expect("OPERATION table");
        assert_eq!(statement.attribute("db.operation.name"), Some(operation));
        assert_eq!(statement.attribute("db.collection.name"), Some(collection));
        let text = statement.attribute("db.query.text").expect("the statement");
        assert!(text.contains("$1"), "placeholders in {text}");
        assert!(
            has_ancestor(trace, statement, &cache_load.span_id),
            "{statement:?} is not under {cache_load:?}"
        );
        assert!(
            has_ancestor(trace, statement, &rpc_span.span_id),
            "{statement:?} is not under {rpc_span:?}"
        );
    }
    for statement in &statements {
        for (key, value) in &statement.attributes {
            assert!(
                !value.contains(anime_id),
                "{key} of {} carries the bound anime id: {value}",
                statement.name
            );
        }
    }
}

/// Whether `ancestor_id` is the parent of `span`, or of one of its parents.
fn has_ancestor(trace: &[ReceivedSpan], span: &ReceivedSpan, ancestor_id: &str) -> bool {
    let mut parent_id = span.parent_span_id.as_str();
    while let Some(parent) = trace
        .iter()
        .find(|candidate| candidate.span_id == parent_id)
    {
        if parent.span_id == ancestor_id {
            return true;
        }
        parent_id = parent.parent_span_id.as_str();
    }
    false
}

#[tokio::test]
async fn a_detail_request_exports_a_span_per_sqlite_statement_under_the_rpc_span() {
    let (trace, anime_id) = statement_spans_of_one_detail_request(Storage::Sqlite).await;

    assert_statement_spans(&trace, &anime_id, "sqlite");
    assert!(
        trace
            .iter()
            .all(|span| span.attribute("server.address").is_none()),
        "an embedded file has no server"
    );
}

#[tokio::test]
async fn a_detail_request_exports_a_span_per_postgresql_statement_with_its_server() {
    let (trace, anime_id) = statement_spans_of_one_detail_request(Storage::Postgres).await;

    assert_statement_spans(&trace, &anime_id, "postgresql");
    let statement = trace
        .iter()
        .find(|span| span.name == "SELECT anime")
        .expect("the anime row's statement");
    let expected_server =
        reqwest::Url::parse(&kensho_test_support::test_database_url()).expect("a database url");
    assert_eq!(
        statement.attribute("server.address"),
        expected_server.host_str()
    );
    assert_eq!(
        statement.attribute("server.port"),
        Some(expected_server.port().unwrap_or(5432).to_string().as_str())
    );
}
