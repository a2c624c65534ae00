//! The active fault plan and its random source, and the decision for one request.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::pattern::RoutePattern;
use super::plan::{FaultPlan, FaultRule};
use crate::lock;

/// Status of an outage answer.
const OUTAGE_STATUS: u16 = 503;
/// Status of a 429 storm answer.
const RATE_LIMIT_STATUS: u16 = 429;

/// What to do with one matching request.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct FaultDecision {
    /// Wait this long first.
    pub(crate) delay: Duration,
    pub(crate) action: FaultAction,
}

/// How a matching request is answered after the delay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum FaultAction {
    /// The real answer, its body trickled at this many ms per KiB when non-zero.
    Pass { slow_body_ms_per_kb: u64 },
    /// No answer: the connection is dropped.
    Reset,
    /// An injected error answer.
    Respond {
        status: u16,
        retry_after_seconds: Option<u64>,
    },
}

#[derive(Debug)]
struct ActivePlan {
    plan: FaultPlan,
    patterns: Vec<RoutePattern>,
    rng: fastrand::Rng,
}

/// The fault plan every request is checked against.
#[derive(Debug)]
pub(crate) struct FaultInjector {
    active: Mutex<ActivePlan>,
    /// Lets requests skip the lock while no rule is set.
    has_rules: AtomicBool,
}

impl Default for FaultInjector {
    fn default() -> Self {
        FaultInjector {
            active: Mutex::new(ActivePlan {
                plan: FaultPlan::default(),
                patterns: Vec::new(),
                rng: fastrand::Rng::new(),
            }),
            has_rules: AtomicBool::new(false),
        }
    }
}

impl FaultInjector {
    /// Replaces every rule; an invalid plan changes nothing.
    pub(crate) fn replace(&self, plan: FaultPlan) -> Result<(), String> {
        plan.validate()?;
        let patterns = plan
            .rules
            .iter()
            .map(|rule| RoutePattern::parse(&rule.route))
            .collect();
        let rng = plan
            .seed
            .map_or_else(fastrand::Rng::new, fastrand::Rng::with_seed);
        let has_rules = !plan.rules.is_empty();
        *lock(&self.active) = ActivePlan {
            plan,
            patterns,
            rng,
        };
        self.has_rules.store(has_rules, Ordering::Release);
        Ok(())
    }

    /// Removes every rule.
    pub(crate) fn clear(&self) {
        let _ = self.replace(FaultPlan::default());
    }

    /// The active plan.
    pub(crate) fn plan(&self) -> FaultPlan {
        lock(&self.active).plan.clone()
    }

    /// The fault for a request, if a rule matches it.
    pub(crate) fn decide(&self, method: &str, path: &str) -> Option<FaultDecision> {
        if !self.has_rules.load(Ordering::Acquire) {
            return None;
        }
        let mut active = lock(&self.active);
        let ActivePlan {
            plan,
            patterns,
            rng,
        } = &mut *active;
        let rule_index = patterns
            .iter()
            .position(|pattern| pattern.matches(method, path))?;
        Some(decide_rule(&plan.rules[rule_index], rng))
    }
}

fn decide_rule(rule: &FaultRule, rng: &mut fastrand::Rng) -> FaultDecision {
    let jitter = if rule.jitter_ms > 0 {
        rng.u64(0..=rule.jitter_ms)
    } else {
        0
    };
    let delay = Duration::from_millis(rule.latency_ms + jitter);
    let action = if rule.reset_connection {
        FaultAction::Reset
    } else if rule.outage {
        FaultAction::Respond {
            status: OUTAGE_STATUS,
            retry_after_seconds: rule.retry_after_seconds,
        }
    } else if let Some(storm) = &rule.rate_limit {
        FaultAction::Respond {
            status: RATE_LIMIT_STATUS,
            retry_after_seconds: Some(storm.retry_after_seconds),
        }
    } else if let Some(status) = draw_error(rule, rng) {
        FaultAction::Respond {
            status,
            retry_after_seconds: rule.retry_after_seconds,
        }
    } else {
        FaultAction::Pass {
            slow_body_ms_per_kb: rule.slow_body_ms_per_kb,
        }
    };
    FaultDecision { delay, action }
}

/// One uniform draw against the cumulative error rates.
fn draw_error(rule: &FaultRule, rng: &mut fastrand::Rng) -> Option<u16> {
    let rates = rule.parsed_error_rates();
    if rates.is_empty() {
        return None;
    }
    let draw = rng.f64();
    let mut cumulative = 0.0;
    rates.into_iter().find_map(|(status, rate)| {
        cumulative += rate;
        (draw < cumulative).then_some(status)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn injector_with(rule: FaultRule, seed: u64) -> FaultInjector {
        let injector = FaultInjector::default();
        injector
            .replace(FaultPlan {
                rules: vec![rule],
                seed: Some(seed),
            })
            .expect("valid plan");
        injector
    }

    #[test]
    fn the_same_seed_draws_the_same_errors() {
        let mut rule = FaultRule::new("*");
        rule.error_rates.insert("503".to_owned(), 0.5);
        let draws = |injector: &FaultInjector| -> Vec<Option<FaultDecision>> {
            (0..50).map(|_| injector.decide("GET", "/x")).collect()
        };
        let first = draws(&injector_with(rule.clone(), 7));
        let second = draws(&injector_with(rule, 7));
        assert_eq!(first, second);
        let errors = first
            .iter()
            .filter(|decision| matches!(decision, Some(d) if d.action != FaultAction::Pass { slow_body_ms_per_kb: 0 }))
            .count();
        assert!((10..=40).contains(&errors), "{errors} of 50");
    }

    #[test]
    fn the_first_matching_rule_wins_and_others_pass_untouched() {
        let mut outage = FaultRule::new("/content/*");
        outage.outage = true;
        let mut reset = FaultRule::new("*");
        reset.reset_connection = true;
        let injector = FaultInjector::default();
        injector
            .replace(FaultPlan {
                rules: vec![outage, reset],
                seed: None,
            })
            .expect("valid plan");
        let content = injector.decide("GET", "/content/v2/x").expect("matches");
        assert!(matches!(
            content.action,
            FaultAction::Respond { status: 503, .. }
        ));
        let auth = injector.decide("POST", "/auth/v1/token").expect("matches");
        assert_eq!(auth.action, FaultAction::Reset);
        injector.clear();
        assert_eq!(injector.decide("GET", "/content/v2/x"), None);
    }
}
