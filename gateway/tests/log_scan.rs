//! Every log line emitted while a user logs in, refreshes, plays and releases a stream, and logs
//! out, across the gateway, auth-svc, stream-svc, catalog-svc and the Crunchyroll client, is
//! captured and searched for the password, every token the flow handled and the session id.
//!
//! A binary of its own: it installs a process-wide subscriber that keeps every line.

#[path = "api/helpers.rs"]
#[allow(dead_code, unused_imports)]
mod helpers;

use helpers::{PREMIUM, spawn_app_with_streams};
use kensho_test_support::logs::CapturedLogs;
use kensho_test_support::tokens::read_claims;
use serde_json::json;

#[tokio::test]
async fn no_password_token_or_session_id_appears_in_any_log_line_of_a_whole_session() {
    let capture = CapturedLogs::default();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("debug,kensho=trace,kensho_gateway=trace,kensho_auth=trace,kensho_stream=trace,kensho_catalog=trace,kensho_crunchyroll=trace,kensho_kit=trace"))
        .with_ansi(false)
        .with_writer(capture.clone())
        .init();

    let app = spawn_app_with_streams().await;
    app.sync_catalog().await;
    let anime_id = app.id_of("Cowboy Bebop").await;
    let login = app.login(PREMIUM).await;
    let first_access = login["access_token"]
        .as_str()
        .expect("access token")
        .to_owned();
    let first_refresh = login["refresh_token"]
        .as_str()
        .expect("refresh token")
        .to_owned();

    let refreshed: serde_json::Value = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": first_refresh}),
        )
        .await
        .json()
        .await
        .expect("refresh answers JSON");
    let access = refreshed["access_token"]
        .as_str()
        .expect("access token")
        .to_owned();
    let refresh = refreshed["refresh_token"]
        .as_str()
        .expect("refresh token")
        .to_owned();

    let stream: serde_json::Value = app
        .get_with_token(&format!("/api/v1/stream/{anime_id}/5"), &access)
        .await
        .json()
        .await
        .expect("stream answers JSON");
    let stream_token = stream["stream_token"]
        .as_str()
        .expect("stream token")
        .to_owned();
    let released = app
        .delete_with_token(&format!("/api/v1/stream/{stream_token}"), &access)
        .await;
    assert_eq!(released.status(), 204);
    let logged_out = app
        .post_json("/api/v1/auth/logout", &json!({"refresh_token": refresh}))
        .await;
    assert_eq!(logged_out.status(), 204);

    let logs = capture.text();
    assert!(logs.contains("http_request"), "the flow was logged at all");
    let session_id = read_claims(&access).sid;
    // `<episode id>.<upstream token>.<tag>`: the middle is Crunchyroll's.
    let upstream_stream_token = stream_token
        .split_once('.')
        .and_then(|(_, rest)| rest.rsplit_once('.'))
        .map(|(upstream, _)| upstream.to_owned())
        .unwrap_or_default();
    let secrets = [
        ("the password", PREMIUM.1.to_owned()),
        ("the first access token", first_access),
        ("the first refresh token", first_refresh),
        ("the refreshed access token", access),
        ("the refreshed refresh token", refresh),
        ("the upstream stream token", upstream_stream_token),
        ("the session id", session_id),
    ];
    for (name, secret) in secrets {
        assert!(!secret.is_empty(), "{name} is known");
        assert!(!logs.contains(&secret), "{name} appears in the logs");
    }
}
