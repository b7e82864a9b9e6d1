//! Marketing contact points with double opt-in.
//!
//! `POST /contact-points` stores a new address as `pending` and sends a confirmation link to it through
//! the outbox (a transactional message: no marketing setting holds it back). Opening the link
//! (`GET /contact-points/confirm?token=…`, no session needed: it is opened from a mailbox) marks the
//! address `confirmed`. A pending address must not be used for marketing: anything that sends marketing
//! must select `status = 'confirmed'` only. Only a SHA-256 of the token is stored, and it is removed once
//! used, so a link works once.

use crate::clock::{now_ms, now_rfc3339, rfc3339};
use crate::error::ApiJson;
use crate::extractor::Customer;
use crate::ids::{hex, random_bytes, token_hash};
use crate::send_rules::Kind;
use crate::{outbox, AppError, AppState};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use rapport_api::{Channel, ContactPoint, FieldError, NewContactPoint};
use serde::Deserialize;
use time::{Duration, OffsetDateTime};

/// How long a confirmation link works.
pub const TOKEN_TTL: Duration = Duration::days(7);
/// Most marketing addresses per customer.
pub const MAX_CONTACT_POINTS: i64 = 20;
pub const MAX_EMAIL_CHARS: usize = 254;

fn problem(field: &str, problem: &str) -> FieldError {
    FieldError {
        field: field.to_owned(),
        problem: problem.to_owned(),
    }
}

/// Whether text looks like an e-mail address: one `@`, a non-empty local part, a domain with a dot and
/// non-empty labels, no spaces or control characters. (Only the link sent to it proves it works.)
pub fn looks_like_email(address: &str) -> bool {
    let Some((local, domain)) = address.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && domain.split('.').all(|label| !label.is_empty())
        && !address
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';'))
}

/// A phone number: `+` and 8–15 digits (spaces are removed first).
pub fn looks_like_phone(number: &str) -> bool {
    number.strip_prefix('+').is_some_and(|digits| {
        (8..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit())
    })
}

/// The normalised address, or the field problems.
pub fn validate(new: &NewContactPoint) -> Result<String, Vec<FieldError>> {
    let raw = new.address.trim();
    match new.channel {
        Channel::Email => {
            if raw.is_empty() {
                Err(vec![problem("address", "required")])
            } else if raw.chars().count() > MAX_EMAIL_CHARS {
                Err(vec![problem("address", "too_long")])
            } else if !looks_like_email(raw) {
                Err(vec![problem("address", "invalid_format")])
            } else {
                Ok(raw.to_owned())
            }
        }
        Channel::Sms | Channel::Phone => {
            let number: String = raw.chars().filter(|c| *c != ' ').collect();
            if number.is_empty() {
                Err(vec![problem("address", "required")])
            } else if !looks_like_phone(&number) {
                Err(vec![problem("address", "invalid_format")])
            } else {
                Ok(number)
            }
        }
        // Post and push have no address to confirm here.
        Channel::Post | Channel::Push => Err(vec![problem("channel", "not_allowed")]),
    }
}

/// `POST /contact-points`: 201 with a new pending address. The same address again (same channel, any
/// case): 200 with it as it is; when still pending, a fresh link replaces the old one.
pub async fn create(
    State(state): State<AppState>,
    customer: Customer,
    ApiJson(new): ApiJson<NewContactPoint>,
) -> Result<Response, AppError> {
    let address = validate(&new).map_err(AppError::invalid_fields)?;
    // Reserved before anything changes, so that parallel requests cannot all pass; given back when no
    // message goes out after all (the address is already confirmed, or the request fails).
    let limit_key = match new.channel {
        Channel::Email => format!("email:{}", crate::email::canonical(&address)),
        _ => format!("tel:{address}"),
    };
    let slot = state
        .message_limits
        .reserve(&state.db, &limit_key, customer.id, now_ms())
        .await?
        .map_err(too_many_messages)?;
    let result = store_and_send(&state, customer, &new, &address).await;
    if !matches!(result, Ok((_, true))) {
        state.message_limits.refund(&state.db, slot, now_ms()).await;
    }
    result.map(|(response, _)| response)
}

fn too_many_messages(retry_after_s: u64) -> AppError {
    AppError {
        retry_after_s: Some(retry_after_s),
        ..AppError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_messages",
            "We have sent enough confirmation messages for now. Please use the last one, or try again later.",
        )
    }
}

/// Stores or refreshes the contact point and sends its link; says whether a message went out.
async fn store_and_send(
    state: &AppState,
    customer: Customer,
    new: &NewContactPoint,
    address: &str,
) -> Result<(Response, bool), AppError> {
    let address = address.to_owned();
    let channel = new.channel.as_str();
    let token = hex(&random_bytes::<32>()?);
    let now = OffsetDateTime::now_utc();
    let expires = rfc3339(now + TOKEN_TTL);

    let mut tx = state.db.begin().await?;
    crate::db::lock_customer(&mut tx, customer.id).await?;
    // A write first, so the transaction holds the write lock for the checks that follow (on PostgreSQL,
    // the customer's lock just taken). Refreshes the link of the same address if it is still pending.
    let refreshed = sqlx::query(
        "UPDATE contact_points SET token_hash = $1, token_expires_at = $2
         WHERE customer_id = $3 AND channel = $4 AND address = $5 COLLATE NOCASE AND status = 'pending'",
    )
    .bind(token_hash(&token))
    .bind(&expires)
    .bind(customer.id)
    .bind(channel)
    .bind(&address)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let existing: Option<(i64, String, String)> = sqlx::query_as(
        "SELECT id, address, status FROM contact_points
         WHERE customer_id = $1 AND channel = $2 AND address = $3 COLLATE NOCASE",
    )
    .bind(customer.id)
    .bind(channel)
    .bind(&address)
    .fetch_optional(&mut *tx)
    .await?;
    let (status, point) = match existing {
        Some((id, stored, status)) => {
            let send = refreshed == 1;
            (
                (StatusCode::OK, send),
                ContactPoint {
                    id,
                    channel: new.channel,
                    address: stored,
                    status,
                },
            )
        }
        None => {
            let count: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM contact_points WHERE customer_id = $1")
                    .bind(customer.id)
                    .fetch_one(&mut *tx)
                    .await?;
            if count >= MAX_CONTACT_POINTS {
                return Err(AppError::invalid_fields(vec![problem(
                    "address",
                    "not_allowed",
                )]));
            }
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO contact_points (customer_id, channel, address, status, token_hash,
                                             token_expires_at, created_at)
                 VALUES ($1, $2, $3, 'pending', $4, $5, $6) RETURNING id",
            )
            .bind(customer.id)
            .bind(channel)
            .bind(&address)
            .bind(token_hash(&token))
            .bind(&expires)
            .bind(rfc3339(now))
            .fetch_one(&mut *tx)
            .await?;
            (
                (StatusCode::CREATED, true),
                ContactPoint {
                    id,
                    channel: new.channel,
                    address,
                    status: "pending".to_owned(),
                },
            )
        }
    };
    let (code, send) = status;
    if send {
        // Queued in the transaction that stores the token: a link never points at a token that was
        // rolled back, and a stored token always has its message.
        let body = format!(
            "Confirm contact point: http://127.0.0.1:{}/api/v1/contact-points/confirm?token={token}",
            state.config.port
        );
        let message = outbox::Message {
            channel: new.channel,
            ..outbox::Message::email(
                Kind::Transactional,
                Some(customer.id),
                &point.address,
                "Confirm your contact address",
                &body,
            )
        };
        outbox::enqueue(&mut tx, &message).await?;
    }
    tx.commit().await?;
    Ok(((code, Json(point)).into_response(), send))
}

#[derive(Debug, Default, Deserialize)]
pub struct ConfirmParams {
    pub token: Option<String>,
}

/// The page shown for a link that does not work (not found, used or expired: the same answer).
fn bad_link() -> Response {
    let mut response = (
        StatusCode::NOT_FOUND,
        Html(
            "<!DOCTYPE html><html lang=\"en\"><meta charset=\"utf-8\"><title>Link not valid</title>\
             <h1>This confirmation link does not work</h1>\
             <p>It may have been used already or have expired. \
             <a href=\"/preferences\">Go to your preferences</a> to send a new one.</p></html>",
        ),
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `GET /contact-points/confirm?token=…`: confirms the address and redirects (303) to
/// `/preferences?confirmed=1`. A bad, used or expired token: a small HTML 404. No token: 400.
pub async fn confirm(
    State(state): State<AppState>,
    params: Result<Query<ConfirmParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let token = params
        .ok()
        .and_then(|Query(p)| p.token)
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| AppError::invalid_query("`token` is required."))?;
    if token.len() > 128 {
        return Ok(bad_link());
    }
    let now = now_rfc3339();
    let confirmed = sqlx::query(
        "UPDATE contact_points
         SET status = 'confirmed', confirmed_at = $1, token_hash = NULL, token_expires_at = NULL
         WHERE token_hash = $2 AND status = 'pending' AND token_expires_at > $3",
    )
    .bind(&now)
    .bind(token_hash(&token))
    .bind(&now)
    .execute(&state.db)
    .await?
    .rows_affected();
    if confirmed != 1 {
        return Ok(bad_link());
    }
    Ok((
        StatusCode::SEE_OTHER,
        [
            (
                header::LOCATION,
                HeaderValue::from_static("/preferences?confirmed=1"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_rules() {
        let check = |channel, address: &str| {
            validate(&NewContactPoint {
                channel,
                address: address.into(),
            })
        };
        assert_eq!(check(Channel::Email, " a.b@x.test ").unwrap(), "a.b@x.test");
        for bad in [
            "a",
            "a@b",
            "@x.test",
            "a@@x.test",
            "a b@x.test",
            "a@x..test",
            "a@x.test.",
        ] {
            assert!(check(Channel::Email, bad).is_err(), "{bad}");
        }
        assert_eq!(
            check(Channel::Sms, "+31 6 1234 5678").unwrap(),
            "+31612345678"
        );
        for bad in ["0612345678", "+1234567", "+1234567890123456", "+31-6-1234"] {
            assert!(check(Channel::Phone, bad).is_err(), "{bad}");
        }
        let post = check(Channel::Post, "Oudegracht 1").unwrap_err();
        assert_eq!(post[0].field, "channel");
        assert_eq!(
            check(Channel::Email, "  ").unwrap_err()[0].problem,
            "required"
        );
    }
}
