//! The Redis backend: the same behaviour as SQLite, and a real Redis outage.

use std::time::{Duration, Instant};

use kensho_auth::{Application, AuthSettings, StoreBackend};
use kensho_crunchyroll::CrunchyrollSettings;
use kensho_jwt::TokenSettings;
use kensho_kit::Secret;
use kensho_test_support::PrivateRedis;

use crate::helpers::{spawn_app_with, unique_redis_prefix, use_redis};

#[tokio::test]
async fn with_redis_a_session_logs_in_rotates_detects_reuse_and_logs_out() {
    let app = spawn_app_with(use_redis).await;
    let first = app.login_premium().await;
    assert!(app.introspect(&first.access_token).await.active);

    let second = app.refresh(&first.refresh_token).await.expect("refresh");
    let reuse = app.refresh(&first.refresh_token).await.expect_err("reuse");

    assert_eq!(reuse.code(), tonic::Code::Unauthenticated);
    assert!(app.refresh(&second.refresh_token).await.is_err());
    assert!(!app.introspect(&second.access_token).await.active);
    let other = app.login_premium().await;
    app.logout(&other.refresh_token).await;
    assert!(!app.introspect(&other.access_token).await.active);
}

#[tokio::test]
async fn with_redis_sessions_survive_a_restart_and_hold_upstream_tokens() {
    let mut app = spawn_app_with(use_redis).await;
    let tokens = app.login_premium().await;

    app.restart().await;

    assert!(app.introspect(&tokens.access_token).await.active);
    app.upstream_token(&tokens.access_token)
        .await
        .expect("upstream token");
    app.refresh(&tokens.refresh_token).await.expect("refresh");
}

#[tokio::test]
async fn during_a_redis_outage_access_tokens_validate_and_login_is_unavailable_until_redis_returns()
{
    let mut redis = PrivateRedis::start();
    let redis_url = redis.url();
    let app = spawn_app_with(|settings| {
        settings.auth.store.backend = StoreBackend::Redis;
        settings.auth.store.redis_url = Secret::new(redis_url);
        settings.auth.store.redis_key_prefix = unique_redis_prefix();
        settings.auth.store.redis_timeout_ms = 500;
        settings.auth.login_limits.per_username_burst = 1_000;
        settings.auth.login_limits.per_address_burst = 1_000;
    })
    .await;
    let tokens = app.login_premium().await;
    let logged_out = app.login_premium().await;
    app.logout(&logged_out.refresh_token).await;

    redis.stop();

    assert!(
        app.introspect(&tokens.access_token).await.active,
        "signature-only introspection during the outage"
    );
    assert!(
        !app.introspect(&logged_out.access_token).await.active,
        "a session ended before the outage stays ended"
    );
    app.upstream_token(&tokens.access_token)
        .await
        .expect_err("the upstream token lives in the store: refused while it is down");
    app.sim.reset_stats();
    let login = app
        .login(crate::helpers::FREE.0, crate::helpers::FREE.1)
        .await;
    assert_eq!(
        login.expect_err("no store").code(),
        tonic::Code::Unavailable
    );
    assert_eq!(
        app.sim.stats().count("POST /auth/v1/token"),
        0,
        "no crunchyroll session is opened while the store is down"
    );
    let refresh = app.refresh(&tokens.refresh_token).await;
    let refresh = refresh.expect_err("no store");
    assert_eq!(refresh.code(), tonic::Code::Unavailable);
    assert!(refresh.metadata().get("retry-after").is_some());

    redis.restart();

    // The pool reconnects by itself; the first call may still meet a dead pooled connection.
    let deadline = Instant::now() + Duration::from_secs(10);
    let fresh = loop {
        match app
            .login(crate::helpers::FREE.0, crate::helpers::FREE.1)
            .await
        {
            Ok(fresh) => break fresh,
            Err(status) => {
                assert_eq!(status.code(), tonic::Code::Unavailable);
                assert!(Instant::now() < deadline, "the pool did not reconnect");
            }
        }
    };
    assert!(app.introspect(&fresh.access_token).await.active);
}

#[tokio::test]
async fn with_redis_and_no_configured_keys_the_service_refuses_to_start_naming_the_key() {
    let data_dir = kensho_test_support::TempDir::new();
    let mut settings = AuthSettings {
        port: 0,
        ..AuthSettings::default()
    };
    settings.store.backend = StoreBackend::Redis;
    settings.store.redis_url = Secret::new(kensho_test_support::test_redis_url());

    let refused = Application::build(
        settings,
        &CrunchyrollSettings::default(),
        data_dir.path(),
        kensho_test_support::test_internal_settings(),
        TokenSettings::default(),
    )
    .await
    .err()
    .expect("auth-svc refuses to start");

    let message = format!("{refused:#}");
    assert!(message.contains("auth.signing_keys"), "{message}");
    assert!(
        !data_dir.path().join("auth-keys.json").exists(),
        "no per-process keys are written"
    );
}
