//! Hand-computed examples and edge cases. These also run as Wasm (wasm-bindgen-test in node).

mod common;

use common::*;
use rapport_core::aggregate::{nps_aggregate, AggregateResults};
use rapport_core::commitment::{normalise, Normalised};
use rapport_core::score::{sq, wsq, zone_position, NpsCategory, Position, Scores};
use rapport_core::stats::{f_quantile, feldt_ci, t_quantile_975, ScaleMoments};
use rapport_core::{aggregate, Flag, Instrument, Stat, Undefined, BUILTIN_NAMES};

macro_rules! t {
    ($(#[$m:meta])* fn $name:ident() $body:block) => {
        $(#[$m])*
        #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
        #[cfg_attr(not(target_arch = "wasm32"), test)]
        fn $name() $body
    };
}

fn v(s: Stat) -> f64 {
    s.value().unwrap_or_else(|| panic!("undefined: {s:?}"))
}

t!(
    fn published_sq_example() {
        // Parasuraman et al.: dimension gaps −0.65, −1.10, −0.83, −0.70, −1.01 → SQ = −4.29 / 5 = −0.858.
        let s = sq(&[-0.65, -1.10, -0.83, -0.70, -1.01]).unwrap();
        assert!(close(s, -0.858, 1e-12), "{s}");
    }
);

t!(
    fn weighted_sq_divides_points_by_100() {
        // 0.2·(−1) + 0.3·(−2) + 0.15·0 + 0.2·0.5 + 0.15·(−0.8) = −0.82 (not −82).
        let w = wsq(&[20, 30, 15, 20, 15], &[-1.0, -2.0, 0.0, 0.5, -0.8], 100).unwrap();
        assert!(close(w, -0.82, 1e-12), "{w}");
    }
);

fn base_p() -> [i64; 22] {
    [
        5, 5, 4, 6, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 7, 6, 6, 5, 5, 5, 5, 6,
    ]
}

t!(
    fn servqual_response_hand_computed() {
        let inst = inst("servqual");
        let r = valid_owned(
            &inst,
            &servqual_answers(&[6; 22], &base_p(), Some([20, 30, 15, 20, 15])),
        );
        let Scores::Servqual(s) = inst.score(&r).scores else {
            panic!()
        };
        // TAN: 5,5,4,6 − 6 → −1,−1,−2,0 → −1; REL all −2; RES all 0; ASS +1,+1,0,0 → 0.5;
        // EMP −1,−1,−1,−1,0 → −0.8.
        let gaps: Vec<f64> = s.dimensions.iter().map(|d| d.gap.unwrap()).collect();
        for (g, e) in gaps.iter().zip([-1.0, -2.0, 0.0, 0.5, -0.8]) {
            assert!(close(*g, e, 1e-12), "{gaps:?}");
        }
        assert_eq!(s.items[2].gap, Some(-2));
        assert!(close(s.sq.unwrap(), -0.66, 1e-12)); // −3.3 / 5
        assert!(close(s.wsq.unwrap(), -0.82, 1e-12));
        assert!(close(s.servperf.unwrap(), 116.0 / 22.0, 1e-12)); // ΣP = 20+20+24+26+26
        let wsum: f64 = s.dimensions.iter().map(|d| d.weight.unwrap()).sum();
        assert!(close(wsum, 1.0, 1e-12));
        assert!(close(s.dimensions[0].perception.unwrap(), 5.0, 1e-12));
    }
);

t!(
    fn servqual_missing_answer_is_listwise_per_dimension() {
        let inst = inst("servqual");
        let mut a = servqual_answers(&[6; 22], &base_p(), None);
        a.retain(|(k, _)| k != "P3");
        let Scores::Servqual(s) = inst.score(&valid_owned(&inst, &a)).scores else {
            panic!()
        };
        assert_eq!(s.dimensions[0].gap, None);
        assert!(s.dimensions[1].gap.is_some());
        assert_eq!(s.sq, None);
        assert_eq!(s.wsq, None); // no allocation either
        assert_eq!(s.servperf, None);
    }
);

t!(
    fn reverse_scored_1988_definition() {
        let mut def = rapport_core::builtin_def("servqual").unwrap();
        def.id = "servqual-1988".into();
        def.version = "1988".into();
        for it in def.sections.iter_mut().flat_map(|s| s.items.iter_mut()) {
            let n = it.statement.unwrap();
            it.reverse = (10..=13).contains(&n) || (18..=22).contains(&n);
        }
        let inst = Instrument::new(def).unwrap();
        let mut e = [6i64; 22];
        let mut p = base_p();
        // Negatively worded item 10: raw E = 2, P = 5 mean E' = 8 − 2 = 6, P' = 8 − 5 = 3, gap −3.
        e[9] = 2;
        p[9] = 5;
        // Items 11–13 raw 2 → 6 on both sides (gap 0); empathy raw: E 2 → 6; P 3 → 5.
        for i in [10, 11, 12] {
            e[i] = 2;
            p[i] = 2;
        }
        for i in 17..22 {
            e[i] = 2;
            p[i] = 3;
        }
        let Scores::Servqual(s) = inst
            .score(&valid_owned(&inst, &servqual_answers(&e, &p, None)))
            .scores
        else {
            panic!()
        };
        assert_eq!(s.items[9].expectation, Some(6));
        assert_eq!(s.items[9].perception, Some(3));
        assert_eq!(s.items[9].gap, Some(-3));
        assert!(close(s.dimensions[2].gap.unwrap(), -0.75, 1e-12)); // (−3+0+0+0)/4
        assert!(close(s.dimensions[4].gap.unwrap(), -1.0, 1e-12)); // 5 − 6 on each
                                                                   // Unreversed items are untouched.
        assert_eq!(s.items[0].gap, Some(-1));
    }
);

/// Three items, four respondents (rows): (1,2,2) (2,2,3) (3,4,3) (4,4,5).
/// Item variances (n−1): 5/3, 4/3, 4.75/3 → Σ = 13.75/3. Totals 5,7,10,13: mean 8.75,
/// Σdev² = 14.0625+3.0625+1.5625+18.0625 = 36.75 → s²_X = 36.75/3.
/// α = 3/2 · (1 − 13.75/36.75) = 1.5 · 23/36.75 = 46/49 ≈ 0.938776.
/// Item 1 vs rest (4,5,7,9): Σ d1·dR = 8.5, Σd1² = 5, ΣdR² = 14.75 → r = 8.5/√73.75 ≈ 0.989766.
/// Without item 1: α = 2 · (1 − (4 + 4.75)/14.75) = 48/59 ≈ 0.813559.
fn alpha_data() -> ScaleMoments {
    let mut m = ScaleMoments::new(3);
    for row in [[1, 2, 2], [2, 2, 3], [3, 4, 3], [4, 4, 5]] {
        m.push(&row);
    }
    m
}

t!(
    fn alpha_hand_computed() {
        let m = alpha_data();
        assert!(close(v(m.alpha()), 46.0 / 49.0, 1e-14));
        assert!(close(
            v(m.corrected_item_total_r(0)),
            8.5 / 73.75f64.sqrt(),
            1e-14
        ));
        assert!(close(v(m.alpha_if_deleted(0)), 48.0 / 59.0, 1e-14));
    }
);

t!(
    fn alpha_through_instrument_matches_hand_computation() {
        let inst = Instrument::new(servperf_def(&[("A", 3), ("B", 1)])).unwrap();
        let rows = [[1, 2, 2, 1], [2, 2, 3, 5], [3, 4, 3, 2], [4, 4, 5, 7]];
        let rs: Vec<_> = rows
            .iter()
            .map(|r| {
                valid(
                    &inst,
                    &[("P1", r[0]), ("P2", r[1]), ("P3", r[2]), ("P4", r[3])],
                )
            })
            .collect();
        let rep = aggregate(&inst, &rs);
        let AggregateResults::Servperf(s) = rep.results else {
            panic!()
        };
        let a = &s.dimensions[0].reliability;
        assert_eq!((a.n, a.k), (4, 3));
        assert!(close(v(a.alpha), 46.0 / 49.0, 1e-14));
        assert!(close(v(a.items[0].alpha_if_deleted), 48.0 / 59.0, 1e-14));
        // Single-item dimension: alpha does not exist.
        let b = &s.dimensions[1].reliability;
        assert_eq!(b.alpha, Stat::Undefined(Undefined::TooFewItems));
        assert_eq!(
            b.items[0].corrected_item_total_r,
            Stat::Undefined(Undefined::TooFewItems)
        );
        // Dimension mean of A: totals 5, 7, 10, 13 → item means 5/3, 7/3, 10/3, 13/3; mean 35/12.
        assert!(close(
            v(s.dimensions[0].perception.mean),
            35.0 / 12.0,
            1e-12
        ));
    }
);

t!(
    fn quantiles_match_tables() {
        // Student t (two-sided 95 %) and F from standard tables, to 30-digit values computed independently.
        for (df, q) in [
            (1.0, 12.706204736174693),
            (2.0, 4.302652729749462),
            (9.0, 2.262157162798205),
            (30.0, 2.042272456301238),
            (1000.0, 1.962339080826408),
        ] {
            let got = t_quantile_975(df);
            assert!(close(got, q, 1e-9 * q), "t({df}) = {got}, want {q}");
        }
        assert!(close(
            f_quantile(0.975, 10.0, 10.0),
            3.716791864597365,
            1e-9
        ));
        assert!(close(
            f_quantile(0.025, 10.0, 10.0),
            0.2690492328949198,
            1e-10
        ));
        assert!(close(f_quantile(0.975, 9.0, 36.0), 2.492244508891609, 1e-9));
    }
);

t!(
    fn feldt_interval_known_value() {
        // α = 0.8, n = 100, k = 10: df 99 and 891; F(0.975) = 1.319757704696332,
        // F(0.025) = 0.7315409045437447 → [1 − 0.2·1.31976, 1 − 0.2·0.73154] = [0.736048, 0.853692].
        let (lo, hi) = feldt_ci(Stat::Value(0.8), 100, 10);
        assert!(close(v(lo), 1.0 - 0.2 * 1.319757704696332, 1e-9), "{lo:?}");
        assert!(close(v(hi), 1.0 - 0.2 * 0.7315409045437447, 1e-9), "{hi:?}");
        let (lo, _) = feldt_ci(Stat::Undefined(Undefined::ZeroVariance), 100, 10);
        assert_eq!(lo, Stat::Undefined(Undefined::ZeroVariance));
    }
);

t!(
    fn nps_with_se_example() {
        // 50 promoters, 30 passives, 20 detractors: NPS = 30; Var(s) = 0.5 + 0.2 − 0.3² = 0.61;
        // SE = 100·√(0.61/100) = 7.81025; CI = 30 ± 1.959964·7.81025 = [14.6923, 45.3077].
        let a = nps_aggregate(50, 30, 20);
        assert!(close(v(a.nps), 30.0, 1e-12));
        assert_eq!(a.nps_rounded, Some(30));
        assert!(close(v(a.se), 7.810249675906654, 1e-10));
        assert!(close(
            v(a.ci_low),
            30.0 - 1.959963984540054 * 7.810249675906654,
            1e-9
        ));
        assert!(close(
            v(a.ci_high),
            30.0 + 1.959963984540054 * 7.810249675906654,
            1e-9
        ));
        let one = nps_aggregate(1, 0, 0);
        assert!(close(v(one.nps), 100.0, 0.0));
        assert_eq!(one.se, Stat::Undefined(Undefined::TooFewRespondents));
        assert_eq!(
            nps_aggregate(0, 0, 0).nps,
            Stat::Undefined(Undefined::NoData)
        );
    }
);

t!(
    fn nps_categories_and_aggregate_through_instrument() {
        let inst = inst("nps");
        let rs: Vec<_> = [10, 9, 8, 7, 6, 0]
            .iter()
            .map(|&x| valid(&inst, &[("NPS", x)]))
            .collect();
        let Scores::Nps(s) = inst.score(&rs[4]).scores else {
            panic!()
        };
        assert_eq!(s.category, Some(NpsCategory::Detractor));
        let AggregateResults::Nps(a) = aggregate(&inst, &rs).results else {
            panic!()
        };
        assert_eq!((a.promoters, a.passives, a.detractors), (2, 2, 2));
        assert!(close(v(a.nps), 0.0, 1e-12));
    }
);

t!(
    fn zone_positions() {
        assert_eq!(zone_position(4.0, 7.0, 3.0), Some(Position::Below));
        assert_eq!(zone_position(4.0, 7.0, 4.0), Some(Position::Inside));
        assert_eq!(zone_position(4.0, 7.0, 7.0), Some(Position::Inside));
        assert_eq!(zone_position(4.0, 7.0, 8.0), Some(Position::Above));
        assert_eq!(zone_position(7.0, 5.0, 6.0), None);
    }
);

t!(
    fn zone_response_flags_desired_below_adequate() {
        let inst = inst("servqual-zot");
        let mut a = Vec::new();
        for i in 1..=22 {
            a.push((format!("A{i}"), 4));
            a.push((format!("D{i}"), 7));
            a.push((format!("P{i}"), 6));
        }
        a[0].1 = 8; // A1 = 8 > D1 = 7: inconsistent
        a[5].1 = 9; // P2 = 9: above
        a[8].1 = 2; // P3 = 2: below
        let r = valid_owned(&inst, &a);
        assert!(matches!(
            r.flags.as_slice(),
            [Flag::InconsistentZone {
                statement: 1,
                adequate: 8,
                desired: 7,
                ..
            }]
        ));
        let scored = inst.score(&r);
        let Scores::ZoneOfTolerance(z) = &scored.scores else {
            panic!()
        };
        // Reported, not fixed: A stays 8, width −1, position unclassified.
        assert_eq!(
            (z.items[0].adequate, z.items[0].width, z.items[0].position),
            (Some(8), Some(-1), None)
        );
        assert!(z.items[0].inconsistent);
        assert_eq!(z.items[1].position, Some(Position::Above));
        assert_eq!(z.items[2].position, Some(Position::Below));
        assert_eq!(z.items[3].msa, Some(2));
        assert_eq!(z.items[3].mss, Some(-1));
        // TAN: P 6, 9, 2, 6 → 23/4; A 8, 4, 4, 4 → 5; MSA = 5.75 − 5 = 0.75.
        assert!(close(z.dimensions[0].msa.unwrap(), 0.75, 1e-12));
        let AggregateResults::ZoneOfTolerance(agg) = aggregate(&inst, &[r]).results else {
            panic!()
        };
        assert_eq!(agg.inconsistent_responses, 1);
        assert_eq!(agg.dimensions[0].items[0].inconsistent, 1);
        assert_eq!(agg.dimensions[0].items[2].below, 1);
    }
);

t!(
    fn commitment_index_hand_computed() {
        let inst = inst("commitment-customer");
        // s = (6−1)/6, v = (4−1)/6, a = (5−1)/6, f = (2−1)/6: pull = 4/6 · 5/6 = 20/36;
        // C = 100·(0.4·5/6 + 0.2·3/6 + 0.4·(1 − 20/36)) = 100·(0.33333 + 0.1 + 0.17778) = 61.111.
        let r = valid(&inst, &[("SAT", 6), ("INV", 4), ("ALT", 5), ("DIF", 2)]);
        let Scores::Commitment(c) = inst.score(&r).scores else {
            panic!()
        };
        let want = 100.0 * (0.4 * 5.0 / 6.0 + 0.2 * 0.5 + 0.4 * (1.0 - 20.0 / 36.0));
        assert!(close(c.index.unwrap(), want, 1e-12));
        assert_eq!(c.segment.as_deref(), Some("average"));
        // Nothing else appeals: question 4 is not needed.
        let r = valid(&inst, &[("SAT", 7), ("INV", 7), ("ALT", 1)]);
        let Scores::Commitment(c) = inst.score(&r).scores else {
            panic!()
        };
        assert!(close(c.index.unwrap(), 100.0, 1e-12));
        assert_eq!(c.segment.as_deref(), Some("entrenched"));
        // Something appeals but question 4 is unanswered: undefined, not guessed.
        let r = valid(&inst, &[("SAT", 7), ("INV", 7), ("ALT", 3)]);
        let Scores::Commitment(c) = inst.score(&r).scores else {
            panic!()
        };
        assert_eq!((c.index, c.segment), (None, None));
        let r = valid(&inst, &[("SAT", 1), ("INV", 1), ("ALT", 7), ("DIF", 1)]);
        let Scores::Commitment(c) = inst.score(&r).scores else {
            panic!()
        };
        assert!(close(c.index.unwrap(), 0.0, 1e-12));
        assert_eq!(c.segment.as_deref(), Some("convertible"));
        assert!(close(normalise(4, 1, 7), 0.5, 0.0));
        let _ = Normalised {
            satisfaction: 0.0,
            involvement: 0.0,
            appeal: 0.0,
            favour_current: None,
        };
    }
);

t!(
    fn noncustomer_segments() {
        let inst = inst("commitment-noncustomer");
        let r = valid(&inst, &[("SAT", 2), ("INV", 2), ("ALT", 7), ("DIF", 1)]);
        let Scores::Commitment(c) = inst.score(&r).scores else {
            panic!()
        };
        assert_eq!(c.segment.as_deref(), Some("available"));
        let r = valid(&inst, &[("SAT", 7), ("INV", 6), ("ALT", 2), ("DIF", 7)]);
        let Scores::Commitment(c) = inst.score(&r).scores else {
            panic!()
        };
        assert_eq!(c.segment.as_deref(), Some("strongly-unavailable"));
        let AggregateResults::Commitment(a) = aggregate(&inst, &[r.clone(), r]).results else {
            panic!()
        };
        assert_eq!(a.segments[0].count, 2);
        assert!(close(v(a.segments[0].percent), 100.0, 1e-12));
        assert!(close(v(a.segments[3].percent), 0.0, 1e-12));
    }
);

t!(
    fn csat_and_ces() {
        let inst = inst("csat");
        let rs: Vec<_> = [5, 4, 3, 1]
            .iter()
            .map(|&x| valid(&inst, &[("CSAT", x)]))
            .collect();
        let AggregateResults::Csat(a) = aggregate(&inst, &rs).results else {
            panic!()
        };
        assert!(close(v(a.csat_percent), 50.0, 1e-12));
        assert!(close(v(a.mean.mean), 3.25, 1e-12));
        let ease = common::inst("ces-ease");
        let rs: Vec<_> = [7, 5, 4]
            .iter()
            .map(|&x| valid(&ease, &[("CES", x)]))
            .collect();
        let AggregateResults::Ces(a) = aggregate(&ease, &rs).results else {
            panic!()
        };
        assert!(close(v(a.agree_percent.unwrap()), 200.0 / 3.0, 1e-12));
        assert!(close(v(a.mean.mean), 16.0 / 3.0, 1e-12));
        let effort = common::inst("ces-effort");
        let AggregateResults::Ces(a) = aggregate(&effort, &[valid(&effort, &[("CES", 2)])]).results
        else {
            panic!()
        };
        assert!(a.agree_percent.is_none());
        assert!(a.direction.lower_is_better());
    }
);

t!(
    fn servqual_aggregate_ci_and_edge_cases() {
        let inst = inst("servqual");
        let mk = |tan: i64| {
            let mut p = base_p();
            p[..4].copy_from_slice(&[tan; 4]);
            valid_owned(
                &inst,
                &servqual_answers(&[6; 22], &p, Some([20, 20, 20, 20, 20])),
            )
        };
        // TAN gaps −1, −2, 0: mean −1, s = 1, CI −1 ± t(2)·1/√3.
        let rs = vec![mk(5), mk(4), mk(6)];
        let rep = aggregate(&inst, &rs);
        let AggregateResults::Servqual(s) = &rep.results else {
            panic!()
        };
        let tan = &s.dimensions[0];
        assert_eq!(tan.gap.n, 3);
        assert!(close(v(tan.gap.mean), -1.0, 1e-12));
        assert!(close(v(tan.gap.sd), 1.0, 1e-12));
        let half = 4.302652729749462 / 3f64.sqrt();
        assert!(close(v(tan.gap.ci_low), -1.0 - half, 1e-9));
        assert!(close(v(tan.gap.ci_high), -1.0 + half, 1e-9));
        // REL gaps are −2 for everyone: constant items, alpha undefined (zero variance), CI of zero width.
        let rel = &s.dimensions[1];
        assert_eq!(
            rel.reliability_gap.alpha,
            Stat::Undefined(Undefined::ZeroVariance)
        );
        assert_eq!(
            rel.reliability_gap.items[0].corrected_item_total_r,
            Stat::Undefined(Undefined::ZeroVariance)
        );
        assert!(close(v(rel.gap.ci_low), -2.0, 1e-12));
        assert!(close(v(tan.weight.mean), 0.2, 1e-12));
        assert!(close(v(tan.expectation.mean), 6.0, 1e-12));
        // n = 1: means exist, spreads and alpha do not.
        let rep1 = aggregate(&inst, &rs[..1]);
        let AggregateResults::Servqual(s1) = &rep1.results else {
            panic!()
        };
        assert_eq!(s1.sq.n, 1);
        assert!(close(v(s1.sq.mean), -0.66, 1e-12));
        assert_eq!(s1.sq.sd, Stat::Undefined(Undefined::TooFewRespondents));
        assert_eq!(
            s1.reliability_gap.alpha,
            Stat::Undefined(Undefined::TooFewRespondents)
        );
        // No response at all.
        let rep0 = aggregate(&inst, &[]);
        let AggregateResults::Servqual(s0) = &rep0.results else {
            panic!()
        };
        assert_eq!(s0.sq.mean, Stat::Undefined(Undefined::NoData));
        assert_eq!(
            s0.dimensions[0].reliability_gap.alpha,
            Stat::Undefined(Undefined::NoData)
        );
        // JSON never carries NaN and spells out why a statistic is missing.
        let json = serde_json::to_string(&rep0).unwrap();
        assert!(!json.contains("NaN"));
        assert!(json.contains(r#"{"value":null,"undefined":"no_data"}"#));
    }
);

t!(
    fn all_answers_missing() {
        let inst = inst("servqual");
        let rs = vec![valid(&inst, &[]), valid(&inst, &[])];
        let rep = aggregate(&inst, &rs);
        assert_eq!(rep.n_responses, 2);
        let AggregateResults::Servqual(s) = &rep.results else {
            panic!()
        };
        assert_eq!(s.dimensions[0].gap.n, 0);
        assert_eq!(s.dimensions[0].gap.mean, Stat::Undefined(Undefined::NoData));
        assert_eq!(s.servperf.mean, Stat::Undefined(Undefined::NoData));
        let Scores::Servqual(one) = inst.score(&rs[0]).scores else {
            panic!()
        };
        assert_eq!((one.sq, one.wsq, one.servperf), (None, None, None));
        assert_eq!(rep.missing_policy.policy, "listwise_per_scale");
    }
);

t!(
    fn builtins_are_complete_and_stable() {
        let mut hashes = std::collections::BTreeSet::new();
        for name in BUILTIN_NAMES {
            let i = inst(name);
            assert_eq!(i.def().id, name);
            assert_eq!(i.def().hash.len(), 64);
            assert_eq!(i.def().hash, i.def().compute_hash());
            assert!(hashes.insert(i.def().hash.clone()));
            // Round trip through JSON keeps the identity.
            let back = Instrument::from_json(&i.to_json()).unwrap();
            assert_eq!(back.reference(), i.reference());
            for it in i.def().sections.iter().flat_map(|s| s.items.iter()) {
                assert!(!it.reverse, "{name} {} is reversed", it.id);
                for l in ["en", "nl", "de"] {
                    assert!(!it.text[l].is_empty());
                }
            }
        }
        let sq = inst("servqual");
        let ids: Vec<&str> = sq.slots().iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids.len(), 49);
        assert_eq!(&ids[..2], &["E1", "E2"]);
        assert_eq!(ids[22], "P1");
        assert_eq!(&ids[44..], &["W_TAN", "W_REL", "W_RES", "W_ASS", "W_EMP"]);
        let dims: Vec<usize> = match sq.shape() {
            rapport_core::instrument::Shape::Dimensional(d) => {
                d.iter().map(|d| d.statements.len()).collect()
            }
            _ => panic!(),
        };
        assert_eq!(dims, vec![4, 5, 4, 4, 5]);
        assert_eq!(inst("servqual-zot").slots().len(), 66);
        assert!(rapport_core::builtin("nope").is_none());
    }
);
