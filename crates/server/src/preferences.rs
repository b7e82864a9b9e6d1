//! `GET`/`PUT /preferences`: the channel × topic matrix, frequency caps, quiet hours, preferred days,
//! time zone, pause and the opt-out of sale or sharing, versioned with a strong `ETag` like the profile.
//!
//! A save stores the new state and exactly one consent record of what changed, in one transaction, or
//! nothing at all (invalid field, stale `If-Match`, or no change).
//!
//! Global Privacy Control: when the request carries `Sec-GPC: 1` or `context.gpc` is true, every
//! `partner_offers` cell is forced off and `no_sale_or_sharing` on, whatever was sent. The record then has
//! `gpc: true`, and `source: "gpc"` when the signal decided part of what changed: a recorded change whose
//! new value differs from what the request asked for, or a save made by the page's `gpc_signal` control.
//! Otherwise `source` is `customer`.

use crate::clock::now_rfc3339;
use crate::consent::{self, NewRecord};
use crate::db::Conn;
use crate::error::ApiJson;
use crate::etag::{etag, if_match_matches, require_if_match, stale, with_etag};
use crate::extractor::Customer;
use crate::{AppError, AppState};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use rapport_api::{
    CapPeriod, Change, Channel, ContactPoint, FieldError, FrequencyCap, Permission, Preferences,
    PreferencesUpdate, QuietHours, Topic, Weekday,
};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use time::macros::format_description;
use time::{Date, OffsetDateTime};

pub const DEFAULT_TIME_ZONE: &str = "Europe/Amsterdam";
pub const MAX_TIME_ZONE_CHARS: usize = 64;
pub const MAX_CAP: u32 = 50;
pub const MAX_CONTROL_CHARS: usize = 40;
pub const MAX_PAGE_CHARS: usize = 200;
/// The control with which the page applies a Global Privacy Control signal on its own.
pub const GPC_CONTROL: &str = "gpc_signal";

/// The state of a customer who never chose anything: only service messages, no caps, no quiet hours.
pub fn defaults() -> Preferences {
    Preferences {
        permissions: Channel::ALL
            .into_iter()
            .flat_map(|channel| {
                Topic::ALL.into_iter().map(move |topic| Permission {
                    channel,
                    topic,
                    allowed: !topic.is_marketing(),
                })
            })
            .collect(),
        caps: Vec::new(),
        quiet_hours: None,
        preferred_days: Vec::new(),
        time_zone: DEFAULT_TIME_ZONE.to_owned(),
        paused_until: None,
        no_sale_or_sharing: false,
        contact_points: Vec::new(),
    }
}

/// The wire name of an enum value (`"partner_offers"`).
fn name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(name)) => name,
        _ => String::new(),
    }
}

/// An enum value from its wire name; `None` for anything else.
fn parse<T: DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(Value::String(text.to_owned())).ok()
}

fn corrupt(what: &str, customer_id: i64) -> AppError {
    tracing::error!("customer {customer_id}: unreadable {what} in the database");
    AppError::internal()
}

type StateRow = (
    Option<String>,
    Option<String>,
    String,
    String,
    Option<String>,
    // 0/1: flags are integers in both databases.
    i64,
    i64,
);

/// The stored state (without contact points) and its version; version 0 = never saved (defaults).
pub async fn load_state(conn: &mut Conn, customer_id: i64) -> Result<(Preferences, i64), AppError> {
    let mut prefs = defaults();
    let row: Option<StateRow> = sqlx::query_as(
        "SELECT quiet_start, quiet_end, preferred_days, time_zone, paused_until, no_sale_or_sharing,
                version
         FROM preferences WHERE customer_id = $1",
    )
    .bind(customer_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((quiet_start, quiet_end, days, time_zone, paused_until, no_sale, version)) = row
    else {
        return Ok((prefs, 0));
    };
    prefs.quiet_hours = match (quiet_start, quiet_end) {
        (Some(start), Some(end)) => Some(QuietHours { start, end }),
        _ => None,
    };
    prefs.preferred_days =
        serde_json::from_str(&days).map_err(|_| corrupt("preferred days", customer_id))?;
    prefs.time_zone = time_zone;
    prefs.paused_until = paused_until;
    prefs.no_sale_or_sharing = no_sale != 0;

    let cells: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT channel, topic, allowed FROM permissions WHERE customer_id = $1")
            .bind(customer_id)
            .fetch_all(&mut *conn)
            .await?;
    for (channel, topic, allowed) in cells {
        let (Some(channel), Some(topic)) = (parse::<Channel>(&channel), parse::<Topic>(&topic))
        else {
            return Err(corrupt("permission", customer_id));
        };
        if let Some(cell) = prefs
            .permissions
            .iter_mut()
            .find(|p| p.channel == channel && p.topic == topic)
        {
            cell.allowed = allowed != 0;
        }
    }
    let caps: Vec<(String, i64, String)> =
        sqlx::query_as("SELECT topic, max, per FROM frequency_caps WHERE customer_id = $1")
            .bind(customer_id)
            .fetch_all(&mut *conn)
            .await?;
    for (topic, max, per) in caps {
        let (Some(topic), Ok(max), Some(per)) = (
            parse::<Topic>(&topic),
            u32::try_from(max),
            parse::<CapPeriod>(&per),
        ) else {
            return Err(corrupt("frequency cap", customer_id));
        };
        prefs.caps.push(FrequencyCap { topic, max, per });
    }
    prefs.caps.sort_by_key(|cap| cap.topic);
    Ok((prefs, version))
}

/// The customer's marketing addresses, oldest first.
pub async fn load_contact_points(
    conn: &mut Conn,
    customer_id: i64,
) -> Result<Vec<ContactPoint>, AppError> {
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT id, channel, address, status FROM contact_points WHERE customer_id = $1 ORDER BY id",
    )
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(id, channel, address, status)| {
            let channel =
                parse::<Channel>(&channel).ok_or_else(|| corrupt("channel", customer_id))?;
            Ok(ContactPoint {
                id,
                channel,
                address,
                status,
            })
        })
        .collect()
}

/// The ETag versions the editable state only: contact points are managed elsewhere and are read-only in
/// a save, so adding or confirming one does not make an open preference page stale.
fn tag(customer_id: i64, version: i64, prefs: &Preferences) -> String {
    let editable = Preferences {
        contact_points: Vec::new(),
        ..prefs.clone()
    };
    etag(customer_id, version, &editable)
}

/// `GET /preferences`.
pub async fn get_preferences(
    State(state): State<AppState>,
    customer: Customer,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let (mut prefs, version) = load_state(&mut conn, customer.id).await?;
    prefs.contact_points = load_contact_points(&mut conn, customer.id).await?;
    let tag = tag(customer.id, version, &prefs);
    Ok(with_etag(prefs, &tag))
}

fn problem(field: impl Into<String>, problem: &str) -> FieldError {
    FieldError {
        field: field.into(),
        problem: problem.to_owned(),
    }
}

/// `HH:MM`, 00:00–23:59.
pub fn is_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 5
        && bytes[2] == b':'
        && bytes[..2].iter().chain(&bytes[3..]).all(u8::is_ascii_digit)
        && matches!(text.get(..2).map(str::parse::<u8>), Some(Ok(0..=23)))
        && matches!(text.get(3..).map(str::parse::<u8>), Some(Ok(0..=59)))
}

/// Checks a submitted state and returns it normalised (cells, caps and days in their canonical order,
/// days without repeats, time zone trimmed), or every problem found, with paths under `preferences.`.
///
/// `stored` is the current state: a pause date already stored may lie in the past by now and is still
/// accepted unchanged (otherwise an expired pause would block every other save). A new pause date must
/// not be before yesterday (UTC; one day of slack for the customer's time zone).
pub fn validate(
    submitted: &Preferences,
    stored: &Preferences,
    today_utc: Date,
) -> Result<Preferences, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut prefs = defaults();

    // The matrix: every cell exactly once; service messages cannot be switched off.
    let mut seen = Vec::new();
    for (i, cell) in submitted.permissions.iter().enumerate() {
        let at = format!("preferences.permissions[{i}]");
        if seen.contains(&(cell.channel, cell.topic)) {
            errors.push(problem(at, "not_allowed"));
            continue;
        }
        seen.push((cell.channel, cell.topic));
        if !cell.topic.is_marketing() && !cell.allowed {
            errors.push(problem(at, "not_allowed"));
        }
        if let Some(target) = prefs
            .permissions
            .iter_mut()
            .find(|p| p.channel == cell.channel && p.topic == cell.topic)
        {
            target.allowed = cell.allowed || !cell.topic.is_marketing();
        }
    }
    for cell in &prefs.permissions {
        if !seen.contains(&(cell.channel, cell.topic)) {
            errors.push(problem(
                format!(
                    "preferences.permissions.{}.{}",
                    cell.channel.as_str(),
                    cell.topic.as_str()
                ),
                "required",
            ));
        }
    }

    for (i, cap) in submitted.caps.iter().enumerate() {
        let at = |name: &str| format!("preferences.caps[{i}].{name}");
        if !cap.topic.is_marketing() || prefs.caps.iter().any(|c| c.topic == cap.topic) {
            // Service messages are never capped; one cap per topic.
            errors.push(problem(at("topic"), "not_allowed"));
        } else if !(1..=MAX_CAP).contains(&cap.max) {
            errors.push(problem(at("max"), "invalid_format"));
        } else {
            prefs.caps.push(*cap);
        }
    }
    prefs.caps.sort_by_key(|cap| cap.topic);

    if let Some(quiet) = &submitted.quiet_hours {
        let start = quiet.start.trim();
        let end = quiet.end.trim();
        if !is_time(start) {
            errors.push(problem("preferences.quiet_hours.start", "invalid_format"));
        }
        if !is_time(end) {
            errors.push(problem("preferences.quiet_hours.end", "invalid_format"));
        } else if start == end {
            // An empty window means nothing; "no quiet hours" is `null`.
            errors.push(problem("preferences.quiet_hours.end", "not_allowed"));
        }
        prefs.quiet_hours = Some(QuietHours {
            start: start.to_owned(),
            end: end.to_owned(),
        });
    }

    prefs.preferred_days = Weekday::ALL
        .into_iter()
        .filter(|day| submitted.preferred_days.contains(day))
        .collect();

    // An IANA name such as `Europe/Amsterdam` or `America/Argentina/Buenos_Aires`. The reference server
    // has no time-zone database; it checks the form only.
    let time_zone = submitted.time_zone.trim();
    if time_zone.is_empty() {
        errors.push(problem("preferences.time_zone", "required"));
    } else if time_zone.chars().count() > MAX_TIME_ZONE_CHARS {
        errors.push(problem("preferences.time_zone", "too_long"));
    } else if !time_zone
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '+'))
    {
        errors.push(problem("preferences.time_zone", "invalid_format"));
    }
    prefs.time_zone = time_zone.to_owned();

    if let Some(paused) = submitted.paused_until.as_deref().map(str::trim) {
        let format = format_description!("[year]-[month]-[day]");
        match Date::parse(paused, &format) {
            Err(_) => errors.push(problem("preferences.paused_until", "invalid_format")),
            Ok(_) if paused.len() != 10 => {
                errors.push(problem("preferences.paused_until", "invalid_format"))
            }
            Ok(date)
                if stored.paused_until.as_deref() != Some(paused)
                    && today_utc
                        .previous_day()
                        .is_some_and(|yesterday| date < yesterday) =>
            {
                errors.push(problem("preferences.paused_until", "not_allowed"))
            }
            Ok(_) => {}
        }
        prefs.paused_until = Some(paused.to_owned());
    }

    prefs.no_sale_or_sharing = submitted.no_sale_or_sharing;
    if errors.is_empty() {
        Ok(prefs)
    } else {
        Err(errors)
    }
}

/// Global Privacy Control: partner offers off everywhere, no sale or sharing.
pub fn apply_gpc(prefs: &mut Preferences) {
    for cell in &mut prefs.permissions {
        if cell.topic == Topic::PartnerOffers {
            cell.allowed = false;
        }
    }
    prefs.no_sale_or_sharing = true;
}

fn cap_value(prefs: &Preferences, topic: Topic) -> Value {
    prefs
        .caps
        .iter()
        .find(|cap| cap.topic == topic)
        .map(|cap| json!({ "max": cap.max, "per": name(&cap.per) }))
        .unwrap_or(Value::Null)
}

/// Every field that differs, old and new, in a fixed order: matrix cells (`permissions.email.offers`),
/// caps (`caps.offers`, `{max, per}` or null), `quiet_hours` (`{start, end}` or null), `preferred_days`,
/// `time_zone`, `paused_until` (date or null), `no_sale_or_sharing`. Both states must be normalised.
pub fn changes(old: &Preferences, new: &Preferences) -> Vec<Change> {
    let mut changes = Vec::new();
    let mut push = |field: String, old: Value, new: Value| {
        if old != new {
            changes.push(Change { field, old, new });
        }
    };
    let allowed = |prefs: &Preferences, channel: Channel, topic: Topic| {
        prefs
            .permissions
            .iter()
            .any(|p| p.channel == channel && p.topic == topic && p.allowed)
    };
    for channel in Channel::ALL {
        for topic in Topic::ALL {
            push(
                format!("permissions.{}.{}", channel.as_str(), topic.as_str()),
                json!(allowed(old, channel, topic)),
                json!(allowed(new, channel, topic)),
            );
        }
    }
    for topic in Topic::ALL {
        push(
            format!("caps.{}", topic.as_str()),
            cap_value(old, topic),
            cap_value(new, topic),
        );
    }
    let quiet = |prefs: &Preferences| {
        prefs
            .quiet_hours
            .as_ref()
            .map(|q| json!({ "start": q.start, "end": q.end }))
            .unwrap_or(Value::Null)
    };
    push("quiet_hours".into(), quiet(old), quiet(new));
    let days =
        |prefs: &Preferences| json!(prefs.preferred_days.iter().map(name).collect::<Vec<_>>());
    push("preferred_days".into(), days(old), days(new));
    push(
        "time_zone".into(),
        json!(old.time_zone),
        json!(new.time_zone),
    );
    push(
        "paused_until".into(),
        json!(old.paused_until),
        json!(new.paused_until),
    );
    push(
        "no_sale_or_sharing".into(),
        json!(old.no_sale_or_sharing),
        json!(new.no_sale_or_sharing),
    );
    changes
}

/// Checks the consent context: the notice must be one that was published, with its exact hash.
async fn validate_context(
    conn: &mut Conn,
    update: &PreferencesUpdate,
    errors: &mut Vec<FieldError>,
) -> Result<(), AppError> {
    let context = &update.context;
    let control = context.control.trim();
    if control.is_empty() {
        errors.push(problem("context.control", "required"));
    } else if control.chars().count() > MAX_CONTROL_CHARS {
        errors.push(problem("context.control", "too_long"));
    } else if !control
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        errors.push(problem("context.control", "invalid_format"));
    }
    let page = context.page.trim();
    if page.is_empty() {
        errors.push(problem("context.page", "required"));
    } else if page.chars().count() > MAX_PAGE_CHARS {
        errors.push(problem("context.page", "too_long"));
    } else if !page.starts_with('/') || page.chars().any(|c| c.is_control() || c.is_whitespace()) {
        errors.push(problem("context.page", "invalid_format"));
    }
    if !consent::notice_exists(conn, &context.notice_version, &context.notice_sha256).await? {
        errors.push(problem("context.notice_sha256", "not_found"));
    }
    Ok(())
}

/// Whether the request carries `Sec-GPC: 1`.
pub fn gpc_header(headers: &HeaderMap) -> bool {
    headers
        .get("sec-gpc")
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.trim() == "1")
}

/// Writes the whole state for the customer (inside the caller's transaction). Guarded by the version
/// read before: returns false when someone saved in between (the caller answers 412).
pub async fn write_state(
    tx: &mut Conn,
    customer_id: i64,
    expected_version: i64,
    prefs: &Preferences,
) -> Result<bool, AppError> {
    let days = serde_json::to_string(
        &prefs
            .preferred_days
            .iter()
            .map(name)
            .collect::<Vec<String>>(),
    )
    .map_err(|_| AppError::internal())?;
    let (quiet_start, quiet_end) = match &prefs.quiet_hours {
        Some(q) => (Some(q.start.as_str()), Some(q.end.as_str())),
        None => (None, None),
    };
    // First write of the transaction: takes SQLite's write lock. Guarded by the version read before, so
    // that a concurrent save makes this one stale instead of lost. A customer who never saved has no row
    // (version 0): the insert creates it, and a concurrent first save makes it insert nothing.
    let written = if expected_version == 0 {
        sqlx::query(
            "INSERT INTO preferences (customer_id, quiet_start, quiet_end, preferred_days, time_zone,
                                      paused_until, no_sale_or_sharing, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 1)
             ON CONFLICT (customer_id) DO NOTHING",
        )
        .bind(customer_id)
        .bind(quiet_start)
        .bind(quiet_end)
        .bind(&days)
        .bind(&prefs.time_zone)
        .bind(&prefs.paused_until)
        .bind(i64::from(prefs.no_sale_or_sharing))
        .execute(&mut *tx)
        .await?
    } else {
        sqlx::query(
            "UPDATE preferences SET quiet_start = $1, quiet_end = $2, preferred_days = $3, time_zone = $4,
                 paused_until = $5, no_sale_or_sharing = $6, version = version + 1
             WHERE customer_id = $7 AND version = $8",
        )
        .bind(quiet_start)
        .bind(quiet_end)
        .bind(&days)
        .bind(&prefs.time_zone)
        .bind(&prefs.paused_until)
        .bind(i64::from(prefs.no_sale_or_sharing))
        .bind(customer_id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?
    };
    if written.rows_affected() != 1 {
        return Ok(false);
    }
    for cell in &prefs.permissions {
        sqlx::query(
            "INSERT INTO permissions (customer_id, channel, topic, allowed) VALUES ($1, $2, $3, $4)
             ON CONFLICT (customer_id, channel, topic) DO UPDATE SET allowed = excluded.allowed",
        )
        .bind(customer_id)
        .bind(cell.channel.as_str())
        .bind(cell.topic.as_str())
        .bind(i64::from(cell.allowed))
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("DELETE FROM frequency_caps WHERE customer_id = $1")
        .bind(customer_id)
        .execute(&mut *tx)
        .await?;
    for cap in &prefs.caps {
        sqlx::query(
            "INSERT INTO frequency_caps (customer_id, topic, max, per) VALUES ($1, $2, $3, $4)",
        )
        .bind(customer_id)
        .bind(cap.topic.as_str())
        .bind(i64::from(cap.max))
        .bind(name(&cap.per))
        .execute(&mut *tx)
        .await?;
    }
    Ok(true)
}

/// `PUT /preferences`: needs `If-Match` (428 without, 412 when stale). Every field problem at once as
/// 422 `invalid_fields`. Stores the state and one consent record in one transaction; when nothing
/// changes, stores nothing and answers 200 with the same ETag.
pub async fn put_preferences(
    State(state): State<AppState>,
    customer: Customer,
    headers: HeaderMap,
    ApiJson(update): ApiJson<PreferencesUpdate>,
) -> Result<Response, AppError> {
    let if_match = require_if_match(&headers, "preferences")?;
    let gpc = gpc_header(&headers) || update.context.gpc;

    // Read and check outside the transaction, which then starts with its guarded write (see profile).
    let (current, version, contact_points, asked) = {
        let mut conn = state.db.acquire().await?;
        let (current, version) = load_state(&mut conn, customer.id).await?;
        if !if_match_matches(&if_match, &tag(customer.id, version, &current)) {
            return Err(stale("preferences"));
        }
        let today = OffsetDateTime::now_utc().date();
        let (asked, mut errors) = match validate(&update.preferences, &current, today) {
            Ok(asked) => (Some(asked), Vec::new()),
            Err(errors) => (None, errors),
        };
        validate_context(&mut conn, &update, &mut errors).await?;
        let asked = match asked {
            Some(asked) if errors.is_empty() => asked,
            _ => return Err(AppError::invalid_fields(errors)),
        };
        let contact_points = load_contact_points(&mut conn, customer.id).await?;
        (current, version, contact_points, asked)
    };
    let mut next = asked.clone();
    if gpc {
        apply_gpc(&mut next);
    }
    let changed = changes(&current, &next);
    let respond = |prefs: Preferences, version: i64| {
        let tag = tag(customer.id, version, &prefs);
        with_etag(
            Preferences {
                contact_points: contact_points.clone(),
                ..prefs
            },
            &tag,
        )
    };
    if changed.is_empty() {
        return Ok(respond(current, version));
    }
    let overridden = changes(&asked, &next);
    let decided_by_gpc = gpc
        && (update.context.control.trim() == GPC_CONTROL
            || changed
                .iter()
                .any(|c| overridden.iter().any(|o| o.field == c.field)));

    let mut tx = state.db.begin().await?;
    if !write_state(&mut tx, customer.id, version, &next).await? {
        return Err(stale("preferences"));
    }
    let context = &update.context;
    consent::insert_record(
        &mut tx,
        customer.id,
        &now_rfc3339(),
        NewRecord {
            notice_version: &context.notice_version,
            notice_sha256: &context.notice_sha256,
            control: context.control.trim(),
            page: context.page.trim(),
            gpc,
            source: if decided_by_gpc { "gpc" } else { "customer" },
            changes: changed,
        },
    )
    .await?;
    let (saved, version) = load_state(&mut tx, customer.id).await?;
    tx.commit().await?;
    Ok(respond(saved, version))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2025 - 06 - 15);

    fn set(prefs: &mut Preferences, channel: Channel, topic: Topic, allowed: bool) {
        for cell in &mut prefs.permissions {
            if cell.channel == channel && cell.topic == topic {
                cell.allowed = allowed;
            }
        }
    }

    fn fields(errors: Vec<FieldError>) -> Vec<(String, String)> {
        errors.into_iter().map(|e| (e.field, e.problem)).collect()
    }

    #[test]
    fn defaults_have_all_25_cells_in_order_and_validate() {
        let d = defaults();
        assert_eq!(d.permissions.len(), 25);
        assert_eq!(
            (d.permissions[0].channel, d.permissions[0].topic),
            (Channel::Email, Topic::Service)
        );
        assert_eq!(
            (d.permissions[24].channel, d.permissions[24].topic),
            (Channel::Push, Topic::Surveys)
        );
        assert_eq!(validate(&d, &d, TODAY).unwrap(), d);
    }

    #[test]
    fn every_problem_is_reported_with_its_path() {
        let stored = defaults();
        let mut p = defaults();
        p.permissions.swap_remove(3); // email.partner_offers goes missing; push.surveys moves to 3
        p.permissions.push(p.permissions[0]); // a duplicate email.service, at index 24
        set(&mut p, Channel::Sms, Topic::Service, false);
        p.caps = vec![
            FrequencyCap {
                topic: Topic::Offers,
                max: 51,
                per: CapPeriod::Week,
            },
            FrequencyCap {
                topic: Topic::Service,
                max: 2,
                per: CapPeriod::Week,
            },
        ];
        p.quiet_hours = Some(QuietHours {
            start: "8:00".into(),
            end: "24:00".into(),
        });
        p.time_zone = " ".into();
        p.paused_until = Some("2025-02-30".into());
        let got = fields(validate(&p, &stored, TODAY).unwrap_err());
        let expected: Vec<(String, String)> = [
            ("preferences.permissions[5]", "not_allowed"),
            ("preferences.permissions[24]", "not_allowed"),
            ("preferences.permissions.email.partner_offers", "required"),
            ("preferences.caps[0].max", "invalid_format"),
            ("preferences.caps[1].topic", "not_allowed"),
            ("preferences.quiet_hours.start", "invalid_format"),
            ("preferences.quiet_hours.end", "invalid_format"),
            ("preferences.time_zone", "required"),
            ("preferences.paused_until", "invalid_format"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn pause_dates_must_not_be_past_unless_already_stored() {
        let mut p = defaults();
        for (date, ok) in [
            ("2025-06-15", true),
            ("2025-06-14", true),
            ("2025-06-13", false),
            ("2030-01-01", true),
            ("15-06-2025", false),
            ("2025-6-15", false),
        ] {
            p.paused_until = Some(date.into());
            assert_eq!(validate(&p, &defaults(), TODAY).is_ok(), ok, "{date}");
        }
        p.paused_until = Some("2020-01-01".into());
        assert!(validate(&p, &p.clone(), TODAY).is_ok(), "unchanged");
    }

    #[test]
    fn input_is_normalised() {
        let mut p = defaults();
        p.permissions.reverse();
        p.preferred_days = vec![Weekday::Fri, Weekday::Mon, Weekday::Fri];
        p.time_zone = " Europe/Berlin ".into();
        p.caps = vec![
            FrequencyCap {
                topic: Topic::Surveys,
                max: 1,
                per: CapPeriod::Month,
            },
            FrequencyCap {
                topic: Topic::Newsletter,
                max: 50,
                per: CapPeriod::Week,
            },
        ];
        let ok = validate(&p, &defaults(), TODAY).unwrap();
        assert_eq!(ok.permissions, defaults().permissions);
        assert_eq!(ok.preferred_days, vec![Weekday::Mon, Weekday::Fri]);
        assert_eq!(ok.time_zone, "Europe/Berlin");
        assert_eq!(ok.caps[0].topic, Topic::Newsletter);
    }

    #[test]
    fn changes_name_each_field_with_old_and_new() {
        let old = defaults();
        let mut new = defaults();
        set(&mut new, Channel::Email, Topic::Offers, true);
        new.caps.push(FrequencyCap {
            topic: Topic::Offers,
            max: 2,
            per: CapPeriod::Week,
        });
        new.quiet_hours = Some(QuietHours {
            start: "21:00".into(),
            end: "08:00".into(),
        });
        new.preferred_days = vec![Weekday::Sat];
        new.paused_until = Some("2030-01-01".into());
        new.no_sale_or_sharing = true;
        let got = changes(&old, &new);
        let expected = vec![
            ("permissions.email.offers", json!(false), json!(true)),
            ("caps.offers", json!(null), json!({"max": 2, "per": "week"})),
            (
                "quiet_hours",
                json!(null),
                json!({"start": "21:00", "end": "08:00"}),
            ),
            ("preferred_days", json!([]), json!(["sat"])),
            ("paused_until", json!(null), json!("2030-01-01")),
            ("no_sale_or_sharing", json!(false), json!(true)),
        ];
        assert_eq!(got.len(), expected.len());
        for (change, (field, old, new)) in got.iter().zip(expected) {
            assert_eq!(
                (change.field.as_str(), &change.old, &change.new),
                (field, &old, &new)
            );
        }
        assert!(changes(&new, &new).is_empty());
    }

    #[test]
    fn gpc_switches_partner_offers_off_everywhere() {
        let mut p = defaults();
        for channel in Channel::ALL {
            set(&mut p, channel, Topic::PartnerOffers, true);
        }
        set(&mut p, Channel::Email, Topic::Offers, true);
        apply_gpc(&mut p);
        assert!(p
            .permissions
            .iter()
            .all(|c| c.topic != Topic::PartnerOffers || !c.allowed));
        assert!(p.no_sale_or_sharing);
        assert_eq!(changes(&defaults(), &p).len(), 2, "offers and no_sale");
    }

    #[test]
    fn times() {
        assert!(is_time("00:00") && is_time("23:59") && is_time("08:30"));
        for bad in [
            "24:00", "8:30", "08:60", "0a:00", "08-30", "+1:00", "", "08:3é",
        ] {
            assert!(!is_time(bad), "{bad}");
        }
    }
}
