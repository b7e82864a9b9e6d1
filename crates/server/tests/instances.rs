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
