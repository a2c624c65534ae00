//! The runner's own probe: a steady stream of catalog reads (detail, episodes, search, browse,
//! over the most popular titles) sent on a fixed schedule whatever the answers take, each
//! recorded with its second, status, latency and whether `Cache-Status` said it was stale.
//! k6 adds the load; the probe gives the per-second series that recovery is measured on.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use serde::Serialize;

/// One answered (or failed) probe request.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sample {
    /// Milliseconds from the start of the experiment to the request being sent.
    pub sent_at_ms: u64,
    /// The HTTP status; 0 when no answer came (connection refused, reset, timeout).
    pub status: u16,
    /// Milliseconds until the answer, or until the request failed.
    pub latency_ms: f64,
    /// `Cache-Status` said the value was stale: Kensho's member carries a negative `ttl` then.
    pub stale: bool,
}

impl Sample {
    /// Whether the request counts as served: any status below 500 that is not 429 (the probe
    /// asks for titles that exist, so a 4xx would be a bug it should see, but not a fault).
    pub fn succeeded(&self) -> bool {
        (200..500).contains(&self.status) && self.status != 429
    }
}

/// The paths the probe cycles through.
#[derive(Clone, Debug)]
pub struct ProbeTargets {
    paths: Vec<String>,
}

impl ProbeTargets {
    /// Detail, episodes and a search for each of the `titles` most popular titles, plus the
    /// current season's browse.
    pub async fn discover(
        client: &reqwest::Client,
        base_url: &str,
        titles: usize,
    ) -> anyhow::Result<Self> {
        let list = format!("{base_url}/api/v1/anime?sort=-popularity&limit={titles}");
        let page: serde_json::Value = client
            .get(&list)
            .send()
            .await
            .context("cannot list the catalog")?
            .error_for_status()?
            .json()
            .await?;
        let mut paths = vec!["/api/v1/browse/season/current".to_owned()];
        for anime in page["data"].as_array().into_iter().flatten() {
            let Some(id) = anime["id"]
                .as_str()
                .map(str::to_owned)
                .or_else(|| anime["id"].as_i64().map(|number| number.to_string()))
            else {
                continue;
            };
            paths.push(format!("/api/v1/anime/{id}"));
            paths.push(format!("/api/v1/anime/{id}/episodes"));
            if let Some(word) = anime["title"].as_str().and_then(|title| {
                title
                    .split_whitespace()
                    .find(|word| word.chars().count() >= 3)
            }) {
                let query: String = word.chars().filter(|c| c.is_alphanumeric()).collect();
                if query.chars().count() >= 2 {
                    paths.push(format!("/api/v1/search?q={query}"));
                }
            }
        }
        anyhow::ensure!(paths.len() > 1, "the catalog listed no titles to probe");
        Ok(ProbeTargets { paths })
    }
}

/// A probe running in the background until [`Probe::finish`].
pub struct Probe {
    samples: Arc<Mutex<Vec<Sample>>>,
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Probe {
    /// Starts sending `rate_per_second` requests a second to `base_url`, timing each out after
    /// `timeout`; `start` is the experiment's time zero.
    pub fn spawn(
        client: reqwest::Client,
        base_url: String,
        targets: ProbeTargets,
        rate_per_second: u32,
        timeout: Duration,
        start: Instant,
    ) -> Self {
        let samples = Arc::new(Mutex::new(Vec::new()));
        let (stop, mut stopped) = tokio::sync::watch::channel(false);
        let recorded = Arc::clone(&samples);
        let interval = Duration::from_secs(1) / rate_per_second.max(1);
        let task = tokio::spawn(async move {
            let mut ticks = tokio::time::interval(interval);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut in_flight = tokio::task::JoinSet::new();
            for path in targets.paths.iter().cycle() {
                tokio::select! {
                    _ = ticks.tick() => {}
                    _ = stopped.changed() => break,
                }
                let request = client.get(format!("{base_url}{path}")).timeout(timeout);
                let recorded = Arc::clone(&recorded);
                in_flight.spawn(async move {
                    let sample = send(request, start).await;
                    recorded.lock().expect("samples lock").push(sample);
                });
                // Reap what finished so the set stays small.
                while in_flight.try_join_next().is_some() {}
            }
            while in_flight.join_next().await.is_some() {}
        });
        Probe {
            samples,
            stop,
            task,
        }
    }

    /// Stops sending, waits for the requests in flight, and returns every sample in send order.
    pub async fn finish(self) -> Vec<Sample> {
        let _ = self.stop.send(true);
        let _ = self.task.await;
        let mut samples = std::mem::take(&mut *self.samples.lock().expect("samples lock"));
        samples.sort_by_key(|sample| sample.sent_at_ms);
        samples
    }
}

async fn send(request: reqwest::RequestBuilder, start: Instant) -> Sample {
    let sent = Instant::now();
    let sent_at_ms = u64::try_from(sent.duration_since(start).as_millis()).unwrap_or(u64::MAX);
    let (status, stale) = match request.send().await {
        Ok(response) => {
            let stale = response
                .headers()
                .get_all("cache-status")
                .iter()
                .filter_map(|value| value.to_str().ok())
                .any(|value| value.contains("ttl=-") || value.contains("stale"));
            let status = response.status().as_u16();
            // The body is part of the answer's latency.
            match response.bytes().await {
                Ok(_) => (status, stale),
                Err(_) => (0, false),
            }
        }
        Err(_) => (0, false),
    };
    Sample {
        sent_at_ms,
        status,
        latency_ms: sent.elapsed().as_secs_f64() * 1000.0,
        stale,
    }
}
