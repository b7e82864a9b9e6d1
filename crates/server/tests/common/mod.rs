//! Shared helpers: a seeded app in memory, requests through the router, typed answers.
#![allow(dead_code)] // Each test binary uses a different subset.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use rapport_api::ErrorBody;
use rapport_server::{app, db, seed, AppState, Config};
use serde_json::{json, Value};
use tower::ServiceExt;

pub struct TestApp {
    pub router: Router,
    pub pool: db::Db,
    _dir: TempDir,
}

/// A temporary directory with a fake built portal, removed on drop.
pub struct TempDir(pub std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn temp_dir(tag: &str) -> TempDir {
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("rapport-{tag}-{}-{n}", std::process::id()));
    std::fs::create_dir_all(dir.join("portal")).unwrap();
    std::fs::create_dir_all(dir.join("widget")).unwrap();
    std::fs::write(
        dir.join("portal/index.html"),
        "<!DOCTYPE html><title>portal</title>",
    )
    .unwrap();
    TempDir(dir)
}

/// The database server the tests run against, if not SQLite: `RAPPORT_TEST_DATABASE_URL`, a
/// `postgres://` URL (scripts/postgres.sh starts one and prints it).
pub fn postgres_url() -> Option<String> {
    std::env::var("RAPPORT_TEST_DATABASE_URL")
        .ok()
        .filter(|url| !url.trim().is_empty())
}

/// A fresh, empty, migrated database of its own: in memory on SQLite, or a new schema on the
/// PostgreSQL server named by `RAPPORT_TEST_DATABASE_URL`, so tests never see each other's rows and
/// can run in parallel. The schemas are left behind; the test server is thrown away after the run.
pub async fn fresh_db() -> db::Db {
    match fresh_postgres_url().await {
        Some(url) => db::open(&url).await.unwrap(),
        None => db::open(":memory:").await.unwrap(),
    }
}

/// On PostgreSQL, the URL of a new, empty schema of its own (what [`fresh_db`] opens), for a test that
/// opens the same database more than once; `None` on SQLite.
pub async fn fresh_postgres_url() -> Option<String> {
    let url = postgres_url()?;
    use sqlx::Connection;
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let schema = format!(
        "test_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    );
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    // Every connection of the pool starts in that schema; objects are created there too.
    let separator = if url.contains('?') { '&' } else { '?' };
    Some(format!(
        "{url}{separator}options=-c%20search_path%3D{schema}"
    ))
}

/// Whether the tests run on PostgreSQL (for the few statements a test writes in one dialect).
pub fn on_postgres() -> bool {
    postgres_url().is_some()
}

/// The app over an already opened database.
pub fn app_over(pool: db::Db, tag: &str) -> TestApp {
    let dir = temp_dir(tag);
    let config = Config {
        portal_dir: dir.0.join("portal"),
        widget_dir: dir.0.join("widget"),
        ..Config::default()
    };
    TestApp {
        router: app(AppState::new(pool.clone(), config)),
        pool,
        _dir: dir,
    }
}

/// The app over a state put together by the test.
pub fn app_with_state(state: AppState, tag: &str) -> TestApp {
    TestApp {
        pool: state.db.clone(),
        router: app(state),
        _dir: temp_dir(tag),
    }
}

/// The app's outbox: messages are queued by the app and delivered by [`Outbox::sent`], one pass of
/// the same sender the server runs, into a letterbox the test reads.
#[derive(Clone)]
pub struct Outbox {
    pool: db::Db,
    delivered: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    transport: rapport_server::outbox::Transport,
}

impl Outbox {
    pub fn new(pool: db::Db) -> Self {
        let delivered = std::sync::Arc::<std::sync::Mutex<Vec<String>>>::default();
        let sink = delivered.clone();
        let transport = rapport_server::outbox::Transport::Letterbox(std::sync::Arc::new(
            move |message: &rapport_server::outbox::Outgoing| {
                sink.lock().unwrap().push(message.body.clone())
            },
        ));
        Outbox {
            pool,
            delivered,
            transport,
        }
    }

    /// The text of every message delivered so far, in order (without delivering).
    pub fn delivered(&self) -> Vec<String> {
        self.delivered.lock().unwrap().clone()
    }

    /// Delivers what is due now and returns the text of every message delivered so far, in order.
    pub async fn sent(&self) -> Vec<String> {
        self.deliver().await;
        self.delivered.lock().unwrap().clone()
    }

    /// One sender pass now (repeated while batches come back full); what it did.
    pub async fn deliver(&self) -> rapport_server::outbox::Pass {
        self.deliver_at(time::OffsetDateTime::now_utc()).await
    }

    /// Like [`Outbox::deliver`], as if it were `now`.
    pub async fn deliver_at(&self, now: time::OffsetDateTime) -> rapport_server::outbox::Pass {
        let config = rapport_server::outbox::SenderConfig::default();
        let mut total = rapport_server::outbox::Pass::default();
        loop {
            let (pass, claimed) =
                rapport_server::outbox::deliver_due(&self.pool, &self.transport, &config, now)
                    .await
                    .unwrap();
            total.sent += pass.sent;
            total.waiting += pass.waiting;
            total.dropped += pass.dropped;
            total.retried += pass.retried;
            total.failed += pass.failed;
            if claimed < 20 {
                return total;
            }
        }
    }
}

/// A seeded app whose messages to customers land in the returned outbox.
pub async fn test_app_with_outbox() -> (TestApp, Outbox) {
    test_app_with_rules(rapport_server::lifecycle::LifecycleRules::default()).await
}

/// Like [`test_app_with_outbox`], with these lifecycle rules.
pub async fn test_app_with_rules(
    rules: rapport_server::lifecycle::LifecycleRules,
) -> (TestApp, Outbox) {
    let pool = fresh_db().await;
    assert!(seed::seed_if_empty(&pool).await.unwrap());
    let dir = temp_dir("outbox-test");
    let config = Config {
        portal_dir: dir.0.join("portal"),
        widget_dir: dir.0.join("widget"),
        lifecycle: rules,
        ..Config::default()
    };
    let app = TestApp {
        router: app(AppState::new(pool.clone(), config)),
        pool: pool.clone(),
        _dir: dir,
    };
    (app, Outbox::new(pool))
}

pub async fn test_app() -> TestApp {
    let pool = fresh_db().await;
    assert!(seed::seed_if_empty(&pool).await.unwrap());
    app_over(pool, "portal-test")
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }

    /// The error body; fails the test unless the answer has exactly the JSON error shape.
    pub fn error(&self) -> ErrorBody {
        let value: Value = self.json();
        let keys: Vec<&String> = value.as_object().expect("an object").keys().collect();
        assert_eq!(keys, ["error"], "error shape: {value}");
        // Every error names the request it answers, as the X-Request-Id header does.
        assert_eq!(
            value["error"]["request_id"].as_str(),
            self.header(header::HeaderName::from_static("x-request-id"))
                .as_deref(),
            "request id in {value}"
        );
        self.json()
    }

    /// The body with the error's `request_id` left out (it differs per request by design): what must
    /// be byte for byte the same when two answers may not tell anything apart.
    pub fn body_without_request_id(&self) -> Vec<u8> {
        let mut value: Value = self.json();
        if let Some(error) = value.get_mut("error").and_then(Value::as_object_mut) {
            error.remove("request_id");
        }
        serde_json::to_vec(&value).unwrap()
    }

    pub fn error_code(&self) -> String {
        self.error().error.code
    }

    /// `(field, problem)` pairs of an `invalid_fields` error.
    pub fn field_errors(&self) -> Vec<(String, String)> {
        let error = self.error().error;
        assert_eq!(error.code, "invalid_fields", "{}", error.message);
        error
            .fields
            .into_iter()
            .map(|f| (f.field, f.problem))
            .collect()
    }

    pub fn header(&self, name: header::HeaderName) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    }

    pub fn session_cookie(&self) -> Option<String> {
        self.header(header::SET_COOKIE)?
            .split(';')
            .next()
            .map(str::to_owned)
    }
}

impl TestApp {
    pub async fn send(&self, request: Request<Body>) -> Answer {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        Answer {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, uri: &str, cookie: &str) -> Answer {
        self.send(
            Request::get(uri)
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    /// A successful GET, decoded.
    pub async fn get_ok<T: serde::de::DeserializeOwned>(&self, uri: &str, cookie: &str) -> T {
        let answer = self.get(uri, cookie).await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "{uri}: {}",
            String::from_utf8_lossy(&answer.body)
        );
        answer.json()
    }

    pub async fn send_json(
        &self,
        method: &str,
        uri: &str,
        cookie: &str,
        body: &Value,
        extra: &[(&str, &str)],
    ) -> Answer {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "application/json");
        for (name, value) in extra {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::from(body.to_string())).unwrap())
            .await
    }

    pub async fn sign_in(&self, email: &str) -> String {
        let body = json!({ "email": email, "password": seed::DEMO_PASSWORD }).to_string();
        let answer = self
            .send(
                Request::post("/api/v1/session")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK);
        answer.session_cookie().expect("a session cookie")
    }

    pub async fn demo_cookie(&self) -> String {
        self.sign_in(seed::DEMO_EMAIL).await
    }

    /// The id of the customer with this e-mail address.
    pub async fn customer_id(&self, email: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM customers WHERE email = $1")
            .bind(email)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    pub async fn scalar(&self, sql: &str, customer_id: i64) -> i64 {
        sqlx::query_scalar(sql)
            .bind(customer_id)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    /// Staff marks one of the customer's shipped orders delivered (through the API, as staff would);
    /// returns that order's id.
    pub async fn mark_shipped_order_delivered(&self, customer_id: i64, staff: &str) -> i64 {
        let order = self
            .scalar(
                "SELECT id FROM orders WHERE customer_id = $1 AND status = 'shipped' ORDER BY id LIMIT 1",
                customer_id,
            )
            .await;
        let delivered = self
            .send_json(
                "POST",
                &format!("/api/v1/staff/orders/{order}/delivered"),
                staff,
                &json!({}),
                &[],
            )
            .await;
        assert_eq!(delivered.status, StatusCode::NO_CONTENT);
        order
    }
}

/// Flips the customer's e-mail offers permission with a proper save (one new consent record).
pub async fn flip_offers(app: &TestApp, cookie: &str) {
    save_preferences(app, cookie, |prefs| {
        let cell = prefs
            .permissions
            .iter_mut()
            .find(|p| {
                p.channel == rapport_api::Channel::Email && p.topic == rapport_api::Topic::Offers
            })
            .unwrap();
        cell.allowed = !cell.allowed;
    })
    .await;
}

/// Saves the customer's preferences after `change`, as the preference centre does (current ETag,
/// current notice), and checks that the save succeeded.
pub async fn save_preferences(
    app: &TestApp,
    cookie: &str,
    change: impl FnOnce(&mut rapport_api::Preferences),
) {
    let answer = app.get("/api/v1/preferences", cookie).await;
    let etag = answer.header(header::ETAG).unwrap();
    let mut prefs: rapport_api::Preferences = answer.json();
    change(&mut prefs);
    let notice: rapport_api::Notice = app.get_ok("/api/v1/notice?lang=en", "").await;
    let body = json!({
        "preferences": prefs,
        "context": {"notice_version": notice.version, "notice_sha256": notice.sha256,
                    "control": "matrix", "page": "/preferences", "gpc": false}
    });
    let saved = app
        .send_json(
            "PUT",
            "/api/v1/preferences",
            cookie,
            &body,
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.error());
}

/// Queues `count` marketing e-mails about surveys for the demo customer (`customer`), bodies
/// "Survey 0", "Survey 1", …, as the lifecycle job would.
pub async fn queue_survey_mail(pool: &db::Db, customer: i64, count: usize) {
    use rapport_server::outbox::{self, Message};
    use rapport_server::send_rules::Kind;
    let mut conn = pool.acquire().await.unwrap();
    for n in 0..count {
        let body = format!("Survey {n}");
        let message = Message::email(
            Kind::Marketing(rapport_api::Topic::Surveys),
            Some(customer),
            seed::DEMO_EMAIL,
            "Survey",
            &body,
        );
        outbox::enqueue(&mut conn, &message).await.unwrap();
    }
}
