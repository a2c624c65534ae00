//! The client against the Crunchyroll simulator over real HTTP: every call, every error body,
//! and the resilience layer under injected faults.

mod auth;
mod content;
mod helpers;
mod playback;
mod resilience;
