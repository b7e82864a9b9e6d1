//! Ids, tokens and hashes as text: random bytes, lower-case hex, SHA-256, and numeric ids from paths.

use crate::AppError;
use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use sha2::{Digest, Sha256};

/// Random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], AppError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| AppError::internal())?;
    Ok(bytes)
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The stored form of a session or confirmation token: its SHA-256, so a leaked table holds no tokens.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// SHA-256 of text, as hex.
pub fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

/// Reads a numeric id from the path. Anything else (not a number, bad encoding) is simply not found:
/// no hint about what ids look like, and the same body as for someone else's id.
pub fn parse_id(path: Result<Path<String>, PathRejection>) -> Result<i64, AppError> {
    path.ok()
        .and_then(|Path(id)| id.parse::<i64>().ok())
        .ok_or_else(AppError::not_found)
}
