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

/// Reads until the server closes the connection or `within` passes; returns what was read and whether
/// it was closed.
async fn read_until_closed(stream: &mut tokio::net::TcpStream, within: Duration) -> (String, bool) {
    use tokio::io::AsyncReadExt;
    let mut seen = Vec::new();
    let deadline = Instant::now() + within;
    loop {
        let mut buf = [0u8; 4096];
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (String::from_utf8_lossy(&seen).into_owned(), true),
            Ok(Ok(n)) => seen.extend_from_slice(&buf[..n]),
            Err(_) => return (String::from_utf8_lossy(&seen).into_owned(), false),
        }
    }
}

/// Defect 8: idle and half-sent connections stayed open for more than 75 s.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_half_sent_and_slow_connections_are_closed() {
    use tokio::io::AsyncWriteExt;
    use tokio::net::TcpStream;
    let server = Server::start(&[
        ("RAPPORT_IDLE_TIMEOUT_S", "1"),
        ("RAPPORT_HEADER_TIMEOUT_S", "1"),
        ("RAPPORT_REQUEST_TIMEOUT_S", "1"),
    ])
    .await;
    // Connected, never a byte.
    let mut silent = TcpStream::connect(server.addr).await.unwrap();
    let started = Instant::now();
    let (_, closed) = read_until_closed(&mut silent, Duration::from_secs(5)).await;
    assert!(closed, "a silent connection is closed");
    println!("silent connection closed after {:?}", started.elapsed());
    // Headers dripped a byte at a time.
    let mut drip = TcpStream::connect(server.addr).await.unwrap();
    drip.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let mut closed = false;
    while started.elapsed() < Duration::from_secs(5) {
        if drip.write_all(b"X").await.is_err() {
            closed = true;
            break;
        }
        let (_, eof) = read_until_closed(&mut drip, Duration::from_millis(200)).await;
        if eof {
            closed = true;
            break;
        }
    }
    assert!(closed, "half-sent headers are cut off");
    assert!(started.elapsed() < Duration::from_secs(4));
    // A kept-alive connection after its answer.
    let mut kept = TcpStream::connect(server.addr).await.unwrap();
    kept.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let (answer, closed) = read_until_closed(&mut kept, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(closed, "closed once idle after its answer");
    // A body that never arrives in full: 408.
    let mut slow = TcpStream::connect(server.addr).await.unwrap();
    slow.write_all(
        b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"email\"",
    )
    .await
    .unwrap();
    let (answer, _) = read_until_closed(&mut slow, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}

/// Defect 8: ~20,000 idle connections made the health check unreachable. With a cap of 200, 2,000 idle
/// connections push out their own oldest members and other clients are still answered at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_flood_of_idle_connections_does_not_starve_other_clients() {
    let server = Server::start(&[("RAPPORT_MAX_CONNECTIONS", "200")]).await;
    let mut idle = Vec::new();
    for _ in 0..2000 {
        match tokio::net::TcpStream::connect(server.addr).await {
            Ok(stream) => idle.push(stream),
            Err(_) => break,
        }
    }
    let started = Instant::now();
    let health = server.send(Req::get("/api/v1/health")).await;
    let waited = started.elapsed();
    println!(
        "health under 2,000 idle connections: {} in {waited:?}",
        health.status
    );
    assert_eq!(health.status, 200);
    assert!(waited < Duration::from_secs(2), "{waited:?}");
    // Most of the flood has been closed by the server.
    let mut closed = 0;
    for stream in &mut idle {
        if read_until_closed(stream, Duration::from_millis(1)).await.1 {
            closed += 1;
        }
    }
    println!(
        "idle connections closed by the server: {closed} of {}",
        idle.len()
    );
    assert!(closed >= idle.len() - 200, "{closed}");
}
