//! The native reader's failure path: a database it cannot read (a SQLite file that is not a database,
//! a PostgreSQL pool that was closed) gives every signed-in read a logged 500 with the usual JSON error
//! body, and the server goes on answering; nothing panics.

mod common;

use axum::http::{header, StatusCode};
use rapport_server::reader::{Reader, READER_NAME};
use rapport_server::{seed, AppState, Config};
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

/// Everything the tests of this binary log, from every thread (the reader logs on blocking threads).
fn log() -> Arc<Mutex<Vec<u8>>> {
    static LOG: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOG.get_or_init(|| {
        let log = Arc::new(Mutex::new(Vec::new()));
        let sink = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(move || Sink(sink.clone()))
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
        log
    })
    .clone()
}

struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn logged(text: &str) -> usize {
    String::from_utf8_lossy(&log().lock().unwrap())
        .matches(text)
        .count()
}

/// Signed-in reads through `reader` all fail cleanly; the rest of the app still answers.
async fn reads_fail_cleanly(reader: Reader, expected_log: &str) {
    let log_before = logged(expected_log);
    let pool = common::fresh_db().await;
    assert!(seed::seed_if_empty(&pool).await.unwrap());
    let dir = common::temp_dir("reader-failure");
    let config = Config {
        portal_dir: dir.0.join("portal"),
        widget_dir: dir.0.join("widget"),
        ..Config::default()
    };
    let state = AppState {
        reader: Arc::new(reader),
        ..AppState::new(pool.clone(), config)
    };
    let app = common::app_with_state(state, "reader-failure");
    let cookie = app.demo_cookie().await;
    for uri in [
        "/api/v1/history?kind=order&limit=50",
        "/api/v1/history?kind=order&limit=50",
        "/api/v1/me",
        "/api/v1/history?q=x&sort=asc",
    ] {
        let answer = app.get(uri, &cookie).await;
        assert_eq!(answer.status, StatusCode::INTERNAL_SERVER_ERROR, "{uri}");
        assert_eq!(answer.error_code(), "internal", "{uri}");
        assert!(answer
            .header(header::CONTENT_TYPE)
            .is_some_and(|t| t.starts_with("application/json")));
        assert!(
            !String::from_utf8_lossy(&answer.body).contains(expected_log),
            "the cause stays in the log"
        );
    }
    assert!(
        logged(expected_log) >= log_before + 4,
        "{}",
        String::from_utf8_lossy(&log().lock().unwrap())
    );
    // No session needed, no reader involved: still answered.
    let health = app.get("/api/v1/health", "").await;
    assert_eq!(health.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_that_is_no_database_gives_a_logged_500() {
    log();
    let dir = common::temp_dir("not-a-database");
    let garbage = dir.0.join("garbage.sqlite3");
    std::fs::write(&garbage, b"this is not a SQLite database\n".repeat(512)).unwrap();
    reads_fail_cleanly(Reader::sqlite_file(garbage), "reading SQLite failed").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_postgres_pool_gives_a_logged_500() {
    log();
    let Some(url) = common::fresh_postgres_url().await else {
        println!("skipped: set RAPPORT_TEST_DATABASE_URL to a PostgreSQL server");
        return;
    };
    let pool = rapport_server::db::open(&url).await.unwrap();
    let reader = Reader::for_pool(&pool);
    let Reader::Postgres(postgres) = &reader else {
        panic!("a PostgreSQL URL is read natively");
    };
    postgres.close().await;
    reads_fail_cleanly(reader, "database error").await;
}

/// The PostgreSQL reader does not test an idle connection before using it (a round trip a read): one
/// the server closed meanwhile (here its backend is terminated, as a restart or an operator would) is
/// replaced by the read that finds it closed, and that read still answers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_connection_the_server_closed_is_replaced_by_the_next_read() {
    let Some(url) = common::fresh_postgres_url().await else {
        println!("skipped: set RAPPORT_TEST_DATABASE_URL to a PostgreSQL server");
        return;
    };
    let pool = rapport_server::db::open(&url).await.unwrap();
    assert!(seed::seed_if_empty(&pool).await.unwrap());
    let app = common::app_over(pool.clone(), "reader-reconnect");
    let cookie = app.demo_cookie().await;
    let uri = "/api/v1/history?kind=order&limit=50";
    // Reads at once, so that the reader keeps several idle connections.
    let (a, b, c, d) = tokio::join!(
        app.get(uri, &cookie),
        app.get(uri, &cookie),
        app.get("/api/v1/me", &cookie),
        app.get("/api/v1/history?limit=3", &cookie)
    );
    for answer in [&a, &b, &c, &d] {
        assert_eq!(answer.status, StatusCode::OK);
    }
    let readers =
        "FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()";
    let ended: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) AS ended {readers}) AS t WHERE ended"
    ))
    .bind(READER_NAME)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(ended >= 1, "the reader's connections are named");
    for _ in 0..50 {
        let left: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {readers}"))
            .bind(READER_NAME)
            .fetch_one(&pool)
            .await
            .unwrap();
        if left == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // More reads than the reader has connections: every one of them meets a closed one first.
    for n in 0..12 {
        let again = app.get(uri, &cookie).await;
        assert_eq!(again.status, StatusCode::OK, "read {n}");
        assert_eq!(again.body, a.body, "read {n}");
        assert_eq!(app.get("/api/v1/me", &cookie).await.body, c.body);
    }
}
