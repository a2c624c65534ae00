//! `GET /api/v1/anime/by-source`: an anime found by its MyAnimeList, AniList, Kitsu or AniDB page.

use serde_json::json;

use crate::helpers::{assert_problem, error_fields, spawn_app};

#[tokio::test]
async fn an_anime_is_found_by_each_source_form() {
    let app = spawn_app().await;
    let expected = app.id_of("SPY x FAMILY").await;
    for query in [
        "url=https://myanimelist.net/anime/50265",
        "url=https://myanimelist.net/anime/50265/Spy_x_Family",
        "url=https://anilist.co/anime/140960",
        "mal=50265",
        "anilist=140960",
    ] {
        let body = app
            .get_json(&format!("/api/v1/anime/by-source?{query}"))
            .await;
        assert_eq!(body["id"], expected.as_str(), "{query}");
        assert_eq!(body["title"], "SPY x FAMILY", "{query}");
    }
}

#[tokio::test]
async fn a_source_no_anime_lists_is_404() {
    let app = spawn_app().await;
    for query in ["kitsu=999999", "anidb=999999", "mal=999999999"] {
        let response = app.get(&format!("/api/v1/anime/by-source?{query}")).await;
        assert_problem(response, 404).await;
    }
}

#[tokio::test]
async fn a_malformed_source_is_400_naming_the_parameter() {
    let app = spawn_app().await;
    for (query, parameter) in [
        ("url=https://example.com/anime/1", "url"),
        ("url=https://myanimelist.net/manga/1", "url"),
        ("mal=abc", "mal"),
        ("anilist=-3", "anilist"),
    ] {
        let response = app.get(&format!("/api/v1/anime/by-source?{query}")).await;
        let problem = assert_problem(response, 400).await;
        assert_eq!(error_fields(&problem), [parameter], "{query}");
    }
}

#[tokio::test]
async fn exactly_one_source_is_required() {
    let app = spawn_app().await;
    for query in ["", "?mal=50265&anilist=140960"] {
        let response = app.get(&format!("/api/v1/anime/by-source{query}")).await;
        let problem = assert_problem(response, 400).await;
        assert_eq!(error_fields(&problem), ["url"], "{query}");
    }
}

#[tokio::test]
async fn a_batch_takes_source_references_beside_ids() {
    let app = spawn_app().await;
    let spy_family = app.id_of("SPY x FAMILY").await;
    let attack_on_titan = app.id_of("Attack on Titan").await;
    let requested = json!({"ids": [
        spy_family,
        "https://myanimelist.net/anime/16498",
        "anilist:140960",
        "kitsu:999999",
    ]});
    let response = app.post_json("/api/v1/anime/batch", &requested).await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.expect("json");
    let entries = body["data"].as_array().expect("a list");
    let answered: Vec<(&str, &str, &str)> = entries
        .iter()
        .map(|entry| {
            (
                entry["id"].as_str().unwrap_or_default(),
                entry["status"].as_str().unwrap_or_default(),
                entry["anime"]["id"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        answered,
        [
            (spy_family.as_str(), "found", spy_family.as_str()),
            (
                "https://myanimelist.net/anime/16498",
                "found",
                attack_on_titan.as_str()
            ),
            ("anilist:140960", "found", spy_family.as_str()),
            ("kitsu:999999", "not_found", ""),
        ]
    );
}
