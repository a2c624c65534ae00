use crate::helpers::{assert_problem, error_fields, spawn_app};

#[tokio::test]
async fn tags_list_their_category_and_anime_count() {
    let app = spawn_app().await;
    let body = app.get_json("/api/v1/tags?limit=100").await;
    let tags = body["data"].as_array().expect("a list");
    let action = tags
        .iter()
        .find(|tag| tag["name"] == "action")
        .expect("the action tag");
    assert_eq!(action["category"], "genre");
    assert!(action["anime_count"].as_u64().expect("a count") > 1);
}

#[tokio::test]
async fn tags_filter_by_category() {
    let app = spawn_app().await;
    let body = app
        .get_json("/api/v1/tags?category=demographic&limit=100")
        .await;
    let tags = body["data"].as_array().expect("a list");
    assert!(tags.iter().any(|tag| tag["name"] == "shounen"));
    assert!(tags.iter().all(|tag| tag["category"] == "demographic"));
}

#[tokio::test]
async fn an_unknown_category_is_400() {
    let app = spawn_app().await;
    let problem = assert_problem(app.get("/api/v1/tags?category=mood").await, 400).await;
    assert_eq!(error_fields(&problem), ["category"]);
}
