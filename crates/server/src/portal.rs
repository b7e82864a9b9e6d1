//! The customer's own data: overview, orders with tracking, invoices and post-transaction requests.
//!
//! Every query is scoped by the signed-in customer's id, so another customer's id, a missing id and a
//! malformed id all give the same 404.

use crate::accounts::load_profile;
use crate::clock::{now_rfc3339, rfc3339};
use crate::db::{Conn, QueryBuilder};
use crate::error::ApiJson;
use crate::extractor::Customer;
use crate::ids::parse_id;
use crate::text::has_bad_control;
use crate::{AppError, AppState};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rapport_api::{
    CarrierEvent, FieldError, Invoice, NewServiceRequest, OrderDetail, OrderItem, OrderStatus,
    OrderSummary, Overview, Payment, RelationshipSummary, RequestEvent, RequestKind,
    ServiceRequest, Shipment,
};
use std::collections::HashMap;
use time::{Duration, OffsetDateTime};

/// Request statuses after which nothing more happens.
pub const CLOSED_REQUEST_STATUSES: [&str; 3] = ["resolved", "closed", "rejected"];

/// Longest `reason` of a request, in characters.
pub const MAX_REASON_CHARS: usize = 200;
/// Longest `description` of a request, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 4000;
/// Most order lines one request may name.
pub const MAX_REQUEST_ITEMS: usize = 100;

type OrderRow = (i64, String, String, String, i64, String);

pub(crate) fn order_summary(row: OrderRow) -> Result<OrderSummary, AppError> {
    let (id, number, placed_at, status, total_cents, currency) = row;
    let status = OrderStatus::parse(&status).ok_or_else(|| {
        tracing::error!("order {id} has unknown status {status:?}");
        AppError::internal()
    })?;
    Ok(OrderSummary {
        id,
        number,
        placed_at,
        status,
        total_cents,
        currency,
    })
}

/// `GET /overview`.
pub async fn overview(
    State(state): State<AppState>,
    customer: Customer,
) -> Result<Json<Overview>, AppError> {
    let profile = load_profile(&state, customer.id).await?;
    let mut conn = state.db.acquire().await?;
    let order_count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE customer_id = $1")
        .bind(customer.id)
        .fetch_one(&mut *conn)
        .await?;
    let latest: Option<OrderRow> = sqlx::query_as(
        "SELECT id, number, placed_at, status, total_cents, currency FROM orders
         WHERE customer_id = $1 ORDER BY placed_at DESC, id DESC LIMIT 1",
    )
    .bind(customer.id)
    .fetch_optional(&mut *conn)
    .await?;
    let open_requests: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM service_requests
         WHERE customer_id = $1 AND status NOT IN ('resolved', 'closed', 'rejected')",
    )
    .bind(customer.id)
    .fetch_one(&mut *conn)
    .await?;
    let relationship = relationship(&mut conn, customer.id, latest.as_ref()).await?;
    let open_request_list =
        load_requests(&mut conn, customer.id, RequestScope::Open { limit: 5 }).await?;
    Ok(Json(Overview {
        customer: profile,
        order_count: u32::try_from(order_count).unwrap_or(u32::MAX),
        latest_order: latest.map(order_summary).transpose()?,
        open_requests: u32::try_from(open_requests).unwrap_or(u32::MAX),
        relationship,
        open_request_list,
    }))
}

/// Orders and spend over the last 12 months (365 days). Spend leaves out cancelled orders and counts
/// only orders in the currency of the latest order, so that amounts in different currencies are never
/// added up.
async fn relationship(
    conn: &mut Conn,
    customer_id: i64,
    latest: Option<&OrderRow>,
) -> Result<RelationshipSummary, AppError> {
    let currency = latest
        .map(|row| row.5.clone())
        .unwrap_or_else(|| "EUR".to_owned());
    let since = rfc3339(OffsetDateTime::now_utc() - Duration::days(365));
    // SUM of integers is NUMERIC in PostgreSQL, which the Any driver cannot read: cast back (here and
    // for the paid amount of invoices).
    let (orders, spent): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*),
                CAST(COALESCE(SUM(CASE WHEN status <> 'cancelled' AND currency = $1 THEN total_cents ELSE 0 END), 0) AS BIGINT)
         FROM orders WHERE customer_id = $2 AND placed_at >= $3",
    )
    .bind(&currency)
    .bind(customer_id)
    .bind(&since)
    .fetch_one(&mut *conn)
    .await?;
    let first_order_at: Option<String> =
        sqlx::query_scalar("SELECT MIN(placed_at) FROM orders WHERE customer_id = $1")
            .bind(customer_id)
            .fetch_one(&mut *conn)
            .await?;
    Ok(RelationshipSummary {
        orders_last_12_months: u32::try_from(orders).unwrap_or(u32::MAX),
        spent_last_12_months_cents: spent,
        currency,
        first_order_at,
    })
}

/// `GET /orders/{id}`: the order with items, invoices, payments, shipments and requests.
pub async fn order(
    State(state): State<AppState>,
    customer: Customer,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<OrderDetail>, AppError> {
    let id = parse_id(path)?;
    let mut conn = state.db.acquire().await?;
    // Scoped by customer: another customer's order is indistinguishable from a missing one.
    let row: Option<(i64, String, String, String, i64, String, String)> = sqlx::query_as(
        "SELECT id, number, placed_at, status, total_cents, currency, ship_to FROM orders
         WHERE id = $1 AND customer_id = $2",
    )
    .bind(id)
    .bind(customer.id)
    .fetch_optional(&mut *conn)
    .await?;
    let (id, number, placed_at, status, total_cents, currency, ship_to) =
        row.ok_or_else(AppError::not_found)?;
    let order = order_summary((id, number, placed_at, status, total_cents, currency))?;
    let items = order_items(&mut conn, id).await?;
    let invoices = load_invoices(&mut conn, customer.id, InvoiceScope::Order(id)).await?;
    let payments: Vec<(i64, i64, String, i64, String)> = sqlx::query_as(
        "SELECT p.id, p.invoice_id, p.paid_at, p.amount_cents, p.method
         FROM payments p JOIN invoices i ON i.id = p.invoice_id
         WHERE i.order_id = $1 ORDER BY p.paid_at, p.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let payments = payments
        .into_iter()
        .map(|(id, invoice_id, paid_at, amount_cents, method)| Payment {
            id,
            invoice_id,
            paid_at,
            amount_cents,
            method,
        })
        .collect();
    let shipments = load_shipments(&mut conn, id).await?;
    let requests = load_requests(&mut conn, customer.id, RequestScope::Order(id)).await?;
    Ok(Json(OrderDetail {
        order,
        ship_to,
        items,
        invoices,
        payments,
        shipments,
        requests,
    }))
}

async fn order_items(conn: &mut Conn, order_id: i64) -> Result<Vec<OrderItem>, AppError> {
    let rows: Vec<(i64, String, String, i64, i64)> = sqlx::query_as(
        "SELECT id, sku, name, quantity, unit_price_cents FROM order_items
         WHERE order_id = $1 ORDER BY id",
    )
    .bind(order_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, sku, name, quantity, unit_price_cents)| OrderItem {
            id,
            sku,
            name,
            // The schema guarantees quantity > 0; clamp rather than fail on an absurd value.
            quantity: u32::try_from(quantity).unwrap_or(u32::MAX),
            unit_price_cents,
        })
        .collect())
}

/// Shipments of an order with their carrier events, oldest first.
async fn load_shipments(conn: &mut Conn, order_id: i64) -> Result<Vec<Shipment>, AppError> {
    type ShipmentRow = (
        i64,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<ShipmentRow> = sqlx::query_as(
        "SELECT id, carrier, tracking_number, shipped_at, expected_at, delivered_at
         FROM shipments WHERE order_id = $1 ORDER BY id",
    )
    .bind(order_id)
    .fetch_all(&mut *conn)
    .await?;
    let events: Vec<(i64, String, String, String, String)> = sqlx::query_as(
        "SELECT e.shipment_id, e.at, e.status, e.location, e.description
         FROM carrier_events e JOIN shipments s ON s.id = e.shipment_id
         WHERE s.order_id = $1 ORDER BY e.at, e.id",
    )
    .bind(order_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut by_shipment: HashMap<i64, Vec<CarrierEvent>> = HashMap::new();
    for (shipment_id, at, status, location, description) in events {
        by_shipment
            .entry(shipment_id)
            .or_default()
            .push(CarrierEvent {
                at,
                status,
                location,
                description,
            });
    }
    Ok(rows
        .into_iter()
        .map(
            |(id, carrier, tracking_number, shipped_at, expected_at, delivered_at)| Shipment {
                id,
                carrier,
                tracking_number,
                shipped_at,
                expected_at,
                delivered_at,
                events: by_shipment.remove(&id).unwrap_or_default(),
            },
        )
        .collect())
}

enum InvoiceScope {
    Order(i64),
    One(i64),
}

/// The customer's name and, when they have one, their (first) billing address, as printed on invoices.
/// The reference server prints the current address; it keeps no snapshot per invoice.
async fn bill_to(conn: &mut Conn, customer_id: i64) -> Result<String, AppError> {
    let name: Option<String> = sqlx::query_scalar("SELECT name FROM customers WHERE id = $1")
        .bind(customer_id)
        .fetch_optional(&mut *conn)
        .await?;
    let address: Option<(String, String, String, String)> = sqlx::query_as(
        "SELECT street, postal_code, city, country FROM addresses
         WHERE customer_id = $1 AND label = 'billing' ORDER BY position, id LIMIT 1",
    )
    .bind(customer_id)
    .fetch_optional(&mut *conn)
    .await?;
    let name = name.unwrap_or_default();
    Ok(match address {
        Some((street, postal_code, city, country)) => {
            format!("{name}, {street}, {postal_code} {city}, {country}")
        }
        None => name,
    })
}

async fn load_invoices(
    conn: &mut Conn,
    customer_id: i64,
    scope: InvoiceScope,
) -> Result<Vec<Invoice>, AppError> {
    type InvoiceRow = (
        i64,
        String,
        i64,
        String,
        String,
        String,
        i64,
        String,
        i64,
        String,
    );
    let mut query = QueryBuilder::new(
        "SELECT i.id, i.number, i.order_id, o.number, i.issued_at, i.due_at, i.amount_cents, o.currency,
                CAST(COALESCE((SELECT SUM(p.amount_cents) FROM payments p WHERE p.invoice_id = i.id), 0) AS BIGINT),
                o.ship_to
         FROM invoices i JOIN orders o ON o.id = i.order_id
         WHERE o.customer_id = ",
    );
    query.push_bind(customer_id);
    match scope {
        InvoiceScope::Order(order_id) => query.push(" AND i.order_id = ").push_bind(order_id),
        InvoiceScope::One(id) => query.push(" AND i.id = ").push_bind(id),
    };
    query.push(" ORDER BY i.issued_at, i.id");
    let rows: Vec<InvoiceRow> = query.build_query_as().fetch_all(&mut *conn).await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let bill_to = bill_to(conn, customer_id).await?;
    let mut items_by_order: HashMap<i64, Vec<OrderItem>> = HashMap::new();
    let mut invoices = Vec::with_capacity(rows.len());
    for row in rows {
        let (id, number, order_id, order_number, issued_at, due_at, amount_cents, currency) =
            (row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7);
        let (paid_cents, ship_to) = (row.8, row.9);
        let items = match items_by_order.get(&order_id) {
            Some(items) => items.clone(),
            None => {
                let items = order_items(conn, order_id).await?;
                items_by_order.insert(order_id, items.clone());
                items
            }
        };
        invoices.push(Invoice {
            id,
            number,
            order_id,
            order_number,
            issued_at,
            due_at,
            amount_cents,
            currency,
            paid_cents,
            items,
            bill_to: bill_to.clone(),
            ship_to,
            seller: None,
        });
    }
    Ok(invoices)
}

/// `GET /invoices/{id}`.
pub async fn invoice(
    State(state): State<AppState>,
    customer: Customer,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<Invoice>, AppError> {
    let id = parse_id(path)?;
    let mut conn = state.db.acquire().await?;
    let mut invoice = load_invoices(&mut conn, customer.id, InvoiceScope::One(id))
        .await?
        .into_iter()
        .next()
        .ok_or_else(AppError::not_found)?;
    invoice.seller = state.config.seller.clone();
    Ok(Json(invoice))
}

/// Which of the customer's requests to load.
pub(crate) enum RequestScope {
    All,
    /// Not resolved, closed or rejected; newest first, at most `limit`.
    Open {
        limit: i64,
    },
    Order(i64),
    One(i64),
}

type RequestRow = (
    i64,
    String,
    String,
    Option<i64>,
    Option<String>,
    String,
    String,
    String,
);

/// The customer's requests, newest first, each with its item ids and its events (oldest first).
pub(crate) async fn load_requests(
    conn: &mut Conn,
    customer_id: i64,
    scope: RequestScope,
) -> Result<Vec<ServiceRequest>, AppError> {
    let mut query = QueryBuilder::new(
        "SELECT r.id, r.kind, r.status, r.order_id, o.number, r.reason, r.description, r.created_at
         FROM service_requests r LEFT JOIN orders o ON o.id = r.order_id
         WHERE r.customer_id = ",
    );
    query.push_bind(customer_id);
    match scope {
        RequestScope::All => {}
        RequestScope::Open { .. } => {
            query.push(" AND r.status NOT IN (");
            query.push_bind_list(CLOSED_REQUEST_STATUSES).push(")");
        }
        RequestScope::Order(order_id) => {
            query.push(" AND r.order_id = ").push_bind(order_id);
        }
        RequestScope::One(id) => {
            query.push(" AND r.id = ").push_bind(id);
        }
    }
    query.push(" ORDER BY r.created_at DESC, r.id DESC");
    if let RequestScope::Open { limit } = scope {
        query.push(" LIMIT ").push_bind(limit);
    }
    let rows: Vec<RequestRow> = query.build_query_as().fetch_all(&mut *conn).await?;

    let mut events: HashMap<i64, Vec<RequestEvent>> = HashMap::new();
    let mut items: HashMap<i64, Vec<i64>> = HashMap::new();
    // In chunks, to stay far below SQLite's limit on bound parameters however many requests there are.
    for chunk in rows.chunks(500) {
        let mut query = QueryBuilder::new(
            "SELECT request_id, at, status, note FROM service_request_events WHERE request_id IN (",
        );
        query
            .push_bind_list(chunk.iter().map(|row| row.0))
            .push(") ORDER BY at, id");
        let rows: Vec<(i64, String, String, String)> =
            query.build_query_as().fetch_all(&mut *conn).await?;
        for (request_id, at, status, note) in rows {
            events
                .entry(request_id)
                .or_default()
                .push(RequestEvent { at, status, note });
        }

        let mut query = QueryBuilder::new(
            "SELECT request_id, order_item_id FROM service_request_items WHERE request_id IN (",
        );
        query
            .push_bind_list(chunk.iter().map(|row| row.0))
            .push(") ORDER BY order_item_id");
        let rows: Vec<(i64, i64)> = query.build_query_as().fetch_all(&mut *conn).await?;
        for (request_id, item_id) in rows {
            items.entry(request_id).or_default().push(item_id);
        }
    }

    rows.into_iter()
        .map(|row| {
            let (id, kind, status, order_id, order_number, reason, description, created_at) = row;
            let kind = RequestKind::parse(&kind).ok_or_else(|| {
                tracing::error!("request {id} has unknown kind {kind:?}");
                AppError::internal()
            })?;
            Ok(ServiceRequest {
                id,
                kind,
                status,
                order_id,
                order_number,
                item_ids: items.remove(&id).unwrap_or_default(),
                reason,
                description,
                created_at,
                events: events.remove(&id).unwrap_or_default(),
            })
        })
        .collect()
}

/// `GET /requests`: all of the customer's requests, newest first.
pub async fn list_requests(
    State(state): State<AppState>,
    customer: Customer,
) -> Result<Json<Vec<ServiceRequest>>, AppError> {
    let mut conn = state.db.acquire().await?;
    load_requests(&mut conn, customer.id, RequestScope::All)
        .await
        .map(Json)
}

/// `GET /requests/{id}`.
pub async fn request(
    State(state): State<AppState>,
    customer: Customer,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<ServiceRequest>, AppError> {
    let id = parse_id(path)?;
    let mut conn = state.db.acquire().await?;
    load_requests(&mut conn, customer.id, RequestScope::One(id))
        .await?
        .into_iter()
        .next()
        .map(Json)
        .ok_or_else(AppError::not_found)
}

fn field(field: impl Into<String>, problem: &str) -> FieldError {
    FieldError {
        field: field.into(),
        problem: problem.to_owned(),
    }
}

/// A checked text field: trimmed, with Windows line ends made plain (browsers may send either).
fn checked_text(
    raw: &str,
    name: &str,
    required: bool,
    max_chars: usize,
    errors: &mut Vec<FieldError>,
) -> String {
    let text = raw.replace("\r\n", "\n").trim().to_owned();
    if has_bad_control(&text) {
        errors.push(field(name, "invalid_format"));
    } else if required && text.is_empty() {
        errors.push(field(name, "required"));
    } else if text.chars().count() > max_chars {
        errors.push(field(name, "too_long"));
    }
    text
}

/// `POST /requests`: files a return, complaint or warranty claim about one of the customer's orders.
///
/// The order must be the customer's own (404 otherwise, like any other id). Then every field problem is
/// reported at once as 422 `invalid_fields`: `reason` (`required`, `too_long`, `invalid_format`),
/// `description` (`too_long`, `invalid_format`), `item_ids[i]` (`not_found`: not a line of that order),
/// `item_ids` (`too_long`), `order_id` (`not_allowed`: a return for an order that was not delivered).
/// Text is stored as sent (HTML included; the portal escapes on render), trimmed.
///
/// With an `Idempotency-Key` header (as for survey answers), a retry of a request that was stored
/// gets the stored request back (200) instead of filing it twice: a client whose connection broke
/// after sending can always retry.
pub async fn create_request(
    State(state): State<AppState>,
    customer: Customer,
    headers: HeaderMap,
    ApiJson(new): ApiJson<NewServiceRequest>,
) -> Result<Response, AppError> {
    let key = match headers.contains_key(crate::survey::IDEMPOTENCY_KEY) {
        true => Some(crate::survey::idempotency_key(&headers)?),
        false => None,
    };
    let mut conn = state.db.acquire().await?;
    let status: Option<String> =
        sqlx::query_scalar("SELECT status FROM orders WHERE id = $1 AND customer_id = $2")
            .bind(new.order_id)
            .bind(customer.id)
            .fetch_optional(&mut *conn)
            .await?;
    let order_status = status.ok_or_else(AppError::not_found)?;

    let mut errors = Vec::new();
    let reason = checked_text(&new.reason, "reason", true, MAX_REASON_CHARS, &mut errors);
    let description = checked_text(
        &new.description,
        "description",
        false,
        MAX_DESCRIPTION_CHARS,
        &mut errors,
    );
    if new.kind == RequestKind::Return && order_status != OrderStatus::Delivered.as_str() {
        errors.push(field("order_id", "not_allowed"));
    }
    let mut item_ids: Vec<i64> = Vec::new();
    if new.item_ids.len() > MAX_REQUEST_ITEMS {
        errors.push(field("item_ids", "too_long"));
    } else {
        let lines: Vec<i64> = sqlx::query_scalar("SELECT id FROM order_items WHERE order_id = $1")
            .bind(new.order_id)
            .fetch_all(&mut *conn)
            .await?;
        for (i, item_id) in new.item_ids.iter().enumerate() {
            if !lines.contains(item_id) {
                errors.push(field(format!("item_ids[{i}]"), "not_found"));
            } else if !item_ids.contains(item_id) {
                // A line named twice is the same line.
                item_ids.push(*item_id);
            }
        }
    }
    if !errors.is_empty() {
        return Err(AppError::invalid_fields(errors));
    }
    // Released before the transaction: the in-memory database has a single connection. The transaction
    // starts with its first write, so SQLite never has to upgrade a reader.
    drop(conn);

    let mut tx = state.db.begin().await?;
    let now = now_rfc3339();
    // The key's unique index decides between a request and its retry, also when they run at once
    // on two instances: the second waits for the first to commit, then finds its row.
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO service_requests (customer_id, order_id, kind, status, reason, description, created_at,
                                       idempotency_key)
         VALUES ($1, $2, $3, 'submitted', $4, $5, $6, $7)
         ON CONFLICT (customer_id, idempotency_key) DO NOTHING RETURNING id",
    )
    .bind(customer.id)
    .bind(new.order_id)
    .bind(new.kind.as_str())
    .bind(&reason)
    .bind(&description)
    .bind(&now)
    .bind(key.as_deref())
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = inserted else {
        let id: i64 = sqlx::query_scalar(
            "SELECT id FROM service_requests WHERE customer_id = $1 AND idempotency_key = $2",
        )
        .bind(customer.id)
        .bind(key.as_deref())
        .fetch_one(&mut *tx)
        .await?;
        let stored = load_requests(&mut tx, customer.id, RequestScope::One(id))
            .await?
            .into_iter()
            .next()
            .ok_or_else(AppError::internal)?;
        return Ok((StatusCode::OK, Json(stored)).into_response());
    };
    for item_id in &item_ids {
        sqlx::query(
            "INSERT INTO service_request_items (request_id, order_item_id) VALUES ($1, $2)",
        )
        .bind(id)
        .bind(item_id)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO service_request_events (request_id, at, status, note) VALUES ($1, $2, 'submitted', $3)",
    )
    .bind(id)
    .bind(&now)
    .bind("Request received")
    .execute(&mut *tx)
    .await?;
    let created = load_requests(&mut tx, customer.id, RequestScope::One(id))
        .await?
        .into_iter()
        .next()
        .ok_or_else(AppError::internal)?;
    tx.commit().await?;

    let mut response = (StatusCode::CREATED, Json(created)).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/requests/{id}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}
