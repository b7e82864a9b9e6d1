//! Passwords, sessions and sign-in throttling.

use crate::{AppError, AppState};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts, StatusCode};
use rapport_api::SESSION_COOKIE;
use sha2::{Digest, Sha256};
use std::time::Duration;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// How long a session lives without being renewed.
pub const SESSION_TTL: Duration = Duration::from_secs(12 * 3600);

/// Current time as RFC 3339 UTC text, the format of every stored timestamp.
pub fn now_rfc3339() -> String {
    rfc3339(OffsetDateTime::now_utc())
}

/// Formats a time as RFC 3339 UTC text (whole seconds).
pub fn rfc3339(at: OffsetDateTime) -> String {
    let at = at.replace_nanosecond(0).unwrap_or(at);
    at.format(&Rfc3339)
        .unwrap_or_else(|_| at.unix_timestamp().to_string())
}

/// Random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], AppError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| AppError::internal())?;
    Ok(bytes)
}

/// Hashes a password with Argon2id and a random salt (PHC string).
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()?).map_err(|_| AppError::internal())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|_| AppError::internal())
}

/// Checks a password against a stored PHC string; a malformed stored hash never verifies.
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A PHC hash of a password nobody has, verified against when the e-mail is unknown so that the answer
/// takes as long as for a known e-mail (no timing hint whether an account exists).
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("no-such-account").unwrap_or_default())
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Creates a session for the customer and returns the raw token for the cookie.
pub async fn create_session(state: &AppState, customer_id: i64) -> Result<String, AppError> {
    let token = hex(&random_bytes::<32>()?);
    let now = OffsetDateTime::now_utc();
    sqlx::query(
        "INSERT INTO sessions (token_hash, customer_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash(&token))
    .bind(customer_id)
    .bind(rfc3339(now))
    .bind(rfc3339(now + SESSION_TTL))
    .execute(&state.db)
    .await?;
    Ok(token)
}

/// The session cookie's name: with `Secure`, the `__Host-` prefix, which browsers accept only from this
/// very origin over HTTPS, with `Path=/` and no `Domain`, so a sibling subdomain cannot plant one.
pub fn cookie_name(secure: bool) -> String {
    if secure {
        format!("__Host-{SESSION_COOKIE}")
    } else {
        SESSION_COOKIE.to_owned()
    }
}

/// The `Set-Cookie` value that carries a new session: HttpOnly so scripts cannot read it, SameSite=Lax so
/// other sites cannot make the browser send it with their forms.
pub fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        cookie_name(secure),
        SESSION_TTL.as_secs(),
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(secure: bool) -> String {
    format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        cookie_name(secure),
        if secure { "; Secure" } else { "" }
    )
}

/// Reads the session token from the request's cookies. Two session cookies count as none: one of them
/// was planted (cookie tossing from a sibling origin), and picking either could file the customer's
/// saves in the attacker's account.
pub fn token_from_parts(parts: &Parts, secure: bool) -> Option<String> {
    let name = cookie_name(secure);
    let mut tokens = parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(cookie, _)| *cookie == name)
        .map(|(_, value)| value.to_owned());
    match (tokens.next(), tokens.next()) {
        (Some(token), None) if !token.is_empty() => Some(token),
        _ => None,
    }
}

/// The signed-in customer. Extracting it fails with 401 when there is no live session, so a
/// handler that takes a `Customer` can only ever see that customer's own data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Customer {
    pub id: i64,
}

impl FromRequestParts<AppState> for Customer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        // Lifetime, inactivity timeout and last use: the session module's.
        let session = crate::sessions::CurrentSession::from_request_parts(parts, state).await?;
        Ok(Customer {
            id: session.customer_id,
        })
    }
}

/// `Option<Customer>`: `None` without a valid session, instead of a 401.
impl axum::extract::OptionalFromRequestParts<AppState> for Customer {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, AppError> {
        match <Customer as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(customer) => Ok(Some(customer)),
            Err(error) if error.status == StatusCode::UNAUTHORIZED => Ok(None),
            Err(error) => Err(error),
        }
    }
}

/// A signed-in staff member. Extracting it fails with 401 without a valid session and with 403 for a
/// customer's session, so a staff handler cannot be reached by customers at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Staff {
    pub id: i64,
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let customer =
            <Customer as FromRequestParts<AppState>>::from_request_parts(parts, state).await?;
        let role: Option<String> = sqlx::query_scalar("SELECT role FROM customers WHERE id = $1")
            .bind(customer.id)
            .fetch_optional(&state.db)
            .await?;
        match role.as_deref() {
            Some(STAFF_ROLE) => Ok(Staff { id: customer.id }),
            _ => Err(AppError::forbidden()),
        }
    }
}

/// The `customers.role` of staff accounts.
pub const STAFF_ROLE: &str = "staff";

/// The 429 answer for a locked-out sign-in.
pub fn too_many_attempts(retry_after_s: u64) -> AppError {
    AppError {
        retry_after_s: Some(retry_after_s),
        ..AppError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            "Too many sign-in attempts. Please wait a few minutes and try again.",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_hash_verifies_only_the_right_password() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("correct hors", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
    }

    #[test]
    fn cookie_flags() {
        let c = session_cookie("abc", false);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && !c.contains("Secure"));
        assert!(session_cookie("abc", true).ends_with("; Secure"));
        assert!(clear_cookie(false).contains("Max-Age=0"));
        assert!(session_cookie("abc", true).starts_with("__Host-rapport_session=abc; Path=/;"));
        assert!(clear_cookie(true).starts_with("__Host-rapport_session=;"));
        assert!(!session_cookie("abc", true).contains("Domain"));
    }

    #[test]
    fn two_session_cookies_count_as_none() {
        let parts = |cookies: &[&str]| {
            let mut request = axum::http::Request::builder();
            for cookie in cookies {
                request = request.header(header::COOKIE, *cookie);
            }
            request.body(()).unwrap().into_parts().0
        };
        let one = parts(&["a=1; rapport_session=t1"]);
        assert_eq!(token_from_parts(&one, false).as_deref(), Some("t1"));
        assert_eq!(
            token_from_parts(&one, true),
            None,
            "Secure wants the prefix"
        );
        let two = parts(&["rapport_session=attacker; rapport_session=victim"]);
        assert_eq!(token_from_parts(&two, false), None);
        let split = parts(&["rapport_session=attacker", "rapport_session=victim"]);
        assert_eq!(token_from_parts(&split, false), None);
        let host = parts(&["__Host-rapport_session=t2; rapport_session=planted"]);
        assert_eq!(token_from_parts(&host, true).as_deref(), Some("t2"));
    }
}
