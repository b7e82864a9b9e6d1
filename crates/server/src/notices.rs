//! The privacy notices compiled into the server, stored at start-up so that consent records can point
//! at a notice's text and hash.

use crate::ids::sha256_hex;

/// The current notice version, and the languages it exists in (the first is the fallback).
pub const NOTICE_VERSION: &str = "v1";
pub const NOTICE_LANGS: [&str; 3] = ["en", "nl", "de"];
const NOTICE_PUBLISHED_AT: &str = "2025-01-01T00:00:00Z";

/// Notice v1. Never edit a published text: consent records point at its hash. Write a new version.
pub fn notice_v1(lang: &str) -> &'static str {
    match lang {
        "nl" => "Rapport demo shop: zo houden wij contact met u (versie 1).\n\
Berichten over uw eigen bestellingen, zoals bevestigingen en bezorgupdates, sturen wij altijd; die zijn \
nodig om uw bestelling af te handelen. Al het andere (nieuwsbrieven, aanbiedingen, aanbiedingen van \
partners en enquêtes) sturen wij alleen als u daarom vraagt.\n\
U kiest zelf het kanaal (e-mail, sms, telefoon, post of pushbericht), het onderwerp en het moment: hoe \
vaak, op welke dagen en buiten welke uren.\n\
U kunt elke keuze op elk moment intrekken, net zo makkelijk als u die gaf.\n\
Stuurt uw browser het Global Privacy Control-signaal, dan geldt dat als bezwaar tegen verkoop of delen \
van uw gegevens: aanbiedingen van partners gaan uit en wij verkopen of delen niets.\n\
Van elke wijziging bewaren wij een bewijs dat u ook zelf kunt downloaden.",
        "de" => "Rapport demo shop: so bleiben wir mit Ihnen in Kontakt (Version 1).\n\
Nachrichten zu Ihren eigenen Bestellungen, etwa Bestätigungen und Lieferhinweise, senden wir immer; sie \
gehören zur Abwicklung Ihrer Bestellung. Alles andere (Newsletter, Angebote, Angebote von Partnern und \
Umfragen) senden wir nur, wenn Sie es wünschen.\n\
Sie wählen den Kanal (E-Mail, SMS, Telefon, Post oder Push-Nachricht), das Thema und den Zeitpunkt: wie \
oft, an welchen Tagen und außerhalb welcher Uhrzeiten.\n\
Sie können jede Entscheidung jederzeit widerrufen, so einfach, wie Sie sie getroffen haben.\n\
Sendet Ihr Browser das Signal Global Privacy Control, gilt das als Widerspruch gegen Verkauf oder \
Weitergabe Ihrer Daten: Angebote von Partnern sind aus, und wir verkaufen oder teilen nichts.\n\
Von jeder Änderung bewahren wir einen Nachweis auf, den Sie auch selbst herunterladen können.",
        _ => "Rapport demo shop: how we keep in touch (version 1).\n\
Messages about your own orders, such as confirmations and delivery updates, always reach you; we need \
them to handle your order. Everything else (newsletters, offers, offers from our partners and surveys) \
we send only if you ask for it.\n\
You choose the channel (e-mail, SMS, phone, post or push message), the topic and the timing: how often, \
on which days and outside which hours.\n\
You can withdraw any choice at any time, as easily as you gave it.\n\
If your browser sends the Global Privacy Control signal, we treat it as an objection to the sale or \
sharing of your data: partner offers are switched off and we sell or share nothing.\n\
We keep proof of every change, which you can download as well.",
    }
}

/// Stores the compiled-in notices (idempotent; an existing version is never touched).
pub async fn ensure_notices(db: &sqlx::AnyPool) -> Result<(), sqlx::Error> {
    for lang in NOTICE_LANGS {
        let text = notice_v1(lang);
        sqlx::query(
            "INSERT INTO notices (version, lang, text, sha256, published_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(NOTICE_VERSION)
        .bind(lang)
        .bind(text)
        .bind(sha256_hex(text))
        .bind(NOTICE_PUBLISHED_AT)
        .execute(db)
        .await?;
    }
    Ok(())
}
