//! The whole configuration tree of the all-in-one: every service's section plus where
//! Crunchyroll is and the bundled simulator.

use std::path::PathBuf;

use kensho_auth::AuthSettings;
use kensho_catalog::CatalogSettings;
use kensho_crunchyroll::CrunchyrollSettings;
use kensho_crunchyroll_sim::SimSettings;
use kensho_gateway::GatewaySettings;
use kensho_jwt::TokenSettings;
use kensho_kit::grpc::InternalSettings;
use kensho_stream::StreamSettings;
use kensho_telemetry::TelemetrySettings;
use serde::{Deserialize, Serialize};

/// Everything the all-in-one reads (see the README's configuration table).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct ClusterConfig {
    /// Directory for embedded storage (the catalog's SQLite file, auth-svc's sessions and keys).
    pub data_dir: PathBuf,
    /// The REST gateway.
    pub gateway: GatewaySettings,
    /// catalog-svc.
    pub catalog: CatalogSettings,
    /// auth-svc.
    pub auth: AuthSettings,
    /// stream-svc.
    pub stream: StreamSettings,
    /// Where Crunchyroll is; without `client_id` the bundled simulator stands in.
    pub crunchyroll: CrunchyrollSettings,
    /// The bundled simulator.
    pub simulator: SimSettings,
    /// Logs and traces.
    pub telemetry: TelemetrySettings,
    /// The credentials of the members' calls to each other (random per launch when unset), and
    /// reflection (on by default here).
    pub internal: InternalSettings,
    /// The issuer and audience of access tokens: auth-svc writes them, the gateway checks them.
    pub tokens: TokenSettings,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            data_dir: PathBuf::from(kensho_kit::config::DEFAULT_DATA_DIR),
            gateway: GatewaySettings::default(),
            catalog: CatalogSettings::default(),
            auth: AuthSettings::default(),
            stream: StreamSettings::default(),
            crunchyroll: CrunchyrollSettings::default(),
            simulator: SimSettings::default(),
            telemetry: TelemetrySettings::default(),
            internal: InternalSettings {
                reflection: true,
                ..InternalSettings::default()
            },
            tokens: TokenSettings::default(),
        }
    }
}

impl ClusterConfig {
    /// Every member (and every admin port) on a free port of 127.0.0.1 (for tests and benchmarks).
    pub fn on_free_ports(mut self) -> Self {
        self.gateway.host = "127.0.0.1".to_owned();
        self.gateway.port = 0;
        self.catalog.host = "127.0.0.1".to_owned();
        self.catalog.port = 0;
        self.auth.host = "127.0.0.1".to_owned();
        self.auth.port = 0;
        self.stream.host = "127.0.0.1".to_owned();
        self.stream.port = 0;
        self.catalog.admin.port = Some(0);
        self.auth.admin.port = Some(0);
        self.stream.admin.port = Some(0);
        self.simulator.host = "127.0.0.1".to_owned();
        self.simulator.port = 0;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_of_the_all_in_one_is_a_known_top_level_key() {
        let sections = serde_json::to_value(ClusterConfig::default()).expect("serialises");
        let sections = sections.as_object().expect("an object of sections");

        for section in sections.keys() {
            assert!(
                kensho_kit::config::KNOWN_TOP_LEVEL_KEYS.contains(&section.as_str()),
                "`{section}` would be refused as an unknown key when set from a file or variable"
            );
        }
    }
}
