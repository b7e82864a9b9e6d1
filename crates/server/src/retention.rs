//! Retention: what the server removes on its own once it has no use (the README lists every kind of
//! stored data with how long it is kept). Sessions and rate-limit counters have their own pruners
//! (`sessions`, `throttle`); this one removes spent or expired password links and marketing addresses
//! whose confirmation link expired unconfirmed.

use crate::clock::rfc3339;
use crate::db::Db;
use std::time::Duration;
use time::OffsetDateTime;

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
    Ok(links + unconfirmed)
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
