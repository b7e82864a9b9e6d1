//! HTTP routes of the default contract, plus static files.

use crate::{access_links, access_log, erasure};
use crate::{auth, consent, contact_points, deletion, history, portal, preferences, profile};
use crate::{relationship, sessions, staff, survey};
use crate::{AppError, AppState};
use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::{Json, Router};
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
            handler: get(auth::session_info)
                .post(auth::sign_in)
                .delete(auth::sign_out),
        },
        ApiRoute {
            path: "/sessions",
            methods: &["GET"],
            handler: get(sessions::list),
        },
        ApiRoute {
            path: "/sessions/sign-out-others",
            methods: &["POST"],
            handler: post(sessions::sign_out_others),
        },
        ApiRoute {
            path: "/password",
            methods: &["POST"],
            handler: post(sessions::change_password),
        },
        // Public: a customer without a working password asks for a link and sets one through it.
        ApiRoute {
            path: "/password-reset",
            methods: &["POST"],
            handler: post(access_links::request_reset),
        },
        ApiRoute {
            path: "/password-reset/confirm",
            methods: &["POST"],
            handler: post(access_links::confirm),
        },
        ApiRoute {
            path: "/first-access",
            methods: &["POST"],
            handler: post(access_links::request_first_access),
        },
        ApiRoute {
            path: "/me",
            methods: &["GET"],
            handler: get(auth::me),
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
            path: "/access-log",
            methods: &["GET"],
            handler: get(access_log::mine),
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
            path: "/staff/customers/{id}/consent-chain",
            methods: &["GET"],
            handler: get(consent::chain_report),
        },
        ApiRoute {
            path: "/staff/customers/{id}/invitation",
            methods: &["POST"],
            handler: post(access_links::invite),
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
        ApiRoute {
            path: "/staff/access-log",
            methods: &["GET"],
            handler: get(access_log::export),
        },
        ApiRoute {
            path: "/staff/deletion-requests",
            methods: &["GET"],
            handler: get(erasure::queue),
        },
        ApiRoute {
            path: "/staff/deletion-requests/{id}",
            methods: &["POST"],
            handler: post(erasure::decide),
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
