//! CSV export of the history view, through the product's one CSV writer (`rapport_core::csv`), which
//! defuses spreadsheet formulas in text cells.

use rapport_api::HistoryEntry;
use rapport_core::csv::{LineEnd, Row};

/// The header and one line per entry, CRLF line ends. Amounts in major units with a dot.
pub fn history_csv(entries: &[HistoryEntry]) -> String {
    let mut out = String::new();
    Row::new(&mut out)
        .texts([
            "date",
            "kind",
            "reference",
            "status",
            "amount",
            "currency",
            "order",
            "detail",
        ])
        .end(LineEnd::Crlf);
    for e in entries {
        let amount = e
            .amount_cents
            .map(|c| {
                let sign = if c < 0 { "-" } else { "" };
                format!(
                    "{sign}{}.{:02}",
                    c.unsigned_abs() / 100,
                    c.unsigned_abs() % 100
                )
            })
            .unwrap_or_default();
        // Text from the server is defused; the amount is a number (a refund's minus is data).
        let mut r = Row::new(&mut out);
        r.text(&e.at)
            .text(e.kind.as_str())
            .text(&e.reference)
            .text(e.status.as_deref().unwrap_or_default())
            .decimal(&amount)
            .text(e.currency.as_deref().unwrap_or_default());
        match e.order_id {
            Some(id) => r.integer(id),
            None => r.empty(),
        };
        r.text(e.detail.as_deref().unwrap_or_default())
            .end(LineEnd::Crlf);
    }
    out
}

// Native only, like the other model tests (the property test of the writer is in rapport-core).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use rapport_api::HistoryKind;

    #[test]
    fn exports_entries() {
        let entry = HistoryEntry {
            id: "payment:1".into(),
            kind: HistoryKind::Payment,
            at: "2024-05-01T10:00:00Z".into(),
            reference: "iDEAL".into(),
            status: None,
            amount_cents: Some(-1205),
            currency: Some("EUR".into()),
            order_id: Some(7),
            detail: Some("<b>x</b>, y".into()),
        };
        let csv = history_csv(&[entry]);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "date,kind,reference,status,amount,currency,order,detail"
        );
        assert_eq!(
            lines[1],
            "2024-05-01T10:00:00Z,payment,iDEAL,,-12.05,EUR,7,\"<b>x</b>, y\""
        );
        assert_eq!(lines.len(), 3, "ends with CRLF");
    }

    #[test]
    fn text_from_the_server_cannot_run_as_a_formula() {
        let entry = HistoryEntry {
            id: "order:2".into(),
            kind: HistoryKind::Order,
            at: "2024-05-02".into(),
            reference: "=HYPERLINK(\"http://x\")".into(),
            status: Some("@SUM(1)".into()),
            amount_cents: Some(500),
            currency: Some("-EUR".into()),
            order_id: None,
            detail: Some("+1".into()),
        };
        let csv = history_csv(&[entry]);
        assert_eq!(
            csv.split("\r\n").nth(1),
            Some("2024-05-02,order,\"'=HYPERLINK(\"\"http://x\"\")\",'@SUM(1),5.00,'-EUR,,'+1")
        );
    }
}
