//! The cursor checks of the storage contract: keyset paging through the catalog, sealed cursors,
//! neither skipping nor repeating while the catalog changes underneath.

use std::collections::HashSet;
use std::sync::Arc;

use serde_json::{Value, json};

use super::fixture::{built_index, document, record};
use super::list_checks::{by, import_list_records};
use crate::catalog::Catalog;
use crate::domain::{AnimeFilter, AnimeSort, CursorKey, ListQuery, PageSize, SortField};
use crate::import::{CatalogFormat, Progress, import_bytes};
use crate::store::{CatalogStore, SqlCatalogStore};

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
        built_index(store).await,
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
            number.is_multiple_of(2)
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
        Arc::clone(&shared),
        built_index(shared.as_ref()).await,
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
