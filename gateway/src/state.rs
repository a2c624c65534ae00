//! What every handler shares: backend clients and the settings handlers need.

use std::sync::Arc;

use kensho_jwt::TokenSettings;
use kensho_kit::flags::Flags;
use kensho_kit::grpc::GrpcChannel;
use kensho_kit::health::HealthMonitor;
use kensho_proto::auth::v1::auth_service_client::AuthServiceClient;
use kensho_proto::catalog::v1::catalog_service_client::CatalogServiceClient;
use kensho_proto::stream::v1::stream_service_client::StreamServiceClient;

use crate::auth::JwksCache;

/// Shared handler state; cheap to clone (gRPC channels are handles to one connection pool).
#[derive(Clone)]
pub struct AppState {
    /// catalog-svc.
    pub catalog: CatalogServiceClient<GrpcChannel>,
    /// The gateway's dependencies and readiness.
    pub health: HealthMonitor,
    /// auth-svc.
    pub auth: AuthServiceClient<GrpcChannel>,
    /// stream-svc.
    pub stream: StreamServiceClient<GrpcChannel>,
    /// auth-svc's public keys, fetched on first use and kept for `jwks_cache_seconds`.
    pub jwks: JwksCache,
    /// The issuer and audience an access token must name.
    pub token_deployment: Arc<TokenSettings>,
    /// `Retry-After` on 429 and 503 when the backend does not say.
    pub retry_after_seconds: u32,
    /// Feature flags, reloaded when their file changes.
    pub flags: Flags,
}
