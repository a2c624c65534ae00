//! The standalone stream-svc binary.

use kensho_kit::{Shutdown, load_config};
use kensho_stream::{Application, StreamConfig};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config: StreamConfig = load_config()?;
    let telemetry = kensho_telemetry::init(&config.telemetry, "stream-svc")?;
    let application =
        Application::build(config.stream, &config.crunchyroll, config.internal).await?;
    // The only service of this process: what records outside a request lands in its registry too.
    application.metrics().install_global()?;
    application
        .run_until_stopped(Shutdown::on_os_signals())
        .await?;
    telemetry.shutdown().await;
    Ok(())
}
