//! The survey kit's server side: the built-in instrument definitions, and survey answers stored exactly
//! once per `Idempotency-Key`.
//!
//! Answers are re-validated and scored with the same core the browser uses, so the server never stores
//! what the widget would have refused. A retry with the same key (lost reply, double click, two tabs)
//! gets the first reply again instead of a second row.

use crate::answers::{actions_for, answer_map, Source};
use crate::client_addr::ClientAddr;
use crate::clock::{now_ms, now_rfc3339};
use crate::etag::none_match;
use crate::extractor::{Customer, CustomerIfCookie};
use crate::ids::{hex, random_bytes};
use crate::instruments::{builtins, find, readable_title};
use crate::throttle::address_key;
use crate::{AppError, AppState};
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rapport_api::{FieldError, SurveyAnswerDetail, SurveyInstrumentRef};
use rapport_core::instrument::canonical_json;
use rapport_core::ResponseError;
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// Largest accepted survey response body. A full SERVQUAL answer is a few KiB.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The client's key for one submission; a retry sends the same key.
pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");

/// Set on a reply that repeats the reply to an earlier request with the same key.
pub const IDEMPOTENT_REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

/// How long caches may keep an instrument definition. A definition never changes under its hash, but a
/// new release may ship a new version under the same id.
const INSTRUMENT_CACHE: &str = "public, max-age=300";

/// SHA-256 hex of the canonical JSON of a parsed response: what was answered, whatever the key order
/// and spacing of the request.
pub(crate) fn fingerprint(response: &rapport_core::Response) -> Result<String, AppError> {
    let parsed = serde_json::to_value(response).map_err(|e| internal("canonical form", e))?;
    let mut canonical = String::new();
    canonical_json(&parsed, &mut canonical);
    Ok(hex(&Sha256::digest(canonical.as_bytes())))
}

/// `GET /instruments`: id, version, hash and titles of every built-in instrument.
pub async fn list_instruments() -> Response {
    let list: Vec<Value> = builtins()
        .iter()
        .map(|b| {
            let def = b.instrument.def();
            json!({"id": def.id, "version": def.version, "hash": def.hash, "title": def.title})
        })
        .collect();
    (
        [(
            header::CACHE_CONTROL,
            HeaderValue::from_static(INSTRUMENT_CACHE),
        )],
        Json(list),
    )
        .into_response()
}

/// `GET /instruments/{id}`: the full definition (with its hash), public and cacheable.
pub async fn get_instrument(
    id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let Path(id) = id.map_err(|_| AppError::not_found())?;
    let builtin = find(&id).ok_or_else(AppError::not_found)?;
    let etag = HeaderValue::from_str(&builtin.etag).map_err(|_| AppError::internal())?;
    let cache = [
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static(INSTRUMENT_CACHE),
        ),
        (header::ETAG, etag),
    ];
    if none_match(&headers, &builtin.etag) {
        return Ok((StatusCode::NOT_MODIFIED, cache).into_response());
    }
    Ok((
        cache,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        builtin.json.clone(),
    )
        .into_response())
}

/// The `Idempotency-Key`: 8–128 characters of `A-Z a-z 0-9 _ -`, or 400.
pub(crate) fn idempotency_key(headers: &HeaderMap) -> Result<String, AppError> {
    headers
        .get(IDEMPOTENCY_KEY)
        .and_then(|value| value.to_str().ok())
        .filter(|key| {
            (8..=128).contains(&key.len())
                && key
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        })
        .map(str::to_owned)
        .ok_or_else(|| {
            AppError::bad_request(
                "idempotency_key_required",
                "Send an Idempotency-Key header of 8 to 128 letters, digits, `_` or `-`, \
                 the same for every retry of one submission.",
            )
        })
}

fn body_error(rejection: BytesRejection) -> AppError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!(
                "The survey response is larger than {} KiB.",
                MAX_BODY_BYTES / 1024
            ),
        )
    } else {
        AppError::bad_request("invalid_json", "The request body could not be read.")
    }
}

/// 400 for JSON that cannot be read at all, 422 for answers that are there but wrong.
fn parse_error(errors: Vec<ResponseError>) -> AppError {
    let syntax = errors.iter().find_map(|error| match error {
        ResponseError::Json {
            line,
            column,
            message,
        } => Some((*line, *column, message)),
        _ => None,
    });
    match syntax {
        Some((line, column, message)) => {
            // serde_json already appends the position; say it once, up front.
            let suffix = format!(" at line {line} column {column}");
            let what = message.strip_suffix(&suffix).unwrap_or(message);
            AppError::bad_request(
                "invalid_json",
                format!("The survey response is not valid JSON of the expected form: line {line}, column {column}: {what}."),
            )
        }
        None => invalid_response(errors),
    }
}

/// How many problems the message spells out; `fields` always has all of them.
const MESSAGE_ERRORS: usize = 3;

fn invalid_response(errors: Vec<ResponseError>) -> AppError {
    let fields = errors
        .iter()
        .map(|error| FieldError {
            field: error.field().to_owned(),
            problem: error.code().to_owned(),
        })
        .collect();
    let shown: Vec<String> = errors
        .iter()
        .take(MESSAGE_ERRORS)
        .map(ToString::to_string)
        .collect();
    let more = errors.len().saturating_sub(MESSAGE_ERRORS);
    let more = if more > 0 {
        format!("; and {more} more")
    } else {
        String::new()
    };
    AppError {
        fields,
        ..AppError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_response",
            format!(
                "Some answers could not be accepted: {}{more}.",
                shown.join("; ")
            ),
        )
    }
}

fn unknown_instrument(id: &str) -> AppError {
    let shown: String = id.chars().take(40).collect();
    AppError {
        fields: vec![FieldError {
            field: "instrument".to_owned(),
            problem: "unknown_instrument".to_owned(),
        }],
        ..AppError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_response",
            format!("There is no survey {shown:?} on this server."),
        )
    }
}

/// One error for "this key is taken": whether by other answers or by someone else, the caller learns
/// nothing more than that.
fn already_submitted() -> AppError {
    AppError::new(
        StatusCode::CONFLICT,
        "already_submitted",
        "This survey was already answered with other answers. Your earlier answers were kept.",
    )
}

fn internal(what: &str, error: impl std::fmt::Display) -> AppError {
    tracing::error!("survey response: {what}: {error}");
    AppError::internal()
}

/// A stored response, as much as the reply needs.
struct Stored {
    id: String,
    request_sha256: String,
    customer_id: Option<i64>,
    instrument_id: String,
    instrument_version: String,
    instrument_hash: String,
    scores: String,
    received_at: String,
}

/// The columns of [`STORED_COLUMNS`], in order.
type StoredRow = (
    String,
    String,
    Option<i64>,
    String,
    String,
    String,
    String,
    String,
);

impl From<StoredRow> for Stored {
    fn from(row: StoredRow) -> Self {
        let (
            id,
            request_sha256,
            customer_id,
            instrument_id,
            instrument_version,
            instrument_hash,
            scores,
            received_at,
        ) = row;
        Stored {
            id,
            request_sha256,
            customer_id,
            instrument_id,
            instrument_version,
            instrument_hash,
            scores,
            received_at,
        }
    }
}

const STORED_COLUMNS: &str = "id, request_sha256, customer_id, instrument_id, instrument_version, \
                              instrument_hash, scores, received_at";

/// The reply body, built from the stored row both the first time and on a replay, so the two are equal.
fn reply_body(row: &Stored) -> Result<Value, AppError> {
    let scores: Value =
        serde_json::from_str(&row.scores).map_err(|e| internal("stored scores", e))?;
    Ok(json!({
        "id": row.id,
        "received_at": row.received_at,
        "instrument": {
            "id": row.instrument_id,
            "version": row.instrument_version,
            "hash": row.instrument_hash,
        },
        "scores": scores,
    }))
}

fn to_text<T: serde::Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(|e| internal("serialise", e))
}

fn location(id: &str) -> Result<HeaderValue, AppError> {
    HeaderValue::from_str(&format!("/api/v1/survey-responses/{id}"))
        .map_err(|e| internal("location", e))
}

/// `POST /survey-responses`.
///
/// Public, because a widget on a firm's site may be answered anonymously. A form on another site cannot
/// set the required `Idempotency-Key` header, and a script must pass a CORS preflight first, so the
/// session cookie cannot be abused to file answers in a customer's name.
pub async fn submit(
    State(state): State<AppState>,
    CustomerIfCookie(customer): CustomerIfCookie,
    ClientAddr(client): ClientAddr,
    params: Result<Query<SubmitParams>, QueryRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    origin_allowed(&state, &headers)?;
    let params = crate::error::query(params)?;
    let key = idempotency_key(&headers)?;
    if customer.is_none() {
        // Before any work: a flood from one client is turned away at the cost of a map lookup.
        state
            .survey_limit
            .take(&state.db, &address_key(client), now_ms())
            .await?
            .map_err(too_many_answers)?;
    }
    let body = body.map_err(body_error)?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| AppError::bad_request("invalid_json", "The body is not UTF-8 text."))?;
    let response = rapport_core::Response::from_json(text).map_err(parse_error)?;
    let too_long = text_limits(&response);
    if !too_long.is_empty() {
        return Err(AppError::invalid_fields(too_long));
    }
    let builtin =
        find(&response.instrument.id).ok_or_else(|| unknown_instrument(&response.instrument.id))?;
    let instrument = &builtin.instrument;
    let valid = instrument.validate(&response).map_err(invalid_response)?;
    let scores = instrument.score(&valid);

    let request_sha256 = fingerprint(&response)?;

    let customer_id = customer.map(|c| c.id);
    let invitation = match params.invitation.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => {
            Some(invitation(&state, customer_id, text, &response.instrument.id, &key).await?)
        }
    };
    let order_id = invitation.as_ref().and_then(|i| i.order_id);
    let source = match (&invitation, customer_id) {
        (Some(_), _) => Source::Invitation,
        (None, Some(_)) => Source::Customer,
        (None, None) => Source::Widget,
    };

    let id = format!("sr_{}", hex(&random_bytes::<16>()?));
    let answers = to_text(&response.answers)?;
    let meta = to_text(&response.meta)?;
    let scores = to_text(&scores)?;
    // The unique key decides which of several concurrent requests stores its row; the others insert
    // nothing and then read the winner's row.
    let inserted = sqlx::query(
        "INSERT INTO survey_responses (id, idempotency_key, request_sha256, customer_id, instrument_id,
             instrument_version, instrument_hash, instrument_title, respondent_id, answers, meta, scores,
             received_at, order_id, source)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
         ON CONFLICT(idempotency_key) DO NOTHING",
    )
    .bind(&id)
    .bind(&key)
    .bind(&request_sha256)
    .bind(customer_id)
    .bind(&response.instrument.id)
    .bind(&response.instrument.version)
    .bind(&response.instrument.hash)
    .bind(&builtin.title)
    .bind(&response.respondent_id)
    .bind(&answers)
    .bind(&meta)
    .bind(&scores)
    .bind(now_rfc3339())
    .bind(order_id)
    .bind(source.as_str())
    .execute(&state.db)
    .await?
    .rows_affected()
        == 1;
    let row: Stored = sqlx::query_as::<_, StoredRow>(&format!(
        "SELECT {STORED_COLUMNS} FROM survey_responses WHERE idempotency_key = $1"
    ))
    .bind(&key)
    .fetch_optional(&state.db)
    .await?
    .ok_or_else(|| internal("read back", "row missing after insert"))?
    .into();
    if !inserted && (row.request_sha256 != request_sha256 || row.customer_id != customer_id) {
        return Err(already_submitted());
    }
    if let Some(invitation) = &invitation {
        if !inserted {
            // A replay must be about the same order as the answers it repeats.
            let stored_order: Option<i64> =
                sqlx::query_scalar("SELECT order_id FROM survey_responses WHERE id = $1")
                    .bind(&row.id)
                    .fetch_one(&state.db)
                    .await?;
            if stored_order != invitation.order_id {
                return Err(already_submitted());
            }
        }
        sqlx::query(
            "UPDATE survey_invitations SET status = 'answered', response_id = $1
             WHERE id = $2 AND status <> 'answered'",
        )
        .bind(&row.id)
        .bind(invitation.id)
        .execute(&state.db)
        .await?;
    }
    let body = reply_body(&row)?;
    let location = location(&row.id)?;
    let mut reply = (
        if inserted {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        },
        [
            (header::LOCATION, location),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        Json(body),
    )
        .into_response();
    if !inserted {
        reply
            .headers_mut()
            .insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
    }
    Ok(reply)
}

/// Longest stored texts of a response, in characters. Instrument ids are checked against the built-in
/// ones and answers are numbers; everything else a client sends is bounded here.
pub const TEXT_LIMITS: [(&str, usize); 5] = [
    ("respondent_id", 128),
    ("meta.segment", 64),
    ("meta.timestamp", 40),
    ("instrument.version", 32),
    ("instrument.hash", 128),
];

/// A `too_long` problem for each stored text over its limit.
pub fn text_limits(response: &rapport_core::Response) -> Vec<FieldError> {
    let texts = [
        response.respondent_id.as_deref(),
        response.meta.segment.as_deref(),
        response.meta.timestamp.as_deref(),
        Some(response.instrument.version.as_str()),
        Some(response.instrument.hash.as_str()),
    ];
    TEXT_LIMITS
        .iter()
        .zip(texts)
        .filter(|((_, max), text)| text.is_some_and(|t| t.chars().count() > *max))
        .map(|((field, _), _)| FieldError {
            field: (*field).to_owned(),
            problem: "too_long".to_owned(),
        })
        .collect()
}

fn too_many_answers(retry_after_s: u64) -> AppError {
    AppError {
        retry_after_s: Some(retry_after_s),
        ..AppError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_answers",
            "Many answers came from here in a short time. Your answer will be sent again shortly.",
        )
    }
}

/// With `RAPPORT_SURVEY_ORIGINS` set, a submission from a page on another origin must come from one of
/// them (403 `origin_not_allowed`). Our own pages and callers that are not pages always may.
fn origin_allowed(state: &AppState, headers: &HeaderMap) -> Result<(), AppError> {
    let Some(allowed) = &state.config.survey_origins else {
        return Ok(());
    };
    if crate::csrf::same_origin(headers) {
        return Ok(());
    }
    let origin = headers
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .map(|o| o.trim().trim_end_matches('/').to_ascii_lowercase());
    match origin {
        Some(origin) if allowed.contains(&origin) => Ok(()),
        _ => Err(AppError::new(
            StatusCode::FORBIDDEN,
            "origin_not_allowed",
            "Answers are not accepted from this site.",
        )),
    }
}

/// Query parameters of `POST /survey-responses`.
#[derive(Debug, Default, Deserialize)]
pub struct SubmitParams {
    /// The invitation being answered: links the answer to the invitation's order and closes it.
    pub invitation: Option<String>,
}

/// An invitation named by a submission.
struct NamedInvitation {
    id: i64,
    order_id: Option<i64>,
}

fn invitation_problem(problem: &str) -> AppError {
    AppError::invalid_fields(vec![FieldError {
        field: "invitation".to_owned(),
        problem: problem.to_owned(),
    }])
}

/// The signed-in customer's invitation `text` for this instrument. Anything else (anonymous, another
/// customer's, another survey's, not a number) is the same 422 `invitation` `not_found`; an invitation
/// answered by other answers (not a replay under the same key) is `already_answered`.
async fn invitation(
    state: &AppState,
    customer_id: Option<i64>,
    text: &str,
    instrument: &str,
    key: &str,
) -> Result<NamedInvitation, AppError> {
    let (Some(customer_id), Ok(id)) = (customer_id, text.parse::<i64>()) else {
        return Err(invitation_problem("not_found"));
    };
    let row: Option<(Option<i64>, String, Option<String>)> = sqlx::query_as(
        "SELECT order_id, status, response_id FROM survey_invitations
         WHERE id = $1 AND customer_id = $2 AND instrument_id = $3",
    )
    .bind(id)
    .bind(customer_id)
    .bind(instrument)
    .fetch_optional(&state.db)
    .await?;
    let Some((order_id, status, response_id)) = row else {
        return Err(invitation_problem("not_found"));
    };
    if status == "answered" {
        let same: Option<String> =
            sqlx::query_scalar("SELECT id FROM survey_responses WHERE idempotency_key = $1")
                .bind(key)
                .fetch_optional(&state.db)
                .await?;
        if same.is_none() || same != response_id {
            return Err(invitation_problem("already_answered"));
        }
    }
    Ok(NamedInvitation { id, order_id })
}

/// `GET /survey-responses/{id}`: one of the signed-in customer's own responses: what was answered, the
/// order it was about, and what the firm did about it (`SurveyAnswerDetail`), plus the scores and context
/// as stored. Anonymous responses cannot be read back.
pub async fn get_response(
    State(state): State<AppState>,
    customer: Customer,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    let Path(id) = id.map_err(|_| AppError::not_found())?;
    let mut conn = state.db.acquire().await?;
    let (row, title, answers, meta, order_id): (StoredRow, String, String, String, Option<i64>) =
        sqlx::query_as::<_, DetailRow>(&format!(
            "SELECT {STORED_COLUMNS}, instrument_title, answers, meta, order_id
             FROM survey_responses WHERE id = $1 AND customer_id = $2"
        ))
        .bind(&id)
        .bind(customer.id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|(a, b, c, d, e, f, g, h, title, answers, meta, order_id)| {
            ((a, b, c, d, e, f, g, h), title, answers, meta, order_id)
        })
        .ok_or_else(AppError::not_found)?;
    let row: Stored = row.into();
    let actions = actions_for(&mut conn, std::slice::from_ref(&row.id))
        .await?
        .remove(&row.id)
        .unwrap_or_default();
    let detail = SurveyAnswerDetail {
        id: row.id.clone(),
        received_at: row.received_at.clone(),
        instrument: SurveyInstrumentRef {
            id: row.instrument_id.clone(),
            version: row.instrument_version.clone(),
            hash: row.instrument_hash.clone(),
        },
        title: readable_title(&title),
        answers: answer_map(&answers)?,
        order_id,
        actions,
    };
    let mut body = serde_json::to_value(&detail).map_err(|e| internal("detail", e))?;
    let scores: Value =
        serde_json::from_str(&row.scores).map_err(|e| internal("stored scores", e))?;
    let meta: Value = serde_json::from_str(&meta).map_err(|e| internal("stored meta", e))?;
    if let Some(fields) = body.as_object_mut() {
        fields.insert("scores".to_owned(), scores);
        fields.insert("meta".to_owned(), meta);
    }
    Ok((
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Json(body),
    )
        .into_response())
}

/// [`StoredRow`] followed by title, answers, meta and order.
type DetailRow = (
    String,
    String,
    Option<i64>,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<i64>,
);
