//! The list checks of the storage contract: every filter and every sort on a catalog built for
//! them, scores and popularity read back, and keyset paging that neither skips nor repeats while
//! the catalog changes underneath.

use std::collections::HashSet;
use std::sync::Arc;

use serde_json::{Value, json};

use super::fixture::{document, record};
use crate::catalog::Catalog;
use crate::domain::{
    AnimeFilter, AnimeSort, AnimeStatus, AnimeType, CursorKey, ListQuery, PageSize, RawAnimeFilter,
    Season, SortField,
};
use crate::import::{CatalogFormat, Progress, import_bytes};
use crate::settings::SearchSettings;
use crate::store::{CatalogStore, SqlCatalogStore};

/// Eight anime, each filter keeping a different few (titles distinct in their first letter so
/// every collation orders them alike).
fn list_records() -> Vec<Value> {
    let mal = |number: u32| format!("https://myanimelist.net/anime/{number}");
    vec![
        record(
            &mal(101),
            "Alpha",
            "SPRING",
            2010,
            12,
            json!({
                "tags": ["action", "mecha"], "studios": ["Sunrise"],
                "score": {"arithmeticGeometricMean": 7.5, "arithmeticMean": 7.6, "median": 7.4},
                "sources": [mal(101), "https://anilist.co/anime/101", "https://kitsu.app/anime/101"]
            }),
        ),
        record(
            &mal(102),
            "Bravo",
            "FALL",
            2015,
            24,
            json!({
                "type": "MOVIE", "tags": ["action", "comedy"], "studios": ["Madhouse"],
                "score": {"arithmeticMean": 8.9}
            }),
        ),
        record(
            &mal(103),
            "Charlie",
            "SPRING",
            2018,
            1,
            json!({
                "type": "OVA", "status": "ONGOING", "tags": ["mecha", "gore"],
                "studios": ["Sunrise", "Bones"], "score": {"median": 6.0},
                "sources": [mal(103), "https://anilist.co/anime/103"]
            }),
        ),
        record(
            &mal(104),
            "Delta",
            "WINTER",
            2020,
            50,
            json!({
                "tags": ["romance"], "studios": ["Kyoto Animation"]
            }),
        ),
        record(
            &mal(105),
            "Echo",
            "SPRING",
            2022,
            12,
            json!({
                "tags": ["hentai", "romance"], "studios": ["Studio 100%"],
                "score": {"arithmeticGeometricMean": 5.1}
            }),
        ),
        record(
            &mal(106),
            "Foxtrot",
            "SUMMER",
            2005,
            100,
            json!({
                "status": "UPCOMING", "tags": ["comedy", "erotica"], "studios": ["Madhouse"],
                "score": {"arithmeticGeometricMean": 9.2}
            }),
        ),
        record(
            &mal(107),
            "Golf",
            "SPRING",
            2010,
            26,
            json!({
                "tags": ["action"], "studios": ["Bones"],
                "score": {"arithmeticGeometricMean": 7.5}
            }),
        ),
        json!({
            "sources": [mal(108)], "title": "Hotel", "type": "SPECIAL", "episodes": 3,
            "status": "FINISHED", "animeSeason": {"season": "UNDEFINED"}, "tags": ["comedy"]
        }),
    ]
}

async fn import_list_records(store: &dyn CatalogStore) {
    let report = import_bytes(
        store,
        &document(list_records()),
        CatalogFormat::Json,
        Progress::Hidden,
    )
    .await
    .expect("import");
    assert_eq!(report.inserted, 8, "{:?}", report.rejected);
}

async fn titles(store: &dyn CatalogStore, raw: RawAnimeFilter, sort: AnimeSort) -> Vec<String> {
    let filter = AnimeFilter::parse(raw, "").expect("a valid filter");
    store
        .list_anime(&filter, sort, None, 100)
        .await
        .expect("list")
        .into_iter()
        .map(|listed| listed.summary.title)
        .collect()
}

fn by(field: SortField, descending: bool) -> AnimeSort {
    AnimeSort { field, descending }
}

pub(super) async fn every_filter_keeps_exactly_the_matching_anime(store: &dyn CatalogStore) {
    import_list_records(store).await;
    let tags = |names: &[&str]| names.iter().map(|name| (*name).to_owned()).collect();
    let cases: Vec<(&str, RawAnimeFilter, Vec<&str>)> = vec![
        (
            "no filter",
            RawAnimeFilter::default(),
            vec![
                "Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel",
            ],
        ),
        (
            "type",
            RawAnimeFilter {
                types: vec![AnimeType::Movie, AnimeType::Ova],
                ..Default::default()
            },
            vec!["Bravo", "Charlie"],
        ),
        (
            "status",
            RawAnimeFilter {
                statuses: vec![AnimeStatus::Ongoing, AnimeStatus::Upcoming],
                ..Default::default()
            },
            vec!["Charlie", "Foxtrot"],
        ),
        (
            "year_from",
            RawAnimeFilter {
                year_from: Some(2018),
                ..Default::default()
            },
            vec!["Charlie", "Delta", "Echo"],
        ),
        (
            "year_to",
            RawAnimeFilter {
                year_to: Some(2010),
                ..Default::default()
            },
            vec!["Alpha", "Foxtrot", "Golf"],
        ),
        (
            "year range",
            RawAnimeFilter {
                year_from: Some(2010),
                year_to: Some(2015),
                ..Default::default()
            },
            vec!["Alpha", "Bravo", "Golf"],
        ),
        (
            "season",
            RawAnimeFilter {
                season: Some(Season::Spring),
                ..Default::default()
            },
            vec!["Alpha", "Charlie", "Echo", "Golf"],
        ),
        (
            "tag, all of",
            RawAnimeFilter {
                all_tags: tags(&["action", "mecha"]),
                ..Default::default()
            },
            vec!["Alpha"],
        ),
        (
            "any_tag",
            RawAnimeFilter {
                any_tags: tags(&["mecha", "romance"]),
                ..Default::default()
            },
            vec!["Alpha", "Charlie", "Delta", "Echo"],
        ),
        (
            "exclude_tag",
            RawAnimeFilter {
                excluded_tags: tags(&["action", "comedy"]),
                ..Default::default()
            },
            vec!["Charlie", "Delta", "Echo"],
        ),
        (
            "studio",
            RawAnimeFilter {
                studio: Some("sunrise".to_owned()),
                ..Default::default()
            },
            vec!["Alpha", "Charlie"],
        ),
        (
            "studio with a pattern character",
            RawAnimeFilter {
                studio: Some("Studio 100%".to_owned()),
                ..Default::default()
            },
            vec!["Echo"],
        ),
        (
            "studio is a whole name",
            RawAnimeFilter {
                studio: Some("Studio".to_owned()),
                ..Default::default()
            },
            vec![],
        ),
        (
            "min_episodes",
            RawAnimeFilter {
                min_episodes: Some(26),
                ..Default::default()
            },
            vec!["Delta", "Foxtrot", "Golf"],
        ),
        (
            "max_episodes",
            RawAnimeFilter {
                max_episodes: Some(3),
                ..Default::default()
            },
            vec!["Charlie", "Hotel"],
        ),
        (
            "min_score",
            RawAnimeFilter {
                min_score: Some(7.5),
                ..Default::default()
            },
            vec!["Alpha", "Bravo", "Foxtrot", "Golf"],
        ),
        (
            "sfw",
            RawAnimeFilter {
                sfw: true,
                ..Default::default()
            },
            vec!["Alpha", "Bravo", "Charlie", "Delta", "Golf", "Hotel"],
        ),
        (
            "several at once",
            RawAnimeFilter {
                any_tags: tags(&["action"]),
                year_to: Some(2012),
                min_score: Some(7.0),
                sfw: true,
                ..Default::default()
            },
            vec!["Alpha", "Golf"],
        ),
    ];
    for (name, raw, expected) in cases {
        let listed = titles(store, raw, AnimeSort::default()).await;
        assert_eq!(listed, expected, "{name}");
    }
}

pub(super) async fn every_sort_orders_by_its_field_with_ties_by_id_and_missing_values_last(
    store: &dyn CatalogStore,
) {
    import_list_records(store).await;
    let everything = || RawAnimeFilter::default();
    assert_eq!(
        titles(store, everything(), by(SortField::Title, true)).await,
        [
            "Hotel", "Golf", "Foxtrot", "Echo", "Delta", "Charlie", "Bravo", "Alpha"
        ]
    );
    let by_score_descending = titles(store, everything(), by(SortField::Score, true)).await;
    assert_eq!(by_score_descending[..2], ["Foxtrot", "Bravo"]);
    let tied_on_score: HashSet<&str> = by_score_descending[2..4]
        .iter()
        .map(String::as_str)
        .collect();
    assert_eq!(tied_on_score, HashSet::from(["Alpha", "Golf"]));
    let by_score = titles(store, everything(), by(SortField::Score, false)).await;
    assert_eq!(by_score[..2], ["Echo", "Charlie"]);
    assert_eq!(by_score[4..6], ["Bravo", "Foxtrot"]);
    // Delta and Hotel have no score: last both ways, in id order among themselves.
    let unscored: HashSet<&str> = by_score[6..].iter().map(String::as_str).collect();
    assert_eq!(unscored, HashSet::from(["Delta", "Hotel"]));
    let by_year = titles(store, everything(), by(SortField::Year, true)).await;
    assert_eq!(by_year[..3], ["Echo", "Delta", "Charlie"]);
    assert_eq!(by_year[7], "Hotel");
    assert_eq!(
        titles(store, everything(), by(SortField::Year, false)).await[0],
        "Foxtrot"
    );
    assert_eq!(
        titles(store, everything(), by(SortField::Episodes, true)).await[..3],
        ["Foxtrot", "Delta", "Golf"]
    );
    assert_eq!(
        titles(store, everything(), by(SortField::Popularity, true)).await[..2],
        ["Alpha", "Charlie"]
    );
    // Alpha and Golf tie on score and year: the smaller id comes first, both ways.
    let tied = RawAnimeFilter {
        year_from: Some(2010),
        year_to: Some(2010),
        ..RawAnimeFilter::default()
    };
    let ascending = titles(store, tied.clone(), by(SortField::Score, false)).await;
    let descending = titles(store, tied, by(SortField::Score, true)).await;
    assert_eq!(ascending, descending);
}

pub(super) async fn scores_and_popularity_are_stored_and_read_back(store: &dyn CatalogStore) {
    import_list_records(store).await;
    let filter = AnimeFilter::default();
    let listed = store
        .list_anime(&filter, AnimeSort::default(), None, 100)
        .await
        .expect("list");
    let alpha = &listed[0].summary;
    let score = alpha.score.expect("Alpha has a score");
    assert_eq!(score.arithmetic_geometric_mean, Some(7.5));
    assert_eq!(score.arithmetic_mean, Some(7.6));
    assert_eq!(score.median, Some(7.4));
    assert_eq!(alpha.popularity, 3);
    let delta = &listed[3].summary;
    assert_eq!(
        (delta.title.as_str(), delta.score, delta.popularity),
        ("Delta", None, 1)
    );
    let detail = store
        .get_anime(&alpha.id)
        .await
        .expect("get")
        .expect("found");
    assert_eq!(detail.summary.score, Some(score));
}

fn numbered_record(number: u32, synopsis: &str) -> Value {
    record(
        &format!("https://myanimelist.net/anime/{}", 10_000 + number),
        &format!("Series {number:04}"),
        "SPRING",
        2000 + number % 20,
        12,
        json!({"kensho": {"synopsis": synopsis}}),
    )
}

pub(super) async fn paging_by_cursor_while_anime_are_inserted_and_updated_sees_every_pre_existing_anime_once(
    store: &SqlCatalogStore,
) {
    let originals: Vec<Value> = (0..1_000)
        .map(|number| numbered_record(number * 2, "first"))
        .collect();
    let report = import_bytes(
        store,
        &document(originals),
        CatalogFormat::Json,
        Progress::Hidden,
    )
    .await
    .expect("import");
    assert_eq!(report.inserted, 1_000);
    let shared: Arc<dyn CatalogStore> = Arc::new(store.clone());
    let catalog = Catalog::new(
        Arc::clone(&shared),
        SearchSettings::default(),
        CursorKey::generate().expect("randomness"),
        None,
    );
    // Odd numbers land between the originals in title order; every tenth original is rewritten.
    let writer_store = Arc::clone(&shared);
    let writer = tokio::spawn(async move {
        for round in 0..50_u32 {
            let inserted = numbered_record(round * 40 + 1, "inserted");
            let updated = numbered_record(round * 40, "updated");
            let changes = document(vec![inserted, updated]);
            import_bytes(
                writer_store.as_ref(),
                &changes,
                CatalogFormat::Json,
                Progress::Hidden,
            )
            .await
            .expect("concurrent import");
            tokio::task::yield_now().await;
        }
    });
    let size = PageSize::parse(Some(37), "page_size").expect("valid");
    let mut seen: Vec<String> = Vec::new();
    let mut cursor = String::new();
    let mut pages = 0;
    loop {
        let query = ListQuery::parse(
            "anime",
            AnimeFilter::default(),
            AnimeSort::default(),
            &cursor,
            "cursor",
            size,
            catalog.cursor_key(),
        )
        .expect("a cursor this catalog issued");
        let page = catalog.list_anime("anime", &query).await.expect("page");
        pages += 1;
        seen.extend(page.items.into_iter().map(|anime| anime.title));
        if page.next_page_token.is_empty() {
            break;
        }
        cursor = page.next_page_token;
    }
    writer.await.expect("writer");
    let originals_seen: Vec<&String> = seen
        .iter()
        .filter(|title| {
            let number: u32 = title["Series ".len()..].parse().expect("numbered");
            number % 2 == 0
        })
        .collect();
    let distinct: HashSet<&String> = originals_seen.iter().copied().collect();
    assert_eq!(originals_seen.len(), 1_000, "every original once");
    assert_eq!(distinct.len(), 1_000);
    assert!(pages >= 1_000 / 37);
}

pub(super) async fn next_cursor_is_empty_exactly_on_the_last_page(store: &SqlCatalogStore) {
    import_list_records(store).await;
    let shared: Arc<dyn CatalogStore> = Arc::new(store.clone());
    let catalog = Catalog::new(
        shared,
        SearchSettings::default(),
        CursorKey::generate().expect("randomness"),
        None,
    );
    // Eight anime by four: the second page is full and is the last.
    let size = PageSize::parse(Some(4), "page_size").expect("valid");
    let first = ListQuery::parse(
        "anime",
        AnimeFilter::default(),
        AnimeSort::default(),
        "",
        "cursor",
        size,
        catalog.cursor_key(),
    )
    .expect("first page");
    let first_page = catalog.list_anime("anime", &first).await.expect("page");
    assert!(!first_page.next_page_token.is_empty());
    let second = ListQuery::parse(
        "anime",
        AnimeFilter::default(),
        AnimeSort::default(),
        &first_page.next_page_token,
        "cursor",
        size,
        catalog.cursor_key(),
    )
    .expect("second page");
    let second_page = catalog.list_anime("anime", &second).await.expect("page");
    assert_eq!(second_page.items.len(), 4);
    assert_eq!(second_page.next_page_token, "");
    let other_sort = ListQuery::parse(
        "anime",
        AnimeFilter::default(),
        by(SortField::Score, true),
        &first_page.next_page_token,
        "cursor",
        size,
        catalog.cursor_key(),
    );
    assert_eq!(other_sort.expect_err("another sort").field, "cursor");
}
