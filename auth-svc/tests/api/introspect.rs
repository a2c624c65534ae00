//! Introspect: whether an access token is valid and its session live.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use kensho_auth::SigningKeySettings;
use kensho_kit::Secret;
use kensho_kit::time::{from_timestamp, remaining_until};
use time::OffsetDateTime;

use crate::helpers::{spawn_app, spawn_app_with};

#[tokio::test]
async fn introspect_reports_the_subject_and_session_of_a_valid_access_token() {
    let app = spawn_app().await;
    let tokens = app.login_premium().await;

    let answer = app.introspect(&tokens.access_token).await;

    assert!(answer.active);
    assert!(!answer.subject.is_empty());
    assert_eq!(answer.session_id.len(), 36);
    let expires_at = from_timestamp(&answer.expires_at.expect("an active token's expiry"))
        .expect("a valid time");
    let remaining = remaining_until(expires_at, OffsetDateTime::now_utc());
    assert!(
        remaining > Duration::ZERO && remaining <= Duration::from_secs(900),
        "{remaining:?}"
    );
}

#[tokio::test]
async fn introspect_reports_a_garbage_token_as_inactive() {
    let app = spawn_app().await;

    let answer = app.introspect("not.a.token").await;

    assert!(!answer.active);
    assert!(answer.subject.is_empty());
    assert_eq!(answer.expires_at, None);
}

#[tokio::test]
async fn access_tokens_stay_valid_after_a_new_signing_key_is_put_first() {
    let mut app = spawn_app().await;
    let tokens = app.login_premium().await;
    app.settings.signing_keys.insert(
        0,
        SigningKeySettings {
            kid: "test-2".to_owned(),
            private_key: Secret::new(STANDARD.encode([33_u8; 32])),
        },
    );

    app.restart().await;

    assert!(app.introspect(&tokens.access_token).await.active);
    let fresh = app.login_premium().await;
    let header = fresh
        .access_token
        .split('.')
        .next()
        .expect("header")
        .to_owned();
    let header = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header)
        .expect("base64url");
    assert!(String::from_utf8_lossy(&header).contains("\"kid\":\"test-2\""));
}

#[tokio::test]
async fn a_session_unused_for_its_idle_timeout_ends() {
    let app = spawn_app_with(|settings| settings.auth.session_idle_timeout_seconds = 1).await;
    let tokens = app.login_premium().await;

    // The idle deadline is in whole seconds: two seconds always pass it.
    tokio::time::sleep(Duration::from_millis(2_100)).await;

    assert!(!app.introspect(&tokens.access_token).await.active);
}
