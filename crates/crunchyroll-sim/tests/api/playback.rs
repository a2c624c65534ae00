//! The play service (§5): play, premium gating, the concurrent-stream limit and token lifecycle.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{assert_error, spawn_sim, spawn_sim_with, text};

async fn play_json(sim: &crate::helpers::TestSim, episode: &str, token: &str) -> Value {
    let response = sim.play(episode, token).await;
    assert_eq!(response.status(), 200, "play {episode}");
    response.json().await.expect("a play answer")
}

#[tokio::test]
async fn a_premium_account_plays_a_premium_only_episode_with_the_reference_shape() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    let episode = sim.episode_id("Cowboy Bebop", 4);
    let body = play_json(&sim, &episode, &token).await;
    assert_eq!(body["audioLocale"], "ja-JP");
    assert_eq!(body["audioRole"], "main");
    assert_eq!(body["bifs"], "");
    assert_eq!(body["burnedInLocale"], "");
    assert_eq!(body["captions"], json!({}));
    assert_eq!(body["playbackType"], "on_demand");
    assert!(body["assetId"].is_string());
    assert_eq!(body["hardSubs"]["en-US"]["hlang"], "en-US");
    assert_eq!(body["hardSubs"]["de-DE"]["quality"], "adaptive");
    assert_eq!(body["subtitles"]["en-US"]["format"], "ass");
    assert_eq!(body["subtitles"]["de-DE"]["language"], "de-DE");
    assert_eq!(body["session"]["renewSeconds"], 270);
    assert_eq!(body["session"]["sessionExpirationSeconds"], 21_600);
    assert_eq!(body["session"]["usesStreamLimits"], true);
    assert_eq!(body["versions"][0]["guid"], episode.as_str());
    let token_value = text(&body["token"]);
    let expected_url = sim.url(&format!("/_sim/media/{episode}/{token_value}/master.m3u8"));
    assert_eq!(body["url"], expected_url.as_str());
}

#[tokio::test]
async fn a_free_account_gets_403_premium_only_on_episode_4() {
    let sim = spawn_sim().await;
    let token = sim.free_token().await;
    let episode = sim.episode_id("Cowboy Bebop", 4);
    let expected =
        json!({"error": "PREMIUM_ONLY", "message": "This content requires a premium membership"});
    assert_error(sim.play(&episode, &token).await, 403, expected).await;
}

#[tokio::test]
async fn a_free_account_plays_episodes_1_to_3() {
    let sim = spawn_sim().await;
    let token = sim.free_token().await;
    let episode = sim.episode_id("Cowboy Bebop", 1);
    play_json(&sim, &episode, &token).await;
}

#[tokio::test]
async fn play_answers_on_the_bare_play_service_path_too() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    let episode = sim.episode_id("Cowboy Bebop", 2);
    let response = sim
        .get(&format!("/v3/{episode}/tv/android_tv/play"), &token)
        .await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn playing_an_unknown_episode_answers_404() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    let response = sim.play("GZZZZZZZZ", &token).await;
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn the_stream_limit_answers_420_listing_the_active_streams() {
    let sim = spawn_sim().await;
    let token = sim.free_token().await;
    let first = sim.episode_id("Cowboy Bebop", 1);
    let second = sim.episode_id("Cowboy Bebop", 2);
    let held = play_json(&sim, &first, &token).await;
    let response = sim.play(&second, &token).await;
    assert_eq!(response.status(), 420);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["error"], "TOO_MANY_ACTIVE_STREAMS");
    let active = body["activeStreams"].as_array().expect("activeStreams");
    assert_eq!(active.len(), 1);
    assert_eq!(active[0]["token"], held["token"]);
    assert_eq!(active[0]["contentId"], first.as_str());
    assert_eq!(active[0]["active"], true);
    for key in [
        "accountId",
        "deviceId",
        "createdTimestamp",
        "lastKeepAliveTimestamp",
        "ttl",
    ] {
        assert!(active[0].get(key).is_some(), "{key} missing");
    }
}

#[tokio::test]
async fn releasing_a_token_answers_204_and_frees_the_slot() {
    let sim = spawn_sim().await;
    let token = sim.free_token().await;
    let episode = sim.episode_id("Cowboy Bebop", 1);
    let held = play_json(&sim, &episode, &token).await;
    let release_path = format!("/playback/v1/token/{episode}/{}", text(&held["token"]));
    let released = sim.send(Method::DELETE, &release_path, &token).await;
    assert_eq!(released.status(), 204);
    play_json(&sim, &episode, &token).await;
    let again = sim.send(Method::DELETE, &release_path, &token).await;
    assert_eq!(again.status(), 404);
}

#[tokio::test]
async fn the_bare_release_path_frees_the_slot_too() {
    let sim = spawn_sim().await;
    let token = sim.free_token().await;
    let episode = sim.episode_id("Cowboy Bebop", 1);
    let held = play_json(&sim, &episode, &token).await;
    let path = format!("/v1/token/{episode}/{}", text(&held["token"]));
    assert_eq!(sim.send(Method::DELETE, &path, &token).await.status(), 204);
}

#[tokio::test]
async fn keep_alive_answers_an_empty_object_and_unknown_tokens_404() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    let episode = sim.episode_id("Cowboy Bebop", 3);
    let held = play_json(&sim, &episode, &token).await;
    let path = format!(
        "/playback/v1/token/{episode}/{}/keepAlive?playhead=42",
        text(&held["token"])
    );
    let response = sim.send(Method::PATCH, &path, &token).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.expect("json"), json!({}));
    let sessions = sim
        .get_json("/playback/v1/sessions/streaming", &token)
        .await;
    assert_eq!(sessions["items"][0]["playhead"], 42);
    let unknown = format!("/playback/v1/token/{episode}/not-a-token/keepAlive?playhead=1");
    assert_eq!(
        sim.send(Method::PATCH, &unknown, &token).await.status(),
        404
    );
}

#[tokio::test]
async fn streaming_sessions_list_only_the_callers_streams() {
    let sim = spawn_sim().await;
    let premium = sim.premium_token().await;
    let free = sim.free_token().await;
    let first = sim.episode_id("Cowboy Bebop", 1);
    let second = sim.episode_id("Cowboy Bebop", 2);
    play_json(&sim, &first, &premium).await;
    play_json(&sim, &second, &premium).await;
    play_json(&sim, &first, &free).await;
    let premium_sessions = sim
        .get_json("/playback/v1/sessions/streaming", &premium)
        .await;
    let items = premium_sessions["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|item| item["subscription"] == "premium"));
    let free_sessions = sim.get_json("/v1/sessions/streaming", &free).await;
    assert_eq!(free_sessions["items"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn stream_tokens_born_expired_never_count_toward_the_limit() {
    let sim = spawn_sim_with(|settings| settings.stream_token_ttl_seconds = 0).await;
    let token = sim.free_token().await;
    let episode = sim.episode_id("Cowboy Bebop", 1);
    play_json(&sim, &episode, &token).await;
    play_json(&sim, &episode, &token).await;
    let sessions = sim
        .get_json("/playback/v1/sessions/streaming", &token)
        .await;
    assert_eq!(sessions["items"], json!([]));
}
