//! Filtered search latency: `SearchAnime` calls with the benchmark's query mix, each narrowed by
//! one of the filters clients combine with search (a type, a year range, `sfw`, tags), which the
//! index applies while it looks for candidates.

use std::time::{Duration, Instant};

use anyhow::Context;
use kensho_kit::grpc::GrpcChannel;
use kensho_proto::catalog::v1 as pb;
use kensho_proto::catalog::v1::catalog_service_client::CatalogServiceClient;

/// Calls sent before measuring.
const WARM_UP_CALLS: usize = 50;
/// Hits per call.
const LIMIT: u32 = 20;

/// The filters, cycled through with the queries.
fn filters() -> Vec<pb::AnimeFilter> {
    vec![
        pb::AnimeFilter {
            types: vec![pb::AnimeType::Tv.into()],
            ..pb::AnimeFilter::default()
        },
        pb::AnimeFilter {
            year_from: Some(2005),
            year_to: Some(2020),
            sfw: true,
            ..pb::AnimeFilter::default()
        },
        pb::AnimeFilter {
            any_tags: vec!["action".to_owned(), "comedy".to_owned()],
            min_score: Some(6.0),
            ..pb::AnimeFilter::default()
        },
        pb::AnimeFilter {
            statuses: vec![pb::AnimeStatus::Finished.into()],
            min_episodes: Some(10),
            exclude_tags: vec!["horror".to_owned()],
            ..pb::AnimeFilter::default()
        },
    ]
}

/// The latencies of one filtered search per query, sorted, and their total time.
pub async fn measure(
    client: &mut CatalogServiceClient<GrpcChannel>,
    queries: &[String],
) -> anyhow::Result<(Vec<Duration>, Duration)> {
    let filters = filters();
    let request = |(query, filter): (&String, &pb::AnimeFilter)| pb::SearchAnimeRequest {
        query: query.clone(),
        limit: Some(LIMIT),
        filter: Some(filter.clone()),
        cursor: String::new(),
    };
    let requests: Vec<pb::SearchAnimeRequest> = queries
        .iter()
        .zip(filters.iter().cycle())
        .map(request)
        .collect();
    for warm_up in requests.iter().take(WARM_UP_CALLS) {
        client
            .search_anime(warm_up.clone())
            .await
            .context("warm-up search")?;
    }
    let mut latencies = Vec::with_capacity(requests.len());
    let started = Instant::now();
    for one in requests {
        let call_started = Instant::now();
        client.search_anime(one).await.context("filtered search")?;
        latencies.push(call_started.elapsed());
    }
    Ok((latencies, started.elapsed()))
}
