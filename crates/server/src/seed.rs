//! Demo data, written on the first start into an empty database.
//!
//! Deterministic (a fixed pseudo-random sequence), dated relative to today, so that every fresh demo
//! looks the same and looks current.

use crate::auth::{hash_password, rfc3339};
use crate::{consent, preferences};
use crate::{db::Db, AppError};
use rapport_api::{Channel, Preferences, Topic};
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
    .bind(STAFF_EMAIL)
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
    .bind(email)
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
