//! catalog-svc: the anime catalog behind `kensho.catalog.v1.CatalogService`, and its
//! administration (the Crunchyroll sync) behind `kensho.catalog.v1.CatalogAdminService`.
//!
//! It owns its database (SQLite embedded by default, PostgreSQL in production), imports the
//! anime-offline-database format, and answers lookups, episode lists, ranked typo-tolerant
//! search, seasonal browse and tag lists over gRPC. Other crates reach it through that contract:
//! this library exports only the [`Application`] that serves it, its settings, and the command
//! line ([`cli`]).
#![forbid(unsafe_code)]

mod cache_settings;
mod catalog;
pub mod cli;
mod domain;
mod error;
mod grpc;
mod import;
mod search;
mod settings;
mod startup;
mod store;
mod sync;

pub use cache_settings::CatalogCacheSettings;
pub use settings::{CatalogConfig, CatalogSettings, SearchSettings, SeedSettings};
pub use startup::Application;
pub use store::DatabaseSettings;
pub use sync::SyncSettings;
