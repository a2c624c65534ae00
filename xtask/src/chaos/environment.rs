//! What the chaos experiments run against: an all-in-one whose catalog lives in a throwaway
//! PostgreSQL database of its own and whose L2 cache is a private Redis on a free port (never
//! the machine's shared 6379), so that both can be faulted without touching anyone else's.

use std::path::Path;

use anyhow::Context;
use sqlx::Connection;

use crate::all_in_one::{AllInOne, LoadAccount};
use crate::private_redis::{PrivateRedis, RedisProgram};

/// The PostgreSQL server the throwaway database is created on, unless
/// `KENSHO_TEST_DATABASE_URL` names another.
const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// The all-in-one and the servers it depends on.
pub struct Environment {
    pub all_in_one: AllInOne,
    pub redis: PrivateRedis,
    pub redis_program: RedisProgram,
    pub database: ThrowawayDatabase,
}

impl Environment {
    /// Starts Redis, creates the database, and starts `binary` on both.
    pub async fn start(
        binary: &Path,
        accounts: &[LoadAccount],
        log: &Path,
    ) -> anyhow::Result<Self> {
        let redis_program = RedisProgram::discover()
            .context("redis-server is not installed (Debian: apt-get install redis-server)")?;
        let redis = PrivateRedis::start(&redis_program)?;
        let database = ThrowawayDatabase::create().await?;
        let extra_config = format!(
            "[catalog.database]\nurl = {}\n\n[catalog.cache.redis]\nenabled = true\nurl = {}\n",
            serde_json::Value::from(database.url.as_str()),
            serde_json::Value::from(redis.url()),
        );
        let binary = binary.to_owned();
        let accounts = accounts.to_vec();
        let log = log.to_owned();
        let all_in_one = tokio::task::spawn_blocking(move || {
            AllInOne::start_with(&binary, &accounts, None, &log, &extra_config)
        })
        .await??;
        Ok(Environment {
            all_in_one,
            redis,
            redis_program,
            database,
        })
    }

    /// Stops the all-in-one, then Redis, then drops the database.
    pub async fn stop(self) -> anyhow::Result<()> {
        let Environment {
            mut all_in_one,
            redis,
            database,
            ..
        } = self;
        let all_in_one = tokio::task::spawn_blocking(move || all_in_one.stop()).await?;
        let redis = redis.stop();
        let database = database.drop_database().await;
        all_in_one.and(redis).and(database)
    }
}

/// A database created for one run and dropped after it.
pub struct ThrowawayDatabase {
    /// The server's maintenance database, where `CREATE` and `DROP DATABASE` run.
    server_url: String,
    name: String,
    /// The database's own URL (a secret in general; here it has no password).
    pub url: String,
}

impl ThrowawayDatabase {
    async fn create() -> anyhow::Result<Self> {
        let server_url = std::env::var("KENSHO_TEST_DATABASE_URL")
            .unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned());
        let name = format!("kensho_chaos_{}", fastrand::u64(..));
        let mut connection = sqlx::PgConnection::connect(&server_url)
            .await
            .context("cannot connect to PostgreSQL (KENSHO_TEST_DATABASE_URL)")?;
        // The name is ours, made of letters, digits and underscores.
        sqlx::query(sqlx::AssertSqlSafe(format!(r#"CREATE DATABASE "{name}""#)))
            .execute(&mut connection)
            .await
            .with_context(|| format!("cannot create the database {name}"))?;
        let url = match server_url.rsplit_once('/') {
            Some((server, _database)) => format!("{server}/{name}"),
            None => format!("{server_url}/{name}"),
        };
        Ok(ThrowawayDatabase {
            server_url,
            name,
            url,
        })
    }

    /// Terminates every connection to the database but this one; returns how many there were.
    pub async fn terminate_connections(&self) -> anyhow::Result<u64> {
        let mut connection = sqlx::PgConnection::connect(&self.server_url).await?;
        let terminated = sqlx::query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = $1 AND pid <> pg_backend_pid()",
        )
        .bind(&self.name)
        .execute(&mut connection)
        .await?;
        Ok(terminated.rows_affected())
    }

    async fn drop_database(&self) -> anyhow::Result<()> {
        let mut connection = sqlx::PgConnection::connect(&self.server_url).await?;
        let statement = format!(r#"DROP DATABASE IF EXISTS "{}" WITH (FORCE)"#, self.name);
        sqlx::query(sqlx::AssertSqlSafe(statement))
            .execute(&mut connection)
            .await
            .with_context(|| format!("cannot drop the database {}", self.name))?;
        Ok(())
    }
}
