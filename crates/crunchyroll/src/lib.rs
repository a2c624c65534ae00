//! A typed async client for the Crunchyroll API, as described in the project's reference of its
//! wire format: the token endpoint's grants with single-flight refresh ([`TokenManager`]),
//! content (search, series, seasons, episodes, objects, browse, seasonal tags, categories) and
//! the play service (play, stream token release and keep-alive).
//!
//! Every call goes through [`kensho_kit::resilience`] (per-attempt timeout, deadline, retries of
//! idempotent calls within a budget, circuit breaker, bulkhead), configured per upstream. Parsing
//! tolerates what Crunchyroll really sends (unknown fields, nulls, nested image arrays, the
//! `9998-11-30` sentinel date, fractional sequence numbers). No credential, token or cookie
//! appears in a log line or an error message.
#![forbid(unsafe_code)]

pub mod auth;
pub mod content;
pub mod error;
pub mod playback;
pub mod settings;
mod transport;

pub use auth::{Grant, TokenManager, Tokens};
pub use error::CrunchyrollError;
pub use settings::CrunchyrollSettings;
pub use transport::{CrunchyrollClient, Host};
