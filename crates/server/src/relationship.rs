//! The customer's side of the relationship lifecycle: `GET /relationship`, `GET /invitations` and
//! `POST /invitations/{id}/dismiss`, plus what the staff pages share with them: loading a customer's
//! [`Facts`] from the database, and evaluating and storing the invitations that are due.
//!
//! The rules themselves live in [`crate::lifecycle`]. Triggers are evaluated on a schedule
//! ([`crate::lifecycle_job`]), and also at once when the customer lists their invitations and when staff
//! mark an order delivered; the dedupe key makes any number of evaluations store each invitation once.
//! An invitation to be e-mailed is queued in the outbox in the transaction that stores it.

use crate::accounts::{load_account, Account};
use crate::clock::{parse_time, rfc3339};
use crate::db::Conn;
use crate::extractor::Customer;
use crate::ids::parse_id;
use crate::instruments;
use crate::lifecycle::{self, ExistingInvitation, Facts, OrderFact};
use crate::send_rules::Kind;
use crate::{outbox, preferences, AppError, AppState};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use rapport_api::{Invitation, InvitationList, Relationship, Topic};
use rapport_core::score::{ResponseScores, Scores};
use sqlx::Connection;
use std::collections::{BTreeMap, HashMap};
use time::OffsetDateTime;

/// The instrument whose index is the commitment index of the phase rules.
pub const COMMITMENT_INSTRUMENT: &str = "commitment-customer";

/// Everything the lifecycle rules look at for one customer.
pub async fn load_facts(conn: &mut Conn, account: &Account) -> Result<Facts, AppError> {
    let customer_since = parse_time(&account.customer_since, "customers.customer_since")?;
    // Cancelled orders are left out: nothing changed hands. Only an order that is delivered now (not
    // returned) has a delivery the order survey can be about.
    let rows: Vec<(i64, String, String, Option<String>)> = sqlx::query_as(
        "SELECT o.id, o.placed_at, o.status,
                (SELECT MAX(s.delivered_at) FROM shipments s WHERE s.order_id = o.id)
         FROM orders o WHERE o.customer_id = $1 AND o.status <> 'cancelled'
         ORDER BY o.placed_at, o.id",
    )
    .bind(account.id)
    .fetch_all(&mut *conn)
    .await?;
    let items: Vec<(i64, String)> = sqlx::query_as(
        "SELECT DISTINCT i.order_id, i.category FROM order_items i
         JOIN orders o ON o.id = i.order_id WHERE o.customer_id = $1",
    )
    .bind(account.id)
    .fetch_all(&mut *conn)
    .await?;
    let mut categories: HashMap<i64, Vec<String>> = HashMap::new();
    for (order_id, category) in items {
        categories.entry(order_id).or_default().push(category);
    }
    let mut orders = Vec::with_capacity(rows.len());
    for (id, placed_at, status, delivered_at) in rows {
        let delivered_at = match (status.as_str(), delivered_at) {
            ("delivered", Some(at)) => Some(parse_time(&at, "shipments.delivered_at")?),
            _ => None,
        };
        orders.push(OrderFact {
            id,
            placed_at: parse_time(&placed_at, "orders.placed_at")?,
            categories: categories.remove(&id).unwrap_or_default(),
            delivered_at,
        });
    }
    let complaints: Vec<String> = sqlx::query_scalar(
        "SELECT created_at FROM service_requests WHERE customer_id = $1 AND kind = 'complaint'",
    )
    .bind(account.id)
    .fetch_all(&mut *conn)
    .await?;
    let complaints = complaints
        .iter()
        .map(|at| parse_time(at, "service_requests.created_at"))
        .collect::<Result<Vec<_>, _>>()?;
    let answers: Vec<(String, String)> = sqlx::query_as(
        "SELECT instrument_id, MAX(received_at) FROM survey_responses WHERE customer_id = $1
         GROUP BY instrument_id",
    )
    .bind(account.id)
    .fetch_all(&mut *conn)
    .await?;
    let mut latest_answers = BTreeMap::new();
    for (instrument, at) in answers {
        latest_answers.insert(instrument, parse_time(&at, "survey_responses.received_at")?);
    }
    // `rowid` is SQLite's implicit row number; the PostgreSQL schema has an identity column of that name.
    let scores: Option<String> = sqlx::query_scalar(
        "SELECT scores FROM survey_responses WHERE customer_id = $1 AND instrument_id = $2
         ORDER BY received_at DESC, rowid DESC LIMIT 1",
    )
    .bind(account.id)
    .bind(COMMITMENT_INSTRUMENT)
    .fetch_optional(&mut *conn)
    .await?;
    let commitment_index = scores
        .and_then(|text| serde_json::from_str::<ResponseScores>(&text).ok())
        .and_then(|scores| match scores.scores {
            Scores::Commitment(c) => c.index,
            _ => None,
        });
    Ok(Facts {
        customer_id: account.id,
        customer_since,
        orders,
        complaints,
        commitment_index,
        latest_answers,
    })
}

/// The relationship of an account at `now`.
pub async fn relationship_of(
    conn: &mut Conn,
    account: &Account,
    rules: &lifecycle::LifecycleRules,
    now: OffsetDateTime,
) -> Result<Relationship, AppError> {
    let facts = load_facts(conn, account).await?;
    let assessment = lifecycle::assess(&facts, rules, now);
    Ok(Relationship {
        phase: assessment.phase,
        reasons: assessment.reasons,
        orders: u32::try_from(facts.orders.len()).unwrap_or(u32::MAX),
        customer_since: account.customer_since.clone(),
    })
}

/// Evaluates the triggers for one customer and stores the invitations that are due; e-mails those the
/// customer's preferences allow. Staff accounts and unknown ids get nothing.
pub async fn evaluate(state: &AppState, customer_id: i64) -> Result<(), AppError> {
    let now = OffsetDateTime::now_utc();
    let rules = &state.config.lifecycle;
    let mut conn = state.db.acquire().await?;
    let Some(account) = load_account(&mut conn, customer_id).await? else {
        return Ok(());
    };
    if account.staff {
        return Ok(());
    }
    let facts = load_facts(&mut conn, &account).await?;
    let phase = lifecycle::assess(&facts, rules, now).phase;
    let rows: Vec<(String, String, String, String, i64, String)> = sqlx::query_as(
        "SELECT dedupe_key, trigger, instrument_id, created_at, emailed, status
         FROM survey_invitations WHERE customer_id = $1",
    )
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut existing = Vec::with_capacity(rows.len());
    for (dedupe_key, trigger, instrument, created_at, emailed, status) in rows {
        let trigger = lifecycle::parse_trigger(&trigger).ok_or_else(|| {
            tracing::error!("invitation {dedupe_key} has unknown trigger {trigger:?}");
            AppError::internal()
        })?;
        existing.push(ExistingInvitation {
            created_at: parse_time(&created_at, "survey_invitations.created_at")?,
            dedupe_key,
            trigger,
            instrument,
            emailed: emailed != 0,
            pending: status == "pending",
        });
    }
    let (prefs, _) = preferences::load_state(&mut conn, customer_id).await?;
    let due = lifecycle::due_invitations(&facts, phase, &existing, &prefs, rules, now);
    let created_at = rfc3339(now);
    for invitation in due {
        // The unique key decides between concurrent evaluations: only the one that stores the row
        // queues the e-mail, in the same transaction, so nobody is mailed twice or never.
        let mut tx = conn.begin().await?;
        let inserted: Option<i64> = sqlx::query_scalar(
            "INSERT INTO survey_invitations
                 (customer_id, instrument_id, trigger, order_id, dedupe_key, created_at, emailed, status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending')
             ON CONFLICT(dedupe_key) DO NOTHING RETURNING id",
        )
        .bind(customer_id)
        .bind(&invitation.instrument)
        .bind(lifecycle::trigger_name(invitation.trigger))
        .bind(invitation.order_id)
        .bind(&invitation.dedupe_key)
        .bind(&created_at)
        .bind(i64::from(invitation.email))
        .fetch_optional(&mut *tx)
        .await?;
        if let (true, Some(id)) = (invitation.email, inserted) {
            let title = instruments::title(&invitation.instrument)
                .unwrap_or_else(|| invitation.instrument.clone());
            let body = format!(
                "Survey invitation to {}: {title} (optional) http://127.0.0.1:{}/surveys/{}?invitation={}",
                account.email,
                state.config.port,
                invitation.instrument,
                id
            );
            let subject = format!("Survey invitation: {title}");
            let message = outbox::Message::email(
                Kind::Marketing(Topic::Surveys),
                Some(customer_id),
                &account.email,
                &subject,
                &body,
            );
            outbox::enqueue(&mut tx, &message).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

type InvitationRow = (
    i64,
    String,
    String,
    Option<i64>,
    Option<String>,
    String,
    // `emailed`, 0/1.
    i64,
);

/// The customer's pending invitations, newest first.
pub async fn pending_invitations(
    conn: &mut Conn,
    customer_id: i64,
) -> Result<Vec<Invitation>, AppError> {
    let rows: Vec<InvitationRow> = sqlx::query_as(
        "SELECT i.id, i.instrument_id, i.trigger, i.order_id, o.number, i.created_at, i.emailed
         FROM survey_invitations i LEFT JOIN orders o ON o.id = i.order_id
         WHERE i.customer_id = $1 AND i.status = 'pending'
         ORDER BY i.created_at DESC, i.id DESC",
    )
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(
            |(id, instrument, trigger, order_id, order_number, created_at, emailed)| {
                let trigger = lifecycle::parse_trigger(&trigger).ok_or_else(|| {
                    tracing::error!("invitation {id} has unknown trigger {trigger:?}");
                    AppError::internal()
                })?;
                Ok(Invitation {
                    id,
                    title: instruments::title(&instrument).unwrap_or_else(|| instrument.clone()),
                    instrument,
                    trigger,
                    order_id,
                    order_number,
                    created_at,
                    emailed: emailed != 0,
                })
            },
        )
        .collect()
}

/// `GET /relationship`.
pub async fn relationship(
    State(state): State<AppState>,
    customer: Customer,
) -> Result<Json<Relationship>, AppError> {
    let mut conn = state.db.acquire().await?;
    let account = load_account(&mut conn, customer.id)
        .await?
        .ok_or_else(AppError::unauthorized)?;
    let now = OffsetDateTime::now_utc();
    relationship_of(&mut conn, &account, &state.config.lifecycle, now)
        .await
        .map(Json)
}

/// `GET /invitations`: evaluates the triggers first, so that what is due shows up at once.
pub async fn invitations(
    State(state): State<AppState>,
    customer: Customer,
) -> Result<Json<InvitationList>, AppError> {
    evaluate(&state, customer.id).await?;
    let mut conn = state.db.acquire().await?;
    let invitations = pending_invitations(&mut conn, customer.id).await?;
    Ok(Json(InvitationList { invitations }))
}

/// `POST /invitations/{id}/dismiss`: 204, also when it was dismissed or answered before; another
/// customer's invitation is the same 404 as a missing one.
pub async fn dismiss(
    State(state): State<AppState>,
    customer: Customer,
    id: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, AppError> {
    let id = parse_id(id)?;
    let status: Option<String> = sqlx::query_scalar(
        "SELECT status FROM survey_invitations WHERE id = $1 AND customer_id = $2",
    )
    .bind(id)
    .bind(customer.id)
    .fetch_optional(&state.db)
    .await?;
    match status.as_deref() {
        None => Err(AppError::not_found()),
        Some("pending") => {
            sqlx::query(
                "UPDATE survey_invitations SET status = 'dismissed'
                 WHERE id = $1 AND customer_id = $2 AND status = 'pending'",
            )
            .bind(id)
            .bind(customer.id)
            .execute(&state.db)
            .await?;
            Ok(StatusCode::NO_CONTENT)
        }
        Some(_) => Ok(StatusCode::NO_CONTENT),
    }
}
