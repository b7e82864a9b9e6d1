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

/// Defect 11: personal-data answers carried no `Cache-Control: no-store`.
#[tokio::test]
async fn personal_data_is_never_cached() {
    let app = test_app().await;
    let demo = app.demo_cookie().await;
    for uri in [
        "/api/v1/me",
        "/api/v1/profile",
        "/api/v1/preferences",
        "/api/v1/consent-records",
        "/api/v1/history",
        "/api/v1/overview",
        "/api/v1/session",
        "/api/v1/relationship",
        "/api/v1/invitations",
        "/api/v1/requests",
        "/api/v1/deletion-request",
    ] {
        let answer = app.get(uri, &demo).await;
        // No deletion request yet is a 404, which must not be cached either.
        assert!(
            answer.status.is_success() || answer.status == StatusCode::NOT_FOUND,
            "{uri}"
        );
        assert_eq!(
            answer.header(header::CACHE_CONTROL).as_deref(),
            Some("no-store"),
            "{uri}"
        );
    }
    // Public definitions keep their own caching.
    let public = app.get("/api/v1/instruments/nps", "").await;
    assert!(public
        .header(header::CACHE_CONTROL)
        .is_some_and(|c| c.starts_with("public")));
}

/// The seeded app with a configuration changed by `change`.
async fn app_with(
    change: impl FnOnce(&mut rapport_server::Config),
) -> (axum::Router, common::TempDir) {
    let pool = common::fresh_db().await;
    rapport_server::seed::seed_if_empty(&pool).await.unwrap();
    let dir = common::temp_dir("configured");
    let mut config = rapport_server::Config {
        portal_dir: dir.0.join("portal"),
        widget_dir: dir.0.join("widget"),
        ..rapport_server::Config::default()
    };
    change(&mut config);
    (
        rapport_server::app(rapport_server::AppState::new(pool, config)),
        dir,
    )
}

/// The app with `RAPPORT_SECURE_COOKIE=1`.
async fn secure_app() -> (axum::Router, common::TempDir) {
    app_with(|c| c.secure_cookie = true).await
}

async fn call(router: &axum::Router, request: Request<Body>) -> axum::response::Response {
    use tower::ServiceExt;
    router.clone().oneshot(request).await.unwrap()
}

/// Defects 9 and 14: no `__Host-` prefix, the first of two session cookies won, and no HSTS.
#[tokio::test]
async fn secure_cookies_have_the_host_prefix_and_two_of_them_count_as_none() {
    let (router, _dir) = secure_app().await;
    let login = json!({"email": rapport_server::seed::DEMO_EMAIL, "password": rapport_server::seed::DEMO_PASSWORD});
    let signed_in = call(
        &router,
        Request::post("/api/v1/session")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(login.to_string()))
            .unwrap(),
    )
    .await;
    assert_eq!(signed_in.status(), StatusCode::OK);
    assert_eq!(
        signed_in
            .headers()
            .get(header::STRICT_TRANSPORT_SECURITY)
            .unwrap(),
        "max-age=31536000"
    );
    let set_cookie = signed_in.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(
        set_cookie.starts_with("__Host-rapport_session="),
        "{set_cookie}"
    );
    assert!(set_cookie.contains("; Path=/;") && set_cookie.ends_with("; Secure"));
    assert!(!set_cookie.contains("Domain"));
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let token = cookie.split_once('=').unwrap().1.to_owned();
    let me = |cookie: String| {
        Request::get("/api/v1/me")
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(
        call(&router, me(cookie.clone())).await.status(),
        StatusCode::OK
    );
    // A planted second cookie, before or after the real one: neither is used.
    for tossed in [
        format!("__Host-rapport_session=planted; {cookie}"),
        format!("{cookie}; __Host-rapport_session=planted"),
    ] {
        assert_eq!(
            call(&router, me(tossed)).await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    // The name without the prefix (which a sibling subdomain can set) is not read at all.
    let unprefixed = format!("rapport_session={token}");
    assert_eq!(
        call(&router, me(unprefixed)).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn no_hsts_over_plain_http() {
    let app = test_app().await;
    let answer = app.get("/api/v1/health", "").await;
    assert!(answer.header(header::STRICT_TRANSPORT_SECURITY).is_none());
}

async fn submit(app: &TestApp, cookie: &str, uri: &str, key: &str, body: &Value) -> common::Answer {
    app.send_json("POST", uri, cookie, body, &[("idempotency-key", key)])
        .await
}

/// Defect 5: `respondent_id`, `meta.segment` and `meta.timestamp` had no length limit.
#[tokio::test]
async fn every_stored_text_has_a_length_limit() {
    let app = test_app().await;
    let long = |n: usize| "x".repeat(n);
    for (field, change) in [
        ("respondent_id", json!({"respondent_id": long(129)})),
        ("meta.segment", json!({"meta": {"segment": long(65)}})),
        (
            "meta.timestamp",
            json!({"meta": {"timestamp": long(10_000)}}),
        ),
    ] {
        let mut body = nps(7);
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let answer = submit(
            &app,
            "",
            "/api/v1/survey-responses",
            "length-key-0001",
            &body,
        )
        .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(
            answer.field_errors(),
            [(field.to_owned(), "too_long".to_owned())]
        );
    }
    let mut fits = nps(7);
    fits["respondent_id"] = json!(long(128));
    fits["meta"] = json!({"segment": long(64)});
    let answer = submit(
        &app,
        "",
        "/api/v1/survey-responses",
        "length-key-0002",
        &fits,
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED);
}

/// Defect 5: nothing told junk from real answers. Each answer records its source, and the staff export
/// filters by it.
#[tokio::test]
async fn each_answer_records_its_source_and_the_export_filters_by_it() {
    let app = test_app().await;
    let demo = app.demo_cookie().await;
    let staff = app.sign_in(rapport_server::seed::STAFF_EMAIL).await;
    let uri = "/api/v1/survey-responses";
    assert_eq!(
        submit(&app, "", uri, "source-anon-01", &nps(0))
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(
        submit(&app, &demo, uri, "source-demo-01", &nps(10))
            .await
            .status,
        StatusCode::CREATED
    );
    let invitations: rapport_api::InvitationList = app.get_ok("/api/v1/invitations", &demo).await;
    let invited = invitations
        .invitations
        .iter()
        .find(|i| i.instrument == "nps")
        .expect("the demo customer is invited to the NPS survey");
    let with_invitation = format!("{uri}?invitation={}", invited.id);
    let answer = submit(&app, &demo, &with_invitation, "source-invited-01", &nps(9)).await;
    assert_eq!(answer.status, StatusCode::CREATED);
    let sources: Vec<(String, String)> = sqlx::query_as(
        "SELECT idempotency_key, source FROM survey_responses
         WHERE idempotency_key LIKE 'source-%' ORDER BY idempotency_key",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let sources: Vec<(&str, &str)> = sources
        .iter()
        .map(|(k, s)| (k.as_str(), s.as_str()))
        .collect();
    assert_eq!(
        sources,
        [
            ("source-anon-01", "widget"),
            ("source-demo-01", "customer"),
            ("source-invited-01", "invitation")
        ]
    );
    let export = |source: &str| {
        format!("/api/v1/staff/survey-responses?instrument=nps&limit=5000&source={source}")
    };
    let mut total = 0;
    for source in ["widget", "customer", "invitation"] {
        let answer = app.get(&export(source), &staff).await;
        assert_eq!(answer.status, StatusCode::OK);
        let lines: Vec<Value> = String::from_utf8(answer.body)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert!(!lines.is_empty(), "{source}");
        assert!(
            lines.iter().all(|l| l["meta"]["source"] == source),
            "{source}"
        );
        total += lines.len();
    }
    let all = app
        .get(
            "/api/v1/staff/survey-responses?instrument=nps&limit=5000",
            &staff,
        )
        .await;
    assert_eq!(String::from_utf8(all.body).unwrap().lines().count(), total);
    let bad = app.get(&export("bots"), &staff).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.error_code(), "invalid_query");
}

/// `RAPPORT_SURVEY_ORIGINS`: only the listed sites' pages may submit through the widget.
#[tokio::test]
async fn the_widget_origin_allow_list_is_enforced() {
    let (router, _dir) =
        app_with(|c| c.survey_origins = Some(vec!["https://shop.example".into()])).await;
    let post = |origin: &str, key: &str| {
        Request::post("/api/v1/survey-responses")
            .header(header::HOST, "rapport.example")
            .header(header::ORIGIN, origin)
            .header(header::CONTENT_TYPE, "application/json")
            .header("idempotency-key", key)
            .body(Body::from(nps(8).to_string()))
            .unwrap()
    };
    let refused = call(&router, post("https://evil.example", "origin-key-01")).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let allowed = call(&router, post("https://shop.example", "origin-key-02")).await;
    assert_eq!(allowed.status(), StatusCode::CREATED);
    let own = call(&router, post("http://rapport.example", "origin-key-03")).await;
    assert_eq!(own.status(), StatusCode::CREATED, "the portal itself");
}

/// Defect 10: adding the same address 100 times sent 100 confirmation messages to it. Now 3 per
/// address a day (whoever asks, however it is spelled) and 10 per customer an hour, also when the
/// requests come in parallel.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn confirmation_messages_are_limited_per_address_and_per_customer() {
    let (app, outbox) = common::test_app_with_outbox().await;
    let app = std::sync::Arc::new(app);
    let demo = app.demo_cookie().await;
    let add = |address: String| {
        let (app, demo) = (app.clone(), demo.clone());
        tokio::spawn(async move {
            let body = json!({"channel": "email", "address": address});
            app.send_json("POST", "/api/v1/contact-points", &demo, &body, &[])
                .await
        })
    };
    let spellings = [
        "victim@example.test",
        "VICTIM@example.test",
        "vic\u{00AD}tim@example.test",
    ];
    let tasks: Vec<_> = (0..100).map(|i| add(spellings[i % 3].to_owned())).collect();
    let mut statuses = Vec::new();
    for task in tasks {
        let answer = task.await.unwrap();
        if answer.status == StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(answer.error_code(), "too_many_messages");
            assert!(answer.header(header::RETRY_AFTER).is_some());
        }
        statuses.push(answer.status.as_u16());
    }
    let mails = || async {
        outbox
            .sent()
            .await
            .iter()
            .filter(|m| m.starts_with("Confirm contact point"))
            .count()
    };
    let sent = mails().await;
    println!("100 parallel adds of one address: {sent} messages");
    assert!(sent <= 3, "{sent} messages");
    assert!(statuses.iter().filter(|s| **s == 429).count() >= 97 - 3);
    // Per customer: 10 an hour over different addresses (3 already used).
    let mut more = Vec::new();
    for n in 0..10 {
        more.push(
            add(format!("other{n}@example.test"))
                .await
                .unwrap()
                .status
                .as_u16(),
        );
    }
    assert_eq!(mails().await, 10, "10 for the customer in the hour");
    // The ones over the customer's budget were refused, as many as were already sent.
    assert_eq!(more.iter().filter(|s| **s == 429).count(), sent);
}
