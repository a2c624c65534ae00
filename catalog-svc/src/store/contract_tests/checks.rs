//! The checks of the storage contract, each run against every backend.

use serde_json::json;

use super::fixture::{SPY_FAMILY, document, fixture_records, id_of, import_fixture, page, search};
use crate::domain::{
    AnimeFilter, AnimeId, AnimeSort, RawAnimeFilter, RelationKind, Season, TagCategory,
};
use crate::import::{CatalogFormat, Progress, import_bytes, parse_record};
use crate::search::MatchKind;
use crate::store::{CatalogStore, UpsertOutcome};

pub(super) async fn import_rejects_bad_records_with_their_position_and_a_second_import_changes_nothing(
    store: &dyn CatalogStore,
) {
    let bytes = document(fixture_records());
    let first = import_bytes(store, &bytes, CatalogFormat::Json, Progress::Hidden)
        .await
        .expect("import");
    assert_eq!(
        (
            first.records,
            first.inserted,
            first.updated,
            first.unchanged
        ),
        (6, 4, 0, 0)
    );
    let positions: Vec<&str> = first
        .rejected
        .iter()
        .map(|rejection| rejection.position.as_str())
        .collect();
    assert_eq!(positions, ["record 5", "record 6"]);
    assert!(
        first.rejected[0].reason.contains("`type`"),
        "{:?}",
        first.rejected[0]
    );
    assert!(
        first.rejected[1].reason.contains("sources"),
        "{:?}",
        first.rejected[1]
    );
    assert_eq!(first.relations.added, 2);

    let second = import_bytes(store, &bytes, CatalogFormat::Json, Progress::Hidden)
        .await
        .expect("import");
    assert_eq!(
        (second.inserted, second.updated, second.unchanged),
        (0, 0, 4)
    );
    assert_eq!((second.relations.added, second.relations.removed), (0, 0));
    assert_eq!(store.anime_count().await.expect("count"), 4);
}

pub(super) async fn get_anime_returns_synonyms_tags_sources_and_resolved_relations(
    store: &dyn CatalogStore,
) {
    import_fixture(store).await;
    let id = id_of(store, "SPY x FAMILY").await;
    let anime = store.get_anime(&id).await.expect("get").expect("found");
    assert_eq!(anime.summary.title, "SPY x FAMILY");
    assert_eq!(anime.summary.season, Some(Season::Spring));
    assert_eq!(anime.summary.year, Some(2022));
    assert_eq!(anime.synonyms, ["Spy Family", "SPY×FAMILY"]);
    assert_eq!(anime.sources, [SPY_FAMILY]);
    assert_eq!(anime.studios, ["Wit Studio"]);
    assert_eq!(anime.synopsis, "A spy builds a fake family.");
    assert_eq!(anime.episode_duration_seconds, Some(1440));
    let tags: Vec<(&str, TagCategory)> = anime
        .tags
        .iter()
        .map(|tag| (tag.name.as_str(), tag.category))
        .collect();
    assert_eq!(
        tags,
        [
            ("action", TagCategory::Genre),
            ("childcare", TagCategory::Theme),
            ("comedy", TagCategory::Genre),
            ("shounen", TagCategory::Demographic)
        ]
    );
    assert_eq!(anime.relations.len(), 1);
    assert_eq!(anime.relations[0].kind, RelationKind::Sequel);
    assert_eq!(anime.relations[0].anime.title, "SPY x FAMILY Season 2");

    let unknown = AnimeId::parse("0000000000000000", "id").expect("well-formed");
    assert!(store.get_anime(&unknown).await.expect("get").is_none());
}

pub(super) async fn search_is_case_and_accent_insensitive_typo_tolerant_and_ranked(
    store: &dyn CatalogStore,
) {
    import_fixture(store).await;
    let search = |query: &'static str| search(store, query, 10);
    let spy_family = id_of(store, "SPY x FAMILY").await;
    let typo = search("spy famly").await;
    assert_eq!(
        typo.first().map(|hit| hit.anime_id.as_str()),
        Some(spy_family.as_str())
    );
    assert_eq!(typo.first().map(|hit| hit.kind), Some(MatchKind::Fuzzy));
    assert!(
        typo.iter()
            .any(|hit| hit.matched == "SPY x FAMILY Season 2")
    );
    assert!(!typo.iter().any(|hit| hit.matched == "Pokémon"));

    let synonym = search("shingeki").await;
    assert_eq!(
        synonym.first().map(|hit| hit.matched.as_str()),
        Some("Shingeki no Kyojin")
    );
    assert_eq!(
        synonym.first().map(|hit| hit.kind),
        Some(MatchKind::Synonym)
    );

    let accent = search("POKEMON").await;
    assert_eq!(
        accent.first().map(|hit| (hit.matched.as_str(), hit.kind)),
        Some(("Pokémon", MatchKind::Exact))
    );

    let prefix = search("sp").await;
    assert_eq!(prefix.first().map(|hit| hit.kind), Some(MatchKind::Prefix));
    assert_eq!(
        prefix.first().map(|hit| hit.matched.as_str()),
        Some("SPY x FAMILY")
    );

    assert!(search("zzzzqqq").await.is_empty());
}

pub(super) async fn browse_season_pages_through_one_season_in_title_order(
    store: &dyn CatalogStore,
) {
    import_fixture(store).await;
    let season = |year: u32, season: Season| {
        let raw = RawAnimeFilter {
            year_from: Some(year),
            year_to: Some(year),
            season: Some(season),
            ..RawAnimeFilter::default()
        };
        AnimeFilter::parse(raw, "").expect("a valid filter")
    };
    let spring_2022 = store
        .list_anime(&season(2022, Season::Spring), AnimeSort::default(), None, 5)
        .await
        .expect("browse");
    let titles: Vec<&str> = spring_2022
        .iter()
        .map(|listed| listed.summary.title.as_str())
        .collect();
    assert_eq!(titles, ["SPY x FAMILY"]);
    let after_the_last = store
        .list_anime(
            &season(2022, Season::Spring),
            AnimeSort::default(),
            Some(&spring_2022[0].position),
            5,
        )
        .await
        .expect("browse");
    assert!(after_the_last.is_empty());
    assert!(
        store
            .list_anime(&season(2013, Season::Fall), AnimeSort::default(), None, 5)
            .await
            .expect("browse")
            .is_empty()
    );
}

pub(super) async fn list_tags_counts_anime_and_filters_by_category(store: &dyn CatalogStore) {
    import_fixture(store).await;
    let all = store.list_tags(None, None, 100).await.expect("tags");
    let action = all
        .iter()
        .find(|count| count.tag.name == "action")
        .expect("action");
    assert_eq!(action.anime_count, 3);
    let names: Vec<&str> = all.iter().map(|count| count.tag.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted);
    let demographics = store
        .list_tags(Some(TagCategory::Demographic), None, 100)
        .await
        .expect("tags");
    let demographic_names: Vec<&str> = demographics
        .iter()
        .map(|count| count.tag.name.as_str())
        .collect();
    assert_eq!(demographic_names, ["kids", "shounen"]);
    let first_page = store.list_tags(None, None, 2).await.expect("tags");
    let last_of_first = first_page[1].tag.name.as_str();
    let second = store
        .list_tags(None, Some(last_of_first), 2)
        .await
        .expect("tags");
    assert_eq!(
        second.first().map(|count| count.tag.name.as_str()),
        names.get(2).copied()
    );
}

pub(super) async fn episodes_follow_the_episode_count_and_page_in_order(store: &dyn CatalogStore) {
    import_fixture(store).await;
    let id = id_of(store, "Attack on Titan").await;
    let first_page = page(10, "");
    let mut episodes = store
        .list_episodes(&id, first_page)
        .await
        .expect("episodes")
        .expect("anime exists");
    let next = first_page.finish(&mut episodes);
    assert_eq!(
        episodes
            .iter()
            .map(|episode| episode.number)
            .collect::<Vec<_>>(),
        (1..=10).collect::<Vec<_>>()
    );
    assert_eq!(episodes[0].duration_seconds, Some(1440));
    let last = store
        .list_episodes(&id, page(20, &next))
        .await
        .expect("episodes")
        .expect("anime exists");
    assert_eq!(
        last.iter()
            .map(|episode| episode.number)
            .collect::<Vec<_>>(),
        (11..=25).collect::<Vec<_>>()
    );
    let unknown = AnimeId::parse("ffffffffffffffff", "id").expect("well-formed");
    assert!(
        store
            .list_episodes(&unknown, page(10, ""))
            .await
            .expect("episodes")
            .is_none()
    );
}

pub(super) async fn a_changed_record_is_updated_in_place_with_its_id(store: &dyn CatalogStore) {
    import_fixture(store).await;
    let id = id_of(store, "Attack on Titan").await;
    let mut records = fixture_records();
    records[2]["title"] = json!("Shingeki no Kyojin");
    records[2]["synonyms"] = json!(["AoT"]);
    records[2]["sources"] = json!([
        "https://anilist.co/anime/16498",
        "https://myanimelist.net/anime/16498"
    ]);
    let report = import_bytes(
        store,
        &document(records),
        CatalogFormat::Json,
        Progress::Hidden,
    )
    .await
    .expect("import");
    assert_eq!((report.updated, report.unchanged), (1, 3));
    let anime = store.get_anime(&id).await.expect("get").expect("same id");
    assert_eq!(anime.summary.title, "Shingeki no Kyojin");
    assert_eq!(anime.synonyms, ["AoT"]);
    let old_title = search(store, "attack on titan", 10).await;
    assert!(!old_title.iter().any(|hit| hit.matched == "Attack on Titan"));
}

pub(super) async fn json_lines_import_skips_the_metadata_line_and_reports_bad_lines(
    store: &dyn CatalogStore,
) {
    let records = fixture_records();
    let mut lines = vec![json!({"repository": "test", "lastUpdate": "2026-11-01"}).to_string()];
    lines.push(records[0].to_string());
    lines.push("{not json".to_owned());
    lines.push(records[2].to_string());
    let report = import_bytes(
        store,
        lines.join("\n").as_bytes(),
        CatalogFormat::JsonLines,
        Progress::Hidden,
    )
    .await
    .expect("import");
    assert_eq!(report.inserted, 2);
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.rejected[0].position, "line 3");
    assert!(report.rejected[0].reason.starts_with("invalid JSON"));
}

pub(super) async fn upsert_reports_unchanged_for_identical_data(store: &dyn CatalogStore) {
    let record = parse_record(fixture_records().remove(3)).expect("valid");
    let first = store
        .upsert_anime_batch(std::slice::from_ref(&record))
        .await
        .expect("upsert");
    let second = store
        .upsert_anime_batch(std::slice::from_ref(&record))
        .await
        .expect("upsert");
    let written: Vec<(AnimeId, UpsertOutcome)> = first
        .into_iter()
        .chain(second)
        .map(|outcome| outcome.expect("written"))
        .collect();
    let outcomes: Vec<UpsertOutcome> = written.iter().map(|(_, outcome)| *outcome).collect();
    assert_eq!(
        outcomes,
        [UpsertOutcome::Inserted, UpsertOutcome::Unchanged]
    );
    assert_eq!(written[0].0, written[1].0);
}
