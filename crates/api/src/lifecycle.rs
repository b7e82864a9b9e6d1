//! The relationship lifecycle: the customer's relationship phase, survey invitations triggered by order
//! events and time, and what the firm did in response to an answer ("you said / we did").

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Dwyer's relationship phases. `Dissolution` means signs of it, not a closed account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// No orders yet.
    Awareness,
    /// First orders: trying the firm out.
    Exploration,
    /// Repeat orders across categories.
    Expansion,
    /// Long tenure with high commitment.
    Commitment,
    /// Signs of dissolution: falling order frequency, a recent complaint, or low commitment.
    Dissolution,
}

/// One fact that led to the phase. `code` is for programs and translations (`no_orders`, `first_orders`,
/// `repeat_orders_across_categories`, `long_tenure`, `high_commitment`, `falling_order_frequency`,
/// `recent_complaint`, `low_commitment`); `detail` is the fact in plain English for staff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseReason {
    pub code: String,
    pub detail: String,
}

/// `GET /api/v1/relationship`: where the signed-in customer's relationship stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relationship {
    pub phase: Phase,
    pub reasons: Vec<PhaseReason>,
    /// Orders placed so far.
    pub orders: u32,
    /// RFC 3339.
    pub customer_since: String,
}

/// What made the firm invite the customer to a survey.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// An order was delivered some days ago.
    OrderDelivered,
    /// The regular check-in (every 90 days by default).
    Periodic,
    /// Signs of dissolution: a short win-back survey.
    WinBack,
}

/// A survey the customer is invited to answer. Always optional.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub id: i64,
    /// Built-in instrument id (`ces-effort`, `nps`, `commitment-customer`, …).
    pub instrument: String,
    /// The instrument's title in English (the portal shows its own translated title).
    pub title: String,
    pub trigger: Trigger,
    /// The order the survey is about, for `order_delivered`.
    pub order_id: Option<i64>,
    pub order_number: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    /// Whether an e-mail invitation went out (only when the customer's permissions and caps allow it).
    pub emailed: bool,
}

/// `GET /api/v1/invitations`: the signed-in customer's open invitations, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationList {
    pub invitations: Vec<Invitation>,
}

/// Something the firm did in response to an answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyAction {
    pub id: i64,
    pub text: String,
    /// RFC 3339.
    pub created_at: String,
}

/// `GET /api/v1/survey-responses/{id}` for its owner: the answers and what the firm did about them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurveyAnswerDetail {
    pub id: String,
    pub received_at: String,
    pub instrument: SurveyInstrumentRef,
    /// English title of the instrument.
    pub title: String,
    pub answers: BTreeMap<String, i64>,
    /// The order the answer is about, when it was given for an order.
    #[serde(default)]
    pub order_id: Option<i64>,
    #[serde(default)]
    pub actions: Vec<SurveyAction>,
}

/// Id, version and hash of the instrument an answer was given to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyInstrumentRef {
    pub id: String,
    pub version: String,
    pub hash: String,
}

/// `POST /api/v1/staff/survey-responses/{id}/actions`: staff record what the firm did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSurveyAction {
    /// 1–2000 characters.
    pub text: String,
}

/// A customer in the staff list (`GET /api/v1/staff/customers`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffCustomer {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub phase: Phase,
}

/// `GET /api/v1/staff/customers`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffCustomerList {
    pub customers: Vec<StaffCustomer>,
}

/// One survey answer as staff see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffResponse {
    pub id: String,
    pub received_at: String,
    pub instrument: String,
    pub title: String,
    pub order_id: Option<i64>,
    /// The headline answer or score in plain text (`NPS 9 (promoter)`, `CES 2`), when there is one.
    pub headline: Option<String>,
    pub answers: BTreeMap<String, i64>,
    pub actions: Vec<SurveyAction>,
}

/// `GET /api/v1/staff/customers/{id}`: the relationship and the survey answers of one customer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffCustomerDetail {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub relationship: Relationship,
    pub responses: Vec<StaffResponse>,
    pub invitations: Vec<Invitation>,
}
