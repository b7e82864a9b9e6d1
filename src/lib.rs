//! Rapport customer portal (Leptos, client-side rendered).
//!
//! `main.rs` only mounts [`App`]. Pages live in `pages/` (one per file), shared widgets in
//! `components/`, every backend call in [`api`] (through a [`source`]: the reference contract or a mapped backend), the runtime
//! configuration in [`backend`], translations in [`i18n`].

pub mod api;
pub mod app;
pub mod backend;
pub mod components;
pub mod download;
pub mod format;
pub mod i18n;
pub mod media;
pub mod model;
pub mod pages;
pub mod recent_read;
pub mod routes;
pub mod session;
pub mod source;
pub mod stylesheet;

pub use app::App;
pub use pages::config_error::ConfigError;

/// Prefix of every key the portal writes to web storage (so sign-out can remove exactly ours).
pub const STORAGE_PREFIX: &str = "rapport.";
/// Where the chosen language is remembered. Not personal data; kept across sign-out.
pub const LANG_KEY: &str = "rapport.lang";
