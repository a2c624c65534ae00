//! PostgreSQL through sqlx: connecting, binding [`Param`]s, and reading rows into [`Row`]s.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use kensho_telemetry::database::DatabaseTarget;
use sqlx::any::{AnyPoolOptions, AnyRow, AnyTypeInfoKind};
use sqlx::postgres::PgConnectOptions;
use sqlx::{AnyPool, AssertSqlSafe, Column, Executor, Row as _, ValueRef as _};
use tracing::Instrument;

use super::value::{Row, Value};
use super::{Param, Query, StoreError};

/// Connects with custom plans for every statement: the driver prepares statements, and a generic
/// plan is made without the parameters' values, so it can miss an index a value allows (a prefix
/// pattern, a recent `updated_at_ms`).
pub(super) async fn connect(
    url: &str,
    max_connections: u32,
    acquire_timeout: Duration,
) -> Result<(AnyPool, DatabaseTarget), StoreError> {
    sqlx::any::install_default_drivers();
    let options = PgConnectOptions::from_str(url)?;
    let target = DatabaseTarget::postgresql(options.get_host(), options.get_port());
    let pool = AnyPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(acquire_timeout)
        .after_connect(|connection, _metadata| {
            Box::pin(async move {
                connection
                    .execute("SET plan_cache_mode = force_custom_plan")
                    .await?;
                Ok(())
            })
        })
        .connect(url)
        .await?;
    Ok((pool, target))
}

fn prepared(query: Query) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments> {
    let mut prepared = sqlx::query(AssertSqlSafe(query.sql.into_owned()));
    for param in query.params {
        prepared = match param {
            Param::Integer(number) => prepared.bind(number),
            Param::Real(number) => prepared.bind(number),
            Param::Text(text) => prepared.bind(text),
        };
    }
    prepared
}

/// Every row of `query`.
pub(super) async fn fetch_all<'c, E>(
    executor: E,
    query: Query,
    span: tracing::Span,
) -> Result<Vec<Row>, StoreError>
where
    E: Executor<'c, Database = sqlx::Any>,
{
    let rows = prepared(query).fetch_all(executor).instrument(span).await?;
    let Some(first) = rows.first() else {
        return Ok(Vec::new());
    };
    let columns: Arc<[String]> = first
        .columns()
        .iter()
        .map(|column| column.name().to_owned())
        .collect();
    rows.iter()
        .map(|row| Ok(Row::new(Arc::clone(&columns), values(row)?)))
        .collect()
}

/// Runs `query`; returns the rows it changed.
pub(super) async fn execute<'c, E>(
    executor: E,
    query: Query,
    span: tracing::Span,
) -> Result<u64, StoreError>
where
    E: Executor<'c, Database = sqlx::Any>,
{
    Ok(prepared(query)
        .execute(executor)
        .instrument(span)
        .await?
        .rows_affected())
}

/// A row's values, each decoded by the type the server sent.
fn values(row: &AnyRow) -> Result<Vec<Value>, StoreError> {
    (0..row.columns().len())
        .map(|index| {
            let raw = row.try_get_raw(index)?;
            if raw.is_null() {
                return Ok(Value::Null);
            }
            let kind = raw.type_info().kind();
            Ok(match kind {
                AnyTypeInfoKind::Null => Value::Null,
                AnyTypeInfoKind::Bool => Value::Integer(i64::from(row.try_get::<bool, _>(index)?)),
                AnyTypeInfoKind::SmallInt => {
                    Value::Integer(i64::from(row.try_get::<i16, _>(index)?))
                }
                AnyTypeInfoKind::Integer => {
                    Value::Integer(i64::from(row.try_get::<i32, _>(index)?))
                }
                AnyTypeInfoKind::BigInt => Value::Integer(row.try_get::<i64, _>(index)?),
                AnyTypeInfoKind::Real => Value::Real(f64::from(row.try_get::<f32, _>(index)?)),
                AnyTypeInfoKind::Double => Value::Real(row.try_get::<f64, _>(index)?),
                AnyTypeInfoKind::Text => Value::Text(row.try_get::<String, _>(index)?),
                AnyTypeInfoKind::Blob => Value::Blob(row.try_get::<Vec<u8>, _>(index)?),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use kensho_test_support::TestPostgres;

    use super::super::{Database, Query};
    use super::connect;

    static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate::Migrator::DEFAULT;

    #[tokio::test]
    async fn a_read_whose_connection_is_terminated_under_it_is_retried_on_another() {
        let database = TestPostgres::create().await;
        let store = Database::postgres(database.url(), 2, Duration::from_secs(5), &MIGRATIONS)
            .await
            .expect("connect");
        let (killer, _) = connect(database.url(), 1, Duration::from_secs(5))
            .await
            .expect("a connection of the test's own");
        // A marker in the SQL lets the test find the read among the server's backends.
        let slow_read = Query::new(
            "SELECT marker",
            "SELECT 'retry-marker' AS marker, pg_sleep(0.3) IS NULL AS slept",
            Vec::new(),
        );
        let reading = tokio::spawn({
            let store = store.clone();
            async move { store.fetch_all(slow_read).await }
        });
        let terminated = tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                let killed: Vec<bool> = sqlx::query_scalar(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                     WHERE state = 'active' AND query LIKE '%retry-marker%' \
                     AND pid <> pg_backend_pid()",
                )
                .fetch_all(&killer)
                .await
                .expect("look for the read");
                if killed.contains(&true) {
                    return;
                }
                tokio::task::yield_now().await;
            }
        })
        .await;
        assert!(
            terminated.is_ok(),
            "the read was seen running and terminated"
        );

        let rows = reading
            .await
            .expect("the read task")
            .expect("the read is retried");
        assert_eq!(rows.len(), 1);
        assert_eq!(
            rows[0].try_get::<String>("marker").expect("marker"),
            "retry-marker"
        );
    }
}
