//! The simulator tested end to end: real HTTP against a simulator on a free port.

mod auth;
mod content;
mod discover;
mod faults;
mod helpers;
mod media;
mod objects;
mod playback;
mod rate_limit;
mod scaling;
mod stats;
