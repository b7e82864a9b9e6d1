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
