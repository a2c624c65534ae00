//! The `[catalog.sync]` section: when and how hard the Crunchyroll sync runs.

use serde::{Deserialize, Serialize};

/// Crunchyroll sync settings.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SyncSettings {
    /// Run the sync at all (it also needs `crunchyroll.client_id`).
    pub enabled: bool,
    /// Start a sync as soon as the service starts.
    pub on_start: bool,
    /// Seconds between scheduled syncs.
    pub interval_seconds: u64,
    /// Series synced at once.
    pub concurrency: usize,
    /// Series per browse page while listing Crunchyroll's catalog.
    pub page_size: u32,
}

impl Default for SyncSettings {
    fn default() -> Self {
        SyncSettings {
            enabled: true,
            on_start: true,
            interval_seconds: 6 * 60 * 60,
            concurrency: 4,
            page_size: 100,
        }
    }
}
