//! `cargo xtask chaos <experiment>|all|smoke`: the experiments of `load-tests/chaos/` against
//! processes on this machine. An all-in-one runs on a throwaway PostgreSQL database and a private
//! Redis ([`environment`]); for each experiment a k6 `normal` load runs while the runner's probe
//! ([`probe`]) samples the API, the fault ([`experiment`]) is injected after a healthy baseline and
//! removed again, and the figures of each phase ([`figures`]) go into `target/chaos/report.json`
//! and `report.md` ([`report`]). `smoke` is the short form CI runs: one experiment, failing when
//! the service does not recover or errors where it must not.

mod environment;
mod experiment;
pub mod figures;
mod probe;
mod report;
mod run;

use std::process::ExitCode;
use std::time::Duration;

pub use experiment::Experiment;
pub use report::ChaosReport;

use crate::all_in_one::target_dir;

/// Which experiments to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    /// Every experiment.
    All,
    /// The short form CI runs.
    Smoke,
    /// One experiment.
    One(Experiment),
}

fn parse_selection(text: &str) -> Result<Selection, String> {
    match text {
        "all" => Ok(Selection::All),
        "smoke" => Ok(Selection::Smoke),
        name => <Experiment as clap::ValueEnum>::from_str(name, false)
            .map(Selection::One)
            .map_err(|_| {
                let names: Vec<&str> = Experiment::ALL.iter().map(|e| e.name()).collect();
                format!("expected all, smoke or one of {}", names.join(", "))
            }),
    }
}

/// Options of `cargo xtask chaos`.
#[derive(Debug, clap::Args)]
pub struct ChaosArgs {
    /// `all`, `smoke`, or one experiment: crunchyroll-latency, crunchyroll-errors,
    /// crunchyroll-outage, crunchyroll-rate-limit, redis-down, postgres-connections-dropped.
    #[arg(value_parser = parse_selection)]
    selection: Selection,
    /// Seconds of healthy traffic before the fault.
    #[arg(long, default_value_t = 10)]
    before_seconds: u64,
    /// Seconds the fault lasts.
    #[arg(long, default_value_t = 20)]
    fault_seconds: u64,
    /// Seconds of traffic after the fault is removed (recovery needs 10 s of them at least).
    #[arg(long, default_value_t = 25)]
    after_seconds: u64,
    /// Virtual users of the k6 load beside the probe.
    #[arg(long, default_value_t = 20)]
    vus: u32,
    /// Probe requests per second.
    #[arg(long, default_value_t = 20)]
    probe_rate: u32,
    /// How long a probe request may take before it counts as failed, in milliseconds.
    #[arg(long, default_value_t = 5000)]
    probe_timeout_ms: u64,
    /// Build and run the release profile, as the targets are measured.
    #[arg(long)]
    release: bool,
}

/// The schedule of one experiment.
#[derive(Clone, Copy, Debug)]
pub struct Schedule {
    pub before: Duration,
    pub fault: Duration,
    pub after: Duration,
    pub vus: u32,
    pub probe_rate: u32,
    pub probe_timeout: Duration,
}

/// The smoke's experiment and schedule: short enough for CI, long enough for a 10 s recovery.
const SMOKE_EXPERIMENT: Experiment = Experiment::CrunchyrollOutage;
const SMOKE_SCHEDULE: Schedule = Schedule {
    before: Duration::from_secs(5),
    fault: Duration::from_secs(10),
    after: Duration::from_secs(15),
    vus: 10,
    probe_rate: 20,
    probe_timeout: Duration::from_secs(5),
};

/// Runs the selected experiments and writes the report; with `smoke`, fails on its thresholds.
pub fn run(args: &ChaosArgs) -> anyhow::Result<ExitCode> {
    let (experiments, schedule) = match &args.selection {
        Selection::All => (Experiment::ALL.to_vec(), schedule_of(args)),
        Selection::One(experiment) => (vec![*experiment], schedule_of(args)),
        Selection::Smoke => (vec![SMOKE_EXPERIMENT], SMOKE_SCHEDULE),
    };
    let smoke = args.selection == Selection::Smoke;
    // The smoke's short report must not stand in for a full run's, which `bench` may reuse.
    let output = if smoke {
        target_dir().join("chaos/smoke")
    } else {
        target_dir().join("chaos")
    };
    let load = smoke.then(smoke_load);
    let (report, load_met) =
        run::run_experiments(&experiments, schedule, args.release, &output, load.as_ref())?;
    report.write(&output)?;
    println!("{}", report.markdown());
    println!("report: {}", output.join("report.json").display());
    if smoke {
        let mut failures = smoke_failures(&report);
        if !load_met {
            failures.push("the normal scenario missed its thresholds".to_owned());
        }
        if !failures.is_empty() {
            for failure in &failures {
                eprintln!("smoke threshold missed: {failure}");
            }
            return Ok(ExitCode::FAILURE);
        }
        println!("smoke thresholds met");
    }
    Ok(ExitCode::SUCCESS)
}

/// Every experiment with the default schedule, its report written to `target/chaos/`: what
/// `cargo xtask bench` runs.
pub fn run_all(release: bool) -> anyhow::Result<ChaosReport> {
    let schedule = Schedule {
        before: Duration::from_secs(10),
        fault: Duration::from_secs(20),
        after: Duration::from_secs(25),
        vus: 20,
        probe_rate: 20,
        probe_timeout: Duration::from_secs(5),
    };
    let output = target_dir().join("chaos");
    let (report, _) = run::run_experiments(&Experiment::ALL, schedule, release, &output, None)?;
    report.write(&output)?;
    Ok(report)
}

fn schedule_of(args: &ChaosArgs) -> Schedule {
    Schedule {
        before: Duration::from_secs(args.before_seconds),
        fault: Duration::from_secs(args.fault_seconds),
        after: Duration::from_secs(args.after_seconds),
        vus: args.vus,
        probe_rate: args.probe_rate,
        probe_timeout: Duration::from_millis(args.probe_timeout_ms),
    }
}

/// The smoke's normal scenario: short, and with thresholds a debug build on a shared CI machine
/// meets when nothing is wrong (the release targets are for `cargo xtask bench --release`).
fn smoke_load() -> run::ThresholdedLoad {
    let settings = [
        "VUS=10",
        "RAMP=3s",
        "HOLD=15s",
        "P95_MS=1500",
        "P99_MS=3000",
        "MAX_ERROR_RATE=0",
    ];
    run::ThresholdedLoad {
        settings: settings
            .iter()
            .map(|setting| (*setting).to_owned())
            .collect(),
    }
}

/// The longest a Crunchyroll outage may take to recover from (the target).
const SMOKE_RECOVERY_LIMIT_MS: u64 = 5_000;

/// What the smoke requires of its outage: no errors before it, a recovery within 5 s, and the
/// failures during it fast (answered, not timed out).
fn smoke_failures(report: &ChaosReport) -> Vec<String> {
    let mut failures = Vec::new();
    for experiment in &report.experiments {
        let name = &experiment.name;
        if experiment.before.error_rate > 0.0 {
            failures.push(format!(
                "{name}: {:.2}% errors before the fault",
                experiment.before.error_rate * 100.0
            ));
        }
        match experiment.recovery_ms {
            Some(ms) if ms <= SMOKE_RECOVERY_LIMIT_MS => {}
            Some(ms) => failures.push(format!(
                "{name}: recovery took {ms} ms (limit {SMOKE_RECOVERY_LIMIT_MS} ms)"
            )),
            None => failures.push(format!("{name}: no recovery within the run")),
        }
        if experiment.during.requests == 0 {
            failures.push(format!(
                "{name}: no probe request was answered during the fault"
            ));
        }
    }
    failures
}
