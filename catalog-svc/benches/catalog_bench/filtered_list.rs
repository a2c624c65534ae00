//! Filtered list latency: `ListAnime` calls with the filter and sort mixes clients send (the top
//! list, a type and year range by score, tags with `sfw`, a studio with an episode floor, a season
//! by year), each first page and the page its cursor leads to.

use std::time::{Duration, Instant};

use anyhow::Context;
use kensho_kit::grpc::GrpcChannel;
use kensho_proto::catalog::v1 as pb;
use kensho_proto::catalog::v1::catalog_service_client::CatalogServiceClient;

/// Calls measured (each mix in turn, first pages and cursor pages alike).
const LIST_CALLS: usize = 1000;
/// Calls sent before measuring.
const WARM_UP_CALLS: usize = 50;
/// Page size of every call.
const PAGE_SIZE: u32 = 20;

fn sort(field: pb::AnimeSortField, descending: bool) -> Option<pb::AnimeSort> {
    Some(pb::AnimeSort {
        field: field.into(),
        descending,
    })
}

/// The filter and sort mixes, as first-page requests.
fn mixes() -> Vec<pb::ListAnimeRequest> {
    let request = |filter: pb::AnimeFilter, sort: Option<pb::AnimeSort>| pb::ListAnimeRequest {
        filter: Some(filter),
        sort,
        page_size: Some(PAGE_SIZE),
        cursor: String::new(),
    };
    vec![
        request(
            pb::AnimeFilter::default(),
            sort(pb::AnimeSortField::Score, true),
        ),
        request(
            pb::AnimeFilter {
                types: vec![pb::AnimeType::Tv.into()],
                year_from: Some(2010),
                year_to: Some(2020),
                ..pb::AnimeFilter::default()
            },
            sort(pb::AnimeSortField::Score, true),
        ),
        request(
            pb::AnimeFilter {
                tags: vec!["action".to_owned(), "comedy".to_owned()],
                sfw: true,
                ..pb::AnimeFilter::default()
            },
            sort(pb::AnimeSortField::Popularity, true),
        ),
        request(
            pb::AnimeFilter {
                studio: "Madhouse".to_owned(),
                min_episodes: Some(12),
                min_score: Some(7.0),
                ..pb::AnimeFilter::default()
            },
            sort(pb::AnimeSortField::Title, false),
        ),
        request(
            pb::AnimeFilter {
                season: pb::Season::Spring.into(),
                year_from: Some(2000),
                any_tags: vec!["drama".to_owned(), "horror".to_owned()],
                exclude_tags: vec!["fantasy".to_owned()],
                ..pb::AnimeFilter::default()
            },
            sort(pb::AnimeSortField::Year, true),
        ),
    ]
}

/// The latencies of [`LIST_CALLS`] list calls, sorted, and their total time.
pub async fn measure(
    client: &mut CatalogServiceClient<GrpcChannel>,
) -> anyhow::Result<(Vec<Duration>, Duration)> {
    let first_pages = mixes();
    let mut requests = first_pages.iter().cloned().cycle();
    for request in requests.by_ref().take(WARM_UP_CALLS) {
        client.list_anime(request).await.context("warm-up list")?;
    }
    let mut latencies = Vec::with_capacity(LIST_CALLS);
    let started = Instant::now();
    while latencies.len() < LIST_CALLS {
        let Some(request) = requests.next() else {
            break;
        };
        let call_started = Instant::now();
        let page = client
            .list_anime(request.clone())
            .await
            .context("list")?
            .into_inner();
        latencies.push(call_started.elapsed());
        if page.next_cursor.is_empty() {
            continue;
        }
        let next = pb::ListAnimeRequest {
            cursor: page.next_cursor,
            ..request
        };
        let call_started = Instant::now();
        client.list_anime(next).await.context("next page")?;
        latencies.push(call_started.elapsed());
    }
    Ok((latencies, started.elapsed()))
}
