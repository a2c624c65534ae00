//! catalog-svc's read caches over real gRPC: how a read was answered travels in
//! `kensho-cache-status`, replicas sharing one Redis load a key once, and a stopped Redis (one
//! of the test's own) costs no errors; the current season is warmed at start.

use kensho_cache::{CACHE_STATUS_METADATA, RedisCacheSettings};
use kensho_catalog::{Application, CatalogSettings};
use kensho_crunchyroll::CrunchyrollSettings;
use kensho_kit::grpc::GrpcChannel;
use kensho_kit::{Secret, Shutdown};
use kensho_proto::catalog::v1::catalog_service_client::CatalogServiceClient;
use kensho_proto::catalog::v1::{
    AnimeSort, AnimeSortField, BrowseSeasonRequest, GetAnimeRequest, ListAnimeRequest,
    ListAnimeResponse, SearchAnimeRequest, Season,
};
use kensho_test_support::wait::wait_until;
use kensho_test_support::{PrivateRedis, TempDir, test_redis_url};

struct Replica {
    client: CatalogServiceClient<GrpcChannel>,
    /// The admin port's address, when the replica was given one.
    admin_address: Option<std::net::SocketAddr>,
    shutdown: Shutdown,
    _data_dir: TempDir,
}

impl Drop for Replica {
    fn drop(&mut self) {
        self.shutdown.trigger();
    }
}

fn redis_settings(url: String, namespace: &str) -> RedisCacheSettings {
    RedisCacheSettings {
        enabled: true,
        url: Secret::new(url),
        namespace: namespace.to_owned(),
        retry_interval_ms: 50,
        ..RedisCacheSettings::default()
    }
}

/// A catalog-svc on port 0 with the sample catalog, its caches on `redis`, its list cursors
/// sealed with `cursor_key` (a random key when `None`).
async fn spawn_replica(redis: RedisCacheSettings, cursor_key: Option<&str>) -> Replica {
    spawn_replica_with(|settings| {
        settings.cache.redis = redis;
        settings.cursor_key = cursor_key.map(|key| Secret::new(key.to_owned()));
    })
    .await
}

/// A catalog-svc on port 0 with the sample catalog and its settings adjusted by `configure`.
async fn spawn_replica_with(configure: impl FnOnce(&mut CatalogSettings)) -> Replica {
    kensho_test_support::init_test_logging();
    let shutdown = Shutdown::new();
    let data_dir = TempDir::new();
    let mut settings = CatalogSettings {
        port: 0,
        ..CatalogSettings::default()
    };
    configure(&mut settings);
    let internal = kensho_test_support::test_internal_settings();
    let application = Application::build(
        settings,
        &CrunchyrollSettings::default(),
        data_dir.path(),
        internal.clone(),
    )
    .await
    .expect("catalog-svc builds");
    let address = application.address();
    let admin_address = application.admin_address().ok();
    tokio::spawn(application.run_until_stopped(shutdown.clone()));
    let channel = kensho_test_support::grpc_channel(address, internal.credential.as_ref());
    Replica {
        client: CatalogServiceClient::new(channel),
        admin_address,
        shutdown,
        _data_dir: data_dir,
    }
}

async fn some_anime_id(replica: &mut Replica) -> String {
    let hits = replica
        .client
        .search_anime(SearchAnimeRequest {
            query: "cowboy bebop".to_owned(),
            limit: Some(1),
            ..SearchAnimeRequest::default()
        })
        .await
        .expect("search")
        .into_inner()
        .hits;
    hits[0].anime.as_ref().expect("summary").id.clone()
}

/// The cache status a detail read carries.
async fn detail_status(replica: &mut Replica, id: &str) -> String {
    let response = replica
        .client
        .get_anime(GetAnimeRequest { id: id.to_owned() })
        .await
        .expect("detail");
    let status = response
        .metadata()
        .get(CACHE_STATUS_METADATA)
        .expect("cache status metadata")
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_eq!(response.into_inner().anime.expect("anime").id, id);
    status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_detail_loaded_by_one_replica_is_served_to_the_other_from_redis() {
    let namespace = format!("kensho-test-{}", uuid::Uuid::new_v4().simple());
    let mut first = spawn_replica(redis_settings(test_redis_url(), &namespace), None).await;
    let mut second = spawn_replica(redis_settings(test_redis_url(), &namespace), None).await;
    let id = some_anime_id(&mut first).await;

    let loaded = detail_status(&mut first, &id).await;
    let shared = detail_status(&mut second, &id).await;
    let local = detail_status(&mut second, &id).await;

    assert_eq!(loaded, "kensho-catalog; fwd=miss; stored");
    assert!(shared.ends_with("detail=l2"), "{shared}");
    assert!(local.ends_with("detail=l1"), "{local}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_keep_answering_while_the_cache_redis_is_stopped() {
    let mut redis = PrivateRedis::start();
    let mut replica = spawn_replica(redis_settings(redis.url(), "kensho"), None).await;
    let id = some_anime_id(&mut replica).await;
    assert!(detail_status(&mut replica, &id).await.contains("fwd=miss"));

    redis.stop();
    let served = detail_status(&mut replica, &id).await;
    let searched = some_anime_id(&mut replica).await;

    assert!(served.ends_with("detail=l1"), "{served}");
    assert_eq!(searched, id);
}

/// One page of the top list, with how the cache answered.
async fn top_list_page(
    replica: &mut Replica,
    cursor: &str,
) -> Result<(ListAnimeResponse, String), tonic::Status> {
    let request = ListAnimeRequest {
        sort: Some(AnimeSort {
            field: AnimeSortField::Score.into(),
            descending: true,
        }),
        page_size: Some(5),
        cursor: cursor.to_owned(),
        ..ListAnimeRequest::default()
    };
    let response = replica.client.list_anime(request).await?;
    let status = response
        .metadata()
        .get(CACHE_STATUS_METADATA)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    Ok((response.into_inner(), status))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_pages_are_shared_through_redis_and_cursors_open_on_every_replica_sharing_the_key() {
    let namespace = format!("kensho-test-{}", uuid::Uuid::new_v4().simple());
    let shared_key = Some("a cursor key both replicas share");
    let mut first = spawn_replica(redis_settings(test_redis_url(), &namespace), shared_key).await;
    let mut second = spawn_replica(redis_settings(test_redis_url(), &namespace), shared_key).await;
    let mut stranger = spawn_replica(RedisCacheSettings::default(), None).await;

    let (first_page, loaded) = top_list_page(&mut first, "").await.expect("first page");
    let (same_page, shared) = top_list_page(&mut second, "")
        .await
        .expect("first page again");
    let cursor = first_page.next_cursor.clone();
    let (second_page, _) = top_list_page(&mut second, &cursor)
        .await
        .expect("a cursor of the shared key opens on the other replica");
    let refused = top_list_page(&mut stranger, &cursor)
        .await
        .expect_err("another key refuses the cursor");

    assert_eq!(loaded, "kensho-catalog; fwd=miss; stored");
    assert!(shared.ends_with("detail=l2"), "{shared}");
    assert_eq!(same_page, first_page);
    assert_eq!(second_page.anime.len(), 5);
    assert!(second_page.anime.iter().all(|anime| {
        first_page
            .anime
            .iter()
            .all(|earlier| earlier.id != anime.id)
    }));
    assert_eq!(refused.code(), tonic::Code::InvalidArgument);
}

/// The season the warmer loads: today's, as anime seasons run (winter January–March, ...).
fn current_season() -> (u32, Season) {
    let today = time::OffsetDateTime::now_utc().date();
    let season = match u8::from(today.month()) {
        1..=3 => Season::Winter,
        4..=6 => Season::Spring,
        7..=9 => Season::Summer,
        _ => Season::Fall,
    };
    (u32::try_from(today.year()).expect("a year after 0"), season)
}

#[tokio::test]
async fn the_current_season_is_in_the_cache_before_any_client_asks() {
    let mut replica = spawn_replica_with(|settings| settings.admin.port = Some(0)).await;
    let metrics_url = format!(
        "http://{}/metrics",
        replica.admin_address.expect("an admin port")
    );
    // The warmer's load is the only season read so far: wait for it to be counted.
    wait_until(
        "the warmer's season read counted",
        std::time::Duration::from_secs(20),
        async || {
            let scraped = reqwest::get(&metrics_url)
                .await
                .expect("metrics answer")
                .text()
                .await
                .expect("text");
            scraped.lines().any(|line| {
                line.starts_with("cache_misses_total")
                    && line.contains("class=\"seasons\"")
                    && line.contains("layer=\"l1\"")
            })
        },
    )
    .await;
    let (year, season) = current_season();

    let response = replica
        .client
        .browse_season(BrowseSeasonRequest {
            year,
            season: season.into(),
            ..BrowseSeasonRequest::default()
        })
        .await
        .expect("browse");

    let status = response
        .metadata()
        .get(CACHE_STATUS_METADATA)
        .expect("cache status metadata")
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(status.starts_with("kensho-catalog; hit"), "{status}");
}
