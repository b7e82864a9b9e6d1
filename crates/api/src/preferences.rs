//! The preference centre's contract: permissions per channel × topic, frequency, quiet hours, pause,
//! Global Privacy Control, proof of consent, receipts and data rights.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How the firm may reach the customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Sms,
    Phone,
    Post,
    Push,
}

impl Channel {
    pub const ALL: [Channel; 5] = [
        Channel::Email,
        Channel::Sms,
        Channel::Phone,
        Channel::Post,
        Channel::Push,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Phone => "phone",
            Channel::Post => "post",
            Channel::Push => "push",
        }
    }
}

/// What a message is about. `Service` (messages about the customer's own orders) is not marketing and
/// is always allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    Service,
    Newsletter,
    Offers,
    PartnerOffers,
    Surveys,
}

impl Topic {
    pub const ALL: [Topic; 5] = [
        Topic::Service,
        Topic::Newsletter,
        Topic::Offers,
        Topic::PartnerOffers,
        Topic::Surveys,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Topic::Service => "service",
            Topic::Newsletter => "newsletter",
            Topic::Offers => "offers",
            Topic::PartnerOffers => "partner_offers",
            Topic::Surveys => "surveys",
        }
    }

    /// Marketing topics can be switched off; service messages cannot.
    pub fn is_marketing(self) -> bool {
        self != Topic::Service
    }
}

/// One cell of the channel × topic matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permission {
    pub channel: Channel,
    pub topic: Topic,
    pub allowed: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CapPeriod {
    Week,
    Month,
}

/// At most `max` messages of a topic per period (all channels together).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrequencyCap {
    pub topic: Topic,
    /// 1–50.
    pub max: u32,
    pub per: CapPeriod,
}

/// No messages between `start` and `end` (`HH:MM`, 24 h, in the customer's time zone; may wrap midnight).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHours {
    pub start: String,
    pub end: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];
}

/// A marketing address (e-mail or phone number) and whether its owner confirmed it (double opt-in).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactPoint {
    pub id: i64,
    /// `email` or `sms`/`phone` (a phone number serves both).
    pub channel: Channel,
    pub address: String,
    /// `pending` until the link sent to the address is opened, then `confirmed`.
    pub status: String,
}

/// `GET /api/v1/preferences` (with an `ETag`) and the `preferences` of a save.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preferences {
    /// Every channel × topic cell, 25 in all. Service cells are always `allowed: true`.
    pub permissions: Vec<Permission>,
    /// Caps for the topics that have one.
    pub caps: Vec<FrequencyCap>,
    pub quiet_hours: Option<QuietHours>,
    /// Days on which marketing may arrive; empty = any day.
    pub preferred_days: Vec<Weekday>,
    /// IANA time zone, e.g. `Europe/Amsterdam`.
    pub time_zone: String,
    /// No marketing at all until this date (`YYYY-MM-DD`, inclusive).
    pub paused_until: Option<String>,
    /// Opted out of any sale or sharing of personal data (always true under Global Privacy Control).
    pub no_sale_or_sharing: bool,
    /// Read-only in a save: managed through `/contact-points`.
    #[serde(default)]
    pub contact_points: Vec<ContactPoint>,
}

/// What the customer was shown and used when making a change: the proof part of a consent record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentContext {
    /// Version of the privacy notice shown on the page, and the SHA-256 (hex) of its exact text.
    pub notice_version: String,
    pub notice_sha256: String,
    /// Which control made the change, e.g. `matrix`, `quiet_hours`, `pause`, `unsubscribe_all`, `undo`,
    /// `gpc_signal`.
    pub control: String,
    /// The page's path, e.g. `/preferences`.
    pub page: String,
    /// `navigator.globalPrivacyControl` as the page saw it (the server also honours `Sec-GPC: 1`).
    pub gpc: bool,
}

/// `PUT /api/v1/preferences` with `If-Match`: the whole new state plus how it was given. The server
/// stores it and one consent record of what changed, in one transaction, or nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreferencesUpdate {
    pub preferences: Preferences,
    pub context: ConsentContext,
}

/// `GET /api/v1/notice?lang=en`: the privacy notice the preference page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub version: String,
    pub lang: String,
    pub text: String,
    /// SHA-256 (lower-case hex) of `text` as UTF-8.
    pub sha256: String,
}

/// One changed field: a JSON path-like name (`permissions.email.newsletter`, `quiet_hours`,
/// `paused_until`, `caps.offers`, `no_sale_or_sharing`) with its value before and after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub field: String,
    pub old: Value,
    pub new: Value,
}

/// One append-only proof-of-consent record: who, when, what was shown, how, and what changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentRecord {
    pub id: i64,
    pub customer_id: i64,
    pub at: String,
    pub notice_version: String,
    pub notice_sha256: String,
    pub control: String,
    pub page: String,
    pub gpc: bool,
    /// `customer` (they clicked), or `gpc` (the browser's Global Privacy Control signal decided).
    pub source: String,
    pub changes: Vec<Change>,
    /// The `sha256` of the same customer's previous record ([`CHAIN_GENESIS`] for their first), so that
    /// a rewritten or removed record breaks the next one's link. Absent on records written before the
    /// chain existed; it is part of the hashed text whenever present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev_sha256: Option<String>,
    /// SHA-256 (hex) of the record's canonical JSON without this field: keys sorted, no whitespace.
    pub sha256: String,
}

/// The `prev_sha256` of a customer's first chained record: 64 zeros.
pub const CHAIN_GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// `GET /api/v1/staff/customers/{id}/consent-chain` (and `rapport verify-consent`): the check of one
/// customer's whole consent chain, oldest record first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentChainReport {
    pub customer_id: i64,
    /// Records checked.
    pub records: usize,
    /// Records from before the chain existed (no `prev_sha256`); they lead the chain.
    pub unchained: usize,
    /// The newest record's `sha256`, when there is one: a value to keep elsewhere as an anchor.
    pub head_sha256: Option<String>,
    /// Whether every record matches its hash and every link its predecessor.
    pub intact: bool,
    /// The first problem found, oldest first; `None` when intact.
    pub first_broken: Option<BrokenLink>,
}

/// Where a consent chain breaks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrokenLink {
    /// The record at which the check fails.
    pub record_id: i64,
    /// The record before it in the chain, if any.
    pub previous_id: Option<i64>,
    /// `fields_differ` (the stored fields no longer give the stored canonical text), `hash_mismatch` (the
    /// canonical text no longer gives the stored hash), `link_mismatch` (its `prev_sha256` is not the
    /// previous record's hash: that record was rewritten, or one between them removed), `link_missing`
    /// (no `prev_sha256` after the chain had begun).
    pub problem: String,
    /// The same in a sentence, for people.
    pub message: String,
}

/// `GET /api/v1/consent-records/{id}/receipt`: a record with the exact canonical text that was hashed,
/// so anyone can recompute `sha256(canonical)` and compare.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentReceipt {
    pub record: ConsentRecord,
    pub canonical: String,
    pub sha256: String,
    /// Who issued the receipt (the firm's name) and when.
    pub issued_by: String,
    pub issued_at: String,
}

/// `POST /api/v1/contact-points`: add a marketing address; it stays `pending` until confirmed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewContactPoint {
    pub channel: Channel,
    pub address: String,
}

/// A request to erase the customer's data, and where it stands: `received`, `confirmed` (the firm is
/// reviewing it), then `completed` or `refused` (with the firm's reason).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletionRequest {
    pub id: i64,
    pub status: String,
    pub created_at: String,
    pub updated_at: String,
    /// Why the firm refused, shown to the customer; only on a `refused` request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `POST /api/v1/deletion-request`: `confirm` must be the literal text `DELETE` (the confirmation step).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDeletionRequest {
    pub confirm: String,
}
