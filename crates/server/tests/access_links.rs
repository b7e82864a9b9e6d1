//! Forgotten passwords, first access and staff invitations over HTTP: the same answer for unknown
//! addresses, single-use links that expire, every session ended, and the limits per address and per
//! client holding under parallel requests.

mod common;

use axum::http::StatusCode;
use common::{test_app_with_outbox, Answer, Outbox, TestApp};
use rapport_api::{AccessLog, Overview, Profile};
use rapport_server::seed;
use serde_json::json;
use std::sync::Arc;

const NEW_PASSWORD: &str = "a much better secret";

async fn ask(app: &TestApp, path: &str, email: &str) -> Answer {
    app.send_json("POST", path, "", &json!({ "email": email }), &[])
        .await
}

/// The tokens of every link mailed so far, oldest first.
async fn tokens(outbox: &Outbox) -> Vec<String> {
    outbox
        .sent()
        .await
        .iter()
        .filter_map(|m| {
            m.split_once("/set-password#token=")
                .map(|(_, t)| t.to_owned())
        })
        .collect()
}

async fn confirm(app: &TestApp, token: &str, password: &str) -> Answer {
    app.send_json(
        "POST",
        "/api/v1/password-reset/confirm",
        "",
        &json!({ "token": token, "password": password }),
        &[],
    )
    .await
}

async fn sign_in(app: &TestApp, email: &str, password: &str) -> StatusCode {
    app.send_json(
        "POST",
        "/api/v1/session",
        "",
        &json!({ "email": email, "password": password }),
        &[],
    )
    .await
    .status
}

#[tokio::test]
async fn a_reset_link_works_once_ends_every_session_and_unknown_addresses_get_the_same_answer() {
    let (app, outbox) = test_app_with_outbox().await;
    let first = app.demo_cookie().await;
    let second = app.demo_cookie().await;

    let known = ask(&app, "/api/v1/password-reset", seed::DEMO_EMAIL).await;
    let unknown = ask(&app, "/api/v1/password-reset", "nobody@example.test").await;
    assert_eq!(
        (known.status, unknown.status),
        (StatusCode::ACCEPTED, StatusCode::ACCEPTED)
    );
    assert_eq!(
        known.body, unknown.body,
        "no hint whether the account exists"
    );
    let mails = outbox.sent().await;
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(mails[0].starts_with(&format!("Reset your password: to {}", seed::DEMO_EMAIL)));
    // A second link, asked for before the first is used: it dies with the first use.
    assert_eq!(
        ask(&app, "/api/v1/password-reset", seed::DEMO_EMAIL)
            .await
            .status,
        StatusCode::ACCEPTED
    );
    let links = tokens(&outbox).await;
    assert_eq!(links.len(), 2);
    // Only the hash is stored.
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM access_links WHERE token_hash = $1")
        .bind(&links[0])
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, 0);

    let short = confirm(&app, &links[0], "short").await;
    assert_eq!(
        short.field_errors(),
        [("password".into(), "too_short".into())]
    );
    let done = confirm(&app, &links[0], NEW_PASSWORD).await;
    assert_eq!(done.status, StatusCode::OK);
    let profile: Profile = done.json();
    assert_eq!(profile.email, seed::DEMO_EMAIL);
    let cookie = done.session_cookie().expect("signed in");
    assert_eq!(app.get("/api/v1/me", &cookie).await.status, StatusCode::OK);
    // Every earlier session ended.
    for old in [&first, &second] {
        assert_eq!(
            app.get("/api/v1/me", old).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    // Used once; the other link is spent too; a made-up token gets the same answer.
    for token in [&links[0], &links[1], &"0".repeat(64), &"short".to_owned()] {
        let again = confirm(&app, token, NEW_PASSWORD).await;
        assert_eq!(again.status, StatusCode::GONE, "{token}");
        assert_eq!(again.error_code(), "link_expired");
    }
    assert_eq!(
        sign_in(&app, seed::DEMO_EMAIL, seed::DEMO_PASSWORD).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in(&app, seed::DEMO_EMAIL, NEW_PASSWORD).await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_link_expires_after_thirty_minutes_and_the_clean_up_removes_it() {
    let (app, outbox) = test_app_with_outbox().await;
    ask(&app, "/api/v1/password-reset", seed::DEMO_EMAIL).await;
    let token = tokens(&outbox).await.remove(0);
    let (created, expires): (String, String) =
        sqlx::query_as("SELECT created_at, expires_at FROM access_links")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let parse = |t: &str| {
        time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).unwrap()
    };
    assert_eq!(
        parse(&expires) - parse(&created),
        time::Duration::minutes(30)
    );
    // Thirty-one minutes later.
    let later = time::OffsetDateTime::now_utc() + time::Duration::minutes(31);
    sqlx::query("UPDATE access_links SET expires_at = $1")
        .bind(rapport_server::clock::rfc3339(
            time::OffsetDateTime::now_utc() - time::Duration::minutes(1),
        ))
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        confirm(&app, &token, NEW_PASSWORD).await.status,
        StatusCode::GONE
    );
    assert_eq!(
        sign_in(&app, seed::DEMO_EMAIL, seed::DEMO_PASSWORD).await,
        StatusCode::OK
    );
    let removed = rapport_server::retention::run_once(&app.pool, later)
        .await
        .unwrap();
    assert!(removed >= 1);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM access_links")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn requests_are_limited_per_address_and_per_client_even_in_parallel() {
    let (app, outbox) = test_app_with_outbox().await;
    let app = Arc::new(app);
    // Ten at once for one address: exactly the allowance goes through, known address or not.
    for email in [seed::DEMO_EMAIL, "nobody@example.test"] {
        let tasks: Vec<_> = (0..10)
            .map(|_| {
                let app = app.clone();
                tokio::spawn(async move { ask(&app, "/api/v1/password-reset", email).await.status })
            })
            .collect();
        let mut accepted = 0;
        for task in tasks {
            match task.await.unwrap() {
                StatusCode::ACCEPTED => accepted += 1,
                StatusCode::TOO_MANY_REQUESTS => {}
                other => panic!("{other}"),
            }
        }
        assert_eq!(
            accepted,
            rapport_server::access_links::PER_ADDRESS,
            "{email}"
        );
    }
    assert_eq!(
        tokens(&outbox).await.len(),
        3,
        "only the known address got mail"
    );
    // The client has now asked 6 times; new addresses are refused past its allowance.
    let mut statuses = Vec::new();
    for n in 0..6 {
        statuses.push(
            ask(
                &app,
                "/api/v1/first-access",
                &format!("someone{n}@example.test"),
            )
            .await
            .status,
        );
    }
    let accepted = statuses
        .iter()
        .filter(|s| **s == StatusCode::ACCEPTED)
        .count();
    assert_eq!(
        accepted as u32,
        rapport_server::access_links::PER_CLIENT - 6
    );
    let refused = ask(&app, "/api/v1/password-reset", "another@example.test").await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.header(axum::http::header::RETRY_AFTER).is_some());
    let bad = ask(&app, "/api/v1/password-reset", "not an address").await;
    assert_eq!(
        bad.field_errors(),
        [("email".into(), "invalid_format".into())]
    );
}

#[tokio::test]
async fn first_access_opens_an_account_that_never_had_a_password_with_its_data_waiting() {
    let (app, outbox) = test_app_with_outbox().await;
    let (email, _) = seed::OTHER_CUSTOMERS[2];
    sqlx::query("UPDATE customers SET password_hash = '' WHERE email = $1")
        .bind(email)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        ask(&app, "/api/v1/first-access", email).await.status,
        StatusCode::ACCEPTED
    );
    let mails = outbox.sent().await;
    assert!(mails[0].starts_with(&format!("Get access to your account: to {email}")));
    let done = confirm(&app, &tokens(&outbox).await[0], NEW_PASSWORD).await;
    assert_eq!(done.status, StatusCode::OK);
    let cookie = done.session_cookie().unwrap();
    let overview: Overview = app.get_ok("/api/v1/overview", &cookie).await;
    assert!(
        overview.latest_order.is_some(),
        "the account's orders are there"
    );
    assert_eq!(sign_in(&app, email, NEW_PASSWORD).await, StatusCode::OK);
}

#[tokio::test]
async fn staff_send_the_invitation_from_the_customer_page_and_it_is_logged() {
    let (app, outbox) = test_app_with_outbox().await;
    let staff = app.sign_in(seed::STAFF_EMAIL).await;
    let demo = app.demo_cookie().await;
    let id = app.customer_id(seed::DEMO_EMAIL).await;
    let path = format!("/api/v1/staff/customers/{id}/invitation");
    let sent = app.send_json("POST", &path, &staff, &json!({}), &[]).await;
    assert_eq!(sent.status, StatusCode::NO_CONTENT);
    let mails = outbox.sent().await;
    assert!(mails[0].starts_with(&format!(
        "You are invited to your customer portal: to {}",
        seed::DEMO_EMAIL
    )));
    let (created, expires): (String, String) = sqlx::query_as(
        "SELECT created_at, expires_at FROM access_links WHERE purpose = 'invitation'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(expires > created);
    let log: AccessLog = app.get_ok("/api/v1/access-log", &demo).await;
    assert_eq!(log.entries[0].action, "send_invitation");
    assert_eq!(
        app.send_json("POST", &path, &demo, &json!({}), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let staff_id = app.customer_id(seed::STAFF_EMAIL).await;
    for other in [999_999, staff_id] {
        let answer = app
            .send_json(
                "POST",
                &format!("/api/v1/staff/customers/{other}/invitation"),
                &staff,
                &json!({}),
                &[],
            )
            .await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND);
    }
    let done = confirm(&app, &tokens(&outbox).await[0], NEW_PASSWORD).await;
    assert_eq!(done.status, StatusCode::OK);
}
