//! GetUpstreamToken: a valid Crunchyroll access token for a session.

use futures_util::future::join_all;
use kensho_kit::time::from_timestamp;
use time::OffsetDateTime;

use crate::helpers::{spawn_app, spawn_app_with};

async fn session_id_of(app: &crate::helpers::TestApp, access_token: &str) -> String {
    app.introspect(access_token).await.session_id
}

#[tokio::test]
async fn get_upstream_token_returns_a_crunchyroll_token_for_the_session() {
    let app = spawn_app().await;
    let tokens = app.login_premium().await;
    let session_id = session_id_of(&app, &tokens.access_token).await;

    let upstream = app.upstream_token(&session_id).await.expect("a token");

    assert!(!upstream.access_token.is_empty());
    assert_ne!(upstream.access_token, tokens.access_token);
    let expires_at =
        from_timestamp(&upstream.expires_at.expect("an expiry")).expect("a valid time");
    assert!(expires_at > OffsetDateTime::now_utc(), "{expires_at}");
    let again = app.upstream_token(&session_id).await.expect("a token");
    assert_eq!(again.access_token, upstream.access_token);
}

#[tokio::test]
async fn get_upstream_token_refreshes_an_expiring_crunchyroll_token_once_per_caller_in_turn() {
    let app = spawn_app_with(|settings| settings.sim.access_token_ttl_seconds = 1).await;
    let tokens = app.login_premium().await;
    let session_id = session_id_of(&app, &tokens.access_token).await;
    app.sim.reset_stats();

    // Crunchyroll rotates refresh tokens: concurrent refreshes with one token would fail.
    let answers = join_all((0..4).map(|_| app.upstream_token(&session_id))).await;

    let mut access_tokens: Vec<String> = answers
        .into_iter()
        .map(|answer| answer.expect("every caller gets a token").access_token)
        .collect();
    access_tokens.sort();
    access_tokens.dedup();
    assert_eq!(
        access_tokens.len(),
        4,
        "each call refreshed the short-lived token"
    );
    assert_eq!(app.sim.stats().count("POST /auth/v1/token"), 4);
}

#[tokio::test]
async fn get_upstream_token_for_an_ended_session_is_unauthenticated() {
    let app = spawn_app().await;
    let tokens = app.login_premium().await;
    let session_id = session_id_of(&app, &tokens.access_token).await;
    app.logout(&tokens.refresh_token).await;

    let status = app
        .upstream_token(&session_id)
        .await
        .expect_err("must fail");

    assert_eq!(status.code(), tonic::Code::Unauthenticated);
}

#[tokio::test]
async fn get_upstream_token_with_a_malformed_session_id_is_invalid_argument() {
    let app = spawn_app().await;

    let status = app
        .upstream_token("not-a-uuid")
        .await
        .expect_err("must fail");

    assert_eq!(status.code(), tonic::Code::InvalidArgument);
}
