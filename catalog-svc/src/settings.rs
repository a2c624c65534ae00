//! catalog-svc configuration: the `[catalog]` section and, for the standalone binary, the whole
//! tree it reads.

use std::path::PathBuf;

use kensho_kit::Secret;
use kensho_kit::admin::AdminSettings;
use kensho_kit::grpc::InternalSettings;
use kensho_kit::health::HealthSettings;
use kensho_telemetry::TelemetrySettings;
use serde::{Deserialize, Serialize};

use kensho_crunchyroll::CrunchyrollSettings;

use crate::cache_settings::CatalogCacheSettings;
use crate::store::DatabaseSettings;
use crate::sync::SyncSettings;

/// The `[catalog]` section.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CatalogSettings {
    /// Address the gRPC server binds to.
    pub host: String,
    /// gRPC port; 0 picks a free port.
    pub port: u16,
    /// Where the catalog is stored.
    pub database: DatabaseSettings,
    /// Search tuning.
    pub search: SearchSettings,
    /// The catalog loaded into an empty database at start.
    pub seed: SeedSettings,
    /// The Crunchyroll sync.
    pub sync: SyncSettings,
    /// The read caches.
    pub cache: CatalogCacheSettings,
    /// How long in-flight calls may finish after a shutdown signal, in milliseconds.
    pub drain_timeout_ms: u64,
    /// Dependency checks (interval, timeout) and the pre-stop delay of a shutdown.
    pub health: HealthSettings,
    /// The admin port (`/metrics`, `/health/*`); 9465 unless configured.
    pub admin: AdminSettings,
    /// The key list cursors are sealed with (HMAC-SHA256). Unset: a random key per process
    /// start, so cursors outlive neither a restart nor a hop to another replica; replicas behind
    /// one gateway must share one.
    pub cursor_key: Option<Secret<String>>,
}

impl Default for CatalogSettings {
    fn default() -> Self {
        CatalogSettings {
            host: "127.0.0.1".to_owned(),
            port: 50051,
            database: DatabaseSettings::default(),
            search: SearchSettings::default(),
            seed: SeedSettings::default(),
            sync: SyncSettings::default(),
            cache: CatalogCacheSettings::default(),
            drain_timeout_ms: 10_000,
            health: HealthSettings::default(),
            admin: AdminSettings::default(),
            cursor_key: None,
        }
    }
}

/// The `[catalog.search]` section: the search index and how many candidates it proposes.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchSettings {
    /// Stored titles and synonyms the index may propose per query before ranking; more finds
    /// more typos and costs more time.
    pub max_candidates: u32,
    /// Where the index lives, relative to `data_dir`; unset keeps it in memory. Either way it is
    /// rebuilt from the database at every start.
    pub index_dir: Option<PathBuf>,
    /// Memory the index writer may buffer before it flushes a segment, in MiB (at least 15 per
    /// indexing thread; the writer uses fewer threads when the budget is small).
    pub writer_memory_mb: u32,
    /// How often the index catches up with anime changed by other processes or replicas, in
    /// milliseconds; 0 turns the periodic catch-up off (changes made by this process are still
    /// indexed right away).
    pub refresh_interval_ms: u64,
    /// Deepest hit a search pages to with cursors: the index ranks at most this many hits per
    /// query, so the last page ends here.
    pub max_depth: u32,
    /// Most anime a franchise walk (`GetFranchise`, and leaving the franchise out of similar
    /// anime) visits before it stops.
    pub max_franchise_anime: u32,
}

impl Default for SearchSettings {
    fn default() -> Self {
        SearchSettings {
            max_candidates: 200,
            index_dir: None,
            writer_memory_mb: 64,
            refresh_interval_ms: 5_000,
            max_depth: 1_000,
            max_franchise_anime: 200,
        }
    }
}

/// The `[catalog.seed]` section.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SeedSettings {
    /// Import a catalog at start when the database holds no anime.
    pub on_empty: bool,
    /// The file to import; unset means the sample catalog built into the binary.
    pub file: Option<PathBuf>,
}

impl Default for SeedSettings {
    fn default() -> Self {
        SeedSettings {
            on_empty: true,
            file: None,
        }
    }
}

/// Everything the standalone catalog-svc reads.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct CatalogConfig {
    /// Directory for embedded storage.
    pub data_dir: PathBuf,
    /// The service.
    pub catalog: CatalogSettings,
    /// Where Crunchyroll is (for the sync).
    pub crunchyroll: CrunchyrollSettings,
    /// Logs and traces.
    pub telemetry: TelemetrySettings,
    /// The credentials internal calls carry, and reflection.
    pub internal: InternalSettings,
}

impl Default for CatalogConfig {
    fn default() -> Self {
        CatalogConfig {
            data_dir: PathBuf::from(kensho_kit::config::DEFAULT_DATA_DIR),
            catalog: CatalogSettings::default(),
            crunchyroll: CrunchyrollSettings::default(),
            telemetry: TelemetrySettings::default(),
            internal: InternalSettings::default(),
        }
    }
}
