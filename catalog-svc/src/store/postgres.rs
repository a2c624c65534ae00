//! What only the PostgreSQL backend has: its migrations (connection settings live in
//! `database/postgres.rs`).

use sqlx::migrate::Migrator;

/// The PostgreSQL schema.
pub(super) static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");
