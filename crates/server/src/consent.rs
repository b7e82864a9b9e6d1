//! Proof of consent: the privacy notices, append-only consent records and verifiable receipts.
//!
//! A record's `sha256` is the SHA-256 of its canonical JSON without the `sha256` field: object keys sorted
//! (by code point, recursively), no whitespace, strings escaped as `serde_json` escapes them. The exact text
//! that was hashed is stored with the record and handed out in the receipt, so anyone can recompute it.
//! Records are never updated or deleted: the database refuses it (triggers), and no code path tries.

use crate::clock::now_rfc3339;
use crate::extractor::{Customer, Staff};
use crate::ids::parse_id;
// The notices and the hash are shared modules; named here too, where the consent tools look for them.
pub use crate::ids::sha256_hex;
pub use crate::notices::{notice_v1, NOTICE_LANGS, NOTICE_VERSION};

use crate::consent_chain::{self, record_canonical, StoredRecord};
use crate::db::Conn;
use crate::{AppError, AppState};
use axum::extract::rejection::PathRejection;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::Json;
use rapport_api::{
    Change, ConsentChainReport, ConsentReceipt, ConsentRecord, Notice, CHAIN_GENESIS,
};
use serde::Deserialize;

/// Who issues receipts.
pub const ISSUER: &str = "Rapport demo shop";

#[derive(Debug, Default, Deserialize)]
pub struct NoticeParams {
    pub lang: Option<String>,
}

/// `GET /notice?lang=en|nl|de`: the latest notice in that language (anything else: English). Public: it
/// is what anyone is shown before choosing, signed in or not.
pub async fn notice(
    State(state): State<AppState>,
    params: Result<Query<NoticeParams>, QueryRejection>,
) -> Result<Json<Notice>, AppError> {
    let wanted = params
        .ok()
        .and_then(|Query(p)| p.lang)
        .map(|lang| lang.trim().to_ascii_lowercase())
        .filter(|lang| NOTICE_LANGS.contains(&lang.as_str()))
        .unwrap_or_else(|| NOTICE_LANGS[0].to_owned());
    let row: Option<(String, String, String, String)> = sqlx::query_as(
        "SELECT version, lang, text, sha256 FROM notices WHERE lang = $1
         ORDER BY published_at DESC, version DESC LIMIT 1",
    )
    .bind(&wanted)
    .fetch_optional(&state.db)
    .await?;
    let (version, lang, text, sha256) = row.ok_or_else(|| {
        tracing::error!("no notice stored for {wanted:?}");
        AppError::internal()
    })?;
    Ok(Json(Notice {
        version,
        lang,
        text,
        sha256,
    }))
}

/// Whether a notice with this version and text hash was published (in any language).
pub async fn notice_exists(conn: &mut Conn, version: &str, sha256: &str) -> Result<bool, AppError> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM notices WHERE version = $1 AND sha256 = $2")
            .bind(version)
            .bind(sha256)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(found.is_some())
}

// ---------------------------------------------------------------------------------------------------
// Records

/// What a new record says, apart from who and when.
pub struct NewRecord<'a> {
    pub notice_version: &'a str,
    pub notice_sha256: &'a str,
    pub control: &'a str,
    pub page: &'a str,
    pub gpc: bool,
    pub source: &'a str,
    pub changes: Vec<Change>,
}

/// Appends one record inside the caller's transaction, which must already hold the write lock (its first
/// statement was a write; on PostgreSQL a table lock taken here), so that the next id is this
/// transaction's alone. The id is chosen before the insert because it is part of the hashed text, and a
/// record can never be updated afterwards. The record links to the customer's previous one (see
/// [`consent_chain`]); the same lock keeps two saves from linking to the same predecessor.
pub async fn insert_record(
    tx: &mut Conn,
    customer_id: i64,
    at: &str,
    new: NewRecord<'_>,
) -> Result<ConsentRecord, AppError> {
    if crate::db::is_postgres(tx) {
        // PostgreSQL writers do not queue behind one database lock as SQLite's do: this lock stands in
        // for it (readers are not blocked), so two saves never pick the same next id.
        sqlx::query("LOCK TABLE consent_records IN SHARE ROW EXCLUSIVE MODE")
            .execute(&mut *tx)
            .await?;
    }
    let id: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM consent_records")
        .fetch_one(&mut *tx)
        .await?;
    let previous: Option<String> = sqlx::query_scalar(
        "SELECT sha256 FROM consent_records WHERE customer_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(customer_id)
    .fetch_optional(&mut *tx)
    .await?;
    let mut record = ConsentRecord {
        id,
        customer_id,
        at: at.to_owned(),
        notice_version: new.notice_version.to_owned(),
        notice_sha256: new.notice_sha256.to_owned(),
        control: new.control.to_owned(),
        page: new.page.to_owned(),
        gpc: new.gpc,
        source: new.source.to_owned(),
        changes: new.changes,
        prev_sha256: Some(previous.unwrap_or_else(|| CHAIN_GENESIS.to_owned())),
        sha256: String::new(),
    };
    let canonical = record_canonical(&record)?;
    record.sha256 = sha256_hex(&canonical);
    let changes = serde_json::to_string(&record.changes).map_err(|_| AppError::internal())?;
    sqlx::query(
        "INSERT INTO consent_records (id, customer_id, at, notice_version, notice_sha256, control, page,
                                      gpc, source, changes, canonical, sha256, prev_sha256)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(record.id)
    .bind(record.customer_id)
    .bind(&record.at)
    .bind(&record.notice_version)
    .bind(&record.notice_sha256)
    .bind(&record.control)
    .bind(&record.page)
    .bind(i64::from(record.gpc))
    .bind(&record.source)
    .bind(changes)
    .bind(&canonical)
    .bind(&record.sha256)
    .bind(&record.prev_sha256)
    .execute(&mut *tx)
    .await?;
    Ok(record)
}

type RecordRow = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    // `gpc`, 0/1.
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
);

const RECORD_COLUMNS: &str =
    "id, customer_id, at, notice_version, notice_sha256, control, page, gpc,
    source, changes, canonical, sha256, prev_sha256";

/// A stored row as a record, with its stored canonical text.
fn from_row(row: RecordRow) -> Result<(ConsentRecord, String), AppError> {
    let (
        id,
        customer_id,
        at,
        notice_version,
        notice_sha256,
        control,
        page,
        gpc,
        source,
        changes,
        canonical,
        sha256,
        prev_sha256,
    ) = row;
    let changes: Vec<Change> = serde_json::from_str(&changes).map_err(|error| {
        tracing::error!("consent record {id} has unreadable changes: {error}");
        AppError::internal()
    })?;
    Ok((
        ConsentRecord {
            id,
            customer_id,
            at,
            notice_version,
            notice_sha256,
            control,
            page,
            gpc: gpc != 0,
            source,
            changes,
            prev_sha256,
            sha256,
        },
        canonical,
    ))
}

/// `GET /consent-records`: the customer's records, newest first.
pub async fn list_records(
    State(state): State<AppState>,
    customer: Customer,
) -> Result<Json<Vec<ConsentRecord>>, AppError> {
    let rows: Vec<RecordRow> = sqlx::query_as(&format!(
        "SELECT {RECORD_COLUMNS} FROM consent_records WHERE customer_id = $1 ORDER BY id DESC"
    ))
    .bind(customer.id)
    .fetch_all(&state.db)
    .await?;
    rows.into_iter()
        .map(|row| from_row(row).map(|(record, _)| record))
        .collect::<Result<Vec<_>, _>>()
        .map(Json)
}

/// `GET /consent-records/{id}/receipt`: the record, the exact canonical text that was hashed and its
/// SHA-256 recomputed now. Another customer's record is not found, like a missing one.
pub async fn receipt(
    State(state): State<AppState>,
    customer: Customer,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<ConsentReceipt>, AppError> {
    let id = parse_id(path)?;
    let row: Option<RecordRow> = sqlx::query_as(&format!(
        "SELECT {RECORD_COLUMNS} FROM consent_records WHERE id = $1 AND customer_id = $2"
    ))
    .bind(id)
    .bind(customer.id)
    .fetch_optional(&state.db)
    .await?;
    let (record, canonical) = from_row(row.ok_or_else(AppError::not_found)?)?;
    let sha256 = sha256_hex(&canonical);
    // The receipt shows what is stored, mismatch or not; the operator must hear about a mismatch.
    if sha256 != record.sha256 || record_canonical(&record)? != canonical {
        tracing::warn!(
            "consent record {id} does not match its hash: it was altered outside the API"
        );
    }
    Ok(Json(ConsentReceipt {
        record,
        canonical,
        sha256,
        issued_by: ISSUER.to_owned(),
        issued_at: now_rfc3339(),
    }))
}

/// Reads one customer's records, oldest first, and checks their chain.
pub async fn check_chain(
    conn: &mut Conn,
    customer_id: i64,
) -> Result<ConsentChainReport, AppError> {
    let rows: Vec<RecordRow> = sqlx::query_as(&format!(
        "SELECT {RECORD_COLUMNS} FROM consent_records WHERE customer_id = $1 ORDER BY id"
    ))
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?;
    let records = rows
        .into_iter()
        .map(|row| from_row(row).map(|(record, canonical)| StoredRecord { record, canonical }))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(consent_chain::verify(customer_id, &records))
}

/// `GET /staff/customers/{id}/consent-chain`: staff check a customer's whole consent chain. Unknown
/// customers are 404.
pub async fn chain_report(
    State(state): State<AppState>,
    _staff: Staff,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<ConsentChainReport>, AppError> {
    let id = parse_id(path)?;
    let mut conn = state.db.acquire().await?;
    let known: Option<i64> = sqlx::query_scalar("SELECT id FROM customers WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    known.ok_or_else(AppError::not_found)?;
    let report = check_chain(&mut conn, id).await?;
    if let Some(broken) = &report.first_broken {
        tracing::warn!(
            "consent chain of customer {id} is broken: {}",
            broken.message
        );
    }
    Ok(Json(report))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consent_chain::canonical_json;
    use serde_json::{json, Value};

    #[test]
    fn canonical_json_sorts_keys_recursively_without_whitespace() {
        let value = json!({"b": 1, "a": {"z": [true, null, {"y": "x", "x": "y"}], "c": "ü\"\n"}});
        assert_eq!(
            canonical_json(&value),
            r#"{"a":{"c":"ü\"\n","z":[true,null,{"x":"y","y":"x"}]},"b":1}"#
        );
        // The same content in another key order gives the same text.
        let reordered: Value = serde_json::from_str(
            r#"{ "a" : { "z":[true,null,{"x":"y","y":"x"}], "c":"ü\"\n" }, "b":1 }"#,
        )
        .unwrap();
        assert_eq!(canonical_json(&reordered), canonical_json(&value));
        // Arrays keep their order: it carries meaning.
        assert_ne!(
            canonical_json(&json!([1, 2])),
            canonical_json(&json!([2, 1]))
        );
        assert_eq!(canonical_json(&json!({})), "{}");
        assert_eq!(canonical_json(&json!("a")), "\"a\"");
    }

    #[test]
    fn a_record_hash_covers_everything_but_itself() {
        let record = ConsentRecord {
            id: 7,
            customer_id: 1,
            at: "2025-01-01T00:00:00Z".into(),
            notice_version: "v1".into(),
            notice_sha256: "ab".into(),
            control: "matrix".into(),
            page: "/preferences".into(),
            gpc: false,
            source: "customer".into(),
            changes: vec![Change {
                field: "permissions.email.offers".into(),
                old: json!(false),
                new: json!(true),
            }],
            prev_sha256: None,
            sha256: "ignored".into(),
        };
        let canonical = record_canonical(&record).unwrap();
        assert!(canonical.starts_with(r#"{"at":"2025-01-01T00:00:00Z","changes":[{"field":"#));
        assert!(!canonical.contains("sha256\":\"ignored"));
        let mut other = record.clone();
        other.sha256 = "different".into();
        assert_eq!(record_canonical(&other).unwrap(), canonical);
        other.changes[0].new = json!(false);
        assert_ne!(record_canonical(&other).unwrap(), canonical);
    }

    #[test]
    fn notices_exist_in_every_language_and_differ() {
        let texts: Vec<&str> = NOTICE_LANGS.iter().map(|l| notice_v1(l)).collect();
        assert!(texts.iter().all(|t| t.contains("Global Privacy Control")));
        assert_ne!(texts[0], texts[1]);
        assert_ne!(texts[1], texts[2]);
        assert_eq!(notice_v1("fr"), texts[0]);
        assert_eq!(sha256_hex("abc").len(), 64);
    }
}
