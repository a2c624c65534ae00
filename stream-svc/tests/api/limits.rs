//! The account's stream limit: reported as RESOURCE_EXHAUSTED with `retry-after` and the active
//! stream count; releasing a stream frees a slot.

use tonic::Code;

use crate::helpers::{FREE, spawn_app};

#[tokio::test]
async fn the_stream_limit_is_reported_with_retry_after_and_releasing_frees_a_slot() {
    let app = spawn_app().await;
    let user = app.login(FREE).await;
    let first_episode = app.episode_id("Cowboy Bebop", 1);
    let second_episode = app.episode_id("Cowboy Bebop", 2);
    let playing = app
        .stream_of(&user, &first_episode)
        .await
        .expect("the one free slot");

    let refused = app.stream_of(&user, &second_episode).await.unwrap_err();

    assert_eq!(refused.code(), Code::ResourceExhausted);
    assert_eq!(
        refused
            .metadata()
            .get("retry-after")
            .map(|value| value.to_str().unwrap()),
        Some("30")
    );
    assert_eq!(
        refused
            .metadata()
            .get("active-streams")
            .map(|value| value.to_str().unwrap()),
        Some("1")
    );
    assert!(refused.message().contains("1 active"), "{refused:?}");

    app.release(&user, &playing.stream_token)
        .await
        .expect("released");
    let second = app.stream_of(&user, &second_episode).await;

    assert!(second.is_ok(), "{second:?}");
}

#[tokio::test]
async fn releasing_an_unknown_stream_token_is_not_found() {
    let app = spawn_app().await;
    let user = app.login(FREE).await;
    let episode_id = app.episode_id("Cowboy Bebop", 1);

    let status = app
        .release(&user, &format!("{episode_id}.not-a-token"))
        .await
        .unwrap_err();
    let malformed = app.release(&user, "garbage").await.unwrap_err();

    assert_eq!(status.code(), Code::NotFound);
    assert_eq!(malformed.code(), Code::NotFound);
}
