//! Storage throughput figures: import rate and concurrent detail reads on each backend, straight
//! against the store (no gRPC, no cache). In the test suite it runs small (200 records, half a
//! second of reads) and checks that 64 concurrent readers on two runtime workers all get answers
//! that find what was written; for figures, run it larger with
//! `KENSHO_STORE_BENCH_ANIME=2000 KENSHO_STORE_BENCH_READ_MS=3000 cargo nextest run --workspace
//! -E 'test(/store_throughput/)' --no-capture`. `KENSHO_STORE_BENCH_BACKENDS` picks the backends
//! (default `sqlite,postgres`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use kensho_test_support::{TempDir, TestPostgres};

use super::{AnimeRecord, CatalogStore, SqlCatalogStore, Tag};
use crate::domain::{AnimeId, AnimeStatus, AnimeType, RelationKind, Season, TagCategory};

const ANIME_ENV: &str = "KENSHO_STORE_BENCH_ANIME";
const BACKENDS_ENV: &str = "KENSHO_STORE_BENCH_BACKENDS";
const READ_MS_ENV: &str = "KENSHO_STORE_BENCH_READ_MS";
/// Records handed to the store per call, as the import does.
const RECORDS_PER_CALL: usize = 256;
const READERS: usize = 64;

fn number_from(variable: &str, default: u64) -> u64 {
    std::env::var(variable)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

fn anime_count() -> usize {
    number_from(ANIME_ENV, 200) as usize
}

fn read_for() -> Duration {
    Duration::from_millis(number_from(READ_MS_ENV, 500))
}

fn source(number: usize) -> String {
    format!("https://myanimelist.net/anime/{number}")
}

/// A record shaped like the anime-offline-database's average: a few synonyms, tags and relations,
/// about a dozen episodes.
fn synthetic_record(number: usize, anime_count: usize) -> AnimeRecord {
    let tag_names = ["action", "comedy", "drama", "shounen", "mecha", "romance"];
    AnimeRecord {
        sources: vec![source(number), format!("https://anilist.co/anime/{number}")],
        title: format!("Synthetic Title {number}"),
        synonyms: vec![format!("Synth {number}"), format!("ST{number}")],
        anime_type: AnimeType::Tv,
        status: AnimeStatus::Finished,
        episode_count: (number % 24) as u32 + 1,
        season: Some(Season::Spring),
        year: Some(1990 + (number % 35) as u32),
        synopsis: format!("The story of synthetic title {number}."),
        picture: "https://example.org/picture.png".to_owned(),
        thumbnail: "https://example.org/thumbnail.png".to_owned(),
        episode_duration_seconds: Some(1440),
        studios: vec!["Studio Synthetic".to_owned()],
        producers: vec![],
        tags: (0..3)
            .map(|offset| Tag {
                name: tag_names[(number + offset) % tag_names.len()].to_owned(),
                category: TagCategory::Genre,
            })
            .collect(),
        relation_links: vec![(source((number + 1) % anime_count), RelationKind::Sequel)],
        score: None,
    }
}

async fn measure(backend: &str, store: SqlCatalogStore) {
    let anime_count = anime_count();
    let records: Vec<AnimeRecord> = (0..anime_count)
        .map(|number| synthetic_record(number, anime_count))
        .collect();
    let episodes: u64 = records
        .iter()
        .map(|record| u64::from(record.episode_count))
        .sum();
    let started = Instant::now();
    let mut ids = Vec::with_capacity(anime_count);
    for chunk in records.chunks(RECORDS_PER_CALL) {
        let outcomes = store.upsert_anime_batch(chunk).await.expect("import");
        ids.extend(
            outcomes
                .into_iter()
                .map(|outcome| outcome.expect("written").0),
        );
    }
    let written = started.elapsed();
    store.resolve_relations().await.expect("relations");
    let import = started.elapsed();
    println!(
        "{backend}: import {anime_count} records ({episodes} episodes) in {:.2} s: {:.0} records/s \
         ({:.2} s writing records, {:.2} s resolving relations)",
        import.as_secs_f64(),
        anime_count as f64 / import.as_secs_f64(),
        written.as_secs_f64(),
        (import - written).as_secs_f64()
    );

    let store = Arc::new(store);
    let ids: Arc<Vec<AnimeId>> = Arc::new(ids);
    let read_for = read_for();
    let started = Instant::now();
    let readers: Vec<_> = (0..READERS)
        .map(|reader| {
            let store = Arc::clone(&store);
            let ids = Arc::clone(&ids);
            tokio::spawn(async move {
                let mut reads = 0_u64;
                let mut position = reader * 7919;
                // At least one read each: every reader must get a connection in its turn.
                while reads == 0 || started.elapsed() < read_for {
                    let id = &ids[position % ids.len()];
                    let detail = store.get_anime(id).await.expect("read");
                    assert!(detail.is_some(), "anime {id} was written");
                    reads += 1;
                    position += 1;
                }
                reads
            })
        })
        .collect();
    let mut reads = 0;
    for reader in readers {
        reads += reader.await.expect("reader");
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "{backend}: detail reads, {READERS} concurrent tasks: {:.0} reads/s",
        reads as f64 / elapsed
    );
    store.close().await;
}

fn wanted(backend: &str) -> bool {
    std::env::var(BACKENDS_ENV)
        .unwrap_or_else(|_| "sqlite,postgres".to_owned())
        .split(',')
        .any(|name| name.trim() == backend)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn store_throughput() {
    if wanted("sqlite") {
        let directory = TempDir::new();
        let url = format!("sqlite://{}", directory.path().join("catalog.db").display());
        let store = SqlCatalogStore::connect(&url, 4, Duration::from_secs(5))
            .await
            .expect("sqlite store");
        measure("sqlite", store).await;
    }
    if wanted("postgres") {
        let database = TestPostgres::create().await;
        let store = SqlCatalogStore::connect(database.url(), 8, Duration::from_secs(5))
            .await
            .expect("postgres store");
        measure("postgres", store).await;
    }
}
