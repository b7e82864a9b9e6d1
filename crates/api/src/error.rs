//! The error shape on the wire and the client-side classification of failed calls.

use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::fmt;

/// Responses larger than this are refused by the client: a runaway or hostile backend must not be able
/// to freeze the page by sending a huge body.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// Every error response of the reference server has this stable shape:
/// `{"error": {"code": "not_found", "message": "…"}}`. `code` is for programs, `message` for people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// See [`ErrorBody`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    /// For `invalid_fields`: which fields are wrong and why, so a form can mark each one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

/// One invalid field of a submitted form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field's name in the request body, with a path for nested ones: `phone`, `addresses[0].city`.
    pub field: String,
    /// Machine code: `required`, `too_long`, `invalid_format`, `not_found`, `not_allowed`.
    pub problem: String,
}

impl ErrorBody {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            error: ErrorDetail {
                code: code.into(),
                message: message.into(),
                fields: Vec::new(),
            },
        }
    }
}

/// Why a call to the backend did not give the expected data. `Clone` so that it can live in signals
/// and error boundaries; the UI maps each variant to a translated message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// No answer at all: offline, connection refused, DNS, or blocked by the browser.
    Network,
    /// No answer within the client's time limit.
    Timeout,
    /// 401: not signed in, or the session expired.
    Unauthorized,
    /// 404: does not exist, or belongs to someone else (the server does not say which).
    NotFound,
    /// 429: too many attempts; `retry_after_s` from the `Retry-After` header when it is given in seconds.
    RateLimited { retry_after_s: Option<u32> },
    /// 412: the resource changed since it was read (a stale `If-Match`); reload and re-apply.
    Conflict,
    /// Another 4xx: the request was refused; `code`, `message` and `fields` come from the server's body.
    Rejected {
        status: u16,
        code: String,
        message: String,
        fields: Vec<FieldError>,
    },
    /// 5xx, or a status the client does not understand: worth retrying later.
    Server { status: u16 },
    /// The answer arrived but is not what the contract promises (malformed JSON, wrong types, too large).
    Decode(String),
}

impl ApiError {
    /// Classifies a non-success answer. `body` may be anything (HTML from a proxy, truncated JSON): it is
    /// only used when it has the [`ErrorBody`] shape.
    pub fn from_response(status: u16, body: &str, retry_after: Option<&str>) -> Self {
        let detail = serde_json::from_str::<ErrorBody>(body)
            .ok()
            .map(|b| b.error);
        Self::from_status(status, detail, retry_after)
    }

    /// Classifies a non-success answer whose body has already been read: `detail` is its
    /// [`ErrorBody`]'s `error`, if it had that shape (the browser client reads it with the browser's
    /// JSON parser, so that serde_json is not needed to sign in).
    pub fn from_status(
        status: u16,
        detail: Option<ErrorDetail>,
        retry_after: Option<&str>,
    ) -> Self {
        match status {
            401 => ApiError::Unauthorized,
            404 => ApiError::NotFound,
            409 | 412 => ApiError::Conflict,
            429 => ApiError::RateLimited {
                retry_after_s: retry_after.and_then(|v| v.trim().parse().ok()),
            },
            400..=499 => {
                let (code, message, fields) = detail
                    .map(|d| (d.code, d.message, d.fields))
                    .unwrap_or_else(|| ("rejected".into(), String::new(), Vec::new()));
                ApiError::Rejected {
                    status,
                    code,
                    message,
                    fields,
                }
            }
            _ => ApiError::Server { status },
        }
    }

    /// Decodes a success body into `T`, refusing oversized bodies and naming what was wrong.
    pub fn decode<T: DeserializeOwned>(body: &str) -> Result<T, ApiError> {
        if body.len() > MAX_BODY_BYTES {
            return Err(ApiError::Decode(format!(
                "response of {} bytes exceeds the limit of {MAX_BODY_BYTES}",
                body.len()
            )));
        }
        serde_json::from_str(body).map_err(|e| ApiError::Decode(e.to_string()))
    }

    /// Whether trying the same call again later can help (the UI offers a retry button for these).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            ApiError::Network
                | ApiError::Timeout
                | ApiError::Server { .. }
                | ApiError::RateLimited { .. }
                | ApiError::Decode(_)
        )
    }
}

impl fmt::Display for ApiError {
    // Developer-facing text (logs, error boundaries); the UI shows translated messages instead.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Network => write!(f, "the server could not be reached"),
            ApiError::Timeout => write!(f, "the server did not answer in time"),
            ApiError::Unauthorized => write!(f, "not signed in"),
            ApiError::NotFound => write!(f, "not found"),
            ApiError::Conflict => write!(f, "changed elsewhere since it was loaded"),
            ApiError::RateLimited { retry_after_s } => match retry_after_s {
                Some(s) => write!(f, "too many attempts; retry in {s} s"),
                None => write!(f, "too many attempts"),
            },
            ApiError::Rejected {
                status,
                code,
                message,
                ..
            } => write!(f, "request refused ({status} {code}): {message}"),
            ApiError::Server { status } => write!(f, "server error ({status})"),
            ApiError::Decode(why) => write!(f, "unexpected answer from the server: {why}"),
        }
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::Profile;
    use crate::error::FieldError;

    #[test]
    fn classifies_statuses() {
        assert_eq!(
            ApiError::from_response(401, "", None),
            ApiError::Unauthorized
        );
        assert_eq!(
            ApiError::from_response(404, "<html>", None),
            ApiError::NotFound
        );
        assert_eq!(
            ApiError::from_response(429, "", Some(" 30 ")),
            ApiError::RateLimited {
                retry_after_s: Some(30)
            }
        );
        // An HTTP-date Retry-After is not understood: no made-up number.
        assert_eq!(
            ApiError::from_response(429, "", Some("Wed, 21 Oct 2026 07:28:00 GMT")),
            ApiError::RateLimited {
                retry_after_s: None
            }
        );
        assert_eq!(
            ApiError::from_response(502, "<html>Bad gateway</html>", None),
            ApiError::Server { status: 502 }
        );
        assert_eq!(
            ApiError::from_response(302, "", None),
            ApiError::Server { status: 302 }
        );
    }

    #[test]
    fn rejected_keeps_server_code_and_message_and_survives_garbage() {
        let body = r#"{"error":{"code":"invalid_fields","message":"Check the form.",
            "fields":[{"field":"phone","problem":"invalid_format"}]}}"#;
        assert_eq!(
            ApiError::from_response(422, body, None),
            ApiError::Rejected {
                status: 422,
                code: "invalid_fields".into(),
                message: "Check the form.".into(),
                fields: vec![FieldError {
                    field: "phone".into(),
                    problem: "invalid_format".into()
                }],
            }
        );
        assert_eq!(ApiError::from_response(412, "", None), ApiError::Conflict);
        assert_eq!(
            ApiError::from_response(400, "{not json", None),
            ApiError::Rejected {
                status: 400,
                code: "rejected".into(),
                message: String::new(),
                fields: Vec::new(),
            }
        );
    }

    #[test]
    fn decode_reports_malformed_json_wrong_types_and_oversize() {
        let ok =
            r#"{"id":1,"name":"Ann","email":"a@x.test","customer_since":"2023-01-01T00:00:00Z"}"#;
        assert_eq!(ApiError::decode::<Profile>(ok).unwrap().name, "Ann");
        assert!(matches!(
            ApiError::decode::<Profile>("{\"id\":"),
            Err(ApiError::Decode(_))
        ));
        assert!(matches!(
            ApiError::decode::<Profile>(r#"{"id":"1","name":2}"#),
            Err(ApiError::Decode(_))
        ));
        let huge = format!("\"{}\"", "x".repeat(MAX_BODY_BYTES));
        match ApiError::decode::<String>(&huge) {
            Err(ApiError::Decode(why)) => assert!(why.contains("exceeds")),
            other => panic!("expected a size error, got {other:?}"),
        }
    }

    #[test]
    fn retryable_errors_are_the_transient_ones() {
        assert!(ApiError::Network.is_retryable());
        assert!(ApiError::Server { status: 503 }.is_retryable());
        assert!(!ApiError::Unauthorized.is_retryable());
        assert!(!ApiError::NotFound.is_retryable());
    }
}
