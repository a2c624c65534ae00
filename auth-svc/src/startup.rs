//! Building and running auth-svc: the same [`Application`] serves `main`, the all-in-one and
//! every test.

use std::net::SocketAddr;
use std::time::Duration;

use kensho_kit::Shutdown;
use kensho_proto::auth::v1::auth_service_server::AuthServiceServer;
use tokio::net::TcpListener;

use crate::grpc::AuthGrpc;
use crate::settings::AuthSettings;

/// A auth-svc bound to its port, ready to run.
pub struct Application {
    listener: TcpListener,
    address: SocketAddr,
    settings: AuthSettings,
}

impl Application {
    /// Binds the gRPC port.
    pub async fn build(settings: AuthSettings) -> anyhow::Result<Self> {
        let listener = TcpListener::bind((settings.host.as_str(), settings.port)).await?;
        let address = listener.local_addr()?;
        Ok(Application {
            listener,
            address,
            settings,
        })
    }

    /// The bound port (useful when configured as 0).
    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// Serves gRPC (the service, health, reflection) until `shutdown` fires, then drains.
    pub async fn run_until_stopped(self, shutdown: Shutdown) -> anyhow::Result<()> {
        kensho_kit::grpc::serve(
            AuthServiceServer::new(AuthGrpc),
            kensho_proto::FILE_DESCRIPTOR_SET,
            self.listener,
            shutdown,
            Duration::from_millis(self.settings.drain_timeout_ms),
            "auth-svc",
        )
        .await?;
        Ok(())
    }
}
