//! Honest health: `/health/ready` lists every dependency and follows them as they stop and come
//! back, while `/health/live` stays 200; an optional dependency (Redis) only degrades readiness.

use std::time::Duration;

use kensho_test_support::wait::poll_until;
use kensho_test_support::{PrivateRedis, TempDir};
use serde_json::Value;

use crate::helpers::spawn_gateway_with;
use crate::lone_catalog::{LoneCatalog, fast_checks, wait_for_status};

fn check<'body>(report: &'body Value, name: &str) -> &'body Value {
    report["checks"]
        .as_array()
        .and_then(|checks| checks.iter().find(|check| check["name"] == name))
        .unwrap_or_else(|| panic!("{report} lists {name}"))
}

#[tokio::test]
async fn readiness_is_503_naming_catalog_svc_while_it_is_stopped_and_200_once_it_returns() {
    // Arrange
    let data_dir = TempDir::new();
    let catalog = LoneCatalog::start(&data_dir, 0, None).await;
    let catalog_port = catalog.port;
    let app = spawn_gateway_with(|settings| {
        settings.catalog_url = format!("http://127.0.0.1:{catalog_port}");
        settings.health = fast_checks();
    })
    .await;
    let ready_url = format!("{}/health/ready", app.address);
    let before = wait_for_status(&ready_url, 200).await;
    assert_eq!(check(&before, "catalog-svc")["status"], "up");
    assert!(check(&before, "catalog-svc")["latency_ms"].is_number());

    // Act
    catalog.stop().await;
    let while_stopped = wait_for_status(&ready_url, 503).await;
    let live_while_stopped = app.get("/health/live").await.status();
    let restarted = LoneCatalog::start(&data_dir, catalog_port, None).await;
    let after = wait_for_status(&ready_url, 200).await;

    // Assert
    assert_eq!(while_stopped["status"], "unavailable");
    assert_eq!(check(&while_stopped, "catalog-svc")["status"], "down");
    assert_eq!(check(&while_stopped, "catalog-svc")["required"], true);
    assert_eq!(live_while_stopped, 200);
    assert_eq!(check(&after, "catalog-svc")["status"], "up");
    assert_eq!(app.get("/health/live").await.status(), 200);
    restarted.stop().await;
}

#[tokio::test]
async fn a_stopped_redis_degrades_catalog_svc_but_keeps_it_ready() {
    // Arrange
    let data_dir = TempDir::new();
    let mut redis = PrivateRedis::start();
    let catalog = LoneCatalog::start(&data_dir, 0, Some(redis.url())).await;
    let ready_url = format!("{}/health/ready", catalog.admin_url);
    let before = wait_for_status(&ready_url, 200).await;

    // Act
    redis.stop();
    let degraded = poll_until(
        "degraded with redis stopped",
        Duration::from_secs(15),
        async || {
            let report = wait_for_status(&ready_url, 200).await;
            if report["status"] == "degraded" {
                Ok(report)
            } else {
                Err(report.to_string())
            }
        },
    )
    .await;

    // Assert
    assert_eq!(check(&before, "redis")["status"], "up");
    assert_eq!(check(&degraded, "redis")["status"], "down");
    assert_eq!(check(&degraded, "redis")["required"], false);
    assert_eq!(check(&degraded, "database")["status"], "up");
    let startup = reqwest::get(format!("{}/health/startup", catalog.admin_url))
        .await
        .expect("startup answers");
    assert_eq!(startup.status(), 200);
    catalog.stop().await;
}
