//! Aggregate scores over many responses, streamed: responses are scored one by one, packed into a
//! bounded columnar buffer, and the buffer is folded into exact moments by the packed kernels when it
//! fills. Memory does not grow with the number of responses.
//!
//! Missing answers: listwise deletion per scale. A respondent contributes to a dimension's statistics
//! only when every item of that dimension is answered (for gaps: both E and P), and to the overall
//! statistics (overall alpha, SQ, WSQ, SERVPERF) only when every item is answered. Each statistic
//! reports the n it used.

use serde::{Deserialize, Serialize};

use crate::instrument::{CesDirection, Instrument, InstrumentRef, Scoring, Shape};
use crate::packed::{PackedColumns, ScaleSet, Term, MISSING};
use crate::response::{Flag, ValidResponse};
use crate::score::{zone_position, NpsCategory, Position, ResponseScores, Scores};
use crate::stats::{MeanCi, Moments, Reliability, Stat, Undefined, Z_975};

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
        scores
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
        let results = match (inst.scoring(), inst.shape()) {
            (Scoring::Servqual, Shape::Dimensional(dims)) => {
                let (gap, per, exp) = (&self.sets[0], &self.sets[1], &self.sets[2]);
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
                    let min = shifts.first().copied().unwrap_or(0.0);
                    dimensions.push(ServqualDimension {
                        dimension: dl.id.clone(),
                        gap: gap.dimension(d).total_mean_ci(k, 0.0),
                        expectation: exp.dimension(d).total_mean_ci(k, min),
                        perception: per.dimension(d).total_mean_ci(k, min),
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
                let min = all_shifts.first().copied().unwrap_or(0.0);
                AggregateResults::Servqual(ServqualAggregate {
                    dimensions,
                    sq: self.sq.mean_ci(),
                    wsq: self.wsq.mean_ci(),
                    servperf: per.overall().total_mean_ci(k, min),
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
                    let min = shifts.first().copied().unwrap_or(0.0);
                    let adequate = self.sets[4].dimension(d).total_mean_ci(k, min);
                    let desired = self.sets[5].dimension(d).total_mean_ci(k, min);
                    let perception = self.sets[3].dimension(d).total_mean_ci(k, min);
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
                        msa: self.sets[0].dimension(d).total_mean_ci(k, 0.0),
                        mss: self.sets[1].dimension(d).total_mean_ci(k, 0.0),
                        width: self.sets[2].dimension(d).total_mean_ci(k, 0.0),
                        position,
                        reliability_perception: self.sets[3]
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
                    reliability_perception: self.sets[3].overall().reliability(&all_p, &all_shifts),
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
                    let min = shifts.first().copied().unwrap_or(0.0);
                    dimensions.push(ServperfDimension {
                        dimension: dl.id.clone(),
                        perception: self.sets[0].dimension(d).total_mean_ci(k, min),
                        reliability: self.sets[0].dimension(d).reliability(&names, &shifts),
                    });
                    all_p.extend(names);
                    all_shifts.extend(shifts);
                }
                let k = all_p.len() as f64;
                let min = all_shifts.first().copied().unwrap_or(0.0);
                AggregateResults::Servperf(ServperfAggregate {
                    dimensions,
                    servperf: self.sets[0].overall().total_mean_ci(k, min),
                    reliability: self.sets[0].overall().reliability(&all_p, &all_shifts),
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

/// NPS, its SE and Wald 95 % interval from the category counts.
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
        };
    }
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
    }
}

/// Aggregates a slice of validated responses (convenience over [`Aggregator`]).
pub fn aggregate(inst: &Instrument, responses: &[ValidResponse]) -> AggregateReport {
    let mut a = Aggregator::new(inst);
    for r in responses {
        a.add(r);
    }
    a.finish()
}
