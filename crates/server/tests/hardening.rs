//! Issue 18's request-level defects against the whole app: cross-site requests, caching of personal
//! data, cookies, HSTS, survey flooding and confirmation mail bombing.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{test_app, TestApp};
use serde_json::{json, Value};

fn nps(score: i64) -> Value {
    let reference =
        serde_json::to_value(rapport_core::builtin("nps").unwrap().reference()).unwrap();
    json!({"instrument": reference, "answers": {"NPS": score}})
}

/// A form post as another page in the browser would send it: `text/plain`, no body, with the cookie.
async fn form_post(app: &TestApp, uri: &str, cookie: &str, context: &[(&str, &str)]) -> StatusCode {
    let mut request = Request::post(uri)
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "text/plain");
    for (name, value) in context {
        request = request.header(*name, *value);
    }
    app.send(request.body(Body::empty()).unwrap()).await.status
}

/// Defect 7: body-less POSTs were accepted from any same-site origin (another port, a sibling host).
#[tokio::test]
async fn state_changing_requests_from_other_origins_are_refused() {
    let app = test_app().await;
    let staff = app.sign_in(rapport_server::seed::STAFF_EMAIL).await;
    let order: i64 =
        sqlx::query_scalar("SELECT id FROM orders WHERE status = 'shipped' ORDER BY id LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let uri = format!("/api/v1/staff/orders/{order}/delivered");
    for context in [
        [("origin", "http://127.0.0.1:9999")],
        [("origin", "http://shop.127.0.0.1:8080")],
        [("origin", "null")],
        [("sec-fetch-site", "same-site")],
        [("sec-fetch-site", "cross-site")],
    ] {
        assert_eq!(
            form_post(&app, &uri, &staff, &context).await,
            StatusCode::FORBIDDEN,
            "{context:?}"
        );
    }
    let status: String = sqlx::query_scalar("SELECT status FROM orders WHERE id = $1")
        .bind(order)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(status, "shipped", "nothing changed");
    let demo = app.demo_cookie().await;
    for uri in ["/api/v1/invitations/1/dismiss", "/api/v1/requests"] {
        let refused = form_post(&app, uri, &demo, &[("origin", "http://evil.example")]).await;
        assert_eq!(refused, StatusCode::FORBIDDEN, "{uri}");
    }
    // Signing in and out are state changes too (login CSRF, forced sign-out).
    for method in ["POST", "DELETE"] {
        let answer = app
            .send(
                Request::builder()
                    .method(method)
                    .uri("/api/v1/session")
                    .header(header::HOST, "127.0.0.1:8080")
                    .header("sec-fetch-site", "cross-site")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{method}");
        assert_eq!(answer.error_code(), "cross_origin");
    }
    // The portal's own requests pass: same origin, or typed by the user.
    for context in [
        [("origin", "http://127.0.0.1:8080")],
        [("sec-fetch-site", "same-origin")],
    ] {
        assert_eq!(
            form_post(&app, &uri, &staff, &context).await,
            StatusCode::NO_CONTENT,
            "{context:?}"
        );
    }
    // Reading is never refused.
    let read = app
        .send(
            Request::get("/api/v1/me")
                .header(header::COOKIE, &demo)
                .header("sec-fetch-site", "cross-site")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(read.status, StatusCode::OK);
}

/// The widget may post answers from any site, but never in the name of the customer whose cookie a
/// sibling site's form would carry along: such an answer is stored as anonymous.
#[tokio::test]
async fn cross_origin_survey_answers_are_anonymous() {
    let app = test_app().await;
    let demo = app.demo_cookie().await;
    let answer = app
        .send_json(
            "POST",
            "/api/v1/survey-responses",
            &demo,
            &nps(9),
            &[
                ("idempotency-key", "csrf-test-key-0001"),
                ("origin", "https://shop.example"),
                ("host", "127.0.0.1:8080"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED);
    let own: Option<i64> =
        sqlx::query_scalar("SELECT customer_id FROM survey_responses WHERE idempotency_key = $1")
            .bind("csrf-test-key-0001")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(own, None);
}
