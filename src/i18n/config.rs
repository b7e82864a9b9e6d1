//! Texts of the runtime configuration page and records a mapped backend could not read (en, nl, de).

use rapport_connect::config::AmountUnit;
use rapport_connect::config::ProblemKind as Pk;
use rapport_connect::config::ProblemKind;
use rapport_connect::mapping::Expected;
use rapport_connect::mapping::RecordKind;
use rapport_connect::mapping::Unread;

/// Every text of the runtime configuration page and records a mapped backend could not read in one language.
pub struct ConfigTexts {
    // Runtime configuration (rapport.config.json).
    pub config_error_title: &'static str,
    pub config_error_intro: &'static str,
    pub config_error_help: &'static str,
    pub config_problem: fn(&ProblemKind) -> String,
    // Records of a mapped backend that could not be read and were left out.
    pub unread_notice: fn(RecordKind, usize) -> String,
    pub unread_details: &'static str,
    pub unread_record: fn(&Unread) -> String,
}

pub const EN: ConfigTexts = ConfigTexts {
    config_error_title: "This portal is not set up correctly",
    config_error_intro: "The portal's configuration file (rapport.config.json) has problems, so the portal cannot start. Each problem is listed with where it is in the file:",
    config_error_help: "If you are a customer, please try again later. If you run this portal, fix these entries and reload the page.",
    config_problem: |p| match p {
        Pk::NotJson(why) => format!("the file is not valid JSON ({why})"),
        Pk::TooLarge => "the file is too large".into(),
        Pk::Unavailable(0) => "the file could not be loaded".into(),
        Pk::Unavailable(status) => format!("the file could not be loaded (HTTP {status})"),
        Pk::WrongType(what) => format!("has the wrong type; expected {what}"),
        Pk::Missing => "is required but missing".into(),
        Pk::UnknownKey => "is not a known setting".into(),
        Pk::UnknownPreset(name) => format!("there is no preset called \u{201c}{name}\u{201d}"),
        Pk::BadUrl => "is not a valid http or https address (no query, fragment or password allowed)".into(),
        Pk::BadPointer => "is not a JSON pointer (it must be empty or start with /)".into(),
        Pk::BadTemplate(why) => format!("is not a valid endpoint template: {why}"),
        Pk::MissingPlaceholder(name) => format!("the endpoint template must contain {{{name}}}"),
        Pk::MissingBodyPlaceholder(name) => format!("needs a value \u{201c}{{{name}}}\u{201d}, where the customer's entry goes"),
        Pk::EmptyValueMap => "the value map is empty".into(),
        Pk::UnknownValue(value) => format!("\u{201c}{value}\u{201d} is not a value the portal knows for this field"),
        Pk::UnknownDateFormat(name) => format!("\u{201c}{name}\u{201d} is not a supported date format"),
        Pk::UnknownOption(name) => format!("\u{201c}{name}\u{201d} is not one of the allowed options"),
        Pk::BadHeader => "this header may not be set by the configuration".into(),
        Pk::NotAllowed(why) => format!("is not allowed here ({why})"),
    },
    unread_notice: |kind, n| match (kind, n) {
        (RecordKind::Order, 1) => "1 order could not be read and is not shown.".into(),
        (RecordKind::Order, n) => format!("{n} orders could not be read and are not shown."),
        (RecordKind::Request, 1) => "1 request could not be read and is not shown.".into(),
        (RecordKind::Request, n) => format!("{n} requests could not be read and are not shown."),
        (RecordKind::Line, 1) => "1 order line could not be read and is not shown.".into(),
        (RecordKind::Line, n) => format!("{n} order lines could not be read and are not shown."),
        (RecordKind::Shipment, 1) => "1 shipment could not be read and is not shown.".into(),
        (RecordKind::Shipment, n) => format!("{n} shipments could not be read and are not shown."),
    },
    unread_details: "Which ones, and why",
    unread_record: |u| {
        let kind = match u.kind {
            RecordKind::Order => "Order",
            RecordKind::Request => "Request",
            RecordKind::Line => "Order line",
            RecordKind::Shipment => "Shipment",
        };
        let record = match &u.id {
            Some(id) => format!("{kind} \u{201c}{id}\u{201d}"),
            None => format!("{kind} number {} in the list", u.position + 1),
        };
        let found = match &u.value {
            Some(value) => format!("has \u{201c}{value}\u{201d}"),
            None => "has no usable value".into(),
        };
        format!("{record}: field {} (at {}) {found}; expected {}.", u.field, u.pointer, expected_en(&u.expected))
    },
};

pub const NL: ConfigTexts = ConfigTexts {
    config_error_title: "Dit portaal is niet goed ingesteld",
    config_error_intro: "Het configuratiebestand van het portaal (rapport.config.json) bevat fouten, daarom kan het portaal niet starten. Elke fout staat hieronder, met de plek in het bestand:",
    config_error_help: "Bent u klant, probeer het dan later opnieuw. Beheert u dit portaal, verbeter dan deze onderdelen en laad de pagina opnieuw.",
    config_problem: |p| match p {
        Pk::NotJson(why) => format!("het bestand is geen geldige JSON ({why})"),
        Pk::TooLarge => "het bestand is te groot".into(),
        Pk::Unavailable(0) => "het bestand kon niet worden geladen".into(),
        Pk::Unavailable(status) => format!("het bestand kon niet worden geladen (HTTP {status})"),
        Pk::WrongType(what) => format!("heeft het verkeerde type; verwacht: {what}"),
        Pk::Missing => "is verplicht maar ontbreekt".into(),
        Pk::UnknownKey => "is geen bekende instelling".into(),
        Pk::UnknownPreset(name) => format!("er bestaat geen voorinstelling \u{201c}{name}\u{201d}"),
        Pk::BadUrl => "is geen geldig http- of https-adres (zonder query, fragment of wachtwoord)".into(),
        Pk::BadPointer => "is geen JSON-pointer (leeg, of beginnend met /)".into(),
        Pk::BadTemplate(why) => format!("is geen geldig endpoint-sjabloon: {why}"),
        Pk::MissingPlaceholder(name) => format!("het endpoint-sjabloon moet {{{name}}} bevatten"),
        Pk::MissingBodyPlaceholder(name) => format!("heeft een waarde \u{201c}{{{name}}}\u{201d} nodig, waar de invoer van de klant komt"),
        Pk::EmptyValueMap => "de waardetabel is leeg".into(),
        Pk::UnknownValue(value) => format!("\u{201c}{value}\u{201d} is geen waarde die het portaal voor dit veld kent"),
        Pk::UnknownDateFormat(name) => format!("\u{201c}{name}\u{201d} is geen ondersteund datumformaat"),
        Pk::UnknownOption(name) => format!("\u{201c}{name}\u{201d} is geen toegestane keuze"),
        Pk::BadHeader => "deze header mag de configuratie niet instellen".into(),
        Pk::NotAllowed(why) => format!("is hier niet toegestaan ({why})"),
    },
    unread_notice: |kind, n| match (kind, n) {
        (RecordKind::Order, 1) => "1 bestelling kon niet worden gelezen en wordt niet getoond.".into(),
        (RecordKind::Order, n) => format!("{n} bestellingen konden niet worden gelezen en worden niet getoond."),
        (RecordKind::Request, 1) => "1 verzoek kon niet worden gelezen en wordt niet getoond.".into(),
        (RecordKind::Request, n) => format!("{n} verzoeken konden niet worden gelezen en worden niet getoond."),
        (RecordKind::Line, 1) => "1 bestelregel kon niet worden gelezen en wordt niet getoond.".into(),
        (RecordKind::Line, n) => format!("{n} bestelregels konden niet worden gelezen en worden niet getoond."),
        (RecordKind::Shipment, 1) => "1 zending kon niet worden gelezen en wordt niet getoond.".into(),
        (RecordKind::Shipment, n) => format!("{n} zendingen konden niet worden gelezen en worden niet getoond."),
    },
    unread_details: "Welke, en waarom",
    unread_record: |u| {
        let kind = match u.kind {
            RecordKind::Order => "Bestelling",
            RecordKind::Request => "Verzoek",
            RecordKind::Line => "Bestelregel",
            RecordKind::Shipment => "Zending",
        };
        let record = match &u.id {
            Some(id) => format!("{kind} \u{201c}{id}\u{201d}"),
            None => format!("{kind} nummer {} in de lijst", u.position + 1),
        };
        let found = match &u.value {
            Some(value) => format!("bevat \u{201c}{value}\u{201d}"),
            None => "heeft geen bruikbare waarde".into(),
        };
        format!("{record}: veld {} (op {}) {found}; verwacht: {}.", u.field, u.pointer, expected_nl(&u.expected))
    },
};

pub const DE: ConfigTexts = ConfigTexts {
    config_error_title: "Dieses Portal ist nicht richtig eingerichtet",
    config_error_intro: "Die Konfigurationsdatei des Portals (rapport.config.json) enthält Fehler, deshalb kann das Portal nicht starten. Jeder Fehler steht unten, mit der Stelle in der Datei:",
    config_error_help: "Wenn Sie Kundin oder Kunde sind, versuchen Sie es bitte später erneut. Wenn Sie dieses Portal betreiben, korrigieren Sie diese Einträge und laden Sie die Seite neu.",
    config_problem: |p| match p {
        Pk::NotJson(why) => format!("die Datei ist kein gültiges JSON ({why})"),
        Pk::TooLarge => "die Datei ist zu groß".into(),
        Pk::Unavailable(0) => "die Datei konnte nicht geladen werden".into(),
        Pk::Unavailable(status) => format!("die Datei konnte nicht geladen werden (HTTP {status})"),
        Pk::WrongType(what) => format!("hat den falschen Typ; erwartet: {what}"),
        Pk::Missing => "ist erforderlich, fehlt aber".into(),
        Pk::UnknownKey => "ist keine bekannte Einstellung".into(),
        Pk::UnknownPreset(name) => format!("es gibt keine Voreinstellung \u{201e}{name}\u{201c}"),
        Pk::BadUrl => "ist keine gültige http- oder https-Adresse (ohne Query, Fragment oder Passwort)".into(),
        Pk::BadPointer => "ist kein JSON-Pointer (leer, oder mit / beginnend)".into(),
        Pk::BadTemplate(why) => format!("ist keine gültige Endpunkt-Vorlage: {why}"),
        Pk::MissingPlaceholder(name) => format!("die Endpunkt-Vorlage muss {{{name}}} enthalten"),
        Pk::MissingBodyPlaceholder(name) => format!("braucht einen Wert \u{201e}{{{name}}}\u{201c}, an dessen Stelle die Eingabe des Kunden tritt"),
        Pk::EmptyValueMap => "die Wertetabelle ist leer".into(),
        Pk::UnknownValue(value) => format!("\u{201e}{value}\u{201c} ist kein Wert, den das Portal für dieses Feld kennt"),
        Pk::UnknownDateFormat(name) => format!("\u{201e}{name}\u{201c} ist kein unterstütztes Datumsformat"),
        Pk::UnknownOption(name) => format!("\u{201e}{name}\u{201c} ist keine erlaubte Option"),
        Pk::BadHeader => "diesen Header darf die Konfiguration nicht setzen".into(),
        Pk::NotAllowed(why) => format!("ist hier nicht erlaubt ({why})"),
    },
    unread_notice: |kind, n| match (kind, n) {
        (RecordKind::Order, 1) => "1 Bestellung konnte nicht gelesen werden und wird nicht angezeigt.".into(),
        (RecordKind::Order, n) => format!("{n} Bestellungen konnten nicht gelesen werden und werden nicht angezeigt."),
        (RecordKind::Request, 1) => "1 Anfrage konnte nicht gelesen werden und wird nicht angezeigt.".into(),
        (RecordKind::Request, n) => format!("{n} Anfragen konnten nicht gelesen werden und werden nicht angezeigt."),
        (RecordKind::Line, 1) => "1 Bestellposition konnte nicht gelesen werden und wird nicht angezeigt.".into(),
        (RecordKind::Line, n) => format!("{n} Bestellpositionen konnten nicht gelesen werden und werden nicht angezeigt."),
        (RecordKind::Shipment, 1) => "1 Sendung konnte nicht gelesen werden und wird nicht angezeigt.".into(),
        (RecordKind::Shipment, n) => format!("{n} Sendungen konnten nicht gelesen werden und werden nicht angezeigt."),
    },
    unread_details: "Welche, und warum",
    unread_record: |u| {
        let kind = match u.kind {
            RecordKind::Order => "Bestellung",
            RecordKind::Request => "Anfrage",
            RecordKind::Line => "Bestellposition",
            RecordKind::Shipment => "Sendung",
        };
        let record = match &u.id {
            Some(id) => format!("{kind} \u{201e}{id}\u{201c}"),
            None => format!("{kind} Nummer {} in der Liste", u.position + 1),
        };
        let found = match &u.value {
            Some(value) => format!("enth\u{e4}lt \u{201e}{value}\u{201c}"),
            None => "hat keinen verwendbaren Wert".into(),
        };
        format!("{record}: Feld {} (bei {}) {found}; erwartet: {}.", u.field, u.pointer, expected_de(&u.expected))
    },
};

fn unit_name(unit: AmountUnit, major: &'static str, minor: &'static str) -> &'static str {
    match unit {
        AmountUnit::Major => major,
        AmountUnit::Minor => minor,
    }
}

fn expected_en(e: &Expected) -> String {
    match e {
        Expected::Present => "a value".into(),
        Expected::Scalar => "a single value, not a list or object".into(),
        Expected::OneOf(keys) => format!("one of {}", keys.join(", ")),
        Expected::Date(format) => format!("a date as {}", format.name()),
        Expected::Amount {
            unit,
            decimals,
            currency,
        } => format!(
            "an amount in {} with at most {decimals} decimals ({currency})",
            unit_name(*unit, "whole currency units", "cents")
        ),
        Expected::WholeNumber => "a whole number".into(),
        Expected::OrderStatus => "an order status".into(),
        Expected::RequestKind => "a kind of request".into(),
        Expected::Array => "a list".into(),
        Expected::Object => "an object".into(),
        Expected::Included => "the type and id of a resource in included".into(),
    }
}

fn expected_nl(e: &Expected) -> String {
    match e {
        Expected::Present => "een waarde".into(),
        Expected::Scalar => "één waarde, geen lijst of object".into(),
        Expected::OneOf(keys) => format!("een van {}", keys.join(", ")),
        Expected::Date(format) => format!("een datum als {}", format.name()),
        Expected::Amount {
            unit,
            decimals,
            currency,
        } => format!(
            "een bedrag in {} met hoogstens {decimals} decimalen ({currency})",
            unit_name(*unit, "hele munteenheden", "centen")
        ),
        Expected::WholeNumber => "een geheel getal".into(),
        Expected::OrderStatus => "een bestelstatus".into(),
        Expected::RequestKind => "een soort verzoek".into(),
        Expected::Array => "een lijst".into(),
        Expected::Object => "een object".into(),
        Expected::Included => "type en id van een bron in included".into(),
    }
}

fn expected_de(e: &Expected) -> String {
    match e {
        Expected::Present => "ein Wert".into(),
        Expected::Scalar => "ein einzelner Wert, keine Liste und kein Objekt".into(),
        Expected::OneOf(keys) => format!("einer von {}", keys.join(", ")),
        Expected::Date(format) => format!("ein Datum im Format {}", format.name()),
        Expected::Amount {
            unit,
            decimals,
            currency,
        } => format!(
            "ein Betrag in {} mit höchstens {decimals} Nachkommastellen ({currency})",
            unit_name(*unit, "ganzen Währungseinheiten", "Cent")
        ),
        Expected::WholeNumber => "eine ganze Zahl".into(),
        Expected::OrderStatus => "ein Bestellstatus".into(),
        Expected::RequestKind => "eine Art von Anfrage".into(),
        Expected::Array => "eine Liste".into(),
        Expected::Object => "ein Objekt".into(),
        Expected::Included => "Typ und ID einer Ressource in included".into(),
    }
}
