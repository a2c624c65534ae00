//! The edge cache: anonymous catalog reads answered from the gateway's own response cache, with
//! their ETag, 304 on revalidation, compressed bodies replayed as stored, and nothing cached for
//! requests that carry credentials.

use kensho_gateway::Quota;
use kensho_test_support::wait::wait_until;

use crate::helpers::{Storage, TestApp, edge_member, header, spawn_app_with};

async fn get_with(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = app.client.get(format!("{}{path}", app.address));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("request is sent")
}

#[tokio::test]
async fn a_repeated_anonymous_detail_is_answered_by_the_edge_with_the_same_body_and_etag() {
    let app = spawn_app_with(Storage::Sqlite, |_| {}).await;
    let id = app.id_of("SPY x FAMILY").await;
    let path = format!("/api/v1/anime/{id}");

    let first = app.get(&path).await;
    let first_etag = header(&first, "etag");
    assert_eq!(edge_member(&first), "kensho-edge; fwd=miss; stored");
    let first_body = first.bytes().await.expect("body");
    let second = app.get(&path).await;

    assert_eq!(second.status(), 200);
    assert!(
        edge_member(&second).starts_with("kensho-edge; hit; ttl="),
        "{:?}",
        header(&second, "cache-status")
    );
    assert_eq!(header(&second, "etag"), first_etag);
    assert_eq!(
        header(&second, "cache-control").as_deref(),
        Some("public, max-age=60")
    );
    assert!(header(&second, "x-request-id").is_some());
    assert_eq!(second.bytes().await.expect("body"), first_body);
}

#[tokio::test]
async fn an_edge_hit_with_a_matching_if_none_match_is_304_with_no_body() {
    let app = spawn_app_with(Storage::Sqlite, |_| {}).await;
    let id = app.id_of("SPY x FAMILY").await;
    let path = format!("/api/v1/anime/{id}/episodes");
    let etag = header(&app.get(&path).await, "etag").expect("an etag");

    let revalidated = get_with(&app, &path, &[("if-none-match", &etag)]).await;

    assert_eq!(revalidated.status(), 304);
    assert!(edge_member(&revalidated).starts_with("kensho-edge; hit"));
    assert_eq!(header(&revalidated, "etag").as_deref(), Some(etag.as_str()));
    assert!(revalidated.bytes().await.expect("body").is_empty());
}

#[tokio::test]
async fn a_compressed_body_is_stored_once_and_replayed_for_the_same_encoding() {
    let app = spawn_app_with(Storage::Sqlite, |_| {}).await;
    let path = "/api/v1/tags?limit=50";
    let gzip = [("accept-encoding", "gzip")];

    let first = get_with(&app, path, &gzip).await;
    assert_eq!(header(&first, "content-encoding").as_deref(), Some("gzip"));
    let first_body = first.bytes().await.expect("body");
    let second = get_with(&app, path, &gzip).await;
    let plain = get_with(&app, path, &[]).await;

    assert!(edge_member(&second).starts_with("kensho-edge; hit"));
    assert_eq!(header(&second, "content-encoding").as_deref(), Some("gzip"));
    assert_eq!(second.bytes().await.expect("body"), first_body);
    assert_eq!(edge_member(&plain), "kensho-edge; fwd=miss; stored");
    assert_eq!(header(&plain, "content-encoding"), None);
}

#[tokio::test]
async fn requests_with_authorization_never_touch_the_edge_cache() {
    let app = spawn_app_with(Storage::Sqlite, |_| {}).await;
    let path = "/api/v1/tags";
    let authorized = [("authorization", "Bearer not-checked-on-catalog-reads")];
    get_with(&app, path, &authorized).await;

    let again = get_with(&app, path, &authorized).await;

    assert_eq!(again.status(), 200);
    assert_eq!(edge_member(&again), "");
    assert_eq!(
        header(&again, "cache-control").as_deref(),
        Some("private, max-age=60")
    );
}

#[tokio::test]
async fn an_edge_hit_spends_a_rate_limit_token_and_says_what_is_left() {
    let app = spawn_app_with(Storage::Sqlite, |gateway| {
        gateway.rate_limit.enabled = true;
        // A long window, so no token comes back between the two requests.
        gateway.rate_limit.anonymous.catalog = Quota {
            requests: 100,
            window_seconds: 3_600,
        };
    })
    .await;
    let path = "/api/v1/seasons";
    let first = app.get(path).await;
    let remaining_after_first: u32 = header(&first, "x-ratelimit-remaining")
        .expect("remaining")
        .parse()
        .expect("a number");

    let second = app.get(path).await;

    assert!(edge_member(&second).starts_with("kensho-edge; hit"));
    let remaining_after_second: u32 = header(&second, "x-ratelimit-remaining")
        .expect("remaining")
        .parse()
        .expect("a number");
    assert!(remaining_after_second < remaining_after_first);
}

#[tokio::test]
async fn with_the_edge_cache_disabled_every_read_reaches_the_catalog() {
    let app = spawn_app_with(Storage::Sqlite, |gateway| {
        gateway.edge_cache.enabled = false;
    })
    .await;
    app.get("/api/v1/tags").await;

    let again = app.get("/api/v1/tags").await;

    assert_eq!(edge_member(&again), "");
}

fn edge_cache_flag(default_variant: &str) -> String {
    serde_json::json!({"flags": {"edge-cache": {
        "state": "ENABLED",
        "variants": {"on": true, "off": false},
        "defaultVariant": default_variant,
    }}})
    .to_string()
}

#[tokio::test]
async fn the_edge_cache_follows_its_feature_flag_as_the_flag_file_changes() {
    let directory = kensho_test_support::TempDir::new();
    let flag_file = directory.path().join("flags.json");
    std::fs::write(&flag_file, edge_cache_flag("off")).expect("write the flag file");
    let watched = flag_file.clone();
    let app = spawn_app_with(Storage::Sqlite, move |gateway| {
        gateway.flags.file = Some(watched);
        gateway.flags.reload_interval_ms = 20;
    })
    .await;
    app.get("/api/v1/tags").await;
    assert_eq!(
        edge_member(&app.get("/api/v1/tags").await),
        "",
        "flag off: no edge"
    );

    std::fs::write(&flag_file, edge_cache_flag("on")).expect("rewrite the flag file");
    // The reload task applies the file within a few intervals; until then the edge stays out.
    wait_until(
        "the edge answering once the flag is on",
        std::time::Duration::from_secs(10),
        async || edge_member(&app.get("/api/v1/tags").await).starts_with("kensho-edge; hit"),
    )
    .await;
}
