//! Login: Crunchyroll credentials in, a Kensho token pair out.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, VerifyingKey};
use kensho_crunchyroll::CrunchyrollSettings;
use kensho_proto::auth::v1 as pb;
use tonic_types::StatusExt;

use crate::helpers::{FREE, PREMIUM, TestApp, spawn_app, spawn_app_with};

#[tokio::test]
async fn login_with_valid_credentials_returns_a_bearer_token_pair() {
    let app = spawn_app().await;

    let tokens = app.login(FREE.0, FREE.1).await.expect("login succeeds");

    assert_eq!(tokens.token_type, "Bearer");
    assert_eq!(tokens.expires_in, 900);
    assert_eq!(tokens.access_token.split('.').count(), 3);
    assert_eq!(tokens.refresh_token.len(), 43);
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_username_get_the_same_unauthenticated_answer() {
    let app = spawn_app().await;

    let wrong_password = app
        .login(PREMIUM.0, "not-the-password")
        .await
        .expect_err("must fail");
    let unknown_user = app
        .login("nobody@kensho.test", "whatever")
        .await
        .expect_err("must fail");

    assert_eq!(wrong_password.code(), tonic::Code::Unauthenticated);
    assert_eq!(unknown_user.code(), tonic::Code::Unauthenticated);
    assert_eq!(wrong_password.message(), unknown_user.message());
    assert_eq!(wrong_password.message(), "invalid username or password");
}

#[tokio::test]
async fn login_with_empty_fields_is_invalid_argument_naming_each_field() {
    let app = spawn_app().await;

    let status = app.login("  ", "").await.expect_err("must fail");

    assert_eq!(status.code(), tonic::Code::InvalidArgument);
    let details = status.get_error_details();
    let fields: Vec<String> = details
        .bad_request()
        .expect("bad request details")
        .field_violations
        .iter()
        .map(|violation| violation.field.clone())
        .collect();
    assert_eq!(fields, ["username", "password"]);
}

#[tokio::test]
async fn login_is_unavailable_when_crunchyroll_cannot_be_reached() {
    let closed_port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
        listener.local_addr().expect("address").port()
    };
    let app = spawn_app_with(|settings| {
        settings.crunchyroll = CrunchyrollSettings {
            api_base_url: format!("http://127.0.0.1:{closed_port}"),
            client_id: "kensho-test".to_owned(),
            ..CrunchyrollSettings::default()
        };
        settings.crunchyroll.api.max_attempts = 1;
    })
    .await;

    let status = app
        .login(PREMIUM.0, PREMIUM.1)
        .await
        .expect_err("must fail");

    assert_eq!(status.code(), tonic::Code::Unavailable);
    assert!(status.metadata().get("retry-after").is_some());
}

#[tokio::test]
async fn login_attempts_beyond_the_per_username_burst_are_resource_exhausted_with_retry_after() {
    let app = spawn_app_with(|settings| {
        settings.auth.login_limits.per_username_burst = 2;
        settings.auth.login_limits.per_username_per_minute = 1;
    })
    .await;
    for _ in 0..2 {
        let status = app.login(PREMIUM.0, "wrong").await.expect_err("must fail");
        assert_eq!(status.code(), tonic::Code::Unauthenticated);
    }

    let status = app
        .login(PREMIUM.0, PREMIUM.1)
        .await
        .expect_err("must fail");

    assert_eq!(status.code(), tonic::Code::ResourceExhausted);
    let retry_after: u64 = status
        .metadata()
        .get("retry-after")
        .expect("retry-after")
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    app.login(FREE.0, FREE.1)
        .await
        .expect("another username is not limited");
}

fn attempt_from(address: &str) -> pb::LoginRequest {
    pb::LoginRequest {
        username: FREE.0.to_owned(),
        password: FREE.1.to_owned(),
        client_address: address.to_owned(),
    }
}

async fn spawn_app_allowing_one_attempt_per_address() -> TestApp {
    spawn_app_with(|settings| {
        settings.auth.login_limits.per_address_burst = 1;
        settings.auth.login_limits.per_address_per_minute = 1;
    })
    .await
}

#[tokio::test]
async fn login_attempts_beyond_the_per_address_burst_are_resource_exhausted() {
    let app = spawn_app_allowing_one_attempt_per_address().await;
    let mut gateway = app.gateway_client.clone();
    gateway
        .login(attempt_from("203.0.113.7"))
        .await
        .expect("first attempt");

    let status = gateway
        .login(attempt_from("203.0.113.7"))
        .await
        .expect_err("must fail");

    assert_eq!(status.code(), tonic::Code::ResourceExhausted);
}

#[tokio::test]
async fn the_gateway_names_the_client_address_each_login_counts_against() {
    let app = spawn_app_allowing_one_attempt_per_address().await;
    let mut gateway = app.gateway_client.clone();
    gateway
        .login(attempt_from("203.0.113.7"))
        .await
        .expect("first attempt");

    gateway
        .login(attempt_from("203.0.113.8"))
        .await
        .expect("another address has a bucket of its own");
}

#[tokio::test]
async fn a_client_address_named_by_another_caller_is_ignored_for_the_peer_address() {
    let app = spawn_app_allowing_one_attempt_per_address().await;
    let mut other_service = app.client.clone();
    other_service
        .login(attempt_from("203.0.113.7"))
        .await
        .expect("first attempt");

    let status = other_service
        .login(attempt_from("203.0.113.8"))
        .await
        .expect_err("both attempts count against the caller's own address");

    assert_eq!(status.code(), tonic::Code::ResourceExhausted);
}

#[tokio::test]
async fn the_access_token_verifies_against_the_published_jwks() {
    let app = spawn_app().await;
    let tokens = app.login_premium().await;

    let jwks_json = app
        .client
        .clone()
        .get_jwks(pb::GetJwksRequest {})
        .await
        .expect("jwks")
        .into_inner()
        .jwks_json;

    let jwks: serde_json::Value = serde_json::from_str(&jwks_json).expect("json");
    let key = &jwks["keys"][0];
    assert_eq!(key["kid"], "test-1");
    assert_eq!(key["kty"], "OKP");
    assert_eq!(key["alg"], "EdDSA");
    let x = URL_SAFE_NO_PAD
        .decode(key["x"].as_str().expect("x"))
        .expect("base64url");
    let verifying_key =
        VerifyingKey::from_bytes(&x.try_into().expect("32 bytes")).expect("a public key");
    let (signing_input, signature) = tokens.access_token.rsplit_once('.').expect("a jws");
    let signature = Signature::from_slice(&URL_SAFE_NO_PAD.decode(signature).expect("base64url"))
        .expect("a signature");
    verifying_key
        .verify_strict(signing_input.as_bytes(), &signature)
        .expect("the signature verifies");
}
