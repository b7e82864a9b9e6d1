//! HTTP routes of the default contract, plus static files.

use crate::auth::{self, Customer};
use crate::error::ApiJson;
use crate::{consent, contact_points, deletion, history, portal, preferences, profile};
use crate::{relationship, staff, survey};
use crate::{AppError, AppState};
use axum::extract::{ConnectInfo, DefaultBodyLimit, State};
use axum::http::Method;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::{Extension, Json, Router};
use rapport_api::{LoginRequest, Profile, SessionInfo};
use std::net::SocketAddr;
use std::time::Instant;
use tower_http::cors::{Any, CorsLayer};

/// One path of the API with the methods it answers. The router is built from this table, so the table
/// is exactly what is served; a test checks it against the OpenAPI document.
pub struct ApiRoute {
    /// Path under `/api/v1`, in axum's syntax (`/orders/{id}`), which is also OpenAPI's.
    pub path: &'static str,
    /// Upper-case HTTP methods (HEAD is implied by GET).
    pub methods: &'static [&'static str],
    pub handler: MethodRouter<AppState>,
}

/// Every route of the REST API.
pub fn api_routes() -> Vec<ApiRoute> {
    vec![
        ApiRoute {
            path: "/health",
            methods: &["GET"],
            handler: get(health),
        },
        ApiRoute {
            path: "/openapi.json",
            methods: &["GET"],
            handler: get(openapi),
        },
        ApiRoute {
            path: "/session",
            methods: &["GET", "POST", "DELETE"],
            handler: get(session_info).post(sign_in).delete(sign_out),
        },
        ApiRoute {
            path: "/me",
            methods: &["GET"],
            handler: get(me),
        },
        ApiRoute {
            path: "/overview",
            methods: &["GET"],
            handler: get(portal::overview),
        },
        ApiRoute {
            path: "/orders/{id}",
            methods: &["GET"],
            handler: get(portal::order),
        },
        ApiRoute {
            path: "/invoices/{id}",
            methods: &["GET"],
            handler: get(portal::invoice),
        },
        ApiRoute {
            path: "/history",
            methods: &["GET"],
            handler: get(history::history),
        },
        ApiRoute {
            path: "/requests",
            methods: &["GET", "POST"],
            handler: get(portal::list_requests).post(portal::create_request),
        },
        ApiRoute {
            path: "/requests/{id}",
            methods: &["GET"],
            handler: get(portal::request),
        },
        ApiRoute {
            path: "/profile",
            methods: &["GET", "PUT"],
            handler: get(profile::get_profile).put(profile::put_profile),
        },
        ApiRoute {
            path: "/notice",
            methods: &["GET"],
            handler: get(consent::notice),
        },
        ApiRoute {
            path: "/preferences",
            methods: &["GET", "PUT"],
            handler: get(preferences::get_preferences).put(preferences::put_preferences),
        },
        // Read-only on purpose: consent records are append-only, written only by a preferences save.
        ApiRoute {
            path: "/consent-records",
            methods: &["GET"],
            handler: get(consent::list_records),
        },
        ApiRoute {
            path: "/consent-records/{id}/receipt",
            methods: &["GET"],
            handler: get(consent::receipt),
        },
        ApiRoute {
            path: "/contact-points",
            methods: &["POST"],
            handler: post(contact_points::create),
        },
        ApiRoute {
            path: "/contact-points/confirm",
            methods: &["GET"],
            handler: get(contact_points::confirm),
        },
        ApiRoute {
            path: "/deletion-request",
            methods: &["GET", "POST"],
            handler: get(deletion::get_request).post(deletion::create_request),
        },
        // Public: the survey widget fetches definitions before anyone signs in.
        ApiRoute {
            path: "/instruments",
            methods: &["GET"],
            handler: get(survey::list_instruments)
                .options(preflight)
                .layer(embed_cors()),
        },
        ApiRoute {
            path: "/instruments/{id}",
            methods: &["GET"],
            handler: get(survey::get_instrument)
                .options(preflight)
                .layer(embed_cors()),
        },
        // Public as well; a session, when there is one, links the answers to the customer.
        ApiRoute {
            path: "/survey-responses",
            methods: &["POST"],
            handler: post(survey::submit)
                .options(preflight)
                .layer::<_, std::convert::Infallible>(DefaultBodyLimit::max(survey::MAX_BODY_BYTES))
                .layer(embed_cors()),
        },
        ApiRoute {
            path: "/survey-responses/{id}",
            methods: &["GET"],
            handler: get(survey::get_response),
        },
        ApiRoute {
            path: "/relationship",
            methods: &["GET"],
            handler: get(relationship::relationship),
        },
        ApiRoute {
            path: "/invitations",
            methods: &["GET"],
            handler: get(relationship::invitations),
        },
        ApiRoute {
            path: "/invitations/{id}/dismiss",
            methods: &["POST"],
            handler: post(relationship::dismiss),
        },
        // Staff only: 401 without a session, 403 for customers.
        ApiRoute {
            path: "/staff/customers",
            methods: &["GET"],
            handler: get(staff::customers),
        },
        ApiRoute {
            path: "/staff/customers/{id}",
            methods: &["GET"],
            handler: get(staff::customer),
        },
        ApiRoute {
            path: "/staff/survey-responses",
            methods: &["GET"],
            handler: get(staff::export),
        },
        ApiRoute {
            path: "/staff/survey-responses/{id}/actions",
            methods: &["POST"],
            handler: post(staff::add_action),
        },
        ApiRoute {
            path: "/staff/orders/{id}/delivered",
            methods: &["POST"],
            handler: post(staff::deliver),
        },
    ]
}

/// The REST API, mounted under `/api/v1`.
pub fn api() -> Router<AppState> {
    api_routes()
        .into_iter()
        .fold(Router::new(), |router, route| {
            router.route(route.path, route.handler)
        })
        // After the routes: it applies to the routes added so far.
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(api_not_found)
}

/// Unknown API paths answer with the JSON error shape, not the portal's HTML.
pub async fn api_not_found() -> AppError {
    AppError::not_found()
}

/// A known path with a method it does not answer (axum still adds the `Allow` header).
async fn method_not_allowed() -> AppError {
    AppError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "This method is not allowed here.",
    )
}

/// The OpenAPI 3.1 description of this API, kept next to the code and compiled in.
pub const OPENAPI_JSON: &str = include_str!("../openapi.json");

async fn openapi() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        OPENAPI_JSON,
    )
        .into_response()
}

/// CORS for what a widget on a firm's own site uses: the public instrument definitions and the survey
/// submission. Any origin may call them; no credentials cross origins (the widget sends cookies only to
/// its own origin), so a session can never be used from another site.
pub fn embed_cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            header::ACCEPT,
            survey::IDEMPOTENCY_KEY,
        ])
        .expose_headers([
            header::RETRY_AFTER,
            header::LOCATION,
            survey::IDEMPOTENT_REPLAYED,
        ])
        .max_age(std::time::Duration::from_secs(86_400))
}

/// Only reached without an `Origin` (the CORS layer answers real preflights): nothing to say.
async fn preflight() -> StatusCode {
    StatusCode::NO_CONTENT
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
        sqlx::query_as("SELECT id, password_hash FROM customers WHERE email = $1")
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
        if let Err(error) = sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
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

pub(crate) async fn load_profile(state: &AppState, customer_id: i64) -> Result<Profile, AppError> {
    let (id, name, email, customer_since, role): (i64, String, String, String, String) =
        sqlx::query_as("SELECT id, name, email, customer_since, role FROM customers WHERE id = $1")
            .bind(customer_id)
            .fetch_optional(&state.db)
            .await?
            .ok_or_else(AppError::unauthorized)?;
    Ok(Profile {
        id,
        name,
        email,
        customer_since,
        staff: role == auth::STAFF_ROLE,
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
