//! Test-only helpers: throwaway PostgreSQL databases, temporary data directories, log capture,
//! access tokens signed as auth-svc signs them,
//! the Crunchyroll simulator as tests use it (demo accounts, fast retries, fault plans), internal
//! credentials and the channels that present them, a test OTLP trace receiver, running a catalog
//! sync to completion, Redis servers of a test's own, and pinned Python tools.
//!
//! PostgreSQL comes from `KENSHO_TEST_DATABASE_URL` (default: the local server). Every test gets
//! its own database, created here and dropped when the handle drops, so runs never collide.
#![forbid(unsafe_code)]

pub mod internal;
pub mod logs;
pub mod otlp;
pub mod python_tools;
pub mod redis_server;
pub mod simulator;
pub mod tls;
pub mod tokens;
pub mod wait;

use std::path::{Path, PathBuf};

use sqlx::{Connection, Executor, PgConnection};

pub use internal::{grpc_channel, test_internal_settings};
pub use redis_server::PrivateRedis;
pub use simulator::{FREE, PREMIUM, TestSimulator};

/// Environment variable naming the PostgreSQL server tests use (any database on it).
pub const TEST_DATABASE_URL_ENV: &str = "KENSHO_TEST_DATABASE_URL";
/// Default PostgreSQL server for tests.
pub const DEFAULT_TEST_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/test";
/// Environment variable naming the Redis server tests use.
pub const TEST_REDIS_URL_ENV: &str = "KENSHO_TEST_REDIS_URL";
/// Default Redis server for tests.
pub const DEFAULT_TEST_REDIS_URL: &str = "redis://127.0.0.1:6379";

/// The PostgreSQL server URL tests use.
pub fn test_database_url() -> String {
    std::env::var(TEST_DATABASE_URL_ENV).unwrap_or_else(|_| DEFAULT_TEST_DATABASE_URL.to_owned())
}

/// The Redis server URL tests use.
pub fn test_redis_url() -> String {
    std::env::var(TEST_REDIS_URL_ENV).unwrap_or_else(|_| DEFAULT_TEST_REDIS_URL.to_owned())
}

/// A fresh PostgreSQL database, dropped with the handle.
#[derive(Debug)]
pub struct TestPostgres {
    server_url: String,
    name: String,
    url: String,
}

impl TestPostgres {
    /// Creates an empty database with a unique name on the test server.
    ///
    /// # Panics
    /// When the server cannot be reached: the message says how to provide one.
    pub async fn create() -> Self {
        let server_url = test_database_url();
        let name = format!("kensho_test_{}", uuid::Uuid::new_v4().simple());
        let mut connection = PgConnection::connect(&server_url)
            .await
            .unwrap_or_else(|error| {
                panic!(
                    "cannot reach PostgreSQL at {server_url} ({error}); start it or set \
                 {TEST_DATABASE_URL_ENV} to a server where the user may create databases"
                )
            });
        connection
            .execute(sqlx::AssertSqlSafe(format!(r#"CREATE DATABASE "{name}""#)))
            .await
            .expect("create the test database");
        let url = replace_database(&server_url, &name);
        TestPostgres {
            server_url,
            name,
            url,
        }
    }

    /// The URL of the new database.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        let server_url = self.server_url.clone();
        let name = self.name.clone();
        // Drop runs inside the test's runtime, which cannot block on itself: use a thread.
        let dropper = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async move {
                let mut connection = PgConnection::connect(&server_url).await?;
                connection
                    .execute(sqlx::AssertSqlSafe(format!(
                        r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#
                    )))
                    .await?;
                Ok::<_, sqlx::Error>(())
            })?;
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
        });
        if let Ok(Err(error)) = dropper.join() {
            eprintln!(
                "warning: could not drop test database {}: {error}",
                self.name
            );
        }
    }
}

fn replace_database(server_url: &str, database: &str) -> String {
    let (without_query, query) = match server_url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (server_url, None),
    };
    let base = match without_query.rsplit_once('/') {
        Some((authority, _)) if authority.contains("://") && !authority.ends_with('/') => authority,
        _ => without_query,
    };
    match query {
        Some(query) => format!("{base}/{database}?{query}"),
        None => format!("{base}/{database}"),
    }
}

/// A temporary directory, removed with the handle.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    /// Creates an empty directory under the system's temporary directory.
    pub fn new() -> Self {
        let path =
            std::env::temp_dir().join(format!("kensho-test-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&path).expect("create a temporary directory");
        TempDir(path)
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Default for TempDir {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Starts a Crunchyroll sync through catalog-svc's admin service and waits (bounded, polling
/// its status) until that run completes.
///
/// # Panics
/// When the sync cannot start, fails, or runs longer than two minutes.
pub async fn run_catalog_sync(
    admin: &mut kensho_proto::catalog::v1::catalog_admin_service_client::CatalogAdminServiceClient<
        kensho_kit::grpc::GrpcChannel,
    >,
) {
    use kensho_proto::catalog::v1::{GetSyncStatusRequest, StartSyncRequest};
    let started = admin
        .start_sync(StartSyncRequest {})
        .await
        .expect("the sync starts")
        .into_inner();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let status = admin
            .get_sync_status(GetSyncStatusRequest {})
            .await
            .expect("the sync status answers")
            .into_inner();
        if status.run_id == started.run_id && status.status != "running" {
            assert_eq!(status.status, "completed", "{status:?}");
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the sync did not finish: {status:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Characters a query or form value keeps as they are: RFC 3986's unreserved set.
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes a query or form value (everything but RFC 3986's unreserved characters).
pub fn encode_query_value(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, QUERY_VALUE).to_string()
}

/// Sends logs to the test harness's captured output, once per test binary; `RUST_LOG` filters.
pub fn init_test_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_test_writer()
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_keep_only_unreserved_characters() {
        assert_eq!(encode_query_value("spy x famly"), "spy%20x%20famly");
        assert_eq!(encode_query_value("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(encode_query_value("Pokémon&x=1"), "Pok%C3%A9mon%26x%3D1");
    }

    #[test]
    fn the_database_name_is_replaced_and_the_query_kept() {
        assert_eq!(
            replace_database("postgres://postgres@127.0.0.1:5432/test", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            replace_database("postgres://u:p@h/test?sslmode=disable", "x"),
            "postgres://u:p@h/x?sslmode=disable"
        );
        assert_eq!(
            replace_database("postgres://h:5432", "x"),
            "postgres://h:5432/x"
        );
    }
}
