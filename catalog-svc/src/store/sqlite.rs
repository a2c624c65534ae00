//! What only the SQLite backend has: its migrations (applied by `database/sqlite_migrate.rs`).

use sqlx::migrate::Migrator;

/// The SQLite schema.
pub(super) static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");
