//! The Rapport REST contract.
//!
//! One set of typed DTOs is shared by the portal, the survey widget and the reference server, so the two
//! sides cannot drift apart silently. Error classification ([`ApiError::from_response`]) is pure and tested
//! natively. The browser transport lives behind the `client` feature. Other backends are connected by
//! `rapport-connect` (configuration and mapping), which produces these same DTOs.

pub mod account;
pub mod dto;
mod error;
pub mod lifecycle;
pub mod preferences;
pub mod privacy;

#[cfg(feature = "client")]
pub mod browser;
#[cfg(feature = "client")]
pub mod client;

pub use account::*;
pub use dto::*;
pub use error::{ApiError, ErrorBody, ErrorDetail, FieldError, MAX_BODY_BYTES};
pub use lifecycle::*;
pub use preferences::*;
pub use privacy::*;

/// Every endpoint of the default contract lives under this prefix.
pub const API_PREFIX: &str = "/api/v1";

/// Name of the HttpOnly session cookie the reference server sets. The portal never reads it (it cannot:
/// HttpOnly); it is named here so that server and tests agree.
pub const SESSION_COOKIE: &str = "rapport_session";
