//! Retention: what the server removes on its own once it has no use (the README lists every kind of
//! stored data with how long it is kept). Sessions and rate-limit counters have their own pruners
//! (`sessions`, `throttle`); this one removes spent or expired password links, marketing addresses
//! whose confirmation link expired unconfirmed, and settled outbox messages: their text (recipient,
//! subject and body, which may hold a link) after [`OUTBOX_TEXT_DAYS`], their row after
//! [`OUTBOX_ROW_DAYS`].

use crate::clock::rfc3339;
use crate::db::Db;
use std::time::Duration;
use time::OffsetDateTime;

/// Days after a message was settled (sent, dropped or given up) that its text is kept: long enough to
/// answer "did you send me that?", short for the links in it.
pub const OUTBOX_TEXT_DAYS: i64 = 7;
/// Days after which the settled row goes too: more than the 30 days a frequency cap looks back over.
pub const OUTBOX_ROW_DAYS: i64 = 90;

/// How often the clean-up runs.
pub const EVERY: Duration = Duration::from_secs(10 * 60);

/// One clean-up at `now`. Returns how many rows went.
pub async fn run_once(db: &Db, now: OffsetDateTime) -> Result<u64, sqlx::Error> {
    let links = crate::access_links::prune(db, now).await?;
    let unconfirmed = sqlx::query(
        "DELETE FROM contact_points WHERE status = 'pending' AND token_expires_at <= $1",
    )
    .bind(rfc3339(now))
    .execute(db)
    .await?
    .rows_affected();
    Ok(links + unconfirmed + prune_outbox(db, now).await?)
}

/// Empties the text of settled messages and then removes them, each after its time. A message is
/// settled when sent (`sent_at`), or dropped or given up (its last `next_attempt_at`); pending ones,
/// however old, are left alone.
async fn prune_outbox(db: &Db, now: OffsetDateTime) -> Result<u64, sqlx::Error> {
    const SETTLED: &str = "state <> 'pending' AND COALESCE(sent_at, next_attempt_at) <= $1";
    let emptied = sqlx::query(&format!(
        "UPDATE outbox_messages SET recipient = '', subject = '', body = '', last_error = NULL
         WHERE {SETTLED} AND (recipient <> '' OR subject <> '' OR body <> '')"
    ))
    .bind(rfc3339(now - time::Duration::days(OUTBOX_TEXT_DAYS)))
    .execute(db)
    .await?
    .rows_affected();
    let removed = sqlx::query(&format!("DELETE FROM outbox_messages WHERE {SETTLED}"))
        .bind(rfc3339(now - time::Duration::days(OUTBOX_ROW_DAYS)))
        .execute(db)
        .await?
        .rows_affected();
    Ok(emptied + removed)
}

/// Runs [`run_once`] every [`EVERY`] for the life of the process.
pub fn spawn(db: Db) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(EVERY);
        loop {
            ticks.tick().await;
            match run_once(&db, OffsetDateTime::now_utc()).await {
                Ok(0) => {}
                Ok(removed) => tracing::info!(removed, "retention clean-up"),
                Err(error) => tracing::error!(%error, "retention clean-up failed"),
            }
        }
    });
}
