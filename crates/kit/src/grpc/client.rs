//! The one way a Kensho process calls another: [`channel`] builds a lazily connected channel to a
//! service and wraps it in [`Outgoing`], the layer every outgoing call passes through. It forwards
//! the request id, sets the call's deadline to what remains of the incoming request's budget,
//! never more than the configured per-hop limit, and presents the internal credential
//! (`authorization: Bearer ...`, see [`trust`](super::trust)), and carries the current trace
//! context (`traceparent`). Cross-cutting concerns of outgoing calls belong
//! here and nowhere else.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use http::HeaderValue;
use http::header::AUTHORIZATION;
use serde::{Deserialize, Serialize};
use tonic::body::Body;
use tonic::transport::{Channel, Endpoint};

use super::balance::{balanced_channel, is_single_address, parse_targets};
use super::context::{
    CallContext, GRPC_TIMEOUT_HEADER, REQUEST_ID_HEADER, format_grpc_timeout, parse_grpc_timeout,
};
use super::metrics::{GrpcMetrics, Side};
use super::tls::TlsMaterial;
use super::trust::Credential;

/// A channel to a Kensho service with the outgoing layer applied; what every generated client
/// (`CatalogServiceClient<GrpcChannel>`, ...) is built on.
pub type GrpcChannel = GrpcMetrics<Outgoing<Channel>>;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// How a process calls the services it depends on (a `grpc_client` section).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClientSettings {
    /// How long connecting to a service may take, in milliseconds.
    pub connect_timeout_ms: u64,
    /// Longest deadline of one call, in milliseconds; a call made while handling a request gets
    /// what remains of that request's budget when it is less.
    pub call_timeout_ms: u64,
    /// How often a balanced target's names are re-resolved and each replica's health is checked,
    /// in milliseconds: a replica that goes away or reports NOT_SERVING stops receiving calls
    /// within about this long.
    pub replica_check_interval_ms: u64,
    /// How long one replica's health check may take before the replica counts as not serving,
    /// in milliseconds.
    pub replica_check_timeout_ms: u64,
}

impl Default for ClientSettings {
    fn default() -> Self {
        ClientSettings {
            connect_timeout_ms: 2_000,
            call_timeout_ms: 10_000,
            replica_check_interval_ms: 1_000,
            replica_check_timeout_ms: 1_000,
        }
    }
}

impl ClientSettings {
    /// The per-hop limit.
    pub fn call_timeout(&self) -> Duration {
        Duration::from_millis(self.call_timeout_ms)
    }
}

/// A channel to the service at `url` whose calls present `credential` (the internal credential,
/// or the admin one for admin services; none for a server that runs open). `url` is one
/// `http://host:port` or a comma-separated list of them; unless it is a single IP address, calls
/// are spread over every replica the hosts resolve to (see [`balance`](super::balance)). With
/// `tls`, calls travel over mutual TLS (whatever the URL's scheme), always through the balancer
/// so that a rotated certificate reaches new connections. It connects on first use, so a process
/// starts while the services it calls are still starting.
pub fn channel(
    url: &str,
    settings: &ClientSettings,
    credential: Option<&Credential>,
    tls: Option<&TlsMaterial>,
) -> Result<GrpcChannel, tonic::transport::Error> {
    let channel = match (parse_targets(url), tls) {
        (Some(targets), Some(material)) => {
            balanced_channel(targets, settings, Some(material.clone()))
        }
        (Some(targets), None) if !is_single_address(&targets) => {
            balanced_channel(targets, settings, None)
        }
        // One fixed address, or something only the endpoint parser can explain (which, under
        // TLS, must then be an `https` URL).
        (_, tls) => {
            let endpoint = Endpoint::from_shared(url.to_owned())?
                .connect_timeout(Duration::from_millis(settings.connect_timeout_ms))
                // Without TCP_NODELAY, small requests wait for the peer's delayed ACK (about 40 ms).
                .tcp_nodelay(true);
            match tls {
                Some(material) => endpoint.tls_config(material.client_config())?,
                None => endpoint,
            }
            .connect_lazy()
        }
    };
    // Metrics outermost: a call refused for an expired deadline is counted with its code too.
    Ok(GrpcMetrics::new(
        Outgoing::new(channel, settings.call_timeout(), credential),
        Side::Client,
    ))
}

/// The layer of every outgoing call (see the module docs).
#[derive(Clone, Debug)]
pub struct Outgoing<S> {
    inner: S,
    call_timeout: Duration,
    /// `Bearer <credential>`, marked sensitive.
    authorization: Option<HeaderValue>,
}

impl<S> Outgoing<S> {
    /// Wraps `inner`; no call gets a deadline later than `call_timeout` from now, and every call
    /// presents `credential` when there is one.
    pub fn new(inner: S, call_timeout: Duration, credential: Option<&Credential>) -> Self {
        Outgoing {
            inner,
            call_timeout,
            authorization: credential.map(Credential::authorization_value),
        }
    }

    /// The wrapped service (a plain channel, for clients such as health checks that need one).
    pub fn inner(&self) -> &S {
        &self.inner
    }
}

impl<S> tower::Service<http::Request<Body>> for Outgoing<S>
where
    S: tower::Service<http::Request<Body>, Response = http::Response<Body>>,
    S::Error: Into<BoxError>,
    S::Future: Send + 'static,
{
    type Response = http::Response<Body>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, context: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(context).map_err(Into::into)
    }

    fn call(&mut self, mut request: http::Request<Body>) -> Self::Future {
        let incoming = CallContext::current().unwrap_or_default();
        let explicit = request
            .headers()
            .get(GRPC_TIMEOUT_HEADER)
            .and_then(|value| value.to_str().ok())
            .and_then(parse_grpc_timeout);
        let timeout = [Some(self.call_timeout), incoming.remaining(), explicit]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(self.call_timeout);
        if timeout.is_zero() {
            // The caller has already given up: calling on would only load the callee.
            let expired = tonic::Status::deadline_exceeded("the caller's deadline has passed");
            return Box::pin(std::future::ready(Ok(expired.into_http())));
        }
        let headers = request.headers_mut();
        if let Some(authorization) = &self.authorization {
            headers.insert(AUTHORIZATION, authorization.clone());
        }
        if let Ok(value) = HeaderValue::from_str(&format_grpc_timeout(timeout)) {
            headers.insert(GRPC_TIMEOUT_HEADER, value);
        }
        if let Some(request_id) = incoming.request_id.as_deref()
            && !headers.contains_key(REQUEST_ID_HEADER)
            && let Ok(value) = HeaderValue::from_str(request_id)
        {
            headers.insert(REQUEST_ID_HEADER, value);
        }
        kensho_telemetry::propagation::inject_current(headers);
        let response = self.inner.call(request);
        Box::pin(async move {
            match response.await {
                Ok(response) => Ok(response),
                Err(error) => {
                    let error: BoxError = error.into();
                    if is_timeout(error.as_ref()) {
                        // The channel enforces `grpc-timeout` and calls it CANCELLED; the caller
                        // ran out of time, which is DEADLINE_EXCEEDED.
                        let status = tonic::Status::deadline_exceeded("deadline exceeded");
                        Ok(status.into_http())
                    } else {
                        Err(error)
                    }
                }
            }
        })
    }
}

fn is_timeout(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(current) = cause {
        if current.is::<tonic::TimeoutExpired>() {
            return true;
        }
        cause = current.source();
    }
    false
}
