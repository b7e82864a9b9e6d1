//! Database connection and schema migrations.
//!
//! One set of queries serves SQLite (the default: a file, or `:memory:`) and PostgreSQL (a
//! `postgres://` URL), through sqlx's `Any` driver. Queries use numbered `$N` placeholders, which both
//! understand, and SQL that means the same on both; the schemas differ only where the dialects do, so
//! each has its own migration files with the same versions.
//!
//! Migrations are plain SQL files applied in order and recorded in `schema_migrations`, so an existing
//! database is brought up to date on start and never migrated twice.

use sqlx::any::{AnyArguments, AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::query::{Query, QueryAs, QueryScalar};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{
    Any, AnyConnection, AnyPool, Arguments, ConnectOptions, Connection, Encode, Executor, FromRow,
    Type,
};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};

pub type Db = AnyPool;
/// One connection of either database, as handlers and transactions hand it on.
pub type Conn = AnyConnection;

/// Ordered migrations: (version, SQLite, PostgreSQL). Append only; never edit a released one.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        include_str!("../migrations/0001_initial.sql"),
        include_str!("../migrations/postgres/0001_initial.sql"),
    ),
    (
        2,
        include_str!("../migrations/0002_portal.sql"),
        include_str!("../migrations/postgres/0002_portal.sql"),
    ),
    (
        3,
        include_str!("../migrations/0003_preferences.sql"),
        include_str!("../migrations/postgres/0003_preferences.sql"),
    ),
    (
        4,
        include_str!("../migrations/0004_survey_responses.sql"),
        include_str!("../migrations/postgres/0004_survey_responses.sql"),
    ),
    (
        5,
        include_str!("../migrations/0005_lifecycle.sql"),
        include_str!("../migrations/postgres/0005_lifecycle.sql"),
    ),
    (
        6,
        include_str!("../migrations/0006_survey_export.sql"),
        include_str!("../migrations/postgres/0006_survey_export.sql"),
    ),
    (
        7,
        include_str!("../migrations/0007_consent_chain.sql"),
        include_str!("../migrations/postgres/0007_consent_chain.sql"),
    ),
    (
        8,
        include_str!("../migrations/0008_sessions.sql"),
        include_str!("../migrations/postgres/0008_sessions.sql"),
    ),
    (
        9,
        include_str!("../migrations/0009_survey_source.sql"),
        include_str!("../migrations/postgres/0009_survey_source.sql"),
    ),
    (
        10,
        include_str!("../migrations/0010_limits.sql"),
        include_str!("../migrations/postgres/0010_limits.sql"),
    ),
    (
        11,
        include_str!("../migrations/0011_outbox.sql"),
        include_str!("../migrations/postgres/0011_outbox.sql"),
    ),
    (
        12,
        include_str!("../migrations/0012_access_log.sql"),
        include_str!("../migrations/postgres/0012_access_log.sql"),
    ),
    (
        13,
        include_str!("../migrations/0013_erasure.sql"),
        include_str!("../migrations/postgres/0013_erasure.sql"),
    ),
    (
        14,
        include_str!("../migrations/0014_access_links.sql"),
        include_str!("../migrations/postgres/0014_access_links.sql"),
    ),
];

/// Whether a database setting names a PostgreSQL server rather than a SQLite file.
pub fn is_postgres_url(database: &str) -> bool {
    database.starts_with("postgres://") || database.starts_with("postgresql://")
}

/// Whether this connection talks to PostgreSQL (the few statements that differ ask this).
pub fn is_postgres(conn: &Conn) -> bool {
    conn.backend_name() == "PostgreSQL"
}

/// Makes concurrent transactions about one customer take turns from here to their end. SQLite already
/// lets one writer at a time in, from its first write; PostgreSQL needs the customer's row locked.
pub async fn lock_customer(conn: &mut Conn, customer_id: i64) -> Result<(), sqlx::Error> {
    if is_postgres(conn) {
        sqlx::query("SELECT id FROM customers WHERE id = $1 FOR UPDATE")
            .bind(customer_id)
            .fetch_optional(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The database setting fit for a log line: a URL's password is replaced by `***`.
pub fn describe(database: &str) -> String {
    let Some((scheme, rest)) = database.split_once("://") else {
        return database.to_owned();
    };
    // The user information ends at the last `@` before the host's path.
    let authority = rest.split('/').next().unwrap_or(rest);
    match authority.rsplit_once('@') {
        Some((user_info, host)) if user_info.contains(':') => {
            let user = user_info.split(':').next().unwrap_or_default();
            let tail = &rest[authority.len()..];
            format!("{scheme}://{user}:***@{host}{tail}")
        }
        _ => database.to_owned(),
    }
}

/// Opens (creating if needed) the database, applies pending migrations and stores the privacy notices.
/// `database` is a `postgres://` URL, `:memory:`, or the path of a SQLite file.
pub async fn open(database: &str) -> Result<Db, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let in_memory = database == ":memory:";
    let options = if is_postgres_url(database) {
        AnyConnectOptions::from_str(database)?
    } else if in_memory {
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
        let options = AnyConnectOptions::from_str(&name)?;
        std::mem::forget(AnyConnection::connect_with(&options).await?);
        options
    } else {
        // The SQLite driver's own options spell the file name as a URL (escaping included).
        let url = SqliteConnectOptions::new()
            .filename(database)
            .create_if_missing(true)
            .to_url_lossy();
        AnyConnectOptions::from_url(&url)?
    };
    let pool = AnyPoolOptions::new()
        // One connection for the in-memory database: shared-cache locks do not wait like file locks do.
        .max_connections(if in_memory { 1 } else { 8 })
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if !is_postgres(conn) {
                    // Settings the URL cannot carry. The Any driver's SQLite defaults already enforce
                    // foreign keys; asking again costs nothing and makes it explicit.
                    let journal = if in_memory {
                        ""
                    } else {
                        "PRAGMA journal_mode = WAL;"
                    };
                    conn.execute(
                        format!("{journal} PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;")
                            .as_str(),
                    )
                    .await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await?;
    migrate(&pool).await?;
    // Reference content rather than demo data: the preference page needs a notice even without a seed.
    crate::notices::ensure_notices(&pool).await?;
    Ok(pool)
}

/// Builds a statement with bound values, numbering its placeholders `$1, $2, …` so the same text runs
/// on SQLite and PostgreSQL (sqlx's own builder writes `?` for the `Any` driver, which PostgreSQL
/// rejects).
pub struct QueryBuilder<'args> {
    sql: String,
    args: Option<AnyArguments<'args>>,
    count: usize,
}

impl<'args> QueryBuilder<'args> {
    pub fn new(sql: impl Into<String>) -> Self {
        Self {
            sql: sql.into(),
            args: Some(AnyArguments::default()),
            count: 0,
        }
    }

    /// Appends SQL text as it is.
    pub fn push(&mut self, sql: impl std::fmt::Display) -> &mut Self {
        use std::fmt::Write;
        let _ = write!(self.sql, "{sql}");
        self
    }

    /// Appends a placeholder for `value`.
    pub fn push_bind<T>(&mut self, value: T) -> &mut Self
    where
        T: 'args + Encode<'args, Any> + Type<Any>,
    {
        if let Some(args) = &mut self.args {
            // Encoding into the Any driver's buffer only records the value; it cannot fail for the
            // plain types used here, and a failure would surface as a wrong argument count anyway.
            let _ = args.add(value);
        }
        self.count += 1;
        let n = self.count;
        self.push(format_args!("${n}"))
    }

    /// Appends `$a, $b, …`, one placeholder per value (for `IN (…)`).
    pub fn push_bind_list<T, I>(&mut self, values: I) -> &mut Self
    where
        I: IntoIterator<Item = T>,
        T: 'args + Encode<'args, Any> + Type<Any>,
    {
        for (n, value) in values.into_iter().enumerate() {
            if n > 0 {
                self.push(", ");
            }
            self.push_bind(value);
        }
        self
    }

    /// The statement, for running without reading rows. The bound values move into it: build once.
    pub fn build<'q>(&'q mut self) -> Query<'q, Any, AnyArguments<'q>>
    where
        'args: 'q,
    {
        sqlx::query_with(&self.sql, self.args.take().unwrap_or_default())
    }

    /// The statement, for rows decoded as `T`. The bound values move into it: build once.
    pub fn build_query_as<'q, T>(&'q mut self) -> QueryAs<'q, Any, T, AnyArguments<'q>>
    where
        T: for<'r> FromRow<'r, AnyRow>,
        'args: 'q,
    {
        sqlx::query_as_with(&self.sql, self.args.take().unwrap_or_default())
    }

    /// The statement, for a single value per row.
    pub fn build_query_scalar<'q, T>(&'q mut self) -> QueryScalar<'q, Any, T, AnyArguments<'q>>
    where
        (T,): for<'r> FromRow<'r, AnyRow>,
        'args: 'q,
    {
        sqlx::query_scalar_with(&self.sql, self.args.take().unwrap_or_default())
    }
}

async fn migrate(pool: &Db) -> Result<(), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let postgres = is_postgres(&conn);
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
    )
    .execute(&mut *conn)
    .await?;
    for (version, sqlite, postgres_sql) in MIGRATIONS {
        let mut tx = conn.begin().await?;
        if postgres {
            // Two servers starting at once on an empty database: the second waits here, then finds the
            // migration done, instead of failing halfway through it.
            sqlx::query("LOCK TABLE schema_migrations IN EXCLUSIVE MODE")
                .execute(&mut *tx)
                .await?;
        }
        let done: Option<i64> =
            sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
                .bind(version)
                .fetch_optional(&mut *tx)
                .await?;
        if done.is_some() {
            continue;
        }
        let sql = if postgres { postgres_sql } else { sqlite };
        sqlx::raw_sql(sql).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)")
            .bind(version)
            .bind(crate::clock::now_rfc3339())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    canonical_emails(&mut conn).await
}

/// Version recorded once stored e-mail addresses are in their canonical form (`email::canonical`); a
/// data step in Rust, numbered apart from the SQL migrations.
const CANONICAL_EMAILS: i64 = 1001;

/// Rewrites stored e-mail addresses into their canonical form, once. A row whose canonical form
/// another row already has is left as it is (and named in the log) rather than merged.
async fn canonical_emails(conn: &mut Conn) -> Result<(), sqlx::Error> {
    let mut tx = conn.begin().await?;
    if is_postgres(&tx) {
        sqlx::query("LOCK TABLE schema_migrations IN EXCLUSIVE MODE")
            .execute(&mut *tx)
            .await?;
    }
    let done: Option<i64> =
        sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
            .bind(CANONICAL_EMAILS)
            .fetch_optional(&mut *tx)
            .await?;
    if done.is_some() {
        return Ok(());
    }
    let rows: Vec<(i64, String)> = sqlx::query_as("SELECT id, email FROM customers")
        .fetch_all(&mut *tx)
        .await?;
    for (id, email) in rows {
        let canonical = crate::email::canonical(&email);
        if canonical == email {
            continue;
        }
        let taken: Option<i64> =
            sqlx::query_scalar("SELECT id FROM customers WHERE email = $1 AND id <> $2")
                .bind(&canonical)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        if taken.is_some() {
            tracing::warn!(
                "customer {id}: e-mail address clashes with another account's; left as it is"
            );
            continue;
        }
        sqlx::query("UPDATE customers SET email = $1 WHERE id = $2")
            .bind(&canonical)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)")
        .bind(CANONICAL_EMAILS)
        .bind(crate::clock::now_rfc3339())
        .execute(&mut *tx)
        .await?;
    tx.commit().await
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order() {
        let mut query = QueryBuilder::new("SELECT x FROM t WHERE a = ");
        query
            .push_bind(1_i64)
            .push(" AND b IN (")
            .push_bind_list(["p", "q"])
            .push(")");
        assert_eq!(query.sql, "SELECT x FROM t WHERE a = $1 AND b IN ($2, $3)");
        assert_eq!(query.args.as_ref().map(Arguments::len), Some(3));
    }

    #[test]
    fn only_postgres_urls_choose_postgres_and_their_passwords_stay_out_of_logs() {
        assert!(is_postgres_url("postgres://u@h/db"));
        assert!(is_postgres_url("postgresql://u@h/db"));
        assert!(!is_postgres_url("rapport.sqlite3"));
        assert!(!is_postgres_url(":memory:"));
        assert_eq!(
            describe("postgres://rapport:s3cr:et@db.example:5432/rapport?x=1"),
            "postgres://rapport:***@db.example:5432/rapport?x=1"
        );
        assert_eq!(
            describe("postgres://rapport@h/db"),
            "postgres://rapport@h/db"
        );
        assert_eq!(describe("/tmp/a:b@c.sqlite3"), "/tmp/a:b@c.sqlite3");
    }
}
