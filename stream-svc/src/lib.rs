//! stream-svc: playable stream URLs for episodes, per user, behind
//! `kensho.stream.v1.StreamService`. An episode (by anime id and number through catalog-svc, or
//! by Crunchyroll episode id) is opened on Crunchyroll's play service with the user's token from
//! auth-svc; answers are cached per user for at most 5 minutes and never past the URL's expiry.
#![forbid(unsafe_code)]

pub mod cache;
pub mod error;
pub mod flight;
pub mod grpc;
pub mod metrics;
pub mod settings;
pub mod startup;
pub mod streams;

pub use settings::{StreamConfig, StreamSettings};
pub use startup::Application;
