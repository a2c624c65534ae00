//! Prometheus metrics, one registry per Kensho service. Code records through the plain `metrics`
//! facade (`metrics::counter!(...)`); which registry a value lands in is decided by where it runs:
//! [`ServiceMetrics::scope`] runs every poll of a future with the service's recorder as the
//! thread's local recorder, so the all-in-one keeps each service's series apart (each rendered with
//! its own `service` label) although all four share a process and its threads. In a process that
//! runs one service, [`ServiceMetrics::install_global`] also makes that recorder the global one, so
//! a value recorded outside any scope is not lost.
//!
//! A handle (`Counter`, `Histogram`) resolved inside a scope holds its registry's storage, so it
//! keeps recording there wherever it is used later. Work that outlives the scope it was started in
//! (a spawned task, a response body dropped by the connection) captures [`current`] and records
//! through [`ServiceMetrics::in_scope`].

pub mod names;
mod scope;

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use metrics_exporter_prometheus::{
    Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder,
};

pub use scope::{MetricsScope, MetricsScopeLayer, Scoped};

/// Upper bounds of every `*_duration_seconds` histogram, in seconds (ARCHITECTURE §6).
pub const DURATION_BUCKETS: [f64; 7] = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0];

/// The label every series of a service carries.
pub const SERVICE_LABEL: &str = "service";

/// Samples a value at scrape time (a pool's connection counts), recording through the facade.
type Sampler = Box<dyn Fn() + Send + Sync>;

/// One service's metrics registry (see the module docs); cheap to clone.
#[derive(Clone)]
pub struct ServiceMetrics {
    inner: Arc<Inner>,
}

struct Inner {
    service_name: &'static str,
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
    samplers: Mutex<Vec<Sampler>>,
}

impl fmt::Debug for ServiceMetrics {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("ServiceMetrics")
            .field("service_name", &self.inner.service_name)
            .finish_non_exhaustive()
    }
}

thread_local! {
    /// The service whose scope the current thread is polling in, if any.
    static CURRENT: RefCell<Option<ServiceMetrics>> = const { RefCell::new(None) };
}

/// The service whose scope the calling code runs in, if any.
pub fn current() -> Option<ServiceMetrics> {
    CURRENT.with(|current| current.borrow().clone())
}

/// `future` in the scope of the service the caller runs in (unchanged outside any scope): what a
/// task spawned while handling a request or a background run needs to record where its parent does.
pub fn in_current_scope<F: Future>(future: F) -> Scoped<F> {
    Scoped::new(current(), future)
}

impl ServiceMetrics {
    /// An empty registry whose series are all labelled `service="<service_name>"`, with
    /// [`DURATION_BUCKETS`] for every `*_duration_seconds` histogram.
    pub fn new(service_name: &'static str) -> Self {
        let builder = PrometheusBuilder::new().add_global_label(SERVICE_LABEL, service_name);
        // The bucket list is a non-empty constant, so this cannot fail.
        let builder = builder
            .set_buckets_for_metric(
                Matcher::Suffix("_duration_seconds".to_owned()),
                &DURATION_BUCKETS,
            )
            .unwrap_or_else(|_| PrometheusBuilder::new());
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        ServiceMetrics {
            inner: Arc::new(Inner {
                service_name,
                recorder,
                handle,
                samplers: Mutex::new(Vec::new()),
            }),
        }
    }

    /// The service these metrics belong to.
    pub fn service_name(&self) -> &'static str {
        self.inner.service_name
    }

    /// Runs `record` with this registry as the thread's recorder.
    pub fn in_scope<T>(&self, record: impl FnOnce() -> T) -> T {
        let previous = CURRENT.with(|current| current.replace(Some(self.clone())));
        let result = metrics::with_local_recorder(&self.inner.recorder, record);
        CURRENT.with(|current| current.replace(previous));
        result
    }

    /// `future`, every poll of which records into this registry.
    pub fn scope<F: Future>(&self, future: F) -> Scoped<F> {
        Scoped::new(Some(self.clone()), future)
    }

    /// Calls `sample` (inside this scope) before every render: for values read at scrape time,
    /// such as a pool's open connections.
    pub fn add_sampler(&self, sample: impl Fn() + Send + Sync + 'static) {
        self.inner
            .samplers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Box::new(sample));
    }

    /// The Prometheus text exposition of every series, samplers run first.
    pub fn render(&self) -> String {
        let samplers = self
            .inner
            .samplers
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        self.in_scope(|| samplers.iter().for_each(|sample| sample()));
        drop(samplers);
        self.inner.handle.render()
    }

    /// Drains recorded histogram values into their buckets, so memory stays bounded between
    /// scrapes (or when nothing scrapes).
    pub fn run_upkeep(&self) {
        self.inner.handle.run_upkeep();
    }

    /// Makes this registry the process's global recorder too (a process running one service), so
    /// values recorded outside any scope land here. Fails when a global recorder is already set.
    pub fn install_global(&self) -> Result<(), metrics::SetRecorderError<GlobalRecorder>> {
        metrics::set_global_recorder(GlobalRecorder(self.clone()))
    }
}

/// A [`ServiceMetrics`] as the global recorder (see [`ServiceMetrics::install_global`]).
#[derive(Debug)]
pub struct GlobalRecorder(ServiceMetrics);

impl metrics::Recorder for GlobalRecorder {
    fn describe_counter(
        &self,
        key: metrics::KeyName,
        unit: Option<metrics::Unit>,
        description: metrics::SharedString,
    ) {
        self.0
            .inner
            .recorder
            .describe_counter(key, unit, description);
    }

    fn describe_gauge(
        &self,
        key: metrics::KeyName,
        unit: Option<metrics::Unit>,
        description: metrics::SharedString,
    ) {
        self.0.inner.recorder.describe_gauge(key, unit, description);
    }

    fn describe_histogram(
        &self,
        key: metrics::KeyName,
        unit: Option<metrics::Unit>,
        description: metrics::SharedString,
    ) {
        self.0
            .inner
            .recorder
            .describe_histogram(key, unit, description);
    }

    fn register_counter(
        &self,
        key: &metrics::Key,
        metadata: &metrics::Metadata<'_>,
    ) -> metrics::Counter {
        self.0.inner.recorder.register_counter(key, metadata)
    }

    fn register_gauge(
        &self,
        key: &metrics::Key,
        metadata: &metrics::Metadata<'_>,
    ) -> metrics::Gauge {
        self.0.inner.recorder.register_gauge(key, metadata)
    }

    fn register_histogram(
        &self,
        key: &metrics::Key,
        metadata: &metrics::Metadata<'_>,
    ) -> metrics::Histogram {
        self.0.inner.recorder.register_histogram(key, metadata)
    }
}

#[cfg(test)]
mod tests;
