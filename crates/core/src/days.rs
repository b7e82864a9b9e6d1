//! Calendar arithmetic on day numbers: days since 1970-01-01 in the proleptic Gregorian calendar.
//! One implementation for every crate that reads or writes dates without a date library (the
//! connectors' mappings, the browser formats, the analyst's filters), so that Wasm stays small.

/// Whether `year` has a 29 February.
pub fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// The number of days of `month` (1–12) in `year`; 0 for a month that does not exist.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        _ => 0,
    }
}

/// The day number of a date; `None` for a date that does not exist (month 13, 30 February).
///
/// Howard Hinnant's `days_from_civil`: years counted from March, so that the leap day comes last, in
/// 400-year eras of exactly 146,097 days.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> Option<i64> {
    if day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let march_month = (i64::from(month) + 9) % 12;
    let day_of_year = (153 * march_month + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    Some(era * 146_097 + day_of_era - 719_468)
}

/// The date (year, month 1–12, day 1–31) of a day number; the inverse of [`days_from_civil`].
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let march_month = (5 * day_of_year + 2) / 153;
    // Both fit: the day is 1–31 and the month 1–12 by construction.
    let day = (day_of_year - (153 * march_month + 2) / 5 + 1) as u32;
    let month = if march_month < 10 {
        march_month + 3
    } else {
        march_month - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_days() {
        assert_eq!(days_from_civil(1970, 1, 1), Some(0));
        assert_eq!(days_from_civil(2000, 2, 29), Some(11_016));
        assert_eq!(days_from_civil(1969, 12, 31), Some(-1));
        assert_eq!(days_from_civil(0, 3, 1), Some(-719_468));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(days_from_civil(2023, 2, 29), None);
        assert_eq!(days_from_civil(1900, 2, 29), None, "not a leap year");
        assert_eq!(days_from_civil(2024, 13, 1), None);
        assert_eq!(days_from_civil(2024, 0, 1), None);
        assert_eq!(days_from_civil(2024, 4, 31), None);
        assert_eq!(days_from_civil(2024, 4, 0), None);
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// Leap years as the rule is usually stated, for any sign of year.
        fn reference_leap(year: i64) -> bool {
            year.rem_euclid(400) == 0 || (year.rem_euclid(4) == 0 && year.rem_euclid(100) != 0)
        }

        fn reference_month_length(year: i64, month: u32) -> u32 {
            const LENGTHS: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
            LENGTHS[month as usize - 1] + u32::from(month == 2 && reference_leap(year))
        }

        /// Counts whole years and months from 1970-01-01: slow, but plainly right.
        fn reference_days(year: i64, month: u32, day: u32) -> i64 {
            let year_length = |y: i64| if reference_leap(y) { 366 } else { 365 };
            let mut days: i64 = if year >= 1970 {
                (1970..year).map(year_length).sum()
            } else {
                -(year..1970).map(year_length).sum::<i64>()
            };
            for m in 1..month {
                days += i64::from(reference_month_length(year, m));
            }
            days + i64::from(day) - 1
        }

        proptest! {
            #[test]
            fn agrees_with_counting(year in -3_000i64..5_000, month in 1u32..=12, day in 1u32..=31) {
                if day <= reference_month_length(year, month) {
                    let days = reference_days(year, month, day);
                    prop_assert_eq!(days_from_civil(year, month, day), Some(days));
                    prop_assert_eq!(civil_from_days(days), (year, month, day));
                    prop_assert_eq!(days_in_month(year, month), reference_month_length(year, month));
                } else {
                    prop_assert_eq!(days_from_civil(year, month, day), None);
                }
            }

            #[test]
            fn the_next_day_number_is_the_next_date(days in -2_000_000i64..2_000_000) {
                let (y, m, d) = civil_from_days(days);
                let next = if d < reference_month_length(y, m) {
                    (y, m, d + 1)
                } else if m < 12 {
                    (y, m + 1, 1)
                } else {
                    (y + 1, 1, 1)
                };
                prop_assert_eq!(civil_from_days(days + 1), next);
            }
        }
    }
}
