//! Prometheus metrics of the all-in-one, scraped over HTTP: every admin port answers with its own
//! service's series, and known traffic moves the counters and histogram buckets by exactly the
//! traffic made; Redis pools report their connections.

use kensho_gateway::RateLimitSettings;
use kensho_kit::Secret;
use kensho_test_support::test_redis_url;

use crate::helpers::{Storage, spawn_app, spawn_app_with};
use crate::scrape::{Scrape, scrape};

const ANIME_ROUTE: &str = "/api/v1/anime/{id}";
const CATALOG_SERVICE: &str = "kensho.catalog.v1.CatalogService";

fn delta(before: &Scrape, after: &Scrape, name: &str, labels: &[(&str, &str)]) -> f64 {
    after.value(name, labels) - before.value(name, labels)
}

#[tokio::test]
async fn every_admin_port_of_the_all_in_one_answers_with_its_own_series() {
    let app = spawn_app().await;
    // A search reaches the gateway and catalog-svc; a login reaches auth-svc; stream-svc answers
    // its probes and at least the server's health series once scraped.
    app.id_of("SPY x FAMILY").await;
    let addresses = app.addresses().clone();
    let admin_ports = [
        ("catalog-svc", addresses.catalog_admin),
        ("auth-svc", addresses.auth_admin),
        ("stream-svc", addresses.stream_admin),
    ];

    for (service, address) in admin_ports {
        for probe in ["/health/live", "/health/ready"] {
            let response = app
                .client
                .get(format!("http://{address}{probe}"))
                .send()
                .await
                .expect("the admin port answers");
            assert_eq!(response.status(), 200, "{service} {probe}");
        }
        let scraped = scrape(&app.client, address).await;
        let services = scraped.services();
        assert!(
            services.is_empty() || services == [service.to_owned()].into(),
            "{service} exposes only its own series: {services:?}"
        );
    }
    let catalog = scrape(&app.client, addresses.catalog_admin).await;
    assert_eq!(catalog.services(), ["catalog-svc".to_owned()].into());
    assert!(catalog.value("db_pool_max_connections", &[("pool", "catalog")]) >= 1.0);
    let gateway = scrape(&app.client, addresses.gateway).await;
    assert_eq!(gateway.services(), ["gateway".to_owned()].into());
}

#[tokio::test]
async fn a_scrape_after_known_traffic_moves_counters_and_buckets_by_that_traffic() {
    // Counted at both ends of the hop: every read must reach catalog-svc.
    let app = spawn_app_with(Storage::Sqlite, |gateway| {
        gateway.edge_cache.enabled = false
    })
    .await;
    let id = app.id_of("SPY x FAMILY").await;
    let addresses = app.addresses().clone();
    let gateway_before = scrape(&app.client, addresses.gateway).await;
    let catalog_before = scrape(&app.client, addresses.catalog_admin).await;

    for _ in 0..3 {
        assert_eq!(app.get(&format!("/api/v1/anime/{id}")).await.status(), 200);
    }
    for _ in 0..2 {
        assert_eq!(
            app.get("/api/v1/anime/0000000000000000").await.status(),
            404
        );
    }
    assert_eq!(app.get("/no/such/route").await.status(), 404);
    assert_eq!(app.get("/api/v1/search?q=spy").await.status(), 200);

    let gateway_after = scrape(&app.client, addresses.gateway).await;
    let catalog_after = scrape(&app.client, addresses.catalog_admin).await;
    let ok = [("route", ANIME_ROUTE), ("method", "GET"), ("status", "200")];
    let not_found = [("route", ANIME_ROUTE), ("status", "404")];
    let count = "http_request_duration_seconds_count";
    let bucket = "http_request_duration_seconds_bucket";
    assert_eq!(delta(&gateway_before, &gateway_after, count, &ok), 3.0);
    assert_eq!(
        delta(&gateway_before, &gateway_after, count, &not_found),
        2.0
    );
    let all_ok_buckets = [ok[0], ok[1], ok[2], ("le", "+Inf")];
    assert_eq!(
        delta(&gateway_before, &gateway_after, bucket, &all_ok_buckets),
        3.0
    );
    let within_a_second = [ok[0], ok[1], ok[2], ("le", "1")];
    assert_eq!(
        delta(&gateway_before, &gateway_after, bucket, &within_a_second),
        3.0
    );
    let unmatched = [("route", "unmatched"), ("status", "404")];
    assert_eq!(
        delta(&gateway_before, &gateway_after, count, &unmatched),
        1.0
    );
    let not_found_errors = [("type", "not-found")];
    assert_eq!(
        delta(
            &gateway_before,
            &gateway_after,
            "http_errors_total",
            &not_found_errors
        ),
        3.0
    );
    assert_eq!(
        gateway_after.value("http_requests_in_flight", &[]),
        1.0,
        "only the scrape itself"
    );

    for (side, before, after) in [
        ("client", &gateway_before, &gateway_after),
        ("server", &catalog_before, &catalog_after),
    ] {
        let get_anime = |code| {
            [
                ("grpc_service", CATALOG_SERVICE),
                ("method", "GetAnime"),
                ("code", code),
                ("side", side),
            ]
        };
        assert_eq!(
            delta(before, after, "grpc_requests_total", &get_anime("OK")),
            3.0,
            "{side}"
        );
        assert_eq!(
            delta(
                before,
                after,
                "grpc_requests_total",
                &get_anime("NOT_FOUND")
            ),
            2.0,
            "{side}"
        );
        let timed = [get_anime("OK").as_slice(), &[("le", "+Inf")]].concat();
        assert_eq!(
            delta(
                before,
                after,
                "grpc_request_duration_seconds_bucket",
                &timed
            ),
            3.0,
            "{side}"
        );
    }
    assert_eq!(
        delta(
            &catalog_before,
            &catalog_after,
            "searches_total",
            &[("outcome", "ok")]
        ),
        1.0
    );
}

#[tokio::test]
async fn a_gateway_sharing_its_rate_limits_reports_its_redis_pool() {
    let app = spawn_app_with(Storage::Sqlite, |gateway| {
        gateway.rate_limit = RateLimitSettings {
            enabled: true,
            redis_url: Some(Secret::new(test_redis_url())),
            redis_pool_size: 3,
            redis_key_prefix: format!("kensho-test:{}:ratelimit:", uuid::Uuid::new_v4().simple()),
            ..RateLimitSettings::default()
        };
    })
    .await;
    // One limited request takes a connection from the pool and gives it back.
    assert_eq!(app.get("/api/v1/tags").await.status(), 200);

    let gateway = scrape(&app.client, app.addresses().gateway).await;

    let pool = [("pool", "rate_limit")];
    assert_eq!(gateway.value("redis_pool_max_connections", &pool), 3.0);
    assert_eq!(
        gateway.value(
            "redis_pool_connections",
            &[("pool", "rate_limit"), ("state", "idle")]
        ),
        1.0
    );
    assert_eq!(
        gateway.value(
            "redis_pool_connections",
            &[("pool", "rate_limit"), ("state", "in_use")]
        ),
        0.0
    );
}
