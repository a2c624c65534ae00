//! What only the SQLite backend does: file creation and pragmas, and its migrations.

use std::str::FromStr;

use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyPool, Executor};

use super::StoreError;

/// The SQLite schema.
pub(super) static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

/// Opens (creating when missing) the database file. WAL lets readers run during an import;
/// `synchronous = NORMAL` is durable across application crashes, which is what WAL needs.
pub(super) async fn connect(url: &str, options: AnyPoolOptions) -> Result<AnyPool, StoreError> {
    let file_options = SqliteConnectOptions::from_str(url)?.create_if_missing(true);
    let path = file_options.get_filename().to_path_buf();
    kensho_kit::private_fs::create_private_file_if_missing(&path).map_err(|source| {
        StoreError::DataDirectory {
            path: path.display().to_string(),
            source,
        }
    })?;
    let url_with_create = if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    };
    let pool = options
        .after_connect(|connection, _metadata| {
            Box::pin(async move {
                connection
                    .execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; \
                         PRAGMA temp_store = MEMORY; PRAGMA cache_size = -32768;",
                    )
                    .await?;
                Ok(())
            })
        })
        .connect(&url_with_create)
        .await?;
    Ok(pool)
}
