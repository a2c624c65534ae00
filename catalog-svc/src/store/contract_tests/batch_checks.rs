//! Checks of the import's batches: a savepoint per record, and tag counts kept by the writes.

use serde_json::json;

use super::fixture::record;
use crate::domain::{AnimeId, RelationKind};
use crate::import::parse_record;
use crate::store::{AnimeRecord, CatalogStore, UpsertOutcome};

fn parsed(source: &str, title: &str, tags: &[&str]) -> AnimeRecord {
    parse_record(record(
        source,
        title,
        "SPRING",
        2020,
        3,
        json!({ "tags": tags }),
    ))
    .expect("a valid record")
}

async fn tag_count(store: &dyn CatalogStore, name: &str) -> Option<u64> {
    store
        .list_tags(None, None, 100)
        .await
        .expect("tags")
        .into_iter()
        .find(|count| count.tag.name == name)
        .map(|count| count.anime_count)
}

pub(super) async fn a_record_the_database_refuses_is_reported_and_skipped_alone(
    store: &dyn CatalogStore,
) {
    let first = parsed("https://myanimelist.net/anime/9001", "First", &["action"]);
    // Two links to one target break the link table's key on either backend.
    let mut refused = parsed("https://myanimelist.net/anime/9002", "Refused", &["action"]);
    refused.relation_links = vec![
        (
            "https://myanimelist.net/anime/9001".to_owned(),
            RelationKind::Sequel,
        ),
        (
            "https://myanimelist.net/anime/9001".to_owned(),
            RelationKind::Prequel,
        ),
    ];
    let third = parsed("https://myanimelist.net/anime/9003", "Third", &["action"]);

    let outcomes = store
        .upsert_anime_batch(&[first, refused.clone(), third])
        .await
        .expect("the batch is written");

    assert_eq!(outcomes.len(), 3);
    assert!(
        matches!(outcomes[0], Ok((_, UpsertOutcome::Inserted))),
        "{:?}",
        outcomes[0]
    );
    assert!(outcomes[1].is_err(), "{:?}", outcomes[1]);
    assert!(
        matches!(outcomes[2], Ok((_, UpsertOutcome::Inserted))),
        "{:?}",
        outcomes[2]
    );
    let refused_id = AnimeId::derive_from_sources(&refused.sources);
    assert_eq!(store.get_anime(&refused_id).await.expect("read"), None);
    for written in [&outcomes[0], &outcomes[2]] {
        let (id, _) = written.as_ref().expect("written");
        let detail = store.get_anime(id).await.expect("read").expect("stored");
        assert_eq!(detail.tags.len(), 1);
    }
    assert_eq!(store.anime_count().await.expect("count"), 2);
    // The refused record's tag writes were rolled back with it.
    assert_eq!(tag_count(store, "action").await, Some(2));
}

pub(super) async fn tag_counts_follow_inserts_and_updates(store: &dyn CatalogStore) {
    let source = "https://myanimelist.net/anime/9101";
    let other = parsed("https://myanimelist.net/anime/9102", "Other", &["comedy"]);
    let original = parsed(source, "Counted", &["action", "comedy"]);
    store
        .upsert_anime_batch(&[original, other])
        .await
        .expect("written");
    assert_eq!(tag_count(store, "action").await, Some(1));
    assert_eq!(tag_count(store, "comedy").await, Some(2));

    let changed = parsed(source, "Counted", &["comedy", "drama"]);
    let outcomes = store.upsert_anime_batch(&[changed]).await.expect("written");

    assert!(
        matches!(outcomes[0], Ok((_, UpsertOutcome::Updated))),
        "{:?}",
        outcomes[0]
    );
    assert_eq!(tag_count(store, "action").await, Some(0));
    assert_eq!(tag_count(store, "comedy").await, Some(2));
    assert_eq!(tag_count(store, "drama").await, Some(1));
}
