//! The relationship lifecycle over HTTP: phases, survey invitations triggered by deliveries and time,
//! answers linked to invitations, staff pages and "you said / we did".

mod common;

use axum::http::StatusCode;
use common::{test_app_with_rules, Answer, Outbox, TestApp};
use rapport_api::{
    HistoryKind, HistoryPage, Invitation, InvitationList, OrderDetail, Phase, Profile,
    Relationship, SessionInfo, StaffCustomerDetail, StaffCustomerList, SurveyAction,
    SurveyAnswerDetail, Trigger,
};
use rapport_server::lifecycle::LifecycleRules;
use rapport_server::seed;
use serde_json::{json, Value};

/// Rules without periodic check-ins, so that a test sees only the trigger it is about.
fn only_deliveries(delay_days: i64) -> LifecycleRules {
    LifecycleRules {
        delivered_delay_days: delay_days,
        periodic_days: 0,
        ..LifecycleRules::default()
    }
}

async fn customer_id(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM customers WHERE email = $1")
        .bind(email)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// That many days before now, as the database stores times.
fn days_ago(days: i64) -> String {
    rapport_server::clock::rfc3339(time::OffsetDateTime::now_utc() - time::Duration::days(days))
}

async fn exec(app: &TestApp, sql: &str) {
    sqlx::query(sql).execute(&app.pool).await.unwrap();
}

async fn invitations(app: &TestApp, cookie: &str) -> Vec<Invitation> {
    app.get_ok::<InvitationList>("/api/v1/invitations", cookie)
        .await
        .invitations
}

/// The invitations the outbox delivered so far (after delivering what is due).
async fn invitation_mails(outbox: &Outbox) -> Vec<String> {
    outbox
        .sent()
        .await
        .into_iter()
        .filter(|m| m.starts_with("Survey invitation"))
        .collect()
}

/// An order of the customer that is on its way (shipped, not delivered).
async fn order_on_its_way(app: &TestApp, customer: i64) -> (i64, String) {
    sqlx::query_as(
        "SELECT id, number FROM orders WHERE customer_id = $1 AND status = 'shipped'
         ORDER BY placed_at DESC LIMIT 1",
    )
    .bind(customer)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

/// Delivers every order of the customer in one of these statuses; returns their ids.
async fn deliver_all(app: &TestApp, staff: &str, customer: i64, statuses: &[&str]) -> Vec<i64> {
    let mut delivered = Vec::new();
    for status in statuses {
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM orders WHERE customer_id = $1 AND status = $2")
                .bind(customer)
                .bind(status)
                .fetch_all(&app.pool)
                .await
                .unwrap();
        for id in ids {
            assert_eq!(deliver(app, staff, id).await.status, StatusCode::NO_CONTENT);
            delivered.push(id);
        }
    }
    delivered
}

/// The demo customer's orders that are on their way.
const ON_THE_WAY: [&str; 3] = ["shipped", "out_for_delivery", "delayed"];

async fn deliver(app: &TestApp, staff: &str, order_id: i64) -> Answer {
    app.send_json(
        "POST",
        &format!("/api/v1/staff/orders/{order_id}/delivered"),
        staff,
        &json!({}),
        &[],
    )
    .await
}

fn ces(score: i64) -> Value {
    let reference =
        serde_json::to_value(rapport_core::builtin("ces-effort").unwrap().reference()).unwrap();
    json!({"instrument": reference, "answers": {"CES": score}})
}

async fn answer(app: &TestApp, cookie: &str, query: &str, key: &str, body: &Value) -> Answer {
    app.send_json(
        "POST",
        &format!("/api/v1/survey-responses{query}"),
        cookie,
        body,
        &[("idempotency-key", key)],
    )
    .await
}

#[tokio::test]
async fn staff_pages_are_401_anonymous_and_403_for_customers() {
    let (app, _) = test_app_with_rules(LifecycleRules::default()).await;
    let demo = app.demo_cookie().await;
    let staff = app.sign_in(seed::STAFF_EMAIL).await;
    let calls = [
        ("GET", "/api/v1/staff/customers"),
        ("GET", "/api/v1/staff/customers/1"),
        ("POST", "/api/v1/staff/survey-responses/sr_x/actions"),
        ("POST", "/api/v1/staff/orders/1/delivered"),
    ];
    for (method, uri) in calls {
        let body = json!({"text": "Called the customer"});
        let anonymous = app.send_json(method, uri, "", &body, &[]).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{uri}");
        assert_eq!(anonymous.error_code(), "unauthorized");
        let customer = app.send_json(method, uri, &demo, &body, &[]).await;
        assert_eq!(customer.status, StatusCode::FORBIDDEN, "{uri}");
        assert_eq!(customer.error_code(), "forbidden");
    }
    // Who is who.
    let me: Profile = app.get_ok("/api/v1/me", &staff).await;
    assert!(me.staff);
    assert_eq!(me.name, seed::STAFF_NAME);
    let session: SessionInfo = app.get_ok("/api/v1/session", &demo).await;
    assert!(!session.customer.unwrap().staff);

    // The list has every customer and no staff; the seeded complaint shows as dissolution.
    let list: StaffCustomerList = app.get_ok("/api/v1/staff/customers", &staff).await;
    let emails: Vec<&str> = list.customers.iter().map(|c| c.email.as_str()).collect();
    let mut expected = vec![seed::DEMO_EMAIL];
    expected.extend(seed::OTHER_CUSTOMERS.iter().map(|(email, _)| *email));
    assert_eq!(emails, expected);
    let phase_of = |email: &str| {
        list.customers
            .iter()
            .find(|c| c.email == email)
            .map(|c| c.phase)
    };
    assert_eq!(phase_of(seed::DEMO_EMAIL), Some(Phase::Expansion));
    assert_eq!(
        phase_of(seed::OTHER_CUSTOMERS[2].0),
        Some(Phase::Dissolution)
    );
    // A staff account is not a customer.
    let staff_id = customer_id(&app, seed::STAFF_EMAIL).await;
    let missing = app
        .get(&format!("/api/v1/staff/customers/{staff_id}"), &staff)
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    for bad in ["999999", "x"] {
        let missing = app
            .get(&format!("/api/v1/staff/customers/{bad}"), &staff)
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND, "{bad}");
    }
    // Staff have no invitations of their own.
    assert!(invitations(&app, &staff).await.is_empty());
}

#[tokio::test]
async fn the_demo_relationship_is_expansion_with_its_reasons() {
    let (app, _) = test_app_with_rules(LifecycleRules::default()).await;
    let anonymous = app.get("/api/v1/relationship", "").await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let demo = app.demo_cookie().await;
    let relationship: Relationship = app.get_ok("/api/v1/relationship", &demo).await;
    assert_eq!(relationship.phase, Phase::Expansion);
    assert_eq!(
        relationship.reasons[0].code,
        "repeat_orders_across_categories"
    );
    let orders = app
        .scalar(
            "SELECT COUNT(*) FROM orders WHERE customer_id = $1 AND status <> 'cancelled'",
            1,
        )
        .await;
    assert_eq!(i64::from(relationship.orders), orders);
    assert!(relationship.reasons[0]
        .detail
        .starts_with(&format!("{orders} orders in ")));

    // A complaint today turns it into dissolution, with the complaint as the reason.
    exec(
        &app,
        &format!(
            "INSERT INTO service_requests (customer_id, order_id, kind, status, reason, description, created_at)
             VALUES (1, 1, 'complaint', 'submitted', 'Broken', '', '{}')",
            days_ago(0)
        ),
    )
    .await;
    let relationship: Relationship = app.get_ok("/api/v1/relationship", &demo).await;
    assert_eq!(relationship.phase, Phase::Dissolution);
    assert_eq!(relationship.reasons[0].code, "recent_complaint");
}

#[tokio::test]
async fn a_delivered_order_gets_one_invitation_after_the_delay() {
    let (app, outbox) = test_app_with_rules(only_deliveries(2)).await;
    let email = seed::OTHER_CUSTOMERS[0].0;
    let id = customer_id(&app, email).await;
    let jonas = app.sign_in(email).await;
    let staff = app.sign_in(seed::STAFF_EMAIL).await;
    assert!(invitations(&app, &jonas).await.is_empty());

    let (order_id, number) = order_on_its_way(&app, id).await;
    let delivered = deliver(&app, &staff, order_id).await;
    assert_eq!(delivered.status, StatusCode::NO_CONTENT);
    let detail: OrderDetail = app
        .get_ok(&format!("/api/v1/orders/{order_id}"), &jonas)
        .await;
    assert_eq!(detail.order.status, rapport_api::OrderStatus::Delivered);
    let shipment = &detail.shipments[0];
    assert!(shipment.delivered_at.is_some());
    assert_eq!(shipment.events.last().unwrap().status, "delivered");
    // Delivered just now: not due yet with a two-day delay.
    assert!(invitations(&app, &jonas).await.is_empty());

    // Three days later (the delivery moved back instead of the clock).
    exec(
        &app,
        &format!(
            "UPDATE shipments SET delivered_at = '{}' WHERE order_id = {order_id}",
            days_ago(3)
        ),
    )
    .await;
    let list = invitations(&app, &jonas).await;
    assert_eq!(list.len(), 1, "{list:?}");
    let invitation = &list[0];
    assert_eq!(
        (
            invitation.instrument.as_str(),
            invitation.title.as_str(),
            invitation.trigger
        ),
        ("ces-effort", "Effort", Trigger::OrderDelivered)
    );
    assert_eq!(invitation.order_id, Some(order_id));
    assert_eq!(invitation.order_number.as_deref(), Some(number.as_str()));
    // Jonas never allowed survey e-mails: listed, not e-mailed.
    assert!(!invitation.emailed);
    assert!(invitation_mails(&outbox).await.is_empty());

    // Evaluated again, and the order delivered again: never a second one for the order.
    assert_eq!(invitations(&app, &jonas).await, list);
    assert_eq!(
        deliver(&app, &staff, order_id).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(invitations(&app, &jonas).await, list);
    let stored = app
        .scalar(
            "SELECT COUNT(*) FROM survey_invitations WHERE order_id = $1",
            order_id,
        )
        .await;
    assert_eq!(stored, 1);
    // Cancelled orders cannot be delivered; unknown ones are not found.
    exec(
        &app,
        &format!(
            "UPDATE orders SET status = 'cancelled' WHERE id = {}",
            order_id - 1
        ),
    )
    .await;
    let cancelled = deliver(&app, &staff, order_id - 1).await;
    assert_eq!(cancelled.status, StatusCode::CONFLICT);
    assert_eq!(cancelled.error_code(), "order_not_deliverable");
    assert_eq!(
        deliver(&app, &staff, 999_999).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_answer_through_an_invitation_is_linked_to_the_order() {
    let (app, outbox) = test_app_with_rules(only_deliveries(0)).await;
    let demo = app.demo_cookie().await;
    let staff = app.sign_in(seed::STAFF_EMAIL).await;
    let (order_id, number) = order_on_its_way(&app, 1).await;
    let before = invitations(&app, &demo).await;
    assert!(before.iter().all(|i| i.order_id != Some(order_id)));

    assert_eq!(
        deliver(&app, &staff, order_id).await.status,
        StatusCode::NO_CONTENT
    );
    let list = invitations(&app, &demo).await;
    assert_eq!(list.len(), before.len() + 1);
    let invitation = list
        .iter()
        .find(|i| i.order_id == Some(order_id))
        .unwrap()
        .clone();
    assert_eq!(invitation.order_number.as_deref(), Some(number.as_str()));
    // The demo customer allows survey e-mails: the invitation went to the outbox with its link.
    assert!(invitation.emailed);
    let link = format!("/surveys/ces-effort?invitation={}", invitation.id);
    assert!(
        invitation_mails(&outbox)
            .await
            .iter()
            .any(|m| m.contains(seed::DEMO_EMAIL) && m.ends_with(&link)),
        "{:?}",
        outbox.sent().await
    );

    // Wrong invitations: anonymous, another instrument, unknown, not a number, someone else's.
    let query = format!("?invitation={}", invitation.id);
    let anonymous = answer(&app, "", &query, "anon-key-1", &ces(2)).await;
    assert_eq!(anonymous.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        anonymous.field_errors(),
        [("invitation".to_owned(), "not_found".to_owned())]
    );
    let nps = json!({
        "instrument": serde_json::to_value(rapport_core::builtin("nps").unwrap().reference()).unwrap(),
        "answers": {"NPS": 8}
    });
    for (query, body) in [
        (query.clone(), &nps),
        ("?invitation=999999".to_owned(), &ces(2)),
        ("?invitation=abc".to_owned(), &ces(2)),
    ] {
        let wrong = answer(&app, &demo, &query, "wrong-key-1", body).await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(
            wrong.field_errors(),
            [("invitation".to_owned(), "not_found".to_owned())]
        );
    }
    let other = app.sign_in(seed::OTHER_CUSTOMERS[1].0).await;
    let foreign = answer(&app, &other, &query, "foreign-key-1", &ces(2)).await;
    assert_eq!(foreign.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        foreign.field_errors(),
        [("invitation".to_owned(), "not_found".to_owned())]
    );
    let stored: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM survey_responses WHERE idempotency_key NOT LIKE $1",
    )
    .bind(format!("{}%", seed::DEMO_RESPONSE_KEY_PREFIX))
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(stored, 0, "nothing was stored");

    // The right one: stored with the order, and the invitation is closed.
    let created = answer(&app, &demo, &query, "ces-key-0001", &ces(2)).await;
    assert_eq!(
        created.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&created.body)
    );
    let response_id = created.json::<Value>()["id"].as_str().unwrap().to_owned();
    let replay = answer(&app, &demo, &query, "ces-key-0001", &ces(2)).await;
    assert_eq!(replay.status, StatusCode::OK);
    assert_eq!(replay.body, created.body);
    let list = invitations(&app, &demo).await;
    assert!(list.iter().all(|i| i.id != invitation.id));
    let (status, linked): (String, Option<String>) =
        sqlx::query_as("SELECT status, response_id FROM survey_invitations WHERE id = $1")
            .bind(invitation.id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        (status.as_str(), linked.as_deref()),
        ("answered", Some(response_id.as_str()))
    );
    let detail: SurveyAnswerDetail = app
        .get_ok(&format!("/api/v1/survey-responses/{response_id}"), &demo)
        .await;
    assert_eq!(detail.order_id, Some(order_id));
    assert_eq!(detail.title, "Effort");
    assert_eq!(detail.instrument.id, "ces-effort");
    assert_eq!(detail.answers.get("CES"), Some(&2));
    assert!(detail.actions.is_empty());
    // Other answers for the answered invitation are refused; the first answers stay.
    let again = answer(&app, &demo, &query, "ces-key-0002", &ces(5)).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        again.field_errors(),
        [("invitation".to_owned(), "already_answered".to_owned())]
    );
    // A replay that names no invitation is still the same replay.
    let plain = answer(&app, &demo, "", "ces-key-0001", &ces(2)).await;
    assert_eq!(plain.status, StatusCode::OK);
}

#[tokio::test]
async fn e_mail_follows_permission_pause_and_cap() {
    // Survey e-mails switched off: listed, never e-mailed.
    let (app, outbox) = test_app_with_rules(only_deliveries(0)).await;
    exec(
        &app,
        "UPDATE permissions SET allowed = 0 WHERE customer_id = 1 AND channel = 'email' AND topic = 'surveys'",
    )
    .await;
    let demo = app.demo_cookie().await;
    let staff = app.sign_in(seed::STAFF_EMAIL).await;
    assert!(invitations(&app, &demo).await.is_empty(), "nothing recent");
    let delivered = deliver_all(&app, &staff, 1, &ON_THE_WAY).await;
    assert_eq!(delivered.len(), 3);
    let list = invitations(&app, &demo).await;
    assert_eq!(list.len(), 3, "{list:?}");
    assert!(list.iter().all(|i| !i.emailed));
    assert!(invitation_mails(&outbox).await.is_empty());

    // Paused: no e-mail either.
    let (app, outbox) = test_app_with_rules(only_deliveries(0)).await;
    exec(
        &app,
        "UPDATE preferences SET paused_until = '2999-12-31' WHERE customer_id = 1",
    )
    .await;
    let demo = app.demo_cookie().await;
    let staff = app.sign_in(seed::STAFF_EMAIL).await;
    deliver_all(&app, &staff, 1, &ON_THE_WAY).await;
    let list = invitations(&app, &demo).await;
    assert_eq!(list.len(), 3);
    assert!(list.iter().all(|i| !i.emailed));
    assert!(invitation_mails(&outbox).await.is_empty());

    // A cap of two a week: two e-mails, the rest only listed, also on later evaluations.
    let (app, outbox) = test_app_with_rules(only_deliveries(0)).await;
    exec(
        &app,
        "INSERT INTO frequency_caps (customer_id, topic, max, per) VALUES (1, 'surveys', 2, 'week')",
    )
    .await;
    let demo = app.demo_cookie().await;
    let staff = app.sign_in(seed::STAFF_EMAIL).await;
    deliver_all(&app, &staff, 1, &ON_THE_WAY).await;
    let list = invitations(&app, &demo).await;
    assert_eq!(list.len(), 3);
    assert_eq!(list.iter().filter(|i| i.emailed).count(), 2);
    assert_eq!(invitation_mails(&outbox).await.len(), 2);
    let packed = deliver_all(&app, &staff, 1, &["packed"]).await;
    let list = invitations(&app, &demo).await;
    let new = list.iter().find(|i| i.order_id == Some(packed[0])).unwrap();
    assert!(!new.emailed, "the cap is used up");
    assert_eq!(invitation_mails(&outbox).await.len(), 2);

    // Allowed and uncapped: every one is e-mailed, once.
    let (app, outbox) = test_app_with_rules(only_deliveries(0)).await;
    let demo = app.demo_cookie().await;
    let staff = app.sign_in(seed::STAFF_EMAIL).await;
    deliver_all(&app, &staff, 1, &ON_THE_WAY).await;
    let list = invitations(&app, &demo).await;
    assert_eq!(list.len(), 3);
    assert!(list.iter().all(|i| i.emailed));
    invitations(&app, &demo).await;
    assert_eq!(invitation_mails(&outbox).await.len(), 3);
}

#[tokio::test]
async fn periodic_and_win_back_invitations_come_once() {
    // Jonas has been a customer for 400 days: period 4 of 90 days is due, once.
    let (app, _) = test_app_with_rules(LifecycleRules::default()).await;
    let email = seed::OTHER_CUSTOMERS[0].0;
    let id = customer_id(&app, email).await;
    let jonas = app.sign_in(email).await;
    let list = invitations(&app, &jonas).await;
    let mut got: Vec<(&str, Trigger)> = list
        .iter()
        .map(|i| (i.instrument.as_str(), i.trigger))
        .collect();
    got.sort_by_key(|(instrument, _)| *instrument);
    assert_eq!(
        got,
        [
            ("commitment-customer", Trigger::Periodic),
            ("nps", Trigger::Periodic)
        ]
    );
    assert_eq!(invitations(&app, &jonas).await, list);
    let keys: Vec<String> = sqlx::query_scalar(
        "SELECT dedupe_key FROM survey_invitations WHERE customer_id = $1 ORDER BY dedupe_key",
    )
    .bind(id)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        keys,
        [
            format!("periodic:{id}:4"),
            format!("periodic:{id}:4:commitment-customer")
        ]
    );

    // Pieter has a fresh complaint: one win-back survey, not again after dismissing it.
    let (app, _) = test_app_with_rules(only_deliveries(2)).await;
    let pieter = app.sign_in(seed::OTHER_CUSTOMERS[2].0).await;
    let list = invitations(&app, &pieter).await;
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(
        (list[0].instrument.as_str(), list[0].trigger),
        ("commitment-customer", Trigger::WinBack)
    );
    let dismiss = format!("/api/v1/invitations/{}/dismiss", list[0].id);
    // Someone else's invitation is not found; anonymous is 401.
    let demo = app.demo_cookie().await;
    let foreign = app
        .send_json("POST", &dismiss, &demo, &json!({}), &[])
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    let anonymous = app.send_json("POST", &dismiss, "", &json!({}), &[]).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    for _ in 0..2 {
        let dismissed = app
            .send_json("POST", &dismiss, &pieter, &json!({}), &[])
            .await;
        assert_eq!(dismissed.status, StatusCode::NO_CONTENT);
    }
    assert!(invitations(&app, &pieter).await.is_empty());
    let missing = app
        .send_json(
            "POST",
            "/api/v1/invitations/999999/dismiss",
            &pieter,
            &json!({}),
            &[],
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn what_staff_did_appears_with_the_answer_for_its_owner_only() {
    let (app, _) = test_app_with_rules(only_deliveries(0)).await;
    let demo = app.demo_cookie().await;
    let staff = app.sign_in(seed::STAFF_EMAIL).await;
    deliver_all(&app, &staff, 1, &["shipped"]).await;
    let invitation = invitations(&app, &demo)
        .await
        .into_iter()
        .find(|i| i.instrument == "ces-effort")
        .unwrap();
    let order_id = invitation.order_id.unwrap();
    let created = answer(
        &app,
        &demo,
        &format!("?invitation={}", invitation.id),
        "ces-key-staff",
        &ces(4),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let response_id = created.json::<Value>()["id"].as_str().unwrap().to_owned();
    let actions = format!("/api/v1/staff/survey-responses/{response_id}/actions");

    for (text, problem) in [
        ("   ".to_owned(), "required"),
        ("x".repeat(2001), "too_long"),
        ("bell\u{7}".to_owned(), "invalid_format"),
    ] {
        let bad = app
            .send_json("POST", &actions, &staff, &json!({ "text": text }), &[])
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(
            bad.field_errors(),
            [("text".to_owned(), problem.to_owned())]
        );
    }
    let unknown = app
        .send_json(
            "POST",
            "/api/v1/staff/survey-responses/sr_nope/actions",
            &staff,
            &json!({"text": "Called"}),
            &[],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    let text = "You found the delivery slow: we switched to a faster carrier in your area.";
    let recorded = app
        .send_json(
            "POST",
            &actions,
            &staff,
            &json!({ "text": format!("  {text}\n") }),
            &[],
        )
        .await;
    assert_eq!(recorded.status, StatusCode::CREATED);
    let action: SurveyAction = recorded.json();
    assert_eq!(action.text, text);
    let exact = app
        .send_json(
            "POST",
            &actions,
            &staff,
            &json!({ "text": "x".repeat(2000) }),
            &[],
        )
        .await;
    assert_eq!(exact.status, StatusCode::CREATED);

    // The owner sees it with the answer; anyone else gets the plain 404.
    let uri = format!("/api/v1/survey-responses/{response_id}");
    let detail: SurveyAnswerDetail = app.get_ok(&uri, &demo).await;
    assert_eq!(detail.actions.len(), 2);
    assert_eq!(detail.actions[0], action);
    assert_eq!(detail.order_id, Some(order_id));
    let other = app.sign_in(seed::OTHER_CUSTOMERS[0].0).await;
    let theirs = app.get(&uri, &other).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert_eq!(theirs.error_code(), "not_found");

    // The history links to the answer and says the firm responded.
    let history: HistoryPage = app
        .get_ok("/api/v1/history?kind=survey_answer", &demo)
        .await;
    let entry = &history.entries[0];
    assert_eq!(entry.kind, HistoryKind::SurveyAnswer);
    assert_eq!(entry.id, format!("survey_answer:{response_id}"));
    assert_eq!(entry.status.as_deref(), Some("responded"));
    assert_eq!(entry.order_id, Some(order_id));
    assert_eq!(entry.detail.as_deref(), Some("ces-effort"));

    // Staff see the answer, its headline and actions, and what is still open.
    let detail: StaffCustomerDetail = app.get_ok("/api/v1/staff/customers/1", &staff).await;
    assert_eq!(detail.email, seed::DEMO_EMAIL);
    assert_eq!(detail.relationship.phase, Phase::Expansion);
    let response = &detail.responses[0];
    assert_eq!(response.id, response_id);
    assert_eq!(response.headline.as_deref(), Some("CES 4"));
    assert_eq!(response.order_id, Some(order_id));
    assert_eq!(response.actions.len(), 2);
    assert!(detail.invitations.iter().all(|i| i.id != invitation.id));
    assert_eq!(detail.invitations, invitations(&app, &demo).await);
}
