//! The read path against real Redis: single-flight, the fleet lock, stale serving, negative
//! caching, invalidation between processes and a Redis that stops and comes back. Tests on the
//! shared Redis use a namespace of their own; the test that stops Redis starts its own.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use kensho_cache::{Cache, CacheHub, ClassPolicy, Keying, Layer, RedisCacheSettings};
use kensho_kit::{Secret, Shutdown};
use kensho_test_support::wait::wait_until;
use kensho_test_support::{PrivateRedis, test_redis_url};

#[derive(Clone, PartialEq, prost::Message)]
struct Title {
    #[prost(string, tag = "1")]
    name: String,
}

fn redis_settings(url: String) -> RedisCacheSettings {
    RedisCacheSettings {
        enabled: true,
        url: Secret::new(url),
        namespace: format!("kensho-test-{}", uuid::Uuid::new_v4().simple()),
        retry_interval_ms: 50,
        // Generous on a loaded machine: a lock call that times out would count as Redis down.
        timeout_ms: 2_000,
        ..RedisCacheSettings::default()
    }
}

fn l1_only() -> RedisCacheSettings {
    RedisCacheSettings::default()
}

/// A loader that counts its calls and answers `name`.
fn counting_loader(
    loads: &Arc<AtomicUsize>,
    name: &'static str,
) -> impl Fn() -> std::future::Ready<Result<Option<Title>, String>> + Send + Sync + 'static {
    let loads = Arc::clone(loads);
    move || {
        loads.fetch_add(1, Ordering::SeqCst);
        std::future::ready(Ok(Some(Title {
            name: name.to_owned(),
        })))
    }
}

/// How long an effect that nothing announces (a pub/sub delivery, a reconnection) may take.
const EFFECT_WAIT: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_concurrent_misses_of_one_key_run_one_load() {
    let hub = CacheHub::new(&l1_only()).expect("hub");
    let cache: Cache<Title> =
        Cache::new(&hub, "anime", ClassPolicy::default(), Keying::PerKey).await;
    let loads = Arc::new(AtomicUsize::new(0));
    let slow_loads = Arc::clone(&loads);
    let readers = (0..500).map(|_| {
        let cache = cache.clone();
        let loads = Arc::clone(&slow_loads);
        tokio::spawn(async move {
            cache
                .get_or_load("frieren", move || {
                    let loads = Arc::clone(&loads);
                    async move {
                        loads.fetch_add(1, Ordering::SeqCst);
                        tokio::task::yield_now().await;
                        Ok::<_, String>(Some(Title {
                            name: "Frieren".to_owned(),
                        }))
                    }
                })
                .await
        })
    });
    let lookups = futures_util::future::join_all(readers).await;
    for lookup in lookups {
        let lookup = lookup.expect("reader").expect("lookup");
        assert_eq!(lookup.value.expect("found").name, "Frieren");
    }
    assert_eq!(loads.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_sharing_redis_load_a_key_once() {
    let settings = redis_settings(test_redis_url());
    let first_hub = CacheHub::new(&settings).expect("hub");
    let second_hub = CacheHub::new(&settings).expect("hub");
    let policy = ClassPolicy::default();
    let first: Cache<Title> = Cache::new(&first_hub, "anime", policy.clone(), Keying::PerKey).await;
    let second: Cache<Title> = Cache::new(&second_hub, "anime", policy, Keying::PerKey).await;
    let loads = Arc::new(AtomicUsize::new(0));

    let (from_first, from_second) = tokio::join!(
        first.get_or_load("1", counting_loader(&loads, "One Piece")),
        second.get_or_load("1", counting_loader(&loads, "One Piece")),
    );

    assert_eq!(loads.load(Ordering::SeqCst), 1);
    let layers = [
        from_first.expect("first").status.layer,
        from_second.expect("second").status.layer,
    ];
    assert!(layers.contains(&Layer::Origin) && layers.contains(&Layer::L2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalidation_on_one_replica_drops_the_key_from_the_other_replicas_l1() {
    let settings = redis_settings(test_redis_url());
    let first_hub = CacheHub::new(&settings).expect("hub");
    let second_hub = CacheHub::new(&settings).expect("hub");
    second_hub.spawn_listener(Shutdown::new());
    second_hub.subscribed().await;
    let policy = ClassPolicy::default();
    let first: Cache<Title> = Cache::new(&first_hub, "anime", policy.clone(), Keying::PerKey).await;
    let second: Cache<Title> = Cache::new(&second_hub, "anime", policy, Keying::PerKey).await;
    let loads = Arc::new(AtomicUsize::new(0));
    second
        .get_or_load("7", counting_loader(&loads, "Mushishi"))
        .await
        .expect("warm the second replica");
    assert_eq!(second.l1_entry_count().await, 1);

    first.invalidate("7").await;

    wait_until(
        "the second replica dropped the key",
        EFFECT_WAIT,
        async || second.l1_entry_count().await == 0,
    )
    .await;
    let reread = second
        .get_or_load("7", counting_loader(&loads, "Mushishi"))
        .await
        .expect("reread");
    assert_eq!(reread.status.layer, Layer::Origin);
    assert_eq!(loads.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_generation_advance_makes_every_list_key_load_again() {
    let hub = CacheHub::new(&l1_only()).expect("hub");
    let searches: Cache<Title> =
        Cache::new(&hub, "search", ClassPolicy::default(), Keying::Generational).await;
    let loads = Arc::new(AtomicUsize::new(0));
    searches
        .get_or_load("q=naruto", counting_loader(&loads, "Naruto"))
        .await
        .expect("first");
    searches
        .get_or_load("q=naruto", counting_loader(&loads, "Naruto"))
        .await
        .expect("hit");
    assert_eq!(loads.load(Ordering::SeqCst), 1);

    searches.advance_generation().await;
    let after = searches
        .get_or_load("q=naruto", counting_loader(&loads, "Naruto"))
        .await
        .expect("after");

    assert_eq!(after.status.layer, Layer::Origin);
    assert_eq!(loads.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_not_found_is_remembered_without_another_load() {
    let hub = CacheHub::new(&l1_only()).expect("hub");
    let cache: Cache<Title> =
        Cache::new(&hub, "anime", ClassPolicy::default(), Keying::PerKey).await;
    let loads = Arc::new(AtomicUsize::new(0));
    for _ in 0..3 {
        let counter = Arc::clone(&loads);
        let lookup = cache
            .get_or_load("missing", move || {
                counter.fetch_add(1, Ordering::SeqCst);
                std::future::ready(Ok::<Option<Title>, String>(None))
            })
            .await
            .expect("lookup");
        assert!(lookup.value.is_none());
    }
    assert_eq!(loads.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_value_past_its_soft_ttl_is_served_stale_when_the_loader_fails() {
    let hub = CacheHub::new(&l1_only()).expect("hub");
    let policy = ClassPolicy::with_ttls(0, 3_600);
    let cache: Cache<Title> = Cache::new(&hub, "anime", policy, Keying::PerKey).await;
    let loads = Arc::new(AtomicUsize::new(0));
    cache
        .get_or_load("9", counting_loader(&loads, "Monster"))
        .await
        .expect("first");

    for _ in 0..5 {
        let lookup = cache
            .get_or_load("9", || {
                std::future::ready(Err::<Option<Title>, _>("upstream down"))
            })
            .await
            .expect("served stale, no error");
        assert_eq!(lookup.value.expect("stale value").name, "Monster");
        assert!(lookup.status.stale);
        assert_eq!(lookup.status.layer, Layer::L1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_succeed_while_redis_is_stopped_and_use_it_again_when_it_returns() {
    let mut redis = PrivateRedis::start();
    let hub = CacheHub::new(&redis_settings(redis.url())).expect("hub");
    let cache: Cache<Title> =
        Cache::new(&hub, "anime", ClassPolicy::default(), Keying::PerKey).await;
    let loads = Arc::new(AtomicUsize::new(0));
    cache
        .get_or_load("1", counting_loader(&loads, "One"))
        .await
        .expect("with redis");
    let l2 = hub.l2().expect("l2").clone();
    assert!(l2.is_available());

    redis.stop();
    for key in ["2", "3", "4"] {
        let lookup = cache
            .get_or_load(key, counting_loader(&loads, "Down"))
            .await
            .expect("no error while redis is down");
        assert_eq!(lookup.value.expect("value").name, "Down");
    }
    assert!(!l2.is_available());
    let repeated = cache
        .get_or_load("2", counting_loader(&loads, "Down"))
        .await
        .expect("l1");
    assert_eq!(repeated.status.layer, Layer::L1);

    redis.restart();
    let mut attempt = 0;
    wait_until("l2 used again", EFFECT_WAIT, async || {
        attempt += 1;
        let key = format!("after-{attempt}");
        cache
            .get_or_load(&key, counting_loader(&loads, "Back"))
            .await
            .expect("lookup");
        l2.is_available() && l2.get(&l2.key("anime", &key)).await.is_some()
    })
    .await;
}
