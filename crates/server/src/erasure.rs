//! Erasure carried out: the firm's queue of deletion requests and what carrying one out does.
//!
//! A request goes `received` → `confirmed` (in review) → `completed`, or → `refused` with a reason the
//! customer sees. The legal deadline is one month after it was received (GDPR Art. 12(3)).
//!
//! Carrying one out, in one transaction:
//! - removed: sessions, password links, queued and sent messages, addresses, contact points, preferences, permissions and caps, contacts, service
//!   requests (their free text, events and items), survey invitations, what staff wrote about the
//!   customer's answers, their sign-in counters;
//! - kept anonymous: their survey answers, without the customer, respondent id or order (statistics);
//! - kept for tax: orders with their items, invoices, payments and deliveries, moved to an emptied
//!   account row of their own;
//! - kept as proof: the consent records (append-only, their chain still checks), the request itself
//!   and the access log, on the customer's own row, emptied down to a random pseudonym.
//!
//! The outcome goes to the customer's last address, queued in the same transaction.

use crate::clock::{now_rfc3339, parse_time, rfc3339};
use crate::db::{lock_customer, Conn};
use crate::error::ApiJson;
use crate::extractor::Staff;
use crate::ids::{hex, parse_id, random_bytes};
use crate::send_rules::Kind;
use crate::text::has_bad_control;
use crate::{outbox, AppError, AppState};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use rapport_api::{DeletionDecision, DeletionQueue, FieldError, QueuedDeletion};

/// Longest refusal reason, in characters.
pub const MAX_REASON_CHARS: usize = 1000;

/// The deadline for answering a request received at `created_at`: one calendar month later (the last
/// day of a shorter month when the day does not exist).
pub fn due_at(created_at: &str) -> Result<String, AppError> {
    let at = parse_time(created_at, "deletion request")?;
    let (year, month) = match at.month() {
        time::Month::December => (at.year() + 1, time::Month::January),
        other => (at.year(), other.next()),
    };
    let day = at.day().min(month.length(year));
    let date =
        time::Date::from_calendar_date(year, month, day).map_err(|_| AppError::internal())?;
    Ok(rfc3339(at.replace_date(date)))
}

type QueueRow = (i64, i64, String, String, String, String, Option<String>);

/// `GET /staff/deletion-requests`: open requests first, the nearest deadline first; then the closed ones,
/// newest first.
pub async fn queue(
    State(state): State<AppState>,
    _staff: Staff,
) -> Result<Json<DeletionQueue>, AppError> {
    let rows: Vec<QueueRow> = sqlx::query_as(
        "SELECT d.id, d.customer_id, c.name, d.status, d.created_at, d.updated_at, d.reason
         FROM deletion_requests d JOIN customers c ON c.id = d.customer_id
         ORDER BY CASE WHEN d.status IN ('received', 'confirmed') THEN 0 ELSE 1 END,
                  CASE WHEN d.status IN ('received', 'confirmed') THEN d.created_at END,
                  d.updated_at DESC, d.id DESC",
    )
    .fetch_all(&state.db)
    .await?;
    let mut requests = Vec::with_capacity(rows.len());
    for (id, customer_id, customer_name, status, created_at, updated_at, reason) in rows {
        requests.push(QueuedDeletion {
            due_at: due_at(&created_at)?,
            id,
            customer_id,
            customer_name,
            status,
            created_at,
            updated_at,
            reason,
        });
    }
    Ok(Json(DeletionQueue { requests }))
}

fn field(field: &str, problem: &str) -> AppError {
    AppError::invalid_fields(vec![FieldError {
        field: field.to_owned(),
        problem: problem.to_owned(),
    }])
}

/// The decision, checked: the new status and the reason (for a refusal).
fn checked(decision: &DeletionDecision) -> Result<(&'static str, Option<String>), AppError> {
    let reason = decision.reason.as_deref().map(str::trim).unwrap_or("");
    match decision.decision.as_str() {
        "review" => Ok(("confirmed", None)),
        "carry_out" => Ok(("completed", None)),
        "refuse" if reason.is_empty() => Err(field("reason", "required")),
        "refuse" if reason.chars().count() > MAX_REASON_CHARS => Err(field("reason", "too_long")),
        "refuse" if has_bad_control(reason) => Err(field("reason", "invalid_format")),
        "refuse" => Ok(("refused", Some(reason.to_owned()))),
        _ => Err(field("decision", "invalid_format")),
    }
}

/// `POST /staff/deletion-requests/{id}`: 200 with the request as it now stands. A closed request, or
/// one not in the state the decision follows from, is 409 `deletion_closed`.
pub async fn decide(
    State(state): State<AppState>,
    staff: Staff,
    id: Result<Path<String>, PathRejection>,
    ApiJson(decision): ApiJson<DeletionDecision>,
) -> Result<Json<QueuedDeletion>, AppError> {
    let id = parse_id(id)?;
    let (status, reason) = checked(&decision)?;
    let now = now_rfc3339();
    let from: &[&str] = if status == "confirmed" {
        &["received"]
    } else {
        &["received", "confirmed"]
    };
    let mut tx = state.db.begin().await?;
    // A write first: it takes SQLite's write lock and PostgreSQL's row lock, so of two decisions at
    // once the second waits and then finds the request moved on.
    let moved: Option<i64> = sqlx::query_scalar(
        "UPDATE deletion_requests SET status = $1, reason = $2, handled_by = $3, updated_at = $4
         WHERE id = $5 AND status IN ($6, $7) RETURNING customer_id",
    )
    .bind(status)
    .bind(&reason)
    .bind(staff.id)
    .bind(&now)
    .bind(id)
    .bind(from[0])
    .bind(from[from.len() - 1])
    .fetch_optional(&mut *tx)
    .await?;
    let Some(customer_id) = moved else {
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM deletion_requests WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        return Err(match exists {
            None => AppError::not_found(),
            Some(_) => AppError::new(
                StatusCode::CONFLICT,
                "deletion_closed",
                "This request is closed already, or not in a state this decision follows from.",
            ),
        });
    };
    // The customer's other transactions (a preferences save, say) take turns with the erasure.
    lock_customer(&mut tx, customer_id).await?;
    let letter = match status {
        "completed" => Some(carry_out(&mut tx, customer_id).await?),
        "refused" => Some(refused_letter(&mut tx, customer_id, reason.as_deref()).await?),
        _ => None,
    };
    let (created_at, name): (String, String) = sqlx::query_as(
        "SELECT d.created_at, c.name FROM deletion_requests d JOIN customers c ON c.id = d.customer_id
         WHERE d.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    // Queued in the decision's transaction: it goes out exactly when the outcome is committed. Not
    // tied to the account (the emptied row is a pseudonym's now); transactional, so no preferences.
    if let Some(letter) = letter {
        let message = outbox::Message::email(
            Kind::Transactional,
            None,
            &letter.to,
            letter.subject,
            &letter.body,
        );
        outbox::enqueue(&mut tx, &message).await?;
    }
    tx.commit().await?;
    Ok(Json(QueuedDeletion {
        id,
        customer_id,
        customer_name: name,
        status: status.to_owned(),
        due_at: due_at(&created_at)?,
        created_at,
        updated_at: now,
        reason,
    }))
}

/// The outcome, to the customer's last address.
pub struct Letter {
    pub to: String,
    pub subject: &'static str,
    pub body: String,
}

async fn refused_letter(
    conn: &mut Conn,
    customer_id: i64,
    reason: Option<&str>,
) -> Result<Letter, AppError> {
    let email: String = sqlx::query_scalar("SELECT email FROM customers WHERE id = $1")
        .bind(customer_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(Letter {
        body: format!(
            "Erasure request refused: to {email}: we did not erase your data. Our reason: {}",
            reason.unwrap_or_default()
        ),
        to: email,
        subject: "Your erasure request was refused",
    })
}

/// A random pseudonym for an emptied account row.
fn pseudonym() -> Result<String, AppError> {
    Ok(format!("p-{}", hex(&random_bytes::<16>()?)))
}

/// Statements that remove what is personal and not kept; each binds the customer as `$1`.
const REMOVE: &[&str] = &[
    "DELETE FROM sessions WHERE customer_id = $1",
    "DELETE FROM access_links WHERE customer_id = $1",
    // Messages to the customer not yet sent, and the copies of those sent (address and text).
    "DELETE FROM outbox_messages WHERE customer_id = $1",
    "DELETE FROM addresses WHERE customer_id = $1",
    "DELETE FROM contact_points WHERE customer_id = $1",
    "DELETE FROM preferences WHERE customer_id = $1",
    "DELETE FROM permissions WHERE customer_id = $1",
    "DELETE FROM frequency_caps WHERE customer_id = $1",
    "DELETE FROM contacts WHERE customer_id = $1",
    "DELETE FROM service_requests WHERE customer_id = $1",
    "DELETE FROM survey_invitations WHERE customer_id = $1",
    "DELETE FROM survey_actions WHERE response_id IN
        (SELECT id FROM survey_responses WHERE customer_id = $1)",
    "UPDATE survey_responses SET customer_id = NULL, respondent_id = NULL, order_id = NULL
        WHERE customer_id = $1",
];

/// Erases the customer's personal data (see the module's comment) inside the caller's transaction,
/// which holds the customer's lock. Returns the letter to their last address.
pub async fn carry_out(tx: &mut Conn, customer_id: i64) -> Result<Letter, AppError> {
    let (email, role, erased): (String, String, Option<String>) =
        sqlx::query_as("SELECT email, role, erased_at FROM customers WHERE id = $1")
            .bind(customer_id)
            .fetch_one(&mut *tx)
            .await?;
    if role != "customer" || erased.is_some() {
        return Err(AppError::new(
            StatusCode::CONFLICT,
            "deletion_closed",
            "This account is not a customer's, or was erased already.",
        ));
    }
    let now = now_rfc3339();
    let kept = pseudonym()?;
    // The tax records' own emptied row.
    let tax = pseudonym()?;
    let tax_row: i64 = sqlx::query_scalar(
        "INSERT INTO customers (email, name, password_hash, customer_since, role, erased_at, pseudonym)
         VALUES ($1, '', '', $2, 'customer', $3, $4) RETURNING id",
    )
    .bind(format!("{tax}@erased.invalid"))
    .bind(&now)
    .bind(&now)
    .bind(&tax)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("UPDATE orders SET customer_id = $1 WHERE customer_id = $2")
        .bind(tax_row)
        .bind(customer_id)
        .execute(&mut *tx)
        .await?;
    for statement in REMOVE {
        sqlx::query(statement)
            .bind(customer_id)
            .execute(&mut *tx)
            .await?;
    }
    forget_counters(tx, customer_id, &email).await?;
    sqlx::query(
        "UPDATE customers SET email = $1, name = '', phone = '', password_hash = '', customer_since = $2,
                              erased_at = $3, pseudonym = $4, profile_version = profile_version + 1
         WHERE id = $5",
    )
    .bind(format!("{kept}@erased.invalid"))
    .bind(&now)
    .bind(&now)
    .bind(&kept)
    .bind(customer_id)
    .execute(&mut *tx)
    .await?;
    tracing::info!(customer = customer_id, "erasure carried out");
    Ok(Letter {
        body: format!(
            "Erasure carried out: to {email}: we erased your personal data on {now}. Kept by law: \
             your invoices (for tax), without your account. Kept as proof of your consent choices, \
             under the pseudonym {kept} only: the consent records, which no longer name you."
        ),
        to: email,
        subject: "Your personal data was erased",
    })
}

/// The sign-in counters and known addresses that name the account's e-mail address.
async fn forget_counters(tx: &mut Conn, customer_id: i64, email: &str) -> Result<(), AppError> {
    let pairs: Vec<String> =
        sqlx::query_scalar("SELECT key FROM limit_counters WHERE key LIKE 'sign-in:pair:%'")
            .fetch_all(&mut *tx)
            .await?;
    let suffix = format!("|{email}");
    let mut keys: Vec<String> = pairs.into_iter().filter(|k| k.ends_with(&suffix)).collect();
    keys.push(format!("sign-in:account:{email}"));
    keys.push(format!("message:to:{email}"));
    keys.push(format!("message:for:{customer_id}"));
    for key in keys {
        sqlx::query("DELETE FROM limit_counters WHERE key = $1")
            .bind(key)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM sign_in_known WHERE account = $1")
        .bind(email)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deadline_is_one_calendar_month_later() {
        assert_eq!(
            due_at("2026-03-15T10:00:00Z").unwrap(),
            "2026-04-15T10:00:00Z"
        );
        assert_eq!(
            due_at("2026-01-31T08:30:00Z").unwrap(),
            "2026-02-28T08:30:00Z"
        );
        assert_eq!(
            due_at("2028-01-31T08:30:00Z").unwrap(),
            "2028-02-29T08:30:00Z"
        );
        assert_eq!(
            due_at("2026-12-20T00:00:00Z").unwrap(),
            "2027-01-20T00:00:00Z"
        );
        assert!(due_at("yesterday").is_err());
    }

    #[test]
    fn a_refusal_needs_a_reason() {
        let decision = |d: &str, r: Option<&str>| DeletionDecision {
            decision: d.into(),
            reason: r.map(str::to_owned),
        };
        assert_eq!(checked(&decision("review", None)).unwrap().0, "confirmed");
        assert_eq!(
            checked(&decision("carry_out", Some("x"))).unwrap(),
            ("completed", None)
        );
        assert!(checked(&decision("refuse", Some("  "))).is_err());
        assert_eq!(
            checked(&decision("refuse", Some(" open invoice "))).unwrap(),
            ("refused", Some("open invoice".to_owned()))
        );
        assert!(checked(&decision("refuse", Some(&"x".repeat(1001)))).is_err());
        assert!(checked(&decision("delete", None)).is_err());
    }
}
