use kensho_crunchyroll::content::{BrowseQuery, BrowseSort};
use kensho_crunchyroll::{CrunchyrollError, TokenManager};

use crate::helpers::{series_id, spawn_sim};

#[tokio::test]
async fn search_groups_results_by_type_and_finds_a_series() {
    let sim = spawn_sim().await;
    let client = sim.client();
    let auth = TokenManager::anonymous(client.clone());
    let groups = client
        .search(&auth, "SPY x FAMILY", &["series", "episode"], 0, 10)
        .await
        .expect("search works");
    let kinds: Vec<&str> = groups.iter().map(|group| group.kind.as_str()).collect();
    assert_eq!(kinds, ["series", "episode"]);
    let series = &groups[0];
    assert!(series.count >= 1);
    assert!(
        series
            .items
            .iter()
            .any(|panel| panel.title == "SPY x FAMILY" && panel.series_metadata.is_some())
    );
}

#[tokio::test]
async fn a_series_lists_its_seasons_and_each_season_its_episodes() {
    let sim = spawn_sim().await;
    let client = sim.client();
    let auth = TokenManager::anonymous(client.clone());
    let id = series_id(&client, &auth, "Attack on Titan").await;
    let series = client.series(&auth, &id).await.expect("the series");
    assert_eq!(series.title, "Attack on Titan");
    assert_eq!(series.series_launch_year, Some(2013));
    assert!(
        !series.images.poster_tall.is_empty(),
        "nested image arrays are flattened"
    );
    let seasons = client.seasons(&auth, &id).await.expect("seasons");
    assert!(
        seasons.len() >= 2,
        "Attack on Titan has sequels in the sample catalog"
    );
    assert_eq!(seasons[0].season_number, 1);
    let episodes = client
        .episodes(&auth, &seasons[0].id)
        .await
        .expect("episodes");
    assert_eq!(episodes.len(), 25);
    let first = &episodes[0];
    assert_eq!(first.episode_number, Some(1));
    assert_eq!(first.season_id, seasons[0].id);
    assert!(
        first.air_date().is_some_and(|date| date.year() == 2013),
        "{:?}",
        first.air_date()
    );
    assert!(first.duration_ms > 0);
    assert_eq!(
        first.next_episode_id.as_deref(),
        Some(episodes[1].id.as_str())
    );
    assert!(
        episodes
            .last()
            .is_some_and(|last| last.next_episode_id.is_none())
    );
    let single = client.episode(&auth, &first.id).await.expect("one episode");
    assert_eq!(single.title, first.title);
}

#[tokio::test]
async fn unknown_ids_are_not_found_and_left_out_of_objects() {
    let sim = spawn_sim().await;
    let client = sim.client();
    let auth = TokenManager::anonymous(client.clone());
    let missing = client.series(&auth, "GNOTHERE1").await;
    assert!(
        matches!(missing, Err(CrunchyrollError::NotFound)),
        "{missing:?}"
    );
    let missing_episode = client.episode(&auth, "GNOTHERE2").await;
    assert!(
        matches!(missing_episode, Err(CrunchyrollError::NotFound)),
        "{missing_episode:?}"
    );
    let id = series_id(&client, &auth, "SPY x FAMILY").await;
    let objects = client
        .objects(&auth, &[&id, "GNOTHERE3"])
        .await
        .expect("objects");
    assert_eq!(objects.len(), 1);
    assert_eq!(objects[0].id, id);
    assert_eq!(objects[0].kind, "series");
}

#[tokio::test]
async fn a_malformed_id_is_refused_before_any_request() {
    let sim = spawn_sim().await;
    let client = sim.client();
    let auth = TokenManager::anonymous(client.clone());
    let result = client.series(&auth, "../auth/v1/token").await;
    assert!(matches!(result, Err(CrunchyrollError::NotFound)));
    assert_eq!(sim.calls_to("/content/").await, 0);
}

#[tokio::test]
async fn browse_filters_by_seasonal_tag_and_pages() {
    let sim = spawn_sim().await;
    let client = sim.client();
    let auth = TokenManager::anonymous(client.clone());
    let tags = client.seasonal_tags(&auth).await.expect("seasonal tags");
    assert!(
        tags.iter().any(|tag| tag.id == "spring-2022"),
        "{:?}",
        tags.iter().map(|tag| &tag.id).collect::<Vec<_>>()
    );
    let query = BrowseQuery {
        sort: BrowseSort::Alphabetical,
        seasonal_tag: Some("spring-2022".to_owned()),
        page_size: 2,
        ..BrowseQuery::default()
    };
    let first = client.browse(&auth, &query).await.expect("browse");
    assert!(first.total >= 2);
    assert_eq!(first.data.len(), 2);
    let second = client
        .browse(
            &auth,
            &BrowseQuery {
                start: 2,
                ..query.clone()
            },
        )
        .await
        .expect("browse");
    assert!(
        second
            .data
            .iter()
            .all(|panel| first.data.iter().all(|earlier| earlier.id != panel.id))
    );
    let categories = client.categories(&auth).await.expect("categories");
    assert!(categories.iter().any(|category| category.id == "action"));
}
