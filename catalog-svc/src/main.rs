//! The standalone catalog-svc binary: `catalog-svc` serves, `catalog-svc import FILE` imports,
//! `catalog-svc migrate` migrates the database and exits.

use clap::Parser;
use kensho_catalog::cli::{self, CatalogCommand};
use kensho_catalog::{Application, CatalogConfig};
use kensho_kit::{Shutdown, load_config};

#[derive(Parser)]
#[command(name = "catalog-svc", version, about = "Kensho catalog service")]
struct Arguments {
    #[command(subcommand)]
    command: Option<CatalogCommand>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let arguments = Arguments::parse();
    let config: CatalogConfig = load_config()?;
    let telemetry = kensho_telemetry::init(&config.telemetry, "catalog-svc")?;
    match arguments.command {
        Some(command) => {
            cli::run(
                command,
                &config.catalog,
                &config.crunchyroll,
                &config.data_dir,
            )
            .await?
        }
        None => {
            let application = Application::build(
                config.catalog,
                &config.crunchyroll,
                &config.data_dir,
                config.internal,
            )
            .await?;
            // The only service of this process: what records outside a request lands in its registry too.
            application.metrics().install_global()?;
            application
                .run_until_stopped(Shutdown::on_os_signals())
                .await?;
        }
    }
    telemetry.shutdown().await;
    Ok(())
}
