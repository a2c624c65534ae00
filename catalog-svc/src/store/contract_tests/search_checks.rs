//! Search over the index built from each backend: typo budget by word length, the last word as a
//! prefix, words split or joined unlike the title, dropped words, and following changes.

use serde_json::Value;

use super::fixture::{built_index, document, search, titled};
use crate::domain::AnimeFilter;
use crate::import::{CatalogFormat, Progress, import_bytes};
use crate::search::{MatchKind, RankedHit, normalize};
use crate::store::CatalogStore;

fn search_catalog() -> Vec<Value> {
    vec![
        titled(
            "https://myanimelist.net/anime/121",
            "Fullmetal Alchemist",
            &["Hagane no Renkinjutsushi"],
        ),
        titled("https://myanimelist.net/anime/71", "Full Metal Panic!", &[]),
        titled("https://myanimelist.net/anime/21", "One Piece", &[]),
        titled("https://myanimelist.net/anime/30276", "One Punch Man", &[]),
        titled("https://myanimelist.net/anime/457", "Mushishi", &[]),
        titled(
            "https://myanimelist.net/anime/5081",
            "Bakemonogatari",
            &["Monogatari"],
        ),
        titled("https://myanimelist.net/anime/877", "Nana", &[]),
        titled(
            "https://myanimelist.net/anime/16498",
            "Attack on Titan",
            &[],
        ),
    ]
}

async fn import_search_catalog(store: &dyn CatalogStore) {
    let report = import_bytes(
        store,
        &document(search_catalog()),
        CatalogFormat::Json,
        Progress::Hidden,
    )
    .await
    .expect("import");
    assert_eq!(report.inserted, 8);
}

fn first_match(hits: &[RankedHit]) -> Option<(&str, MatchKind)> {
    hits.first().map(|hit| (hit.matched.as_str(), hit.kind))
}

fn matched(hits: &[RankedHit]) -> Vec<&str> {
    hits.iter().map(|hit| hit.matched.as_str()).collect()
}

pub(super) async fn typos_are_tolerated_by_word_length(store: &dyn CatalogStore) {
    import_search_catalog(store).await;

    let four_letters_one_typo = search(store, "nane", 10).await;
    let eight_letters_one_typo = search(store, "mushisji", 10).await;
    let eight_letters_two_typos = search(store, "muzhizhi", 10).await;
    let ten_letters_two_typos = search(store, "monogotarl", 10).await;

    assert!(
        four_letters_one_typo.is_empty(),
        "{:?}",
        matched(&four_letters_one_typo)
    );
    assert_eq!(
        first_match(&eight_letters_one_typo),
        Some(("Mushishi", MatchKind::Fuzzy))
    );
    assert!(
        eight_letters_two_typos.is_empty(),
        "{:?}",
        matched(&eight_letters_two_typos)
    );
    assert_eq!(
        first_match(&ten_letters_two_typos),
        Some(("Monogatari", MatchKind::Fuzzy))
    );
}

pub(super) async fn the_last_word_matches_as_a_prefix(store: &dyn CatalogStore) {
    import_search_catalog(store).await;

    let unfinished_title = search(store, "one pi", 10).await;
    let unfinished_inner_word = search(store, "on tit", 10).await;

    assert_eq!(
        first_match(&unfinished_title),
        Some(("One Piece", MatchKind::Prefix))
    );
    assert!(!matched(&unfinished_title).contains(&"One Punch Man"));
    assert_eq!(
        first_match(&unfinished_inner_word),
        Some(("Attack on Titan", MatchKind::Prefix))
    );
}

pub(super) async fn words_split_or_joined_unlike_the_title_find_it(store: &dyn CatalogStore) {
    import_search_catalog(store).await;

    let split_apart = search(store, "full metal alchemist", 10).await;
    let joined_up = search(store, "fullmetal panic", 10).await;
    let split_unfinished = search(store, "full metal", 10).await;

    assert_eq!(
        first_match(&split_apart),
        Some(("Fullmetal Alchemist", MatchKind::Exact))
    );
    assert_eq!(
        first_match(&joined_up),
        Some(("Full Metal Panic!", MatchKind::Exact))
    );
    let both = matched(&split_unfinished);
    assert!(
        both.contains(&"Fullmetal Alchemist") && both.contains(&"Full Metal Panic!"),
        "{both:?}"
    );
}

pub(super) async fn the_last_words_are_dropped_when_all_of_them_find_nothing(
    store: &dyn CatalogStore,
) {
    import_search_catalog(store).await;

    let film_missing = search(store, "one piece film red", 10).await;
    let nothing_alike = search(store, "zzzzqqq xxyyzz", 10).await;

    assert_eq!(
        first_match(&film_missing),
        Some(("One Piece", MatchKind::Exact))
    );
    assert!(!matched(&film_missing).contains(&"One Punch Man"));
    assert!(nothing_alike.is_empty());
}

pub(super) async fn the_index_catches_up_with_changed_and_new_anime(store: &dyn CatalogStore) {
    import_search_catalog(store).await;
    let index = built_index(store).await;
    let mut changed = search_catalog();
    changed[4] = titled("https://myanimelist.net/anime/457", "Mushi-Shi", &[]);
    changed.push(titled(
        "https://myanimelist.net/anime/5114",
        "Fullmetal Alchemist: Brotherhood",
        &[],
    ));
    import_bytes(
        store,
        &document(changed),
        CatalogFormat::Json,
        Progress::Hidden,
    )
    .await
    .expect("import");

    let reindexed = index.catch_up(store).await.expect("catch up");
    let nothing_more = index.catch_up(store).await.expect("catch up again");

    assert_eq!((reindexed, nothing_more), (2, 0));
    let search = |query: &str| {
        index
            .search(&normalize(query), &AnimeFilter::default(), 10)
            .expect("search")
    };
    assert_eq!(
        first_match(&search("mushi shi")),
        Some(("Mushi-Shi", MatchKind::Exact))
    );
    assert!(!matched(&search("mushishi")).contains(&"Mushishi"));
    assert!(matched(&search("brotherhood")).contains(&"Fullmetal Alchemist: Brotherhood"));
}
