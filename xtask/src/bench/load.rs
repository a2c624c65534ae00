//! The load benchmark: the all-in-one's start-up time and idle memory, then the k6 `normal`
//! scenario at rising concurrency (throughput and percentiles per level, peak RSS), and the
//! latency percentiles over time of the highest level, from k6's CSV output.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;

use super::svg::{LineChart, Series};
use super::{BenchContext, Section};
use crate::all_in_one::{AllInOne, LoadAccount, target_dir};
use crate::chaos::figures::percentile;
use crate::load_task::k6_binary;
use crate::workspace_root;

/// Virtual users of each level; the last is the normal scenario.
const LEVELS: [u32; 4] = [10, 25, 50, 100];
/// How long each level holds its users.
const HOLD: &str = "20s";
const ACCOUNTS: usize = 20;
/// How often the all-in-one's RSS is read during the load.
const RSS_INTERVAL: Duration = Duration::from_millis(250);

/// One level's figures.
struct Level {
    vus: u32,
    requests_per_second: f64,
    error_rate: f64,
    p95_ms: f64,
    p99_ms: f64,
}

/// The "Load" section.
pub fn run(context: &BenchContext) -> anyhow::Result<Section> {
    let binary = AllInOne::build(context.release)?;
    let k6 = k6_binary();
    let directory = target_dir().join("bench/load");
    std::fs::create_dir_all(&directory)?;
    let accounts = LoadAccount::generate(ACCOUNTS);
    let started = Instant::now();
    let all_in_one = AllInOne::start(&binary, &accounts, None, &directory.join("kensho.log"))?;
    let start_up = started.elapsed();
    let pid = all_in_one.pid().context("the all-in-one has no process")?;
    let idle_rss_kib = rss_kib(pid).unwrap_or(0);
    let peak = Arc::new(AtomicU64::new(idle_rss_kib));
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, stop) = (Arc::clone(&peak), Arc::clone(&stop));
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                if let Some(rss) = rss_kib(pid) {
                    peak.fetch_max(rss, Ordering::Relaxed);
                }
                std::thread::sleep(RSS_INTERVAL);
            }
        })
    };
    let mut levels = Vec::new();
    let csv = directory.join("highest-level.csv");
    for vus in LEVELS {
        let summary = directory.join(format!("summary-{vus}.json"));
        let mut command = Command::new(&k6);
        command
            .args(["run", "--no-usage-report", "--quiet", "--summary-export"])
            .arg(&summary)
            .args(["-e", &format!("BASE_URL={}", all_in_one.gateway_url())])
            .args([
                "-e",
                &format!("ACCOUNTS={}", LoadAccount::k6_list(&accounts)),
            ])
            .args([
                "-e",
                &format!("VUS={vus}"),
                "-e",
                "RAMP=5s",
                "-e",
                &format!("HOLD={HOLD}"),
            ]);
        if Some(&vus) == LEVELS.last() {
            command.arg(format!("--out=csv={}", csv.display()));
        }
        command.arg(workspace_root().join("load-tests/k6/normal.js"));
        // A missed threshold is a figure for the report, not a failure of the benchmark.
        let _status = command.status().context("cannot run k6")?;
        let document: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&summary)?)?;
        let metrics = &document["metrics"];
        levels.push(Level {
            vus,
            requests_per_second: metrics["http_reqs"]["rate"].as_f64().unwrap_or(0.0),
            error_rate: metrics["kensho_errors"]["value"].as_f64().unwrap_or(0.0),
            p95_ms: metrics["http_req_duration"]["p(95)"]
                .as_f64()
                .unwrap_or(0.0),
            p99_ms: metrics["http_req_duration"]["p(99)"]
                .as_f64()
                .unwrap_or(0.0),
        });
    }
    stop.store(true, Ordering::Relaxed);
    let _ = sampler.join();
    drop(all_in_one);
    let peak_rss_kib = peak.load(Ordering::Relaxed);
    let over_time = latency_over_time(&csv)?;
    Ok(section(
        context,
        &levels,
        &over_time,
        start_up,
        idle_rss_kib,
        peak_rss_kib,
    ))
}

fn section(
    context: &BenchContext,
    levels: &[Level],
    over_time: &[(f64, f64, f64, f64)],
    start_up: Duration,
    idle_rss_kib: u64,
    peak_rss_kib: u64,
) -> Section {
    let profile = if context.release { "release" } else { "debug" };
    let mut text = format!(
        "## Load (k6 normal scenario)\n\n`cargo xtask bench load{}`: the all-in-one ({profile} \
         build, SQLite, in-process L2) with k6 on the same machine, the realistic mix (browse 10 : \
         search 5 : detail 5 : episodes 3 : stream 1, Zipf ids), each level ramping for 5 s and \
         holding {HOLD}.\n\n| VUs | requests/s | errors | p95 ms | p99 ms |\n|---:|---:|---:|---:|---:|\n",
        if context.release { " --release" } else { "" }
    );
    for level in levels {
        let _ = writeln!(
            text,
            "| {} | {:.0} | {:.2}% | {:.1} | {:.1} |",
            level.vus,
            level.requests_per_second,
            level.error_rate * 100.0,
            level.p95_ms,
            level.p99_ms
        );
    }
    let mb = |kib: u64| kib as f64 / 1024.0;
    let _ = write!(
        text,
        "\nStart-up to a served catalog (seeding an empty one included): {:.1} s. RSS idle: {:.0} MiB; \
         peak under the load: {:.0} MiB.\n\n![throughput against concurrency](benchmarks/throughput.svg)\n\n\
         ![latency over time](benchmarks/latency-over-time.svg)\n",
        start_up.as_secs_f64(),
        mb(idle_rss_kib),
        mb(peak_rss_kib)
    );
    if let Some(highest) = levels.last() {
        let verdict = |met: bool| if met { "met" } else { "missed" };
        let _ = write!(
            text,
            "\n| target ({} VUs) | measured | |\n|---|---:|---|\n\
             | p95 < 50 ms | {:.1} ms | {} |\n| p99 < 200 ms | {:.1} ms | {} |\n\
             | 0 errors | {:.2}% | {} |\n| RSS ≤ 150 MB | {:.0} MiB | {} |\n",
            highest.vus,
            highest.p95_ms,
            verdict(highest.p95_ms < 50.0),
            highest.p99_ms,
            verdict(highest.p99_ms < 200.0),
            highest.error_rate * 100.0,
            verdict(highest.error_rate == 0.0),
            mb(peak_rss_kib),
            verdict(peak_rss_kib as f64 * 1024.0 <= 150.0e6),
        );
    }
    let throughput = LineChart {
        title: "Throughput against concurrency".to_owned(),
        x_label: "virtual users".to_owned(),
        y_label: "requests/s".to_owned(),
        series: vec![Series {
            label: "requests/s".to_owned(),
            points: levels
                .iter()
                .map(|level| (f64::from(level.vus), level.requests_per_second))
                .collect(),
        }],
        shaded: Vec::new(),
    };
    let series = |label: &str, pick: fn(&(f64, f64, f64, f64)) -> f64| Series {
        label: label.to_owned(),
        points: over_time.iter().map(|row| (row.0, pick(row))).collect(),
    };
    let latency = LineChart {
        title: format!(
            "Latency over time at {} VUs",
            levels.last().map_or(0, |level| level.vus)
        ),
        x_label: "seconds".to_owned(),
        y_label: "ms".to_owned(),
        series: vec![
            series("p50", |row| row.1),
            series("p95", |row| row.2),
            series("p99", |row| row.3),
        ],
        shaded: Vec::new(),
    };
    Section {
        markdown: text,
        plots: vec![
            ("throughput.svg".to_owned(), throughput.render()),
            ("latency-over-time.svg".to_owned(), latency.render()),
        ],
    }
}

/// (second, p50, p95, p99) of `http_req_duration` per second of a k6 CSV output.
fn latency_over_time(csv: &Path) -> anyhow::Result<Vec<(f64, f64, f64, f64)>> {
    let text = std::fs::read_to_string(csv).with_context(|| format!("no {}", csv.display()))?;
    Ok(per_second_percentiles(&text))
}

fn per_second_percentiles(text: &str) -> Vec<(f64, f64, f64, f64)> {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    let column = |name: &str| header.iter().position(|column| *column == name);
    let (Some(metric), Some(timestamp), Some(value)) = (
        column("metric_name"),
        column("timestamp"),
        column("metric_value"),
    ) else {
        return Vec::new();
    };
    let mut seconds: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
    for line in lines {
        let fields: Vec<&str> = line.split(',').collect();
        if fields.get(metric) != Some(&"http_req_duration") {
            continue;
        }
        let (Some(Ok(second)), Some(Ok(ms))) = (
            fields.get(timestamp).map(|field| field.parse::<i64>()),
            fields.get(value).map(|field| field.parse::<f64>()),
        ) else {
            continue;
        };
        seconds.entry(second).or_default().push(ms);
    }
    let first = seconds.keys().next().copied().unwrap_or(0);
    seconds
        .into_iter()
        .map(|(second, mut values)| {
            values.sort_by(f64::total_cmp);
            (
                (second - first) as f64,
                percentile(&values, 0.50),
                percentile(&values, 0.95),
                percentile(&values, 0.99),
            )
        })
        .collect()
}

/// The resident set of process `pid`, in KiB.
pub fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn k6_csv_rows_become_percentiles_per_second() {
        let text = "metric_name,timestamp,metric_value,check\n\
                    http_req_duration,100,2.0,\n\
                    http_reqs,100,1,\n\
                    http_req_duration,100,4.0,\n\
                    http_req_duration,102,9.0,\n";

        let rows = per_second_percentiles(text);

        assert_eq!(rows, vec![(0.0, 2.0, 4.0, 4.0), (2.0, 9.0, 9.0, 9.0)]);
    }

    #[test]
    fn this_process_has_a_resident_set() {
        assert!(rss_kib(std::process::id()).is_some_and(|kib| kib > 0));
    }
}
