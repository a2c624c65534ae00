use crate::helpers::{assert_problem, error_fields, spawn_app};

#[tokio::test]
async fn fields_selects_only_the_named_fields_of_a_resource() {
    let app = spawn_app().await;
    let id = app.id_of("SPY x FAMILY").await;
    let anime = app
        .get_json(&format!("/api/v1/anime/{id}?fields=title,tags.name"))
        .await;
    let object = anime.as_object().expect("an object");
    assert_eq!(object.keys().collect::<Vec<_>>(), ["tags", "title"]);
    assert_eq!(anime["title"], "SPY x FAMILY");
    assert!(
        anime["tags"]
            .as_array()
            .expect("tags")
            .iter()
            .all(|tag| tag.as_object().map(|tag| tag.len()) == Some(1))
    );
}

#[tokio::test]
async fn fields_applies_to_each_item_of_a_list_and_keeps_the_envelope() {
    let app = spawn_app().await;
    let page = app
        .get_json("/api/v1/browse/season/2022/spring?limit=1&fields=id")
        .await;
    assert!(page["next_cursor"].is_string());
    let item = page["data"][0].as_object().expect("an item");
    assert_eq!(item.keys().collect::<Vec<_>>(), ["id"]);
}

#[tokio::test]
async fn a_malformed_fields_parameter_is_400() {
    let app = spawn_app().await;
    let problem = assert_problem(app.get("/api/v1/tags?fields=Name..x").await, 400).await;
    assert_eq!(error_fields(&problem), ["fields"]);
}
