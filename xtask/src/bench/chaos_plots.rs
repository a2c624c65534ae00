//! The chaos section: each experiment's table (from `cargo xtask chaos all`), its figures beside
//! the targets, and its error rate and latency per second with the fault window shaded.

use std::fmt::Write as _;

use super::svg::{LineChart, Series};
use super::{BenchContext, Section};
use crate::all_in_one::target_dir;
use crate::chaos::{self, ChaosReport};

/// The "Chaos experiments" section.
pub fn run(context: &BenchContext) -> anyhow::Result<Section> {
    let path = target_dir().join("chaos/report.json");
    let report = if context.reuse_chaos && path.exists() {
        serde_json::from_str(&std::fs::read_to_string(&path)?)?
    } else {
        chaos::run_all(context.release)?
    };
    Ok(section(&report))
}

fn section(report: &ChaosReport) -> Section {
    let mut text = format!(
        "## Chaos experiments\n\n`cargo xtask chaos all` ({} build): an all-in-one on a throwaway \
         PostgreSQL database and a private Redis, a k6 normal load beside the runner's probe (20 \
         reads a second of detail, episodes, search and browse of the 40 most popular titles).\n",
        report.profile
    );
    let body = report.markdown();
    // The report's own heading and preamble are replaced by the paragraph above.
    let experiments = body.find("\n## ").map_or("", |at| &body[at..]);
    text.push_str(&experiments.replace("\n## ", "\n### "));
    let mut plots = Vec::new();
    for experiment in &report.experiments {
        let seconds = |pick: fn(&chaos::figures::Second) -> f64| -> Vec<(f64, f64)> {
            experiment
                .seconds
                .iter()
                .map(|second| (second.second as f64, pick(second)))
                .collect()
        };
        let window = vec![(
            experiment.fault_started_ms as f64 / 1000.0,
            experiment.fault_removed_ms as f64 / 1000.0,
        )];
        let errors = LineChart {
            title: format!("{}: errors per second", experiment.name),
            x_label: "seconds (fault shaded)".to_owned(),
            y_label: "% of probe requests".to_owned(),
            series: vec![Series {
                label: "errors %".to_owned(),
                points: seconds(|second| second.error_rate * 100.0),
            }],
            shaded: window.clone(),
        };
        let latency = LineChart {
            title: format!("{}: latency per second", experiment.name),
            x_label: "seconds (fault shaded)".to_owned(),
            y_label: "ms".to_owned(),
            series: vec![
                Series {
                    label: "p95".to_owned(),
                    points: seconds(|second| second.p95_ms),
                },
                Series {
                    label: "p99".to_owned(),
                    points: seconds(|second| second.p99_ms),
                },
            ],
            shaded: window,
        };
        let errors_file = format!("chaos-{}-errors.svg", experiment.name);
        let latency_file = format!("chaos-{}-latency.svg", experiment.name);
        let _ = write!(
            text,
            "\n![{0} errors](benchmarks/{errors_file}) ![{0} latency](benchmarks/{latency_file})\n",
            experiment.name
        );
        plots.push((errors_file, errors.render()));
        plots.push((latency_file, latency.render()));
    }
    text.push_str(&targets(report));
    Section {
        markdown: text,
        plots,
    }
}

/// The degradation targets beside what the run measured.
fn targets(report: &ChaosReport) -> String {
    let mut text = String::from(
        "\n### Against the targets\n\n| experiment | target | measured | |\n|---|---|---|---|\n",
    );
    for experiment in &report.experiments {
        let recovery = experiment.recovery_ms.map_or_else(
            || "no recovery in the run".to_owned(),
            |ms| format!("{:.1} s", ms as f64 / 1000.0),
        );
        let recovered = experiment.recovery_ms.is_some_and(|ms| ms <= 5_000);
        let errors_during = experiment.during.error_rate;
        let (target, met) = match experiment.name.as_str() {
            "crunchyroll-outage" => (
                "cached and stale reads 0 errors; uncached fail within 50 ms; recovery ≤ 5 s",
                recovered
                    && experiment
                        .during
                        .slowest_failure_ms
                        .is_none_or(|ms| ms <= 50.0),
            ),
            "redis-down" => (
                "0 errors; recovery ≤ 5 s",
                recovered && errors_during == 0.0,
            ),
            _ => ("recovery ≤ 5 s", recovered),
        };
        let _ = writeln!(
            text,
            "| {} | {target} | {:.2}% errors during (slowest failure {}), recovery {recovery} | {} |",
            experiment.name,
            errors_during * 100.0,
            experiment
                .during
                .slowest_failure_ms
                .map_or_else(|| "–".to_owned(), |ms| format!("{ms:.0} ms")),
            if met { "met" } else { "missed" }
        );
    }
    text
}
