//! The account's security: the customer's sessions and the password change.

use serde::{Deserialize, Serialize};

/// One signed-in browser of the customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSummary {
    /// A stable reference to the session (not its token).
    pub id: String,
    /// Whether this is the session making the request.
    pub current: bool,
    /// Browser and operating system read from the User-Agent, when recognised.
    pub browser: Option<String>,
    pub os: Option<String>,
    pub created_at: String,
    pub last_used_at: String,
}

/// `GET /api/v1/sessions`: the customer's live sessions, most recently used first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionList {
    pub sessions: Vec<SessionSummary>,
    /// Minutes without use after which a session ends.
    pub idle_timeout_minutes: u32,
}

/// `POST /api/v1/sessions/sign-out-others`: how many other sessions were ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedOutOthers {
    pub ended: u64,
}

/// `POST /api/v1/password`: the current password proves it is the customer; every other session ends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// Fewest characters of a new password.
pub const MIN_PASSWORD_CHARS: usize = 10;
