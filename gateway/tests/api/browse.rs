use crate::helpers::{assert_problem, error_fields, spawn_app};

#[tokio::test]
async fn a_season_lists_the_anime_that_started_in_it() {
    let app = spawn_app().await;
    let body = app
        .get_json("/api/v1/browse/season/2022/spring?limit=100")
        .await;
    let titles: Vec<&str> = body["data"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|anime| anime["title"].as_str())
        .collect();
    assert!(titles.contains(&"SPY x FAMILY"), "{titles:?}");
    assert!(
        body["data"]
            .as_array()
            .expect("a list")
            .iter()
            .all(|anime| anime["year"] == 2022 && anime["season"] == "spring")
    );
}

#[tokio::test]
async fn a_season_pages_with_a_cursor() {
    let app = spawn_app().await;
    let all = app
        .get_json("/api/v1/browse/season/2022/spring?limit=100")
        .await;
    let total = all["data"].as_array().expect("a list").len();
    assert!(total >= 2, "the sample has several spring 2022 titles");
    let first = app
        .get_json("/api/v1/browse/season/2022/spring?limit=1")
        .await;
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let second = app
        .get_json(&format!(
            "/api/v1/browse/season/2022/spring?limit=1&cursor={cursor}"
        ))
        .await;
    assert_eq!(first["data"][0]["id"], all["data"][0]["id"]);
    assert_eq!(second["data"][0]["id"], all["data"][1]["id"]);
}

#[tokio::test]
async fn an_unknown_season_or_year_is_400_naming_the_field() {
    let app = spawn_app().await;
    let problem = assert_problem(app.get("/api/v1/browse/season/2022/autumn").await, 400).await;
    assert_eq!(error_fields(&problem), ["season"]);
    let problem = assert_problem(app.get("/api/v1/browse/season/twenty/fall").await, 400).await;
    assert_eq!(error_fields(&problem), ["year"]);
    let problem = assert_problem(app.get("/api/v1/browse/season/1500/fall").await, 400).await;
    assert_eq!(error_fields(&problem), ["year"]);
}

#[tokio::test]
async fn seasons_list_every_year_and_season_newest_first_with_counts() {
    let app = spawn_app().await;
    let body = app.get_json("/api/v1/seasons").await;
    let seasons = body["data"].as_array().expect("a list");
    assert!(body["next_cursor"].is_null());
    let spring_2013 = seasons
        .iter()
        .find(|entry| entry["year"] == 2013 && entry["season"] == "spring")
        .expect("spring 2013 is listed");
    let browsed = app
        .get_json("/api/v1/browse/season/2013/spring?limit=100")
        .await;
    let browsed_count = browsed["data"].as_array().map(Vec::len).unwrap_or_default();
    assert!(
        browsed["next_cursor"].is_null(),
        "one page holds the season"
    );
    assert_eq!(spring_2013["anime_count"], browsed_count);
    let years: Vec<u64> = seasons
        .iter()
        .filter_map(|entry| entry["year"].as_u64())
        .collect();
    assert!(
        years.windows(2).all(|pair| pair[0] >= pair[1]),
        "newest first"
    );
}
