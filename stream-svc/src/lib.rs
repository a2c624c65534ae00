//! stream-svc: playable stream URLs for episodes, per user, behind
//! `kensho.stream.v1.StreamService`. An episode (by anime id and number through catalog-svc, or
//! by Crunchyroll episode id) is opened on Crunchyroll's play service with the user's token from
//! auth-svc; answers are cached per user for at most 5 minutes and never past the URL's expiry.
#![forbid(unsafe_code)]

mod cache;
mod error;
mod flight;
mod grpc;
mod metrics;
mod settings;
mod startup;
mod streams;

pub use settings::{StreamConfig, StreamSettings};
pub use startup::Application;
