//! The user-scoped stream cache: a user's repeated request reuses their stream, and no user ever
//! receives another's.

use crate::helpers::{FREE, PREMIUM, spawn_app, spawn_app_with};

#[tokio::test]
async fn two_users_asking_for_the_same_episode_each_get_only_their_own_url() {
    let app = spawn_app().await;
    let premium = app.login(PREMIUM).await;
    let free = app.login(FREE).await;
    let episode_id = app.episode_id("Cowboy Bebop", 2);

    let premium_first = app
        .stream_of(&premium, &episode_id)
        .await
        .expect("a stream");
    let free_first = app.stream_of(&free, &episode_id).await.expect("a stream");
    let premium_again = app
        .stream_of(&premium, &episode_id)
        .await
        .expect("a stream");
    let free_again = app.stream_of(&free, &episode_id).await.expect("a stream");

    assert_ne!(premium_first.manifest_url, free_first.manifest_url);
    assert_ne!(premium_first.stream_token, free_first.stream_token);
    assert_eq!(premium_again.manifest_url, premium_first.manifest_url);
    assert_eq!(free_again.manifest_url, free_first.manifest_url);
}

#[tokio::test]
async fn a_repeated_request_is_served_from_the_cache_without_a_new_upstream_stream() {
    let app = spawn_app().await;
    let user = app.login(FREE).await;
    let episode_id = app.episode_id("Cowboy Bebop", 1);

    let first = app.stream_of(&user, &episode_id).await.expect("a stream");
    // The free account has one slot: a second upstream play would be refused.
    let second = app.stream_of(&user, &episode_id).await.expect("a stream");

    assert_eq!(first.stream_token, second.stream_token);
}

#[tokio::test]
async fn a_released_stream_is_not_served_from_the_cache() {
    let app = spawn_app().await;
    let user = app.login(PREMIUM).await;
    let episode_id = app.episode_id("Cowboy Bebop", 1);
    let first = app.stream_of(&user, &episode_id).await.expect("a stream");

    app.release(&user, &first.stream_token)
        .await
        .expect("released");
    let second = app.stream_of(&user, &episode_id).await.expect("a stream");

    assert_ne!(first.stream_token, second.stream_token);
}

#[tokio::test]
async fn with_no_cache_room_every_request_opens_a_new_stream() {
    let app = spawn_app_with(|settings| settings.cache_max_entries = 0).await;
    let user = app.login(PREMIUM).await;
    let episode_id = app.episode_id("Cowboy Bebop", 1);

    let first = app.stream_of(&user, &episode_id).await.expect("a stream");
    let second = app.stream_of(&user, &episode_id).await.expect("a stream");

    assert_ne!(first.stream_token, second.stream_token);
}

#[tokio::test]
async fn concurrent_requests_of_one_user_for_one_episode_open_one_stream() {
    let app = spawn_app().await;
    // The free account has one slot: a second upstream play would be refused.
    let user = app.login(FREE).await;
    let episode_id = app.episode_id("Cowboy Bebop", 3);

    let (first, second, third) = tokio::join!(
        app.stream_of(&user, &episode_id),
        app.stream_of(&user, &episode_id),
        app.stream_of(&user, &episode_id),
    );

    let first = first.expect("a stream");
    assert_eq!(second.expect("a stream").stream_token, first.stream_token);
    assert_eq!(third.expect("a stream").stream_token, first.stream_token);
}
