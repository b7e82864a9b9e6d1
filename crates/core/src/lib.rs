//! # Rapport scoring core
//!
//! Pure Rust, no web dependencies: compiled to Wasm for the browser and natively for the CLI, the
//! server's re-check and the tests. Every number the portal shows comes from here.
//!
//! ## Use
//!
//! ```
//! use rapport_core::{builtin, Aggregator, Response};
//!
//! let inst = builtin("nps").expect("built-in");
//! let json = format!(
//!     r#"{{"instrument": {}, "answers": {{"NPS": 9}}}}"#,
//!     serde_json::to_string(&inst.reference()).unwrap()
//! );
//! let response = Response::from_json(&json).unwrap();   // located errors on bad JSON
//! let valid = inst.validate(&response).unwrap();        // located errors on bad answers
//! let scores = inst.score(&valid);                       // per-response scores
//! let mut agg = Aggregator::new(&inst);                  // streaming aggregate
//! agg.add(&valid);
//! let report = agg.finish();
//! # let _ = (scores, report);
//! ```
//!
//! ## Formulas (all in f64; "undefined" is explicit, see [`Stat`])
//!
//! **SERVQUAL** (Parasuraman, Zeithaml & Berry 1985, 1988, 1991). 22 statements, five dimensions:
//! Tangibles 1–4, Reliability 5–9, Responsiveness 10–13, Assurance 14–17, Empathy 18–22; each answered
//! as expectation E and perception P on a 7-point scale.
//! - Reverse scoring (1988 negatively worded items): `x' = (min + max) − x` (on 1–7: `8 − x`), applied
//!   before anything else when an item's `reverse` flag is set. The built-ins use the 1991 positive
//!   wording (no reversal).
//! - Item gap `G_ij = P_ij − E_ij`; dimension gap `G_id` = mean of the dimension's item gaps.
//! - `SQ_i` = mean of the five dimension gaps; sample score = mean over respondents
//!   (published example: −0.65, −1.10, −0.83, −0.70, −1.01 → −0.858).
//! - `WSQ_i = Σ_d (w_id / 100) · G_id` with `Σ_d w_id = 100`, `w_id ≥ 0` (weights are fractions).
//! - SERVPERF (Cronin & Taylor 1992): `SP_i` = mean of the 22 perceptions (per dimension likewise),
//!   reported beside the gaps because difference scores are less reliable than their parts
//!   (Buttle 1996).
//!
//! **Zone of tolerance** (Parasuraman, Zeithaml & Berry 1994), 9-point adequate A, desired D,
//! perceived P: `MSA = P − A`, `MSS = P − D`, width `D − A`; position below (P < A), inside
//! (A ≤ P ≤ D) or above (P > D). `D < A` is flagged as inconsistent ([`Flag::InconsistentZone`]) and
//! left unclassified, never fixed.
//!
//! **Reliability.** Cronbach's alpha `α = k/(k−1) · (1 − Σ s²_j / s²_X)`, sample variances (n − 1),
//! `X` the sum of the k items; undefined when k < 2, n < 2 or `s²_X = 0`. Corrected item-total r =
//! Pearson r of item j with the sum of the scale's other items; alpha-if-deleted = α without item j.
//! Feldt (1965) 95 % interval: `[1 − (1 − α)·F(0.975; n−1, (n−1)(k−1)), 1 − (1 − α)·F(0.025; n−1,
//! (n−1)(k−1))]`. All are computed from exact integer sums (see [`ScaleMoments`]), so results do not
//! depend on respondent order and α ≤ 1 holds exactly.
//!
//! **Means.** `mean ± t(n−1, 0.975) · s/√n`. The t and F quantiles invert the regularised incomplete
//! beta function (continued fraction, Lentz; log-gamma by Lanczos) by bisection.
//!
//! **Missing answers.** Listwise deletion per scale: a respondent counts for a dimension only when
//! every item of it is answered, for overall statistics only when every item is; each statistic
//! reports its n ([`MissingPolicy`]).
//!
//! **NPS** (Reichheld 2003): promoters 9–10, passives 7–8, detractors 0–6;
//! `NPS = 100 · (n_P − n_D) / N` on −100…+100; `s ∈ {+1, 0, −1}`, `Var(s) = p_P + p_D − (p_P − p_D)²`,
//! `SE = 100 · √(Var(s)/N)`; 95 % interval `NPS ± 1.96 · SE` (Wald), clipped to ±100. SE and interval
//! are undefined for N < 2. Beside it the adjusted-Wald interval (Rocks 2016), which keeps a width
//! at 0 % or 100 % promoters: ¾ promoter and ¾ detractor added, `N' = N + 3`, the same formula on
//! the adjusted shares (see [`aggregate::adjusted_wald`]); defined for N ≥ 1.
//!
//! **CSAT**: `CSAT% = 100 · (answers ≥ top_box_min) / N` (top-two-box 4–5 on 1–5), mean beside it.
//! **CES**: mean; 2010 effort 1–5 (lower is better) or 2013 ease 1–7 with % agree (5–7).
//!
//! **Commitment** on Hofmeyr's four questions: an open index, see [`commitment`] for the formula,
//! its monotonicity properties and the segment thresholds stored in the definition. The index is
//! computed as an exact fraction and compared with the thresholds exactly.
//!
//! **Mixed scales.** The statements of one dimension may use different scales (0–10 beside 1–7);
//! only the items of one statement (E and P, or A, D and P) must share one. Every mean, per
//! respondent and aggregated, is taken over the answers as given on their own scales: the
//! aggregate adds back each item's own minimum (the mean of the minimums for a dimension), so the
//! aggregate mean of a dimension equals the mean of the respondents' dimension means.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod aggregate;
pub mod builtin;
pub mod commitment;
pub mod csv;
pub mod days;
pub mod decimal;
pub mod instrument;
pub mod packed;
pub mod response;
pub mod score;
pub mod stats;
pub mod vec_map;

pub use aggregate::{aggregate, AggregateReport, AggregateResults, Aggregator, MissingPolicy};
pub use builtin::{builtin, builtin_def, BUILTIN_NAMES};
pub use commitment::{Audience, CommitmentModel};
pub use instrument::{DefinitionError, Instrument, InstrumentDef, InstrumentRef, Scoring};
pub use response::{parse_answer, Flag, Response, ResponseError, ResponseMeta, ValidResponse};
pub use score::{ResponseScores, Scores};
pub use stats::{MeanCi, Reliability, ScaleMoments, Stat, Undefined};
pub use vec_map::VecMap;
