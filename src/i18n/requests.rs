//! Texts of service requests (list and new request) (en, nl, de).

use rapport_api::RequestKind as R;

/// Every text of service requests (list and new request) in one language.
pub struct RequestTexts {
    pub requests_title: &'static str,
    pub no_requests: &'static str,
    pub new_request: &'static str,
    pub request_kind: fn(rapport_api::RequestKind) -> &'static str,
    pub submitted_on: fn(&str) -> String,
    pub status_history: &'static str,
    pub request_sent: &'static str,
    pub new_request_title: &'static str,
    pub request_type: &'static str,
    pub which_items: &'static str,
    pub which_items_hint: &'static str,
    pub reason: &'static str,
    pub description: &'static str,
    pub characters_left: fn(usize) -> String,
    pub send_request: &'static str,
    pub sending: &'static str,
    pub choose_order_first: &'static str,
    pub go_to_orders: &'static str,
}

pub const EN: RequestTexts = RequestTexts {
    requests_title: "Your requests",
    no_requests: "You have no returns, complaints or warranty claims.",
    new_request: "New request",
    request_kind: |k| match k {
        R::Return => "Return",
        R::Complaint => "Complaint",
        R::Warranty => "Warranty claim",
    },
    submitted_on: |d| format!("Sent on {d}"),
    status_history: "Progress",
    request_sent: "Your request has been sent. You can follow its progress here.",
    new_request_title: "Return, complaint or warranty claim",
    request_type: "What would you like to do?",
    which_items: "Which items?",
    which_items_hint: "Choose none to make the request about the whole order.",
    reason: "Reason",
    description: "What happened? (optional)",
    characters_left: |n| format!("{n} characters left"),
    send_request: "Send request",
    sending: "Sending…",
    choose_order_first:
        "Open the order the request is about, then choose what you would like to do.",
    go_to_orders: "Find the order",
};

pub const NL: RequestTexts = RequestTexts {
    requests_title: "Uw verzoeken",
    no_requests: "U hebt geen retouren, klachten of garantieverzoeken.",
    new_request: "Nieuw verzoek",
    request_kind: |k| match k {
        R::Return => "Retour",
        R::Complaint => "Klacht",
        R::Warranty => "Garantieverzoek",
    },
    submitted_on: |d| format!("Verstuurd op {d}"),
    status_history: "Voortgang",
    request_sent: "Uw verzoek is verstuurd. Hier kunt u de voortgang volgen.",
    new_request_title: "Retour, klacht of garantieverzoek",
    request_type: "Wat wilt u doen?",
    which_items: "Welke artikelen?",
    which_items_hint: "Kies er geen om het verzoek over de hele bestelling te laten gaan.",
    reason: "Reden",
    description: "Wat is er gebeurd? (optioneel)",
    characters_left: |n| format!("Nog {n} tekens"),
    send_request: "Verzoek versturen",
    sending: "Bezig met versturen…",
    choose_order_first:
        "Open de bestelling waar het verzoek over gaat en kies daar wat u wilt doen.",
    go_to_orders: "Bestelling zoeken",
};

pub const DE: RequestTexts = RequestTexts {
    requests_title: "Ihre Anfragen",
    no_requests: "Sie haben keine Rücksendungen, Reklamationen oder Garantieanfragen.",
    new_request: "Neue Anfrage",
    request_kind: |k| match k {
        R::Return => "Rücksendung",
        R::Complaint => "Reklamation",
        R::Warranty => "Garantieanspruch",
    },
    submitted_on: |d| format!("Gesendet am {d}"),
    status_history: "Verlauf",
    request_sent: "Ihre Anfrage wurde gesendet. Hier können Sie den Fortschritt verfolgen.",
    new_request_title: "Rücksendung, Reklamation oder Garantieanspruch",
    request_type: "Was möchten Sie tun?",
    which_items: "Welche Artikel?",
    which_items_hint: "Wählen Sie keinen aus, wenn die Anfrage die ganze Bestellung betrifft.",
    reason: "Grund",
    description: "Was ist passiert? (optional)",
    characters_left: |n| format!("Noch {n} Zeichen"),
    send_request: "Anfrage senden",
    sending: "Wird gesendet…",
    choose_order_first:
        "Öffnen Sie die Bestellung, um die es geht, und wählen Sie dort, was Sie tun möchten.",
    go_to_orders: "Bestellung suchen",
};
