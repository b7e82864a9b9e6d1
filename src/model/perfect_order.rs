//! The perfect-order panel: which of the "rights" held for one order, derived from its own data.
//!
//! A perfect order is the right product, in the right quantity and quality, at the right place and time,
//! with the right documentation. We can only judge what the data shows, so each criterion says how it
//! was judged; without evidence of a problem after delivery, a criterion holds.

use rapport_api::{OrderDetail, OrderStatus, RequestKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Criterion {
    Product,
    Quantity,
    Quality,
    Place,
    Time,
    Documentation,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Held,
    /// The customer reported a problem (return, complaint, warranty claim) or the data shows one.
    Missed,
    /// Not known yet: the order has not arrived.
    Pending,
}

/// The six criteria with their verdicts, in display order.
pub fn assess(detail: &OrderDetail) -> Vec<(Criterion, Verdict)> {
    let delivered_at = detail
        .shipments
        .iter()
        .filter_map(|s| s.delivered_at.as_deref())
        .max();
    let arrived = delivered_at.is_some()
        || matches!(
            detail.order.status,
            OrderStatus::Delivered | OrderStatus::Returned
        );
    let has = |kind: RequestKind| detail.requests.iter().any(|r| r.kind == kind);
    let after_delivery = |missed: bool| match (arrived, missed) {
        (false, _) => Verdict::Pending,
        (true, true) => Verdict::Missed,
        (true, false) => Verdict::Held,
    };
    let failed_attempt = detail
        .shipments
        .iter()
        .flat_map(|s| &s.events)
        .any(|e| e.status == "failed_delivery");
    let late = detail.shipments.iter().any(|s| {
        match (s.delivered_at.as_deref(), s.expected_at.as_deref()) {
            // RFC 3339 UTC strings of one format compare correctly as text.
            (Some(delivered), Some(expected)) => delivered > expected,
            _ => false,
        }
    });
    let invoiced_right = !detail.invoices.is_empty()
        && detail.invoices.iter().map(|i| i.amount_cents).sum::<i64>() == detail.order.total_cents;
    let documentation = if detail.order.status == OrderStatus::Cancelled {
        Verdict::Held
    } else if detail.invoices.is_empty() && !arrived {
        Verdict::Pending
    } else if invoiced_right {
        Verdict::Held
    } else {
        Verdict::Missed
    };
    vec![
        (Criterion::Product, after_delivery(has(RequestKind::Return))),
        (
            Criterion::Quantity,
            after_delivery(has(RequestKind::Complaint) && has(RequestKind::Return)),
        ),
        (
            Criterion::Quality,
            after_delivery(has(RequestKind::Complaint) || has(RequestKind::Warranty)),
        ),
        (Criterion::Place, after_delivery(failed_attempt)),
        (Criterion::Time, after_delivery(late)),
        (Criterion::Documentation, documentation),
    ]
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::model::timeline::fixtures::*;
    use rapport_api::{Invoice, ServiceRequest};

    fn invoice(cents: i64) -> Invoice {
        Invoice {
            seller: None,
            id: 1,
            number: "INV-R1".into(),
            order_id: 1,
            order_number: "R1".into(),
            issued_at: "2024-01-01T10:05:00Z".into(),
            due_at: "2024-01-15T10:05:00Z".into(),
            amount_cents: cents,
            currency: "EUR".into(),
            paid_cents: cents,
            items: vec![],
            bill_to: String::new(),
            ship_to: String::new(),
        }
    }

    fn request(kind: RequestKind) -> ServiceRequest {
        ServiceRequest {
            id: 1,
            kind,
            status: "submitted".into(),
            order_id: Some(1),
            order_number: Some("R1".into()),
            item_ids: vec![],
            reason: "x".into(),
            description: String::new(),
            created_at: "2024-01-06T10:00:00Z".into(),
            events: vec![],
        }
    }

    fn verdict(all: &[(Criterion, Verdict)], c: Criterion) -> Verdict {
        all.iter().find(|(k, _)| *k == c).map(|(_, v)| *v).unwrap()
    }

    #[test]
    fn an_on_time_undisputed_delivery_is_perfect() {
        let mut o = order(OrderStatus::Delivered);
        o.invoices.push(invoice(1000));
        o.shipments.push(shipment(
            "2024-01-04T18:00:00Z",
            Some("2024-01-04T12:00:00Z"),
            vec![],
        ));
        assert!(assess(&o).iter().all(|(_, v)| *v == Verdict::Held));
    }

    #[test]
    fn late_failed_attempt_complaint_and_wrong_invoice_are_missed() {
        let mut o = order(OrderStatus::Delivered);
        o.invoices.push(invoice(900));
        o.shipments.push(shipment(
            "2024-01-04T18:00:00Z",
            Some("2024-01-06T12:00:00Z"),
            vec![event("2024-01-05T12:00:00Z", "failed_delivery")],
        ));
        o.requests.push(request(RequestKind::Complaint));
        let all = assess(&o);
        assert_eq!(verdict(&all, Criterion::Time), Verdict::Missed);
        assert_eq!(verdict(&all, Criterion::Place), Verdict::Missed);
        assert_eq!(verdict(&all, Criterion::Quality), Verdict::Missed);
        assert_eq!(verdict(&all, Criterion::Documentation), Verdict::Missed);
        assert_eq!(verdict(&all, Criterion::Product), Verdict::Held);
    }

    #[test]
    fn an_order_on_its_way_is_pending() {
        let mut o = order(OrderStatus::Shipped);
        o.shipments
            .push(shipment("2024-01-04T18:00:00Z", None, vec![]));
        let all = assess(&o);
        assert_eq!(verdict(&all, Criterion::Time), Verdict::Pending);
        assert_eq!(verdict(&all, Criterion::Documentation), Verdict::Pending);
    }
}
