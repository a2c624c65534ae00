//! The one gRPC metrics layer, on the client stack ([`channel`](super::channel)) and the server
//! stack ([`serve`](super::serve)) alike: `grpc_requests_total` and
//! `grpc_request_duration_seconds`, labelled `grpc_service` (`kensho.catalog.v1.CatalogService`),
//! `method`, `code` (the status name, `OK`, `NOT_FOUND`, ...) and `side` (`client`|`server`).
//! `service` is not used for the gRPC service because every series already carries the Kensho
//! service it was recorded in under that name.
//!
//! The code comes from the `grpc-status` header of a trailers-only response, else from the
//! trailers at the end of the body; a call is recorded once, when its status is known, so a
//! streaming call is timed to its last message. A body dropped before its status arrived is
//! recorded as `CANCELLED`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use http::HeaderMap;
use http_body::Frame;
use kensho_telemetry::metrics::ServiceMetrics;
use kensho_telemetry::metrics::names::{GRPC_REQUEST_DURATION_SECONDS, GRPC_REQUESTS_TOTAL};
use tonic::Code;

const GRPC_STATUS_HEADER: &str = "grpc-status";

/// Which end of a call a series was recorded at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The caller.
    Client,
    /// The callee.
    Server,
}

impl Side {
    fn label(self) -> &'static str {
        match self {
            Side::Client => "client",
            Side::Server => "server",
        }
    }
}

/// Adds [`GrpcMetrics`] to a stack.
#[derive(Clone, Copy, Debug)]
pub struct GrpcMetricsLayer {
    side: Side,
}

impl GrpcMetricsLayer {
    /// Records calls at `side`.
    pub fn new(side: Side) -> Self {
        GrpcMetricsLayer { side }
    }
}

impl<S> tower::Layer<S> for GrpcMetricsLayer {
    type Service = GrpcMetrics<S>;

    fn layer(&self, inner: S) -> Self::Service {
        GrpcMetrics::new(inner, self.side)
    }
}

/// See the module docs.
#[derive(Clone, Debug)]
pub struct GrpcMetrics<S> {
    inner: S,
    side: Side,
}

impl<S> GrpcMetrics<S> {
    /// Wraps `inner`, recording calls at `side`.
    pub fn new(inner: S, side: Side) -> Self {
        GrpcMetrics { inner, side }
    }
}

impl<S, RequestBody, ResponseBody> tower::Service<http::Request<RequestBody>> for GrpcMetrics<S>
where
    S: tower::Service<http::Request<RequestBody>, Response = http::Response<ResponseBody>>,
{
    type Response = http::Response<MetricsBody<ResponseBody>>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future>;

    fn poll_ready(&mut self, context: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(context)
    }

    fn call(&mut self, request: http::Request<RequestBody>) -> Self::Future {
        let record = CallRecord::start(request.uri().path(), self.side);
        ResponseFuture {
            inner: self.inner.call(request),
            record: Some(record),
        }
    }
}

/// The status and time of one call, recorded once.
struct CallRecord {
    metrics: Option<ServiceMetrics>,
    grpc_service: String,
    method: String,
    side: Side,
    started: Instant,
    header_code: Option<Code>,
    recorded: bool,
}

impl CallRecord {
    fn start(path: &str, side: Side) -> Self {
        let (grpc_service, method) = path
            .trim_start_matches('/')
            .split_once('/')
            .unwrap_or(("unknown", "unknown"));
        CallRecord {
            metrics: kensho_telemetry::metrics::current(),
            grpc_service: grpc_service.to_owned(),
            method: method.to_owned(),
            side,
            started: Instant::now(),
            header_code: None,
            recorded: false,
        }
    }

    fn finish(&mut self, code: Code) {
        if self.recorded {
            return;
        }
        self.recorded = true;
        let seconds = self.started.elapsed().as_secs_f64();
        let record = || {
            let labels = [
                ("grpc_service", self.grpc_service.clone()),
                ("method", self.method.clone()),
                ("code", code_name(code).to_owned()),
                ("side", self.side.label().to_owned()),
            ];
            metrics::counter!(GRPC_REQUESTS_TOTAL, &labels).increment(1);
            metrics::histogram!(GRPC_REQUEST_DURATION_SECONDS, &labels).record(seconds);
        };
        match &self.metrics {
            Some(service_metrics) => service_metrics.in_scope(record),
            None => record(),
        }
    }
}

fn status_in(headers: &HeaderMap) -> Option<Code> {
    headers
        .get(GRPC_STATUS_HEADER)
        .map(|value| Code::from_bytes(value.as_bytes()))
}

pin_project_lite::pin_project! {
    /// The response future of [`GrpcMetrics`].
    pub struct ResponseFuture<F> {
        #[pin]
        inner: F,
        record: Option<CallRecord>,
    }
}

impl<F, ResponseBody, Error> Future for ResponseFuture<F>
where
    F: Future<Output = Result<http::Response<ResponseBody>, Error>>,
{
    type Output = Result<http::Response<MetricsBody<ResponseBody>>, Error>;

    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let outcome = std::task::ready!(this.inner.poll(context));
        let Some(mut record) = this.record.take() else {
            return Poll::Pending;
        };
        Poll::Ready(match outcome {
            Ok(response) => {
                record.header_code = status_in(response.headers());
                Ok(response.map(|body| MetricsBody {
                    inner: body,
                    record,
                }))
            }
            Err(error) => {
                // The call never got a response: the transport failed.
                record.finish(Code::Unavailable);
                Err(error)
            }
        })
    }
}

pin_project_lite::pin_project! {
    /// A response body that records its call when the status is known.
    pub struct MetricsBody<B> {
        #[pin]
        inner: B,
        record: CallRecord,
    }

    impl<B> PinnedDrop for MetricsBody<B> {
        fn drop(this: Pin<&mut Self>) {
            let this = this.project();
            let code = this.record.header_code.unwrap_or(Code::Cancelled);
            this.record.finish(code);
        }
    }
}

impl<B: http_body::Body> http_body::Body for MetricsBody<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let this = self.project();
        let frame = std::task::ready!(this.inner.poll_frame(context));
        match &frame {
            Some(Ok(frame)) => {
                if let Some(trailers) = frame.trailers_ref() {
                    let code = status_in(trailers).unwrap_or(Code::Unknown);
                    this.record.finish(code);
                }
            }
            Some(Err(_)) => this.record.finish(Code::Internal),
            None => {
                let code = this.record.header_code.unwrap_or(Code::Unknown);
                this.record.finish(code);
            }
        }
        Poll::Ready(frame)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// The status name as the gRPC specification spells it.
pub fn code_name(code: Code) -> &'static str {
    match code {
        Code::Ok => "OK",
        Code::Cancelled => "CANCELLED",
        Code::Unknown => "UNKNOWN",
        Code::InvalidArgument => "INVALID_ARGUMENT",
        Code::DeadlineExceeded => "DEADLINE_EXCEEDED",
        Code::NotFound => "NOT_FOUND",
        Code::AlreadyExists => "ALREADY_EXISTS",
        Code::PermissionDenied => "PERMISSION_DENIED",
        Code::ResourceExhausted => "RESOURCE_EXHAUSTED",
        Code::FailedPrecondition => "FAILED_PRECONDITION",
        Code::Aborted => "ABORTED",
        Code::OutOfRange => "OUT_OF_RANGE",
        Code::Unimplemented => "UNIMPLEMENTED",
        Code::Internal => "INTERNAL",
        Code::Unavailable => "UNAVAILABLE",
        Code::DataLoss => "DATA_LOSS",
        Code::Unauthenticated => "UNAUTHENTICATED",
    }
}
