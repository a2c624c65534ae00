//! The `[catalog.database]` configuration section, which builds the store.

use std::path::Path;
use std::time::Duration;

use kensho_kit::Secret;
use serde::{Deserialize, Serialize};

use super::database::SqliteTuning;
use super::{SqlCatalogStore, StoreError};

/// Where the catalog lives and how connections are pooled.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseSettings {
    /// `sqlite://PATH` or `postgres://USER:PASSWORD@HOST:PORT/DB`. Empty means the embedded
    /// SQLite file `catalog.db` in the data directory.
    pub url: Secret<String>,
    /// Most pooled connections.
    pub max_connections: u32,
    /// How long a query waits for a free connection before failing, in milliseconds.
    pub acquire_timeout_ms: u64,
    /// SQLite only: how long a write waits for another connection's write lock, in milliseconds.
    pub busy_timeout_ms: u64,
    /// SQLite only: statements kept prepared per connection.
    pub statement_cache_capacity: usize,
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        DatabaseSettings {
            url: Secret::new(String::new()),
            max_connections: 8,
            acquire_timeout_ms: 5_000,
            busy_timeout_ms: 5_000,
            statement_cache_capacity: 256,
        }
    }
}

/// Name of the embedded database file inside the data directory.
pub const EMBEDDED_DATABASE_FILE: &str = "catalog.db";

impl DatabaseSettings {
    /// The configured URL, or the embedded SQLite file under `data_dir`.
    pub fn effective_url(&self, data_dir: &Path) -> String {
        let url = self.url.expose();
        if url.is_empty() {
            format!(
                "sqlite://{}",
                data_dir.join(EMBEDDED_DATABASE_FILE).display()
            )
        } else {
            url.clone()
        }
    }

    /// Connects and migrates the store.
    pub async fn connect(&self, data_dir: &Path) -> Result<SqlCatalogStore, StoreError> {
        SqlCatalogStore::connect_tuned(
            &self.effective_url(data_dir),
            self.max_connections,
            Duration::from_millis(self.acquire_timeout_ms),
            SqliteTuning {
                busy_timeout: Duration::from_millis(self.busy_timeout_ms),
                statement_cache_capacity: self.statement_cache_capacity,
            },
        )
        .await
    }
}
