//! The right to erasure: `GET`/`POST /deletion-request`.
//!
//! The customer asks once (typing `DELETE` as the confirmation step); the request is `received`, staff
//! review it (`confirmed`) and carry it out (`completed`) or refuse it with a reason (`refused`), see
//! `erasure`; the portal shows where it stands. At most one open request per customer (a unique partial
//! index makes that hold under races); after a refusal the customer may ask again.

use crate::clock::now_rfc3339;
use crate::db::Conn;
use crate::error::ApiJson;
use crate::extractor::Customer;
use crate::{AppError, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rapport_api::{DeletionRequest, FieldError, NewDeletionRequest};

/// The text the customer must type to confirm.
pub const CONFIRMATION: &str = "DELETE";

/// The customer's latest request (the open one if any).
async fn latest(conn: &mut Conn, customer_id: i64) -> Result<Option<DeletionRequest>, AppError> {
    let row: Option<(i64, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT id, status, created_at, updated_at, reason FROM deletion_requests WHERE customer_id = $1
         ORDER BY CASE WHEN status IN ('received', 'confirmed') THEN 0 ELSE 1 END, created_at DESC, id DESC
         LIMIT 1",
    )
    .bind(customer_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(
        |(id, status, created_at, updated_at, reason)| DeletionRequest {
            id,
            status,
            created_at,
            updated_at,
            reason,
        },
    ))
}

/// `GET /deletion-request`: the customer's request, or `null` when they never made one (the usual
/// state, so not a 404 that browsers log as an error).
pub async fn get_request(
    State(state): State<AppState>,
    customer: Customer,
) -> Result<Json<Option<DeletionRequest>>, AppError> {
    let mut conn = state.db.acquire().await?;
    Ok(Json(latest(&mut conn, customer.id).await?))
}

/// `POST /deletion-request`: `confirm` must be `DELETE` (else 422 `confirm` `invalid_format`). 201 with
/// a new `received` request, or 200 with the open one when there is one already.
pub async fn create_request(
    State(state): State<AppState>,
    customer: Customer,
    ApiJson(new): ApiJson<NewDeletionRequest>,
) -> Result<Response, AppError> {
    if new.confirm.trim() != CONFIRMATION {
        return Err(AppError::invalid_fields(vec![FieldError {
            field: "confirm".into(),
            problem: "invalid_format".into(),
        }]));
    }
    let now = now_rfc3339();
    let mut tx = state.db.begin().await?;
    // Inserts nothing when an open request exists (the unique partial index).
    let inserted = sqlx::query(
        "INSERT INTO deletion_requests (customer_id, status, created_at, updated_at)
         VALUES ($1, 'received', $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(customer.id)
    .bind(&now)
    .bind(&now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let request = latest(&mut tx, customer.id)
        .await?
        .ok_or_else(AppError::internal)?;
    tx.commit().await?;
    let status = if inserted == 1 {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(request)).into_response())
}
