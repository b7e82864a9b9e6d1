//! Native reads for the busiest request, the customer's history list. Through sqlx's `Any` driver
//! every row crossed the SQLite worker's channel and was converted twice (driver value → `AnyValue` →
//! Rust value), about 9 µs a row at saturation. Here a SQLite file is read with rusqlite on a blocking
//! thread, straight into Rust values, and PostgreSQL through sqlx's own PostgreSQL driver. An in-memory
//! SQLite database (the tests') has only the pool's one connection, so it is read through that pool.
//!
//! Statements are written once with `$1, $2, …` placeholders, which all three understand.
//!
//! Pages already answered are kept ([`PageCache`]) only for as long as the database provably holds
//! the same data: on SQLite per reader connection until `PRAGMA data_version` moves (any commit by any
//! other connection, this process's or another's), on PostgreSQL tagged with the statement's MVCC
//! snapshot (`pg_current_snapshot()`), which equals an earlier one only when no transaction has
//! finished in between. The key is the page's statement itself, customer id included.

use crate::db::Db;
use crate::error::AppError;
use sqlx::any::AnyRow;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgRow};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Any, Arguments, ConnectOptions, Connection, Database, Encode, FromRow, Postgres, Type};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use tokio::sync::Semaphore;

/// Connections a reader keeps, and reads it runs at once.
const READERS: usize = 8;
/// The PostgreSQL reader's `application_name`.
pub const READER_NAME: &str = "rapport-reader";

/// A bound value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Param {
    Int(i64),
    Text(String),
}

/// SQL text with numbered placeholders and their values. Placeholders are only added by [`bind`], in
/// increasing order and each once, which is what lets SQLite number `$N` as `N`.
///
/// [`bind`]: Statement::bind
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
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
    Postgres(PgReader),
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
                    // Named, so an operator can tell its connections apart in `pg_stat_activity`.
                    let options = options.application_name(READER_NAME);
                    return Reader::Postgres(PgReader::new(options));
                }
                Err(error) => tracing::warn!("reads go through the main pool: {error}"),
            }
        } else if !text.contains("mode=memory") && text.starts_with("sqlite:") {
            match SqliteConnectOptions::from_url(&url) {
                Ok(options) => {
                    return Reader::sqlite_file(options.get_filename().to_path_buf());
                }
                Err(error) => tracing::warn!("reads go through the main pool: {error}"),
            }
        }
        Reader::Pool(db.clone())
    }

    /// A reader of the SQLite file at `path` (opened when first read).
    pub fn sqlite_file(path: PathBuf) -> Reader {
        Reader::Sqlite(SqliteReader::new(path))
    }

    /// Every row of `statement`, decoded as `T`.
    pub async fn fetch_all<T: ReadRow>(&self, statement: Statement) -> Result<Vec<T>, AppError> {
        match self {
            Reader::Pool(db) => {
                let args = arguments::<Any>(&statement.params)?;
                Ok(sqlx::query_as_with(&statement.sql, args)
                    .fetch_all(db)
                    .await?)
            }
            Reader::Postgres(reader) => reader.fetch_all(statement).await,
            Reader::Sqlite(reader) => {
                reader
                    .with_conn(move |conn| conn.fetch_all(&statement))
                    .await
            }
        }
    }
}

/// What the session look-up selects: `customer_id, last use, user_agent`.
pub type SessionRow = (i64, String, Option<String>);

impl ReadRow for SessionRow {
    fn from_sqlite(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?))
    }
}

/// A signed-in read whose answer may be kept and sent again while the database provably holds the same
/// data. The reader runs the session look-up in the same database round as the look-up of the kept
/// answer (and, on a miss, as the read), so a kept answer costs one statement on PostgreSQL and no
/// thread hand-off on SQLite, and the session is still checked on every request.
pub trait KeptRead: Send + Sync + 'static {
    /// The statement of the answer for `customer`, which names everything the answer depends on besides
    /// the data (customer, filters, order, size), so it is also the key it is kept under. `None`: the
    /// answer reads nothing ([`KeptRead::nothing`]).
    fn key(&self, customer: i64) -> Option<Statement>;
    /// The answer when there is nothing to read.
    fn nothing(&self) -> Result<axum::body::Bytes, AppError>;
    /// Reads the answer on a SQLite reader connection (on a blocking thread).
    fn read_sqlite(&self, conn: &SqliteConn, customer: i64) -> Result<axum::body::Bytes, AppError>;
    /// Reads the answer on PostgreSQL in one statement, with that statement's snapshot.
    fn read_postgres(
        &self,
        reader: &PgReader,
        customer: i64,
    ) -> impl std::future::Future<Output = Result<(String, axum::body::Bytes), AppError>> + Send;
    /// Reads the answer through the application's pool (an in-memory database; nothing is kept).
    fn read_pool(
        &self,
        reader: &Reader,
        customer: i64,
    ) -> impl std::future::Future<Output = Result<axum::body::Bytes, AppError>> + Send;
}

impl Reader {
    /// The session row `lookup` finds and, for it, the answer of `read`: kept or read now. `lookup`
    /// makes the session statement with extra columns after its own (PostgreSQL's snapshot). `None`
    /// when no live session matches.
    pub async fn session_and_answer<R: KeptRead>(
        &self,
        lookup: impl Fn(&str) -> Statement,
        read: R,
    ) -> Result<Option<(SessionRow, axum::body::Bytes)>, AppError> {
        match self {
            Reader::Sqlite(reader) => session_and_answer_sqlite(reader, lookup(""), read).await,
            Reader::Postgres(reader) => session_and_answer_postgres(reader, lookup, &read).await,
            Reader::Pool(_) => {
                let Some(session) = self.fetch_all::<SessionRow>(lookup("")).await?.pop() else {
                    return Ok(None);
                };
                let answer = match read.key(session.0) {
                    Some(_) => read.read_pool(self, session.0).await?,
                    None => read.nothing()?,
                };
                Ok(Some((session, answer)))
            }
        }
    }
}

/// On a SQLite file: the look-up and the kept answer without a hand-off when an idle connection has
/// it, else the look-up and the read in one blocking hand-off.
async fn session_and_answer_sqlite<R: KeptRead>(
    reader: &SqliteReader,
    lookup: Statement,
    read: R,
) -> Result<Option<(SessionRow, axum::body::Bytes)>, AppError> {
    // No session, or an answer this connection already has. Errors (a busy database among them) are
    // left to the full read below, which reports them.
    let quick = reader.try_inline(|conn| {
        let rows = conn.fetch_all_quietly::<SessionRow>(&lookup).ok()?;
        let Some(session) = rows.into_iter().next() else {
            return Some(None);
        };
        let answer = conn.cached_quietly(&read.key(session.0)?)?;
        Some(Some((session, answer)))
    });
    if let Some(answer) = quick {
        return Ok(answer);
    }
    reader
        .with_conn(move |conn| {
            let Some(session) = conn.fetch_all::<SessionRow>(&lookup)?.into_iter().next() else {
                return Ok(None);
            };
            let Some(key) = read.key(session.0) else {
                return Ok(Some((session, read.nothing()?)));
            };
            if let Some(answer) = conn.cached(&key)? {
                return Ok(Some((session, answer)));
            }
            let answer = read.read_sqlite(conn, session.0)?;
            conn.keep(key, answer.clone());
            Ok(Some((session, answer)))
        })
        .await
}

/// On PostgreSQL: the look-up with its statement's snapshot; an answer read under that very snapshot
/// is sent again, else it is read (with the snapshot of the statement that read it).
async fn session_and_answer_postgres<R: KeptRead>(
    reader: &PgReader,
    lookup: impl Fn(&str) -> Statement,
    read: &R,
) -> Result<Option<(SessionRow, axum::body::Bytes)>, AppError> {
    let found: Vec<(i64, String, Option<String>, String)> = reader
        .fetch_all(lookup(", pg_current_snapshot()::text"))
        .await?;
    let Some((customer_id, last_used, agent, snapshot)) = found.into_iter().next() else {
        return Ok(None);
    };
    let session = (customer_id, last_used, agent);
    let Some(key) = read.key(customer_id) else {
        return Ok(Some((session, read.nothing()?)));
    };
    if let Some(answer) = reader.cached(&key, &snapshot) {
        return Ok(Some((session, answer)));
    }
    let (read_snapshot, answer) = read.read_postgres(reader, customer_id).await?;
    reader.keep(key, read_snapshot, answer.clone());
    Ok(Some((session, answer)))
}

/// Pages as sent (JSON), by the statement that read them, each with the tag of the database state it
/// was read in. Bounded in bytes: when full it starts again empty.
#[derive(Default)]
pub struct PageCache {
    pages: HashMap<Statement, (String, axum::body::Bytes)>,
    bytes: usize,
}

/// Bytes of pages a cache holds at most, and the largest page it keeps.
const CACHE_BYTES: usize = 4 << 20;
const LARGEST_PAGE: usize = 256 << 10;

impl PageCache {
    /// The page read by `key` in the database state `tag`.
    pub fn get(&self, key: &Statement, tag: &str) -> Option<axum::body::Bytes> {
        match self.pages.get(key) {
            Some((stored, page)) if stored == tag => Some(page.clone()),
            _ => None,
        }
    }

    pub fn put(&mut self, key: Statement, tag: String, page: axum::body::Bytes) {
        let size = page.len() + key.sql.len();
        if size > LARGEST_PAGE {
            return;
        }
        if self.bytes + size > CACHE_BYTES {
            self.clear();
        }
        self.bytes += size;
        if let Some((_, old)) = self.pages.insert(key, (tag, page)) {
            self.bytes = self.bytes.saturating_sub(old.len());
        }
    }

    pub fn clear(&mut self) {
        self.pages.clear();
        self.bytes = 0;
    }
}

/// sqlx's own PostgreSQL driver on connections of its own, and the pages it read with their
/// snapshots. Not an sqlx `Pool`: that one tests a connection with a round trip when it is taken and
/// again when it is given back, three round trips for a one-statement read, which cost more than the
/// statement (the order list went from 3 to 1 round trips a request). A connection that was idle is
/// not tested first; when the server closed it meanwhile (restart, idle timeout, a killed backend)
/// the read is tried once more on a new one. A read that failed or was cancelled mid-way drops its
/// connection rather than reuse it in an unknown state.
pub struct PgReader {
    /// Boxed: the options are several times the size of the other readers.
    options: Box<PgConnectOptions>,
    idle: Mutex<Vec<PgConnection>>,
    permits: Semaphore,
    pages: Mutex<PageCache>,
}

impl PgReader {
    fn new(options: PgConnectOptions) -> Self {
        Self {
            options: Box::new(options),
            idle: Mutex::new(Vec::new()),
            permits: Semaphore::new(READERS),
            pages: Mutex::default(),
        }
    }

    /// Every row of `statement`, decoded as `T`.
    pub async fn fetch_all<T: for<'r> FromRow<'r, PgRow> + Send + Unpin>(
        &self,
        statement: Statement,
    ) -> Result<Vec<T>, AppError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| sqlx::Error::PoolClosed)?;
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let reused = idle.is_some();
        let mut conn = match idle {
            Some(conn) => conn,
            None => self.options.connect().await?,
        };
        let mut answer = read(&mut conn, &statement).await;
        if reused && matches!(&answer, Err(error) if lost_connection(error)) {
            tracing::info!("an idle PostgreSQL connection was closed; reading on a new one");
            conn = self.options.connect().await?;
            answer = read(&mut conn, &statement).await;
        }
        let rows = answer?;
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(conn);
        }
        Ok(rows)
    }

    /// Ends every read from now on with an error, and closes the idle connections.
    pub async fn close(&self) {
        self.permits.close();
        let idle = self
            .idle
            .lock()
            .map(|mut idle| std::mem::take(&mut *idle))
            .unwrap_or_default();
        for conn in idle {
            let _ = conn.close().await;
        }
    }

    /// The page `key` read under exactly the snapshot `snapshot`, if kept.
    pub fn cached(&self, key: &Statement, snapshot: &str) -> Option<axum::body::Bytes> {
        self.pages.lock().ok()?.get(key, snapshot)
    }

    /// Keeps `page`, read by `key` in a statement whose snapshot was `snapshot`.
    pub fn keep(&self, key: Statement, snapshot: String, page: axum::body::Bytes) {
        if let Ok(mut pages) = self.pages.lock() {
            pages.put(key, snapshot, page);
        }
    }
}

/// `statement` on `conn`, prepared once per connection (sqlx's statement cache).
async fn read<T: for<'r> FromRow<'r, PgRow> + Send + Unpin>(
    conn: &mut PgConnection,
    statement: &Statement,
) -> Result<Vec<T>, sqlx::Error> {
    let args = arguments::<Postgres>(&statement.params)?;
    sqlx::query_as_with(&statement.sql, args)
        .fetch_all(conn)
        .await
}

/// Whether `error` says the connection itself is gone, rather than the statement failing: a broken
/// socket, or the server's last word on a connection it ended (SQLSTATE class 08, connection
/// exception, or 57P01–57P03, shut down or terminated by an operator).
fn lost_connection(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_) | sqlx::Error::Protocol(_) => true,
        sqlx::Error::Database(error) => error
            .code()
            .is_some_and(|code| code.starts_with("08") || code.starts_with("57P0")),
        _ => false,
    }
}

/// The values of a statement as sqlx binds them for database `D`.
fn arguments<'q, D: Database>(params: &[Param]) -> Result<D::Arguments<'q>, sqlx::Error>
where
    i64: Encode<'q, D> + Type<D>,
    String: Encode<'q, D> + Type<D>,
{
    let mut args = D::Arguments::default();
    for param in params {
        match param {
            Param::Int(value) => args.add(*value),
            Param::Text(value) => args.add(value.clone()),
        }
        .map_err(sqlx::Error::Encode)?;
    }
    Ok(args)
}

/// How long a read on a blocking thread waits for a locked database.
const BUSY_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Read-only rusqlite connections to a SQLite file (in WAL mode, so reads never wait for a writer),
/// used on blocking threads, at most [`READERS`] at once.
pub struct SqliteReader {
    path: PathBuf,
    idle: Mutex<Vec<SqliteConn>>,
    permits: Semaphore,
}

/// One reader connection and the pages it answered since the database last changed.
pub struct SqliteConn {
    conn: rusqlite::Connection,
    /// `PRAGMA data_version` when `pages` were read: it moves whenever another connection commits.
    version: i64,
    pages: PageCache,
}

impl SqliteConn {
    /// Every row of `statement`, decoded as `T`.
    pub fn fetch_all<T: ReadRow>(&self, statement: &Statement) -> Result<Vec<T>, AppError> {
        run(&self.conn, statement).map_err(sqlite_error)
    }

    /// The page `key` read earlier on this connection, if nothing was committed since.
    pub fn cached(&mut self, key: &Statement) -> Result<Option<axum::body::Bytes>, AppError> {
        self.look_up(key).map_err(sqlite_error)
    }

    /// [`SqliteConn::fetch_all`] that leaves errors unlogged, for a try that is repeated in full.
    pub fn fetch_all_quietly<T: ReadRow>(&self, statement: &Statement) -> rusqlite::Result<Vec<T>> {
        run(&self.conn, statement)
    }

    /// [`SqliteConn::cached`], `None` on an error as on a miss, for a try that is repeated in full.
    pub fn cached_quietly(&mut self, key: &Statement) -> Option<axum::body::Bytes> {
        self.look_up(key).ok().flatten()
    }

    fn look_up(&mut self, key: &Statement) -> rusqlite::Result<Option<axum::body::Bytes>> {
        let version: i64 = self
            .conn
            .prepare_cached("PRAGMA data_version")?
            .query_row([], |row| row.get(0))?;
        if version != self.version {
            self.pages.clear();
            self.version = version;
        }
        Ok(self.pages.get(key, ""))
    }

    /// Keeps `page`, read by `key` after the last [`SqliteConn::cached`] (whose version it is filed
    /// under: a commit between the two only makes the next look-up miss).
    pub fn keep(&mut self, key: Statement, page: axum::body::Bytes) {
        self.pages.put(key, String::new(), page);
    }
}

impl SqliteReader {
    fn new(path: PathBuf) -> Self {
        Self {
            path,
            idle: Mutex::new(Vec::new()),
            permits: Semaphore::new(READERS),
        }
    }

    fn open(&self) -> Result<SqliteConn, AppError> {
        use rusqlite::OpenFlags;
        let conn = rusqlite::Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(sqlite_error)?;
        conn.busy_timeout(BUSY_WAIT).map_err(sqlite_error)?;
        // One cached statement per filter shape the history list is asked for.
        conn.set_prepared_statement_cache_capacity(64);
        Ok(SqliteConn {
            conn,
            version: -1,
            pages: PageCache::default(),
        })
    }

    /// Runs `read` right here, on the async worker, when an open connection is idle: for short reads
    /// (a key look-up and a cached page) a hand-off to a blocking thread costs more than the read.
    /// The connection does not wait for locks meanwhile (no busy timeout): `None` from `read`, an error
    /// or a busy database all answer `None`, and the caller does the read in full with
    /// [`SqliteReader::with_conn`], which reports errors.
    pub fn try_inline<R>(&self, read: impl FnOnce(&mut SqliteConn) -> Option<R>) -> Option<R> {
        let _permit = self.permits.try_acquire().ok()?;
        let mut conn = self.idle.lock().ok()?.pop()?;
        conn.conn.busy_timeout(std::time::Duration::ZERO).ok()?;
        let answer = read(&mut conn);
        if conn.conn.busy_timeout(BUSY_WAIT).is_ok() {
            if let Ok(mut idle) = self.idle.lock() {
                idle.push(conn);
            }
        }
        answer
    }

    /// Runs `read` with a connection on a blocking thread: one hand-off for all it does.
    pub async fn with_conn<R: Send + 'static>(
        &self,
        read: impl FnOnce(&mut SqliteConn) -> Result<R, AppError> + Send + 'static,
    ) -> Result<R, AppError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| AppError::internal())?;
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let conn = match idle {
            Some(conn) => conn,
            None => self.open()?,
        };
        let (conn, result) = tokio::task::spawn_blocking(move || {
            let mut conn = conn;
            let result = read(&mut conn);
            (conn, result)
        })
        .await
        .map_err(|error| {
            tracing::error!("a read on a blocking thread failed: {error}");
            AppError::internal()
        })?;
        // A connection whose read failed is dropped rather than reused.
        if result.is_ok() {
            if let Ok(mut idle) = self.idle.lock() {
                idle.push(conn);
            }
        }
        result
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
