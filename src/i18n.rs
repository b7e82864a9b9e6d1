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
}

use rapport_api::OrderStatus as S;

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
