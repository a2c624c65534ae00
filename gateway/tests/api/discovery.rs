//! Discovery through the REST API on the sample catalog: filtered and paged search, current and
//! upcoming seasons, similar anime and franchises.

use serde_json::Value;
use time::{Month, OffsetDateTime};

use crate::helpers::{TestApp, assert_problem, error_fields, spawn_app};

fn data(body: &Value) -> &Vec<Value> {
    body["data"].as_array().expect("a list")
}

async fn id_of(app: &TestApp, title: &str) -> String {
    let query: String = form_urlencoded::byte_serialize(title.as_bytes()).collect();
    let hits = app
        .get_json(&format!("/api/v1/search?q={query}&limit=1"))
        .await;
    let hit = &data(&hits)[0]["anime"];
    assert_eq!(hit["title"], title);
    hit["id"].as_str().expect("an id").to_owned()
}

#[tokio::test]
async fn filters_narrow_search_and_a_cursor_pages_it() {
    let app = spawn_app().await;

    let everything = app.get_json("/api/v1/search?q=naruto&limit=100").await;
    let movies = app.get_json("/api/v1/search?q=naruto&type=movie").await;
    let recent = app.get_json("/api/v1/search?q=naruto&year_from=2007").await;
    let first = app.get_json("/api/v1/search?q=naruto&limit=1").await;
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let second = app
        .get_json(&format!("/api/v1/search?q=naruto&limit=1&cursor={cursor}"))
        .await;
    let other_query = app
        .get(&format!("/api/v1/search?q=bleach&limit=1&cursor={cursor}"))
        .await;

    assert!(data(&everything).len() >= 2);
    assert!(data(&movies).len() < data(&everything).len());
    assert!(
        data(&movies)
            .iter()
            .all(|hit| hit["anime"]["type"] == "movie")
    );
    assert!(!data(&recent).is_empty());
    assert!(
        data(&recent)
            .iter()
            .all(|hit| hit["anime"]["year"].as_u64() >= Some(2007))
    );
    assert_eq!(
        data(&second)[0]["anime"]["id"],
        data(&everything)[1]["anime"]["id"]
    );
    let problem = assert_problem(other_query, 400).await;
    assert_eq!(error_fields(&problem), ["cursor"]);
}

#[tokio::test]
async fn search_refuses_sort_and_malformed_filters_naming_them() {
    let app = spawn_app().await;
    let sorted = assert_problem(app.get("/api/v1/search?q=naruto&sort=title").await, 400).await;
    let bad_type = assert_problem(app.get("/api/v1/search?q=naruto&type=film").await, 400).await;
    assert_eq!(error_fields(&sorted), ["sort"]);
    assert_eq!(error_fields(&bad_type), ["type"]);
}

/// The season airing now, by the same quarters the gateway uses.
fn season_now() -> (i32, &'static str) {
    let now = OffsetDateTime::now_utc();
    let season = match now.month() {
        Month::January | Month::February | Month::March => "winter",
        Month::April | Month::May | Month::June => "spring",
        Month::July | Month::August | Month::September => "summer",
        _ => "fall",
    };
    (now.year(), season)
}

#[tokio::test]
async fn current_and_upcoming_browse_the_season_of_the_clock_and_the_next() {
    let app = spawn_app().await;
    let (year, season) = season_now();
    let (next_year, next_season) = match season {
        "winter" => (year, "spring"),
        "spring" => (year, "summer"),
        "summer" => (year, "fall"),
        _ => (year + 1, "winter"),
    };

    let current = app
        .get_json("/api/v1/browse/season/current?limit=100")
        .await;
    let by_path = app
        .get_json(&format!("/api/v1/browse/season/{year}/{season}?limit=100"))
        .await;
    let upcoming = app
        .get_json("/api/v1/browse/season/upcoming?limit=100")
        .await;
    let upcoming_by_path = app
        .get_json(&format!(
            "/api/v1/browse/season/{next_year}/{next_season}?limit=100"
        ))
        .await;
    let bad_flag = app
        .get("/api/v1/browse/season/current?continuing=yes")
        .await;

    assert_eq!(current["data"], by_path["data"]);
    assert_eq!(upcoming["data"], upcoming_by_path["data"]);
    let problem = assert_problem(bad_flag, 400).await;
    assert_eq!(error_fields(&problem), ["continuing"]);
}

#[tokio::test]
async fn continuing_adds_the_ongoing_anime_that_started_earlier() {
    let app = spawn_app().await;
    let plain = app
        .get_json("/api/v1/browse/season/2022/spring?limit=100")
        .await;
    let continuing = app
        .get_json("/api/v1/browse/season/2022/spring?limit=100&continuing=true")
        .await;

    let titles = |body: &Value| -> Vec<String> {
        data(body)
            .iter()
            .filter_map(|anime| anime["title"].as_str().map(str::to_owned))
            .collect()
    };
    assert!(
        titles(&continuing).contains(&"One Piece".to_owned()),
        "{:?}",
        titles(&continuing)
    );
    assert!(!titles(&plain).contains(&"One Piece".to_owned()));
    assert!(
        titles(&plain)
            .iter()
            .all(|title| titles(&continuing).contains(title))
    );
}

#[tokio::test]
async fn similar_anime_of_a_sample_title_are_mostly_of_its_genres() {
    let app = spawn_app().await;
    let evangelion = id_of(&app, "Neon Genesis Evangelion").await;
    let detail = app.get_json(&format!("/api/v1/anime/{evangelion}")).await;
    let genres: Vec<String> = detail["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .filter(|tag| tag["category"] == "genre")
        .filter_map(|tag| tag["name"].as_str().map(str::to_owned))
        .collect();

    let similar = app
        .get_json(&format!("/api/v1/anime/{evangelion}/similar?limit=10"))
        .await;
    let with_franchise = app
        .get_json(&format!(
            "/api/v1/anime/{evangelion}/similar?limit=10&include_franchise=true"
        ))
        .await;

    assert!(!genres.is_empty(), "{detail}");
    let of_its_genres = data(&similar)
        .iter()
        .filter(|one| {
            let shared = one["shared_tags"].as_array().expect("shared tags");
            shared
                .iter()
                .filter(|tag| genres.iter().any(|genre| tag.as_str() == Some(genre)))
                .count()
                >= 2
        })
        .count();
    assert_eq!(data(&similar).len(), 10);
    assert!(
        of_its_genres >= 7,
        "{of_its_genres} of 10 share its genres: {similar}"
    );
    let titles = |body: &Value| -> Vec<String> {
        data(body)
            .iter()
            .filter_map(|one| one["anime"]["title"].as_str().map(str::to_owned))
            .collect()
    };
    let end_of_evangelion = "The End of Evangelion".to_owned();
    assert!(!titles(&similar).contains(&end_of_evangelion));
    assert!(titles(&with_franchise).contains(&end_of_evangelion));
}

#[tokio::test]
async fn a_franchise_is_its_prequel_sequel_chain_in_order() {
    let app = spawn_app().await;
    let shippuden = id_of(&app, "Naruto: Shippuden").await;

    let franchise = app
        .get_json(&format!("/api/v1/anime/{shippuden}/franchise"))
        .await;
    let unknown = app.get("/api/v1/anime/0000000000000000/franchise").await;
    let with_parameter = app
        .get(&format!("/api/v1/anime/{shippuden}/franchise?limit=5"))
        .await;

    let titles: Vec<&str> = data(&franchise)
        .iter()
        .filter_map(|anime| anime["title"].as_str())
        .collect();
    let naruto = titles.iter().position(|title| *title == "Naruto");
    let sequel = titles
        .iter()
        .position(|title| *title == "Naruto: Shippuden");
    assert!(naruto < sequel && naruto.is_some(), "{titles:?}");
    assert!(franchise["next_cursor"].is_null());
    assert_problem(unknown, 404).await;
    let problem = assert_problem(with_parameter, 400).await;
    assert_eq!(error_fields(&problem), ["limit"]);
}
