//! Filtered search, similar anime and franchises, on every backend: the search index is built
//! from the store, so what it filters and compares by must read back alike from both.

use std::collections::HashSet;
use std::sync::Arc;

use serde_json::json;

use super::fixture::{built_index, document, id_of, import_fixture, record};
use super::list_checks::{EVERY_TITLE, filter_cases, import_list_records};
use crate::catalog::Catalog;
use crate::domain::{AnimeFilter, CursorKey, RawAnimeFilter, SearchLimit, Season};
use crate::import::{CatalogFormat, Progress, import_bytes};
use crate::search::normalize;
use crate::store::{CatalogStore, SqlCatalogStore};

pub(super) async fn every_filter_narrows_search_to_the_anime_the_list_keeps(
    store: &dyn CatalogStore,
) {
    import_list_records(store).await;
    let index = built_index(store).await;
    for (name, raw, expected) in filter_cases() {
        let filter = AnimeFilter::parse(raw, "").expect("a valid filter");
        let found: Vec<&str> = EVERY_TITLE
            .into_iter()
            .filter(|title| {
                let hits = index
                    .search(&normalize(title), &filter, 10)
                    .expect("search");
                hits.iter().any(|hit| hit.matched == *title)
            })
            .collect();
        assert_eq!(found, expected, "{name}");
    }
}

pub(super) async fn the_index_follows_changed_filter_values(store: &dyn CatalogStore) {
    import_list_records(store).await;
    let index = built_index(store).await;
    let movies = AnimeFilter::parse(
        RawAnimeFilter {
            types: vec![crate::domain::AnimeType::Movie],
            ..RawAnimeFilter::default()
        },
        "",
    )
    .expect("valid");
    assert!(
        index
            .search("alpha", &movies, 5)
            .expect("search")
            .is_empty()
    );
    let alpha_as_movie = record(
        "https://myanimelist.net/anime/101",
        "Alpha",
        "SPRING",
        2010,
        1,
        json!({"type": "MOVIE", "tags": ["action", "mecha"]}),
    );
    import_bytes(
        store,
        &document(vec![alpha_as_movie]),
        CatalogFormat::Json,
        Progress::Hidden,
    )
    .await
    .expect("import");
    index.catch_up(store).await.expect("catch up");
    let hits = index.search("alpha", &movies, 5).expect("search");
    assert_eq!(hits.len(), 1, "{hits:?}");
}

/// A catalog over `store`, its index built.
async fn catalog_over(store: &dyn CatalogStore, shared: Arc<dyn CatalogStore>) -> Catalog {
    let index = built_index(store).await;
    Catalog::new(shared, index, CursorKey::generate().expect("key"), None)
}

pub(super) async fn similar_anime_share_rare_tags_and_leave_out_the_franchise(
    store: &SqlCatalogStore,
) {
    import_fixture(store).await;
    import_list_records(store).await;
    let catalog = catalog_over(store, Arc::new(store.clone())).await;
    let spy_family = id_of(store, "SPY x FAMILY").await;
    let limit = SearchLimit::parse(Some(20), "limit").expect("limit");

    let without_franchise = catalog
        .similar(&spy_family, limit, false)
        .await
        .expect("similar");
    let with_franchise = catalog
        .similar(&spy_family, limit, true)
        .await
        .expect("similar");

    let titles = |results: &[crate::catalog::SimilarResult]| -> Vec<String> {
        results.iter().map(|one| one.anime.title.clone()).collect()
    };
    let franchise: HashSet<String> = catalog
        .franchise(&spy_family)
        .await
        .expect("franchise")
        .into_iter()
        .map(|anime| anime.title)
        .collect();
    assert!(franchise.len() >= 2, "{franchise:?}");
    assert!(
        titles(&without_franchise)
            .iter()
            .all(|title| !franchise.contains(title)),
        "{:?}",
        titles(&without_franchise)
    );
    let first_with = with_franchise.first().expect("a similar anime");
    assert!(
        franchise.contains(&first_with.anime.title),
        "{:?}",
        titles(&with_franchise)
    );
    assert!(first_with.relation.is_some());
    assert!(
        without_franchise
            .iter()
            .all(|one| !one.shared_tags.is_empty() && one.score > 0.0)
    );
    assert!(
        without_franchise
            .windows(2)
            .all(|pair| pair[0].score >= pair[1].score)
    );
}

pub(super) async fn a_franchise_lists_prequels_before_sequels(store: &SqlCatalogStore) {
    let mal = |number: u32| format!("https://myanimelist.net/anime/{number}");
    // Written sequel first, and the film out of calendar order, so neither the import order nor
    // the years give the answer.
    let records = vec![
        record(
            &mal(903),
            "Saga Part Three",
            "FALL",
            2001,
            12,
            json!({"relatedAnime": [mal(902)], "kensho": {"prequel": mal(902)}}),
        ),
        record(
            &mal(901),
            "Saga Part One",
            "SPRING",
            2005,
            12,
            json!({"relatedAnime": [mal(902), mal(904)], "kensho": {"sequel": mal(902)}}),
        ),
        record(
            &mal(902),
            "Saga Part Two",
            "SPRING",
            2003,
            12,
            json!({"relatedAnime": [mal(901), mal(903)],
                   "kensho": {"prequel": mal(901), "sequel": mal(903)}}),
        ),
        record(
            &mal(904),
            "Saga Side Story",
            "SPRING",
            1999,
            1,
            json!({"relatedAnime": [mal(901)]}),
        ),
    ];
    import_bytes(
        store,
        &document(records),
        CatalogFormat::Json,
        Progress::Hidden,
    )
    .await
    .expect("import");
    store.resolve_relations().await.expect("relations");
    let catalog = catalog_over(store, Arc::new(store.clone())).await;
    let part_two = id_of(store, "Saga Part Two").await;

    let franchise: Vec<String> = catalog
        .franchise(&part_two)
        .await
        .expect("franchise")
        .into_iter()
        .map(|anime| anime.title)
        .collect();

    assert_eq!(
        franchise,
        ["Saga Part One", "Saga Part Two", "Saga Part Three"]
    );
}

pub(super) async fn continuing_keeps_ongoing_anime_that_started_earlier(store: &dyn CatalogStore) {
    import_list_records(store).await;
    // Charlie: ongoing, spring 2018. Foxtrot: upcoming, summer 2005.
    let spring_2020 = |continuing: bool| {
        let filter = AnimeFilter::parse(
            RawAnimeFilter {
                year_from: Some(2020),
                year_to: Some(2020),
                season: Some(Season::Winter),
                ..RawAnimeFilter::default()
            },
            "",
        )
        .expect("valid");
        if continuing {
            filter.continuing_before(2020, Season::Winter)
        } else {
            filter
        }
    };
    let titles = |listed: Vec<crate::store::ListedAnime>| -> Vec<String> {
        listed.into_iter().map(|one| one.summary.title).collect()
    };
    let sort = crate::domain::AnimeSort::default();
    let plain = store
        .list_anime(&spring_2020(false), sort, None, 10)
        .await
        .expect("list");
    let continuing = store
        .list_anime(&spring_2020(true), sort, None, 10)
        .await
        .expect("list");
    let before_charlie = store
        .list_anime(
            &AnimeFilter::default().continuing_before(2018, Season::Spring),
            sort,
            None,
            10,
        )
        .await
        .expect("list");

    assert_eq!(titles(plain), ["Delta"]);
    assert_eq!(titles(continuing), ["Charlie", "Delta"]);
    // With no period filter, continuing adds to nothing: only the ongoing anime from before.
    assert!(titles(before_charlie).is_empty());
}
