//! The storage contract: every check runs against SQLite and against PostgreSQL (a throwaway
//! database on the test server, see `kensho-test-support`).

mod batch_checks;
mod checks;
mod cursor_checks;
mod discovery_checks;
mod discovery_search_checks;
mod fixture;
mod list_checks;
mod search_checks;

use std::time::Duration;

use kensho_test_support::{TempDir, TestPostgres};

use super::SqlCatalogStore;

/// Keeps whatever backs a store (a temporary directory or database) alive for the test.
enum Guard {
    Sqlite(#[allow(dead_code)] TempDir),
    Postgres(#[allow(dead_code)] TestPostgres),
}

async fn sqlite_store() -> (SqlCatalogStore, Guard) {
    let directory = TempDir::new();
    let url = format!("sqlite://{}", directory.path().join("catalog.db").display());
    let store = SqlCatalogStore::connect(&url, 4, Duration::from_secs(5))
        .await
        .expect("sqlite store");
    (store, Guard::Sqlite(directory))
}

async fn postgres_store() -> (SqlCatalogStore, Guard) {
    let database = TestPostgres::create().await;
    let store = SqlCatalogStore::connect(database.url(), 4, Duration::from_secs(5))
        .await
        .expect("postgres store");
    (store, Guard::Postgres(database))
}

macro_rules! contract_tests {
    ($backend:ident, $make_store:path) => {
        mod $backend {
            use super::*;

            contract_tests!(@each $make_store;
                import_rejects_bad_records_with_their_position_and_a_second_import_changes_nothing,
                get_anime_returns_synonyms_tags_sources_and_resolved_relations,
                search_is_case_and_accent_insensitive_typo_tolerant_and_ranked,
                browse_season_pages_through_one_season_in_title_order,
                list_tags_counts_anime_and_filters_by_category,
                episodes_follow_the_episode_count_and_page_in_order,
                a_changed_record_is_updated_in_place_with_its_id,
                json_lines_import_skips_the_metadata_line_and_reports_bad_lines,
                upsert_reports_unchanged_for_identical_data,
            );
            contract_tests!(@each_in discovery_checks, $make_store;
                an_anime_is_found_by_any_of_its_source_urls,
                season_counts_list_every_season_newest_first,
            );
            contract_tests!(@each_in batch_checks, $make_store;
                a_record_the_database_refuses_is_reported_and_skipped_alone,
                tag_counts_follow_inserts_and_updates,
            );
            contract_tests!(@each_in discovery_search_checks, $make_store;
                every_filter_narrows_search_to_the_anime_the_list_keeps,
                the_index_follows_changed_filter_values,
                similar_anime_share_rare_tags_and_leave_out_the_franchise,
                a_franchise_lists_prequels_before_sequels,
                continuing_keeps_ongoing_anime_that_started_earlier,
            );
            contract_tests!(@each_in list_checks, $make_store;
                every_filter_keeps_exactly_the_matching_anime,
                every_sort_orders_by_its_field_with_ties_by_id_and_missing_values_last,
                scores_and_popularity_are_stored_and_read_back,
            );
            contract_tests!(@each_in cursor_checks, $make_store;
                paging_by_cursor_while_anime_are_inserted_and_updated_sees_every_pre_existing_anime_once,
                next_cursor_is_empty_exactly_on_the_last_page,
            );
            contract_tests!(@each_in search_checks, $make_store;
                typos_are_tolerated_by_word_length,
                the_last_word_matches_as_a_prefix,
                words_split_or_joined_unlike_the_title_find_it,
                the_last_words_are_dropped_when_all_of_them_find_nothing,
                the_index_catches_up_with_changed_and_new_anime,
            );
        }
    };
    (@each $make_store:path; $($check:ident),+ $(,)?) => {
        contract_tests!(@each_in checks, $make_store; $($check),+);
    };
    (@each_in $module:ident, $make_store:path; $($check:ident),+ $(,)?) => {
        $(
            #[tokio::test]
            async fn $check() {
                let (store, _guard) = $make_store().await;
                $module::$check(&store).await;
                store.close().await;
            }
        )+
    };
}

contract_tests!(sqlite, sqlite_store);
contract_tests!(postgres, postgres_store);
