//! Signing in and out: the throttled password check, new sessions and their cookies.

use crate::accounts::load_profile;
use crate::client_addr::ClientAddr;
use crate::clock::{now_ms, rfc3339};
use crate::error::ApiJson;
use crate::extractor::{cookie_name, token_from_parts, Customer};
use crate::ids::{hex, random_bytes, token_hash};
use crate::password_queue::{dummy_hash, Busy};
use crate::{AppError, AppState};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rapport_api::{LoginRequest, Profile, SessionInfo};
use std::time::Duration;
use time::OffsetDateTime;

/// How long a session lives without being renewed.
pub const SESSION_TTL: Duration = Duration::from_secs(12 * 3600);

/// Creates a session for the customer and returns the raw token for the cookie.
async fn create_session(state: &AppState, customer_id: i64) -> Result<String, AppError> {
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

pub async fn sign_in(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    ApiJson(login): ApiJson<LoginRequest>,
) -> Result<Response, AppError> {
    // One spelling per address for the lookup and for every limit (see `email::canonical`).
    let email = crate::email::canonical(&login.email);
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
    // The attempt is counted before the password is checked, so parallel guesses cannot all slip
    // through before the first failure is recorded (policy in `throttle`).
    let ticket = state
        .sign_in_throttle
        .reserve(&state.db, client, &email, now_ms())
        .await?
        .map_err(|wait| {
            tracing::warn!(client = ?client, retry_after_s = wait, "sign-in throttled");
            AppError::too_many_attempts(wait)
        })?;

    let row: Option<(i64, String)> = match sqlx::query_as(
        "SELECT id, password_hash FROM customers WHERE email = $1 AND erased_at IS NULL",
    )
    .bind(&email)
    .fetch_optional(&state.db)
    .await
    {
        Ok(row) => row,
        Err(error) => {
            state
                .sign_in_throttle
                .refund(&state.db, ticket, now_ms())
                .await;
            return Err(error.into());
        }
    };
    // An unknown e-mail is checked against a hash nobody has: it takes as long as for a known one, so
    // the timing does not tell whether an account exists.
    let (customer_id, stored) = match row {
        Some((id, hash)) => (Some(id), hash),
        None => (None, dummy_hash().to_owned()),
    };
    let checked = state.password_queue.verify(login.password, stored).await;
    let verified = match checked {
        Ok(Some(right)) => customer_id.filter(|_| right),
        Ok(None) => {
            state
                .sign_in_throttle
                .refund(&state.db, ticket, now_ms())
                .await;
            return Err(AppError::internal());
        }
        Err(Busy) => {
            state
                .sign_in_throttle
                .refund(&state.db, ticket, now_ms())
                .await;
            return Err(Busy.into());
        }
    };
    let Some(customer_id) = verified else {
        // The reservation stays: it was this failure. Same answer whether or not the e-mail exists.
        tracing::info!(
            client = ?client,
            known_account = customer_id.is_some(),
            "sign-in failed"
        );
        return Err(AppError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
            "The e-mail address or password is not correct.",
        ));
    };
    state
        .sign_in_throttle
        .succeeded(&state.db, ticket, now_ms())
        .await?;
    tracing::info!(customer = customer_id, "signed in");
    signed_in(&state, customer_id).await
}

/// The answer to every way of signing in (password, or a new password through a link): a new session,
/// its cookie and the customer's profile.
pub async fn signed_in(state: &AppState, customer_id: i64) -> Result<Response, AppError> {
    let token = create_session(state, customer_id).await?;
    let profile = load_profile(state, customer_id).await?;
    Ok((
        [(
            header::SET_COOKIE,
            session_cookie(&token, state.config.secure_cookie),
        )],
        Json(profile),
    )
        .into_response())
}

pub async fn sign_out(State(state): State<AppState>, request: axum::extract::Request) -> Response {
    let (parts, _) = request.into_parts();
    if let Some(token) = token_from_parts(&parts, state.config.secure_cookie) {
        if let Err(error) = sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash(&token))
            .execute(&state.db)
            .await
        {
            return AppError::from(error).into_response();
        }
    }
    // Signing out always succeeds from the customer's point of view, even without a session.
    (
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, clear_cookie(state.config.secure_cookie))],
    )
        .into_response()
}

pub async fn session_info(
    State(state): State<AppState>,
    customer: Option<Customer>,
) -> Result<Json<SessionInfo>, AppError> {
    let customer = match customer {
        Some(customer) => Some(load_profile(&state, customer.id).await?),
        None => None,
    };
    Ok(Json(SessionInfo { customer }))
}

pub async fn me(
    State(state): State<AppState>,
    customer: Customer,
) -> Result<Json<Profile>, AppError> {
    load_profile(&state, customer.id).await.map(Json)
}

#[cfg(test)]
mod tests {
    use super::*;

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
