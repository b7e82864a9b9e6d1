//! Sessions: who a request's cookie belongs to, the inactivity timeout, the customer's list of sessions,
//! "sign out everywhere else", the password change, and the removal of dead session rows.
//!
//! A session is alive while it is younger than its lifetime (`expires_at`) and was used within the idle
//! timeout (`RAPPORT_SESSION_IDLE_MINUTES`, default 30). Its last use and User-Agent are written at most
//! once a minute, so reads do not turn into a write per request.

use crate::clock::{now_ms, rfc3339};
use crate::error::ApiJson;
use crate::extractor::CurrentSession;
use crate::{AppError, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rapport_api::{
    FieldError, PasswordChange, SessionList, SessionSummary, SignedOutOthers, MIN_PASSWORD_CHARS,
};
use std::time::Duration;
use time::OffsetDateTime;

/// How often dead session rows are removed.
pub const PRUNE_EVERY: Duration = Duration::from_secs(10 * 60);

/// The public reference of a session: a prefix of its stored hash, never the token.
fn public_id(token_hash: &str) -> String {
    token_hash.chars().take(16).collect()
}

/// `GET /sessions`: the customer's live sessions, most recently used first.
pub async fn list(
    State(state): State<AppState>,
    session: CurrentSession,
) -> Result<Json<SessionList>, AppError> {
    let now = OffsetDateTime::now_utc();
    let rows: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT token_hash, created_at, COALESCE(last_used_at, created_at) AS used, user_agent
         FROM sessions
         WHERE customer_id = $1 AND expires_at > $2 AND COALESCE(last_used_at, created_at) > $3
         ORDER BY used DESC, created_at DESC",
    )
    .bind(session.customer_id)
    .bind(rfc3339(now))
    .bind(rfc3339(now - state.config.session_idle))
    .fetch_all(&state.db)
    .await?;
    let sessions = rows
        .into_iter()
        .map(|(hash, created_at, last_used_at, agent)| {
            let (browser, os) = device(agent.as_deref().unwrap_or_default());
            SessionSummary {
                id: public_id(&hash),
                current: hash == session.token_hash,
                browser: browser.map(str::to_owned),
                os: os.map(str::to_owned),
                created_at,
                last_used_at,
            }
        })
        .collect();
    let minutes = state.config.session_idle.as_secs().div_ceil(60);
    Ok(Json(SessionList {
        sessions,
        idle_timeout_minutes: u32::try_from(minutes).unwrap_or(u32::MAX),
    }))
}

/// `POST /sessions/sign-out-others`: ends every session of the customer but this one.
pub async fn sign_out_others(
    State(state): State<AppState>,
    session: CurrentSession,
) -> Result<Json<SignedOutOthers>, AppError> {
    let done = sqlx::query("DELETE FROM sessions WHERE customer_id = $1 AND token_hash <> $2")
        .bind(session.customer_id)
        .bind(&session.token_hash)
        .execute(&state.db)
        .await?;
    Ok(Json(SignedOutOthers {
        ended: done.rows_affected(),
    }))
}

fn field(field: &str, problem: &str) -> AppError {
    AppError::invalid_fields(vec![FieldError {
        field: field.to_owned(),
        problem: problem.to_owned(),
    }])
}

/// Checks the new password's length (characters, not bytes; the upper bound keeps hashing cheap).
fn check_new_password(change: &PasswordChange) -> Result<(), AppError> {
    if change.current_password.is_empty() {
        return Err(field("current_password", "required"));
    }
    if change.current_password.len() > 1024 || change.new_password.len() > 1024 {
        return Err(field("new_password", "too_long"));
    }
    if change.new_password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(field("new_password", "too_short"));
    }
    if change.new_password == change.current_password {
        return Err(field("new_password", "unchanged"));
    }
    Ok(())
}

/// `POST /password`: the current password is required; on success every other session ends, in the
/// same transaction as the new hash.
pub async fn change_password(
    State(state): State<AppState>,
    session: CurrentSession,
    ApiJson(change): ApiJson<PasswordChange>,
) -> Result<Response, AppError> {
    check_new_password(&change)?;
    let customer_id = session.customer_id;
    state
        .password_attempts
        .take(&state.db, customer_id, now_ms())
        .await?
        .map_err(|wait| {
            tracing::warn!(customer = customer_id, "password change throttled");
            AppError::too_many_attempts(wait)
        })?;
    let stored: String = sqlx::query_scalar("SELECT password_hash FROM customers WHERE id = $1")
        .bind(customer_id)
        .fetch_optional(&state.db)
        .await?
        .ok_or_else(AppError::unauthorized)?;
    let PasswordChange {
        current_password,
        new_password,
    } = change;
    // Through the same bounded queue as sign-in: parallel changes cannot take the memory that
    // parallel sign-ins are kept from taking (full queue: 503 with Retry-After, the attempt given back).
    let checked = match state
        .password_queue
        .verify_then_hash(current_password, stored, new_password)
        .await
    {
        Ok(checked) => checked,
        Err(error) => {
            state
                .password_attempts
                .refund(&state.db, customer_id, now_ms())
                .await;
            return Err(error);
        }
    };
    let Some(new_hash) = checked else {
        tracing::info!(
            customer = customer_id,
            "password change: wrong current password"
        );
        return Err(field("current_password", "incorrect"));
    };
    state
        .password_attempts
        .clear(&state.db, customer_id)
        .await?;
    let mut tx = state.db.begin().await?;
    sqlx::query("UPDATE customers SET password_hash = $1 WHERE id = $2")
        .bind(&new_hash)
        .bind(customer_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE customer_id = $1 AND token_hash <> $2")
        .bind(customer_id)
        .bind(&session.token_hash)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Removes sessions that can no longer be used: past their lifetime, or idle for longer than the
/// timeout. Returns how many rows went.
pub async fn prune(
    db: &crate::db::Db,
    now: OffsetDateTime,
    idle: Duration,
) -> Result<u64, AppError> {
    let done = sqlx::query(
        "DELETE FROM sessions WHERE expires_at <= $1 OR COALESCE(last_used_at, created_at) <= $2",
    )
    .bind(rfc3339(now))
    .bind(rfc3339(now - idle))
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// Runs [`prune`] every [`PRUNE_EVERY`] for the life of the process.
pub fn spawn_pruner(db: crate::db::Db, idle: Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(PRUNE_EVERY);
        loop {
            ticks.tick().await;
            if let Err(error) = prune(&db, OffsetDateTime::now_utc(), idle).await {
                tracing::error!(error = %error.message, "cannot remove expired sessions");
            }
        }
    });
}

/// Browser and operating system named by a User-Agent, when recognised. Order matters: Edge and Opera
/// also say "Chrome", Chrome also says "Safari", Android also says "Linux".
pub fn device(user_agent: &str) -> (Option<&'static str>, Option<&'static str>) {
    const BROWSERS: [(&str, &str); 9] = [
        ("Edg", "Edge"),
        ("OPR/", "Opera"),
        ("SamsungBrowser/", "Samsung Internet"),
        ("Firefox/", "Firefox"),
        ("FxiOS/", "Firefox"),
        ("CriOS/", "Chrome"),
        ("Chromium/", "Chromium"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ];
    const SYSTEMS: [(&str, &str); 8] = [
        ("Windows", "Windows"),
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("CrOS", "ChromeOS"),
        ("Mac OS X", "macOS"),
        ("Macintosh", "macOS"),
        ("Linux", "Linux"),
    ];
    let find = |table: &[(&str, &'static str)]| {
        table
            .iter()
            .find(|(marker, _)| user_agent.contains(marker))
            .map(|(_, name)| *name)
    };
    (find(&BROWSERS), find(&SYSTEMS))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn common_user_agents_name_browser_and_system() {
        let cases = [
            ("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", ("Firefox", "Linux")),
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0", ("Edge", "Windows")),
            ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", ("Safari", "macOS")),
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0 Mobile/15E148 Safari/604.1", ("Chrome", "iOS")),
            ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36", ("Chrome", "Android")),
            ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 OPR/111.0", ("Opera", "Linux")),
        ];
        for (agent, (browser, os)) in cases {
            assert_eq!(device(agent), (Some(browser), Some(os)), "{agent}");
        }
        assert_eq!(device(""), (None, None));
        assert_eq!(device("curl/8.5.0"), (None, None));
    }

    #[test]
    fn new_passwords_are_checked_before_anything_is_hashed() {
        let change = |current: &str, new: &str| PasswordChange {
            current_password: current.into(),
            new_password: new.into(),
        };
        let problem = |c: PasswordChange| {
            check_new_password(&c)
                .err()
                .map(|e| (e.fields[0].field.clone(), e.fields[0].problem.clone()))
        };
        assert_eq!(problem(change("old-password", "new-password")), None);
        let short = problem(change("old-password", "ünïcödé-9")).unwrap();
        assert_eq!(short.1, "too_short", "nine characters, more bytes");
        assert_eq!(
            problem(change("", "new-password")).unwrap().0,
            "current_password"
        );
        assert_eq!(
            problem(change("same-password", "same-password")).unwrap().1,
            "unchanged"
        );
        assert_eq!(
            problem(change("old", &"x".repeat(1025))).unwrap().1,
            "too_long"
        );
    }

    proptest! {
        #[test]
        fn any_user_agent_is_read_without_panicking(agent in ".{0,600}") {
            let (browser, os) = device(&agent);
            prop_assert!(browser.is_none_or(|b| b.len() < 20));
            prop_assert!(os.is_none_or(|o| o.len() < 20));
        }
    }
}
