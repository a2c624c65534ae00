//! The gRPC adapters over [`Catalog`]: each parses requests into domain types, calls the catalog,
//! and answers with the contract's messages. `kensho.catalog.v1.CatalogService` serves readers;
//! `kensho.catalog.v1.CatalogAdminService` serves operators (the Crunchyroll sync).

mod admin;
pub mod cached;
mod convert;
mod filter;
mod service;
pub mod warming;

use std::sync::Arc;

use kensho_kit::Shutdown;

use kensho_kit::grpc::GrpcServices;
use kensho_proto::catalog::v1::catalog_admin_service_server::CatalogAdminServiceServer;
use kensho_proto::catalog::v1::catalog_service_server::CatalogServiceServer;

use crate::catalog::Catalog;
use cached::CachedCatalog;

/// Both catalog services over one catalog, to serve on one port, reads answering through
/// `cached`; the admin service needs the admin credential.
pub fn services(catalog: Arc<Catalog>, cached: Arc<CachedCatalog>) -> GrpcServices {
    GrpcServices::new()
        .add_service(CatalogServiceServer::new(service::CatalogGrpc::new(
            Arc::clone(&catalog),
            Arc::clone(&cached),
        )))
        .add_admin_service(CatalogAdminServiceServer::new(
            admin::CatalogAdminGrpc::new(catalog, cached),
        ))
}

/// Warms the caches at start and every interval until `shutdown` (see [`warming`]).
pub async fn warm_caches(
    catalog: Arc<Catalog>,
    cached: Arc<CachedCatalog>,
    settings: warming::WarmingSettings,
    shutdown: Shutdown,
) {
    warming::warm_every(
        service::CatalogGrpc::new(catalog, cached),
        settings,
        shutdown,
    )
    .await;
}
