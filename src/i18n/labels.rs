//! Words for the codes a backend sends (payment methods, statuses, request kinds, progress notes,
//! carrier events) and for the consent history's plain sentences, in en, nl and de.
//!
//! Every lookup takes a normalised code (`crate::model::labels::normalise`: lower case, words joined by
//! `_`) and answers `None` for a code it does not know, so that the page can show such a code as it
//! came, marked as untranslated.

/// The label texts of one language.
pub struct LabelTexts {
    pub payment_method: fn(&str) -> Option<&'static str>,
    pub invoice_status: fn(&str) -> Option<&'static str>,
    pub request_status: fn(&str) -> Option<&'static str>,
    pub request_kind: fn(&str) -> Option<&'static str>,
    /// The reference backend's standard progress notes, by their English text.
    pub request_note: fn(&str) -> Option<&'static str>,
    pub carrier_event: fn(&str) -> Option<&'static str>,
    /// Generic places in carrier updates ("Sorting centre"); named places stay as they are.
    pub carrier_place: fn(&str) -> Option<&'static str>,
    pub contact_channel: fn(&str) -> Option<&'static str>,
    /// Said by screen readers after a code shown untranslated.
    pub untranslated: &'static str,
    /// Tooltip on such a code.
    pub untranslated_title: &'static str,

    pub on: &'static str,
    pub off: &'static str,
    pub nothing: &'static str,
    pub quiet_hours: &'static str,
    pub days: &'static str,
    pub any_day: &'static str,
    pub paused_until: &'static str,
    pub not_paused: &'static str,
    pub changes_heading: &'static str,
    pub show_recorded: &'static str,
    pub notice: &'static str,
    pub gpc: &'static str,
    pub source: fn(&str) -> Option<&'static str>,
    pub issued: fn(&str, &str) -> String,
}

pub static EN: LabelTexts = LabelTexts {
    payment_method: |c| match c {
        "ideal" => Some("iDEAL"),
        "card" | "credit_card" => Some("Card"),
        "debit_card" => Some("Debit card"),
        "paypal" => Some("PayPal"),
        "bank_transfer" => Some("Bank transfer"),
        "cash_on_delivery" => Some("Cash on delivery"),
        "gift_card" => Some("Gift card"),
        _ => None,
    },
    invoice_status: |c| match c {
        "paid" => Some("Paid"),
        "open" | "unpaid" => Some("Open"),
        "overdue" => Some("Overdue"),
        _ => None,
    },
    request_status: |c| match c {
        "submitted" => Some("Received"),
        "in_review" => Some("Being reviewed"),
        "approved" => Some("Approved"),
        "rejected" => Some("Declined"),
        "resolved" => Some("Resolved"),
        "closed" => Some("Closed"),
        _ => None,
    },
    request_kind: |c| match c {
        "return" => Some("Return"),
        "complaint" => Some("Complaint"),
        "warranty" => Some("Warranty claim"),
        _ => None,
    },
    request_note: |c| match c {
        "request_received" => Some("Request received"),
        "complaint_received" => Some("Complaint received"),
        "we_are_checking_the_return_conditions" => Some("We are checking the return conditions"),
        "photos_requested" => Some("We asked you for photos"),
        "replacement_sent_and_a_10_%_voucher_issued" => {
            Some("Replacement sent and a 10 % voucher issued")
        }
        _ => None,
    },
    carrier_event: |c| match c {
        "shipped" => Some("Handed to the carrier"),
        "in_transit" => Some("On its way"),
        "delayed" => Some("Delayed"),
        "out_for_delivery" => Some("Out for delivery"),
        "failed_delivery" => Some("Delivery attempt failed"),
        "delivered" => Some("Delivered"),
        "returned" => Some("Returned to sender"),
        _ => None,
    },
    carrier_place: |c| match c {
        "sorting_centre" | "sorting_center" => Some("Sorting centre"),
        _ => None,
    },
    contact_channel: |c| match c {
        "phone" => Some("Phone"),
        "email" | "e_mail" => Some("E-mail"),
        "chat" => Some("Chat"),
        "letter" | "post" => Some("Letter"),
        "sms" => Some("Text message"),
        _ => None,
    },
    untranslated: "(untranslated)",
    untranslated_title: "Shown as the system sent it: no translation is known for it.",
    on: "on",
    off: "off",
    nothing: "none",
    quiet_hours: "Quiet hours",
    days: "Days",
    any_day: "any day",
    paused_until: "Marketing paused until",
    not_paused: "not paused",
    changes_heading: "What changed",
    show_recorded: "The exact record and its fingerprint",
    notice: "Privacy notice",
    gpc: "Global Privacy Control",
    source: |c| match c {
        "customer" => Some("changed by you"),
        "gpc" => Some("set by your browser's privacy signal"),
        "signup" => Some("when you opened your account"),
        _ => None,
    },
    issued: |by, at| format!("Issued by {by} on {at}"),
};

pub static NL: LabelTexts = LabelTexts {
    payment_method: |c| match c {
        "ideal" => Some("iDEAL"),
        "card" | "credit_card" => Some("Betaalkaart"),
        "debit_card" => Some("Pinpas"),
        "paypal" => Some("PayPal"),
        "bank_transfer" => Some("Bankoverschrijving"),
        "cash_on_delivery" => Some("Rembours"),
        "gift_card" => Some("Cadeaukaart"),
        _ => None,
    },
    invoice_status: |c| match c {
        "paid" => Some("Betaald"),
        "open" | "unpaid" => Some("Openstaand"),
        "overdue" => Some("Te laat"),
        _ => None,
    },
    request_status: |c| match c {
        "submitted" => Some("Ontvangen"),
        "in_review" => Some("In behandeling"),
        "approved" => Some("Goedgekeurd"),
        "rejected" => Some("Afgewezen"),
        "resolved" => Some("Opgelost"),
        "closed" => Some("Gesloten"),
        _ => None,
    },
    request_kind: |c| match c {
        "return" => Some("Retour"),
        "complaint" => Some("Klacht"),
        "warranty" => Some("Garantieclaim"),
        _ => None,
    },
    request_note: |c| match c {
        "request_received" => Some("Aanvraag ontvangen"),
        "complaint_received" => Some("Klacht ontvangen"),
        "we_are_checking_the_return_conditions" => Some("We controleren de retourvoorwaarden"),
        "photos_requested" => Some("We hebben u om foto's gevraagd"),
        "replacement_sent_and_a_10_%_voucher_issued" => {
            Some("Vervanging verstuurd en een tegoedbon van 10 % gegeven")
        }
        _ => None,
    },
    carrier_event: |c| match c {
        "shipped" => Some("Overgedragen aan de vervoerder"),
        "in_transit" => Some("Onderweg"),
        "delayed" => Some("Vertraagd"),
        "out_for_delivery" => Some("Wordt vandaag bezorgd"),
        "failed_delivery" => Some("Bezorgpoging mislukt"),
        "delivered" => Some("Bezorgd"),
        "returned" => Some("Terug naar afzender"),
        _ => None,
    },
    carrier_place: |c| match c {
        "sorting_centre" | "sorting_center" => Some("Sorteercentrum"),
        _ => None,
    },
    contact_channel: |c| match c {
        "phone" => Some("Telefoon"),
        "email" | "e_mail" => Some("E-mail"),
        "chat" => Some("Chat"),
        "letter" | "post" => Some("Brief"),
        "sms" => Some("Sms"),
        _ => None,
    },
    untranslated: "(niet vertaald)",
    untranslated_title: "Getoond zoals het systeem het stuurde: hiervoor is geen vertaling bekend.",
    on: "aan",
    off: "uit",
    nothing: "geen",
    quiet_hours: "Rustige uren",
    days: "Dagen",
    any_day: "elke dag",
    paused_until: "Marketing gepauzeerd tot",
    not_paused: "niet gepauzeerd",
    changes_heading: "Wat er veranderde",
    show_recorded: "Het exacte record en zijn vingerafdruk",
    notice: "Privacyverklaring",
    gpc: "Global Privacy Control",
    source: |c| match c {
        "customer" => Some("door u gewijzigd"),
        "gpc" => Some("ingesteld door het privacysignaal van uw browser"),
        "signup" => Some("bij het openen van uw account"),
        _ => None,
    },
    issued: |by, at| format!("Uitgegeven door {by} op {at}"),
};

pub static DE: LabelTexts = LabelTexts {
    payment_method: |c| match c {
        "ideal" => Some("iDEAL"),
        "card" | "credit_card" => Some("Karte"),
        "debit_card" => Some("Debitkarte"),
        "paypal" => Some("PayPal"),
        "bank_transfer" => Some("Banküberweisung"),
        "cash_on_delivery" => Some("Nachnahme"),
        "gift_card" => Some("Geschenkkarte"),
        _ => None,
    },
    invoice_status: |c| match c {
        "paid" => Some("Bezahlt"),
        "open" | "unpaid" => Some("Offen"),
        "overdue" => Some("Überfällig"),
        _ => None,
    },
    request_status: |c| match c {
        "submitted" => Some("Eingegangen"),
        "in_review" => Some("In Prüfung"),
        "approved" => Some("Genehmigt"),
        "rejected" => Some("Abgelehnt"),
        "resolved" => Some("Erledigt"),
        "closed" => Some("Geschlossen"),
        _ => None,
    },
    request_kind: |c| match c {
        "return" => Some("Rücksendung"),
        "complaint" => Some("Beschwerde"),
        "warranty" => Some("Garantieanspruch"),
        _ => None,
    },
    request_note: |c| match c {
        "request_received" => Some("Anfrage eingegangen"),
        "complaint_received" => Some("Beschwerde eingegangen"),
        "we_are_checking_the_return_conditions" => Some("Wir prüfen die Rückgabebedingungen"),
        "photos_requested" => Some("Wir haben Sie um Fotos gebeten"),
        "replacement_sent_and_a_10_%_voucher_issued" => {
            Some("Ersatz verschickt und ein Gutschein über 10 % ausgestellt")
        }
        _ => None,
    },
    carrier_event: |c| match c {
        "shipped" => Some("An den Zusteller übergeben"),
        "in_transit" => Some("Unterwegs"),
        "delayed" => Some("Verspätet"),
        "out_for_delivery" => Some("In Zustellung"),
        "failed_delivery" => Some("Zustellversuch fehlgeschlagen"),
        "delivered" => Some("Zugestellt"),
        "returned" => Some("Zurück an den Absender"),
        _ => None,
    },
    carrier_place: |c| match c {
        "sorting_centre" | "sorting_center" => Some("Sortierzentrum"),
        _ => None,
    },
    contact_channel: |c| match c {
        "phone" => Some("Telefon"),
        "email" | "e_mail" => Some("E-Mail"),
        "chat" => Some("Chat"),
        "letter" | "post" => Some("Brief"),
        "sms" => Some("SMS"),
        _ => None,
    },
    untranslated: "(nicht übersetzt)",
    untranslated_title:
        "So angezeigt, wie das System es gesendet hat: dafür ist keine Übersetzung bekannt.",
    on: "an",
    off: "aus",
    nothing: "keine",
    quiet_hours: "Ruhezeiten",
    days: "Tage",
    any_day: "jeder Tag",
    paused_until: "Werbung pausiert bis",
    not_paused: "nicht pausiert",
    changes_heading: "Was sich geändert hat",
    show_recorded: "Der genaue Datensatz und sein Fingerabdruck",
    notice: "Datenschutzhinweis",
    gpc: "Global Privacy Control",
    source: |c| match c {
        "customer" => Some("von Ihnen geändert"),
        "gpc" => Some("vom Datenschutzsignal Ihres Browsers gesetzt"),
        "signup" => Some("bei der Eröffnung Ihres Kontos"),
        _ => None,
    },
    issued: |by, at| format!("Ausgestellt von {by} am {at}"),
};
