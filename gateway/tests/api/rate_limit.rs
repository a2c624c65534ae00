//! Rate limits at the edge: budgets announced on every API response, 429 past the burst, one
//! budget per client (API key tier or address, trusting `X-Forwarded-For` only from configured
//! proxies), and one budget across gateways sharing a Redis.

use kensho_gateway::{ApiKeySettings, ClassQuotas, GatewaySettings, Quota, RateLimitSettings};
use kensho_kit::Secret;
use kensho_test_support::test_redis_url;

use crate::helpers::{
    Storage, TestApp, assert_problem, header, spawn_app_with, spawn_gateway_with,
};

const PARTNER_KEY: &str = "partner-key-for-tests-0001";

/// Limits on, with `catalog` requests per minute for anonymous clients.
fn limits(catalog: u32) -> RateLimitSettings {
    RateLimitSettings {
        enabled: true,
        anonymous: ClassQuotas {
            catalog: Quota::per_minute(catalog),
            ..ClassQuotas::default()
        },
        tiers: [("partner".to_owned(), ClassQuotas::default())].into(),
        api_keys: vec![ApiKeySettings {
            key: Secret::new(PARTNER_KEY.to_owned()),
            tier: "partner".to_owned(),
        }],
        ..RateLimitSettings::default()
    }
}

async fn app_with_limits(rate_limit: RateLimitSettings) -> TestApp {
    spawn_app_with(Storage::Sqlite, |gateway: &mut GatewaySettings| {
        gateway.rate_limit = rate_limit;
    })
    .await
}

async fn get_with(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = app.client.get(format!("{}{path}", app.address));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("request is sent")
}

#[tokio::test]
async fn every_api_response_carries_the_budget_of_its_route_class() {
    let app = app_with_limits(limits(600)).await;

    let tags = app.get("/api/v1/tags").await;
    let missing = app.get("/api/v1/anime/0000000000000000").await;
    let search = app.get("/api/v1/search?q=naruto").await;
    let login = app
        .post_json("/api/v1/auth/login", &serde_json::json!({}))
        .await;

    assert_eq!(tags.status(), 200);
    assert_eq!(
        header(&tags, "ratelimit-policy").as_deref(),
        Some(r#""catalog";q=600;w=60"#)
    );
    assert_eq!(header(&tags, "x-ratelimit-limit").as_deref(), Some("600"));
    assert_eq!(
        header(&tags, "x-ratelimit-remaining").as_deref(),
        Some("599")
    );
    assert!(
        header(&tags, "ratelimit")
            .unwrap()
            .starts_with(r#""catalog";r=599;t="#)
    );
    assert_eq!(missing.status(), 404);
    assert_eq!(
        header(&missing, "x-ratelimit-remaining").as_deref(),
        Some("598")
    );
    assert_eq!(
        header(&search, "ratelimit-policy").as_deref(),
        Some(r#""search";q=120;w=60"#)
    );
    assert_eq!(
        header(&search, "x-ratelimit-remaining").as_deref(),
        Some("119")
    );
    assert_eq!(login.status(), 400);
    assert_eq!(
        header(&login, "ratelimit-policy").as_deref(),
        Some(r#""auth";q=20;w=60"#)
    );
}

#[tokio::test]
async fn a_client_past_its_burst_gets_429_with_retry_after_and_other_clients_are_unaffected() {
    let app = app_with_limits(limits(3)).await;
    for _ in 0..3 {
        assert_eq!(app.get("/api/v1/tags").await.status(), 200);
    }

    let refused = app.get("/api/v1/tags").await;
    let partner = get_with(&app, "/api/v1/tags", &[("x-api-key", PARTNER_KEY)]).await;
    let search = app.get("/api/v1/search?q=naruto").await;

    let retry_after: u64 = header(&refused, "retry-after")
        .expect("Retry-After on 429")
        .parse()
        .expect("whole seconds");
    // 3 per minute: a token returns every 20 s.
    assert!((1..=20).contains(&retry_after), "Retry-After {retry_after}");
    assert_eq!(
        header(&refused, "x-ratelimit-remaining").as_deref(),
        Some("0")
    );
    let problem = assert_problem(refused, 429).await;
    assert_eq!(problem["type"], "https://kensho.dev/problems/rate-limited");
    assert_eq!(
        partner.status(),
        200,
        "an API key client has its own budget"
    );
    assert_eq!(
        header(&partner, "x-ratelimit-limit").as_deref(),
        Some("600")
    );
    assert_eq!(search.status(), 200, "search has its own budget");
}

#[tokio::test]
async fn an_unknown_api_key_is_a_401_problem() {
    let app = app_with_limits(limits(600)).await;

    let response = get_with(
        &app,
        "/api/v1/tags",
        &[("x-api-key", "not-a-configured-key")],
    )
    .await;

    let problem = assert_problem(response, 401).await;
    assert!(problem["detail"].as_str().unwrap().contains("X-API-Key"));
}

#[tokio::test]
async fn forwarded_for_names_the_client_only_when_the_peer_is_a_trusted_proxy() {
    let trusting = app_with_limits(RateLimitSettings {
        trusted_proxies: vec!["127.0.0.0/8".to_owned()],
        ..limits(1)
    })
    .await;
    let untrusting = app_with_limits(limits(1)).await;
    let first_client = [("x-forwarded-for", "203.0.113.5")];
    let second_client = [("x-forwarded-for", "203.0.113.6")];

    let trusted_first = get_with(&trusting, "/api/v1/tags", &first_client).await;
    let trusted_first_again = get_with(&trusting, "/api/v1/tags", &first_client).await;
    let trusted_second = get_with(&trusting, "/api/v1/tags", &second_client).await;
    let untrusted_first = get_with(&untrusting, "/api/v1/tags", &first_client).await;
    let untrusted_second = get_with(&untrusting, "/api/v1/tags", &second_client).await;

    assert_eq!(trusted_first.status(), 200);
    assert_eq!(trusted_first_again.status(), 429);
    assert_eq!(
        trusted_second.status(),
        200,
        "another forwarded client, another budget"
    );
    assert_eq!(untrusted_first.status(), 200);
    assert_eq!(
        untrusted_second.status(),
        429,
        "from an untrusted peer the header is ignored: both are the peer"
    );
}

#[tokio::test]
async fn gateways_sharing_a_redis_share_one_budget() {
    let shared = RateLimitSettings {
        redis_url: Some(Secret::new(test_redis_url())),
        redis_key_prefix: format!("kensho-test:{}:ratelimit:", uuid::Uuid::new_v4().simple()),
        redis_timeout_ms: 2_000,
        ..limits(3)
    };
    let first = spawn_gateway_with(|gateway| gateway.rate_limit = shared.clone()).await;
    let second = spawn_gateway_with(|gateway| gateway.rate_limit = shared.clone()).await;

    // The lone gateways have no backends (503), but each request spends the shared budget first.
    let remaining = [
        header(&first.get("/api/v1/tags").await, "x-ratelimit-remaining"),
        header(&second.get("/api/v1/tags").await, "x-ratelimit-remaining"),
        header(&first.get("/api/v1/tags").await, "x-ratelimit-remaining"),
    ];
    let refused_by_second = second.get("/api/v1/tags").await;
    let refused_by_first = first.get("/api/v1/tags").await;

    assert_eq!(
        remaining.map(|value| value.unwrap()),
        ["2", "1", "0"].map(str::to_owned)
    );
    assert_eq!(refused_by_second.status(), 429);
    assert_eq!(refused_by_first.status(), 429);
}

#[tokio::test]
async fn with_its_redis_unreachable_a_gateway_keeps_limiting_in_process() {
    let unreachable = RateLimitSettings {
        redis_url: Some(Secret::new("redis://127.0.0.1:1".to_owned())),
        ..limits(2)
    };
    let app = app_with_limits(unreachable).await;

    let statuses = [
        app.get("/api/v1/tags").await.status(),
        app.get("/api/v1/tags").await.status(),
        app.get("/api/v1/tags").await.status(),
    ];

    assert_eq!(statuses.map(|status| status.as_u16()), [200, 200, 429]);
}
