//! catalog-svc: the anime catalog behind `kensho.catalog.v1.CatalogService`, and its
//! administration (the Crunchyroll sync) behind `kensho.catalog.v1.CatalogAdminService`.
//!
//! It owns its database (SQLite embedded by default, PostgreSQL in production), imports the
//! anime-offline-database format, and answers lookups, episode lists, ranked typo-tolerant
//! search, seasonal browse and tag lists over gRPC.
#![forbid(unsafe_code)]

mod catalog;
pub mod cli;
pub mod domain;
pub mod error;
pub mod grpc;
pub mod import;
pub mod search;
pub mod settings;
pub mod startup;
pub mod store;
pub mod sync;

pub use settings::{CatalogConfig, CatalogSettings};
pub use startup::Application;
