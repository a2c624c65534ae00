//! The all-in-one composition. [`Cluster`] builds every service of one process from one
//! [`ClusterConfig`] (the gateway, catalog-svc, auth-svc, stream-svc and, without Crunchyroll
//! credentials, the bundled Crunchyroll simulator), wires them to each other over loopback with
//! one internal credential and one admin credential (random per launch unless configured), and
//! runs them until stopped; when any member fails, all of them drain and the failure names the
//! member. They drain callers first: the gateway, then stream-svc, then catalog-svc, auth-svc
//! and the simulator, so requests in flight keep the services they call. The all-in-one binary,
//! every cross-service test and every benchmark build it the same way; a variation is a setting
//! of the config, not a copy of the wiring.
#![forbid(unsafe_code)]

mod config;
mod supervisor;
#[cfg(feature = "testing")]
pub mod testing;

use std::net::SocketAddr;

use kensho_crunchyroll::CrunchyrollSettings;
use kensho_crunchyroll_sim::{SimControl, Simulator};
use kensho_kit::Shutdown;
use kensho_kit::grpc::InternalSettings;

pub use config::ClusterConfig;
pub use supervisor::{Member, MemberFailure};

/// The app client id Kensho presents to its own simulator.
pub const SIMULATOR_CLIENT_ID: &str = "kensho-all-in-one";

/// Where each member of a built cluster listens.
#[derive(Clone, Debug)]
pub struct ClusterAddresses {
    /// The REST gateway.
    pub gateway: SocketAddr,
    /// catalog-svc's gRPC port.
    pub catalog: SocketAddr,
    /// auth-svc's gRPC port.
    pub auth: SocketAddr,
    /// stream-svc's gRPC port.
    pub stream: SocketAddr,
    /// catalog-svc's admin port (`/metrics`, `/health/*`).
    pub catalog_admin: SocketAddr,
    /// auth-svc's admin port.
    pub auth_admin: SocketAddr,
    /// stream-svc's admin port.
    pub stream_admin: SocketAddr,
    /// The bundled simulator's base URL, when the cluster runs one.
    pub simulator: Option<String>,
}

impl ClusterAddresses {
    /// `http://127.0.0.1:{port}` of a member, as the other members reach it.
    pub fn loopback_url(address: SocketAddr) -> String {
        format!("http://127.0.0.1:{}", address.port())
    }
}

/// Every service of the all-in-one, bound to its port, ready to run.
pub struct Cluster {
    /// Drain stages, callers first (see [`supervisor`]).
    stages: Vec<Vec<Member>>,
    addresses: ClusterAddresses,
    crunchyroll: CrunchyrollSettings,
    internal: InternalSettings,
    simulator: Option<SimControl>,
}

/// A member that could not be built.
#[derive(Debug, thiserror::Error)]
#[error("{member} cannot start: {error:#}")]
pub struct BuildFailure {
    /// Which member.
    pub member: &'static str,
    /// Why.
    pub error: anyhow::Error,
}

fn failed_to_build(member: &'static str) -> impl FnOnce(anyhow::Error) -> BuildFailure {
    move |error| BuildFailure { member, error }
}

impl Cluster {
    /// Builds every member from `config`: the simulator first when no Crunchyroll credentials
    /// are configured, then catalog-svc and auth-svc, then stream-svc and the gateway pointed at
    /// them over loopback (whatever address each binds). Every member gets the same internal
    /// credentials: the configured ones, or random ones for this launch.
    pub async fn build(mut config: ClusterConfig) -> Result<Cluster, BuildFailure> {
        let internal = config
            .internal
            .clone()
            .with_generated_credentials()
            .map_err(|error| BuildFailure {
                member: "cluster",
                error: anyhow::anyhow!("cannot generate the internal credentials: {error}"),
            })?;
        let mut called_members = Vec::new();
        let mut simulator = None;
        let mut simulator_url = None;
        if !config.crunchyroll.has_credentials() {
            let built = Simulator::build(config.simulator.clone())
                .await
                .map_err(failed_to_build("crunchyroll-sim"))?;
            let base_url = built.base_url();
            use_simulator(&mut config.crunchyroll, &base_url);
            simulator = Some(built.control());
            simulator_url = Some(base_url);
            called_members.push(Member::new("crunchyroll-sim", |shutdown| {
                built.run_until_stopped(shutdown)
            }));
        }
        let catalog = kensho_catalog::Application::build(
            config.catalog,
            &config.crunchyroll,
            &config.data_dir,
            internal.clone(),
        )
        .await
        .map_err(failed_to_build("catalog-svc"))?;
        let auth = kensho_auth::Application::build(
            config.auth,
            &config.crunchyroll,
            &config.data_dir,
            internal.clone(),
            config.tokens.clone(),
        )
        .await
        .map_err(failed_to_build("auth-svc"))?;
        let catalog_address = catalog.address();
        let auth_address = auth.address();
        let catalog_admin = catalog
            .admin_address()
            .map_err(|error| failed_to_build("catalog-svc")(error.into()))?;
        let auth_admin = auth
            .admin_address()
            .map_err(|error| failed_to_build("auth-svc")(error.into()))?;
        config.stream.catalog_url = ClusterAddresses::loopback_url(catalog_address);
        config.stream.auth_url = ClusterAddresses::loopback_url(auth_address);
        let stream =
            kensho_stream::Application::build(config.stream, &config.crunchyroll, internal.clone())
                .await
                .map_err(failed_to_build("stream-svc"))?;
        let stream_address = stream.address();
        let stream_admin = stream
            .admin_address()
            .map_err(|error| failed_to_build("stream-svc")(error.into()))?;
        config.gateway.catalog_url = ClusterAddresses::loopback_url(catalog_address);
        config.gateway.auth_url = ClusterAddresses::loopback_url(auth_address);
        config.gateway.stream_url = ClusterAddresses::loopback_url(stream_address);
        let gateway = kensho_gateway::Application::build(config.gateway, &internal, &config.tokens)
            .await
            .map_err(failed_to_build("gateway"))?;
        // One process: the catalog's invalidations reach the edge cache without Redis.
        gateway.follow_invalidations(catalog.cache_hub());
        let addresses = ClusterAddresses {
            gateway: gateway.address(),
            catalog: catalog_address,
            auth: auth_address,
            stream: stream_address,
            catalog_admin,
            auth_admin,
            stream_admin,
            simulator: simulator_url,
        };
        called_members.push(Member::new("catalog-svc", |shutdown| {
            catalog.run_until_stopped(shutdown)
        }));
        called_members.push(Member::new("auth-svc", |shutdown| {
            auth.run_until_stopped(shutdown)
        }));
        let stages = vec![
            vec![Member::new("gateway", |shutdown| {
                gateway.run_until_stopped(shutdown)
            })],
            vec![Member::new("stream-svc", |shutdown| {
                stream.run_until_stopped(shutdown)
            })],
            called_members,
        ];
        Ok(Cluster {
            stages,
            addresses,
            crunchyroll: config.crunchyroll,
            internal,
            simulator,
        })
    }

    /// Where each member listens.
    pub fn addresses(&self) -> &ClusterAddresses {
        &self.addresses
    }

    /// The Crunchyroll the services talk to (the simulator's URLs when it runs one).
    pub fn crunchyroll(&self) -> &CrunchyrollSettings {
        &self.crunchyroll
    }

    /// The credentials the members require of each other's calls (and reflection).
    pub fn internal(&self) -> &InternalSettings {
        &self.internal
    }

    /// The bundled simulator's faults and statistics, when the cluster runs one.
    pub fn simulator(&self) -> Option<SimControl> {
        self.simulator.clone()
    }

    /// Runs every member until `shutdown` fires or one of them fails; either way all of them
    /// drain, callers first. The error names the first member that failed.
    pub async fn run_until_stopped(self, shutdown: Shutdown) -> Result<(), MemberFailure> {
        supervisor::supervise(self.stages, shutdown).await
    }

    /// Runs the cluster in the background until `shutdown` fires; a member failure triggers
    /// `shutdown` and is logged.
    pub fn spawn(self, shutdown: Shutdown) -> tokio::task::JoinHandle<Result<(), MemberFailure>> {
        tokio::spawn(self.run_until_stopped(shutdown))
    }
}

/// Points `crunchyroll` at a simulator at `base_url`, keeping its pool and resilience settings.
pub fn use_simulator(crunchyroll: &mut CrunchyrollSettings, base_url: &str) {
    let simulator = CrunchyrollSettings::at_base_url(base_url, SIMULATOR_CLIENT_ID);
    crunchyroll.api_base_url = simulator.api_base_url;
    crunchyroll.play_base_url = simulator.play_base_url;
    crunchyroll.client_id = simulator.client_id;
}
