//! `spawn_sim()`: a simulator on a free port, stopped when the handle drops, plus request helpers.

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use kensho_crunchyroll_sim::{
    FREE_DEMO_EMAIL, FREE_DEMO_PASSWORD, PREMIUM_DEMO_EMAIL, PREMIUM_DEMO_PASSWORD, SimCatalog,
    SimControl, SimSettings, Simulator,
};
use kensho_kit::Shutdown;
pub use kensho_test_support::encode_query_value as encode;
use serde_json::Value;

/// Basic credentials of the test client (web style: empty secret).
pub const TEST_CLIENT: &str = "kensho-test-client:";
/// Device every helper login uses.
pub const TEST_DEVICE: &str = "3f8e4b6a-0000-4000-8000-000000000001";

/// A running simulator.
pub struct TestSim {
    pub address: String,
    pub client: reqwest::Client,
    pub catalog: Arc<SimCatalog>,
    pub control: SimControl,
    shutdown: Shutdown,
}

impl Drop for TestSim {
    fn drop(&mut self) {
        self.shutdown.trigger();
    }
}

pub async fn spawn_sim() -> TestSim {
    spawn_sim_with(|_| {}).await
}

pub async fn spawn_sim_with(adjust: impl FnOnce(&mut SimSettings)) -> TestSim {
    let mut settings = SimSettings {
        port: 0,
        ..SimSettings::default()
    };
    adjust(&mut settings);
    let simulator = Simulator::build(settings).await.expect("simulator builds");
    let address = simulator.base_url();
    let catalog = simulator.catalog();
    let control = simulator.control();
    let shutdown = Shutdown::new();
    tokio::spawn(simulator.run_until_stopped(shutdown.clone()));
    TestSim {
        address,
        client: reqwest::Client::new(),
        catalog,
        control,
        shutdown,
    }
}

/// The parts of a token response tests use.
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
}

impl TestSim {
    pub fn url(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.address)
    }

    /// POSTs a urlencoded form to the token endpoint with Basic client credentials.
    pub async fn token_request(&self, fields: &[(&str, &str)]) -> reqwest::Response {
        self.token_request_as(Some(TEST_CLIENT), fields).await
    }

    /// POSTs a urlencoded form to the token endpoint with these Basic credentials, if any.
    pub async fn token_request_as(
        &self,
        basic_credentials: Option<&str>,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut request = self
            .client
            .post(self.url("/auth/v1/token"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(fields));
        if let Some(credentials) = basic_credentials {
            request = request.header(
                "authorization",
                format!("Basic {}", STANDARD.encode(credentials)),
            );
        }
        request.send().await.expect("request is sent")
    }

    /// Logs in with the password grant from [`TEST_DEVICE`].
    pub async fn login(&self, email: &str, password: &str) -> Tokens {
        let response = self
            .token_request(&[
                ("grant_type", "password"),
                ("username", email),
                ("password", password),
                ("scope", "offline_access"),
                ("device_id", TEST_DEVICE),
                ("device_type", "ANDROIDTV"),
            ])
            .await;
        assert_eq!(response.status(), 200, "login of {email}");
        let body: Value = response.json().await.expect("a JSON token");
        Tokens {
            access_token: text(&body["access_token"]),
            refresh_token: text(&body["refresh_token"]),
        }
    }

    /// An access token of the premium demo account.
    pub async fn premium_token(&self) -> String {
        self.login(PREMIUM_DEMO_EMAIL, PREMIUM_DEMO_PASSWORD)
            .await
            .access_token
    }

    /// An access token of the free demo account.
    pub async fn free_token(&self) -> String {
        self.login(FREE_DEMO_EMAIL, FREE_DEMO_PASSWORD)
            .await
            .access_token
    }

    /// An anonymous access token.
    pub async fn anonymous_token(&self) -> String {
        let response = self.token_request(&[("grant_type", "client_id")]).await;
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.expect("a JSON token");
        text(&body["access_token"])
    }

    pub async fn get(&self, path_and_query: &str, token: &str) -> reqwest::Response {
        self.client
            .get(self.url(path_and_query))
            .header("authorization", format!("Bearer {token}"))
            .send()
            .await
            .expect("request is sent")
    }

    /// GET that must answer 200 with JSON.
    pub async fn get_json(&self, path_and_query: &str, token: &str) -> Value {
        let response = self.get(path_and_query, token).await;
        assert_eq!(response.status(), 200, "GET {path_and_query}");
        response.json().await.expect("a JSON body")
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path_and_query: &str,
        token: &str,
    ) -> reqwest::Response {
        self.client
            .request(method, self.url(path_and_query))
            .header("authorization", format!("Bearer {token}"))
            .send()
            .await
            .expect("request is sent")
    }

    /// Requests a stream of `episode_id` on `web/chrome`.
    pub async fn play(&self, episode_id: &str, token: &str) -> reqwest::Response {
        self.get(&format!("/playback/v3/{episode_id}/web/chrome/play"), token)
            .await
    }

    /// PUTs a fault plan, which must be accepted.
    pub async fn set_faults(&self, plan: Value) {
        let response = self
            .client
            .put(self.url("/_sim/faults"))
            .json(&plan)
            .send()
            .await
            .expect("request is sent");
        assert_eq!(response.status(), 200, "fault plan accepted");
    }

    /// The `/_sim/stats` body.
    pub async fn stats(&self) -> Value {
        let response = self
            .client
            .get(self.url("/_sim/stats"))
            .send()
            .await
            .expect("request is sent");
        assert_eq!(response.status(), 200);
        response.json().await.expect("JSON stats")
    }

    /// The id of the `episode_number`-th episode of the season made from sample anime `title`.
    pub fn episode_id(&self, title: &str, episode_number: u32) -> String {
        self.catalog
            .episode_by_number(title, episode_number)
            .unwrap_or_else(|| panic!("{title} has episode {episode_number}"))
            .id
    }
}

/// A string field of a JSON body.
pub fn text(value: &Value) -> String {
    value.as_str().expect("a string").to_owned()
}

/// The payload of a JWT, decoded without checking the signature (as clients do).
pub fn jwt_payload(token: &str) -> Value {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "a three-part JWT");
    let payload = URL_SAFE_NO_PAD.decode(parts[1]).expect("base64url payload");
    serde_json::from_slice(&payload).expect("a JSON payload")
}

/// A urlencoded form body.
pub fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Asserts a JSON error answer and returns its body.
pub async fn assert_error(response: reqwest::Response, status: u16, expected: Value) {
    assert_eq!(response.status(), status);
    let body: Value = response.json().await.expect("a JSON error body");
    assert_eq!(body, expected);
}
