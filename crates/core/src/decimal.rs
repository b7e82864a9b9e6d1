//! Exact decimals of binary floats, in integer arithmetic.
//!
//! [`shortest`] finds the decimal with the fewest places that reads back to a given `f64`, as the
//! shortest text `f64`'s `Display` prints, but without that printer: Rust's float formatting (Grisu
//! with a Dragon4 fallback) is about 14 KB of Wasm, which every bundle that checks a commitment
//! definition would otherwise carry. Only a few places are ever asked for (the commitment weights and
//! thresholds), so trying each count of places in turn and testing the nearest candidates against the
//! float's rounding interval is exact and small.

/// `x` as `m · 10^−k`, with the fewest places `k ≤ max_places` whose decimal reads back to `x` (round
/// to nearest, ties to even, as parsing does); among two such decimals, the nearer to `x` (the one
/// further from zero on a tie, as `Display` rounds). `None` for NaN, the infinities, magnitudes from 2^53 up, and values that need more places.
/// Both zeros give `(0, 0)`.
pub fn shortest(x: f64, max_places: u32) -> Option<(i128, u32)> {
    if x == 0.0 {
        return Some((0, 0));
    }
    if !x.is_finite() || x.abs() >= TWO_POW_53 {
        return None;
    }
    let (mantissa, exponent) = parts(x.abs());
    (0..=max_places.min(MAX_PLACES))
        .find_map(|k| at_places(mantissa, exponent, k).map(|m| (m, k)))
        .map(|(m, k)| (if x < 0.0 { -m } else { m }, k))
}

/// `x` as `Display` prints it, for every value a person writes into a definition: NaN, `inf`, `-inf`,
/// and every finite value below 2^53 whose shortest text has at most 21 decimal places (including `-0`).
/// Others (huge or tiny magnitudes) print exactly as `mantissa×2^exponent`, still without float
/// formatting.
pub fn text(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.into();
    }
    let sign = if x.is_sign_negative() { "-" } else { "" };
    match shortest(x, MAX_PLACES) {
        Some((m, k)) => {
            let digits = m.unsigned_abs().to_string();
            let k = k as usize;
            if k == 0 {
                return format!("{sign}{digits}");
            }
            let digits = format!("{digits:0>width$}", width = k + 1);
            let (int, frac) = digits.split_at(digits.len() - k);
            format!("{sign}{int}.{frac}")
        }
        None => {
            let (mantissa, exponent) = parts(x.abs());
            format!("{sign}{mantissa}×2^{exponent}")
        }
    }
}

const TWO_POW_53: f64 = 9_007_199_254_740_992.0;
/// Enough for any caller, and small enough that every product below fits in an `i128` (4·2^53·10^21 <
/// 2^127).
const MAX_PLACES: u32 = 21;

/// `x = mantissa · 2^exponent` for a finite positive `x`, the mantissa with its implicit bit.
fn parts(x: f64) -> (u64, i32) {
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), biased - 1075)
    }
}

/// The `m` of the `k`-place decimal `m / 10^k` nearest to `mantissa · 2^exponent` that reads back to
/// it, if any.
fn at_places(mantissa: u64, exponent: i32, k: u32) -> Option<i128> {
    let scale = 10i128.checked_pow(k)?;
    let mantissa = i128::from(mantissa);
    // Below 2^53 every float with a fraction has a negative exponent; an integer is its own decimal.
    if exponent >= 0 {
        return (k == 0).then(|| mantissa << exponent);
    }
    let shift = exponent.unsigned_abs();
    // Everything is measured in units of 2^(exponent − 2) / 10^k: the float is 4·M·10^k, its
    // rounding interval reaches 2·10^k above and 2·10^k below it (1·10^k below when M is the
    // smallest mantissa of its binade, whose lower neighbour is closer), and a decimal m / 10^k is
    // m · 2^(2 − exponent).
    if shift + 2 >= 127 {
        return None;
    }
    let unit = 1i128 << (shift + 2);
    let centre = 4 * mantissa * scale;
    let above = 2 * scale;
    let below = if mantissa == 1 << 52 && exponent > -1074 {
        scale
    } else {
        2 * scale
    };
    let inclusive = mantissa % 2 == 0;
    let inside = |m: i128| -> bool {
        let Some(at) = m.checked_mul(unit) else {
            return false;
        };
        let distance = at - centre;
        let reach = if distance >= 0 { above } else { below };
        distance.abs() < reach || (inclusive && distance.abs() == reach)
    };
    // The two k-place decimals around the float: floor(x·10^k) and the next one, which wins a tie.
    let low = (mantissa * scale) >> shift;
    let candidates = [low, low + 1];
    let mut best: Option<i128> = None;
    for m in candidates.into_iter().filter(|&m| inside(m)) {
        best = Some(match best {
            None => m,
            Some(b) => {
                let (db, dm) = ((b * unit - centre).abs(), (m * unit - centre).abs());
                if dm <= db {
                    m
                } else {
                    b
                }
            }
        });
    }
    best
}

// Natively only: proptest is a native dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::{shortest, text};
    use proptest::prelude::*;

    /// What `shortest` replaces: the places of the shortest text `Display` prints.
    fn by_display(x: f64, max_places: u32) -> Option<(i128, u32)> {
        if !x.is_finite() || x.abs() >= 9_007_199_254_740_992.0 {
            return None;
        }
        let text = x.to_string();
        let (neg, digits) = match text.strip_prefix('-') {
            Some(d) => (true, d),
            None => (false, text.as_str()),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let k = u32::try_from(frac.len()).ok()?;
        if k > max_places {
            return None;
        }
        let m: i128 = format!("{int}{frac}").parse().ok()?;
        Some((if neg { -m } else { m }, k))
    }

    #[test]
    fn edge_cases_read_as_display_prints_them() {
        for x in [
            0.0,
            -0.0,
            0.1,
            0.2,
            0.3,
            0.1 + 0.2,
            -1.75,
            0.4,
            2.5,
            1e-6,
            1e-7,
            5e-7,
            9.999_999_5,
            123_456.789_012,
            999_999_999_999_999.9,
            1e15,
            // 2^49 plus a quarter: exactly between two one-place decimals, both of which read back.
            2f64.powi(49) + 0.25,
            2f64.powi(49) + 0.75,
            4_503_599_627_370_495.5,
            4_503_599_627_370_496.0,
            9_007_199_254_740_991.0,
            f64::MIN_POSITIVE,
            5e-324,
            f64::EPSILON,
            1.0 - f64::EPSILON / 2.0,
            0.000_015_258_789_062_5,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e300,
        ] {
            for places in [0, 1, 2, 6, 17, 21] {
                assert_eq!(
                    shortest(x, places),
                    by_display(x, places),
                    "{x:?} at {places} places"
                );
            }
        }
        assert_eq!(shortest(-0.0, 6), Some((0, 0)));
        for (x, shown) in [
            (-0.0, "-0"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (0.05, "0.05"),
            (-1.75, "-1.75"),
            (1e6, "1000000"),
        ] {
            assert_eq!(text(x), shown);
            assert_eq!(text(x), x.to_string());
        }
        assert_eq!(
            text(1e300),
            format!("{}×2^{}", (1e300f64 / 2f64.powi(944)) as u64, 944)
        );
        assert_eq!(shortest(f64::NAN, 6), None);
    }

    #[test]
    fn powers_of_two_and_their_neighbours() {
        // The smallest mantissa of a binade has a lower neighbour half as far away.
        for e in -30..53 {
            let p = 2f64.powi(e);
            for x in [
                p,
                f64::from_bits(p.to_bits() - 1),
                f64::from_bits(p.to_bits() + 1),
            ] {
                for places in [0, 3, 6, 17, 21] {
                    assert_eq!(shortest(x, places), by_display(x, places), "{x:?}");
                    assert_eq!(shortest(-x, places), by_display(-x, places), "{:?}", -x);
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn any_float_as_display(bits in any::<u64>(), places in 0u32..=21) {
            let x = f64::from_bits(bits);
            prop_assert_eq!(shortest(x, places), by_display(x, places));
        }

        #[test]
        fn short_decimals_as_display(m in -10_000_000_000i64..10_000_000_000, k in 0u32..=9, places in 0u32..=8) {
            let x = m as f64 / 10f64.powi(k as i32);
            prop_assert_eq!(shortest(x, places), by_display(x, places));
        }

        #[test]
        fn neighbours_of_short_decimals_as_display(m in -1_000_000_000i64..1_000_000_000, k in 0u32..=6, step in -3i64..=3) {
            let x = m as f64 / 10f64.powi(k as i32);
            let x = f64::from_bits((x.to_bits() as i64 + step) as u64);
            prop_assert_eq!(shortest(x, 6), by_display(x, 6));
        }

        #[test]
        fn text_as_display_where_it_has_few_places(bits in any::<u64>()) {
            let x = f64::from_bits(bits);
            let shown = x.to_string();
            let places = shown.split_once('.').map_or(0, |(_, f)| f.len());
            if !x.is_finite() || (x.abs() < 9_007_199_254_740_992.0 && places <= 21) {
                prop_assert_eq!(text(x), shown);
            } else {
                prop_assert!(text(x).contains("×2^"));
            }
        }

        #[test]
        fn text_of_short_decimals_as_display(m in -10_000_000_000i64..10_000_000_000, k in 0u32..=12) {
            let x = m as f64 / 10f64.powi(k as i32);
            prop_assert_eq!(text(x), x.to_string());
        }

        #[test]
        fn large_values_with_fractions_as_display(i in 1u64 << 40..1 << 53, quarter in 0u64..4) {
            let x = i as f64 + quarter as f64 / 4.0;
            prop_assert_eq!(shortest(x, 6), by_display(x, 6));
        }
    }
}
