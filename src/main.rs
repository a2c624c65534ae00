//! Kensho all-in-one: the gateway and the catalog, auth and stream services in one process, each
//! on its own port and talking real gRPC over loopback, with embedded storage under the data
//! directory ([`kensho_cluster::Cluster`]). Without Crunchyroll credentials it also runs the
//! bundled Crunchyroll simulator and talks to that. `kensho catalog import FILE` and
//! `kensho catalog sync` work on the same database.
#![forbid(unsafe_code)]

use clap::{Parser, Subcommand};
use kensho_catalog::cli::CatalogCommand;
use kensho_cluster::{Cluster, ClusterConfig, use_simulator};
use kensho_crunchyroll_sim::Simulator;
use kensho_kit::{Shutdown, load_config};

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

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let arguments = Arguments::parse();
    let config: ClusterConfig = load_config()?;
    let telemetry = kensho_telemetry::init(&config.telemetry, "kensho")?;
    let outcome = match arguments.command {
        Some(Command::Catalog { command }) => run_catalog_command(command, config).await,
        None => run_all(config).await,
    };
    // Spans of a failed run are worth flushing too.
    telemetry.shutdown().await;
    outcome
}

async fn run_catalog_command(command: CatalogCommand, config: ClusterConfig) -> anyhow::Result<()> {
    let shutdown = Shutdown::new();
    let mut crunchyroll = config.crunchyroll.clone();
    if !crunchyroll.has_credentials() {
        let simulator = Simulator::start(config.simulator.clone(), &shutdown).await?;
        use_simulator(&mut crunchyroll, &simulator.base_url);
    }
    let result =
        kensho_catalog::cli::run(command, &config.catalog, &crunchyroll, &config.data_dir).await;
    shutdown.trigger();
    result
}

async fn run_all(config: ClusterConfig) -> anyhow::Result<()> {
    let shutdown = Shutdown::on_os_signals();
    let data_dir = config.data_dir.clone();
    let gateway_host = config.gateway.host.clone();
    let cluster = Cluster::build(config).await?;
    let addresses = cluster.addresses().clone();
    println!("kensho is running (data directory: {})", data_dir.display());
    println!(
        "  gateway      http://{gateway_host}:{}/api/v1",
        addresses.gateway.port()
    );
    println!("  catalog-svc  grpc://{}", addresses.catalog);
    println!("  auth-svc     grpc://{}", addresses.auth);
    println!("  stream-svc   grpc://{}", addresses.stream);
    match &addresses.simulator {
        Some(url) => println!(
            "  crunchyroll  {url} (bundled simulator: no crunchyroll.client_id configured)"
        ),
        None => println!("  crunchyroll  {}", cluster.crunchyroll().api_base_url),
    }
    println!("press Ctrl-C to stop");
    cluster.run_until_stopped(shutdown).await?;
    println!("kensho stopped");
    Ok(())
}
