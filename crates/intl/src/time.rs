//! RFC 3339 text to a point in time, in pure Rust so that it is tested natively. Only parsing lives
//! here: turning the instant into words for a reader is the browser's `Intl.DateTimeFormat`.

use rapport_core::days::{civil_from_days, days_from_civil};

const MS_PER_DAY: i64 = 86_400_000;

/// What a timestamp from a backend denotes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Moment {
    /// An instant, as milliseconds since 1970-01-01T00:00:00Z.
    Instant(f64),
    /// A calendar date without a time (`2024-03-05`), as the milliseconds of its midnight in UTC: it is
    /// shown in UTC so that no time zone moves it to another day.
    Day(f64),
}

impl Moment {
    pub fn epoch_ms(self) -> f64 {
        match self {
            Moment::Instant(ms) | Moment::Day(ms) => ms,
        }
    }
}

/// Parses `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS[.fraction]][Z|±HH:MM]` (a space or `t` may separate
/// date and time; no offset reads as UTC). `None` for anything else, including impossible dates.
pub fn parse(text: &str) -> Option<Moment> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let days = date_part(bytes.get(..10)?)?;
    if bytes.len() == 10 {
        return Some(Moment::Day((days * MS_PER_DAY) as f64));
    }
    if !matches!(bytes[10], b'T' | b't' | b' ') {
        return None;
    }
    let rest = bytes.get(11..)?;
    let hour = two_digits(rest.get(0..2)?)?;
    if rest.get(2) != Some(&b':') {
        return None;
    }
    let minute = two_digits(rest.get(3..5)?)?;
    let mut i = 5;
    let mut second = 0;
    let mut millis = 0;
    if rest.get(i) == Some(&b':') {
        // A leap second (:60) is read as the last millisecond before the next minute.
        second = two_digits(rest.get(i + 1..i + 3)?)?;
        i += 3;
        if rest.get(i) == Some(&b'.') {
            let digits = rest[i + 1..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if digits == 0 {
                return None;
            }
            millis = rest[i + 1..i + 1 + digits]
                .iter()
                .take(3)
                .enumerate()
                .map(|(k, d)| i64::from(d - b'0') * [100, 10, 1][k])
                .sum();
            i += 1 + digits;
        }
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let offset_minutes = match rest.get(i..)? {
        [] | [b'Z'] | [b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let h = two_digits(&[*h1, *h2])?;
            let m = two_digits(&[*m1, *m2])?;
            if h > 23 || m > 59 {
                return None;
            }
            let total = h * 60 + m;
            if *sign == b'-' {
                -total
            } else {
                total
            }
        }
        _ => return None,
    };
    let ms = if second == 60 {
        ((hour * 60 + minute) * 60 + 59) * 1000 + 999
    } else {
        ((hour * 60 + minute) * 60 + second) * 1000 + millis
    };
    Some(Moment::Instant(
        (days * MS_PER_DAY + ms - offset_minutes * 60_000) as f64,
    ))
}

/// `YYYY-MM-DD` → its day number; `None` for an impossible date.
fn date_part(b: &[u8]) -> Option<i64> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = two_digits(&b[0..2])? * 100 + two_digits(&b[2..4])?;
    let month = two_digits(&b[5..7])? as u32;
    let day = two_digits(&b[8..10])? as u32;
    days_from_civil(year, month, day)
}

fn two_digits(b: &[u8]) -> Option<i64> {
    match b {
        [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => {
            Some(i64::from(a - b'0') * 10 + i64::from(b - b'0'))
        }
        _ => None,
    }
}

/// The UTC date and time of a millisecond count, for the machine-readable text that native builds
/// (tests, command-line tools) show where a browser would format for a reader.
pub(crate) fn utc_parts(epoch_ms: f64) -> (i64, i64, i64, i64, i64) {
    let ms = epoch_ms.floor() as i64;
    let days = ms.div_euclid(MS_PER_DAY);
    let minutes = ms.rem_euclid(MS_PER_DAY) / 60_000;
    let (year, month, day) = civil_from_days(days);
    (
        year,
        i64::from(month),
        i64::from(day),
        minutes / 60,
        minutes % 60,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_forms_backends_send() {
        assert_eq!(parse("1970-01-01T00:00:00Z"), Some(Moment::Instant(0.0)));
        assert_eq!(
            parse("2024-03-05T10:00:00Z"),
            Some(Moment::Instant(1_709_632_800_000.0))
        );
        // The same instant written with an offset, without seconds, with a fraction, with a space.
        for same in [
            "2024-03-05T11:00:00+01:00",
            "2024-03-05T05:30:00-04:30",
            "2024-03-05T10:00Z",
            "2024-03-05 10:00:00.000Z",
            "2024-03-05t10:00:00z",
            "2024-03-05T10:00:00",
        ] {
            assert_eq!(
                parse(same),
                Some(Moment::Instant(1_709_632_800_000.0)),
                "{same}"
            );
        }
        assert_eq!(
            parse("2024-03-05T10:00:00.1234567Z"),
            Some(Moment::Instant(1_709_632_800_123.0))
        );
        assert_eq!(parse("2024-03-05"), Some(Moment::Day(1_709_596_800_000.0)));
        assert_eq!(
            parse("2016-12-31T23:59:60Z"),
            Some(Moment::Instant(1_483_228_799_999.0))
        );
        assert_eq!(parse("1969-12-31"), Some(Moment::Day(-86_400_000.0)));
    }

    #[test]
    fn refuses_what_is_not_a_date() {
        for bad in [
            "",
            "garbage",
            "ü",
            "2024-3-5",
            "2024-02-30",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-03-05T24:00:00Z",
            "2024-03-05T10:60:00Z",
            "2024-03-05T10:00:00+25:00",
            "2024-03-05T10:00:00.Z",
            "2024-03-05T10",
            "2024-03-05X10:00:00Z",
            "2024-03-05T10:00:00Zjunk",
            "2024-03-05T10:00:00+0100",
            "２０２４-03-05",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
        assert!(parse("2024-02-29").is_some());
        assert!(parse("2000-02-29").is_some());
        assert_eq!(parse("1900-02-29"), None);
    }

    #[test]
    fn utc_parts_read_back_known_instants() {
        assert_eq!(utc_parts(0.0), (1970, 1, 1, 0, 0));
        assert_eq!(utc_parts(1_709_632_800_000.0), (2024, 3, 5, 10, 0));
        assert_eq!(utc_parts(-1.0), (1969, 12, 31, 23, 59));
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            /// Any valid UTC timestamp parses to the instant whose parts print as the same text.
            #[test]
            fn round_trips(y in 0i64..=9999, mo in 1i64..=12, d in 1i64..=31, h in 0i64..24, mi in 0i64..60, s in 0i64..60) {
                prop_assume!(d <= i64::from(rapport_core::days::days_in_month(y, mo as u32)));
                let text = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z");
                let ms = parse(&text).map(Moment::epoch_ms);
                prop_assert!(ms.is_some());
                let ms = ms.unwrap_or_default();
                prop_assert_eq!(utc_parts(ms), (y, mo, d, h, mi));
                prop_assert_eq!(ms.rem_euclid(60_000.0), (s * 1000) as f64);
            }

            /// An offset moves the instant by exactly that many minutes.
            #[test]
            fn offsets_shift(oh in 0i64..24, om in 0i64..60, negative: bool) {
                let sign = if negative { '-' } else { '+' };
                let local = parse(&format!("2024-06-15T12:00:00{sign}{oh:02}:{om:02}")).map(Moment::epoch_ms);
                let utc = parse("2024-06-15T12:00:00Z").map(Moment::epoch_ms);
                let shift = (oh * 60 + om) as f64 * 60_000.0 * if negative { 1.0 } else { -1.0 };
                prop_assert_eq!(local, utc.map(|u| u + shift));
            }

            /// Arbitrary text never panics.
            #[test]
            fn never_panics(text in "\\PC{0,40}") {
                let _ = parse(&text);
            }
        }
    }
}
