use crate::helpers::{Storage, assert_problem, error_fields, spawn_app, spawn_app_with};

#[tokio::test]
async fn search_with_a_typo_lists_spy_x_family_first() {
    let app = spawn_app().await;
    let body = app.get_json("/api/v1/search?q=spy%20famly").await;
    assert_eq!(body["data"][0]["anime"]["title"], "SPY x FAMILY");
    assert_eq!(body["data"][0]["match_kind"], "fuzzy");
    assert!(body["next_cursor"].is_null());
}

#[tokio::test]
async fn search_finds_attack_on_titan_through_its_synonym() {
    let app = spawn_app().await;
    let body = app.get_json("/api/v1/search?q=shingeki").await;
    assert_eq!(body["data"][0]["anime"]["title"], "Attack on Titan");
    assert_eq!(body["data"][0]["match_kind"], "synonym");
}

#[tokio::test]
async fn search_is_case_insensitive_and_ranks_the_exact_title_first() {
    let app = spawn_app().await;
    let body = app
        .get_json("/api/v1/search?q=ATTACK%20ON%20TITAN&limit=5")
        .await;
    assert_eq!(body["data"][0]["anime"]["title"], "Attack on Titan");
    assert_eq!(body["data"][0]["match_kind"], "exact");
    assert!(body["data"].as_array().expect("a list").len() <= 5);
}

#[tokio::test]
async fn search_works_the_same_on_postgres() {
    let app = spawn_app_with(Storage::Postgres, |_| {}).await;
    let body = app.get_json("/api/v1/search?q=spy%20famly").await;
    assert_eq!(body["data"][0]["anime"]["title"], "SPY x FAMILY");
}

#[tokio::test]
async fn search_returns_400_when_the_query_is_one_character() {
    let app = spawn_app().await;
    let problem = assert_problem(app.get("/api/v1/search?q=a").await, 400).await;
    assert_eq!(error_fields(&problem), ["q"]);
}

#[tokio::test]
async fn search_returns_400_when_the_query_is_missing() {
    let app = spawn_app().await;
    let problem = assert_problem(app.get("/api/v1/search").await, 400).await;
    assert_eq!(error_fields(&problem), ["q"]);
}

#[tokio::test]
async fn search_returns_400_for_a_limit_of_zero_or_not_a_number() {
    let app = spawn_app().await;
    for limit in ["0", "101", "ten"] {
        let problem = assert_problem(
            app.get(&format!("/api/v1/search?q=naruto&limit={limit}"))
                .await,
            400,
        )
        .await;
        assert_eq!(error_fields(&problem), ["limit"], "limit={limit}");
    }
}

#[tokio::test]
async fn search_reports_every_invalid_field_at_once() {
    let app = spawn_app().await;
    let problem = assert_problem(app.get("/api/v1/search?q=a&limit=0").await, 400).await;
    assert_eq!(error_fields(&problem), ["q", "limit"]);
}
