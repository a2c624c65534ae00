//! auth-svc integration tests: the real service on port 0 against the Crunchyroll simulator,
//! with SQLite in a temporary directory or Redis under a unique key prefix.

mod helpers;
mod introspect;
mod login;
mod redis_store;
mod refresh;
mod upstream;
