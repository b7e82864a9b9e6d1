//! Accountability and erasure over HTTP: every staff request lands in the access log (the customer sees
//! who looked at their data, the firm exports it), and a deletion request is reviewed, refused or carried
//! out, leaving only what the firm must keep, with the consent proof still checking.

mod common;

use axum::http::{header, StatusCode};
use common::{flip_offers, on_postgres, test_app_with_outbox, Outbox, TestApp};
use rapport_api::{
    AccessLog, ConsentChainReport, DeletionQueue, DeletionRequest, QueuedDeletion, StaffAccessLog,
    StaffCustomerList,
};
use rapport_server::seed;
use serde_json::json;

async fn count(app: &TestApp, sql: &str, id: i64) -> i64 {
    app.scalar(sql, id).await
}

async fn mails(outbox: &Outbox, start: &str) -> Vec<String> {
    outbox
        .sent()
        .await
        .iter()
        .filter(|m| m.starts_with(start))
        .cloned()
        .collect()
}

#[tokio::test]
async fn every_staff_request_is_logged_and_the_customer_sees_who_looked() {
    let (app, _) = test_app_with_outbox().await;
    let staff = app.sign_in(seed::STAFF_EMAIL).await;
    let demo = app.demo_cookie().await;
    let demo_id = app.customer_id(seed::DEMO_EMAIL).await;
    let (other_email, _) = seed::OTHER_CUSTOMERS[0];
    let other = app.sign_in(other_email).await;

    // Nothing yet.
    let log: AccessLog = app.get_ok("/api/v1/access-log", &demo).await;
    assert!(log.entries.is_empty(), "{log:?}");

    app.get_ok::<StaffCustomerList>("/api/v1/staff/customers", &staff)
        .await;
    app.get_ok::<serde_json::Value>(&format!("/api/v1/staff/customers/{demo_id}"), &staff)
        .await;
    app.get_ok::<ConsentChainReport>(
        &format!("/api/v1/staff/customers/{demo_id}/consent-chain"),
        &staff,
    )
    .await;
    // An action on one of the demo's orders is attributed to the demo through the order.
    app.mark_shipped_order_delivered(demo_id, &staff).await;
    // A view of an id that is nobody's is logged, about no one.
    assert_eq!(
        app.get("/api/v1/staff/customers/999999", &staff)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Customers cannot reach staff pages, and their attempts are not staff requests.
    assert_eq!(
        app.get("/api/v1/staff/access-log", &demo).await.status,
        StatusCode::FORBIDDEN
    );

    let log: AccessLog = app.get_ok("/api/v1/access-log", &demo).await;
    let actions: Vec<&str> = log.entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["mark_delivered", "view_consent_chain", "view_customer"],
        "newest first"
    );
    assert!(log
        .entries
        .iter()
        .all(|e| e.staff.as_deref() == Some(seed::STAFF_NAME)));
    // Another customer's log holds none of it.
    let theirs: AccessLog = app.get_ok("/api/v1/access-log", &other).await;
    assert!(theirs.entries.is_empty(), "{theirs:?}");

    // The firm's export: every request, oldest first, with who, whom and the path.
    let export: StaffAccessLog = app.get_ok("/api/v1/staff/access-log", &staff).await;
    let rows: Vec<(&str, Option<i64>)> = export
        .entries
        .iter()
        .map(|e| (e.action.as_str(), e.customer_id))
        .collect();
    assert_eq!(
        rows,
        [
            ("list_customers", None),
            ("view_customer", Some(demo_id)),
            ("view_consent_chain", Some(demo_id)),
            ("mark_delivered", Some(demo_id)),
            ("view_customer", None),
            ("export_access_log", None),
        ]
    );
    assert_eq!(
        export.entries[1].path,
        format!("/api/v1/staff/customers/{demo_id}")
    );
    let staff_id = app.customer_id(seed::STAFF_EMAIL).await;
    assert!(export.entries.iter().all(|e| e.staff_id == Some(staff_id)));

    let csv = app
        .get(
            &format!("/api/v1/staff/access-log?format=csv&customer={demo_id}"),
            &staff,
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv
        .header(header::CONTENT_TYPE)
        .unwrap()
        .starts_with("text/csv"));
    let text = String::from_utf8(csv.body).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "id,at,staff_id,staff,customer_id,action,path");
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[1].ends_with(&format!(
        ",{staff_id},{},{demo_id},view_customer,/api/v1/staff/customers/{demo_id}",
        seed::STAFF_NAME
    )));
    let bad = app.get("/api/v1/staff/access-log?format=xml", &staff).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        app.get("/api/v1/access-log", "").await.status,
        StatusCode::UNAUTHORIZED
    );
}

async fn decide(app: &TestApp, staff: &str, id: i64, body: serde_json::Value) -> common::Answer {
    app.send_json(
        "POST",
        &format!("/api/v1/staff/deletion-requests/{id}"),
        staff,
        &body,
        &[],
    )
    .await
}

async fn ask_for_deletion(app: &TestApp, cookie: &str) -> DeletionRequest {
    let asked = app
        .send_json(
            "POST",
            "/api/v1/deletion-request",
            cookie,
            &json!({"confirm": "DELETE"}),
            &[],
        )
        .await;
    assert_eq!(asked.status, StatusCode::CREATED);
    asked.json()
}

#[tokio::test]
async fn a_refusal_carries_a_reason_the_customer_sees_and_they_may_ask_again() {
    let (app, outbox) = test_app_with_outbox().await;
    let staff = app.sign_in(seed::STAFF_EMAIL).await;
    let (email, _) = seed::OTHER_CUSTOMERS[1];
    let cookie = app.sign_in(email).await;
    let request = ask_for_deletion(&app, &cookie).await;

    let queue: DeletionQueue = app.get_ok("/api/v1/staff/deletion-requests", &staff).await;
    let queued = &queue.requests[0];
    assert_eq!(
        (queued.id, queued.status.as_str()),
        (request.id, "received")
    );
    assert_eq!(
        queued.due_at,
        rapport_server::erasure::due_at(&request.created_at).unwrap()
    );
    assert!(queued.due_at > queued.created_at);

    let no_reason = decide(&app, &staff, request.id, json!({"decision": "refuse"})).await;
    assert_eq!(
        no_reason.field_errors(),
        [("reason".into(), "required".into())]
    );
    let reviewed = decide(&app, &staff, request.id, json!({"decision": "review"})).await;
    assert_eq!(reviewed.json::<QueuedDeletion>().status, "confirmed");
    let reason = "An open warranty claim needs your details until it is settled.";
    let refused = decide(
        &app,
        &staff,
        request.id,
        json!({"decision": "refuse", "reason": reason}),
    )
    .await;
    assert_eq!(refused.status, StatusCode::OK);
    let seen: Option<DeletionRequest> = app.get_ok("/api/v1/deletion-request", &cookie).await;
    let seen = seen.unwrap();
    assert_eq!(
        (seen.status.as_str(), seen.reason.as_deref()),
        ("refused", Some(reason))
    );
    let letters = mails(&outbox, "Erasure request refused").await;
    assert_eq!(letters.len(), 1);
    assert!(letters[0].contains(email) && letters[0].contains(reason));
    // Closed: no second decision.
    let again = decide(&app, &staff, request.id, json!({"decision": "carry_out"})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.error_code(), "deletion_closed");
    // A new request may follow a refusal.
    let second = ask_for_deletion(&app, &cookie).await;
    assert_ne!(second.id, request.id);
    // Customers cannot decide.
    assert_eq!(
        decide(&app, &cookie, second.id, json!({"decision": "review"}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        decide(&app, &staff, 424242, json!({"decision": "review"}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

/// Every table with a `customer_id` column, from the database's own catalogue.
async fn tables_with_customer_id(app: &TestApp) -> Vec<String> {
    let sql = if on_postgres() {
        "SELECT table_name::text FROM information_schema.columns
         WHERE column_name = 'customer_id' AND table_schema = current_schema() ORDER BY 1"
    } else {
        "SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
         WHERE m.type = 'table' AND p.name = 'customer_id' ORDER BY 1"
    };
    sqlx::query_scalar(sql).fetch_all(&app.pool).await.unwrap()
}

#[tokio::test]
async fn carrying_out_an_erasure_leaves_only_what_must_be_kept() {
    let (app, outbox) = test_app_with_outbox().await;
    let staff = app.sign_in(seed::STAFF_EMAIL).await;
    let demo = app.demo_cookie().await;
    let id = app.customer_id(seed::DEMO_EMAIL).await;
    // Proof of consent to keep, an answer to keep anonymous and a staff note about it to remove.
    flip_offers(&app, &demo).await;
    flip_offers(&app, &demo).await;
    let nps = rapport_core::builtin("nps").unwrap().reference();
    let answered = app
        .send_json(
            "POST",
            "/api/v1/survey-responses",
            &demo,
            &json!({"instrument": nps, "respondent_id": seed::DEMO_EMAIL, "answers": {"NPS": 9}}),
            &[("idempotency-key", "erasure-test-0001")],
        )
        .await;
    assert_eq!(answered.status, StatusCode::CREATED, "{:?}", answered.body);
    let answer_id: String = sqlx::query_scalar(
        "SELECT id FROM survey_responses WHERE customer_id = $1 ORDER BY id LIMIT 1",
    )
    .bind(id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let noted = app
        .send_json(
            "POST",
            &format!("/api/v1/staff/survey-responses/{answer_id}/actions"),
            &staff,
            &json!({"text": "Called Anna about her late parcel"}),
            &[],
        )
        .await;
    assert_eq!(noted.status, StatusCode::CREATED);
    let chain_before: ConsentChainReport = app
        .get_ok(
            &format!("/api/v1/staff/customers/{id}/consent-chain"),
            &staff,
        )
        .await;
    assert!(chain_before.intact && chain_before.records >= 2);
    let orders = count(
        &app,
        "SELECT COUNT(*) FROM orders WHERE customer_id = $1",
        id,
    )
    .await;
    let invoices = count(
        &app,
        "SELECT COUNT(*) FROM invoices i JOIN orders o ON o.id = i.order_id WHERE o.customer_id = $1",
        id,
    )
    .await;
    let answers = count(
        &app,
        "SELECT COUNT(*) FROM survey_responses WHERE customer_id = $1",
        id,
    )
    .await;
    let all_answers = count(&app, "SELECT COUNT(*) + 0 * $1 FROM survey_responses", 0).await;
    assert!(orders > 0 && invoices > 0 && answers > 0);

    let request = ask_for_deletion(&app, &demo).await;
    let done = decide(&app, &staff, request.id, json!({"decision": "carry_out"})).await;
    assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);
    let done: QueuedDeletion = done.json();
    assert_eq!(
        (done.status.as_str(), done.customer_name.as_str()),
        ("completed", "")
    );

    // Every table that names a customer, checked for what is left of this one.
    let kept = ["access_log", "consent_records", "deletion_requests"];
    let emptied = [
        "access_links",
        "addresses",
        "contact_points",
        "contacts",
        "frequency_caps",
        "orders",
        "outbox_messages",
        "permissions",
        "preferences",
        "service_requests",
        "sessions",
        "survey_invitations",
        "survey_responses",
    ];
    for table in tables_with_customer_id(&app).await {
        let left = count(
            &app,
            &format!("SELECT COUNT(*) FROM {table} WHERE customer_id = $1"),
            id,
        )
        .await;
        if kept.contains(&table.as_str()) {
            assert!(left > 0, "{table} keeps its rows");
        } else {
            assert!(
                emptied.contains(&table.as_str()),
                "{table}: not accounted for"
            );
            assert_eq!(left, 0, "{table} still has {left} rows");
        }
    }
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM consent_records WHERE customer_id = $1",
            id
        )
        .await,
        chain_before.records as i64
    );
    // The account row holds nothing of the person: a pseudonym, no name, address or password.
    let (name, email, phone, hash, pseudonym): (String, String, String, String, Option<String>) =
        sqlx::query_as(
            "SELECT name, email, phone, password_hash, pseudonym FROM customers WHERE id = $1",
        )
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let pseudonym = pseudonym.unwrap();
    assert!(pseudonym.starts_with("p-") && pseudonym.len() == 34);
    assert_eq!((name.as_str(), phone.as_str(), hash.as_str()), ("", "", ""));
    assert_eq!(email, format!("{pseudonym}@erased.invalid"));
    // Nothing anywhere still holds the address or the name.
    for (sql, what) in [
        (
            "SELECT COUNT(*) FROM customers WHERE email = $1 OR name = $2",
            "customers",
        ),
        (
            "SELECT COUNT(*) FROM survey_actions WHERE text LIKE '%' || $2 || '%' OR $1 = ''",
            "notes",
        ),
        (
            "SELECT COUNT(*) FROM limit_counters WHERE key LIKE '%' || $1 || '%' OR $2 = ''",
            "counters",
        ),
        (
            "SELECT COUNT(*) FROM sign_in_known WHERE account = $1 OR $2 = ''",
            "known addresses",
        ),
    ] {
        let left: i64 = sqlx::query_scalar(sql)
            .bind(seed::DEMO_EMAIL)
            .bind("Anna")
            .fetch_one(&app.pool)
            .await
            .unwrap();
        assert_eq!(left, 0, "{what}");
    }
    // Tax records: every order and invoice, on an emptied row of their own (not the consent proof's).
    let tax_rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT DISTINCT c.id, c.name, c.email FROM orders o JOIN customers c ON c.id = o.customer_id
         WHERE c.erased_at IS NOT NULL",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(tax_rows.len(), 1);
    let (tax_id, tax_name, tax_email) = &tax_rows[0];
    assert!(*tax_id != id && tax_name.is_empty() && tax_email.ends_with("@erased.invalid"));
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM orders WHERE customer_id = $1",
            *tax_id
        )
        .await,
        orders
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM invoices i JOIN orders o ON o.id = i.order_id WHERE o.customer_id = $1",
            *tax_id
        )
        .await,
        invoices
    );
    // Answers stay as anonymous statistics, without the note staff wrote about one of them.
    assert_eq!(
        count(&app, "SELECT COUNT(*) + 0 * $1 FROM survey_responses", 0).await,
        all_answers
    );
    let notes: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM survey_actions WHERE response_id = $1")
            .bind(&answer_id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(notes, 0);
    let anonymous: (Option<i64>, Option<String>, Option<i64>) = sqlx::query_as(
        "SELECT customer_id, respondent_id, order_id FROM survey_responses WHERE id = $1",
    )
    .bind(&answer_id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(anonymous, (None, None, None));

    // The consent proof still checks, unchanged, on the pseudonymous row.
    let chain_after: ConsentChainReport = app
        .get_ok(
            &format!("/api/v1/staff/customers/{id}/consent-chain"),
            &staff,
        )
        .await;
    assert!(chain_after.intact, "{chain_after:?}");
    assert_eq!(
        (chain_after.records, chain_after.head_sha256),
        (chain_before.records, chain_before.head_sha256)
    );

    // The person is gone from the staff pages and cannot sign in; their session ended.
    let list: StaffCustomerList = app.get_ok("/api/v1/staff/customers", &staff).await;
    assert!(list.customers.iter().all(|c| c.id != id && c.id != *tax_id));
    assert_eq!(
        app.get(&format!("/api/v1/staff/customers/{id}"), &staff)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/api/v1/me", &demo).await.status,
        StatusCode::UNAUTHORIZED
    );
    let signed_in = app
        .send_json(
            "POST",
            "/api/v1/session",
            "",
            &json!({"email": seed::DEMO_EMAIL, "password": seed::DEMO_PASSWORD}),
            &[],
        )
        .await;
    assert_eq!(signed_in.status, StatusCode::UNAUTHORIZED);
    let signed_in = app
        .send_json(
            "POST",
            "/api/v1/session",
            "",
            &json!({"email": email, "password": ""}),
            &[],
        )
        .await;
    assert_eq!(signed_in.status, StatusCode::BAD_REQUEST);

    // The outcome went to the last address, naming the pseudonym and what was kept.
    let letters = mails(&outbox, "Erasure carried out").await;
    assert_eq!(letters.len(), 1);
    assert!(letters[0].contains(seed::DEMO_EMAIL) && letters[0].contains(&pseudonym));
    // Carried out once only.
    let again = decide(&app, &staff, request.id, json!({"decision": "carry_out"})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_decisions_on_one_request_carry_it_out_once() {
    let (app, outbox) = test_app_with_outbox().await;
    let app = std::sync::Arc::new(app);
    let staff = app.sign_in(seed::STAFF_EMAIL).await;
    let (email, _) = seed::OTHER_CUSTOMERS[0];
    let cookie = app.sign_in(email).await;
    let request = ask_for_deletion(&app, &cookie).await;
    let tasks: Vec<_> = (0..4)
        .map(|n| {
            let (app, staff) = (app.clone(), staff.clone());
            tokio::spawn(async move {
                let body = if n % 2 == 0 {
                    json!({"decision": "carry_out"})
                } else {
                    json!({"decision": "refuse", "reason": "Still an open order."})
                };
                decide(&app, &staff, request.id, body).await.status
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    let done = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let closed = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((done, closed), (1, 3), "{statuses:?}");
    let letters = mails(&outbox, "Erasure").await;
    assert_eq!(letters.len(), 1, "{letters:?}");
    // At most one emptied row for tax records, whatever won.
    let rows: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE erased_at IS NOT NULL")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(rows == 0 || rows == 2, "{rows}");
}
