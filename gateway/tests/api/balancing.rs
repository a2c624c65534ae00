//! Balancing across replicas: a gateway in front of two catalog-svc replicas spreads its calls
//! over both, and replacing one (shutdown signal, pre-stop delay, drain, a new process on the
//! same port) while load runs fails no request.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use kensho_test_support::TempDir;
use kensho_test_support::wait::poll_until;

use crate::helpers::spawn_gateway_with;
use crate::lone_catalog::{LoneCatalog, fast_checks};

/// Requests the catalog replica at `admin_url` has served, read from its `/metrics`.
async fn catalog_calls_served(admin_url: &str) -> f64 {
    let metrics = reqwest::get(format!("{admin_url}/metrics"))
        .await
        .expect("the admin port answers")
        .text()
        .await
        .expect("a text body");
    metrics
        .lines()
        .filter(|line| line.starts_with("grpc_requests_total{"))
        .filter(|line| line.contains("CatalogService\"") && line.contains("side=\"server\""))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

/// Waits (bounded: 15 s) until every replica at `admin_urls` has served more than `baselines`.
async fn wait_until_each_serves_more_than(admin_urls: &[&str], baselines: &[f64]) -> Vec<f64> {
    poll_until(
        "every replica serving calls",
        Duration::from_secs(15),
        async || {
            let mut counts = Vec::new();
            for admin_url in admin_urls {
                counts.push(catalog_calls_served(admin_url).await);
            }
            if counts
                .iter()
                .zip(baselines)
                .all(|(count, baseline)| count > baseline)
            {
                Ok(counts)
            } else {
                Err(format!(
                    "calls per replica {counts:?} (before: {baselines:?})"
                ))
            }
        },
    )
    .await
}

#[tokio::test]
async fn calls_reach_both_catalog_replicas_and_none_fails_while_one_is_replaced() {
    // Arrange
    let first_dir = TempDir::new();
    let second_dir = TempDir::new();
    let first = LoneCatalog::start(&first_dir, 0, None).await;
    let second = LoneCatalog::start(&second_dir, 0, None).await;
    let (first_port, second_port) = (first.port, second.port);
    let app = Arc::new(
        spawn_gateway_with(|settings| {
            settings.catalog_url =
                format!("http://127.0.0.1:{first_port}, http://127.0.0.1:{second_port}");
            settings.grpc_client.replica_check_interval_ms = 100;
            settings.rate_limit.enabled = false;
            // Every read must reach a replica: none may be answered at the edge.
            settings.edge_cache.enabled = false;
            settings.health = fast_checks();
        })
        .await,
    );
    let stop_load = Arc::new(AtomicBool::new(false));
    let load: Vec<_> = (0..4)
        .map(|_| {
            let app = Arc::clone(&app);
            let stop_load = Arc::clone(&stop_load);
            tokio::spawn(async move {
                let (mut completed, mut failures) = (0_u32, Vec::new());
                while !stop_load.load(Ordering::Relaxed) {
                    let response = app.get("/api/v1/tags?limit=5").await;
                    match response.status().as_u16() {
                        200 => completed += 1,
                        status => failures.push(format!("{status}: {:?}", response.text().await)),
                    }
                }
                (completed, failures)
            })
        })
        .collect();
    let before =
        wait_until_each_serves_more_than(&[&first.admin_url, &second.admin_url], &[0.0, 0.0]).await;

    // Act
    let second_admin_url = second.admin_url.clone();
    let second_served_before_replacement = catalog_calls_served(&second_admin_url).await;
    first.stop().await;
    let replacement = LoneCatalog::start(&first_dir, first_port, None).await;
    let after = wait_until_each_serves_more_than(
        &[&replacement.admin_url, &second_admin_url],
        &[0.0, second_served_before_replacement],
    )
    .await;
    stop_load.store(true, Ordering::Relaxed);
    let mut completed = 0;
    let mut failures = Vec::new();
    for worker in load {
        let (worker_completed, worker_failures) = worker.await.expect("a load worker ends");
        completed += worker_completed;
        failures.extend(worker_failures);
    }

    // Assert
    assert!(
        failures.is_empty(),
        "{} failed: {failures:?}",
        failures.len()
    );
    assert!(completed > 0);
    assert!(before.iter().all(|&count| count > 0.0), "{before:?}");
    assert!(after.iter().all(|&count| count > 0.0), "{after:?}");
    replacement.stop().await;
    second.stop().await;
}
