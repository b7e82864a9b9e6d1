//! Aggregate scores over many responses, streamed: responses are scored one by one, packed into a
//! bounded columnar buffer, and the buffer is folded into exact moments by the packed kernels when it
//! fills. Memory does not grow with the number of responses.
//!
//! Missing answers: listwise deletion per scale. A respondent contributes to a dimension's statistics
//! only when every item of that dimension is answered (for gaps: both E and P), and to the overall
//! statistics (overall alpha, SQ, WSQ, SERVPERF) only when every item is answered. Each statistic
//! reports the n it used.

use serde::{Deserialize, Serialize};

use crate::instrument::{
    CesDirection, DimensionLayout, Instrument, InstrumentRef, Scoring, Shape, Statement,
};
use crate::packed::{PackedColumns, ScaleSet, Term, BLOCK, MISSING};
use crate::response::{Flag, ResponseMeta, ValidResponse};
use crate::score::{mean_f, zone_position, NpsCategory, Position, ResponseScores, Scores};
use crate::stats::{MeanCi, Moments, Reliability, ScaleMoments, Stat, Undefined, Z_975};

/// Rows buffered before the kernels run.
const BUFFER_ROWS: usize = 4096;

/// How missing answers were handled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingPolicy {
    /// Policy code.
    pub policy: String,
    /// What it means.
    pub description: String,
}

impl Default for MissingPolicy {
    fn default() -> Self {
        MissingPolicy {
            policy: "listwise_per_scale".into(),
            description: "a respondent counts for a dimension only if every item of it is answered (for gaps \
                          both E and P), and for overall statistics only if every item is answered; each \
                          statistic reports its n"
                .into(),
        }
    }
}

/// Aggregate report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AggregateReport {
    /// Instrument scored against.
    pub instrument: InstrumentRef,
    /// Valid responses aggregated.
    pub n_responses: u64,
    /// Missing-answer policy.
    pub missing_policy: MissingPolicy,
    /// Method-specific results.
    pub results: AggregateResults,
}

/// Method-specific aggregates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "kebab-case")]
pub enum AggregateResults {
    /// SERVQUAL.
    Servqual(ServqualAggregate),
    /// Zone of tolerance.
    ZoneOfTolerance(ZoneAggregate),
    /// SERVPERF.
    Servperf(ServperfAggregate),
    /// Commitment.
    Commitment(CommitmentAggregate),
    /// NPS.
    Nps(NpsAggregate),
    /// CSAT.
    Csat(CsatAggregate),
    /// CES.
    Ces(CesAggregate),
}

/// SERVQUAL aggregate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServqualAggregate {
    /// Per dimension.
    pub dimensions: Vec<ServqualDimension>,
    /// Mean SQ over respondents complete on every dimension.
    pub sq: MeanCi,
    /// Mean WSQ over respondents complete on every dimension with a valid allocation.
    pub wsq: MeanCi,
    /// Mean SERVPERF (all 22 perceptions answered).
    pub servperf: MeanCi,
    /// Alpha over all gap items.
    pub reliability_gap: Reliability,
    /// Alpha over all perception items.
    pub reliability_perception: Reliability,
}

/// One SERVQUAL dimension, aggregated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServqualDimension {
    /// Dimension id.
    pub dimension: String,
    /// Mean dimension gap with 95 % CI.
    pub gap: MeanCi,
    /// Mean expectation.
    pub expectation: MeanCi,
    /// Mean perception (SERVPERF of the dimension).
    pub perception: MeanCi,
    /// Mean importance weight (fraction).
    pub weight: MeanCi,
    /// Alpha on the gap scores.
    pub reliability_gap: Reliability,
    /// Alpha on the perceptions.
    pub reliability_perception: Reliability,
}

/// Zone-of-tolerance aggregate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ZoneAggregate {
    /// Per dimension.
    pub dimensions: Vec<ZoneDimensionAggregate>,
    /// Mean over respondents of the mean dimension MSA.
    pub msa: MeanCi,
    /// Mean over respondents of the mean dimension MSS.
    pub mss: MeanCi,
    /// Alpha over all perception items.
    pub reliability_perception: Reliability,
    /// Responses with at least one statement where D < A.
    pub inconsistent_responses: u64,
}

/// One zone-of-tolerance dimension, aggregated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ZoneDimensionAggregate {
    /// Dimension id.
    pub dimension: String,
    /// Mean adequate level.
    pub adequate: MeanCi,
    /// Mean desired level.
    pub desired: MeanCi,
    /// Mean perception.
    pub perception: MeanCi,
    /// Mean MSA (P − A).
    pub msa: MeanCi,
    /// Mean MSS (P − D).
    pub mss: MeanCi,
    /// Mean tolerance width (D − A).
    pub width: MeanCi,
    /// Position of the mean perception relative to the mean adequate and desired levels.
    pub position: Option<Position>,
    /// Alpha on the perceptions.
    pub reliability_perception: Reliability,
    /// Per statement: how many answers fell below, inside and above the zone, and how many were
    /// inconsistent (D < A).
    pub items: Vec<ZoneItemCounts>,
}

/// Zone positions of one statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZoneItemCounts {
    /// Statement number.
    pub statement: u32,
    /// P < A.
    pub below: u64,
    /// A ≤ P ≤ D.
    pub inside: u64,
    /// P > D.
    pub above: u64,
    /// D < A (not classified).
    pub inconsistent: u64,
}

/// SERVPERF aggregate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServperfAggregate {
    /// Per dimension.
    pub dimensions: Vec<ServperfDimension>,
    /// Mean of all perceptions.
    pub servperf: MeanCi,
    /// Alpha over all items.
    pub reliability: Reliability,
}

/// One SERVPERF dimension.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServperfDimension {
    /// Dimension id.
    pub dimension: String,
    /// Mean perception.
    pub perception: MeanCi,
    /// Alpha.
    pub reliability: Reliability,
}

/// Commitment aggregate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommitmentAggregate {
    /// Mean index.
    pub index: MeanCi,
    /// Distribution over segments, in definition order.
    pub segments: Vec<SegmentShare>,
    /// Responses whose index is undefined (missing answers).
    pub undefined: u64,
}

/// Count and share of one segment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentShare {
    /// Segment id.
    pub segment: String,
    /// Respondents in it.
    pub count: u64,
    /// Percentage of respondents with an index.
    pub percent: Stat,
}

/// NPS aggregate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NpsAggregate {
    /// Answers counted.
    pub n: u64,
    /// 9–10.
    pub promoters: u64,
    /// 7–8.
    pub passives: u64,
    /// 0–6.
    pub detractors: u64,
    /// 100 · (promoters − detractors) / N, on −100…+100 (a score, not a percentage).
    pub nps: Stat,
    /// The score rounded to the nearest integer, as it is usually reported.
    pub nps_rounded: Option<i32>,
    /// SE = 100 · √((p_P + p_D − (p_P − p_D)²) / N); undefined for N < 2.
    pub se: Stat,
    /// NPS − 1.96 · SE, clipped to −100.
    pub ci_low: Stat,
    /// NPS + 1.96 · SE, clipped to +100.
    pub ci_high: Stat,
    /// Lower end of the adjusted-Wald 95 % interval (Rocks 2016), clipped to −100; see
    /// [`adjusted_wald`]. Unlike the Wald interval it keeps a width at 0 % or 100 % promoters.
    pub adjusted_wald_low: Stat,
    /// Upper end of the adjusted-Wald 95 % interval, clipped to +100.
    pub adjusted_wald_high: Stat,
}

/// CSAT aggregate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CsatAggregate {
    /// Answers counted.
    pub n: u64,
    /// Answers in the top box.
    pub top_box: u64,
    /// 100 · top box / N.
    pub csat_percent: Stat,
    /// Mean answer.
    pub mean: MeanCi,
}

/// CES aggregate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CesAggregate {
    /// Answers counted.
    pub n: u64,
    /// Direction of the scale.
    pub direction: CesDirection,
    /// Mean answer.
    pub mean: MeanCi,
    /// Answers at or above `agree_min`, when the instrument defines it.
    pub agree: Option<u64>,
    /// Percentage agreeing, when the instrument defines `agree_min`.
    pub agree_percent: Option<Stat>,
}

fn percent(count: u64, n: u64) -> Stat {
    if n == 0 {
        Stat::Undefined(Undefined::NoData)
    } else {
        Stat::Value(100.0 * count as f64 / n as f64)
    }
}

/// Streaming aggregator for one instrument.
#[derive(Clone, Debug)]
pub struct Aggregator<'a> {
    inst: &'a Instrument,
    n: u64,
    buffer: PackedColumns,
    row: Vec<u8>,
    // Scale sets by role, e.g. gap, perception, expectation (SERVQUAL).
    sets: Vec<ScaleSet>,
    // The same scale sets for `add_raw_columns`, accumulated by its own masked kernel and merged
    // into `sets` at `finish` (integer moments, so the order of rows does not matter).
    lean: Vec<LeanSet>,
    sq: Moments,
    wsq: Moments,
    weights: Vec<Moments>,
    zone_counts: Vec<ZoneItemCounts>,
    inconsistent: u64,
    index: Moments,
    segment_counts: Vec<u64>,
    undefined: u64,
    counts: [u64; 3],
    single: Moments,
    agree: u64,
}

impl<'a> Aggregator<'a> {
    /// A new aggregator.
    pub fn new(inst: &'a Instrument) -> Self {
        let n_cols = inst.slots().len();
        let mut sets = Vec::new();
        let mut lean = Vec::new();
        let mut n_dims = 0;
        let mut zone_counts = Vec::new();
        if let Shape::Dimensional(dims) = inst.shape() {
            n_dims = dims.len();
            let span = dims
                .iter()
                .flat_map(|d| d.statements.iter())
                .map(|s| {
                    let sl = &inst.slots()[s.perception];
                    u8::try_from(sl.max - sl.min).unwrap_or(u8::MAX)
                })
                .max()
                .unwrap_or(0);
            type Pick = fn(&crate::instrument::Statement) -> Option<Term>;
            let picks: Vec<Pick> = match inst.scoring() {
                Scoring::Servqual => vec![
                    |s| {
                        Some(Term {
                            plus: s.perception,
                            minus: s.expectation,
                        })
                    },
                    |s| {
                        Some(Term {
                            plus: s.perception,
                            minus: None,
                        })
                    },
                    |s| {
                        s.expectation.map(|e| Term {
                            plus: e,
                            minus: None,
                        })
                    },
                ],
                Scoring::ZoneOfTolerance => vec![
                    |s| {
                        Some(Term {
                            plus: s.perception,
                            minus: s.adequate,
                        })
                    },
                    |s| {
                        Some(Term {
                            plus: s.perception,
                            minus: s.desired,
                        })
                    },
                    |s| {
                        s.desired.map(|d| Term {
                            plus: d,
                            minus: s.adequate,
                        })
                    },
                    |s| {
                        Some(Term {
                            plus: s.perception,
                            minus: None,
                        })
                    },
                    |s| {
                        s.adequate.map(|a| Term {
                            plus: a,
                            minus: None,
                        })
                    },
                    |s| {
                        s.desired.map(|d| Term {
                            plus: d,
                            minus: None,
                        })
                    },
                ],
                _ => vec![|s| {
                    Some(Term {
                        plus: s.perception,
                        minus: None,
                    })
                }],
            };
            for pick in picks {
                let terms: Vec<Vec<Term>> = dims
                    .iter()
                    .map(|d| d.statements.iter().filter_map(pick).collect())
                    .collect();
                lean.push(LeanSet::new(terms.clone(), span));
                sets.push(ScaleSet::new(terms, span));
            }
            if matches!(inst.scoring(), Scoring::ZoneOfTolerance) {
                zone_counts = dims
                    .iter()
                    .flat_map(|d| d.statements.iter())
                    .map(|s| ZoneItemCounts {
                        statement: s.number,
                        below: 0,
                        inside: 0,
                        above: 0,
                        inconsistent: 0,
                    })
                    .collect();
            }
        }
        let n_segments = match inst.scoring() {
            Scoring::Commitment(m) => m.segments.len(),
            _ => 0,
        };
        Aggregator {
            inst,
            n: 0,
            // Only dimensional instruments need the packed buffer.
            buffer: PackedColumns::new(n_cols, if sets.is_empty() { 0 } else { BUFFER_ROWS }),
            row: vec![MISSING; n_cols],
            sets,
            lean,
            sq: Moments::default(),
            wsq: Moments::default(),
            weights: vec![Moments::default(); n_dims],
            zone_counts,
            inconsistent: 0,
            index: Moments::default(),
            segment_counts: vec![0; n_segments],
            undefined: 0,
            counts: [0; 3],
            single: Moments::default(),
            agree: 0,
        }
    }

    /// Scores a validated response, adds it to the aggregate, and returns its scores.
    pub fn add(&mut self, r: &ValidResponse) -> ResponseScores {
        let scores = self.inst.score(r);
        self.n += 1;
        if !self.sets.is_empty() {
            for (i, s) in self.inst.slots().iter().enumerate() {
                self.row[i] = match self.inst.scored(r, i) {
                    // Validated: min ≤ x ≤ max and max − min ≤ 254.
                    Some(x) => u8::try_from(x - s.min).unwrap_or(MISSING),
                    None => MISSING,
                };
            }
            if self.buffer.is_full() {
                self.flush();
            }
            self.buffer.push_row(&self.row);
        }
        self.absorb(&scores);
        scores
    }

    /// Adds the per-response scores that the integer kernels do not cover (SQ, WSQ, weights, zone
    /// positions, commitment, single-item counts).
    fn absorb(&mut self, scores: &ResponseScores) {
        match &scores.scores {
            Scores::Servqual(s) => {
                if let Some(x) = s.sq {
                    self.sq.push(x);
                }
                if let Some(x) = s.wsq {
                    self.wsq.push(x);
                }
                for (m, d) in self.weights.iter_mut().zip(&s.dimensions) {
                    if let Some(w) = d.weight {
                        m.push(w);
                    }
                }
            }
            Scores::ZoneOfTolerance(s) => {
                if let Some(x) = s.msa {
                    self.sq.push(x);
                }
                if let Some(x) = s.mss {
                    self.wsq.push(x);
                }
                for (c, it) in self.zone_counts.iter_mut().zip(&s.items) {
                    match it.position {
                        Some(Position::Below) => c.below += 1,
                        Some(Position::Inside) => c.inside += 1,
                        Some(Position::Above) => c.above += 1,
                        None if it.inconsistent => c.inconsistent += 1,
                        None => {}
                    }
                }
                if scores
                    .flags
                    .iter()
                    .any(|f| matches!(f, Flag::InconsistentZone { .. }))
                {
                    self.inconsistent += 1;
                }
            }
            Scores::Servperf(_) => {}
            Scores::Commitment(s) => match (s.index, &s.segment) {
                (Some(c), seg) => {
                    self.index.push(c);
                    if let (Scoring::Commitment(m), Some(seg)) = (self.inst.scoring(), seg) {
                        if let Some(p) = m.segments.iter().position(|x| &x.id == seg) {
                            self.segment_counts[p] += 1;
                        }
                    }
                }
                (None, _) => self.undefined += 1,
            },
            Scores::Nps(s) => match s.category {
                Some(NpsCategory::Promoter) => self.counts[0] += 1,
                Some(NpsCategory::Passive) => self.counts[1] += 1,
                Some(NpsCategory::Detractor) => self.counts[2] += 1,
                None => {}
            },
            Scores::Csat(s) => {
                if let Some(a) = s.answer {
                    self.single.push(f64::from(a));
                    if s.top_box == Some(true) {
                        self.agree += 1;
                    }
                }
            }
            Scores::Ces(s) => {
                if let Some(a) = s.answer {
                    self.single.push(f64::from(a));
                    if s.agree == Some(true) {
                        self.agree += 1;
                    }
                }
            }
        }
    }

    /// Adds valid responses given column by column, without building per-response scores: the lean
    /// path for data already validated and stored packed (the analyst view).
    ///
    /// `cols[i]` holds slot `i` of every response (see [`Instrument::slots`]): the *raw* answer
    /// minus the slot's minimum, or [`MISSING`]. All columns have the same length; rows are added in
    /// order. Every row must be the answers of a response that passed
    /// [`Instrument::validate_values`]; the report is then identical to adding the same responses
    /// with [`Aggregator::add`] in the same order. Returns false (and adds nothing) when the number
    /// or the lengths of the columns do not fit the instrument.
    pub fn add_raw_columns(&mut self, cols: &[&[u8]]) -> bool {
        let inst = self.inst;
        let slots = inst.slots();
        let n = cols.first().map_or(0, |c| c.len());
        if cols.len() != slots.len() || cols.iter().any(|c| c.len() != n) {
            return false;
        }
        if n == 0 {
            return true;
        }
        self.n += n as u64;
        let Shape::Dimensional(dims) = inst.shape() else {
            self.add_single_rows(cols, n);
            return true;
        };
        // The kernels and the per-response formulas work on scored answers; only reverse-scored
        // columns need a copy.
        let flipped: Vec<Vec<u8>> = slots
            .iter()
            .zip(cols)
            .filter(|(s, _)| s.reverse)
            .map(|(s, c)| {
                let span = u8::try_from(s.max - s.min).unwrap_or(u8::MAX);
                c.iter()
                    .map(|&b| {
                        if b == MISSING {
                            b
                        } else {
                            span.saturating_sub(b)
                        }
                    })
                    .collect()
            })
            .collect();
        let mut scored: Vec<&[u8]> = cols.to_vec();
        let mut f = flipped.iter();
        for (v, s) in scored.iter_mut().zip(slots) {
            if s.reverse {
                if let Some(c) = f.next() {
                    *v = c;
                }
            }
        }
        let mut scratch = Scratch::new(&self.lean, dims.len());
        let mut start = 0;
        while start < n {
            let end = (start + BLOCK).min(n);
            let block: Vec<&[u8]> = scored.iter().map(|c| &c[start..end]).collect();
            for (i, set) in self.lean.iter_mut().enumerate() {
                set.block(&block, &mut scratch, i);
            }
            self.block_scores(dims, &block, &scratch);
            start = end;
        }
        true
    }

    /// SQ, WSQ, weights (SERVQUAL) or MSA, MSS and zone counts (zone of tolerance) of one block of
    /// scored columns, from the per-dimension totals the kernel left in `scratch`: the same
    /// expressions, in the same order, as `Instrument::score`.
    // Row by row over column-major data: each row reads one byte of several columns.
    #[allow(clippy::needless_range_loop)]
    fn block_scores(&mut self, dims: &[DimensionLayout], block: &[&[u8]], scratch: &Scratch) {
        let slots = self.inst.slots();
        let len = block.first().map_or(0, |c| c.len());
        // Dimension mean of the row's gap (or MSA, MSS) scores, as `mean_of` computes it.
        let dim_mean = |set: usize, d: usize, r: usize| -> Option<f64> {
            let k = dims[d].statements.len();
            let i = d * BLOCK + r;
            (k > 0 && scratch.ok[set][i] != 0).then(|| {
                let total = match scratch.wide[set].get(i) {
                    Some(&t) => t,
                    None => i64::from(scratch.xd[set][i]),
                };
                total as f64 / k as f64
            })
        };
        match self.inst.scoring() {
            Scoring::Servqual => {
                let total = f64::from(self.inst.allocation_total().unwrap_or(100));
                let mut gaps: Vec<Option<f64>> = vec![None; dims.len()];
                let mut weights: Vec<Option<f64>> = vec![None; dims.len()];
                for r in 0..len {
                    for (d, dl) in dims.iter().enumerate() {
                        gaps[d] = dim_mean(0, d, r);
                        weights[d] = dl.weight.and_then(|w| {
                            let b = block[w][r];
                            (b != MISSING).then(|| f64::from(i32::from(b) + slots[w].min) / total)
                        });
                    }
                    if let Some(x) = mean_f(gaps.iter().copied()) {
                        self.sq.push(x);
                    }
                    let wsq = weights
                        .iter()
                        .zip(&gaps)
                        .map(|(w, g)| Some((*w)? * (*g)?))
                        .sum::<Option<f64>>();
                    if let Some(x) = wsq {
                        self.wsq.push(x);
                    }
                    for (m, w) in self.weights.iter_mut().zip(&weights) {
                        if let Some(w) = *w {
                            m.push(w);
                        }
                    }
                }
            }
            Scoring::ZoneOfTolerance => {
                let mut msa: Vec<Option<f64>> = vec![None; dims.len()];
                let mut mss: Vec<Option<f64>> = vec![None; dims.len()];
                let mut inconsistent_row = vec![false; len];
                let mut counts = self.zone_counts.iter_mut();
                for st in dims.iter().flat_map(|d| d.statements.iter()) {
                    let Some(c) = counts.next() else { break };
                    let (Some(a), Some(de)) = (st.adequate, st.desired) else {
                        continue;
                    };
                    let (a, de, p) = (block[a], block[de], block[st.perception]);
                    // Scored bytes share the statement's minimum, so comparing them compares answers.
                    for (r, flag) in inconsistent_row.iter_mut().enumerate() {
                        let (a, d, p) = (a[r], de[r], p[r]);
                        if a == MISSING || d == MISSING {
                            continue;
                        }
                        if d < a {
                            c.inconsistent += 1;
                            *flag = true;
                        } else if p == MISSING {
                        } else if p < a {
                            c.below += 1;
                        } else if p > d {
                            c.above += 1;
                        } else {
                            c.inside += 1;
                        }
                    }
                }
                for (r, &flag) in inconsistent_row.iter().enumerate() {
                    for d in 0..dims.len() {
                        msa[d] = dim_mean(0, d, r);
                        mss[d] = dim_mean(1, d, r);
                    }
                    if let Some(x) = mean_f(msa.iter().copied()) {
                        self.sq.push(x);
                    }
                    if let Some(x) = mean_f(mss.iter().copied()) {
                        self.wsq.push(x);
                    }
                    if flag {
                        self.inconsistent += 1;
                    }
                }
            }
            _ => {}
        }
    }

    /// Non-dimensional instruments have a few items per response: score each row through the
    /// ordinary path on one reused response.
    fn add_single_rows(&mut self, cols: &[&[u8]], n: usize) {
        let inst = self.inst;
        let slots = inst.slots();
        let mut scratch = ValidResponse {
            respondent_id: None,
            values: vec![None; slots.len()],
            flags: Vec::new(),
            meta: ResponseMeta::default(),
        };
        for r in 0..n {
            for ((v, s), c) in scratch.values.iter_mut().zip(slots).zip(cols) {
                let b = c[r];
                *v = (b != MISSING).then(|| i32::from(b) + s.min);
            }
            let scores = inst.score(&scratch);
            self.absorb(&scores);
        }
    }

    fn flush(&mut self) {
        if self.buffer.is_empty() {
            return;
        }
        let cols = self.buffer.columns();
        for s in &mut self.sets {
            s.accumulate(&cols);
        }
        self.buffer.clear();
    }

    /// Responses added so far.
    pub fn n(&self) -> u64 {
        self.n
    }

    /// Finishes and returns the report.
    pub fn finish(mut self) -> AggregateReport {
        self.flush();
        let inst = self.inst;
        let merged: Vec<Merged> = self
            .sets
            .iter()
            .zip(&self.lean)
            .map(|(s, l)| Merged::of(s, l))
            .collect();
        let results = match (inst.scoring(), inst.shape()) {
            (Scoring::Servqual, Shape::Dimensional(dims)) => {
                let (gap, per, exp) = (&merged[0], &merged[1], &merged[2]);
                let mut dimensions = Vec::new();
                let mut all_gap_names = Vec::new();
                let mut all_p_names = Vec::new();
                let mut all_shifts = Vec::new();
                for (d, dl) in dims.iter().enumerate() {
                    let k = dl.statements.len() as f64;
                    let gap_names: Vec<String> = dl
                        .statements
                        .iter()
                        .map(|s| {
                            let e = s
                                .expectation
                                .map(|e| inst.slots()[e].id.as_str())
                                .unwrap_or("");
                            format!("{}-{}", inst.slots()[s.perception].id, e)
                        })
                        .collect();
                    let p_names: Vec<String> = dl
                        .statements
                        .iter()
                        .map(|s| inst.slots()[s.perception].id.clone())
                        .collect();
                    let shifts: Vec<f64> = dl
                        .statements
                        .iter()
                        .map(|s| f64::from(inst.slots()[s.perception].min))
                        .collect();
                    let e_shift = mean_shift(
                        dl.statements
                            .iter()
                            .filter_map(|s| s.expectation)
                            .map(|e| inst.slots()[e].min),
                    );
                    let p_shift = mean_shift(shifts.iter().copied());
                    dimensions.push(ServqualDimension {
                        dimension: dl.id.clone(),
                        gap: gap.dimension(d).total_mean_ci(k, 0.0),
                        expectation: exp.dimension(d).total_mean_ci(k, e_shift),
                        perception: per.dimension(d).total_mean_ci(k, p_shift),
                        weight: self.weights[d].mean_ci(),
                        reliability_gap: gap
                            .dimension(d)
                            .reliability(&gap_names, &vec![0.0; gap_names.len()]),
                        reliability_perception: per.dimension(d).reliability(&p_names, &shifts),
                    });
                    all_gap_names.extend(gap_names);
                    all_p_names.extend(p_names);
                    all_shifts.extend(shifts);
                }
                let k = all_p_names.len() as f64;
                AggregateResults::Servqual(ServqualAggregate {
                    dimensions,
                    sq: self.sq.mean_ci(),
                    wsq: self.wsq.mean_ci(),
                    servperf: per
                        .overall()
                        .total_mean_ci(k, mean_shift(all_shifts.iter().copied())),
                    reliability_gap: gap
                        .overall()
                        .reliability(&all_gap_names, &vec![0.0; all_gap_names.len()]),
                    reliability_perception: per.overall().reliability(&all_p_names, &all_shifts),
                })
            }
            (Scoring::ZoneOfTolerance, Shape::Dimensional(dims)) => {
                let mut dimensions = Vec::new();
                let mut all_p = Vec::new();
                let mut all_shifts = Vec::new();
                let mut offset = 0;
                for (d, dl) in dims.iter().enumerate() {
                    let k = dl.statements.len() as f64;
                    let p_names: Vec<String> = dl
                        .statements
                        .iter()
                        .map(|s| inst.slots()[s.perception].id.clone())
                        .collect();
                    let shifts: Vec<f64> = dl
                        .statements
                        .iter()
                        .map(|s| f64::from(inst.slots()[s.perception].min))
                        .collect();
                    let role_shift = |pick: fn(&Statement) -> Option<usize>| {
                        mean_shift(
                            dl.statements
                                .iter()
                                .filter_map(pick)
                                .map(|i| inst.slots()[i].min),
                        )
                    };
                    let adequate = merged[4]
                        .dimension(d)
                        .total_mean_ci(k, role_shift(|s| s.adequate));
                    let desired = merged[5]
                        .dimension(d)
                        .total_mean_ci(k, role_shift(|s| s.desired));
                    let perception = merged[3]
                        .dimension(d)
                        .total_mean_ci(k, mean_shift(shifts.iter().copied()));
                    let position = match (adequate.mean, desired.mean, perception.mean) {
                        (Stat::Value(a), Stat::Value(dd), Stat::Value(p)) => {
                            zone_position(a, dd, p)
                        }
                        _ => None,
                    };
                    let n_st = dl.statements.len();
                    dimensions.push(ZoneDimensionAggregate {
                        dimension: dl.id.clone(),
                        adequate,
                        desired,
                        perception,
                        msa: merged[0].dimension(d).total_mean_ci(k, 0.0),
                        mss: merged[1].dimension(d).total_mean_ci(k, 0.0),
                        width: merged[2].dimension(d).total_mean_ci(k, 0.0),
                        position,
                        reliability_perception: merged[3]
                            .dimension(d)
                            .reliability(&p_names, &shifts),
                        items: self.zone_counts[offset..offset + n_st].to_vec(),
                    });
                    offset += n_st;
                    all_p.extend(p_names);
                    all_shifts.extend(shifts);
                }
                AggregateResults::ZoneOfTolerance(ZoneAggregate {
                    dimensions,
                    msa: self.sq.mean_ci(),
                    mss: self.wsq.mean_ci(),
                    reliability_perception: merged[3].overall().reliability(&all_p, &all_shifts),
                    inconsistent_responses: self.inconsistent,
                })
            }
            (_, Shape::Dimensional(dims)) => {
                let mut dimensions = Vec::new();
                let mut all_p = Vec::new();
                let mut all_shifts = Vec::new();
                for (d, dl) in dims.iter().enumerate() {
                    let k = dl.statements.len() as f64;
                    let names: Vec<String> = dl
                        .statements
                        .iter()
                        .map(|s| inst.slots()[s.perception].id.clone())
                        .collect();
                    let shifts: Vec<f64> = dl
                        .statements
                        .iter()
                        .map(|s| f64::from(inst.slots()[s.perception].min))
                        .collect();
                    dimensions.push(ServperfDimension {
                        dimension: dl.id.clone(),
                        perception: merged[0]
                            .dimension(d)
                            .total_mean_ci(k, mean_shift(shifts.iter().copied())),
                        reliability: merged[0].dimension(d).reliability(&names, &shifts),
                    });
                    all_p.extend(names);
                    all_shifts.extend(shifts);
                }
                let k = all_p.len() as f64;
                AggregateResults::Servperf(ServperfAggregate {
                    dimensions,
                    servperf: merged[0]
                        .overall()
                        .total_mean_ci(k, mean_shift(all_shifts.iter().copied())),
                    reliability: merged[0].overall().reliability(&all_p, &all_shifts),
                })
            }
            (Scoring::Commitment(m), _) => {
                let with_index = self.index.n();
                AggregateResults::Commitment(CommitmentAggregate {
                    index: self.index.mean_ci(),
                    segments: m
                        .segments
                        .iter()
                        .zip(&self.segment_counts)
                        .map(|(s, &c)| SegmentShare {
                            segment: s.id.clone(),
                            count: c,
                            percent: percent(c, with_index),
                        })
                        .collect(),
                    undefined: self.undefined,
                })
            }
            (Scoring::Nps, _) => AggregateResults::Nps(nps_aggregate(
                self.counts[0],
                self.counts[1],
                self.counts[2],
            )),
            (Scoring::Csat { .. }, _) => AggregateResults::Csat(CsatAggregate {
                n: self.single.n(),
                top_box: self.agree,
                csat_percent: percent(self.agree, self.single.n()),
                mean: self.single.mean_ci(),
            }),
            (
                Scoring::Ces {
                    direction,
                    agree_min,
                },
                _,
            ) => AggregateResults::Ces(CesAggregate {
                n: self.single.n(),
                direction: *direction,
                mean: self.single.mean_ci(),
                agree: agree_min.map(|_| self.agree),
                agree_percent: agree_min.map(|_| percent(self.agree, self.single.n())),
            }),
            // Unreachable for a compiled instrument (dimensional methods always have that shape).
            _ => AggregateResults::Nps(nps_aggregate(0, 0, 0)),
        };
        AggregateReport {
            instrument: inst.reference(),
            n_responses: self.n,
            missing_policy: MissingPolicy::default(),
            results,
        }
    }
}

/// Moments of a scale set from both paths (`add` and `add_raw_columns`), merged for the report.
struct Merged {
    dims: Vec<ScaleMoments>,
    overall: ScaleMoments,
}

impl Merged {
    fn of(s: &ScaleSet, l: &LeanSet) -> Merged {
        let mut dims: Vec<ScaleMoments> = (0..s.n_dimensions())
            .map(|d| s.dimension(d).clone())
            .collect();
        for (m, o) in dims.iter_mut().zip(&l.dim) {
            m.merge(o);
        }
        let mut overall = s.overall().clone();
        overall.merge(&l.overall);
        Merged { dims, overall }
    }

    fn dimension(&self, d: usize) -> &ScaleMoments {
        &self.dims[d]
    }

    fn overall(&self) -> &ScaleMoments {
        &self.overall
    }
}

/// One scale set for the lean path: its terms by dimension and the moments its kernel gathered.
#[derive(Clone, Debug)]
struct LeanSet {
    dims: Vec<Vec<Term>>,
    k: usize,
    // Whether every block sum fits i32 (the same bound as the packed fast path).
    fast: bool,
    dim: Vec<ScaleMoments>,
    overall: ScaleMoments,
    /// Columns the terms read.
    used: Vec<usize>,
    /// This block's item sums and sums of squares (complete blocks: they are also the overall ones).
    s1: Vec<i32>,
    s2: Vec<i32>,
}

/// Per-block working memory of the lean kernel; `xd` and `ok` (per set, per dimension, per row:
/// the dimension total and whether the row is complete on it) stay readable after a block.
// i16 lanes: with the fast bound every term and total fits, and i16 products summed into i32
// vectorise well (SSE2/AVX2 natively, SIMD128 in Wasm).
struct Scratch {
    v: Vec<i16>,
    call: Vec<i16>,
    xt: Vec<i16>,
    xd: Vec<Vec<i16>>,
    ok: Vec<Vec<i16>>,
    // Dimension totals of sets too wide for i16 (see `LeanSet::block_rows`).
    wide: Vec<Vec<i64>>,
    row: Vec<i64>,
}

impl Scratch {
    fn new(sets: &[LeanSet], n_dims: usize) -> Scratch {
        let k = sets.iter().map(|s| s.k).max().unwrap_or(0);
        Scratch {
            v: vec![0; k * BLOCK],
            call: vec![0; BLOCK],
            xt: vec![0; BLOCK],
            xd: vec![vec![0; n_dims * BLOCK]; sets.len()],
            ok: vec![vec![0; n_dims * BLOCK]; sets.len()],
            wide: sets
                .iter()
                .map(|s| {
                    if s.fast {
                        Vec::new()
                    } else {
                        vec![0; n_dims * BLOCK]
                    }
                })
                .collect(),
            row: vec![0; k],
        }
    }
}

impl LeanSet {
    fn new(dims: Vec<Vec<Term>>, span: u8) -> LeanSet {
        let k = dims.iter().map(Vec::len).sum();
        let mut used: Vec<usize> = dims
            .iter()
            .flatten()
            .flat_map(|t| std::iter::once(t.plus).chain(t.minus))
            .collect();
        used.sort_unstable();
        used.dedup();
        LeanSet {
            fast: i64::from(span) * k as i64 <= 2_896,
            dim: dims.iter().map(|d| ScaleMoments::new(d.len())).collect(),
            overall: ScaleMoments::new(k),
            dims,
            k,
            used,
            s1: vec![0; k],
            s2: vec![0; k],
        }
    }

    /// Adds one block (at most `BLOCK` rows) of scored columns. Branch-free over the rows: a term
    /// of a row that is incomplete on its dimension is multiplied by 0, so complete and incomplete
    /// rows take the same vectorisable path (listwise per dimension and overall, as `ScaleSet`).
    fn block(&mut self, cols: &[&[u8]], s: &mut Scratch, set: usize) {
        let len = cols.first().map_or(0, |c| c.len());
        if !self.fast {
            self.block_rows(cols, len, s, set);
            return;
        }
        // max() vectorises; a valid byte is below MISSING.
        if self
            .used
            .iter()
            .all(|&c| cols[c].iter().copied().max().unwrap_or(0) != MISSING)
        {
            self.block_complete(cols, len, s, set);
            return;
        }
        let call = &mut s.call[..len];
        call.fill(1);
        let xt = &mut s.xt[..len];
        xt.fill(0);
        let mut j0 = 0;
        for (d, terms) in self.dims.iter().enumerate() {
            let xd = &mut s.xd[set][d * BLOCK..d * BLOCK + len];
            let ok = &mut s.ok[set][d * BLOCK..d * BLOCK + len];
            xd.fill(0);
            ok.fill(1);
            for (jj, t) in terms.iter().enumerate() {
                let v = &mut s.v[(j0 + jj) * BLOCK..(j0 + jj) * BLOCK + len];
                let p = &cols[t.plus][..len];
                match t.minus {
                    Some(m) => {
                        let q = &cols[m][..len];
                        for (((o, c), &a), &b) in v.iter_mut().zip(ok.iter_mut()).zip(p).zip(q) {
                            *c &= i16::from(a != MISSING) & i16::from(b != MISSING);
                            *o = i16::from(a) - i16::from(b);
                        }
                    }
                    None => {
                        for ((o, c), &a) in v.iter_mut().zip(ok.iter_mut()).zip(p) {
                            *c &= i16::from(a != MISSING);
                            *o = i16::from(a);
                        }
                    }
                }
            }
            for jj in 0..terms.len() {
                let v = &mut s.v[(j0 + jj) * BLOCK..(j0 + jj) * BLOCK + len];
                for ((o, &c), x) in v.iter_mut().zip(ok.iter()).zip(xd.iter_mut()) {
                    *o *= c;
                    *x += *o;
                }
            }
            let m = &mut self.dim[d];
            let (mut n, mut tx, mut txx) = (0i32, 0i32, 0i32);
            for (&c, &x) in ok.iter().zip(xd.iter()) {
                n += i32::from(c);
                tx += i32::from(x);
                txx += i32::from(x) * i32::from(x);
            }
            m.n += i64::from(n);
            m.tx += i64::from(tx);
            m.txx += i64::from(txx);
            for jj in 0..terms.len() {
                let v = &s.v[(j0 + jj) * BLOCK..(j0 + jj) * BLOCK + len];
                let (s1, s2, sx) = term_sums(v, xd);
                m.s1[jj] += i64::from(s1);
                m.s2[jj] += i64::from(s2);
                m.sx[jj] += i64::from(sx);
            }
            for ((a, t), (&c, &x)) in call
                .iter_mut()
                .zip(xt.iter_mut())
                .zip(ok.iter().zip(xd.iter()))
            {
                *a &= c;
                *t += x;
            }
            j0 += terms.len();
        }
        let o = &mut self.overall;
        let (mut n, mut tx, mut txx) = (0i32, 0i32, 0i32);
        for (t, &c) in xt.iter_mut().zip(call.iter()) {
            *t *= c;
            n += i32::from(c);
            tx += i32::from(*t);
            txx += i32::from(*t) * i32::from(*t);
        }
        o.n += i64::from(n);
        o.tx += i64::from(tx);
        o.txx += i64::from(txx);
        for j in 0..self.k {
            let v = &s.v[j * BLOCK..j * BLOCK + len];
            let (mut s1, mut s2, mut sx) = (0i32, 0i32, 0i32);
            for ((&v, &c), &x) in v.iter().zip(call.iter()).zip(xt.iter()) {
                let (v, w, x) = (i32::from(v), i32::from(v * c), i32::from(x));
                s1 += w;
                s2 += w * v;
                sx += v * x;
            }
            o.s1[j] += i64::from(s1);
            o.s2[j] += i64::from(s2);
            o.sx[j] += i64::from(sx);
        }
    }

    /// [`LeanSet::block`] for a block without a missing answer in its columns: no masks, and the
    /// overall item sums are the dimensions' ones.
    fn block_complete(&mut self, cols: &[&[u8]], len: usize, s: &mut Scratch, set: usize) {
        let xt = &mut s.xt[..len];
        xt.fill(0);
        let mut j0 = 0;
        for (d, terms) in self.dims.iter().enumerate() {
            let xd = &mut s.xd[set][d * BLOCK..d * BLOCK + len];
            s.ok[set][d * BLOCK..d * BLOCK + len].fill(1);
            xd.fill(0);
            for (jj, t) in terms.iter().enumerate() {
                let v = &mut s.v[(j0 + jj) * BLOCK..(j0 + jj) * BLOCK + len];
                let p = &cols[t.plus][..len];
                match t.minus {
                    Some(m) => {
                        for (((o, x), &a), &b) in
                            v.iter_mut().zip(xd.iter_mut()).zip(p).zip(&cols[m][..len])
                        {
                            *o = i16::from(a) - i16::from(b);
                            *x += *o;
                        }
                    }
                    None => {
                        for ((o, x), &a) in v.iter_mut().zip(xd.iter_mut()).zip(p) {
                            *o = i16::from(a);
                            *x += *o;
                        }
                    }
                }
            }
            let m = &mut self.dim[d];
            let (mut tx, mut txx) = (0i32, 0i32);
            for (t, &x) in xt.iter_mut().zip(xd.iter()) {
                *t += x;
                tx += i32::from(x);
                txx += i32::from(x) * i32::from(x);
            }
            m.n += len as i64;
            m.tx += i64::from(tx);
            m.txx += i64::from(txx);
            for jj in 0..terms.len() {
                let v = &s.v[(j0 + jj) * BLOCK..(j0 + jj) * BLOCK + len];
                let (s1, s2, sx) = term_sums(v, xd);
                m.s1[jj] += i64::from(s1);
                m.s2[jj] += i64::from(s2);
                m.sx[jj] += i64::from(sx);
                self.s1[j0 + jj] = s1;
                self.s2[j0 + jj] = s2;
            }
            j0 += terms.len();
        }
        let o = &mut self.overall;
        let (mut tx, mut txx) = (0i32, 0i32);
        for &t in xt.iter() {
            tx += i32::from(t);
            txx += i32::from(t) * i32::from(t);
        }
        o.n += len as i64;
        o.tx += i64::from(tx);
        o.txx += i64::from(txx);
        for j in 0..self.k {
            let v = &s.v[j * BLOCK..j * BLOCK + len];
            let mut sx = 0i32;
            for (&v, &x) in v.iter().zip(xt.iter()) {
                sx += i32::from(v) * i32::from(x);
            }
            o.s1[j] += i64::from(self.s1[j]);
            o.s2[j] += i64::from(self.s2[j]);
            o.sx[j] += i64::from(sx);
        }
    }

    /// Row by row in i64, for scales too wide for the i32 block sums (not the built-ins).
    #[allow(clippy::needless_range_loop)]
    fn block_rows(&mut self, cols: &[&[u8]], len: usize, s: &mut Scratch, set: usize) {
        for r in 0..len {
            let mut all = true;
            let mut j0 = 0;
            for (d, terms) in self.dims.iter().enumerate() {
                let mut complete = true;
                let mut total = 0i64;
                for (jj, t) in terms.iter().enumerate() {
                    let a = cols[t.plus][r];
                    let b = t.minus.map_or(0, |m| cols[m][r]);
                    if a == MISSING || b == MISSING {
                        complete = false;
                    } else {
                        let v = i64::from(a) - i64::from(b);
                        s.row[j0 + jj] = v;
                        total += v;
                    }
                }
                if complete {
                    self.dim[d].push(&s.row[j0..j0 + terms.len()]);
                }
                s.wide[set][d * BLOCK + r] = total;
                s.ok[set][d * BLOCK + r] = i16::from(complete);
                all &= complete;
                j0 += terms.len();
            }
            if all {
                self.overall.push(&s.row[..self.k]);
            }
        }
    }
}

/// The mean of the items' scale minimums: the kernels sum answers minus each item's own minimum,
/// so a mean of k items is `Σ(x − min_j)/k + Σ min_j/k`. Items of one dimension may use different
/// scales (e.g. 0–10 beside 1–7); with a common minimum this is that minimum exactly.
fn mean_shift(mins: impl Iterator<Item = impl Into<f64>>) -> f64 {
    let (mut sum, mut k) = (0.0, 0.0);
    for m in mins {
        sum += m.into();
        k += 1.0;
    }
    if k > 0.0 {
        sum / k
    } else {
        0.0
    }
}

/// NPS, its SE, Wald and adjusted-Wald 95 % intervals from the category counts.
pub fn nps_aggregate(promoters: u64, passives: u64, detractors: u64) -> NpsAggregate {
    let n = promoters + passives + detractors;
    if n == 0 {
        let u = Stat::Undefined(Undefined::NoData);
        return NpsAggregate {
            n,
            promoters,
            passives,
            detractors,
            nps: u,
            nps_rounded: None,
            se: u,
            ci_low: u,
            ci_high: u,
            adjusted_wald_low: u,
            adjusted_wald_high: u,
        };
    }
    let (aw_low, aw_high) = adjusted_wald(promoters, detractors, n);
    let nf = n as f64;
    let pp = promoters as f64 / nf;
    let pd = detractors as f64 / nf;
    let nps = 100.0 * (promoters as f64 - detractors as f64) / nf;
    let (se, lo, hi) = if n < 2 {
        let u = Stat::Undefined(Undefined::TooFewRespondents);
        (u, u, u)
    } else {
        let var = (pp + pd - (pp - pd).powi(2)).max(0.0);
        let se = 100.0 * (var / nf).sqrt();
        (
            Stat::Value(se),
            Stat::Value((nps - Z_975 * se).max(-100.0)),
            Stat::Value((nps + Z_975 * se).min(100.0)),
        )
    };
    NpsAggregate {
        n,
        promoters,
        passives,
        detractors,
        nps: Stat::Value(nps),
        nps_rounded: Some(nps.round() as i32),
        se,
        ci_low: lo,
        ci_high: hi,
        adjusted_wald_low: Stat::Value(aw_low),
        adjusted_wald_high: Stat::Value(aw_high),
    }
}

/// The adjusted-Wald 95 % interval of the NPS (Rocks 2016, "Interval estimation for the 'Net
/// Promoter Score'", The American Statistician 70(4)), on −100…+100, for N ≥ 1: add 3/4 of a
/// promoter and 3/4 of a detractor (3 respondents in all, the rest passive), `N' = N + 3`,
/// `p'_P = (n_P + 3/4)/N'`, `p'_D = (n_D + 3/4)/N'`, then the Wald interval of `p'_P − p'_D` with
/// `Var = p'_P + p'_D − (p'_P − p'_D)²` and `SE = √(Var/N')`, clipped to ±100.
pub fn adjusted_wald(promoters: u64, detractors: u64, n: u64) -> (f64, f64) {
    let n_adj = n as f64 + 3.0;
    let pp = (promoters as f64 + 0.75) / n_adj;
    let pd = (detractors as f64 + 0.75) / n_adj;
    let centre = pp - pd;
    let var = (pp + pd - centre * centre).max(0.0);
    let half = Z_975 * (var / n_adj).sqrt();
    (
        (100.0 * (centre - half)).max(-100.0),
        (100.0 * (centre + half)).min(100.0),
    )
}

/// Aggregates a slice of validated responses (convenience over [`Aggregator`]).
pub fn aggregate(inst: &Instrument, responses: &[ValidResponse]) -> AggregateReport {
    let mut a = Aggregator::new(inst);
    for r in responses {
        a.add(r);
    }
    a.finish()
}

/// Σv, Σv² and Σv·x of one term's block `v` against its dimension's sums `x`: the inner loop of both
/// raw-column kernels (kept a plain zip so that it vectorises).
#[inline]
fn term_sums(v: &[i16], x: &[i16]) -> (i32, i32, i32) {
    let (mut s1, mut s2, mut sx) = (0i32, 0i32, 0i32);
    for (&v, &x) in v.iter().zip(x) {
        let (v, x) = (i32::from(v), i32::from(x));
        s1 += v;
        s2 += v * v;
        sx += v * x;
    }
    (s1, s2, sx)
}
