//! `Aggregator::add_raw_columns` gives exactly the report of `Aggregator::add` on the same responses.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use proptest::prelude::*;
use rapport_core::packed::MISSING;
use rapport_core::{aggregate, Aggregator, Instrument, ValidResponse, BUILTIN_NAMES};

/// Every built-in, plus a SERVPERF with reverse-scored items (no built-in has one).
fn instruments() -> Vec<Instrument> {
    let mut v: Vec<Instrument> = BUILTIN_NAMES.iter().map(|n| inst(n)).collect();
    let mut def = servperf_def(&[("A", 3), ("B", 2)]);
    for it in &mut def.sections[0].items {
        it.reverse = it.id == "P2" || it.id == "P4";
    }
    v.push(Instrument::new(def).expect("valid custom definition"));
    // Wide scales: block sums would overflow i32, so the kernel goes row by row.
    let mut wide = servperf_def(&[("A", 12), ("B", 8)]);
    wide.id = "wide".into();
    for it in &mut wide.sections[0].items {
        it.scale.min = 0;
        it.scale.max = 200;
    }
    v.push(Instrument::new(wide).expect("valid wide definition"));
    // A SERVQUAL on 0–200 scales: its gaps go through the wide kernel and into SQ and WSQ.
    let mut sq = inst("servqual").def().clone();
    sq.id = "wide-servqual".into();
    sq.hash = String::new();
    for it in sq.sections.iter_mut().flat_map(|s| s.items.iter_mut()) {
        it.scale.min = 0;
        it.scale.max = 200;
    }
    v.push(Instrument::new(sq).expect("valid wide SERVQUAL"));
    v
}

/// Raw answers for every slot from random draws: `None` for a draw below 0.1, otherwise a value
/// spread over the slot's scale; allocation columns get a valid split of the total half the time.
fn rows_for(
    inst: &Instrument,
    draws: &[Vec<f64>],
    splits: &[Option<[i64; 5]>],
) -> Vec<ValidResponse> {
    let slots = inst.slots();
    let mut out = Vec::new();
    for (row, split) in draws.iter().zip(splits) {
        let mut values: Vec<Option<i64>> = slots
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let u = row[i % row.len()];
                (u >= 0.1).then(|| {
                    let span = f64::from(s.max - s.min + 1);
                    i64::from(s.min) + (((u - 0.1) / 0.9) * span).floor().min(span - 1.0) as i64
                })
            })
            .collect();
        let alloc: Vec<usize> = ["W_TAN", "W_REL", "W_RES", "W_ASS", "W_EMP"]
            .iter()
            .filter_map(|id| inst.slot_of(id))
            .collect();
        for (k, &s) in alloc.iter().enumerate() {
            values[s] = split.map(|w| w[k]);
        }
        if let Ok(v) = inst.validate_values(None, &values) {
            out.push(v);
        }
    }
    out
}

fn columns(inst: &Instrument, rows: &[ValidResponse]) -> Vec<Vec<u8>> {
    inst.slots()
        .iter()
        .enumerate()
        .map(|(i, s)| {
            rows.iter()
                .map(|r| match r.values[i] {
                    Some(x) => u8::try_from(x - s.min).unwrap_or(MISSING),
                    None => MISSING,
                })
                .collect()
        })
        .collect()
}

fn split() -> impl Strategy<Value = Option<[i64; 5]>> {
    prop::option::of(prop::array::uniform4(0i64..=100).prop_map(|mut c| {
        c.sort();
        [c[0], c[1] - c[0], c[2] - c[1], c[3] - c[2], 100 - c[3]]
    }))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn raw_columns_match_add(
        draws in prop::collection::vec(prop::collection::vec(0.0f64..1.0, 49), 0..40),
        splits in prop::collection::vec(split(), 40),
        cut in 0usize..40,
    ) {
        for inst in instruments() {
            let rows = rows_for(&inst, &draws, &splits);
            let expected = aggregate(&inst, &rows);
            let cols = columns(&inst, &rows);
            let cut = cut.min(rows.len());
            let mut agg = Aggregator::new(&inst);
            // Two calls, to show that blocks can be fed in pieces.
            let first: Vec<&[u8]> = cols.iter().map(|c| &c[..cut]).collect();
            let second: Vec<&[u8]> = cols.iter().map(|c| &c[cut..]).collect();
            prop_assert!(agg.add_raw_columns(&first));
            prop_assert!(agg.add_raw_columns(&second));
            prop_assert_eq!(agg.finish(), expected, "instrument {}", inst.def().id);
        }
    }
}

#[test]
fn mismatched_columns_are_refused() {
    let inst = inst("nps");
    let mut agg = Aggregator::new(&inst);
    let a = [0u8, 1];
    let b = [0u8];
    assert!(!agg.add_raw_columns(&[&a, &b]));
    assert!(!agg.add_raw_columns(&[]));
    assert!(agg.add_raw_columns(&[&a]));
    assert_eq!(agg.n(), 2);
}

#[test]
fn many_blocks_match_add() {
    // Several kernel blocks (256 rows) per call, and calls that end mid-block.
    let draws: Vec<Vec<f64>> = (0..1500)
        .map(|r| {
            (0..49)
                .map(|i| ((r * 53 + i * 7) as f64 * 0.754_877_666).fract())
                .collect()
        })
        .collect();
    let splits: Vec<Option<[i64; 5]>> = (0..1500)
        .map(|r| (r % 3 != 0).then_some([10, 20, 30, 25, 15]))
        .collect();
    for inst in instruments() {
        let rows = rows_for(&inst, &draws, &splits);
        let cols = columns(&inst, &rows);
        let mut agg = Aggregator::new(&inst);
        let mut start = 0;
        for cut in [300, 301, 1000, rows.len()] {
            let cut = cut.min(rows.len()).max(start);
            let part: Vec<&[u8]> = cols.iter().map(|c| &c[start..cut]).collect();
            assert!(agg.add_raw_columns(&part));
            start = cut;
        }
        assert_eq!(
            agg.finish(),
            aggregate(&inst, &rows),
            "instrument {}",
            inst.def().id
        );
    }
}

#[test]
fn complete_blocks_match_add() {
    // No missing answer at all: whole blocks take the kernel's path for complete data; a few
    // incomplete rows later mix both paths.
    for inst in instruments() {
        let draws: Vec<Vec<f64>> = (0..700)
            .map(|r| {
                (0..49)
                    .map(|i| {
                        let u = ((r * 31 + i * 17) as f64 * 0.618_034).fract();
                        if r > 600 {
                            u
                        } else {
                            0.1 + 0.9 * u
                        }
                    })
                    .collect()
            })
            .collect();
        let splits: Vec<Option<[i64; 5]>> = (0..700).map(|_| Some([30, 10, 20, 20, 20])).collect();
        let rows = rows_for(&inst, &draws, &splits);
        let cols = columns(&inst, &rows);
        let mut agg = Aggregator::new(&inst);
        let view: Vec<&[u8]> = cols.iter().map(Vec::as_slice).collect();
        assert!(agg.add_raw_columns(&view));
        assert_eq!(
            agg.finish(),
            aggregate(&inst, &rows),
            "instrument {}",
            inst.def().id
        );
        assert!(rows.len() > 600, "{}: {} rows", inst.def().id, rows.len());
    }
}

#[test]
fn generated_rows_are_mostly_valid() {
    // The property above is only as good as its data: most random rows must be valid responses.
    let draws: Vec<Vec<f64>> = (0..50)
        .map(|r| {
            (0..49)
                .map(|i| ((r * 49 + i) as f64 * 0.618_034).fract())
                .collect()
        })
        .collect();
    let splits: Vec<Option<[i64; 5]>> = (0..50).map(|r| (r % 2 == 0).then_some([20; 5])).collect();
    for inst in instruments() {
        let rows = rows_for(&inst, &draws, &splits);
        assert!(
            rows.len() >= 5,
            "{}: {} valid rows",
            inst.def().id,
            rows.len()
        );
    }
}
