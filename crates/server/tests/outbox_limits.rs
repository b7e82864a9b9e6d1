//! Limits on the outbox over the real app and database (PostgreSQL when `RAPPORT_TEST_DATABASE_URL` is
//! set, else SQLite): settled messages lose their text, then their row, after the retention times.

mod common;

use rapport_server::outbox::{self, Message};
use rapport_server::send_rules::Kind;
use rapport_server::{db, seed};
use time::OffsetDateTime;

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
