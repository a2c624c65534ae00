//! Test clusters (feature `testing`): the whole all-in-one on free ports with embedded storage in
//! a temporary directory, the bundled simulator with fast retries, and no sync at start, stopped
//! when the handle drops. Every cross-service test and benchmark starts its cluster here, and
//! calls its members directly through [`TestCluster::channel`] and
//! [`TestCluster::admin_channel`], which present the cluster's credentials.

use std::net::SocketAddr;
use std::path::Path;

use kensho_crunchyroll_sim::SimControl;
use kensho_kit::Shutdown;
use kensho_kit::grpc::{Credential, GrpcChannel, InternalSettings};
use kensho_telemetry::{LogWriter, OtelEnvironment, TelemetryGuard};
use kensho_test_support::simulator::{fast_resilience, simulator_settings};
use kensho_test_support::{TempDir, init_test_logging};

use crate::{Cluster, ClusterAddresses, ClusterConfig};

/// A running test cluster.
pub struct TestCluster {
    /// Where each member listens.
    pub addresses: ClusterAddresses,
    /// The bundled simulator's faults and statistics.
    pub simulator: SimControl,
    internal: InternalSettings,
    shutdown: Shutdown,
    telemetry: Option<TelemetryGuard>,
    _data_dir: TempDir,
}

impl Drop for TestCluster {
    fn drop(&mut self) {
        self.shutdown.trigger();
    }
}

impl TestCluster {
    /// Builds and starts a cluster from [`test_config`] changed by `configure`.
    ///
    /// # Panics
    /// When a member cannot be built.
    pub async fn start(configure: impl FnOnce(&mut ClusterConfig)) -> Self {
        Self::start_with_log_writer(None, configure).await
    }

    /// [`TestCluster::start`] with the binary's telemetry (its log lines and spans) installed
    /// and writing its log lines to `log_writer`, so a test reads what a flow logged.
    ///
    /// # Panics
    /// When a member cannot be built.
    pub async fn start_logging_to(
        log_writer: LogWriter,
        configure: impl FnOnce(&mut ClusterConfig),
    ) -> Self {
        Self::start_with_log_writer(Some(log_writer), configure).await
    }

    async fn start_with_log_writer(
        log_writer: Option<LogWriter>,
        configure: impl FnOnce(&mut ClusterConfig),
    ) -> Self {
        let data_dir = TempDir::new();
        let mut config = test_config(data_dir.path());
        configure(&mut config);
        // With a collector or a log writer, the process's tracing is the binary's; the OTEL_*
        // variables of the test process are ignored.
        let installs_telemetry = config.telemetry.otlp_endpoint.is_some() || log_writer.is_some();
        let telemetry = installs_telemetry.then(|| {
            kensho_telemetry::init_with_writer(
                &config.telemetry,
                "kensho",
                &OtelEnvironment::default(),
                log_writer.unwrap_or_else(|| LogWriter::new(std::io::stderr)),
            )
            .expect("the telemetry settings are valid")
        });
        init_test_logging();
        let cluster = Cluster::build(config).await.expect("the cluster builds");
        let addresses = cluster.addresses().clone();
        let internal = cluster.internal().clone();
        let simulator = cluster
            .simulator()
            .expect("a test cluster runs the simulator");
        let shutdown = Shutdown::new();
        cluster.spawn(shutdown.clone());
        TestCluster {
            addresses,
            simulator,
            internal,
            shutdown,
            telemetry,
            _data_dir: data_dir,
        }
    }

    /// Exports every span still buffered (when the cluster exports spans), as the binary does
    /// when it stops.
    pub async fn flush_telemetry(&mut self) {
        if let Some(telemetry) = self.telemetry.take() {
            telemetry.shutdown().await;
        }
    }

    /// The credential every internal call must present.
    pub fn credential(&self) -> &Credential {
        self.internal
            .credential
            .as_ref()
            .expect("a cluster always has a credential")
    }

    /// The credential catalog-svc's admin service requires.
    pub fn admin_credential(&self) -> &Credential {
        self.internal
            .admin_credential
            .as_ref()
            .expect("a cluster always has an admin credential")
    }

    /// A channel to the member at `address` presenting the internal credential.
    pub fn channel(&self, address: SocketAddr) -> GrpcChannel {
        kensho_test_support::grpc_channel(address, Some(self.credential()))
    }

    /// A channel to catalog-svc presenting the admin credential (for its admin service).
    pub fn admin_channel(&self) -> GrpcChannel {
        kensho_test_support::grpc_channel(self.addresses.catalog, Some(self.admin_credential()))
    }

    /// `http://127.0.0.1:{port}` of the gateway.
    pub fn gateway_url(&self) -> String {
        ClusterAddresses::loopback_url(self.addresses.gateway)
    }
}

/// The configuration of a test cluster with its storage under `data_dir`: every member on a free
/// port, the simulator (no Crunchyroll credentials) with fast retries, no sync at start.
pub fn test_config(data_dir: &Path) -> ClusterConfig {
    let mut config = ClusterConfig {
        data_dir: data_dir.to_owned(),
        simulator: simulator_settings(),
        ..ClusterConfig::default()
    }
    .on_free_ports();
    config.crunchyroll = config.crunchyroll.with_resilience(fast_resilience());
    config.catalog.sync.on_start = false;
    // Tests send far more requests from one address than a client may; the rate-limit tests
    // turn the limits back on.
    config.gateway.rate_limit.enabled = false;
    config
}
