//! The faults the local chaos runner injects, the same ones the Chaos Mesh manifests of
//! `load-tests/chaos/kubernetes` describe for a cluster: four kinds of Crunchyroll trouble (through
//! the simulator's `/_sim/faults` plan), the cache Redis stopped and started, and every
//! PostgreSQL connection of the catalog's database terminated over and over.

use serde_json::json;

/// One experiment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Experiment {
    /// Every Crunchyroll answer 500 ms late.
    CrunchyrollLatency,
    /// Every Crunchyroll request answered 500 or 503.
    CrunchyrollErrors,
    /// Crunchyroll down: every request gets the 503 "Overloaded" page.
    CrunchyrollOutage,
    /// Every Crunchyroll request answered 429 with `Retry-After`.
    CrunchyrollRateLimit,
    /// The cache Redis stopped, then started again on its port.
    RedisDown,
    /// Every connection to the catalog's PostgreSQL database terminated, once a second.
    PostgresConnectionsDropped,
}

impl Experiment {
    /// Every experiment, in the order `all` runs them.
    pub const ALL: [Experiment; 6] = [
        Experiment::CrunchyrollLatency,
        Experiment::CrunchyrollErrors,
        Experiment::CrunchyrollOutage,
        Experiment::CrunchyrollRateLimit,
        Experiment::RedisDown,
        Experiment::PostgresConnectionsDropped,
    ];

    /// The name on the command line and in the report.
    pub fn name(self) -> &'static str {
        match self {
            Experiment::CrunchyrollLatency => "crunchyroll-latency",
            Experiment::CrunchyrollErrors => "crunchyroll-errors",
            Experiment::CrunchyrollOutage => "crunchyroll-outage",
            Experiment::CrunchyrollRateLimit => "crunchyroll-rate-limit",
            Experiment::RedisDown => "redis-down",
            Experiment::PostgresConnectionsDropped => "postgres-connections-dropped",
        }
    }

    /// What the fault is, for the report.
    pub fn description(self) -> &'static str {
        match self {
            Experiment::CrunchyrollLatency => "Crunchyroll answers 500 ms late",
            Experiment::CrunchyrollErrors => "Crunchyroll answers 500 or 503 to everything",
            Experiment::CrunchyrollOutage => "Crunchyroll down (503 Overloaded, Retry-After 5)",
            Experiment::CrunchyrollRateLimit => {
                "Crunchyroll answers 429 (Retry-After 5) to everything"
            }
            Experiment::RedisDown => "The cache Redis stopped, then restarted on its port",
            Experiment::PostgresConnectionsDropped => {
                "Every catalog connection terminated (pg_terminate_backend), once a second"
            }
        }
    }

    /// The simulator fault plan of a Crunchyroll experiment; `None` for the others.
    pub fn simulator_plan(self) -> Option<serde_json::Value> {
        let rule = match self {
            Experiment::CrunchyrollLatency => json!({"route": "*", "latency_ms": 500}),
            Experiment::CrunchyrollErrors => {
                json!({"route": "*", "error_rates": {"500": 0.5, "503": 0.5}})
            }
            Experiment::CrunchyrollOutage => {
                json!({"route": "*", "outage": true, "retry_after_seconds": 5})
            }
            Experiment::CrunchyrollRateLimit => {
                json!({"route": "*", "rate_limit": {"retry_after_seconds": 5}})
            }
            Experiment::RedisDown | Experiment::PostgresConnectionsDropped => return None,
        };
        Some(json!({"rules": [rule], "seed": 11}))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_crunchyroll_experiment_has_a_plan_and_no_other_does() {
        for experiment in Experiment::ALL {
            let is_crunchyroll = experiment.name().starts_with("crunchyroll-");
            assert_eq!(
                experiment.simulator_plan().is_some(),
                is_crunchyroll,
                "{experiment:?}"
            );
        }
    }

    #[test]
    fn every_plan_is_one_the_simulator_accepts() {
        for plan in Experiment::ALL
            .iter()
            .filter_map(|experiment| experiment.simulator_plan())
        {
            let parsed: kensho_crunchyroll_sim::FaultPlan =
                serde_json::from_value(plan).expect("a fault plan");
            assert!(parsed.validate().is_ok());
        }
    }
}
