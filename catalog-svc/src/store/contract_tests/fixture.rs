//! The catalog every contract check starts from, and helpers to read it back.

use serde_json::{Value, json};

use crate::domain::{AnimeFilter, AnimeId, Page};
use crate::import::{CatalogFormat, Progress, import_bytes};
use std::path::Path;
use std::sync::Arc;

use crate::search::{RankedHit, SearchIndex, normalize};
use crate::settings::SearchSettings;
use crate::store::CatalogStore;

pub(super) const SPY_FAMILY: &str = "https://myanimelist.net/anime/50265";
const SPY_FAMILY_2: &str = "https://myanimelist.net/anime/53887";

/// One valid record: a TV series, finished, with pictures and one studio; `extra` overrides fields.
pub(super) fn record(
    source: &str,
    title: &str,
    season: &str,
    year: u32,
    episodes: u32,
    extra: Value,
) -> Value {
    let mut record = json!({
        "sources": [source],
        "title": title,
        "type": "TV",
        "episodes": episodes,
        "status": "FINISHED",
        "animeSeason": {"season": season, "year": year},
        "picture": "https://example.org/picture.png",
        "thumbnail": "https://example.org/thumbnail.png",
        "duration": {"value": 1440, "unit": "SECONDS"},
        "synonyms": [],
        "studios": ["Wit Studio"],
        "producers": [],
        "relatedAnime": [],
        "tags": []
    });
    if let (Some(target), Some(fields)) = (record.as_object_mut(), extra.as_object()) {
        target.extend(fields.clone());
    }
    record
}

pub(super) fn fixture_records() -> Vec<Value> {
    vec![
        record(
            SPY_FAMILY,
            "SPY x FAMILY",
            "SPRING",
            2022,
            12,
            json!({
                "synonyms": ["Spy Family", "SPY×FAMILY"],
                "tags": ["action", "comedy", "shounen", "childcare"],
                "relatedAnime": [SPY_FAMILY_2],
                "kensho": {"sequel": SPY_FAMILY_2, "synopsis": "A spy builds a fake family."}
            }),
        ),
        record(
            SPY_FAMILY_2,
            "SPY x FAMILY Season 2",
            "FALL",
            2023,
            12,
            json!({
                "tags": ["action", "comedy", "shounen"],
                "relatedAnime": [SPY_FAMILY],
                "kensho": {"prequel": SPY_FAMILY}
            }),
        ),
        record(
            "https://myanimelist.net/anime/16498",
            "Attack on Titan",
            "SPRING",
            2013,
            25,
            json!({
                "synonyms": ["Shingeki no Kyojin", "進撃の巨人"],
                "tags": ["action", "gore", "military"]
            }),
        ),
        record(
            "https://myanimelist.net/anime/527",
            "Pokémon",
            "SPRING",
            1997,
            276,
            json!({
                "tags": ["adventure", "kids"]
            }),
        ),
        record(
            "https://myanimelist.net/anime/1",
            "Broken Type",
            "SPRING",
            2000,
            1,
            json!({"type": "SERIES"}),
        ),
        json!({"title": "No Sources"}),
    ]
}

/// A record with only what search reads: its title, synonyms and one source.
pub(super) fn titled(source: &str, title: &str, synonyms: &[&str]) -> Value {
    record(
        source,
        title,
        "SPRING",
        2001,
        12,
        json!({"synonyms": synonyms}),
    )
}

pub(super) fn document(records: Vec<Value>) -> Vec<u8> {
    serde_json::to_vec(&json!({"repository": "test", "data": records})).expect("serialise")
}

pub(super) async fn import_fixture(store: &dyn CatalogStore) {
    let report = import_bytes(
        store,
        &document(fixture_records()),
        CatalogFormat::Json,
        Progress::Hidden,
    )
    .await
    .expect("import");
    assert_eq!(report.inserted, 4);
}

/// A search index in memory, built from the store as it is now.
pub(super) async fn built_index(store: &dyn CatalogStore) -> Arc<SearchIndex> {
    let index = Arc::new(
        SearchIndex::open(&SearchSettings::default(), Path::new(".")).expect("search index"),
    );
    index.catch_up(store).await.expect("index build");
    index
}

/// What SearchAnime does, on an index built from the store as it is now.
pub(super) async fn search(store: &dyn CatalogStore, query: &str, limit: usize) -> Vec<RankedHit> {
    built_index(store)
        .await
        .search(&normalize(query), &AnimeFilter::default(), limit as u32)
        .expect("search")
}

pub(super) async fn id_of(store: &dyn CatalogStore, title: &str) -> AnimeId {
    let hit = search(store, title, 1)
        .await
        .into_iter()
        .next()
        .expect("a hit");
    AnimeId::parse(&hit.anime_id, "id").expect("stored ids are well-formed")
}

pub(super) fn page(size: u32, token: &str) -> Page {
    let mut violations = Vec::new();
    let page = Page::parse(Some(size), token, &mut violations);
    assert!(violations.is_empty(), "{violations:?}");
    page.expect("a valid page")
}
