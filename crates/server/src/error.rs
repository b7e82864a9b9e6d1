//! Errors as JSON with a stable shape (`rapport_api::ErrorBody`) and a human message.

use axum::{
    extract::rejection::JsonRejection,
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use rapport_api::{ErrorBody, FieldError};

/// An error answer: HTTP status, machine code, human message, and optionally `Retry-After`.
#[derive(Debug)]
pub struct AppError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub retry_after_s: Option<u64>,
    /// For `invalid_fields`: every field that is wrong, so that a form can mark each one.
    pub fields: Vec<FieldError>,
}

impl AppError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            retry_after_s: None,
            fields: Vec::new(),
        }
    }

    /// 422 `invalid_fields` listing each bad field (path such as `addresses[1].city`) and its problem.
    pub fn invalid_fields(fields: Vec<FieldError>) -> Self {
        Self {
            fields,
            ..Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_fields",
                "Some fields are not valid. Please check the marked fields.",
            )
        }
    }

    /// 400 `invalid_query`: a query parameter that cannot be understood; the message names it.
    pub fn invalid_query(message: impl Into<String>) -> Self {
        Self::bad_request("invalid_query", message)
    }

    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "We could not find what you asked for.",
        )
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Please sign in to continue.",
        )
    }

    /// 403 `forbidden`: signed in, but this account may not do that (a customer on a staff page).
    pub fn forbidden() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Your account may not do this.",
        )
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 429 `too_many_attempts`: a locked-out sign-in or password check.
    pub fn too_many_attempts(retry_after_s: u64) -> Self {
        Self {
            retry_after_s: Some(retry_after_s),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_attempts",
                "Too many sign-in attempts. Please wait a few minutes and try again.",
            )
        }
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Something went wrong on our side. Please try again in a moment.",
        )
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut body = ErrorBody::new(self.code, self.message);
        body.error.fields = self.fields;
        // The request id (as in the `X-Request-Id` header), so a reported error can be found in the log.
        let mut body = serde_json::to_value(body).unwrap_or_default();
        if let (Some(id), Some(detail)) = (
            crate::telemetry::current(),
            body.get_mut("error").and_then(|e| e.as_object_mut()),
        ) {
            detail.insert("request_id".to_owned(), serde_json::Value::String(id));
        }
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after_s {
            if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        // The customer gets a generic message; the operator gets the cause in the log.
        tracing::error!(%error, "database error");
        AppError::internal()
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        let (status, code) = match &rejection {
            JsonRejection::MissingJsonContentType(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            JsonRejection::JsonDataError(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_fields"),
            _ => (StatusCode::BAD_REQUEST, "malformed_json"),
        };
        let status = if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            StatusCode::PAYLOAD_TOO_LARGE
        } else {
            status
        };
        AppError::new(status, code, rejection.body_text())
    }
}

/// `Json` whose rejections use the JSON error shape instead of axum's plain text.
#[derive(axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct ApiJson<T>(pub T);

/// A handler's query parameters, or a 400 that says why the query string could not be read.
pub fn query<T>(
    params: Result<axum::extract::Query<T>, axum::extract::rejection::QueryRejection>,
) -> Result<T, AppError> {
    params
        .map(|axum::extract::Query(p)| p)
        .map_err(|rejection| {
            AppError::invalid_query(format!(
                "The query string could not be read: {}",
                rejection.body_text()
            ))
        })
}
