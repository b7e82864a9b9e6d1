//! Floods against the real server over TCP: anonymous survey answers and idle connections (issue 18,
//! defects 5 and 8).

mod common;
mod live;

use live::{tally, Req, Server};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn nps(score: i64) -> serde_json::Value {
    let reference =
        serde_json::to_value(rapport_core::builtin("nps").unwrap().reference()).unwrap();
    json!({"instrument": reference, "answers": {"NPS": score}})
}

/// Defect 5: one client stored 544 anonymous answers a second. Now 16 parallel clients from one
/// address store the burst allowance (30) and then 30 a minute.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixteen_parallel_clients_cannot_flood_anonymous_answers() {
    let server = Server::start(&[]).await;
    let sent = Arc::new(AtomicUsize::new(0));
    let flood_for = Duration::from_secs(4);
    let started = Instant::now();
    let clients: Vec<_> = (0..16)
        .map(|client| {
            let (addr, sent) = (server.addr, sent.clone());
            tokio::spawn(async move {
                let mut answers = Vec::new();
                while started.elapsed() < flood_for {
                    let n = sent.fetch_add(1, Ordering::SeqCst);
                    let request = Req::post_json("/api/v1/survey-responses", nps(0))
                        .header("idempotency-key", format!("flood-{client}-{n:08}"));
                    answers.push(live::send(addr, request).await);
                }
                answers
            })
        })
        .collect();
    let mut answers = Vec::new();
    for client in clients {
        answers.extend(client.await.unwrap());
    }
    let seconds = started.elapsed().as_secs_f64();
    let counts = tally(&answers);
    let stored = counts.get(&201).copied().unwrap_or(0);
    println!(
        "survey flood, 16 clients, {seconds:.1} s: {} requests, {counts:?}; stored {stored} \
         (at most 30 + 30 a minute)",
        answers.len()
    );
    assert!(answers.len() > 100, "a real flood: {}", answers.len());
    let allowed = 30.0 + (seconds * 0.5).ceil() + 1.0;
    assert!((stored as f64) <= allowed, "{stored} stored");
    assert!(stored >= 30, "the burst allowance is stored: {stored}");
    assert_eq!(
        stored + counts.get(&429).copied().unwrap_or(0),
        answers.len()
    );
    let refused = answers.iter().find(|a| a.status == 429).unwrap();
    let wait: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=2).contains(&wait), "{wait}");
    assert_eq!(refused.json()["error"]["code"], "too_many_answers");
}
