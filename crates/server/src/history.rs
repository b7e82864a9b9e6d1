//! `GET /history`: one timeline over orders, invoices, payments, shipments, contacts, requests and
//! survey answers.
//!
//! A `UNION ALL` with one arm per kind; every filter (kind, dates, status, text, cursor) is applied inside
//! each arm, so the database only sorts the matching rows and returns one page. Pages are keyset-paged
//! on `(at, id)`: stable under inserts, and as fast for page 200 as for page 1.

use crate::extractor::{signed_in_answer, CurrentSession};
use crate::reader::{KeptRead, Param, PgReader, ReadRow, Reader, SqliteConn, Statement};
use crate::{AppError, AppState};
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use rapport_api::{HistoryEntry, HistoryKind, HistoryPage};
use serde::Deserialize;
use time::macros::format_description;
use time::Date;

/// Default and largest page size.
pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 500;
/// Longest accepted `q` and `status`, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
pub const MAX_STATUS_CHARS: usize = 40;

/// The raw query parameters; each is checked by hand so that errors name the parameter.
#[derive(Debug, Default, Deserialize)]
pub struct HistoryParams {
    pub kind: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub status: Option<String>,
    pub q: Option<String>,
    pub sort: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

/// Where a page starts: after the entry with this `(at, id)` in the page's sort order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub ascending: bool,
    pub at: String,
    pub id: String,
}

impl Cursor {
    /// Opaque to clients: hex of `v1|a|at|id` (or `d` for descending). The sort order is inside so that a
    /// cursor cannot be replayed against the other order.
    pub fn encode(&self) -> String {
        let dir = if self.ascending { "a" } else { "d" };
        crate::ids::hex(format!("v1|{dir}|{}|{}", self.at, self.id).as_bytes())
    }

    pub fn decode(text: &str) -> Option<Cursor> {
        if !text.len().is_multiple_of(2) || text.len() > 512 {
            return None;
        }
        let bytes = (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
            .collect::<Option<Vec<u8>>>()?;
        let text = String::from_utf8(bytes).ok()?;
        let mut parts = text.splitn(4, '|');
        let (version, dir, at, id) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        let ascending = match (version, dir) {
            ("v1", "a") => true,
            ("v1", "d") => false,
            _ => return None,
        };
        if at.is_empty() || id.is_empty() {
            return None;
        }
        Some(Cursor {
            ascending,
            at: at.to_owned(),
            id: id.to_owned(),
        })
    }
}

/// The checked filter.
#[derive(Debug, PartialEq, Eq)]
pub struct Filter {
    /// Empty: every kind.
    pub kinds: Vec<HistoryKind>,
    /// `at >= from` (a date `YYYY-MM-DD`: compares below every time of that day).
    pub from: Option<String>,
    /// `at < before` (the day after `to`).
    pub before: Option<String>,
    pub status: Option<String>,
    /// Lower-case `LIKE` pattern with `%`, `_` and `\` escaped.
    pub pattern: Option<String>,
    pub ascending: bool,
    pub limit: u32,
    pub cursor: Option<Cursor>,
}

fn parse_date(name: &str, value: &str) -> Result<Date, AppError> {
    let format = format_description!("[year]-[month]-[day]");
    if value.len() != 10 {
        return Err(bad_date(name, value));
    }
    Date::parse(value, &format).map_err(|_| bad_date(name, value))
}

fn bad_date(name: &str, value: &str) -> AppError {
    AppError::invalid_query(format!(
        "`{name}` must be a date YYYY-MM-DD, not {:?}.",
        shorten(value)
    ))
}

/// Echoes at most 40 characters of a bad value back in a message.
fn shorten(value: &str) -> String {
    value.chars().take(40).collect()
}

impl Filter {
    /// Checks every parameter; the error names the one that is wrong.
    pub fn parse(params: HistoryParams) -> Result<Filter, AppError> {
        let non_empty = |v: Option<String>| v.filter(|v| !v.trim().is_empty());
        let mut kinds = Vec::new();
        if let Some(list) = non_empty(params.kind) {
            for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                let kind = HistoryKind::parse(name).ok_or_else(|| {
                    let known: Vec<&str> = HistoryKind::ALL.iter().map(|k| k.as_str()).collect();
                    AppError::invalid_query(format!(
                        "`kind` must be a comma-separated list of {}; {:?} is not one.",
                        known.join(", "),
                        shorten(name)
                    ))
                })?;
                if !kinds.contains(&kind) {
                    kinds.push(kind);
                }
            }
        }
        let from = non_empty(params.from)
            .map(|v| parse_date("from", v.trim()))
            .transpose()?;
        let to = non_empty(params.to)
            .map(|v| parse_date("to", v.trim()))
            .transpose()?;
        if let (Some(from), Some(to)) = (from, to) {
            if from > to {
                return Err(AppError::invalid_query(
                    "`from` must not be after `to`.".to_owned(),
                ));
            }
        }
        let format = format_description!("[year]-[month]-[day]");
        let as_text = |date: Date| date.format(&format).map_err(|_| AppError::internal());
        let from = from.map(as_text).transpose()?;
        // Inclusive `to`: everything before the next day. No next day (year 9999) means no bound.
        let before = to.and_then(Date::next_day).map(as_text).transpose()?;

        let status = non_empty(params.status).map(|s| s.trim().to_owned());
        if status
            .as_ref()
            .is_some_and(|s| s.chars().count() > MAX_STATUS_CHARS)
        {
            return Err(AppError::invalid_query(format!(
                "`status` must be at most {MAX_STATUS_CHARS} characters."
            )));
        }
        let q = non_empty(params.q).map(|q| q.trim().to_owned());
        if q.as_ref()
            .is_some_and(|q| q.chars().count() > MAX_QUERY_CHARS)
        {
            return Err(AppError::invalid_query(format!(
                "`q` must be at most {MAX_QUERY_CHARS} characters."
            )));
        }
        let pattern = q.map(|q| {
            let mut pattern = String::from("%");
            for c in q.to_lowercase().chars() {
                if matches!(c, '%' | '_' | '\\') {
                    pattern.push('\\');
                }
                pattern.push(c);
            }
            pattern.push('%');
            pattern
        });
        let ascending = match non_empty(params.sort).as_deref().map(str::trim) {
            None | Some("desc") => false,
            Some("asc") => true,
            Some(other) => {
                return Err(AppError::invalid_query(format!(
                    "`sort` must be asc or desc, not {:?}.",
                    shorten(other)
                )))
            }
        };
        let limit = match non_empty(params.limit) {
            None => DEFAULT_LIMIT,
            Some(text) => match text.trim().parse::<u32>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
                _ => {
                    return Err(AppError::invalid_query(format!(
                        "`limit` must be a whole number from 1 to {MAX_LIMIT}, not {:?}.",
                        shorten(&text)
                    )))
                }
            },
        };
        let cursor = match non_empty(params.cursor) {
            None => None,
            Some(text) => match Cursor::decode(text.trim()) {
                Some(cursor) if cursor.ascending == ascending => Some(cursor),
                Some(_) => return Err(AppError::bad_request(
                    "invalid_cursor",
                    "`cursor` belongs to the other sort order; start again from the first page.",
                )),
                None => return Err(AppError::bad_request(
                    "invalid_cursor",
                    "`cursor` is not one this server gave out; start again from the first page.",
                )),
            },
        };
        Ok(Filter {
            kinds,
            from,
            before,
            status,
            pattern,
            ascending,
            limit,
            cursor,
        })
    }

    fn wants(&self, kind: HistoryKind) -> bool {
        self.kinds.is_empty() || self.kinds.contains(&kind)
    }
}

/// One arm of the union: the customer's entries of one kind, as the columns
/// `id, kind, at, reference, status, amount_cents, currency, order_id, detail`. The customer's id is
/// bound after the SQL. NULLs are cast so that a stricter database can type the union.
fn arm_sql(kind: HistoryKind) -> &'static str {
    match kind {
        HistoryKind::Order => {
            "SELECT 'order:' || o.id AS id, 'order' AS kind, o.placed_at AS at, o.number AS reference,
                    o.status AS status, o.total_cents AS amount_cents, o.currency AS currency,
                    o.id AS order_id, CAST(NULL AS TEXT) AS detail
             FROM orders o WHERE o.customer_id = "
        }
        // Status `paid` once the payments cover the amount, else `open`; detail is the order number.
        HistoryKind::Invoice => {
            "SELECT 'invoice:' || i.id AS id, 'invoice' AS kind, i.issued_at AS at, i.number AS reference,
                    CASE WHEN (SELECT COALESCE(SUM(p.amount_cents), 0) FROM payments p
                               WHERE p.invoice_id = i.id) >= i.amount_cents
                         THEN 'paid' ELSE 'open' END AS status,
                    i.amount_cents AS amount_cents, o.currency AS currency, o.id AS order_id,
                    o.number AS detail
             FROM invoices i JOIN orders o ON o.id = i.order_id WHERE o.customer_id = "
        }
        // Reference is the payment method; detail is the invoice number.
        HistoryKind::Payment => {
            "SELECT 'payment:' || p.id AS id, 'payment' AS kind, p.paid_at AS at, p.method AS reference,
                    CAST(NULL AS TEXT) AS status, p.amount_cents AS amount_cents, o.currency AS currency,
                    o.id AS order_id, i.number AS detail
             FROM payments p JOIN invoices i ON i.id = p.invoice_id JOIN orders o ON o.id = i.order_id
             WHERE o.customer_id = "
        }
        // Status is the latest carrier event's; detail is the carrier.
        HistoryKind::Shipment => {
            "SELECT 'shipment:' || s.id AS id, 'shipment' AS kind, COALESCE(s.shipped_at, o.placed_at) AS at,
                    s.tracking_number AS reference,
                    COALESCE((SELECT e.status FROM carrier_events e WHERE e.shipment_id = s.id
                              ORDER BY e.at DESC, e.id DESC LIMIT 1),
                             CASE WHEN s.delivered_at IS NOT NULL THEN 'delivered'
                                  WHEN s.shipped_at IS NOT NULL THEN 'shipped' END) AS status,
                    CAST(NULL AS BIGINT) AS amount_cents, CAST(NULL AS TEXT) AS currency,
                    o.id AS order_id, s.carrier AS detail
             FROM shipments s JOIN orders o ON o.id = s.order_id WHERE o.customer_id = "
        }
        // Reference is the subject; detail is the channel.
        HistoryKind::Contact => {
            "SELECT 'contact:' || c.id AS id, 'contact' AS kind, c.at AS at, c.subject AS reference,
                    CAST(NULL AS TEXT) AS status, CAST(NULL AS BIGINT) AS amount_cents,
                    CAST(NULL AS TEXT) AS currency, CAST(NULL AS BIGINT) AS order_id, c.channel AS detail
             FROM contacts c WHERE c.customer_id = "
        }
        // Reference is the reason; detail is the request kind.
        HistoryKind::Request => {
            "SELECT 'request:' || r.id AS id, 'request' AS kind, r.created_at AS at, r.reason AS reference,
                    r.status AS status, CAST(NULL AS BIGINT) AS amount_cents,
                    CAST(NULL AS TEXT) AS currency, r.order_id AS order_id, r.kind AS detail
             FROM service_requests r WHERE r.customer_id = "
        }
        // Reference is the survey's English title; detail is the instrument id; status `responded` once
        // the firm recorded what it did about the answer; order_id when it was about an order. The
        // response id (for `GET /survey-responses/{id}`) is the id after `survey_answer:`.
        HistoryKind::SurveyAnswer => {
            "SELECT 'survey_answer:' || s.id AS id, 'survey_answer' AS kind, s.received_at AS at,
                    s.instrument_title AS reference,
                    CASE WHEN EXISTS (SELECT 1 FROM survey_actions a WHERE a.response_id = s.id)
                         THEN 'responded' END AS status,
                    CAST(NULL AS BIGINT) AS amount_cents, CAST(NULL AS TEXT) AS currency,
                    s.order_id AS order_id, s.instrument_id AS detail
             FROM survey_responses s WHERE s.customer_id = "
        }
    }
}

/// Pushes `arm1 UNION ALL arm2 …` with the filters applied in every arm. For a page (`with_page`), each
/// arm also starts after the cursor and keeps only its first `limit + 1` entries in the page's order:
/// the page can hold no others, and the arm's index then serves its order, instead of every entry of
/// the customer being sorted for each page. Returns false when no arm was pushed.
fn push_union(query: &mut Statement, customer_id: i64, filter: &Filter, with_page: bool) -> bool {
    let mut any = false;
    let dir = if filter.ascending { "ASC" } else { "DESC" };
    for (n, kind) in HistoryKind::ALL.into_iter().enumerate() {
        if !filter.wants(kind) {
            continue;
        }
        let sql = arm_sql(kind);
        if any {
            query.push(" UNION ALL ");
        }
        any = true;
        // The arm as a derived table, so the filters can name its columns; SQLite flattens it and uses
        // the arm's customer index.
        query.push("SELECT * FROM (SELECT * FROM (");
        query.push(sql);
        query.bind(Param::Int(customer_id));
        query.push(") AS inner_arm WHERE 1 = 1");
        if let Some(from) = &filter.from {
            query.push(" AND at >= ").bind(Param::Text(from.clone()));
        }
        if let Some(before) = &filter.before {
            query.push(" AND at < ").bind(Param::Text(before.clone()));
        }
        if let Some(status) = &filter.status {
            query
                .push(" AND status = ")
                .bind(Param::Text(status.clone()));
        }
        if let Some(pattern) = &filter.pattern {
            query
                .push(" AND (LOWER(reference) LIKE ")
                .bind(Param::Text(pattern.clone()))
                .push(" ESCAPE '\\' OR LOWER(detail) LIKE ")
                .bind(Param::Text(pattern.clone()))
                .push(" ESCAPE '\\')");
        }
        if with_page {
            if let Some(cursor) = &filter.cursor {
                let op = if filter.ascending { ">" } else { "<" };
                query
                    .push(&format!(" AND (at {op} "))
                    .bind(Param::Text(cursor.at.clone()))
                    .push(" OR (at = ")
                    .bind(Param::Text(cursor.at.clone()))
                    .push(&format!(" AND id {op} "))
                    .bind(Param::Text(cursor.id.clone()))
                    .push("))");
            }
            query
                .push(&format!(" ORDER BY at {dir}, id {dir} LIMIT "))
                .bind(Param::Int(i64::from(filter.limit) + 1));
        }
        query.push(&format!(") AS arm{n}"));
    }
    any
}

/// A history row as selected.
type EntryRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<String>,
);

impl ReadRow for EntryRow {
    fn from_sqlite(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok((
            row.get(0)?,
            row.get(1)?,
            row.get(2)?,
            row.get(3)?,
            row.get(4)?,
            row.get(5)?,
            row.get(6)?,
            row.get(7)?,
            row.get(8)?,
        ))
    }
}

impl ReadRow for (i64,) {
    fn from_sqlite(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok((row.get(0)?,))
    }
}

/// The count and the page statements for the filter (`None`: no kind is asked for). The page's
/// statement names everything the answer depends on besides the data (customer, filters, order,
/// cursor, size), so it is also the answer's cache key.
fn statements(customer_id: i64, filter: &Filter) -> Option<(Statement, Statement)> {
    let mut count = Statement::new("SELECT COUNT(*) FROM (");
    if !push_union(&mut count, customer_id, filter, false) {
        return None;
    }
    count.push(") AS matching");
    let mut query = Statement::new(
        "SELECT id, kind, at, reference, status, amount_cents, currency, order_id, detail FROM (",
    );
    push_union(&mut query, customer_id, filter, true);
    let dir = if filter.ascending { "ASC" } else { "DESC" };
    // One more than the page: whether it exists decides if there is a next page.
    query
        .push(&format!(") AS entries ORDER BY at {dir}, id {dir} LIMIT "))
        .bind(Param::Int(i64::from(filter.limit) + 1));
    Some((count, query))
}

/// The page made of the rows read (at most `limit + 1`) and the count.
fn assemble(filter: &Filter, total: i64, mut rows: Vec<EntryRow>) -> Result<HistoryPage, AppError> {
    let more = rows.len() > filter.limit as usize;
    rows.truncate(filter.limit as usize);
    let next_cursor = match (more, rows.last()) {
        (true, Some(last)) => Some(
            Cursor {
                ascending: filter.ascending,
                at: last.2.clone(),
                id: last.0.clone(),
            }
            .encode(),
        ),
        _ => None,
    };
    let entries = rows
        .into_iter()
        .map(|row| {
            let (id, kind, at, reference, status, amount_cents, currency, order_id, detail) = row;
            let kind = HistoryKind::parse(&kind).ok_or_else(|| {
                tracing::error!("history entry {id} has unknown kind {kind:?}");
                AppError::internal()
            })?;
            Ok(HistoryEntry {
                id,
                kind,
                at,
                reference,
                status,
                amount_cents,
                currency,
                order_id,
                detail,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(HistoryPage {
        entries,
        next_cursor,
        total: u32::try_from(total).unwrap_or(u32::MAX),
    })
}

/// One page of the customer's history under the filter, and the number of all matching entries.
pub async fn page(
    reader: &Reader,
    customer_id: i64,
    filter: &Filter,
) -> Result<HistoryPage, AppError> {
    let Some((count, query)) = statements(customer_id, filter) else {
        return assemble(filter, 0, Vec::new());
    };
    let counted: Vec<(i64,)> = reader.fetch_all(count).await?;
    let total = counted.first().map_or(0, |row| row.0);
    let rows: Vec<EntryRow> = reader.fetch_all(query).await?;
    assemble(filter, total, rows)
}

/// The page as sent.
fn render(page: &HistoryPage) -> Result<Bytes, AppError> {
    serde_json::to_vec(page).map(Bytes::from).map_err(|error| {
        tracing::error!("a history page did not serialise: {error}");
        AppError::internal()
    })
}

/// The order list and the rest of the history as a kept read: the reader checks the session and keeps
/// pages (README, "Reads and writes"); this says how a page is read and written.
struct HistoryRead(Filter);

/// A PostgreSQL row of the count-and-page statement: its snapshot, the count, and a page entry (all
/// `None` for an empty page).
type PgPageRow = (
    String,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<String>,
);

impl KeptRead for HistoryRead {
    fn key(&self, customer: i64) -> Option<Statement> {
        statements(customer, &self.0).map(|(_, query)| query)
    }

    fn nothing(&self) -> Result<Bytes, AppError> {
        render(&assemble(&self.0, 0, Vec::new())?)
    }

    fn read_sqlite(&self, conn: &SqliteConn, customer: i64) -> Result<Bytes, AppError> {
        let Some((count, query)) = statements(customer, &self.0) else {
            return self.nothing();
        };
        let total = conn.fetch_all::<(i64,)>(&count)?.first().map_or(0, |r| r.0);
        let rows = conn.fetch_all::<EntryRow>(&query)?;
        render(&assemble(&self.0, total, rows)?)
    }

    /// The count and the page in one statement, beside its snapshot.
    async fn read_postgres(
        &self,
        reader: &PgReader,
        customer: i64,
    ) -> Result<(String, Bytes), AppError> {
        let filter = &self.0;
        let mut both = Statement::new(
            "SELECT s.snapshot, c.total, p.* FROM (SELECT pg_current_snapshot()::text AS snapshot) AS s
             CROSS JOIN (SELECT COUNT(*) AS total FROM (",
        );
        if !push_union(&mut both, customer, filter, false) {
            return Ok((String::new(), self.nothing()?));
        }
        both.push(") AS matching) AS c LEFT JOIN (");
        both.push(
            "SELECT id, kind, at, reference, status, amount_cents, currency, order_id, detail FROM (",
        );
        push_union(&mut both, customer, filter, true);
        let dir = if filter.ascending { "ASC" } else { "DESC" };
        both.push(&format!(") AS entries ORDER BY at {dir}, id {dir} LIMIT "))
            .bind(Param::Int(i64::from(filter.limit) + 1))
            .push(&format!(") AS p ON TRUE ORDER BY p.at {dir}, p.id {dir}"));
        let read: Vec<PgPageRow> = reader.fetch_all(both).await?;
        let Some((snapshot, total)) = read.first().map(|r| (r.0.clone(), r.1)) else {
            tracing::error!("the count-and-page statement returned no row");
            return Err(AppError::internal());
        };
        let rows = read
            .into_iter()
            .filter_map(|r| match (r.2, r.3, r.4, r.5) {
                (Some(id), Some(kind), Some(at), Some(reference)) => {
                    Some((id, kind, at, reference, r.6, r.7, r.8, r.9, r.10))
                }
                _ => None,
            })
            .collect();
        Ok((snapshot, render(&assemble(filter, total, rows)?)?))
    }

    async fn read_pool(&self, reader: &Reader, customer: i64) -> Result<Bytes, AppError> {
        render(&page(reader, customer, &self.0).await?)
    }
}

/// `GET /history`.
pub async fn history(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<HistoryParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let filter = crate::error::query(params).and_then(Filter::parse);
    let filter = match filter {
        Ok(filter) => filter,
        Err(error) => {
            // As for every signed-in route: no session is a 401 before a bad parameter is a 400.
            CurrentSession::from_headers(&headers, &state).await?;
            return Err(error);
        }
    };
    let page = signed_in_answer(&headers, &state, HistoryRead(filter)).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], page).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> HistoryParams {
        let query: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let mut p = HistoryParams::default();
        for (k, v) in pairs {
            let v = Some((*v).to_owned());
            match *k {
                "kind" => p.kind = v,
                "from" => p.from = v,
                "to" => p.to = v,
                "status" => p.status = v,
                "q" => p.q = v,
                "sort" => p.sort = v,
                "limit" => p.limit = v,
                "cursor" => p.cursor = v,
                _ => panic!("unknown parameter in {query:?}"),
            }
        }
        p
    }

    #[test]
    fn cursor_round_trips_and_rejects_garbage() {
        let cursor = Cursor {
            ascending: false,
            at: "2025-01-02T03:04:05Z".into(),
            id: "order:12".into(),
        };
        assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor));
        for bad in ["", "zz", "abc", "7631", &crate::ids::hex(b"v2|d|x|y")] {
            assert_eq!(Cursor::decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_are_inclusive_and_checked() {
        let f = Filter::parse(params(&[("from", "2024-02-28"), ("to", "2024-02-29")])).unwrap();
        assert_eq!(f.from.as_deref(), Some("2024-02-28"));
        assert_eq!(f.before.as_deref(), Some("2024-03-01"));
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "24-01-01",
            "2024-1-1",
            "yesterday",
        ] {
            let e = Filter::parse(params(&[("to", bad)])).unwrap_err();
            assert_eq!(e.code, "invalid_query");
            assert!(e.message.contains("`to`"), "{}", e.message);
        }
        assert!(Filter::parse(params(&[("from", "2024-03-01"), ("to", "2024-02-01")])).is_err());
    }

    #[test]
    fn text_is_escaped_for_like() {
        let f = Filter::parse(params(&[("q", " 50%_Off\\ ")])).unwrap();
        assert_eq!(f.pattern.as_deref(), Some("%50\\%\\_off\\\\%"));
    }

    #[test]
    fn limit_sort_and_kind_are_checked() {
        assert_eq!(Filter::parse(params(&[])).unwrap().limit, DEFAULT_LIMIT);
        for bad in ["0", "501", "-1", "ten", "1.5"] {
            assert!(Filter::parse(params(&[("limit", bad)])).is_err(), "{bad}");
        }
        assert!(Filter::parse(params(&[("sort", "up")])).is_err());
        assert!(Filter::parse(params(&[("kind", "order,parcel")])).is_err());
        let f = Filter::parse(params(&[("kind", "order, invoice,order")])).unwrap();
        assert_eq!(f.kinds, vec![HistoryKind::Order, HistoryKind::Invoice]);
    }
}
