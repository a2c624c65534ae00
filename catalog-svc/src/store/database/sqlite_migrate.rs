//! Applies the SQLite migrations over rusqlite, recording them in sqlx's own `_sqlx_migrations`
//! table (same columns, same checksums), so a database made by sqlx's migrator opens here and
//! the other way round.

use std::time::Instant;

use rusqlite::{Connection, OptionalExtension, params};
use sqlx::migrate::{MigrateError, Migrator};

use super::StoreError;

/// sqlx's table, as its SQLite migrator creates it.
const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS _sqlx_migrations (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL,
    installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    success BOOLEAN NOT NULL,
    checksum BLOB NOT NULL,
    execution_time BIGINT NOT NULL
)";

/// Applies every migration of `migrator` not yet recorded, each in its own transaction; fails on
/// a recorded migration whose file changed or that failed half-way.
pub(super) fn apply(connection: &mut Connection, migrator: &Migrator) -> Result<(), StoreError> {
    connection.execute_batch(CREATE_TABLE)?;
    for migration in migrator.iter() {
        if migration.migration_type.is_down_migration() {
            continue;
        }
        let recorded: Option<(bool, Vec<u8>)> = connection
            .query_row(
                "SELECT success, checksum FROM _sqlx_migrations WHERE version = ?1",
                params![migration.version],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        match recorded {
            Some((false, _)) => return Err(MigrateError::Dirty(migration.version).into()),
            Some((true, checksum)) if checksum != *migration.checksum => {
                return Err(MigrateError::VersionMismatch(migration.version).into());
            }
            Some((true, _)) => continue,
            None => {}
        }
        let started = Instant::now();
        let transaction = connection.transaction()?;
        transaction.execute_batch(migration.sql.as_str())?;
        let elapsed_nanos = i64::try_from(started.elapsed().as_nanos()).unwrap_or(i64::MAX);
        transaction.execute(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, \
             execution_time) VALUES (?1, ?2, TRUE, ?3, ?4)",
            params![
                migration.version,
                migration.description.as_ref(),
                migration.checksum.as_ref(),
                elapsed_nanos
            ],
        )?;
        transaction.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;
    use std::time::Duration;

    use kensho_test_support::TempDir;
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

    use crate::store::{CatalogStore, SqlCatalogStore};

    #[tokio::test]
    async fn a_database_migrated_by_sqlx_opens_and_a_reopened_one_applies_nothing() {
        let directory = TempDir::new();
        let url = format!("sqlite://{}", directory.path().join("catalog.db").display());
        let options = SqliteConnectOptions::from_str(&url)
            .expect("url")
            .create_if_missing(true);
        let sqlx_pool = SqlitePoolOptions::new()
            .connect_with(options)
            .await
            .expect("sqlx pool");
        crate::store::sqlite::MIGRATOR
            .run(&sqlx_pool)
            .await
            .expect("sqlx migrates");
        sqlx_pool.close().await;

        for _ in 0..2 {
            let store = SqlCatalogStore::connect(&url, 2, Duration::from_secs(5))
                .await
                .expect("opens the sqlx-made database");
            assert_eq!(store.anime_count().await.expect("count"), 0);
            store.close().await;
        }

        let connection =
            rusqlite::Connection::open(directory.path().join("catalog.db")).expect("open");
        let recorded: i64 = connection
            .query_row("SELECT COUNT(*) FROM _sqlx_migrations", [], |row| {
                row.get(0)
            })
            .expect("count");
        assert_eq!(
            recorded,
            crate::store::sqlite::MIGRATOR.iter().count() as i64
        );
    }
}
