//! Helpers shared by the integration tests.
#![allow(dead_code)]

use rapport_core::VecMap;

use rapport_core::instrument::{Dimension, EndLabels, Item, Role, Scale, Section};
use rapport_core::{builtin, Instrument, InstrumentDef, Response, Scoring, ValidResponse};

pub fn inst(name: &str) -> Instrument {
    builtin(name).unwrap_or_else(|| panic!("built-in {name}"))
}

pub fn en(s: &str) -> VecMap<String, String> {
    VecMap::from([("en".to_owned(), s.to_owned())])
}

/// A one-language SERVPERF-style definition: `dims` lists (dimension id, number of statements).
pub fn servperf_def(dims: &[(&str, usize)]) -> InstrumentDef {
    let mut items = Vec::new();
    let mut n = 0;
    for (d, k) in dims {
        for _ in 0..*k {
            n += 1;
            items.push(Item {
                id: format!("P{n}"),
                role: Role::Perception,
                statement: Some(n),
                dimension: Some((*d).to_owned()),
                scale: Scale {
                    min: 1,
                    max: 7,
                    labels: VecMap::from([(
                        "en".to_owned(),
                        EndLabels {
                            min: "low".into(),
                            max: "high".into(),
                        },
                    )]),
                },
                reverse: false,
                required: false,
                text: en(&format!("statement {n}")),
            });
        }
    }
    InstrumentDef {
        id: "custom-servperf".into(),
        version: "1".into(),
        hash: String::new(),
        languages: vec!["en".into()],
        title: en("Custom"),
        scoring: Scoring::Servperf,
        dimensions: dims
            .iter()
            .map(|(d, _)| Dimension {
                id: (*d).to_owned(),
                name: en(d),
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

/// A response to `inst` with the given answers.
pub fn response(inst: &Instrument, answers: &[(&str, i64)]) -> Response {
    Response {
        instrument: inst.reference(),
        respondent_id: None,
        answers: answers.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect(),
        meta: Default::default(),
    }
}

pub fn valid(inst: &Instrument, answers: &[(&str, i64)]) -> ValidResponse {
    inst.validate(&response(inst, answers))
        .expect("valid response")
}

/// A SERVQUAL response from 22 expectations, 22 perceptions and optional allocation points.
pub fn servqual_answers(e: &[i64; 22], p: &[i64; 22], w: Option<[i64; 5]>) -> Vec<(String, i64)> {
    let mut v = Vec::new();
    for i in 0..22 {
        v.push((format!("E{}", i + 1), e[i]));
        v.push((format!("P{}", i + 1), p[i]));
    }
    if let Some(w) = w {
        for (id, x) in ["W_TAN", "W_REL", "W_RES", "W_ASS", "W_EMP"].iter().zip(w) {
            v.push(((*id).to_owned(), x));
        }
    }
    v
}

pub fn valid_owned(inst: &Instrument, answers: &[(String, i64)]) -> ValidResponse {
    let a: Vec<(&str, i64)> = answers.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    valid(inst, &a)
}

pub fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}
