//! GetStream's outcomes: a playable stream, 401, 403 with the reason, 404 and 503.

use kensho_kit::time::from_timestamp;
use time::OffsetDateTime;
use tonic::Code;

use crate::helpers::{FREE, PREMIUM, User, claims_for, cluster_signer, spawn_app};

/// The play-service route as the simulator counts it.
const PLAY_ROUTE: &str = "GET /playback/v3/{episode_id}/{device}/{platform}/play";

#[tokio::test]
async fn a_premium_user_gets_a_fetchable_stream_of_a_premium_episode() {
    let app = spawn_app().await;
    let user = app.login(PREMIUM).await;
    let episode_id = app.episode_id("Cowboy Bebop", 4);

    let stream = app.stream_of(&user, &episode_id).await.expect("a stream");

    assert!(stream.manifest_url.contains(&episode_id), "{stream:?}");
    assert!(!stream.audio_locale.is_empty(), "{stream:?}");
    assert!(!stream.subtitles.is_empty(), "{stream:?}");
    for subtitle in &stream.subtitles {
        assert!(!subtitle.language.is_empty() && !subtitle.format.is_empty());
        assert!(subtitle.url.starts_with("http"), "{subtitle:?}");
    }
    assert!(!stream.hard_subs.is_empty(), "{stream:?}");
    let expires_at = stream
        .expires_at
        .as_ref()
        .map(|expires_at| from_timestamp(expires_at).expect("a valid time"))
        .expect("an expiry");
    assert!(expires_at > OffsetDateTime::now_utc(), "{stream:?}");
    assert!(stream.stream_token.starts_with(&episode_id), "{stream:?}");
    let manifest = app
        .http
        .get(&stream.manifest_url)
        .send()
        .await
        .expect("the manifest URL answers");
    assert_eq!(manifest.status(), 200);
    let body = manifest.text().await.expect("a playlist");
    assert!(body.starts_with("#EXTM3U"), "{body}");
}

#[tokio::test]
async fn a_free_user_gets_a_stream_of_a_free_episode() {
    let app = spawn_app().await;
    let user = app.login(FREE).await;
    let episode_id = app.episode_id("Cowboy Bebop", 1);

    let stream = app.stream_of(&user, &episode_id).await.expect("a stream");

    assert!(stream.manifest_url.contains(&episode_id), "{stream:?}");
}

#[tokio::test]
async fn a_free_user_is_denied_a_premium_only_episode_with_the_reason() {
    let app = spawn_app().await;
    let user = app.login(FREE).await;
    let episode_id = app.episode_id("Cowboy Bebop", 4);

    let status = app.stream_of(&user, &episode_id).await.unwrap_err();

    assert_eq!(status.code(), Code::PermissionDenied);
    assert!(status.message().contains("premium"), "{status:?}");
}

#[tokio::test]
async fn a_request_without_a_session_is_unauthenticated() {
    let app = spawn_app().await;
    let nobody = User::holding(String::new());
    let episode_id = app.episode_id("Cowboy Bebop", 1);

    let status = app.stream_of(&nobody, &episode_id).await.unwrap_err();

    assert_eq!(status.code(), Code::Unauthenticated);
}

#[tokio::test]
async fn an_unknown_session_is_unauthenticated() {
    let app = spawn_app().await;
    // Signed with the deployment's own key, so only the session is unknown.
    let stranger = User::holding(cluster_signer().sign(&claims_for(
        "someone",
        "00000000-0000-4000-8000-000000000000",
        300,
    )));
    let episode_id = app.episode_id("Cowboy Bebop", 1);

    let status = app.stream_of(&stranger, &episode_id).await.unwrap_err();

    assert_eq!(status.code(), Code::Unauthenticated);
}

#[tokio::test]
async fn an_unknown_anime_is_not_found() {
    let app = spawn_app().await;
    let user = app.login(PREMIUM).await;

    let status = app
        .stream_by_number(&user, "0123456789abcdef", 1)
        .await
        .unwrap_err();

    assert_eq!(status.code(), Code::NotFound);
}

#[tokio::test]
async fn an_unknown_crunchyroll_episode_is_not_found() {
    let app = spawn_app().await;
    let user = app.login(PREMIUM).await;

    let status = app.stream_of(&user, "GZZZZZZZZ").await.unwrap_err();

    assert_eq!(status.code(), Code::NotFound);
}

#[tokio::test]
async fn an_episode_number_resolves_through_the_catalog_after_a_sync() {
    let app = spawn_app().await;
    let user = app.login(PREMIUM).await;
    app.sync_catalog().await;
    let anime_id = app.anime_id("Cowboy Bebop").await;

    let stream = app
        .stream_by_number(&user, &anime_id, 5)
        .await
        .expect("a stream");
    let missing = app
        .stream_by_number(&user, &anime_id, 999)
        .await
        .unwrap_err();

    assert!(
        stream
            .manifest_url
            .contains(&app.episode_id("Cowboy Bebop", 5)),
        "{stream:?}"
    );
    assert_eq!(missing.code(), Code::NotFound);
}

#[tokio::test]
async fn an_episode_not_matched_on_crunchyroll_is_not_found() {
    let app = spawn_app().await;
    let user = app.login(PREMIUM).await;
    let anime_id = app.anime_id("Cowboy Bebop").await;

    // Before any sync no episode carries a Crunchyroll id.
    let status = app.stream_by_number(&user, &anime_id, 1).await.unwrap_err();

    assert_eq!(status.code(), Code::NotFound);
}

#[tokio::test]
async fn a_crunchyroll_outage_is_unavailable_with_retry_after() {
    let app = spawn_app().await;
    let user = app.login(PREMIUM).await;
    let episode_id = app.episode_id("Cowboy Bebop", 1);
    app.crunchyroll_outage();

    let status = app.stream_of(&user, &episode_id).await.unwrap_err();

    assert_eq!(status.code(), Code::Unavailable);
    assert!(status.metadata().get("retry-after").is_some(), "{status:?}");
    assert!(app.simulator.stats().count(PLAY_ROUTE) >= 1);
}
