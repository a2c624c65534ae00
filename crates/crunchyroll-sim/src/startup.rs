//! Building and running the simulator: the same [`Simulator`] serves the binary, the all-in-one
//! and every test.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::middleware::from_fn_with_state;
use kensho_kit::Shutdown;
use kensho_kit::http_server::HttpServerSettings;
use tokio::net::TcpListener;

use crate::catalog::SimCatalog;
use crate::faults::{FaultPlan, inject_faults};
use crate::rate_limit::limit_rate;
use crate::routes;
use crate::settings::SimSettings;
use crate::state::{SharedState, SimState};
use crate::stats::{StatsSnapshot, count_requests};

/// A simulator bound to its port, ready to run.
pub struct Simulator {
    listener: TcpListener,
    address: SocketAddr,
    state: SimState,
    http: HttpServerSettings,
    drain_timeout: Duration,
}

impl Simulator {
    /// Builds the catalog (off the async threads: tens of thousands of synthetic series take a
    /// moment) and binds the HTTP port.
    pub async fn build(settings: SimSettings) -> anyhow::Result<Simulator> {
        let seed = settings.catalog_seed;
        let extra_series = settings.extra_series;
        let catalog =
            tokio::task::spawn_blocking(move || SimCatalog::build(seed, extra_series)).await??;
        let listener = TcpListener::bind((settings.host.as_str(), settings.port)).await?;
        let address = listener.local_addr()?;
        let public_base_url = if settings.public_base_url.trim().is_empty() {
            local_url(address)
        } else {
            settings.public_base_url.trim().to_owned()
        };
        let state = Arc::new(SharedState::new(
            &settings,
            Arc::new(catalog),
            public_base_url,
        ));
        Ok(Simulator {
            listener,
            address,
            state,
            http: settings.http.clone(),
            drain_timeout: Duration::from_millis(settings.drain_timeout_ms),
        })
    }

    /// Builds a simulator and serves it in the background until `shutdown` fires.
    pub async fn start(
        settings: SimSettings,
        shutdown: &Shutdown,
    ) -> anyhow::Result<RunningSimulator> {
        let simulator = Simulator::build(settings).await?;
        let running = RunningSimulator {
            base_url: simulator.base_url(),
            control: simulator.control(),
        };
        tokio::spawn(simulator.run_until_stopped(shutdown.clone()));
        Ok(running)
    }

    /// The bound port (useful when configured as 0).
    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// `http://{bound address}`, with `127.0.0.1` when bound to every interface.
    pub fn base_url(&self) -> String {
        local_url(self.address)
    }

    /// The catalog it serves, to look up series, season and episode ids.
    pub fn catalog(&self) -> Arc<SimCatalog> {
        Arc::clone(&self.state.catalog)
    }

    /// A handle to set faults and read statistics without HTTP; it outlives `run_until_stopped`.
    pub fn control(&self) -> SimControl {
        SimControl {
            state: Arc::clone(&self.state),
        }
    }

    /// Serves HTTP until `shutdown` fires, then lets in-flight requests finish.
    pub async fn run_until_stopped(self, shutdown: Shutdown) -> anyhow::Result<()> {
        kensho_kit::http_server::serve(
            self.listener,
            app(self.state),
            &self.http,
            shutdown,
            self.drain_timeout,
            "crunchyroll-sim",
        )
        .await;
        Ok(())
    }
}

/// A simulator serving in the background.
#[derive(Clone)]
pub struct RunningSimulator {
    /// `http://127.0.0.1:{port}`.
    pub base_url: String,
    /// Faults and statistics.
    pub control: SimControl,
}

/// The whole HTTP application: routes plus the middleware stack.
fn app(state: SimState) -> Router {
    // `Router::layer` wraps each route after routing, so the matched route template is known.
    // The last layer added runs first: counting sees every request, including those the rate
    // limit or a fault answers; the rate limit refuses before injected latency is spent.
    routes::router()
        .layer(from_fn_with_state(Arc::clone(&state), inject_faults))
        .layer(from_fn_with_state(Arc::clone(&state), limit_rate))
        .layer(from_fn_with_state(Arc::clone(&state), count_requests))
        .with_state(state)
}

fn local_url(address: SocketAddr) -> String {
    let ip = if address.ip().is_unspecified() {
        std::net::IpAddr::from([127, 0, 0, 1])
    } else {
        address.ip()
    };
    format!("http://{}", SocketAddr::new(ip, address.port()))
}

/// In-process control of a simulator: the same operations as `/_sim/faults` and `/_sim/stats`.
#[derive(Clone)]
pub struct SimControl {
    state: SimState,
}

impl std::fmt::Debug for SimControl {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("SimControl").finish_non_exhaustive()
    }
}

impl SimControl {
    /// Replaces the fault plan; an invalid plan changes nothing and says why.
    pub fn set_faults(&self, plan: FaultPlan) -> Result<(), String> {
        self.state.faults.replace(plan)
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        self.state.faults.clear();
    }

    /// Request counts so far.
    pub fn stats(&self) -> StatsSnapshot {
        self.state.stats.snapshot()
    }

    /// Starts counting from zero.
    pub fn reset_stats(&self) {
        self.state.stats.reset();
    }

    /// The catalog.
    pub fn catalog(&self) -> Arc<SimCatalog> {
        Arc::clone(&self.state.catalog)
    }
}
