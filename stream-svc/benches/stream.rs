//! The stream benchmark: boots the all-in-one cluster (the Crunchyroll simulator, auth-svc,
//! catalog-svc synced from the simulator, stream-svc) on loopback, logs in with the premium account, and measures
//! GetStream latency as a gRPC client sees it: uncached (catalog lookup, upstream token, play
//! call) and cached (upstream token, cache hit).
//!
//! Run with `cargo bench -p kensho-stream --bench stream`. It prints figures and asserts nothing
//! about speed.

use std::time::{Duration, Instant};

use anyhow::Context;
use kensho_cluster::testing::TestCluster;
use kensho_kit::grpc::GrpcChannel;
use kensho_proto::auth::v1::LoginRequest;
use kensho_proto::auth::v1::auth_service_client::AuthServiceClient;
use kensho_proto::catalog::v1::SearchAnimeRequest;
use kensho_proto::catalog::v1::catalog_admin_service_client::CatalogAdminServiceClient;
use kensho_proto::catalog::v1::catalog_service_client::CatalogServiceClient;
use kensho_proto::stream::v1 as pb;
use kensho_proto::stream::v1::stream_service_client::StreamServiceClient;
use kensho_test_support::PREMIUM;

/// Uncached resolutions measured (each stream is released afterwards, outside the timing).
const UNCACHED_CALLS: usize = 200;
/// Cached resolutions measured.
const CACHED_CALLS: usize = 2000;
/// Calls before measuring, so connections are open.
const WARM_UP_CALLS: usize = 20;
/// The anime and the (free) episodes the calls cycle through.
const ANIME: &str = "Cowboy Bebop";
const EPISODES: [u32; 3] = [1, 2, 3];

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run())
}

struct Clients {
    stream: StreamServiceClient<GrpcChannel>,
    access_token: String,
    anime_id: String,
}

async fn run() -> anyhow::Result<()> {
    let cluster = TestCluster::start(|_| {}).await;
    let clients = connect(&cluster).await?;

    for call in 0..WARM_UP_CALLS {
        let stream = get_stream(&clients, EPISODES[call % EPISODES.len()]).await?;
        release(&clients, &stream.stream_token).await?;
    }

    let mut uncached = Vec::with_capacity(UNCACHED_CALLS);
    for call in 0..UNCACHED_CALLS {
        let started = Instant::now();
        let stream = get_stream(&clients, EPISODES[call % EPISODES.len()]).await?;
        uncached.push(started.elapsed());
        // Releasing also drops the cache entry, so the next call is a miss again.
        release(&clients, &stream.stream_token).await?;
    }

    let kept = get_stream(&clients, EPISODES[0]).await?;
    let mut cached = Vec::with_capacity(CACHED_CALLS);
    for _ in 0..CACHED_CALLS {
        let started = Instant::now();
        let stream = get_stream(&clients, EPISODES[0]).await?;
        cached.push(started.elapsed());
        anyhow::ensure!(stream.stream_token == kept.stream_token, "a cache miss");
    }
    release(&clients, &kept.stream_token).await?;

    println!("\n== GetStream latency (ms, one client, sequential calls over loopback gRPC)");
    println!(
        "{:<10} {:>6} {:>8} {:>8} {:>8} {:>8}",
        "path", "calls", "mean", "p50", "p95", "p99"
    );
    report("uncached", &mut uncached);
    report("cached", &mut cached);
    drop(cluster);
    Ok(())
}

async fn get_stream(
    clients: &Clients,
    episode_number: u32,
) -> anyhow::Result<pb::GetStreamResponse> {
    let response = clients
        .stream
        .clone()
        .get_stream(pb::GetStreamRequest {
            episode: Some(pb::get_stream_request::Episode::ByNumber(
                pb::EpisodeByNumber {
                    anime_id: clients.anime_id.clone(),
                    episode_number,
                },
            )),
            access_token: clients.access_token.clone(),
        })
        .await
        .context("GetStream")?;
    Ok(response.into_inner())
}

async fn release(clients: &Clients, stream_token: &str) -> anyhow::Result<()> {
    clients
        .stream
        .clone()
        .release_stream(pb::ReleaseStreamRequest {
            stream_token: stream_token.to_owned(),
            access_token: clients.access_token.clone(),
        })
        .await
        .context("ReleaseStream")?;
    Ok(())
}

fn report(path: &str, samples: &mut [Duration]) {
    samples.sort();
    let millis = |duration: Duration| duration.as_secs_f64() * 1000.0;
    let percentile = |fraction: f64| {
        let index = ((samples.len() as f64 * fraction).ceil() as usize).saturating_sub(1);
        millis(samples[index.min(samples.len() - 1)])
    };
    let mean = samples.iter().copied().map(millis).sum::<f64>() / samples.len() as f64;
    println!(
        "{path:<10} {:>6} {mean:>8.3} {:>8.3} {:>8.3} {:>8.3}",
        samples.len(),
        percentile(0.50),
        percentile(0.95),
        percentile(0.99)
    );
}

/// Syncs the cluster's catalog and logs in with the premium account; that user's clients.
async fn connect(cluster: &TestCluster) -> anyhow::Result<Clients> {
    let addresses = &cluster.addresses;
    kensho_test_support::run_catalog_sync(&mut CatalogAdminServiceClient::new(
        cluster.admin_channel(),
    ))
    .await;
    let mut catalog = CatalogServiceClient::new(cluster.channel(addresses.catalog));
    let anime_id = catalog
        .search_anime(SearchAnimeRequest {
            query: ANIME.to_owned(),
            limit: Some(1),
            ..SearchAnimeRequest::default()
        })
        .await?
        .into_inner()
        .hits
        .into_iter()
        .next()
        .and_then(|hit| hit.anime)
        .context("the anime is in the catalog")?
        .id;
    let mut auth = AuthServiceClient::new(cluster.channel(addresses.auth));
    let tokens = auth
        .login(LoginRequest {
            username: PREMIUM.0.to_owned(),
            password: PREMIUM.1.to_owned(),
            client_address: String::new(),
        })
        .await?
        .into_inner();
    Ok(Clients {
        stream: StreamServiceClient::new(cluster.channel(addresses.stream)),
        access_token: tokens.access_token,
        anime_id,
    })
}
