//! Invalidation reaches every cache: two catalog replicas and a gateway share one Redis (the
//! test's own), and a sync on one replica drops the changed reads from the other replica's L1
//! and from the gateway's edge cache.

use std::time::Duration;

use kensho_catalog::CatalogSettings;
use kensho_crunchyroll::CrunchyrollSettings;
use kensho_kit::grpc::InternalSettings;
use kensho_kit::{Secret, Shutdown};
use kensho_proto::catalog::v1::GetAnimeRequest;
use kensho_proto::catalog::v1::catalog_service_client::CatalogServiceClient;
use kensho_test_support::wait::{poll_until, wait_until};
use kensho_test_support::{PrivateRedis, TempDir, TestPostgres, grpc_channel};

use crate::helpers::{Storage, TestApp, edge_member, spawn_cluster};

/// The channel catalog-svc publishes invalidations on, with the default namespace and version.
const INVALIDATION_CHANNEL: &str = "kensho:v1:invalidate";

/// A second catalog-svc on the same database and Redis, stopped when dropped.
struct SecondReplica {
    client: CatalogServiceClient<kensho_kit::grpc::GrpcChannel>,
    shutdown: Shutdown,
    _data_dir: TempDir,
}

impl Drop for SecondReplica {
    fn drop(&mut self) {
        self.shutdown.trigger();
    }
}

impl SecondReplica {
    async fn start(app: &TestApp, database_url: &str, redis_url: &str) -> Self {
        let mut settings = CatalogSettings {
            host: "127.0.0.1".to_owned(),
            port: 0,
            ..CatalogSettings::default()
        };
        settings.admin.port = Some(0);
        settings.database.url = Secret::new(database_url.to_owned());
        settings.seed.on_empty = false;
        settings.sync.enabled = false;
        settings.cache.redis.enabled = true;
        settings.cache.redis.url = Secret::new(redis_url.to_owned());
        let credential = app.cluster().credential().clone();
        let internal = InternalSettings {
            credential: Some(credential.clone()),
            ..InternalSettings::default()
        };
        let data_dir = TempDir::new();
        let replica = kensho_catalog::Application::build(
            settings,
            &CrunchyrollSettings::default(),
            data_dir.path(),
            internal,
        )
        .await
        .expect("the second replica builds");
        let client = CatalogServiceClient::new(grpc_channel(replica.address(), Some(&credential)));
        let shutdown = Shutdown::new();
        tokio::spawn(replica.run_until_stopped(shutdown.clone()));
        SecondReplica {
            client,
            shutdown,
            _data_dir: data_dir,
        }
    }

    /// How the replica answered a detail read (its `kensho-cache-status`).
    async fn detail_status(&self, id: &str) -> String {
        let response = self
            .client
            .clone()
            .get_anime(GetAnimeRequest { id: id.to_owned() })
            .await
            .expect("the replica answers");
        response
            .metadata()
            .get("kensho-cache-status")
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }
}

/// Waits until `count` processes listen on the invalidation channel.
async fn wait_for_subscribers(redis_url: &str, count: i64) {
    let client = redis::Client::open(redis_url).expect("a redis url");
    let mut connection = client
        .get_multiplexed_async_connection()
        .await
        .expect("the test's redis answers");
    wait_until("every process subscribed", INVALIDATION_WAIT, async || {
        let (_channel, subscribers): (String, i64) = redis::cmd("PUBSUB")
            .arg("NUMSUB")
            .arg(INVALIDATION_CHANNEL)
            .query_async(&mut connection)
            .await
            .expect("pubsub numsub answers");
        subscribers >= count
    })
    .await;
}

/// How long an invalidation may take to reach every process.
const INVALIDATION_WAIT: Duration = Duration::from_secs(20);

/// The body of `path` once the edge cache forwards it again (its entry was evicted).
async fn read_once_the_edge_forwards(app: &TestApp, path: &str) -> serde_json::Value {
    poll_until(
        "the edge cache forwarding the read again",
        INVALIDATION_WAIT,
        async || {
            let response = app.get(path).await;
            let member = edge_member(&response);
            if member.starts_with("kensho-edge; fwd=miss") {
                Ok(response.json().await.expect("json"))
            } else {
                Err(member)
            }
        },
    )
    .await
}

#[tokio::test]
async fn a_sync_on_one_replica_evicts_the_anime_from_the_other_replicas_l1_and_the_edge_cache() {
    let redis = PrivateRedis::start();
    let database = TestPostgres::create().await;
    let redis_url = redis.url();
    let app = spawn_cluster(Storage::Sqlite, |config| {
        config.catalog.database.url = Secret::new(database.url().to_owned());
        config.catalog.cache.redis.enabled = true;
        config.catalog.cache.redis.url = Secret::new(redis_url.clone());
        config.gateway.edge_cache.redis.enabled = true;
        config.gateway.edge_cache.redis.url = Secret::new(redis_url.clone());
        // Long enough that only an invalidation can empty the entry during the test.
        config.gateway.edge_cache.anime_ttl_seconds = 600;
    })
    .await;
    let replica = SecondReplica::start(&app, database.url(), &redis_url).await;
    wait_for_subscribers(&redis_url, 3).await;
    let id = app.id_of("Attack on Titan").await;
    let path = format!("/api/v1/anime/{id}");
    let before: serde_json::Value = app.get(&path).await.json().await.expect("json");
    assert!(before["crunchyroll"]["season_id"].is_null(), "{before}");
    assert!(edge_member(&app.get(&path).await).starts_with("kensho-edge; hit"));
    replica.detail_status(&id).await;
    let replica_before = replica.detail_status(&id).await;
    assert!(replica_before.contains("detail=l1"), "{replica_before}");

    app.sync_catalog().await;

    let after = read_once_the_edge_forwards(&app, &path).await;
    assert!(after["crunchyroll"]["season_id"].is_string(), "{after}");
    let replica_after = replica.detail_status(&id).await;
    assert!(!replica_after.contains("detail=l1"), "{replica_after}");
}

#[tokio::test]
async fn in_the_all_in_one_a_sync_evicts_the_edge_cache_without_redis() {
    let app = spawn_cluster(Storage::Sqlite, |config| {
        config.gateway.edge_cache.anime_ttl_seconds = 600;
    })
    .await;
    let id = app.id_of("Attack on Titan").await;
    let path = format!("/api/v1/anime/{id}");
    app.get(&path).await;
    assert!(edge_member(&app.get(&path).await).starts_with("kensho-edge; hit"));

    app.sync_catalog().await;

    let after = read_once_the_edge_forwards(&app, &path).await;
    assert!(after["crunchyroll"]["season_id"].is_string(), "{after}");
}
