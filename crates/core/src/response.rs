//! Responses and their validation against an instrument.

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use thiserror::Error;

use crate::commitment::Audience;
use crate::instrument::{Instrument, InstrumentRef, Shape};
use crate::vec_map::VecMap;

/// Optional context of a response.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseMeta {
    /// When it was given (ISO 8601, as the client sent it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// Free segment label (e.g. a region or a customer tier).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
    /// Customer or non-customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<Audience>,
}

/// One respondent's answers: item id → integer; an absent id (or JSON `null`) is a missing answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Response {
    /// The exact instrument the answers were given to.
    pub instrument: InstrumentRef,
    /// Respondent id, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respondent_id: Option<String>,
    /// Answers as given (before any reverse-scoring), by item id. A sorted-vector map rather than a
    /// `BTreeMap`: the same order and serde form, without a B-tree's code in the survey's Wasm.
    pub answers: VecMap<String, i64>,
    /// Optional context.
    #[serde(default)]
    pub meta: ResponseMeta,
}

/// A problem with a response, naming the item and what was expected.
#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum ResponseError {
    /// Malformed JSON or a field of the wrong type.
    #[error("line {line}, column {column}: {message}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What was wrong.
        message: String,
    },
    /// The response was given to another instrument.
    #[error("response is for instrument `{found}`, expected `{expected}`")]
    InstrumentMismatch {
        /// Instrument scored against.
        expected: String,
        /// Instrument named by the response.
        found: String,
    },
    /// The response was given to another version of the instrument.
    #[error("response is for version `{found}` of `{instrument}`, expected version `{expected}`")]
    VersionMismatch {
        /// Instrument id.
        instrument: String,
        /// Version scored against.
        expected: String,
        /// Version named by the response.
        found: String,
    },
    /// Same id and version, different content: the definition was changed without a new version.
    #[error("response hash {found} does not match version `{version}` of `{instrument}` (hash {expected})")]
    HashMismatch {
        /// Instrument id.
        instrument: String,
        /// Version.
        version: String,
        /// Hash of the instrument scored against.
        expected: String,
        /// Hash in the response.
        found: String,
    },
    /// An answer for an item the instrument does not have.
    #[error("item {item}: unknown item id")]
    UnknownItem {
        /// The id.
        item: String,
    },
    /// Two answers for one item.
    #[error("item {item}: answered twice")]
    DuplicateItem {
        /// The id.
        item: String,
    },
    /// An answer that is not an integer.
    #[error("item {item}: expected an integer, found {found}")]
    NotAnInteger {
        /// The id.
        item: String,
        /// What was found.
        found: String,
    },
    /// An integer outside the item's scale.
    #[error("item {item}: {value} is out of range, expected an integer from {min} to {max}")]
    OutOfRange {
        /// The id.
        item: String,
        /// The answer.
        value: i64,
        /// Lowest valid answer.
        min: i32,
        /// Highest valid answer.
        max: i32,
    },
    /// A required item without an answer.
    #[error("item {item}: a required answer is missing")]
    MissingRequired {
        /// The id.
        item: String,
    },
    /// The allocation is partly answered.
    #[error(
        "item {item}: the importance allocation is partly answered; answer every column or none"
    )]
    AllocationIncomplete {
        /// First unanswered column.
        item: String,
    },
    /// The allocation does not sum to its total.
    #[error("items {items}: allocated points sum to {sum}, expected exactly {expected}")]
    AllocationSum {
        /// The allocation columns, comma-separated.
        items: String,
        /// Actual sum.
        sum: i64,
        /// Required total.
        expected: i32,
    },
}

impl ResponseError {
    /// The answer id the error is about (the first column for an allocation sum), `instrument` for
    /// the instrument reference, `body` for unreadable JSON: what a form marks.
    pub fn field(&self) -> &str {
        match self {
            ResponseError::UnknownItem { item }
            | ResponseError::DuplicateItem { item }
            | ResponseError::NotAnInteger { item, .. }
            | ResponseError::OutOfRange { item, .. }
            | ResponseError::MissingRequired { item }
            | ResponseError::AllocationIncomplete { item } => item,
            ResponseError::AllocationSum { items, .. } => {
                items.split(',').next().unwrap_or_default().trim()
            }
            ResponseError::InstrumentMismatch { .. }
            | ResponseError::VersionMismatch { .. }
            | ResponseError::HashMismatch { .. } => "instrument",
            ResponseError::Json { .. } => "body",
        }
    }

    /// The machine code of the error: its serde tag (`out_of_range`, `missing_required`, …).
    pub fn code(&self) -> &'static str {
        match self {
            ResponseError::Json { .. } => "json",
            ResponseError::InstrumentMismatch { .. } => "instrument_mismatch",
            ResponseError::VersionMismatch { .. } => "version_mismatch",
            ResponseError::HashMismatch { .. } => "hash_mismatch",
            ResponseError::UnknownItem { .. } => "unknown_item",
            ResponseError::DuplicateItem { .. } => "duplicate_item",
            ResponseError::NotAnInteger { .. } => "not_an_integer",
            ResponseError::OutOfRange { .. } => "out_of_range",
            ResponseError::MissingRequired { .. } => "missing_required",
            ResponseError::AllocationIncomplete { .. } => "allocation_incomplete",
            ResponseError::AllocationSum { .. } => "allocation_sum",
        }
    }
}

/// A non-fatal observation about a valid response: reported, never silently fixed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "flag", rename_all = "snake_case")]
pub enum Flag {
    /// Zone of tolerance: desired level below adequate level (D < A) for a statement.
    InconsistentZone {
        /// Statement number.
        statement: u32,
        /// Adequate item id.
        adequate_item: String,
        /// Desired item id.
        desired_item: String,
        /// Adequate answer.
        adequate: i32,
        /// Desired answer.
        desired: i32,
    },
}

/// A response that passed validation: raw answers by slot (see [`Instrument::slots`]).
#[derive(Clone, Debug, PartialEq)]
pub struct ValidResponse {
    /// Respondent id, if known.
    pub respondent_id: Option<String>,
    /// Raw answers by slot; `None` = missing.
    pub values: Vec<Option<i32>>,
    /// Inconsistencies found (e.g. D < A).
    pub flags: Vec<Flag>,
    /// Context.
    pub meta: ResponseMeta,
}

impl Response {
    /// Parses one response from JSON, reporting duplicate item ids, non-integer answers and syntax
    /// errors with their line and column. `null` answers are missing answers.
    pub fn from_json(text: &str) -> Result<Response, Vec<ResponseError>> {
        let raw: RawResponse = serde_json::from_str(text).map_err(|e| {
            vec![ResponseError::Json {
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            }]
        })?;
        let mut errors = Vec::new();
        let mut answers = VecMap::new();
        for (item, v) in raw.answers.0 {
            if answers.contains_key(&item) {
                errors.push(ResponseError::DuplicateItem { item });
                continue;
            }
            match v {
                Value::Null => {}
                Value::Number(n) if n.as_i64().is_some() => {
                    answers.insert(item, n.as_i64().unwrap_or_default());
                }
                other => errors.push(ResponseError::NotAnInteger {
                    item,
                    found: other.to_string(),
                }),
            }
        }
        if errors.is_empty() {
            Ok(Response {
                instrument: raw.instrument,
                respondent_id: raw.respondent_id,
                answers,
                meta: raw.meta,
            })
        } else {
            Err(errors)
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawResponse {
    instrument: InstrumentRef,
    #[serde(default)]
    respondent_id: Option<String>,
    answers: RawAnswers,
    #[serde(default)]
    meta: ResponseMeta,
}

// Keeps every key in order, so duplicates can be reported instead of silently overwritten.
struct RawAnswers(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for RawAnswers {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawAnswers;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of item id → integer or null")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<RawAnswers, A::Error> {
                let mut v = Vec::new();
                while let Some((k, x)) = m.next_entry::<String, Value>()? {
                    v.push((k, x));
                }
                Ok(RawAnswers(v))
            }
        }
        d.deserialize_map(V)
    }
}

/// Parses one answer given as text (a CSV cell): empty or whitespace means missing.
pub fn parse_answer(item: &str, text: &str) -> Result<Option<i64>, ResponseError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<i64>()
        .map(Some)
        .map_err(|_| ResponseError::NotAnInteger {
            item: item.to_owned(),
            found: format!("{t:?}"),
        })
}

impl Instrument {
    /// Validates a response: instrument id, version and hash, unknown items, ranges, required
    /// answers, the allocation; flags D < A. Returns every error found.
    pub fn validate(&self, r: &Response) -> Result<ValidResponse, Vec<ResponseError>> {
        let me = self.reference();
        if r.instrument.id != me.id {
            return Err(vec![ResponseError::InstrumentMismatch {
                expected: me.id,
                found: r.instrument.id.clone(),
            }]);
        }
        if r.instrument.version != me.version {
            return Err(vec![ResponseError::VersionMismatch {
                instrument: me.id,
                expected: me.version,
                found: r.instrument.version.clone(),
            }]);
        }
        if r.instrument.hash != me.hash {
            return Err(vec![ResponseError::HashMismatch {
                instrument: me.id,
                version: me.version,
                expected: me.hash,
                found: r.instrument.hash.clone(),
            }]);
        }
        let mut errors = Vec::new();
        let mut values = vec![None; self.slots().len()];
        for (id, &v) in &r.answers {
            match self.slot_of(id) {
                Some(i) => values[i] = Some(v),
                None => errors.push(ResponseError::UnknownItem { item: id.clone() }),
            }
        }
        match self.validate_values(r.respondent_id.clone(), &values) {
            Ok(mut ok) if errors.is_empty() => {
                ok.meta = r.meta.clone();
                Ok(ok)
            }
            Ok(_) => Err(errors),
            Err(mut more) => {
                errors.append(&mut more);
                Err(errors)
            }
        }
    }

    /// Validates answers given by slot (the CSV path): ranges, required answers, the allocation;
    /// flags D < A.
    pub fn validate_values(
        &self,
        respondent_id: Option<String>,
        values: &[Option<i64>],
    ) -> Result<ValidResponse, Vec<ResponseError>> {
        let slots = self.slots();
        let mut errors = Vec::new();
        let mut out = vec![None; slots.len()];
        for (i, s) in slots.iter().enumerate() {
            match values.get(i).copied().flatten() {
                None if s.required => {
                    errors.push(ResponseError::MissingRequired { item: s.id.clone() })
                }
                None => {}
                Some(v) if v < i64::from(s.min) || v > i64::from(s.max) => {
                    errors.push(ResponseError::OutOfRange {
                        item: s.id.clone(),
                        value: v,
                        min: s.min,
                        max: s.max,
                    })
                }
                // In range, so it fits i32.
                Some(v) => out[i] = i32::try_from(v).ok(),
            }
        }
        if let (Some(total), Shape::Dimensional(dims)) = (self.allocation_total(), self.shape()) {
            let cols: Vec<usize> = dims.iter().filter_map(|d| d.weight).collect();
            let answered: Vec<Option<i64>> = cols
                .iter()
                .map(|&c| values.get(c).copied().flatten())
                .collect();
            if answered.iter().any(Option::is_some) {
                if let Some(p) = answered.iter().position(Option::is_none) {
                    // A required column is already reported as missing.
                    if !slots[cols[p]].required {
                        errors.push(ResponseError::AllocationIncomplete {
                            item: slots[cols[p]].id.clone(),
                        });
                    }
                } else {
                    let sum: i64 = answered.iter().flatten().sum();
                    if sum != i64::from(total) {
                        errors.push(ResponseError::AllocationSum {
                            items: cols
                                .iter()
                                .map(|&c| slots[c].id.as_str())
                                .collect::<Vec<_>>()
                                .join(","),
                            sum,
                            expected: total,
                        });
                    }
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut flags = Vec::new();
        if let Shape::Dimensional(dims) = self.shape() {
            for st in dims.iter().flat_map(|d| d.statements.iter()) {
                if let (Some(a), Some(d)) = (st.adequate, st.desired) {
                    if let (Some(av), Some(dv)) = (out[a], out[d]) {
                        // Compare scored values: reversal applies to both the same way.
                        let (sa, sd) = (slots[a].scored(av), slots[d].scored(dv));
                        if sd < sa {
                            flags.push(Flag::InconsistentZone {
                                statement: st.number,
                                adequate_item: slots[a].id.clone(),
                                desired_item: slots[d].id.clone(),
                                adequate: sa,
                                desired: sd,
                            });
                        }
                    }
                }
            }
        }
        Ok(ValidResponse {
            respondent_id,
            values: out,
            flags,
            meta: ResponseMeta::default(),
        })
    }
}
