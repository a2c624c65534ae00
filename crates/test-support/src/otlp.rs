//! A test OTLP collector: [`OtlpReceiver`] serves the OTLP/gRPC trace service on a free port and
//! keeps every span it receives, so tests assert on what was really exported; [`BlackHole`]
//! accepts connections and never answers, the worst collector a process can meet.

use std::time::Duration;

use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::{
    TraceService, TraceServiceServer,
};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use opentelemetry_proto::tonic::common::v1::any_value::Value;
use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue};
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use tokio_stream::wrappers::TcpListenerStream;

/// One span as the receiver got it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceivedSpan {
    /// `service.name` of the resource the span was exported under.
    pub service_name: String,
    /// 32 hex digits.
    pub trace_id: String,
    /// 16 hex digits.
    pub span_id: String,
    /// 16 hex digits; empty for a root span.
    pub parent_span_id: String,
    /// The span's name.
    pub name: String,
    /// The OTLP span kind (2 server, 3 client).
    pub kind: i32,
    /// Attributes rendered as strings.
    pub attributes: Vec<(String, String)>,
}

impl ReceivedSpan {
    /// The value of attribute `key`, when present.
    pub fn attribute(&self, key: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(candidate, _)| candidate == key)
            .map(|(_, value)| value.as_str())
    }
}

/// See the module docs. Stops serving when dropped.
#[derive(Debug)]
pub struct OtlpReceiver {
    /// `http://127.0.0.1:PORT`, for `telemetry.otlp_endpoint`.
    pub endpoint: String,
    spans: watch::Receiver<Vec<ReceivedSpan>>,
    _stop: oneshot::Sender<()>,
}

struct Collector {
    spans: watch::Sender<Vec<ReceivedSpan>>,
}

#[tonic::async_trait]
impl TraceService for Collector {
    async fn export(
        &self,
        request: tonic::Request<ExportTraceServiceRequest>,
    ) -> Result<tonic::Response<ExportTraceServiceResponse>, tonic::Status> {
        let mut received = Vec::new();
        for resource_spans in request.into_inner().resource_spans {
            let service_name = resource_spans
                .resource
                .as_ref()
                .and_then(|resource| string_attribute(&resource.attributes, "service.name"))
                .unwrap_or_default();
            for scope_spans in resource_spans.scope_spans {
                received.extend(scope_spans.spans.into_iter().map(|span| {
                    ReceivedSpan {
                        service_name: service_name.clone(),
                        trace_id: hex(&span.trace_id),
                        span_id: hex(&span.span_id),
                        parent_span_id: hex(&span.parent_span_id),
                        name: span.name,
                        kind: span.kind,
                        attributes: span
                            .attributes
                            .iter()
                            .map(|pair| (pair.key.clone(), render(pair.value.as_ref())))
                            .collect(),
                    }
                }));
            }
        }
        self.spans.send_modify(|spans| spans.extend(received));
        Ok(tonic::Response::new(ExportTraceServiceResponse {
            partial_success: None,
        }))
    }
}

impl OtlpReceiver {
    /// Serves on a free port of 127.0.0.1.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the OTLP receiver");
        let address = listener.local_addr().expect("receiver address");
        let (sender, spans) = watch::channel(Vec::new());
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tonic::transport::Server::builder()
            .add_service(TraceServiceServer::new(Collector { spans: sender }))
            .serve_with_incoming_shutdown(TcpListenerStream::new(listener), async {
                let _ = stopped.await;
            });
        tokio::spawn(server);
        OtlpReceiver {
            endpoint: format!("http://{address}"),
            spans,
            _stop: stop,
        }
    }

    /// Every span received so far.
    pub fn spans(&self) -> Vec<ReceivedSpan> {
        self.spans.borrow().clone()
    }

    /// Waits (at most `timeout`) until the received spans satisfy `condition`, and returns them;
    /// panics with what arrived when they do not in time.
    pub async fn wait_for(
        &self,
        timeout: Duration,
        condition: impl FnMut(&Vec<ReceivedSpan>) -> bool,
    ) -> Vec<ReceivedSpan> {
        let mut spans = self.spans.clone();
        match tokio::time::timeout(timeout, spans.wait_for(condition)).await {
            Ok(Ok(satisfied)) => satisfied.clone(),
            _ => panic!(
                "the spans did not arrive within {timeout:?}; received: {:#?}",
                self.spans()
            ),
        }
    }
}

/// A collector address that accepts connections and never answers. Stops when dropped.
#[derive(Debug)]
pub struct BlackHole {
    /// `http://127.0.0.1:PORT`.
    pub endpoint: String,
    _stop: oneshot::Sender<()>,
}

impl BlackHole {
    /// Listens on a free port of 127.0.0.1, holding every connection open in silence.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the black hole");
        let address = listener.local_addr().expect("black hole address");
        let (stop, mut stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let mut held = Vec::new();
            loop {
                tokio::select! {
                    accepted = listener.accept() => match accepted {
                        Ok((connection, _)) => held.push(connection),
                        Err(_) => return,
                    },
                    _ = &mut stopped => return,
                }
            }
        });
        BlackHole {
            endpoint: format!("http://{address}"),
            _stop: stop,
        }
    }
}

fn string_attribute(attributes: &[KeyValue], key: &str) -> Option<String> {
    attributes
        .iter()
        .find(|pair| pair.key == key)
        .map(|pair| render(pair.value.as_ref()))
}

fn render(value: Option<&AnyValue>) -> String {
    match value.and_then(|value| value.value.as_ref()) {
        Some(Value::StringValue(text)) => text.clone(),
        Some(Value::IntValue(number)) => number.to_string(),
        Some(Value::BoolValue(flag)) => flag.to_string(),
        Some(Value::DoubleValue(number)) => number.to_string(),
        Some(other) => format!("{other:?}"),
        None => String::new(),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
