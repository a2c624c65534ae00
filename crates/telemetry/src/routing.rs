//! One process may host several services (the all-in-one hosts four), and every span must reach
//! the collector under its own service's `service.name`. The resource belongs to an exporter, so
//! [`RoutingProcessor`] keeps one batch processor and OTLP exporter per service, created on the
//! first span of that service, and routes each finished span to its service's.
//!
//! A span's service is the `service` field of the entry span that starts each unit of work (the
//! gateway's HTTP request span, each gRPC request span); every other span inherits its parent's.
//! Parents start before their children, so the service is known at each span's start and kept
//! in a map until the span ends.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;

use opentelemetry::trace::{SpanId, TraceContextExt};
use opentelemetry::{Context, Value};
use opentelemetry_otlp::{SpanExporter, WithExportConfig};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::error::OTelSdkResult;
use opentelemetry_sdk::trace::{
    BatchConfigBuilder, BatchSpanProcessor, Span, SpanData, SpanProcessor,
};

/// The span field that names the service of an entry span.
pub const SERVICE_FIELD: &str = "service";

/// How each service's exporter is built.
#[derive(Debug)]
pub struct ExportPlan {
    /// The OTLP/gRPC endpoint (`http://host:4317`).
    pub endpoint: String,
    /// Longest time one export may take.
    pub export_timeout: Duration,
    /// Spans buffered per service before new ones are dropped.
    pub max_queue_size: usize,
    /// How long finished spans wait to be exported together.
    pub batch_delay: Duration,
    /// Extra resource attributes (`OTEL_RESOURCE_ATTRIBUTES`).
    pub resource_attributes: Vec<opentelemetry::KeyValue>,
    /// Replaces every service name when set (`OTEL_SERVICE_NAME`).
    pub service_name_override: Option<String>,
    /// The service of spans outside any entry span.
    pub default_service: String,
    /// The runtime exporters run their connections on.
    pub runtime: tokio::runtime::Handle,
}

/// See the module docs.
#[derive(Debug)]
pub struct RoutingProcessor {
    plan: ExportPlan,
    processors: RwLock<HashMap<String, Arc<BatchSpanProcessor>>>,
    span_services: Mutex<HashMap<SpanId, Arc<str>>>,
}

impl RoutingProcessor {
    /// No exporters yet: each is built on the first span of its service.
    pub fn new(plan: ExportPlan) -> Self {
        RoutingProcessor {
            plan,
            processors: RwLock::new(HashMap::new()),
            span_services: Mutex::new(HashMap::new()),
        }
    }

    fn processor_for(&self, service: &str) -> Option<Arc<BatchSpanProcessor>> {
        if let Some(processor) = self
            .processors
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(service)
        {
            return Some(processor.clone());
        }
        let mut processors = self
            .processors
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(processor) = processors.get(service) {
            return Some(processor.clone());
        }
        let processor = Arc::new(self.build_processor(service)?);
        processors.insert(service.to_owned(), processor.clone());
        Some(processor)
    }

    fn build_processor(&self, service: &str) -> Option<BatchSpanProcessor> {
        // The tonic channel spawns its connection task on the runtime it is built in.
        let _runtime = self.plan.runtime.enter();
        let exporter = SpanExporter::builder()
            .with_tonic()
            .with_endpoint(self.plan.endpoint.clone())
            .with_timeout(self.plan.export_timeout)
            .build();
        let exporter = match exporter {
            Ok(exporter) => exporter,
            Err(error) => {
                tracing::warn!(%error, service, "cannot build the OTLP exporter; spans of this service are not exported");
                return None;
            }
        };
        let service_name = self
            .plan
            .service_name_override
            .clone()
            .unwrap_or_else(|| service.to_owned());
        let resource = Resource::builder_empty()
            .with_attributes(self.plan.resource_attributes.clone())
            .with_service_name(service_name)
            .build();
        let config = BatchConfigBuilder::default()
            .with_max_queue_size(self.plan.max_queue_size)
            .with_max_export_batch_size(self.plan.max_queue_size.clamp(1, 512))
            .with_scheduled_delay(self.plan.batch_delay)
            .build();
        let mut processor = BatchSpanProcessor::builder(exporter)
            .with_batch_config(config)
            .build();
        processor.set_resource(&resource);
        Some(processor)
    }

    fn all_processors(&self) -> Vec<Arc<BatchSpanProcessor>> {
        self.processors
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .cloned()
            .collect()
    }
}

fn own_service(span: &Span) -> Option<Arc<str>> {
    let data = span.exported_data()?;
    data.attributes
        .iter()
        .find(|attribute| attribute.key.as_str() == SERVICE_FIELD)
        .map(|attribute| match &attribute.value {
            Value::String(name) => Arc::from(name.as_str()),
            other => Arc::from(other.to_string().as_str()),
        })
}

impl SpanProcessor for RoutingProcessor {
    fn on_start(&self, span: &mut Span, parent: &Context) {
        use opentelemetry::trace::Span as _;
        let span_id = span.span_context().span_id();
        let parent_span = parent.span();
        let parent_id = parent_span.span_context().span_id();
        let mut span_services = self
            .span_services
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let service = own_service(span)
            .or_else(|| span_services.get(&parent_id).cloned())
            .unwrap_or_else(|| Arc::from(self.plan.default_service.as_str()));
        span_services.insert(span_id, service);
    }

    fn on_end(&self, span: SpanData) {
        let service = self
            .span_services
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&span.span_context.span_id())
            .unwrap_or_else(|| Arc::from(self.plan.default_service.as_str()));
        if let Some(processor) = self.processor_for(&service) {
            processor.on_end(span);
        }
    }

    fn force_flush(&self) -> OTelSdkResult {
        self.all_processors()
            .iter()
            .map(|processor| processor.force_flush())
            .fold(Ok(()), Result::and)
    }

    fn shutdown_with_timeout(&self, timeout: Duration) -> OTelSdkResult {
        self.all_processors()
            .iter()
            .map(|processor| processor.shutdown_with_timeout(timeout))
            .fold(Ok(()), Result::and)
    }
}
