//! Import of anime-offline-database files: the `.json` document with a `data` array, and `.jsonl`
//! whose first line is metadata and every further line one record.
//!
//! Every record is validated; a bad one is reported with its position and reason and skipped.
//! Each record is written in its own transaction, with an id derived from its sources, so an
//! interrupted import loses nothing and a repeated one changes nothing. Relations are resolved
//! once every record is in.

mod record;
mod tag_category;

pub use record::parse_record;

use std::path::Path;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use kensho_kit::service_error::cause_chain;
use serde::Deserialize;

use crate::store::{AnimeRecord, CatalogStore, RelationChanges, StoreError, UpsertOutcome};

/// The two file layouts of the anime-offline-database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CatalogFormat {
    /// One JSON document whose `data` array holds the records.
    Json,
    /// JSON lines: metadata on the first line, one record per following line.
    JsonLines,
}

impl CatalogFormat {
    /// The format a file name implies: `.jsonl` and `.ndjson` are JSON lines, anything else JSON.
    pub fn from_path(path: &Path) -> Self {
        match path.extension().and_then(|extension| extension.to_str()) {
            Some("jsonl" | "ndjson") => CatalogFormat::JsonLines,
            _ => CatalogFormat::Json,
        }
    }
}

/// A record that was skipped, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    /// Where the record is: `record 12` in a JSON document, `line 13` in JSON lines.
    pub position: String,
    /// What is wrong with it.
    pub reason: String,
}

/// What an import did.
#[derive(Clone, Debug, Default)]
pub struct ImportReport {
    /// Records read, valid or not.
    pub records: u64,
    /// New anime.
    pub inserted: u64,
    /// Anime whose data changed.
    pub updated: u64,
    /// Anime already stored as they are in the file.
    pub unchanged: u64,
    /// Records skipped.
    pub rejected: Vec<Rejection>,
    /// Relations added and removed once all records were in.
    pub relations: RelationChanges,
    /// Wall-clock time of the whole import.
    pub elapsed: Duration,
}

impl ImportReport {
    /// Valid records written or confirmed per second.
    pub fn records_per_second(&self) -> f64 {
        self.records as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }
}

/// An import that could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file cannot be read.
    #[error("cannot read {path}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is not in either layout (for example truncated JSON).
    #[error("not an anime-offline-database file: {0}")]
    Malformed(String),
    /// Storage failed; records written before the failure stay written.
    #[error("storage failed during import")]
    Store(#[from] StoreError),
}

/// Whether to draw a progress bar (only ever on a terminal).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// Draw a bar on stderr when it is a terminal.
    OnTerminal,
    /// Never draw.
    Hidden,
}

/// Imports the file at `path`, its layout chosen by its extension.
pub async fn import_file(
    store: &dyn CatalogStore,
    path: &Path,
    progress: Progress,
) -> Result<ImportReport, ImportError> {
    let bytes = tokio::fs::read(path)
        .await
        .map_err(|source| ImportError::Io {
            path: path.display().to_string(),
            source,
        })?;
    import_bytes(store, &bytes, CatalogFormat::from_path(path), progress).await
}

/// Imports a file's contents.
pub async fn import_bytes(
    store: &dyn CatalogStore,
    bytes: &[u8],
    format: CatalogFormat,
    progress: Progress,
) -> Result<ImportReport, ImportError> {
    let started = Instant::now();
    let entries = match format {
        CatalogFormat::Json => split_document(bytes)?,
        CatalogFormat::JsonLines => split_lines(bytes)?,
    };
    let bar = progress_bar(entries.len() as u64, progress);
    let mut report = ImportReport::default();
    let mut pending = Pending::default();
    for entry in entries {
        report.records += 1;
        let parsed = entry
            .value
            .and_then(|value| parse_record(value).map_err(|error| error.to_string()));
        match parsed {
            Ok(record) => {
                pending.records.push(record);
                pending.positions.push(entry.position);
            }
            Err(reason) => {
                tracing::warn!(position = %entry.position, %reason, "record rejected");
                report.rejected.push(Rejection {
                    position: entry.position,
                    reason,
                });
            }
        }
        if pending.records.len() == RECORDS_PER_BATCH {
            write_pending(store, &mut pending, &mut report, &bar).await?;
        }
    }
    write_pending(store, &mut pending, &mut report, &bar).await?;
    bar.set_position(report.records);
    bar.set_message("resolving relations");
    report.relations = store.resolve_relations().await?;
    if report.inserted + report.updated > 0 {
        bar.set_message("refreshing statistics");
        store.refresh_statistics().await?;
    }
    bar.finish_and_clear();
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Records handed to the store at once: one transaction, a savepoint per record.
const RECORDS_PER_BATCH: usize = 512;

/// Parsed records waiting to be written, with where each came from in the file.
#[derive(Default)]
struct Pending {
    records: Vec<AnimeRecord>,
    positions: Vec<String>,
}

async fn write_pending(
    store: &dyn CatalogStore,
    pending: &mut Pending,
    report: &mut ImportReport,
    bar: &ProgressBar,
) -> Result<(), ImportError> {
    let outcomes = store.upsert_anime_batch(&pending.records).await?;
    for (written, position) in outcomes.into_iter().zip(pending.positions.drain(..)) {
        match written {
            Ok((_, UpsertOutcome::Inserted)) => report.inserted += 1,
            Ok((_, UpsertOutcome::Updated)) => report.updated += 1,
            Ok((_, UpsertOutcome::Unchanged)) => report.unchanged += 1,
            Err(error) => {
                let reason = format!("the database refused the record: {}", cause_chain(&error));
                tracing::warn!(%position, %reason, "record rejected");
                report.rejected.push(Rejection { position, reason });
            }
        }
    }
    bar.inc(pending.records.len() as u64);
    pending.records.clear();
    Ok(())
}

struct Entry {
    position: String,
    value: Result<serde_json::Value, String>,
}

#[derive(Deserialize)]
struct Document {
    data: Vec<serde_json::Value>,
}

fn split_document(bytes: &[u8]) -> Result<Vec<Entry>, ImportError> {
    let document: Document =
        serde_json::from_slice(bytes).map_err(|error| ImportError::Malformed(error.to_string()))?;
    Ok(document
        .data
        .into_iter()
        .enumerate()
        .map(|(index, value)| Entry {
            position: format!("record {}", index + 1),
            value: Ok(value),
        })
        .collect())
}

fn split_lines(bytes: &[u8]) -> Result<Vec<Entry>, ImportError> {
    let text =
        std::str::from_utf8(bytes).map_err(|error| ImportError::Malformed(error.to_string()))?;
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty());
    let Some((_, metadata)) = lines.next() else {
        return Err(ImportError::Malformed("the file is empty".to_owned()));
    };
    match serde_json::from_str::<serde_json::Value>(metadata) {
        Ok(serde_json::Value::Object(_)) => {}
        _ => {
            return Err(ImportError::Malformed(
                "the first line must be the metadata object".to_owned(),
            ));
        }
    }
    Ok(lines
        .map(|(index, line)| Entry {
            position: format!("line {}", index + 1),
            value: serde_json::from_str(line).map_err(|error| format!("invalid JSON: {error}")),
        })
        .collect())
}

fn progress_bar(length: u64, progress: Progress) -> ProgressBar {
    let bar = match progress {
        Progress::OnTerminal => {
            ProgressBar::with_draw_target(Some(length), ProgressDrawTarget::stderr())
        }
        Progress::Hidden => ProgressBar::hidden(),
    };
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} records {per_sec} {eta} {msg}")
    {
        bar.set_style(style);
    }
    bar
}
