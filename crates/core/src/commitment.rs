//! The open commitment index on Hofmeyr's four questions.
//!
//! Each answer is first mapped onto [0, 1] by `(x − min)/(max − min)`:
//! `s` satisfaction, `v` involvement, `a` appeal of the alternative, `f` the difference question
//! oriented so that 1 means "the current supplier is much better" and 0 "the alternative is much better".
//!
//! ```text
//! pull = a · (1 − f)                                  the alternative's draw
//! C    = 100 · (w_s·s + w_v·v + w_r·(1 − pull)) / (w_s + w_v + w_r)      0 ≤ C ≤ 100
//! ```
//!
//! with non-negative weights stored in the instrument definition (defaults 0.4, 0.2, 0.4). Because
//! every weight is ≥ 0 and `pull` rises with `a` and falls with `f`, C never falls when satisfaction or
//! involvement rise, never rises when the alternative becomes more attractive, and never falls when the
//! difference moves in favour of the current supplier (the properties the spec requires; property-tested).
//! The fourth question is asked "if so": when nothing else appeals (`a = 0`) the pull is 0 whatever
//! the difference, so a missing fourth answer is allowed there.
//!
//! The segment is the first entry of the definition's segment list (ordered from the highest
//! `min_index` down) whose `min_index` ≤ C. The shipped thresholds are starting points that a firm is
//! expected to calibrate on its own data. This is an open index, not any proprietary model.
//!
//! ## Exact arithmetic
//!
//! Scores use [`CommitmentModel::exact_index`]: the answers are integers on integer scales, and the
//! validator accepts weights and thresholds only as decimals with at most [`MAX_DECIMALS`] decimal
//! places (weights at most [`MAX_WEIGHT`]), so C is a fraction of two `i128` integers and the segment
//! test `C ≥ min_index` is an integer comparison. An index exactly on a threshold (SAT 7, INV 6, ALT
//! 4, DIF 5 on 1–7 with the default weights is exactly 90) therefore lands in the segment that starts
//! there, never one below, and the printed index is the fraction rounded once to the nearest f64 (90,
//! not 89.99999999999999). [`CommitmentModel::index`] is the same formula in f64 on normalised
//! answers, kept for analysis of the formula itself.

use serde::{Deserialize, Serialize};

use crate::instrument::Texts;

/// Whom the commitment survey addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Audience {
    /// Current customers: commitment to us.
    Customer,
    /// Non-customers: commitment to their current supplier (availability to us).
    NonCustomer,
}

/// Weights of the three components of the index (non-negative, not all zero).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommitmentWeights {
    /// Weight of satisfaction (question 1).
    pub satisfaction: f64,
    /// Weight of involvement (question 2).
    pub involvement: f64,
    /// Weight of resistance to the alternative, 1 − pull (questions 3 and 4).
    pub resistance: f64,
}

impl Default for CommitmentWeights {
    fn default() -> Self {
        CommitmentWeights {
            satisfaction: 0.4,
            involvement: 0.2,
            resistance: 0.4,
        }
    }
}

/// One segment and the lowest index that falls into it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// Stable id, e.g. `entrenched`.
    pub id: String,
    /// Lowest index (inclusive) of this segment.
    pub min_index: f64,
    /// Display name per language.
    pub name: Texts,
}

/// The index definition carried by a commitment instrument.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommitmentModel {
    /// Customers or non-customers.
    pub audience: Audience,
    /// Component weights.
    pub weights: CommitmentWeights,
    /// Segments from the highest threshold down; the last must start at 0 or below.
    pub segments: Vec<Segment>,
}

/// The four answers, each already mapped onto [0, 1] (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Normalised {
    /// Satisfaction.
    pub satisfaction: f64,
    /// Involvement.
    pub involvement: f64,
    /// Appeal of the alternative.
    pub appeal: f64,
    /// Difference, 1 = the current supplier is much better; `None` when not asked (appeal 0).
    pub favour_current: Option<f64>,
}

impl CommitmentModel {
    /// The index C in [0, 100], or `None` when the difference answer is needed (appeal > 0) but missing.
    pub fn index(&self, x: Normalised) -> Option<f64> {
        let pull = if x.appeal <= 0.0 {
            0.0
        } else {
            x.appeal * (1.0 - x.favour_current?)
        };
        let w = self.weights;
        let total = w.satisfaction + w.involvement + w.resistance;
        let c = 100.0
            * (w.satisfaction * x.satisfaction
                + w.involvement * x.involvement
                + w.resistance * (1.0 - pull))
            / total;
        // Clamp only guards rounding at the ends; the formula is already within [0, 100].
        Some(c.clamp(0.0, 100.0))
    }

    /// The segment of an index value (the first whose threshold it reaches).
    pub fn segment(&self, index: f64) -> Option<&Segment> {
        self.segments.iter().find(|s| index >= s.min_index)
    }
}

/// Most decimal places of a commitment weight or threshold (so the index can be compared exactly).
pub const MAX_DECIMALS: u32 = 6;
/// Largest commitment weight (keeps the exact arithmetic within `i128`).
pub const MAX_WEIGHT: f64 = 1e6;

/// `x` as `m · 10^−k` with `k ≤ MAX_DECIMALS`, read from its shortest decimal text (the number as it
/// was written in the definition); `None` for more decimal places, non-finite or huge values.
pub fn decimal(x: f64) -> Option<(i128, u32)> {
    if x.abs() > 1e15 {
        return None;
    }
    crate::decimal::shortest(x, MAX_DECIMALS)
}

/// One answer on its scale: the scored value and the ends of the scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OnScale {
    /// Scored answer, `min ≤ value ≤ max`.
    pub value: i32,
    /// Lowest answer.
    pub min: i32,
    /// Highest answer.
    pub max: i32,
}

impl OnScale {
    /// (x − min, max − min) as integers.
    fn parts(self) -> (i128, i128) {
        (
            i128::from(self.value) - i128::from(self.min),
            i128::from(self.max) - i128::from(self.min),
        )
    }
}

/// The four answers of one respondent on their scales.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Answers {
    /// Satisfaction.
    pub satisfaction: OnScale,
    /// Involvement.
    pub involvement: OnScale,
    /// Appeal of the alternative.
    pub appeal: OnScale,
    /// Difference (oriented as in the module docs); `None` when not answered.
    pub difference: Option<OnScale>,
}

/// The index of one respondent, exact where the definition allows it (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExactIndex(Repr);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Repr {
    /// num / den, den > 0, reduced.
    Fraction { num: i128, den: i128 },
    /// Weights the validator would refuse (not decimals): the f64 formula, bit pattern kept for Eq.
    Float(u64),
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl ExactIndex {
    /// The index as an f64: one division of the reduced fraction, so correctly rounded whenever its
    /// parts are below 2^53 (the built-ins and any definition with short weights and scales), and an
    /// integer index is printed as that integer.
    pub fn value(self) -> f64 {
        match self.0 {
            Repr::Fraction { num, den } => (num as f64 / den as f64).clamp(0.0, 100.0),
            Repr::Float(b) => f64::from_bits(b),
        }
    }

    /// The exact fraction (numerator, denominator), when the weights are decimals.
    pub fn fraction(self) -> Option<(i128, i128)> {
        match self.0 {
            Repr::Fraction { num, den } => Some((num, den)),
            Repr::Float(_) => None,
        }
    }

    /// Whether the index reaches `threshold`, compared exactly when both are exact.
    pub fn at_least(self, threshold: f64) -> bool {
        if threshold.is_nan() {
            return false;
        }
        if threshold <= 0.0 {
            return true;
        }
        if threshold > 100.0 {
            return false;
        }
        match (self.0, decimal(threshold)) {
            (Repr::Fraction { num, den }, Some((t, k))) => {
                let lhs = 10i128.checked_pow(k).and_then(|p| num.checked_mul(p));
                match (lhs, t.checked_mul(den)) {
                    (Some(l), Some(r)) => l >= r,
                    _ => self.value() >= threshold,
                }
            }
            _ => self.value() >= threshold,
        }
    }
}

impl CommitmentModel {
    /// The index of integer answers, exact when the weights are decimals (always, for a validated
    /// definition); `None` when the difference answer is needed (appeal above its minimum) but missing.
    pub fn exact_index(&self, x: Answers) -> Option<ExactIndex> {
        let (ns, ds) = x.satisfaction.parts();
        let (nv, dv) = x.involvement.parts();
        let (na, da) = x.appeal.parts();
        let (nf, df) = match x.difference {
            Some(d) => d.parts(),
            None if na <= 0 => (0, 1),
            None => return None,
        };
        let w = self.weights;
        let ws = [w.satisfaction, w.involvement, w.resistance];
        let dec: Option<Vec<(i128, u32)>> = ws
            .iter()
            .map(|&w| decimal(w).filter(|_| (0.0..=MAX_WEIGHT).contains(&w)))
            .collect();
        let Some(dec) = dec.filter(|_| ds > 0 && dv > 0 && da > 0 && df > 0) else {
            return self
                .index(Normalised {
                    satisfaction: ns as f64 / ds as f64,
                    involvement: nv as f64 / dv as f64,
                    appeal: na as f64 / da as f64,
                    favour_current: Some(nf as f64 / df as f64),
                })
                .map(|c| ExactIndex(Repr::Float(c.to_bits())));
        };
        let k = dec.iter().map(|d| d.1).max().unwrap_or(0);
        let iw: Vec<i128> = dec.iter().map(|&(m, e)| m * 10i128.pow(k - e)).collect();
        let total: i128 = iw.iter().sum();
        // Over the common denominator D = ds·dv·da·df (at most 254⁴):
        // s = ns·dv·da·df / D, v = nv·ds·da·df / D, 1 − pull = (da·df − na·(df − nf))·ds·dv / D.
        let d = ds * dv * da * df;
        let s = ns * dv * da * df;
        let v = nv * ds * da * df;
        let pull_num = if na <= 0 { 0 } else { na * (df - nf) };
        let r = (da * df - pull_num) * ds * dv;
        let num = 100 * (iw[0] * s + iw[1] * v + iw[2] * r);
        let den = total * d;
        if den <= 0 {
            return None;
        }
        let g = gcd(num, den).max(1);
        Some(ExactIndex(Repr::Fraction {
            num: num / g,
            den: den / g,
        }))
    }

    /// The segment of an index (the first whose threshold it reaches, compared exactly).
    pub fn segment_of(&self, index: ExactIndex) -> Option<&Segment> {
        self.segments.iter().find(|s| index.at_least(s.min_index))
    }
}

/// Maps an answer onto [0, 1].
pub fn normalise(x: i32, min: i32, max: i32) -> f64 {
    f64::from(x - min) / f64::from(max - min)
}
