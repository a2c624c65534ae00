//! What one incoming request hands on to every outgoing call it makes: its request id and its
//! deadline. The server layer (and the gateway, for REST requests) opens a [`CallContext`] scope
//! around the handler; the client layer reads it on every outgoing call, so no handler passes
//! either by hand.

use std::future::Future;
use std::time::{Duration, Instant};

use http::HeaderMap;
use tokio::task::futures::TaskLocalFuture;

/// Metadata key carrying the request id from the gateway through every hop.
pub const REQUEST_ID_HEADER: &str = "x-request-id";
/// The gRPC deadline header (`<digits><unit>`, from the gRPC over HTTP/2 protocol).
pub const GRPC_TIMEOUT_HEADER: &str = "grpc-timeout";
/// Most digits a `grpc-timeout` value may have.
const GRPC_TIMEOUT_MAX_DIGITS: usize = 8;

tokio::task_local! {
    static CURRENT: CallContext;
}

/// The request id and deadline of the request being handled.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallContext {
    /// The id every log line and hop of this request carries.
    pub request_id: Option<String>,
    /// When the caller stops waiting.
    pub deadline: Option<Instant>,
}

impl CallContext {
    /// The context of the request this task is handling, if any.
    pub fn current() -> Option<CallContext> {
        CURRENT.try_with(Clone::clone).ok()
    }

    /// The context an incoming gRPC request carries in its headers, its deadline counted from
    /// `received_at`.
    pub fn from_headers(headers: &HeaderMap, received_at: Instant) -> Self {
        let request_id = headers
            .get(REQUEST_ID_HEADER)
            .and_then(|value| value.to_str().ok())
            .filter(|value| !value.is_empty())
            .map(str::to_owned);
        let deadline = headers
            .get(GRPC_TIMEOUT_HEADER)
            .and_then(|value| value.to_str().ok())
            .and_then(parse_grpc_timeout)
            .map(|timeout| received_at + timeout);
        CallContext {
            request_id,
            deadline,
        }
    }

    /// What is left of the budget, if there is a deadline.
    pub fn remaining(&self) -> Option<Duration> {
        self.deadline
            .map(|deadline| deadline.saturating_duration_since(Instant::now()))
    }

    /// Runs `future` with this context as the current one.
    pub fn scope<F: Future>(self, future: F) -> TaskLocalFuture<CallContext, F> {
        CURRENT.scope(self, future)
    }
}

/// A `grpc-timeout` value: up to eight digits and a unit (`H`, `M`, `S`, `m`, `u`, `n`).
pub fn parse_grpc_timeout(value: &str) -> Option<Duration> {
    let unit_at = value.len().checked_sub(1)?;
    let (digits, unit) = value.split_at(unit_at);
    if digits.is_empty()
        || digits.len() > GRPC_TIMEOUT_MAX_DIGITS
        || !digits.bytes().all(|byte| byte.is_ascii_digit())
    {
        return None;
    }
    let amount: u64 = digits.parse().ok()?;
    match unit {
        "H" => Some(Duration::from_secs(amount * 3600)),
        "M" => Some(Duration::from_secs(amount * 60)),
        "S" => Some(Duration::from_secs(amount)),
        "m" => Some(Duration::from_millis(amount)),
        "u" => Some(Duration::from_micros(amount)),
        "n" => Some(Duration::from_nanos(amount)),
        _ => None,
    }
}

/// `timeout` as a `grpc-timeout` value, in the finest unit that fits in eight digits, rounded
/// down so a callee never believes it has more time than the caller gives it.
pub fn format_grpc_timeout(timeout: Duration) -> String {
    let limit = 10_u128.pow(GRPC_TIMEOUT_MAX_DIGITS as u32);
    let units: [(u128, &str); 5] = [
        (timeout.as_nanos(), "n"),
        (timeout.as_micros(), "u"),
        (timeout.as_millis(), "m"),
        (u128::from(timeout.as_secs()), "S"),
        (u128::from(timeout.as_secs() / 60), "M"),
    ];
    for (amount, unit) in units {
        if amount < limit {
            return format!("{amount}{unit}");
        }
    }
    format!("{}H", (timeout.as_secs() / 3600).min(99_999_999))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grpc_timeouts_parse_in_every_unit_and_reject_nonsense() {
        assert_eq!(parse_grpc_timeout("3S"), Some(Duration::from_secs(3)));
        assert_eq!(parse_grpc_timeout("250m"), Some(Duration::from_millis(250)));
        assert_eq!(parse_grpc_timeout("2H"), Some(Duration::from_secs(7200)));
        assert_eq!(parse_grpc_timeout("7u"), Some(Duration::from_micros(7)));
        for nonsense in ["", "S", "123456789m", "12x", "-1S", "1.5S"] {
            assert_eq!(parse_grpc_timeout(nonsense), None, "{nonsense}");
        }
    }

    #[test]
    fn formatted_timeouts_round_trip_within_their_unit() {
        for timeout in [
            Duration::from_millis(1),
            Duration::from_millis(1_234),
            Duration::from_secs(30),
            Duration::from_secs(86_400 * 3),
        ] {
            let parsed = parse_grpc_timeout(&format_grpc_timeout(timeout)).unwrap();
            assert!(parsed <= timeout, "{timeout:?} -> {parsed:?}");
            assert!(timeout - parsed < Duration::from_secs(60), "{timeout:?}");
        }
    }

    #[tokio::test]
    async fn the_context_is_current_inside_its_scope_only() {
        let context = CallContext {
            request_id: Some("abc".to_owned()),
            deadline: Some(Instant::now() + Duration::from_secs(5)),
        };
        let inside = context
            .clone()
            .scope(async { CallContext::current() })
            .await;
        assert_eq!(inside, Some(context));
        assert_eq!(CallContext::current(), None);
    }
}
