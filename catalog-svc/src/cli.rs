//! The catalog's command line, shared by `catalog-svc` and the all-in-one `kensho catalog ...`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Subcommand;
use kensho_crunchyroll::CrunchyrollSettings;

use crate::import::{ImportReport, Progress, import_file};
use crate::settings::CatalogSettings;
use crate::store::CatalogStore;
use crate::sync::CatalogSync;

/// Catalog maintenance commands.
#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Import an anime-offline-database file (`.json` with a `data` array, or `.jsonl`).
    Import {
        /// The file to import.
        file: PathBuf,
    },
    /// Sync series, seasons and episodes from Crunchyroll (resuming an interrupted sync).
    Sync,
    /// Apply the database migrations and exit, without seeding or serving (a deployment runs
    /// this once before rolling out new replicas).
    Migrate,
}

/// Runs a catalog command against the configured database.
pub async fn run(
    command: CatalogCommand,
    settings: &CatalogSettings,
    crunchyroll: &CrunchyrollSettings,
    data_dir: &Path,
) -> anyhow::Result<()> {
    match command {
        CatalogCommand::Import { file } => {
            let store = settings.database.connect(data_dir).await?;
            let report = import_file(&store, &file, Progress::OnTerminal).await?;
            print_report(&file, &report);
            store.close().await;
            Ok(())
        }
        CatalogCommand::Migrate => {
            let store = settings.database.connect(data_dir).await?;
            store.close().await;
            println!("catalog database migrated");
            Ok(())
        }
        CatalogCommand::Sync => {
            if !crunchyroll.has_credentials() {
                anyhow::bail!(
                    "no Crunchyroll configured: set crunchyroll.client_id (KENSHO_CRUNCHYROLL__CLIENT_ID)"
                );
            }
            let store: Arc<dyn CatalogStore> = Arc::new(settings.database.connect(data_dir).await?);
            let sync = CatalogSync::new(Arc::clone(&store), crunchyroll, settings.sync.clone())?;
            let run = sync.run().await?;
            println!(
                "sync {} {}: {} series, {} seasons matched, {} episodes written{}",
                run.id,
                run.status,
                run.series_processed,
                run.seasons_matched,
                run.episodes_written,
                if run.resumed { " (resumed)" } else { "" },
            );
            Ok(())
        }
    }
}

fn print_report(file: &Path, report: &ImportReport) {
    println!(
        "imported {}: {} records in {:.1}s ({:.0} records/s): {} inserted, {} updated, {} unchanged, {} rejected; relations: {} added, {} removed",
        file.display(),
        report.records,
        report.elapsed.as_secs_f64(),
        report.records_per_second(),
        report.inserted,
        report.updated,
        report.unchanged,
        report.rejected.len(),
        report.relations.added,
        report.relations.removed,
    );
    for rejection in &report.rejected {
        println!("  rejected {}: {}", rejection.position, rejection.reason);
    }
}
