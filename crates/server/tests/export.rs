//! `GET /staff/survey-responses`: the stored answers to one instrument as JSON lines for the analyst
//! view, paged by `after`/`Rapport-Next`; and the demo answers the seed stores for it.

mod common;

use axum::http::{header, StatusCode};
use common::{test_app, Answer, TestApp};
use rapport_core::Response;
use rapport_server::{db, seed};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

const EXPORT: &str = "/api/v1/staff/survey-responses";

async fn export(app: &TestApp, cookie: &str, query: &str) -> Answer {
    app.get(&format!("{EXPORT}{query}"), cookie).await
}

fn next(answer: &Answer) -> Option<String> {
    answer.header(header::HeaderName::from_static("rapport-next"))
}

/// The lines of a successful export, each parsed by the core and as plain JSON.
fn lines(answer: &Answer) -> Vec<(Response, Value)> {
    assert_eq!(
        answer.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    assert_eq!(
        answer.header(header::CONTENT_TYPE).as_deref(),
        Some("application/x-ndjson")
    );
    assert_eq!(
        answer.header(header::CACHE_CONTROL).as_deref(),
        Some("no-store")
    );
    let text = std::str::from_utf8(&answer.body).expect("UTF-8");
    assert!(text.is_empty() || text.ends_with('\n'), "every line ends");
    text.lines()
        .map(|line| {
            let response = Response::from_json(line).unwrap_or_else(|e| panic!("{e:?}: {line}"));
            (response, serde_json::from_str(line).unwrap())
        })
        .collect()
}

/// Every line of an export, following `Rapport-Next`; also returns the number of pages.
async fn all_pages(
    app: &TestApp,
    cookie: &str,
    instrument: &str,
    limit: u32,
) -> (Vec<(Response, Value)>, usize) {
    let mut all = Vec::new();
    let mut after = String::from("0");
    let mut pages = 0;
    loop {
        let page = export(
            app,
            cookie,
            &format!("?instrument={instrument}&after={after}&limit={limit}"),
        )
        .await;
        pages += 1;
        let got = lines(&page);
        assert!(got.len() <= limit as usize);
        all.extend(got);
        match next(&page) {
            Some(value) => after = value,
            None => return (all, pages),
        }
        assert!(pages < 1000, "paging does not end");
    }
}

async fn submit(app: &TestApp, cookie: &str, key: &str, body: &Value) {
    let answer = app
        .send_json(
            "POST",
            "/api/v1/survey-responses",
            cookie,
            body,
            &[("idempotency-key", key)],
        )
        .await;
    assert_eq!(
        answer.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
}

fn reference(id: &str) -> Value {
    serde_json::to_value(rapport_core::builtin(id).unwrap().reference()).unwrap()
}

async fn seeded_count(pool: &db::Db) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM survey_responses")
        .fetch_one(pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_export_is_401_anonymous_and_403_for_customers() {
    let app = test_app().await;
    let anonymous = export(&app, "", "?instrument=nps").await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.error_code(), "unauthorized");
    // Authentication comes first: bad parameters do not tell an outsider anything either.
    let anonymous = export(&app, "", "?limit=0").await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let demo = app.demo_cookie().await;
    let customer = export(&app, &demo, "?instrument=nps").await;
    assert_eq!(customer.status, StatusCode::FORBIDDEN);
    assert_eq!(customer.error_code(), "forbidden");
}

#[tokio::test]
async fn every_seeded_answer_is_exported_valid_anonymous_and_oldest_first() {
    let app = test_app().await;
    let staff = app.sign_in(seed::STAFF_EMAIL).await;
    let now = OffsetDateTime::now_utc();
    for (name, count) in seed::DEMO_RESPONSES {
        let instrument = rapport_core::builtin(name).unwrap();
        let (all, pages) = all_pages(&app, &staff, name, 5000).await;
        assert_eq!(pages, 1, "{name}: one page holds them all");
        assert_eq!(all.len(), count, "{name}");
        let mut previous = None;
        let mut segments = BTreeSet::new();
        for (response, raw) in &all {
            instrument
                .validate(response)
                .unwrap_or_else(|e| panic!("{name}: {e:?}"));
            // Every key of the CLI's JSON-lines form is there, with nulls rather than gaps.
            assert_eq!(raw["respondent_id"], Value::Null);
            let keys: Vec<&String> = raw["meta"].as_object().unwrap().keys().collect();
            assert_eq!(
                keys,
                ["audience", "segment", "source", "timestamp"],
                "{raw}"
            );
            assert_eq!(raw["meta"]["source"], "widget");
            let audience = if name == "commitment-customer" {
                json!("customer")
            } else {
                Value::Null
            };
            assert_eq!(raw["meta"]["audience"], audience);
            let at = response.meta.timestamp.as_deref().unwrap();
            let at = OffsetDateTime::parse(at, &Rfc3339).unwrap();
            assert!(at <= now && at > now - Duration::days(366), "{name}: {at}");
            assert!(previous <= Some(at), "{name}: oldest first");
            previous = Some(at);
            segments.insert(response.meta.segment.clone().unwrap());
        }
        assert_eq!(
            segments,
            BTreeSet::from(["phone".to_owned(), "store".to_owned(), "web".to_owned()]),
            "{name}"
        );
    }
}

#[tokio::test]
async fn demo_servqual_perceptions_fall_short_most_on_reliability() {
    let app = test_app().await;
    let staff = app.sign_in(seed::STAFF_EMAIL).await;
    let (all, _) = all_pages(&app, &staff, "servqual", 5000).await;
    let mut gaps: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    let mut weights: BTreeMap<String, f64> = BTreeMap::new();
    for (response, _) in &all {
        for n in 1..=22u32 {
            let dimension = rapport_core::builtin::servqual_dimension(n);
            let gap = response.answers[&format!("P{n}")] - response.answers[&format!("E{n}")];
            let entry = gaps.entry(dimension).or_default();
            entry.0 += gap as f64;
            entry.1 += 1.0;
        }
        let points: i64 = ["W_TAN", "W_REL", "W_RES", "W_ASS", "W_EMP"]
            .iter()
            .map(|column| {
                *weights.entry((*column).to_owned()).or_default() +=
                    response.answers[*column] as f64;
                response.answers[*column]
            })
            .sum();
        assert_eq!(points, 100);
    }
    let means: BTreeMap<&str, f64> = gaps.iter().map(|(d, (sum, n))| (*d, sum / n)).collect();
    for (dimension, mean) in &means {
        assert!(*mean < 0.0, "{dimension}: perceptions below expectations");
        assert!(*mean > -2.0, "{dimension}: a bit below, not far below");
    }
    let weakest = means
        .iter()
        .min_by(|a, b| a.1.total_cmp(b.1))
        .map(|(d, _)| *d);
    assert_eq!(weakest, Some("REL"), "{means:?}");
    let heaviest = weights
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(c, _)| c.as_str());
    assert_eq!(heaviest, Some("W_REL"), "{weights:?}");
}

#[tokio::test]
async fn pages_follow_rapport_next_without_gaps_or_repeats() {
    let app = test_app().await;
    let staff = app.sign_in(seed::STAFF_EMAIL).await;
    let whole = lines(&export(&app, &staff, "?instrument=nps&limit=5000").await);
    assert_eq!(whole.len(), 400);

    // 150 + 150 + 100: the first two pages are full and say where to go on; the last does not.
    let first = export(&app, &staff, "?instrument=nps&limit=150").await;
    assert_eq!(lines(&first).len(), 150);
    let after = next(&first).expect("a full page names the next");
    assert!(after.parse::<i64>().unwrap() > 0);
    let (paged, pages) = all_pages(&app, &staff, "nps", 150).await;
    assert_eq!(pages, 3);
    assert_eq!(paged, whole);

    // A last page that is exactly full has no `Rapport-Next` either.
    let (paged, pages) = all_pages(&app, &staff, "nps", 200).await;
    assert_eq!(pages, 2);
    assert_eq!(paged, whole);

    // The default page is 1000 lines.
    let default = export(&app, &staff, "?instrument=nps").await;
    assert_eq!(lines(&default).len(), 400);
    assert_eq!(next(&default), None);

    // After the first 399: the last one, and nothing after it.
    let first = export(&app, &staff, "?instrument=nps&limit=399").await;
    let after = next(&first).expect("one more");
    let last = export(&app, &staff, &format!("?instrument=nps&after={after}")).await;
    assert_eq!(lines(&last), whole[399..]);
    assert_eq!(next(&last), None);
    let beyond = export(&app, &staff, "?instrument=nps&after=9223372036854775807").await;
    assert!(lines(&beyond).is_empty());
    assert_eq!(next(&beyond), None);
}

#[tokio::test]
async fn new_answers_come_last_and_only_under_their_instrument() {
    let app = test_app().await;
    let staff = app.sign_in(seed::STAFF_EMAIL).await;
    let demo = app.demo_cookie().await;
    let demo_id: i64 = sqlx::query_scalar("SELECT id FROM customers WHERE email = $1")
        .bind(seed::DEMO_EMAIL)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let csat_before = lines(&export(&app, &staff, "?instrument=csat&limit=5000").await);

    // Signed in: a pseudonymous id. Anonymous with a respondent id of the client's own: not passed on,
    // whatever it holds.
    submit(
        &app,
        &demo,
        "export-key-0001",
        &json!({"instrument": reference("nps"), "answers": {"NPS": 10},
                "meta": {"segment": "north", "timestamp": "2020-01-01T00:00:00Z"}}),
    )
    .await;
    submit(
        &app,
        "",
        "export-key-0002",
        &json!({"instrument": reference("nps"), "respondent_id": "jane@example.test",
                "answers": {"NPS": 3}}),
    )
    .await;

    let nps = lines(&export(&app, &staff, "?instrument=nps&limit=5000").await);
    assert_eq!(nps.len(), 402);
    assert!(nps.iter().all(|(r, _)| r.instrument.id == "nps"));
    let (signed_in, raw) = &nps[400];
    assert_eq!(signed_in.answers["NPS"], 10);
    assert_eq!(signed_in.respondent_id, Some(format!("c-{demo_id}")));
    assert_eq!(signed_in.meta.segment.as_deref(), Some("north"));
    // The time is when the server stored it, not what the client claimed.
    let at = OffsetDateTime::parse(signed_in.meta.timestamp.as_deref().unwrap(), &Rfc3339).unwrap();
    assert!(at > OffsetDateTime::now_utc() - Duration::minutes(5));
    assert_eq!(raw["meta"]["audience"], Value::Null);
    let (anonymous, raw) = &nps[401];
    assert_eq!(anonymous.answers["NPS"], 3);
    assert_eq!(raw["respondent_id"], Value::Null);
    assert_eq!(raw["meta"]["segment"], Value::Null);
    assert!(!String::from_utf8_lossy(
        &export(&app, &staff, "?instrument=nps&limit=5000")
            .await
            .body
    )
    .contains("@"));

    // Only the new ones after the last seeded row.
    let first = export(&app, &staff, "?instrument=nps&limit=400").await;
    let after = next(&first).expect("more after the seeded 400");
    let newest = lines(&export(&app, &staff, &format!("?instrument=nps&after={after}")).await);
    assert_eq!(newest.len(), 2);

    // Other instruments are untouched; one nobody knows is empty, not an error.
    let csat = lines(&export(&app, &staff, "?instrument=csat&limit=5000").await);
    assert_eq!(csat, csat_before);
    assert!(csat.iter().all(|(r, _)| r.instrument.id == "csat"));
    for unknown in ["no-such-survey", "NPS", "%27%20OR%201%3D1%20--"] {
        let answer = export(&app, &staff, &format!("?instrument={unknown}")).await;
        assert!(lines(&answer).is_empty(), "{unknown}");
        assert_eq!(next(&answer), None);
    }
}

#[tokio::test]
async fn bad_parameters_are_400_naming_the_parameter() {
    let app = test_app().await;
    let staff = app.sign_in(seed::STAFF_EMAIL).await;
    let cases = [
        ("", "instrument"),
        ("?instrument=", "instrument"),
        ("?instrument=%20", "instrument"),
        ("?limit=10", "instrument"),
        ("?instrument=nps&limit=0", "limit"),
        ("?instrument=nps&limit=5001", "limit"),
        ("?instrument=nps&limit=-1", "limit"),
        ("?instrument=nps&limit=1.5", "limit"),
        ("?instrument=nps&limit=ten", "limit"),
        ("?instrument=nps&limit=99999999999", "limit"),
        ("?instrument=nps&after=-1", "after"),
        ("?instrument=nps&after=x", "after"),
        ("?instrument=nps&after=9223372036854775808", "after"),
        ("?instrument=nps&after=1&after=2", "after"),
    ];
    for (query, parameter) in cases {
        let answer = export(&app, &staff, query).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{query}");
        let error = answer.error().error;
        assert_eq!(error.code, "invalid_query", "{query}");
        assert!(
            error.message.contains(&format!("`{parameter}`")) || error.message.contains(parameter),
            "{query}: {}",
            error.message
        );
    }
    // The bounds themselves are fine; an empty value is the default.
    for query in ["limit=1", "limit=5000", "limit=", "after=", "after=0"] {
        let answer = export(&app, &staff, &format!("?instrument=nps&{query}")).await;
        assert_eq!(answer.status, StatusCode::OK, "{query}");
    }
    let one = export(&app, &staff, "?instrument=nps&limit=1").await;
    assert_eq!(lines(&one).len(), 1);
    assert!(next(&one).is_some());
}

#[tokio::test]
async fn the_demo_answers_are_seeded_once_and_restored_into_an_older_demo() {
    let pool = common::fresh_db().await;
    assert!(seed::seed_if_empty(&pool).await.unwrap());
    let total: usize = seed::DEMO_RESPONSES.iter().map(|(_, n)| n).sum();
    assert_eq!(seeded_count(&pool).await, total as i64);
    // Anonymous: nobody's history, phase or invitations change.
    let linked: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM survey_responses WHERE customer_id IS NOT NULL")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(linked, 0);
    // Numbered in the order they were stored, which is their order in time.
    let numbered: Vec<(i64, String)> =
        sqlx::query_as("SELECT seq, received_at FROM survey_responses ORDER BY seq")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(numbered.first().map(|r| r.0), Some(1));
    assert!(numbered
        .windows(2)
        .all(|w| w[0].0 + 1 == w[1].0 && w[0].1 <= w[1].1));

    // A second start adds nothing.
    assert!(!seed::seed_if_empty(&pool).await.unwrap());
    assert_eq!(seeded_count(&pool).await, total as i64);

    // A demo database from before the demo answers gets them on its next start.
    sqlx::query("DELETE FROM survey_responses")
        .execute(&pool)
        .await
        .unwrap();
    assert!(!seed::seed_if_empty(&pool).await.unwrap());
    assert_eq!(seeded_count(&pool).await, total as i64);
}

#[tokio::test]
async fn the_demo_answers_are_the_same_in_every_fresh_demo() {
    let read = |pool: db::Db| async move {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT id, idempotency_key, answers FROM survey_responses ORDER BY seq",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        rows
    };
    let one = common::fresh_db().await;
    seed::seed_if_empty(&one).await.unwrap();
    let two = common::fresh_db().await;
    seed::seed_if_empty(&two).await.unwrap();
    assert_eq!(read(one).await, read(two).await);
}

#[tokio::test]
async fn answers_stored_before_the_export_existed_are_numbered_in_the_order_they_arrived() {
    // Opened twice, so a file on SQLite (or a schema of its own on PostgreSQL).
    let path = std::env::temp_dir().join(format!("rapport-export-{}.sqlite3", std::process::id()));
    let postgres = common::fresh_postgres_url().await;
    let name = postgres
        .clone()
        .unwrap_or_else(|| path.to_string_lossy().to_string());
    let remove = || {
        if postgres.is_none() {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{name}{suffix}"));
            }
        }
    };
    remove();
    {
        let pool = db::open(&name).await.unwrap();
        seed::seed_if_empty(&pool).await.unwrap();
        // Back to the schema before the export: no numbers, no trigger, migration 6 not applied.
        let revert = if postgres.is_some() {
            "DROP TRIGGER survey_responses_number ON survey_responses;
             DROP FUNCTION survey_responses_number();
             ALTER TABLE survey_responses DROP COLUMN seq;
             DELETE FROM schema_migrations WHERE version = 6;"
        } else {
            "DROP TRIGGER survey_responses_number;
             DROP INDEX survey_responses_seq;
             DROP INDEX survey_responses_instrument_seq;
             ALTER TABLE survey_responses DROP COLUMN seq;
             DELETE FROM schema_migrations WHERE version = 6;"
        };
        sqlx::raw_sql(revert).execute(&pool).await.unwrap();
        pool.close().await;
    }
    let pool = db::open(&name).await.unwrap();
    let numbered: Vec<(Option<i64>, String)> =
        sqlx::query_as("SELECT seq, received_at FROM survey_responses ORDER BY seq")
            .fetch_all(&pool)
            .await
            .unwrap();
    let total: usize = seed::DEMO_RESPONSES.iter().map(|(_, n)| n).sum();
    assert_eq!(numbered.len(), total);
    assert!(numbered
        .iter()
        .enumerate()
        .all(|(i, (seq, _))| *seq == Some(i as i64 + 1)));
    assert!(numbered.windows(2).all(|w| w[0].1 <= w[1].1));
    // New rows carry on from there.
    let app = common::app_over(pool.clone(), "export-migrated");
    submit(
        &app,
        "",
        "export-key-0003",
        &json!({"instrument": reference("csat"), "answers": {"CSAT": 4}}),
    )
    .await;
    let newest: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM survey_responses")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(newest, Some(total as i64 + 1));
    pool.close().await;
    remove();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_answer_is_numbered_only_once_the_ones_before_it_are_visible() {
    // Several connections at once: a database file, or the PostgreSQL server.
    let dir = common::temp_dir("export-order");
    let path = dir.0.join("rapport.db");
    let pool = if common::on_postgres() {
        common::fresh_db().await
    } else {
        db::open(path.to_str().unwrap()).await.unwrap()
    };
    assert!(seed::seed_if_empty(&pool).await.unwrap());
    let app = std::sync::Arc::new(common::app_over(pool.clone(), "export-order"));
    let staff = app.sign_in(seed::STAFF_EMAIL).await;
    let nps = rapport_core::builtin("nps").unwrap().reference();

    // A slow writer: its row is stored (and numbered) but not yet committed.
    let mut slow = pool.begin().await.unwrap();
    sqlx::query(
        "INSERT INTO survey_responses (id, idempotency_key, request_sha256, instrument_id,
             instrument_version, instrument_hash, instrument_title, answers, meta, scores, received_at)
         VALUES ('sr_slow', 'export-slow', 'x', 'nps', $1, $2, 'NPS', '{\"NPS\":5}', '{}', '{}', $3)",
    )
    .bind(&nps.version)
    .bind(&nps.hash)
    .bind("2026-01-01T00:00:00Z")
    .execute(&mut *slow)
    .await
    .unwrap();

    // A submission meanwhile waits for it: were it numbered and visible first, a reader paging
    // past it would never see the slow row.
    let submitted = tokio::spawn({
        let app = app.clone();
        async move {
            submit(
                &app,
                "",
                "export-key-0004",
                &json!({"instrument": reference("nps"), "answers": {"NPS": 10}}),
            )
            .await
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(!submitted.is_finished(), "the later answer waits");
    slow.commit().await.unwrap();
    submitted.await.unwrap();

    let all = lines(&export(&app, &staff, "?instrument=nps&limit=5000").await);
    assert_eq!(all.len(), 402);
    let newest: Vec<i64> = all[400..].iter().map(|(r, _)| r.answers["NPS"]).collect();
    assert_eq!(newest, [5, 10], "in the order they became visible");
}
