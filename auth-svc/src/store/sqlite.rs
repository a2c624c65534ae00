//! The SQLite session store of the all-in-one: one file under the data directory, WAL mode.

use std::path::Path;
use std::time::Duration;

use async_trait::async_trait;
use kensho_telemetry::database::DatabaseTarget;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow};
use sqlx::{Row, SqlitePool};
use tracing::Instrument;

use super::{RefreshLookup, SessionStore, StoreError, StoredSession, now_unix, whole_seconds};
use crate::refresh::RefreshHash;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

/// Sessions in an SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteSessionStore {
    pool: SqlitePool,
    /// What every statement span says about the database.
    database: DatabaseTarget,
}

impl SqliteSessionStore {
    /// Opens (creating when missing) and migrates the database file.
    pub async fn open(path: &Path) -> anyhow::Result<Self> {
        kensho_kit::private_fs::create_private_file_if_missing(path)?;
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(SqliteSessionStore {
            pool,
            database: DatabaseTarget::sqlite(),
        })
    }
}

fn store_error(error: sqlx::Error) -> StoreError {
    match error {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
            StoreError::Unavailable(error.to_string())
        }
        other => StoreError::Backend(other.to_string()),
    }
}

fn session_from_row(row: &SqliteRow) -> Result<StoredSession, StoreError> {
    let refresh_hex: String = row.try_get("refresh_hash").map_err(store_error)?;
    Ok(StoredSession {
        session_id: row.try_get("session_id").map_err(store_error)?,
        account_id: row.try_get("account_id").map_err(store_error)?,
        device_id: row.try_get("device_id").map_err(store_error)?,
        refresh_hash: RefreshHash::from_hex(&refresh_hex)
            .ok_or_else(|| StoreError::Backend("malformed refresh hash".to_owned()))?,
        upstream: row.try_get("upstream").map_err(store_error)?,
    })
}

#[async_trait]
impl SessionStore for SqliteSessionStore {
    async fn create(
        &self,
        session: &StoredSession,
        idle_timeout: Duration,
    ) -> Result<(), StoreError> {
        let now = now_unix();
        // Ended sessions and stale reuse markers go here, so the file does not grow forever.
        let expired_sessions_sql = "DELETE FROM sessions WHERE expires_at <= ?";
        sqlx::query(expired_sessions_sql)
            .bind(now)
            .execute(&self.pool)
            .instrument(
                self.database
                    .statement_span("DELETE sessions", expired_sessions_sql),
            )
            .await
            .map_err(store_error)?;
        let expired_markers_sql = "DELETE FROM used_refresh_tokens WHERE expires_at <= ?";
        sqlx::query(expired_markers_sql)
            .bind(now)
            .execute(&self.pool)
            .instrument(
                self.database
                    .statement_span("DELETE used_refresh_tokens", expired_markers_sql),
            )
            .await
            .map_err(store_error)?;
        let insert_sql = "INSERT INTO sessions (session_id, account_id, device_id, refresh_hash, \
             upstream, expires_at) VALUES (?, ?, ?, ?, ?, ?)";
        sqlx::query(insert_sql)
            .bind(&session.session_id)
            .bind(&session.account_id)
            .bind(&session.device_id)
            .bind(session.refresh_hash.to_hex())
            .bind(&session.upstream)
            .bind(now + whole_seconds(idle_timeout))
            .execute(&self.pool)
            .instrument(self.database.statement_span("INSERT sessions", insert_sql))
            .await
            .map_err(store_error)?;
        Ok(())
    }

    async fn find_by_refresh(&self, hash: &RefreshHash) -> Result<RefreshLookup, StoreError> {
        let now = now_unix();
        let hex = hash.to_hex();
        let current_sql = "SELECT * FROM sessions WHERE refresh_hash = ? AND expires_at > ?";
        let current = sqlx::query(current_sql)
            .bind(&hex)
            .bind(now)
            .fetch_optional(&self.pool)
            .instrument(self.database.statement_span("SELECT sessions", current_sql))
            .await
            .map_err(store_error)?;
        if let Some(row) = current {
            return Ok(RefreshLookup::Current(session_from_row(&row)?));
        }
        let used_sql =
            "SELECT session_id FROM used_refresh_tokens WHERE refresh_hash = ? AND expires_at > ?";
        let used = sqlx::query(used_sql)
            .bind(&hex)
            .bind(now)
            .fetch_optional(&self.pool)
            .instrument(
                self.database
                    .statement_span("SELECT used_refresh_tokens", used_sql),
            )
            .await
            .map_err(store_error)?;
        match used {
            Some(row) => Ok(RefreshLookup::Used {
                session_id: row.try_get("session_id").map_err(store_error)?,
            }),
            None => Ok(RefreshLookup::Unknown),
        }
    }

    async fn rotate_refresh(
        &self,
        session_id: &str,
        old: &RefreshHash,
        new: &RefreshHash,
        idle_timeout: Duration,
    ) -> Result<bool, StoreError> {
        let expires_at = now_unix() + whole_seconds(idle_timeout);
        let mut transaction = self.pool.begin().await.map_err(store_error)?;
        let rotate_sql = "UPDATE sessions SET refresh_hash = ?, expires_at = ? \
             WHERE session_id = ? AND refresh_hash = ?";
        let rotated = sqlx::query(rotate_sql)
            .bind(new.to_hex())
            .bind(expires_at)
            .bind(session_id)
            .bind(old.to_hex())
            .execute(&mut *transaction)
            .instrument(self.database.statement_span("UPDATE sessions", rotate_sql))
            .await
            .map_err(store_error)?
            .rows_affected()
            == 1;
        if rotated {
            let marker_sql = "INSERT OR REPLACE INTO used_refresh_tokens \
                 (refresh_hash, session_id, expires_at) VALUES (?, ?, ?)";
            sqlx::query(marker_sql)
                .bind(old.to_hex())
                .bind(session_id)
                .bind(expires_at)
                .execute(&mut *transaction)
                .instrument(
                    self.database
                        .statement_span("INSERT used_refresh_tokens", marker_sql),
                )
                .await
                .map_err(store_error)?;
        }
        transaction.commit().await.map_err(store_error)?;
        Ok(rotated)
    }

    async fn touch(
        &self,
        session_id: &str,
        idle_timeout: Duration,
    ) -> Result<Option<StoredSession>, StoreError> {
        let now = now_unix();
        let touch_sql = "UPDATE sessions SET expires_at = ? \
             WHERE session_id = ? AND expires_at > ? RETURNING *";
        let row = sqlx::query(touch_sql)
            .bind(now + whole_seconds(idle_timeout))
            .bind(session_id)
            .bind(now)
            .fetch_optional(&self.pool)
            .instrument(self.database.statement_span("UPDATE sessions", touch_sql))
            .await
            .map_err(store_error)?;
        row.as_ref().map(session_from_row).transpose()
    }

    async fn replace_upstream(&self, session_id: &str, upstream: &str) -> Result<(), StoreError> {
        let sql = "UPDATE sessions SET upstream = ? WHERE session_id = ?";
        sqlx::query(sql)
            .bind(upstream)
            .bind(session_id)
            .execute(&self.pool)
            .instrument(self.database.statement_span("UPDATE sessions", sql))
            .await
            .map_err(store_error)?;
        Ok(())
    }

    async fn delete(&self, session_id: &str) -> Result<(), StoreError> {
        let sql = "DELETE FROM sessions WHERE session_id = ?";
        sqlx::query(sql)
            .bind(session_id)
            .execute(&self.pool)
            .instrument(self.database.statement_span("DELETE sessions", sql))
            .await
            .map_err(store_error)?;
        Ok(())
    }

    async fn ping(&self) -> Result<(), StoreError> {
        let sql = "SELECT 1";
        sqlx::query(sql)
            .execute(&self.pool)
            .instrument(self.database.statement_span("SELECT", sql))
            .await
            .map_err(store_error)?;
        Ok(())
    }
}
