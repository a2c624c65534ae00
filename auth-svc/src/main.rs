//! The standalone auth-svc binary.

use kensho_auth::{Application, AuthConfig};
use kensho_kit::{Shutdown, load_config};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config: AuthConfig = load_config()?;
    let telemetry = kensho_telemetry::init(&config.telemetry, "auth-svc")?;
    let application = Application::build(
        config.auth,
        &config.crunchyroll,
        &config.data_dir,
        config.internal,
        config.tokens,
    )
    .await?;
    // The only service of this process: what records outside a request lands in its registry too.
    application.metrics().install_global()?;
    application
        .run_until_stopped(Shutdown::on_os_signals())
        .await?;
    telemetry.shutdown().await;
    Ok(())
}
