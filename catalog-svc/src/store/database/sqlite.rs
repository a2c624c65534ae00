//! SQLite on rusqlite: a small pool of connections, each lent to one blocking task at a time,
//! statements prepared once per connection (`prepare_cached`) and results read whole on that
//! thread.

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags, ToSql};
use sqlx::sqlite::SqliteConnectOptions;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::value::{Row, Value};
use super::{Param, PoolState, Query, StoreError};

/// How SQLite connections wait for locks and keep statements.
#[derive(Clone, Copy, Debug)]
pub(in crate::store) struct SqliteTuning {
    /// How long a statement waits for another connection's write lock before failing.
    pub busy_timeout: Duration,
    /// Statements kept prepared per connection.
    pub statement_cache_capacity: usize,
}

impl Default for SqliteTuning {
    /// Room for every statement the store runs and the per-size variants of `IN (...)` lists.
    fn default() -> Self {
        SqliteTuning {
            busy_timeout: Duration::from_secs(5),
            statement_cache_capacity: 256,
        }
    }
}

/// A pool of connections to one SQLite file.
#[derive(Clone)]
pub(in crate::store) struct SqlitePool {
    shared: Arc<Shared>,
}

struct Shared {
    path: PathBuf,
    tuning: SqliteTuning,
    idle: Mutex<Vec<Connection>>,
    permits: Arc<Semaphore>,
    max_connections: u32,
    acquire_timeout: Duration,
}

impl std::fmt::Debug for SqlitePool {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("SqlitePool")
            .field("path", &self.shared.path)
            .field("max_connections", &self.shared.max_connections)
            .finish()
    }
}

impl SqlitePool {
    /// A pool over the file a `sqlite://PATH` URL names, created (private to the user) when
    /// missing; opens one connection to prove the file usable.
    pub(in crate::store) async fn open(
        url: &str,
        max_connections: u32,
        acquire_timeout: Duration,
        tuning: SqliteTuning,
    ) -> Result<Self, StoreError> {
        let path = SqliteConnectOptions::from_str(url)?
            .get_filename()
            .to_path_buf();
        kensho_kit::private_fs::create_private_file_if_missing(&path).map_err(|source| {
            StoreError::DataDirectory {
                path: path.display().to_string(),
                source,
            }
        })?;
        let max_connections = max_connections.max(1);
        let pool = SqlitePool {
            shared: Arc::new(Shared {
                path,
                tuning,
                idle: Mutex::new(Vec::new()),
                permits: Arc::new(Semaphore::new(max_connections as usize)),
                max_connections,
                acquire_timeout,
            }),
        };
        drop(pool.acquire().await?);
        Ok(pool)
    }

    /// A connection of the pool, opening one when none is idle; waits at most the acquire
    /// timeout for one to be free.
    pub(in crate::store) async fn acquire(&self) -> Result<PooledConnection, StoreError> {
        let permit = tokio::time::timeout(
            self.shared.acquire_timeout,
            Arc::clone(&self.shared.permits).acquire_owned(),
        )
        .await
        .map_err(|_| StoreError::PoolTimedOut)?
        .map_err(|_| StoreError::PoolClosed)?;
        let idle = self.shared.idle_connections().pop();
        let connection = match idle {
            Some(connection) => connection,
            None => {
                let path = self.shared.path.clone();
                let tuning = self.shared.tuning;
                tokio::task::spawn_blocking(move || open_connection(&path, tuning))
                    .await
                    .map_err(|_| StoreError::WorkerLost)??
            }
        };
        Ok(PooledConnection {
            connection: Some(connection),
            shared: Arc::clone(&self.shared),
            _permit: permit,
        })
    }

    /// Open and idle connections now.
    pub(in crate::store) fn state(&self) -> PoolState {
        let max = self.shared.max_connections;
        let in_use = max.saturating_sub(self.shared.permits.available_permits() as u32);
        let idle = self.shared.idle_connections().len() as u32;
        PoolState {
            open: in_use + idle,
            idle,
            max,
        }
    }

    /// Closes the idle connections and refuses new acquisitions.
    pub(in crate::store) fn close(&self) {
        self.shared.permits.close();
        self.shared.idle_connections().clear();
    }
}

impl Shared {
    fn idle_connections(&self) -> std::sync::MutexGuard<'_, Vec<Connection>> {
        // The list stays consistent even if a holder panicked: it is only pushed to and popped.
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// WAL lets readers run during an import; `synchronous = NORMAL` is durable across application
/// crashes, which is what WAL needs.
fn open_connection(path: &std::path::Path, tuning: SqliteTuning) -> Result<Connection, StoreError> {
    let connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    connection.busy_timeout(tuning.busy_timeout)?;
    connection.set_prepared_statement_cache_capacity(tuning.statement_cache_capacity);
    connection.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
    connection.execute_batch(
        "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
         PRAGMA temp_store = MEMORY; PRAGMA cache_size = -32768;",
    )?;
    Ok(connection)
}

/// A connection lent by the pool; back to the pool when dropped, an open transaction rolled back.
pub(in crate::store) struct PooledConnection {
    connection: Option<Connection>,
    shared: Arc<Shared>,
    _permit: OwnedSemaphorePermit,
}

impl PooledConnection {
    /// Runs `work` with the connection on a blocking thread.
    pub(in crate::store) async fn run<R, W>(&mut self, work: W) -> Result<R, StoreError>
    where
        R: Send + 'static,
        W: FnOnce(&mut Connection) -> R + Send + 'static,
    {
        let mut connection = self.connection.take().ok_or(StoreError::WorkerLost)?;
        let (connection, result) = tokio::task::spawn_blocking(move || {
            let result = work(&mut connection);
            (connection, result)
        })
        .await
        // A panicking statement loses its connection; the pool opens another.
        .map_err(|_| StoreError::WorkerLost)?;
        self.connection = Some(connection);
        Ok(result)
    }
}

impl Drop for PooledConnection {
    fn drop(&mut self) {
        let Some(connection) = self.connection.take() else {
            return;
        };
        if !connection.is_autocommit() && connection.execute_batch("ROLLBACK").is_err() {
            // A connection that cannot leave its transaction is not reused.
            return;
        }
        if !self.shared.permits.is_closed() {
            self.shared.idle_connections().push(connection);
        }
    }
}

impl ToSql for Param {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Param::Integer(Some(number)) => ToSqlOutput::Borrowed(ValueRef::Integer(*number)),
            Param::Real(Some(number)) => ToSqlOutput::Borrowed(ValueRef::Real(*number)),
            Param::Text(Some(text)) => ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes())),
            Param::Integer(None) | Param::Real(None) | Param::Text(None) => {
                ToSqlOutput::Borrowed(ValueRef::Null)
            }
        })
    }
}

/// Binds `$N` to the query's N-th value. SQLite numbers named placeholders in order of first
/// appearance, so `$2` before `$1` must be bound by name, not by position.
fn bind(statement: &mut rusqlite::CachedStatement<'_>, query: &Query) -> Result<(), StoreError> {
    for index in 1..=statement.parameter_count() {
        let number = statement
            .parameter_name(index)
            .and_then(|name| name.strip_prefix('$'))
            .and_then(|number| number.parse::<usize>().ok())
            .unwrap_or(index);
        let value =
            query
                .params
                .get(number.wrapping_sub(1))
                .ok_or(StoreError::MissingParameter {
                    summary: query.summary,
                    number,
                })?;
        statement.raw_bind_parameter(index, value)?;
    }
    Ok(())
}

/// Every row of `query`, read on this thread.
pub(super) fn fetch(connection: &mut Connection, query: &Query) -> Result<Vec<Row>, StoreError> {
    let mut statement = connection.prepare_cached(&query.sql)?;
    bind(&mut statement, query)?;
    let columns: Arc<[String]> = statement
        .column_names()
        .into_iter()
        .map(str::to_owned)
        .collect();
    let width = columns.len();
    let mut rows = statement.raw_query();
    let mut read = Vec::new();
    while let Some(row) = rows.next()? {
        let mut values = Vec::with_capacity(width);
        for index in 0..width {
            values.push(match row.get_ref(index)? {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(number) => Value::Integer(number),
                ValueRef::Real(number) => Value::Real(number),
                ValueRef::Text(text) => Value::Text(String::from_utf8_lossy(text).into_owned()),
                ValueRef::Blob(bytes) => Value::Blob(bytes.to_vec()),
            });
        }
        read.push(Row::new(Arc::clone(&columns), values));
    }
    Ok(read)
}

/// Runs `query`; returns the rows it changed.
pub(super) fn execute(connection: &mut Connection, query: &Query) -> Result<u64, StoreError> {
    let mut statement = connection.prepare_cached(&query.sql)?;
    bind(&mut statement, query)?;
    Ok(statement.raw_execute()? as u64)
}
