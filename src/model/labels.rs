//! Codes from the backend in the customer's words: a translated label when the code is known, else the
//! code as it came, so that a foreign backend's own codes are shown (and marked) rather than hidden.

use crate::i18n::labels::LabelTexts;
use crate::i18n::Texts;
use rapport_api::{HistoryEntry, HistoryKind, OrderStatus};

/// What to show for one code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Label {
    /// A translation.
    Known(&'static str),
    /// The backend's own text, shown as is; empty when there is nothing to show.
    Untranslated(String),
    /// Text that is not a code (a place's name): shown as is, not marked.
    Plain(String),
}

impl Label {
    /// The text shown, without any marking.
    pub fn text(&self) -> &str {
        match self {
            Label::Known(text) => text,
            Label::Untranslated(text) | Label::Plain(text) => text,
        }
    }
}

/// The form lookups use: trimmed, lower case, runs of spaces, `-` and `_` as one `_`, trailing full
/// stops dropped ("Bank transfer" and "bank-transfer" are `bank_transfer`).
pub fn normalise(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    for word in code
        .trim()
        .trim_end_matches('.')
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('_');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// `code` through `translate`, or the code itself marked as untranslated.
pub fn label(translate: fn(&str) -> Option<&'static str>, code: &str) -> Label {
    match translate(&normalise(code)) {
        Some(text) => Label::Known(text),
        None => Label::Untranslated(code.trim().to_owned()),
    }
}

/// Like [`label`], but text that is not known is a name, not a code: shown without a mark.
pub fn place(translate: fn(&str) -> Option<&'static str>, text: &str) -> Label {
    match translate(&normalise(text)) {
        Some(known) => Label::Known(known),
        None => Label::Plain(text.trim().to_owned()),
    }
}

/// An order status code (the wire names of [`OrderStatus`]).
pub fn order_status(t: &Texts, code: &str) -> Label {
    match OrderStatus::parse(&normalise(code)) {
        Some(status) => Label::Known((t.order_status)(status)),
        None => Label::Untranslated(code.trim().to_owned()),
    }
}

/// The status column of a history entry; an empty label when the kind has none.
pub fn history_status(t: &Texts, entry: &HistoryEntry) -> Label {
    let Some(code) = entry.status.as_deref().filter(|s| !s.trim().is_empty()) else {
        return Label::Plain(String::new());
    };
    let l: &LabelTexts = &t.labels;
    match entry.kind {
        HistoryKind::Order => order_status(t, code),
        HistoryKind::Invoice => label(l.invoice_status, code),
        HistoryKind::Request => label(l.request_status, code),
        HistoryKind::Shipment => label(l.carrier_event, code),
        HistoryKind::SurveyAnswer if code == "responded" => {
            Label::Known(t.surveys.survey_responded)
        }
        _ => Label::Untranslated(code.trim().to_owned()),
    }
}

/// What a history entry is recognised by: a payment's method is translated, other references (order
/// numbers, subjects, reasons the customer wrote) are shown as they are.
pub fn history_reference(t: &Texts, entry: &HistoryEntry) -> Label {
    match entry.kind {
        HistoryKind::Payment => label(t.labels.payment_method, &entry.reference),
        _ => Label::Plain(entry.reference.clone()),
    }
}

/// The extra words of a history entry: a request's kind and a contact's channel are codes; a carrier
/// name, an order or invoice number, an instrument id are names.
pub fn history_detail(t: &Texts, entry: &HistoryEntry) -> Label {
    let Some(detail) = entry.detail.as_deref().filter(|d| !d.trim().is_empty()) else {
        return Label::Plain(String::new());
    };
    match entry.kind {
        HistoryKind::Request => label(t.labels.request_kind, detail),
        HistoryKind::Contact => label(t.labels.contact_channel, detail),
        _ => Label::Plain(detail.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{texts, Lang};

    fn entry(
        kind: HistoryKind,
        reference: &str,
        status: Option<&str>,
        detail: Option<&str>,
    ) -> HistoryEntry {
        HistoryEntry {
            id: "x:1".into(),
            kind,
            at: "2024-03-05T10:00:00Z".into(),
            reference: reference.into(),
            status: status.map(Into::into),
            amount_cents: None,
            currency: None,
            order_id: None,
            detail: detail.map(Into::into),
        }
    }

    #[test]
    fn codes_are_normalised_before_lookup() {
        assert_eq!(normalise("  Bank transfer "), "bank_transfer");
        assert_eq!(normalise("bank-transfer"), "bank_transfer");
        assert_eq!(normalise("OUT__for  delivery"), "out_for_delivery");
        assert_eq!(normalise("Request received."), "request_received");
        assert_eq!(normalise("iDEAL"), "ideal");
        assert_eq!(normalise(""), "");
    }

    #[test]
    fn every_code_of_the_reference_server_has_words_in_every_language() {
        // The codes and notes crates/server/src (seed.rs, portal.rs, history.rs) writes.
        let methods = ["iDEAL", "card", "PayPal", "bank transfer"];
        let request_statuses = [
            "submitted",
            "in_review",
            "approved",
            "rejected",
            "resolved",
            "closed",
        ];
        let kinds = ["return", "complaint", "warranty"];
        let notes = [
            "Request received",
            "We are checking the return conditions",
            "Complaint received",
            "Photos requested",
            "Replacement sent and a 10 % voucher issued",
        ];
        let events = [
            "shipped",
            "in_transit",
            "delayed",
            "out_for_delivery",
            "delivered",
        ];
        let channels = ["phone", "email", "chat"];
        for lang in Lang::ALL {
            let l = texts(lang).labels;
            for (translate, codes) in [
                (l.payment_method, &methods[..]),
                (l.request_status, &request_statuses[..]),
                (l.request_kind, &kinds[..]),
                (l.request_note, &notes[..]),
                (l.carrier_event, &events[..]),
                (l.contact_channel, &channels[..]),
                (l.invoice_status, &["paid", "open"][..]),
            ] {
                for code in codes {
                    assert!(
                        matches!(label(translate, code), Label::Known(_)),
                        "{lang:?} {code}"
                    );
                }
            }
        }
        let nl = texts(Lang::Nl).labels;
        assert_eq!(
            label(nl.payment_method, "bank transfer"),
            Label::Known("Bankoverschrijving")
        );
        assert_eq!(
            label(nl.payment_method, "card"),
            Label::Known("Betaalkaart")
        );
        let de = texts(Lang::De).labels;
        assert_eq!(
            label(de.request_note, "We are checking the return conditions"),
            Label::Known("Wir prüfen die Rückgabebedingungen")
        );
    }

    #[test]
    fn unknown_codes_are_kept_as_they_came() {
        let t = texts(Lang::De);
        assert_eq!(
            label(t.labels.payment_method, " Klarna "),
            Label::Untranslated("Klarna".into())
        );
        assert_eq!(
            order_status(t, "on_hold"),
            Label::Untranslated("on_hold".into())
        );
        assert_eq!(order_status(t, "delivered"), Label::Known("Zugestellt"));
        assert_eq!(
            place(t.labels.carrier_place, "Sorting centre"),
            Label::Known("Sortierzentrum")
        );
        assert_eq!(
            place(t.labels.carrier_place, "Tilburg DC"),
            Label::Plain("Tilburg DC".into())
        );
    }

    #[test]
    fn history_columns_use_the_entry_kind() {
        let t = texts(Lang::Nl);
        let payment = entry(HistoryKind::Payment, "bank transfer", None, Some("INV-1"));
        assert_eq!(
            history_reference(t, &payment),
            Label::Known("Bankoverschrijving")
        );
        assert_eq!(history_detail(t, &payment), Label::Plain("INV-1".into()));
        assert_eq!(history_status(t, &payment), Label::Plain(String::new()));
        let invoice = entry(HistoryKind::Invoice, "INV-1", Some("paid"), Some("R-1"));
        assert_eq!(history_status(t, &invoice), Label::Known("Betaald"));
        assert_eq!(history_reference(t, &invoice), Label::Plain("INV-1".into()));
        let request = entry(
            HistoryKind::Request,
            "Too small",
            Some("in_review"),
            Some("return"),
        );
        assert_eq!(history_status(t, &request), Label::Known("In behandeling"));
        assert_eq!(history_detail(t, &request), Label::Known("Retour"));
        let contact = entry(HistoryKind::Contact, "Question", None, Some("fax"));
        assert_eq!(
            history_detail(t, &contact),
            Label::Untranslated("fax".into())
        );
        let shipment = entry(
            HistoryKind::Shipment,
            "3S1",
            Some("out_for_delivery"),
            Some("PostNL"),
        );
        assert_eq!(
            history_status(t, &shipment),
            Label::Known("Wordt vandaag bezorgd")
        );
        assert_eq!(history_detail(t, &shipment), Label::Plain("PostNL".into()));
        let order = entry(HistoryKind::Order, "R-1", Some("teleported"), None);
        assert_eq!(history_status(t, &order).text(), "teleported");
    }
}
