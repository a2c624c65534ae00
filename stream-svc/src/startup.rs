//! Building and running stream-svc: the same [`Application`] serves `main`, the all-in-one and
//! every test.

use std::net::SocketAddr;
use std::time::Duration;

use kensho_kit::Shutdown;
use kensho_proto::stream::v1::stream_service_server::StreamServiceServer;
use tokio::net::TcpListener;

use crate::grpc::StreamGrpc;
use crate::settings::StreamSettings;

/// A stream-svc bound to its port, ready to run.
pub struct Application {
    listener: TcpListener,
    address: SocketAddr,
    settings: StreamSettings,
}

impl Application {
    /// Binds the gRPC port.
    pub async fn build(settings: StreamSettings) -> anyhow::Result<Self> {
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
            StreamServiceServer::new(StreamGrpc),
            kensho_proto::FILE_DESCRIPTOR_SET,
            self.listener,
            shutdown,
            Duration::from_millis(self.settings.drain_timeout_ms),
            "stream-svc",
        )
        .await?;
        Ok(())
    }
}
