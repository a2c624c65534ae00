use crate::helpers::{Storage, assert_problem, spawn_app, spawn_app_with, spawn_gateway_with};

#[tokio::test]
async fn a_client_request_id_is_echoed_and_a_missing_one_generated() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(format!("{}/api/v1/tags", app.address))
        .header("x-request-id", "client-chosen-id-42")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.headers()["x-request-id"], "client-chosen-id-42");
    let generated = app.get("/api/v1/tags").await;
    let id = generated.headers()["x-request-id"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_eq!(id.len(), 36, "a UUID: {id}");
}

#[tokio::test]
async fn problems_carry_the_trace_id_the_client_started() {
    let _telemetry = kensho_telemetry::init_with_environment(
        &kensho_telemetry::TelemetrySettings::default(),
        "gateway",
        &kensho_telemetry::OtelEnvironment::default(),
    )
    .expect("telemetry");
    let app = spawn_app().await;
    let response = app
        .client
        .get(format!("{}/api/v1/anime/0000000000000000", app.address))
        .header("x-request-id", "trace-me")
        .header(
            "traceparent",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        )
        .send()
        .await
        .expect("sent");
    let problem = assert_problem(response, 404).await;
    assert_eq!(problem["trace_id"], "4bf92f3577b34da6a3ce929d0e0e4736");
    let untraced = assert_problem(app.get("/api/v1/nothing-here").await, 404).await;
    let fresh_trace_id = untraced["trace_id"].as_str().expect("a string");
    assert_eq!(fresh_trace_id.len(), 32, "a new trace: {fresh_trace_id}");
    assert_ne!(fresh_trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
}

#[tokio::test]
async fn an_unknown_route_and_a_wrong_method_are_problems() {
    let app = spawn_app().await;
    assert_problem(app.get("/api/v1/nothing-here").await, 404).await;
    let response = app
        .client
        .delete(format!("{}/api/v1/tags", app.address))
        .send()
        .await
        .expect("sent");
    assert_problem(response, 405).await;
}

#[tokio::test]
async fn responses_are_compressed_when_the_client_accepts_gzip() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(format!("{}/api/v1/tags?limit=100", app.address))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "gzip");
}

#[tokio::test]
async fn a_body_over_the_limit_is_413() {
    let app = spawn_app_with(Storage::Sqlite, |settings| settings.body_limit_bytes = 64).await;
    let response = app
        .client
        .post(format!("{}/api/v1/anime/batch", app.address))
        .header("content-type", "application/json")
        .body(format!("{{\"ids\": [\"{}\"]}}", "a".repeat(200)))
        .send()
        .await
        .expect("sent");
    assert_problem(response, 413).await;
}

#[tokio::test]
async fn cors_allows_only_configured_origins() {
    let app = spawn_app_with(Storage::Sqlite, |settings| {
        settings.cors_allowed_origins = vec!["https://app.example.org".to_owned()];
    })
    .await;
    let preflight = |origin: &'static str| {
        app.client
            .request(
                reqwest::Method::OPTIONS,
                format!("{}/api/v1/search", app.address),
            )
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .send()
    };
    let allowed = preflight("https://app.example.org").await.expect("sent");
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://app.example.org"
    );
    let refused = preflight("https://evil.example.com").await.expect("sent");
    assert!(
        refused
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
}

#[tokio::test]
async fn readiness_follows_the_catalog() {
    let app = spawn_app().await;
    assert_eq!(app.get("/health/live").await.status(), 200);
    assert_eq!(app.get("/health/ready").await.status(), 200);
    let orphan = spawn_gateway_with(|settings| {
        settings.request_timeout_ms = 2_000;
    })
    .await;
    assert_eq!(orphan.get("/health/live").await.status(), 200);
    assert_eq!(orphan.get("/health/ready").await.status(), 503);
    let unavailable = assert_problem(orphan.get("/api/v1/tags").await, 503).await;
    assert!(unavailable["detail"].is_string());
}

#[tokio::test]
async fn a_503_tells_clients_when_to_retry() {
    let app = spawn_gateway_with(|settings| {
        settings.retry_after_seconds = 7;
    })
    .await;
    let response = app.get("/api/v1/search?q=naruto").await;
    assert_eq!(response.headers()["retry-after"], "7");
    assert_problem(response, 503).await;
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_disconnected() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let app = spawn_app_with(Storage::Sqlite, |settings| {
        settings.http.header_read_timeout_ms = 300;
    })
    .await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let mut connection = tokio::net::TcpStream::connect(&address)
        .await
        .expect("the gateway accepts");
    connection
        .write_all(b"GET /api/v1/tags HTTP/1.1\r\nHost: kensho\r\n")
        .await
        .expect("a partial request is sent");

    let started = std::time::Instant::now();
    let mut answer = Vec::new();
    // The server closes the connection; without a header read timeout this read never ends and
    // the outer timeout fails the test.
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        connection.read_to_end(&mut answer),
    )
    .await
    .expect("the gateway closes the connection");

    assert!(read.is_ok() || answer.is_empty(), "{read:?}");
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(250),
        "closed after {:?}, before the timeout",
        started.elapsed()
    );
    let text = String::from_utf8_lossy(&answer);
    assert!(
        text.is_empty() || text.starts_with("HTTP/1.1 408"),
        "unexpected answer: {text}"
    );
}
