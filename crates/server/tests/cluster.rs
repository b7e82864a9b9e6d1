//! The real cluster of `scripts/cluster.sh`: PostgreSQL, two server instances and HAProxy in front.
//! A session made through one instance works through the other, failed sign-ins spread over both lock
//! the account, one idempotency key sent to both at once stores one answer, an invitation due in quiet
//! hours reaches the SMTP sink once when they end though both instances run a sender, and a delivery the
//! sink refuses is retried until it is accepted.

mod common;
mod live;

use live::{send, Req};
use rapport_server::seed::{DEMO_EMAIL, DEMO_PASSWORD};
use serde_json::json;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use time::OffsetDateTime;

struct Cluster {
    env: Vec<(String, String)>,
    front: SocketAddr,
    instances: [SocketAddr; 2],
    database: String,
    mail_dir: PathBuf,
    /// The cluster's folder (pid files, logs).
    dir: PathBuf,
    /// The instances' test clock (`RAPPORT_TEST_CLOCK_FILE`): seconds their outbox senders add to the
    /// time, so that the quiet-hours check need not wait for real minutes to pass.
    clock: PathBuf,
}

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/cluster.sh")
}

impl Cluster {
    /// Starts a cluster on ports of its own (this test binary's process id and `slot` pick them).
    fn start(slot: u16) -> Cluster {
        let offset = u16::try_from(std::process::id() % 500).unwrap();
        let clock = std::env::temp_dir().join(format!(
            "rapport-cluster-clock-{}-{slot}",
            std::process::id()
        ));
        std::fs::write(&clock, "0").unwrap();
        let env = vec![
            (
                "RAPPORT_CLUSTER_PORT".to_owned(),
                (18_000 + 8 * offset + 4 * slot).to_string(),
            ),
            (
                "RAPPORT_PG_PORT".to_owned(),
                (56_000 + offset + 500 * slot).to_string(),
            ),
            (
                "RAPPORT_SERVER_BIN".to_owned(),
                env!("CARGO_BIN_EXE_rapport-server").to_owned(),
            ),
            // Quick schedules, so that the outbox checks below need not wait long: order surveys due
            // on delivery, a lifecycle pass a second, senders looking every 200 ms, retries after 1 s.
            ("RAPPORT_SURVEY_DELAY_DAYS".to_owned(), "0".to_owned()),
            ("RAPPORT_LIFECYCLE_EVERY_S".to_owned(), "1".to_owned()),
            ("RAPPORT_OUTBOX_POLL_MS".to_owned(), "200".to_owned()),
            ("RAPPORT_OUTBOX_RETRY_S".to_owned(), "1".to_owned()),
            (
                "RAPPORT_TEST_CLOCK_FILE".to_owned(),
                clock.to_string_lossy().into_owned(),
            ),
        ];
        let run = |verb: &str| {
            Command::new("bash")
                .arg(script())
                .arg(verb)
                .envs(env.iter().map(|(k, v)| (k, v)))
                .output()
                .expect("bash runs")
        };
        let started = run("start");
        assert!(
            started.status.success(),
            "cluster.sh start: {}{}",
            String::from_utf8_lossy(&started.stdout),
            String::from_utf8_lossy(&started.stderr)
        );
        let printed = String::from_utf8(run("env").stdout).unwrap();
        let value = |name: &str| {
            printed
                .lines()
                .find_map(|l| l.strip_prefix(&format!("export {name}=")))
                .unwrap_or_else(|| panic!("{name} in {printed}"))
                .to_owned()
        };
        let addr = |text: &str| text.trim_start_matches("http://").parse().unwrap();
        let instances: Vec<SocketAddr> = value("RAPPORT_CLUSTER_INSTANCES")
            .split(',')
            .map(addr)
            .collect();
        Cluster {
            front: addr(&value("RAPPORT_CLUSTER_URL")),
            instances: [instances[0], instances[1]],
            database: value("RAPPORT_CLUSTER_DATABASE_URL"),
            mail_dir: PathBuf::from(value("RAPPORT_CLUSTER_MAIL_DIR")),
            dir: PathBuf::from(value("RAPPORT_CLUSTER_MAIL_DIR"))
                .parent()
                .unwrap()
                .to_owned(),
            env,
            clock,
        }
    }

    /// Sets the instances' senders' clock to `at` (read by them at their next look, within 200 ms).
    fn set_sender_clock(&self, at: OffsetDateTime) {
        let ahead = (at - OffsetDateTime::now_utc()).as_seconds_f64().ceil() as i64;
        std::fs::write(&self.clock, ahead.to_string()).unwrap();
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(script())
            .arg("stop")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .output();
        let _ = std::fs::remove_file(&self.clock);
    }
}

/// The tests of this file take turns: two clusters at once would compete for the machine's two cores.
static ONE_CLUSTER_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn login(password: &str) -> Req {
    Req::post_json(
        "/api/v1/session",
        json!({ "email": DEMO_EMAIL, "password": password }),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "starts PostgreSQL and HAProxy (scripts/test.sh runs it with --ignored)"]
async fn two_instances_behind_haproxy_share_sessions_limits_and_keys() {
    let _turn = ONE_CLUSTER_AT_A_TIME.lock().await;
    let cluster = Cluster::start(0);
    let [one, two] = cluster.instances;

    // Round robin: answers through the front come from both instances (their request ids are
    // HAProxy's, and each instance logs what it answered; here: both answer at all).
    for addr in [cluster.front, one, two] {
        assert_eq!(send(addr, Req::get("/api/v1/health")).await.status, 200);
    }

    // A session made through one instance works through the other, and through the front.
    let signed_in = send(one, login(DEMO_PASSWORD)).await;
    assert_eq!(signed_in.status, 200, "{signed_in:?}");
    let cookie = signed_in.cookie().expect("a session cookie");
    for addr in [two, cluster.front, cluster.front] {
        let me = send(addr, Req::get("/api/v1/me").cookie(&cookie)).await;
        assert_eq!(me.status, 200, "{addr}: {me:?}");
    }

    // One idempotency key sent to both instances at once: one row, and both answers carry its id.
    let reference =
        serde_json::to_value(rapport_core::builtin("nps").unwrap().reference()).unwrap();
    let answer = |addr: SocketAddr| {
        let body = json!({"instrument": reference, "answers": {"NPS": 10}});
        let request = Req::post_json("/api/v1/survey-responses", body)
            .header("Idempotency-Key", "cluster-key-0001")
            .cookie(&cookie);
        send(addr, request)
    };
    let (a, b) = tokio::join!(answer(one), answer(two));
    let mut statuses = [a.status, b.status];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 201], "{a:?} {b:?}");
    assert_eq!(a.json()["id"], b.json()["id"]);
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&cluster.database).await.unwrap();
    let rows: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM survey_responses WHERE idempotency_key = 'cluster-key-0001'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(rows, 1);

    outbox_through_the_cluster(&cluster, &pool, &cookie).await;

    // Five failed sign-ins spread over both instances lock the account for this client on both.
    for i in 0..5 {
        let wrong = send(cluster.instances[i % 2], login(&format!("wrong-{i}"))).await;
        assert_eq!(wrong.status, 401, "attempt {i}");
    }
    for addr in [one, two, cluster.front] {
        let locked = send(addr, login(DEMO_PASSWORD)).await;
        assert_eq!(locked.status, 429, "{addr}");
        assert!(locked.header("retry-after").is_some());
    }
    pool.close().await;
}

/// The messages in the sink whose text contains `needle`.
fn mails_containing(dir: &Path, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".eml") && !name.starts_with('.') {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            if text.contains(needle) {
                found.push(text);
            }
        }
    }
    found
}

/// Waits (up to `seconds`) until `check` says yes; false if it never did.
async fn eventually(seconds: u64, mut check: impl AsyncFnMut() -> bool) -> bool {
    let until = Instant::now() + Duration::from_secs(seconds);
    while Instant::now() < until {
        if check().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    check().await
}

type OutboxRow = (String, i64, String, Option<String>, Option<String>);

async fn outbox_row(pool: &sqlx::AnyPool, id: i64) -> OutboxRow {
    sqlx::query_as(
        "SELECT state, attempts, next_attempt_at, sent_at, last_error FROM outbox_messages WHERE id = $1",
    )
    .bind(id)
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn outbox_checks_preferences(cluster: &Cluster, cookie: &str, quiet: (String, String)) {
    let current = send(
        cluster.front,
        Req::get("/api/v1/preferences").cookie(cookie),
    )
    .await;
    assert_eq!(current.status, 200, "{current:?}");
    let etag = current.header("etag").expect("an ETag").to_owned();
    let mut prefs = current.json();
    prefs["time_zone"] = json!("UTC");
    prefs["quiet_hours"] = json!({"start": quiet.0, "end": quiet.1});
    let notice = send(cluster.front, Req::get("/api/v1/notice?lang=en"))
        .await
        .json();
    let body = json!({
        "preferences": prefs,
        "context": {"notice_version": notice["version"], "notice_sha256": notice["sha256"],
                    "control": "quiet_hours", "page": "/preferences", "gpc": false},
    });
    let saved = send(
        cluster.front,
        Req {
            body: body.to_string(),
            ..Req::new("PUT", "/api/v1/preferences")
        }
        .cookie(cookie)
        .header("if-match", etag),
    )
    .await;
    assert_eq!(saved.status, 200, "{saved:?}");
}

/// An invitation due during the customer's quiet hours reaches the sink once they end, exactly once
/// with both instances' senders running; a delivery the sink refuses is retried until it is taken.
async fn outbox_through_the_cluster(cluster: &Cluster, pool: &sqlx::AnyPool, cookie: &str) {
    let started = Instant::now();
    // Quiet hours (UTC) that end at a whole minute ten minutes away: the senders' test clock is moved
    // there below instead of the test waiting for it.
    let now = OffsetDateTime::now_utc();
    let minute = now
        .replace_second(0)
        .unwrap()
        .replace_nanosecond(0)
        .unwrap();
    let end = minute + time::Duration::minutes(10);
    let hhmm = |at: OffsetDateTime| format!("{:02}:{:02}", at.hour(), at.minute());
    let quiet = (hhmm(minute - time::Duration::minutes(30)), hhmm(end));
    outbox_checks_preferences(cluster, cookie, quiet).await;

    // Staff mark one of the demo customer's orders delivered: its survey is due now.
    let order: i64 = sqlx::query_scalar(
        "SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id
         WHERE c.email = $1 AND o.status = 'shipped' ORDER BY o.placed_at DESC LIMIT 1",
    )
    .bind(DEMO_EMAIL)
    .fetch_one(pool)
    .await
    .unwrap();
    let staff = send(
        cluster.front,
        Req::post_json(
            "/api/v1/session",
            json!({ "email": rapport_server::seed::STAFF_EMAIL, "password": DEMO_PASSWORD }),
        ),
    )
    .await
    .cookie()
    .expect("a staff session");
    let delivered = send(
        cluster.front,
        Req::post_json(format!("/api/v1/staff/orders/{order}/delivered"), json!({})).cookie(&staff),
    )
    .await;
    assert_eq!(delivered.status, 204, "{delivered:?}");
    let invitation: i64 =
        sqlx::query_scalar("SELECT id FROM survey_invitations WHERE order_id = $1")
            .bind(order)
            .fetch_one(pool)
            .await
            .unwrap();
    let message: i64 = sqlx::query_scalar("SELECT id FROM outbox_messages WHERE body LIKE $1")
        .bind(format!("%?invitation={invitation}"))
        .fetch_one(pool)
        .await
        .unwrap();
    // A sender has seen it and put it off to the end of the quiet hours.
    let end_text = rapport_server::clock::rfc3339(end);
    assert!(
        eventually(5, async || outbox_row(pool, message).await.2 == end_text).await,
        "{:?}",
        outbox_row(pool, message).await
    );
    let message_id = format!("Message-ID: <outbox-{message}@");

    // Meanwhile the sink refuses mail: a confirmation link is retried until it is accepted.
    std::fs::write(cluster.mail_dir.join("refuse"), b"").unwrap();
    let address = format!("retry-{}@example.test", std::process::id());
    let added = send(
        cluster.front,
        Req::post_json(
            "/api/v1/contact-points",
            json!({"channel": "email", "address": address}),
        )
        .cookie(cookie),
    )
    .await;
    assert_eq!(added.status, 201, "{added:?}");
    let link: i64 = sqlx::query_scalar("SELECT id FROM outbox_messages WHERE recipient = $1")
        .bind(&address)
        .fetch_one(pool)
        .await
        .unwrap();
    assert!(
        eventually(10, async || outbox_row(pool, link).await.1 >= 2).await,
        "{:?}",
        outbox_row(pool, link).await
    );
    let refused = outbox_row(pool, link).await;
    assert_eq!(refused.0, "pending");
    assert!(
        refused.4.as_deref().unwrap_or("").contains("451"),
        "{refused:?}"
    );
    std::fs::remove_file(cluster.mail_dir.join("refuse")).unwrap();
    let link_id = format!("Message-ID: <outbox-{link}@");
    assert!(
        eventually(10, async || outbox_row(pool, link).await.0 == "sent").await,
        "{:?}",
        outbox_row(pool, link).await
    );
    let retried = outbox_row(pool, link).await;
    assert_eq!(mails_containing(&cluster.mail_dir, &link_id).len(), 1);
    println!(
        "confirmation link: {} attempts refused, then delivered once",
        retried.1 - 1
    );

    // Nothing of the invitation a few seconds before the end of the quiet hours (on the senders' clock,
    // over several looks of both senders)…
    cluster.set_sender_clock(end - time::Duration::seconds(5));
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(mails_containing(&cluster.mail_dir, &message_id).len(), 0);
    assert_eq!(outbox_row(pool, message).await.0, "pending");
    // …then, once they end, it arrives once, though both instances' senders look five times a second.
    cluster.set_sender_clock(end);
    let ended = Instant::now();
    assert!(
        eventually(15, async || !mails_containing(
            &cluster.mail_dir,
            &message_id
        )
        .is_empty())
        .await,
        "{:?}",
        outbox_row(pool, message).await
    );
    let arrived = ended.elapsed();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mails = mails_containing(&cluster.mail_dir, &message_id);
    assert_eq!(mails.len(), 1, "{mails:#?}");
    // The body travels quoted-printable (its line is long): soft breaks and `=3D` undone.
    let text = mails[0]
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=");
    assert!(text.contains(&format!("invitation={invitation}")), "{text}");
    let (state, attempts, _, sent_at, _) = outbox_row(pool, message).await;
    assert_eq!((state.as_str(), attempts), ("sent", 1));
    assert!(sent_at.unwrap() >= end_text);
    println!(
        "invitation due in quiet hours: sent {:.1} s after they ended, once; outbox checks took {:.0} s",
        arrived.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}

/// What one write of the failover load came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// A 2xx answer (after `retries` failed tries: a broken connection, 502 or 503).
    Acknowledged { retries: u32 },
    /// A 4xx answer: the server refused it (none are expected).
    Refused(u16),
    /// No answer but failures within the retry budget.
    GaveUp,
}

/// Sends `request` through the front until it gets an answer that is not a failure of the cluster
/// (a broken connection, 502, 503 or 504), for up to 15 s; a client's retry of the same request.
async fn with_retries(front: SocketAddr, request: Req) -> (Outcome, live::Resp) {
    let mut retries = 0;
    let until = Instant::now() + Duration::from_secs(15);
    loop {
        let answer = send(front, request.clone()).await;
        match answer.status {
            200..=299 => return (Outcome::Acknowledged { retries }, answer),
            0 | 502..=504 if Instant::now() < until => {
                retries += 1;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            0 | 502..=504 => return (Outcome::GaveUp, answer),
            status => return (Outcome::Refused(status), answer),
        }
    }
}

/// Survey answers and service requests, each with its own idempotency key, one after the other.
async fn write_worker(
    front: SocketAddr,
    cookie: String,
    order: i64,
    tag: String,
    until: Instant,
) -> Vec<(String, &'static str, Outcome)> {
    let reference =
        serde_json::to_value(rapport_core::builtin("nps").unwrap().reference()).unwrap();
    let mut done = Vec::new();
    let mut n = 0;
    while Instant::now() < until {
        n += 1;
        let key = format!("{tag}-{n:05}");
        let (kind, request) = if n % 2 == 0 {
            let body = json!({"instrument": reference, "answers": {"NPS": n % 11}});
            ("answer", Req::post_json("/api/v1/survey-responses", body))
        } else {
            let body = json!({"kind": "complaint", "order_id": order, "reason": "Failover load",
                              "description": key});
            ("request", Req::post_json("/api/v1/requests", body))
        };
        let request = request.header("Idempotency-Key", &key).cookie(&cookie);
        let (outcome, _) = with_retries(front, request).await;
        done.push((key, kind, outcome));
    }
    done
}

/// Saves of one customer's preferences, each switching newsletter e-mails over, under `If-Match`: a
/// retry of a save that was stored before its answer was lost gets 412, and then the customer's
/// preferences show the save (it counts as acknowledged once they do).
async fn preferences_worker(
    front: SocketAddr,
    cookie: String,
    until: Instant,
) -> Vec<(String, &'static str, Outcome)> {
    let notice = loop {
        let (outcome, answer) = with_retries(front, Req::get("/api/v1/notice?lang=en")).await;
        if matches!(outcome, Outcome::Acknowledged { .. }) {
            break answer.json();
        }
    };
    let mut done = Vec::new();
    let mut n = 0;
    while Instant::now() < until {
        n += 1;
        let (_, current) =
            with_retries(front, Req::get("/api/v1/preferences").cookie(&cookie)).await;
        let Some(etag) = current.header("etag").map(str::to_owned) else {
            continue;
        };
        let mut prefs = current.json();
        let cells = prefs["permissions"].as_array_mut().unwrap();
        let cell = cells
            .iter_mut()
            .find(|c| c["channel"] == "email" && c["topic"] == "newsletter")
            .unwrap();
        let wanted = !cell["allowed"].as_bool().unwrap();
        cell["allowed"] = json!(wanted);
        let body = json!({
            "preferences": prefs,
            "context": {"notice_version": notice["version"], "notice_sha256": notice["sha256"],
                        "control": "matrix", "page": "/preferences", "gpc": false},
        });
        let save = Req {
            body: body.to_string(),
            ..Req::new("PUT", "/api/v1/preferences")
        }
        .cookie(&cookie)
        .header("if-match", &etag);
        let (mut outcome, _) = with_retries(front, save).await;
        if let Outcome::Refused(412) = outcome {
            // Was it this save, stored before its answer was lost?
            let (_, now) =
                with_retries(front, Req::get("/api/v1/preferences").cookie(&cookie)).await;
            let shown = now.json()["permissions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| {
                    c["channel"] == "email" && c["topic"] == "newsletter" && c["allowed"] == wanted
                });
            if shown {
                outcome = Outcome::Acknowledged { retries: 1 };
            }
        }
        done.push((format!("save-{n}"), "preferences", outcome));
    }
    done
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "starts PostgreSQL and HAProxy, kills an instance (scripts/bench.sh and scripts/test.sh run it)"]
async fn killing_an_instance_under_load_loses_no_acknowledged_write_and_duplicates_none() {
    let _turn = ONE_CLUSTER_AT_A_TIME.lock().await;
    let cluster = Cluster::start(1);
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&cluster.database).await.unwrap();
    let tag = format!("fo{}", std::process::id());
    let seconds: u64 = std::env::var("RAPPORT_FAILOVER_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(8);
    let emails: Vec<&str> = std::iter::once(DEMO_EMAIL)
        .chain(
            rapport_server::seed::OTHER_CUSTOMERS
                .iter()
                .map(|(e, _)| *e),
        )
        .collect();
    let mut customers = Vec::new();
    for email in &emails {
        let signed_in = send(
            cluster.front,
            Req::post_json(
                "/api/v1/session",
                json!({ "email": email, "password": DEMO_PASSWORD }),
            ),
        )
        .await;
        assert_eq!(signed_in.status, 200, "{email}: {signed_in:?}");
        let (id, order): (i64, i64) = sqlx::query_as(
            "SELECT c.id, o.id FROM customers c JOIN orders o ON o.customer_id = c.id
             WHERE c.email = $1 ORDER BY o.id LIMIT 1",
        )
        .bind(*email)
        .fetch_one(&pool)
        .await
        .unwrap();
        customers.push((id, order, signed_in.cookie().unwrap()));
    }
    let records_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM consent_records")
        .fetch_one(&pool)
        .await
        .unwrap();

    // Load: per customer, three writers of answers and requests and one of preferences.
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let mut workers = Vec::new();
    for (c, (_, order, cookie)) in customers.iter().enumerate() {
        for w in 0..3 {
            let worker_tag = format!("{tag}-{c}-{w}");
            workers.push(tokio::spawn(write_worker(
                cluster.front,
                cookie.clone(),
                *order,
                worker_tag,
                until,
            )));
        }
        workers.push(tokio::spawn(preferences_worker(
            cluster.front,
            cookie.clone(),
            until,
        )));
    }
    // A third of the way in, instance one dies without a word.
    tokio::time::sleep(Duration::from_secs(seconds / 3)).await;
    let pid = std::fs::read_to_string(cluster.dir.join("instance1.pid")).unwrap();
    let killed = Command::new("kill")
        .args(["-9", pid.trim()])
        .status()
        .unwrap();
    assert!(killed.success());
    let killed_at = started.elapsed();
    let mut outcomes = Vec::new();
    for worker in workers {
        outcomes.extend(worker.await.unwrap());
    }

    // Acknowledged writes against the rows in the database.
    let acknowledged = |kind: &str| -> Vec<&String> {
        outcomes
            .iter()
            .filter(|(_, k, o)| *k == kind && matches!(o, Outcome::Acknowledged { .. }))
            .map(|(key, _, _)| key)
            .collect()
    };
    let answer_keys: Vec<String> = sqlx::query_scalar(
        "SELECT idempotency_key FROM survey_responses WHERE idempotency_key LIKE $1",
    )
    .bind(format!("{tag}-%"))
    .fetch_all(&pool)
    .await
    .unwrap();
    let request_keys: Vec<String> = sqlx::query_scalar(
        "SELECT idempotency_key FROM service_requests WHERE idempotency_key LIKE $1",
    )
    .bind(format!("{tag}-%"))
    .fetch_all(&pool)
    .await
    .unwrap();
    let records_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM consent_records")
        .fetch_one(&pool)
        .await
        .unwrap();
    let check = |kind: &str, rows: &[String]| -> (usize, usize, usize, usize) {
        let acked = acknowledged(kind);
        let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for key in rows {
            *counts.entry(key.as_str()).or_default() += 1;
        }
        let lost = acked
            .iter()
            .filter(|k| !counts.contains_key(k.as_str()))
            .count();
        let duplicated = counts.values().filter(|n| **n > 1).count();
        (acked.len(), rows.len(), lost, duplicated)
    };
    let answers = check("answer", &answer_keys);
    let requests = check("request", &request_keys);
    let saves = acknowledged("preferences").len();
    let records = usize::try_from(records_after - records_before).unwrap();
    let retried: Vec<u32> = outcomes
        .iter()
        .filter_map(|(_, _, o)| match o {
            Outcome::Acknowledged { retries } if *retries > 0 => Some(*retries),
            _ => None,
        })
        .collect();
    let other: Vec<_> = outcomes
        .iter()
        .filter(|(_, _, o)| !matches!(o, Outcome::Acknowledged { .. }))
        .collect();
    println!(
        "failover: instance one killed (kill -9) {:.1} s into {seconds} s of load through HAProxy",
        killed_at.as_secs_f64()
    );
    println!(
        "failover: survey answers  acknowledged {} rows {} lost {} duplicated {}",
        answers.0, answers.1, answers.2, answers.3
    );
    println!(
        "failover: requests        acknowledged {} rows {} lost {} duplicated {}",
        requests.0, requests.1, requests.2, requests.3
    );
    println!("failover: preference saves acknowledged {saves} consent records {records}");
    println!(
        "failover: {} writes needed retries ({} tries at most) and all succeeded; not acknowledged: {}",
        retried.len(),
        retried.iter().max().copied().unwrap_or(0),
        other.len()
    );
    assert!(other.is_empty(), "{other:?}");
    assert_eq!((answers.2, answers.3), (0, 0), "answers lost/duplicated");
    assert_eq!((requests.2, requests.3), (0, 0), "requests lost/duplicated");
    // Every stored row was acknowledged (nothing written behind the clients' backs)…
    assert_eq!(answers.0, answers.1);
    assert_eq!(requests.0, requests.1);
    // …and each acknowledged save is one consent record.
    assert_eq!(saves, records);
    assert!(
        answers.0 + requests.0 > 20,
        "too little load: {answers:?} {requests:?}"
    );
    // The survivor still answers through the front.
    assert_eq!(
        send(cluster.front, Req::get("/api/v1/health")).await.status,
        200
    );
    pool.close().await;
}
