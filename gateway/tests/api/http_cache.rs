//! HTTP caching of catalog reads: strong ETags, 304 on revalidation, Cache-Control per class, and
//! the catalog's Cache-Status.

use crate::helpers::{Storage, header, spawn_app, spawn_app_with};

#[tokio::test]
async fn a_repeated_get_with_if_none_match_is_304_with_no_body() {
    let app = spawn_app().await;
    let id = app.id_of("SPY x FAMILY").await;
    let path = format!("/api/v1/anime/{id}");
    let first = app.get(&path).await;
    assert_eq!(first.status(), 200);
    let etag = header(&first, "etag").expect("an etag");
    assert!(
        etag.starts_with('"') && etag.ends_with('"'),
        "strong: {etag}"
    );

    let revalidated = app
        .client
        .get(format!("{}{path}", app.address))
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("request is sent");

    assert_eq!(revalidated.status(), 304);
    assert_eq!(header(&revalidated, "etag").as_deref(), Some(etag.as_str()));
    assert!(revalidated.bytes().await.expect("body").is_empty());
}

#[tokio::test]
async fn a_catalog_detail_says_how_long_and_from_where_it_may_be_cached() {
    // The catalog's own member is what this reads: the edge would answer the repeat itself.
    let app = spawn_app_with(Storage::Sqlite, |gateway| {
        gateway.edge_cache.enabled = false
    })
    .await;
    let id = app.id_of("SPY x FAMILY").await;
    let path = format!("/api/v1/anime/{id}");
    app.get(&path).await;

    let response = app.get(&path).await;

    assert_eq!(
        header(&response, "cache-control").as_deref(),
        Some("public, max-age=60")
    );
    assert_eq!(
        header(&response, "vary").as_deref(),
        Some("Accept-Encoding")
    );
    let cache_status = header(&response, "cache-status").expect("cache-status");
    assert!(
        cache_status.starts_with("kensho-catalog; hit;"),
        "{cache_status}"
    );
}

#[tokio::test]
async fn a_changed_selection_gets_a_different_etag() {
    let app = spawn_app().await;
    let id = app.id_of("SPY x FAMILY").await;
    let whole = app.get(&format!("/api/v1/anime/{id}")).await;
    let selected = app.get(&format!("/api/v1/anime/{id}?fields=title")).await;
    assert_ne!(header(&whole, "etag"), header(&selected, "etag"));
}
