//! Per-response scores. A per-response score is `null` (`None`) only when answers it needs are
//! missing: within a dimension the policy is listwise (every item of the dimension must be answered),
//! and SQ, WSQ and SERVPERF need every dimension.

use serde::{Deserialize, Serialize};

use crate::commitment::{Answers, ExactIndex, OnScale};
use crate::instrument::{CesDirection, Instrument, Scoring, Shape, Slot};
use crate::response::{Flag, ValidResponse};

/// Where a perception lies relative to the zone of tolerance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    /// P < A.
    Below,
    /// A ≤ P ≤ D.
    Inside,
    /// P > D.
    Above,
}

/// Zone position of `p` for adequate `a` and desired `d`; `None` when D < A (inconsistent zone).
pub fn zone_position(a: f64, d: f64, p: f64) -> Option<Position> {
    if d < a {
        None
    } else if p < a {
        Some(Position::Below)
    } else if p > d {
        Some(Position::Above)
    } else {
        Some(Position::Inside)
    }
}

/// NPS category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NpsCategory {
    /// 9–10.
    Promoter,
    /// 7–8.
    Passive,
    /// 0–6.
    Detractor,
}

/// NPS category of a 0–10 answer.
pub fn nps_category(x: i32) -> NpsCategory {
    match x {
        9.. => NpsCategory::Promoter,
        7..=8 => NpsCategory::Passive,
        _ => NpsCategory::Detractor,
    }
}

/// Scores of one response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResponseScores {
    /// Respondent id, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respondent_id: Option<String>,
    /// Inconsistencies (e.g. D < A), reported and not fixed.
    #[serde(default)]
    pub flags: Vec<Flag>,
    /// Method-specific scores.
    pub scores: Scores,
}

/// Method-specific per-response scores (all on reverse-scored values).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "kebab-case")]
pub enum Scores {
    /// SERVQUAL.
    Servqual(ServqualScores),
    /// Zone of tolerance.
    ZoneOfTolerance(ZoneScores),
    /// SERVPERF.
    Servperf(ServperfScores),
    /// Commitment.
    Commitment(CommitmentScores),
    /// NPS.
    Nps(NpsScores),
    /// CSAT.
    Csat(CsatScores),
    /// CES.
    Ces(CesScores),
}

/// SERVQUAL per response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServqualScores {
    /// Per statement.
    pub items: Vec<GapItem>,
    /// Per dimension.
    pub dimensions: Vec<GapDimension>,
    /// SQ: mean of the dimension gaps.
    pub sq: Option<f64>,
    /// WSQ = Σ_d (w_d / 100) · G_d.
    pub wsq: Option<f64>,
    /// SERVPERF: mean of all perceptions.
    pub servperf: Option<f64>,
}

/// One SERVQUAL statement of one response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GapItem {
    /// Statement number.
    pub statement: u32,
    /// Dimension id.
    pub dimension: String,
    /// Expectation (scored).
    pub expectation: Option<i32>,
    /// Perception (scored).
    pub perception: Option<i32>,
    /// G = P − E.
    pub gap: Option<i32>,
}

/// One SERVQUAL dimension of one response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GapDimension {
    /// Dimension id.
    pub dimension: String,
    /// Mean expectation.
    pub expectation: Option<f64>,
    /// Mean perception (SERVPERF of the dimension).
    pub perception: Option<f64>,
    /// Dimension gap: mean of the item gaps.
    pub gap: Option<f64>,
    /// Importance weight w_d / 100.
    pub weight: Option<f64>,
}

/// Zone of tolerance per response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ZoneScores {
    /// Per statement.
    pub items: Vec<ZoneItem>,
    /// Per dimension.
    pub dimensions: Vec<ZoneDimension>,
    /// Mean of the dimension MSAs.
    pub msa: Option<f64>,
    /// Mean of the dimension MSSs.
    pub mss: Option<f64>,
}

/// One zone-of-tolerance statement of one response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ZoneItem {
    /// Statement number.
    pub statement: u32,
    /// Dimension id.
    pub dimension: String,
    /// A.
    pub adequate: Option<i32>,
    /// D.
    pub desired: Option<i32>,
    /// P.
    pub perception: Option<i32>,
    /// MSA = P − A.
    pub msa: Option<i32>,
    /// MSS = P − D.
    pub mss: Option<i32>,
    /// Tolerance width D − A (negative when inconsistent).
    pub width: Option<i32>,
    /// Zone position; `None` when missing or inconsistent.
    pub position: Option<Position>,
    /// D < A.
    pub inconsistent: bool,
}

/// One zone-of-tolerance dimension of one response (means over its statements).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ZoneDimension {
    /// Dimension id.
    pub dimension: String,
    /// Mean A.
    pub adequate: Option<f64>,
    /// Mean D.
    pub desired: Option<f64>,
    /// Mean P.
    pub perception: Option<f64>,
    /// Mean MSA.
    pub msa: Option<f64>,
    /// Mean MSS.
    pub mss: Option<f64>,
    /// Mean width.
    pub width: Option<f64>,
    /// Position of the mean P relative to the mean A and D.
    pub position: Option<Position>,
}

/// SERVPERF per response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServperfScores {
    /// Mean perception per dimension, in dimension order.
    pub dimensions: Vec<PerceptionDimension>,
    /// Mean of all perceptions.
    pub servperf: Option<f64>,
}

/// Mean perception of one dimension.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PerceptionDimension {
    /// Dimension id.
    pub dimension: String,
    /// Mean perception.
    pub perception: Option<f64>,
}

/// Commitment per response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommitmentScores {
    /// Index in [0, 100].
    pub index: Option<f64>,
    /// Segment id.
    pub segment: Option<String>,
}

/// NPS per response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NpsScores {
    /// Answer 0–10.
    pub answer: Option<i32>,
    /// Category.
    pub category: Option<NpsCategory>,
    /// s ∈ {+1, 0, −1}.
    pub s: Option<i32>,
}

/// CSAT per response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CsatScores {
    /// Answer.
    pub answer: Option<i32>,
    /// In the top box.
    pub top_box: Option<bool>,
}

/// CES per response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CesScores {
    /// Answer.
    pub answer: Option<i32>,
    /// Agrees (ease variant with `agree_min`).
    pub agree: Option<bool>,
}

fn mean_of(v: impl IntoIterator<Item = Option<i32>>) -> Option<f64> {
    let mut s = 0i64;
    let mut n = 0i64;
    for x in v {
        s += i64::from(x?);
        n += 1;
    }
    (n > 0).then(|| s as f64 / n as f64)
}

pub(crate) fn mean_f(v: impl IntoIterator<Item = Option<f64>>) -> Option<f64> {
    let mut s = 0.0;
    let mut n = 0usize;
    for x in v {
        s += x?;
        n += 1;
    }
    (n > 0).then(|| s / n as f64)
}

/// Unweighted SERVQUAL score: the mean of the dimension gaps (`None` for no dimensions).
pub fn sq(dimension_gaps: &[f64]) -> Option<f64> {
    mean_f(dimension_gaps.iter().copied().map(Some))
}

/// Weighted SERVQUAL score `Σ_d (w_d / total) · G_d`: `points` are the allocated points (summing to
/// `total`, normally 100), so the weights are fractions.
pub fn wsq(points: &[i32], dimension_gaps: &[f64], total: i32) -> Option<f64> {
    if points.len() != dimension_gaps.len() || total <= 0 {
        return None;
    }
    Some(
        points
            .iter()
            .zip(dimension_gaps)
            .map(|(&w, &g)| f64::from(w) / f64::from(total) * g)
            .sum(),
    )
}

fn sub(a: Option<i32>, b: Option<i32>) -> Option<i32> {
    Some(a? - b?)
}

impl Instrument {
    /// The scored (reverse-scored where flagged) value of slot `i`.
    pub fn scored(&self, r: &ValidResponse, i: usize) -> Option<i32> {
        let s: &Slot = &self.slots()[i];
        r.values.get(i).copied().flatten().map(|v| s.scored(v))
    }

    /// Scores one validated response.
    pub fn score(&self, r: &ValidResponse) -> ResponseScores {
        let v = |i: usize| self.scored(r, i);
        let scores = match (self.scoring(), self.shape()) {
            (Scoring::Servqual, Shape::Dimensional(dims)) => {
                let total = f64::from(self.allocation_total().unwrap_or(100));
                let mut items = Vec::new();
                let mut dimensions = Vec::new();
                for d in dims {
                    let mut gaps = Vec::new();
                    let mut es = Vec::new();
                    let mut ps = Vec::new();
                    for st in &d.statements {
                        let e = st.expectation.and_then(v);
                        let p = v(st.perception);
                        let g = sub(p, e);
                        items.push(GapItem {
                            statement: st.number,
                            dimension: d.id.clone(),
                            expectation: e,
                            perception: p,
                            gap: g,
                        });
                        gaps.push(g);
                        es.push(e);
                        ps.push(p);
                    }
                    dimensions.push(GapDimension {
                        dimension: d.id.clone(),
                        expectation: mean_of(es),
                        perception: mean_of(ps),
                        gap: mean_of(gaps),
                        weight: d.weight.and_then(v).map(|w| f64::from(w) / total),
                    });
                }
                let sq = mean_f(dimensions.iter().map(|d| d.gap));
                let wsq = dimensions
                    .iter()
                    .map(|d| Some(d.weight? * d.gap?))
                    .sum::<Option<f64>>();
                let servperf = mean_of(items.iter().map(|i| i.perception));
                Scores::Servqual(ServqualScores {
                    items,
                    dimensions,
                    sq,
                    wsq,
                    servperf,
                })
            }
            (Scoring::ZoneOfTolerance, Shape::Dimensional(dims)) => {
                let mut items = Vec::new();
                let mut dimensions = Vec::new();
                for d in dims {
                    let start = items.len();
                    for st in &d.statements {
                        let a = st.adequate.and_then(v);
                        let de = st.desired.and_then(v);
                        let p = v(st.perception);
                        let inconsistent = matches!((a, de), (Some(a), Some(d)) if d < a);
                        let position = match (a, de, p) {
                            (Some(a), Some(d), Some(p)) => {
                                zone_position(f64::from(a), f64::from(d), f64::from(p))
                            }
                            _ => None,
                        };
                        items.push(ZoneItem {
                            statement: st.number,
                            dimension: d.id.clone(),
                            adequate: a,
                            desired: de,
                            perception: p,
                            msa: sub(p, a),
                            mss: sub(p, de),
                            width: sub(de, a),
                            position,
                            inconsistent,
                        });
                    }
                    let its = &items[start..];
                    let adequate = mean_of(its.iter().map(|i| i.adequate));
                    let desired = mean_of(its.iter().map(|i| i.desired));
                    let perception = mean_of(its.iter().map(|i| i.perception));
                    let position = match (adequate, desired, perception) {
                        (Some(a), Some(d), Some(p)) => zone_position(a, d, p),
                        _ => None,
                    };
                    dimensions.push(ZoneDimension {
                        dimension: d.id.clone(),
                        adequate,
                        desired,
                        perception,
                        msa: mean_of(its.iter().map(|i| i.msa)),
                        mss: mean_of(its.iter().map(|i| i.mss)),
                        width: mean_of(its.iter().map(|i| i.width)),
                        position,
                    });
                }
                let msa = mean_f(dimensions.iter().map(|d| d.msa));
                let mss = mean_f(dimensions.iter().map(|d| d.mss));
                Scores::ZoneOfTolerance(ZoneScores {
                    items,
                    dimensions,
                    msa,
                    mss,
                })
            }
            (_, Shape::Dimensional(dims)) => {
                let dimensions: Vec<PerceptionDimension> = dims
                    .iter()
                    .map(|d| PerceptionDimension {
                        dimension: d.id.clone(),
                        perception: mean_of(d.statements.iter().map(|s| v(s.perception))),
                    })
                    .collect();
                let servperf = mean_of(
                    dims.iter()
                        .flat_map(|d| d.statements.iter().map(|s| v(s.perception))),
                );
                Scores::Servperf(ServperfScores {
                    dimensions,
                    servperf,
                })
            }
            (
                Scoring::Commitment(model),
                Shape::Commitment {
                    satisfaction,
                    involvement,
                    appeal,
                    difference,
                },
            ) => {
                let n = |i: usize| {
                    let s = &self.slots()[i];
                    v(i).map(|value| OnScale {
                        value,
                        min: s.min,
                        max: s.max,
                    })
                };
                // Exact: an index on a threshold lands in the segment that starts there.
                let exact = (|| {
                    model.exact_index(Answers {
                        satisfaction: n(*satisfaction)?,
                        involvement: n(*involvement)?,
                        appeal: n(*appeal)?,
                        difference: n(*difference),
                    })
                })();
                Scores::Commitment(CommitmentScores {
                    index: exact.map(ExactIndex::value),
                    segment: exact
                        .and_then(|c| model.segment_of(c))
                        .map(|s| s.id.clone()),
                })
            }
            (Scoring::Nps, Shape::Single(i)) => {
                let answer = v(*i);
                let category = answer.map(nps_category);
                Scores::Nps(NpsScores {
                    answer,
                    category,
                    s: category.map(|c| match c {
                        NpsCategory::Promoter => 1,
                        NpsCategory::Passive => 0,
                        NpsCategory::Detractor => -1,
                    }),
                })
            }
            (Scoring::Csat { top_box_min }, Shape::Single(i)) => {
                let answer = v(*i);
                Scores::Csat(CsatScores {
                    answer,
                    top_box: answer.map(|x| x >= *top_box_min),
                })
            }
            (Scoring::Ces { agree_min, .. }, Shape::Single(i)) => {
                let answer = v(*i);
                Scores::Ces(CesScores {
                    answer,
                    agree: agree_min.and_then(|m| answer.map(|x| x >= m)),
                })
            }
            // Instrument::new only builds matching method/shape pairs; keep a harmless answer anyway.
            _ => Scores::Csat(CsatScores {
                answer: None,
                top_box: None,
            }),
        };
        ResponseScores {
            respondent_id: r.respondent_id.clone(),
            flags: r.flags.clone(),
            scores,
        }
    }
}

impl ResponseScores {
    /// The headline scores as named columns (for CSV output and tables): dimension scores, then the
    /// overall scores. The column set depends only on the instrument.
    pub fn columns(&self) -> Vec<(String, Option<f64>)> {
        let mut c = Vec::new();
        match &self.scores {
            Scores::Servqual(s) => {
                for d in &s.dimensions {
                    c.push((format!("gap_{}", d.dimension), d.gap));
                }
                for d in &s.dimensions {
                    c.push((format!("perception_{}", d.dimension), d.perception));
                }
                for d in &s.dimensions {
                    c.push((format!("weight_{}", d.dimension), d.weight));
                }
                c.push(("sq".into(), s.sq));
                c.push(("wsq".into(), s.wsq));
                c.push(("servperf".into(), s.servperf));
            }
            Scores::ZoneOfTolerance(s) => {
                for d in &s.dimensions {
                    c.push((format!("msa_{}", d.dimension), d.msa));
                    c.push((format!("mss_{}", d.dimension), d.mss));
                }
                c.push(("msa".into(), s.msa));
                c.push(("mss".into(), s.mss));
                let below = s
                    .items
                    .iter()
                    .filter(|i| i.position == Some(Position::Below))
                    .count();
                let above = s
                    .items
                    .iter()
                    .filter(|i| i.position == Some(Position::Above))
                    .count();
                c.push(("items_below_zone".into(), Some(below as f64)));
                c.push(("items_above_zone".into(), Some(above as f64)));
            }
            Scores::Servperf(s) => {
                for d in &s.dimensions {
                    c.push((format!("perception_{}", d.dimension), d.perception));
                }
                c.push(("servperf".into(), s.servperf));
            }
            Scores::Commitment(s) => c.push(("index".into(), s.index)),
            Scores::Nps(s) => {
                c.push(("answer".into(), s.answer.map(f64::from)));
                c.push(("s".into(), s.s.map(f64::from)));
            }
            Scores::Csat(s) => {
                c.push(("answer".into(), s.answer.map(f64::from)));
                c.push(("top_box".into(), s.top_box.map(|b| f64::from(u8::from(b)))));
            }
            Scores::Ces(s) => {
                c.push(("answer".into(), s.answer.map(f64::from)));
                c.push(("agree".into(), s.agree.map(|b| f64::from(u8::from(b)))));
            }
        }
        c
    }

    /// A text label column, if the method has one (commitment segment, NPS category).
    pub fn label(&self) -> Option<(&'static str, String)> {
        match &self.scores {
            Scores::Commitment(s) => Some(("segment", s.segment.clone().unwrap_or_default())),
            Scores::Nps(s) => Some((
                "category",
                s.category
                    .map(|c| {
                        serde_json::to_value(c)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_owned))
                            .unwrap_or_default()
                    })
                    .unwrap_or_default(),
            )),
            _ => None,
        }
    }
}

impl CesDirection {
    /// Whether a lower answer is better.
    pub fn lower_is_better(self) -> bool {
        matches!(self, CesDirection::LowerIsBetter)
    }
}
