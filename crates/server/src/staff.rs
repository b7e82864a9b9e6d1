//! Staff pages: customers with their relationship phase, their survey answers, recording what the firm
//! did about an answer ("you said / we did"), marking an order delivered (which may trigger the order
//! survey), and the export of every stored answer to an instrument for the analyst view.
//!
//! Every handler takes [`Staff`]: 401 without a session, 403 for a customer's session.

use crate::accounts::load_account;
use crate::answers::{actions_for, answer_map, headline, Source};
use crate::clock::now_rfc3339;
use crate::db::QueryBuilder;
use crate::error::ApiJson;
use crate::extractor::Staff;
use crate::ids::parse_id;
use crate::relationship::{evaluate, pending_invitations, relationship_of};
use crate::text::has_bad_control;
use crate::{AppError, AppState};
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rapport_api::{
    FieldError, NewSurveyAction, StaffCustomer, StaffCustomerDetail, StaffCustomerList,
    StaffResponse, SurveyAction, SurveyInstrumentRef,
};
use rapport_core::{Audience, ResponseMeta};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// Longest action text, in characters.
pub const MAX_ACTION_CHARS: usize = 2000;

/// `GET /staff/customers`: every customer (never staff) with their phase, by id.
pub async fn customers(
    State(state): State<AppState>,
    _staff: Staff,
) -> Result<Json<StaffCustomerList>, AppError> {
    let mut conn = state.db.acquire().await?;
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM customers WHERE role = 'customer' AND erased_at IS NULL ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let now = OffsetDateTime::now_utc();
    let mut customers = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(account) = load_account(&mut conn, id).await? else {
            continue;
        };
        let relationship =
            relationship_of(&mut conn, &account, &state.config.lifecycle, now).await?;
        customers.push(StaffCustomer {
            id: account.id,
            name: account.name,
            email: account.email,
            phase: relationship.phase,
        });
    }
    Ok(Json(StaffCustomerList { customers }))
}

type ResponseRow = (String, String, String, String, Option<i64>, String, String);

/// `GET /staff/customers/{id}`: relationship, answers (newest first) with what was done about them, and
/// open invitations. Staff accounts and unknown ids are 404.
pub async fn customer(
    State(state): State<AppState>,
    _staff: Staff,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<StaffCustomerDetail>, AppError> {
    let id = parse_id(id)?;
    let mut conn = state.db.acquire().await?;
    let account = load_account(&mut conn, id)
        .await?
        .filter(|account| !account.staff && !account.erased)
        .ok_or_else(AppError::not_found)?;
    let now = OffsetDateTime::now_utc();
    let relationship = relationship_of(&mut conn, &account, &state.config.lifecycle, now).await?;
    let rows: Vec<ResponseRow> = sqlx::query_as(
        "SELECT id, received_at, instrument_id, instrument_title, order_id, answers, scores
         FROM survey_responses WHERE customer_id = $1 ORDER BY received_at DESC, id DESC",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<String> = rows.iter().map(|row| row.0.clone()).collect();
    let mut actions = actions_for(&mut conn, &ids).await?;
    let mut responses = Vec::with_capacity(rows.len());
    for (response_id, received_at, instrument, title, order_id, answers, scores) in rows {
        responses.push(StaffResponse {
            actions: actions.remove(&response_id).unwrap_or_default(),
            id: response_id,
            received_at,
            instrument,
            title: crate::instruments::readable_title(&title),
            order_id,
            headline: headline(&scores),
            answers: answer_map(&answers)?,
        });
    }
    let invitations = pending_invitations(&mut conn, id).await?;
    Ok(Json(StaffCustomerDetail {
        id: account.id,
        name: account.name,
        email: account.email,
        relationship,
        responses,
        invitations,
    }))
}

/// The trimmed text, or its problem.
fn action_text(new: &NewSurveyAction) -> Result<String, AppError> {
    let text = new.text.trim();
    let problem = if text.is_empty() {
        Some("required")
    } else if text.chars().count() > MAX_ACTION_CHARS {
        Some("too_long")
    } else if has_bad_control(text) {
        Some("invalid_format")
    } else {
        None
    };
    match problem {
        Some(problem) => Err(AppError::invalid_fields(vec![FieldError {
            field: "text".to_owned(),
            problem: problem.to_owned(),
        }])),
        None => Ok(text.to_owned()),
    }
}

/// `POST /staff/survey-responses/{id}/actions`: 201 with the recorded action; 404 for an unknown
/// response.
pub async fn add_action(
    State(state): State<AppState>,
    staff: Staff,
    id: Result<Path<String>, PathRejection>,
    ApiJson(new): ApiJson<NewSurveyAction>,
) -> Result<Response, AppError> {
    let Path(response_id) = id.map_err(|_| AppError::not_found())?;
    let text = action_text(&new)?;
    let exists: Option<String> =
        sqlx::query_scalar("SELECT id FROM survey_responses WHERE id = $1")
            .bind(&response_id)
            .fetch_optional(&state.db)
            .await?;
    if exists.is_none() {
        return Err(AppError::not_found());
    }
    let created_at = now_rfc3339();
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO survey_actions (response_id, staff_id, text, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(&response_id)
    .bind(staff.id)
    .bind(&text)
    .bind(&created_at)
    .fetch_one(&state.db)
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(SurveyAction {
            id,
            text,
            created_at,
        }),
    )
        .into_response())
}

/// `POST /staff/orders/{id}/delivered`: 204. Marks the order delivered now (status, the shipment's
/// delivery time, a carrier event; a shipment is created for an order that has none) and evaluates the
/// customer's triggers. An order that is delivered already stays as it is; a cancelled or returned one
/// is 409 `order_not_deliverable`.
pub async fn deliver(
    State(state): State<AppState>,
    _staff: Staff,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    let order_id = parse_id(id)?;
    let now = now_rfc3339();
    let mut tx = state.db.begin().await?;
    // A write first, so the transaction holds the write lock for the reads that follow.
    let touched = sqlx::query(
        "UPDATE orders SET status = 'delivered'
         WHERE id = $1 AND status NOT IN ('delivered', 'cancelled', 'returned')",
    )
    .bind(order_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let order: Option<(i64, String, String)> =
        sqlx::query_as("SELECT customer_id, status, ship_to FROM orders WHERE id = $1")
            .bind(order_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((customer_id, status, ship_to)) = order else {
        return Err(AppError::not_found());
    };
    if touched == 0 && status != "delivered" {
        return Err(AppError::new(
            StatusCode::CONFLICT,
            "order_not_deliverable",
            format!("This order is {status} and cannot be marked delivered."),
        ));
    }
    if touched == 1 {
        let shipment: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM shipments WHERE order_id = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(order_id)
        .fetch_optional(&mut *tx)
        .await?;
        let shipment_id = match shipment {
            Some(id) => {
                sqlx::query(
                    "UPDATE shipments SET shipped_at = COALESCE(shipped_at, $1), delivered_at = $2
                     WHERE id = $3",
                )
                .bind(&now)
                .bind(&now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                id
            }
            // Handed over without a parcel service (e.g. collected): a shipment of our own.
            None => sqlx::query_scalar::<_, i64>(
                "INSERT INTO shipments (order_id, carrier, tracking_number, shipped_at, expected_at, delivered_at)
                 VALUES ($1, 'Rapport', $2, $3, $4, $5) RETURNING id",
            )
            .bind(order_id)
            .bind(format!("RP{order_id:010}"))
            .bind(&now)
            .bind(&now)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?,
        };
        // The town is the end of the delivery address (`street, town`).
        let place = ship_to
            .rsplit(',')
            .next()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .unwrap_or("Delivery address");
        sqlx::query(
            "INSERT INTO carrier_events (shipment_id, at, status, location, description)
             VALUES ($1, $2, 'delivered', $3, 'Delivered')",
        )
        .bind(shipment_id)
        .bind(&now)
        .bind(place)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    evaluate(&state, customer_id).await?;
    Ok((
        StatusCode::NO_CONTENT,
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
    )
        .into_response())
}

/// Default and largest page of `GET /staff/survey-responses`, in responses.
pub const EXPORT_DEFAULT_LIMIT: u32 = 1000;
pub const EXPORT_MAX_LIMIT: u32 = 5000;

/// Set on a full export page: the `after` value that fetches the next one.
pub const RAPPORT_NEXT: HeaderName = HeaderName::from_static("rapport-next");

/// Query parameters of `GET /staff/survey-responses`, checked by hand so that errors name them.
#[derive(Debug, Default, Deserialize)]
pub struct ExportParams {
    pub instrument: Option<String>,
    pub after: Option<String>,
    pub limit: Option<String>,
    pub source: Option<String>,
}

/// The checked parameters.
#[derive(Debug, PartialEq, Eq)]
pub struct Export {
    pub instrument: String,
    pub after: i64,
    pub limit: u32,
    /// Only answers from this source (`widget`, `customer`, `invitation`); all when absent.
    pub source: Option<Source>,
}

impl Export {
    pub fn parse(params: ExportParams) -> Result<Export, AppError> {
        let given =
            |value: Option<String>| value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let shown = |value: &str| value.chars().take(40).collect::<String>();
        let instrument = given(params.instrument).ok_or_else(|| {
            AppError::invalid_query(
                "`instrument` is required: the id of an instrument, e.g. servqual.",
            )
        })?;
        let after = match given(params.after) {
            None => 0,
            Some(text) => match text.parse::<i64>() {
                Ok(n) if n >= 0 => n,
                _ => {
                    return Err(AppError::invalid_query(format!(
                        "`after` must be a whole number from 0 (the `Rapport-Next` of the previous page), not {:?}.",
                        shown(&text)
                    )))
                }
            },
        };
        let limit = match given(params.limit) {
            None => EXPORT_DEFAULT_LIMIT,
            Some(text) => match text.parse::<u32>() {
                Ok(n) if (1..=EXPORT_MAX_LIMIT).contains(&n) => n,
                _ => {
                    return Err(AppError::invalid_query(format!(
                        "`limit` must be a whole number from 1 to {EXPORT_MAX_LIMIT}, not {:?}.",
                        shown(&text)
                    )))
                }
            },
        };
        let source = match given(params.source) {
            None => None,
            Some(text) => Some(Source::parse(&text).ok_or_else(|| {
                AppError::invalid_query(format!(
                    "`source` must be widget, customer or invitation, not {:?}.",
                    shown(&text)
                ))
            })?),
        };
        Ok(Export {
            instrument,
            after,
            limit,
            source,
        })
    }
}

/// One line of the export: the CLI's JSON-lines form, with every key present.
#[derive(Serialize)]
struct ExportLine {
    instrument: SurveyInstrumentRef,
    /// Pseudonymous: `c-<customer id>`, never a name or an address. The respondent id a client may
    /// have sent is not passed on, since nothing stops it from being an e-mail address.
    respondent_id: Option<String>,
    answers: BTreeMap<String, i64>,
    meta: ExportMeta,
}

#[derive(Serialize)]
struct ExportMeta {
    /// When the server stored the answer: our clock, where the client's timestamp could be anything.
    timestamp: String,
    segment: Option<String>,
    audience: Option<Audience>,
    /// `widget`, `customer` or `invitation` (readers of the core's format ignore it).
    source: Option<String>,
}

type ExportRow = (
    i64,
    String,
    String,
    String,
    Option<i64>,
    String,
    String,
    String,
    Option<String>,
);

fn unreadable(what: &str, seq: i64, error: impl std::fmt::Display) -> AppError {
    tracing::error!("survey export: stored {what} of row {seq} unreadable: {error}");
    AppError::internal()
}

/// `GET /staff/survey-responses?instrument=…&after=…&limit=…`: the stored responses to one instrument
/// as JSON lines, oldest first; `Rapport-Next` when there are more. An unknown instrument has none.
pub async fn export(
    State(state): State<AppState>,
    _staff: Staff,
    params: Result<Query<ExportParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let params = crate::error::query(params)?;
    let export = Export::parse(params)?;
    // One more than asked tells whether another page follows, so the last page has no `Rapport-Next`.
    let mut query = QueryBuilder::new(
        "SELECT seq, instrument_id, instrument_version, instrument_hash, customer_id, answers, meta,
                received_at, source
         FROM survey_responses WHERE instrument_id = ",
    );
    query
        .push_bind(export.instrument.clone())
        .push(" AND seq > ")
        .push_bind(export.after);
    if let Some(source) = export.source {
        query.push(" AND source = ").push_bind(source.as_str());
    }
    query
        .push(" ORDER BY seq LIMIT ")
        .push_bind(i64::from(export.limit) + 1);
    let rows: Vec<ExportRow> = query.build_query_as().fetch_all(&state.db).await?;
    let more = rows.len() > export.limit as usize;
    let mut body = String::new();
    let mut last = None;
    for (seq, id, version, hash, customer_id, answers, meta, received_at, source) in
        rows.into_iter().take(export.limit as usize)
    {
        let answers: BTreeMap<String, i64> =
            serde_json::from_str(&answers).map_err(|e| unreadable("answers", seq, e))?;
        let meta: ResponseMeta =
            serde_json::from_str(&meta).map_err(|e| unreadable("meta", seq, e))?;
        let line = ExportLine {
            instrument: SurveyInstrumentRef { id, version, hash },
            respondent_id: customer_id.map(|id| format!("c-{id}")),
            answers,
            meta: ExportMeta {
                timestamp: received_at,
                segment: meta.segment,
                audience: meta.audience,
                source,
            },
        };
        let text = serde_json::to_string(&line).map_err(|e| unreadable("line", seq, e))?;
        body.push_str(&text);
        body.push('\n');
        last = Some(seq);
    }
    let mut reply = (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/x-ndjson"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response();
    if let (true, Some(last)) = (more, last) {
        reply
            .headers_mut()
            .insert(RAPPORT_NEXT, HeaderValue::from(last));
    }
    Ok(reply)
}
