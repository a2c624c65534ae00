//! What every handler shares: backend clients and the settings handlers need.

use std::time::Duration;

use kensho_proto::catalog::v1::catalog_service_client::CatalogServiceClient;
use tonic::transport::Channel;

/// Shared handler state; cheap to clone (gRPC channels are handles to one connection pool).
#[derive(Clone)]
pub struct AppState {
    /// catalog-svc.
    pub catalog: CatalogServiceClient<Channel>,
    /// catalog-svc's channel, for health checks.
    pub catalog_channel: Channel,
    /// Deadline of each backend call.
    pub backend_timeout: Duration,
    /// `Retry-After` on 429 and 503.
    pub retry_after_seconds: u32,
}
