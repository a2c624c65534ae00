//! `catalog-svc migrate`, run as a real process against a fresh PostgreSQL database: what the
//! Helm chart's pre-upgrade Job runs.

use std::process::Command;

use kensho_test_support::{TempDir, TestPostgres};
use sqlx::{Connection, PgConnection};

/// Migrations shipped for PostgreSQL: every one must be applied.
fn postgres_migration_count() -> i64 {
    let directory = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres");
    let count = std::fs::read_dir(directory)
        .expect("read the migrations")
        .filter(|entry| {
            entry
                .as_ref()
                .is_ok_and(|entry| entry.path().extension().is_some_and(|ext| ext == "sql"))
        })
        .count();
    i64::try_from(count).expect("few migrations")
}

#[tokio::test]
async fn migrate_applies_every_migration_without_seeding_and_is_idempotent() {
    let database = TestPostgres::create().await;
    let data_dir = TempDir::new();
    let migrate = || {
        Command::new(env!("CARGO_BIN_EXE_catalog-svc"))
            .arg("migrate")
            .env("KENSHO_DATA_DIR", data_dir.path())
            .env("KENSHO_CATALOG__DATABASE__URL", database.url())
            .env("KENSHO_TELEMETRY__LOG_LEVEL", "error")
            .output()
            .expect("catalog-svc runs")
    };

    for attempt in ["first", "second"] {
        let output = migrate();
        assert!(
            output.status.success(),
            "{attempt} run: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    let mut connection = PgConnection::connect(database.url())
        .await
        .expect("connect to the migrated database");
    let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations WHERE success")
        .fetch_one(&mut connection)
        .await
        .expect("read the migration history");
    assert_eq!(applied, postgres_migration_count());
    let anime: i64 = sqlx::query_scalar("SELECT count(*) FROM anime")
        .fetch_one(&mut connection)
        .await
        .expect("the anime table exists");
    assert_eq!(anime, 0, "migrate must not seed the catalog");
}
