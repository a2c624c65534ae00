//! The one way the store talks to its database: [`Database`] runs a [`Query`] (SQL with `$N`
//! placeholders and typed [`Param`]s) and returns owned [`Row`]s, on either backend, so every
//! statement is written once and its span is made here.
//!
//! SQLite runs on rusqlite over a small pool of connections, each statement on a blocking
//! thread with the whole result read there: one hand-off per statement (or per group of
//! statements, [`Database::fetch_with_children`]) instead of one per row. PostgreSQL stays on sqlx.

mod postgres;
mod sqlite;
mod sqlite_migrate;
mod value;

use std::borrow::Cow;
use std::time::Duration;

use kensho_telemetry::database::DatabaseTarget;
use tracing::Instrument;

pub(super) use value::{Param, Row, params};

use super::StoreError;
pub(super) use sqlite::{SqlitePool, SqliteTuning};

/// One statement: its span name (`SELECT anime`), its SQL and its placeholders' values.
#[derive(Clone, Debug)]
pub(super) struct Query {
    /// Operation and table, the statement span's name.
    pub summary: &'static str,
    /// The SQL, placeholders numbered `$1`, `$2`, ...
    pub sql: Cow<'static, str>,
    /// The values of `$1`, `$2`, ...
    pub params: Vec<Param>,
}

impl Query {
    /// A statement named `summary` in its span.
    pub(super) fn new(
        summary: &'static str,
        sql: impl Into<Cow<'static, str>>,
        params: Vec<Param>,
    ) -> Self {
        Query {
            summary,
            sql: sql.into(),
            params,
        }
    }
}

/// Pool sizes, for the pool gauges.
pub(super) struct PoolState {
    pub open: u32,
    pub idle: u32,
    pub max: u32,
}

/// A database of either backend.
#[derive(Clone, Debug)]
pub(super) struct Database {
    pool: Pool,
    /// What every statement span says about the database.
    target: DatabaseTarget,
}

#[derive(Clone, Debug)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(sqlx::AnyPool),
}

impl Database {
    /// Opens (creating when missing) the SQLite file at `url` and applies `migrations`.
    pub(super) async fn sqlite(
        url: &str,
        max_connections: u32,
        acquire_timeout: Duration,
        tuning: SqliteTuning,
        migrations: &'static sqlx::migrate::Migrator,
    ) -> Result<Self, StoreError> {
        let pool = SqlitePool::open(url, max_connections, acquire_timeout, tuning).await?;
        let mut connection = pool.acquire().await?;
        connection
            .run(move |connection| sqlite_migrate::apply(connection, migrations))
            .await??;
        Ok(Database {
            pool: Pool::Sqlite(pool),
            target: DatabaseTarget::sqlite(),
        })
    }

    /// Connects to the PostgreSQL server at `url` and applies `migrations`.
    pub(super) async fn postgres(
        url: &str,
        max_connections: u32,
        acquire_timeout: Duration,
        migrations: &'static sqlx::migrate::Migrator,
    ) -> Result<Self, StoreError> {
        let (pool, target) = postgres::connect(url, max_connections, acquire_timeout).await?;
        migrations.run(&pool).await?;
        Ok(Database {
            pool: Pool::Postgres(pool),
            target,
        })
    }

    /// Every row `query` returns.
    pub(super) async fn fetch_all(&self, query: Query) -> Result<Vec<Row>, StoreError> {
        let span = self.target.statement_span(query.summary, &query.sql);
        match &self.pool {
            Pool::Sqlite(pool) => {
                let mut connection = pool.acquire().await?;
                connection
                    .run(move |connection| span.in_scope(|| sqlite::fetch(connection, &query)))
                    .await?
            }
            Pool::Postgres(pool) => {
                match postgres::fetch_all(pool, query.clone(), span.clone()).await {
                    // A read is safe to repeat: a connection terminated under it (a server
                    // restart, a failover, `pg_terminate_backend`) gets one more try on another.
                    Err(error) if error.is_lost_connection() => {
                        tracing::warn!(%error, "database connection lost during a read; retrying once");
                        postgres::fetch_all(pool, query, span).await
                    }
                    answer => answer,
                }
            }
        }
    }

    /// The first row `query` returns, if any.
    pub(super) async fn fetch_optional(&self, query: Query) -> Result<Option<Row>, StoreError> {
        Ok(self.fetch_all(query).await?.into_iter().next())
    }

    /// Runs a lookup and, only when it finds a row, the queries that depend on it, all on one
    /// connection (one hand-off on SQLite); returns each one's rows in order, empty for those
    /// not run.
    pub(super) async fn fetch_with_children(
        &self,
        queries: Vec<Query>,
    ) -> Result<Vec<Vec<Row>>, StoreError> {
        let count = queries.len();
        let mut results = match &self.pool {
            Pool::Sqlite(pool) => {
                let spans: Vec<_> = queries
                    .iter()
                    .map(|query| self.target.statement_span(query.summary, &query.sql))
                    .collect();
                let mut connection = pool.acquire().await?;
                connection
                    .run(move |connection| {
                        let mut results = Vec::with_capacity(queries.len());
                        for (query, span) in queries.iter().zip(spans) {
                            let rows = span.in_scope(|| sqlite::fetch(connection, query))?;
                            let found_nothing = results.is_empty() && rows.is_empty();
                            results.push(rows);
                            if found_nothing {
                                break;
                            }
                        }
                        Ok::<_, StoreError>(results)
                    })
                    .await??
            }
            Pool::Postgres(pool) => {
                let mut connection = pool.acquire().await?;
                let mut results = Vec::with_capacity(queries.len());
                for query in queries {
                    let span = self.target.statement_span(query.summary, &query.sql);
                    let rows = postgres::fetch_all(&mut *connection, query, span).await?;
                    let found_nothing = results.is_empty() && rows.is_empty();
                    results.push(rows);
                    if found_nothing {
                        break;
                    }
                }
                results
            }
        };
        results.resize_with(count, Vec::new);
        Ok(results)
    }

    /// Runs a statement that cannot be prepared (`VACUUM`, a `PRAGMA`), outside a transaction.
    pub(super) async fn execute_unprepared(
        &self,
        summary: &'static str,
        sql: &'static str,
    ) -> Result<(), StoreError> {
        let span = self.target.statement_span(summary, sql);
        match &self.pool {
            Pool::Sqlite(pool) => {
                let mut connection = pool.acquire().await?;
                connection
                    .run(move |connection| span.in_scope(|| connection.execute_batch(sql)))
                    .await??;
            }
            Pool::Postgres(pool) => {
                sqlx::raw_sql(sql).execute(pool).instrument(span).await?;
            }
        }
        Ok(())
    }

    /// Runs a statement; returns the rows it changed.
    pub(super) async fn execute(&self, query: Query) -> Result<u64, StoreError> {
        let span = self.target.statement_span(query.summary, &query.sql);
        match &self.pool {
            Pool::Sqlite(pool) => {
                let mut connection = pool.acquire().await?;
                connection
                    .run(move |connection| span.in_scope(|| sqlite::execute(connection, &query)))
                    .await?
            }
            Pool::Postgres(pool) => postgres::execute(pool, query, span).await,
        }
    }

    /// Starts a write transaction on a connection of its own.
    pub(super) async fn begin(&self) -> Result<Transaction, StoreError> {
        let connection = match &self.pool {
            Pool::Sqlite(pool) => {
                let mut connection = pool.acquire().await?;
                // IMMEDIATE takes the write lock now: a deferred transaction that reads first
                // and then writes fails at once when another writer went first.
                let span = self.target.statement_span("BEGIN", "BEGIN IMMEDIATE");
                connection
                    .run(move |connection| {
                        span.in_scope(|| connection.execute_batch("BEGIN IMMEDIATE"))
                    })
                    .await??;
                TransactionConnection::Sqlite(connection)
            }
            Pool::Postgres(pool) => TransactionConnection::Postgres(pool.begin().await?),
        };
        Ok(Transaction {
            connection,
            target: self.target.clone(),
        })
    }

    /// Runs `SELECT 1`: whether the database answers.
    pub(super) async fn ping(&self) -> Result<(), StoreError> {
        self.fetch_all(Query::new("SELECT", "SELECT 1", params![]))
            .await
            .map(drop)
    }

    /// The pool's size now.
    pub(super) fn pool_state(&self) -> PoolState {
        match &self.pool {
            Pool::Sqlite(pool) => pool.state(),
            Pool::Postgres(pool) => {
                let open = pool.size();
                PoolState {
                    open,
                    idle: u32::try_from(pool.num_idle()).unwrap_or(open),
                    max: pool.options().get_max_connections(),
                }
            }
        }
    }

    /// Closes every pooled connection.
    pub(super) async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(pool) => pool.close(),
            Pool::Postgres(pool) => pool.close().await,
        }
    }
}

/// An open write transaction: rolled back when dropped uncommitted.
pub(super) struct Transaction {
    connection: TransactionConnection,
    target: DatabaseTarget,
}

enum TransactionConnection {
    Sqlite(sqlite::PooledConnection),
    Postgres(sqlx::Transaction<'static, sqlx::Any>),
}

impl Transaction {
    /// Every row `query` returns.
    pub(super) async fn fetch_all(&mut self, query: Query) -> Result<Vec<Row>, StoreError> {
        let span = self.target.statement_span(query.summary, &query.sql);
        match &mut self.connection {
            TransactionConnection::Sqlite(connection) => {
                connection
                    .run(move |connection| span.in_scope(|| sqlite::fetch(connection, &query)))
                    .await?
            }
            TransactionConnection::Postgres(transaction) => {
                postgres::fetch_all(&mut **transaction, query, span).await
            }
        }
    }

    /// The first row `query` returns, if any.
    pub(super) async fn fetch_optional(&mut self, query: Query) -> Result<Option<Row>, StoreError> {
        Ok(self.fetch_all(query).await?.into_iter().next())
    }

    /// Runs a statement; returns the rows it changed.
    pub(super) async fn execute(&mut self, query: Query) -> Result<u64, StoreError> {
        Ok(self.execute_all(vec![query]).await?[0])
    }

    /// Runs statements in order, in one hand-off on SQLite, stopping at the first failure;
    /// returns the rows each changed.
    pub(super) async fn execute_all(
        &mut self,
        queries: Vec<Query>,
    ) -> Result<Vec<u64>, StoreError> {
        match &mut self.connection {
            TransactionConnection::Sqlite(connection) => {
                let spans: Vec<_> = queries
                    .iter()
                    .map(|query| self.target.statement_span(query.summary, &query.sql))
                    .collect();
                connection
                    .run(move |connection| {
                        queries
                            .iter()
                            .zip(spans)
                            .map(|(query, span)| {
                                span.in_scope(|| sqlite::execute(connection, query))
                            })
                            .collect()
                    })
                    .await?
            }
            TransactionConnection::Postgres(transaction) => {
                let mut changed = Vec::with_capacity(queries.len());
                for query in queries {
                    let span = self.target.statement_span(query.summary, &query.sql);
                    changed.push(postgres::execute(&mut **transaction, query, span).await?);
                }
                Ok(changed)
            }
        }
    }

    /// Commits.
    pub(super) async fn commit(self) -> Result<(), StoreError> {
        match self.connection {
            TransactionConnection::Sqlite(mut connection) => {
                let span = self.target.statement_span("COMMIT", "COMMIT");
                connection
                    .run(move |connection| span.in_scope(|| connection.execute_batch("COMMIT")))
                    .await??;
                Ok(())
            }
            TransactionConnection::Postgres(transaction) => Ok(transaction.commit().await?),
        }
    }
}
