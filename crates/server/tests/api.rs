//! The reference server's HTTP behaviour, end to end through the router (no network).

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use rapport_api::{ErrorBody, Overview, Profile, SessionInfo};
use rapport_server::{app, db, seed, AppState, Config};
use serde_json::{json, Value};
use tower::ServiceExt;

struct TestApp {
    router: Router,
    _dir: TempDir,
}

/// A temporary directory with a fake built portal, removed on drop.
struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn test_app() -> TestApp {
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("rapport-test-{}-{n}", std::process::id()));
    std::fs::create_dir_all(dir.join("portal")).unwrap();
    std::fs::create_dir_all(dir.join("widget")).unwrap();
    std::fs::write(
        dir.join("portal/index.html"),
        "<!DOCTYPE html><title>portal</title>",
    )
    .unwrap();
    std::fs::write(
        dir.join("widget/demo.html"),
        "<!DOCTYPE html><title>widget demo</title>",
    )
    .unwrap();
    let pool = common::fresh_db().await;
    assert!(seed::seed_if_empty(&pool).await.unwrap());
    let config = Config {
        portal_dir: dir.join("portal"),
        widget_dir: dir.join("widget"),
        ..Config::default()
    };
    TestApp {
        router: app(AppState::new(pool, config)),
        _dir: TempDir(dir),
    }
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }

    fn error_code(&self) -> String {
        self.json::<ErrorBody>().error.code
    }

    /// The error without its per-request `request_id`: equal bodies tell nothing apart.
    fn body_without_request_id(&self) -> ErrorBody {
        self.json()
    }

    fn session_cookie(&self) -> Option<String> {
        self.headers
            .get(header::SET_COOKIE)?
            .to_str()
            .ok()?
            .split(';')
            .next()
            .map(str::to_owned)
    }
}

impl TestApp {
    async fn send(&self, request: Request<Body>) -> Answer {
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

    async fn get(&self, uri: &str, cookie: Option<&str>) -> Answer {
        let mut request = Request::get(uri);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    async fn sign_in(&self, email: &str, password: &str) -> Answer {
        let body = json!({ "email": email, "password": password }).to_string();
        self.send(
            Request::post("/api/v1/session")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    async fn demo_cookie(&self) -> String {
        let answer = self.sign_in(seed::DEMO_EMAIL, seed::DEMO_PASSWORD).await;
        assert_eq!(answer.status, StatusCode::OK);
        answer.session_cookie().expect("a session cookie")
    }
}

#[tokio::test]
async fn demo_customer_signs_in_and_sees_their_overview() {
    let app = test_app().await;
    let answer = app
        .sign_in("  Demo@Rapport.test ", seed::DEMO_PASSWORD)
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    let set_cookie = answer.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"));
    assert_eq!(answer.json::<Profile>().name, "Anna de Vries");
    let cookie = answer.session_cookie().unwrap();

    let overview: Overview = app.get("/api/v1/overview", Some(&cookie)).await.json();
    assert_eq!(overview.customer.email, seed::DEMO_EMAIL);
    assert_eq!(overview.order_count as usize, seed::DEMO_ORDERS);
    assert_eq!(
        overview.open_requests, 1,
        "one open return; the complaint is resolved"
    );
    assert!(overview.latest_order.is_some());

    let info: SessionInfo = app.get("/api/v1/session", Some(&cookie)).await.json();
    assert_eq!(
        info.customer.map(|c| c.name).as_deref(),
        Some("Anna de Vries")
    );
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_answer_and_no_session() {
    let app = test_app().await;
    let wrong = app.sign_in(seed::DEMO_EMAIL, "not-the-password").await;
    let unknown = app.sign_in("nobody@example.test", "not-the-password").await;
    for answer in [&wrong, &unknown] {
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
        assert_eq!(answer.error_code(), "invalid_credentials");
        assert!(answer.headers.get(header::SET_COOKIE).is_none());
    }
    assert_eq!(
        wrong.body_without_request_id(),
        unknown.body_without_request_id()
    );
}

#[tokio::test]
async fn repeated_failures_are_rate_limited_even_with_the_right_password() {
    let app = test_app().await;
    for _ in 0..5 {
        assert_eq!(
            app.sign_in(seed::DEMO_EMAIL, "guess").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let locked = app.sign_in(seed::DEMO_EMAIL, seed::DEMO_PASSWORD).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(locked.error_code(), "too_many_attempts");
    let retry_after: u64 = locked.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry_after));
    // Other accounts are not locked by this one's failures.
    let other = app
        .sign_in(seed::OTHER_CUSTOMERS[0].0, seed::DEMO_PASSWORD)
        .await;
    assert_eq!(other.status, StatusCode::OK);
}

#[tokio::test]
async fn protected_resources_need_a_valid_session() {
    let app = test_app().await;
    for cookie in [None, Some("rapport_session=forged"), Some("other=1")] {
        let answer = app.get("/api/v1/overview", cookie).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
        assert_eq!(answer.error_code(), "unauthorized");
    }
    let info: SessionInfo = app.get("/api/v1/session", None).await.json();
    assert_eq!(info.customer, None);
}

#[tokio::test]
async fn another_customers_order_is_not_found() {
    let app = test_app().await;
    let other = app
        .sign_in(seed::OTHER_CUSTOMERS[1].0, seed::DEMO_PASSWORD)
        .await;
    let other_cookie = other.session_cookie().unwrap();
    let other_overview: Overview = app
        .get("/api/v1/overview", Some(&other_cookie))
        .await
        .json();
    let their_order = other_overview.latest_order.unwrap().id;
    assert_eq!(
        app.get(
            &format!("/api/v1/orders/{their_order}"),
            Some(&other_cookie)
        )
        .await
        .status,
        StatusCode::OK
    );

    let demo = app.demo_cookie().await;
    let answer = app
        .get(&format!("/api/v1/orders/{their_order}"), Some(&demo))
        .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.error_code(), "not_found");
    // Indistinguishable from an order that does not exist, or an id that is not a number.
    let missing = app.get("/api/v1/orders/999999", Some(&demo)).await;
    let garbage = app.get("/api/v1/orders/1%20OR%201=1", Some(&demo)).await;
    assert_eq!(
        answer.body_without_request_id(),
        missing.body_without_request_id()
    );
    assert_eq!(
        answer.body_without_request_id(),
        garbage.body_without_request_id()
    );
}

#[tokio::test]
async fn sign_out_ends_the_session() {
    let app = test_app().await;
    let cookie = app.demo_cookie().await;
    let answer = app
        .send(
            Request::delete("/api/v1/session")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT);
    assert!(answer.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    assert_eq!(
        app.get("/api/v1/overview", Some(&cookie)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn bad_request_bodies_get_json_errors() {
    let app = test_app().await;
    let cases = [
        ("application/json", "{\"email\":", StatusCode::BAD_REQUEST),
        (
            "application/json",
            "{\"email\": 5, \"password\": []}",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        ("text/plain", "{}", StatusCode::UNSUPPORTED_MEDIA_TYPE),
        (
            "application/json",
            "{\"email\":\"\",\"password\":\"\"}",
            StatusCode::BAD_REQUEST,
        ),
    ];
    for (content_type, body, status) in cases {
        let answer = app
            .send(
                Request::post("/api/v1/session")
                    .header(header::CONTENT_TYPE, content_type)
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await;
        assert_eq!(answer.status, status, "{body}");
        let error: ErrorBody = answer.json();
        assert!(!error.error.message.is_empty());
    }
    let huge = format!(
        "{{\"email\":\"{}\",\"password\":\"x\"}}",
        "a".repeat(3 * 1024 * 1024)
    );
    let answer = app
        .send(
            Request::post("/api/v1/session")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(huge))
                .unwrap(),
        )
        .await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    answer.json::<ErrorBody>();
}

#[tokio::test]
async fn unknown_api_paths_are_json_404_and_portal_routes_get_the_app() {
    let app = test_app().await;
    let answer = app.get("/api/v1/no-such-thing", None).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.json::<Value>()["error"]["code"], "not_found");

    // Client-side routes are served the portal, which shows its own not-found page.
    let page = app.get("/some/deep/link", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(String::from_utf8_lossy(&page.body).contains("<title>portal</title>"));
    let demo = app.get("/widget/demo.html", None).await;
    assert!(String::from_utf8_lossy(&demo.body).contains("widget demo"));
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = test_app().await;
    for uri in ["/", "/api/v1/health", "/api/v1/nope", "/widget/demo.html"] {
        let answer = app.get(uri, None).await;
        let csp = answer.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap();
        let script_src = csp
            .split(';')
            .map(str::trim)
            .find(|d| d.starts_with("script-src"))
            .unwrap();
        assert_eq!(script_src, "script-src 'self' 'wasm-unsafe-eval'", "{uri}");
        assert!(!csp.contains("unsafe-inline"), "{uri}");
        assert_eq!(answer.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert!(answer.headers.contains_key(header::REFERRER_POLICY));
    }
}

#[tokio::test]
async fn seeding_is_idempotent_and_realistic() {
    let pool = common::fresh_db().await;
    assert!(seed::seed_if_empty(&pool).await.unwrap());
    assert!(!seed::seed_if_empty(&pool).await.unwrap());
    let count = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        count("SELECT COUNT(*) FROM customers WHERE role = 'customer'").await,
        4
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM customers WHERE role = 'staff'").await,
        1
    );
    assert!(count("SELECT COUNT(*) FROM orders WHERE customer_id = 1").await >= 200);
    assert!(count("SELECT COUNT(*) FROM invoices").await >= 200);
    assert!(count("SELECT COUNT(*) FROM payments").await >= 200);
    assert!(count("SELECT COUNT(*) FROM carrier_events").await >= 600);
    let (first, last): (String, String) =
        sqlx::query_as("SELECT MIN(placed_at), MAX(placed_at) FROM orders WHERE customer_id = 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    let at = |text: &str| {
        time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).unwrap()
    };
    let span_days = (at(&last) - at(&first)).whole_days();
    assert!(span_days >= 3 * 365 - 10, "orders span {span_days} days");
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM service_requests WHERE kind = 'return' AND status = 'in_review'"
        )
        .await,
        1
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM service_requests WHERE kind = 'complaint' AND status = 'resolved'").await,
        1
    );
}

#[tokio::test]
async fn a_database_file_is_created_migrated_and_reopened() {
    let path = std::env::temp_dir().join(format!("rapport-migrate-{}.sqlite3", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let name = path.to_string_lossy().to_string();
    {
        let pool = db::open(&name).await.unwrap();
        seed::seed_if_empty(&pool).await.unwrap();
        pool.close().await;
    }
    let pool = db::open(&name).await.unwrap();
    // SQL migrations only: data steps in Rust are numbered from 1001.
    let versions: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM schema_migrations WHERE version < 1000")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(versions, 14, "every migration applied once");
    assert!(!seed::seed_if_empty(&pool).await.unwrap());
    pool.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{name}{suffix}"));
    }
}
