//! Translations (en, nl, de).
//!
//! Every language is one value of [`Texts`]: a text missing in one language is a compile error, not a
//! blank on screen. Texts that need numbers are functions. Each feature has its texts in its own
//! module below (`t.preferences.prefs_title`, `t.history.history_title`); this file keeps the words
//! every page shares: the frame, sign-in, errors and form buttons.

use crate::components::lazy_page::ChunkUnavailable;
use leptos::prelude::*;

pub mod account;
pub mod analyst;
pub mod config;
pub mod history;
pub mod labels;
pub mod orders;
pub mod overview;
pub mod preferences;
pub mod profile;
pub mod requests;
pub mod staff;
pub mod surveys;
pub use account::AccountTexts;
pub use analyst::AnalystTexts;

/// The language shared with the survey kit.
pub use rapport_intl::Lang;

/// Every text in one language. English is always there; in the split release build the other
/// languages arrive with [`load`] (issue 16: only the active language's texts in the first download),
/// and English stands in until they have.
pub fn texts(lang: Lang) -> &'static Texts {
    lazy::get(lang).unwrap_or(&EN)
}

/// Makes `lang`'s texts available; in the split build they download once, on first use.
pub async fn load(lang: Lang) -> Result<(), ChunkUnavailable> {
    lazy::load(lang).await
}

/// Whether `lang`'s texts are there (English always; the others once [`load`] brought them).
pub fn available(lang: Lang) -> bool {
    lazy::get(lang).is_some()
}

#[cfg(not(feature = "split"))]
mod lazy {
    use super::{Lang, Texts, DE, EN, NL};
    use crate::components::lazy_page::ChunkUnavailable;

    pub fn get(lang: Lang) -> Option<&'static Texts> {
        Some(match lang {
            Lang::En => &EN,
            Lang::Nl => &NL,
            Lang::De => &DE,
        })
    }

    pub async fn load(_: Lang) -> Result<(), ChunkUnavailable> {
        Ok(())
    }
}

/// Dutch and German each in a chunk of their own, referred to nowhere else, so that the first
/// download holds English only.
#[cfg(feature = "split")]
mod lazy {
    use super::{Lang, Texts, EN};
    use crate::components::lazy_page::ChunkUnavailable;
    use std::sync::OnceLock;

    static DUTCH: OnceLock<&'static Texts> = OnceLock::new();
    static GERMAN: OnceLock<&'static Texts> = OnceLock::new();

    pub fn get(lang: Lang) -> Option<&'static Texts> {
        match lang {
            Lang::En => Some(&EN),
            Lang::Nl => DUTCH.get().copied(),
            Lang::De => GERMAN.get().copied(),
        }
    }

    #[leptos::wasm_split::wasm_split(lang_nl, wasm_split_path = ::leptos::wasm_split, fallible)]
    fn dutch() -> Result<&'static Texts, ChunkUnavailable> {
        Ok(&super::NL)
    }

    #[leptos::wasm_split::wasm_split(lang_de, wasm_split_path = ::leptos::wasm_split, fallible)]
    fn german() -> Result<&'static Texts, ChunkUnavailable> {
        Ok(&super::DE)
    }

    pub async fn load(lang: Lang) -> Result<(), ChunkUnavailable> {
        match lang {
            Lang::En => {}
            Lang::Nl => {
                let texts = dutch().await?;
                DUTCH.get_or_init(|| texts);
            }
            Lang::De => {
                let texts = german().await?;
                GERMAN.get_or_init(|| texts);
            }
        }
        Ok(())
    }
}

/// Every text of the portal in one language.
pub struct Texts {
    /// The analyst view's texts.
    pub analyst: Feature<AnalystTexts>,
    /// Sessions, password change and the consent chain.
    pub account: Feature<AccountTexts>,
    /// Words for the backend's codes and for consent changes.
    pub labels: Feature<labels::LabelTexts>,
    pub app_name: &'static str,
    pub skip_to_content: &'static str,
    pub language: &'static str,
    pub main_navigation: &'static str,
    /// The button that opens the navigation on narrow screens.
    pub menu: &'static str,
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
    pub error_blocked: fn(&str) -> String,
    pub error_network_at: fn(&str) -> String,
    pub nav_history: &'static str,
    pub nav_requests: &'static str,
    pub nav_profile: &'static str,
    pub offline_banner: &'static str,
    pub reauth_title: &'static str,
    pub reauth_body: &'static str,
    pub reauth_sign_out: &'static str,
    pub firm_name: &'static str,
    pub save: &'static str,
    pub saving: &'static str,
    pub saved: &'static str,
    pub reload: &'static str,
    /// A part of the portal's code did not download (offline, or a new version replaced it).
    pub chunk_failed_title: &'static str,
    pub chunk_failed: &'static str,
    pub field_problem: fn(&str) -> &'static str,
    pub form_has_problems: &'static str,
    pub nav_preferences: &'static str,
    /// The overview page.
    pub overview: Feature<overview::OverviewTexts>,
    /// Survey invitations, the survey page and answers.
    pub surveys: Feature<surveys::SurveyTexts>,
    /// The staff pages.
    pub staff: Feature<staff::StaffTexts>,
    /// The history page.
    pub history: Feature<history::HistoryTexts>,
    /// An order and its invoice.
    pub orders: Feature<orders::OrderTexts>,
    /// Service requests.
    pub requests: Feature<requests::RequestTexts>,
    /// The customer's own details.
    pub profile: Feature<profile::ProfileTexts>,
    /// The preference centre.
    pub preferences: Feature<preferences::PreferenceTexts>,
    /// The configuration page and unread records of a mapped backend.
    pub config: Feature<config::ConfigTexts>,
}

use rapport_api::OrderStatus as S;

pub const EN: Texts = Texts {
    analyst: Feature::english(),
    account: Feature::english(),
    labels: Feature::english(),
    app_name: "Rapport",
    skip_to_content: "Skip to content",
    language: "Language",
    main_navigation: "Main",
    menu: "Menu",
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
    error_blocked: |uri| format!("Your browser blocked the call to {uri}: this page's security policy (Content-Security-Policy, connect-src) does not allow that address. Whoever runs this portal needs to allow it; trying again will not help."),
    error_network_at: |base| format!("We cannot reach the server at {base}. Check your connection and try again. If it keeps happening, the server may be down or may not accept calls from this page (CORS)."),
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
    firm_name: "Rapport",
    save: "Save",
    saving: "Saving…",
    saved: "Your details have been saved.",
    reload: "Reload",
    chunk_failed_title: "This part could not be loaded",
    chunk_failed: "This part of the portal did not download, perhaps because the connection dropped or a new version was just put online. Check your connection and try again.",
    field_problem: |p| match p {
        "required" => "Please fill this in.",
        "too_long" => "This is too long.",
        "invalid_format" => "This does not look right; check the format.",
        "not_found" => "This could not be found.",
        "not_allowed" => "This is not possible here.",
        _ => "Please check this.",
    },
    form_has_problems: "Some fields need your attention.",
    nav_preferences: "Preferences",
    overview: Feature::english(),
    surveys: Feature::english(),
    staff: Feature::english(),
    history: Feature::english(),
    orders: Feature::english(),
    requests: Feature::english(),
    profile: Feature::english(),
    preferences: Feature::english(),
    config: Feature::english(),
};

pub const NL: Texts = Texts {
    analyst: Feature::of(&analyst::NL),
    account: Feature::of(&account::NL),
    labels: Feature::of(&labels::NL),
    app_name: "Rapport",
    skip_to_content: "Naar de inhoud",
    language: "Taal",
    main_navigation: "Hoofdmenu",
    menu: "Menu",
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
    error_blocked: |uri| format!("Uw browser heeft de oproep naar {uri} tegengehouden: het beveiligingsbeleid van deze pagina (Content-Security-Policy, connect-src) staat dat adres niet toe. De beheerder van dit portaal moet het toestaan; opnieuw proberen helpt niet."),
    error_network_at: |base| format!("We kunnen de server op {base} niet bereiken. Controleer uw verbinding en probeer het opnieuw. Blijft dit gebeuren, dan is de server misschien onbereikbaar of accepteert hij geen oproepen van deze pagina (CORS)."),
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
    firm_name: "Rapport",
    save: "Opslaan",
    saving: "Bezig met opslaan…",
    saved: "Uw gegevens zijn opgeslagen.",
    reload: "Opnieuw laden",
    chunk_failed_title: "Dit onderdeel kon niet worden geladen",
    chunk_failed: "Dit deel van het portaal is niet binnengekomen, misschien omdat de verbinding wegviel of er net een nieuwe versie online is gezet. Controleer uw verbinding en probeer het opnieuw.",
    field_problem: |p| match p {
        "required" => "Vul dit in.",
        "too_long" => "Dit is te lang.",
        "invalid_format" => "Dit klopt niet; controleer de schrijfwijze.",
        "not_found" => "Dit is niet gevonden.",
        "not_allowed" => "Dit is hier niet mogelijk.",
        _ => "Controleer dit.",
    },
    form_has_problems: "Sommige velden hebben uw aandacht nodig.",
    nav_preferences: "Voorkeuren",
    overview: Feature::of(&overview::NL),
    surveys: Feature::of(&surveys::NL),
    staff: Feature::of(&staff::NL),
    history: Feature::of(&history::NL),
    orders: Feature::of(&orders::NL),
    requests: Feature::of(&requests::NL),
    profile: Feature::of(&profile::NL),
    preferences: Feature::of(&preferences::NL),
    config: Feature::of(&config::NL),
};

pub const DE: Texts = Texts {
    analyst: Feature::of(&analyst::DE),
    account: Feature::of(&account::DE),
    labels: Feature::of(&labels::DE),
    app_name: "Rapport",
    skip_to_content: "Zum Inhalt springen",
    language: "Sprache",
    main_navigation: "Hauptmenü",
    menu: "Menü",
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
    error_blocked: |uri| format!("Ihr Browser hat den Aufruf von {uri} blockiert: Die Sicherheitsrichtlinie dieser Seite (Content-Security-Policy, connect-src) erlaubt diese Adresse nicht. Wer dieses Portal betreibt, muss sie zulassen; ein neuer Versuch hilft nicht."),
    error_network_at: |base| format!("Wir erreichen den Server unter {base} nicht. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut. Wenn das anhält, ist der Server vielleicht nicht erreichbar oder nimmt keine Aufrufe von dieser Seite an (CORS)."),
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
    firm_name: "Rapport",
    save: "Speichern",
    saving: "Wird gespeichert…",
    saved: "Ihre Daten wurden gespeichert.",
    reload: "Neu laden",
    chunk_failed_title: "Dieser Teil konnte nicht geladen werden",
    chunk_failed: "Dieser Teil des Portals kam nicht an, vielleicht weil die Verbindung abbrach oder gerade eine neue Version online gestellt wurde. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.",
    field_problem: |p| match p {
        "required" => "Bitte ausfüllen.",
        "too_long" => "Das ist zu lang.",
        "invalid_format" => "Das sieht nicht richtig aus; prüfen Sie das Format.",
        "not_found" => "Das wurde nicht gefunden.",
        "not_allowed" => "Das ist hier nicht möglich.",
        _ => "Bitte prüfen.",
    },
    form_has_problems: "Einige Felder brauchen Ihre Aufmerksamkeit.",
    nav_preferences: "Einstellungen",
    overview: Feature::of(&overview::DE),
    surveys: Feature::of(&surveys::DE),
    staff: Feature::of(&staff::DE),
    history: Feature::of(&history::DE),
    orders: Feature::of(&orders::DE),
    requests: Feature::of(&requests::DE),
    profile: Feature::of(&profile::DE),
    preferences: Feature::of(&preferences::DE),
    config: Feature::of(&config::DE),
};

/// One feature's texts within [`Texts`]. Dutch and German hold theirs (each language's pack brings
/// them all); English's are looked up only when read ([`English`]), so that in the split build each
/// feature's English texts travel with the pages that read them instead of in the first download.
pub struct Feature<T: 'static>(Option<&'static T>);

impl<T> Clone for Feature<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Feature<T> {}

impl<T> Feature<T> {
    /// A language's own texts for the feature.
    pub const fn of(texts: &'static T) -> Self {
        Feature(Some(texts))
    }

    /// English: found when read.
    pub const fn english() -> Self {
        Feature(None)
    }
}

/// Where a feature's English texts are.
pub trait English: 'static {
    fn english() -> &'static Self;
}

impl<T: English> std::ops::Deref for Feature<T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.0.unwrap_or_else(T::english)
    }
}

macro_rules! english {
    ($($module:ident::$ty:ident),* $(,)?) => {
        $(impl English for $module::$ty {
            fn english() -> &'static Self {
                &$module::EN
            }
        })*
    };
}

english!(
    analyst::AnalystTexts,
    account::AccountTexts,
    labels::LabelTexts,
    overview::OverviewTexts,
    surveys::SurveyTexts,
    staff::StaffTexts,
    history::HistoryTexts,
    orders::OrderTexts,
    requests::RequestTexts,
    profile::ProfileTexts,
    preferences::PreferenceTexts,
    config::ConfigTexts,
);

/// The current language, shared through the component tree.
#[derive(Clone, Copy)]
pub struct I18n(pub RwSignal<Lang>);

impl I18n {
    pub fn lang(&self) -> Lang {
        self.0.get()
    }

    pub fn t(&self) -> &'static Texts {
        texts(self.0.get())
    }

    /// One text of the current language as a signal. Every translated text node then has the same
    /// concrete type, so its rendering code is generated once instead of once per closure, which keeps
    /// the Wasm bundle small.
    pub fn text(self, pick: fn(&Texts) -> &'static str) -> Signal<&'static str> {
        let lang = self.0;
        Signal::derive(move || pick(texts(lang.get())))
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
            let t = texts(lang);
            assert!(!t.sign_in_title.is_empty());
            assert!((t.overview.order_count)(240).contains("240"));
            assert!((t.overview.welcome)("Ann").contains("Ann"));
        }
        // Only English looks its feature texts up; a language without its own would show English.
        for t in [&NL, &DE] {
            let own = [
                t.analyst.0.is_some(),
                t.account.0.is_some(),
                t.labels.0.is_some(),
                t.overview.0.is_some(),
                t.surveys.0.is_some(),
                t.staff.0.is_some(),
                t.history.0.is_some(),
                t.orders.0.is_some(),
                t.requests.0.is_some(),
                t.profile.0.is_some(),
                t.preferences.0.is_some(),
                t.config.0.is_some(),
            ];
            assert!(own.iter().all(|&own| own));
        }
        assert_eq!(EN.history.history_title, history::EN.history_title);
        assert_ne!(EN.sign_in_title, NL.sign_in_title);
        assert_ne!(NL.sign_in_title, DE.sign_in_title);
        assert_eq!(
            (EN.sign_in_throttled)(Some(61)),
            "Too many attempts. Please try again in 2 minutes."
        );
    }
}
