//! Versioned resources: strong `ETag`s, `If-Match` on saves (428 without, 412 when stale) and
//! `If-None-Match` on reads.

use crate::ids::hex;
use crate::AppError;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use sha2::{Digest, Sha256};

/// Strong ETag over the customer, the version and the content: any change through the API bumps the
/// version, and a change made behind the API's back still changes the content.
/// Shared by every versioned resource (`/profile`, `/preferences`).
pub fn etag<T: serde::Serialize>(customer_id: i64, version: i64, details: &T) -> String {
    let body = serde_json::to_string(details).unwrap_or_default();
    let digest = Sha256::digest(format!("{customer_id}|{version}|{body}").as_bytes());
    format!("\"{}\"", hex(&digest[..16]))
}

/// A JSON answer carrying its `ETag`.
pub fn with_etag<T: serde::Serialize>(details: T, etag: &str) -> Response {
    let mut response = Json(details).into_response();
    if let Ok(value) = HeaderValue::from_str(etag) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

/// Whether an `If-Match` value matches the current tag (strong comparison: a weak tag never does;
/// `*` matches because the profile always exists).
pub fn if_match_matches(if_match: &str, current: &str) -> bool {
    if_match
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag == current)
}

/// The `If-Match` value of a save, or 428 `precondition_required` (`what` names the resource in the
/// message).
pub fn require_if_match(headers: &HeaderMap, what: &str) -> Result<String, AppError> {
    headers
        .get(header::IF_MATCH)
        .map(|value| value.to_str().unwrap_or_default().to_owned())
        .ok_or_else(|| {
            AppError::new(
                StatusCode::PRECONDITION_REQUIRED,
                "precondition_required",
                format!("Send the {what}'s ETag in If-Match, so that a newer change is not overwritten."),
            )
        })
}

/// 412 `stale`: the resource changed since the client read it.
pub fn stale(what: &str) -> AppError {
    AppError::new(
        StatusCode::PRECONDITION_FAILED,
        "stale",
        format!("Your {what} was changed elsewhere since you opened it. Reload it and try again."),
    )
}

/// Whether `If-None-Match` names the current tag (weak comparison, as RFC 9110 asks for GET).
pub fn none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
}
