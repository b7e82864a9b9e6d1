//! The access log: who at the firm looked at which customer's data, or acted on it, and when.
//!
//! Written in one place only: the [`Staff`](crate::extractor::Staff) extractor calls [`record`] for every
//! request it lets through, so no staff handler can forget it (and a new staff route is logged from its
//! first request, under its path until it is named in [`classify`]). The row is written before the
//! handler runs: an attempt that then fails (an unknown id, a refused decision) is logged too, which is
//! what accountability wants. The customer reads their own rows (`GET /access-log`); the firm exports
//! every row (`GET /staff/access-log`, JSON or CSV).

use crate::clock::now_rfc3339;
use crate::db::QueryBuilder;
use crate::extractor::{Customer, Staff};
use crate::{AppError, AppState};
use axum::extract::{FromRequestParts, MatchedPath, OriginalUri, Query, RawPathParams, State};
use axum::http::{header, request::Parts, HeaderValue, Method};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rapport_api::{AccessEntry, AccessLog, StaffAccessEntry, StaffAccessLog, API_PREFIX};
use serde::Deserialize;

/// Longest path kept (the paths of the API are short; anything longer is noise).
const MAX_PATH: usize = 300;
/// Most entries the customer's own list shows.
pub const CUSTOMER_LIMIT: i64 = 200;

/// Whose data a staff route is about, found from its `{id}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// Not one customer's (a list, an export).
    Nobody,
    /// `{id}` is the customer.
    Customer,
    /// `{id}` is one of their orders.
    Order,
    /// `{id}` is one of their survey answers.
    Response,
    /// `{id}` is their erasure request.
    Deletion,
}

/// The action a staff route stands for, and whose data it touches. `route` is the route's template
/// under the API prefix (`/staff/customers/{id}`).
pub fn classify(method: &Method, route: &str) -> (&'static str, Subject) {
    let get = method == Method::GET || method == Method::HEAD;
    match (get, route) {
        (true, "/staff/customers") => ("list_customers", Subject::Nobody),
        (true, "/staff/customers/{id}") => ("view_customer", Subject::Customer),
        (true, "/staff/customers/{id}/consent-chain") => ("view_consent_chain", Subject::Customer),
        (false, "/staff/customers/{id}/invitation") => ("send_invitation", Subject::Customer),
        (true, "/staff/survey-responses") => ("export_answers", Subject::Nobody),
        (false, "/staff/survey-responses/{id}/actions") => ("record_action", Subject::Response),
        (false, "/staff/orders/{id}/delivered") => ("mark_delivered", Subject::Order),
        (true, "/staff/access-log") => ("export_access_log", Subject::Nobody),
        (true, "/staff/deletion-requests") => ("view_deletion_queue", Subject::Nobody),
        (false, "/staff/deletion-requests/{id}") => ("decide_deletion", Subject::Deletion),
        _ => ("other", Subject::Nobody),
    }
}

/// The customer a subject's `{id}` names, as a SQL expression over `$1` (`NULL` when there is none).
fn subject_sql(subject: Subject) -> &'static str {
    match subject {
        // Still names `$1`, so that every statement binds the same values.
        Subject::Nobody => "(SELECT id FROM customers WHERE id = $1 AND 1 = 0)",
        Subject::Customer => "(SELECT id FROM customers WHERE id = $1 AND role = 'customer')",
        Subject::Order => "(SELECT customer_id FROM orders WHERE id = $1)",
        Subject::Deletion => "(SELECT customer_id FROM deletion_requests WHERE id = $1)",
        Subject::Response => "(SELECT customer_id FROM survey_responses WHERE id = $1)",
    }
}

/// Records one staff request (see the module's comment). A failure to write fails the request: a view
/// that cannot be accounted for is not shown.
pub async fn record(parts: &mut Parts, state: &AppState, staff_id: i64) -> Result<(), AppError> {
    let route = parts
        .extensions
        .get::<MatchedPath>()
        .map(|matched| matched.as_str().to_owned())
        .unwrap_or_default();
    let route = route.strip_prefix(API_PREFIX).unwrap_or(&route);
    let (action, subject) = classify(&parts.method, route);
    let id = match RawPathParams::from_request_parts(parts, state).await {
        Ok(params) => params
            .iter()
            .find(|(name, _)| *name == "id")
            .map(|(_, value)| value.to_owned()),
        Err(_) => None,
    };
    // The full path: inside the API's nested router, `uri` has lost the `/api/v1` prefix.
    let uri = parts
        .extensions
        .get::<OriginalUri>()
        .map_or(&parts.uri, |original| &original.0);
    let path: String = uri.path().chars().take(MAX_PATH).collect();
    let sql = format!(
        "INSERT INTO access_log (customer_id, at, staff_id, action, path)
         VALUES ({}, $2, $3, $4, $5)",
        subject_sql(subject)
    );
    // `$1` is the subject's id: a number for every subject but an answer's (a text id).
    let insert = sqlx::query(&sql);
    let insert = match subject {
        Subject::Response => insert.bind(id),
        _ => insert.bind(id.and_then(|id| id.parse::<i64>().ok())),
    };
    insert
        .bind(now_rfc3339())
        .bind(staff_id)
        .bind(action)
        .bind(path)
        .execute(&state.db)
        .await?;
    Ok(())
}

type EntryRow = (
    i64,
    String,
    Option<i64>,
    Option<String>,
    Option<i64>,
    String,
    String,
);

const ENTRY_SELECT: &str = "SELECT l.id, l.at, l.staff_id, s.name, l.customer_id, l.action, l.path
     FROM access_log l LEFT JOIN customers s ON s.id = l.staff_id";

/// `GET /access-log`: the signed-in customer's entries, newest first.
pub async fn mine(
    State(state): State<AppState>,
    customer: Customer,
) -> Result<Json<AccessLog>, AppError> {
    let rows: Vec<EntryRow> = sqlx::query_as(&format!(
        "{ENTRY_SELECT} WHERE l.customer_id = $1 ORDER BY l.id DESC LIMIT $2"
    ))
    .bind(customer.id)
    .bind(CUSTOMER_LIMIT)
    .fetch_all(&state.db)
    .await?;
    let entries = rows
        .into_iter()
        .map(|(_, at, _, staff, _, action, _)| AccessEntry { at, staff, action })
        .collect();
    Ok(Json(AccessLog { entries }))
}

/// Query of `GET /staff/access-log`.
#[derive(Debug, Default, Deserialize)]
pub struct ExportParams {
    /// `json` (default) or `csv`.
    pub format: Option<String>,
    /// Only the entries about this customer.
    pub customer: Option<String>,
}

/// `GET /staff/access-log?format=csv|json&customer=<id>`: every entry, oldest first.
pub async fn export(
    State(state): State<AppState>,
    _staff: Staff,
    params: Result<Query<ExportParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AppError> {
    let params = crate::error::query(params)?;
    let csv = match params.format.as_deref().map(str::trim) {
        None | Some("") | Some("json") => false,
        Some("csv") => true,
        Some(_) => return Err(AppError::invalid_query("`format` must be json or csv.")),
    };
    let mut query = QueryBuilder::new(ENTRY_SELECT);
    if let Some(customer) = params.customer.as_deref().map(str::trim) {
        let id = customer.parse::<i64>().map_err(|_| {
            AppError::invalid_query("`customer` must be a customer's id (a whole number).")
        })?;
        query.push(" WHERE l.customer_id = ").push_bind(id);
    }
    query.push(" ORDER BY l.id");
    let rows: Vec<EntryRow> = query.build_query_as().fetch_all(&state.db).await?;
    let entries: Vec<StaffAccessEntry> = rows
        .into_iter()
        .map(
            |(id, at, staff_id, staff, customer_id, action, path)| StaffAccessEntry {
                id,
                at,
                staff_id,
                staff,
                customer_id,
                action,
                path,
            },
        )
        .collect();
    if !csv {
        return Ok(Json(StaffAccessLog { entries }).into_response());
    }
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"access-log.csv\""),
            ),
        ],
        to_csv(&entries),
    )
        .into_response())
}

/// The entries as CSV (RFC 4180, with a header line).
pub fn to_csv(entries: &[StaffAccessEntry]) -> String {
    let mut out = String::from("id,at,staff_id,staff,customer_id,action,path\r\n");
    let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    for entry in entries {
        let fields = [
            entry.id.to_string(),
            cell(&entry.at),
            number(entry.staff_id),
            cell(entry.staff.as_deref().unwrap_or_default()),
            number(entry.customer_id),
            cell(&entry.action),
            cell(&entry.path),
        ];
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

/// One CSV text cell: quoted when it must be, and never read as a formula by a spreadsheet (a staff
/// member's name is free text).
fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(staff: &str, path: &str) -> StaffAccessEntry {
        StaffAccessEntry {
            id: 7,
            at: "2026-01-02T03:04:05Z".into(),
            staff_id: Some(3),
            staff: Some(staff.into()),
            customer_id: None,
            action: "view_customer".into(),
            path: path.into(),
        }
    }

    #[test]
    fn csv_quotes_what_it_must_and_defuses_formulas() {
        let csv = to_csv(&[entry("Sam \"the\" Staff, jr", "/a"), entry("=cmd()", "/b")]);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], "id,at,staff_id,staff,customer_id,action,path");
        assert_eq!(
            lines[1],
            "7,2026-01-02T03:04:05Z,3,\"Sam \"\"the\"\" Staff, jr\",,view_customer,/a"
        );
        assert_eq!(
            lines[2],
            "7,2026-01-02T03:04:05Z,3,'=cmd(),,view_customer,/b"
        );
        assert_eq!(lines.len(), 4, "a final line break");
    }

    #[test]
    fn every_staff_route_has_an_action() {
        for route in crate::routes::api_routes() {
            if !route.path.starts_with("/staff/") {
                continue;
            }
            for method in route.methods {
                let method = Method::from_bytes(method.as_bytes()).unwrap();
                let (action, _) = classify(&method, route.path);
                assert_ne!(action, "other", "{method} {} is not named", route.path);
            }
        }
    }
}
