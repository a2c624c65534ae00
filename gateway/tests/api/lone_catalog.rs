//! A catalog-svc of a test's own ([`LoneCatalog`]), which the test stops and restarts, with
//! health checks fast enough to follow; and a bounded wait for a probe's status.

use std::time::Duration;

use kensho_cluster::testing::test_config;
use kensho_kit::Shutdown;
use kensho_kit::grpc::InternalSettings;
use kensho_kit::health::HealthSettings;
use kensho_test_support::wait::poll_until;
use kensho_test_support::{TempDir, init_test_logging};
use serde_json::Value;

/// Checks every 50 ms, so a change shows within a few polls; half a second of pre-stop delay,
/// longer than a balancing client takes to notice a draining replica.
pub fn fast_checks() -> HealthSettings {
    HealthSettings {
        check_interval_ms: 50,
        check_timeout_ms: 500,
        pre_stop_delay_ms: 500,
    }
}

/// A catalog-svc of the test's own, stopped by its own shutdown signal, on `port` (0: a free
/// one), storing under `data_dir`.
pub struct LoneCatalog {
    pub port: u16,
    pub admin_url: String,
    shutdown: Shutdown,
    running: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl LoneCatalog {
    pub async fn start(data_dir: &TempDir, port: u16, redis_url: Option<String>) -> Self {
        init_test_logging();
        let config = test_config(data_dir.path());
        let mut settings = config.catalog;
        settings.port = port;
        settings.health = fast_checks();
        if let Some(url) = redis_url {
            settings.cache.redis.enabled = true;
            settings.cache.redis.url = kensho_kit::Secret::new(url);
        }
        let catalog = kensho_catalog::Application::build(
            settings,
            &config.crunchyroll,
            data_dir.path(),
            InternalSettings::default(),
        )
        .await
        .expect("catalog-svc builds");
        let admin_url = format!("http://{}", catalog.admin_address().expect("admin address"));
        let port = catalog.port();
        let shutdown = Shutdown::new();
        let running = tokio::spawn(catalog.run_until_stopped(shutdown.clone()));
        LoneCatalog {
            port,
            admin_url,
            shutdown,
            running,
        }
    }

    pub async fn stop(self) {
        self.shutdown.trigger();
        self.running
            .await
            .expect("catalog-svc's task ends")
            .expect("catalog-svc stops cleanly");
    }
}

/// Polls `url` until it answers `expected_status` (bounded: 15 s), and returns its body.
pub async fn wait_for_status(url: &str, expected_status: u16) -> Value {
    let client = reqwest::Client::new();
    poll_until(
        &format!("{url} answering {expected_status}"),
        Duration::from_secs(15),
        async || {
            let response = client.get(url).send().await.expect("the probe answers");
            let status = response.status().as_u16();
            let body: Value = response.json().await.expect("a JSON body");
            if status == expected_status {
                Ok(body)
            } else {
                Err(format!("{status} ({body})"))
            }
        },
    )
    .await
}
