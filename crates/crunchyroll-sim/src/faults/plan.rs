//! The fault plan `PUT /_sim/faults` accepts and `GET /_sim/faults` shows. The first rule whose
//! route pattern matches a request applies; the others are ignored for that request.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Every active rule, plus an optional seed that makes the random draws reproducible.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultPlan {
    /// Rules in priority order.
    #[serde(default)]
    pub rules: Vec<FaultRule>,
    /// Seed of the random draws (error rates, jitter); `None` draws from entropy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

/// What happens to requests matching `route`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    /// `[METHOD ]path` with `*` wildcards, e.g. `GET /content/v2/*` or `*`.
    pub route: String,
    /// Delay before answering, in milliseconds.
    #[serde(default)]
    pub latency_ms: u64,
    /// Extra delay drawn uniformly from `0..=jitter_ms`.
    #[serde(default)]
    pub jitter_ms: u64,
    /// Status code (as a string, 400-599) → probability of answering with it.
    #[serde(default)]
    pub error_rates: BTreeMap<String, f64>,
    /// Every matching request gets 503 with the "Overloaded" page.
    #[serde(default)]
    pub outage: bool,
    /// Every matching request loses its connection without an HTTP answer.
    #[serde(default)]
    pub reset_connection: bool,
    /// The body is sent 1 KiB at a time with this many milliseconds before each chunk.
    #[serde(default)]
    pub slow_body_ms_per_kb: u64,
    /// Every matching request gets 429 (a "429 storm").
    #[serde(default)]
    pub rate_limit: Option<RateLimitFault>,
    /// `Retry-After` seconds added to injected error and outage answers.
    #[serde(default)]
    pub retry_after_seconds: Option<u64>,
}

/// A 429 storm.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimitFault {
    /// `Retry-After` of each 429, in whole seconds.
    pub retry_after_seconds: u64,
}

impl FaultPlan {
    /// Checks every rule; the message names the first bad one.
    pub fn validate(&self) -> Result<(), String> {
        for (index, rule) in self.rules.iter().enumerate() {
            rule.validate()
                .map_err(|reason| format!("rules[{index}]: {reason}"))?;
        }
        Ok(())
    }
}

impl FaultRule {
    /// A rule matching `route` that does nothing yet: set the fields you need.
    pub fn new(route: impl Into<String>) -> Self {
        FaultRule {
            route: route.into(),
            ..FaultRule::default()
        }
    }

    fn validate(&self) -> Result<(), String> {
        if self.route.trim().is_empty() {
            return Err("route must not be empty".to_owned());
        }
        let mut total = 0.0;
        for (status, rate) in &self.error_rates {
            let code: u16 = status
                .parse()
                .map_err(|_| format!("error_rates: `{status}` is not a status code"))?;
            if !(400..=599).contains(&code) {
                return Err(format!(
                    "error_rates: {code} is not an error status (400-599)"
                ));
            }
            if !(0.0..=1.0).contains(rate) {
                return Err(format!(
                    "error_rates: {status} has rate {rate}, outside 0..=1"
                ));
            }
            total += rate;
        }
        if total > 1.0 + f64::EPSILON {
            return Err(format!("error_rates add up to {total}, more than 1"));
        }
        Ok(())
    }

    /// The error rates as (status, probability), in status order.
    pub(crate) fn parsed_error_rates(&self) -> Vec<(u16, f64)> {
        self.error_rates
            .iter()
            .filter_map(|(status, rate)| Some((status.parse().ok()?, *rate)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_with_rates(rates: &[(&str, f64)]) -> FaultPlan {
        let mut rule = FaultRule::new("*");
        rule.error_rates = rates
            .iter()
            .map(|(status, rate)| ((*status).to_owned(), *rate))
            .collect();
        FaultPlan {
            rules: vec![rule],
            seed: None,
        }
    }

    #[test]
    fn valid_error_rates_pass() {
        assert!(
            plan_with_rates(&[("503", 0.5), ("500", 0.5)])
                .validate()
                .is_ok()
        );
    }

    #[test]
    fn bad_error_rates_are_named() {
        for (rates, expected) in [
            (vec![("abc", 0.1)], "not a status code"),
            (vec![("200", 0.1)], "not an error status"),
            (vec![("503", 1.5)], "outside 0..=1"),
            (vec![("503", 0.7), ("500", 0.7)], "more than 1"),
        ] {
            let message = plan_with_rates(&rates).validate().expect_err("invalid");
            assert!(message.contains(expected), "{message}");
            assert!(message.starts_with("rules[0]"), "{message}");
        }
    }
}
