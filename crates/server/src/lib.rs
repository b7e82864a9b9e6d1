//! Rapport reference backend.
//!
//! A small, complete implementation of the default REST contract (`rapport-api`), so that one command
//! runs the whole product on a fresh machine. SQLite (one file) by default. It also serves the built portal
//! and the survey widget with strict security headers.

pub mod access_links;
pub mod access_log;
pub mod accounts;
pub mod answers;
pub mod assets;
pub mod auth;
pub mod client_addr;
pub mod clock;
pub mod config;
pub mod consent;
pub mod consent_chain;
pub mod contact_points;
pub mod csrf;
pub mod db;
pub mod deletion;
pub mod email;
pub mod erasure;
pub mod error;
pub mod etag;
pub mod extractor;
pub mod history;
pub mod ids;
pub mod instruments;
pub mod lifecycle;
pub mod lifecycle_job;
pub mod limits;
pub mod notices;
pub mod outbox;
pub mod password_queue;
pub mod portal;
pub mod preferences;
pub mod profile;
pub mod reader;
pub mod relationship;
pub mod retention;
pub mod routes;
pub mod security;
pub mod seed;
pub mod send_rules;
pub mod serve;
pub mod sessions;
pub mod staff;
pub mod survey;
pub mod telemetry;
pub mod text;
pub mod throttle;

use axum::Router;
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;

pub use config::Config;
pub use error::AppError;

/// Shared state of every request handler.
#[derive(Clone)]
pub struct AppState {
    pub db: db::Db,
    /// Native reads for the history list (see `reader`).
    pub reader: Arc<reader::Reader>,
    /// Sign-in attempts per client address, account and both (see `throttle`; counted in the database,
    /// like every limit below, so that they hold across instances).
    pub sign_in_throttle: Arc<throttle::SignInThrottle>,
    /// Anonymous survey answers per client address.
    pub survey_limit: Arc<throttle::RateLimit>,
    /// Confirmation messages per address and per customer.
    pub message_limits: Arc<throttle::MessageLimits>,
    /// The bounded queue in front of password checks.
    pub password_queue: Arc<password_queue::PasswordQueue>,
    /// Wrong current passwords per account (password change).
    pub password_attempts: Arc<throttle::PasswordAttempts>,
    pub config: Arc<Config>,
}

impl AppState {
    pub fn new(db: db::Db, config: Config) -> Self {
        Self {
            reader: Arc::new(reader::Reader::for_pool(&db)),
            db,
            sign_in_throttle: Arc::new(throttle::SignInThrottle::default()),
            survey_limit: Arc::new(throttle::RateLimit::per_minute(
                config.survey_rate_per_minute,
            )),
            message_limits: Arc::new(throttle::MessageLimits::default()),
            password_queue: Arc::new(password_queue::PasswordQueue::new(
                config.password_workers,
                config.password_queue,
            )),
            password_attempts: Arc::default(),
            config: Arc::new(config),
        }
    }
}

/// The complete application: API, static portal and widget, security headers, compression.
pub fn app(state: AppState) -> Router {
    let config = state.config.clone();
    let router = Router::new()
        .nest(
            "/api/v1",
            security::no_store_by_default(routes::api())
                .layer(axum::middleware::from_fn(csrf::guard)),
        )
        .fallback(routes::api_not_found)
        .with_state(state);
    let router = assets::with_static(router, &config);
    // The portal's Wasm is about 1.4 MB raw and 0.4 MB with brotli: compressing is most of its load time.
    let router = security::with_hsts(router, config.secure_cookie);
    // Slow request bodies and slow handlers end here; slow headers and idle connections in `serve`.
    let router = router.layer(TimeoutLayer::with_status_code(
        axum::http::StatusCode::REQUEST_TIMEOUT,
        config.request_timeout,
    ));
    // The CSP follows the portal's rapport.config.json as it changes (no restart).
    let router =
        security::with_live_headers(router, &config.portal_dir).layer(CompressionLayer::new());
    // Outermost: every answer, a timeout's too, carries the request id and is logged in its span.
    telemetry::with_tracing(router)
}
