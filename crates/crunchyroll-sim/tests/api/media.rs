//! The media URLs the play answer hands out: HLS playlists, segments and ASS subtitles.

use reqwest::Method;
use serde_json::Value;

use crate::helpers::{spawn_sim, text};

async fn play(sim: &crate::helpers::TestSim, token: &str) -> Value {
    let episode = sim.episode_id("Cowboy Bebop", 1);
    let response = sim.play(&episode, token).await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("a play answer")
}

async fn fetch(sim: &crate::helpers::TestSim, url: &str) -> reqwest::Response {
    sim.client.get(url).send().await.expect("request is sent")
}

#[tokio::test]
async fn the_manifest_url_serves_an_hls_master_playlist() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    let body = play(&sim, &token).await;
    let response = fetch(&sim, &text(&body["url"])).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.apple.mpegurl"
    );
    let playlist = response.text().await.expect("text");
    assert!(playlist.starts_with("#EXTM3U"), "{playlist}");
    assert!(playlist.contains("#EXT-X-STREAM-INF"));
    let hard_sub = fetch(&sim, &text(&body["hardSubs"]["de-DE"]["url"])).await;
    assert_eq!(hard_sub.status(), 200);
}

#[tokio::test]
async fn variant_playlists_segments_and_subtitles_are_served() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    let body = play(&sim, &token).await;
    let master = text(&body["url"]);
    let base = master.trim_end_matches("master.m3u8");
    let variant = fetch(&sim, &format!("{base}variant/720p.m3u8")).await;
    assert_eq!(variant.status(), 200);
    let playlist = variant.text().await.expect("text");
    assert!(playlist.contains("#EXT-X-ENDLIST"));
    assert_eq!(
        playlist.matches("#EXTINF").count(),
        144,
        "24 minutes in 10 s segments"
    );
    let segment = fetch(&sim, &format!("{base}segment/720p/0.ts")).await;
    assert_eq!(segment.headers()["content-type"], "video/mp2t");
    let subtitles = fetch(&sim, &text(&body["subtitles"]["en-US"]["url"])).await;
    assert_eq!(subtitles.status(), 200);
    assert!(
        subtitles.headers()["content-type"]
            .to_str()
            .is_ok_and(|value| value.starts_with("text/x-ssa"))
    );
    let script = subtitles.text().await.expect("text");
    assert!(script.starts_with("[Script Info]"));
    assert!(script.contains("Dialogue:"));
}

#[tokio::test]
async fn a_released_tokens_manifest_answers_404() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    let body = play(&sim, &token).await;
    let episode = sim.episode_id("Cowboy Bebop", 1);
    let release = format!("/playback/v1/token/{episode}/{}", text(&body["token"]));
    assert_eq!(
        sim.send(Method::DELETE, &release, &token).await.status(),
        204
    );
    let response = fetch(&sim, &text(&body["url"])).await;
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn media_urls_use_the_configured_public_base_url() {
    let sim = crate::helpers::spawn_sim_with(|settings| {
        settings.public_base_url = "https://sim.example.test/".to_owned();
    })
    .await;
    let token = sim.premium_token().await;
    let body = play(&sim, &token).await;
    assert!(text(&body["url"]).starts_with("https://sim.example.test/_sim/media/"));
}
