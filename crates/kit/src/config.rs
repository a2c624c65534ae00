//! Layered, typed configuration: built-in defaults < optional TOML file (`KENSHO_CONFIG`) <
//! environment (`KENSHO_<SECTION>__<KEY>`).
//!
//! Every process shares one key space, so one file or one set of variables can configure the
//! all-in-one and each service alike. A process reads the sections it knows and ignores the
//! sections of the others; a top-level key no Kensho process knows fails, as does any unknown key
//! or bad value inside a section (sections use `deny_unknown_fields`), with the key named.
//! The variables Kubernetes injects for Services named `kensho-*` ([`service_links`]) are not
//! configuration and are skipped.

mod service_links;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use serde::de::DeserializeOwned;

/// Default `data_dir` of every process: embedded storage lives here, relative to the working
/// directory.
pub const DEFAULT_DATA_DIR: &str = ".kensho";

/// Prefix of every configuration environment variable.
pub const ENV_PREFIX: &str = "KENSHO_";
/// Environment variable naming the optional TOML configuration file.
pub const CONFIG_FILE_ENV: &str = "KENSHO_CONFIG";
/// Separator between nesting levels in environment variable names.
const ENV_NESTING_SEPARATOR: &str = "__";
/// `KENSHO_` variables that are not configuration: the config file's own variable, and those of
/// the developer tooling (`KENSHO_TEST_*`, `KENSHO_BENCH_*`).
const NON_CONFIG_PREFIXES: &[&str] = &["config", "test_", "bench_"];

/// Top-level keys of the shared key space: what any Kensho process may read.
pub const KNOWN_TOP_LEVEL_KEYS: &[&str] = &[
    "data_dir",
    "gateway",
    "catalog",
    "auth",
    "stream",
    "telemetry",
    "crunchyroll",
    "simulator",
    "internal",
    "tokens",
];

/// A configuration that cannot be used; the message names the offending key and its source.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A key no Kensho process knows.
    #[error("unknown configuration key `{key}`{source_hint}")]
    UnknownKey {
        /// The unknown top-level key.
        key: String,
        /// Where the key came from, when known.
        source_hint: String,
    },
    /// A value of the wrong type or an unknown key inside a section.
    #[error("invalid configuration: {0}")]
    Invalid(Box<figment::Error>),
}

impl From<figment::Error> for ConfigError {
    fn from(error: figment::Error) -> Self {
        ConfigError::Invalid(Box::new(error))
    }
}

/// Loads `T` from defaults, the file named by `KENSHO_CONFIG` and the process environment. The
/// defaults are the types' own (`#[serde(default)]` on every section), so nothing is serialised on
/// the way in and secrets never pass through a serialiser.
pub fn load_config<T>() -> Result<T, ConfigError>
where
    T: DeserializeOwned,
{
    let config_file = std::env::var_os(CONFIG_FILE_ENV).map(PathBuf::from);
    extract(layers(config_file, environment()))
}

fn environment() -> Env {
    let service_links = service_link_names();
    Env::prefixed(ENV_PREFIX)
        .filter(move |key| {
            let key = key.as_str().to_ascii_lowercase();
            let is_tooling = NON_CONFIG_PREFIXES
                .iter()
                .any(|prefix| key.starts_with(prefix));
            !is_tooling && !service_links.contains(&key)
        })
        .split(ENV_NESTING_SEPARATOR)
}

/// The `KENSHO_` variables of the environment that are Kubernetes service links, lowercase and
/// without the prefix. Decided once per load because recognising one needs its value, which
/// the provider's key filter does not see.
fn service_link_names() -> BTreeSet<String> {
    std::env::vars_os()
        .filter_map(|(name, value)| Some((name.into_string().ok()?, value.into_string().ok()?)))
        .filter_map(|(name, value)| {
            let unprefixed = name.strip_prefix(ENV_PREFIX)?;
            service_links::is_service_link(unprefixed, &value)
                .then(|| unprefixed.to_ascii_lowercase())
        })
        .collect()
}

fn layers(config_file: Option<PathBuf>, environment: Env) -> Figment {
    let mut figment = Figment::new();
    if let Some(path) = config_file {
        figment = figment.merge(Toml::file_exact(path));
    }
    figment.merge(environment)
}

fn extract<T: DeserializeOwned>(figment: Figment) -> Result<T, ConfigError> {
    let top_level: BTreeMap<String, figment::value::Value> = figment.extract()?;
    if let Some(unknown_key) = top_level
        .keys()
        .find(|key| !KNOWN_TOP_LEVEL_KEYS.contains(&key.as_str()))
    {
        let source_hint = figment
            .find_metadata(unknown_key)
            .map(|metadata| format!(" (from {})", metadata.name))
            .unwrap_or_default();
        return Err(ConfigError::UnknownKey {
            key: unknown_key.clone(),
            source_hint,
        });
    }
    Ok(figment.extract()?)
}

#[cfg(test)]
// figment's Jail closures return figment's own (large) error type.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Default, Deserialize)]
    struct TestConfig {
        #[serde(default)]
        catalog: TestSection,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    struct TestSection {
        port: u16,
    }

    impl Default for TestSection {
        fn default() -> Self {
            TestSection { port: 50051 }
        }
    }

    fn load_in_jail(jail: &figment::Jail) -> Result<TestConfig, ConfigError> {
        let file = jail.directory().join("kensho.toml");
        let file = file.exists().then_some(file);
        extract(layers(file, environment()))
    }

    #[test]
    fn defaults_apply_when_nothing_is_set() {
        figment::Jail::expect_with(|jail| {
            assert_eq!(load_in_jail(jail).expect("loads").catalog.port, 50051);
            Ok(())
        });
    }

    #[test]
    fn environment_overrides_file_which_overrides_defaults() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("kensho.toml", "[catalog]\nport = 6000\n")?;
            assert_eq!(load_in_jail(jail).expect("loads").catalog.port, 6000);
            jail.set_env("KENSHO_CATALOG__PORT", "7000");
            assert_eq!(load_in_jail(jail).expect("loads").catalog.port, 7000);
            Ok(())
        });
    }

    #[test]
    fn a_bad_value_fails_naming_its_key() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("KENSHO_CATALOG__PORT", "not-a-port");
            let message = load_in_jail(jail).expect_err("must fail").to_string();
            assert!(message.to_lowercase().contains("catalog.port"), "{message}");
            Ok(())
        });
    }

    #[test]
    fn an_unknown_key_inside_a_section_fails_naming_it() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("KENSHO_CATALOG__PROT", "1");
            let message = load_in_jail(jail).expect_err("must fail").to_string();
            assert!(message.contains("prot"), "{message}");
            Ok(())
        });
    }

    #[test]
    fn an_unknown_top_level_key_fails_naming_it() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("KENSHO_CATALOGUE__PORT", "1");
            let message = load_in_jail(jail).expect_err("must fail").to_string();
            assert!(message.contains("`catalogue`"), "{message}");
            Ok(())
        });
    }

    #[test]
    fn tooling_variables_are_not_configuration() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("KENSHO_TEST_DATABASE_URL", "postgres://elsewhere/test");
            jail.set_env("KENSHO_BENCH_ANIME", "1000");
            jail.set_env("KENSHO_CONFIG", "/nowhere.toml");
            assert!(load_in_jail(jail).is_ok());
            Ok(())
        });
    }

    #[test]
    fn a_secret_set_in_the_environment_is_read_but_never_serialised() {
        #[derive(Debug, Default, Deserialize)]
        #[serde(default)]
        struct WithSecret {
            catalog: SecretSection,
        }
        #[derive(Debug, Default, Deserialize)]
        #[serde(default)]
        struct SecretSection {
            password: crate::Secret<String>,
        }
        figment::Jail::expect_with(|jail| {
            jail.set_env("KENSHO_CATALOG__PASSWORD", "hunter2");
            let loaded: WithSecret = extract(layers(None, environment())).expect("loads");
            assert_eq!(loaded.catalog.password.expose(), "hunter2");
            let serialised = serde_json::to_string(&loaded.catalog.password).expect("serialises");
            assert_eq!(serialised, "\"[redacted]\"");
            Ok(())
        });
    }

    #[test]
    fn kubernetes_service_links_are_not_configuration_but_a_look_alike_typo_fails() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("KENSHO_CATALOG_SERVICE_HOST", "10.96.0.12");
            jail.set_env("KENSHO_CATALOG_SERVICE_PORT_GRPC", "50051");
            jail.set_env("KENSHO_CATALOG_PORT", "tcp://10.96.0.12:50051");
            jail.set_env("KENSHO_CATALOG_PORT_50051_TCP_ADDR", "10.96.0.12");
            jail.set_env("KENSHO_CATALOG__PORT", "7000");
            assert_eq!(load_in_jail(jail).expect("loads").catalog.port, 7000);
            jail.set_env("KENSHO_CATALOG_PORT", "7001");
            let message = load_in_jail(jail).expect_err("must fail").to_string();
            assert!(message.contains("`catalog_port`"), "{message}");
            Ok(())
        });
    }

    #[test]
    fn sections_of_other_processes_are_ignored() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("KENSHO_GATEWAY__PORT", "8081");
            assert!(load_in_jail(jail).is_ok());
            Ok(())
        });
    }
}
