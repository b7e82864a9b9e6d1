//! Request and response bodies of the default REST contract.
//!
//! Times are RFC 3339 strings in UTC and money is integer minor units (cents) with an ISO 4217 currency,
//! so no float rounding ever reaches an invoice.

use serde::{Deserialize, Serialize};

/// `POST /api/v1/session`: sign in with e-mail and password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// The signed-in customer, as returned by `GET /api/v1/me` and after sign-in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub id: i64,
    pub name: String,
    pub email: String,
    /// Date of the first relationship with the firm (RFC 3339).
    pub customer_since: String,
    /// A staff account: may use the staff pages (`/api/v1/staff/…`); has no customer data of its own.
    #[serde(default)]
    pub staff: bool,
}

/// `GET /api/v1/session`: who is signed in, if anyone. Always 200, so that an anonymous visit is not an
/// error (protected resources answer 401 instead).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub customer: Option<Profile>,
}

/// Where an order stands. Exceptions (delayed, failed delivery, returned, cancelled) are states of
/// their own so that the timeline can show them, not flags on a happy path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Placed,
    Paid,
    Packed,
    Shipped,
    OutForDelivery,
    Delivered,
    Delayed,
    FailedDelivery,
    Returned,
    Cancelled,
}

impl OrderStatus {
    /// Every status, in timeline order.
    pub const ALL: [OrderStatus; 10] = [
        OrderStatus::Placed,
        OrderStatus::Paid,
        OrderStatus::Packed,
        OrderStatus::Shipped,
        OrderStatus::OutForDelivery,
        OrderStatus::Delivered,
        OrderStatus::Delayed,
        OrderStatus::FailedDelivery,
        OrderStatus::Returned,
        OrderStatus::Cancelled,
    ];

    /// The wire name (`out_for_delivery`), also used as the database value.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Placed => "placed",
            OrderStatus::Paid => "paid",
            OrderStatus::Packed => "packed",
            OrderStatus::Shipped => "shipped",
            OrderStatus::OutForDelivery => "out_for_delivery",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Delayed => "delayed",
            OrderStatus::FailedDelivery => "failed_delivery",
            OrderStatus::Returned => "returned",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    /// Parses the wire name; `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == s)
    }
}

/// One order in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderSummary {
    pub id: i64,
    /// The number the customer sees on e-mails and invoices.
    pub number: String,
    pub placed_at: String,
    pub status: OrderStatus,
    pub total_cents: i64,
    pub currency: String,
}

/// `GET /api/v1/overview`: what the customer sees first after signing in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    pub customer: Profile,
    pub order_count: u32,
    pub latest_order: Option<OrderSummary>,
    /// Returns, complaints and warranty claims that are not closed yet.
    pub open_requests: u32,
    pub relationship: RelationshipSummary,
    /// The open requests themselves (at most 5, newest first).
    pub open_request_list: Vec<ServiceRequest>,
}

/// One line of an order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderItem {
    pub id: i64,
    pub sku: String,
    pub name: String,
    pub quantity: u32,
    pub unit_price_cents: i64,
}

/// An invoice (`GET /api/v1/invoices/{id}` returns one with its order's lines for the printable view).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    pub id: i64,
    pub number: String,
    pub order_id: i64,
    pub order_number: String,
    pub issued_at: String,
    pub due_at: String,
    pub amount_cents: i64,
    pub currency: String,
    /// Sum of the payments received against this invoice.
    pub paid_cents: i64,
    pub items: Vec<OrderItem>,
    /// `bill_to`: the customer's name and billing address; `ship_to`: the order's delivery address.
    pub bill_to: String,
    pub ship_to: String,
    /// Who issued the invoice (name, address, VAT number), as the invoice must say; absent where the
    /// backend does not configure it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seller: Option<Seller>,
}

/// The firm that issues invoices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seller {
    pub name: String,
    /// Postal address, lines separated by `\n`.
    pub address: String,
    /// VAT identification number, e.g. `NL123456789B01`.
    pub vat_number: String,
}

/// A payment received.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub id: i64,
    pub invoice_id: i64,
    pub paid_at: String,
    pub amount_cents: i64,
    pub method: String,
}

/// One scan reported by the carrier. `status` is one of `shipped`, `in_transit`, `delayed`,
/// `out_for_delivery`, `failed_delivery`, `delivered`, `returned`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarrierEvent {
    pub at: String,
    pub status: String,
    pub location: String,
    pub description: String,
}

/// A parcel on its way (or arrived), with the carrier's events oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shipment {
    pub id: i64,
    pub carrier: String,
    pub tracking_number: String,
    pub shipped_at: Option<String>,
    pub expected_at: Option<String>,
    pub delivered_at: Option<String>,
    pub events: Vec<CarrierEvent>,
}

/// `GET /api/v1/orders/{id}`: everything the order page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderDetail {
    pub order: OrderSummary,
    pub ship_to: String,
    pub items: Vec<OrderItem>,
    pub invoices: Vec<Invoice>,
    pub payments: Vec<Payment>,
    pub shipments: Vec<Shipment>,
    /// Returns, complaints and warranty claims about this order.
    pub requests: Vec<ServiceRequest>,
}

/// What a post-transaction request is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    Return,
    Complaint,
    Warranty,
}

impl RequestKind {
    pub const ALL: [RequestKind; 3] = [
        RequestKind::Return,
        RequestKind::Complaint,
        RequestKind::Warranty,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Return => "return",
            RequestKind::Complaint => "complaint",
            RequestKind::Warranty => "warranty",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where a request stands: `submitted`, `in_review`, `approved`, `rejected`, `resolved`, `closed`.
/// A string rather than an enum so that a backend may add steps without breaking older portals.
pub type RequestStatus = String;

/// One step in a request's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestEvent {
    pub at: String,
    pub status: RequestStatus,
    pub note: String,
}

/// A return, complaint or warranty claim with its status history (oldest first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceRequest {
    pub id: i64,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub order_id: Option<i64>,
    pub order_number: Option<String>,
    /// The order lines the request is about (empty: the whole order).
    pub item_ids: Vec<i64>,
    pub reason: String,
    pub description: String,
    pub created_at: String,
    pub events: Vec<RequestEvent>,
}

/// `POST /api/v1/requests`: a new return, complaint or warranty claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewServiceRequest {
    pub kind: RequestKind,
    pub order_id: i64,
    /// Lines of that order; empty means the whole order.
    #[serde(default)]
    pub item_ids: Vec<i64>,
    /// Short reason (1–200 characters).
    pub reason: String,
    /// What happened (at most 4000 characters; may be empty).
    #[serde(default)]
    pub description: String,
}

/// What kind of event a history entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HistoryKind {
    Order,
    Invoice,
    Payment,
    Shipment,
    Contact,
    Request,
    SurveyAnswer,
}

impl HistoryKind {
    pub const ALL: [HistoryKind; 7] = [
        HistoryKind::Order,
        HistoryKind::Invoice,
        HistoryKind::Payment,
        HistoryKind::Shipment,
        HistoryKind::Contact,
        HistoryKind::Request,
        HistoryKind::SurveyAnswer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HistoryKind::Order => "order",
            HistoryKind::Invoice => "invoice",
            HistoryKind::Payment => "payment",
            HistoryKind::Shipment => "shipment",
            HistoryKind::Contact => "contact",
            HistoryKind::Request => "request",
            HistoryKind::SurveyAnswer => "survey_answer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One entry of the account history: structured, so that the portal words it in the customer's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// Unique and stable across pages, e.g. `order:12`, `invoice:7`.
    pub id: String,
    pub kind: HistoryKind,
    pub at: String,
    /// What the customer recognises it by: order or invoice number, payment method, tracking number,
    /// contact subject, request reason, survey name.
    pub reference: String,
    /// Machine status code where the kind has one (order status, request status, carrier status).
    pub status: Option<String>,
    pub amount_cents: Option<i64>,
    pub currency: Option<String>,
    /// The order this entry belongs to, for a link to the order page.
    pub order_id: Option<i64>,
    /// Extra free text: carrier name, contact channel, request kind.
    pub detail: Option<String>,
}

/// `GET /api/v1/history`: one page of the filtered history, newest first unless `sort=asc`.
///
/// Query parameters (all optional): `kind` (comma-separated [`HistoryKind`] names), `from` and `to`
/// (dates `YYYY-MM-DD`, inclusive), `status`, `q` (case-insensitive text in reference or detail), `sort`
/// (`desc` default, or `asc`), `limit` (1–500, default 50), `cursor` (opaque, from `next_cursor`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryPage {
    pub entries: Vec<HistoryEntry>,
    /// Pass as `cursor` for the next page; `None` on the last page.
    pub next_cursor: Option<String>,
    /// Number of entries matching the filters, over all pages.
    pub total: u32,
}

/// A postal address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// `delivery` or `billing`.
    pub label: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    /// ISO 3166-1 alpha-2, e.g. `NL`.
    pub country: String,
}

/// `GET /api/v1/profile` (with an `ETag` header) and the body of `PUT /api/v1/profile` (with `If-Match`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileDetails {
    pub name: String,
    /// Changing the e-mail address is not part of this form (it is the sign-in name).
    pub email: String,
    /// E.164-like: `+` and 8–15 digits; spaces allowed on input. Empty: none.
    pub phone: String,
    pub addresses: Vec<Address>,
}

/// A short account summary for the overview.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationshipSummary {
    pub orders_last_12_months: u32,
    pub spent_last_12_months_cents: i64,
    pub currency: String,
    pub first_order_at: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_status_wire_names_round_trip() {
        for status in OrderStatus::ALL {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
            assert_eq!(OrderStatus::parse(status.as_str()), Some(status));
            assert_eq!(serde_json::from_str::<OrderStatus>(&json).unwrap(), status);
        }
        assert_eq!(OrderStatus::parse("lost_in_space"), None);
    }

    #[test]
    fn overview_rejects_wrong_types() {
        let wrong = r#"{"customer":{"id":"one","name":"A","email":"a@b","customer_since":"x"},
            "order_count":1,"latest_order":null,"open_requests":0}"#;
        assert!(serde_json::from_str::<Overview>(wrong).is_err());
    }
}
