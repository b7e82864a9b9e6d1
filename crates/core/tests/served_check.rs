//! The survey's check of a served definition (`Instrument::check_served`, no messages) takes exactly
//! the definitions `Instrument::from_served` takes, and compiles them the same: built-in definitions
//! broken in many ways at once, each way one of the rules the check enforces.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use rapport_core::instrument::{Allocation, AllocationColumn, CesDirection, Item, Role};
use rapport_core::{builtin_def, CommitmentModel, InstrumentDef, Scoring, BUILTIN_NAMES};
use rapport_core::{Instrument, VecMap};

/// One way to break (or merely change) a definition; `a` and `b` pick what it applies to.
fn mutate(d: &mut InstrumentDef, kind: u8, a: usize, b: usize) {
    let n_items: usize = d.sections.iter().map(|s| s.items.len()).sum();
    let pick = |n: usize, x: usize| if n == 0 { None } else { Some(x % n) };
    let lang = ["en", "nl", "de", "fr"][b % 4].to_owned();
    let role = Role::ALL[b % Role::ALL.len()];
    match kind {
        0 => d.id = [" ", "", "x"][a % 3].into(),
        1 => d.version = [" ", "", "2"][a % 3].into(),
        2 => d.languages.truncate(a % 2),
        3 => {
            d.languages.push(lang);
        }
        4 => drop(d.title.remove(&lang)),
        5 => drop(d.title.insert(lang, " ".into())),
        6 => {
            if let Some(i) = pick(d.dimensions.len(), a) {
                match b % 3 {
                    0 => {
                        d.dimensions.push(d.dimensions[i].clone());
                    }
                    1 => drop(d.dimensions[i].name.remove("nl")),
                    _ => drop(d.dimensions.remove(i)),
                }
            }
        }
        7 => {
            if let Some(i) = pick(d.sections.len(), a) {
                match b % 4 {
                    0 => {
                        d.sections.push(d.sections[i].clone());
                    }
                    1 => drop(d.sections[i].intro.insert("en".into(), "x".into())),
                    2 => drop(d.sections[i].title.remove("de")),
                    _ => d.sections[i].items.clear(),
                }
            }
        }
        8 => {
            if let Some(it) = item_at(d, n_items, a) {
                it.id = [" ", "E1", "P1", "NPS", "W_TAN", "new"][b % 6].into();
            }
        }
        9 => {
            if let Some(it) = item_at(d, n_items, a) {
                match b % 5 {
                    0 => it.scale.max = it.scale.min,
                    1 => it.scale.max = it.scale.min + 255,
                    2 => it.scale.min -= 1,
                    3 => it.scale.max += 1,
                    _ => it.scale.max = it.scale.min - 1,
                }
            }
        }
        10 => {
            if let Some(it) = item_at(d, n_items, a) {
                it.dimension = [
                    None,
                    Some("NOPE".into()),
                    Some("TAN".into()),
                    Some("REL".into()),
                ][b % 4]
                    .clone();
            }
        }
        11 => {
            if let Some(it) = item_at(d, n_items, a) {
                match b % 3 {
                    0 => drop(it.text.remove("en")),
                    1 => drop(it.scale.labels.remove("de")),
                    _ => {
                        if let Some(l) = it.scale.labels.get_mut("nl") {
                            l.max = "".into();
                        }
                    }
                }
            }
        }
        12 => {
            if let Some(it) = item_at(d, n_items, a) {
                it.role = role;
            }
        }
        13 => {
            if let Some(it) = item_at(d, n_items, a) {
                it.statement = [None, Some(1), Some(5), Some(99)][b % 4];
            }
        }
        14 => {
            if let Some(s) = pick(d.sections.len(), a) {
                if let Some(i) = pick(d.sections[s].items.len(), b) {
                    let copy = d.sections[s].items[i].clone();
                    if b.is_multiple_of(2) {
                        d.sections[s].items.remove(i);
                    } else {
                        d.sections[s].items.push(copy);
                    }
                }
            }
        }
        15 => {
            let a = d.allocation.get_or_insert_with(|| Allocation {
                id: "W".into(),
                total: 100,
                required: false,
                text: VecMap::from([("en".into(), "Spread".into())]),
                columns: Vec::new(),
            });
            match b % 6 {
                0 => a.total = [0, -1, 255, 100][b / 6 % 4],
                1 => drop(a.text.remove("en")),
                2 => drop(a.columns.pop()),
                3 => {
                    if let Some(c) = a.columns.first().cloned() {
                        a.columns.push(AllocationColumn {
                            id: "W_X".into(),
                            ..c
                        });
                    }
                }
                4 => {
                    if let Some(c) = a.columns.first_mut() {
                        c.dimension = "NOPE".into();
                    }
                }
                _ => {
                    if let Some(c) = a.columns.last_mut() {
                        c.id = "E1".into();
                    }
                }
            }
        }
        16 => d.allocation = None,
        17 => {
            d.scoring = match b % 9 {
                0 => Scoring::Servqual,
                1 => Scoring::ZoneOfTolerance,
                2 => Scoring::Servperf,
                3 => Scoring::Nps,
                4 => Scoring::Csat {
                    top_box_min: [4, 0, 6, 1][a % 4],
                },
                5 => Scoring::Ces {
                    direction: CesDirection::LowerIsBetter,
                    agree_min: [None, Some(5), Some(9), Some(0)][a % 4],
                },
                6 => Scoring::Ces {
                    direction: CesDirection::HigherIsBetter,
                    agree_min: Some(5),
                },
                _ => match builtin_def("commitment-customer").map(|c| c.scoring) {
                    Some(s) => s,
                    None => return,
                },
            }
        }
        18 => {
            if let Scoring::Commitment(m) = &mut d.scoring {
                mutate_model(m, a, b);
            }
        }
        19 => d.hash = ["", "abc"][b % 2].into(),
        _ => {}
    }
}

fn item_at(d: &mut InstrumentDef, n_items: usize, x: usize) -> Option<&mut Item> {
    if n_items == 0 {
        return None;
    }
    d.sections
        .iter_mut()
        .flat_map(|s| s.items.iter_mut())
        .nth(x % n_items)
}

fn mutate_model(m: &mut CommitmentModel, a: usize, b: usize) {
    let x = [-1.0, f64::NAN, f64::INFINITY, 0.0, 0.125, 1.5, 1e9, 0.33333][b % 8];
    match a % 8 {
        0 => m.weights.satisfaction = x,
        1 => m.weights.involvement = x,
        2 => m.weights.resistance = x,
        3 => m.segments.clear(),
        4 => m.segments.reverse(),
        5 => {
            if let Some(s) = m.segments.last_mut() {
                s.min_index = x;
            }
        }
        6 => {
            if let Some(s) = m.segments.first_mut() {
                s.min_index = x;
                s.name.remove("de");
            }
        }
        _ => {
            if let Some(s) = m.segments.first().cloned() {
                m.segments.push(s);
            }
        }
    }
}

fn served(name: &str) -> InstrumentDef {
    builtin_def(name)
        .and_then(|d| Instrument::new(d).ok())
        .map(|i| i.def().clone())
        .unwrap_or_else(|| panic!("built-in {name}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]
    #[test]
    fn the_quiet_check_takes_what_the_full_check_takes(
        name in 0..BUILTIN_NAMES.len(),
        changes in prop::collection::vec((0u8..21, any::<usize>(), any::<usize>()), 0..4),
    ) {
        let mut d = served(BUILTIN_NAMES[name]);
        for (kind, a, b) in changes {
            mutate(&mut d, kind, a, b);
        }
        let full = Instrument::from_served(d.clone());
        let quiet = Instrument::check_served(d);
        prop_assert_eq!(quiet.as_ref(), full.as_ref().ok(), "{:?}", full.as_ref().err());
    }
}

/// Each way of breaking a definition above is one the check refuses (so the property is not met by
/// refusing nothing), and the built-in definitions pass. Dropping the allocation (16) only changes one.
#[test]
fn every_mutation_kind_can_break_a_definition() {
    for name in BUILTIN_NAMES {
        assert!(Instrument::check_served(served(name)).is_some(), "{name}");
    }
    for kind in (0u8..20).filter(|k| *k != 16) {
        let refused = BUILTIN_NAMES.iter().any(|name| {
            (0..12).any(|a| {
                (0..24).any(|b| {
                    let mut d = served(name);
                    mutate(&mut d, kind, a, b);
                    Instrument::check_served(d).is_none()
                })
            })
        });
        assert!(refused, "mutation {kind} never broke a definition");
    }
}
