//! The retry budget: every call earns a fraction of a retry, every retry spends one, so retries
//! stay under a fixed share of calls however badly the upstream fails.

use std::sync::Mutex;

/// A shared balance of retries.
#[derive(Debug)]
pub(super) struct RetryBudget {
    ratio: f64,
    ceiling: f64,
    balance: Mutex<f64>,
}

impl RetryBudget {
    /// A budget earning `ratio` retries per call, starting with (and capped at a little above)
    /// `reserve` retries.
    pub(super) fn new(ratio: f64, reserve: u32) -> Self {
        let reserve = f64::from(reserve);
        RetryBudget {
            ratio: ratio.max(0.0),
            ceiling: reserve.max(1.0),
            balance: Mutex::new(reserve),
        }
    }

    /// Records a call.
    pub(super) fn deposit(&self) {
        let mut balance = self
            .balance
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *balance = (*balance + self.ratio).min(self.ceiling);
    }

    /// Spends one retry if the budget holds one.
    pub(super) fn try_withdraw(&self) -> bool {
        let mut balance = self
            .balance
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if *balance >= 1.0 {
            *balance -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_converge_to_the_ratio_of_calls_once_the_reserve_is_spent() {
        let budget = RetryBudget::new(0.2, 2);
        let mut retries = 0;
        for _ in 0..1_000 {
            budget.deposit();
            while budget.try_withdraw() {
                retries += 1;
            }
        }
        assert!((200..=202).contains(&retries), "{retries}");
    }
}
