//! The customer portal's API: isolation, overview, orders, invoices, history, requests, profile.

mod common;

use axum::http::{header, StatusCode};
use common::{test_app, TestApp};
use rapport_api::{
    HistoryKind, HistoryPage, Invoice, OrderDetail, OrderStatus, Overview, ProfileDetails,
    ServiceRequest,
};
use rapport_server::seed;
use serde_json::{json, Value};
use std::collections::HashSet;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

const DEMO_ID: i64 = 1;

/// An order of the customer with the given status (oldest first, so it is not the seeded return's).
async fn order_with_status(app: &TestApp, customer_id: i64, status: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT id FROM orders WHERE customer_id = $1 AND status = $2 ORDER BY placed_at LIMIT 1",
    )
    .bind(customer_id)
    .bind(status)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

async fn item_ids(app: &TestApp, order_id: i64) -> Vec<i64> {
    sqlx::query_scalar("SELECT id FROM order_items WHERE order_id = $1 ORDER BY id")
        .bind(order_id)
        .fetch_all(&app.pool)
        .await
        .unwrap()
}

async fn post_request(app: &TestApp, cookie: &str, body: Value) -> common::Answer {
    app.send_json("POST", "/api/v1/requests", cookie, &body, &[])
        .await
}

// ---------------------------------------------------------------------------------------------------
// Isolation

#[tokio::test]
async fn other_customers_orders_invoices_and_requests_are_indistinguishable_from_missing_ones() {
    let app = test_app().await;
    let other_email = seed::OTHER_CUSTOMERS[0].0;
    let other = app.sign_in(other_email).await;
    let other_id: i64 = sqlx::query_scalar("SELECT id FROM customers WHERE email = $1")
        .bind(other_email)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    // Their five orders are all days old: the shipped one has an invoice.
    let their_order = order_with_status(&app, other_id, "shipped").await;
    let their_invoice: i64 = sqlx::query_scalar("SELECT id FROM invoices WHERE order_id = $1")
        .bind(their_order)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let created = post_request(
        &app,
        &other,
        json!({"kind": "complaint", "order_id": their_order, "reason": "Scratched"}),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let their_request = created.json::<ServiceRequest>().id;

    // The owner sees all three: the ids are real.
    for uri in [
        format!("/api/v1/orders/{their_order}"),
        format!("/api/v1/invoices/{their_invoice}"),
        format!("/api/v1/requests/{their_request}"),
    ] {
        assert_eq!(app.get(&uri, &other).await.status, StatusCode::OK, "{uri}");
    }

    let demo = app.demo_cookie().await;
    for (resource, id) in [
        ("orders", their_order),
        ("invoices", their_invoice),
        ("requests", their_request),
    ] {
        let theirs = app.get(&format!("/api/v1/{resource}/{id}"), &demo).await;
        assert_eq!(theirs.status, StatusCode::NOT_FOUND, "{resource}/{id}");
        assert_eq!(theirs.error_code(), "not_found");
        for other_id in ["99999999", "abc", "1%20OR%201=1", "-1", "%FF"] {
            let missing = app
                .get(&format!("/api/v1/{resource}/{other_id}"), &demo)
                .await;
            assert_eq!(
                missing.status,
                StatusCode::NOT_FOUND,
                "{resource}/{other_id}"
            );
            assert_eq!(
                theirs.body_without_request_id(),
                missing.body_without_request_id(),
                "{resource}/{other_id}"
            );
        }
    }
    // Filing a request about their order is refused the same way.
    let answer = post_request(
        &app,
        &demo,
        json!({"kind": "complaint", "order_id": their_order, "reason": "Mine now"}),
    )
    .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.error_code(), "not_found");

    // And nothing of theirs leaks into the demo customer's lists.
    let requests: Vec<ServiceRequest> = app.get_ok("/api/v1/requests", &demo).await;
    assert!(requests.iter().all(|r| r.id != their_request));
    let history: HistoryPage = app.get_ok("/api/v1/history?limit=500&q=X0", &demo).await;
    assert_eq!(
        history.total, 0,
        "the other customer's numbers start with X0"
    );
}

#[tokio::test]
async fn portal_resources_need_a_session() {
    let app = test_app().await;
    for uri in [
        "/api/v1/orders/1",
        "/api/v1/invoices/1",
        "/api/v1/history",
        "/api/v1/requests",
        "/api/v1/requests/1",
        "/api/v1/profile",
    ] {
        let answer = app.get(uri, "rapport_session=forged").await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{uri}");
        assert_eq!(answer.error_code(), "unauthorized");
    }
}

// ---------------------------------------------------------------------------------------------------
// Overview, order detail, invoice

#[tokio::test]
async fn overview_summarises_the_relationship_and_lists_open_requests() {
    let app = test_app().await;
    let demo = app.demo_cookie().await;
    let overview: Overview = app.get_ok("/api/v1/overview", &demo).await;

    // Expected figures computed here from the raw rows, independently of the server's SQL.
    let orders: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT placed_at, status, total_cents FROM orders WHERE customer_id = 1")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    let year_ago = OffsetDateTime::now_utc() - time::Duration::days(365);
    let recent: Vec<_> = orders
        .iter()
        .filter(|(at, _, _)| OffsetDateTime::parse(at, &Rfc3339).unwrap() >= year_ago)
        .collect();
    let spent: i64 = recent
        .iter()
        .filter(|(_, status, _)| status != "cancelled")
        .map(|(_, _, total)| total)
        .sum();
    let r = &overview.relationship;
    assert_eq!(r.orders_last_12_months as usize, recent.len());
    assert!(r.orders_last_12_months > 50 && r.orders_last_12_months < 240);
    assert_eq!(r.spent_last_12_months_cents, spent);
    assert_eq!(r.currency, "EUR");
    assert_eq!(
        r.first_order_at.as_ref(),
        orders.iter().map(|(at, _, _)| at).min()
    );

    assert_eq!(overview.open_requests, 1);
    assert_eq!(overview.open_request_list.len(), 1);
    let open = &overview.open_request_list[0];
    assert_eq!(open.status, "in_review");
    assert_eq!(open.events.len(), 2);
    assert_eq!(open.events[0].status, "submitted");
    assert_eq!(open.item_ids.len(), 1);

    // New requests come first, and the list stops at five.
    let order = order_with_status(&app, DEMO_ID, "delivered").await;
    for n in 0..6 {
        let answer = post_request(
            &app,
            &demo,
            json!({"kind": "warranty", "order_id": order, "reason": format!("Claim {n}")}),
        )
        .await;
        assert_eq!(answer.status, StatusCode::CREATED);
    }
    let overview: Overview = app.get_ok("/api/v1/overview", &demo).await;
    assert_eq!(overview.open_requests, 7);
    let reasons: Vec<&str> = overview
        .open_request_list
        .iter()
        .map(|r| r.reason.as_str())
        .collect();
    assert_eq!(
        reasons,
        ["Claim 5", "Claim 4", "Claim 3", "Claim 2", "Claim 1"]
    );
}

#[tokio::test]
async fn order_detail_has_items_invoices_payments_tracking_and_requests() {
    let app = test_app().await;
    let demo = app.demo_cookie().await;
    let overview: Overview = app.get_ok("/api/v1/overview", &demo).await;
    // The seeded open return is about a recently delivered order.
    let order_id = overview.open_request_list[0].order_id.unwrap();
    let detail: OrderDetail = app
        .get_ok(&format!("/api/v1/orders/{order_id}"), &demo)
        .await;
    assert_eq!(detail.order.id, order_id);
    assert_eq!(detail.order.status, OrderStatus::Delivered);
    assert!(!detail.ship_to.is_empty());
    assert!(!detail.items.is_empty());
    let items_total: i64 = detail
        .items
        .iter()
        .map(|i| i.unit_price_cents * i64::from(i.quantity))
        .sum();
    assert_eq!(items_total, detail.order.total_cents);

    assert_eq!(detail.invoices.len(), 1);
    let invoice = &detail.invoices[0];
    assert_eq!(invoice.amount_cents, detail.order.total_cents);
    assert_eq!(invoice.paid_cents, invoice.amount_cents);
    assert_eq!(invoice.items, detail.items);
    assert_eq!(invoice.order_number, detail.order.number);
    assert_eq!(invoice.ship_to, detail.ship_to);
    assert!(invoice.bill_to.starts_with("Anna de Vries, "));
    assert!(invoice.bill_to.contains("Utrecht"));
    assert_eq!(detail.payments.len(), 1);
    assert_eq!(detail.payments[0].invoice_id, invoice.id);

    assert_eq!(detail.shipments.len(), 1);
    let events = &detail.shipments[0].events;
    assert!(events.len() >= 4);
    assert!(
        events.windows(2).all(|w| w[0].at <= w[1].at),
        "oldest first"
    );
    assert_eq!(events[0].status, "shipped");
    assert_eq!(events.last().unwrap().status, "delivered");

    assert_eq!(detail.requests.len(), 1);
    assert_eq!(detail.requests[0].kind.as_str(), "return");
    assert_eq!(detail.requests[0].events.len(), 2);
    assert!(detail
        .items
        .iter()
        .any(|i| i.id == detail.requests[0].item_ids[0]));

    // The invoice on its own is the same as inside the order.
    let alone: Invoice = app
        .get_ok(&format!("/api/v1/invoices/{}", invoice.id), &demo)
        .await;
    assert_eq!(&alone, invoice);

    // A just-placed order has no invoice, payment or shipment yet.
    let placed = order_with_status(&app, DEMO_ID, "placed").await;
    let detail: OrderDetail = app.get_ok(&format!("/api/v1/orders/{placed}"), &demo).await;
    assert_eq!(detail.order.status, OrderStatus::Placed);
    assert!(
        detail.invoices.is_empty() && detail.payments.is_empty() && detail.shipments.is_empty()
    );
}

// ---------------------------------------------------------------------------------------------------
// History

async fn expected_total(app: &TestApp) -> i64 {
    let mut total = 0;
    for sql in [
        "SELECT COUNT(*) FROM orders WHERE customer_id = $1",
        "SELECT COUNT(*) FROM invoices i JOIN orders o ON o.id = i.order_id WHERE o.customer_id = $1",
        "SELECT COUNT(*) FROM payments p JOIN invoices i ON i.id = p.invoice_id
         JOIN orders o ON o.id = i.order_id WHERE o.customer_id = $1",
        "SELECT COUNT(*) FROM shipments s JOIN orders o ON o.id = s.order_id WHERE o.customer_id = $1",
        "SELECT COUNT(*) FROM contacts WHERE customer_id = $1",
        "SELECT COUNT(*) FROM service_requests WHERE customer_id = $1",
    ] {
        total += app.scalar(sql, DEMO_ID).await;
    }
    total
}

/// Follows `next_cursor` from the first page; returns every entry and checks `total` on every page.
async fn walk(app: &TestApp, cookie: &str, query: &str) -> (Vec<rapport_api::HistoryEntry>, u32) {
    let mut entries = Vec::new();
    let mut cursor: Option<String> = None;
    let mut total = None;
    for _ in 0..10_000 {
        let uri = match &cursor {
            Some(c) => format!("/api/v1/history?{query}&cursor={c}"),
            None => format!("/api/v1/history?{query}"),
        };
        let page: HistoryPage = app.get_ok(&uri, cookie).await;
        assert_eq!(
            *total.get_or_insert(page.total),
            page.total,
            "total is stable"
        );
        assert!(
            !page.entries.is_empty() || cursor.is_none(),
            "no empty middle pages"
        );
        entries.extend(page.entries);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    (entries, total.unwrap_or(0))
}

#[tokio::test]
async fn history_pages_walk_every_entry_exactly_once_in_both_orders() {
    let app = test_app().await;
    let demo = app.demo_cookie().await;
    let expected = expected_total(&app).await;
    assert!(
        expected > 900,
        "the demo has about 1000 entries, got {expected}"
    );

    let first: HistoryPage = app.get_ok("/api/v1/history", &demo).await;
    assert_eq!(first.entries.len(), 50, "default limit");
    assert_eq!(i64::from(first.total), expected);

    for (sort, limit) in [("desc", 97), ("asc", 500), ("desc", 1)] {
        if limit == 1 {
            // One entry per page would be 1000 requests; the small page size is walked on a subset.
            let (entries, total) = walk(&app, &demo, "kind=contact&limit=1").await;
            assert_eq!(entries.len(), 12);
            assert_eq!(total, 12);
            continue;
        }
        let (entries, total) = walk(&app, &demo, &format!("sort={sort}&limit={limit}")).await;
        assert_eq!(i64::from(total), expected);
        assert_eq!(entries.len() as i64, expected, "{sort}");
        let ids: HashSet<&str> = entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), entries.len(), "no duplicates ({sort})");
        let keys: Vec<(&str, &str)> = entries
            .iter()
            .map(|e| (e.at.as_str(), e.id.as_str()))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        if sort == "desc" {
            sorted.reverse();
        }
        assert_eq!(keys, sorted, "ordered by (at, id) {sort}");
    }
    // Every kind with entries shows up, with its id prefix.
    let (entries, _) = walk(&app, &demo, "limit=500").await;
    for kind in [
        "order", "invoice", "payment", "shipment", "contact", "request",
    ] {
        assert!(
            entries
                .iter()
                .any(|e| e.kind.as_str() == kind && e.id.starts_with(&format!("{kind}:"))),
            "{kind}"
        );
    }
}

#[tokio::test]
async fn history_filters_by_kind_date_status_and_text() {
    let app = test_app().await;
    let demo = app.demo_cookie().await;

    let (entries, total) = walk(&app, &demo, "kind=order,contact&limit=500").await;
    assert_eq!(total as usize, seed::DEMO_ORDERS + 12);
    assert_eq!(entries.len(), total as usize);
    assert!(entries
        .iter()
        .all(|e| matches!(e.kind, HistoryKind::Order | HistoryKind::Contact)));

    let none: HistoryPage = app
        .get_ok("/api/v1/history?kind=survey_answer", &demo)
        .await;
    assert_eq!(
        (none.total, none.entries.len(), none.next_cursor),
        (0, 0, None)
    );

    // Date range: one order's day, inclusive on both ends.
    let placed: String = sqlx::query_scalar(
        "SELECT placed_at FROM orders WHERE customer_id = 1 ORDER BY placed_at LIMIT 1 OFFSET 40",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let day = &placed[..10];
    let page: HistoryPage = app
        .get_ok(
            &format!("/api/v1/history?from={day}&to={day}&limit=500"),
            &demo,
        )
        .await;
    assert!(page
        .entries
        .iter()
        .any(|e| e.at == placed && e.kind == HistoryKind::Order));
    assert!(page.entries.iter().all(|e| &e.at[..10] == day));
    // A year's range holds only entries of that year, and fewer than everything.
    let year = &placed[..4];
    let (entries, total) = walk(
        &app,
        &demo,
        &format!("from={year}-01-01&to={year}-12-31&limit=200"),
    )
    .await;
    assert!(total > 0 && (total as i64) < expected_total(&app).await);
    assert!(entries.iter().all(|e| e.at.starts_with(year)));

    // Status: delivered orders, compared with the database.
    let delivered = app
        .scalar(
            "SELECT COUNT(*) FROM orders WHERE customer_id = $1 AND status = 'delivered'",
            1,
        )
        .await;
    let (entries, total) = walk(&app, &demo, "kind=order&status=delivered&limit=33").await;
    assert_eq!(i64::from(total), delivered);
    assert!(entries
        .iter()
        .all(|e| e.status.as_deref() == Some("delivered") && e.kind == HistoryKind::Order));

    // Text: case-insensitive over reference (invoice number) and detail (the order number on the
    // invoice and the payment).
    let page: HistoryPage = app.get_ok("/api/v1/history?q=inv-r100007", &demo).await;
    let kinds: HashSet<HistoryKind> = page.entries.iter().map(|e| e.kind).collect();
    assert_eq!(page.total, 2, "{:?}", page.entries);
    assert_eq!(
        kinds,
        HashSet::from([HistoryKind::Invoice, HistoryKind::Payment])
    );
    let page: HistoryPage = app
        .get_ok("/api/v1/history?q=R100007&kind=order,invoice", &demo)
        .await;
    assert_eq!(page.total, 2);
    // Detail: carrier names on shipments.
    let page: HistoryPage = app
        .get_ok("/api/v1/history?q=postnl&limit=500", &demo)
        .await;
    assert!(page.total > 0);
    assert!(page
        .entries
        .iter()
        .all(|e| e.kind == HistoryKind::Shipment && e.detail.as_deref() == Some("PostNL")));
    // LIKE wildcards are literal text, not patterns.
    for q in ["%25", "_", "%5C"] {
        let page: HistoryPage = app.get_ok(&format!("/api/v1/history?q={q}"), &demo).await;
        assert_eq!(page.total, 0, "q={q}");
    }
}

#[tokio::test]
async fn history_rejects_bad_parameters_with_a_json_error_naming_them() {
    let app = test_app().await;
    let demo = app.demo_cookie().await;
    let first: HistoryPage = app.get_ok("/api/v1/history?limit=5", &demo).await;
    let desc_cursor = first.next_cursor.unwrap();
    let cases = [
        ("from=2024-13-01", "invalid_query", "from"),
        ("to=yesterday", "invalid_query", "to"),
        ("from=2024-02-30", "invalid_query", "from"),
        ("from=2024-05-01&to=2024-04-01", "invalid_query", "from"),
        ("limit=0", "invalid_query", "limit"),
        ("limit=501", "invalid_query", "limit"),
        ("limit=ten", "invalid_query", "limit"),
        ("sort=newest", "invalid_query", "sort"),
        ("kind=order,parcel", "invalid_query", "kind"),
        ("limit=1&limit=2", "invalid_query", "limit"),
        ("cursor=zz", "invalid_cursor", "cursor"),
        ("cursor=6f726465723a31", "invalid_cursor", "cursor"),
        (
            &format!("sort=asc&cursor={desc_cursor}"),
            "invalid_cursor",
            "cursor",
        ),
    ];
    for (query, code, parameter) in cases {
        let answer = app.get(&format!("/api/v1/history?{query}"), &demo).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{query}");
        let error = answer.error().error;
        assert_eq!(error.code, code, "{query}");
        assert!(
            error.message.contains(&format!("`{parameter}`")) || parameter == "limit",
            "{query}: {}",
            error.message
        );
    }
}

#[tokio::test]
async fn history_of_ten_thousand_entries_pages_quickly() {
    let app = test_app().await;
    let demo = app.demo_cookie().await;
    let mut tx = app.pool.begin().await.unwrap();
    for n in 0..10_000 {
        sqlx::query(
            "INSERT INTO contacts (customer_id, at, channel, subject) VALUES (1, $1, 'email', $2)",
        )
        .bind(format!(
            "2020-{:02}-{:02}T{:02}:00:00Z",
            1 + n % 12,
            1 + n % 28,
            n % 24
        ))
        .bind(format!("Bulk contact {n}"))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let expected = expected_total(&app).await;
    assert!(expected > 10_000);

    let started = std::time::Instant::now();
    let page: HistoryPage = app.get_ok("/api/v1/history?limit=100", &demo).await;
    let first_page = started.elapsed();
    assert_eq!(i64::from(page.total), expected);
    let (entries, _) = walk(&app, &demo, "limit=500").await;
    let whole_walk = started.elapsed();
    assert_eq!(entries.len() as i64, expected);
    let ids: HashSet<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), entries.len());
    eprintln!("10k history: first page {first_page:?}, full walk {whole_walk:?}");
    // Generous (unoptimised test build, shared CI machine); catches a quadratic or load-all regression.
    assert!(
        first_page.as_secs_f64() < 2.0,
        "first page took {first_page:?}"
    );
}

// ---------------------------------------------------------------------------------------------------
// Requests

#[tokio::test]
async fn a_return_is_created_and_shows_up_everywhere_with_its_status_history() {
    let app = test_app().await;
    let demo = app.demo_cookie().await;
    let order = order_with_status(&app, DEMO_ID, "delivered").await;
    let items = item_ids(&app, order).await;
    let answer = post_request(
        &app,
        &demo,
        json!({
            "kind": "return",
            "order_id": order,
            "item_ids": [items[0], items[0]],
            "reason": "  Wrong colour  ",
            "description": "Line one\r\nLine two\twith a tab"
        }),
    )
    .await;
    assert_eq!(
        answer.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    let created: ServiceRequest = answer.json();
    assert_eq!(
        answer.header(header::LOCATION),
        Some(format!("/api/v1/requests/{}", created.id))
    );
    assert_eq!(created.status, "submitted");
    assert_eq!(created.reason, "Wrong colour");
    assert_eq!(created.description, "Line one\nLine two\twith a tab");
    assert_eq!(
        created.item_ids,
        vec![items[0]],
        "a line named twice counts once"
    );
    assert_eq!(created.order_id, Some(order));
    assert!(created.order_number.is_some());
    assert_eq!(created.events.len(), 1);
    assert_eq!(created.events[0].status, "submitted");

    let list: Vec<ServiceRequest> = app.get_ok("/api/v1/requests", &demo).await;
    assert_eq!(list.len(), 3);
    assert_eq!(list[0], created, "newest first");
    assert!(list.windows(2).all(|w| w[0].created_at >= w[1].created_at));
    let resolved = list.iter().find(|r| r.status == "resolved").unwrap();
    let history: Vec<&str> = resolved.events.iter().map(|e| e.status.as_str()).collect();
    assert_eq!(history, ["submitted", "in_review", "resolved"]);

    let one: ServiceRequest = app
        .get_ok(&format!("/api/v1/requests/{}", created.id), &demo)
        .await;
    assert_eq!(one, created);
    let detail: OrderDetail = app.get_ok(&format!("/api/v1/orders/{order}"), &demo).await;
    assert!(detail.requests.contains(&created));
    let page: HistoryPage = app.get_ok("/api/v1/history?kind=request", &demo).await;
    assert_eq!(page.entries[0].id, format!("request:{}", created.id));
    assert_eq!(page.entries[0].status.as_deref(), Some("submitted"));
    assert_eq!(page.entries[0].detail.as_deref(), Some("return"));
}

#[tokio::test]
async fn request_validation_reports_every_field() {
    let app = test_app().await;
    let demo = app.demo_cookie().await;
    let order = order_with_status(&app, DEMO_ID, "delivered").await;
    let other_order = order_with_status(&app, DEMO_ID, "returned").await;
    let foreign_item = item_ids(&app, other_order).await[0];
    let mine = item_ids(&app, order).await[0];

    let answer = post_request(
        &app,
        &demo,
        json!({
            "kind": "complaint",
            "order_id": order,
            "item_ids": [mine, foreign_item, 99999999],
            "reason": "   ",
            "description": "x".repeat(4001)
        }),
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        answer.field_errors(),
        [
            ("reason", "required"),
            ("description", "too_long"),
            ("item_ids[1]", "not_found"),
            ("item_ids[2]", "not_found"),
        ]
        .map(|(f, p)| (f.to_owned(), p.to_owned()))
    );

    let cases = [
        (json!("r".repeat(201)), json!(""), "reason", "too_long"),
        (json!("Bell\u{7}"), json!(""), "reason", "invalid_format"),
        (
            json!("ok"),
            json!("escape \u{1b}[31m red"),
            "description",
            "invalid_format",
        ),
        (
            json!("ok"),
            json!("nul \u{0}"),
            "description",
            "invalid_format",
        ),
    ];
    for (reason, description, field, problem) in cases {
        let answer = post_request(
            &app,
            &demo,
            json!({"kind": "complaint", "order_id": order, "reason": reason, "description": description}),
        )
        .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(
            answer.field_errors(),
            [(field.to_owned(), problem.to_owned())]
        );
    }
    // Exactly at the limits is fine.
    let answer = post_request(
        &app,
        &demo,
        json!({"kind": "complaint", "order_id": order, "reason": "é".repeat(200), "description": "d".repeat(4000)}),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED);

    // Wrong types and unknown kinds are 422 with the JSON error shape, missing order is 404.
    for body in [
        json!({"kind": "refund", "order_id": order, "reason": "x"}),
        json!({"kind": "return", "order_id": "one", "reason": "x"}),
        json!({"kind": "return", "order_id": order}),
    ] {
        let answer = post_request(&app, &demo, body).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(answer.error_code(), "invalid_fields");
    }
    let answer = post_request(
        &app,
        &demo,
        json!({"kind": "return", "order_id": 99999999, "reason": "x"}),
    )
    .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.error_code(), "not_found");
}

#[tokio::test]
async fn a_return_needs_a_delivered_order_but_a_complaint_does_not() {
    let app = test_app().await;
    let demo = app.demo_cookie().await;
    for status in [
        "placed",
        "shipped",
        "out_for_delivery",
        "delayed",
        "cancelled",
        "returned",
    ] {
        let order = order_with_status(&app, DEMO_ID, status).await;
        let answer = post_request(
            &app,
            &demo,
            json!({"kind": "return", "order_id": order, "reason": "Changed my mind"}),
        )
        .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{status}");
        assert_eq!(
            answer.field_errors(),
            [("order_id".to_owned(), "not_allowed".to_owned())],
            "{status}"
        );
    }
    let placed = order_with_status(&app, DEMO_ID, "placed").await;
    let answer = post_request(
        &app,
        &demo,
        json!({"kind": "complaint", "order_id": placed, "reason": "Not shipped yet"}),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED);
    let requests: Vec<ServiceRequest> = app.get_ok("/api/v1/requests", &demo).await;
    assert_eq!(requests.len(), 3, "the refused returns left nothing behind");
}

#[tokio::test]
async fn html_and_unicode_in_text_are_stored_as_sent() {
    let app = test_app().await;
    let demo = app.demo_cookie().await;
    let order = order_with_status(&app, DEMO_ID, "delivered").await;
    let reason = "<script>alert('x')</script> & \"quotes\" 💥 ' OR 1=1 --";
    let answer = post_request(
        &app,
        &demo,
        json!({"kind": "complaint", "order_id": order, "reason": reason, "description": "<img src=x onerror=alert(1)>"}),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED);
    let created: ServiceRequest = answer.json();
    assert_eq!(created.reason, reason);
    assert_eq!(created.description, "<img src=x onerror=alert(1)>");
    // The JSON is served as JSON, never as HTML.
    assert!(answer
        .header(header::CONTENT_TYPE)
        .unwrap()
        .starts_with("application/json"));
    // Searching for it with the same characters finds it and nothing breaks.
    let page: HistoryPage = app
        .get_ok("/api/v1/history?q=%3Cscript%3E&kind=request", &demo)
        .await;
    assert_eq!(page.total, 1);
    assert_eq!(page.entries[0].reference, reason);
}

// ---------------------------------------------------------------------------------------------------
// Profile

async fn profile(app: &TestApp, cookie: &str) -> (ProfileDetails, String) {
    let answer = app.get("/api/v1/profile", cookie).await;
    assert_eq!(answer.status, StatusCode::OK);
    let etag = answer.header(header::ETAG).expect("an ETag");
    (answer.json(), etag)
}

async fn put_profile(
    app: &TestApp,
    cookie: &str,
    body: &Value,
    if_match: Option<&str>,
) -> common::Answer {
    let extra: Vec<(&str, &str)> = if_match.map(|tag| ("if-match", tag)).into_iter().collect();
    app.send_json("PUT", "/api/v1/profile", cookie, body, &extra)
        .await
}

#[tokio::test]
async fn profile_round_trips_with_etags() {
    let app = test_app().await;
    let demo = app.demo_cookie().await;
    let (details, etag) = profile(&app, &demo).await;
    assert!(
        etag.starts_with('"') && etag.ends_with('"') && etag.len() > 10,
        "strong: {etag}"
    );
    assert_eq!(details.email, seed::DEMO_EMAIL);
    assert_eq!(details.phone, "+31612345678");
    let labels: Vec<&str> = details.addresses.iter().map(|a| a.label.as_str()).collect();
    assert_eq!(labels, ["delivery", "billing"]);
    assert_eq!(profile(&app, &demo).await.1, etag, "stable while unchanged");

    let mut body = serde_json::to_value(&details).unwrap();
    body["name"] = json!("  Anna <b>de</b> Vries  ");
    body["phone"] = json!("+31 20 123 4567");
    body["addresses"][0]["city"] = json!("Amersfoort");

    let missing = put_profile(&app, &demo, &body, None).await;
    assert_eq!(missing.status, StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(missing.error_code(), "precondition_required");
    let wrong = put_profile(&app, &demo, &body, Some("\"not-the-tag\"")).await;
    assert_eq!(wrong.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(wrong.error_code(), "stale");
    let weak = format!("W/{etag}");
    assert_eq!(
        put_profile(&app, &demo, &body, Some(&weak)).await.status,
        StatusCode::PRECONDITION_FAILED,
        "a weak tag never matches If-Match"
    );
    assert_eq!(
        profile(&app, &demo).await.1,
        etag,
        "refused saves change nothing"
    );

    let saved = put_profile(&app, &demo, &body, Some(&etag)).await;
    assert_eq!(
        saved.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&saved.body)
    );
    let new_etag = saved.header(header::ETAG).unwrap();
    assert_ne!(new_etag, etag);
    let saved: ProfileDetails = saved.json();
    assert_eq!(
        saved.name, "Anna <b>de</b> Vries",
        "trimmed, HTML kept as text"
    );
    assert_eq!(saved.phone, "+31201234567");
    assert_eq!(saved.addresses[0].city, "Amersfoort");
    assert_eq!(
        profile(&app, &demo).await,
        (saved.clone(), new_etag.clone())
    );

    // The old tag is now stale: a second tab cannot overwrite the change.
    let stale = put_profile(&app, &demo, &body, Some(&etag)).await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);

    // Removing all addresses and the phone is allowed.
    let cleared = json!({"name": "Anna", "email": seed::DEMO_EMAIL, "phone": "", "addresses": []});
    let answer = put_profile(&app, &demo, &cleared, Some(&new_etag)).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json::<ProfileDetails>().addresses, []);

    // Another customer's profile is theirs alone.
    let other = app.sign_in(seed::OTHER_CUSTOMERS[2].0).await;
    let (theirs, _) = profile(&app, &other).await;
    assert_eq!(theirs.name, seed::OTHER_CUSTOMERS[2].1);
    assert!(theirs.addresses.is_empty() && theirs.phone.is_empty());
}

#[tokio::test]
async fn profile_validation_lists_every_bad_field_and_changes_nothing() {
    let app = test_app().await;
    let demo = app.demo_cookie().await;
    let (details, etag) = profile(&app, &demo).await;
    let address = json!({"label": "delivery", "street": "Oudegracht 1", "postal_code": "3511 AW", "city": "Utrecht", "country": "NL"});
    let body = json!({
        "name": "n".repeat(101),
        "email": "someone.else@example.test",
        "phone": "+31 6",
        "addresses": [
            address,
            {"label": "holiday", "street": " ", "postal_code": "1234567890123", "city": "", "country": "Netherlands"},
            {"label": "", "street": "Line\nbreak", "postal_code": "1", "city": "X", "country": "nl"},
        ]
    });
    let answer = put_profile(&app, &demo, &body, Some(&etag)).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let expected = [
        ("name", "too_long"),
        ("email", "not_allowed"),
        ("phone", "invalid_format"),
        ("addresses[1].label", "invalid_format"),
        ("addresses[1].street", "required"),
        ("addresses[1].postal_code", "too_long"),
        ("addresses[1].city", "required"),
        ("addresses[1].country", "invalid_format"),
        ("addresses[2].label", "required"),
        ("addresses[2].street", "invalid_format"),
        ("addresses[2].country", "invalid_format"),
    ];
    assert_eq!(
        answer.field_errors(),
        expected.map(|(f, p)| (f.to_owned(), p.to_owned()))
    );

    let six = json!({"name": "Anna", "email": seed::DEMO_EMAIL, "phone": "", "addresses": vec![address; 6]});
    let answer = put_profile(&app, &demo, &six, Some(&etag)).await;
    assert_eq!(
        answer.field_errors(),
        [("addresses".to_owned(), "too_long".to_owned())]
    );
    // Wrong types: still the JSON error shape.
    let answer = put_profile(&app, &demo, &json!({"name": 5}), Some(&etag)).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    answer.error();

    assert_eq!(profile(&app, &demo).await, (details, etag));
}

// ---------------------------------------------------------------------------------------------------
// Errors and migrations

#[tokio::test]
async fn wrong_methods_get_a_json_405_with_allow() {
    let app = test_app().await;
    let demo = app.demo_cookie().await;
    let answer = app
        .send_json("DELETE", "/api/v1/profile", &demo, &json!({}), &[])
        .await;
    assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(answer.error_code(), "method_not_allowed");
    let allow = answer.header(header::ALLOW).unwrap();
    assert!(allow.contains("GET") && allow.contains("PUT"), "{allow}");
}

#[tokio::test]
async fn a_database_seeded_before_the_portal_migration_still_works() {
    let path = std::env::temp_dir().join(format!("rapport-old-{}.sqlite3", std::process::id()));
    let name = path.to_string_lossy().to_string();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{name}{suffix}"));
    }
    {
        // The database as the first release left it: only migration 1, a customer and an order.
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true);
        let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
        sqlx::raw_sql(include_str!("../migrations/0001_initial.sql"))
            .execute(&pool)
            .await
            .unwrap();
        let hash = rapport_server::password_queue::hash_password(seed::DEMO_PASSWORD).unwrap();
        sqlx::raw_sql(&format!(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
             INSERT INTO schema_migrations VALUES (1, '2025-01-01T00:00:00Z');
             INSERT INTO customers (id, email, name, password_hash, customer_since)
             VALUES (1, 'demo@rapport.test', 'Anna de Vries', '{hash}', '2022-01-01T00:00:00Z');
             INSERT INTO orders (id, customer_id, number, placed_at, status, total_cents, currency, ship_to)
             VALUES (1, 1, 'R100000', '2024-05-01T10:00:00Z', 'delivered', 1290, 'EUR', 'Stationsplein 1, Utrecht');
             INSERT INTO order_items (order_id, sku, name, category, quantity, unit_price_cents)
             VALUES (1, 'CB-030', 'USB-C cable, 2 m', 'accessories', 1, 1290);"
        ))
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
    }
    let pool = rapport_server::db::open(&name).await.unwrap();
    assert!(
        !seed::seed_if_empty(&pool).await.unwrap(),
        "not empty: not reseeded"
    );
    let app = common::app_over(pool.clone(), "old-db");
    let demo = app.demo_cookie().await;
    let (details, etag) = profile(&app, &demo).await;
    assert_eq!((details.phone.as_str(), details.addresses.len()), ("", 0));
    let mut body = serde_json::to_value(&details).unwrap();
    body["phone"] = json!("+31612345678");
    assert_eq!(
        put_profile(&app, &demo, &body, Some(&etag)).await.status,
        StatusCode::OK
    );
    let overview: Overview = app.get_ok("/api/v1/overview", &demo).await;
    assert_eq!(
        overview.relationship.first_order_at.as_deref(),
        Some("2024-05-01T10:00:00Z")
    );
    let page: HistoryPage = app.get_ok("/api/v1/history", &demo).await;
    assert_eq!(page.total, 1);
    let answer = post_request(
        &app,
        &demo,
        json!({"kind": "return", "order_id": 1, "item_ids": [1], "reason": "Too short"}),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED);
    pool.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{name}{suffix}"));
    }
}

/// The history list read natively (rusqlite on a SQLite file, sqlx's PostgreSQL driver on PostgreSQL)
/// answers exactly as the same database read through the application's `Any` pool, page by page, for
/// every filter shape, both orders and cursors.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn native_history_reads_answer_as_the_pool_does() {
    use rapport_server::reader::Reader;
    use std::sync::Arc;
    let dir = common::temp_dir("native-history");
    let pool = match common::fresh_postgres_url().await {
        Some(url) => rapport_server::db::open(&url).await.unwrap(),
        None => rapport_server::db::open(dir.0.join("rapport.db").to_str().unwrap())
            .await
            .unwrap(),
    };
    assert!(seed::seed_if_empty(&pool).await.unwrap());
    let native = common::app_over(pool.clone(), "native-history");
    let config = rapport_server::config::Config {
        portal_dir: dir.0.join("portal"),
        widget_dir: dir.0.join("widget"),
        ..Default::default()
    };
    let state = rapport_server::AppState::new(pool.clone(), config);
    assert!(
        matches!(*state.reader, Reader::Sqlite(_) | Reader::Postgres(_)),
        "a database file or server is read natively"
    );
    let through_pool = common::app_with_state(
        rapport_server::AppState {
            reader: Arc::new(Reader::Pool(pool.clone())),
            ..state
        },
        "native-history-pool",
    );
    let cookie = native.demo_cookie().await;
    let placed: String = sqlx::query_scalar(
        "SELECT placed_at FROM orders WHERE customer_id = 1 ORDER BY placed_at LIMIT 1 OFFSET 20",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let day = &placed[..10];
    let queries = [
        "limit=50".to_owned(),
        "sort=asc&limit=333".to_owned(),
        "kind=order&limit=7".to_owned(),
        "kind=order,contact,request&sort=asc&limit=40".to_owned(),
        "kind=order&status=delivered&limit=9".to_owned(),
        format!("from={day}&to={day}"),
        format!("from={}-01-01&limit=100", &placed[..4]),
        "q=postnl&limit=25".to_owned(),
        "q=inv-r100007".to_owned(),
        "q=%25".to_owned(),
        "kind=survey_answer".to_owned(),
    ];
    let mut pages = 0;
    for query in &queries {
        let mut cursor: Option<String> = None;
        loop {
            let uri = match &cursor {
                Some(c) => format!("/api/v1/history?{query}&cursor={c}"),
                None => format!("/api/v1/history?{query}"),
            };
            let a: Value = native.get_ok(&uri, &cookie).await;
            let b: Value = through_pool.get_ok(&uri, &cookie).await;
            assert_eq!(a, b, "{uri}");
            pages += 1;
            match a["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
        }
    }
    assert!(pages > 40, "the queries walk many pages ({pages})");
    // Past the last entry (a cursor beyond every row): an empty page that still counts the matches.
    let beyond = rapport_server::history::Cursor {
        ascending: false,
        at: "0000".into(),
        id: "order:0".into(),
    }
    .encode();
    let a: HistoryPage = native
        .get_ok(
            &format!("/api/v1/history?kind=order&cursor={beyond}"),
            &cookie,
        )
        .await;
    assert_eq!(a.entries.len(), 0);
    assert_eq!(a.total as usize, seed::DEMO_ORDERS);

    // A write through the pool is read at once (no snapshot held between reads).
    let before: HistoryPage = native.get_ok("/api/v1/history?kind=contact", &cookie).await;
    sqlx::query(
        "INSERT INTO contacts (customer_id, at, channel, subject) VALUES (1, '2999-01-01T00:00:00Z', 'chat', 'Newest')",
    )
    .execute(&pool)
    .await
    .unwrap();
    let after: HistoryPage = native.get_ok("/api/v1/history?kind=contact", &cookie).await;
    assert_eq!(after.total, before.total + 1);
    assert_eq!(after.entries[0].reference, "Newest");

    // Pages are kept between requests only while the data is unchanged, and per customer: another
    // customer asking the very same URL gets their own entries, as through the pool.
    let other = native.sign_in(seed::OTHER_CUSTOMERS[0].0).await;
    for uri in [
        "/api/v1/history?kind=order&limit=50",
        "/api/v1/history?kind=contact",
    ] {
        let mine: Value = native.get_ok(uri, &cookie).await;
        let theirs: Value = native.get_ok(uri, &other).await;
        assert_ne!(mine, theirs, "{uri}");
        assert_eq!(theirs, through_pool.get_ok::<Value>(uri, &other).await);
        assert_eq!(mine, native.get_ok::<Value>(uri, &cookie).await);
    }
    // A page the reader has just answered twice (so it is kept) changes with the next write…
    let uri = "/api/v1/history?kind=order&limit=5";
    let kept: HistoryPage = native.get_ok(uri, &cookie).await;
    assert_eq!(kept, native.get_ok::<HistoryPage>(uri, &cookie).await);
    sqlx::query("UPDATE orders SET status = 'kept-test' WHERE id = $1")
        .bind(kept.entries[0].order_id.unwrap())
        .execute(&pool)
        .await
        .unwrap();
    let changed: HistoryPage = native.get_ok(uri, &cookie).await;
    assert_eq!(changed.entries[0].status.as_deref(), Some("kept-test"));
    // …and an ended session gets no page at all, kept or not.
    sqlx::query("DELETE FROM sessions WHERE customer_id = 1")
        .execute(&pool)
        .await
        .unwrap();
    let ended = native.get(uri, &cookie).await;
    assert_eq!(ended.status, StatusCode::UNAUTHORIZED);
    assert_eq!(ended.error_code(), "unauthorized");
}

/// A request sent again with the same `Idempotency-Key` (a client retrying after a broken connection)
/// gets the stored request back instead of filing a second one, also when the copies arrive at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_request_retried_with_its_idempotency_key_is_filed_once() {
    let app = std::sync::Arc::new(test_app().await);
    let demo = app.demo_cookie().await;
    let customer = app.customer_id(seed::DEMO_EMAIL).await;
    let order = order_with_status(&app, customer, "delivered").await;
    let body =
        json!({"kind": "complaint", "order_id": order, "reason": "Scratched", "description": ""});
    let count = "SELECT COUNT(*) FROM service_requests WHERE customer_id = $1";
    let before = app.scalar(count, customer).await;
    let send = |key: &'static str| {
        let (app, demo, body) = (app.clone(), demo.clone(), body.clone());
        tokio::spawn(async move {
            app.send_json(
                "POST",
                "/api/v1/requests",
                &demo,
                &body,
                &[("idempotency-key", key)],
            )
            .await
        })
    };
    let copies: Vec<_> = (0..8).map(|_| send("retry-key-0001")).collect();
    let mut statuses = Vec::new();
    let mut ids = HashSet::new();
    for copy in copies {
        let answer = copy.await.unwrap();
        statuses.push(answer.status.as_u16());
        ids.insert(answer.json::<ServiceRequest>().id);
    }
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 200, 200, 200, 200, 200, 200, 201]);
    assert_eq!(ids.len(), 1);
    let rows: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM service_requests WHERE idempotency_key = 'retry-key-0001'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(rows, 1);
    // Another key, or none: another request. A malformed key: 400, nothing stored.
    assert_eq!(
        send("retry-key-0002").await.unwrap().status,
        StatusCode::CREATED
    );
    assert_eq!(
        post_request(&app, &demo, body.clone()).await.status,
        StatusCode::CREATED
    );
    let bad = send("short").await.unwrap();
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.error_code(), "idempotency_key_required");
    assert_eq!(app.scalar(count, customer).await, before + 3);
}
