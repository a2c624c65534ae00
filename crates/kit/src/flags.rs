//! Feature flags for gradual rollout, in flagd's flag definition format
//! (<https://flagd.dev/reference/flag-definitions/>), read from a file and reloaded when it
//! changes. A flag is `ENABLED` or `DISABLED`, names its variants and a default variant, and may
//! target with flagd's `fractional` operation: a percentage rollout that hashes the flag key and
//! the caller's targeting key (a user's subject, or a client's address) with MurmurHash3 exactly
//! as flagd does, so each caller stays in its bucket across processes, replicas and restarts.
//!
//! Code asks with the value it uses when the flag is missing or unusable
//! ([`Flags::enabled`]), as OpenFeature's evaluation API does, so a process without a flag file
//! behaves as its code defaults say. Every evaluation is counted in
//! `feature_flag_evaluations_total{flag, variant, reason}`.

mod murmur3;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::watch;

use crate::Shutdown;
pub use murmur3::murmur3_32;

/// Where the flags come from (a `flags` section).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FlagSettings {
    /// A flagd flag definition file; unset, every flag takes its code default.
    pub file: Option<PathBuf>,
    /// How often the file is checked for changes, in milliseconds.
    pub reload_interval_ms: u64,
}

impl Default for FlagSettings {
    fn default() -> Self {
        FlagSettings {
            file: None,
            reload_interval_ms: 5_000,
        }
    }
}

/// A flag definition that cannot be used, naming what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum FlagError {
    /// The file could not be read.
    #[error("read the flag file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The document is not JSON of flagd's shape.
    #[error("the flag definitions are not valid: {0}")]
    Shape(#[from] serde_json::Error),
    /// One flag is inconsistent.
    #[error("flag {flag}: {message}")]
    Flag {
        /// The flag's key.
        flag: String,
        /// What is wrong.
        message: String,
    },
}

fn flag_error(flag: &str, message: impl Into<String>) -> FlagError {
    FlagError::Flag {
        flag: flag.to_owned(),
        message: message.into(),
    }
}

/// Why an evaluation answered what it did (flagd's resolution reasons).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// The flag has no targeting: its default variant.
    Static,
    /// The targeting chose the variant.
    TargetingMatch,
    /// The targeting chose nothing (no targeting key): the default variant.
    Default,
    /// The flag is disabled: the code default.
    Disabled,
    /// No such flag, or its variant is not of the asked type: the code default.
    Error,
}

impl Reason {
    fn as_str(self) -> &'static str {
        match self {
            Reason::Static => "STATIC",
            Reason::TargetingMatch => "TARGETING_MATCH",
            Reason::Default => "DEFAULT",
            Reason::Disabled => "DISABLED",
            Reason::Error => "ERROR",
        }
    }
}

/// One evaluation's outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    /// The value the caller uses.
    pub value: bool,
    /// The variant chosen, `None` when the code default was used.
    pub variant: Option<String>,
    /// Why.
    pub reason: Reason,
}

/// A flag file as flagd defines it; `$evaluators` (shared rules) are not supported.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Definitions {
    #[serde(rename = "$schema", default)]
    _schema: Option<String>,
    #[serde(rename = "metadata", default)]
    _metadata: Option<Value>,
    flags: BTreeMap<String, Definition>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Definition {
    state: State,
    variants: BTreeMap<String, Value>,
    default_variant: String,
    #[serde(default)]
    targeting: Option<Value>,
    #[serde(rename = "metadata", default)]
    _metadata: Option<Value>,
}

#[derive(Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "UPPERCASE")]
enum State {
    Enabled,
    Disabled,
}

/// One usable flag.
#[derive(Debug)]
struct Flag {
    enabled: bool,
    variants: BTreeMap<String, Value>,
    default_variant: String,
    rollout: Option<Rollout>,
}

/// A `fractional` rule: weighted variants, bucketed by the flag key and the targeting key.
#[derive(Debug)]
struct Rollout {
    buckets: Vec<(String, u64)>,
    total_weight: u64,
}

impl Rollout {
    /// Parses `{"fractional": [expression?, [variant, weight?], ...]}`.
    fn parse(
        flag: &str,
        targeting: &Value,
        variants: &BTreeMap<String, Value>,
    ) -> Result<Self, FlagError> {
        let rule = targeting
            .as_object()
            .filter(|rule| rule.len() == 1)
            .and_then(|rule| rule.get("fractional"))
            .and_then(Value::as_array)
            .ok_or_else(|| {
                flag_error(
                    flag,
                    "targeting supports one rule, {\"fractional\": [...]} (a percentage rollout)",
                )
            })?;
        let mut distributions = rule.as_slice();
        if let Some(first) = distributions.first().filter(|first| !first.is_array()) {
            if !is_default_bucketing(first) {
                return Err(flag_error(
                    flag,
                    "fractional buckets by the flag key and targetingKey only: drop the first \
                     expression or write {\"cat\": [{\"var\": \"$flagd.flagKey\"}, {\"var\": \
                     \"targetingKey\"}]}",
                ));
            }
            distributions = &distributions[1..];
        }
        let mut buckets = Vec::new();
        for distribution in distributions {
            let parts = distribution
                .as_array()
                .filter(|parts| !parts.is_empty() && parts.len() <= 2)
                .ok_or_else(|| flag_error(flag, "each fractional bucket is [variant, weight]"))?;
            let variant = parts[0]
                .as_str()
                .filter(|variant| variants.contains_key(*variant))
                .ok_or_else(|| {
                    flag_error(flag, format!("unknown fractional variant {}", parts[0]))
                })?;
            let weight = match parts.get(1) {
                None => 1,
                Some(weight) => weight.as_u64().ok_or_else(|| {
                    flag_error(flag, "a fractional weight is a whole number, 0 or more")
                })?,
            };
            buckets.push((variant.to_owned(), weight));
        }
        let total_weight: u64 = buckets.iter().map(|(_, weight)| weight).sum();
        if total_weight == 0 || total_weight > u64::from(u32::MAX) {
            return Err(flag_error(
                flag,
                "fractional weights must add up to between 1 and 2^32-1",
            ));
        }
        Ok(Rollout {
            buckets,
            total_weight,
        })
    }

    /// The variant of `targeting_key`'s bucket, as flagd computes it.
    fn variant(&self, flag: &str, targeting_key: &str) -> Option<&str> {
        if targeting_key.is_empty() {
            return None;
        }
        let hash = murmur3_32(format!("{flag}{targeting_key}").as_bytes(), 0);
        let bucket = (u64::from(hash) * self.total_weight) >> 32;
        let mut range_end = 0;
        for (variant, weight) in &self.buckets {
            range_end += weight;
            if bucket < range_end {
                return Some(variant);
            }
        }
        None
    }
}

/// `{"cat": [{"var": "$flagd.flagKey"}, {"var": "targetingKey"}]}`, flagd's default bucketing.
fn is_default_bucketing(expression: &Value) -> bool {
    let default = serde_json::json!({"cat": [{"var": "$flagd.flagKey"}, {"var": "targetingKey"}]});
    *expression == default
}

/// Every flag of one definition file.
#[derive(Debug, Default)]
struct FlagSet {
    flags: BTreeMap<String, Flag>,
}

impl FlagSet {
    fn parse(text: &str) -> Result<Self, FlagError> {
        let definitions: Definitions = serde_json::from_str(text)?;
        let mut flags = BTreeMap::new();
        for (key, definition) in definitions.flags {
            if !definition
                .variants
                .contains_key(&definition.default_variant)
            {
                return Err(flag_error(
                    &key,
                    format!(
                        "defaultVariant {} is not one of its variants",
                        definition.default_variant
                    ),
                ));
            }
            let rollout = match &definition.targeting {
                None => None,
                Some(targeting) if targeting.as_object().is_some_and(|rule| rule.is_empty()) => {
                    None
                }
                Some(targeting) => Some(Rollout::parse(&key, targeting, &definition.variants)?),
            };
            flags.insert(
                key,
                Flag {
                    enabled: definition.state == State::Enabled,
                    variants: definition.variants,
                    default_variant: definition.default_variant,
                    rollout,
                },
            );
        }
        Ok(FlagSet { flags })
    }

    fn evaluate(&self, key: &str, targeting_key: &str, default: bool) -> Evaluation {
        let code_default = |reason| Evaluation {
            value: default,
            variant: None,
            reason,
        };
        let Some(flag) = self.flags.get(key) else {
            return code_default(Reason::Error);
        };
        if !flag.enabled {
            return code_default(Reason::Disabled);
        }
        let (variant, reason) = match &flag.rollout {
            None => (flag.default_variant.as_str(), Reason::Static),
            Some(rollout) => match rollout.variant(key, targeting_key) {
                Some(variant) => (variant, Reason::TargetingMatch),
                None => (flag.default_variant.as_str(), Reason::Default),
            },
        };
        match flag.variants.get(variant).and_then(Value::as_bool) {
            Some(value) => Evaluation {
                value,
                variant: Some(variant.to_owned()),
                reason,
            },
            None => code_default(Reason::Error),
        }
    }
}

/// A flag file's modification time and length: what says it changed.
type FileStamp = Option<(SystemTime, u64)>;

/// The flags of one process: cheap to clone, swapped whole when the file changes.
#[derive(Clone, Debug)]
pub struct Flags {
    current: Arc<watch::Sender<Arc<FlagSet>>>,
    /// The file as it was when these flags were read from it, so a change made before the reload
    /// task starts is still picked up.
    loaded: FileStamp,
}

impl Default for Flags {
    fn default() -> Self {
        Flags {
            current: Arc::new(watch::Sender::new(Arc::new(FlagSet::default()))),
            loaded: None,
        }
    }
}

/// Tells when a [`Flags`] set was replaced.
#[derive(Debug)]
pub struct FlagChanges(watch::Receiver<Arc<FlagSet>>);

impl FlagChanges {
    /// Waits until the flags are replaced (by a reload) after the last call, or since this was
    /// made.
    pub async fn changed(&mut self) {
        // The sender lives as long as any `Flags` clone; without one there is nothing to wait for.
        if self.0.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

impl Flags {
    /// No flags: every evaluation takes its code default.
    pub fn none() -> Self {
        Flags::default()
    }

    /// The flags of a flagd definition document.
    pub fn from_json(text: &str) -> Result<Self, FlagError> {
        let flags = Flags::none();
        flags.replace(FlagSet::parse(text)?);
        Ok(flags)
    }

    /// The flags `settings` name (none without a file); a file that cannot be used stops start-up.
    pub fn load(settings: &FlagSettings) -> Result<Self, FlagError> {
        match &settings.file {
            None => Ok(Flags::none()),
            Some(path) => {
                let loaded = modified(path);
                let mut flags = Flags::from_json(&read(path)?)?;
                flags.loaded = loaded;
                Ok(flags)
            }
        }
    }

    /// Tells of every replacement of the flags from now on.
    pub fn changes(&self) -> FlagChanges {
        FlagChanges(self.current.subscribe())
    }

    /// Re-reads `settings.file` whenever it changes until `shutdown`. A change that cannot be used
    /// keeps the flags in force and is logged once.
    pub fn spawn_reload(&self, settings: &FlagSettings, shutdown: Shutdown) {
        let Some(path) = settings.file.clone() else {
            return;
        };
        let interval = Duration::from_millis(settings.reload_interval_ms.max(1));
        let flags = self.clone();
        let mut seen = self.loaded;
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    () = tokio::time::sleep(interval) => {}
                    () = shutdown.wait() => return,
                }
                let now = modified(&path);
                if now == seen {
                    continue;
                }
                seen = now;
                flags.reload_from(&path);
            }
        });
    }

    /// Replaces the flags with `path`'s, or keeps them when it cannot be used.
    pub fn reload_from(&self, path: &Path) -> bool {
        match read(path).and_then(|text| FlagSet::parse(&text)) {
            Ok(set) => {
                self.replace(set);
                metrics::counter!("feature_flag_reloads_total", "outcome" => "applied")
                    .increment(1);
                tracing::info!(file = %path.display(), "feature flags reloaded");
                true
            }
            Err(error) => {
                metrics::counter!("feature_flag_reloads_total", "outcome" => "refused")
                    .increment(1);
                tracing::warn!(%error, "feature flag file refused; the previous flags stay in force");
                false
            }
        }
    }

    fn replace(&self, set: FlagSet) {
        self.current.send_replace(Arc::new(set));
    }

    /// Whether the boolean flag `key` is on for `targeting_key` (a user's subject or a client's
    /// address; empty when there is none), `default` when the flag is missing, disabled or not
    /// boolean.
    pub fn enabled(&self, key: &str, targeting_key: &str, default: bool) -> bool {
        self.evaluate(key, targeting_key, default).value
    }

    /// [`Flags::enabled`] with the variant and the reason, counted in
    /// `feature_flag_evaluations_total`.
    pub fn evaluate(&self, key: &str, targeting_key: &str, default: bool) -> Evaluation {
        let set = Arc::clone(&self.current.borrow());
        let evaluation = set.evaluate(key, targeting_key, default);
        metrics::counter!(
            "feature_flag_evaluations_total",
            "flag" => key.to_owned(),
            "variant" => evaluation.variant.clone().unwrap_or_else(|| "code_default".to_owned()),
            "reason" => evaluation.reason.as_str(),
        )
        .increment(1);
        evaluation
    }
}

fn read(path: &Path) -> Result<String, FlagError> {
    std::fs::read_to_string(path).map_err(|source| FlagError::Read {
        path: path.to_owned(),
        source,
    })
}

fn modified(path: &Path) -> FileStamp {
    let metadata = std::fs::metadata(path).ok()?;
    Some((metadata.modified().ok()?, metadata.len()))
}

#[cfg(test)]
mod tests;
