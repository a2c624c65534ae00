//! `spawn_app()`: the whole catalog path on free ports, torn down when the handle drops;
//! `spawn_app_with_auth()` adds auth-svc and the Crunchyroll simulator it logs in against;
//! `spawn_app_with_streams()` adds stream-svc too, with a catalog that syncs from that simulator.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use kensho_auth::AuthSettings;
use kensho_auth::settings::SigningKeySettings;
use kensho_catalog::CatalogSettings;
use kensho_crunchyroll::CrunchyrollSettings;
use kensho_crunchyroll_sim::{RunningSimulator, SimControl, SimSettings, Simulator};
use kensho_gateway::GatewaySettings;
use kensho_kit::resilience::ResilienceSettings;
use kensho_kit::{Secret, Shutdown};
use kensho_proto::catalog::v1::catalog_admin_service_client::CatalogAdminServiceClient;
use kensho_stream::StreamSettings;
use kensho_test_support::{TempDir, TestPostgres, init_test_logging};
use serde_json::{Value, json};

/// A running gateway and catalog-svc.
pub struct TestApp {
    pub address: String,
    pub catalog_port: u16,
    pub client: reqwest::Client,
    /// The simulator's controls, when the app has one tests may steer.
    pub simulator: Option<SimControl>,
    shutdown: Shutdown,
    _data_dir: TempDir,
    _database: Option<TestPostgres>,
    _auth: Option<AuthBackend>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown.trigger();
    }
}

/// auth-svc and its simulator, stopped on drop.
struct AuthBackend {
    shutdown: Shutdown,
    _data_dir: TempDir,
}

impl Drop for AuthBackend {
    fn drop(&mut self) {
        self.shutdown.trigger();
    }
}

/// The simulator's premium account.
pub const PREMIUM: (&str, &str) = ("premium@kensho.test", "premium-demo");
/// The simulator's free account (one stream, episodes 1-3 of a season).
pub const FREE: (&str, &str) = ("free@kensho.test", "free-demo");

/// The key auth-svc signs with in `spawn_app_with_auth()`, so tests can sign tokens too.
pub const TEST_SIGNING_KID: &str = "test-1";
/// The seed of that key.
pub const TEST_SIGNING_SEED: [u8; 32] = [11; 32];

/// Which database backs the catalog.
pub enum Storage {
    Sqlite,
    Postgres,
    /// SQLite, with a Crunchyroll simulator the catalog can sync from.
    SqliteWithCrunchyroll,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Storage::Sqlite, |_| {}).await
}

pub async fn spawn_app_with(
    storage: Storage,
    adjust_gateway: impl FnOnce(&mut GatewaySettings),
) -> TestApp {
    init_test_logging();
    let data_dir = TempDir::new();
    let database = match storage {
        Storage::Sqlite | Storage::SqliteWithCrunchyroll => None,
        Storage::Postgres => Some(TestPostgres::create().await),
    };
    let shutdown = Shutdown::new();
    let mut catalog_settings = CatalogSettings {
        host: "127.0.0.1".to_owned(),
        port: 0,
        ..CatalogSettings::default()
    };
    if let Some(database) = &database {
        catalog_settings.database.url = Secret::new(database.url().to_owned());
    }
    // Without Crunchyroll credentials the catalog runs without a sync.
    let mut crunchyroll = kensho_crunchyroll::CrunchyrollSettings::default();
    if let Storage::SqliteWithCrunchyroll = storage {
        crunchyroll = start_simulator(&shutdown).await.0;
        catalog_settings.sync.on_start = false;
    }
    let catalog =
        kensho_catalog::Application::build(catalog_settings, &crunchyroll, data_dir.path())
            .await
            .expect("catalog-svc builds");
    let catalog_port = catalog.port();
    let mut gateway_settings = GatewaySettings {
        port: 0,
        catalog_url: format!("http://127.0.0.1:{catalog_port}"),
        ..GatewaySettings::default()
    };
    adjust_gateway(&mut gateway_settings);
    let gateway = kensho_gateway::Application::build(gateway_settings)
        .await
        .expect("gateway builds");
    let address = format!("http://127.0.0.1:{}", gateway.port());
    tokio::spawn(catalog.run_until_stopped(shutdown.clone()));
    tokio::spawn(gateway.run_until_stopped(shutdown.clone()));
    TestApp {
        address,
        catalog_port,
        client: reqwest::Client::new(),
        simulator: None,
        shutdown,
        _data_dir: data_dir,
        _database: database,
        _auth: None,
    }
}

pub async fn spawn_app_with_auth() -> TestApp {
    spawn_app_with_auth_and(|_| {}, |_| {}).await
}

/// A gateway, catalog-svc, auth-svc (SQLite sessions, the test signing key) and the
/// Crunchyroll simulator auth-svc logs in against.
pub async fn spawn_app_with_auth_and(
    adjust_auth: impl FnOnce(&mut AuthSettings),
    adjust_gateway: impl FnOnce(&mut GatewaySettings),
) -> TestApp {
    init_test_logging();
    let shutdown = Shutdown::new();
    let (crunchyroll, _) = start_simulator(&shutdown).await;
    let auth_dir = TempDir::new();
    let auth_url = start_auth(&crunchyroll, adjust_auth, &auth_dir, &shutdown).await;
    let mut app = spawn_app_with(Storage::Sqlite, |settings| {
        settings.auth_url = auth_url;
        adjust_gateway(settings);
    })
    .await;
    app._auth = Some(AuthBackend {
        shutdown,
        _data_dir: auth_dir,
    });
    app
}

/// A gateway, catalog-svc syncing from the simulator (sync not yet run: see
/// [`TestApp::sync_catalog`]), auth-svc and stream-svc.
pub async fn spawn_app_with_streams() -> TestApp {
    init_test_logging();
    let shutdown = Shutdown::new();
    let (crunchyroll, control) = start_simulator(&shutdown).await;
    let data_dir = TempDir::new();
    let auth_url = start_auth(&crunchyroll, |_| {}, &data_dir, &shutdown).await;
    let mut catalog_settings = CatalogSettings {
        port: 0,
        ..CatalogSettings::default()
    };
    catalog_settings.sync.on_start = false;
    let catalog =
        kensho_catalog::Application::build(catalog_settings, &crunchyroll, data_dir.path())
            .await
            .expect("catalog-svc builds");
    let catalog_port = catalog.port();
    let catalog_url = format!("http://127.0.0.1:{catalog_port}");
    let stream = kensho_stream::Application::build(
        StreamSettings {
            port: 0,
            catalog_url: catalog_url.clone(),
            auth_url: auth_url.clone(),
            ..StreamSettings::default()
        },
        &crunchyroll,
    )
    .await
    .expect("stream-svc builds");
    let gateway = kensho_gateway::Application::build(GatewaySettings {
        port: 0,
        catalog_url,
        auth_url,
        stream_url: format!("http://127.0.0.1:{}", stream.port()),
        ..GatewaySettings::default()
    })
    .await
    .expect("gateway builds");
    let address = format!("http://127.0.0.1:{}", gateway.port());
    tokio::spawn(catalog.run_until_stopped(shutdown.clone()));
    tokio::spawn(stream.run_until_stopped(shutdown.clone()));
    tokio::spawn(gateway.run_until_stopped(shutdown.clone()));
    TestApp {
        address,
        catalog_port,
        client: reqwest::Client::new(),
        simulator: Some(control),
        shutdown,
        _data_dir: data_dir,
        _database: None,
        _auth: None,
    }
}

/// Starts a simulator; Crunchyroll settings pointing at it (fast retries) and its controls.
async fn start_simulator(shutdown: &Shutdown) -> (CrunchyrollSettings, SimControl) {
    let RunningSimulator { base_url, control } = Simulator::start(
        SimSettings {
            port: 0,
            ..SimSettings::default()
        },
        shutdown,
    )
    .await
    .expect("the simulator builds");
    let fast = ResilienceSettings {
        backoff_base_ms: 5,
        backoff_max_ms: 20,
        ..ResilienceSettings::default()
    };
    let crunchyroll =
        CrunchyrollSettings::at_base_url(&base_url, "kensho-test").with_resilience(fast);
    (crunchyroll, control)
}

/// Starts auth-svc (SQLite sessions, the test signing key); its URL.
async fn start_auth(
    crunchyroll: &CrunchyrollSettings,
    adjust_auth: impl FnOnce(&mut AuthSettings),
    data_dir: &TempDir,
    shutdown: &Shutdown,
) -> String {
    let mut auth_settings = AuthSettings {
        port: 0,
        signing_keys: vec![SigningKeySettings {
            kid: TEST_SIGNING_KID.to_owned(),
            private_key: Secret::new(STANDARD.encode(TEST_SIGNING_SEED)),
        }],
        ..AuthSettings::default()
    };
    adjust_auth(&mut auth_settings);
    let auth = kensho_auth::Application::build(auth_settings, crunchyroll, data_dir.path())
        .await
        .expect("auth-svc builds");
    let auth_url = format!("http://127.0.0.1:{}", auth.port());
    tokio::spawn(auth.run_until_stopped(shutdown.clone()));
    auth_url
}

impl TestApp {
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
        let mut admin =
            CatalogAdminServiceClient::connect(format!("http://127.0.0.1:{}", self.catalog_port))
                .await
                .expect("catalog-svc answers");
        kensho_test_support::run_catalog_sync(&mut admin).await;
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

/// Percent-encodes a query value.
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
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
