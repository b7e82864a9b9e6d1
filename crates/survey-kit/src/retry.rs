//! What to do with the server's reply to a submission, and how long to wait before trying again.
//! Pure functions, tested natively; the outbox only carries them out.

use serde::Deserialize;

/// First retry delay.
pub const BASE_MS: u32 = 1_000;
/// Longest wait between two attempts, also for a `Retry-After` the server asks for.
pub const CAP_MS: u32 = 60_000;

/// Delay before retry number `attempt` (0 = the first retry): exponential, capped, with "equal
/// jitter" (half fixed, half random) so that many widgets cut off by one outage do not all come back
/// in the same second. `unit` is a random number in `[0, 1)`.
pub fn backoff_ms(attempt: u32, unit: f64) -> u32 {
    let ceiling = BASE_MS.saturating_mul(1u32 << attempt.min(16)).min(CAP_MS);
    let half = ceiling / 2;
    let jitter = (f64::from(ceiling - half) * unit.clamp(0.0, 1.0)) as u32;
    (half + jitter).min(ceiling)
}

/// `Retry-After` in whole seconds (the form our server and most proxies send). An HTTP date is handed
/// to the browser's date parser by the caller; anything else is ignored.
pub fn retry_after_secs(value: &str) -> Option<u32> {
    value.trim().parse::<u32>().ok()
}

/// Receipt of a stored response.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Receipt {
    /// The server's id of the stored response.
    pub id: String,
    /// When it was stored.
    pub received_at: String,
}

/// One reason the server refused a response.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Problem {
    /// Item id, or `instrument`.
    pub field: String,
    /// Machine code (`out_of_range`, `missing_required`, …).
    pub problem: String,
}

/// The outcome of one attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Stored (now or by an earlier attempt with the same key).
    Stored(Receipt),
    /// Not stored, worth trying again; the server may say when.
    Retry { after_ms: Option<u32> },
    /// The server holds a different response under this key.
    AnsweredElsewhere,
    /// Invalid answers: the respondent must change something.
    Invalid(Vec<Problem>),
    /// Refused for a reason retrying will not fix (shown as is).
    Refused { status: u16, message: String },
}

/// An error reply: `{"error": {...}}` (read by serde_json in native builds only).
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
#[derive(Deserialize)]
pub(crate) struct ErrorBody {
    pub error: ErrorDetail,
}

/// What an error reply says.
#[derive(Deserialize)]
pub struct ErrorDetail {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub fields: Vec<Problem>,
}

/// Classifies a reply. A 2xx whose body is not a receipt counts as "not known to be stored": the
/// retry carries the same key, so the server answers with the receipt of what it already holds.
pub fn classify(status: u16, body: &str, retry_after_ms: Option<u32>) -> Outcome {
    match status {
        200..=299 => match crate::json::receipt(body) {
            Some(receipt) if !receipt.id.is_empty() => Outcome::Stored(receipt),
            _ => Outcome::Retry { after_ms: None },
        },
        408 | 425 | 429 | 500..=599 => Outcome::Retry {
            after_ms: retry_after_ms.map(|ms| ms.min(CAP_MS)),
        },
        _ => {
            let detail = crate::json::error_detail(body);
            match detail {
                Some(d) if status == 409 && d.code == "already_submitted" => {
                    Outcome::AnsweredElsewhere
                }
                Some(d) if status == 422 && !d.fields.is_empty() => Outcome::Invalid(d.fields),
                Some(d) => Outcome::Refused {
                    status,
                    message: d.message,
                },
                None => Outcome::Refused {
                    status,
                    message: String::new(),
                },
            }
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn replies_are_classified() {
        let ok = r#"{"id":"sr_1","received_at":"2026-11-30T10:00:00Z","scores":{}}"#;
        assert!(matches!(classify(201, ok, None), Outcome::Stored(r) if r.id == "sr_1"));
        assert!(matches!(classify(200, ok, None), Outcome::Stored(_)));
        // Committed, but the reply was mangled: send again with the same key.
        assert_eq!(
            classify(201, "{\"id\":", None),
            Outcome::Retry { after_ms: None }
        );
        assert_eq!(
            classify(201, "<html>", None),
            Outcome::Retry { after_ms: None }
        );
        assert_eq!(classify(500, "", None), Outcome::Retry { after_ms: None });
        assert_eq!(
            classify(503, "", Some(2_000)),
            Outcome::Retry {
                after_ms: Some(2_000)
            }
        );
        assert_eq!(
            classify(429, "", Some(3_600_000)),
            Outcome::Retry {
                after_ms: Some(CAP_MS)
            }
        );
        let taken = r#"{"error":{"code":"already_submitted","message":"m"}}"#;
        assert_eq!(classify(409, taken, None), Outcome::AnsweredElsewhere);
        let invalid = r#"{"error":{"code":"invalid_response","message":"m","fields":[{"field":"E3","problem":"out_of_range"}]}}"#;
        assert_eq!(
            classify(422, invalid, None),
            Outcome::Invalid(vec![Problem {
                field: "E3".into(),
                problem: "out_of_range".into()
            }])
        );
        assert_eq!(
            classify(400, "not json", None),
            Outcome::Refused {
                status: 400,
                message: String::new()
            }
        );
    }

    #[test]
    fn retry_after_in_seconds() {
        assert_eq!(retry_after_secs(" 7 "), Some(7));
        assert_eq!(retry_after_secs("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(retry_after_secs("-1"), None);
    }

    proptest! {
        #[test]
        fn backoff_grows_and_stays_within_bounds(attempt in 0u32..100, unit in 0.0f64..1.0) {
            let d = backoff_ms(attempt, unit);
            let ceiling = BASE_MS.saturating_mul(1u32 << attempt.min(16)).min(CAP_MS);
            prop_assert!(d >= ceiling / 2 && d <= ceiling);
            prop_assert!(d <= CAP_MS);
            // The lower bound never shrinks from one attempt to the next.
            prop_assert!(backoff_ms(attempt + 1, 0.0) >= backoff_ms(attempt, 0.0));
        }
    }
}
