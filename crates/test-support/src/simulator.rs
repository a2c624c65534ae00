//! The Crunchyroll simulator as tests use it: its demo accounts, a simulator on a free port,
//! Crunchyroll settings pointed at it with fast retries, and the fault plans tests inject.

use kensho_crunchyroll::CrunchyrollSettings;
use kensho_crunchyroll_sim::{FaultPlan, FaultRule, SimControl, SimSettings, Simulator};
use kensho_kit::Shutdown;
use kensho_kit::resilience::ResilienceSettings;

/// The simulator's premium account (4 streams, every episode).
pub const PREMIUM: (&str, &str) = ("premium@kensho.test", "premium-demo");
/// The simulator's free account (1 stream, episodes 1-3 of a season only).
pub const FREE: (&str, &str) = ("free@kensho.test", "free-demo");
/// The app client id tests present to the simulator.
pub const TEST_CLIENT_ID: &str = "kensho-test";

/// Retries a few milliseconds apart, so tests of outages and 429s finish quickly.
pub fn fast_resilience() -> ResilienceSettings {
    ResilienceSettings {
        backoff_base_ms: 5,
        backoff_max_ms: 20,
        ..ResilienceSettings::default()
    }
}

/// Simulator settings for tests: the defaults on a free port.
pub fn simulator_settings() -> SimSettings {
    SimSettings {
        host: "127.0.0.1".to_owned(),
        port: 0,
        ..SimSettings::default()
    }
}

/// A simulator serving on a free port, stopped on drop.
pub struct TestSimulator {
    /// `http://127.0.0.1:{port}`.
    pub base_url: String,
    /// Its faults and statistics.
    pub control: SimControl,
    shutdown: Shutdown,
}

impl Drop for TestSimulator {
    fn drop(&mut self) {
        self.shutdown.trigger();
    }
}

impl TestSimulator {
    /// Starts a simulator with [`simulator_settings`] changed by `adjust`.
    ///
    /// # Panics
    /// When the simulator cannot start.
    pub async fn start_with(adjust: impl FnOnce(&mut SimSettings)) -> Self {
        let mut settings = simulator_settings();
        adjust(&mut settings);
        let shutdown = Shutdown::new();
        let running = Simulator::start(settings, &shutdown)
            .await
            .expect("the simulator starts");
        TestSimulator {
            base_url: running.base_url,
            control: running.control,
            shutdown,
        }
    }

    /// Starts a simulator with the default test settings.
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    /// Crunchyroll client settings pointed at this simulator, with fast retries.
    pub fn crunchyroll(&self) -> CrunchyrollSettings {
        CrunchyrollSettings::at_base_url(&self.base_url, TEST_CLIENT_ID)
            .with_resilience(fast_resilience())
    }
}

/// A plan under which every request to `route` (a simulator route pattern such as
/// `/playback/*`) answers 503.
pub fn outage_of(route: &str) -> FaultPlan {
    FaultPlan {
        rules: vec![FaultRule {
            route: route.to_owned(),
            outage: true,
            ..FaultRule::default()
        }],
        seed: None,
    }
}

/// An outage of Crunchyroll's play service.
pub fn play_service_outage() -> FaultPlan {
    outage_of("/playback/*")
}
