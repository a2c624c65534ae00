//! `GET /api/v1/stream/{anime_id}/{episode}` and `DELETE /api/v1/stream/{token}` against
//! stream-svc, auth-svc, a synced catalog and the Crunchyroll simulator, with the free and the
//! premium account.

use kensho_test_support::simulator::play_service_outage;
use serde_json::Value;

use crate::helpers::{FREE, PREMIUM, TestApp, assert_problem, header, spawn_app_with_streams};

/// A synced app, the id of Cowboy Bebop, and an access token of `account`.
async fn synced_app_and_token(account: (&str, &str)) -> (TestApp, String, String) {
    let app = spawn_app_with_streams().await;
    app.sync_catalog().await;
    let anime_id = app.id_of("Cowboy Bebop").await;
    let tokens = app.login(account).await;
    let access_token = tokens["access_token"].as_str().expect("a token").to_owned();
    (app, anime_id, access_token)
}

#[tokio::test]
async fn stream_returns_a_fetchable_stream_for_a_premium_user_and_delete_releases_it() {
    let (app, anime_id, token) = synced_app_and_token(PREMIUM).await;

    let response = app
        .get_with_token(&format!("/api/v1/stream/{anime_id}/5"), &token)
        .await;

    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "cache-control").as_deref(),
        Some("no-store")
    );
    let stream: Value = response.json().await.expect("a JSON body");
    for field in ["manifest_url", "expires_at", "audio_locale", "stream_token"] {
        assert!(stream[field].is_string(), "{field} missing: {stream}");
    }
    let expires_at = stream["expires_at"].as_str().unwrap();
    assert!(
        expires_at.len() == "2024-02-29T23:59:59Z".len() && expires_at.ends_with('Z'),
        "{stream}"
    );
    assert!(
        kensho_kit::time::parse_rfc3339(expires_at).is_ok(),
        "{stream}"
    );
    let subtitle = &stream["subtitles"][0];
    for field in ["language", "format", "url"] {
        assert!(subtitle[field].is_string(), "{field} missing: {stream}");
    }
    assert!(stream["hard_subs"][0]["locale"].is_string(), "{stream}");
    assert!(stream["request_headers"].is_object(), "{stream}");
    let manifest_url = stream["manifest_url"].as_str().unwrap();
    let manifest = app.client.get(manifest_url).send().await.expect("answers");
    assert_eq!(manifest.status(), 200);
    assert!(manifest.text().await.unwrap().starts_with("#EXTM3U"));

    let stream_token = stream["stream_token"].as_str().unwrap();
    let released = app
        .delete_with_token(&format!("/api/v1/stream/{stream_token}"), &token)
        .await;

    assert_eq!(released.status(), 204);
    let after = app.client.get(manifest_url).send().await.expect("answers");
    assert_eq!(after.status(), 404, "a released stream's manifest is gone");
}

#[tokio::test]
async fn two_users_asking_for_the_same_episode_each_get_only_their_own_url() {
    let (app, anime_id, premium_token) = synced_app_and_token(PREMIUM).await;
    let free_tokens = app.login(FREE).await;
    let free_token = free_tokens["access_token"].as_str().unwrap();
    let path = format!("/api/v1/stream/{anime_id}/1");

    let premium: Value = app
        .get_with_token(&path, &premium_token)
        .await
        .json()
        .await
        .unwrap();
    let free: Value = app
        .get_with_token(&path, free_token)
        .await
        .json()
        .await
        .unwrap();
    let premium_again: Value = app
        .get_with_token(&path, &premium_token)
        .await
        .json()
        .await
        .unwrap();

    assert!(premium["manifest_url"].is_string(), "{premium}");
    assert!(free["manifest_url"].is_string(), "{free}");
    assert_ne!(premium["manifest_url"], free["manifest_url"]);
    assert_eq!(premium_again["manifest_url"], premium["manifest_url"]);
}

#[tokio::test]
async fn delete_of_another_users_stream_is_404_and_the_owners_stream_keeps_playing() {
    let (app, anime_id, owner_token) = synced_app_and_token(PREMIUM).await;
    let other_tokens = app.login(FREE).await;
    let other_token = other_tokens["access_token"].as_str().unwrap();
    let path = format!("/api/v1/stream/{anime_id}/1");
    let owners: Value = app
        .get_with_token(&path, &owner_token)
        .await
        .json()
        .await
        .unwrap();
    let stream_token = owners["stream_token"].as_str().expect("a stream token");
    let release_path = format!("/api/v1/stream/{stream_token}");

    let refused = app.delete_with_token(&release_path, other_token).await;

    assert_problem(refused, 404).await;
    let owners_again: Value = app
        .get_with_token(&path, &owner_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        owners_again["stream_token"], owners["stream_token"],
        "the owner's stream is still cached"
    );
    let manifest_url = owners["manifest_url"].as_str().unwrap();
    let manifest = app.client.get(manifest_url).send().await.expect("answers");
    assert_eq!(manifest.status(), 200, "the owner's stream still plays");
    let released = app.delete_with_token(&release_path, &owner_token).await;
    assert_eq!(released.status(), 204);
}

#[tokio::test]
async fn stream_returns_401_without_a_bearer_token() {
    let app = spawn_app_with_streams().await;

    let response = app.get("/api/v1/stream/0123456789abcdef/1").await;
    let release = app
        .client
        .delete(format!("{}/api/v1/stream/some-token", app.address))
        .send()
        .await
        .unwrap();

    assert_problem(response, 401).await;
    assert_problem(release, 401).await;
}

#[tokio::test]
async fn stream_returns_403_with_the_reason_for_a_premium_episode_and_a_free_user() {
    let (app, anime_id, token) = synced_app_and_token(FREE).await;

    let response = app
        .get_with_token(&format!("/api/v1/stream/{anime_id}/4"), &token)
        .await;

    let problem = assert_problem(response, 403).await;
    assert!(
        problem["detail"].as_str().unwrap().contains("premium"),
        "{problem}"
    );
}

#[tokio::test]
async fn stream_returns_404_for_an_unknown_anime_or_episode() {
    let (app, anime_id, token) = synced_app_and_token(PREMIUM).await;

    let unknown_anime = app
        .get_with_token("/api/v1/stream/0123456789abcdef/1", &token)
        .await;
    let unknown_episode = app
        .get_with_token(&format!("/api/v1/stream/{anime_id}/999"), &token)
        .await;

    assert_problem(unknown_anime, 404).await;
    assert_problem(unknown_episode, 404).await;
}

#[tokio::test]
async fn stream_returns_400_when_the_episode_is_not_a_number() {
    let app = spawn_app_with_streams().await;
    let tokens = app.login(PREMIUM).await;

    let response = app
        .get_with_token(
            "/api/v1/stream/0123456789abcdef/first",
            tokens["access_token"].as_str().unwrap(),
        )
        .await;

    let problem = assert_problem(response, 400).await;
    assert_eq!(problem["errors"][0]["field"], "episode");
}

#[tokio::test]
async fn stream_returns_400_naming_the_anime_id_that_stream_svc_refused() {
    let app = spawn_app_with_streams().await;
    let tokens = app.login(PREMIUM).await;

    // The gateway passes the id on; stream-svc answers INVALID_ARGUMENT with a field violation.
    let response = app
        .get_with_token(
            "/api/v1/stream/not-an-anime-id/1",
            tokens["access_token"].as_str().unwrap(),
        )
        .await;

    let problem = assert_problem(response, 400).await;
    assert_eq!(problem["errors"][0]["field"], "anime_id", "{problem}");
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .is_some_and(|message| !message.is_empty()),
        "{problem}"
    );
}

#[tokio::test]
async fn stream_returns_429_with_retry_after_at_the_limit_and_delete_frees_a_slot() {
    let (app, anime_id, token) = synced_app_and_token(FREE).await;
    let first: Value = app
        .get_with_token(&format!("/api/v1/stream/{anime_id}/1"), &token)
        .await
        .json()
        .await
        .unwrap();
    let second_path = format!("/api/v1/stream/{anime_id}/2");

    let refused = app.get_with_token(&second_path, &token).await;

    assert_eq!(header(&refused, "retry-after").as_deref(), Some("30"));
    let problem = assert_problem(refused, 429).await;
    assert!(
        problem["detail"].as_str().unwrap().contains("1 active"),
        "{problem}"
    );
    assert_eq!(problem["active_streams"], 1, "{problem}");

    let stream_token = first["stream_token"].as_str().expect("a stream token");
    let released = app
        .delete_with_token(&format!("/api/v1/stream/{stream_token}"), &token)
        .await;
    assert_eq!(released.status(), 204);
    let second = app.get_with_token(&second_path, &token).await;

    assert_eq!(second.status(), 200);
}

#[tokio::test]
async fn stream_returns_503_with_retry_after_and_an_upstream_type_when_crunchyroll_is_down() {
    let (app, anime_id, token) = synced_app_and_token(PREMIUM).await;
    app.simulator
        .as_ref()
        .expect("a simulator")
        .set_faults(play_service_outage())
        .expect("a valid plan");

    let response = app
        .get_with_token(&format!("/api/v1/stream/{anime_id}/1"), &token)
        .await;

    assert!(header(&response, "retry-after").is_some());
    let problem = assert_problem(response, 503).await;
    // Distinguishable from a 503 Kensho itself answers (overload, a service down).
    assert_eq!(
        problem["type"],
        "https://kensho.dev/problems/upstream-unavailable"
    );
}
