//! Custom definitions scored exactly (issue 21): mixed scales within a dimension and commitment
//! indices exactly on a threshold. Native only (proptest).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use rapport_core::VecMap;

use common::*;
use proptest::prelude::*;
use rapport_core::aggregate::AggregateResults;
use rapport_core::commitment::{Segment, MAX_DECIMALS};
use rapport_core::instrument::{Dimension, EndLabels, Item, Role, Scale, Section};
use rapport_core::packed::MISSING;
use rapport_core::score::Scores;
use rapport_core::{
    builtin_def, Aggregator, Instrument, InstrumentDef, MeanCi, Scoring, Stat, ValidResponse,
};

/// One statement of a generated definition: its dimension, scale and reverse flags by role.
#[derive(Clone, Debug)]
struct Stmt {
    dim: usize,
    min: i32,
    span: i32,
    reverse: [bool; 3],
}

fn stmt() -> impl Strategy<Value = Stmt> {
    // Mostly short scales, some wide ones (up to the 254-point limit), minimums around 0.
    let span = prop_oneof![4 => 1i32..=10, 1 => 11i32..=254];
    (0usize..3, -10i32..=10, span, any::<[bool; 3]>()).prop_map(|(dim, min, span, reverse)| Stmt {
        dim,
        min,
        span,
        reverse,
    })
}

fn roles(method: usize) -> &'static [Role] {
    match method {
        0 => &[Role::Expectation, Role::Perception],
        1 => &[Role::Adequate, Role::Desired, Role::Perception],
        _ => &[Role::Perception],
    }
}

fn prefix(r: Role) -> &'static str {
    match r {
        Role::Expectation => "E",
        Role::Adequate => "A",
        Role::Desired => "D",
        _ => "P",
    }
}

/// A definition of `method` (0 SERVQUAL, 1 zone of tolerance, 2 SERVPERF) with the statements'
/// own scales; dimensions without a statement are left out.
fn definition(method: usize, stmts: &[Stmt]) -> InstrumentDef {
    let labels = VecMap::from([(
        "en".to_owned(),
        EndLabels {
            min: "low".into(),
            max: "high".into(),
        },
    )]);
    let mut items = Vec::new();
    for (n, s) in stmts.iter().enumerate() {
        for (j, &r) in roles(method).iter().enumerate() {
            items.push(Item {
                id: format!("{}{}", prefix(r), n + 1),
                role: r,
                statement: Some(n as u32 + 1),
                dimension: Some(format!("D{}", s.dim)),
                scale: Scale {
                    min: s.min,
                    max: s.min + s.span,
                    labels: labels.clone(),
                },
                reverse: s.reverse[j],
                required: false,
                text: en("statement"),
            });
        }
    }
    let mut dims: Vec<usize> = stmts.iter().map(|s| s.dim).collect();
    dims.sort_unstable();
    dims.dedup();
    InstrumentDef {
        id: "custom".into(),
        version: "1".into(),
        hash: String::new(),
        languages: vec!["en".into()],
        title: en("Custom"),
        scoring: match method {
            0 => Scoring::Servqual,
            1 => Scoring::ZoneOfTolerance,
            _ => Scoring::Servperf,
        },
        dimensions: dims
            .iter()
            .map(|d| Dimension {
                id: format!("D{d}"),
                name: en("dimension"),
            })
            .collect(),
        sections: vec![Section {
            id: "s".into(),
            title: en("S"),
            intro: VecMap::new(),
            items,
        }],
        allocation: None,
    }
}

/// Answers by slot from random draws: a draw below 20 (of 256) is a missing answer.
fn answers(inst: &Instrument, draws: &[(u8, u16)]) -> Vec<Option<i64>> {
    inst.slots()
        .iter()
        .zip(draws.iter().cycle())
        .map(|(s, &(miss, x))| {
            (miss >= 20).then(|| i64::from(s.min) + i64::from(x) % i64::from(s.max - s.min + 1))
        })
        .collect()
}

/// The mean and count of the per-respondent values that are defined.
fn mean_of(v: impl Iterator<Item = Option<f64>>) -> (u64, Option<f64>) {
    let xs: Vec<f64> = v.flatten().collect();
    let n = xs.len() as u64;
    (n, (n > 0).then(|| xs.iter().sum::<f64>() / n as f64))
}

fn agrees(what: &str, agg: &MeanCi, expected: (u64, Option<f64>)) -> Result<(), TestCaseError> {
    prop_assert_eq!(agg.n, expected.0, "{}: n", what);
    match (agg.mean, expected.1) {
        (Stat::Value(a), Some(b)) => prop_assert!(
            (a - b).abs() <= 1e-9 * b.abs().max(1.0),
            "{}: aggregate {} but mean of respondents {}",
            what,
            a,
            b
        ),
        (Stat::Undefined(_), None) => {}
        (a, b) => prop_assert!(false, "{}: aggregate {:?} but respondents {:?}", what, a, b),
    }
    Ok(())
}

/// Every aggregate mean of `report` equals the mean of the per-respondent scores.
fn check(report: &AggregateResults, scores: &[Scores]) -> Result<(), TestCaseError> {
    match report {
        AggregateResults::Servqual(a) => {
            let s: Vec<_> = scores
                .iter()
                .map(|s| match s {
                    Scores::Servqual(s) => s,
                    _ => unreachable!(),
                })
                .collect();
            for (d, ad) in a.dimensions.iter().enumerate() {
                let of = |f: fn(&rapport_core::score::GapDimension) -> Option<f64>| {
                    mean_of(s.iter().map(|r| f(&r.dimensions[d])))
                };
                agrees("expectation", &ad.expectation, of(|x| x.expectation))?;
                agrees("perception", &ad.perception, of(|x| x.perception))?;
                agrees("gap", &ad.gap, of(|x| x.gap))?;
            }
            agrees(
                "servperf",
                &a.servperf,
                mean_of(s.iter().map(|r| r.servperf)),
            )?;
            agrees("sq", &a.sq, mean_of(s.iter().map(|r| r.sq)))?;
        }
        AggregateResults::ZoneOfTolerance(a) => {
            let s: Vec<_> = scores
                .iter()
                .map(|s| match s {
                    Scores::ZoneOfTolerance(s) => s,
                    _ => unreachable!(),
                })
                .collect();
            for (d, ad) in a.dimensions.iter().enumerate() {
                let of = |f: fn(&rapport_core::score::ZoneDimension) -> Option<f64>| {
                    mean_of(s.iter().map(|r| f(&r.dimensions[d])))
                };
                agrees("adequate", &ad.adequate, of(|x| x.adequate))?;
                agrees("desired", &ad.desired, of(|x| x.desired))?;
                agrees("perception", &ad.perception, of(|x| x.perception))?;
                agrees("msa", &ad.msa, of(|x| x.msa))?;
                agrees("mss", &ad.mss, of(|x| x.mss))?;
                agrees("width", &ad.width, of(|x| x.width))?;
            }
            agrees("msa", &a.msa, mean_of(s.iter().map(|r| r.msa)))?;
        }
        AggregateResults::Servperf(a) => {
            let s: Vec<_> = scores
                .iter()
                .map(|s| match s {
                    Scores::Servperf(s) => s,
                    _ => unreachable!(),
                })
                .collect();
            for (d, ad) in a.dimensions.iter().enumerate() {
                agrees(
                    "perception",
                    &ad.perception,
                    mean_of(s.iter().map(|r| r.dimensions[d].perception)),
                )?;
            }
            agrees(
                "servperf",
                &a.servperf,
                mean_of(s.iter().map(|r| r.servperf)),
            )?;
        }
        _ => unreachable!(),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Mixed scales, reverse-scored items, wide scales: the aggregate mean of every score equals the
    /// mean of the per-respondent scores, on both the scoring path (`add`, the CLI) and the raw
    /// column path (`add_raw_columns`, the analyst view).
    #[test]
    fn aggregate_means_are_means_of_respondent_scores(
        method in 0usize..3,
        stmts in prop::collection::vec(stmt(), 1..8),
        rows in prop::collection::vec(prop::collection::vec((any::<u8>(), any::<u16>()), 1..30), 0..25),
    ) {
        let inst = Instrument::new(definition(method, &stmts)).expect("valid definition");
        let valid: Vec<ValidResponse> = rows
            .iter()
            .map(|d| inst.validate_values(None, &answers(&inst, d)).expect("valid answers"))
            .collect();
        let mut agg = Aggregator::new(&inst);
        let scores: Vec<Scores> = valid.iter().map(|v| agg.add(v).scores).collect();
        check(&agg.finish().results, &scores)?;

        // The same answers as raw columns (answer minus the item's minimum).
        let cols: Vec<Vec<u8>> = inst
            .slots()
            .iter()
            .enumerate()
            .map(|(i, s)| {
                valid
                    .iter()
                    .map(|v| v.values[i].map_or(MISSING, |x| u8::try_from(x - s.min).unwrap()))
                    .collect()
            })
            .collect();
        let view: Vec<&[u8]> = cols.iter().map(Vec::as_slice).collect();
        let mut lean = Aggregator::new(&inst);
        prop_assert!(lean.add_raw_columns(&view));
        check(&lean.finish().results, &scores)?;
    }
}

/// The example: E1/P1 on 0–10, the rest on 1–7, two respondents answering 5 everywhere.
#[test]
fn servqual_with_one_statement_on_another_scale() {
    let mut def = builtin_def("servqual").expect("built-in");
    for s in &mut def.sections {
        for it in &mut s.items {
            if it.id == "E1" || it.id == "P1" {
                it.scale.min = 0;
                it.scale.max = 10;
            }
        }
    }
    def.id = "servqual-mixed".into();
    def.hash = String::new();
    let inst = Instrument::new(def).expect("mixed scales are accepted");
    let five = vec![Some(5); inst.slots().len()];
    let mut values = five.clone();
    // No allocation answers (all empty is allowed).
    for (v, s) in values.iter_mut().zip(inst.slots()) {
        if s.id.starts_with("W_") {
            *v = None;
        }
    }
    let r = inst.validate_values(None, &values).expect("valid");
    let mut agg = Aggregator::new(&inst);
    agg.add(&r);
    agg.add(&r);
    let AggregateResults::Servqual(a) = agg.finish().results else {
        panic!("servqual")
    };
    let tan = &a.dimensions[0];
    assert_eq!(tan.dimension, "TAN");
    assert_eq!(tan.expectation.mean, Stat::Value(5.0));
    assert_eq!(tan.perception.mean, Stat::Value(5.0));
    assert_eq!(a.servperf.mean, Stat::Value(5.0));
    assert_eq!(tan.gap.mean, Stat::Value(0.0));
}

// ----- commitment -----

/// A commitment definition on the given scales (min, max) for SAT, INV, ALT, DIF, with weights in
/// millionths and thresholds (from the top) in millionths.
fn commitment_def(scales: [(i32, i32); 4], weights: [i64; 3], thresholds: &[i64]) -> InstrumentDef {
    let mut def = builtin_def("commitment-customer").expect("built-in");
    let ids = ["SAT", "INV", "ALT", "DIF"];
    for s in &mut def.sections {
        for it in &mut s.items {
            if let Some(k) = ids.iter().position(|&id| id == it.id) {
                it.scale.min = scales[k].0;
                it.scale.max = scales[k].1;
            }
        }
    }
    let Scoring::Commitment(m) = &mut def.scoring else {
        panic!("commitment")
    };
    let name = m.segments[0].name.clone();
    m.weights.satisfaction = weights[0] as f64 / 1e6;
    m.weights.involvement = weights[1] as f64 / 1e6;
    m.weights.resistance = weights[2] as f64 / 1e6;
    m.segments = thresholds
        .iter()
        .enumerate()
        .map(|(i, &t)| Segment {
            id: format!("s{i}"),
            min_index: t as f64 / 1e6,
            name: name.clone(),
        })
        .collect();
    def.id = "commitment-custom".into();
    def.hash = String::new();
    def
}

/// The index as an exact fraction, computed here independently: `100 · Σ w·x / Σ w` with
/// `x` = s, v, 1 − a·(1 − f) on [0, 1], weights in millionths.
fn exact(scales: [(i32, i32); 4], weights: [i64; 3], a: [i32; 4]) -> (i128, i128) {
    let part = |k: usize| {
        (
            i128::from(a[k] - scales[k].0),
            i128::from(scales[k].1 - scales[k].0),
        )
    };
    let ((s, ds), (v, dv), (p, dp), (f, df)) = (part(0), part(1), part(2), part(3));
    let w: Vec<i128> = weights.iter().map(|&w| i128::from(w)).collect();
    // Over ds·dv·dp·df.
    let num = 100
        * (w[0] * s * dv * dp * df
            + w[1] * v * ds * dp * df
            + w[2] * (dp * df - p * (df - f)) * ds * dv);
    let den = (w[0] + w[1] + w[2]) * ds * dv * dp * df;
    (num, den)
}

fn combos(scales: [(i32, i32); 4]) -> Vec<[i32; 4]> {
    let mut out = Vec::new();
    for s in scales[0].0..=scales[0].1 {
        for v in scales[1].0..=scales[1].1 {
            for p in scales[2].0..=scales[2].1 {
                for f in scales[3].0..=scales[3].1 {
                    out.push([s, v, p, f]);
                }
            }
        }
    }
    out
}

fn segment_of(inst: &Instrument, a: [i32; 4]) -> (f64, String) {
    let r = inst
        .validate_values(
            None,
            &a.iter().map(|&x| Some(i64::from(x))).collect::<Vec<_>>(),
        )
        .expect("valid");
    let Scores::Commitment(c) = inst.score(&r).scores else {
        panic!("commitment")
    };
    (c.index.expect("index"), c.segment.expect("segment"))
}

fn scale() -> impl Strategy<Value = (i32, i32)> {
    (-3i32..=3, 1i32..=6).prop_map(|(min, span)| (min, min + span))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Every answer combination, with random attainable thresholds (exact indices of some
    /// combinations that are decimals), lands in the segment its exact index belongs to.
    #[test]
    fn commitment_segments_follow_the_exact_index(
        scales in prop::array::uniform4(scale()),
        weights in prop::array::uniform3(prop_oneof![0i64..=2_000_000, (0i64..=20).prop_map(|w| w * 100_000)]),
        picks in prop::collection::vec(any::<prop::sample::Index>(), 1..5),
    ) {
        prop_assume!(weights.iter().sum::<i64>() > 0);
        let all = combos(scales);
        // Attainable thresholds: exact indices that are decimals with at most 6 places, in millionths.
        let mut attainable: Vec<i64> = all
            .iter()
            .filter_map(|&a| {
                let (num, den) = exact(scales, weights, a);
                let micro = num * 1_000_000;
                (micro % den == 0).then(|| (micro / den) as i64)
            })
            .filter(|&t| t > 0)
            .collect();
        attainable.sort_unstable();
        attainable.dedup();
        prop_assume!(!attainable.is_empty());
        let mut thresholds: Vec<i64> = picks.iter().map(|i| attainable[i.index(attainable.len())]).collect();
        thresholds.sort_unstable_by(|a, b| b.cmp(a));
        thresholds.dedup();
        thresholds.push(0);
        let inst = Instrument::new(commitment_def(scales, weights, &thresholds)).expect("valid definition");
        for a in all {
            let (num, den) = exact(scales, weights, a);
            // First threshold t (millionths) with num/den ≥ t / 10⁶.
            let want = thresholds
                .iter()
                .position(|&t| num * 1_000_000 >= i128::from(t) * den)
                .expect("last threshold is 0");
            let (index, segment) = segment_of(&inst, a);
            prop_assert_eq!(&segment, &format!("s{want}"), "answers {:?}: index {} = {}/{}", a, index, num, den);
            prop_assert!((index - num as f64 / den as f64).abs() <= 1e-12 * 100.0);
        }
    }
}

/// The case: with thresholds 90/30/20/10/0 on the built-in scales and weights, SAT 7,
/// INV 6, ALT 4, DIF 5 is exactly 90 and in the top segment; no combination lands one segment down.
#[test]
fn commitment_index_exactly_on_ninety() {
    let scales = [(1, 7); 4];
    let weights = [400_000, 200_000, 400_000];
    let thresholds = [90_000_000, 30_000_000, 20_000_000, 10_000_000, 0];
    let inst = Instrument::new(commitment_def(scales, weights, &thresholds)).expect("valid");
    let (index, segment) = segment_of(&inst, [7, 6, 4, 5]);
    assert_eq!(index, 90.0);
    assert_eq!(segment, "s0");
    let mut on_threshold = 0;
    for a in combos(scales) {
        let (num, den) = exact(scales, weights, a);
        let want = thresholds
            .iter()
            .position(|&t| num * 1_000_000 >= i128::from(t) * den)
            .expect("0");
        if thresholds
            .iter()
            .any(|&t| num * 1_000_000 == i128::from(t) * den)
        {
            on_threshold += 1;
        }
        assert_eq!(segment_of(&inst, a).1, format!("s{want}"), "{a:?}");
    }
    assert!(
        on_threshold >= 6,
        "the issue found 6 combinations on a threshold, saw {on_threshold}"
    );
}

#[test]
fn commitment_weights_and_thresholds_need_short_decimals() {
    let ok = commitment_def([(1, 7); 4], [400_000, 200_000, 400_000], &[75_000_000, 0]);
    assert!(Instrument::new(ok.clone()).is_ok());
    let mut bad = ok.clone();
    if let Scoring::Commitment(m) = &mut bad.scoring {
        m.weights.involvement = 1.0 / 3.0;
        m.segments[0].min_index = 100.0 / 3.0;
    }
    let errs = Instrument::new(bad).expect_err("refused");
    let text: Vec<String> = errs.iter().map(ToString::to_string).collect();
    assert!(
        text.iter()
            .any(|e| e.contains("weights.involvement") && e.contains(&MAX_DECIMALS.to_string())),
        "{text:?}"
    );
    assert!(
        text.iter().any(|e| e.contains("segment s0: min_index")),
        "{text:?}"
    );
    // Thresholds outside 0..=100 are never compared exactly, so any finite value is fine there.
    let mut outside = ok;
    if let Scoring::Commitment(m) = &mut outside.scoring {
        m.segments[1].min_index = -1.0 / 3.0;
    }
    assert!(Instrument::new(outside).is_ok());
}
