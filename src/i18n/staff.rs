//! Texts of the staff pages (en, nl, de).

use crate::model::phase_reason::ReasonFacts;
use crate::model::phase_reason::ReasonFacts as F;
use rapport_intl::date;

/// Every text of the staff pages in one language.
pub struct StaffTexts {
    pub staff_nav: &'static str,
    pub staff_title: &'static str,
    pub staff_phase: &'static str,
    pub staff_reasons: &'static str,
    pub staff_responses: &'static str,
    pub staff_no_responses: &'static str,
    pub staff_open_invitations: &'static str,
    pub staff_action_label: &'static str,
    pub staff_action_save: &'static str,
    pub staff_action_saved: &'static str,
    pub staff_only: &'static str,
    pub col_name: &'static str,
    pub col_email: &'static str,
    /// One reason for the relationship phase, from its facts.
    pub phase_reason: fn(&ReasonFacts) -> String,
    pub deletions_title: &'static str,
    pub deletions_intro: &'static str,
    pub deletions_none: &'static str,
    pub col_customer: &'static str,
    pub col_status: &'static str,
    pub col_received: &'static str,
    pub col_due: &'static str,
    pub deletion_state: fn(&str) -> &'static str,
    pub overdue: &'static str,
    pub erased_customer: &'static str,
    pub start_review: &'static str,
    pub carry_out: &'static str,
    pub refuse: &'static str,
    pub refuse_reason: &'static str,
    pub invite: &'static str,
    pub invite_sent: &'static str,
    pub access_log_csv: &'static str,
}

pub const EN: StaffTexts = StaffTexts {
    staff_nav: "Staff",
    staff_title: "Customers",
    staff_phase: "Relationship phase",
    staff_reasons: "Why",
    staff_responses: "Survey answers",
    staff_no_responses: "No survey answers yet.",
    staff_open_invitations: "Open invitations",
    staff_action_label: "What we did in response",
    staff_action_save: "Record",
    staff_action_saved: "Recorded. The customer now sees it next to their answer.",
    staff_only: "This page is for staff only.",
    col_name: "Name",
    col_email: "E-mail",
    phase_reason: |f| match f {
        F::NoOrders => "No orders yet.".into(),
        F::Orders {
            orders, categories, ..
        } => format!(
            "{orders} {} in {categories} {}.",
            if *orders == 1 { "order" } else { "orders" },
            if *categories == 1 {
                "category"
            } else {
                "categories"
            }
        ),
        F::LongTenure { days, since } => {
            format!(
                "A customer for {days} days (since {}).",
                date("en", since, None)
            )
        }
        F::HighCommitment { index } => format!("The latest commitment index is {index}."),
        F::FallingFrequency {
            recent,
            before,
            window,
        } => format!(
            "{recent} {} in the last {window} days, against {before} in the {window} days before.",
            if *recent == 1 { "order" } else { "orders" }
        ),
        F::RecentComplaint { on, window } => format!(
            "A complaint on {}, within the last {window} days.",
            date("en", on, None)
        ),
        F::LowCommitment { index, threshold } => {
            format!("The latest commitment index is {index}, below {threshold}.")
        }
    },
    deletions_title: "Deletion requests",
    deletions_intro: "Each request must be answered within one month of its arrival. Carrying one out erases the customer's personal data for good.",
    deletions_none: "No deletion requests.",
    col_customer: "Customer",
    col_status: "Status",
    col_received: "Received",
    col_due: "Answer by",
    deletion_state: |s| match s {
        "received" => "Received",
        "confirmed" => "In review",
        "completed" => "Done",
        "refused" => "Refused",
        _ => "?",
    },
    overdue: "Overdue",
    erased_customer: "Erased customer",
    start_review: "Start review",
    carry_out: "Carry out erasure",
    refuse: "Refuse",
    refuse_reason: "Reason for refusing (the customer reads it)",
    invite: "Send a link to set a password",
    invite_sent: "Sent. The link works once, for 7 days.",
    access_log_csv: "Access log (CSV)",
};

pub const NL: StaffTexts = StaffTexts {
    staff_nav: "Medewerkers",
    staff_title: "Klanten",
    staff_phase: "Fase van de relatie",
    staff_reasons: "Waarom",
    staff_responses: "Antwoorden op vragenlijsten",
    staff_no_responses: "Nog geen antwoorden op vragenlijsten.",
    staff_open_invitations: "Open uitnodigingen",
    staff_action_label: "Wat wij daarop deden",
    staff_action_save: "Vastleggen",
    staff_action_saved: "Vastgelegd. De klant ziet het nu naast het antwoord.",
    staff_only: "Deze pagina is alleen voor medewerkers.",
    col_name: "Naam",
    col_email: "E-mail",
    phase_reason: |f| {
        match f {
        F::NoOrders => "Nog geen bestellingen.".into(),
        F::Orders { orders, categories, .. } => format!(
            "{orders} {} in {categories} {}.",
            if *orders == 1 { "bestelling" } else { "bestellingen" },
            if *categories == 1 { "categorie" } else { "categorieën" }
        ),
        F::LongTenure { days, since } => {
            format!("Al {days} dagen klant (sinds {}).", date("nl", since, None))
        }
        F::HighCommitment { index } => format!("De laatste betrokkenheidsindex is {index}."),
        F::FallingFrequency { recent, before, window } => format!(
            "{recent} {} in de laatste {window} dagen, tegen {before} in de {window} dagen daarvoor.",
            if *recent == 1 { "bestelling" } else { "bestellingen" }
        ),
        F::RecentComplaint { on, window } => format!(
            "Een klacht op {}, binnen de laatste {window} dagen.",
            date("nl", on, None)
        ),
        F::LowCommitment { index, threshold } => {
            format!("De laatste betrokkenheidsindex is {index}, onder {threshold}.")
        }
    }
    },
    deletions_title: "Verwijderverzoeken",
    deletions_intro: "Elk verzoek moet binnen een maand na ontvangst beantwoord zijn. Uitvoeren wist de persoonsgegevens van de klant definitief.",
    deletions_none: "Geen verwijderverzoeken.",
    col_customer: "Klant",
    col_status: "Status",
    col_received: "Ontvangen",
    col_due: "Antwoord uiterlijk",
    deletion_state: |s| match s {
        "received" => "Ontvangen",
        "confirmed" => "In behandeling",
        "completed" => "Uitgevoerd",
        "refused" => "Geweigerd",
        _ => "?",
    },
    overdue: "Te laat",
    erased_customer: "Gewiste klant",
    start_review: "Behandeling starten",
    carry_out: "Wissen uitvoeren",
    refuse: "Weigeren",
    refuse_reason: "Reden van weigering (de klant leest deze)",
    invite: "Link sturen om een wachtwoord in te stellen",
    invite_sent: "Verstuurd. De link werkt één keer, 7 dagen lang.",
    access_log_csv: "Toegangslog (CSV)",
};

pub const DE: StaffTexts = StaffTexts {
    staff_nav: "Mitarbeitende",
    staff_title: "Kundinnen und Kunden",
    staff_phase: "Phase der Beziehung",
    staff_reasons: "Warum",
    staff_responses: "Umfrageantworten",
    staff_no_responses: "Noch keine Umfrageantworten.",
    staff_open_invitations: "Offene Einladungen",
    staff_action_label: "Was wir daraufhin getan haben",
    staff_action_save: "Festhalten",
    staff_action_saved: "Festgehalten. Die Kundin oder der Kunde sieht es jetzt neben der Antwort.",
    staff_only: "Diese Seite ist nur für Mitarbeitende.",
    col_name: "Name",
    col_email: "E-Mail",
    phase_reason: |f| {
        match f {
        F::NoOrders => "Noch keine Bestellungen.".into(),
        F::Orders { orders, categories, .. } => format!(
            "{orders} {} in {categories} {}.",
            if *orders == 1 { "Bestellung" } else { "Bestellungen" },
            if *categories == 1 { "Kategorie" } else { "Kategorien" }
        ),
        F::LongTenure { days, since } => {
            format!("Seit {days} Tagen Kunde (seit dem {}).", date("de", since, None))
        }
        F::HighCommitment { index } => format!("Der letzte Bindungsindex ist {index}."),
        F::FallingFrequency { recent, before, window } => format!(
            "{recent} {} in den letzten {window} Tagen, gegenüber {before} in den {window} Tagen davor.",
            if *recent == 1 { "Bestellung" } else { "Bestellungen" }
        ),
        F::RecentComplaint { on, window } => format!(
            "Eine Beschwerde am {}, innerhalb der letzten {window} Tage.",
            date("de", on, None)
        ),
        F::LowCommitment { index, threshold } => {
            format!("Der letzte Bindungsindex ist {index}, unter {threshold}.")
        }
    }
    },
    deletions_title: "Löschanträge",
    deletions_intro: "Jeder Antrag muss innerhalb eines Monats nach Eingang beantwortet sein. Das Ausführen löscht die personenbezogenen Daten endgültig.",
    deletions_none: "Keine Löschanträge.",
    col_customer: "Kunde",
    col_status: "Status",
    col_received: "Eingegangen",
    col_due: "Antwort bis",
    deletion_state: |s| match s {
        "received" => "Eingegangen",
        "confirmed" => "In Prüfung",
        "completed" => "Erledigt",
        "refused" => "Abgelehnt",
        _ => "?",
    },
    overdue: "Überfällig",
    erased_customer: "Gelöschter Kunde",
    start_review: "Prüfung beginnen",
    carry_out: "Löschung ausführen",
    refuse: "Ablehnen",
    refuse_reason: "Begründung der Ablehnung (die Kundin oder der Kunde liest sie)",
    invite: "Link zum Festlegen eines Passworts senden",
    invite_sent: "Gesendet. Der Link gilt einmal, 7 Tage lang.",
    access_log_csv: "Zugriffsprotokoll (CSV)",
};
