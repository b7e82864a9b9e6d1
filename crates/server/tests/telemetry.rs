//! Request ids and structured logs, against the real server binary over TCP: the id a client sends is
//! echoed when it is a plain short token and replaced when it is hostile, made when there is none, put
//! in error bodies, and found in the log lines of that request.

mod common;
mod live;

use live::{Req, Server};
use serde_json::json;

fn id_of(answer: &live::Resp) -> String {
    answer
        .header("x-request-id")
        .unwrap_or_else(|| panic!("no X-Request-Id: {answer:?}"))
        .to_owned()
}

fn is_made_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

#[tokio::test]
async fn request_ids_are_echoed_made_or_replaced() {
    let server = Server::start(&[]).await;
    let health = || Req::get("/api/v1/health");

    let sent = "portal-7f3a.2:b_9";
    let echoed = server.send(health().header("X-Request-Id", sent)).await;
    assert_eq!((echoed.status, id_of(&echoed).as_str()), (200, sent));

    let (a, b) = (server.send(health()).await, server.send(health()).await);
    assert!(is_made_id(&id_of(&a)), "{a:?}");
    assert_ne!(id_of(&a), id_of(&b), "each request gets its own");

    // Static files and unknown paths carry one too: it is set outside every route.
    let page = server.send(Req::get("/no-such-page")).await;
    assert!(is_made_id(&id_of(&page)), "{page:?}");

    let hostile = [
        "a".repeat(65),
        "a".repeat(5000),
        "tab\there".to_owned(),
        "quote\" level=\"ERROR".to_owned(),
        "spaces are not ids".to_owned(),
        "semi;colon".to_owned(),
        "<script>".to_owned(),
    ];
    for value in &hostile {
        let answer = server.send(health().header("X-Request-Id", value)).await;
        assert_eq!(answer.status, 200, "{value:?}");
        let id = id_of(&answer);
        assert!(is_made_id(&id), "{value:?} was replaced by {id:?}");
    }
    // A raw control character is refused by the HTTP parser before any handler runs; either way it is
    // never echoed.
    let control = server
        .send(health().header("X-Request-Id", "bell\u{7}ring"))
        .await;
    assert_ne!(control.header("x-request-id"), Some("bell\u{7}ring"));
}

#[tokio::test]
async fn error_bodies_name_the_request_id_of_the_header() {
    let server = Server::start(&[]).await;
    let unauthorized = server.send(Req::get("/api/v1/me")).await;
    assert_eq!(unauthorized.status, 401);
    let body = unauthorized.json();
    assert_eq!(body["error"]["code"], "unauthorized");
    assert_eq!(body["error"]["request_id"], id_of(&unauthorized).as_str());

    let sent = "support-case-42";
    let missing = server
        .send(Req::get("/api/v1/no-such-route").header("X-Request-Id", sent))
        .await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["error"]["request_id"], sent);
    // Success bodies are left as they are.
    let health = server.send(Req::get("/api/v1/health")).await;
    assert_eq!(health.json(), json!({"status": "ok"}));
}

#[tokio::test]
async fn log_lines_carry_the_request_id_and_what_happened() {
    // Every answer logged (debug), so that the check on the query string below can fail.
    let server =
        Server::start(&[("RAPPORT_LOG", "info,rapport_server=debug,tower_http=debug")]).await;
    assert_eq!(server.log_lines("listening"), 1, "the start-up line");
    let failed = server
        .send(
            Req::post_json(
                "/api/v1/session",
                json!({"email": "nobody@example.com", "password": "wrong-password"}),
            )
            .header("X-Request-Id", "trace-sign-in-1"),
        )
        .await;
    assert_eq!(failed.status, 401);
    // The log is written as the answer goes out; give the reader thread a moment.
    let mut found = 0;
    for _ in 0..50 {
        found = server
            .log
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.contains("sign-in failed") && l.contains("id=trace-sign-in-1"))
            .count();
        if found > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(found, 1, "{:#?}", server.log.lock().unwrap());
    // The query string (a confirmation token can be in it) never reaches the log.
    server
        .send(Req::get(
            "/api/v1/contact-points/confirm?token=secret-token-123",
        ))
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(server.log_lines("path=/api/v1/contact-points/confirm") >= 1);
    assert_eq!(server.log_lines("secret-token-123"), 0);
}
