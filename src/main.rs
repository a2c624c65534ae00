//! Kensho all-in-one: the gateway and the catalog, auth and stream services in one process, each
//! on its own port and talking real gRPC over loopback, with embedded storage under the data
//! directory. `kensho catalog import FILE` imports into the same database.
#![forbid(unsafe_code)]

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use kensho_auth::AuthSettings;
use kensho_catalog::CatalogSettings;
use kensho_catalog::cli::CatalogCommand;
use kensho_gateway::GatewaySettings;
use kensho_kit::{Shutdown, load_config};
use kensho_stream::StreamSettings;
use kensho_telemetry::TelemetrySettings;
use serde::{Deserialize, Serialize};

#[derive(Parser)]
#[command(
    name = "kensho",
    version,
    about = "Kensho: anime discovery and playback backend, all in one process"
)]
struct Arguments {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Catalog maintenance.
    Catalog {
        #[command(subcommand)]
        command: CatalogCommand,
    },
}

/// The whole configuration tree of the all-in-one.
#[derive(Debug, Serialize, Deserialize)]
#[serde(default)]
struct AllInOneConfig {
    data_dir: PathBuf,
    gateway: GatewaySettings,
    catalog: CatalogSettings,
    auth: AuthSettings,
    stream: StreamSettings,
    telemetry: TelemetrySettings,
}

impl Default for AllInOneConfig {
    fn default() -> Self {
        AllInOneConfig {
            data_dir: PathBuf::from(kensho_catalog::settings::DEFAULT_DATA_DIR),
            gateway: GatewaySettings::default(),
            catalog: CatalogSettings::default(),
            auth: AuthSettings::default(),
            stream: StreamSettings::default(),
            telemetry: TelemetrySettings::default(),
        }
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let arguments = Arguments::parse();
    let config: AllInOneConfig = load_config()?;
    let telemetry = kensho_telemetry::init(&config.telemetry, "kensho")?;
    match arguments.command {
        Some(Command::Catalog { command }) => {
            kensho_catalog::cli::run(command, &config.catalog, &config.data_dir).await?;
        }
        None => run_all(config).await?,
    }
    telemetry.shutdown().await;
    Ok(())
}

async fn run_all(mut config: AllInOneConfig) -> anyhow::Result<()> {
    let catalog = kensho_catalog::Application::build(config.catalog, &config.data_dir).await?;
    let auth = kensho_auth::Application::build(config.auth).await?;
    let stream = kensho_stream::Application::build(config.stream).await?;
    // The gateway reaches the in-process catalog over loopback, whatever address it binds.
    config.gateway.catalog_url = format!("http://127.0.0.1:{}", catalog.port());
    let gateway_host = config.gateway.host.clone();
    let gateway = kensho_gateway::Application::build(config.gateway).await?;

    println!(
        "kensho is running (data directory: {})",
        config.data_dir.display()
    );
    println!(
        "  gateway      http://{gateway_host}:{}/api/v1",
        gateway.port()
    );
    println!("  catalog-svc  grpc://127.0.0.1:{}", catalog.port());
    println!("  auth-svc     grpc://127.0.0.1:{}", auth.port());
    println!("  stream-svc   grpc://127.0.0.1:{}", stream.port());
    println!("press Ctrl-C to stop");

    let shutdown = Shutdown::on_os_signals();
    let results = tokio::join!(
        gateway.run_until_stopped(shutdown.clone()),
        catalog.run_until_stopped(shutdown.clone()),
        auth.run_until_stopped(shutdown.clone()),
        stream.run_until_stopped(shutdown.clone()),
    );
    results.0?;
    results.1?;
    results.2?;
    results.3?;
    println!("kensho stopped");
    Ok(())
}
