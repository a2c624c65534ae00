use kensho_crunchyroll::content::model::Episode;
use kensho_crunchyroll::{CrunchyrollClient, CrunchyrollError, TokenManager};

use crate::helpers::{FREE, PREMIUM, TestSim, series_id, spawn_sim, user};

async fn first_season_episodes(
    client: &CrunchyrollClient,
    auth: &TokenManager,
    title: &str,
) -> Vec<Episode> {
    let id = series_id(client, auth, title).await;
    let seasons = client.seasons(auth, &id).await.expect("seasons");
    client
        .episodes(auth, &seasons[0].id)
        .await
        .expect("episodes")
}

async fn fetch(sim: &TestSim, url: &str) -> (u16, String) {
    let response = sim
        .http
        .get(url)
        .send()
        .await
        .expect("the simulator serves it");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a body"))
}

#[tokio::test]
async fn premium_plays_a_stream_whose_manifest_can_be_fetched_until_released() {
    let sim = spawn_sim().await;
    let client = sim.client();
    let auth = user(&client, PREMIUM);
    let episodes = first_season_episodes(&client, &auth, "SPY x FAMILY").await;
    let premium_only = episodes
        .iter()
        .find(|episode| episode.is_premium_only)
        .expect("a premium-only episode");
    let stream = client
        .play(&auth, &premium_only.id)
        .await
        .expect("premium may play it");
    assert!(!stream.token.is_empty());
    assert!(!stream.subtitles.is_empty());
    assert!(
        stream
            .subtitles
            .values()
            .all(|track| !track.url.is_empty() && !track.language.is_empty())
    );
    let (status, manifest) = fetch(&sim, &stream.url).await;
    assert_eq!(status, 200);
    assert!(manifest.starts_with("#EXTM3U"));
    client
        .keep_alive(&auth, &premium_only.id, &stream.token, 42)
        .await
        .expect("keep-alive");
    client
        .release_stream(&auth, &premium_only.id, &stream.token)
        .await
        .expect("release");
    assert_eq!(fetch(&sim, &stream.url).await.0, 404);
}

#[tokio::test]
async fn a_free_account_plays_free_episodes_but_not_premium_only_ones() {
    let sim = spawn_sim().await;
    let client = sim.client();
    let auth = user(&client, FREE);
    let episodes = first_season_episodes(&client, &auth, "SPY x FAMILY").await;
    let free = episodes
        .iter()
        .find(|episode| !episode.is_premium_only)
        .expect("a free episode");
    let premium_only = episodes
        .iter()
        .find(|episode| episode.is_premium_only)
        .expect("a premium-only episode");
    let refused = client.play(&auth, &premium_only.id).await;
    assert!(
        matches!(refused, Err(CrunchyrollError::PremiumOnly)),
        "{refused:?}"
    );
    let stream = client
        .play(&auth, &free.id)
        .await
        .expect("free episode plays");
    client
        .release_stream(&auth, &free.id, &stream.token)
        .await
        .expect("release");
}

#[tokio::test]
async fn the_stream_limit_is_reported_and_a_release_frees_a_slot() {
    let sim = spawn_sim().await;
    let client = sim.client();
    let auth = user(&client, FREE);
    let episodes = first_season_episodes(&client, &auth, "SPY x FAMILY").await;
    let free = episodes
        .iter()
        .find(|episode| !episode.is_premium_only)
        .expect("a free episode");
    let first = client
        .play(&auth, &free.id)
        .await
        .expect("the one allowed stream");
    let over = client.play(&auth, &free.id).await;
    assert!(
        matches!(
            over,
            Err(CrunchyrollError::TooManyActiveStreams { active_streams: 1 })
        ),
        "{over:?}"
    );
    client
        .release_stream(&auth, &free.id, &first.token)
        .await
        .expect("release");
    client
        .play(&auth, &free.id)
        .await
        .expect("a slot is free again");
}

#[tokio::test]
async fn playing_an_unknown_episode_is_not_found() {
    let sim = spawn_sim().await;
    let client = sim.client();
    let auth = user(&client, PREMIUM);
    let result = client.play(&auth, "GNOTHERE9").await;
    assert!(
        matches!(result, Err(CrunchyrollError::NotFound)),
        "{result:?}"
    );
}
