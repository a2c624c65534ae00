//! No password, token or session id ever reaches a log line, at any level: the whole service over gRPC on
//! port 0, against the Crunchyroll simulator and Redis, with every log line captured. It lives in
//! the crate because reading the stored Crunchyroll tokens back takes the private
//! [`TokenCipher`].

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use kensho_kit::grpc::GrpcChannel;
use kensho_kit::{Secret, Shutdown};
use kensho_proto::auth::v1 as pb;
use kensho_proto::auth::v1::auth_service_client::AuthServiceClient;
use kensho_test_support::internal::TEST_CREDENTIAL;
use kensho_test_support::logs::CapturedLogs;
use kensho_test_support::{PREMIUM, TempDir, TestSimulator};

use crate::crypto::TokenCipher;
use crate::settings::{AuthSettings, EncryptionKeySettings, SigningKeySettings, StoreBackend};
use crate::startup::Application;

fn encryption_key() -> EncryptionKeySettings {
    EncryptionKeySettings {
        kid: "enc-1".to_owned(),
        key: Secret::new(STANDARD.encode([22_u8; 32])),
    }
}

/// A simulator whose Crunchyroll access tokens live one second, and an auth-svc on Redis under
/// a unique key prefix; the service stops when the returned [`Shutdown`] fires, the simulator
/// when its handle drops.
async fn spawn_service(
    settings: &AuthSettings,
    data_dir: &TempDir,
) -> (AuthServiceClient<GrpcChannel>, Shutdown, TestSimulator) {
    let shutdown = Shutdown::new();
    let simulator = TestSimulator::start_with(|sim| sim.access_token_ttl_seconds = 1).await;
    let internal = kensho_test_support::test_internal_settings();
    let application = Application::build(
        settings.clone(),
        &simulator.crunchyroll(),
        data_dir.path(),
        internal.clone(),
        kensho_jwt::TokenSettings::default(),
    )
    .await
    .expect("auth-svc builds");
    let address = application.address();
    tokio::spawn(application.run_until_stopped(shutdown.clone()));
    let client = AuthServiceClient::new(kensho_test_support::grpc_channel(
        address,
        internal.credential.as_ref(),
    ));
    (client, shutdown, simulator)
}

fn redis_settings() -> AuthSettings {
    let mut settings = AuthSettings {
        port: 0,
        signing_keys: vec![SigningKeySettings {
            kid: "test-1".to_owned(),
            private_key: Secret::new(STANDARD.encode([11_u8; 32])),
        }],
        encryption_keys: vec![encryption_key()],
        ..AuthSettings::default()
    };
    settings.store.backend = StoreBackend::Redis;
    settings.store.redis_url = Secret::new(kensho_test_support::test_redis_url());
    settings.store.redis_key_prefix =
        format!("kensho-test:auth:{}:", uuid::Uuid::new_v4().simple());
    settings
}

async fn login(
    client: &AuthServiceClient<GrpcChannel>,
    password: &str,
) -> Result<pb::TokenResponse, tonic::Status> {
    client
        .clone()
        .login(pb::LoginRequest {
            username: PREMIUM.0.to_owned(),
            password: password.to_owned(),
            client_address: String::new(),
        })
        .await
        .map(tonic::Response::into_inner)
}

async fn refresh(
    client: &AuthServiceClient<GrpcChannel>,
    refresh_token: &str,
) -> Result<pb::TokenResponse, tonic::Status> {
    client
        .clone()
        .refresh(pb::RefreshRequest {
            refresh_token: refresh_token.to_owned(),
        })
        .await
        .map(tonic::Response::into_inner)
}

async fn session_id(client: &AuthServiceClient<GrpcChannel>, access_token: &str) -> String {
    client
        .clone()
        .introspect(pb::IntrospectRequest {
            access_token: access_token.to_owned(),
        })
        .await
        .expect("introspect answers")
        .into_inner()
        .session_id
}

async fn upstream_token(client: &AuthServiceClient<GrpcChannel>, access_token: &str) -> String {
    client
        .clone()
        .get_upstream_token(pb::GetUpstreamTokenRequest {
            access_token: access_token.to_owned(),
        })
        .await
        .expect("upstream token")
        .into_inner()
        .access_token
}

/// The Crunchyroll tokens a session holds, read from Redis and decrypted with the test key.
async fn stored_crunchyroll_tokens(settings: &AuthSettings, session_id: &str) -> Vec<String> {
    let client = redis::Client::open(kensho_test_support::test_redis_url()).expect("redis url");
    let mut connection = client
        .get_multiplexed_async_connection()
        .await
        .expect("redis answers");
    let session_key = format!("{}session:{session_id}", settings.store.redis_key_prefix);
    let sealed: String = redis::cmd("HGET")
        .arg(&session_key)
        .arg("upstream")
        .query_async(&mut connection)
        .await
        .expect("the session is stored");
    assert!(
        !sealed.contains("eyJ"),
        "crunchyroll tokens are stored encrypted"
    );
    let cipher = TokenCipher::from_settings(&[encryption_key()])
        .expect("valid")
        .expect("configured");
    let plaintext = cipher.decrypt(&sealed, session_id).expect("decrypts");
    let json: serde_json::Value = serde_json::from_slice(&plaintext).expect("json");
    vec![
        json["access_token"].as_str().expect("access").to_owned(),
        json["refresh_token"].as_str().expect("refresh").to_owned(),
    ]
}

#[tokio::test]
async fn no_password_token_or_session_id_appears_in_any_log_line() {
    let logs = CapturedLogs::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(logs.clone())
        .finish();
    // The test runtime is single-threaded, so every task of the service logs through this.
    // Redis, not SQLite: SQLite runs its connections on threads of their own.
    let _guard = tracing::subscriber::set_default(subscriber);
    let settings = redis_settings();
    let data_dir = TempDir::new();
    let (client, shutdown, _simulator) = spawn_service(&settings, &data_dir).await;

    let _ = login(&client, "a-wrong-password").await;
    let first = login(&client, PREMIUM.1).await.expect("login succeeds");
    let first_session_id = session_id(&client, &first.access_token).await;
    let upstream = upstream_token(&client, &first.access_token).await;
    let second = refresh(&client, &first.refresh_token)
        .await
        .expect("refresh");
    let _ = refresh(&client, &first.refresh_token).await;
    let third = login(&client, PREMIUM.1).await.expect("login succeeds");
    let third_session_id = session_id(&client, &third.access_token).await;
    upstream_token(&client, &third.access_token).await;
    let crunchyroll_tokens = stored_crunchyroll_tokens(&settings, &third_session_id).await;
    client
        .clone()
        .logout(pb::LogoutRequest {
            refresh_token: third.refresh_token.clone(),
        })
        .await
        .expect("logout succeeds");
    shutdown.trigger();

    let captured = logs.text();
    assert!(captured.contains("session opened"), "logs were captured");
    let mut secrets = vec![
        PREMIUM.1.to_owned(),
        "a-wrong-password".to_owned(),
        first.access_token,
        first.refresh_token,
        second.access_token,
        second.refresh_token,
        third.access_token,
        third.refresh_token,
        upstream,
        first_session_id,
        third_session_id,
        TEST_CREDENTIAL.to_owned(),
    ];
    secrets.extend(crunchyroll_tokens);
    for secret in &secrets {
        assert!(!secret.is_empty());
        assert!(
            !captured.contains(secret.as_str()),
            "a secret or session id appeared in the logs"
        );
    }
}
