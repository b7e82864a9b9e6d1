//! The survey kit's server side: instrument definitions, and survey responses stored exactly once.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{app_over, temp_dir, test_app, Answer, TestApp};
use rapport_api::{HistoryKind, HistoryPage};
use rapport_server::{db, seed};
use serde_json::{json, Value};
use std::sync::Arc;

const KEY: &str = "key-0001-abcdef";

fn reference(id: &str) -> Value {
    let instrument = rapport_core::builtin(id).expect("a built-in");
    serde_json::to_value(instrument.reference()).unwrap()
}

fn nps(score: i64) -> Value {
    json!({"instrument": reference("nps"), "answers": {"NPS": score}})
}

/// A complete SERVQUAL response with the given importance points.
fn servqual(points: [i64; 5]) -> Value {
    let mut answers = serde_json::Map::new();
    for n in 1..=22 {
        answers.insert(format!("E{n}"), json!(6));
        answers.insert(format!("P{n}"), json!(5));
    }
    for (column, value) in ["W_TAN", "W_REL", "W_RES", "W_ASS", "W_EMP"]
        .iter()
        .zip(points)
    {
        answers.insert((*column).to_owned(), json!(value));
    }
    json!({"instrument": reference("servqual"), "answers": answers})
}

async fn post_raw(app: &TestApp, cookie: &str, key: Option<&str>, body: String) -> Answer {
    let mut request = Request::post("/api/v1/survey-responses")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::COOKIE, cookie);
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    app.send(request.body(Body::from(body)).unwrap()).await
}

async fn post(app: &TestApp, cookie: &str, key: &str, body: &Value) -> Answer {
    post_raw(app, cookie, Some(key), body.to_string()).await
}

/// Rows stored by submissions: the seeded demo answers are not counted.
async fn rows(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM survey_responses WHERE idempotency_key NOT LIKE $1")
        .bind(format!("{}%", seed::DEMO_RESPONSE_KEY_PREFIX))
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// `(code, [(field, problem)])` of an error answer.
fn problems(answer: &Answer) -> (String, Vec<(String, String)>) {
    let error = answer.error().error;
    let fields = error
        .fields
        .into_iter()
        .map(|f| (f.field, f.problem))
        .collect();
    (error.code, fields)
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(f, p)| ((*f).to_owned(), (*p).to_owned()))
        .collect()
}

#[tokio::test]
async fn instruments_are_public_cacheable_and_answer_304_on_a_match() {
    let app = test_app().await;
    let answer = app.get("/api/v1/instruments/servqual", "").await;
    assert_eq!(answer.status, StatusCode::OK);
    let expected = rapport_core::builtin("servqual").unwrap();
    let def: Value = answer.json();
    assert_eq!(def, serde_json::to_value(expected.def()).unwrap());
    assert_eq!(def["hash"], json!(expected.def().hash));
    assert!(!expected.def().hash.is_empty());
    let etag = answer.header(header::ETAG).unwrap();
    assert_eq!(etag, format!("\"{}\"", expected.def().hash));
    assert_eq!(
        answer.header(header::CACHE_CONTROL).as_deref(),
        Some("public, max-age=300")
    );

    for tag in [etag.clone(), format!("W/{etag}"), format!("\"x\", {etag}")] {
        let again = app
            .send(
                Request::get("/api/v1/instruments/servqual")
                    .header(header::IF_NONE_MATCH, &tag)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{tag}");
        assert!(again.body.is_empty());
        assert_eq!(again.header(header::ETAG), Some(etag.clone()));
    }
    let other = app
        .send(
            Request::get("/api/v1/instruments/servqual")
                .header(header::IF_NONE_MATCH, "\"stale\"")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(other.status, StatusCode::OK);

    let list = app.get("/api/v1/instruments", "").await;
    assert_eq!(list.status, StatusCode::OK);
    let list: Vec<Value> = list.json();
    let ids: Vec<&str> = list.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids, rapport_core::BUILTIN_NAMES);
    let nps = list.iter().find(|i| i["id"] == "nps").unwrap();
    let reference = reference("nps");
    assert_eq!(nps["version"], reference["version"]);
    assert_eq!(nps["hash"], reference["hash"]);
    assert_eq!(nps["title"]["en"], "Recommendation");
}

#[tokio::test]
async fn an_unknown_instrument_is_the_standard_404() {
    let app = test_app().await;
    for id in ["nope", "SERVQUAL", "%00"] {
        let answer = app.get(&format!("/api/v1/instruments/{id}"), "").await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{id}");
        assert_eq!(answer.error_code(), "not_found");
    }
}

#[tokio::test]
async fn a_response_is_stored_once_and_a_retry_gets_the_same_reply() {
    let app = test_app().await;
    let first = post(&app, "", KEY, &nps(9)).await;
    assert_eq!(
        first.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&first.body)
    );
    let body: Value = first.json();
    let id = body["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("sr_") && id.len() == 35, "{id}");
    assert_eq!(
        first.header(header::LOCATION),
        Some(format!("/api/v1/survey-responses/{id}"))
    );
    assert_eq!(first.header("idempotent-replayed".parse().unwrap()), None);
    assert_eq!(body["instrument"], reference("nps"));
    assert_eq!(body["scores"]["scores"]["method"], "nps");
    assert!(body["received_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(rows(&app).await, 1);

    // The same answers with other key order and spacing: a replay.
    let reordered = format!(
        "{{ \"answers\": {{\"NPS\": 9}},\n \"instrument\": {} }}",
        reference("nps")
    );
    let again = post_raw(&app, "", Some(KEY), reordered).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body, first.body, "byte for byte the first reply");
    assert_eq!(
        again
            .header("idempotent-replayed".parse().unwrap())
            .as_deref(),
        Some("true")
    );
    assert_eq!(
        again.header(header::LOCATION),
        first.header(header::LOCATION)
    );
    assert_eq!(rows(&app).await, 1);

    // Other answers under the same key: refused, the first answers stay.
    let other = post(&app, "", KEY, &nps(3)).await;
    assert_eq!(other.status, StatusCode::CONFLICT);
    let error = other.error().error;
    assert_eq!(error.code, "already_submitted");
    assert!(
        error.message.contains("already answered"),
        "{}",
        error.message
    );
    assert_eq!(rows(&app).await, 1);
    let stored: String =
        sqlx::query_scalar("SELECT answers FROM survey_responses WHERE idempotency_key = $1")
            .bind(KEY)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(stored, r#"{"NPS":9}"#);

    // A new key is a new response.
    let second = post(&app, "", "key-0002-abcdef", &nps(9)).await;
    assert_eq!(second.status, StatusCode::CREATED);
    assert_ne!(second.json::<Value>()["id"], json!(id));
    assert_eq!(rows(&app).await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_submissions_with_one_key_store_one_row() {
    // A database file (or the PostgreSQL server), so that the requests really run on several
    // connections at once.
    let dir = temp_dir("survey-concurrency");
    let path = dir.0.join("rapport.db");
    let pool = if common::on_postgres() {
        common::fresh_db().await
    } else {
        db::open(path.to_str().unwrap()).await.unwrap()
    };
    let app = Arc::new(app_over(pool, "survey-concurrency"));
    let barrier = Arc::new(tokio::sync::Barrier::new(16));
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let (app, barrier) = (app.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                post(&app, "", "concurrent-key-1", &nps(10)).await
            })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    let created = answers
        .iter()
        .filter(|a| a.status == StatusCode::CREATED)
        .count();
    assert_eq!(created, 1);
    for answer in &answers {
        assert!(
            matches!(answer.status, StatusCode::CREATED | StatusCode::OK),
            "{}: {}",
            answer.status,
            String::from_utf8_lossy(&answer.body)
        );
        assert_eq!(answer.body, answers[0].body);
    }
    let ids: std::collections::BTreeSet<String> = answers
        .iter()
        .map(|a| a.json::<Value>()["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 1);
    assert_eq!(rows(&app).await, 1);
}

#[tokio::test]
async fn the_idempotency_key_is_required_and_checked() {
    let app = test_app().await;
    let short = "a".repeat(7);
    let long = "a".repeat(129);
    for key in [
        None,
        Some(""),
        Some(short.as_str()),
        Some(long.as_str()),
        Some("has space1"),
        Some("dots.are.no"),
    ] {
        let answer = post_raw(&app, "", key, nps(9).to_string()).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{key:?}");
        assert_eq!(answer.error_code(), "idempotency_key_required");
    }
    assert_eq!(rows(&app).await, 0);
    for key in ["a".repeat(8), "A_z-9".repeat(25) + "abc"] {
        let answer = post_raw(&app, "", Some(&key), nps(9).to_string()).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{key}");
    }
    assert_eq!(rows(&app).await, 2);
}

#[tokio::test]
async fn malformed_json_is_400_and_stores_nothing() {
    let app = test_app().await;
    let cases = [
        "{\"instrument\": ".to_owned(),
        "not json".to_owned(),
        format!(
            "{{\"instrument\": {},\n \"answers\": [1, 2]}}",
            reference("nps")
        ),
        format!(
            "{{\"instrument\": {}, \"answers\": {{}}, \"extra\": 1}}",
            reference("nps")
        ),
    ];
    for (n, body) in cases.into_iter().enumerate() {
        let answer = post_raw(&app, "", Some(&format!("malformed-{n}")), body.clone()).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{body}");
        let error = answer.error().error;
        assert_eq!(error.code, "invalid_json");
        assert!(
            error.message.contains("line ") && error.message.contains("column "),
            "{}",
            error.message
        );
    }
    let bytes = Request::post("/api/v1/survey-responses")
        .header("idempotency-key", "not-utf8-body")
        .body(Body::from(vec![0xff, 0xfe, b'{']))
        .unwrap();
    let answer = app.send(bytes).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.error_code(), "invalid_json");
    assert_eq!(rows(&app).await, 0);
}

#[tokio::test]
async fn invalid_answers_are_422_with_one_field_per_problem() {
    let app = test_app().await;
    let check = |answer: &Answer, expected: &[(&str, &str)]| {
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            String::from_utf8_lossy(&answer.body)
        );
        let (code, fields) = problems(answer);
        assert_eq!(code, "invalid_response");
        assert_eq!(fields, pairs(expected));
        assert!(!answer.error().error.message.is_empty());
    };

    let out_of_range = post(&app, "", "invalid-1", &nps(11)).await;
    check(&out_of_range, &[("NPS", "out_of_range")]);
    assert!(out_of_range.error().error.message.contains("from 0 to 10"));

    let missing = json!({"instrument": reference("nps"), "answers": {"NPS": null}});
    check(
        &post(&app, "", "invalid-2", &missing).await,
        &[("NPS", "missing_required")],
    );

    check(
        &post(&app, "", "invalid-3", &servqual([20, 20, 20, 20, 10])).await,
        &[("W_TAN", "allocation_sum")],
    );
    let mut partial = servqual([20, 20, 20, 20, 20]);
    partial["answers"]["W_EMP"] = Value::Null;
    check(
        &post(&app, "", "invalid-4", &partial).await,
        &[("W_EMP", "allocation_incomplete")],
    );
    let mut several = servqual([20, 20, 20, 20, 20]);
    several["answers"]["E1"] = json!(8);
    several["answers"]["P22"] = json!(0);
    several["answers"]["Q1"] = json!(3);
    check(
        &post(&app, "", "invalid-5", &several).await,
        &[
            ("Q1", "unknown_item"),
            ("E1", "out_of_range"),
            ("P22", "out_of_range"),
        ],
    );
    let text = format!(
        "{{\"instrument\": {}, \"answers\": {{\"NPS\": 5, \"NPS\": 6}}}}",
        reference("nps")
    );
    check(
        &post_raw(&app, "", Some("invalid-6"), text).await,
        &[("NPS", "duplicate_item")],
    );
    let text = format!(
        "{{\"instrument\": {}, \"answers\": {{\"NPS\": \"9\"}}}}",
        reference("nps")
    );
    check(
        &post_raw(&app, "", Some("invalid-7"), text).await,
        &[("NPS", "not_an_integer")],
    );

    // The instrument reference: unknown, other version, other hash.
    let mut unknown = nps(9);
    unknown["instrument"]["id"] = json!("nope");
    check(
        &post(&app, "", "invalid-8", &unknown).await,
        &[("instrument", "unknown_instrument")],
    );
    let mut version = nps(9);
    version["instrument"]["version"] = json!("0.9.0");
    check(
        &post(&app, "", "invalid-9", &version).await,
        &[("instrument", "version_mismatch")],
    );
    let mut hash = nps(9);
    hash["instrument"]["hash"] = json!("00");
    check(
        &post(&app, "", "invalid-10", &hash).await,
        &[("instrument", "hash_mismatch")],
    );

    assert_eq!(rows(&app).await, 0);

    // A valid SERVQUAL response is scored by the core.
    let valid = post(&app, "", "valid-servqual", &servqual([20, 20, 20, 20, 20])).await;
    assert_eq!(valid.status, StatusCode::CREATED);
    let scores = &valid.json::<Value>()["scores"]["scores"];
    assert_eq!(scores["method"], "servqual");
    assert_eq!(scores["sq"], json!(-1.0));
    assert_eq!(rows(&app).await, 1);
}

#[tokio::test]
async fn a_body_over_64_kib_is_413_and_stores_nothing() {
    let app = test_app().await;
    let mut big = nps(9);
    big["meta"] = json!({"segment": "x".repeat(65 * 1024)});
    let answer = post(&app, "", "too-large-1", &big).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer.error_code(), "payload_too_large");
    assert_eq!(rows(&app).await, 0);
}

#[tokio::test]
async fn markup_in_meta_is_stored_and_returned_as_plain_data() {
    let app = test_app().await;
    let demo = app.demo_cookie().await;
    let segment = "<script>alert('x')</script><img src=x onerror=\"y()\"> & é";
    let mut body = nps(7);
    body["meta"] = json!({"segment": segment, "timestamp": "2025-05-01T10:00:00+02:00"});
    let created = post(&app, &demo, "markup-key-1", &body).await;
    assert_eq!(created.status, StatusCode::CREATED);
    let stored: String =
        sqlx::query_scalar("SELECT meta FROM survey_responses WHERE idempotency_key = $1")
            .bind("markup-key-1")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let stored: Value = serde_json::from_str(&stored).unwrap();
    assert_eq!(stored["segment"], json!(segment));

    let location = created.header(header::LOCATION).unwrap();
    let detail = app.get(&location, &demo).await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(detail
        .header(header::CONTENT_TYPE)
        .unwrap()
        .starts_with("application/json"));
    assert_eq!(
        detail.header(header::X_CONTENT_TYPE_OPTIONS).as_deref(),
        Some("nosniff")
    );
    let detail: Value = detail.json();
    assert_eq!(detail["meta"]["segment"], segment);
    assert_eq!(detail["answers"], json!({"NPS": 7}));
    assert_eq!(detail["id"], created.json::<Value>()["id"]);
}

#[tokio::test]
async fn a_signed_in_response_is_linked_and_listed_in_the_history() {
    let app = test_app().await;
    let demo = app.demo_cookie().await;
    let demo_id: i64 = sqlx::query_scalar("SELECT id FROM customers WHERE email = $1")
        .bind(seed::DEMO_EMAIL)
        .fetch_one(&app.pool)
        .await
        .unwrap();

    let signed_in = post(&app, &demo, "linked-key-1", &nps(9)).await;
    assert_eq!(signed_in.status, StatusCode::CREATED);
    let id = signed_in.json::<Value>()["id"].as_str().unwrap().to_owned();
    let anonymous = post(&app, "", "anonymous-key-1", &nps(4)).await;
    assert_eq!(anonymous.status, StatusCode::CREATED);
    let anonymous_id = anonymous.json::<Value>()["id"].as_str().unwrap().to_owned();

    let owner = |id: String| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, Option<i64>>(
                "SELECT customer_id FROM survey_responses WHERE id = $1",
            )
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    assert_eq!(owner(id.clone()).await, Some(demo_id));
    assert_eq!(owner(anonymous_id.clone()).await, None);
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM survey_responses WHERE customer_id = $1",
            demo_id
        )
        .await,
        1
    );

    let page: HistoryPage = app
        .get_ok("/api/v1/history?kind=survey_answer", &demo)
        .await;
    assert_eq!(page.total, 1);
    let entry = &page.entries[0];
    assert_eq!(entry.kind, HistoryKind::SurveyAnswer);
    assert_eq!(entry.id, format!("survey_answer:{id}"));
    assert_eq!(entry.reference, "Recommendation");
    assert_eq!(entry.detail.as_deref(), Some("nps"));
    let received_at = signed_in.json::<Value>()["received_at"].clone();
    assert_eq!(json!(entry.at), received_at);
    // Text search finds it by title, and it is in the unfiltered timeline (newest first).
    let found: HistoryPage = app.get_ok("/api/v1/history?q=recommend", &demo).await;
    assert!(found.entries.iter().any(|e| e.id == entry.id));
    let all: HistoryPage = app.get_ok("/api/v1/history?limit=5", &demo).await;
    assert!(all.entries.iter().any(|e| e.id == entry.id));

    // Another customer sees neither the entry nor the response.
    let other = app.sign_in(seed::OTHER_CUSTOMERS[0].0).await;
    let page: HistoryPage = app
        .get_ok("/api/v1/history?kind=survey_answer", &other)
        .await;
    assert_eq!(page.total, 0);
    let location = format!("/api/v1/survey-responses/{id}");
    assert_eq!(
        app.get(&location, &other).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&location, "").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.get(&location, &demo).await.status, StatusCode::OK);
    let anonymous_location = format!("/api/v1/survey-responses/{anonymous_id}");
    assert_eq!(
        app.get(&anonymous_location, &demo).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_key_used_by_someone_else_reveals_nothing() {
    let app = test_app().await;
    let demo = app.demo_cookie().await;
    let other = app.sign_in(seed::OTHER_CUSTOMERS[0].0).await;
    let first = post(&app, &demo, "shared-key-1", &nps(9)).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let id = first.json::<Value>()["id"].as_str().unwrap().to_owned();

    // The same answers and key from another customer, and anonymously: 409, no trace of the first.
    for cookie in [other.as_str(), ""] {
        let answer = post(&app, cookie, "shared-key-1", &nps(9)).await;
        assert_eq!(answer.status, StatusCode::CONFLICT);
        assert_eq!(answer.error_code(), "already_submitted");
        let text = String::from_utf8_lossy(&answer.body);
        assert!(!text.contains(&id) && !text.contains("scores"), "{text}");
        assert_eq!(answer.header(header::LOCATION), None);
        // Indistinguishable from other answers under a used key.
        let different = post(&app, cookie, "shared-key-1", &nps(1)).await;
        assert_eq!(
            different.body_without_request_id(),
            answer.body_without_request_id()
        );
    }
    assert_eq!(rows(&app).await, 1);
    // The owner still gets the replay.
    let again = post(&app, &demo, "shared-key-1", &nps(9)).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body, first.body);
}

#[tokio::test]
async fn a_widget_on_another_site_may_load_definitions_and_send_answers_but_not_read_them() {
    let app = test_app().await;
    let origin = "https://shop.example.test";
    // The browser's preflight for a POST with the idempotency key.
    let preflight = app
        .send(
            Request::builder()
                .method("OPTIONS")
                .uri("/api/v1/survey-responses")
                .header(header::ORIGIN, origin)
                .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(
                    header::ACCESS_CONTROL_REQUEST_HEADERS,
                    "content-type,idempotency-key",
                )
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(preflight.status.is_success(), "{:?}", preflight.status);
    assert_eq!(
        preflight
            .header(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .as_deref(),
        Some("*")
    );
    let allowed = preflight
        .header(header::ACCESS_CONTROL_ALLOW_HEADERS)
        .unwrap_or_default();
    assert!(allowed.contains("idempotency-key"), "{allowed}");
    // No credentials across origins: a session cookie can never be used from another site.
    assert_eq!(
        preflight.header(header::ACCESS_CONTROL_ALLOW_CREDENTIALS),
        None
    );

    let stored = app
        .send(
            Request::post("/api/v1/survey-responses")
                .header(header::ORIGIN, origin)
                .header(header::CONTENT_TYPE, "application/json")
                .header("idempotency-key", "cross-origin-0001")
                .body(Body::from(nps(8).to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(stored.status, StatusCode::CREATED);
    assert_eq!(
        stored
            .header(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .as_deref(),
        Some("*")
    );
    let exposed = stored
        .header(header::ACCESS_CONTROL_EXPOSE_HEADERS)
        .unwrap_or_default();
    assert!(exposed.contains("retry-after"), "{exposed}");

    for uri in ["/api/v1/instruments/nps", "/widget/rapport-survey.js"] {
        let answer = app
            .send(
                Request::get(uri)
                    .header(header::ORIGIN, origin)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(
            answer
                .header(header::ACCESS_CONTROL_ALLOW_ORIGIN)
                .as_deref(),
            Some("*"),
            "{uri}"
        );
    }
    // Everything personal stays same-origin only.
    for uri in ["/api/v1/overview", "/api/v1/survey-responses/sr_x"] {
        let answer = app
            .send(
                Request::get(uri)
                    .header(header::ORIGIN, origin)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(
            answer.header(header::ACCESS_CONTROL_ALLOW_ORIGIN),
            None,
            "{uri}"
        );
    }
}

/// An answer sent with a session cookie that no longer names a live session (expired, signed out,
/// made up, or two cookies) is 401 and stores nothing, so the portal signs in again and its outbox
/// sends it once more; it is never filed as an anonymous stranger's. Without any session cookie (the
/// widget on a firm's site) answers are stored as before.
#[tokio::test]
async fn a_dead_session_cookie_is_401_while_no_cookie_stays_anonymous() {
    let app = test_app().await;
    let expired = app.demo_cookie().await;
    let token = expired.split_once('=').unwrap().1.to_owned();
    sqlx::query("UPDATE sessions SET expires_at = '2000-01-01T00:00:00Z' WHERE token_hash = $1")
        .bind(rapport_server::ids::token_hash(&token))
        .execute(&app.pool)
        .await
        .unwrap();
    let live = app.demo_cookie().await;
    let before = rows(&app).await;
    for (cookie, why) in [
        (expired.as_str(), "expired"),
        ("rapport_session=made-up-token", "made up"),
        (&format!("{live}; {live}") as &str, "two session cookies"),
        ("rapport_session=", "empty"),
    ] {
        let answer = post(&app, cookie, &format!("dead-{why}"), &nps(7)).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{why}");
        assert_eq!(answer.error_code(), "unauthorized", "{why}");
    }
    assert_eq!(rows(&app).await, before, "nothing stored");

    // Other cookies, or none at all: anonymous, as a widget on a firm's site sends it.
    for (cookie, key) in [("", "anon-none"), ("theme=dark; lang=nl", "anon-other")] {
        let answer = post(&app, cookie, key, &nps(8)).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{cookie:?}");
    }
    let anonymous: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM survey_responses
         WHERE idempotency_key IN ('anon-none', 'anon-other') AND customer_id IS NULL",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(anonymous, 2);

    // The same answer after signing in again is the customer's.
    let retried = post(&app, &live, "dead-expired", &nps(7)).await;
    assert_eq!(retried.status, StatusCode::CREATED);
    let owner: Option<i64> = sqlx::query_scalar(
        "SELECT customer_id FROM survey_responses WHERE idempotency_key = 'dead-expired'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(owner, Some(app.customer_id(seed::DEMO_EMAIL).await));
}
