//! Native reads for the busiest request, the customer's history list. Through sqlx's `Any` driver
//! every row crossed the SQLite worker's channel and was converted twice (driver value → `AnyValue` →
//! Rust value), about 9 µs a row at saturation. Here a SQLite file is read with rusqlite on a blocking
//! thread, straight into Rust values, and PostgreSQL through sqlx's own PostgreSQL driver. An in-memory
//! SQLite database (the tests') has only the pool's one connection, so it is read through that pool.
//!
//! Statements are written once with `$1, $2, …` placeholders, which all three understand.

use crate::db::Db;
use crate::error::AppError;
use sqlx::any::AnyRow;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Any, Arguments, ConnectOptions, Database, Encode, FromRow, Postgres, Type};
use std::path::PathBuf;
use std::sync::Mutex;
use tokio::sync::Semaphore;

/// Connections a reader keeps, and reads it runs at once.
const READERS: usize = 8;

/// A bound value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Param {
    Int(i64),
    Text(String),
}

/// SQL text with numbered placeholders and their values. Placeholders are only added by [`bind`], in
/// increasing order and each once, which is what lets SQLite number `$N` as `N`.
///
/// [`bind`]: Statement::bind
#[derive(Clone, Debug, Default)]
pub struct Statement {
    sql: String,
    params: Vec<Param>,
}

impl Statement {
    pub fn new(sql: &str) -> Self {
        Self {
            sql: sql.to_owned(),
            params: Vec::new(),
        }
    }

    /// Appends SQL text as it is (never user input: values go through [`Statement::bind`]).
    pub fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    /// Appends a placeholder for `value`.
    pub fn bind(&mut self, value: Param) -> &mut Self {
        self.params.push(value);
        let n = self.params.len();
        self.sql.push('$');
        self.sql.push_str(&n.to_string());
        self
    }

    pub fn sql(&self) -> &str {
        &self.sql
    }
}

/// A row type every reader can decode. sqlx's tuples already decode from `Any` and PostgreSQL rows;
/// rusqlite's need this one function.
pub trait ReadRow:
    Sized + Send + Unpin + 'static + for<'r> FromRow<'r, AnyRow> + for<'r> FromRow<'r, PgRow>
{
    fn from_sqlite(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self>;
}

/// Where reads go.
pub enum Reader {
    /// An in-memory SQLite database: through the application's pool.
    Pool(Db),
    Postgres(PgPool),
    Sqlite(SqliteReader),
}

impl Reader {
    /// The reader for the database behind `db`, which it opens lazily (no connection is made here).
    pub fn for_pool(db: &Db) -> Reader {
        let url = db.connect_options().database_url.clone();
        let text = url.as_str();
        if crate::db::is_postgres_url(text) {
            match PgConnectOptions::from_url(&url) {
                Ok(options) => {
                    return Reader::Postgres(
                        PgPoolOptions::new()
                            .max_connections(READERS as u32)
                            .connect_lazy_with(options),
                    );
                }
                Err(error) => tracing::warn!("reads go through the main pool: {error}"),
            }
        } else if !text.contains("mode=memory") && text.starts_with("sqlite:") {
            match SqliteConnectOptions::from_url(&url) {
                Ok(options) => {
                    return Reader::Sqlite(SqliteReader::new(options.get_filename().to_path_buf()));
                }
                Err(error) => tracing::warn!("reads go through the main pool: {error}"),
            }
        }
        Reader::Pool(db.clone())
    }

    /// Every row of `statement`, decoded as `T`.
    pub async fn fetch_all<T: ReadRow>(&self, statement: Statement) -> Result<Vec<T>, AppError> {
        match self {
            Reader::Pool(db) => {
                let args = arguments::<Any>(statement.params)?;
                Ok(sqlx::query_as_with(&statement.sql, args)
                    .fetch_all(db)
                    .await?)
            }
            Reader::Postgres(pool) => {
                let args = arguments::<Postgres>(statement.params)?;
                Ok(sqlx::query_as_with(&statement.sql, args)
                    .fetch_all(pool)
                    .await?)
            }
            Reader::Sqlite(reader) => reader.fetch_all(statement).await,
        }
    }
}

/// The values of a statement as sqlx binds them for database `D`.
fn arguments<'q, D: Database>(params: Vec<Param>) -> Result<D::Arguments<'q>, sqlx::Error>
where
    i64: Encode<'q, D> + Type<D>,
    String: Encode<'q, D> + Type<D>,
{
    let mut args = D::Arguments::default();
    for param in params {
        match param {
            Param::Int(value) => args.add(value),
            Param::Text(value) => args.add(value),
        }
        .map_err(sqlx::Error::Encode)?;
    }
    Ok(args)
}

/// Read-only rusqlite connections to a SQLite file (in WAL mode, so reads never wait for a writer),
/// used on blocking threads, at most [`READERS`] at once.
pub struct SqliteReader {
    path: PathBuf,
    idle: Mutex<Vec<rusqlite::Connection>>,
    permits: Semaphore,
}

impl SqliteReader {
    fn new(path: PathBuf) -> Self {
        Self {
            path,
            idle: Mutex::new(Vec::new()),
            permits: Semaphore::new(READERS),
        }
    }

    fn open(&self) -> rusqlite::Result<rusqlite::Connection> {
        use rusqlite::OpenFlags;
        let conn = rusqlite::Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // One cached statement per filter shape the history list is asked for.
        conn.set_prepared_statement_cache_capacity(64);
        Ok(conn)
    }

    async fn fetch_all<T: ReadRow>(&self, statement: Statement) -> Result<Vec<T>, AppError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| AppError::internal())?;
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let conn = match idle {
            Some(conn) => conn,
            None => self.open().map_err(sqlite_error)?,
        };
        let (conn, rows) = tokio::task::spawn_blocking(move || {
            let rows = run::<T>(&conn, &statement);
            (conn, rows)
        })
        .await
        .map_err(|error| {
            tracing::error!("a read on a blocking thread failed: {error}");
            AppError::internal()
        })?;
        // A connection whose read failed is dropped rather than reused.
        if rows.is_ok() {
            if let Ok(mut idle) = self.idle.lock() {
                idle.push(conn);
            }
        }
        rows.map_err(sqlite_error)
    }
}

fn run<T: ReadRow>(conn: &rusqlite::Connection, statement: &Statement) -> rusqlite::Result<Vec<T>> {
    let mut prepared = conn.prepare_cached(&statement.sql)?;
    if prepared.parameter_count() != statement.params.len() {
        return Err(rusqlite::Error::InvalidParameterCount(
            statement.params.len(),
            prepared.parameter_count(),
        ));
    }
    for (n, param) in statement.params.iter().enumerate() {
        match param {
            Param::Int(value) => prepared.raw_bind_parameter(n + 1, value)?,
            Param::Text(value) => prepared.raw_bind_parameter(n + 1, value)?,
        }
    }
    let mut rows = prepared.raw_query();
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(T::from_sqlite(row)?);
    }
    Ok(out)
}

fn sqlite_error(error: rusqlite::Error) -> AppError {
    tracing::error!("reading SQLite failed: {error}");
    AppError::internal()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order() {
        let mut statement = Statement::new("SELECT a FROM t WHERE b = ");
        statement
            .bind(Param::Int(1))
            .push(" AND c = ")
            .bind(Param::Text("x".into()));
        assert_eq!(statement.sql(), "SELECT a FROM t WHERE b = $1 AND c = $2");
        assert_eq!(
            statement.params,
            vec![Param::Int(1), Param::Text("x".into())]
        );
    }
}
