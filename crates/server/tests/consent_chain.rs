//! The tamper-evident consent log against the real router: every record links to the customer's previous
//! one, parallel saves never fork a chain, and a record rewritten in the database with its own hash
//! recomputed is found by the staff check, which names the first broken link.

mod common;

use axum::http::StatusCode;
use common::{flip_offers, test_app, TestApp};
use rapport_api::CHAIN_GENESIS;
use rapport_api::{ConsentChainReport, ConsentReceipt, ConsentRecord};
use rapport_server::consent_chain::record_canonical;
use rapport_server::ids::sha256_hex;
use rapport_server::seed;
use serde_json::json;
use std::sync::Arc;

async fn chain(app: &TestApp, staff: &str, customer: i64) -> ConsentChainReport {
    app.get_ok(
        &format!("/api/v1/staff/customers/{customer}/consent-chain"),
        staff,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn records_link_to_their_predecessor_and_parallel_saves_never_fork_a_chain() {
    let app = Arc::new(test_app().await);
    let staff = app.sign_in(seed::STAFF_EMAIL).await;
    let mut emails = vec![seed::DEMO_EMAIL];
    emails.extend(seed::OTHER_CUSTOMERS.iter().map(|(email, _)| *email));
    // Four customers save at once, five times each: their records interleave in one id sequence.
    let mut tasks = Vec::new();
    for email in emails.clone() {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let cookie = app.sign_in(email).await;
            for _ in 0..5 {
                flip_offers(&app, &cookie).await;
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    for email in emails {
        let id = app.customer_id(email).await;
        let report = chain(&app, &staff, id).await;
        assert!(report.intact, "{email}: {report:?}");
        assert_eq!(report.unchained, 0);
        let cookie = app.sign_in(email).await;
        let mut records: Vec<ConsentRecord> = app.get_ok("/api/v1/consent-records", &cookie).await;
        records.reverse();
        assert!(records.len() >= 5, "{email}: {} records", records.len());
        assert_eq!(report.records, records.len());
        assert_eq!(records[0].prev_sha256.as_deref(), Some(CHAIN_GENESIS));
        for pair in records.windows(2) {
            assert_eq!(pair[1].prev_sha256.as_ref(), Some(&pair[0].sha256));
        }
        assert_eq!(
            report.head_sha256.as_ref(),
            records.last().map(|r| &r.sha256)
        );
        // The receipt carries the link inside the hashed text.
        let last = records.last().unwrap();
        let receipt: ConsentReceipt = app
            .get_ok(
                &format!("/api/v1/consent-records/{}/receipt", last.id),
                &cookie,
            )
            .await;
        let link = format!("\"prev_sha256\":\"{}\"", records[records.len() - 2].sha256);
        assert!(receipt.canonical.contains(&link), "{}", receipt.canonical);
        assert_eq!(receipt.record.prev_sha256, last.prev_sha256);
    }
}

/// Lets the test rewrite history the way someone with database access could.
async fn drop_append_only_guard(app: &TestApp) {
    let sql = if common::on_postgres() {
        "DROP TRIGGER consent_records_append_only ON consent_records"
    } else {
        "DROP TRIGGER consent_records_no_update"
    };
    sqlx::query(sql).execute(&app.pool).await.unwrap();
}

#[tokio::test]
async fn a_record_rewritten_with_its_hash_recomputed_is_found() {
    let app = test_app().await;
    let demo = app.demo_cookie().await;
    let staff = app.sign_in(seed::STAFF_EMAIL).await;
    for _ in 0..3 {
        flip_offers(&app, &demo).await;
    }
    let demo_id = app.customer_id(seed::DEMO_EMAIL).await;
    let before = chain(&app, &staff, demo_id).await;
    assert!(before.intact, "{before:?}");
    let mut records: Vec<ConsentRecord> = app.get_ok("/api/v1/consent-records", &demo).await;
    records.reverse();
    let (victim, next) = (records[1].clone(), records[2].clone());

    // Claim the customer once agreed to something else, and make the record self-consistent again.
    drop_append_only_guard(&app).await;
    let mut forged = victim.clone();
    forged.changes[0].new = json!(!forged.changes[0].new.as_bool().unwrap_or(false));
    let canonical = record_canonical(&forged).unwrap();
    forged.sha256 = sha256_hex(&canonical);
    sqlx::query(
        "UPDATE consent_records SET changes = $1, canonical = $2, sha256 = $3 WHERE id = $4",
    )
    .bind(serde_json::to_string(&forged.changes).unwrap())
    .bind(&canonical)
    .bind(&forged.sha256)
    .bind(victim.id)
    .execute(&app.pool)
    .await
    .unwrap();
    // Its own receipt now verifies on its own: only the chain can tell.
    let receipt: ConsentReceipt = app
        .get_ok(
            &format!("/api/v1/consent-records/{}/receipt", victim.id),
            &demo,
        )
        .await;
    assert_eq!(sha256_hex(&receipt.canonical), receipt.record.sha256);

    let after = chain(&app, &staff, demo_id).await;
    assert!(!after.intact);
    let broken = after.first_broken.unwrap();
    assert_eq!(
        (
            broken.record_id,
            broken.previous_id,
            broken.problem.as_str()
        ),
        (next.id, Some(victim.id), "link_mismatch")
    );
    assert!(broken.message.contains(&format!("record {}", victim.id)));
    // Other customers' chains are unaffected.
    let other = app.customer_id(seed::OTHER_CUSTOMERS[0].0).await;
    assert!(chain(&app, &staff, other).await.intact);
}

#[tokio::test]
async fn the_chain_check_is_for_staff_only() {
    let app = test_app().await;
    let demo = app.demo_cookie().await;
    let staff = app.sign_in(seed::STAFF_EMAIL).await;
    let uri = "/api/v1/staff/customers/1/consent-chain";
    assert_eq!(app.get(uri, "").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get(uri, &demo).await.status, StatusCode::FORBIDDEN);
    for missing in ["999999", "x", "-1"] {
        let answer = app
            .get(
                &format!("/api/v1/staff/customers/{missing}/consent-chain"),
                &staff,
            )
            .await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{missing}");
    }
}
