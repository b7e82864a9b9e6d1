//! Accountability towards the customer: which staff member looked at their data or acted on it (the
//! access log), and the firm's queue of erasure requests.

use serde::{Deserialize, Serialize};

/// One staff visit or action, as the customer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEntry {
    pub at: String,
    /// The staff member's name; `None` once that staff account is gone.
    pub staff: Option<String>,
    /// What was done: `view_customer`, `view_consent_chain`, `record_action`, `mark_delivered`,
    /// `send_invitation`, `review_deletion`, `carry_out_deletion`, `refuse_deletion`.
    pub action: String,
}

/// `GET /api/v1/access-log`: the customer's entries, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessLog {
    pub entries: Vec<AccessEntry>,
}

/// One row of the firm's export (`GET /api/v1/staff/access-log`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffAccessEntry {
    pub id: i64,
    pub at: String,
    pub staff_id: Option<i64>,
    pub staff: Option<String>,
    /// The customer whose data it was about; `None` for actions on no one customer (an export).
    pub customer_id: Option<i64>,
    pub action: String,
    /// The API path that was called.
    pub path: String,
}

/// `GET /api/v1/staff/access-log` as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffAccessLog {
    pub entries: Vec<StaffAccessEntry>,
}

/// One erasure request in the firm's queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedDeletion {
    pub id: i64,
    pub customer_id: i64,
    /// The customer's name; empty once their data has been erased.
    pub customer_name: String,
    /// `received`, `confirmed` (in review), `completed` or `refused`.
    pub status: String,
    pub created_at: String,
    pub updated_at: String,
    /// The legal deadline: one month after the request was received.
    pub due_at: String,
    pub reason: Option<String>,
}

/// `GET /api/v1/staff/deletion-requests`: open requests first (oldest deadline first), then closed ones.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletionQueue {
    pub requests: Vec<QueuedDeletion>,
}

/// `POST /api/v1/staff/deletion-requests/{id}`: `review` (received → confirmed), `carry_out` (erases the
/// customer's data, → completed) or `refuse` (→ refused, `reason` required).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletionDecision {
    pub decision: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `POST /api/v1/password-reset` and `POST /api/v1/first-access`: send a link to set a password to this
/// address. The answer is the same (202) whether or not an account has it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessLinkRequest {
    pub email: String,
}

/// `POST /api/v1/password-reset/confirm`: the token from the link and the new password. Spends the
/// link, ends every session of the account and signs in with a new one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPassword {
    pub token: String,
    pub password: String,
}
