//! Series, seasons and episodes (§4.3-4.5, §4.11).

use serde_json::{Value, json};

use crate::helpers::{spawn_sim, text};

const NEVER: &str = "9998-11-30T08:00:00Z";

fn assert_nested_images(images: &Value, kind: &str) {
    let sizes = images[kind][0].as_array().expect("an array of arrays");
    assert!(!sizes.is_empty(), "{kind}");
    for image in sizes {
        assert_eq!(image["type"], kind);
        assert!(
            image["source"]
                .as_str()
                .is_some_and(|url| url.starts_with("https://"))
        );
        assert!(image["width"].is_u64() && image["height"].is_u64());
    }
}

#[tokio::test]
async fn a_series_answers_a_one_element_envelope_with_the_reference_fields() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    let series = sim
        .catalog
        .series_by_title("Attack on Titan")
        .expect("a series");
    let body = sim
        .get_json(&format!("/content/v2/cms/series/{}", series.id), &token)
        .await;
    assert_eq!(body["total"], 1);
    assert_eq!(body["meta"], json!({}));
    let data = &body["data"][0];
    assert_eq!(data["id"], series.id.as_str());
    assert_eq!(data["title"], "Attack on Titan");
    assert_eq!(data["season_count"], 6);
    assert_eq!(data["series_launch_year"], 2013);
    assert_eq!(data["episode_count"], series.episode_count);
    assert!(
        data["description"]
            .as_str()
            .is_some_and(|text| !text.is_empty())
    );
    assert!(
        data["tenant_categories"]
            .as_array()
            .is_some_and(|c| c.contains(&json!("Action")))
    );
    assert!(data["keywords"].is_array());
    assert!(
        data.get("content_provider").is_some(),
        "present even when null"
    );
    assert_nested_images(&data["images"], "poster_tall");
    assert_nested_images(&data["images"], "poster_wide");
}

#[tokio::test]
async fn series_seasons_list_every_sequel_in_order_without_paging() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    let series = sim
        .catalog
        .series_by_title("My Hero Academia")
        .expect("a series");
    let body = sim
        .get_json(
            &format!("/content/v2/cms/series/{}/seasons?n=2", series.id),
            &token,
        )
        .await;
    let seasons = body["data"].as_array().expect("seasons");
    assert_eq!(body["total"], seasons.len());
    assert_eq!(seasons.len(), 7);
    for (number, season) in (1..).zip(seasons) {
        assert_eq!(season["season_number"], number);
        assert_eq!(season["series_id"], series.id.as_str());
        assert!(
            text(&season["season_tags"][0]).contains('-'),
            "a seasonal tag"
        );
    }
    assert_eq!(seasons[1]["title"], "My Hero Academia Season 2");
}

#[tokio::test]
async fn a_film_between_two_arcs_starts_a_new_series() {
    let sim = spawn_sim().await;
    let arc = sim
        .catalog
        .season_by_title("Demon Slayer: Kimetsu no Yaiba - Entertainment District Arc")
        .expect("a season");
    assert_eq!(arc.season_number, 1);
    assert!(
        sim.catalog
            .movie_by_title("Demon Slayer: Kimetsu no Yaiba - The Movie: Mugen Train")
            .is_some()
    );
}

#[tokio::test]
async fn a_season_and_its_episodes_link_forward_except_the_last() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    let season = sim
        .catalog
        .season_by_title("Cowboy Bebop")
        .expect("a season");
    let body = sim
        .get_json(&format!("/content/v2/cms/seasons/{}", season.id), &token)
        .await;
    assert_eq!(body["data"][0]["number_of_episodes"], 26);
    assert_eq!(body["data"][0]["season_tags"], json!(["spring-1998"]));
    let body = sim
        .get_json(
            &format!("/content/v2/cms/seasons/{}/episodes", season.id),
            &token,
        )
        .await;
    let episodes = body["data"].as_array().expect("episodes");
    assert_eq!(body["total"], 26);
    assert_eq!(episodes.len(), 26);
    for pair in episodes.windows(2) {
        assert_eq!(pair[0]["next_episode_id"], pair[1]["id"]);
        assert_eq!(pair[0]["next_episode_title"], pair[1]["title"]);
    }
    let last = episodes.last().expect("a last episode");
    assert!(last.get("next_episode_id").is_none());
    assert_eq!(episodes[0]["episode_air_date"], "1998-04-01T15:00:00Z");
    assert_eq!(episodes[1]["episode_air_date"], "1998-04-08T15:00:00Z");
}

#[tokio::test]
async fn an_episode_has_the_reference_field_set() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    let id = sim.episode_id("Cowboy Bebop", 4);
    let body = sim
        .get_json(&format!("/content/v2/cms/episodes/{id}"), &token)
        .await;
    assert_eq!(body["total"], 1);
    let episode = &body["data"][0];
    assert_eq!(episode["episode_number"], 4);
    assert_eq!(episode["sequence_number"], 4.0);
    assert_eq!(episode["episode"], "4");
    assert_eq!(episode["series_title"], "Cowboy Bebop");
    assert_eq!(episode["duration_ms"], 1_440_000);
    assert_eq!(episode["is_premium_only"], true);
    assert_eq!(episode["free_available_date"], NEVER);
    assert_eq!(episode["audio_locale"], "ja-JP");
    assert!(text(&episode["identifier"]).ends_with("|S1|E4"));
    assert_nested_images(&episode["images"], "thumbnail");
    assert!(
        episode.get("ad_breaks").is_none(),
        "premium accounts see no ads"
    );
    let first = sim.episode_id("Cowboy Bebop", 1);
    let body = sim
        .get_json(&format!("/content/v2/cms/episodes/{first}"), &token)
        .await;
    assert_eq!(body["data"][0]["is_premium_only"], false);
}

#[tokio::test]
async fn free_accounts_see_ad_breaks() {
    let sim = spawn_sim().await;
    let token = sim.free_token().await;
    let id = sim.episode_id("Cowboy Bebop", 1);
    let body = sim
        .get_json(&format!("/content/v2/cms/episodes/{id}"), &token)
        .await;
    assert_eq!(body["data"][0]["ad_breaks"][0]["type"], "preroll");
}

#[tokio::test]
async fn some_season_has_a_special_with_a_null_episode_number_and_a_half_sequence() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    let season = sim
        .catalog
        .seasons_with_specials()
        .into_iter()
        .next()
        .expect("one season in ten has a special");
    let body = sim
        .get_json(
            &format!("/content/v2/cms/seasons/{}/episodes", season.id),
            &token,
        )
        .await;
    let special = body["data"]
        .as_array()
        .expect("episodes")
        .iter()
        .find(|episode| episode["episode_number"].is_null())
        .expect("a special")
        .clone();
    assert_eq!(
        special["sequence_number"].as_f64().map(f64::fract),
        Some(0.5)
    );
    assert_eq!(special["episode"], "SP");
}

#[tokio::test]
async fn the_never_sentinel_marks_open_ended_availability() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    let id = sim.episode_id("Cowboy Bebop", 1);
    let body = sim
        .get_json(&format!("/content/v2/cms/episodes/{id}"), &token)
        .await;
    assert_eq!(body["data"][0]["availability_ends"], NEVER);
}

#[tokio::test]
async fn some_seasons_answer_versions_null() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    let browse = sim
        .get_json("/content/v2/discover/browse?type=series&n=100", &token)
        .await;
    let mut null_versions = 0;
    for series in browse["data"].as_array().expect("series") {
        let seasons = sim
            .get_json(
                &format!("/content/v2/cms/series/{}/seasons", text(&series["id"])),
                &token,
            )
            .await;
        let seasons = seasons["data"].as_array().expect("seasons").clone();
        null_versions += seasons
            .iter()
            .filter(|season| season["versions"].is_null())
            .count();
    }
    assert!(
        null_versions > 0,
        "about one season in five has versions: null"
    );
}

#[tokio::test]
async fn seasons_are_capped_at_200_episodes() {
    let sim = spawn_sim().await;
    let one_piece = sim.catalog.season_by_title("One Piece").expect("One Piece");
    let episodes = sim.catalog.episodes_of_season(&one_piece.id);
    let numbered = episodes
        .iter()
        .filter(|e| e.episode_number.is_some())
        .count();
    assert_eq!(numbered, 200);
}
