//! One run of the chaos experiments: the environment started once, then for each experiment a
//! k6 load and the probe, a healthy baseline, the fault, its removal, and the recovery.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use kensho_crunchyroll_sim::StatsSnapshot;

use super::Schedule;
use super::environment::Environment;
use super::experiment::Experiment;
use super::figures::{PhaseFigures, per_second, recovery_ms};
use super::probe::{Probe, ProbeTargets};
use super::report::{ChaosReport, ExperimentReport, LoadFigures, UpstreamCalls};
use crate::all_in_one::{AllInOne, LoadAccount};
use crate::load_task::k6_binary;
use crate::workspace_root;

/// How many of the most popular titles the probe reads.
const PROBE_TITLES: usize = 40;
/// Simulator accounts the k6 load logs in with.
const LOAD_ACCOUNTS: usize = 20;
/// How often connections are terminated while the PostgreSQL fault lasts.
const TERMINATE_INTERVAL: Duration = Duration::from_secs(1);
/// How long the service may take to answer again between two experiments.
const SETTLE_LIMIT: Duration = Duration::from_secs(60);

/// A k6 `normal` run with its thresholds, before the experiments: the smoke's load check.
#[derive(Clone, Debug)]
pub struct ThresholdedLoad {
    /// Settings of the script (`VUS=10`, `P95_MS=1000`, ...).
    pub settings: Vec<String>,
}

/// Builds the all-in-one, starts the environment, runs `load` when given and then `experiments`
/// one after the other, and stops everything; each experiment's k6 output goes to
/// `output/<name>/`. The second value is whether `load` met its thresholds (true without one).
pub fn run_experiments(
    experiments: &[Experiment],
    schedule: Schedule,
    release: bool,
    output: &Path,
    load: Option<&ThresholdedLoad>,
) -> anyhow::Result<(ChaosReport, bool)> {
    let binary = AllInOne::build(release)?;
    let k6 = k6_binary();
    std::fs::create_dir_all(output)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let accounts = LoadAccount::generate(LOAD_ACCOUNTS);
        let environment =
            Environment::start(&binary, &accounts, &output.join("kensho.log")).await?;
        println!(
            "all-in-one ready at {} (simulator {})",
            environment.all_in_one.gateway_url(),
            environment.all_in_one.simulator_url()
        );
        let mut report = ChaosReport {
            profile: if release { "release" } else { "debug" }.to_owned(),
            experiments: Vec::new(),
        };
        let mut runner = Runner {
            environment,
            client: crate::all_in_one::http_client(),
            k6,
            accounts: LoadAccount::k6_list(&accounts),
            schedule,
        };
        let mut load_met = true;
        if let Some(load) = load {
            let directory = output.join("load");
            std::fs::create_dir_all(&directory)?;
            let mut child = runner.k6_command(&directory, &load.settings)?.spawn()?;
            let status = tokio::task::block_in_place(|| child.wait())?;
            load_met = status.success();
            println!(
                "normal scenario: thresholds {} (see {})",
                if load_met { "met" } else { "missed" },
                directory.join("k6.log").display()
            );
        }
        let mut outcome = Ok(());
        for experiment in experiments {
            println!("--- {}: {}", experiment.name(), experiment.description());
            match runner
                .run(*experiment, &output.join(experiment.name()))
                .await
            {
                Ok(figures) => report.experiments.push(figures),
                Err(error) => {
                    outcome = Err(error.context(format!("experiment {}", experiment.name())));
                    break;
                }
            }
        }
        let stopped = runner.environment.stop().await;
        outcome.and(stopped).map(|()| (report, load_met))
    })
}

struct Runner {
    environment: Environment,
    client: reqwest::Client,
    k6: PathBuf,
    accounts: String,
    schedule: Schedule,
}

impl Runner {
    async fn run(
        &mut self,
        experiment: Experiment,
        directory: &Path,
    ) -> anyhow::Result<ExperimentReport> {
        std::fs::create_dir_all(directory)?;
        let gateway = self.environment.all_in_one.gateway_url().to_owned();
        self.settle(&gateway).await?;
        self.clear_simulator_faults().await?;
        let targets = ProbeTargets::discover(&self.client, &gateway, PROBE_TITLES).await?;
        let schedule = self.schedule;
        let total = schedule.before + schedule.fault + schedule.after;
        let mut load = self.start_load(directory, total)?;
        let start = Instant::now();
        let probe = Probe::spawn(
            self.client.clone(),
            gateway,
            targets,
            schedule.probe_rate,
            schedule.probe_timeout,
            start,
        );
        let upstream_at_start = self.upstream_total().await?;
        tokio::time::sleep(schedule.before).await;
        let upstream_at_fault = self.upstream_total().await?;
        let fault_started_ms = elapsed_ms(start);
        self.inject(experiment).await?;
        self.hold(experiment, schedule.fault).await?;
        self.remove(experiment).await?;
        let fault_removed_ms = elapsed_ms(start);
        let upstream_at_removal = self.upstream_total().await?;
        tokio::time::sleep(schedule.after).await;
        let samples = probe.finish().await;
        let upstream_at_end = self.upstream_total().await?;
        let summary = directory.join("summary.json");
        let load_figures = tokio::task::spawn_blocking(move || -> anyhow::Result<LoadFigures> {
            load.wait()?;
            let text = std::fs::read_to_string(&summary)
                .with_context(|| format!("k6 wrote no {}", summary.display()))?;
            Ok(LoadFigures::from_summary(
                &serde_json::from_str(&text)?,
                schedule.vus,
            ))
        })
        .await??;
        Ok(ExperimentReport {
            name: experiment.name().to_owned(),
            description: experiment.description().to_owned(),
            fault_started_ms,
            fault_removed_ms,
            before: PhaseFigures::of(samples.iter().filter(|s| s.sent_at_ms < fault_started_ms)),
            during: PhaseFigures::of(
                samples
                    .iter()
                    .filter(|s| (fault_started_ms..fault_removed_ms).contains(&s.sent_at_ms)),
            ),
            after: PhaseFigures::of(samples.iter().filter(|s| s.sent_at_ms >= fault_removed_ms)),
            recovery_ms: recovery_ms(&samples, fault_removed_ms),
            upstream_calls: UpstreamCalls {
                before: upstream_at_fault.saturating_sub(upstream_at_start),
                during: upstream_at_removal.saturating_sub(upstream_at_fault),
                after: upstream_at_end.saturating_sub(upstream_at_removal),
            },
            load: load_figures,
            seconds: per_second(&samples),
        })
    }

    /// The k6 `normal` scenario for `total`, its thresholds out of the way: the report judges.
    fn start_load(&self, directory: &Path, total: Duration) -> anyhow::Result<Child> {
        let settings = [
            format!("VUS={}", self.schedule.vus),
            "RAMP=1s".to_owned(),
            format!("HOLD={}s", total.as_secs().saturating_sub(2).max(1)),
            "MAX_ERROR_RATE=1".to_owned(),
            "P95_MS=600000".to_owned(),
            "P99_MS=600000".to_owned(),
        ];
        self.k6_command(directory, &settings)?
            .spawn()
            .context("cannot run k6")
    }

    /// k6 running the `normal` scenario against the gateway with `settings`, its summary and
    /// output in `directory`.
    fn k6_command(&self, directory: &Path, settings: &[String]) -> anyhow::Result<Command> {
        let log = std::fs::File::create(directory.join("k6.log"))?;
        let mut command = Command::new(&self.k6);
        command
            .args(["run", "--no-usage-report", "--summary-export"])
            .arg(directory.join("summary.json"))
            .args([
                "-e",
                &format!("BASE_URL={}", self.environment.all_in_one.gateway_url()),
            ])
            .args(["-e", &format!("ACCOUNTS={}", self.accounts)]);
        for setting in settings {
            command.args(["-e", setting]);
        }
        command
            .arg(workspace_root().join("load-tests/k6/normal.js"))
            .stdout(log.try_clone()?)
            .stderr(log)
            .stdin(Stdio::null());
        Ok(command)
    }

    async fn inject(&mut self, experiment: Experiment) -> anyhow::Result<()> {
        if let Some(plan) = experiment.simulator_plan() {
            let url = format!(
                "{}/_sim/faults",
                self.environment.all_in_one.simulator_url()
            );
            self.client
                .put(url)
                .json(&plan)
                .send()
                .await?
                .error_for_status()?;
            return Ok(());
        }
        match experiment {
            Experiment::RedisDown => tokio::task::block_in_place(|| self.environment.redis.pause()),
            // Terminated throughout the fault, in `hold`.
            _ => Ok(()),
        }
    }

    /// Keeps the fault for `duration`: connections dropped again and again, other faults just wait.
    async fn hold(&mut self, experiment: Experiment, duration: Duration) -> anyhow::Result<()> {
        if experiment != Experiment::PostgresConnectionsDropped {
            tokio::time::sleep(duration).await;
            return Ok(());
        }
        let until = Instant::now() + duration;
        let mut ticks = tokio::time::interval(TERMINATE_INTERVAL);
        let mut terminated = 0;
        while Instant::now() < until {
            ticks.tick().await;
            terminated += self.environment.database.terminate_connections().await?;
        }
        println!("terminated {terminated} catalog connections");
        Ok(())
    }

    async fn remove(&mut self, experiment: Experiment) -> anyhow::Result<()> {
        match experiment {
            Experiment::RedisDown => {
                let program = self.environment.redis_program.clone();
                tokio::task::block_in_place(|| self.environment.redis.resume(&program))
            }
            Experiment::PostgresConnectionsDropped => Ok(()),
            _ => self.clear_simulator_faults().await,
        }
    }

    async fn clear_simulator_faults(&self) -> anyhow::Result<()> {
        let url = format!(
            "{}/_sim/faults",
            self.environment.all_in_one.simulator_url()
        );
        self.client.delete(url).send().await?.error_for_status()?;
        Ok(())
    }

    async fn upstream_total(&self) -> anyhow::Result<u64> {
        let url = format!("{}/_sim/stats", self.environment.all_in_one.simulator_url());
        let stats: StatsSnapshot = self
            .client
            .get(url)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        Ok(stats.total)
    }

    /// Waits until the catalog answers again after the previous experiment.
    async fn settle(&self, gateway: &str) -> anyhow::Result<()> {
        let deadline = Instant::now() + SETTLE_LIMIT;
        let url = format!("{gateway}/api/v1/anime?limit=1");
        loop {
            let answered = self.client.get(&url).send().await;
            if answered.is_ok_and(|response| response.status().is_success()) {
                return Ok(());
            }
            if Instant::now() >= deadline {
                bail!(
                    "the catalog did not answer within {} s",
                    SETTLE_LIMIT.as_secs()
                );
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

fn elapsed_ms(start: Instant) -> u64 {
    u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX)
}
