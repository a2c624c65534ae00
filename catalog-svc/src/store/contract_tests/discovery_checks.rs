//! The discovery checks of the storage contract (lookups by source), run against every backend.

use super::fixture::{SPY_FAMILY, id_of, import_fixture};
use crate::domain::{Season, SourceRef};
use crate::store::{CatalogStore, SeasonCount};

pub(super) async fn an_anime_is_found_by_any_of_its_source_urls(store: &dyn CatalogStore) {
    import_fixture(store).await;
    let expected = id_of(store, "SPY x FAMILY").await;
    let by_url = store
        .anime_id_by_source(&[SPY_FAMILY.to_owned()])
        .await
        .expect("lookup");
    assert_eq!(by_url, Some(expected.clone()));
    let short_form = SourceRef::parse("mal:50265", "source").expect("a short form");
    let by_short_form = store
        .anime_id_by_source(&short_form.candidate_urls())
        .await
        .expect("lookup");
    assert_eq!(by_short_form, Some(expected));
    let unknown = SourceRef::parse("anilist:50265", "source").expect("a short form");
    let by_unknown = store
        .anime_id_by_source(&unknown.candidate_urls())
        .await
        .expect("lookup");
    assert_eq!(by_unknown, None);
}

pub(super) async fn season_counts_list_every_season_newest_first(store: &dyn CatalogStore) {
    import_fixture(store).await;
    let counts = store.season_counts().await.expect("season counts");
    let expected = [
        (2023, Season::Fall, 1),
        (2022, Season::Spring, 1),
        (2013, Season::Spring, 1),
        (1997, Season::Spring, 1),
    ];
    let listed: Vec<(u32, Season, u64)> = counts
        .iter()
        .map(
            |SeasonCount {
                 year,
                 season,
                 anime_count,
             }| (*year, *season, *anime_count),
        )
        .collect();
    assert_eq!(listed, expected);
}
