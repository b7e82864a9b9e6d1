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

/// Maps an answer onto [0, 1].
pub fn normalise(x: i32, min: i32, max: i32) -> f64 {
    f64::from(x - min) / f64::from(max - min)
}
