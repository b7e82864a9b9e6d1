//! Who a request comes from: the session cookie, the live session it names, and the signed-in customer
//! or staff member that handlers take as arguments.
//!
//! A session is alive while it is younger than its lifetime (`expires_at`) and was used within the idle
//! timeout (`RAPPORT_SESSION_IDLE_MINUTES`, default 30). Its last use and User-Agent are written at most
//! once a minute, so reads do not turn into a write per request.

use crate::clock::rfc3339;
use crate::ids::token_hash;
use crate::reader::{KeptRead, Param, SessionRow, Statement};
use crate::{AppError, AppState};
use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts, HeaderMap, StatusCode};
use rapport_api::SESSION_COOKIE;
use std::time::Duration;
use time::OffsetDateTime;

/// How stale the recorded last use may get before a request writes it again.
pub const TOUCH_EVERY: Duration = Duration::from_secs(60);
/// Longest User-Agent kept.
const MAX_USER_AGENT: usize = 512;

/// The session cookie's name: with `Secure`, the `__Host-` prefix, which browsers accept only from this
/// very origin over HTTPS, with `Path=/` and no `Domain`, so a sibling subdomain cannot plant one.
pub fn cookie_name(secure: bool) -> String {
    if secure {
        format!("__Host-{SESSION_COOKIE}")
    } else {
        SESSION_COOKIE.to_owned()
    }
}

/// Reads the session token from the request's cookies. Two session cookies count as none: one of them
/// was planted (cookie tossing from a sibling origin), and picking either could file the customer's
/// saves in the attacker's account.
pub fn token_from_parts(parts: &Parts, secure: bool) -> Option<String> {
    token_from_headers(&parts.headers, secure)
}

/// [`token_from_parts`] from the headers alone.
pub fn token_from_headers(headers: &HeaderMap, secure: bool) -> Option<String> {
    let mut tokens = session_cookies(headers, cookie_name(secure));
    match (tokens.next(), tokens.next()) {
        (Some(token), None) if !token.is_empty() => Some(token.to_owned()),
        _ => None,
    }
}

/// The values of every cookie called `name` in the request.
fn session_cookies(headers: &HeaderMap, name: String) -> impl Iterator<Item = &str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(move |(cookie, _)| *cookie == name)
        .map(|(_, value)| value)
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
        let session = CurrentSession::from_request_parts(parts, state).await?;
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

/// Whether the request carries a session cookie at all, live or not (two count too).
pub fn carries_session_cookie(parts: &Parts, secure: bool) -> bool {
    session_cookies(&parts.headers, cookie_name(secure))
        .next()
        .is_some()
}

/// The customer, for routes that anyone may call: `None` for a request without a session cookie (the
/// widget on a firm's own site), 401 for one whose cookie names no live session. A page whose session
/// ran out is told to sign in again, so what it sends is not filed as an anonymous stranger's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CustomerIfCookie(pub Option<Customer>);

impl FromRequestParts<AppState> for CustomerIfCookie {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        if !carries_session_cookie(parts, state.config.secure_cookie) {
            return Ok(CustomerIfCookie(None));
        }
        let customer = Customer::from_request_parts(parts, state)
            .await
            .inspect_err(|error| {
                if error.status == StatusCode::UNAUTHORIZED {
                    tracing::info!("a session cookie that names no live session: 401");
                }
            })?;
        Ok(CustomerIfCookie(Some(customer)))
    }
}

/// A signed-in staff member. Extracting it fails with 401 without a valid session and with 403 for a
/// customer's session, so a staff handler cannot be reached by customers at all. Extracting it also
/// writes the request to the access log (`access_log`), so a handler takes it exactly once.
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
            Some(STAFF_ROLE) => {
                // Every staff request is accounted for, here and nowhere else.
                crate::access_log::record(parts, state, customer.id).await?;
                Ok(Staff { id: customer.id })
            }
            _ => Err(AppError::forbidden()),
        }
    }
}

/// The `customers.role` of staff accounts.
pub const STAFF_ROLE: &str = "staff";

/// The live session a request came with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurrentSession {
    pub customer_id: i64,
    pub token_hash: String,
}

impl FromRequestParts<AppState> for CurrentSession {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        CurrentSession::from_headers(&parts.headers, state).await
    }
}

impl CurrentSession {
    /// The live session the request's cookie names.
    pub async fn from_headers(headers: &HeaderMap, state: &AppState) -> Result<Self, AppError> {
        let asked = SessionAsk::new(headers, state)?;
        // Every signed-in request asks this, so it goes through the native reader.
        let rows: Vec<SessionRow> = state.reader.fetch_all(asked.lookup("")).await?;
        asked.admit(headers, state, rows.into_iter().next()).await
    }
}

/// The answer of `read` for the request's live session, sent again from what the reader kept or read
/// now, with the session looked up in the same database round ([`KeptRead`]); 401 without a live
/// session. Expiry, idle time and the recorded last use exactly as for every signed-in request.
pub async fn signed_in_answer<R: KeptRead>(
    headers: &HeaderMap,
    state: &AppState,
    read: R,
) -> Result<axum::body::Bytes, AppError> {
    let asked = SessionAsk::new(headers, state)?;
    let found = state
        .reader
        .session_and_answer(|extra| asked.lookup(extra), read)
        .await?;
    let (session, answer) = match found {
        Some((session, answer)) => (Some(session), Some(answer)),
        None => (None, None),
    };
    asked.admit(headers, state, session).await?;
    answer.ok_or_else(AppError::unauthorized)
}

/// A request's session token, about to be looked up at `now`. Split in two (the statement, then what
/// its row admits) so that a busy read can run the look-up in the same database round as its own.
pub struct SessionAsk {
    token_hash: String,
    now: OffsetDateTime,
    idle: Duration,
}

impl SessionAsk {
    /// 401 without exactly one session cookie.
    pub fn new(headers: &HeaderMap, state: &AppState) -> Result<Self, AppError> {
        let token = token_from_headers(headers, state.config.secure_cookie)
            .ok_or_else(AppError::unauthorized)?;
        Ok(SessionAsk {
            token_hash: token_hash(&token),
            now: OffsetDateTime::now_utc(),
            idle: state.config.session_idle,
        })
    }

    /// The live session's `customer_id, last use, user_agent` (and `extra` columns after them): no
    /// row once it expired or was idle too long, or was ended.
    pub fn lookup(&self, extra: &str) -> Statement {
        let mut lookup =
            Statement::new("SELECT customer_id, COALESCE(last_used_at, created_at), user_agent");
        lookup
            .push(extra)
            .push(" FROM sessions WHERE token_hash = ");
        lookup
            .bind(Param::Text(self.token_hash.clone()))
            .push(" AND expires_at > ")
            .bind(Param::Text(rfc3339(self.now)))
            .push(" AND COALESCE(last_used_at, created_at) > ")
            .bind(Param::Text(rfc3339(self.now - self.idle)));
        lookup
    }

    /// The session the look-up found (401 for none), its last use and User-Agent recorded when due.
    pub async fn admit(
        self,
        headers: &HeaderMap,
        state: &AppState,
        row: Option<SessionRow>,
    ) -> Result<CurrentSession, AppError> {
        let (customer_id, last_used, user_agent) = row.ok_or_else(AppError::unauthorized)?;
        let now = self.now;
        let agent = headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.chars().take(MAX_USER_AGENT).collect::<String>());
        // A client that sends no User-Agent must not turn every read into a write.
        if last_used <= rfc3339(now - TOUCH_EVERY) || (user_agent.is_none() && agent.is_some()) {
            sqlx::query(
                "UPDATE sessions SET last_used_at = $1, user_agent = COALESCE($2, user_agent)
                 WHERE token_hash = $3",
            )
            .bind(rfc3339(now))
            .bind(agent)
            .bind(&self.token_hash)
            .execute(&state.db)
            .await?;
        }
        Ok(CurrentSession {
            customer_id,
            token_hash: self.token_hash,
        })
    }
}
