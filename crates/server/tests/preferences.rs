//! The preference centre's API: permissions, saves with proof of consent, GPC, receipts, double opt-in,
//! deletion requests, isolation, and the append-only property of consent records.

mod common;

use axum::http::{header, StatusCode};
use common::{test_app, test_app_with_outbox, Answer, TestApp};
use rapport_api::{
    CapPeriod, Channel, ConsentReceipt, ConsentRecord, ContactPoint, DeletionRequest, FrequencyCap,
    Notice, Preferences, QuietHours, Topic, Weekday,
};
use rapport_server::seed;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const DEMO_ID: i64 = 1;

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn preferences(app: &TestApp, cookie: &str) -> (Preferences, String) {
    let answer = app.get("/api/v1/preferences", cookie).await;
    assert_eq!(answer.status, StatusCode::OK);
    let etag = answer.header(header::ETAG).expect("an ETag");
    (answer.json(), etag)
}

async fn notice(app: &TestApp, lang: &str) -> Notice {
    app.get_ok(&format!("/api/v1/notice?lang={lang}"), "").await
}

/// A save with the current English notice and the given control.
async fn save(
    app: &TestApp,
    cookie: &str,
    prefs: &Preferences,
    etag: Option<&str>,
    control: &str,
    extra: &[(&str, &str)],
) -> Answer {
    let notice = notice(app, "en").await;
    let body = json!({
        "preferences": prefs,
        "context": {
            "notice_version": notice.version,
            "notice_sha256": notice.sha256,
            "control": control,
            "page": "/preferences",
            "gpc": false,
        }
    });
    save_raw(app, cookie, &body, etag, extra).await
}

async fn save_raw(
    app: &TestApp,
    cookie: &str,
    body: &Value,
    etag: Option<&str>,
    extra: &[(&str, &str)],
) -> Answer {
    let mut headers: Vec<(&str, &str)> = extra.to_vec();
    if let Some(etag) = etag {
        headers.push(("if-match", etag));
    }
    app.send_json("PUT", "/api/v1/preferences", cookie, body, &headers)
        .await
}

async fn records(app: &TestApp, cookie: &str) -> Vec<ConsentRecord> {
    app.get_ok("/api/v1/consent-records", cookie).await
}

async fn record_rows(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM consent_records")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

fn set(prefs: &mut Preferences, channel: Channel, topic: Topic, allowed: bool) {
    let cell = prefs
        .permissions
        .iter_mut()
        .find(|p| p.channel == channel && p.topic == topic)
        .unwrap();
    cell.allowed = allowed;
}

fn allowed(prefs: &Preferences, channel: Channel, topic: Topic) -> bool {
    prefs
        .permissions
        .iter()
        .find(|p| p.channel == channel && p.topic == topic)
        .unwrap()
        .allowed
}

/// `(field, old, new)` of a record's changes.
fn changes(record: &ConsentRecord) -> Vec<(String, Value, Value)> {
    record
        .changes
        .iter()
        .map(|c| (c.field.clone(), c.old.clone(), c.new.clone()))
        .collect()
}

fn change(field: &str, old: Value, new: Value) -> (String, Value, Value) {
    (field.to_owned(), old, new)
}

async fn customer_id(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM customers WHERE email = $1")
        .bind(email)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

// ---------------------------------------------------------------------------------------------------
// Reading

#[tokio::test]
async fn preferences_start_from_the_seed_with_every_cell_in_order() {
    let app = test_app().await;
    let demo = app.demo_cookie().await;
    let (prefs, etag) = preferences(&app, &demo).await;
    assert!(
        etag.starts_with('"') && etag.ends_with('"'),
        "strong: {etag}"
    );
    let order: Vec<(Channel, Topic)> = prefs
        .permissions
        .iter()
        .map(|p| (p.channel, p.topic))
        .collect();
    let expected: Vec<(Channel, Topic)> = Channel::ALL
        .into_iter()
        .flat_map(|c| Topic::ALL.into_iter().map(move |t| (c, t)))
        .collect();
    assert_eq!(order, expected);
    let on: Vec<(Channel, Topic)> = prefs
        .permissions
        .iter()
        .filter(|p| p.allowed && p.topic != Topic::Service)
        .map(|p| (p.channel, p.topic))
        .collect();
    assert_eq!(
        on,
        [
            (Channel::Email, Topic::Newsletter),
            (Channel::Email, Topic::Surveys)
        ]
    );
    assert!(prefs
        .permissions
        .iter()
        .all(|p| p.topic != Topic::Service || p.allowed));
    assert_eq!(prefs.time_zone, "Europe/Amsterdam");
    assert_eq!(
        prefs.contact_points,
        [ContactPoint {
            id: prefs.contact_points[0].id,
            channel: Channel::Email,
            address: seed::DEMO_EMAIL.into(),
            status: "confirmed".into(),
        }]
    );
    // Reading twice gives the same tag.
    assert_eq!(preferences(&app, &demo).await.1, etag);

    // The sign-up record, with the notice it was given under.
    let list = records(&app, &demo).await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].control, "signup");
    assert_eq!(list[0].notice_sha256, notice(&app, "en").await.sha256);
    assert_eq!(
        changes(&list[0]),
        [
            change("permissions.email.newsletter", json!(false), json!(true)),
            change("permissions.email.surveys", json!(false), json!(true)),
        ]
    );

    // Another customer: service messages only, no records.
    let other = app.sign_in(seed::OTHER_CUSTOMERS[0].0).await;
    let (theirs, their_tag) = preferences(&app, &other).await;
    assert!(theirs
        .permissions
        .iter()
        .all(|p| p.allowed == (p.topic == Topic::Service)));
    assert!(theirs.contact_points.is_empty());
    assert_ne!(their_tag, etag);
    assert!(records(&app, &other).await.is_empty());
}

#[tokio::test]
async fn the_notice_is_public_in_three_languages_with_its_hash() {
    let app = test_app().await;
    let mut texts = Vec::new();
    for lang in ["en", "nl", "de"] {
        let n = notice(&app, lang).await;
        assert_eq!((n.version.as_str(), n.lang.as_str()), ("v1", lang));
        assert_eq!(n.sha256, sha256_hex(&n.text));
        assert!(n.text.contains("Global Privacy Control"));
        texts.push(n.text);
    }
    assert_ne!(texts[0], texts[1]);
    assert_ne!(texts[1], texts[2]);
    // Unknown or missing language: English.
    assert_eq!(notice(&app, "fr").await.lang, "en");
    let plain: Notice = app.get_ok("/api/v1/notice", "").await;
    assert_eq!(plain.lang, "en");
}

#[tokio::test]
async fn the_preference_centre_needs_a_session() {
    let app = test_app().await;
    for (method, uri) in [
        ("GET", "/api/v1/preferences"),
        ("PUT", "/api/v1/preferences"),
        ("GET", "/api/v1/consent-records"),
        ("GET", "/api/v1/consent-records/1/receipt"),
        ("POST", "/api/v1/contact-points"),
        ("GET", "/api/v1/deletion-request"),
        ("POST", "/api/v1/deletion-request"),
    ] {
        let answer = app
            .send_json(method, uri, "rapport_session=forged", &json!({}), &[])
            .await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{method} {uri}");
        assert_eq!(answer.error_code(), "unauthorized");
    }
}

// ---------------------------------------------------------------------------------------------------
// Saving

#[tokio::test]
async fn every_change_produces_exactly_one_record_with_old_and_new_values() {
    let app = test_app().await;
    let demo = app.demo_cookie().await;
    let (before, etag) = preferences(&app, &demo).await;
    let mut next = before.clone();
    set(&mut next, Channel::Sms, Topic::Offers, true);
    set(&mut next, Channel::Email, Topic::Newsletter, false);
    next.caps = vec![FrequencyCap {
        topic: Topic::Offers,
        max: 2,
        per: CapPeriod::Week,
    }];
    next.quiet_hours = Some(QuietHours {
        start: "21:00".into(),
        end: "08:00".into(),
    });
    next.preferred_days = vec![Weekday::Sat, Weekday::Mon];
    next.time_zone = "Europe/Berlin".into();
    next.paused_until = Some("2099-12-31".into());
    next.no_sale_or_sharing = true;

    let answer = save(&app, &demo, &next, Some(&etag), "matrix", &[]).await;
    assert_eq!(
        answer.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    let new_etag = answer.header(header::ETAG).unwrap();
    assert_ne!(new_etag, etag);
    let saved: Preferences = answer.json();
    assert_eq!(
        saved.preferred_days,
        [Weekday::Mon, Weekday::Sat],
        "week order"
    );
    assert_eq!(
        preferences(&app, &demo).await,
        (saved.clone(), new_etag.clone())
    );
    assert!(allowed(&saved, Channel::Sms, Topic::Offers));
    assert_eq!(saved.contact_points, before.contact_points);

    let list = records(&app, &demo).await;
    assert_eq!(list.len(), 2, "the sign-up and exactly one more");
    let record = &list[0];
    assert_eq!(
        changes(record),
        [
            change("permissions.email.newsletter", json!(true), json!(false)),
            change("permissions.sms.offers", json!(false), json!(true)),
            change("caps.offers", json!(null), json!({"max": 2, "per": "week"})),
            change(
                "quiet_hours",
                json!(null),
                json!({"start": "21:00", "end": "08:00"})
            ),
            change("preferred_days", json!([]), json!(["mon", "sat"])),
            change(
                "time_zone",
                json!("Europe/Amsterdam"),
                json!("Europe/Berlin")
            ),
            change("paused_until", json!(null), json!("2099-12-31")),
            change("no_sale_or_sharing", json!(false), json!(true)),
        ]
    );
    let shown = notice(&app, "en").await;
    assert_eq!(record.customer_id, DEMO_ID);
    assert_eq!(
        (
            record.notice_version.as_str(),
            record.notice_sha256.as_str(),
            record.control.as_str(),
            record.page.as_str(),
            record.gpc,
            record.source.as_str()
        ),
        (
            "v1",
            shown.sha256.as_str(),
            "matrix",
            "/preferences",
            false,
            "customer"
        )
    );
    assert!(time::OffsetDateTime::parse(
        &record.at,
        &time::format_description::well_known::Rfc3339
    )
    .is_ok());

    // Undo one cell: one more record with just that cell, old and new swapped.
    let mut undo = saved.clone();
    set(&mut undo, Channel::Sms, Topic::Offers, false);
    let answer = save(&app, &demo, &undo, Some(&new_etag), "undo", &[]).await;
    assert_eq!(answer.status, StatusCode::OK);
    let list = records(&app, &demo).await;
    assert_eq!(list.len(), 3);
    assert_eq!(
        changes(&list[0]),
        [change("permissions.sms.offers", json!(true), json!(false))]
    );
    assert!(list[0].id > list[1].id, "newest first");
    assert_eq!(record_rows(&app).await, 3);
}

#[tokio::test]
async fn a_save_with_one_bad_field_stores_nothing_and_names_every_problem() {
    let app = test_app().await;
    let demo = app.demo_cookie().await;
    let (before, etag) = preferences(&app, &demo).await;
    let rows = record_rows(&app).await;

    // Several good changes and one bad one: nothing of it is stored.
    let mut next = before.clone();
    set(&mut next, Channel::Sms, Topic::Offers, true);
    next.no_sale_or_sharing = true;
    next.quiet_hours = Some(QuietHours {
        start: "25:00".into(),
        end: "07:00".into(),
    });
    let answer = save(&app, &demo, &next, Some(&etag), "matrix", &[]).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        answer.field_errors(),
        [(
            "preferences.quiet_hours.start".to_owned(),
            "invalid_format".to_owned()
        )]
    );
    assert_eq!(
        preferences(&app, &demo).await,
        (before.clone(), etag.clone())
    );
    assert_eq!(record_rows(&app).await, rows);

    // Many problems at once, each located.
    let mut bad = before.clone();
    set(&mut bad, Channel::Post, Topic::Service, false);
    bad.permissions.remove(24); // push.surveys
    bad.caps = vec![FrequencyCap {
        topic: Topic::Offers,
        max: 0,
        per: CapPeriod::Month,
    }];
    bad.time_zone = "x".repeat(65);
    bad.paused_until = Some("2001-01-01".into());
    let mut body = json!({
        "preferences": bad,
        "context": {"notice_version": "v1", "notice_sha256": "0".repeat(64), "control": "matrix",
                    "page": "/preferences", "gpc": false}
    });
    let answer = save_raw(&app, &demo, &body, Some(&etag), &[]).await;
    let expected: Vec<(String, String)> = [
        ("preferences.permissions[15]", "not_allowed"),
        ("preferences.permissions.push.surveys", "required"),
        ("preferences.caps[0].max", "invalid_format"),
        ("preferences.time_zone", "too_long"),
        ("preferences.paused_until", "not_allowed"),
        ("context.notice_sha256", "not_found"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_owned(), b.to_owned()))
    .collect();
    assert_eq!(answer.field_errors(), expected);

    // A duplicate cell, a pause that is not a date, an empty time zone.
    let mut dup = before.clone();
    dup.permissions[3] = dup.permissions[2];
    dup.paused_until = Some("soon".into());
    dup.time_zone = "".into();
    body["preferences"] = serde_json::to_value(&dup).unwrap();
    body["context"]["notice_sha256"] = json!(notice(&app, "nl").await.sha256);
    let answer = save_raw(&app, &demo, &body, Some(&etag), &[]).await;
    let expected: Vec<(String, String)> = [
        ("preferences.permissions[3]", "not_allowed"),
        ("preferences.permissions.email.partner_offers", "required"),
        ("preferences.time_zone", "required"),
        ("preferences.paused_until", "invalid_format"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_owned(), b.to_owned()))
    .collect();
    assert_eq!(
        answer.field_errors(),
        expected,
        "a Dutch notice is fine too"
    );

    // Wrong types: the JSON error shape, nothing stored.
    let answer = save_raw(&app, &demo, &json!({"preferences": 5}), Some(&etag), &[]).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    answer.error();

    assert_eq!(preferences(&app, &demo).await, (before, etag));
    assert_eq!(record_rows(&app).await, rows);
}

#[tokio::test]
async fn a_save_that_changes_nothing_writes_no_record() {
    let app = test_app().await;
    let demo = app.demo_cookie().await;
    let (before, etag) = preferences(&app, &demo).await;
    let rows = record_rows(&app).await;
    // The same state, in another order and with read-only contact points left out: still no change.
    let mut same = before.clone();
    same.permissions.reverse();
    same.contact_points.clear();
    let answer = save(&app, &demo, &same, Some(&etag), "matrix", &[]).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.header(header::ETAG).unwrap(), etag);
    assert_eq!(answer.json::<Preferences>(), before);
    assert_eq!(record_rows(&app).await, rows);
    assert_eq!(preferences(&app, &demo).await.1, etag);
}

#[tokio::test]
async fn a_stale_or_missing_etag_stores_nothing() {
    let app = test_app().await;
    let demo = app.demo_cookie().await;
    let (before, etag) = preferences(&app, &demo).await;
    let rows = record_rows(&app).await;
    let mut next = before.clone();
    set(&mut next, Channel::Post, Topic::Offers, true);

    let missing = save(&app, &demo, &next, None, "matrix", &[]).await;
    assert_eq!(missing.status, StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(missing.error_code(), "precondition_required");
    let weak = save(
        &app,
        &demo,
        &next,
        Some(&format!("W/{etag}")),
        "matrix",
        &[],
    )
    .await;
    assert_eq!(weak.status, StatusCode::PRECONDITION_FAILED);

    // Tab 1 saves; tab 2 still holds the old tag.
    let first = save(&app, &demo, &next, Some(&etag), "matrix", &[]).await;
    assert_eq!(first.status, StatusCode::OK);
    let after_first = preferences(&app, &demo).await;
    let mut other_tab = before.clone();
    set(&mut other_tab, Channel::Push, Topic::Surveys, true);
    let stale = save(&app, &demo, &other_tab, Some(&etag), "matrix", &[]).await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(stale.error_code(), "stale");
    assert_eq!(preferences(&app, &demo).await, after_first);
    assert_eq!(record_rows(&app).await, rows + 1, "only the first save");
}

#[tokio::test]
async fn global_privacy_control_switches_partner_offers_off_and_is_recorded() {
    let app = test_app().await;
    let demo = app.demo_cookie().await;
    let (before, etag) = preferences(&app, &demo).await;

    // The customer asks for partner offers by e-mail and SMS and for surveys by post, with Sec-GPC: 1.
    let mut next = before.clone();
    set(&mut next, Channel::Email, Topic::PartnerOffers, true);
    set(&mut next, Channel::Sms, Topic::PartnerOffers, true);
    set(&mut next, Channel::Post, Topic::Surveys, true);
    let answer = save(
        &app,
        &demo,
        &next,
        Some(&etag),
        "matrix",
        &[("sec-gpc", "1")],
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    let saved: Preferences = answer.json();
    let etag = answer.header(header::ETAG).unwrap();
    assert!(Channel::ALL
        .into_iter()
        .all(|c| !allowed(&saved, c, Topic::PartnerOffers)));
    assert!(saved.no_sale_or_sharing);
    assert!(
        allowed(&saved, Channel::Post, Topic::Surveys),
        "the rest is kept"
    );
    let record = &records(&app, &demo).await[0];
    assert!(record.gpc);
    assert_eq!(
        record.source, "gpc",
        "the signal decided no_sale_or_sharing"
    );
    assert_eq!(
        changes(record),
        [
            change("permissions.post.surveys", json!(false), json!(true)),
            change("no_sale_or_sharing", json!(false), json!(true)),
        ]
    );

    // Under GPC the customer changes something GPC does not touch: their own change, with gpc noted.
    let mut next = saved.clone();
    set(&mut next, Channel::Post, Topic::Surveys, false);
    let notice = notice(&app, "en").await;
    let body = json!({
        "preferences": next,
        "context": {"notice_version": "v1", "notice_sha256": notice.sha256, "control": "matrix",
                    "page": "/preferences", "gpc": true}
    });
    let answer = save_raw(&app, &demo, &body, Some(&etag), &[]).await;
    assert_eq!(answer.status, StatusCode::OK);
    let etag = answer.header(header::ETAG).unwrap();
    let record = &records(&app, &demo).await[0];
    assert_eq!((record.gpc, record.source.as_str()), (true, "customer"));
    // Switching no_sale_or_sharing off is refused by the signal: nothing changes, no record.
    let mut next = answer.json::<Preferences>();
    next.no_sale_or_sharing = false;
    let rows = record_rows(&app).await;
    let answer = save(
        &app,
        &demo,
        &next,
        Some(&etag),
        "matrix",
        &[("sec-gpc", "1")],
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.json::<Preferences>().no_sale_or_sharing);
    assert_eq!(record_rows(&app).await, rows);

    // Without the signal the customer may switch it off again.
    let answer = save(&app, &demo, &next, Some(&etag), "matrix", &[]).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(!answer.json::<Preferences>().no_sale_or_sharing);
    let record = &records(&app, &demo).await[0];
    assert_eq!((record.gpc, record.source.as_str()), (false, "customer"));
}

#[tokio::test]
async fn the_pages_own_gpc_save_names_gpc_as_the_source() {
    let app = test_app().await;
    let other = app.sign_in(seed::OTHER_CUSTOMERS[1].0).await;
    let (mut prefs, etag) = preferences(&app, &other).await;
    // The page applied the signal itself: what it sends already has partner offers off.
    prefs.no_sale_or_sharing = true;
    let notice = notice(&app, "de").await;
    let body = json!({
        "preferences": prefs,
        "context": {"notice_version": notice.version, "notice_sha256": notice.sha256,
                    "control": "gpc_signal", "page": "/preferences", "gpc": true}
    });
    let answer = save_raw(&app, &other, &body, Some(&etag), &[]).await;
    assert_eq!(answer.status, StatusCode::OK);
    let list = records(&app, &other).await;
    assert_eq!(list.len(), 1);
    assert_eq!(
        (
            list[0].gpc,
            list[0].source.as_str(),
            list[0].control.as_str()
        ),
        (true, "gpc", "gpc_signal")
    );
    assert_eq!(list[0].notice_sha256, notice.sha256);
}

// ---------------------------------------------------------------------------------------------------
// Append-only records and receipts

#[tokio::test]
async fn consent_records_cannot_be_changed_or_removed() {
    let app = test_app().await;
    let demo = app.demo_cookie().await;
    let before = records(&app, &demo).await;
    let id = before[0].id;

    // The database refuses, whoever asks.
    for sql in [
        "UPDATE consent_records SET source = 'customer' WHERE id = $1",
        "UPDATE consent_records SET changes = '[]' WHERE id = $1",
        "DELETE FROM consent_records WHERE id = $1",
        // SQLite's replace, and PostgreSQL's nearest equivalent (an upsert that overwrites).
        if common::on_postgres() {
            "INSERT INTO consent_records
                 SELECT id, customer_id, at, notice_version, notice_sha256, 'forged', page, gpc, source,
                        changes, canonical, sha256, prev_sha256 FROM consent_records WHERE id = $1
             ON CONFLICT (id) DO UPDATE SET control = excluded.control"
        } else {
            "INSERT OR REPLACE INTO consent_records
                 SELECT id, customer_id, at, notice_version, notice_sha256, 'forged', page, gpc, source,
                        changes, canonical, sha256, prev_sha256 FROM consent_records WHERE id = $1"
        },
    ] {
        let error = sqlx::query(sql)
            .bind(id)
            .execute(&app.pool)
            .await
            .expect_err(sql);
        assert!(error.to_string().contains("append-only"), "{sql}: {error}");
    }
    let error = sqlx::query("DELETE FROM consent_records")
        .execute(&app.pool)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("append-only"));
    // Deleting the customer would remove them too: refused.
    assert!(sqlx::query("DELETE FROM customers WHERE id = $1")
        .bind(DEMO_ID)
        .execute(&app.pool)
        .await
        .is_err());

    // And the API has no route that changes them.
    let record_uri = format!("/api/v1/consent-records/{id}");
    let receipt_uri = format!("/api/v1/consent-records/{id}/receipt");
    for method in ["PUT", "PATCH", "DELETE", "POST"] {
        let one = app
            .send_json(method, &record_uri, &demo, &json!({}), &[])
            .await;
        assert_eq!(one.status, StatusCode::NOT_FOUND, "{method} {record_uri}");
        for uri in ["/api/v1/consent-records", receipt_uri.as_str()] {
            let answer = app.send_json(method, uri, &demo, &json!({}), &[]).await;
            assert_eq!(
                answer.status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {uri}"
            );
            assert_eq!(answer.error_code(), "method_not_allowed");
        }
    }
    assert_eq!(records(&app, &demo).await, before);
}

#[tokio::test]
async fn a_receipt_verifies_and_any_edit_breaks_it() {
    let app = test_app().await;
    let demo = app.demo_cookie().await;
    let (mut prefs, etag) = preferences(&app, &demo).await;
    set(&mut prefs, Channel::Phone, Topic::Offers, true);
    prefs.quiet_hours = Some(QuietHours {
        start: "22:00".into(),
        end: "07:30".into(),
    });
    assert_eq!(
        save(&app, &demo, &prefs, Some(&etag), "matrix", &[])
            .await
            .status,
        StatusCode::OK
    );
    for record in records(&app, &demo).await {
        let receipt: ConsentReceipt = app
            .get_ok(
                &format!("/api/v1/consent-records/{}/receipt", record.id),
                &demo,
            )
            .await;
        assert_eq!(receipt.record, record);
        // Anyone can recompute the hash from the canonical text.
        assert_eq!(sha256_hex(&receipt.canonical), receipt.sha256);
        assert_eq!(receipt.sha256, record.sha256);
        // The canonical text is the record without its hash: sorted keys, no whitespace.
        let mut expected = serde_json::to_value(&record).unwrap();
        expected.as_object_mut().unwrap().remove("sha256");
        let parsed: Value = serde_json::from_str(&receipt.canonical).unwrap();
        assert_eq!(parsed, expected);
        assert!(
            receipt.canonical.starts_with("{\"at\":"),
            "{}",
            receipt.canonical
        );
        assert!(!parsed.as_object().unwrap().contains_key("sha256"));
        assert!(!receipt.canonical.contains(": ") && !receipt.canonical.contains('\n'));
        let keys: Vec<&String> = parsed.as_object().unwrap().keys().collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        // One character different: another hash.
        let tampered = receipt.canonical.replacen("\"v1\"", "\"v2\"", 1);
        assert_ne!(tampered, receipt.canonical);
        assert_ne!(sha256_hex(&tampered), receipt.sha256);
        assert_eq!(receipt.issued_by, "Rapport demo shop");
        assert!(time::OffsetDateTime::parse(
            &receipt.issued_at,
            &time::format_description::well_known::Rfc3339
        )
        .is_ok());
    }
}

#[tokio::test]
async fn another_customers_records_are_not_found_like_missing_ones() {
    let app = test_app().await;
    let other = app.sign_in(seed::OTHER_CUSTOMERS[0].0).await;
    let demo = app.demo_cookie().await;
    let demo_record = records(&app, &demo).await[0].id;

    // The other customer cannot see the demo's receipt; the answer equals a missing id's.
    let theirs = app
        .get(
            &format!("/api/v1/consent-records/{demo_record}/receipt"),
            &other,
        )
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert_eq!(theirs.error_code(), "not_found");
    for missing in ["99999", "abc", "-1"] {
        let answer = app
            .get(
                &format!("/api/v1/consent-records/{missing}/receipt"),
                &other,
            )
            .await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{missing}");
        assert_eq!(
            answer.body_without_request_id(),
            theirs.body_without_request_id()
        );
    }
    assert!(records(&app, &other).await.is_empty());

    // Their save changes only their state.
    let (before, _) = preferences(&app, &demo).await;
    let (mut prefs, etag) = preferences(&app, &other).await;
    set(&mut prefs, Channel::Email, Topic::Offers, true);
    assert_eq!(
        save(&app, &other, &prefs, Some(&etag), "matrix", &[])
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(preferences(&app, &demo).await.0, before);
    let their_records = records(&app, &other).await;
    assert_eq!(their_records.len(), 1);
    let other_id = customer_id(&app, seed::OTHER_CUSTOMERS[0].0).await;
    assert_eq!(their_records[0].customer_id, other_id);
    let answer = app
        .get(
            &format!("/api/v1/consent-records/{}/receipt", their_records[0].id),
            &demo,
        )
        .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(records(&app, &demo).await.len(), 1);
}

// ---------------------------------------------------------------------------------------------------
// Contact points

fn token_from(link: &str) -> String {
    let prefix = "Confirm contact point: http://127.0.0.1:";
    assert!(link.starts_with(prefix), "{link}");
    let (_, token) = link
        .split_once("/api/v1/contact-points/confirm?token=")
        .expect("a confirmation link");
    token.to_owned()
}

#[tokio::test]
async fn a_new_address_stays_pending_until_its_link_is_opened_once() {
    let (app, outbox) = test_app_with_outbox().await;
    let demo = app.demo_cookie().await;
    let answer = app
        .send_json(
            "POST",
            "/api/v1/contact-points",
            &demo,
            &json!({"channel": "email", "address": " anna.news@example.test "}),
            &[],
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED);
    let point: ContactPoint = answer.json();
    assert_eq!(
        (point.channel, point.address.as_str(), point.status.as_str()),
        (Channel::Email, "anna.news@example.test", "pending")
    );
    let (prefs, etag) = preferences(&app, &demo).await;
    assert!(prefs.contact_points.contains(&point));

    let link = outbox.sent().await.last().cloned().expect("a link");
    let token = token_from(&link);
    assert_eq!(token.len(), 64);
    // Only the token's hash is stored.
    let stored: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM contact_points WHERE token_hash = $1 OR address = $2 AND token_hash = $3",
    )
    .bind(&token)
    .bind(&point.address)
    .bind(sha256_hex(&token))
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(stored, 1, "the hash, not the token");

    // Opened from a mailbox: no session needed.
    let uri = format!("/api/v1/contact-points/confirm?token={token}");
    let opened = app.get(&uri, "").await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER);
    assert_eq!(
        opened.header(header::LOCATION).unwrap(),
        "/preferences?confirmed=1"
    );
    let (prefs, after) = preferences(&app, &demo).await;
    let confirmed = prefs
        .contact_points
        .iter()
        .find(|p| p.id == point.id)
        .unwrap();
    assert_eq!(confirmed.status, "confirmed");
    assert_eq!(after, etag, "contact points do not make an open page stale");

    // A used, wrong or missing token.
    let again = app.get(&uri, "").await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert!(again
        .header(header::CONTENT_TYPE)
        .unwrap()
        .starts_with("text/html"));
    let wrong = app
        .get("/api/v1/contact-points/confirm?token=00ff", "")
        .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    let none = app.get("/api/v1/contact-points/confirm", "").await;
    assert_eq!(none.status, StatusCode::BAD_REQUEST);
    assert_eq!(none.error_code(), "invalid_query");

    // The same address again: 200 with it as it is, no new link.
    let sent = outbox.sent().await.len();
    let answer = app
        .send_json(
            "POST",
            "/api/v1/contact-points",
            &demo,
            &json!({"channel": "email", "address": "Anna.News@example.test"}),
            &[],
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json::<ContactPoint>().status, "confirmed");
    assert_eq!(outbox.sent().await.len(), sent);
}

#[tokio::test]
async fn an_expired_or_other_link_does_not_confirm_and_a_resend_replaces_the_link() {
    let (app, outbox) = test_app_with_outbox().await;
    let demo = app.demo_cookie().await;
    let body = json!({"channel": "sms", "address": "+31 6 8765 4321"});
    let created = app
        .send_json("POST", "/api/v1/contact-points", &demo, &body, &[])
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(created.json::<ContactPoint>().address, "+31687654321");
    let first = token_from(outbox.sent().await.last().unwrap());
    // Asking again while pending sends a fresh link; the old one stops working.
    let again = app
        .send_json("POST", "/api/v1/contact-points", &demo, &body, &[])
        .await;
    assert_eq!(again.status, StatusCode::OK);
    let second = token_from(outbox.sent().await.last().unwrap());
    assert_ne!(first, second);
    let old = app
        .get(&format!("/api/v1/contact-points/confirm?token={first}"), "")
        .await;
    assert_eq!(old.status, StatusCode::NOT_FOUND);
    // Expired.
    sqlx::query("UPDATE contact_points SET token_expires_at = '2000-01-01T00:00:00Z' WHERE status = 'pending'")
        .execute(&app.pool)
        .await
        .unwrap();
    let expired = app
        .get(
            &format!("/api/v1/contact-points/confirm?token={second}"),
            "",
        )
        .await;
    assert_eq!(expired.status, StatusCode::NOT_FOUND);
    let (prefs, _) = preferences(&app, &demo).await;
    assert!(prefs
        .contact_points
        .iter()
        .any(|p| p.channel == Channel::Sms && p.status == "pending"));
}

#[tokio::test]
async fn contact_point_validation() {
    let (app, outbox) = test_app_with_outbox().await;
    let demo = app.demo_cookie().await;
    for (body, field, problem) in [
        (
            json!({"channel": "email", "address": "not-an-address"}),
            "address",
            "invalid_format",
        ),
        (
            json!({"channel": "email", "address": "  "}),
            "address",
            "required",
        ),
        (
            json!({"channel": "phone", "address": "0612345678"}),
            "address",
            "invalid_format",
        ),
        (
            json!({"channel": "sms", "address": "+1234567"}),
            "address",
            "invalid_format",
        ),
        (
            json!({"channel": "post", "address": "Oudegracht 1"}),
            "channel",
            "not_allowed",
        ),
    ] {
        let answer = app
            .send_json("POST", "/api/v1/contact-points", &demo, &body, &[])
            .await;
        assert_eq!(
            answer.field_errors(),
            [(field.to_owned(), problem.to_owned())],
            "{body}"
        );
    }
    let unknown = app
        .send_json(
            "POST",
            "/api/v1/contact-points",
            &demo,
            &json!({"channel": "fax", "address": "+31612345678"}),
            &[],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        outbox.sent().await.is_empty(),
        "no link for a refused address"
    );
}

// ---------------------------------------------------------------------------------------------------
// Deletion request

#[tokio::test]
async fn a_deletion_request_is_confirmed_by_typing_delete_and_made_once() {
    let app = test_app().await;
    let demo = app.demo_cookie().await;
    let none = app.get("/api/v1/deletion-request", &demo).await;
    assert_eq!(none.status, StatusCode::OK);
    assert_eq!(none.json::<Value>(), serde_json::Value::Null);

    for confirm in ["", "delete", "yes"] {
        let answer = app
            .send_json(
                "POST",
                "/api/v1/deletion-request",
                &demo,
                &json!({ "confirm": confirm }),
                &[],
            )
            .await;
        assert_eq!(
            answer.field_errors(),
            [("confirm".to_owned(), "invalid_format".to_owned())]
        );
    }
    let still_none = app.get("/api/v1/deletion-request", &demo).await;
    assert_eq!(still_none.status, StatusCode::OK);
    assert_eq!(still_none.json::<Value>(), Value::Null);

    let body = json!({"confirm": "DELETE"});
    let created = app
        .send_json("POST", "/api/v1/deletion-request", &demo, &body, &[])
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let request: DeletionRequest = created.json();
    assert_eq!(request.status, "received");
    assert_eq!(request.created_at, request.updated_at);
    let shown: DeletionRequest = app.get_ok("/api/v1/deletion-request", &demo).await;
    assert_eq!(shown, request);

    let again = app
        .send_json("POST", "/api/v1/deletion-request", &demo, &body, &[])
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json::<DeletionRequest>(), request);
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM deletion_requests")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(count, 1);

    // Another customer has none.
    let other = app.sign_in(seed::OTHER_CUSTOMERS[2].0).await;
    let none = app.get("/api/v1/deletion-request", &other).await;
    assert_eq!(none.status, StatusCode::OK);
    assert_eq!(none.json::<Value>(), Value::Null);
}

// ---------------------------------------------------------------------------------------------------
// Migration

#[tokio::test]
async fn a_database_seeded_before_the_preference_centre_gets_its_demo_part_once() {
    let path =
        std::env::temp_dir().join(format!("rapport-pre-prefs-{}.sqlite3", std::process::id()));
    let name = path.to_string_lossy().to_string();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{name}{suffix}"));
    }
    {
        // Migrations 1 and 2 only, with two customers.
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true);
        let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
        sqlx::raw_sql(include_str!("../migrations/0001_initial.sql"))
            .execute(&pool)
            .await
            .unwrap();
        sqlx::raw_sql(include_str!("../migrations/0002_portal.sql"))
            .execute(&pool)
            .await
            .unwrap();
        let hash = rapport_server::password_queue::hash_password(seed::DEMO_PASSWORD).unwrap();
        sqlx::raw_sql(&format!(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
             INSERT INTO schema_migrations VALUES (1, '2025-01-01T00:00:00Z'), (2, '2025-01-02T00:00:00Z');
             INSERT INTO customers (id, email, name, password_hash, customer_since) VALUES
               (1, 'demo@rapport.test', 'Anna de Vries', '{hash}', '2022-01-01T00:00:00Z'),
               (2, 'jonas.weber@example.test', 'Jonas Weber', '{hash}', '2023-01-01T00:00:00Z');"
        ))
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
    }
    let pool = rapport_server::db::open(&name).await.unwrap();
    assert!(!seed::seed_if_empty(&pool).await.unwrap());
    assert!(
        !seed::seed_if_empty(&pool).await.unwrap(),
        "twice: no duplicates"
    );
    let app = common::app_over(pool.clone(), "pre-prefs");
    let demo = app.demo_cookie().await;
    let (prefs, etag) = preferences(&app, &demo).await;
    assert!(allowed(&prefs, Channel::Email, Topic::Newsletter));
    assert_eq!(prefs.contact_points.len(), 1);
    let list = records(&app, &demo).await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].at, "2022-01-01T00:00:00Z");
    let mut next = prefs.clone();
    set(&mut next, Channel::Sms, Topic::Surveys, true);
    assert_eq!(
        save(&app, &demo, &next, Some(&etag), "matrix", &[])
            .await
            .status,
        StatusCode::OK
    );
    let other = app.sign_in("jonas.weber@example.test").await;
    let (theirs, _) = preferences(&app, &other).await;
    assert!(!allowed(&theirs, Channel::Email, Topic::Newsletter));
    assert!(records(&app, &other).await.is_empty());
    pool.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{name}{suffix}"));
    }
}

#[tokio::test]
async fn a_customer_without_stored_preferences_gets_defaults_and_a_first_save_works() {
    let app = test_app().await;
    let other_email = seed::OTHER_CUSTOMERS[2].0;
    let id = customer_id(&app, other_email).await;
    // As if the customer had been created after the seed: no rows at all.
    for table in ["permissions", "frequency_caps", "preferences"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE customer_id = $1"))
            .bind(id)
            .execute(&app.pool)
            .await
            .unwrap();
    }
    let other = app.sign_in(other_email).await;
    let (mut prefs, etag) = preferences(&app, &other).await;
    assert_eq!(prefs.permissions.len(), 25);
    assert!(prefs
        .permissions
        .iter()
        .all(|p| p.allowed == (p.topic == Topic::Service)));
    set(&mut prefs, Channel::Push, Topic::Offers, true);
    let answer = save(&app, &other, &prefs, Some(&etag), "matrix", &[]).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(preferences(&app, &other).await.0, prefs);
    assert_eq!(
        changes(&records(&app, &other).await[0]),
        [change("permissions.push.offers", json!(false), json!(true))]
    );
    // The old tag (version 0) is stale now.
    let again = save(&app, &other, &prefs, Some(&etag), "matrix", &[]).await;
    assert_eq!(again.status, StatusCode::PRECONDITION_FAILED);
}
