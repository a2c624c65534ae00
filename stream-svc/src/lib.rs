//! stream-svc: playable stream URLs for episodes, per user, behind
//! `kensho.stream.v1.StreamService`. An episode (by anime id and number through catalog-svc, or
//! by Crunchyroll episode id) is opened on Crunchyroll's play service with the user's token from
//! auth-svc, which also verifies the caller's access token and names the account; answers are cached per user for at most 5 minutes and never past the URL's expiry.
#![forbid(unsafe_code)]

mod cache;
mod caller;
mod error;
mod flight;
mod grpc;
mod metrics;
mod settings;
mod startup;
mod stream_token;
mod streams;

pub use settings::{StreamConfig, StreamSettings};
pub use startup::Application;
