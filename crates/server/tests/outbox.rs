//! The e-mail outbox over the real app and database (SQLite, or PostgreSQL when
//! `RAPPORT_TEST_DATABASE_URL` is set): send-time rules, retries at a real SMTP server that fails,
//! and several senders at once.

mod common;

use axum::http::StatusCode;
use common::{save_preferences, test_app_with_rules, Outbox, TestApp};
use rapport_api::{Channel, QuietHours, Topic};
use rapport_server::lifecycle::LifecycleRules;
use rapport_server::outbox::{self, Message, SenderConfig, Transport};
use rapport_server::seed;
use rapport_server::send_rules::Kind;
use serde_json::json;
use std::sync::{Arc, Mutex};
use time::{Duration, OffsetDateTime};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

fn only_deliveries() -> LifecycleRules {
    LifecycleRules {
        delivered_delay_days: 0,
        periodic_days: 0,
        ..LifecycleRules::default()
    }
}

/// Marks the demo customer's latest shipped order delivered (through the staff API): an order survey
/// is due at once with these rules.
async fn deliver_an_order(app: &TestApp) -> i64 {
    let customer = app.customer_id(seed::DEMO_EMAIL).await;
    let order: i64 = sqlx::query_scalar(
        "SELECT id FROM orders WHERE customer_id = $1 AND status = 'shipped'
         ORDER BY placed_at DESC LIMIT 1",
    )
    .bind(customer)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let staff = app.sign_in(seed::STAFF_EMAIL).await;
    let answer = app
        .send_json(
            "POST",
            &format!("/api/v1/staff/orders/{order}/delivered"),
            &staff,
            &json!({}),
            &[],
        )
        .await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT);
    order
}

/// The invitation rows' outbox state: (state, drop reason, next attempt).
async fn invitation_rows(app: &TestApp) -> Vec<(String, Option<String>, String)> {
    sqlx::query_as(
        "SELECT state, drop_reason, next_attempt_at FROM outbox_messages
         WHERE kind = 'marketing:surveys' ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn an_invitation_due_in_quiet_hours_goes_out_when_they_end_and_only_then() {
    let (app, outbox) = test_app_with_rules(only_deliveries()).await;
    let demo = app.demo_cookie().await;
    // Quiet from an hour ago to two hours from now, in UTC.
    let now = OffsetDateTime::now_utc();
    let hhmm = |at: OffsetDateTime| format!("{:02}:{:02}", at.hour(), at.minute());
    let end = now + Duration::hours(2);
    save_preferences(&app, &demo, |prefs| {
        prefs.time_zone = "UTC".into();
        prefs.quiet_hours = Some(QuietHours {
            start: hhmm(now - Duration::hours(1)),
            end: hhmm(end),
        });
    })
    .await;
    deliver_an_order(&app).await;
    let pass = outbox.deliver().await;
    assert_eq!((pass.sent, pass.waiting), (0, 1), "{pass:?}");
    let rows = invitation_rows(&app).await;
    let expected = end
        .replace_second(0)
        .unwrap()
        .replace_nanosecond(0)
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0, "pending");
    assert_eq!(rows[0].2, rapport_server::clock::rfc3339(expected));
    // A minute before the end: still nothing. At the end: sent, once.
    let before = outbox.deliver_at(expected - Duration::minutes(1)).await;
    assert_eq!(before.sent, 0, "{before:?}");
    let at_end = outbox.deliver_at(expected).await;
    assert_eq!(at_end.sent, 1, "{at_end:?}");
    let again = outbox.deliver_at(expected + Duration::hours(1)).await;
    assert_eq!(again, outbox::Pass::default());
    let mails = outbox.delivered();
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(mails[0].starts_with("Survey invitation to demo@rapport.test"));
    let state: (String, Option<String>, i64) = sqlx::query_as(
        "SELECT state, sent_at, attempts FROM outbox_messages WHERE kind = 'marketing:surveys'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(state.0, "sent");
    assert!(state.1.unwrap() >= rapport_server::clock::rfc3339(expected));
    assert_eq!(state.2, 1);
}

#[tokio::test]
async fn a_message_no_longer_permitted_is_dropped_with_its_reason_but_links_always_go() {
    let (app, outbox) = test_app_with_rules(only_deliveries()).await;
    let demo = app.demo_cookie().await;
    deliver_an_order(&app).await;
    // The customer switches survey e-mails off before the sender gets to the invitation, and pauses
    // all marketing.
    let tomorrow = (OffsetDateTime::now_utc() + Duration::days(1))
        .date()
        .to_string();
    save_preferences(&app, &demo, |prefs| {
        for cell in &mut prefs.permissions {
            if cell.channel == Channel::Email && cell.topic == Topic::Surveys {
                cell.allowed = false;
            }
        }
        prefs.paused_until = Some(tomorrow);
    })
    .await;
    // A confirmation link is transactional: it goes out regardless.
    let added = app
        .send_json(
            "POST",
            "/api/v1/contact-points",
            &demo,
            &json!({"channel": "email", "address": "news@example.test"}),
            &[],
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED);
    let pass = outbox.deliver().await;
    assert_eq!((pass.sent, pass.dropped), (1, 1), "{pass:?}");
    assert!(outbox.delivered()[0].starts_with("Confirm contact point: "));
    let rows = invitation_rows(&app).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].0.as_str(), rows[0].1.as_deref()),
        ("dropped", Some("not_permitted"))
    );
}

#[tokio::test]
async fn a_survey_cap_counts_the_messages_really_sent() {
    let (app, _outbox) = test_app_with_rules(only_deliveries()).await;
    let customer = app.customer_id(seed::DEMO_EMAIL).await;
    let demo = app.demo_cookie().await;
    save_preferences(&app, &demo, |prefs| {
        prefs.caps = vec![rapport_api::FrequencyCap {
            topic: Topic::Surveys,
            max: 2,
            per: rapport_api::CapPeriod::Week,
        }];
    })
    .await;
    common::queue_survey_mail(&app.pool, customer, 3).await;
    let outbox = Outbox::new(app.pool.clone());
    let pass = outbox.deliver().await;
    assert_eq!((pass.sent, pass.dropped), (2, 1), "{pass:?}");
    assert_eq!(outbox.delivered(), ["Survey 0", "Survey 1"]);
}

/// A tiny SMTP server on a free port: refuses every message with 451 while `refusing` is set, else
/// accepts and keeps its text.
async fn smtp_server(refusing: Arc<Mutex<bool>>) -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let store = received.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let (refusing, store) = (refusing.clone(), store.clone());
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 test ESMTP\r\n").await;
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(text) = &mut data {
                        if line == "." {
                            let reply: &[u8] = if *refusing.lock().unwrap() {
                                b"451 4.3.0 try later\r\n"
                            } else {
                                store.lock().unwrap().push(std::mem::take(text));
                                b"250 stored\r\n"
                            };
                            data = None;
                            let _ = write.write_all(reply).await;
                        } else {
                            text.push_str(&line);
                            text.push('\n');
                        }
                        continue;
                    }
                    let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250 test\r\n",
                        "DATA" => {
                            data = Some(String::new());
                            b"354 go on\r\n"
                        }
                        "QUIT" => {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            break;
                        }
                        _ => b"250 ok\r\n",
                    };
                    let _ = write.write_all(reply).await;
                }
            });
        }
    });
    (port, received)
}

#[tokio::test]
async fn a_failed_smtp_delivery_is_retried_with_backoff_and_then_delivered() {
    let (app, _) = test_app_with_rules(only_deliveries()).await;
    let refusing = Arc::new(Mutex::new(true));
    let (port, received) = smtp_server(refusing.clone()).await;
    let config = SenderConfig {
        smtp_url: Some(format!("smtp://127.0.0.1:{port}")),
        retry: std::time::Duration::from_secs(30),
        ..SenderConfig::default()
    };
    let transport = Transport::from_config(&config, outbox::stdout_letterbox()).unwrap();
    let demo = app.demo_cookie().await;
    let added = app
        .send_json(
            "POST",
            "/api/v1/contact-points",
            &demo,
            &json!({"channel": "email", "address": "news@example.test"}),
            &[],
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED);
    let row = || async {
        sqlx::query_as::<_, (String, i64, String, Option<String>)>(
            "SELECT state, attempts, next_attempt_at, last_error FROM outbox_messages",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap()
    };
    let t0 = OffsetDateTime::now_utc();
    let (pass, _) = outbox::deliver_due(&app.pool, &transport, &config, t0)
        .await
        .unwrap();
    assert_eq!(pass.retried, 1, "{pass:?}");
    let (state, attempts, next, error) = row().await;
    assert_eq!((state.as_str(), attempts), ("pending", 1));
    assert!(error.unwrap().contains("451"));
    let next = rapport_server::clock::parse_time(&next, "test").unwrap();
    assert!(next >= t0 + Duration::seconds(29), "{next}");
    // Not before its time; then refused once more, and the wait doubles.
    let (early, claimed) = outbox::deliver_due(&app.pool, &transport, &config, t0)
        .await
        .unwrap();
    assert_eq!((early, claimed), (outbox::Pass::default(), 0));
    let (pass, _) = outbox::deliver_due(&app.pool, &transport, &config, next)
        .await
        .unwrap();
    assert_eq!(pass.retried, 1);
    let (_, attempts, later, _) = row().await;
    assert_eq!(attempts, 2);
    let later = rapport_server::clock::parse_time(&later, "test").unwrap();
    assert!(
        later >= OffsetDateTime::now_utc() + Duration::seconds(59),
        "{later}"
    );
    // The server accepts again: delivered, once.
    *refusing.lock().unwrap() = false;
    let (pass, _) = outbox::deliver_due(&app.pool, &transport, &config, later)
        .await
        .unwrap();
    assert_eq!(pass.sent, 1, "{pass:?}");
    assert_eq!(row().await.0, "sent");
    let mails = received.lock().unwrap().clone();
    assert_eq!(mails.len(), 1);
    // Long lines travel quoted-printable: undo its soft line breaks to read the link.
    let text = mails[0].replace("=\n", "");
    assert!(
        text.contains("Confirm contact point: http://127.0.0.1:"),
        "{text}"
    );
    assert!(mails[0].contains("Message-ID: <outbox-"), "{}", mails[0]);
    // Nobody listening at all is a failure to retry too.
    let closed = SenderConfig {
        smtp_url: Some("smtp://127.0.0.1:1".into()),
        ..config.clone()
    };
    let nowhere = Transport::from_config(&closed, outbox::stdout_letterbox()).unwrap();
    let mut conn = app.pool.acquire().await.unwrap();
    let message = Message::email(Kind::Transactional, None, "a@example.test", "x", "y");
    outbox::enqueue(&mut conn, &message).await.unwrap();
    drop(conn);
    let (pass, _) = outbox::deliver_due(&app.pool, &nowhere, &closed, OffsetDateTime::now_utc())
        .await
        .unwrap();
    assert_eq!(pass.retried, 1, "{pass:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn four_senders_at_once_deliver_each_message_exactly_once() {
    let (app, _) = test_app_with_rules(only_deliveries()).await;
    let mut conn = app.pool.acquire().await.unwrap();
    for n in 0..60 {
        let body = format!("message {n}");
        let message = Message::email(Kind::Transactional, None, "a@example.test", "x", &body);
        outbox::enqueue(&mut conn, &message).await.unwrap();
    }
    drop(conn);
    let delivered = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = delivered.clone();
    let transport = Transport::Letterbox(Arc::new(move |m: &outbox::Outgoing| {
        // Slow enough for the senders to overlap.
        std::thread::sleep(std::time::Duration::from_millis(2));
        sink.lock().unwrap().push(m.body.clone());
    }));
    let senders: Vec<_> = (0..4)
        .map(|_| {
            let (pool, transport) = (app.pool.clone(), transport.clone());
            tokio::spawn(async move {
                let config = SenderConfig::default();
                let mut sent = 0;
                loop {
                    let (pass, claimed) =
                        outbox::deliver_due(&pool, &transport, &config, OffsetDateTime::now_utc())
                            .await
                            .unwrap();
                    sent += pass.sent;
                    if claimed == 0 {
                        return sent;
                    }
                }
            })
        })
        .collect();
    let mut per_sender = Vec::new();
    for sender in senders {
        per_sender.push(sender.await.unwrap());
    }
    println!("60 messages, 4 senders: {per_sender:?} each");
    let mut bodies = delivered.lock().unwrap().clone();
    assert_eq!(bodies.len(), 60);
    bodies.sort();
    bodies.dedup();
    assert_eq!(bodies.len(), 60, "a message went out twice");
    assert_eq!(per_sender.iter().sum::<usize>(), 60);
}

#[tokio::test]
async fn the_scheduled_lifecycle_pass_queues_due_invitations_and_takes_turns() {
    let pool = common::fresh_db().await;
    assert!(seed::seed_if_empty(&pool).await.unwrap());
    let dir = common::temp_dir("lifecycle-job");
    let config = rapport_server::Config {
        portal_dir: dir.0.join("portal"),
        widget_dir: dir.0.join("widget"),
        lifecycle: LifecycleRules {
            delivered_delay_days: 0,
            ..LifecycleRules::default()
        },
        ..rapport_server::Config::default()
    };
    let state = rapport_server::AppState::new(pool.clone(), config);
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM outbox_messages")
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    assert_eq!(count().await, 0);
    if common::on_postgres() {
        // Another instance holds the pass: this one skips its turn.
        let mut other = pool.acquire().await.unwrap();
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(0x7261_7070_6c69_6665_i64)
            .execute(&mut *other)
            .await
            .unwrap();
        assert_eq!(
            rapport_server::lifecycle_job::run_once(&state)
                .await
                .unwrap(),
            None
        );
        sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(0x7261_7070_6c69_6665_i64)
            .execute(&mut *other)
            .await
            .unwrap();
    }
    let evaluated = rapport_server::lifecycle_job::run_once(&state)
        .await
        .unwrap();
    assert!(evaluated.is_some_and(|n| n >= 2), "{evaluated:?}");
    // The seeded customers with delivered orders and long tenure have invitations due: queued.
    let queued = count().await;
    assert!(queued >= 1, "{queued}");
    // A second pass queues nothing new.
    rapport_server::lifecycle_job::run_once(&state)
        .await
        .unwrap();
    assert_eq!(count().await, queued);
}
