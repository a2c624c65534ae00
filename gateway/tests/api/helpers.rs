//! `spawn_app()`: the whole all-in-one cluster (gateway, catalog-svc, auth-svc, stream-svc and the
//! Crunchyroll simulator) on free ports, torn down when the handle drops. The variants only change
//! its configuration; `spawn_gateway_with()` runs a gateway alone, for tests of what it does when
//! its backends are missing.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use kensho_auth::{AuthSettings, SigningKeySettings};
use kensho_cluster::ClusterConfig;
use kensho_cluster::testing::TestCluster;
use kensho_crunchyroll_sim::SimControl;
use kensho_gateway::GatewaySettings;
use kensho_jwt::TokenSettings;
use kensho_kit::grpc::{GrpcChannel, InternalSettings};
use kensho_kit::{Secret, Shutdown};
use kensho_proto::catalog::v1::catalog_admin_service_client::CatalogAdminServiceClient;
use kensho_telemetry::{LogFormat, LogWriter};
use kensho_test_support::logs::CapturedLogs;
use kensho_test_support::{TestPostgres, init_test_logging};
use serde_json::{Value, json};

pub use kensho_test_support::encode_query_value as encode;
pub use kensho_test_support::{FREE, PREMIUM};

/// A running cluster (or a lone gateway).
pub struct TestApp {
    pub address: String,
    pub catalog_port: u16,
    pub auth_port: u16,
    pub stream_port: u16,
    pub client: reqwest::Client,
    /// The simulator's controls, when the app has one tests may steer.
    pub simulator: Option<SimControl>,
    /// The cluster behind the app (none for a lone gateway); dropping the app stops it.
    cluster: Option<TestCluster>,
    // What else runs behind the app; dropping the app stops it.
    _lone_gateway: Option<StopOnDrop>,
    _database: Option<TestPostgres>,
}

/// Fires a shutdown signal when dropped.
struct StopOnDrop(Shutdown);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.trigger();
    }
}

/// The key auth-svc signs with in every test cluster, so tests can sign tokens too.
pub const TEST_SIGNING_KID: &str = "test-1";
/// The seed of that key.
pub const TEST_SIGNING_SEED: [u8; 32] = [11; 32];

/// Which database backs the catalog.
pub enum Storage {
    Sqlite,
    Postgres,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Storage::Sqlite, |_| {}).await
}

/// The cluster with its catalog on `storage` and the gateway adjusted.
pub async fn spawn_app_with(
    storage: Storage,
    adjust_gateway: impl FnOnce(&mut GatewaySettings),
) -> TestApp {
    spawn_cluster(storage, |config| adjust_gateway(&mut config.gateway)).await
}

pub async fn spawn_app_with_auth() -> TestApp {
    spawn_app_with_auth_and(|_| {}, |_| {}).await
}

/// The cluster with auth-svc and the gateway adjusted.
pub async fn spawn_app_with_auth_and(
    adjust_auth: impl FnOnce(&mut AuthSettings),
    adjust_gateway: impl FnOnce(&mut GatewaySettings),
) -> TestApp {
    spawn_cluster(Storage::Sqlite, |config| {
        adjust_auth(&mut config.auth);
        adjust_gateway(&mut config.gateway);
    })
    .await
}

/// The cluster, its catalog not yet synced from the simulator (see [`TestApp::sync_catalog`]).
pub async fn spawn_app_with_streams() -> TestApp {
    spawn_app().await
}

/// The cluster exporting its spans to the OTLP collector at `endpoint`, as `adjust` sets it up.
pub async fn spawn_app_exporting_to(
    endpoint: &str,
    adjust: impl FnOnce(&mut kensho_telemetry::TelemetrySettings),
) -> TestApp {
    spawn_app_on_storage_exporting_to(Storage::Sqlite, endpoint, adjust).await
}

/// [`spawn_app_exporting_to`] with the catalog on `storage`.
pub async fn spawn_app_on_storage_exporting_to(
    storage: Storage,
    endpoint: &str,
    adjust: impl FnOnce(&mut kensho_telemetry::TelemetrySettings),
) -> TestApp {
    spawn_cluster(storage, |config| {
        config.telemetry.otlp_endpoint = Some(endpoint.to_owned());
        adjust(&mut config.telemetry);
    })
    .await
}

/// The cluster with its catalog on `storage` and any part of its configuration adjusted.
pub async fn spawn_cluster(
    storage: Storage,
    configure: impl FnOnce(&mut ClusterConfig),
) -> TestApp {
    spawn_cluster_logging_to(storage, None, configure).await
}

/// The cluster exporting its spans to `endpoint` and writing its JSON log lines, at
/// `log_level`, to `logs`.
pub async fn spawn_app_exporting_and_logging_to(
    endpoint: &str,
    log_level: &str,
    logs: CapturedLogs,
) -> TestApp {
    spawn_cluster_logging_to(Storage::Sqlite, Some(LogWriter::new(logs)), |config| {
        config.telemetry.otlp_endpoint = Some(endpoint.to_owned());
        config.telemetry.otlp_batch_delay_ms = 50;
        config.telemetry.log_format = LogFormat::Json;
        config.telemetry.log_level = log_level.to_owned();
    })
    .await
}

/// [`spawn_cluster`] with the binary's telemetry writing log lines to `log_writer`, if any.
async fn spawn_cluster_logging_to(
    storage: Storage,
    log_writer: Option<LogWriter>,
    configure: impl FnOnce(&mut ClusterConfig),
) -> TestApp {
    let database = match storage {
        Storage::Sqlite => None,
        Storage::Postgres => Some(TestPostgres::create().await),
    };
    let database_url = database.as_ref().map(|database| database.url().to_owned());
    let configure_cluster = |config: &mut ClusterConfig| {
        if let Some(url) = database_url {
            config.catalog.database.url = Secret::new(url);
        }
        config.auth.signing_keys = vec![SigningKeySettings {
            kid: TEST_SIGNING_KID.to_owned(),
            private_key: Secret::new(STANDARD.encode(TEST_SIGNING_SEED)),
        }];
        configure(config);
    };
    let cluster = match log_writer {
        Some(writer) => TestCluster::start_logging_to(writer, configure_cluster).await,
        None => TestCluster::start(configure_cluster).await,
    };
    let addresses = cluster.addresses.clone();
    TestApp {
        address: cluster.gateway_url(),
        catalog_port: addresses.catalog.port(),
        auth_port: addresses.auth.port(),
        stream_port: addresses.stream.port(),
        client: reqwest::Client::new(),
        simulator: Some(cluster.simulator.clone()),
        cluster: Some(cluster),
        _lone_gateway: None,
        _database: database,
    }
}

/// A gateway alone, its backends wherever `adjust` points them (nowhere, by default).
pub async fn spawn_gateway_with(adjust: impl FnOnce(&mut GatewaySettings)) -> TestApp {
    init_test_logging();
    let mut settings = GatewaySettings {
        port: 0,
        catalog_url: "http://127.0.0.1:1".to_owned(),
        auth_url: "http://127.0.0.1:1".to_owned(),
        stream_url: "http://127.0.0.1:1".to_owned(),
        ..GatewaySettings::default()
    };
    adjust(&mut settings);
    let gateway = kensho_gateway::Application::build(
        settings,
        &InternalSettings::default(),
        &TokenSettings::default(),
    )
    .await
    .expect("the gateway builds");
    let address = format!("http://{}", gateway.address());
    let shutdown = Shutdown::new();
    tokio::spawn(gateway.run_until_stopped(shutdown.clone()));
    TestApp {
        address,
        catalog_port: 1,
        auth_port: 1,
        stream_port: 1,
        client: reqwest::Client::new(),
        simulator: None,
        cluster: None,
        _lone_gateway: Some(StopOnDrop(shutdown)),
        _database: None,
    }
}

impl TestApp {
    /// Where each member of the cluster behind the app listens.
    pub fn addresses(&self) -> &kensho_cluster::ClusterAddresses {
        &self
            .cluster
            .as_ref()
            .expect("the app runs a cluster")
            .addresses
    }

    pub async fn get(&self, path_and_query: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path_and_query}", self.address))
            .send()
            .await
            .expect("request is sent")
    }

    /// GET with `Authorization: Bearer <access_token>`.
    pub async fn get_with_token(&self, path: &str, access_token: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .bearer_auth(access_token)
            .send()
            .await
            .expect("request is sent")
    }

    /// POST of a JSON body.
    pub async fn post_json(&self, path: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.address))
            .json(body)
            .send()
            .await
            .expect("request is sent")
    }

    /// Logs in with the premium account; the token pair.
    pub async fn login_premium(&self) -> Value {
        self.login(PREMIUM).await
    }

    /// Logs in with `(username, password)`; the token pair.
    pub async fn login(&self, account: (&str, &str)) -> Value {
        let response = self
            .post_json(
                "/api/v1/auth/login",
                &json!({"username": account.0, "password": account.1}),
            )
            .await;
        assert_eq!(response.status(), 200, "login succeeds");
        response.json().await.expect("a JSON body")
    }

    /// DELETE with `Authorization: Bearer <access_token>`.
    pub async fn delete_with_token(&self, path: &str, access_token: &str) -> reqwest::Response {
        self.client
            .delete(format!("{}{path}", self.address))
            .bearer_auth(access_token)
            .send()
            .await
            .expect("request is sent")
    }

    /// Runs a Crunchyroll sync of the catalog and waits (bounded) until it completes.
    pub async fn sync_catalog(&self) {
        let mut admin = CatalogAdminServiceClient::new(self.cluster().admin_channel());
        kensho_test_support::run_catalog_sync(&mut admin).await;
    }

    /// The cluster behind the app.
    ///
    /// # Panics
    /// For a lone gateway.
    pub fn cluster_mut(&mut self) -> &mut TestCluster {
        self.cluster.as_mut().expect("the app runs a cluster")
    }

    /// The cluster behind the app, read-only.
    pub fn cluster(&self) -> &TestCluster {
        self.cluster.as_ref().expect("the app runs a cluster")
    }

    /// A channel to the cluster member on `port` presenting the internal credential.
    pub fn grpc_channel(&self, port: u16) -> GrpcChannel {
        let address = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        self.cluster().channel(address)
    }

    /// GET that must answer 200 with JSON.
    pub async fn get_json(&self, path_and_query: &str) -> Value {
        let response = self.get(path_and_query).await;
        assert_eq!(response.status(), 200, "GET {path_and_query}");
        response.json().await.expect("a JSON body")
    }

    /// The id of the first search hit for `query`.
    pub async fn id_of(&self, query: &str) -> String {
        let body = self
            .get_json(&format!("/api/v1/search?q={}", encode(query)))
            .await;
        body["data"][0]["anime"]["id"]
            .as_str()
            .expect("a hit")
            .to_owned()
    }
}

/// A response header as text, if present.
pub fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

/// The gateway edge cache's member of the response's `Cache-Status` (`kensho-edge; hit; ttl=N`),
/// empty when the edge did not take part.
pub fn edge_member(response: &reqwest::Response) -> String {
    header(response, "cache-status")
        .unwrap_or_default()
        .split(", ")
        .find(|member| member.starts_with("kensho-edge"))
        .map(str::to_owned)
        .unwrap_or_default()
}

/// Asserts a problem+json response and returns its body.
pub async fn assert_problem(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status(), status);
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let body: Value = response.json().await.expect("a JSON problem");
    assert_eq!(body["status"], status);
    for field in ["type", "title", "detail", "instance", "trace_id"] {
        assert!(body[field].is_string(), "problem lacks {field}: {body}");
    }
    body
}

/// The `field` of every entry of a problem's `errors`.
pub fn error_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|error| error["field"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}
