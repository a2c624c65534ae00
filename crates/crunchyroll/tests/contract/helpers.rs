//! A simulator on a free port and clients pointed at it.

use kensho_crunchyroll::{CrunchyrollClient, CrunchyrollSettings, Grant, TokenManager};
use kensho_crunchyroll_sim::SimSettings;
use kensho_kit::Secret;
use kensho_test_support::TestSimulator;
use serde_json::{Value, json};

pub use kensho_test_support::{FREE, PREMIUM};

/// A running simulator (stopped on drop) and an HTTP client for its `/_sim` API.
pub struct TestSim {
    pub base_url: String,
    pub http: reqwest::Client,
    simulator: TestSimulator,
}

pub async fn spawn_sim() -> TestSim {
    spawn_sim_with(|_| {}).await
}

pub async fn spawn_sim_with(adjust: impl FnOnce(&mut SimSettings)) -> TestSim {
    kensho_test_support::init_test_logging();
    let simulator = TestSimulator::start_with(adjust).await;
    TestSim {
        base_url: simulator.base_url.clone(),
        http: reqwest::Client::new(),
        simulator,
    }
}

impl TestSim {
    /// Client settings pointing at this simulator, with fast retries for tests.
    pub fn client_settings(&self) -> CrunchyrollSettings {
        self.simulator.crunchyroll()
    }

    pub fn client(&self) -> CrunchyrollClient {
        CrunchyrollClient::new(self.client_settings()).expect("client builds")
    }

    pub fn client_with(&self, adjust: impl FnOnce(&mut CrunchyrollSettings)) -> CrunchyrollClient {
        let mut settings = self.client_settings();
        adjust(&mut settings);
        CrunchyrollClient::new(settings).expect("client builds")
    }

    /// Sets the simulator's fault rules.
    pub async fn set_faults(&self, rules: Value) {
        let response = self
            .http
            .put(format!("{}/_sim/faults", self.base_url))
            .json(&json!({"rules": rules, "seed": 7}))
            .send()
            .await
            .expect("the fault API answers");
        assert!(
            response.status().is_success(),
            "faults refused: {}",
            response.status()
        );
    }

    pub async fn clear_faults(&self) {
        self.http
            .delete(format!("{}/_sim/faults", self.base_url))
            .send()
            .await
            .expect("the fault API answers");
    }

    /// Requests the simulator received on routes whose template contains `fragment`.
    pub async fn calls_to(&self, fragment: &str) -> u64 {
        let stats: Value = self
            .http
            .get(format!("{}/_sim/stats", self.base_url))
            .send()
            .await
            .expect("the stats API answers")
            .json()
            .await
            .expect("stats are JSON");
        stats["routes"]
            .as_object()
            .map(|routes| {
                routes
                    .iter()
                    .filter(|(route, _)| route.contains(fragment))
                    .filter_map(|(_, count)| count.as_u64())
                    .sum()
            })
            .unwrap_or(0)
    }
}

pub fn user(client: &CrunchyrollClient, (username, password): (&str, &str)) -> TokenManager {
    TokenManager::new(
        client.clone(),
        Grant::Password {
            username: username.to_owned(),
            password: Secret::new(password.to_owned()),
        },
        uuid::Uuid::new_v4().to_string(),
    )
}

/// The Crunchyroll id of the series titled exactly `title`.
pub async fn series_id(client: &CrunchyrollClient, auth: &TokenManager, title: &str) -> String {
    let groups = client
        .search(auth, title, &["series"], 0, 50)
        .await
        .expect("search works");
    groups
        .iter()
        .flat_map(|group| group.items.iter())
        .find(|panel| panel.title == title)
        .map(|panel| panel.id.clone())
        .unwrap_or_else(|| panic!("no series titled {title}"))
}
