//! Objects by id (§4.6), movie listings, the 404 of single resources and id stability.

use serde_json::{Value, json};

use crate::helpers::{assert_error, spawn_sim, spawn_sim_with};

fn not_found() -> Value {
    json!({"code": "cms.resource_not_found", "context": [], "message": "resource not found"})
}

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
async fn objects_answer_panels_for_the_ids_found_and_skip_unknown_ones() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    let series = sim.catalog.series_by_title("Cowboy Bebop").expect("series");
    let episode = sim.episode_id("Cowboy Bebop", 2);
    let movie = sim
        .catalog
        .movie_by_title("Cowboy Bebop: The Movie")
        .expect("movie");
    let path = format!(
        "/content/v2/cms/objects/{},GZZZZZZZZ,{episode},{}",
        series.id, movie.listing_id
    );
    let body = sim.get_json(&path, &token).await;
    assert_eq!(body["total"], 3);
    let data = body["data"].as_array().expect("panels");
    assert_eq!(data[0]["type"], "series");
    assert_eq!(data[0]["series_metadata"]["season_count"], 1);
    assert_eq!(data[1]["type"], "episode");
    assert_eq!(data[1]["episode_metadata"]["episode_number"], 2);
    assert_eq!(data[1]["episode_metadata"]["series_id"], series.id.as_str());
    assert_eq!(data[2]["type"], "movie_listing");
    assert!(data[2]["movie_listing_metadata"]["first_movie_id"].is_string());
    assert_nested_images(&data[1]["images"], "thumbnail");
}

#[tokio::test]
async fn movie_listings_and_their_movies_are_served() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    let movie = sim
        .catalog
        .movie_by_title("Cowboy Bebop: The Movie")
        .expect("movie");
    let listing = sim
        .get_json(
            &format!("/content/v2/cms/movie_listings/{}", movie.listing_id),
            &token,
        )
        .await;
    assert_eq!(
        listing["data"][0]["first_movie_id"],
        movie.movie_id.as_str()
    );
    let movies = sim
        .get_json(
            &format!("/content/v2/cms/movie_listings/{}/movies", movie.listing_id),
            &token,
        )
        .await;
    assert_eq!(movies["data"][0]["id"], movie.movie_id.as_str());
    let single = sim
        .get_json(
            &format!("/content/v2/cms/movies/{}", movie.movie_id),
            &token,
        )
        .await;
    assert_eq!(single["data"][0]["duration_ms"], 6_900_000);
}

#[tokio::test]
async fn unknown_ids_answer_404_resource_not_found() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    let episode = sim.episode_id("Cowboy Bebop", 1);
    for path in [
        "/content/v2/cms/series/GZZZZZZZZ".to_owned(),
        "/content/v2/cms/series/GZZZZZZZZ/seasons".to_owned(),
        "/content/v2/cms/seasons/not-an-id".to_owned(),
        "/content/v2/cms/seasons/GZZZZZZZZ/episodes".to_owned(),
        "/content/v2/cms/episodes/GZZZZZZZZ".to_owned(),
        "/content/v2/cms/movie_listings/GZZZZZZZZ".to_owned(),
        format!("/content/v2/cms/series/{episode}"),
    ] {
        assert_error(sim.get(&path, &token).await, 404, not_found()).await;
    }
}

#[tokio::test]
async fn ids_are_the_same_in_every_simulator() {
    let first = spawn_sim().await;
    let second = spawn_sim_with(|settings| {
        settings.catalog_seed = 99;
        settings.extra_series = 50;
    })
    .await;
    for title in ["Cowboy Bebop", "Attack on Titan Season 3", "One Piece"] {
        assert_eq!(
            first.catalog.season_by_title(title),
            second.catalog.season_by_title(title)
        );
    }
    let id = first.episode_id("Cowboy Bebop", 1);
    assert!(id.starts_with('G') && id.len() == 9, "{id}");
    assert!(
        id.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    );
}
