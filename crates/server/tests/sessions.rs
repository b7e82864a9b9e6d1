//! Sessions against the real router: the inactivity timeout, the list of one's sessions, "sign out
//! everywhere else", the password change (with parallel wrong guesses) and the removal of dead rows.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{test_app, TestApp};
use rapport_api::{SessionList, SignedOutOthers};
use rapport_server::clock::rfc3339;
use rapport_server::{seed, sessions};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

const FIREFOX_LINUX: &str =
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const CHROME_ANDROID: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36";

async fn get_as(app: &TestApp, uri: &str, cookie: &str, agent: &str) -> common::Answer {
    app.send(
        Request::get(uri)
            .header(header::COOKIE, cookie)
            .header(header::USER_AGENT, agent)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

async fn sign_in_with(app: &TestApp, email: &str, password: &str) -> StatusCode {
    let body = json!({ "email": email, "password": password });
    app.send_json("POST", "/api/v1/session", "", &body, &[])
        .await
        .status
}

/// Moves a session's last use into the past, as if it had not been used since.
async fn idle_for(app: &TestApp, cookie: &str, idle: Duration) {
    let token = cookie.split_once('=').unwrap().1;
    let at = rfc3339(OffsetDateTime::now_utc() - idle);
    sqlx::query("UPDATE sessions SET last_used_at = $1 WHERE token_hash = $2")
        .bind(at)
        .bind(rapport_server::ids::token_hash(token))
        .execute(&app.pool)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_session_unused_for_the_idle_timeout_ends() {
    let app = test_app().await;
    let fresh = app.demo_cookie().await;
    let idle = app.demo_cookie().await;
    // 29 minutes without use: still alive, and the use is recorded again.
    idle_for(&app, &fresh, Duration::from_secs(29 * 60)).await;
    assert_eq!(app.get("/api/v1/me", &fresh).await.status, StatusCode::OK);
    idle_for(&app, &idle, Duration::from_secs(31 * 60)).await;
    assert_eq!(
        app.get("/api/v1/me", &idle).await.status,
        StatusCode::UNAUTHORIZED
    );
    let info: serde_json::Value = app.get_ok("/api/v1/session", &idle).await;
    assert!(info["customer"].is_null());
    // The recorded use moved forward: the next 29 minutes start now.
    let used: String =
        sqlx::query_scalar("SELECT last_used_at FROM sessions WHERE token_hash = $1")
            .bind(rapport_server::ids::token_hash(
                fresh.split_once('=').unwrap().1,
            ))
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(used >= rfc3339(OffsetDateTime::now_utc() - Duration::from_secs(5)));
    assert_eq!(app.get("/api/v1/me", &fresh).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_customer_sees_their_sessions_and_can_end_the_others() {
    let app = test_app().await;
    let laptop = app.demo_cookie().await;
    let phone = app.demo_cookie().await;
    let other_customer = app.sign_in(seed::OTHER_CUSTOMERS[0].0).await;
    assert_eq!(
        get_as(&app, "/api/v1/me", &phone, CHROME_ANDROID)
            .await
            .status,
        StatusCode::OK
    );
    let answer = get_as(&app, "/api/v1/sessions", &laptop, FIREFOX_LINUX).await;
    assert_eq!(answer.status, StatusCode::OK);
    let list: SessionList = answer.json();
    assert_eq!(list.idle_timeout_minutes, 30);
    assert_eq!(list.sessions.len(), 2, "only the demo customer's: {list:?}");
    let current: Vec<_> = list.sessions.iter().filter(|s| s.current).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(
        (current[0].browser.as_deref(), current[0].os.as_deref()),
        (Some("Firefox"), Some("Linux"))
    );
    let other = list.sessions.iter().find(|s| !s.current).unwrap();
    assert_eq!(
        (other.browser.as_deref(), other.os.as_deref()),
        (Some("Chrome"), Some("Android"))
    );
    // The list never carries a token or the stored hash.
    let token = laptop.split_once('=').unwrap().1;
    let hash = rapport_server::ids::token_hash(token);
    assert!(!String::from_utf8_lossy(&answer.body).contains(token));
    assert!(!String::from_utf8_lossy(&answer.body).contains(&hash));

    let ended: SignedOutOthers = app
        .send_json(
            "POST",
            "/api/v1/sessions/sign-out-others",
            &laptop,
            &json!({}),
            &[],
        )
        .await
        .json();
    assert_eq!(ended.ended, 1);
    assert_eq!(
        app.get("/api/v1/me", &phone).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.get("/api/v1/me", &laptop).await.status, StatusCode::OK);
    assert_eq!(
        app.get("/api/v1/me", &other_customer).await.status,
        StatusCode::OK
    );
    let list: SessionList = app.get_ok("/api/v1/sessions", &laptop).await;
    assert_eq!(list.sessions.len(), 1);
    assert_eq!(ended.ended, 1);
    for uri in ["/api/v1/sessions"] {
        assert_eq!(app.get(uri, "").await.status, StatusCode::UNAUTHORIZED);
    }
    let anonymous = app
        .send_json(
            "POST",
            "/api/v1/sessions/sign-out-others",
            "",
            &json!({}),
            &[],
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

async fn change_password(app: &TestApp, cookie: &str, current: &str, new: &str) -> common::Answer {
    app.send_json(
        "POST",
        "/api/v1/password",
        cookie,
        &json!({"current_password": current, "new_password": new}),
        &[],
    )
    .await
}

#[tokio::test]
async fn a_password_change_needs_the_old_password_and_ends_the_other_sessions() {
    let app = test_app().await;
    let here = app.demo_cookie().await;
    let elsewhere = app.demo_cookie().await;
    let wrong = change_password(&app, &here, "not-the-password", "a-new-passphrase").await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        wrong.field_errors(),
        [("current_password".into(), "incorrect".into())]
    );
    let short = change_password(&app, &here, seed::DEMO_PASSWORD, "short").await;
    assert_eq!(
        short.field_errors(),
        [("new_password".into(), "too_short".into())]
    );
    assert_eq!(
        app.get("/api/v1/me", &elsewhere).await.status,
        StatusCode::OK
    );

    let done = change_password(&app, &here, seed::DEMO_PASSWORD, "a-new-passphrase").await;
    assert_eq!(done.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get("/api/v1/me", &here).await.status, StatusCode::OK);
    assert_eq!(
        app.get("/api/v1/me", &elsewhere).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in_with(&app, seed::DEMO_EMAIL, seed::DEMO_PASSWORD).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in_with(&app, seed::DEMO_EMAIL, "a-new-passphrase").await,
        StatusCode::OK
    );
    let anonymous = change_password(&app, "", "a-new-passphrase", "another-passphrase").await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_wrong_passwords_check_at_most_five_then_even_the_right_one_waits() {
    let app = Arc::new(test_app().await);
    let cookie = app.demo_cookie().await;
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let (app, cookie) = (app.clone(), cookie.clone());
            tokio::spawn(async move {
                change_password(&app, &cookie, &format!("guess-{i}"), "a-new-passphrase")
                    .await
                    .status
            })
        })
        .collect();
    let mut checked = 0;
    let mut refused = 0;
    for task in tasks {
        match task.await.unwrap() {
            StatusCode::UNPROCESSABLE_ENTITY => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => refused += 1,
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!((checked, refused), (5, 35));
    let right = change_password(&app, &cookie, seed::DEMO_PASSWORD, "a-new-passphrase").await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(right.header(header::RETRY_AFTER).is_some());
}

#[tokio::test]
async fn dead_session_rows_are_removed() {
    let app = test_app().await;
    let live = app.demo_cookie().await;
    let idle = app.demo_cookie().await;
    let old = app.demo_cookie().await;
    idle_for(&app, &idle, Duration::from_secs(40 * 60)).await;
    let past = rfc3339(OffsetDateTime::now_utc() - Duration::from_secs(60));
    sqlx::query("UPDATE sessions SET expires_at = $1 WHERE token_hash = $2")
        .bind(past)
        .bind(rapport_server::ids::token_hash(
            old.split_once('=').unwrap().1,
        ))
        .execute(&app.pool)
        .await
        .unwrap();
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM sessions")
            .fetch_one(&app.pool)
            .await
            .unwrap()
    };
    assert_eq!(count().await, 3);
    let removed = sessions::prune(
        &app.pool,
        OffsetDateTime::now_utc(),
        Duration::from_secs(1800),
    )
    .await
    .unwrap();
    assert_eq!(removed, 2);
    assert_eq!(count().await, 1);
    assert_eq!(app.get("/api/v1/me", &live).await.status, StatusCode::OK);
}

/// Reads do not become writes: a client without a User-Agent (scripts, load tools) records its last use
/// at most once a minute, like everyone else, and its first User-Agent is recorded when it sends one.
#[tokio::test]
async fn a_client_without_user_agent_does_not_write_on_every_read() {
    let app = test_app().await;
    let cookie = app.demo_cookie().await;
    let last_used = || async {
        sqlx::query_scalar::<_, Option<String>>(
            "SELECT last_used_at FROM sessions WHERE customer_id = 1 ORDER BY created_at DESC LIMIT 1",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap()
    };
    // Used half a minute ago: within the minute, so a read has no reason to write it again.
    let recent = rfc3339(OffsetDateTime::now_utc() - Duration::from_secs(30));
    sqlx::query("UPDATE sessions SET last_used_at = $1 WHERE customer_id = 1")
        .bind(&recent)
        .execute(&app.pool)
        .await
        .unwrap();
    for _ in 0..3 {
        assert_eq!(app.get("/api/v1/me", &cookie).await.status, StatusCode::OK);
        assert_eq!(
            last_used().await.as_deref(),
            Some(recent.as_str()),
            "no write for a read without User-Agent"
        );
    }
    assert_eq!(
        get_as(&app, "/api/v1/me", &cookie, FIREFOX_LINUX)
            .await
            .status,
        StatusCode::OK
    );
    let agent: Option<String> = sqlx::query_scalar(
        "SELECT user_agent FROM sessions WHERE customer_id = 1 ORDER BY created_at DESC LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(agent.as_deref(), Some(FIREFOX_LINUX));
}
