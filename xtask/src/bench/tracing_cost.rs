//! What OpenTelemetry export costs the gateway's detail route: the same all-in-one started twice,
//! once without an OTLP endpoint and once exporting every span to a local OTLP receiver (the
//! test receiver of `kensho-test-support`), measured with the same closed-loop client in the same
//! run, alternating so drift on the shared machine hits both alike.

use std::fmt::Write as _;
use std::time::Instant;

use anyhow::Context;
use kensho_test_support::otlp::OtlpReceiver;

use super::{BenchContext, Section};
use crate::all_in_one::{AllInOne, LoadAccount, target_dir};
use crate::chaos::figures::percentile;

/// Concurrent clients, each sending its next request when the previous one is answered.
const CLIENTS: usize = 4;
/// Requests per client and round, after the warm-up.
const REQUESTS_PER_CLIENT: usize = 500;
const WARM_UP_REQUESTS: usize = 200;
/// Rounds per mode, alternating off and on.
const ROUNDS: usize = 2;
/// Titles the detail requests cycle through (all cached after the warm-up).
const TITLES: usize = 20;

/// One mode's figures over every round.
#[derive(Debug, Default)]
struct Figures {
    requests: usize,
    seconds: f64,
    latencies_ms: Vec<f64>,
}

impl Figures {
    fn throughput(&self) -> f64 {
        self.requests as f64 / self.seconds.max(f64::MIN_POSITIVE)
    }
}

/// The "Tracing cost" section.
pub fn run(context: &BenchContext) -> anyhow::Result<Section> {
    let binary = AllInOne::build(context.release)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let receiver = runtime.block_on(OtlpReceiver::start());
    let directory = target_dir().join("bench/tracing");
    std::fs::create_dir_all(&directory)?;
    let accounts = LoadAccount::generate(1);
    let mut off = Figures::default();
    let mut on = Figures::default();
    for round in 0..ROUNDS {
        for exporting in [false, true] {
            let extra = if exporting {
                format!(
                    "[telemetry]\notlp_endpoint = {}\notlp_batch_delay_ms = 200\n",
                    serde_json::Value::from(receiver.endpoint.as_str())
                )
            } else {
                String::new()
            };
            let log = directory.join(format!("kensho-{round}-{exporting}.log"));
            let all_in_one = AllInOne::start_with(&binary, &accounts, None, &log, &extra)?;
            let figures = runtime.block_on(measure(all_in_one.gateway_url()))?;
            drop(all_in_one);
            let target = if exporting { &mut on } else { &mut off };
            target.requests += figures.requests;
            target.seconds += figures.seconds;
            target.latencies_ms.extend(figures.latencies_ms);
        }
    }
    let spans = receiver.spans().len();
    anyhow::ensure!(
        spans > 0,
        "the OTLP receiver got no spans: export was not on"
    );
    Ok(section(&mut off, &mut on, spans))
}

async fn measure(gateway: &str) -> anyhow::Result<Figures> {
    let client = crate::all_in_one::http_client();
    let page: serde_json::Value = client
        .get(format!(
            "{gateway}/api/v1/anime?sort=-popularity&limit={TITLES}"
        ))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let paths: Vec<String> = page["data"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|anime| {
            anime["id"]
                .as_str()
                .map(|id| format!("{gateway}/api/v1/anime/{id}"))
        })
        .collect();
    anyhow::ensure!(!paths.is_empty(), "the catalog listed no titles");
    for path in paths.iter().cycle().take(WARM_UP_REQUESTS) {
        client.get(path).send().await?.error_for_status()?;
    }
    let started = Instant::now();
    let mut clients = tokio::task::JoinSet::new();
    for offset in 0..CLIENTS {
        let (client, paths) = (client.clone(), paths.clone());
        clients.spawn(async move {
            let mut latencies = Vec::with_capacity(REQUESTS_PER_CLIENT);
            for path in paths.iter().cycle().skip(offset).take(REQUESTS_PER_CLIENT) {
                let sent = Instant::now();
                let response = client.get(path).send().await?.error_for_status()?;
                response.bytes().await?;
                latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
            }
            anyhow::Ok(latencies)
        });
    }
    let mut latencies_ms = Vec::new();
    while let Some(result) = clients.join_next().await {
        latencies_ms.extend(result.context("a client panicked")??);
    }
    Ok(Figures {
        requests: latencies_ms.len(),
        seconds: started.elapsed().as_secs_f64(),
        latencies_ms,
    })
}

fn section(off: &mut Figures, on: &mut Figures, spans: usize) -> Section {
    off.latencies_ms.sort_by(f64::total_cmp);
    on.latencies_ms.sort_by(f64::total_cmp);
    let mut text = format!(
        "## Tracing cost\n\n`cargo xtask bench tracing`: `GET /api/v1/anime/{{id}}` (cached, {TITLES} \
         titles), {CLIENTS} closed-loop clients × {REQUESTS_PER_CLIENT} requests per round, {ROUNDS} \
         rounds per mode alternating, the all-in-one without an OTLP endpoint against the same \
         build exporting every span (batch delay 200 ms) to a local OTLP receiver, which got \
         {spans} spans.\n\n| export | requests/s | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|---:|\n"
    );
    for (mode, figures) in [("off", &*off), ("on", &*on)] {
        let _ = writeln!(
            text,
            "| {mode} | {:.0} | {:.2} | {:.2} | {:.2} |",
            figures.throughput(),
            percentile(&figures.latencies_ms, 0.50),
            percentile(&figures.latencies_ms, 0.95),
            percentile(&figures.latencies_ms, 0.99),
        );
    }
    let ratio = |quantile: f64| {
        percentile(&on.latencies_ms, quantile)
            / percentile(&off.latencies_ms, quantile).max(f64::MIN_POSITIVE)
    };
    let summary = format!(
        "on/off: p50 ×{:.2}, p99 ×{:.2}, throughput ×{:.2}",
        ratio(0.50),
        ratio(0.99),
        on.throughput() / off.throughput().max(f64::MIN_POSITIVE)
    );
    println!("tracing cost {summary}");
    let _ = writeln!(text, "\nRatio {summary}.");
    Section {
        markdown: text,
        plots: Vec::new(),
    }
}
