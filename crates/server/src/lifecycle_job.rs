//! The lifecycle triggers on a schedule: every so often each customer's due survey invitations are
//! stored and queued (`relationship::evaluate`), so that an invitation is sent when it becomes due and
//! not only when the customer opens the portal or staff mark an order delivered (both still evaluate
//! at once too).
//!
//! Every instance runs the job, but only one runs a pass at a time: on PostgreSQL the pass holds a
//! transaction-scoped advisory lock, and an instance that cannot take it skips that round. The
//! invitations' unique dedupe keys keep any overlap harmless anyway; the lock saves the duplicate work.

use crate::db::is_postgres;
use crate::{relationship, AppError, AppState};
use sqlx::Connection;
use std::time::Duration;

/// The advisory lock's key (any fixed number; "rapport lifecycle").
const LOCK_KEY: i64 = 0x7261_7070_6c69_6665;

/// What a pass did: `None` when another instance held the lock, else the customers evaluated.
pub async fn run_once(state: &AppState) -> Result<Option<usize>, AppError> {
    // On PostgreSQL a connection of its own holds the session lock for the pass. (SQLite needs no
    // lock, and its in-memory pool has a single connection, which the pass itself needs.)
    let mut lock = None;
    let mut conn = state.db.acquire().await?;
    if is_postgres(&conn) {
        let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(LOCK_KEY)
            .fetch_one(&mut *conn)
            .await?;
        if !got {
            return Ok(None);
        }
        lock = Some(conn);
    } else {
        drop(conn);
    }
    let result = evaluate_all(state).await;
    if let Some(mut conn) = lock {
        let released = sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(LOCK_KEY)
            .execute(&mut *conn)
            .await;
        if released.is_err() {
            // A connection that may still hold the lock never goes back to the pool: closing it
            // releases the lock.
            let _ = conn.detach().close().await;
        }
    }
    result.map(Some)
}

async fn evaluate_all(state: &AppState) -> Result<usize, AppError> {
    let customers: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM customers WHERE role = 'customer' ORDER BY id")
            .fetch_all(&state.db)
            .await?;
    for &customer in &customers {
        // One customer's bad data must not stop everyone else's invitations.
        if let Err(e) = relationship::evaluate(state, customer).await {
            tracing::error!(customer, "lifecycle pass: {}", e.message);
        }
    }
    Ok(customers.len())
}

/// Runs a pass now and then every `every` until the process ends.
pub fn spawn(state: AppState, every: Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match run_once(&state).await {
                Ok(Some(n)) => tracing::debug!(customers = n, "lifecycle pass"),
                Ok(None) => tracing::debug!("lifecycle pass left to another instance"),
                Err(e) => tracing::error!("lifecycle pass: {}", e.message),
            }
        }
    });
}

/// The pass interval: `RAPPORT_LIFECYCLE_EVERY_S` (default 300, at least 1).
pub fn interval_from_env(vars: impl Fn(&str) -> Option<String>) -> Result<Duration, String> {
    match vars("RAPPORT_LIFECYCLE_EVERY_S") {
        None => Ok(Duration::from_secs(300)),
        Some(v) => v
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|n| *n >= 1)
            .map(Duration::from_secs)
            .ok_or_else(|| {
                format!("RAPPORT_LIFECYCLE_EVERY_S must be a whole number of at least 1, not {v:?}")
            }),
    }
}
