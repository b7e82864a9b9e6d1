//! Limits on the outbox over the real app and database (PostgreSQL when `RAPPORT_TEST_DATABASE_URL` is
//! set, else SQLite): a customer's frequency cap holds when several senders (the instances of a cluster)
//! deliver that customer's marketing at the same moment, each with a pool of its own as separate
//! instances would have; and settled messages lose their text, then their row, after the retention times.

mod common;

use common::TestApp;
use rapport_api::{CapPeriod, FrequencyCap, Topic};
use rapport_server::outbox::{self, Message, SenderConfig, Transport};
use rapport_server::send_rules::Kind;
use rapport_server::{db, seed};
use std::sync::{Arc, Mutex};
use time::OffsetDateTime;

/// Caps the demo customer's survey messages at `max` a week, through the preference centre.
async fn cap_surveys(app: &TestApp, cookie: &str, max: u32) {
    common::save_preferences(app, cookie, |prefs| {
        prefs.caps = vec![FrequencyCap {
            topic: Topic::Surveys,
            max,
            per: CapPeriod::Week,
        }];
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 6)]
async fn four_senders_at_once_keep_a_customers_frequency_cap() {
    let url = common::fresh_postgres_url().await;
    let pool = match &url {
        Some(url) => db::open(url).await.unwrap(),
        None => common::fresh_db().await,
    };
    assert!(seed::seed_if_empty(&pool).await.unwrap());
    let app = common::app_over(pool.clone(), "frequency-cap");
    let customer = app.customer_id(seed::DEMO_EMAIL).await;
    let cookie = app.demo_cookie().await;
    cap_surveys(&app, &cookie, 2).await;
    common::queue_survey_mail(&pool, customer, 8).await;

    let delivered = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = delivered.clone();
    let transport = Transport::Letterbox(Arc::new(move |m: &outbox::Outgoing| {
        // A mail server that takes a moment: without a per-customer lock every sender would decide
        // on the same count of messages sent.
        std::thread::sleep(std::time::Duration::from_millis(40));
        sink.lock().unwrap().push(m.body.clone());
    }));
    // One message claimed at a time, so that the four senders hold different rows of one customer.
    let config = SenderConfig {
        batch: 1,
        ..SenderConfig::default()
    };
    let start = Arc::new(tokio::sync::Barrier::new(4));
    let mut senders = Vec::new();
    for _ in 0..4 {
        let own = match &url {
            Some(url) => db::open(url).await.unwrap(),
            None => pool.clone(),
        };
        let (transport, config, start) = (transport.clone(), config.clone(), start.clone());
        senders.push(tokio::spawn(async move {
            start.wait().await;
            let (mut sent, mut dropped) = (0, 0);
            loop {
                let (pass, claimed) =
                    outbox::deliver_due(&own, &transport, &config, OffsetDateTime::now_utc())
                        .await
                        .unwrap();
                sent += pass.sent;
                dropped += pass.dropped;
                if claimed == 0 {
                    return (sent, dropped);
                }
            }
        }));
    }
    let mut per_sender = Vec::new();
    for sender in senders {
        per_sender.push(sender.await.unwrap());
    }
    println!("8 capped messages, 4 senders (sent, dropped): {per_sender:?}");
    assert_eq!(delivered.lock().unwrap().len(), 2, "{per_sender:?}");
    let sent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox_messages WHERE customer_id = $1 AND state = 'sent'",
    )
    .bind(customer)
    .fetch_one(&pool)
    .await
    .unwrap();
    let capped: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox_messages
         WHERE customer_id = $1 AND state = 'dropped' AND drop_reason = 'frequency_cap'",
    )
    .bind(customer)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((sent, capped), (2, 6));
    // The senders really ran side by side: more than one of them settled messages.
    assert!(per_sender.iter().filter(|(s, d)| s + d > 0).count() > 1);
}

type Kept = (String, String, String, String);

async fn kept(pool: &db::Db, id: i64) -> Option<Kept> {
    sqlx::query_as("SELECT state, recipient, subject, body FROM outbox_messages WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn settled_messages_lose_their_text_then_their_row_and_pending_ones_stay() {
    use rapport_server::retention::{OUTBOX_ROW_DAYS, OUTBOX_TEXT_DAYS};
    let pool = common::fresh_db().await;
    assert!(seed::seed_if_empty(&pool).await.unwrap());
    let mut conn = pool.acquire().await.unwrap();
    let mut ids = Vec::new();
    for body in ["sent link", "dropped", "waiting"] {
        let message = Message::email(
            Kind::Transactional,
            None,
            "someone@example.test",
            "Your link",
            body,
        );
        ids.push(outbox::enqueue(&mut conn, &message).await.unwrap());
    }
    drop(conn);
    let [sent, dropped, waiting] = ids[..] else {
        unreachable!()
    };
    let now = OffsetDateTime::now_utc();
    let at = |days: i64| rapport_server::clock::rfc3339(now - time::Duration::days(days));
    sqlx::query("UPDATE outbox_messages SET state = 'sent', sent_at = $2 WHERE id = $1")
        .bind(sent)
        .bind(at(1))
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE outbox_messages SET state = 'dropped', drop_reason = 'paused', next_attempt_at = $2
         WHERE id = $1",
    )
    .bind(dropped)
    .bind(at(1))
    .execute(&pool)
    .await
    .unwrap();
    // A pending message was queued long ago and is still waiting (for the end of a pause, say).
    sqlx::query("UPDATE outbox_messages SET created_at = $2, next_attempt_at = $2 WHERE id = $1")
        .bind(waiting)
        .bind(at(400))
        .execute(&pool)
        .await
        .unwrap();
    let clean = |days: i64| {
        let pool = pool.clone();
        async move {
            rapport_server::retention::run_once(&pool, now + time::Duration::days(days))
                .await
                .unwrap()
        }
    };
    let full = |state: &str, body: &str| {
        Some((
            state.to_owned(),
            "someone@example.test".to_owned(),
            "Your link".to_owned(),
            body.to_owned(),
        ))
    };
    let emptied = |state: &str| {
        Some((
            state.to_owned(),
            String::new(),
            String::new(),
            String::new(),
        ))
    };

    // Shortly before the text's time is up nothing changes.
    clean(OUTBOX_TEXT_DAYS - 2).await;
    assert_eq!(kept(&pool, sent).await, full("sent", "sent link"));
    assert_eq!(kept(&pool, dropped).await, full("dropped", "dropped"));
    // Then the settled ones keep only what a frequency cap counts; the waiting one keeps its text.
    assert!(clean(OUTBOX_TEXT_DAYS).await >= 2);
    assert_eq!(kept(&pool, sent).await, emptied("sent"));
    assert_eq!(kept(&pool, dropped).await, emptied("dropped"));
    assert_eq!(kept(&pool, waiting).await, full("pending", "waiting"));
    // The rows go when theirs is up.
    clean(OUTBOX_ROW_DAYS - 2).await;
    assert!(kept(&pool, sent).await.is_some());
    assert!(clean(OUTBOX_ROW_DAYS).await >= 2);
    assert_eq!(kept(&pool, sent).await, None);
    assert_eq!(kept(&pool, dropped).await, None);
    assert_eq!(kept(&pool, waiting).await, full("pending", "waiting"));
}
