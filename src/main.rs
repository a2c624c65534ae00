//! Kensho all-in-one: the gateway and the catalog, auth and stream services in one process, each
//! on its own port and talking real gRPC over loopback, with embedded storage under the data
//! directory. Without Crunchyroll credentials it also runs the bundled Crunchyroll simulator and
//! talks to that. `kensho catalog import FILE` and `kensho catalog sync` work on the same database.
#![forbid(unsafe_code)]

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use kensho_auth::AuthSettings;
use kensho_catalog::CatalogSettings;
use kensho_catalog::cli::CatalogCommand;
use kensho_crunchyroll::CrunchyrollSettings;
use kensho_crunchyroll_sim::{SimSettings, Simulator};
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
    crunchyroll: CrunchyrollSettings,
    simulator: SimSettings,
    telemetry: TelemetrySettings,
}

impl Default for AllInOneConfig {
    fn default() -> Self {
        AllInOneConfig {
            data_dir: PathBuf::from(kensho_kit::config::DEFAULT_DATA_DIR),
            gateway: GatewaySettings::default(),
            catalog: CatalogSettings::default(),
            auth: AuthSettings::default(),
            stream: StreamSettings::default(),
            crunchyroll: CrunchyrollSettings::default(),
            simulator: SimSettings::default(),
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
            let shutdown = Shutdown::new();
            let mut crunchyroll = config.crunchyroll.clone();
            if !crunchyroll.has_credentials() {
                start_simulator(config.simulator.clone(), &mut crunchyroll, &shutdown).await?;
            }
            let result =
                kensho_catalog::cli::run(command, &config.catalog, &crunchyroll, &config.data_dir)
                    .await;
            shutdown.trigger();
            result?;
        }
        None => run_all(config).await?,
    }
    telemetry.shutdown().await;
    Ok(())
}

/// Starts the bundled Crunchyroll simulator and points `crunchyroll` at it.
async fn start_simulator(
    settings: SimSettings,
    crunchyroll: &mut CrunchyrollSettings,
    shutdown: &Shutdown,
) -> anyhow::Result<String> {
    let base_url = Simulator::start(settings, shutdown).await?.base_url;
    let simulator_settings = CrunchyrollSettings::at_base_url(&base_url, SIMULATOR_CLIENT_ID);
    crunchyroll.api_base_url = simulator_settings.api_base_url;
    crunchyroll.play_base_url = simulator_settings.play_base_url;
    crunchyroll.client_id = simulator_settings.client_id;
    Ok(base_url)
}

/// The app client id Kensho presents to its own simulator.
const SIMULATOR_CLIENT_ID: &str = "kensho-all-in-one";

async fn run_all(mut config: AllInOneConfig) -> anyhow::Result<()> {
    let shutdown = Shutdown::on_os_signals();
    let simulator_url = if config.crunchyroll.has_credentials() {
        None
    } else {
        Some(start_simulator(config.simulator.clone(), &mut config.crunchyroll, &shutdown).await?)
    };
    let catalog =
        kensho_catalog::Application::build(config.catalog, &config.crunchyroll, &config.data_dir)
            .await?;
    let auth =
        kensho_auth::Application::build(config.auth, &config.crunchyroll, &config.data_dir).await?;
    // The gateway and stream-svc reach the in-process services over loopback, whatever address
    // they bind.
    config.stream.catalog_url = format!("http://127.0.0.1:{}", catalog.port());
    config.stream.auth_url = format!("http://127.0.0.1:{}", auth.port());
    let stream = kensho_stream::Application::build(config.stream, &config.crunchyroll).await?;
    config.gateway.catalog_url = format!("http://127.0.0.1:{}", catalog.port());
    config.gateway.auth_url = format!("http://127.0.0.1:{}", auth.port());
    config.gateway.stream_url = format!("http://127.0.0.1:{}", stream.port());
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
    match &simulator_url {
        Some(url) => println!(
            "  crunchyroll  {url} (bundled simulator: no crunchyroll.client_id configured)"
        ),
        None => println!("  crunchyroll  {}", config.crunchyroll.api_base_url),
    }
    println!("press Ctrl-C to stop");

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
