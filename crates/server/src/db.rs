//! Database connection and schema migrations.
//!
//! Migrations are plain SQL files applied in order and recorded in `schema_migrations`, so an existing
//! database file is brought up to date on start and never migrated twice.

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::{ConnectOptions, SqlitePool};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

pub type Db = SqlitePool;

/// Ordered migrations: (version, SQL). Append only; never edit a released one.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/0001_initial.sql")),
    (2, include_str!("../migrations/0002_portal.sql")),
    (3, include_str!("../migrations/0003_preferences.sql")),
    (4, include_str!("../migrations/0004_survey_responses.sql")),
    (5, include_str!("../migrations/0005_lifecycle.sql")),
    (6, include_str!("../migrations/0006_survey_export.sql")),
];

/// Opens (creating if needed) the database, applies pending migrations and stores the privacy notices.
pub async fn open(database: &str) -> Result<Db, sqlx::Error> {
    let in_memory = database == ":memory:";
    let options = if in_memory {
        // A named shared-cache database lives as long as any connection to it. The pool replaces its
        // connection now and then (after a request cancelled mid-query, say); with a plain `:memory:`
        // that swapped in an empty database. A keeper connection, held for the life of the process,
        // keeps the data.
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let name = format!(
            "sqlite:file:rapport-{}-{}?mode=memory&cache=shared",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let options = SqliteConnectOptions::from_str(&name)?;
        std::mem::forget(options.connect().await?);
        options
    } else {
        SqliteConnectOptions::new()
            .filename(database)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
    }
    .foreign_keys(true)
    .busy_timeout(Duration::from_secs(5));
    // One connection for the in-memory database: shared-cache locks do not wait like file locks do.
    let pool = SqlitePoolOptions::new()
        .max_connections(if in_memory { 1 } else { 8 })
        .connect_with(options)
        .await?;
    migrate(&pool).await?;
    // Reference content rather than demo data: the preference page needs a notice even without a seed.
    crate::consent::ensure_notices(&pool).await?;
    Ok(pool)
}

async fn migrate(pool: &Db) -> Result<(), sqlx::Error> {
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
    )
    .execute(pool)
    .await?;
    for (version, sql) in MIGRATIONS {
        let done: Option<i64> =
            sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = ?")
                .bind(version)
                .fetch_optional(pool)
                .await?;
        if done.is_some() {
            continue;
        }
        let mut tx = pool.begin().await?;
        sqlx::raw_sql(sql).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)")
            .bind(version)
            .bind(crate::auth::now_rfc3339())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    Ok(())
}

#[cfg(test)]
mod memory_tests {
    use super::*;
    use sqlx::Connection;

    #[tokio::test]
    async fn the_in_memory_database_survives_its_pool_connection_being_replaced() {
        let pool = open(":memory:").await.unwrap();
        sqlx::query("CREATE TABLE kept (x INTEGER)")
            .execute(&pool)
            .await
            .unwrap();
        // What a request cancelled mid-query does to the pool's only connection.
        let conn = pool.acquire().await.unwrap().detach();
        conn.close().await.unwrap();
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM kept")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(n, 0);
        // Two in-memory databases in one process stay apart.
        let other = open(":memory:").await.unwrap();
        assert!(sqlx::query("SELECT * FROM kept")
            .fetch_all(&other)
            .await
            .is_err());
    }
}
