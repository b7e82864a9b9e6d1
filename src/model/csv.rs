//! CSV export of the history view (RFC 4180), safe to open in a spreadsheet.

use rapport_api::HistoryEntry;

/// One CSV field: quoted when needed, and defused when a spreadsheet would run it as a formula.
pub fn field(value: &str) -> String {
    // A cell starting with = + - @ (or a tab/CR) is a formula in spreadsheet programs: prefix a quote
    // so that text from the server can never execute there.
    let defused = match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_owned(),
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

/// The header and one line per entry, CRLF line ends. Amounts in major units with a dot.
pub fn history_csv(entries: &[HistoryEntry]) -> String {
    let mut out = String::from("date,kind,reference,status,amount,currency,order,detail\r\n");
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
        // Text from the server goes through `field`; numbers we formatted ourselves are written as they
        // are (defusing a leading minus would turn a refund into text).
        let fields = [
            field(&e.at),
            field(e.kind.as_str()),
            field(&e.reference),
            field(e.status.as_deref().unwrap_or_default()),
            amount,
            field(e.currency.as_deref().unwrap_or_default()),
            e.order_id.map(|id| id.to_string()).unwrap_or_default(),
            field(e.detail.as_deref().unwrap_or_default()),
        ];
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

// Native only: the property tests use proptest, which does not target wasm32.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use rapport_api::HistoryKind;

    #[test]
    fn quotes_and_defuses() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("-5"), "'-5");
        assert_eq!(field(""), "");
    }

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
}
