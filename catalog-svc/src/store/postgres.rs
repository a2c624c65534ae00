//! What only the PostgreSQL backend does: its connection settings and its migrations.

use std::str::FromStr;

use kensho_telemetry::database::DatabaseTarget;
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::postgres::PgConnectOptions;
use sqlx::{AnyPool, Executor};

use super::StoreError;

/// Connects with custom plans for every statement: the driver prepares statements, and a generic
/// plan is made without the parameters' values, so it can miss an index a value allows (a prefix
/// pattern, a recent `updated_at_ms`).
pub(super) async fn connect(url: &str, options: AnyPoolOptions) -> Result<AnyPool, StoreError> {
    let pool = options
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
    Ok(pool)
}

/// The server a PostgreSQL URL names, for statement spans (the URL's credentials stay out).
pub(super) fn target(url: &str) -> Result<DatabaseTarget, StoreError> {
    let options = PgConnectOptions::from_str(url)?;
    Ok(DatabaseTarget::postgresql(
        options.get_host(),
        options.get_port(),
    ))
}

/// The PostgreSQL schema.
pub(super) static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");
