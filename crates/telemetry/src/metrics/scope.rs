//! Running futures and services inside a service's metrics scope.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::ServiceMetrics;

pin_project_lite::pin_project! {
    /// A future every poll of which records into one service's registry (or, with none, wherever
    /// the poller records).
    #[derive(Debug)]
    pub struct Scoped<F> {
        metrics: Option<ServiceMetrics>,
        #[pin]
        future: F,
    }
}

impl<F> Scoped<F> {
    pub(super) fn new(metrics: Option<ServiceMetrics>, future: F) -> Self {
        Scoped { metrics, future }
    }
}

impl<F: Future> Future for Scoped<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        match this.metrics {
            Some(metrics) => metrics.in_scope(|| this.future.poll(context)),
            None => this.future.poll(context),
        }
    }
}

/// Runs every request of the wrapped service (the call and every poll of its future) in one
/// service's metrics scope: the first layer of each server stack.
#[derive(Clone, Debug)]
pub struct MetricsScopeLayer {
    metrics: Option<ServiceMetrics>,
}

impl MetricsScopeLayer {
    /// Scopes requests to `metrics`.
    pub fn new(metrics: ServiceMetrics) -> Self {
        MetricsScopeLayer {
            metrics: Some(metrics),
        }
    }

    /// Scopes requests to `metrics` when there is a registry; without one, requests record
    /// wherever the server runs (the global recorder).
    pub fn optional(metrics: Option<ServiceMetrics>) -> Self {
        MetricsScopeLayer { metrics }
    }
}

impl<S> tower::Layer<S> for MetricsScopeLayer {
    type Service = MetricsScope<S>;

    fn layer(&self, inner: S) -> Self::Service {
        MetricsScope {
            inner,
            metrics: self.metrics.clone(),
        }
    }
}

/// See [`MetricsScopeLayer`].
#[derive(Clone, Debug)]
pub struct MetricsScope<S> {
    inner: S,
    metrics: Option<ServiceMetrics>,
}

impl<S, Request> tower::Service<Request> for MetricsScope<S>
where
    S: tower::Service<Request>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Scoped<S::Future>;

    fn poll_ready(&mut self, context: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(context)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let future = match &self.metrics {
            Some(metrics) => metrics.in_scope(|| self.inner.call(request)),
            None => self.inner.call(request),
        };
        Scoped::new(self.metrics.clone(), future)
    }
}
