//! The OpenAPI document matches what the router serves and what the handlers answer.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::test_app;
use rapport_server::routes::{api_routes, OPENAPI_JSON};
use serde_json::{json, Value};
use std::collections::BTreeSet;

const METHODS: [&str; 5] = ["GET", "POST", "PUT", "DELETE", "PATCH"];

fn document() -> Value {
    serde_json::from_str(OPENAPI_JSON).expect("openapi.json is JSON")
}

/// `(path, METHOD)` of every operation in the document.
fn documented(doc: &Value) -> BTreeSet<(String, String)> {
    doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .filter(|k| METHODS.contains(&k.to_uppercase().as_str()))
                .map(move |method| (path.clone(), method.to_uppercase()))
        })
        .collect()
}

#[test]
fn the_document_is_openapi_3_1_and_lists_exactly_the_served_routes() {
    let doc = document();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["servers"][0]["url"], "/api/v1");
    let served: BTreeSet<(String, String)> = api_routes()
        .iter()
        .flat_map(|route| {
            route
                .methods
                .iter()
                .map(|method| (route.path.to_owned(), (*method).to_owned()))
        })
        .collect();
    assert_eq!(documented(&doc), served);
    // Every reference points at a schema that exists.
    let text = OPENAPI_JSON;
    for (i, _) in text.match_indices("#/components/schemas/") {
        let name: String = text[i + 21..]
            .chars()
            .take_while(|c| c.is_alphanumeric())
            .collect();
        assert!(doc["components"]["schemas"].get(&name).is_some(), "{name}");
    }
}

#[tokio::test]
async fn the_route_table_is_what_the_router_serves() {
    let app = test_app().await;
    for route in api_routes() {
        // Instruments are public and named, not numbered: use one that exists.
        let id = if route.path.starts_with("/instruments/") {
            "nps"
        } else {
            "1"
        };
        let uri = format!("/api/v1{}", route.path.replace("{id}", id));
        for method in METHODS {
            let answer = app
                .send(
                    Request::builder()
                        .method(method)
                        .uri(&uri)
                        .body(Body::empty())
                        .unwrap(),
                )
                .await;
            if route.methods.contains(&method) {
                assert_ne!(
                    answer.status,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "{method} {uri}"
                );
                // Anonymous: protected routes answer 401 (never the unknown-path 404).
                assert_ne!(answer.status, StatusCode::NOT_FOUND, "{method} {uri}");
            } else {
                assert_eq!(
                    answer.status,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "{method} {uri}"
                );
                assert_eq!(answer.error_code(), "method_not_allowed");
            }
        }
    }
}

#[tokio::test]
async fn the_document_is_served_as_json() {
    let app = test_app().await;
    let answer = app.get("/api/v1/openapi.json", "").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer
        .header(header::CONTENT_TYPE)
        .unwrap()
        .starts_with("application/json"));
    assert_eq!(answer.json::<Value>(), document());
}

/// Checks a JSON value against a schema of the document: types, enums, required and declared properties
/// (objects are closed), items. Enough of JSON Schema for the document's own constructs.
fn check(doc: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.trim_start_matches("#/components/schemas/");
        let target = doc["components"]["schemas"]
            .get(name)
            .ok_or_else(|| format!("{at}: unknown schema {name}"))?;
        return check(doc, target, value, at);
    }
    if let Some(options) = schema.get("anyOf").and_then(Value::as_array) {
        return match options.iter().any(|o| check(doc, o, value, at).is_ok()) {
            true => Ok(()),
            false => Err(format!("{at}: {value} matches no anyOf option")),
        };
    }
    if let Some(types) = schema.get("type") {
        let types: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => return Err(format!("{at}: bad type in schema")),
        };
        let actual = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        let number_ok = actual == "integer" && types.contains(&"number");
        if !(types.contains(&actual) || number_ok) {
            return Err(format!("{at}: {actual} where {types:?} is declared"));
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array) {
        if !options.contains(value) {
            return Err(format!("{at}: {value} is not in the enum"));
        }
    }
    if let Value::Object(fields) = value {
        let properties = schema["properties"].as_object();
        for required in schema["required"].as_array().into_iter().flatten() {
            let name = required.as_str().unwrap_or_default();
            if !fields.contains_key(name) {
                return Err(format!("{at}: required property {name} is missing"));
            }
        }
        if let Some(properties) = properties {
            for (name, field) in fields {
                let declared = properties
                    .get(name)
                    .ok_or_else(|| format!("{at}: property {name} is not declared"))?;
                check(doc, declared, field, &format!("{at}.{name}"))?;
            }
        }
    }
    if let (Value::Array(items), Some(item_schema)) = (value, schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            check(doc, item_schema, item, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

fn response_schema<'a>(doc: &'a Value, path: &str, method: &str, status: u16) -> &'a Value {
    let schema = &doc["paths"][path][method]["responses"][status.to_string()]["content"]
        ["application/json"]["schema"];
    assert!(!schema.is_null(), "{method} {path} {status} has no schema");
    schema
}

#[tokio::test]
async fn real_answers_match_the_documented_schemas() {
    let app = test_app().await;
    let doc = document();
    let demo = app.demo_cookie().await;
    let overview: Value = app.get_ok("/api/v1/overview", &demo).await;
    let order_id = overview["open_request_list"][0]["order_id"]
        .as_i64()
        .unwrap();
    let detail: Value = app
        .get_ok(&format!("/api/v1/orders/{order_id}"), &demo)
        .await;
    let invoice_id = detail["invoices"][0]["id"].as_i64().unwrap();
    let request_id = overview["open_request_list"][0]["id"].as_i64().unwrap();

    let cases = [
        ("/health", "/api/v1/health".to_owned()),
        ("/session", "/api/v1/session".to_owned()),
        ("/me", "/api/v1/me".to_owned()),
        ("/sessions", "/api/v1/sessions".to_owned()),
        ("/overview", "/api/v1/overview".to_owned()),
        ("/orders/{id}", format!("/api/v1/orders/{order_id}")),
        ("/invoices/{id}", format!("/api/v1/invoices/{invoice_id}")),
        ("/history", "/api/v1/history?limit=500".to_owned()),
        ("/requests", "/api/v1/requests".to_owned()),
        ("/requests/{id}", format!("/api/v1/requests/{request_id}")),
        ("/profile", "/api/v1/profile".to_owned()),
    ];
    for (path, uri) in cases {
        let value: Value = app.get_ok(&uri, &demo).await;
        check(&doc, response_schema(&doc, path, "get", 200), &value, path)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    // Errors, with and without fields.
    let missing = app.get("/api/v1/orders/0", &demo).await;
    check(
        &doc,
        response_schema(&doc, "/orders/{id}", "get", 404),
        &missing.json(),
        "404",
    )
    .unwrap();
    let invalid = app
        .send_json(
            "POST",
            "/api/v1/requests",
            &demo,
            &json!({"kind": "return", "order_id": order_id, "reason": ""}),
            &[],
        )
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = invalid.json();
    assert!(!body["error"]["fields"].as_array().unwrap().is_empty());
    check(
        &doc,
        response_schema(&doc, "/requests", "post", 422),
        &body,
        "422",
    )
    .unwrap();

    // The checker itself rejects drift: a missing required field and an undeclared one.
    let schema = response_schema(&doc, "/overview", "get", 200);
    let mut broken = app.get_ok::<Value>("/api/v1/overview", &demo).await;
    broken["relationship"]
        .as_object_mut()
        .unwrap()
        .remove("currency");
    assert!(check(&doc, schema, &broken, "x").is_err());
    let mut extra = app.get_ok::<Value>("/api/v1/overview", &demo).await;
    extra["surprise"] = json!(1);
    assert!(check(&doc, schema, &extra, "x").is_err());
}

#[tokio::test]
async fn preference_centre_answers_match_the_documented_schemas() {
    let app = test_app().await;
    let doc = document();
    let demo = app.demo_cookie().await;
    let checked = |path: &str, method: &str, status: u16, value: &Value| {
        check(
            &doc,
            response_schema(&doc, path, method, status),
            value,
            path,
        )
        .unwrap_or_else(|e| panic!("{method} {path} {status}: {e}"));
    };

    let notice: Value = app.get_ok("/api/v1/notice?lang=nl", "").await;
    checked("/notice", "get", 200, &notice);
    let answer = app.get("/api/v1/preferences", &demo).await;
    let etag = answer.header(header::ETAG).unwrap();
    let mut prefs: Value = answer.json();
    checked("/preferences", "get", 200, &prefs);

    // A save that changes the pause, quiet hours and a cap: nullable fields filled in.
    prefs["quiet_hours"] = json!({"start": "21:00", "end": "07:00"});
    prefs["paused_until"] = json!("2099-01-01");
    prefs["caps"] = json!([{"topic": "offers", "max": 3, "per": "month"}]);
    let update = json!({
        "preferences": prefs,
        "context": {"notice_version": notice["version"], "notice_sha256": notice["sha256"],
                    "control": "matrix", "page": "/preferences", "gpc": false}
    });
    check(
        &doc,
        &doc["paths"]["/preferences"]["put"]["requestBody"]["content"]["application/json"]
            ["schema"],
        &update,
        "request",
    )
    .unwrap();
    let saved = app
        .send_json(
            "PUT",
            "/api/v1/preferences",
            &demo,
            &update,
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK);
    checked("/preferences", "put", 200, &saved.json());
    let invalid = app
        .send_json(
            "PUT",
            "/api/v1/preferences",
            &demo,
            &update,
            &[("if-match", "\"x\"")],
        )
        .await;
    checked("/preferences", "put", 412, &invalid.json());

    let records: Value = app.get_ok("/api/v1/consent-records", &demo).await;
    checked("/consent-records", "get", 200, &records);
    let id = records[0]["id"].as_i64().unwrap();
    let receipt: Value = app
        .get_ok(&format!("/api/v1/consent-records/{id}/receipt"), &demo)
        .await;
    checked("/consent-records/{id}/receipt", "get", 200, &receipt);

    let point = app
        .send_json(
            "POST",
            "/api/v1/contact-points",
            &demo,
            &json!({"channel": "sms", "address": "+31612345678"}),
            &[],
        )
        .await;
    assert_eq!(point.status, StatusCode::CREATED);
    checked("/contact-points", "post", 201, &point.json());
    let missing = app.get("/api/v1/deletion-request", &demo).await;
    checked("/deletion-request", "get", 200, &missing.json());
    let created = app
        .send_json(
            "POST",
            "/api/v1/deletion-request",
            &demo,
            &json!({"confirm": "DELETE"}),
            &[],
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    checked("/deletion-request", "post", 201, &created.json());
    let bad = app
        .send_json(
            "POST",
            "/api/v1/deletion-request",
            &demo,
            &json!({"confirm": "no"}),
            &[],
        )
        .await;
    checked("/deletion-request", "post", 422, &bad.json());
}

#[tokio::test]
async fn survey_answers_match_the_documented_schemas() {
    let app = test_app().await;
    let doc = document();
    let demo = app.demo_cookie().await;
    let checked = |path: &str, method: &str, status: u16, value: &Value| {
        check(
            &doc,
            response_schema(&doc, path, method, status),
            value,
            path,
        )
        .unwrap_or_else(|e| panic!("{method} {path} {status}: {e}"));
    };
    let list: Value = app.get_ok("/api/v1/instruments", "").await;
    checked("/instruments", "get", 200, &list);
    for name in rapport_core::BUILTIN_NAMES {
        let def: Value = app.get_ok(&format!("/api/v1/instruments/{name}"), "").await;
        checked("/instruments/{id}", "get", 200, &def);
    }
    let missing = app.get("/api/v1/instruments/nope", "").await;
    checked("/instruments/{id}", "get", 404, &missing.json());

    let reference =
        serde_json::to_value(rapport_core::builtin("servqual").unwrap().reference()).unwrap();
    let mut answers = serde_json::Map::new();
    for n in 1..=22 {
        answers.insert(format!("E{n}"), json!(6));
        answers.insert(format!("P{n}"), json!(4));
    }
    for column in ["W_TAN", "W_REL", "W_RES", "W_ASS", "W_EMP"] {
        answers.insert(column.to_owned(), json!(20));
    }
    let request = json!({"instrument": reference, "answers": answers, "respondent_id": "r1",
                         "meta": {"segment": "north", "audience": "customer"}});
    check(
        &doc,
        &doc["paths"]["/survey-responses"]["post"]["requestBody"]["content"]["application/json"]
            ["schema"],
        &request,
        "request",
    )
    .unwrap();
    let key = [("idempotency-key", "schema-check-1")];
    let created = app
        .send_json("POST", "/api/v1/survey-responses", &demo, &request, &key)
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    checked("/survey-responses", "post", 201, &created.json());
    let replayed = app
        .send_json("POST", "/api/v1/survey-responses", &demo, &request, &key)
        .await;
    checked("/survey-responses", "post", 200, &replayed.json());
    let location = created.header(header::LOCATION).unwrap();
    let detail: Value = app.get_ok(&location, &demo).await;
    checked("/survey-responses/{id}", "get", 200, &detail);

    let mut wrong = request.clone();
    wrong["answers"]["E1"] = json!(9);
    wrong["answers"]["W_TAN"] = json!(30);
    let invalid = app
        .send_json(
            "POST",
            "/api/v1/survey-responses",
            "",
            &wrong,
            &[("idempotency-key", "schema-check-2")],
        )
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    checked("/survey-responses", "post", 422, &invalid.json());
    let conflict = app
        .send_json("POST", "/api/v1/survey-responses", &demo, &wrong, &key)
        .await;
    checked("/survey-responses", "post", 409, &conflict.json());
}

#[tokio::test]
async fn lifecycle_answers_match_the_documented_schemas() {
    let rules = rapport_server::lifecycle::LifecycleRules {
        delivered_delay_days: 0,
        ..Default::default()
    };
    let (app, _) = common::test_app_with_rules(rules).await;
    let doc = document();
    let demo = app.demo_cookie().await;
    let staff = app.sign_in(rapport_server::seed::STAFF_EMAIL).await;
    let checked = |path: &str, method: &str, status: u16, value: &Value| {
        check(
            &doc,
            response_schema(&doc, path, method, status),
            value,
            path,
        )
        .unwrap_or_else(|e| panic!("{method} {path} {status}: {e}"));
    };
    app.mark_shipped_order_delivered(1, &staff).await;
    let me: Value = app.get_ok("/api/v1/me", &staff).await;
    checked("/me", "get", 200, &me);
    let relationship: Value = app.get_ok("/api/v1/relationship", &demo).await;
    checked("/relationship", "get", 200, &relationship);
    let list: Value = app.get_ok("/api/v1/invitations", &demo).await;
    checked("/invitations", "get", 200, &list);
    let invitation = list["invitations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["instrument"] == "ces-effort")
        .unwrap()
        .clone();
    let order_id = invitation["order_id"].as_i64().unwrap();
    let reference =
        serde_json::to_value(rapport_core::builtin("ces-effort").unwrap().reference()).unwrap();
    let created = app
        .send_json(
            "POST",
            &format!("/api/v1/survey-responses?invitation={}", invitation["id"]),
            &demo,
            &json!({"instrument": reference, "answers": {"CES": 3}}),
            &[("idempotency-key", "lifecycle-schema-1")],
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let response_id = created.json::<Value>()["id"].as_str().unwrap().to_owned();
    let action = app
        .send_json(
            "POST",
            &format!("/api/v1/staff/survey-responses/{response_id}/actions"),
            &staff,
            &json!({"text": "We called you back."}),
            &[],
        )
        .await;
    assert_eq!(action.status, StatusCode::CREATED);
    checked(
        "/staff/survey-responses/{id}/actions",
        "post",
        201,
        &action.json(),
    );
    let detail: Value = app
        .get_ok(&format!("/api/v1/survey-responses/{response_id}"), &demo)
        .await;
    assert_eq!(detail["order_id"], json!(order_id));
    checked("/survey-responses/{id}", "get", 200, &detail);
    let history: Value = app
        .get_ok("/api/v1/history?kind=survey_answer", &demo)
        .await;
    checked("/history", "get", 200, &history);
    let customers: Value = app.get_ok("/api/v1/staff/customers", &staff).await;
    checked("/staff/customers", "get", 200, &customers);
    let customer: Value = app.get_ok("/api/v1/staff/customers/1", &staff).await;
    checked("/staff/customers/{id}", "get", 200, &customer);
    let chain: Value = app
        .get_ok("/api/v1/staff/customers/1/consent-chain", &staff)
        .await;
    assert_eq!(chain["intact"], true);
    checked("/staff/customers/{id}/consent-chain", "get", 200, &chain);
    // A broken link's shape too (the tamper tests produce real ones).
    let mut broken = chain.clone();
    broken["intact"] = json!(false);
    broken["first_broken"] = json!({"record_id": 3, "previous_id": 2, "problem": "link_mismatch",
                                    "message": "record 3: …"});
    checked("/staff/customers/{id}/consent-chain", "get", 200, &broken);
    let forbidden = app.get("/api/v1/staff/customers", &demo).await;
    checked("/staff/customers", "get", 403, &forbidden.json());
    let bad = app
        .send_json(
            "POST",
            "/api/v1/survey-responses?invitation=0",
            &demo,
            &json!({"instrument": reference, "answers": {"CES": 3}}),
            &[("idempotency-key", "lifecycle-schema-2")],
        )
        .await;
    checked("/survey-responses", "post", 422, &bad.json());
}

#[tokio::test]
async fn the_survey_export_is_documented_as_json_lines_with_its_paging_header() {
    let app = test_app().await;
    let doc = document();
    let operation = &doc["paths"]["/staff/survey-responses"]["get"];
    let ok = &operation["responses"]["200"];
    let content = ok["content"].as_object().unwrap();
    assert_eq!(content.keys().collect::<Vec<_>>(), ["application/x-ndjson"]);
    assert_eq!(content["application/x-ndjson"]["schema"]["type"], "string");
    assert_eq!(ok["headers"]["Rapport-Next"]["required"], false);
    let parameters = operation["parameters"].as_array().unwrap();
    let parameter = |name: &str| {
        parameters
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{name} is documented"))
    };
    assert_eq!(parameter("instrument")["required"], true);
    let limit = &parameter("limit")["schema"];
    assert_eq!(
        (&limit["minimum"], &limit["maximum"], &limit["default"]),
        (&json!(1), &json!(5000), &json!(1000))
    );
    assert_eq!(parameter("after")["schema"]["minimum"], 0);

    // What the server sends is what the document says.
    let staff = app.sign_in(rapport_server::seed::STAFF_EMAIL).await;
    let page = app
        .get(
            "/api/v1/staff/survey-responses?instrument=nps&limit=2",
            &staff,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.header(header::CONTENT_TYPE).as_deref(),
        Some("application/x-ndjson")
    );
    let next = page
        .header(header::HeaderName::from_static("rapport-next"))
        .unwrap();
    assert!(!next.is_empty() && next.bytes().all(|b| b.is_ascii_digit()));
    for status in [400, 401, 403] {
        assert!(!response_schema(&doc, "/staff/survey-responses", "get", status).is_null());
    }
    let bad = app
        .get("/api/v1/staff/survey-responses?limit=0", &staff)
        .await;
    let schema = response_schema(&doc, "/staff/survey-responses", "get", 400);
    check(&doc, schema, &bad.json(), "400").unwrap();
    let demo = app.demo_cookie().await;
    let forbidden = app
        .get("/api/v1/staff/survey-responses?instrument=nps", &demo)
        .await;
    let schema = response_schema(&doc, "/staff/survey-responses", "get", 403);
    check(&doc, schema, &forbidden.json(), "403").unwrap();
}
