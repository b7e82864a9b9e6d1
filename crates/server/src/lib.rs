//! Rapport reference backend.
//!
//! A small, complete implementation of the default REST contract (`rapport-api`), so that one command
//! runs the whole product on a fresh machine. SQLite (one file) by default. It also serves the built portal
//! and the survey widget with strict security headers.

pub mod auth;
pub mod config;
pub mod consent;
pub mod contact_points;
pub mod db;
pub mod deletion;
pub mod error;
pub mod history;
pub mod lifecycle;
pub mod portal;
pub mod preferences;
pub mod profile;
pub mod relationship;
pub mod routes;
pub mod security;
pub mod seed;
pub mod staff;
pub mod survey;

use axum::Router;
use std::sync::Arc;
use tower_http::compression::CompressionLayer;

pub use config::Config;
pub use error::AppError;

/// Delivers a message to a customer (a confirmation link). The reference server has no mail server: by
/// default it prints the message to the server log; tests capture it.
pub type Mailer = Arc<dyn Fn(&str) + Send + Sync>;

/// Shared state of every request handler.
#[derive(Clone)]
pub struct AppState {
    pub db: db::Db,
    /// Failed sign-ins per e-mail address.
    pub limiter: Arc<auth::RateLimiter>,
    /// Failed sign-ins per client address.
    pub ip_limiter: Arc<auth::RateLimiter>,
    pub config: Arc<Config>,
    pub mailer: Mailer,
}

impl AppState {
    pub fn new(db: db::Db, config: Config) -> Self {
        Self {
            db,
            limiter: Arc::new(auth::RateLimiter::default()),
            ip_limiter: Arc::new(auth::RateLimiter::new(50, auth::LOCKOUT_WINDOW)),
            config: Arc::new(config),
            mailer: Arc::new(|message: &str| println!("{message}")),
        }
    }
}

/// The complete application: API, static portal and widget, security headers, compression.
pub fn app(state: AppState) -> Router {
    let config = state.config.clone();
    let router = Router::new()
        .nest("/api/v1", routes::api())
        .fallback(routes::api_not_found)
        .with_state(state);
    let router = routes::with_static(router, &config);
    // The portal's Wasm is about 1.4 MB raw and 0.4 MB with brotli: compressing is most of its load time.
    // The CSP follows the portal's rapport.config.json as it changes (no restart).
    security::with_live_headers(router, &config.portal_dir).layer(CompressionLayer::new())
}
