//! `GET /api/v1/anime`: the sample catalog filtered, sorted and paged by sealed cursor.

use serde_json::Value;

use crate::helpers::{TestApp, assert_problem, error_fields, spawn_app};

fn items(body: &Value) -> &Vec<Value> {
    body["data"].as_array().expect("a list")
}

/// Every page of `path` (which holds a `?`), following `next_cursor` to the end.
async fn every_page(app: &TestApp, path: &str) -> Vec<Value> {
    let mut anime = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page_path = match &cursor {
            Some(cursor) => format!("{path}&cursor={cursor}"),
            None => path.to_owned(),
        };
        let body = app.get_json(&page_path).await;
        anime.extend(items(&body).iter().cloned());
        match body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return anime,
        }
    }
}

#[tokio::test]
async fn the_top_list_is_sorted_by_score_descending_with_scores_and_popularity() {
    let app = spawn_app().await;
    let body = app.get_json("/api/v1/anime?sort=-score&limit=10").await;
    let scores: Vec<f64> = items(&body)
        .iter()
        .map(|anime| anime["score"].as_f64().expect("a score"))
        .collect();
    assert_eq!(scores.len(), 10);
    assert!(
        scores.windows(2).all(|pair| pair[0] >= pair[1]),
        "{scores:?}"
    );
    assert!(
        items(&body)
            .iter()
            .all(|anime| anime["popularity"].as_u64().is_some_and(|count| count >= 1))
    );
    let id = items(&body)[0]["id"].as_str().expect("an id");
    let detail = app.get_json(&format!("/api/v1/anime/{id}")).await;
    assert_eq!(detail["score"], items(&body)[0]["score"]);
    assert!(detail["score_aggregates"]["median"].is_number());
}

#[tokio::test]
async fn filters_narrow_the_list_to_matching_anime() {
    let app = spawn_app().await;
    let anime = every_page(
        &app,
        "/api/v1/anime?type=tv&status=finished&year_from=2015&year_to=2020&tag=action&limit=50",
    )
    .await;
    assert!(!anime.is_empty());
    for entry in &anime {
        assert_eq!(entry["type"], "tv", "{entry}");
        assert_eq!(entry["status"], "finished", "{entry}");
        let year = entry["year"].as_u64().expect("a year");
        assert!((2015..=2020).contains(&year), "{entry}");
    }
    let movies = app.get_json("/api/v1/anime?type=movie&limit=100").await;
    assert!(items(&movies).iter().all(|entry| entry["type"] == "movie"));
    let both = app
        .get_json("/api/v1/anime?type=movie&type=ova&limit=100")
        .await;
    assert!(items(&both).len() >= items(&movies).len());
}

#[tokio::test]
async fn paging_with_next_cursor_lists_every_anime_once_and_ends_with_null() {
    let app = spawn_app().await;
    let everything = every_page(&app, "/api/v1/anime?sort=-year&limit=100").await;
    let paged = every_page(&app, "/api/v1/anime?sort=-year&limit=7").await;
    let ids = |anime: &[Value]| -> Vec<String> {
        anime
            .iter()
            .map(|entry| entry["id"].as_str().expect("an id").to_owned())
            .collect()
    };
    assert_eq!(ids(&paged), ids(&everything));
}

#[tokio::test]
async fn a_tampered_or_foreign_cursor_is_400_naming_cursor() {
    let app = spawn_app().await;
    let first = app.get_json("/api/v1/anime?sort=score&limit=2").await;
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let mut tampered = cursor.to_owned();
    let last = tampered.pop().expect("a character");
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    for path in [
        format!("/api/v1/anime?sort=score&limit=2&cursor={tampered}"),
        format!("/api/v1/anime?sort=-score&limit=2&cursor={cursor}"),
        format!("/api/v1/anime?sort=score&limit=2&sfw=true&cursor={cursor}"),
        "/api/v1/anime?cursor=bm90LWEtY3Vyc29y".to_owned(),
    ] {
        let problem = assert_problem(app.get(&path).await, 400).await;
        assert_eq!(error_fields(&problem), ["cursor"], "{path}");
    }
}

#[tokio::test]
async fn malformed_filters_and_sorts_are_400_naming_each() {
    let app = spawn_app().await;
    let cases = [
        ("type=series", "type"),
        ("status=airing", "status"),
        ("season=autumn", "season"),
        ("year_from=soon", "year_from"),
        ("year_from=2020&year_to=2010", "year_to"),
        ("min_score=high", "min_score"),
        ("min_score=11", "min_score"),
        ("sfw=yes", "sfw"),
        ("sort=rating", "sort"),
        ("limit=0", "limit"),
        ("sort=title&sort=year", "sort"),
    ];
    for (query, field) in cases {
        let problem = assert_problem(app.get(&format!("/api/v1/anime?{query}")).await, 400).await;
        assert_eq!(error_fields(&problem), [field], "{query}");
    }
}

#[tokio::test]
async fn season_browse_takes_the_list_filters() {
    let app = spawn_app().await;
    let body = app
        .get_json("/api/v1/browse/season/2022/spring?type=tv&min_score=7&limit=100")
        .await;
    assert!(
        items(&body).iter().all(|entry| entry["type"] == "tv"
            && entry["score"].as_f64().is_some_and(|score| score >= 7.0))
    );
    let problem = assert_problem(
        app.get("/api/v1/browse/season/2022/spring?year_from=2020")
            .await,
        400,
    )
    .await;
    assert_eq!(error_fields(&problem), ["year_from"]);
}
