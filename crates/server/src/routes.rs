//! HTTP routes of the default contract, plus static files.

use crate::auth::{self, Customer};
use crate::error::ApiJson;
use crate::{AppError, AppState, Config};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use rapport_api::{LoginRequest, OrderStatus, OrderSummary, Overview, Profile, SessionInfo};
use std::net::SocketAddr;
use std::time::Instant;
use tower_http::services::{ServeDir, ServeFile};

/// The REST API, mounted under `/api/v1`.
pub fn api() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/session", get(session_info).post(sign_in).delete(sign_out))
        .route("/me", get(me))
        .route("/overview", get(overview))
        .route("/orders/{id}", get(order))
        .fallback(api_not_found)
}

/// Unknown API paths answer with the JSON error shape, not the portal's HTML.
pub async fn api_not_found() -> AppError {
    AppError::not_found()
}

/// Serves the portal (with `index.html` for every client-side route) and the widget next to the API.
pub fn with_static(router: Router, config: &Config) -> Router {
    let index = config.portal_dir.join("index.html");
    let portal = ServeDir::new(&config.portal_dir).fallback(ServeFile::new(index));
    router
        .nest_service("/widget", ServeDir::new(&config.widget_dir))
        .fallback_service(portal)
}

async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

async fn sign_in(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    ApiJson(login): ApiJson<LoginRequest>,
) -> Result<Response, AppError> {
    let email = login.email.trim().to_lowercase();
    if email.is_empty()
        || login.password.is_empty()
        || email.len() > 254
        || login.password.len() > 1024
    {
        return Err(AppError::bad_request(
            "missing_credentials",
            "Please enter your e-mail address and password.",
        ));
    }
    // Throttle per account (tight) and per client address (looser: offices share one address), so that
    // neither guessing one account's password nor spraying one password over many accounts gets far.
    let now = Instant::now();
    let email_key = format!("email:{email}");
    let ip_key = peer.map(|Extension(ConnectInfo(addr))| format!("ip:{}", addr.ip()));
    state
        .limiter
        .check(&email_key, now)
        .map_err(auth::too_many_attempts)?;
    if let Some(key) = &ip_key {
        state
            .ip_limiter
            .check(key, now)
            .map_err(auth::too_many_attempts)?;
    }

    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT id, password_hash FROM customers WHERE email = ?")
            .bind(&email)
            .fetch_optional(&state.db)
            .await?;
    let password = login.password;
    let verified = tokio::task::spawn_blocking(move || match &row {
        Some((id, hash)) => auth::verify_password(&password, hash).then_some(*id),
        None => {
            auth::verify_password(&password, auth::dummy_hash());
            None
        }
    })
    .await
    .map_err(|_| AppError::internal())?;

    let Some(customer_id) = verified else {
        state.limiter.record_failure(&email_key, now);
        if let Some(key) = &ip_key {
            state.ip_limiter.record_failure(key, now);
        }
        // Same answer whether or not the e-mail exists.
        return Err(AppError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
            "The e-mail address or password is not correct.",
        ));
    };
    // Success clears the account's count; the address keeps its count (one success must not reset a
    // spray over many accounts).
    state.limiter.clear(&email_key);
    let token = auth::create_session(&state, customer_id).await?;
    let profile = load_profile(&state, customer_id).await?;
    Ok((
        [(
            header::SET_COOKIE,
            auth::session_cookie(&token, state.config.secure_cookie),
        )],
        Json(profile),
    )
        .into_response())
}

async fn sign_out(State(state): State<AppState>, request: axum::extract::Request) -> Response {
    let (parts, _) = request.into_parts();
    if let Some(token) = auth::token_from_parts(&parts) {
        if let Err(error) = sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(auth::token_hash(&token))
            .execute(&state.db)
            .await
        {
            return AppError::from(error).into_response();
        }
    }
    // Signing out always succeeds from the customer's point of view, even without a session.
    (
        StatusCode::NO_CONTENT,
        [(
            header::SET_COOKIE,
            auth::clear_cookie(state.config.secure_cookie),
        )],
    )
        .into_response()
}

async fn load_profile(state: &AppState, customer_id: i64) -> Result<Profile, AppError> {
    let (id, name, email, customer_since): (i64, String, String, String) =
        sqlx::query_as("SELECT id, name, email, customer_since FROM customers WHERE id = ?")
            .bind(customer_id)
            .fetch_optional(&state.db)
            .await?
            .ok_or_else(AppError::unauthorized)?;
    Ok(Profile {
        id,
        name,
        email,
        customer_since,
    })
}

async fn session_info(
    State(state): State<AppState>,
    customer: Option<Customer>,
) -> Result<Json<SessionInfo>, AppError> {
    let customer = match customer {
        Some(customer) => Some(load_profile(&state, customer.id).await?),
        None => None,
    };
    Ok(Json(SessionInfo { customer }))
}

async fn me(State(state): State<AppState>, customer: Customer) -> Result<Json<Profile>, AppError> {
    load_profile(&state, customer.id).await.map(Json)
}

type OrderRow = (i64, String, String, String, i64, String);

fn order_summary(row: OrderRow) -> Result<OrderSummary, AppError> {
    let (id, number, placed_at, status, total_cents, currency) = row;
    let status = OrderStatus::parse(&status).ok_or_else(|| {
        eprintln!("order {id} has unknown status {status:?}");
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

async fn overview(
    State(state): State<AppState>,
    customer: Customer,
) -> Result<Json<Overview>, AppError> {
    let profile = load_profile(&state, customer.id).await?;
    let order_count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE customer_id = ?")
        .bind(customer.id)
        .fetch_one(&state.db)
        .await?;
    let latest: Option<OrderRow> = sqlx::query_as(
        "SELECT id, number, placed_at, status, total_cents, currency FROM orders
         WHERE customer_id = ? ORDER BY placed_at DESC, id DESC LIMIT 1",
    )
    .bind(customer.id)
    .fetch_optional(&state.db)
    .await?;
    let open_requests: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM service_requests WHERE customer_id = ? AND status NOT IN ('resolved', 'closed', 'rejected')",
    )
    .bind(customer.id)
    .fetch_one(&state.db)
    .await?;
    Ok(Json(Overview {
        customer: profile,
        order_count: u32::try_from(order_count).unwrap_or(u32::MAX),
        latest_order: latest.map(order_summary).transpose()?,
        open_requests: u32::try_from(open_requests).unwrap_or(u32::MAX),
    }))
}

async fn order(
    State(state): State<AppState>,
    customer: Customer,
    Path(id): Path<String>,
) -> Result<Json<OrderSummary>, AppError> {
    // A malformed id is simply not found: no hint about what ids look like.
    let id: i64 = id.parse().map_err(|_| AppError::not_found())?;
    // Scoped by customer: another customer's order is indistinguishable from a missing one.
    let row: Option<OrderRow> = sqlx::query_as(
        "SELECT id, number, placed_at, status, total_cents, currency FROM orders
         WHERE id = ? AND customer_id = ?",
    )
    .bind(id)
    .bind(customer.id)
    .fetch_optional(&state.db)
    .await?;
    row.map(order_summary)
        .transpose()?
        .map(Json)
        .ok_or_else(AppError::not_found)
}
