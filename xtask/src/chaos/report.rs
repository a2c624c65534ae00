//! The chaos report: `target/chaos/report.json` (everything, for `cargo xtask bench` and other
//! tools) and `target/chaos/report.md` (a table per experiment, for people).

use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::figures::{PhaseFigures, RECOVERY_WINDOW_SECONDS, Second};

/// Upstream (simulator) requests counted in each phase.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UpstreamCalls {
    pub before: u64,
    pub during: u64,
    pub after: u64,
}

/// What k6's summary says of the load that ran beside the probe.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadFigures {
    pub virtual_users: u32,
    pub requests: u64,
    pub requests_per_second: f64,
    pub error_rate: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
}

impl LoadFigures {
    /// The figures of a k6 summary export (`--summary-export`).
    pub fn from_summary(document: &serde_json::Value, virtual_users: u32) -> Self {
        let metrics = &document["metrics"];
        let duration = &metrics["http_req_duration"];
        LoadFigures {
            virtual_users,
            requests: metrics["http_reqs"]["count"].as_u64().unwrap_or(0),
            requests_per_second: metrics["http_reqs"]["rate"].as_f64().unwrap_or(0.0),
            error_rate: metrics["kensho_errors"]["value"].as_f64().unwrap_or(0.0),
            p95_ms: duration["p(95)"].as_f64().unwrap_or(0.0),
            p99_ms: duration["p(99)"].as_f64().unwrap_or(0.0),
        }
    }
}

/// One experiment's figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExperimentReport {
    pub name: String,
    pub description: String,
    /// When the fault was injected and removed, in milliseconds from the start.
    pub fault_started_ms: u64,
    pub fault_removed_ms: u64,
    pub before: PhaseFigures,
    pub during: PhaseFigures,
    pub after: PhaseFigures,
    /// From the fault's removal until 99% of requests succeed for 10 s; `None`: not within the run.
    pub recovery_ms: Option<u64>,
    pub upstream_calls: UpstreamCalls,
    pub load: LoadFigures,
    /// The probe's requests per second.
    pub seconds: Vec<Second>,
}

/// Every experiment of one run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChaosReport {
    /// `debug` or `release`: the profile of the binaries measured.
    pub profile: String,
    pub experiments: Vec<ExperimentReport>,
}

impl ChaosReport {
    /// Writes `report.json` and `report.md` into `directory`.
    pub fn write(&self, directory: &Path) -> anyhow::Result<()> {
        std::fs::create_dir_all(directory)?;
        std::fs::write(
            directory.join("report.json"),
            serde_json::to_string_pretty(self)?,
        )?;
        std::fs::write(directory.join("report.md"), self.markdown())?;
        Ok(())
    }

    /// A table per phase of each experiment.
    pub fn markdown(&self) -> String {
        let mut text = format!(
            "# Chaos experiments\n\nProbe requests (detail, episodes, search, browse) beside a k6 \
             load, {} build. Errors are 5xx, 429 and requests without an answer. Recovery: from \
             the fault's removal until 99% of requests succeed for {RECOVERY_WINDOW_SECONDS} s.\n",
            self.profile
        );
        for experiment in &self.experiments {
            text.push_str(&experiment.markdown());
        }
        text
    }
}

impl ExperimentReport {
    fn markdown(&self) -> String {
        let mut text = format!("\n## {}\n\n{}.\n\n", self.name, self.description);
        text.push_str(
            "| phase | requests | errors | p50 ms | p95 ms | p99 ms | stale answers | slowest failure ms | upstream calls |\n\
             |---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
        );
        let phases = [
            ("before", &self.before, self.upstream_calls.before),
            ("during", &self.during, self.upstream_calls.during),
            ("after", &self.after, self.upstream_calls.after),
        ];
        for (phase, figures, upstream) in phases {
            let _ = writeln!(
                text,
                "| {phase} | {} | {:.2}% | {:.1} | {:.1} | {:.1} | {} | {} | {upstream} |",
                figures.requests,
                figures.error_rate * 100.0,
                figures.p50_ms,
                figures.p95_ms,
                figures.p99_ms,
                figures.stale_responses,
                figures
                    .slowest_failure_ms
                    .map_or_else(|| "–".to_owned(), |ms| format!("{ms:.1}")),
            );
        }
        let recovery = self.recovery_ms.map_or_else(
            || "not within the run".to_owned(),
            |ms| format!("{:.1} s", ms as f64 / 1000.0),
        );
        let _ = writeln!(
            text,
            "\nRecovery: {recovery}. Load beside it: {} VUs, {} requests ({:.0}/s), {:.2}% errors, \
             p95 {:.1} ms, p99 {:.1} ms.",
            self.load.virtual_users,
            self.load.requests,
            self.load.requests_per_second,
            self.load.error_rate * 100.0,
            self.load.p95_ms,
            self.load.p99_ms,
        );
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn load_figures_come_from_the_k6_summary_export() {
        let summary = serde_json::json!({"metrics": {
            "http_reqs": {"count": 1200, "rate": 60.5},
            "kensho_errors": {"value": 0.01},
            "http_req_duration": {"p(95)": 12.5, "p(99)": 40.0},
        }});

        let figures = LoadFigures::from_summary(&summary, 10);

        assert_eq!(figures.requests, 1200);
        assert_eq!(figures.p99_ms, 40.0);
        assert_eq!(figures.error_rate, 0.01);
    }

    #[test]
    fn the_markdown_names_each_phase_and_an_unfinished_recovery() {
        let report = ChaosReport {
            profile: "debug".to_owned(),
            experiments: vec![ExperimentReport {
                name: "redis-down".to_owned(),
                description: "the cache Redis stopped".to_owned(),
                fault_started_ms: 5_000,
                fault_removed_ms: 20_000,
                before: PhaseFigures::default(),
                during: PhaseFigures::default(),
                after: PhaseFigures::default(),
                recovery_ms: None,
                upstream_calls: UpstreamCalls::default(),
                load: LoadFigures::default(),
                seconds: Vec::new(),
            }],
        };

        let text = report.markdown();

        assert!(text.contains("## redis-down"));
        assert!(text.contains("| during |"));
        assert!(text.contains("Recovery: not within the run"));
    }
}
