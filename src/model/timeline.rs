//! The status timeline of an order, derived from its payments, shipments and carrier events.

use rapport_api::{OrderDetail, OrderStatus};

/// A step on the normal path of an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Placed,
    Paid,
    Packed,
    Shipped,
    OutForDelivery,
    Delivered,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Placed,
        Stage::Paid,
        Stage::Packed,
        Stage::Shipped,
        Stage::OutForDelivery,
        Stage::Delivered,
    ];

    /// The order status with the same name, for the translated label.
    pub fn status(self) -> OrderStatus {
        match self {
            Stage::Placed => OrderStatus::Placed,
            Stage::Paid => OrderStatus::Paid,
            Stage::Packed => OrderStatus::Packed,
            Stage::Shipped => OrderStatus::Shipped,
            Stage::OutForDelivery => OrderStatus::OutForDelivery,
            Stage::Delivered => OrderStatus::Delivered,
        }
    }
}

/// Whether a step has happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepState {
    Done,
    /// The most recent step reached.
    Current,
    Upcoming,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub stage: Stage,
    pub state: StepState,
    /// When it happened, where the data says so.
    pub at: Option<String>,
}

/// Something that went off the normal path, shown beside the timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exception {
    pub status: OrderStatus,
    pub at: Option<String>,
}

/// The six normal steps with their state and time, and the exceptions (delay, failed delivery, return,
/// cancellation) in the order they happened.
pub fn timeline(detail: &OrderDetail) -> (Vec<Step>, Vec<Exception>) {
    let events = detail.shipments.iter().flat_map(|s| s.events.iter());
    let first_event = |status: &str| {
        events
            .clone()
            .filter(|e| e.status == status)
            .map(|e| e.at.clone())
            .min()
    };
    let shipped_at = detail
        .shipments
        .iter()
        .filter_map(|s| s.shipped_at.clone())
        .min()
        .or_else(|| first_event("shipped"));
    let delivered_at = detail
        .shipments
        .iter()
        .filter_map(|s| s.delivered_at.clone())
        .max()
        .or_else(|| first_event("delivered"));
    let paid_at = detail.payments.iter().map(|p| p.paid_at.clone()).min();
    let status = detail.order.status;
    let reached_by_status = |stage: Stage| -> bool {
        use OrderStatus as S;
        let rank = |s: S| match s {
            S::Placed | S::Cancelled => 0,
            S::Paid => 1,
            S::Packed => 2,
            S::Shipped | S::Delayed | S::FailedDelivery => 3,
            S::OutForDelivery => 4,
            S::Delivered | S::Returned => 5,
        };
        let stage_rank = Stage::ALL.iter().position(|s| *s == stage).unwrap_or(0);
        rank(status) >= stage_rank
    };
    let times = [
        Some(detail.order.placed_at.clone()),
        paid_at,
        None,
        shipped_at,
        first_event("out_for_delivery"),
        delivered_at,
    ];
    let reached: Vec<bool> = Stage::ALL
        .iter()
        .zip(&times)
        // A later step having happened means the earlier ones did too (a packed order has no scan).
        .map(|(stage, at)| at.is_some() || reached_by_status(*stage))
        .collect();
    let last = reached.iter().rposition(|r| *r).unwrap_or(0);
    let steps = Stage::ALL
        .iter()
        .zip(times)
        .enumerate()
        .map(|(i, (stage, at))| Step {
            stage: *stage,
            state: if i < last {
                StepState::Done
            } else if i == last {
                StepState::Current
            } else {
                StepState::Upcoming
            },
            at: if i <= last { at } else { None },
        })
        .collect();

    let mut exceptions: Vec<Exception> = events
        .filter_map(|e| {
            match e.status.as_str() {
                "delayed" => Some(OrderStatus::Delayed),
                "failed_delivery" => Some(OrderStatus::FailedDelivery),
                "returned" => Some(OrderStatus::Returned),
                _ => None,
            }
            .map(|status| Exception {
                status,
                at: Some(e.at.clone()),
            })
        })
        .collect();
    for special in [
        OrderStatus::Delayed,
        OrderStatus::Returned,
        OrderStatus::Cancelled,
        OrderStatus::FailedDelivery,
    ] {
        if status == special && !exceptions.iter().any(|e| e.status == special) {
            exceptions.push(Exception {
                status: special,
                at: None,
            });
        }
    }
    (steps, exceptions)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) mod fixtures {
    use rapport_api::*;

    pub fn order(status: OrderStatus) -> OrderDetail {
        OrderDetail {
            order: OrderSummary {
                id: 1,
                number: "R1".into(),
                placed_at: "2024-01-01T10:00:00Z".into(),
                status,
                total_cents: 1000,
                currency: "EUR".into(),
            },
            ship_to: "Somewhere 1".into(),
            items: vec![],
            invoices: vec![],
            payments: vec![],
            shipments: vec![],
            requests: vec![],
        }
    }

    pub fn event(at: &str, status: &str) -> CarrierEvent {
        CarrierEvent {
            at: at.into(),
            status: status.into(),
            location: "Utrecht".into(),
            description: String::new(),
        }
    }

    pub fn shipment(
        expected: &str,
        delivered: Option<&str>,
        events: Vec<CarrierEvent>,
    ) -> Shipment {
        Shipment {
            id: 1,
            carrier: "DHL".into(),
            tracking_number: "3S1".into(),
            shipped_at: Some("2024-01-02T08:00:00Z".into()),
            expected_at: Some(expected.into()),
            delivered_at: delivered.map(Into::into),
            events,
        }
    }

    pub fn paid(at: &str, cents: i64) -> Payment {
        Payment {
            id: 1,
            invoice_id: 1,
            paid_at: at.into(),
            amount_cents: cents,
            method: "card".into(),
        }
    }
}

// Native only, like the other model tests.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::fixtures::*;
    use super::*;

    #[test]
    fn a_fresh_order_is_placed_with_everything_ahead() {
        let (steps, exceptions) = timeline(&order(OrderStatus::Placed));
        assert_eq!(steps[0].state, StepState::Current);
        assert_eq!(steps[0].at.as_deref(), Some("2024-01-01T10:00:00Z"));
        assert!(steps[1..]
            .iter()
            .all(|s| s.state == StepState::Upcoming && s.at.is_none()));
        assert!(exceptions.is_empty());
    }

    #[test]
    fn a_delivered_order_is_complete_with_times_from_its_data() {
        let mut o = order(OrderStatus::Delivered);
        o.payments.push(paid("2024-01-01T10:05:00Z", 1000));
        o.shipments.push(shipment(
            "2024-01-04T18:00:00Z",
            Some("2024-01-04T12:00:00Z"),
            vec![
                event("2024-01-02T08:00:00Z", "shipped"),
                event("2024-01-04T08:00:00Z", "out_for_delivery"),
                event("2024-01-04T12:00:00Z", "delivered"),
            ],
        ));
        let (steps, _) = timeline(&o);
        let states: Vec<StepState> = steps.iter().map(|s| s.state).collect();
        assert_eq!(states[..5], [StepState::Done; 5]);
        assert_eq!(states[5], StepState::Current);
        assert_eq!(steps[1].at.as_deref(), Some("2024-01-01T10:05:00Z"));
        assert_eq!(steps[2].at, None, "packing has no scan, but it is done");
        assert_eq!(steps[4].at.as_deref(), Some("2024-01-04T08:00:00Z"));
    }

    #[test]
    fn delays_and_returns_are_exceptions() {
        let mut o = order(OrderStatus::Delayed);
        o.shipments.push(shipment(
            "2024-01-04T18:00:00Z",
            None,
            vec![
                event("2024-01-02T08:00:00Z", "shipped"),
                event("2024-01-04T10:00:00Z", "delayed"),
            ],
        ));
        let (steps, exceptions) = timeline(&o);
        assert_eq!(steps[3].state, StepState::Current);
        assert_eq!(
            exceptions,
            vec![Exception {
                status: OrderStatus::Delayed,
                at: Some("2024-01-04T10:00:00Z".into())
            }]
        );

        let (_, exceptions) = timeline(&order(OrderStatus::Cancelled));
        assert_eq!(exceptions[0].status, OrderStatus::Cancelled);
    }
}
