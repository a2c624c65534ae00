//! Cache warming: at start and then every interval, the most requested anime (counted by a small
//! in-process tally of detail reads) and the first page of the current season are read through
//! the caches, so they are loaded before clients ask, also after an invalidation emptied them.
//! Reads go through the same request handling as clients' reads, so they fill the same keys.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use kensho_kit::Shutdown;
use kensho_proto::catalog::v1 as pb;
use kensho_proto::catalog::v1::catalog_service_server::CatalogService;
use serde::{Deserialize, Serialize};
use tonic::Request;

use super::service::CatalogGrpc;

/// The `[catalog.cache.warming]` section.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WarmingSettings {
    /// Whether caches are warmed at all.
    pub enabled: bool,
    /// Seconds between warming runs (the first runs at start).
    pub interval_seconds: u64,
    /// How many of the most requested anime each run loads.
    pub top_anime: usize,
    /// Most distinct anime the request tally keeps; past it, every count is halved and the
    /// zeros dropped, so the tally stays small and follows recent demand.
    pub tracked_anime: usize,
}

impl Default for WarmingSettings {
    fn default() -> Self {
        WarmingSettings {
            enabled: true,
            interval_seconds: 300,
            top_anime: 100,
            tracked_anime: 10_000,
        }
    }
}

/// How often each anime's detail was requested, within a bounded number of anime.
#[derive(Debug)]
pub struct AnimeDemand {
    counts: Mutex<HashMap<String, u64>>,
    capacity: usize,
}

impl AnimeDemand {
    /// An empty tally of at most `capacity` anime.
    pub fn new(capacity: usize) -> Self {
        AnimeDemand {
            counts: Mutex::new(HashMap::new()),
            capacity: capacity.max(1),
        }
    }

    /// Counts one request of `id`.
    pub fn record(&self, id: &str) {
        let mut counts = self
            .counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(count) = counts.get_mut(id) {
            *count += 1;
            return;
        }
        if counts.len() >= self.capacity {
            counts.retain(|_, count| {
                *count /= 2;
                *count > 0
            });
        }
        if counts.len() < self.capacity {
            counts.insert(id.to_owned(), 1);
        }
    }

    /// The `n` most requested ids, most requested first.
    pub fn most_requested(&self, n: usize) -> Vec<String> {
        let counts = self
            .counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut ranked: Vec<(&String, &u64)> = counts.iter().collect();
        ranked.sort_by(|left, right| right.1.cmp(left.1).then_with(|| left.0.cmp(right.0)));
        ranked
            .into_iter()
            .take(n)
            .map(|(id, _)| id.clone())
            .collect()
    }
}

/// Warms at once and then every interval until `shutdown`; does nothing when disabled.
pub(super) async fn warm_every(grpc: CatalogGrpc, settings: WarmingSettings, shutdown: Shutdown) {
    if !settings.enabled {
        return;
    }
    let interval = Duration::from_secs(settings.interval_seconds.max(1));
    loop {
        warm_once(&grpc, &settings).await;
        tokio::select! {
            () = tokio::time::sleep(interval) => {}
            () = shutdown.wait() => return,
        }
    }
}

/// One run: the current season's first page, then the most requested anime.
async fn warm_once(grpc: &CatalogGrpc, settings: &WarmingSettings) {
    let (year, season) = current_season(time::OffsetDateTime::now_utc().date());
    let season_page = pb::BrowseSeasonRequest {
        year,
        season: season.into(),
        ..pb::BrowseSeasonRequest::default()
    };
    let mut failures = 0_usize;
    if grpc.browse_season(Request::new(season_page)).await.is_err() {
        failures += 1;
    }
    let top = grpc.demand().most_requested(settings.top_anime);
    let warmed = top.len();
    for id in top {
        // A warming read must not count as demand: it goes to the cache directly.
        if grpc.warm_anime(&id).await.is_err() {
            failures += 1;
        }
    }
    tracing::debug!(year, anime = warmed, failures, "caches warmed");
}

/// The anime season a date falls in: winter January–March, spring April–June, summer
/// July–September, fall October–December.
fn current_season(date: time::Date) -> (u32, pb::Season) {
    let season = match u8::from(date.month()) {
        1..=3 => pb::Season::Winter,
        4..=6 => pb::Season::Spring,
        7..=9 => pb::Season::Summer,
        _ => pb::Season::Fall,
    };
    (u32::try_from(date.year()).unwrap_or(0), season)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_requested_anime_come_first() {
        let demand = AnimeDemand::new(10);
        for id in ["a", "b", "b", "c", "c", "c"] {
            demand.record(id);
        }
        assert_eq!(demand.most_requested(2), vec!["c", "b"]);
    }

    #[test]
    fn a_full_tally_halves_its_counts_and_keeps_the_frequent_ones() {
        let demand = AnimeDemand::new(2);
        for id in ["hot", "hot", "hot", "cold"] {
            demand.record(id);
        }
        demand.record("new");
        assert_eq!(demand.most_requested(5), vec!["hot", "new"]);
    }

    #[test]
    fn a_date_falls_in_its_season() {
        let date = time::Date::from_calendar_date(2026, time::Month::December, 2).expect("date");
        assert_eq!(current_season(date), (2026, pb::Season::Fall));
        let date = time::Date::from_calendar_date(2026, time::Month::April, 1).expect("date");
        assert_eq!(current_season(date), (2026, pb::Season::Spring));
    }
}
