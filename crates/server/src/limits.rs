//! Rate-limit counters kept in the database, shared by every server instance that uses it.
//!
//! A decision locks the rows it reads for the rest of its transaction: the first statement on each row
//! is an upsert (`INSERT … ON CONFLICT DO UPDATE … RETURNING`), which creates a missing row and takes
//! the row lock in PostgreSQL (as `SELECT … FOR UPDATE` would, without needing the row to exist) and the
//! database's write lock in SQLite. A concurrent decision on the same key waits until this one commits,
//! so no two requests can both read "4 of 5" and both go on: there is no read-then-write race. Rows are
//! always locked in the order the caller lists them; every caller lists them in one fixed order.
//!
//! The arithmetic (windows, buckets, delays) is pure and lives with each limit (`throttle`).

use crate::db::{Conn, Db};
use std::time::Duration;

/// One counter: a count, when it started, and a time until which something is refused (each limit
/// gives the fields its own meaning, see `throttle`). A new key starts at all zeros.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counter {
    pub n: i64,
    pub since_ms: i64,
    pub until_ms: i64,
}

/// Creates (empty) or locks the row of `key` and reads it; the lock lasts until the transaction ends.
async fn lock(tx: &mut Conn, key: &str) -> Result<Counter, sqlx::Error> {
    let (n, since_ms, until_ms): (i64, i64, i64) = sqlx::query_as(
        "INSERT INTO limit_counters (key, n, since_ms, until_ms, expires_ms) VALUES ($1, 0, 0, 0, 0)
         ON CONFLICT (key) DO UPDATE SET n = limit_counters.n
         RETURNING n, since_ms, until_ms",
    )
    .bind(key)
    .fetch_one(&mut *tx)
    .await?;
    Ok(Counter {
        n,
        since_ms,
        until_ms,
    })
}

async fn save(
    tx: &mut Conn,
    key: &str,
    counter: &Counter,
    expires_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE limit_counters SET n = $1, since_ms = $2, until_ms = $3, expires_ms = $4
         WHERE key = $5",
    )
    .bind(counter.n)
    .bind(counter.since_ms)
    .bind(counter.until_ms)
    .bind(expires_ms)
    .bind(key)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Locks the counters of `keys` (in that order), lets `decide` read and change them, and stores what
/// changed, all in one transaction. `keep` is how long a changed row must be kept from now on.
pub async fn update<T>(
    db: &Db,
    keys: &[&str],
    now_ms: i64,
    keep: Duration,
    decide: impl FnOnce(&mut [Counter]) -> T,
) -> Result<T, sqlx::Error> {
    let mut tx = db.begin().await?;
    let mut counters = Vec::with_capacity(keys.len());
    for key in keys {
        counters.push(lock(&mut tx, key).await?);
    }
    let before = counters.clone();
    let outcome = decide(&mut counters);
    let expires_ms = now_ms.saturating_add(i64::try_from(keep.as_millis()).unwrap_or(i64::MAX));
    for ((key, after), before) in keys.iter().zip(&counters).zip(&before) {
        if after != before {
            save(&mut tx, key, after, expires_ms).await?;
        }
    }
    tx.commit().await?;
    Ok(outcome)
}

/// Forgets a counter (a success clears the failures before it).
pub async fn remove(db: &Db, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM limit_counters WHERE key = $1")
        .bind(key)
        .execute(db)
        .await?;
    Ok(())
}

/// Removes counters that no longer matter. Returns how many rows went.
pub async fn prune(db: &Db, now_ms: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM limit_counters WHERE expires_ms < $1")
        .bind(now_ms)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}
