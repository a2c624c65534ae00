//! `spawn_app()`: a simulator and an auth-svc pointed at it, stopped on drop.

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use kensho_auth::{
    Application, AuthSettings, EncryptionKeySettings, SigningKeySettings, StoreBackend,
};
use kensho_crunchyroll::CrunchyrollSettings;
use kensho_crunchyroll_sim::{SimControl, SimSettings};
use kensho_jwt::TokenSettings;
use kensho_kit::grpc::GrpcChannel;
use kensho_kit::{Secret, Shutdown};
use kensho_proto::auth::v1 as pb;
use kensho_proto::auth::v1::auth_service_client::AuthServiceClient;
use kensho_test_support::simulator::simulator_settings;
use kensho_test_support::{TempDir, TestSimulator};

pub use kensho_test_support::{FREE, PREMIUM};

/// A running simulator and auth-svc.
pub struct TestApp {
    /// A client presenting the ordinary internal credential, as another service would.
    pub client: AuthServiceClient<GrpcChannel>,
    /// A client presenting the gateway's credential.
    pub gateway_client: AuthServiceClient<GrpcChannel>,
    pub sim: SimControl,
    pub settings: AuthSettings,
    pub crunchyroll: CrunchyrollSettings,
    pub data_dir: TempDir,
    app_shutdown: Shutdown,
    _simulator: TestSimulator,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.app_shutdown.trigger();
    }
}

/// Settings a test may adjust before the service starts.
pub struct TestSettings {
    pub auth: AuthSettings,
    pub crunchyroll: CrunchyrollSettings,
    pub sim: SimSettings,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// A unique Redis key prefix, so tests sharing one Redis never see each other's keys.
pub fn unique_redis_prefix() -> String {
    format!("kensho-test:auth:{}:", uuid_like())
}

fn uuid_like() -> String {
    let mut bytes = [0_u8; 16];
    getrandom::getrandom(&mut bytes).expect("randomness");
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Fixed test keys, so a restarted service verifies and decrypts what the first one wrote.
pub fn test_auth_settings() -> AuthSettings {
    AuthSettings {
        port: 0,
        signing_keys: vec![SigningKeySettings {
            kid: "test-1".to_owned(),
            private_key: Secret::new(STANDARD.encode([11_u8; 32])),
        }],
        encryption_keys: vec![EncryptionKeySettings {
            kid: "enc-1".to_owned(),
            key: Secret::new(STANDARD.encode([22_u8; 32])),
        }],
        ..AuthSettings::default()
    }
}

pub async fn spawn_app_with(adjust: impl FnOnce(&mut TestSettings)) -> TestApp {
    kensho_test_support::init_test_logging();
    let mut settings = TestSettings {
        auth: test_auth_settings(),
        crunchyroll: CrunchyrollSettings::default(),
        sim: simulator_settings(),
    };
    adjust(&mut settings);
    let sim_settings = settings.sim;
    let simulator = TestSimulator::start_with(|sim| *sim = sim_settings).await;
    let mut crunchyroll = settings.crunchyroll;
    if crunchyroll.client_id.is_empty() {
        crunchyroll = simulator.crunchyroll();
    }
    let data_dir = TempDir::new();
    let (client, gateway_client, app_shutdown) =
        start_service(settings.auth.clone(), &crunchyroll, data_dir.path()).await;
    TestApp {
        client,
        gateway_client,
        sim: simulator.control.clone(),
        settings: settings.auth,
        crunchyroll,
        data_dir,
        app_shutdown,
        _simulator: simulator,
    }
}

async fn start_service(
    settings: AuthSettings,
    crunchyroll: &CrunchyrollSettings,
    data_dir: &Path,
) -> (
    AuthServiceClient<GrpcChannel>,
    AuthServiceClient<GrpcChannel>,
    Shutdown,
) {
    let internal = kensho_test_support::test_internal_settings();
    let application = Application::build(
        settings,
        crunchyroll,
        data_dir,
        internal.clone(),
        TokenSettings::default(),
    )
    .await
    .expect("auth-svc builds");
    let address = application.address();
    let shutdown = Shutdown::new();
    tokio::spawn(application.run_until_stopped(shutdown.clone()));
    let client = AuthServiceClient::new(kensho_test_support::grpc_channel(
        address,
        internal.credential.as_ref(),
    ));
    let gateway_client = AuthServiceClient::new(kensho_test_support::grpc_channel(
        address,
        internal.gateway_credential.as_ref(),
    ));
    (client, gateway_client, shutdown)
}

impl TestApp {
    /// Stops the service and starts a new one on the same settings and storage.
    pub async fn restart(&mut self) {
        self.app_shutdown.trigger();
        let (client, gateway_client, shutdown) = start_service(
            self.settings.clone(),
            &self.crunchyroll,
            self.data_dir.path(),
        )
        .await;
        self.client = client;
        self.gateway_client = gateway_client;
        self.app_shutdown = shutdown;
    }

    pub async fn login(
        &self,
        username: &str,
        password: &str,
    ) -> Result<pb::TokenResponse, tonic::Status> {
        self.client
            .clone()
            .login(pb::LoginRequest {
                username: username.to_owned(),
                password: password.to_owned(),
                client_address: String::new(),
            })
            .await
            .map(tonic::Response::into_inner)
    }

    pub async fn login_premium(&self) -> pb::TokenResponse {
        self.login(PREMIUM.0, PREMIUM.1)
            .await
            .expect("login succeeds")
    }

    pub async fn refresh(&self, refresh_token: &str) -> Result<pb::TokenResponse, tonic::Status> {
        self.client
            .clone()
            .refresh(pb::RefreshRequest {
                refresh_token: refresh_token.to_owned(),
            })
            .await
            .map(tonic::Response::into_inner)
    }

    pub async fn logout(&self, refresh_token: &str) {
        self.client
            .clone()
            .logout(pb::LogoutRequest {
                refresh_token: refresh_token.to_owned(),
            })
            .await
            .expect("logout succeeds");
    }

    pub async fn introspect(&self, access_token: &str) -> pb::IntrospectResponse {
        self.client
            .clone()
            .introspect(pb::IntrospectRequest {
                access_token: access_token.to_owned(),
            })
            .await
            .expect("introspect answers")
            .into_inner()
    }

    /// GetUpstreamToken for the session of a Kensho access token.
    pub async fn upstream_token(
        &self,
        access_token: &str,
    ) -> Result<pb::GetUpstreamTokenResponse, tonic::Status> {
        self.client
            .clone()
            .get_upstream_token(pb::GetUpstreamTokenRequest {
                access_token: access_token.to_owned(),
            })
            .await
            .map(tonic::Response::into_inner)
    }
}

/// Redis settings under a unique prefix.
pub fn use_redis(settings: &mut TestSettings) {
    settings.auth.store.backend = StoreBackend::Redis;
    settings.auth.store.redis_url = Secret::new(kensho_test_support::test_redis_url());
    settings.auth.store.redis_key_prefix = unique_redis_prefix();
}
