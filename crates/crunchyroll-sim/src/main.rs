//! The standalone Crunchyroll simulator binary.

use kensho_crunchyroll_sim::{SimConfig, Simulator};
use kensho_kit::{Shutdown, load_config};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config: SimConfig = load_config()?;
    let telemetry = kensho_telemetry::init(&config.telemetry, "crunchyroll-sim")?;
    let simulator = Simulator::build(config.simulator).await?;
    simulator
        .run_until_stopped(Shutdown::on_os_signals())
        .await?;
    telemetry.shutdown().await;
    Ok(())
}
