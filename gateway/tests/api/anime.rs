use serde_json::{Value, json};

use crate::helpers::{assert_problem, error_fields, spawn_app};

#[tokio::test]
async fn anime_detail_shows_tags_relations_and_sources() {
    let app = spawn_app().await;
    let id = app.id_of("SPY x FAMILY").await;
    let anime = app.get_json(&format!("/api/v1/anime/{id}")).await;
    assert_eq!(anime["id"], id.as_str());
    assert_eq!(anime["title"], "SPY x FAMILY");
    assert_eq!(anime["type"], "tv");
    let tags = anime["tags"].as_array().expect("tags");
    assert!(!tags.is_empty());
    assert!(
        tags.iter()
            .all(|tag| tag["name"].is_string() && tag["category"].is_string())
    );
    let relations = anime["relations"].as_array().expect("relations");
    assert!(
        relations
            .iter()
            .any(|relation| relation["kind"] == "sequel"),
        "SPY x FAMILY has a sequel in the sample catalog: {relations:?}"
    );
    assert!(
        anime["sources"][0]
            .as_str()
            .expect("a source")
            .starts_with("https://myanimelist.net/anime/")
    );
}

#[tokio::test]
async fn an_unknown_id_is_404() {
    let app = spawn_app().await;
    let problem = assert_problem(app.get("/api/v1/anime/0000000000000000").await, 404).await;
    assert_eq!(problem["instance"], "/api/v1/anime/0000000000000000");
}

#[tokio::test]
async fn a_malformed_id_is_400_naming_the_field() {
    let app = spawn_app().await;
    let problem = assert_problem(app.get("/api/v1/anime/not-an-id").await, 400).await;
    assert_eq!(error_fields(&problem), ["id"]);
}

#[tokio::test]
async fn episodes_page_with_a_cursor_until_the_last_page() {
    let app = spawn_app().await;
    let id = app.id_of("Attack on Titan").await;
    let anime = app.get_json(&format!("/api/v1/anime/{id}")).await;
    let episode_count = anime["episode_count"].as_u64().expect("a count");
    assert!(episode_count > 10);
    let mut numbers = Vec::new();
    let mut path = format!("/api/v1/anime/{id}/episodes?limit=10");
    loop {
        let page = app.get_json(&path).await;
        numbers.extend(
            page["data"]
                .as_array()
                .expect("a list")
                .iter()
                .map(|episode| episode["number"].as_u64()),
        );
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/anime/{id}/episodes?limit=10&cursor={cursor}"),
            None => break,
        }
    }
    let expected: Vec<Option<u64>> = (1..=episode_count).map(Some).collect();
    assert_eq!(numbers, expected);
}

#[tokio::test]
async fn episodes_of_an_unknown_anime_are_404_and_a_bad_cursor_is_400() {
    let app = spawn_app().await;
    assert_problem(
        app.get("/api/v1/anime/0000000000000000/episodes").await,
        404,
    )
    .await;
    let id = app.id_of("Attack on Titan").await;
    let problem = assert_problem(
        app.get(&format!("/api/v1/anime/{id}/episodes?cursor=garbage"))
            .await,
        400,
    )
    .await;
    assert_eq!(error_fields(&problem), ["cursor"]);
}

#[tokio::test]
async fn batch_reports_each_id_found_or_not_found() {
    let app = spawn_app().await;
    let id = app.id_of("SPY x FAMILY").await;
    let response = app
        .client
        .post(format!("{}/api/v1/anime/batch", app.address))
        .json(&json!({"ids": [id, "0000000000000000"]}))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["data"][0]["status"], "found");
    assert_eq!(body["data"][0]["anime"]["title"], "SPY x FAMILY");
    assert_eq!(body["data"][1]["status"], "not_found");
}

#[tokio::test]
async fn batch_refuses_more_than_100_ids_and_malformed_bodies() {
    let app = spawn_app().await;
    let too_many: Vec<String> = (0..101).map(|index| format!("{index:016x}")).collect();
    let url = format!("{}/api/v1/anime/batch", app.address);
    let response = app
        .client
        .post(&url)
        .json(&json!({"ids": too_many}))
        .send()
        .await
        .expect("sent");
    let problem = assert_problem(response, 400).await;
    assert_eq!(error_fields(&problem), ["ids"]);
    let response = app
        .client
        .post(&url)
        .header("content-type", "application/json")
        .body("{\"ids\": [")
        .send()
        .await
        .expect("sent");
    let problem = assert_problem(response, 400).await;
    assert_eq!(error_fields(&problem), ["body"]);
}
