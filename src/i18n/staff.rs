//! Texts of the staff pages (en, nl, de).

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
};
