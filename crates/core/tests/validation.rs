//! Validation of definitions and responses: every error names the item and what was expected.
//! These also run as Wasm.

mod common;

use common::*;
use rapport_core::commitment::Segment;
use rapport_core::{parse_answer, DefinitionError, Instrument, Response, ResponseError, Scoring};

macro_rules! t {
    (fn $name:ident() $body:block) => {
        #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
        #[cfg_attr(not(target_arch = "wasm32"), test)]
        fn $name() $body
    };
}

fn errs(inst: &Instrument, answers: &[(&str, i64)]) -> Vec<ResponseError> {
    inst.validate(&response(inst, answers))
        .expect_err("should be invalid")
}

t!(
    fn out_of_range_names_item_and_range() {
        let inst = inst("servqual");
        let e = errs(&inst, &[("P3", 9), ("E1", 0)]);
        assert!(e.contains(&ResponseError::OutOfRange {
            item: "P3".into(),
            value: 9,
            min: 1,
            max: 7
        }));
        assert!(e.contains(&ResponseError::OutOfRange {
            item: "E1".into(),
            value: 0,
            min: 1,
            max: 7
        }));
        assert_eq!(
            ResponseError::OutOfRange {
                item: "P3".into(),
                value: 9,
                min: 1,
                max: 7
            }
            .to_string(),
            "item P3: 9 is out of range, expected an integer from 1 to 7"
        );
    }
);

t!(
    fn non_integer_and_duplicate_answers_in_json() {
        let inst = inst("nps");
        let r = serde_json::to_string(&inst.reference()).unwrap();
        let e = Response::from_json(&format!(r#"{{"instrument":{r},"answers":{{"NPS":3.5}}}}"#))
            .unwrap_err();
        assert_eq!(
            e,
            vec![ResponseError::NotAnInteger {
                item: "NPS".into(),
                found: "3.5".into()
            }]
        );
        let e = Response::from_json(&format!(r#"{{"instrument":{r},"answers":{{"NPS":"7"}}}}"#))
            .unwrap_err();
        assert!(matches!(&e[0], ResponseError::NotAnInteger { item, .. } if item == "NPS"));
        let e = Response::from_json(&format!(
            r#"{{"instrument":{r},"answers":{{"NPS":7,"NPS":8}}}}"#
        ))
        .unwrap_err();
        assert_eq!(e, vec![ResponseError::DuplicateItem { item: "NPS".into() }]);
        let e = Response::from_json("{\"instrument\":\n  {\"id\": 3}}").unwrap_err();
        assert!(matches!(e[0], ResponseError::Json { line: 2, .. }), "{e:?}");
        let ok = Response::from_json(&format!(r#"{{"instrument":{r},"answers":{{"NPS":null}}}}"#))
            .unwrap();
        assert!(ok.answers.is_empty());
        assert_eq!(parse_answer("P3", " 4 "), Ok(Some(4)));
        assert_eq!(parse_answer("P3", ""), Ok(None));
        assert!(matches!(
            parse_answer("P3", "4.5"),
            Err(ResponseError::NotAnInteger { .. })
        ));
    }
);

t!(
    fn unknown_item_and_missing_required() {
        let inst = inst("nps");
        let e = errs(&inst, &[("NPSX", 3)]);
        assert!(e.contains(&ResponseError::UnknownItem {
            item: "NPSX".into()
        }));
        assert!(e.contains(&ResponseError::MissingRequired { item: "NPS".into() }));
        let c = inst_commitment();
        assert_eq!(
            errs(&c, &[("SAT", 3), ("INV", 3)]),
            vec![ResponseError::MissingRequired { item: "ALT".into() }]
        );
    }
);

fn inst_commitment() -> Instrument {
    inst("commitment-customer")
}

t!(
    fn allocation_must_sum_to_100() {
        let inst = inst("servqual");
        let e = errs(
            &inst,
            &[
                ("W_TAN", 20),
                ("W_REL", 20),
                ("W_RES", 20),
                ("W_ASS", 20),
                ("W_EMP", 19),
            ],
        );
        assert_eq!(
            e,
            vec![ResponseError::AllocationSum {
                items: "W_TAN,W_REL,W_RES,W_ASS,W_EMP".into(),
                sum: 99,
                expected: 100
            }]
        );
        let e = errs(&inst, &[("W_TAN", 100)]);
        assert_eq!(
            e,
            vec![ResponseError::AllocationIncomplete {
                item: "W_REL".into()
            }]
        );
        let e = errs(
            &inst,
            &[
                ("W_TAN", 120),
                ("W_REL", -20),
                ("W_RES", 0),
                ("W_ASS", 0),
                ("W_EMP", 0),
            ],
        );
        assert!(e.contains(&ResponseError::OutOfRange {
            item: "W_REL".into(),
            value: -20,
            min: 0,
            max: 100
        }));
        assert!(inst
            .validate(&response(
                &inst,
                &[
                    ("W_TAN", 100),
                    ("W_REL", 0),
                    ("W_RES", 0),
                    ("W_ASS", 0),
                    ("W_EMP", 0)
                ]
            ))
            .is_ok());
    }
);

t!(
    fn instrument_version_and_hash_must_match() {
        let inst = inst("nps");
        let mut r = response(&inst, &[("NPS", 9)]);
        r.instrument.hash = "0".repeat(64);
        assert!(
            matches!(&inst.validate(&r).unwrap_err()[0], ResponseError::HashMismatch { version, .. } if version == "1.0.0")
        );
        r.instrument.version = "0.9".into();
        assert!(
            matches!(&inst.validate(&r).unwrap_err()[0], ResponseError::VersionMismatch { found, .. } if found == "0.9")
        );
        r.instrument.id = "csat".into();
        assert!(matches!(
            &inst.validate(&r).unwrap_err()[0],
            ResponseError::InstrumentMismatch { .. }
        ));
    }
);

t!(
    fn definition_errors_are_located() {
        let mut def = servperf_def(&[("A", 2)]);
        def.sections[0].items[1].id = "P1".into();
        def.sections[0].items[0].scale.max = 1;
        def.sections[0].items[0].dimension = Some("Z".into());
        def.sections[0].items[0].text.clear();
        let e = Instrument::new(def).unwrap_err();
        assert!(
            e.contains(&DefinitionError::DuplicateId { id: "P1".into() }),
            "{e:?}"
        );
        assert!(e.contains(&DefinitionError::BadScale {
            item: "P1".into(),
            min: 1,
            max: 1
        }));
        assert!(e.contains(&DefinitionError::UnknownDimension {
            at: "item P1".into(),
            dimension: "Z".into()
        }));
        assert!(e.contains(&DefinitionError::MissingText {
            at: "item P1 text".into(),
            language: "en".into()
        }));

        let bad_json = Instrument::from_json("{\n \"id\": \"x\",\n \"version\": 1\n}").unwrap_err();
        assert!(
            matches!(bad_json[0], DefinitionError::Json { line: 3, .. }),
            "{bad_json:?}"
        );

        // Editing a definition without clearing its hash is caught.
        let mut def = rapport_core::builtin("csat").unwrap().def().clone();
        def.title.insert("en".into(), "Changed".into());
        assert!(matches!(
            Instrument::new(def).unwrap_err()[0],
            DefinitionError::HashMismatch { .. }
        ));

        // Commitment thresholds must descend and cover 0.
        let mut def = rapport_core::builtin_def("commitment-customer").unwrap();
        if let Scoring::Commitment(m) = &mut def.scoring {
            m.segments.swap(0, 1);
            m.segments.push(Segment {
                id: "none".into(),
                min_index: 5.0,
                name: m.segments[0].name.clone(),
            });
        }
        let e = Instrument::new(def).unwrap_err();
        assert!(
            e.iter()
                .filter(|x| matches!(x, DefinitionError::Commitment { .. }))
                .count()
                >= 2,
            "{e:?}"
        );

        // A SERVQUAL statement without its perception.
        let mut def = rapport_core::builtin_def("servqual").unwrap();
        def.sections[1].items.remove(4);
        let e = Instrument::new(def).unwrap_err();
        assert!(
            e.contains(&DefinitionError::Pairing {
                statement: 5,
                role: "perception".into(),
                found: 0
            }),
            "{e:?}"
        );
    }
);

t!(
    fn custom_json_definition_round_trip() {
        let def = servperf_def(&[("A", 2), ("B", 2)]);
        let json = serde_json::to_string(&def).unwrap();
        let inst = Instrument::from_json(&json).unwrap();
        assert_eq!(inst.def().hash.len(), 64);
        let with_hash = inst.to_json();
        assert_eq!(
            Instrument::from_json(&with_hash).unwrap().def().hash,
            inst.def().hash
        );
    }
);

#[test]
fn error_codes_are_the_serde_tags_and_fields_name_the_answer() {
    use rapport_core::ResponseError;
    let errors = [
        ResponseError::Json {
            line: 1,
            column: 2,
            message: "x".into(),
        },
        ResponseError::InstrumentMismatch {
            expected: "a".into(),
            found: "b".into(),
        },
        ResponseError::VersionMismatch {
            instrument: "a".into(),
            expected: "1".into(),
            found: "2".into(),
        },
        ResponseError::HashMismatch {
            instrument: "a".into(),
            version: "1".into(),
            expected: "h".into(),
            found: "g".into(),
        },
        ResponseError::UnknownItem { item: "X".into() },
        ResponseError::DuplicateItem { item: "X".into() },
        ResponseError::NotAnInteger {
            item: "X".into(),
            found: "\"a\"".into(),
        },
        ResponseError::OutOfRange {
            item: "X".into(),
            value: 9,
            min: 1,
            max: 7,
        },
        ResponseError::MissingRequired { item: "X".into() },
        ResponseError::AllocationIncomplete { item: "X".into() },
        ResponseError::AllocationSum {
            items: "W_TAN, W_REL".into(),
            sum: 90,
            expected: 100,
        },
    ];
    for e in &errors {
        let tag = serde_json::to_value(e).unwrap()["error"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(e.code(), tag);
    }
    assert_eq!(errors[0].field(), "body");
    assert_eq!(errors[1].field(), "instrument");
    assert_eq!(errors[7].field(), "X");
    assert_eq!(errors[10].field(), "W_TAN");
}

#[test]
fn a_served_definition_is_taken_with_its_declared_hash() {
    use rapport_core::{builtin, DefinitionError, Instrument};
    let served = builtin("nps").unwrap().to_json();
    let trusted = Instrument::from_served_json(&served).unwrap();
    assert_eq!(trusted.reference(), builtin("nps").unwrap().reference());

    // A definition edited without a new hash: refused when verified, taken as declared when served
    // (the server then refuses responses to it, by hash).
    let edited = served.replace("\"version\": \"1.0.0\"", "\"version\": \"1.0.1\"");
    assert_ne!(edited, served);
    assert!(matches!(
        Instrument::from_json(&edited).unwrap_err().as_slice(),
        [DefinitionError::HashMismatch { .. }]
    ));
    assert_eq!(
        Instrument::from_served_json(&edited).unwrap().def().version,
        "1.0.1"
    );

    // Without a hash there is nothing to trust.
    let unhashed = served.replace(
        &format!("\"hash\": \"{}\"", trusted.def().hash),
        "\"hash\": \"\"",
    );
    assert!(matches!(
        Instrument::from_served_json(&unhashed).unwrap_err().as_slice(),
        [DefinitionError::Empty { field }] if field == "hash"
    ));
}

#[test]
fn every_slot_is_found_by_its_id_and_nothing_else_is() {
    use rapport_core::{builtin, BUILTIN_NAMES};
    for name in BUILTIN_NAMES {
        let inst = builtin(name).unwrap();
        for (i, slot) in inst.slots().iter().enumerate() {
            assert_eq!(inst.slot_of(&slot.id), Some(i), "{name}: {}", slot.id);
        }
        for missing in ["", "nope", "E0", "W_", "ZZZZ"] {
            assert_eq!(inst.slot_of(missing), None, "{name}: {missing}");
        }
    }
}

#[test]
fn every_statement_pairs_the_items_of_its_roles() {
    use rapport_core::builtin;
    use rapport_core::instrument::{Role, Shape};
    for (name, statements) in [("servqual", 22), ("servqual-zot", 22), ("servperf", 22)] {
        let inst = builtin(name).unwrap();
        let Shape::Dimensional(dims) = inst.shape() else {
            panic!("{name} is dimensional");
        };
        let all: Vec<_> = dims.iter().flat_map(|d| d.statements.iter()).collect();
        assert_eq!(all.len(), statements, "{name}");
        let role = |slot: usize| inst.slots()[slot].role;
        for s in all {
            assert_eq!(
                role(s.perception),
                Some(Role::Perception),
                "{name} {}",
                s.number
            );
            assert_eq!(
                s.expectation.map(role),
                (name == "servqual").then_some(Some(Role::Expectation))
            );
            assert_eq!(
                s.adequate.map(role),
                (name == "servqual-zot").then_some(Some(Role::Adequate))
            );
            assert_eq!(
                s.desired.map(role),
                (name == "servqual-zot").then_some(Some(Role::Desired))
            );
        }
    }
}

t! {
    fn role_names_are_the_serde_names() {
        for role in rapport_core::instrument::Role::ALL {
            assert_eq!(
                serde_json::to_value(role).unwrap(),
                serde_json::Value::from(role.name())
            );
        }
    }
}

/// Every definition error whose place or message is built from ids, with its exact text: the
/// check builds these from parts (no formatter per message), and must say exactly what it said.
#[test]
fn definition_errors_name_their_place_exactly() {
    use rapport_core::builtin_def;
    use rapport_core::instrument::Dimension;
    let missing = |at: &str, language: &str| DefinitionError::MissingText {
        at: at.into(),
        language: language.into(),
    };
    let mut d = builtin_def("servqual").unwrap();
    d.hash.clear();
    d.dimensions[0].name.remove("nl");
    d.sections[0].title.remove("de");
    d.sections[0].intro = en("only English");
    let sid = d.sections[0].id.clone();
    let items = &mut d.sections[0].items;
    let (i1, i2, i3) = (
        items[1].id.clone(),
        items[2].id.clone(),
        items[3].id.clone(),
    );
    items[0].id = " ".into();
    items[1].dimension = Some("NOPE".into());
    items[2].text.remove("en");
    items[3].scale.labels.remove("nl");
    let a = d.allocation.as_mut().unwrap();
    a.text.remove("de");
    let (c0, c3) = (a.columns[0].id.clone(), a.columns[3].id.clone());
    let (d1, d2) = (
        a.columns[1].dimension.clone(),
        a.columns[2].dimension.clone(),
    );
    a.columns[0].dimension = "NOPE".into();
    a.columns[1].dimension = d2.clone();
    a.columns[3].text.remove("en");
    let aid = a.id.clone();
    d.dimensions.push(Dimension {
        id: "NEW".into(),
        name: d.dimensions[1].name.clone(),
    });
    let e = Instrument::new(d).unwrap_err();
    for expected in [
        missing(&format!("dimension {} name", "TAN"), "nl"),
        missing(&format!("section {sid} title"), "de"),
        missing(&format!("section {sid} intro"), "nl"),
        missing(&format!("section {sid} intro"), "de"),
        DefinitionError::Empty {
            field: format!("id of an item in section {sid}"),
        },
        DefinitionError::UnknownDimension {
            at: format!("item {i1}"),
            dimension: "NOPE".into(),
        },
        missing(&format!("item {i2} text"), "en"),
        missing(&format!("item {i3} scale labels"), "nl"),
        missing(&format!("allocation {aid} text"), "de"),
        DefinitionError::UnknownDimension {
            at: format!("allocation column {c0}"),
            dimension: "NOPE".into(),
        },
        DefinitionError::Allocation {
            message: format!("dimension {d2} has two columns"),
        },
        DefinitionError::Allocation {
            message: format!("no column for dimension {d1}"),
        },
        DefinitionError::Allocation {
            message: "no column for dimension NEW".into(),
        },
        missing(&format!("allocation column {c3} text"), "en"),
        DefinitionError::MissingField {
            item: "(dimension NEW)".into(),
            what: "at least one statement".into(),
        },
    ] {
        assert!(e.contains(&expected), "{expected:?} not in {e:#?}");
    }

    let mut d = builtin_def("nps").unwrap();
    d.hash.clear();
    d.sections[0].items[0].scale.max = 9;
    let e = Instrument::new(d.clone()).unwrap_err();
    assert_eq!(
        e,
        vec![DefinitionError::Scoring {
            message: "NPS item NPS must use the 0..10 scale".into()
        }]
    );
    let mut twin = d.sections[0].items[0].clone();
    twin.id = "NPS2".into();
    d.sections[0].items.push(twin);
    assert!(Instrument::new(d)
        .unwrap_err()
        .contains(&DefinitionError::RoleCount {
            method: "nps".into(),
            role: "recommend".into(),
            expected: 1,
            found: 2,
        }));

    let mut d = builtin_def("commitment-customer").unwrap();
    d.hash.clear();
    let Scoring::Commitment(m) = &mut d.scoring else {
        panic!("a commitment instrument")
    };
    let s0 = m.segments[0].id.clone();
    m.segments[0].name.remove("de");
    m.segments[0].min_index = f64::NAN;
    let e = Instrument::new(d).unwrap_err();
    assert!(
        e.contains(&missing(&format!("segment {s0} name"), "de")),
        "{e:#?}"
    );
    assert!(e.contains(&DefinitionError::Commitment {
        message: format!("segment {s0}: min_index must be a finite number")
    }));
}
