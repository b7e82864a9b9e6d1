//! Demo data, written on the first start into an empty database.
//!
//! Deterministic (a fixed pseudo-random sequence), dated relative to today, so that every fresh demo
//! looks the same and looks current.

use crate::clock::rfc3339;
use crate::db::{Db, QueryBuilder};
use crate::password_queue::hash_password;
use crate::AppError;
use crate::{consent, preferences, survey};
use rapport_api::{Channel, Preferences, Topic};
use rapport_core::{Audience, Response, ResponseMeta};
use std::collections::BTreeMap;
use time::{Duration, OffsetDateTime};

/// The demo login printed by the run command.
pub const DEMO_EMAIL: &str = "demo@rapport.test";
/// See [`DEMO_EMAIL`].
pub const DEMO_PASSWORD: &str = "rapport-demo";

/// Other customers, so that isolation between customers can be tested (same password as the demo).
pub const OTHER_CUSTOMERS: [(&str, &str); 3] = [
    ("jonas.weber@example.test", "Jonas Weber"),
    ("sophie.martin@example.test", "Sophie Martin"),
    ("pieter.jansen@example.test", "Pieter Jansen"),
];

/// The demo staff account (same password as the demo customer): sees the staff pages.
pub const STAFF_EMAIL: &str = "staff@rapport.test";
pub const STAFF_NAME: &str = "Sam Staff";

/// Number of orders of the demo customer.
pub const DEMO_ORDERS: usize = 240;

/// SplitMix64: tiny, deterministic, good enough for demo data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Roughly standard normal: the sum of twelve uniforms has mean 6 and variance 1.
    fn normal(&mut self) -> f64 {
        (0..12).map(|_| self.unit()).sum::<f64>() - 6.0
    }
}

const CATALOGUE: &[(&str, &str, &str, i64)] = &[
    ("KB-101", "Mechanical keyboard", "computing", 8900),
    ("MS-220", "Wireless mouse", "computing", 2900),
    ("MN-270", "27-inch monitor", "computing", 27900),
    ("HD-350", "Noise-cancelling headphones", "audio", 19900),
    ("SP-110", "Bluetooth speaker", "audio", 5900),
    ("CB-030", "USB-C cable, 2 m", "accessories", 1290),
    ("CH-065", "65 W charger", "accessories", 3490),
    ("BG-015", "Laptop sleeve", "accessories", 2490),
    ("LT-500", "Desk lamp", "home office", 4590),
    ("CH-900", "Ergonomic chair", "home office", 34900),
    ("DK-120", "Standing desk", "home office", 49900),
    ("WC-080", "HD webcam", "computing", 6990),
];

const CARRIERS: &[&str] = &["PostNL", "DHL", "DPD", "UPS"];
const CITIES: &[&str] = &["Utrecht", "Amsterdam", "Rotterdam", "Eindhoven", "Arnhem"];

/// Seeds the demo when the database has no customers yet. Returns whether it seeded.
pub async fn seed_if_empty(db: &Db) -> Result<bool, AppError> {
    let customers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers")
        .fetch_one(db)
        .await?;
    if customers > 0 {
        // A database seeded before the preference centre or staff accounts existed gets its part of the
        // demo now. Only a database that was seeded: one holding the demo customer.
        let demo: Option<i64> = sqlx::query_scalar("SELECT id FROM customers WHERE email = $1")
            .bind(DEMO_EMAIL)
            .fetch_optional(db)
            .await?;
        let staff: Option<i64> = sqlx::query_scalar("SELECT id FROM customers WHERE email = $1")
            .bind(STAFF_EMAIL)
            .fetch_optional(db)
            .await?;
        let password = if demo.is_some() && staff.is_none() {
            Some(hash_demo_password().await?)
        } else {
            None
        };
        let mut tx = db.begin().await?;
        seed_preferences(&mut tx).await?;
        if let Some(password) = password {
            insert_staff(&mut tx, &password, OffsetDateTime::now_utc()).await?;
        }
        if demo.is_some() {
            seed_survey_responses(&mut tx, OffsetDateTime::now_utc()).await?;
        }
        tx.commit().await?;
        return Ok(false);
    }
    let now = OffsetDateTime::now_utc();
    let password = hash_demo_password().await?;
    let mut tx = db.begin().await?;

    let since = now - Duration::days(3 * 365 + 40);
    let demo_id = insert_customer(&mut tx, DEMO_EMAIL, "Anna de Vries", &password, since).await?;
    insert_contact_details(&mut tx, demo_id).await?;
    let mut rng = Rng(0x5EED_2026);
    insert_orders(&mut tx, &mut rng, demo_id, "R", DEMO_ORDERS, now, 3 * 365).await?;
    insert_requests(&mut tx, demo_id, now).await?;
    insert_contacts(&mut tx, &mut rng, demo_id, now).await?;

    for (i, (email, name)) in OTHER_CUSTOMERS.iter().enumerate() {
        let id =
            insert_customer(&mut tx, email, name, &password, now - Duration::days(400)).await?;
        insert_orders(&mut tx, &mut rng, id, &format!("X{i}"), 5, now, 365).await?;
    }
    insert_recent_complaint(&mut tx, now).await?;
    insert_staff(&mut tx, &password, now - Duration::days(5 * 365)).await?;
    seed_preferences(&mut tx).await?;
    seed_survey_responses(&mut tx, now).await?;
    tx.commit().await?;
    Ok(true)
}

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

async fn hash_demo_password() -> Result<String, AppError> {
    tokio::task::spawn_blocking(|| hash_password(DEMO_PASSWORD))
        .await
        .map_err(|_| AppError::internal())?
}

/// The staff account. It has no orders, preferences or other customer data.
async fn insert_staff(
    tx: &mut Tx<'_>,
    password_hash: &str,
    since: OffsetDateTime,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO customers (email, name, password_hash, customer_since, role)
         VALUES ($1, $2, $3, $4, 'staff') ON CONFLICT DO NOTHING",
    )
    .bind(crate::email::canonical(STAFF_EMAIL))
    .bind(STAFF_NAME)
    .bind(password_hash)
    .bind(rfc3339(since))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A fresh, open complaint of the last other customer, so that the staff list shows a relationship with
/// signs of dissolution next to the others.
async fn insert_recent_complaint(tx: &mut Tx<'_>, now: OffsetDateTime) -> Result<(), AppError> {
    let (email, _) = OTHER_CUSTOMERS[OTHER_CUSTOMERS.len() - 1];
    let order: Option<(i64, i64)> = sqlx::query_as(
        "SELECT o.customer_id, o.id FROM orders o JOIN customers c ON c.id = o.customer_id
         WHERE c.email = $1 ORDER BY o.placed_at LIMIT 1",
    )
    .bind(email)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((customer_id, order_id)) = order else {
        return Ok(());
    };
    let created = rfc3339(now - Duration::days(1));
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO service_requests (customer_id, order_id, kind, status, reason, description, created_at)
         VALUES ($1, $2, 'complaint', 'submitted', 'Delivery takes too long', 'The parcel was promised for yesterday and is still not here.', $3) RETURNING id",
    )
    .bind(customer_id)
    .bind(order_id)
    .bind(&created)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO service_request_events (request_id, at, status, note) VALUES ($1, $2, 'submitted', 'Complaint received')",
    )
    .bind(id)
    .bind(&created)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The demo customer's choices: service messages, plus the e-mail newsletter and surveys.
pub fn demo_preferences() -> Preferences {
    let mut prefs = preferences::defaults();
    for cell in &mut prefs.permissions {
        if cell.channel == Channel::Email
            && matches!(cell.topic, Topic::Newsletter | Topic::Surveys)
        {
            cell.allowed = true;
        }
    }
    prefs
}

/// Default preferences for every customer who has none stored yet, and for the demo customer (when they
/// have none yet) their choices, their confirmed e-mail address and the consent record of their sign-up.
/// Idempotent: it only touches customers without a preferences row.
pub async fn seed_preferences(tx: &mut Tx<'_>) -> Result<(), AppError> {
    let demo: Option<(i64, String)> =
        sqlx::query_as("SELECT id, customer_since FROM customers WHERE email = $1")
            .bind(DEMO_EMAIL)
            .fetch_optional(&mut **tx)
            .await?;
    let missing: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM customers
         WHERE role = 'customer' AND id NOT IN (SELECT customer_id FROM preferences) ORDER BY id",
    )
    .fetch_all(&mut **tx)
    .await?;
    let demo = demo.filter(|(id, _)| missing.contains(id));
    for id in missing {
        let prefs = match &demo {
            Some((demo_id, _)) if *demo_id == id => demo_preferences(),
            _ => preferences::defaults(),
        };
        preferences::write_state(tx, id, 0, &prefs).await?;
    }
    let Some((demo_id, since)) = demo else {
        return Ok(());
    };
    sqlx::query(
        "INSERT INTO contact_points (customer_id, channel, address, status, created_at, confirmed_at)
         VALUES ($1, 'email', $2, 'confirmed', $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(demo_id)
    .bind(DEMO_EMAIL)
    .bind(&since)
    .bind(&since)
    .execute(&mut **tx)
    .await?;
    let notice = consent::notice_v1(consent::NOTICE_LANGS[0]);
    consent::insert_record(
        tx,
        demo_id,
        &since,
        consent::NewRecord {
            notice_version: consent::NOTICE_VERSION,
            notice_sha256: &consent::sha256_hex(notice),
            control: "signup",
            page: "/signup",
            gpc: false,
            source: "customer",
            changes: preferences::changes(&preferences::defaults(), &demo_preferences()),
        },
    )
    .await?;
    Ok(())
}

async fn insert_customer(
    tx: &mut Tx<'_>,
    email: &str,
    name: &str,
    password_hash: &str,
    since: OffsetDateTime,
) -> Result<i64, AppError> {
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO customers (email, name, password_hash, customer_since) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(crate::email::canonical(email))
    .bind(name)
    .bind(password_hash)
    .bind(rfc3339(since))
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// The demo customer's phone number and addresses (the profile page starts filled in).
async fn insert_contact_details(tx: &mut Tx<'_>, customer_id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE customers SET phone = $1 WHERE id = $2")
        .bind("+31612345678")
        .bind(customer_id)
        .execute(&mut **tx)
        .await?;
    let addresses = [
        ("delivery", "Oudegracht 112", "3511 AW", "Utrecht", "NL"),
        ("billing", "Postbus 2040", "3500 GA", "Utrecht", "NL"),
    ];
    for (position, (label, street, postal_code, city, country)) in addresses.into_iter().enumerate()
    {
        sqlx::query(
            "INSERT INTO addresses (customer_id, position, label, street, postal_code, city, country)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(customer_id)
        .bind(position as i64)
        .bind(label)
        .bind(street)
        .bind(postal_code)
        .bind(city)
        .bind(country)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Status of an order placed `age_days` ago: recent orders are still on their way, a few old ones went
/// wrong, most were delivered.
fn status_for(rng: &mut Rng, age_days: i64) -> &'static str {
    match age_days {
        0 => "placed",
        1 => "paid",
        2 => "packed",
        3 => "shipped",
        4 => "out_for_delivery",
        5 => "delayed",
        _ => match rng.below(100) {
            0..=3 => "returned",
            4 => "cancelled",
            _ => "delivered",
        },
    }
}

async fn insert_orders(
    tx: &mut Tx<'_>,
    rng: &mut Rng,
    customer_id: i64,
    prefix: &str,
    count: usize,
    now: OffsetDateTime,
    span_days: i64,
) -> Result<(), AppError> {
    for n in 0..count {
        // Spread evenly over the span, newest last, with a little jitter; the newest few are days old.
        let age_days = if n + 6 >= count {
            (count - 1 - n) as i64
        } else {
            6 + (span_days - 6) * (count - 1 - n) as i64 / count as i64 + rng.below(3) as i64
        };
        let placed = now - Duration::days(age_days) - Duration::minutes(rng.below(600) as i64 + 60);
        let status = status_for(rng, age_days);
        let city = *rng.pick(CITIES);
        let lines = 1 + rng.below(3);
        let mut total = 0i64;
        let mut items = Vec::new();
        for _ in 0..lines {
            let (sku, name, category, price) = *rng.pick(CATALOGUE);
            let quantity = 1 + rng.below(2) as i64;
            total += price * quantity;
            items.push((sku, name, category, quantity, price));
        }
        let number = format!("{prefix}{:06}", 100_000 + n);
        let order_id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO orders (customer_id, number, placed_at, status, total_cents, currency, ship_to)
             VALUES ($1, $2, $3, $4, $5, 'EUR', $6) RETURNING id",
        )
        .bind(customer_id)
        .bind(&number)
        .bind(rfc3339(placed))
        .bind(status)
        .bind(total)
        .bind(format!("Stationsplein {}, {city}", 1 + rng.below(120)))
        .fetch_one(&mut **tx)
        .await?;
        for (sku, name, category, quantity, price) in items {
            sqlx::query(
                "INSERT INTO order_items (order_id, sku, name, category, quantity, unit_price_cents)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(order_id)
            .bind(sku)
            .bind(name)
            .bind(category)
            .bind(quantity)
            .bind(price)
            .execute(&mut **tx)
            .await?;
        }
        if status == "placed" || status == "cancelled" {
            continue;
        }
        let issued = placed + Duration::minutes(5);
        let invoice_id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO invoices (order_id, number, issued_at, due_at, amount_cents) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(order_id)
        .bind(format!("INV-{number}"))
        .bind(rfc3339(issued))
        .bind(rfc3339(issued + Duration::days(14)))
        .bind(total)
        .fetch_one(&mut **tx)
        .await?;
        sqlx::query(
            "INSERT INTO payments (invoice_id, paid_at, amount_cents, method) VALUES ($1, $2, $3, $4)",
        )
        .bind(invoice_id)
        .bind(rfc3339(issued + Duration::minutes(2)))
        .bind(total)
        .bind(*rng.pick(&["iDEAL", "card", "PayPal", "bank transfer"]))
        .execute(&mut **tx)
        .await?;
        if status == "paid" || status == "packed" {
            continue;
        }
        insert_shipment(tx, rng, order_id, placed, status, city).await?;
    }
    Ok(())
}

async fn insert_shipment(
    tx: &mut Tx<'_>,
    rng: &mut Rng,
    order_id: i64,
    placed: OffsetDateTime,
    status: &str,
    city: &str,
) -> Result<(), AppError> {
    let shipped = placed + Duration::hours(20);
    let expected = placed + Duration::days(3);
    let late = status == "delayed" || rng.below(12) == 0;
    let delivered_at = match status {
        "delivered" | "returned" => Some(if late {
            expected + Duration::days(2)
        } else {
            expected - Duration::hours(3)
        }),
        _ => None,
    };
    let carrier = *rng.pick(CARRIERS);
    let shipment_id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO shipments (order_id, carrier, tracking_number, shipped_at, expected_at, delivered_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(order_id)
    .bind(carrier)
    .bind(format!("3S{:010}", rng.below(10_000_000_000)))
    .bind(rfc3339(shipped))
    .bind(rfc3339(expected))
    .bind(delivered_at.map(rfc3339))
    .fetch_one(&mut **tx)
    .await?;
    let mut events = vec![
        (
            shipped,
            "shipped",
            "Tilburg DC",
            "Parcel handed to the carrier",
        ),
        (
            shipped + Duration::hours(8),
            "in_transit",
            "Sorting centre",
            "Parcel sorted",
        ),
    ];
    if late {
        events.push((
            expected - Duration::hours(6),
            "delayed",
            "Sorting centre",
            "Delayed: high parcel volume",
        ));
    }
    match status {
        "out_for_delivery" => events.push((
            expected - Duration::hours(4),
            "out_for_delivery",
            city,
            "Out for delivery",
        )),
        "delivered" | "returned" => {
            if let Some(at) = delivered_at {
                events.push((
                    at - Duration::hours(4),
                    "out_for_delivery",
                    city,
                    "Out for delivery",
                ));
                events.push((at, "delivered", city, "Delivered"));
            }
        }
        _ => {}
    }
    for (at, event_status, location, description) in events {
        sqlx::query(
            "INSERT INTO carrier_events (shipment_id, at, status, location, description) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(shipment_id)
        .bind(rfc3339(at))
        .bind(event_status)
        .bind(location)
        .bind(description)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn insert_requests(
    tx: &mut Tx<'_>,
    customer_id: i64,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    // One open return on a recently delivered order, one complaint that was resolved.
    let recent: i64 = sqlx::query_scalar(
        "SELECT id FROM orders WHERE customer_id = $1 AND status = 'delivered' ORDER BY placed_at DESC LIMIT 1",
    )
    .bind(customer_id)
    .fetch_one(&mut **tx)
    .await?;
    let older: i64 = sqlx::query_scalar(
        "SELECT id FROM orders WHERE customer_id = $1 AND status = 'delivered' ORDER BY placed_at DESC LIMIT 1 OFFSET 30",
    )
    .bind(customer_id)
    .fetch_one(&mut **tx)
    .await?;
    let requests = [
        (
            recent,
            "return",
            "in_review",
            "Does not fit my desk",
            "The monitor is larger than I expected. I would like to return it unused.",
            now - Duration::days(3),
            vec![
                ("submitted", "Request received"),
                ("in_review", "We are checking the return conditions"),
            ],
        ),
        (
            older,
            "complaint",
            "resolved",
            "Parcel arrived damaged",
            "The box was crushed and the lamp shade is dented.",
            now - Duration::days(200),
            vec![
                ("submitted", "Complaint received"),
                ("in_review", "Photos requested"),
                ("resolved", "Replacement sent and a 10 % voucher issued"),
            ],
        ),
    ];
    for (order_id, kind, status, reason, description, created, events) in requests {
        let id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO service_requests (customer_id, order_id, kind, status, reason, description, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(customer_id)
        .bind(order_id)
        .bind(kind)
        .bind(status)
        .bind(reason)
        .bind(description)
        .bind(rfc3339(created))
        .fetch_one(&mut **tx)
        .await?;
        // The open return is about one line of the order, so the portal has items to show.
        if status == "in_review" {
            sqlx::query(
                "INSERT INTO service_request_items (request_id, order_item_id)
                 SELECT $1, MIN(id) FROM order_items WHERE order_id = $2",
            )
            .bind(id)
            .bind(order_id)
            .execute(&mut **tx)
            .await?;
        }
        for (i, (event_status, note)) in events.into_iter().enumerate() {
            sqlx::query("INSERT INTO service_request_events (request_id, at, status, note) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(rfc3339(created + Duration::days(i as i64)))
                .bind(event_status)
                .bind(note)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

async fn insert_contacts(
    tx: &mut Tx<'_>,
    rng: &mut Rng,
    customer_id: i64,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let subjects = [
        ("phone", "Question about delivery times"),
        ("email", "Invoice address change"),
        ("chat", "Help choosing a monitor"),
        ("email", "Warranty conditions"),
    ];
    for i in 0..12 {
        let (channel, subject) = *rng.pick(&subjects);
        sqlx::query(
            "INSERT INTO contacts (customer_id, at, channel, subject) VALUES ($1, $2, $3, $4)",
        )
        .bind(customer_id)
        .bind(rfc3339(now - Duration::days(90 * i + rng.below(60) as i64)))
        .bind(channel)
        .bind(subject)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Demo survey answers, so that the analyst view has something to show on a fresh start: instrument and
/// how many answers.
pub const DEMO_RESPONSES: [(&str, usize); 5] = [
    ("servqual", 300),
    ("nps", 400),
    ("csat", 200),
    ("ces-effort", 150),
    ("commitment-customer", 120),
];

/// The idempotency keys of the demo answers start with this (`demo-nps-0001`), which tells them apart
/// from answers people gave.
pub const DEMO_RESPONSE_KEY_PREFIX: &str = "demo-";

/// Where the demo answers were given (the `segment`), with their share in per cent.
const DEMO_SEGMENTS: [(&str, u64); 3] = [("web", 55), ("store", 30), ("phone", 15)];

/// Per SERVQUAL dimension: its allocation column, how far perceptions fall short of expectations on
/// average (7-point scale) and its mean share of the 100 importance points. Reliability falls short most
/// and matters most, as in most published SERVQUAL studies.
const DEMO_DIMENSIONS: [(&str, &str, f64, f64); 5] = [
    ("TAN", "W_TAN", 0.3, 12.0),
    ("REL", "W_REL", 1.3, 31.0),
    ("RES", "W_RES", 0.8, 22.0),
    ("ASS", "W_ASS", 0.5, 19.0),
    ("EMP", "W_EMP", 0.7, 16.0),
];

/// Rows per INSERT: 11 values each, well below any database's limit on bound parameters.
const DEMO_BATCH: usize = 200;

/// An answer on a scale: the nearest whole number, kept on the scale.
fn on_scale(x: f64, min: i64, max: i64) -> i64 {
    (x.round() as i64).clamp(min, max)
}

/// The 100 importance points, in steps of 5 as people tend to give them, around the dimensions' means.
fn allocation(rng: &mut Rng) -> [i64; 5] {
    let raw = DEMO_DIMENSIONS.map(|(_, _, _, mean)| (mean * (1.0 + 0.35 * rng.normal())).max(1.0));
    let total: f64 = raw.iter().sum();
    let mut units = raw.map(|r| (r / total * 20.0).round() as i64);
    // Rounding can miss 20 units by a few; the largest share absorbs the difference.
    let missing = 20 - units.iter().sum::<i64>();
    let largest = (0..units.len()).max_by_key(|&i| units[i]).unwrap_or(0);
    units[largest] += missing;
    units.map(|u| u * 5)
}

/// One respondent's answers to `instrument`. `mood` is their general disposition (standard normal), so
/// that the answers of one person hang together; `progress` runs from 0 (a year ago) to 1 (today) and
/// lets the scores improve a little over the year.
fn demo_answers(
    rng: &mut Rng,
    instrument: &str,
    segment: &str,
    mood: f64,
    progress: f64,
) -> rapport_core::VecMap<String, i64> {
    let mut answers = rapport_core::VecMap::new();
    let mut put = |id: &str, value: i64| {
        answers.insert(id.to_owned(), value);
    };
    // Phone calls are about problems more often; the shop floor goes a little better than average.
    let service = match segment {
        "phone" => -0.5,
        "store" => 0.2,
        _ => 0.0,
    };
    match instrument {
        "servqual" => {
            let demanding = 0.5 * rng.normal();
            let mut by_dimension = BTreeMap::new();
            for (dimension, _, gap, _) in DEMO_DIMENSIONS {
                let feeling = 0.6 * mood + 0.4 * rng.normal();
                by_dimension.insert(dimension, (gap, feeling));
            }
            for n in 1..=22u32 {
                let dimension = rapport_core::builtin::servqual_dimension(n);
                let (gap, feeling) = by_dimension.get(dimension).copied().unwrap_or((0.5, mood));
                let expected = 6.1 + demanding;
                put(
                    &format!("E{n}"),
                    on_scale(expected + 0.5 * rng.normal(), 1, 7),
                );
                let perceived = expected - gap + feeling + 0.3 * progress + 0.4 * service;
                put(
                    &format!("P{n}"),
                    on_scale(perceived + 0.6 * rng.normal(), 1, 7),
                );
            }
            for ((_, column, _, _), points) in DEMO_DIMENSIONS.iter().zip(allocation(rng)) {
                put(column, points);
            }
        }
        "nps" => put(
            "NPS",
            on_scale(7.7 + 1.9 * mood + 0.6 * progress + service, 0, 10),
        ),
        "csat" => put(
            "CSAT",
            on_scale(3.8 + 0.9 * mood + 0.3 * progress + 0.5 * service, 1, 5),
        ),
        // Lower is better: an effort score.
        "ces-effort" => put(
            "CES",
            on_scale(2.4 - 0.8 * mood - 0.3 * progress - service, 1, 5),
        ),
        "commitment-customer" => {
            put("SAT", on_scale(5.0 + 1.2 * mood + 0.5 * rng.normal(), 1, 7));
            put("INV", on_scale(4.6 + 0.8 * mood + 0.9 * rng.normal(), 1, 7));
            let appeal = on_scale(3.8 - 0.9 * mood + 1.0 * rng.normal(), 1, 7);
            put("ALT", appeal);
            // The difference is optional where no other offer appeals (the index does not need it
            // then), and most of those leave it out.
            if appeal > 1 || rng.below(100) < 30 {
                put("DIF", on_scale(4.5 + 0.9 * mood + 0.9 * rng.normal(), 1, 7));
            }
        }
        _ => {}
    }
    answers
}

/// A demo answer ready to store but for its time, which depends on the day.
struct DemoRow {
    /// Seconds before now.
    age: i64,
    id: String,
    key: String,
    request_sha256: String,
    instrument: rapport_core::InstrumentRef,
    title: &'static str,
    answers: String,
    meta: String,
    scores: String,
}

fn seed_error(what: &str, error: impl std::fmt::Debug) -> AppError {
    tracing::error!("demo survey answers: {what}: {error:?}");
    AppError::internal()
}

/// The demo answers, oldest first, computed once per process: validating, scoring and hashing them is
/// most of the work, and the tests seed a database for nearly every test. They carry no timestamp of
/// their own (the time is the row's `received_at`), which keeps them the same from day to day.
fn demo_rows() -> Result<&'static [DemoRow], AppError> {
    static ROWS: std::sync::OnceLock<Result<Vec<DemoRow>, String>> = std::sync::OnceLock::new();
    ROWS.get_or_init(build_demo_rows)
        .as_deref()
        .map_err(|e| seed_error("generating", e))
}

fn text<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_json::to_string(value).map_err(|e| e.to_string())
}

fn build_demo_rows() -> Result<Vec<DemoRow>, String> {
    // Its own sequence, so that adding answers left the rest of the demo as it was.
    let mut rng = Rng(0x5EED_0A75);
    let year = 365 * 86_400;
    let mut rows = Vec::new();
    for (name, count) in DEMO_RESPONSES {
        let (instrument, title) = crate::instruments::builtin_with_title(name)
            .ok_or_else(|| format!("no built-in instrument {name}"))?;
        for n in 1..=count {
            let age = rng.below(year) as i64;
            let share = rng.below(100);
            let mut segment = DEMO_SEGMENTS[0].0;
            let mut below = 0;
            for (name, percent) in DEMO_SEGMENTS {
                below += percent;
                if share < below {
                    segment = name;
                    break;
                }
            }
            let mood = rng.normal();
            let progress = 1.0 - age as f64 / year as f64;
            let response = Response {
                instrument: instrument.reference(),
                respondent_id: None,
                answers: demo_answers(&mut rng, name, segment, mood, progress),
                meta: ResponseMeta {
                    timestamp: None,
                    segment: Some(segment.to_owned()),
                    audience: (name == "commitment-customer").then_some(Audience::Customer),
                },
            };
            let valid = instrument
                .validate(&response)
                .map_err(|errors| format!("{name}: {errors:?}"))?;
            let scores = instrument.score(&valid);
            let key = format!("{DEMO_RESPONSE_KEY_PREFIX}{name}-{n:04}");
            rows.push(DemoRow {
                age,
                // From the demo's own sequence, so that every fresh demo has the same ids.
                id: format!("sr_{:016x}{:016x}", rng.next(), rng.next()),
                request_sha256: survey::fingerprint(&response)
                    .map_err(|e| format!("{name}: {}", e.message))?,
                instrument: response.instrument.clone(),
                title,
                answers: text(&response.answers)?,
                meta: text(&response.meta)?,
                scores: text(&scores)?,
                key,
            });
        }
    }
    // Stored oldest first, so that the export's order (by row) is also the order in time.
    rows.sort_by(|x, y| y.age.cmp(&x.age).then_with(|| x.key.cmp(&y.key)));
    Ok(rows)
}

/// Anonymous demo answers to the built-in surveys ([`DEMO_RESPONSES`]), spread over the 12 months before
/// `now`, each validated and scored by the core like a submitted one. Anonymous, so that no customer's
/// history, relationship phase or invitations change. Does nothing when they are there already.
pub async fn seed_survey_responses(tx: &mut Tx<'_>, now: OffsetDateTime) -> Result<(), AppError> {
    let seeded: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM survey_responses WHERE idempotency_key LIKE $1")
            .bind(format!("{DEMO_RESPONSE_KEY_PREFIX}%"))
            .fetch_one(&mut **tx)
            .await?;
    if seeded > 0 {
        return Ok(());
    }
    for batch in demo_rows()?.chunks(DEMO_BATCH) {
        let mut insert = QueryBuilder::new(
            "INSERT INTO survey_responses (id, idempotency_key, request_sha256, instrument_id,
                 instrument_version, instrument_hash, instrument_title, answers, meta, scores,
                 source, received_at) VALUES ",
        );
        for (n, row) in batch.iter().enumerate() {
            insert.push(if n == 0 { "(" } else { ", (" });
            insert
                .push_bind_list([
                    row.id.as_str(),
                    row.key.as_str(),
                    row.request_sha256.as_str(),
                    row.instrument.id.as_str(),
                    row.instrument.version.as_str(),
                    row.instrument.hash.as_str(),
                    row.title,
                    row.answers.as_str(),
                    row.meta.as_str(),
                    row.scores.as_str(),
                    // Demo answers stand for the anonymous widget's.
                    crate::answers::Source::Widget.as_str(),
                ])
                .push(", ")
                .push_bind(rfc3339(now - Duration::seconds(row.age)))
                .push(")");
        }
        insert.push(" ON CONFLICT(idempotency_key) DO NOTHING");
        insert.build().execute(&mut **tx).await?;
    }
    Ok(())
}
