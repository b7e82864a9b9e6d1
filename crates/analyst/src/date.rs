//! Calendar days from RFC 3339 timestamps, without a date crate (the worker's Wasm stays small).
//!
//! A day is the number of days since 1970-01-01 (UTC), so filters compare integers.

use rapport_core::days::{civil_from_days, days_from_civil};

fn digits(b: &[u8]) -> Option<i64> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0i64, |a, &c| a * 10 + i64::from(c - b'0')))
}

/// `YYYY-MM-DD` → day number.
fn date_part(b: &[u8]) -> Option<i64> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (digits(&b[..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
    days_from_civil(y, u32::try_from(m).ok()?, u32::try_from(d).ok()?)
}

/// A calendar date `YYYY-MM-DD` → day number.
pub fn parse_date(s: &str) -> Option<i32> {
    date_part(s.trim().as_bytes()).and_then(|d| i32::try_from(d).ok())
}

/// An RFC 3339 timestamp (`2026-05-01T10:00:00Z`, `…T10:00:00.5+02:00`; `t`, `z` and a space as
/// separator accepted) → its UTC day; a plain date `YYYY-MM-DD` → that day.
pub fn parse_timestamp(s: &str) -> Option<i32> {
    timestamp_day(s.trim().as_bytes())
}

/// [`parse_timestamp`] of trimmed bytes.
pub(crate) fn timestamp_day(b: &[u8]) -> Option<i32> {
    if b.len() == 10 {
        return date_part(b).and_then(|d| i32::try_from(d).ok());
    }
    if b.len() < 20 || !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let day = date_part(&b[..10])?;
    let (h, mi, sec) = (
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
    );
    // 60 allows a leap second.
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut rest = &b[19..];
    if let Some((&b'.', frac)) = rest.split_first() {
        let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        rest = &frac[n..];
    }
    let offset = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), oh1, oh2, b':', om1, om2] => {
            let (oh, om) = (digits(&[*oh1, *oh2])?, digits(&[*om1, *om2])?);
            if oh > 23 || om > 59 {
                return None;
            }
            let o = oh * 60 + om;
            if *sign == b'-' {
                -o
            } else {
                o
            }
        }
        _ => return None,
    };
    // Local time minus the offset is UTC; it may fall on the day before or after.
    let minutes = h * 60 + mi - offset;
    i32::try_from(day + minutes.div_euclid(24 * 60)).ok()
}

/// A day number as `YYYY-MM-DD`.
pub fn format_day(day: i32) -> String {
    let (y, m, d) = civil_from_days(i64::from(day));
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_days() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2000-03-01"), Some(11_017));
        assert_eq!(
            parse_date("2024-02-29").map(format_day).as_deref(),
            Some("2024-02-29")
        );
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2023-13-01"), None);
        assert_eq!(parse_date("23-01-01"), None);
    }

    #[test]
    fn timestamps_are_utc_days() {
        let d = parse_date("2026-05-01");
        assert_eq!(parse_timestamp("2026-05-01T10:00:00Z"), d);
        assert_eq!(parse_timestamp("2026-05-01t10:00:00.123z"), d);
        assert_eq!(parse_timestamp("2026-05-01 23:30:00+02:00"), d);
        // 22:30 at −05:00 is 03:30 UTC the next day.
        assert_eq!(parse_timestamp("2026-04-30T22:30:00-05:00"), d);
        assert_eq!(parse_timestamp("2026-05-02T00:30:00+01:00"), d);
        assert_eq!(parse_timestamp("2026-05-01"), d);
        for bad in [
            "",
            "2026-05-01T25:00:00Z",
            "2026-05-01T10:00:00",
            "2026-05-01T10:00Z",
            "x",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }

    #[test]
    fn round_trip_over_centuries() {
        for day in (-700_000..2_900_000).step_by(997) {
            assert_eq!(parse_date(&format_day(day)), Some(day));
        }
    }
}
