//! Time as stored: RFC 3339 UTC text with whole seconds, the format of every timestamp column, so that
//! text order is time order in SQLite and PostgreSQL alike.

use crate::AppError;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Current time as RFC 3339 UTC text, the format of every stored timestamp.
pub fn now_rfc3339() -> String {
    rfc3339(OffsetDateTime::now_utc())
}

/// Formats a time as RFC 3339 UTC text (whole seconds).
pub fn rfc3339(at: OffsetDateTime) -> String {
    let at = at.replace_nanosecond(0).unwrap_or(at);
    at.format(&Rfc3339)
        .unwrap_or_else(|_| at.unix_timestamp().to_string())
}

/// Milliseconds since 1970 (UTC): the time of the rate-limit counters, which every instance reads alike.
pub fn now_ms() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
}

/// A stored RFC 3339 time; a value that does not parse is corrupt data, reported as internal.
pub fn parse_time(text: &str, what: &str) -> Result<OffsetDateTime, AppError> {
    OffsetDateTime::parse(text, &Rfc3339).map_err(|_| {
        tracing::error!("unreadable time {text:?} in {what}");
        AppError::internal()
    })
}
