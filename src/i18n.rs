//! Translations (en, nl, de).
//!
//! Every language is one value of [`Texts`]: a text missing in one language is a compile error, not a
//! blank on screen. Texts that need numbers are functions.

use leptos::prelude::*;

/// A language the portal speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Nl,
    De,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Nl, Lang::De];

    /// BCP 47 tag, for `<html lang>` and storage.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
            Lang::De => "de",
        }
    }

    /// The language's own name, shown in the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Nl => "Nederlands",
            Lang::De => "Deutsch",
        }
    }

    /// Best match for a tag such as `nl-BE` or `de`; `None` for languages we do not speak.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.trim().to_ascii_lowercase();
        Lang::ALL.into_iter().find(|lang| lang.tag() == primary)
    }

    /// First supported language among the browser's preferences, else English.
    pub fn negotiate<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Lang {
        preferred
            .into_iter()
            .find_map(Lang::from_tag)
            .unwrap_or(Lang::En)
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::En => &EN,
            Lang::Nl => &NL,
            Lang::De => &DE,
        }
    }
}

/// Every text of the portal in one language.
pub struct Texts {
    pub app_name: &'static str,
    pub skip_to_content: &'static str,
    pub language: &'static str,
    pub main_navigation: &'static str,
    pub nav_overview: &'static str,
    pub sign_out: &'static str,
    pub loading: &'static str,
    pub retry: &'static str,

    pub sign_in_title: &'static str,
    pub sign_in_intro: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub sign_in_button: &'static str,
    pub signing_in: &'static str,
    pub sign_in_missing: &'static str,
    pub sign_in_invalid: &'static str,
    pub sign_in_throttled: fn(Option<u32>) -> String,

    pub overview_title: &'static str,
    pub welcome: fn(&str) -> String,
    pub customer_since: fn(&str) -> String,
    pub order_count: fn(u32) -> String,
    pub latest_order: &'static str,
    pub no_orders: &'static str,
    pub open_requests: fn(u32) -> String,
    pub order_status: fn(rapport_api::OrderStatus) -> &'static str,

    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub back_home: &'static str,

    pub error_title: &'static str,
    pub error_network: &'static str,
    pub error_timeout: &'static str,
    pub error_server: &'static str,
    pub error_unexpected: &'static str,
    pub error_not_found: &'static str,
    pub error_session_expired: &'static str,
    pub error_rejected: &'static str,
    pub error_conflict: &'static str,

    pub nav_history: &'static str,
    pub nav_requests: &'static str,
    pub nav_profile: &'static str,
    pub offline_banner: &'static str,
    pub reauth_title: &'static str,
    pub reauth_body: &'static str,
    pub reauth_sign_out: &'static str,
    pub orders_last_year: fn(u32) -> String,
    pub spent_last_year: &'static str,
    pub open_requests_title: &'static str,
    pub view_order: &'static str,
    pub pending_surveys: &'static str,
    pub no_pending_surveys: &'static str,

    pub history_title: &'static str,
    pub filters: &'static str,
    pub filter_kinds: &'static str,
    pub filter_from: &'static str,
    pub filter_to: &'static str,
    pub filter_status: &'static str,
    pub filter_any_status: &'static str,
    pub filter_search: &'static str,
    pub filter_sort: &'static str,
    pub sort_newest: &'static str,
    pub sort_oldest: &'static str,
    pub apply_filters: &'static str,
    pub clear_filters: &'static str,
    pub entries_found: fn(u32) -> String,
    pub no_entries: &'static str,
    pub loading_more: &'static str,
    pub export_csv: &'static str,
    pub exporting: &'static str,
    pub history_list_label: &'static str,
    pub kind_label: fn(rapport_api::HistoryKind) -> &'static str,

    pub order_title: fn(&str) -> String,
    pub placed_on: fn(&str) -> String,
    pub items: &'static str,
    pub product: &'static str,
    pub quantity: &'static str,
    pub price: &'static str,
    pub subtotal: &'static str,
    pub total: &'static str,
    pub delivery_address: &'static str,
    pub where_is_order: &'static str,
    pub expected_delivery: fn(&str) -> String,
    pub carrier_updates: fn(&str, &str) -> String,
    pub carrier_status: fn(&str) -> String,
    pub invoices: &'static str,
    pub view_invoice: fn(&str) -> String,
    pub payments: &'static str,
    pub perfect_order_title: &'static str,
    pub perfect_order_intro: &'static str,
    pub criterion: fn(crate::model::perfect_order::Criterion) -> &'static str,
    pub verdict: fn(crate::model::perfect_order::Verdict) -> &'static str,
    pub requests_for_order: &'static str,
    pub request_return: &'static str,
    pub request_complaint: &'static str,
    pub request_warranty: &'static str,

    pub invoice_title: fn(&str) -> String,
    pub issued_on: fn(&str) -> String,
    pub due_on: fn(&str) -> String,
    pub bill_to: &'static str,
    pub ship_to: &'static str,
    pub paid: &'static str,
    pub outstanding: &'static str,
    pub print: &'static str,
    pub for_order: fn(&str) -> String,

    pub requests_title: &'static str,
    pub no_requests: &'static str,
    pub new_request: &'static str,
    pub request_kind: fn(rapport_api::RequestKind) -> &'static str,
    pub request_status: fn(&str) -> String,
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

    pub profile_title: &'static str,
    pub name: &'static str,
    pub phone: &'static str,
    pub phone_hint: &'static str,
    pub email_fixed: &'static str,
    pub address_label: fn(&str) -> &'static str,
    pub street: &'static str,
    pub postal_code: &'static str,
    pub city: &'static str,
    pub country: &'static str,
    pub save: &'static str,
    pub saving: &'static str,
    pub saved: &'static str,
    pub reload: &'static str,
    pub field_problem: fn(&str) -> &'static str,
    pub form_has_problems: &'static str,
}

use crate::model::perfect_order::{Criterion as C, Verdict as V};
use rapport_api::{HistoryKind as K, OrderStatus as S, RequestKind as R};

pub const EN: Texts = Texts {
    app_name: "Rapport",
    skip_to_content: "Skip to content",
    language: "Language",
    main_navigation: "Main",
    nav_overview: "Overview",
    sign_out: "Sign out",
    loading: "Loading…",
    retry: "Try again",
    sign_in_title: "Sign in",
    sign_in_intro: "Sign in to see your orders, invoices and requests.",
    email: "E-mail address",
    password: "Password",
    sign_in_button: "Sign in",
    signing_in: "Signing in…",
    sign_in_missing: "Please enter your e-mail address and password.",
    sign_in_invalid: "That e-mail address and password do not match an account.",
    sign_in_throttled: |s| match s {
        Some(s) => format!(
            "Too many attempts. Please try again in {} minutes.",
            s.div_ceil(60)
        ),
        None => "Too many attempts. Please try again later.".into(),
    },
    overview_title: "Your account",
    welcome: |name| format!("Welcome, {name}"),
    customer_since: |date| format!("Customer since {date}"),
    order_count: |n| match n {
        1 => "You have placed 1 order.".into(),
        n => format!("You have placed {n} orders."),
    },
    latest_order: "Latest order",
    no_orders: "You have not placed any orders yet.",
    open_requests: |n| match n {
        0 => "No open requests.".into(),
        1 => "1 open request".into(),
        n => format!("{n} open requests"),
    },
    order_status: |s| match s {
        S::Placed => "Placed",
        S::Paid => "Paid",
        S::Packed => "Packed",
        S::Shipped => "Shipped",
        S::OutForDelivery => "Out for delivery",
        S::Delivered => "Delivered",
        S::Delayed => "Delayed",
        S::FailedDelivery => "Delivery failed",
        S::Returned => "Returned",
        S::Cancelled => "Cancelled",
    },
    not_found_title: "Page not found",
    not_found_body:
        "There is no page at this address. It may have moved, or the link may be incomplete.",
    back_home: "Go to your account",
    error_title: "Something went wrong",
    error_network: "We cannot reach the server. Check your connection and try again.",
    error_timeout: "The server is taking too long to answer. Please try again.",
    error_server: "The server had a problem. Please try again in a moment.",
    error_unexpected: "The server sent an answer we did not understand. Please try again later.",
    error_not_found: "We could not find what you asked for.",
    error_session_expired: "Your session has ended. Please sign in again.",
    error_rejected: "The request was refused.",
    error_conflict: "This was changed elsewhere since you opened it. Reload to see the latest version.",
    nav_history: "History",
    nav_requests: "Requests",
    nav_profile: "Your details",
    offline_banner: "You are offline. What you see may be out of date, and changes cannot be sent until the connection is back.",
    reauth_title: "Please sign in again",
    reauth_body: "Your session has ended. Sign in again to carry on; what you entered on this page is kept.",
    reauth_sign_out: "Sign out instead",
    orders_last_year: |n| match n {
        1 => "1 order in the last 12 months".into(),
        n => format!("{n} orders in the last 12 months"),
    },
    spent_last_year: "Spent in the last 12 months",
    open_requests_title: "Open requests",
    view_order: "View order",
    pending_surveys: "Surveys for you",
    no_pending_surveys: "There are no surveys waiting for you.",
    history_title: "Account history",
    filters: "Filters",
    filter_kinds: "Show",
    filter_from: "From",
    filter_to: "To",
    filter_status: "Status",
    filter_any_status: "Any status",
    filter_search: "Search",
    filter_sort: "Sort",
    sort_newest: "Newest first",
    sort_oldest: "Oldest first",
    apply_filters: "Apply",
    clear_filters: "Clear filters",
    entries_found: |n| match n {
        1 => "1 entry".into(),
        n => format!("{n} entries"),
    },
    no_entries: "Nothing matches these filters.",
    loading_more: "Loading more…",
    export_csv: "Download as CSV",
    exporting: "Preparing download…",
    history_list_label: "History entries",
    kind_label: |k| match k {
        K::Order => "Order",
        K::Invoice => "Invoice",
        K::Payment => "Payment",
        K::Shipment => "Shipment",
        K::Contact => "Contact",
        K::Request => "Request",
        K::SurveyAnswer => "Survey answer",
    },
    order_title: |n| format!("Order {n}"),
    placed_on: |d| format!("Placed on {d}"),
    items: "Items",
    product: "Product",
    quantity: "Quantity",
    price: "Price",
    subtotal: "Subtotal",
    total: "Total",
    delivery_address: "Delivery address",
    where_is_order: "Where your order is",
    expected_delivery: |d| format!("Expected delivery: {d}"),
    carrier_updates: |carrier, tracking| format!("Updates from {carrier} ({tracking})"),
    carrier_status: |s| match s {
        "shipped" => "Handed to the carrier".into(),
        "in_transit" => "On its way".into(),
        "delayed" => "Delayed".into(),
        "out_for_delivery" => "Out for delivery".into(),
        "failed_delivery" => "Delivery attempt failed".into(),
        "delivered" => "Delivered".into(),
        "returned" => "Returned to sender".into(),
        other => other.replace('_', " "),
    },
    invoices: "Invoices",
    view_invoice: |n| format!("Invoice {n}"),
    payments: "Payments",
    perfect_order_title: "Did we get it right?",
    perfect_order_intro: "How this order measured up, judged from its delivery data and anything you reported.",
    criterion: |c| match c {
        C::Product => "Right product",
        C::Quantity => "Right quantity",
        C::Quality => "Right quality",
        C::Place => "Right place",
        C::Time => "On time",
        C::Documentation => "Correct invoice",
    },
    verdict: |v| match v {
        V::Held => "Yes",
        V::Missed => "No",
        V::Pending => "Not known yet",
    },
    requests_for_order: "Your requests about this order",
    request_return: "Return items",
    request_complaint: "Make a complaint",
    request_warranty: "Warranty claim",
    invoice_title: |n| format!("Invoice {n}"),
    issued_on: |d| format!("Issued {d}"),
    due_on: |d| format!("Due {d}"),
    bill_to: "Billed to",
    ship_to: "Delivered to",
    paid: "Paid",
    outstanding: "Still to pay",
    print: "Print",
    for_order: |n| format!("For order {n}"),
    requests_title: "Your requests",
    no_requests: "You have no returns, complaints or warranty claims.",
    new_request: "New request",
    request_kind: |k| match k {
        R::Return => "Return",
        R::Complaint => "Complaint",
        R::Warranty => "Warranty claim",
    },
    request_status: |s| match s {
        "submitted" => "Received".into(),
        "in_review" => "Being reviewed".into(),
        "approved" => "Approved".into(),
        "rejected" => "Declined".into(),
        "resolved" => "Resolved".into(),
        "closed" => "Closed".into(),
        other => other.replace('_', " "),
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
    choose_order_first: "Open the order the request is about, then choose what you would like to do.",
    go_to_orders: "Find the order",
    profile_title: "Your details",
    name: "Name",
    phone: "Phone number",
    phone_hint: "International format, for example +31 6 1234 5678. Leave empty for none.",
    email_fixed: "Your e-mail address is also your sign-in name; contact us to change it.",
    address_label: |l| match l {
        "billing" => "Billing address",
        _ => "Delivery address",
    },
    street: "Street and number",
    postal_code: "Postal code",
    city: "City",
    country: "Country (two letters, e.g. NL)",
    save: "Save",
    saving: "Saving…",
    saved: "Your details have been saved.",
    reload: "Reload",
    field_problem: |p| match p {
        "required" => "Please fill this in.",
        "too_long" => "This is too long.",
        "invalid_format" => "This does not look right; check the format.",
        "not_found" => "This could not be found.",
        "not_allowed" => "This is not possible here.",
        _ => "Please check this.",
    },
    form_has_problems: "Some fields need your attention.",
};

pub const NL: Texts = Texts {
    app_name: "Rapport",
    skip_to_content: "Naar de inhoud",
    language: "Taal",
    main_navigation: "Hoofdmenu",
    nav_overview: "Overzicht",
    sign_out: "Afmelden",
    loading: "Laden…",
    retry: "Opnieuw proberen",
    sign_in_title: "Aanmelden",
    sign_in_intro: "Meld u aan om uw bestellingen, facturen en verzoeken te zien.",
    email: "E-mailadres",
    password: "Wachtwoord",
    sign_in_button: "Aanmelden",
    signing_in: "Bezig met aanmelden…",
    sign_in_missing: "Vul uw e-mailadres en wachtwoord in.",
    sign_in_invalid: "Dit e-mailadres en wachtwoord horen niet bij een account.",
    sign_in_throttled: |s| match s {
        Some(s) => format!(
            "Te veel pogingen. Probeer het over {} minuten opnieuw.",
            s.div_ceil(60)
        ),
        None => "Te veel pogingen. Probeer het later opnieuw.".into(),
    },
    overview_title: "Uw account",
    welcome: |name| format!("Welkom, {name}"),
    customer_since: |date| format!("Klant sinds {date}"),
    order_count: |n| match n {
        1 => "U hebt 1 bestelling geplaatst.".into(),
        n => format!("U hebt {n} bestellingen geplaatst."),
    },
    latest_order: "Laatste bestelling",
    no_orders: "U hebt nog geen bestellingen geplaatst.",
    open_requests: |n| match n {
        0 => "Geen openstaande verzoeken.".into(),
        1 => "1 openstaand verzoek".into(),
        n => format!("{n} openstaande verzoeken"),
    },
    order_status: |s| match s {
        S::Placed => "Geplaatst",
        S::Paid => "Betaald",
        S::Packed => "Ingepakt",
        S::Shipped => "Verzonden",
        S::OutForDelivery => "Onderweg naar u",
        S::Delivered => "Bezorgd",
        S::Delayed => "Vertraagd",
        S::FailedDelivery => "Bezorging mislukt",
        S::Returned => "Geretourneerd",
        S::Cancelled => "Geannuleerd",
    },
    not_found_title: "Pagina niet gevonden",
    not_found_body:
        "Op dit adres staat geen pagina. Misschien is ze verplaatst, of is de link onvolledig.",
    back_home: "Naar uw account",
    error_title: "Er ging iets mis",
    error_network:
        "We kunnen de server niet bereiken. Controleer uw verbinding en probeer het opnieuw.",
    error_timeout: "De server doet er te lang over. Probeer het opnieuw.",
    error_server: "De server had een probleem. Probeer het zo opnieuw.",
    error_unexpected:
        "De server gaf een antwoord dat we niet begrijpen. Probeer het later opnieuw.",
    error_not_found: "We konden niet vinden wat u zocht.",
    error_session_expired: "Uw sessie is verlopen. Meld u opnieuw aan.",
    error_rejected: "Het verzoek is geweigerd.",
    error_conflict: "Dit is intussen ergens anders gewijzigd. Laad de pagina opnieuw voor de nieuwste versie.",
    nav_history: "Geschiedenis",
    nav_requests: "Verzoeken",
    nav_profile: "Uw gegevens",
    offline_banner: "U bent offline. Wat u ziet is mogelijk niet actueel, en wijzigingen kunnen pas worden verstuurd als de verbinding terug is.",
    reauth_title: "Meld u opnieuw aan",
    reauth_body: "Uw sessie is verlopen. Meld u opnieuw aan om verder te gaan; wat u op deze pagina hebt ingevuld, blijft bewaard.",
    reauth_sign_out: "Liever afmelden",
    orders_last_year: |n| match n {
        1 => "1 bestelling in de afgelopen 12 maanden".into(),
        n => format!("{n} bestellingen in de afgelopen 12 maanden"),
    },
    spent_last_year: "Besteed in de afgelopen 12 maanden",
    open_requests_title: "Openstaande verzoeken",
    view_order: "Bestelling bekijken",
    pending_surveys: "Vragenlijsten voor u",
    no_pending_surveys: "Er staan geen vragenlijsten voor u klaar.",
    history_title: "Accountgeschiedenis",
    filters: "Filters",
    filter_kinds: "Toon",
    filter_from: "Van",
    filter_to: "Tot en met",
    filter_status: "Status",
    filter_any_status: "Elke status",
    filter_search: "Zoeken",
    filter_sort: "Sortering",
    sort_newest: "Nieuwste eerst",
    sort_oldest: "Oudste eerst",
    apply_filters: "Toepassen",
    clear_filters: "Filters wissen",
    entries_found: |n| match n {
        1 => "1 item".into(),
        n => format!("{n} items"),
    },
    no_entries: "Niets voldoet aan deze filters.",
    loading_more: "Meer laden…",
    export_csv: "Downloaden als CSV",
    exporting: "Download wordt voorbereid…",
    history_list_label: "Items in de geschiedenis",
    kind_label: |k| match k {
        K::Order => "Bestelling",
        K::Invoice => "Factuur",
        K::Payment => "Betaling",
        K::Shipment => "Zending",
        K::Contact => "Contact",
        K::Request => "Verzoek",
        K::SurveyAnswer => "Antwoord op vragenlijst",
    },
    order_title: |n| format!("Bestelling {n}"),
    placed_on: |d| format!("Geplaatst op {d}"),
    items: "Artikelen",
    product: "Product",
    quantity: "Aantal",
    price: "Prijs",
    subtotal: "Subtotaal",
    total: "Totaal",
    delivery_address: "Bezorgadres",
    where_is_order: "Waar uw bestelling is",
    expected_delivery: |d| format!("Verwachte bezorging: {d}"),
    carrier_updates: |carrier, tracking| format!("Berichten van {carrier} ({tracking})"),
    carrier_status: |s| match s {
        "shipped" => "Aan de vervoerder overgedragen".into(),
        "in_transit" => "Onderweg".into(),
        "delayed" => "Vertraagd".into(),
        "out_for_delivery" => "Wordt vandaag bezorgd".into(),
        "failed_delivery" => "Bezorgpoging mislukt".into(),
        "delivered" => "Bezorgd".into(),
        "returned" => "Terug naar afzender".into(),
        other => other.replace('_', " "),
    },
    invoices: "Facturen",
    view_invoice: |n| format!("Factuur {n}"),
    payments: "Betalingen",
    perfect_order_title: "Hebben we het goed gedaan?",
    perfect_order_intro: "Hoe deze bestelling is verlopen, op basis van de bezorggegevens en wat u ons hebt gemeld.",
    criterion: |c| match c {
        C::Product => "Juiste product",
        C::Quantity => "Juiste aantal",
        C::Quality => "Juiste kwaliteit",
        C::Place => "Juiste plaats",
        C::Time => "Op tijd",
        C::Documentation => "Juiste factuur",
    },
    verdict: |v| match v {
        V::Held => "Ja",
        V::Missed => "Nee",
        V::Pending => "Nog niet bekend",
    },
    requests_for_order: "Uw verzoeken over deze bestelling",
    request_return: "Artikelen retourneren",
    request_complaint: "Klacht indienen",
    request_warranty: "Beroep op garantie",
    invoice_title: |n| format!("Factuur {n}"),
    issued_on: |d| format!("Datum {d}"),
    due_on: |d| format!("Te betalen voor {d}"),
    bill_to: "Gefactureerd aan",
    ship_to: "Bezorgd op",
    paid: "Betaald",
    outstanding: "Nog te betalen",
    print: "Afdrukken",
    for_order: |n| format!("Voor bestelling {n}"),
    requests_title: "Uw verzoeken",
    no_requests: "U hebt geen retouren, klachten of garantieverzoeken.",
    new_request: "Nieuw verzoek",
    request_kind: |k| match k {
        R::Return => "Retour",
        R::Complaint => "Klacht",
        R::Warranty => "Garantieverzoek",
    },
    request_status: |s| match s {
        "submitted" => "Ontvangen".into(),
        "in_review" => "In behandeling".into(),
        "approved" => "Goedgekeurd".into(),
        "rejected" => "Afgewezen".into(),
        "resolved" => "Opgelost".into(),
        "closed" => "Gesloten".into(),
        other => other.replace('_', " "),
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
    choose_order_first: "Open de bestelling waar het verzoek over gaat en kies daar wat u wilt doen.",
    go_to_orders: "Bestelling zoeken",
    profile_title: "Uw gegevens",
    name: "Naam",
    phone: "Telefoonnummer",
    phone_hint: "Internationaal formaat, bijvoorbeeld +31 6 1234 5678. Laat leeg als u er geen wilt opgeven.",
    email_fixed: "Uw e-mailadres is ook uw inlognaam; neem contact met ons op om het te wijzigen.",
    address_label: |l| match l {
        "billing" => "Factuuradres",
        _ => "Bezorgadres",
    },
    street: "Straat en huisnummer",
    postal_code: "Postcode",
    city: "Plaats",
    country: "Land (twee letters, bijv. NL)",
    save: "Opslaan",
    saving: "Bezig met opslaan…",
    saved: "Uw gegevens zijn opgeslagen.",
    reload: "Opnieuw laden",
    field_problem: |p| match p {
        "required" => "Vul dit in.",
        "too_long" => "Dit is te lang.",
        "invalid_format" => "Dit klopt niet; controleer de schrijfwijze.",
        "not_found" => "Dit is niet gevonden.",
        "not_allowed" => "Dit is hier niet mogelijk.",
        _ => "Controleer dit.",
    },
    form_has_problems: "Sommige velden hebben uw aandacht nodig.",
};

pub const DE: Texts = Texts {
    app_name: "Rapport",
    skip_to_content: "Zum Inhalt springen",
    language: "Sprache",
    main_navigation: "Hauptmenü",
    nav_overview: "Übersicht",
    sign_out: "Abmelden",
    loading: "Wird geladen…",
    retry: "Erneut versuchen",
    sign_in_title: "Anmelden",
    sign_in_intro: "Melden Sie sich an, um Ihre Bestellungen, Rechnungen und Anfragen zu sehen.",
    email: "E-Mail-Adresse",
    password: "Passwort",
    sign_in_button: "Anmelden",
    signing_in: "Anmeldung läuft…",
    sign_in_missing: "Bitte geben Sie Ihre E-Mail-Adresse und Ihr Passwort ein.",
    sign_in_invalid: "E-Mail-Adresse und Passwort passen zu keinem Konto.",
    sign_in_throttled: |s| match s {
        Some(s) => format!("Zu viele Versuche. Bitte versuchen Sie es in {} Minuten erneut.", s.div_ceil(60)),
        None => "Zu viele Versuche. Bitte versuchen Sie es später erneut.".into(),
    },
    overview_title: "Ihr Konto",
    welcome: |name| format!("Willkommen, {name}"),
    customer_since: |date| format!("Kunde seit {date}"),
    order_count: |n| match n {
        1 => "Sie haben 1 Bestellung aufgegeben.".into(),
        n => format!("Sie haben {n} Bestellungen aufgegeben."),
    },
    latest_order: "Letzte Bestellung",
    no_orders: "Sie haben noch keine Bestellungen aufgegeben.",
    open_requests: |n| match n {
        0 => "Keine offenen Anfragen.".into(),
        1 => "1 offene Anfrage".into(),
        n => format!("{n} offene Anfragen"),
    },
    order_status: |s| match s {
        S::Placed => "Aufgegeben",
        S::Paid => "Bezahlt",
        S::Packed => "Verpackt",
        S::Shipped => "Versandt",
        S::OutForDelivery => "In Zustellung",
        S::Delivered => "Zugestellt",
        S::Delayed => "Verspätet",
        S::FailedDelivery => "Zustellung fehlgeschlagen",
        S::Returned => "Zurückgesandt",
        S::Cancelled => "Storniert",
    },
    not_found_title: "Seite nicht gefunden",
    not_found_body: "Unter dieser Adresse gibt es keine Seite. Vielleicht wurde sie verschoben oder der Link ist unvollständig.",
    back_home: "Zu Ihrem Konto",
    error_title: "Etwas ist schiefgelaufen",
    error_network: "Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.",
    error_timeout: "Der Server antwortet zu langsam. Bitte versuchen Sie es erneut.",
    error_server: "Der Server hatte ein Problem. Bitte versuchen Sie es gleich noch einmal.",
    error_unexpected: "Der Server hat eine unerwartete Antwort geschickt. Bitte versuchen Sie es später erneut.",
    error_not_found: "Wir konnten nicht finden, wonach Sie gesucht haben.",
    error_session_expired: "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.",
    error_rejected: "Die Anfrage wurde abgelehnt.",
    error_conflict: "Dies wurde inzwischen an anderer Stelle geändert. Laden Sie die Seite neu, um den aktuellen Stand zu sehen.",
    nav_history: "Verlauf",
    nav_requests: "Anfragen",
    nav_profile: "Ihre Daten",
    offline_banner: "Sie sind offline. Die Anzeige ist möglicherweise nicht aktuell, und Änderungen können erst gesendet werden, wenn die Verbindung wieder steht.",
    reauth_title: "Bitte melden Sie sich erneut an",
    reauth_body: "Ihre Sitzung ist abgelaufen. Melden Sie sich erneut an, um weiterzumachen; Ihre Eingaben auf dieser Seite bleiben erhalten.",
    reauth_sign_out: "Stattdessen abmelden",
    orders_last_year: |n| match n {
        1 => "1 Bestellung in den letzten 12 Monaten".into(),
        n => format!("{n} Bestellungen in den letzten 12 Monaten"),
    },
    spent_last_year: "Ausgegeben in den letzten 12 Monaten",
    open_requests_title: "Offene Anfragen",
    view_order: "Bestellung ansehen",
    pending_surveys: "Umfragen für Sie",
    no_pending_surveys: "Zurzeit warten keine Umfragen auf Sie.",
    history_title: "Kontoverlauf",
    filters: "Filter",
    filter_kinds: "Anzeigen",
    filter_from: "Von",
    filter_to: "Bis",
    filter_status: "Status",
    filter_any_status: "Jeder Status",
    filter_search: "Suche",
    filter_sort: "Sortierung",
    sort_newest: "Neueste zuerst",
    sort_oldest: "Älteste zuerst",
    apply_filters: "Anwenden",
    clear_filters: "Filter zurücksetzen",
    entries_found: |n| match n {
        1 => "1 Eintrag".into(),
        n => format!("{n} Einträge"),
    },
    no_entries: "Keine Einträge passen zu diesen Filtern.",
    loading_more: "Weitere werden geladen…",
    export_csv: "Als CSV herunterladen",
    exporting: "Download wird vorbereitet…",
    history_list_label: "Einträge im Verlauf",
    kind_label: |k| match k {
        K::Order => "Bestellung",
        K::Invoice => "Rechnung",
        K::Payment => "Zahlung",
        K::Shipment => "Sendung",
        K::Contact => "Kontakt",
        K::Request => "Anfrage",
        K::SurveyAnswer => "Umfrageantwort",
    },
    order_title: |n| format!("Bestellung {n}"),
    placed_on: |d| format!("Bestellt am {d}"),
    items: "Artikel",
    product: "Produkt",
    quantity: "Menge",
    price: "Preis",
    subtotal: "Zwischensumme",
    total: "Gesamt",
    delivery_address: "Lieferadresse",
    where_is_order: "Wo Ihre Bestellung ist",
    expected_delivery: |d| format!("Voraussichtliche Zustellung: {d}"),
    carrier_updates: |carrier, tracking| format!("Meldungen von {carrier} ({tracking})"),
    carrier_status: |s| match s {
        "shipped" => "An den Versanddienst übergeben".into(),
        "in_transit" => "Unterwegs".into(),
        "delayed" => "Verspätet".into(),
        "out_for_delivery" => "In Zustellung".into(),
        "failed_delivery" => "Zustellversuch fehlgeschlagen".into(),
        "delivered" => "Zugestellt".into(),
        "returned" => "Zurück an den Absender".into(),
        other => other.replace('_', " "),
    },
    invoices: "Rechnungen",
    view_invoice: |n| format!("Rechnung {n}"),
    payments: "Zahlungen",
    perfect_order_title: "Hat alles gestimmt?",
    perfect_order_intro: "Wie diese Bestellung gelaufen ist, beurteilt nach den Lieferdaten und Ihren Meldungen.",
    criterion: |c| match c {
        C::Product => "Richtiges Produkt",
        C::Quantity => "Richtige Menge",
        C::Quality => "Richtige Qualität",
        C::Place => "Richtiger Ort",
        C::Time => "Pünktlich",
        C::Documentation => "Korrekte Rechnung",
    },
    verdict: |v| match v {
        V::Held => "Ja",
        V::Missed => "Nein",
        V::Pending => "Noch nicht bekannt",
    },
    requests_for_order: "Ihre Anfragen zu dieser Bestellung",
    request_return: "Artikel zurücksenden",
    request_complaint: "Reklamieren",
    request_warranty: "Garantieanspruch",
    invoice_title: |n| format!("Rechnung {n}"),
    issued_on: |d| format!("Ausgestellt am {d}"),
    due_on: |d| format!("Fällig am {d}"),
    bill_to: "Rechnungsempfänger",
    ship_to: "Geliefert an",
    paid: "Bezahlt",
    outstanding: "Noch offen",
    print: "Drucken",
    for_order: |n| format!("Zur Bestellung {n}"),
    requests_title: "Ihre Anfragen",
    no_requests: "Sie haben keine Rücksendungen, Reklamationen oder Garantieanfragen.",
    new_request: "Neue Anfrage",
    request_kind: |k| match k {
        R::Return => "Rücksendung",
        R::Complaint => "Reklamation",
        R::Warranty => "Garantieanspruch",
    },
    request_status: |s| match s {
        "submitted" => "Eingegangen".into(),
        "in_review" => "In Bearbeitung".into(),
        "approved" => "Genehmigt".into(),
        "rejected" => "Abgelehnt".into(),
        "resolved" => "Erledigt".into(),
        "closed" => "Geschlossen".into(),
        other => other.replace('_', " "),
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
    choose_order_first: "Öffnen Sie die Bestellung, um die es geht, und wählen Sie dort, was Sie tun möchten.",
    go_to_orders: "Bestellung suchen",
    profile_title: "Ihre Daten",
    name: "Name",
    phone: "Telefonnummer",
    phone_hint: "Internationales Format, zum Beispiel +49 151 2345 6789. Leer lassen, wenn keine.",
    email_fixed: "Ihre E-Mail-Adresse ist auch Ihr Anmeldename; wenden Sie sich an uns, um sie zu ändern.",
    address_label: |l| match l {
        "billing" => "Rechnungsadresse",
        _ => "Lieferadresse",
    },
    street: "Straße und Hausnummer",
    postal_code: "Postleitzahl",
    city: "Ort",
    country: "Land (zwei Buchstaben, z. B. DE)",
    save: "Speichern",
    saving: "Wird gespeichert…",
    saved: "Ihre Daten wurden gespeichert.",
    reload: "Neu laden",
    field_problem: |p| match p {
        "required" => "Bitte ausfüllen.",
        "too_long" => "Das ist zu lang.",
        "invalid_format" => "Das sieht nicht richtig aus; prüfen Sie das Format.",
        "not_found" => "Das wurde nicht gefunden.",
        "not_allowed" => "Das ist hier nicht möglich.",
        _ => "Bitte prüfen.",
    },
    form_has_problems: "Einige Felder brauchen Ihre Aufmerksamkeit.",
};

/// Formats the date part of an RFC 3339 timestamp in the language's usual order; the input is shown
/// unchanged when it is not a date we understand (never a panic on server data).
pub fn format_date(lang: Lang, rfc3339: &str) -> String {
    let date = rfc3339.get(..10).unwrap_or(rfc3339);
    let parts: Vec<&str> = date.split('-').collect();
    match (lang, parts.as_slice()) {
        (_, [y, m, d]) if y.len() == 4 && m.len() == 2 && d.len() == 2 => match lang {
            Lang::En => format!("{d}/{m}/{y}"),
            Lang::Nl => format!("{d}-{m}-{y}"),
            Lang::De => format!("{d}.{m}.{y}"),
        },
        _ => rfc3339.to_owned(),
    }
}

/// Formats integer cents with the language's decimal separator.
pub fn format_money(lang: Lang, cents: i64, currency: &str) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let (units, rest) = (abs / 100, abs % 100);
    let symbol = if currency == "EUR" { "€" } else { currency };
    match lang {
        Lang::En => format!("{sign}{symbol}{units}.{rest:02}"),
        Lang::Nl => format!("{symbol} {sign}{units},{rest:02}"),
        Lang::De => format!("{sign}{units},{rest:02} {symbol}"),
    }
}

/// The current language, shared through the component tree.
#[derive(Clone, Copy)]
pub struct I18n(pub RwSignal<Lang>);

impl I18n {
    pub fn lang(&self) -> Lang {
        self.0.get()
    }

    pub fn t(&self) -> &'static Texts {
        self.0.get().texts()
    }

    /// One text of the current language as a signal. Every translated text node then has the same
    /// concrete type, so its rendering code is generated once instead of once per closure, which keeps
    /// the Wasm bundle small.
    pub fn text(self, pick: fn(&Texts) -> &'static str) -> Signal<&'static str> {
        let lang = self.0;
        Signal::derive(move || pick(lang.get().texts()))
    }
}

/// The language context; provided by the app root.
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| I18n(RwSignal::new(Lang::En)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_supported_languages() {
        assert_eq!(Lang::negotiate(["fr-FR", "nl-BE", "en"]), Lang::Nl);
        assert_eq!(Lang::negotiate(["DE"]), Lang::De);
        assert_eq!(Lang::negotiate(["fr", "es"]), Lang::En);
        assert_eq!(Lang::negotiate([""]), Lang::En);
    }

    #[test]
    fn texts_differ_per_language_and_are_not_empty() {
        for lang in Lang::ALL {
            let t = lang.texts();
            assert!(!t.sign_in_title.is_empty());
            assert!((t.order_count)(240).contains("240"));
            assert!((t.welcome)("Ann").contains("Ann"));
        }
        assert_ne!(EN.sign_in_title, NL.sign_in_title);
        assert_ne!(NL.sign_in_title, DE.sign_in_title);
        assert_eq!(
            (EN.sign_in_throttled)(Some(61)),
            "Too many attempts. Please try again in 2 minutes."
        );
    }

    #[test]
    fn dates_and_money_follow_the_language() {
        assert_eq!(format_date(Lang::En, "2024-03-05T10:00:00Z"), "05/03/2024");
        assert_eq!(format_date(Lang::De, "2024-03-05T10:00:00Z"), "05.03.2024");
        assert_eq!(format_date(Lang::Nl, "garbage"), "garbage");
        assert_eq!(format_date(Lang::Nl, "ü"), "ü");
        assert_eq!(format_money(Lang::En, 123456, "EUR"), "€1234.56");
        assert_eq!(format_money(Lang::Nl, 5, "EUR"), "€ 0,05");
        assert_eq!(format_money(Lang::De, -250, "USD"), "-2,50 USD");
    }
}
