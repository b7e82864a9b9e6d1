//! Property tests (native only: proptest does not run in Wasm).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use proptest::prelude::*;
use rapport_core::aggregate::AggregateResults;
use rapport_core::commitment::{CommitmentModel, Normalised};
use rapport_core::packed::{PackedColumns, ScaleSet, Term, MISSING};
use rapport_core::score::Scores;
use rapport_core::stats::ScaleMoments;
use rapport_core::{aggregate, Scoring, Stat};

fn answers22() -> impl Strategy<Value = [i64; 22]> {
    prop::array::uniform22(1i64..=7)
}

fn allocation() -> impl Strategy<Value = [i64; 5]> {
    // Four cut points in 0..=100 give five non-negative parts summing to 100.
    prop::array::uniform4(0i64..=100).prop_map(|mut c| {
        c.sort();
        [c[0], c[1] - c[0], c[2] - c[1], c[3] - c[2], 100 - c[3]]
    })
}

fn model(name: &str) -> CommitmentModel {
    match inst(name).scoring() {
        Scoring::Commitment(m) => m.clone(),
        _ => unreachable!(),
    }
}

fn unit() -> impl Strategy<Value = f64> {
    0.0f64..=1.0
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn swapping_e_and_p_negates_gaps(e in answers22(), p in answers22(), w in allocation()) {
        let inst = inst("servqual");
        let a = inst.score(&valid_owned(&inst, &servqual_answers(&e, &p, Some(w))));
        let b = inst.score(&valid_owned(&inst, &servqual_answers(&p, &e, Some(w))));
        let (Scores::Servqual(a), Scores::Servqual(b)) = (a.scores, b.scores) else { panic!() };
        for (x, y) in a.items.iter().zip(&b.items) {
            prop_assert_eq!(x.gap.unwrap(), -y.gap.unwrap());
        }
        for (x, y) in a.dimensions.iter().zip(&b.dimensions) {
            prop_assert!(close(x.gap.unwrap(), -y.gap.unwrap(), 1e-12));
        }
        prop_assert!(close(a.sq.unwrap(), -b.sq.unwrap(), 1e-12));
        prop_assert!(close(a.wsq.unwrap(), -b.wsq.unwrap(), 1e-12));
    }

    #[test]
    fn allocation_weights_sum_to_one(w in allocation(), p in answers22()) {
        let inst = inst("servqual");
        let r = inst.score(&valid_owned(&inst, &servqual_answers(&[4; 22], &p, Some(w))));
        let Scores::Servqual(s) = r.scores else { panic!() };
        let sum: f64 = s.dimensions.iter().map(|d| d.weight.unwrap()).sum();
        prop_assert!(close(sum, 1.0, 1e-12));
        prop_assert!(s.dimensions.iter().all(|d| d.weight.unwrap() >= 0.0));
    }

    #[test]
    fn alpha_never_exceeds_one(rows in prop::collection::vec(prop::collection::vec(-6i64..=6, 4), 0..40)) {
        let mut m = ScaleMoments::new(4);
        for r in &rows {
            m.push(r);
        }
        if let Stat::Value(a) = m.alpha() {
            prop_assert!(a <= 1.0, "alpha {}", a);
        }
        for j in 0..4 {
            if let Stat::Value(a) = m.alpha_if_deleted(j) {
                prop_assert!(a <= 1.0);
            }
            if let Stat::Value(r) = m.corrected_item_total_r(j) {
                prop_assert!((-1.0..=1.0).contains(&r));
            }
        }
    }

    #[test]
    fn aggregate_is_invariant_to_respondent_order(
        data in prop::collection::vec((answers22(), answers22(), allocation(), 0usize..60), 2..25),
        seed in any::<u64>(),
    ) {
        let inst = inst("servqual");
        let rs: Vec<_> = data.iter().map(|(e, p, w, drop)| {
            let mut a = servqual_answers(e, p, Some(*w));
            // Drop one answer now and then, so the listwise paths are exercised too.
            if *drop < a.len() - 5 && drop % 3 == 0 { a.remove(*drop); }
            valid_owned(&inst, &a)
        }).collect();
        let mut shuffled = rs.clone();
        // Deterministic Fisher–Yates driven by the seed.
        let mut s = seed | 1;
        for i in (1..shuffled.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            shuffled.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let (a, b) = (aggregate(&inst, &rs), aggregate(&inst, &shuffled));
        let (AggregateResults::Servqual(a), AggregateResults::Servqual(b)) = (a.results, b.results) else { panic!() };
        // Integer-moment statistics are bit-identical; Welford means agree to rounding.
        prop_assert_eq!(&a.dimensions, &b.dimensions.iter().map(|d| {
            let mut d = d.clone(); d.weight = a.dimensions.iter().find(|x| x.dimension == d.dimension).unwrap().weight; d
        }).collect::<Vec<_>>());
        prop_assert_eq!(&a.reliability_gap, &b.reliability_gap);
        prop_assert_eq!(&a.reliability_perception, &b.reliability_perception);
        prop_assert_eq!(a.sq.n, b.sq.n);
        if let (Some(x), Some(y)) = (a.sq.mean.value(), b.sq.mean.value()) {
            prop_assert!(close(x, y, 1e-12));
        }
        for (x, y) in a.dimensions.iter().zip(&b.dimensions) {
            if let (Some(x), Some(y)) = (x.weight.mean.value(), y.weight.mean.value()) {
                prop_assert!(close(x, y, 1e-12));
            }
        }
    }

    #[test]
    fn commitment_index_monotonicity(s in unit(), v in unit(), a in unit(), f in unit(),
                                     ds in unit(), dv in unit(), da in unit(), df in unit(),
                                     noncustomer in any::<bool>()) {
        let m = model(if noncustomer { "commitment-noncustomer" } else { "commitment-customer" });
        let base = Normalised { satisfaction: s, involvement: v, appeal: a, favour_current: Some(f) };
        let c = m.index(base).unwrap();
        prop_assert!((0.0..=100.0).contains(&c));
        let up = |x: f64, d: f64| (x + d * (1.0 - x)).min(1.0);
        // Higher satisfaction or involvement never lowers commitment.
        let more_sat = m.index(Normalised { satisfaction: up(s, ds), ..base }).unwrap();
        let more_inv = m.index(Normalised { involvement: up(v, dv), ..base }).unwrap();
        prop_assert!(more_sat >= c - 1e-12);
        prop_assert!(more_inv >= c - 1e-12);
        // A more attractive alternative never raises it.
        let more_appeal = m.index(Normalised { appeal: up(a, da), ..base }).unwrap();
        prop_assert!(more_appeal <= c + 1e-12);
        // A larger difference in favour of the current supplier never lowers it.
        let more_favour = m.index(Normalised { favour_current: Some(up(f, df)), ..base }).unwrap();
        prop_assert!(more_favour >= c - 1e-12);
        // Segments follow the index: a higher index never lands in a lower segment.
        let rank = |x: f64| m.segments.iter().position(|sg| x >= sg.min_index).unwrap();
        let hi = m.index(Normalised { satisfaction: up(s, ds), ..base }).unwrap();
        prop_assert!(rank(hi) <= rank(c));
    }

    #[test]
    fn commitment_monotone_on_answers(sat in 1i64..=7, inv in 1i64..=7, alt in 1i64..=6, dif in 1i64..=6) {
        let inst = inst("commitment-customer");
        let idx = |s: i64, i: i64, a: i64, d: i64| {
            let Scores::Commitment(c) = inst.score(&valid(&inst, &[("SAT", s), ("INV", i), ("ALT", a), ("DIF", d)])).scores
                else { panic!() };
            c.index.unwrap()
        };
        let c = idx(sat, inv, alt, dif);
        prop_assert!(idx(sat, inv, alt + 1, dif) <= c + 1e-12);
        prop_assert!(idx(sat, inv, alt, dif + 1) >= c - 1e-12);
        if sat < 7 { prop_assert!(idx(sat + 1, inv, alt, dif) >= c - 1e-12); }
        if inv < 7 { prop_assert!(idx(sat, inv + 1, alt, dif) >= c - 1e-12); }
    }

    #[test]
    fn packed_kernel_matches_row_by_row(
        mut rows in prop::collection::vec(prop::collection::vec(0u8..=6, 6), 0..900),
        holes in prop::collection::vec(any::<prop::sample::Index>(), 0..4),
    ) {
        // A few holes: most blocks stay complete (fast path), the others go row by row.
        let n = rows.len() * 6;
        if n > 0 {
            for h in &holes {
                let i = h.index(n);
                rows[i / 6][i % 6] = MISSING;
            }
        }
        // Columns 0..3 are E, 3..6 are P; dimensions {0,1} and {2}: the gap P − E.
        let mut packed = PackedColumns::new(6, rows.len().max(1));
        for r in &rows { packed.push_row(r); }
        let terms = vec![
            vec![Term { plus: 3, minus: Some(0) }, Term { plus: 4, minus: Some(1) }],
            vec![Term { plus: 5, minus: Some(2) }],
        ];
        let mut set = ScaleSet::new(terms, 6);
        set.accumulate(&packed.columns());
        let (mut d0, mut d1, mut all) = (ScaleMoments::new(2), ScaleMoments::new(1), ScaleMoments::new(3));
        for r in &rows {
            let g = |p: usize, e: usize| (r[p] != MISSING && r[e] != MISSING).then(|| i64::from(r[p]) - i64::from(r[e]));
            let (a, b, c) = (g(3, 0), g(4, 1), g(5, 2));
            if let (Some(a), Some(b)) = (a, b) { d0.push(&[a, b]); }
            if let Some(c) = c { d1.push(&[c]); }
            if let (Some(a), Some(b), Some(c)) = (a, b, c) { all.push(&[a, b, c]); }
        }
        prop_assert_eq!(set.dimension(0), &d0);
        prop_assert_eq!(set.dimension(1), &d1);
        prop_assert_eq!(set.overall(), &all);
    }
}
