//! Links that let a customer set a password: "forgot password", first access for a customer who never
//! had one, and the invitation staff send from the customer's page.
//!
//! Asking for a link answers the same (202) whether or not the address has an account, and is limited
//! per address and per client in the database (`limits`), so neither the answer nor the limit tells
//! whether an account exists. A link holds a random token (only its SHA-256 is stored), works once and
//! expires: 30 minutes when the customer asked, 7 days for a staff invitation (sent unasked, it may
//! be read later). Setting the password through it ends every session of the account and signs in.

use crate::auth::signed_in;
use crate::client_addr::ClientAddr;
use crate::clock::{now_ms, now_rfc3339, rfc3339};
use crate::error::ApiJson;
use crate::extractor::Staff;
use crate::ids::{hex, parse_id, random_bytes, token_hash};
use crate::limits;
use crate::send_rules::Kind;
use crate::throttle::{address_key, take_window};
use crate::{outbox, AppError, AppState};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rapport_api::{AccessLinkRequest, FieldError, NewPassword, MIN_PASSWORD_CHARS};
use std::time::Duration;
use time::OffsetDateTime;

/// Lifetime of a link the customer asked for.
pub const LINK_TTL: Duration = Duration::from_secs(30 * 60);
/// Lifetime of a staff invitation.
pub const INVITATION_TTL: Duration = Duration::from_secs(7 * 24 * 3600);
/// Links per address, and requests per client, in [`LIMIT_WINDOW`].
pub const PER_ADDRESS: u32 = 3;
pub const PER_CLIENT: u32 = 10;
pub const LIMIT_WINDOW: Duration = Duration::from_secs(3600);

/// Why a link is made; stored with it and named in the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Reset,
    FirstAccess,
    Invitation,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Reset => "reset",
            Purpose::FirstAccess => "first_access",
            Purpose::Invitation => "invitation",
        }
    }

    fn subject(self) -> &'static str {
        match self {
            Purpose::Reset => "Reset your password",
            Purpose::FirstAccess => "Get access to your account",
            Purpose::Invitation => "You are invited to your customer portal",
        }
    }
}

fn field(field: &str, problem: &str) -> AppError {
    AppError::invalid_fields(vec![FieldError {
        field: field.to_owned(),
        problem: problem.to_owned(),
    }])
}

/// `POST /password-reset`.
pub async fn request_reset(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    ApiJson(request): ApiJson<AccessLinkRequest>,
) -> Result<Response, AppError> {
    ask(&state, client, &request, Purpose::Reset).await
}

/// `POST /first-access`.
pub async fn request_first_access(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    ApiJson(request): ApiJson<AccessLinkRequest>,
) -> Result<Response, AppError> {
    ask(&state, client, &request, Purpose::FirstAccess).await
}

async fn ask(
    state: &AppState,
    client: Option<std::net::IpAddr>,
    request: &AccessLinkRequest,
    purpose: Purpose,
) -> Result<Response, AppError> {
    let email = crate::email::canonical(&request.email);
    if email.is_empty() || email.len() > 254 || !email.contains('@') {
        return Err(field("email", "invalid_format"));
    }
    // Counted on the address as typed (canonical), known or not: the limit tells nothing either.
    let keys = [
        format!("link:to:{email}"),
        format!("link:from:{}", address_key(client)),
    ];
    let now = now_ms();
    limits::update(&state.db, &[&keys[0], &keys[1]], now, LIMIT_WINDOW, |c| {
        // Both are checked before either is counted.
        let (mut to, mut from) = (c[0], c[1]);
        take_window(&mut to, PER_ADDRESS, LIMIT_WINDOW, now)?;
        take_window(&mut from, PER_CLIENT, LIMIT_WINDOW, now)?;
        (c[0], c[1]) = (to, from);
        Ok(())
    })
    .await?
    .map_err(|wait| {
        tracing::warn!(client = ?client, "password link requests throttled");
        AppError::too_many_attempts(wait)
    })?;
    let account: Option<i64> =
        sqlx::query_scalar("SELECT id FROM customers WHERE email = $1 AND erased_at IS NULL")
            .bind(&email)
            .fetch_optional(&state.db)
            .await?;
    if let Some(customer_id) = account {
        send_link(state, customer_id, &email, purpose, LINK_TTL).await?;
    }
    tracing::info!(
        known_account = account.is_some(),
        purpose = purpose.as_str(),
        "password link asked for"
    );
    Ok((
        StatusCode::ACCEPTED,
        Json(serde_json::json!({ "status": "accepted" })),
    )
        .into_response())
}

/// Stores a new link for the account and queues its message, in one transaction.
async fn send_link(
    state: &AppState,
    customer_id: i64,
    email: &str,
    purpose: Purpose,
    ttl: Duration,
) -> Result<(), AppError> {
    let token = hex(&random_bytes::<32>()?);
    let now = OffsetDateTime::now_utc();
    let mut tx = state.db.begin().await?;
    sqlx::query(
        "INSERT INTO access_links (token_hash, customer_id, purpose, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash(&token))
    .bind(customer_id)
    .bind(purpose.as_str())
    .bind(rfc3339(now))
    .bind(rfc3339(now + ttl))
    .execute(&mut *tx)
    .await?;
    // The token rides in the fragment, which browsers never send to a server (no access log, no
    // Referer); the portal's page reads it and posts it. Queued in the link's transaction: the message
    // exists exactly when the link does.
    let body = format!(
        "{}: to {email}: http://127.0.0.1:{}/set-password#token={token}",
        purpose.subject(),
        state.config.port
    );
    let message = outbox::Message::email(
        Kind::Transactional,
        Some(customer_id),
        email,
        purpose.subject(),
        &body,
    );
    outbox::enqueue(&mut tx, &message).await?;
    tx.commit().await?;
    Ok(())
}

/// The answer for a token that is unknown, used or expired: one answer for all three.
fn link_gone() -> AppError {
    AppError::new(
        StatusCode::GONE,
        "link_expired",
        "This link has expired or was used already. Ask for a new one.",
    )
}

/// `POST /password-reset/confirm`: sets the password, spends the link, ends every session of the
/// account and signs in (200 with the profile and a session cookie).
pub async fn confirm(
    State(state): State<AppState>,
    ApiJson(new): ApiJson<NewPassword>,
) -> Result<Response, AppError> {
    if new.password.len() > 1024 {
        return Err(field("password", "too_long"));
    }
    if new.password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(field("password", "too_short"));
    }
    if new.token.len() != 64 {
        return Err(link_gone());
    }
    let hash = token_hash(&new.token);
    // A cheap look first, so that a wrong token never costs a password hash.
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT l.customer_id FROM access_links l JOIN customers c ON c.id = l.customer_id
         WHERE l.token_hash = $1 AND l.used_at IS NULL AND l.expires_at > $2 AND c.erased_at IS NULL",
    )
        .bind(&hash)
        .bind(now_rfc3339())
        .fetch_optional(&state.db)
        .await?;
    if found.is_none() {
        return Err(link_gone());
    }
    let password_hash = state.password_queue.hash(new.password).await?;
    let now = now_rfc3339();
    let mut tx = state.db.begin().await?;
    // Spent here, once: of two uses at the same time only one matches the unused row.
    let spent: Option<i64> = sqlx::query_scalar(
        "UPDATE access_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL
           AND expires_at > $2 RETURNING customer_id",
    )
    .bind(&hash)
    .bind(&now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(customer_id) = spent else {
        return Err(link_gone());
    };
    sqlx::query("UPDATE customers SET password_hash = $1 WHERE id = $2 AND erased_at IS NULL")
        .bind(&password_hash)
        .bind(customer_id)
        .execute(&mut *tx)
        .await?;
    // Every session ends (whoever knew the old password is out), and every other link is spent.
    sqlx::query("DELETE FROM sessions WHERE customer_id = $1")
        .bind(customer_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM access_links WHERE customer_id = $1 AND used_at IS NULL")
        .bind(customer_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    tracing::info!(customer = customer_id, "password set through a link");
    signed_in(&state, customer_id).await
}

/// `POST /staff/customers/{id}/invitation`: sends the customer a link to set a password (204). Staff
/// accounts, erased and unknown ids are 404.
pub async fn invite(
    State(state): State<AppState>,
    _staff: Staff,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    let id = parse_id(id)?;
    let email: Option<String> = sqlx::query_scalar(
        "SELECT email FROM customers WHERE id = $1 AND role = 'customer' AND erased_at IS NULL",
    )
    .bind(id)
    .fetch_optional(&state.db)
    .await?;
    let email = email.ok_or_else(AppError::not_found)?;
    send_link(&state, id, &email, Purpose::Invitation, INVITATION_TTL).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Removes links that can no longer be used (spent or expired). Returns how many rows went.
pub async fn prune(db: &crate::db::Db, now: OffsetDateTime) -> Result<u64, sqlx::Error> {
    let done =
        sqlx::query("DELETE FROM access_links WHERE used_at IS NOT NULL OR expires_at <= $1")
            .bind(rfc3339(now))
            .execute(db)
            .await?;
    Ok(done.rows_affected())
}
