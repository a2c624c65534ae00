//! Fault injection (`/_sim/faults`): rules matched against each request's method and path add
//! latency, answer with errors, outages or 429 storms, drop the connection, or trickle the body.

mod injector;
mod middleware;
mod pattern;
mod plan;
mod responses;

pub(crate) use injector::FaultInjector;
pub(crate) use middleware::inject_faults;
pub use plan::{FaultPlan, FaultRule, RateLimitFault};
