//! An offline imitation of the Crunchyroll API for Kensho's tests, load tests and all-in-one:
//! OAuth with rotating refresh tokens, the content/v2 catalog (built deterministically from
//! Kensho's sample catalog), the play service with concurrent-stream limits and HLS manifests,
//! plus `/_sim/` controls for fault injection and exact per-route request counts.
//!
//! ```no_run
//! # async fn example() -> anyhow::Result<()> {
//! use kensho_crunchyroll_sim::{SimSettings, Simulator};
//! let simulator = Simulator::build(SimSettings { port: 0, ..SimSettings::default() }).await?;
//! let episode = simulator.catalog().episode_by_number("Cowboy Bebop", 1);
//! let base_url = simulator.base_url();
//! tokio::spawn(simulator.run_until_stopped(kensho_kit::Shutdown::new()));
//! # let _ = (episode, base_url);
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]

mod auth;
mod catalog;
mod errors;
mod faults;
mod form;
mod ids;
mod paging;
mod playback;
mod rate_limit;
mod routes;
mod settings;
mod startup;
mod state;
mod stats;
mod wire;

use std::sync::{Mutex, MutexGuard, PoisonError};

pub use catalog::{
    Category, EpisodeSummary, MovieSummary, SeasonSummary, SeriesSummary, SimCatalog,
};
pub use faults::{FaultPlan, FaultRule, RateLimitFault};
pub use settings::{
    Account, FREE_DEMO_EMAIL, FREE_DEMO_PASSWORD, PREMIUM_DEMO_EMAIL, PREMIUM_DEMO_PASSWORD,
    SimConfig, SimSettings,
};
pub use startup::{RunningSimulator, SimControl, Simulator};
pub use stats::StatsSnapshot;

/// Locks a mutex, carrying on if a panicking holder poisoned it: every critical section leaves
/// its data consistent before it can panic.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
