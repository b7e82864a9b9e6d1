//! Two server instances on one database, as behind a load balancer: every limit is counted in the
//! database, so it holds across instances, and a session made through one works through the other.
//! On PostgreSQL when `RAPPORT_TEST_DATABASE_URL` is set, otherwise on one SQLite file both open.

mod common;
mod live;

use live::{burst, tally, Req, Server};
use rapport_server::seed::{DEMO_EMAIL, DEMO_PASSWORD};
use serde_json::json;

/// Two instances over one new database.
async fn two_instances(env: &[(&str, &str)]) -> (Server, Server, common::TempDir) {
    let dir = common::temp_dir("instances");
    let database = match common::fresh_postgres_url().await {
        Some(url) => url,
        None => dir.0.join("shared.sqlite3").display().to_string(),
    };
    // One after the other: the first creates and seeds the database.
    let a = Server::start_on(&database, env).await;
    let b = Server::start_on(&database, env).await;
    (a, b, dir)
}

fn login(password: &str) -> Req {
    Req::post_json(
        "/api/v1/session",
        json!({ "email": DEMO_EMAIL, "password": password }),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_guesses_over_two_instances_checks_at_most_five_passwords() {
    let (a, b, _dir) = two_instances(&[("RAPPORT_PASSWORD_QUEUE", "400")]).await;
    let addrs = [a.addr, b.addr];
    let answers = burst(200, move |i| {
        (addrs[i % 2], login(&format!("wrong-guess-{i}")))
    })
    .await;
    let counts = tally(&answers);
    println!("200 guesses over two instances: {counts:?}");
    let checked = counts.get(&401).copied().unwrap_or(0);
    assert!(checked <= 5, "{counts:?}");
    assert_eq!(
        checked + counts.get(&429).copied().unwrap_or(0),
        200,
        "{counts:?}"
    );
    // Locked on both, for the right password too.
    for server in [&a, &b] {
        assert_eq!(server.send(login(DEMO_PASSWORD)).await.status, 429);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_session_made_through_one_instance_works_through_the_other() {
    let (a, b, _dir) = two_instances(&[]).await;
    let signed_in = a.send(login(DEMO_PASSWORD)).await;
    assert_eq!(signed_in.status, 200, "{signed_in:?}");
    let cookie = signed_in.cookie().expect("a session cookie");
    let me = b.send(Req::get("/api/v1/me").cookie(&cookie)).await;
    assert_eq!(me.status, 200, "{me:?}");
    assert_eq!(me.json()["email"], DEMO_EMAIL);
    // Signed out through the second: gone for the first too.
    let out = b
        .send(Req::new("DELETE", "/api/v1/session").cookie(&cookie))
        .await;
    assert_eq!(out.status, 204);
    assert_eq!(
        a.send(Req::get("/api/v1/me").cookie(&cookie)).await.status,
        401
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn anonymous_answers_over_two_instances_share_one_budget() {
    let (a, b, _dir) = two_instances(&[("RAPPORT_SURVEY_RATE", "10")]).await;
    let reference =
        serde_json::to_value(rapport_core::builtin("nps").unwrap().reference()).unwrap();
    let addrs = [a.addr, b.addr];
    let answers = burst(40, move |i| {
        let body = json!({"instrument": reference, "answers": {"NPS": 9}});
        let request = Req::post_json("/api/v1/survey-responses", body)
            .header("Idempotency-Key", format!("flood-key-{i:04}"));
        (addrs[i % 2], request)
    })
    .await;
    let counts = tally(&answers);
    println!("40 anonymous answers over two instances, 10 a minute: {counts:?}");
    assert_eq!(counts.get(&201).copied().unwrap_or(0), 10, "{counts:?}");
    assert_eq!(counts.get(&429).copied().unwrap_or(0), 30, "{counts:?}");
}

/// The order list as `server` answers it to `cookie`: the JSON of a 200, or the status.
async fn history(server: &Server, cookie: &str) -> Result<serde_json::Value, u16> {
    let answer = server
        .send(Req::get("/api/v1/history?kind=order,request&limit=5").cookie(cookie))
        .await;
    match answer.status {
        200 => Ok(answer.json()),
        status => Err(status),
    }
}

/// Each instance keeps the pages it answered only while the database provably holds the same data, and
/// checks the session on every read: a request filed through one instance shows in the other's next
/// read, and a sign-out through one ends the session for the other's very next read, although both had
/// just answered that page (and kept it).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_kept_page_gives_way_to_a_write_or_a_sign_out_through_the_other_instance() {
    let (a, b, _dir) = two_instances(&[]).await;
    let cookie = a
        .send(login(DEMO_PASSWORD))
        .await
        .cookie()
        .expect("a session cookie");
    let first = history(&a, &cookie).await.expect("the order list");
    for server in [&b, &a, &b] {
        assert_eq!(history(server, &cookie).await, Ok(first.clone()));
    }
    let order = first["entries"][0]["order_id"].as_i64().expect("an order");
    let filed = b
        .send(
            Req::post_json(
                "/api/v1/requests",
                json!({"kind": "complaint", "order_id": order, "reason": "Kept page",
                       "description": "Filed through the second instance"}),
            )
            .header("Idempotency-Key", "kept-page-1")
            .cookie(&cookie),
        )
        .await;
    assert_eq!(filed.status, 201, "{filed:?}");
    let total = first["total"].as_u64().expect("a count");
    for server in [&a, &b] {
        let after = history(server, &cookie).await.expect("the order list");
        assert_eq!(after["total"].as_u64(), Some(total + 1), "{after}");
        assert_eq!(after["entries"][0]["kind"], "request", "{after}");
        assert_eq!(after["entries"][0]["reference"], "Kept page", "{after}");
    }
    // Both answered the new page again, so both keep it now.
    let out = a
        .send(Req::new("DELETE", "/api/v1/session").cookie(&cookie))
        .await;
    assert_eq!(out.status, 204, "{out:?}");
    assert_eq!(history(&b, &cookie).await, Err(401));
    assert_eq!(history(&a, &cookie).await, Err(401));
}
