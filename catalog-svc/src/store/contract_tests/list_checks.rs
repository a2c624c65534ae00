//! The list checks of the storage contract: every filter and every sort on a catalog built for
//! them, and scores and popularity read back.

use std::collections::HashSet;

use serde_json::{Value, json};

use super::fixture::{document, record};
use crate::domain::{
    AnimeFilter, AnimeSort, AnimeStatus, AnimeType, RawAnimeFilter, Season, SortField,
};
use crate::import::{CatalogFormat, Progress, import_bytes};
use crate::store::CatalogStore;

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

pub(super) async fn import_list_records(store: &dyn CatalogStore) {
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

pub(super) fn by(field: SortField, descending: bool) -> AnimeSort {
    AnimeSort { field, descending }
}

/// A filter: the default one with `adjust` applied.
fn filter(adjust: impl FnOnce(&mut RawAnimeFilter)) -> RawAnimeFilter {
    let mut raw = RawAnimeFilter::default();
    adjust(&mut raw);
    raw
}

fn names(tags: &[&str]) -> Vec<String> {
    tags.iter().map(|tag| (*tag).to_owned()).collect()
}

/// The titles of [`list_records`].
pub(super) const EVERY_TITLE: [&str; 8] = [
    "Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel",
];

/// Each filter with the titles of [`list_records`] it keeps, in title order.
pub(super) fn filter_cases() -> Vec<(&'static str, RawAnimeFilter, &'static [&'static str])> {
    vec![
        ("no filter", filter(|_| {}), &EVERY_TITLE),
        (
            "type",
            filter(|f| f.types = vec![AnimeType::Movie, AnimeType::Ova]),
            &["Bravo", "Charlie"],
        ),
        (
            "status",
            filter(|f| f.statuses = vec![AnimeStatus::Ongoing, AnimeStatus::Upcoming]),
            &["Charlie", "Foxtrot"],
        ),
        (
            "year_from",
            filter(|f| f.year_from = Some(2018)),
            &["Charlie", "Delta", "Echo"],
        ),
        (
            "year_to",
            filter(|f| f.year_to = Some(2010)),
            &["Alpha", "Foxtrot", "Golf"],
        ),
        (
            "year range",
            filter(|f| (f.year_from, f.year_to) = (Some(2010), Some(2015))),
            &["Alpha", "Bravo", "Golf"],
        ),
        (
            "season",
            filter(|f| f.season = Some(Season::Spring)),
            &["Alpha", "Charlie", "Echo", "Golf"],
        ),
        (
            "tag, all of",
            filter(|f| f.all_tags = names(&["action", "mecha"])),
            &["Alpha"],
        ),
        (
            "any_tag",
            filter(|f| f.any_tags = names(&["mecha", "romance"])),
            &["Alpha", "Charlie", "Delta", "Echo"],
        ),
        (
            "exclude_tag",
            filter(|f| f.excluded_tags = names(&["action", "comedy"])),
            &["Charlie", "Delta", "Echo"],
        ),
        (
            "studio",
            filter(|f| f.studio = Some("sunrise".to_owned())),
            &["Alpha", "Charlie"],
        ),
        (
            "studio with a pattern character",
            filter(|f| f.studio = Some("Studio 100%".to_owned())),
            &["Echo"],
        ),
        (
            "studio is a whole name",
            filter(|f| f.studio = Some("Studio".to_owned())),
            &[],
        ),
        (
            "min_episodes",
            filter(|f| f.min_episodes = Some(26)),
            &["Delta", "Foxtrot", "Golf"],
        ),
        (
            "max_episodes",
            filter(|f| f.max_episodes = Some(3)),
            &["Charlie", "Hotel"],
        ),
        (
            "min_score",
            filter(|f| f.min_score = Some(7.5)),
            &["Alpha", "Bravo", "Foxtrot", "Golf"],
        ),
        (
            "sfw",
            filter(|f| f.sfw = true),
            &["Alpha", "Bravo", "Charlie", "Delta", "Golf", "Hotel"],
        ),
        (
            "several at once",
            filter(|f| {
                f.any_tags = names(&["action"]);
                f.year_to = Some(2012);
                f.min_score = Some(7.0);
                f.sfw = true;
            }),
            &["Alpha", "Golf"],
        ),
    ]
}

pub(super) async fn every_filter_keeps_exactly_the_matching_anime(store: &dyn CatalogStore) {
    import_list_records(store).await;
    for (name, raw, expected) in filter_cases() {
        let listed = titles(store, raw, AnimeSort::default()).await;
        assert_eq!(listed, expected, "{name}");
    }
}

pub(super) async fn every_sort_orders_by_its_field_with_ties_by_id_and_missing_values_last(
    store: &dyn CatalogStore,
) {
    import_list_records(store).await;
    let everything = RawAnimeFilter::default;
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
