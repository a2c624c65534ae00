//! The hardened HTTP edge: security headers, a cap on request heads and on connections, and load
//! shedding past the configured number of requests in flight.

use std::time::Duration;

use kensho_crunchyroll_sim::{FaultPlan, FaultRule};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{PREMIUM, Storage, assert_problem, header, spawn_app, spawn_app_with};

/// How long a test waits for something that should happen promptly.
const PROMPTLY: Duration = Duration::from_secs(10);

#[tokio::test]
async fn every_response_carries_the_security_headers_and_hsts_only_behind_tls() {
    let app = spawn_app().await;

    let plain = app.get("/api/v1/tags").await;
    let problem = app.get("/api/v1/anime/not-an-id").await;
    let behind_tls = app
        .client
        .get(format!("{}/api/v1/tags", app.address))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .expect("sent");

    for response in [&plain, &problem, &behind_tls] {
        assert_eq!(
            header(response, "x-content-type-options").as_deref(),
            Some("nosniff")
        );
        assert_eq!(header(response, "x-frame-options").as_deref(), Some("DENY"));
        assert_eq!(
            header(response, "referrer-policy").as_deref(),
            Some("no-referrer")
        );
        let policy = header(response, "content-security-policy").unwrap_or_default();
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    }
    assert_eq!(header(&plain, "strict-transport-security"), None);
    assert_eq!(
        header(&behind_tls, "strict-transport-security").as_deref(),
        Some("max-age=31536000; includeSubDomains")
    );
    assert_problem(problem, 400).await;
}

#[tokio::test]
async fn a_request_head_past_the_limit_is_refused_with_431() {
    let app = spawn_app_with(Storage::Sqlite, |settings| {
        settings.http.max_header_bytes = 8 * 1024;
    })
    .await;

    let response = app
        .client
        .get(format!("{}/api/v1/tags", app.address))
        .header("x-padding", "a".repeat(16 * 1024))
        .send()
        .await
        .expect("an answer");

    assert_eq!(response.status(), 431);
    assert_eq!(app.get("/api/v1/tags").await.status(), 200);
}

/// Sends one keep-alive request on `connection` and reads until the response head is complete.
async fn request_on(connection: &mut TcpStream) -> String {
    connection
        .write_all(b"GET /health/live HTTP/1.1\r\nHost: kensho\r\n\r\n")
        .await
        .expect("the request is sent");
    let mut answer = Vec::new();
    let mut buffer = [0_u8; 1024];
    while !answer.windows(4).any(|window| window == b"\r\n\r\n") {
        let read = connection
            .read(&mut buffer)
            .await
            .expect("the answer is read");
        assert!(read > 0, "the connection closed early");
        answer.extend_from_slice(&buffer[..read]);
    }
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn connections_past_the_cap_wait_until_one_closes() {
    let app = spawn_app_with(Storage::Sqlite, |settings| {
        settings.http.max_connections = 1;
    })
    .await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let mut first = TcpStream::connect(&address).await.expect("connects");
    assert!(request_on(&mut first).await.starts_with("HTTP/1.1 200"));

    let mut second = TcpStream::connect(&address)
        .await
        .expect("the kernel accepts");
    let mut waiting = tokio::spawn(async move { request_on(&mut second).await });
    // While the first connection stays open the second is not served; this bounded wait is the
    // assertion, not a synchronisation.
    let early = tokio::time::timeout(Duration::from_millis(500), &mut waiting).await;
    assert!(
        early.is_err(),
        "the second connection was served past the cap"
    );

    drop(first);
    let answer = tokio::time::timeout(PROMPTLY, waiting)
        .await
        .expect("served once the first closed")
        .expect("the task finishes");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn requests_past_the_concurrency_limit_are_shed_with_503_and_retry_after() {
    let app = spawn_app_with(Storage::Sqlite, |settings| {
        settings.max_concurrent_requests = 1;
    })
    .await;
    app.sync_catalog().await;
    let anime_id = app.id_of("Cowboy Bebop").await;
    let token = app.login(PREMIUM).await["access_token"]
        .as_str()
        .expect("a token")
        .to_owned();
    let simulator = app.simulator.as_ref().expect("a simulator");
    simulator
        .set_faults(FaultPlan {
            rules: vec![FaultRule {
                latency_ms: 1_500,
                ..FaultRule::new("/playback/*")
            }],
            seed: None,
        })
        .expect("a valid plan");
    let plays_before = playback_requests(simulator);

    let slow = {
        let client = app.client.clone();
        let url = format!("{}/api/v1/stream/{anime_id}/1", app.address);
        tokio::spawn(async move { client.get(url).bearer_auth(token).send().await })
    };
    // The slow request holds the only slot once the simulator has seen its play call.
    tokio::time::timeout(PROMPTLY, async {
        while playback_requests(simulator) == plays_before {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("the stream request reaches the play service");
    let shed = app.get("/api/v1/tags").await;
    let live = app.get("/health/live").await;

    assert!(header(&shed, "retry-after").is_some());
    assert_problem(shed, 503).await;
    assert_eq!(live.status(), 200, "health routes are not shed");
    let slow = slow.await.expect("the task finishes").expect("answered");
    assert_eq!(slow.status(), 200);
    assert_eq!(app.get("/api/v1/tags").await.status(), 200);
}

fn playback_requests(simulator: &kensho_crunchyroll_sim::SimControl) -> u64 {
    simulator
        .stats()
        .routes
        .iter()
        .filter(|(route, _)| route.contains("/playback/"))
        .map(|(_, count)| count)
        .sum()
}

#[tokio::test]
async fn a_body_that_is_not_declared_json_is_415_and_a_too_deep_one_is_400() {
    let app = spawn_app().await;
    let url = format!("{}/api/v1/anime/batch", app.address);

    let undeclared = app
        .client
        .post(&url)
        .header("content-type", "text/plain")
        .body(r#"{"ids": ["0000000000000000"]}"#)
        .send()
        .await
        .expect("sent");
    let too_deep = app
        .client
        .post(&url)
        .header("content-type", "application/json")
        .body(format!("{}{}", "[".repeat(200), "]".repeat(200)))
        .send()
        .await
        .expect("sent");

    assert_problem(undeclared, 415).await;
    let problem = assert_problem(too_deep, 400).await;
    assert_eq!(problem["errors"][0]["field"], "body", "{problem}");
}
