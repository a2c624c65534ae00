//! The background checker: runs every dependency's check on an interval (each bounded by the
//! check timeout), keeps the latest results, and publishes readiness to the process's
//! `grpc.health.v1` statuses whenever it is computed.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde::Serialize;
use tonic_health::ServingStatus;

use super::{Dependency, HealthSettings, Requirement};
use crate::Shutdown;
use crate::grpc::Readiness;

/// The `grpc.health.v1` service name that is SERVING while the process lives, whatever its
/// dependencies say: what a gRPC liveness probe asks for (`grpc: {port, service: liveness}`), so a
/// failed dependency never gets a process restarted.
pub const LIVENESS_SERVICE: &str = "liveness";

/// The `grpc.health.v1` service name that is SERVING once the process has started: what a gRPC
/// startup probe asks for.
pub const STARTUP_SERVICE: &str = "startup";

/// The state of one dependency at its latest check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    /// Not checked yet.
    Pending,
    /// The check passed.
    Up,
    /// The check failed or timed out.
    Down,
}

/// The latest result of one dependency's check, as `/health/ready` lists it.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckResult {
    /// The dependency (`catalog-svc`, `database`, `redis`, `crunchyroll`).
    #[cfg_attr(feature = "openapi", schema(example = "catalog-svc"))]
    pub name: String,
    /// Its state.
    pub status: CheckStatus,
    /// Whether the process is unready while it is down.
    pub required: bool,
    /// How long the latest check took, in milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<f64>,
    /// Why it is down.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The process's readiness and every dependency's latest result.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HealthReport {
    /// `ok`, `degraded` (an optional dependency is down), `unavailable` (a required one is down
    /// or not checked yet) or `draining` (shutting down).
    #[cfg_attr(feature = "openapi", schema(example = "ok"))]
    pub status: &'static str,
    /// One entry per dependency.
    pub checks: Vec<CheckResult>,
}

impl HealthReport {
    /// Whether the process should receive traffic.
    pub fn is_ready(&self) -> bool {
        matches!(self.status, "ok" | "degraded")
    }
}

/// A process's health: cheap to clone, shared by its servers and probes.
#[derive(Clone, Debug, Default)]
pub struct HealthMonitor {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    dependencies: Vec<Dependency>,
    results: Mutex<Vec<CheckResult>>,
    settings: HealthSettings,
    started: AtomicBool,
    draining: AtomicBool,
    readiness: Readiness,
    /// The gRPC service names whose health status follows readiness (besides "").
    services: Mutex<Vec<&'static str>>,
    /// When the latest round of checks ended; held while a round runs, so concurrent probes
    /// share one round.
    last_round: tokio::sync::Mutex<Option<Instant>>,
}

/// How stale the results of an unready process may be before a probe checks again: a process
/// that just recovered (or whose dependency just started) turns ready at the next probe, not at
/// the next interval, while a burst of probes still shares one round.
const UNREADY_RECHECK_AFTER: Duration = Duration::from_millis(100);

impl HealthMonitor {
    /// A monitor of `dependencies`, checked as `settings` say.
    pub fn new(settings: HealthSettings, dependencies: Vec<Dependency>) -> Self {
        let results = dependencies
            .iter()
            .map(|dependency| CheckResult {
                name: dependency.name.clone(),
                status: CheckStatus::Pending,
                required: dependency.requirement == Requirement::Required,
                latency_ms: None,
                error: None,
            })
            .collect();
        HealthMonitor {
            inner: Arc::new(Inner {
                dependencies,
                results: Mutex::new(results),
                settings,
                ..Inner::default()
            }),
        }
    }

    /// The statuses the process's `grpc.health.v1` service serves.
    pub fn readiness(&self) -> Readiness {
        self.inner.readiness.clone()
    }

    /// Makes the health status of `services` follow readiness, and publishes it now.
    pub async fn track_services(&self, services: &[&'static str]) {
        self.lock_services().extend_from_slice(services);
        self.publish().await;
    }

    /// Whether the process has finished starting (storage migrated, configuration loaded, servers
    /// running).
    pub fn is_started(&self) -> bool {
        self.inner.started.load(Ordering::Relaxed)
    }

    /// Whether shutdown has started.
    pub fn is_draining(&self) -> bool {
        self.inner.draining.load(Ordering::Relaxed)
    }

    /// The latest report; checks again first when the process is not ready (and the latest
    /// round is older than a moment), so a probe never reports a recovery late.
    pub async fn report(&self) -> HealthReport {
        let report = self.current_report();
        if report.is_ready() || self.is_draining() {
            return report;
        }
        let recent = {
            let last_round = self.inner.last_round.lock().await;
            last_round.is_some_and(|ended| ended.elapsed() < UNREADY_RECHECK_AFTER)
        };
        if !recent {
            self.check_now().await;
        }
        self.current_report()
    }

    /// Checks every dependency now (concurrently, each within the timeout) and publishes.
    pub async fn check_now(&self) {
        let mut last_round = self.inner.last_round.lock().await;
        let timeout = Duration::from_millis(self.inner.settings.check_timeout_ms.max(1));
        let checks = self.inner.dependencies.iter().map(|dependency| async move {
            let started = Instant::now();
            let outcome = match tokio::time::timeout(timeout, (dependency.check)()).await {
                Ok(outcome) => outcome,
                Err(_elapsed) => Err(format!("no answer within {} ms", timeout.as_millis())),
            };
            (outcome, started.elapsed())
        });
        let outcomes = futures_util::future::join_all(checks).await;
        {
            let mut results = self.lock_results();
            for (result, (outcome, latency)) in results.iter_mut().zip(outcomes) {
                let was_up = result.status == CheckStatus::Up;
                result.latency_ms = Some(latency.as_secs_f64() * 1_000.0);
                match outcome {
                    Ok(()) => {
                        result.status = CheckStatus::Up;
                        result.error = None;
                    }
                    Err(error) => {
                        if was_up {
                            tracing::warn!(dependency = %result.name, %error, "dependency down");
                        }
                        result.status = CheckStatus::Down;
                        result.error = Some(error);
                    }
                }
            }
        }
        *last_round = Some(Instant::now());
        drop(last_round);
        self.publish().await;
    }

    /// Marks the process started and checks its dependencies every interval until `shutdown`
    /// fires, which turns readiness off at once.
    pub async fn run(self, shutdown: Shutdown) {
        self.inner.started.store(true, Ordering::Relaxed);
        self.publish().await;
        let interval = Duration::from_millis(self.inner.settings.check_interval_ms.max(1));
        loop {
            tokio::select! {
                () = self.check_now() => {}
                () = shutdown.wait() => break,
            }
            tokio::select! {
                () = tokio::time::sleep(interval) => {}
                () = shutdown.wait() => break,
            }
        }
        self.begin_drain().await;
    }

    /// Turns readiness off for good: probes answer 503 and gRPC health NOT_SERVING.
    pub async fn begin_drain(&self) {
        if !self.inner.draining.swap(true, Ordering::Relaxed) {
            tracing::info!("draining: reporting not ready");
        }
        self.publish().await;
    }

    /// A signal that fires `pre_stop_delay_ms` after `shutdown`, readiness having turned off
    /// at once: what servers stop accepting on.
    pub fn stop_accepting_signal(&self, shutdown: &Shutdown) -> Shutdown {
        let stop_accepting = Shutdown::new();
        let relay = stop_accepting.clone();
        let monitor = self.clone();
        let shutdown = shutdown.clone();
        let delay = Duration::from_millis(self.inner.settings.pre_stop_delay_ms);
        tokio::spawn(async move {
            shutdown.wait().await;
            monitor.begin_drain().await;
            tokio::time::sleep(delay).await;
            relay.trigger();
        });
        stop_accepting
    }

    fn current_report(&self) -> HealthReport {
        let checks = self.lock_results().clone();
        let required_down = checks
            .iter()
            .any(|check| check.required && check.status != CheckStatus::Up);
        let optional_down = checks
            .iter()
            .any(|check| !check.required && check.status == CheckStatus::Down);
        let status = if self.is_draining() {
            "draining"
        } else if required_down {
            "unavailable"
        } else if optional_down {
            "degraded"
        } else {
            "ok"
        };
        HealthReport { status, checks }
    }

    async fn publish(&self) {
        let status = if self.current_report().is_ready() {
            ServingStatus::Serving
        } else {
            ServingStatus::NotServing
        };
        let services = self.lock_services().clone();
        let reporter = self.inner.readiness.reporter();
        for name in services.into_iter().chain([""]) {
            reporter.set_service_status(name, status).await;
        }
        reporter
            .set_service_status(LIVENESS_SERVICE, ServingStatus::Serving)
            .await;
        let startup_status = if self.is_started() {
            ServingStatus::Serving
        } else {
            ServingStatus::NotServing
        };
        reporter
            .set_service_status(STARTUP_SERVICE, startup_status)
            .await;
    }

    fn lock_results(&self) -> std::sync::MutexGuard<'_, Vec<CheckResult>> {
        self.inner
            .results
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn lock_services(&self) -> std::sync::MutexGuard<'_, Vec<&'static str>> {
        self.inner
            .services
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}
