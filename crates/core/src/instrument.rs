//! Instrument definitions as data, their content hash, and their validation.
//!
//! An [`InstrumentDef`] is plain serde data (what travels as JSON to the survey kit, the server and
//! the CLI). [`Instrument::new`] validates it and compiles it into the form the scoring code uses: one
//! answer slot per item (sections in order, then the allocation columns), and the instrument's shape
//! (which items pair up into gaps, zones or commitment questions).
//!
//! The content hash is SHA-256 (hex) over the canonical JSON of the definition without its `hash`
//! field: object keys sorted by code point, no insignificant whitespace, strings escaped as
//! `serde_json` does, numbers as `serde_json` prints them. It identifies the exact instrument a
//! response was given to.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::commitment::CommitmentModel;
use crate::vec_map::VecMap;

/// Texts per language code (`en`, `nl`, `de`). `{firm}` in a text stands for the firm's name, which
/// the survey kit fills in.
pub type Texts = VecMap<String, String>;

/// A survey instrument as data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstrumentDef {
    /// Stable id, e.g. `servqual`.
    pub id: String,
    /// Version of the definition; change it whenever anything in it changes.
    pub version: String,
    /// SHA-256 hex of the canonical definition without this field; empty means "compute it".
    #[serde(default)]
    pub hash: String,
    /// Language codes every text must be given in.
    pub languages: Vec<String>,
    /// Title per language.
    pub title: Texts,
    /// How the answers are scored.
    pub scoring: Scoring,
    /// Dimensions, in reporting order.
    #[serde(default)]
    pub dimensions: Vec<Dimension>,
    /// Sections of items, in presentation order.
    pub sections: Vec<Section>,
    /// The 100-point importance allocation across dimensions (SERVQUAL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocation: Option<Allocation>,
}

/// The scoring method of an instrument.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "kebab-case")]
pub enum Scoring {
    /// Expectation/perception gaps per statement (items with roles `expectation` and `perception`).
    Servqual,
    /// Zone of tolerance: `adequate`, `desired` and `perception` per statement.
    ZoneOfTolerance,
    /// Perceptions only.
    Servperf,
    /// The four commitment questions and the open index.
    Commitment(CommitmentModel),
    /// Net Promoter Score (one 0–10 item with role `recommend`).
    Nps,
    /// Customer satisfaction (one item with role `csat`); top box from `top_box_min` up.
    Csat {
        /// Lowest answer counted in the top box (4 on a 1–5 scale: top-two-box).
        top_box_min: i32,
    },
    /// Customer effort (one item with role `effort`).
    Ces {
        /// Whether a low answer is good (1–5 effort) or a high one (1–7 ease).
        direction: CesDirection,
        /// Lowest answer that counts as agreement (5 on the 1–7 ease scale), if reported.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        agree_min: Option<i32>,
    },
}

/// Direction of a CES scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CesDirection {
    /// 2010 effort question: 1 = very low effort (good) … 5 = very high effort.
    LowerIsBetter,
    /// 2013 ease statement: 1 = strongly disagree … 7 = strongly agree (good).
    HigherIsBetter,
}

/// A dimension (e.g. Tangibles).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    /// Stable id, e.g. `TAN`.
    pub id: String,
    /// Name per language.
    pub name: Texts,
}

/// A section of items shown together.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Stable id.
    pub id: String,
    /// Heading per language.
    pub title: Texts,
    /// Instructions per language.
    #[serde(default)]
    pub intro: Texts,
    /// Items in presentation order.
    pub items: Vec<Item>,
}

/// What an item measures, which decides how it is scored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// SERVQUAL expectation (E).
    Expectation,
    /// Perception (P), in SERVQUAL, SERVPERF and the zone of tolerance.
    Perception,
    /// Zone of tolerance: adequate (minimum acceptable) level (A).
    Adequate,
    /// Zone of tolerance: desired level (D).
    Desired,
    /// Commitment question 1.
    Satisfaction,
    /// Commitment question 2.
    Involvement,
    /// Commitment question 3: appeal of the alternative.
    Appeal,
    /// Commitment question 4: difference, high = the current supplier is better.
    Difference,
    /// NPS likelihood to recommend.
    Recommend,
    /// CSAT satisfaction.
    Csat,
    /// CES effort or ease.
    Effort,
}

impl Role {
    /// Every role, in declaration order.
    pub const ALL: [Role; 11] = [
        Role::Expectation,
        Role::Perception,
        Role::Adequate,
        Role::Desired,
        Role::Satisfaction,
        Role::Involvement,
        Role::Appeal,
        Role::Difference,
        Role::Recommend,
        Role::Csat,
        Role::Effort,
    ];

    /// The role's name as definitions spell it (its serde name), without a JSON serializer: the
    /// definition check's messages need it in every bundle that checks definitions.
    pub fn name(self) -> &'static str {
        match self {
            Role::Expectation => "expectation",
            Role::Perception => "perception",
            Role::Adequate => "adequate",
            Role::Desired => "desired",
            Role::Satisfaction => "satisfaction",
            Role::Involvement => "involvement",
            Role::Appeal => "appeal",
            Role::Difference => "difference",
            Role::Recommend => "recommend",
            Role::Csat => "csat",
            Role::Effort => "effort",
        }
    }
}

/// One question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Id, unique in the instrument; also the CSV column name.
    pub id: String,
    /// What the item measures.
    pub role: Role,
    /// Statement number that pairs E, P, A and D items (SERVQUAL 1–22).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<u32>,
    /// Dimension id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimension: Option<String>,
    /// Answer scale.
    pub scale: Scale,
    /// Reverse-scored (negatively worded): x' = (min + max) − x before anything else.
    #[serde(default)]
    pub reverse: bool,
    /// Whether an answer is required.
    #[serde(default)]
    pub required: bool,
    /// Item text per language.
    pub text: Texts,
}

/// An integer answer scale labelled at its ends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// Lowest answer.
    pub min: i32,
    /// Highest answer.
    pub max: i32,
    /// End labels per language.
    pub labels: VecMap<String, EndLabels>,
}

/// Labels of the two ends of a scale.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndLabels {
    /// Label of the lowest answer.
    pub min: String,
    /// Label of the highest answer.
    pub max: String,
}

/// The constant-sum importance question: the respondent spreads `total` points over the dimensions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Allocation {
    /// Stable id of the question.
    pub id: String,
    /// Points to allocate (100).
    pub total: i32,
    /// Whether the question must be answered.
    #[serde(default)]
    pub required: bool,
    /// Instructions per language.
    pub text: Texts,
    /// One column per dimension, e.g. `W_TAN`.
    pub columns: Vec<AllocationColumn>,
}

/// One column of the allocation question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllocationColumn {
    /// Answer id (CSV column), e.g. `W_TAN`.
    pub id: String,
    /// Dimension the points go to.
    pub dimension: String,
    /// Label per language.
    pub text: Texts,
}

/// A problem with an instrument definition, located by the id it concerns.
#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum DefinitionError {
    /// The JSON could not be read.
    #[error("line {line}, column {column}: {message}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What was wrong.
        message: String,
    },
    /// A required field is empty.
    #[error("{field} must not be empty")]
    Empty {
        /// Field name.
        field: String,
    },
    /// A text lacks one of the instrument's languages.
    #[error("{at}: no text for language `{language}`")]
    MissingText {
        /// Where (e.g. `item P3 text`).
        at: String,
        /// Missing language code.
        language: String,
    },
    /// An id is used twice.
    #[error("duplicate id `{id}`")]
    DuplicateId {
        /// The id.
        id: String,
    },
    /// An item or allocation column names a dimension that is not defined.
    #[error("{at}: unknown dimension `{dimension}`")]
    UnknownDimension {
        /// Where.
        at: String,
        /// The dimension id.
        dimension: String,
    },
    /// An item needs a dimension or statement number for this scoring method.
    #[error("item {item}: {what} is required for this scoring method")]
    MissingField {
        /// Item id.
        item: String,
        /// What is missing.
        what: String,
    },
    /// A scale is empty or too wide to pack in a byte.
    #[error("item {item}: scale {min}..{max} is invalid (need min < max and max − min ≤ 254)")]
    BadScale {
        /// Item id.
        item: String,
        /// Given minimum.
        min: i32,
        /// Given maximum.
        max: i32,
    },
    /// An item's role is not used by the scoring method.
    #[error("item {item}: role `{role}` is not used by scoring method `{method}`")]
    UnexpectedRole {
        /// Item id.
        item: String,
        /// Role name.
        role: String,
        /// Scoring method.
        method: String,
    },
    /// A role the scoring method needs is missing or present more than once.
    #[error("scoring method `{method}` needs exactly {expected} item(s) with role `{role}`, found {found}")]
    RoleCount {
        /// Scoring method.
        method: String,
        /// Role name.
        role: String,
        /// Expected count.
        expected: usize,
        /// Found count.
        found: usize,
    },
    /// A statement lacks one of its paired items or has one twice.
    #[error("statement {statement}: needs exactly one `{role}` item, found {found}")]
    Pairing {
        /// Statement number.
        statement: u32,
        /// Role name.
        role: String,
        /// Found count.
        found: usize,
    },
    /// Items of one statement disagree (dimension or scale).
    #[error("statement {statement}: items {a} and {b} differ in {what}")]
    PairMismatch {
        /// Statement number.
        statement: u32,
        /// First item.
        a: String,
        /// Second item.
        b: String,
        /// What differs.
        what: String,
    },
    /// The allocation question is malformed.
    #[error("allocation: {message}")]
    Allocation {
        /// What is wrong.
        message: String,
    },
    /// The commitment index definition is malformed.
    #[error("commitment: {message}")]
    Commitment {
        /// What is wrong.
        message: String,
    },
    /// A threshold or setting of the scoring method lies outside the item's scale.
    #[error("scoring: {message}")]
    Scoring {
        /// What is wrong.
        message: String,
    },
    /// The declared hash does not match the content.
    #[error("hash {declared} does not match the content (expected {computed}): change the version and clear the hash when editing a definition")]
    HashMismatch {
        /// Hash in the definition.
        declared: String,
        /// Hash of the content.
        computed: String,
    },
}

/// One answer slot: an item or an allocation column.
#[derive(Clone, Debug, PartialEq)]
pub struct Slot {
    /// Answer id.
    pub id: String,
    /// Lowest valid answer.
    pub min: i32,
    /// Highest valid answer.
    pub max: i32,
    /// Reverse-scored.
    pub reverse: bool,
    /// Required.
    pub required: bool,
    /// Role (`None` for allocation columns).
    pub role: Option<Role>,
}

impl Slot {
    /// The scored value of a raw answer (reverse-scored if the item says so).
    pub fn scored(&self, raw: i32) -> i32 {
        if self.reverse {
            self.min + self.max - raw
        } else {
            raw
        }
    }
}

/// One statement of a SERVQUAL, zone-of-tolerance or SERVPERF instrument: its slots per role.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    /// Statement number.
    pub number: u32,
    /// Expectation slot (SERVQUAL).
    pub expectation: Option<usize>,
    /// Adequate slot (zone of tolerance).
    pub adequate: Option<usize>,
    /// Desired slot (zone of tolerance).
    pub desired: Option<usize>,
    /// Perception slot.
    pub perception: usize,
}

/// A dimension and its statements in order.
#[derive(Clone, Debug, PartialEq)]
pub struct DimensionLayout {
    /// Dimension id.
    pub id: String,
    /// Statements.
    pub statements: Vec<Statement>,
    /// Allocation slot for this dimension, if the instrument has the allocation question.
    pub weight: Option<usize>,
}

/// The compiled shape of an instrument.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// SERVQUAL, zone of tolerance or SERVPERF: dimensions of statements.
    Dimensional(Vec<DimensionLayout>),
    /// The four commitment questions (slots).
    Commitment {
        /// Question 1.
        satisfaction: usize,
        /// Question 2.
        involvement: usize,
        /// Question 3.
        appeal: usize,
        /// Question 4.
        difference: usize,
    },
    /// A single-item metric (NPS, CSAT, CES).
    Single(usize),
}

/// A validated, compiled instrument.
#[derive(Clone, Debug, PartialEq)]
pub struct Instrument {
    def: InstrumentDef,
    slots: Vec<Slot>,
    /// Slot of each id, sorted by id.
    index: Vec<(String, usize)>,
    shape: Shape,
}

/// Identifies the exact instrument a response was given to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstrumentRef {
    /// Instrument id.
    pub id: String,
    /// Instrument version.
    pub version: String,
    /// Content hash.
    pub hash: String,
}

impl InstrumentDef {
    /// SHA-256 hex of the canonical JSON of this definition without its `hash` field.
    pub fn compute_hash(&self) -> String {
        let mut v = serde_json::to_value(self).unwrap_or(Value::Null);
        if let Value::Object(m) = &mut v {
            m.remove("hash");
        }
        let mut s = String::new();
        canonical_json(&v, &mut s);
        let digest = Sha256::digest(s.as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Writes `v` as canonical JSON: sorted keys, no whitespace.
pub fn canonical_json(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            // Sorted explicitly: serde_json's map keeps insertion order when `preserve_order` is on.
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push(':');
                canonical_json(&m[*k], out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical_json(x, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// A number in a message as `Display` would print it, without linking float formatting into every
/// Wasm bundle that checks definitions.
fn number(x: f64) -> String {
    crate::decimal::text(x)
}

fn method_name(s: &Scoring) -> &'static str {
    match s {
        Scoring::Servqual => "servqual",
        Scoring::ZoneOfTolerance => "zone-of-tolerance",
        Scoring::Servperf => "servperf",
        Scoring::Commitment(_) => "commitment",
        Scoring::Nps => "nps",
        Scoring::Csat { .. } => "csat",
        Scoring::Ces { .. } => "ces",
    }
}

fn role_name(r: Role) -> String {
    r.name().to_owned()
}

/// A statement's item indices per role, sorted by role.
type RoleItems = Vec<(Role, Vec<usize>)>;

/// Ids seen so far, kept sorted: a set without a `BTreeSet`'s code in every bundle that checks
/// definitions.
#[derive(Default)]
struct Seen<'a>(Vec<&'a str>);

impl<'a> Seen<'a> {
    /// Adds `id`; false when it was there already.
    fn insert(&mut self, id: &'a str) -> bool {
        match self.0.binary_search(&id) {
            Ok(_) => false,
            Err(at) => {
                self.0.insert(at, id);
                true
            }
        }
    }

    fn contains(&self, id: &str) -> bool {
        self.0.binary_search(&id).is_ok()
    }
}

/// Where the check's findings go: every problem with its message (the CLI, the server, the authoring
/// tools), or only whether there was one ([`Instrument::check_served`]: a survey shows no details, and
/// the messages are built in closures that a build which never calls them leaves out).
trait Findings {
    fn report(&mut self, problem: impl FnOnce() -> DefinitionError);
    fn any(&self) -> bool;
}

impl Findings for Vec<DefinitionError> {
    fn report(&mut self, problem: impl FnOnce() -> DefinitionError) {
        self.push(problem());
    }

    fn any(&self) -> bool {
        !self.is_empty()
    }
}

/// Only whether anything was found.
#[derive(Default)]
struct Failed(bool);

impl Findings for Failed {
    fn report(&mut self, _: impl FnOnce() -> DefinitionError) {
        self.0 = true;
    }

    fn any(&self) -> bool {
        self.0
    }
}

struct Checker<'a, F> {
    langs: &'a [String],
    errors: F,
}

impl<F: Findings> Checker<'_, F> {
    /// Every language has a non-blank text in `t`; `at` (concatenated) names the place, built only
    /// for an error.
    fn texts(&mut self, at: &[&str], t: &Texts) {
        missing_texts(self.langs, &mut self.errors, at, t);
    }
}

fn missing_texts(langs: &[String], errors: &mut impl Findings, at: &[&str], t: &Texts) {
    for l in langs {
        if t.get(l).is_none_or(|s| s.trim().is_empty()) {
            errors.report(|| DefinitionError::MissingText {
                at: at.concat(),
                language: l.clone(),
            });
        }
    }
}

/// A message from string parts: `format!` with string arguments only, without linking a formatter
/// call per message into every bundle that checks definitions.
fn cat(parts: &[&str]) -> String {
    parts.concat()
}

impl Instrument {
    /// Validates and compiles a definition, filling in the hash if it is empty. Returns every problem
    /// found, not only the first.
    pub fn new(mut def: InstrumentDef) -> Result<Instrument, Vec<DefinitionError>> {
        // The hash is checked here, apart from the shared check: a served definition's check must not
        // link the hashing (canonical JSON through serde_json, SHA-256) into the widget.
        let computed = def.compute_hash();
        let mismatch = if def.hash.is_empty() {
            def.hash = computed;
            None
        } else if def.hash != computed {
            Some(DefinitionError::HashMismatch {
                declared: def.hash.clone(),
                computed,
            })
        } else {
            None
        };
        with_error(Instrument::check(def), mismatch)
    }

    /// Like [`Instrument::from_json`], for a definition whose hash was already checked where it came
    /// from (a server that serves only definitions it validated). The hash is taken as declared and not
    /// recomputed: a changed definition is still caught, when the server re-validates the response
    /// against its own hash. Keeps hashing code out of the embeddable widget. An empty hash is an error.
    pub fn from_served_json(text: &str) -> Result<Instrument, Vec<DefinitionError>> {
        Instrument::from_served(parse_def(text)?)
    }

    /// [`Instrument::from_served_json`] for a definition already parsed (the widget parses with the
    /// browser's JSON parser, which keeps serde_json's out of its bundle).
    pub fn from_served(def: InstrumentDef) -> Result<Instrument, Vec<DefinitionError>> {
        let empty = def.hash.is_empty().then(|| DefinitionError::Empty {
            field: "hash".into(),
        });
        with_error(Instrument::check(def), empty)
    }

    /// [`Instrument::from_served`] without the problems' details: the same check, `None` for any
    /// problem. What the survey kit uses, as a respondent is only told that the survey cannot be shown.
    pub fn check_served(def: InstrumentDef) -> Option<Instrument> {
        if def.hash.is_empty() {
            return None;
        }
        Instrument::build(def, Failed::default()).ok()
    }

    /// The check with every problem's message; the hash is the caller's to check.
    fn check(def: InstrumentDef) -> Result<Instrument, Vec<DefinitionError>> {
        Instrument::build(def, Vec::new())
    }

    /// The check and compilation all constructors share; the hash is theirs to check.
    fn build<F: Findings>(def: InstrumentDef, errors: F) -> Result<Instrument, F> {
        let mut c = Checker {
            langs: &def.languages,
            errors,
        };
        for (field, v) in [("id", &def.id), ("version", &def.version)] {
            if v.trim().is_empty() {
                c.errors.report(|| DefinitionError::Empty {
                    field: field.into(),
                });
            }
        }
        if def.languages.is_empty() {
            c.errors.report(|| DefinitionError::Empty {
                field: "languages".into(),
            });
        }
        c.texts(&["title"], &def.title);
        let mut dims = Seen::default();
        for d in &def.dimensions {
            if !dims.insert(d.id.as_str()) {
                c.errors
                    .report(|| DefinitionError::DuplicateId { id: d.id.clone() });
            }
            c.texts(&["dimension ", &d.id, " name"], &d.name);
        }
        let mut ids = Seen::default();
        let mut slots = Vec::new();
        let mut section_ids = Seen::default();
        for s in &def.sections {
            if !section_ids.insert(s.id.as_str()) {
                c.errors
                    .report(|| DefinitionError::DuplicateId { id: s.id.clone() });
            }
            c.texts(&["section ", &s.id, " title"], &s.title);
            if !s.intro.is_empty() {
                c.texts(&["section ", &s.id, " intro"], &s.intro);
            }
            for it in &s.items {
                if it.id.trim().is_empty() {
                    c.errors.report(|| DefinitionError::Empty {
                        field: cat(&["id of an item in section ", &s.id]),
                    });
                }
                if !ids.insert(it.id.as_str()) {
                    c.errors
                        .report(|| DefinitionError::DuplicateId { id: it.id.clone() });
                }
                if it.scale.min >= it.scale.max
                    || i64::from(it.scale.max) - i64::from(it.scale.min) > 254
                {
                    c.errors.report(|| DefinitionError::BadScale {
                        item: it.id.clone(),
                        min: it.scale.min,
                        max: it.scale.max,
                    });
                }
                if let Some(d) = &it.dimension {
                    if !dims.contains(d.as_str()) {
                        c.errors.report(|| DefinitionError::UnknownDimension {
                            at: cat(&["item ", &it.id]),
                            dimension: d.clone(),
                        });
                    }
                }
                c.texts(&["item ", &it.id, " text"], &it.text);
                for l in c.langs {
                    match it.scale.labels.get(l) {
                        Some(e) if !e.min.trim().is_empty() && !e.max.trim().is_empty() => {}
                        _ => c.errors.report(|| DefinitionError::MissingText {
                            at: cat(&["item ", &it.id, " scale labels"]),
                            language: l.clone(),
                        }),
                    }
                }
                slots.push(Slot {
                    id: it.id.clone(),
                    min: it.scale.min,
                    max: it.scale.max,
                    reverse: it.reverse,
                    required: it.required,
                    role: Some(it.role),
                });
            }
        }
        let n_items = slots.len();
        if let Some(a) = &def.allocation {
            if a.total <= 0 || a.total > 254 {
                c.errors.report(|| DefinitionError::Allocation {
                    message: format!("total {} must be between 1 and 254", a.total),
                });
            }
            c.texts(&["allocation ", &a.id, " text"], &a.text);
            let mut seen = Seen::default();
            for col in &a.columns {
                if !ids.insert(col.id.as_str()) {
                    c.errors
                        .report(|| DefinitionError::DuplicateId { id: col.id.clone() });
                }
                if !dims.contains(col.dimension.as_str()) {
                    c.errors.report(|| DefinitionError::UnknownDimension {
                        at: cat(&["allocation column ", &col.id]),
                        dimension: col.dimension.clone(),
                    });
                } else if !seen.insert(col.dimension.as_str()) {
                    c.errors.report(|| DefinitionError::Allocation {
                        message: cat(&["dimension ", &col.dimension, " has two columns"]),
                    });
                }
                c.texts(&["allocation column ", &col.id, " text"], &col.text);
                slots.push(Slot {
                    id: col.id.clone(),
                    min: 0,
                    max: a.total,
                    reverse: false,
                    required: a.required,
                    role: None,
                });
            }
            for d in &def.dimensions {
                if !seen.contains(d.id.as_str()) {
                    c.errors.report(|| DefinitionError::Allocation {
                        message: cat(&["no column for dimension ", &d.id]),
                    });
                }
            }
        }
        let mut errors = c.errors;
        let mut index: Vec<(String, usize)> = Vec::with_capacity(slots.len());
        for (i, slot) in slots.iter().enumerate() {
            match index.binary_search_by(|(k, _)| k.as_str().cmp(&slot.id)) {
                // A repeated id is already an error; the last one wins, as in a map.
                Ok(at) => index[at].1 = i,
                Err(at) => index.insert(at, (slot.id.clone(), i)),
            }
        }
        let shape = compile_shape(&def, &slots, n_items, &mut errors);
        match shape {
            Some(shape) if !errors.any() => Ok(Instrument {
                def,
                slots,
                index,
                shape,
            }),
            _ => Err(errors),
        }
    }

    /// Parses and validates a JSON definition; JSON errors carry line and column.
    pub fn from_json(text: &str) -> Result<Instrument, Vec<DefinitionError>> {
        Instrument::new(parse_def(text)?)
    }

    /// The definition (with its hash filled in).
    pub fn def(&self) -> &InstrumentDef {
        &self.def
    }

    /// The definition as JSON (pretty-printed).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.def).unwrap_or_default()
    }

    /// Id, version and hash, as a response carries them.
    pub fn reference(&self) -> InstrumentRef {
        InstrumentRef {
            id: self.def.id.clone(),
            version: self.def.version.clone(),
            hash: self.def.hash.clone(),
        }
    }

    /// Answer slots: items in section order, then allocation columns.
    pub fn slots(&self) -> &[Slot] {
        &self.slots
    }

    /// Slot index of an answer id.
    pub fn slot_of(&self, id: &str) -> Option<usize> {
        self.index
            .binary_search_by(|(k, _)| k.as_str().cmp(id))
            .ok()
            .map(|at| self.index[at].1)
    }

    /// The compiled shape.
    pub fn shape(&self) -> &Shape {
        &self.shape
    }

    /// The scoring method.
    pub fn scoring(&self) -> &Scoring {
        &self.def.scoring
    }

    /// Total of the allocation question, if any.
    pub fn allocation_total(&self) -> Option<i32> {
        self.def.allocation.as_ref().map(|a| a.total)
    }
}

/// `checked` with the hash's problem, if any, after the others.
fn with_error(
    checked: Result<Instrument, Vec<DefinitionError>>,
    error: Option<DefinitionError>,
) -> Result<Instrument, Vec<DefinitionError>> {
    match (checked, error) {
        (Ok(inst), None) => Ok(inst),
        (Ok(_), Some(e)) => Err(vec![e]),
        (Err(mut errors), e) => {
            errors.extend(e);
            Err(errors)
        }
    }
}

fn parse_def(text: &str) -> Result<InstrumentDef, Vec<DefinitionError>> {
    serde_json::from_str(text).map_err(|e| {
        vec![DefinitionError::Json {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        }]
    })
}

fn compile_shape<F: Findings>(
    def: &InstrumentDef,
    slots: &[Slot],
    n_items: usize,
    errors: &mut F,
) -> Option<Shape> {
    let method = method_name(&def.scoring);
    let items: Vec<&Item> = def.sections.iter().flat_map(|s| s.items.iter()).collect();
    let allowed: &[Role] = match &def.scoring {
        Scoring::Servqual => &[Role::Expectation, Role::Perception],
        Scoring::ZoneOfTolerance => &[Role::Adequate, Role::Desired, Role::Perception],
        Scoring::Servperf => &[Role::Perception],
        Scoring::Commitment(_) => &[
            Role::Satisfaction,
            Role::Involvement,
            Role::Appeal,
            Role::Difference,
        ],
        Scoring::Nps => &[Role::Recommend],
        Scoring::Csat { .. } => &[Role::Csat],
        Scoring::Ces { .. } => &[Role::Effort],
    };
    for it in &items {
        if !allowed.contains(&it.role) {
            errors.report(|| DefinitionError::UnexpectedRole {
                item: it.id.clone(),
                role: role_name(it.role),
                method: method.into(),
            });
        }
    }
    if def.allocation.is_some() && !matches!(def.scoring, Scoring::Servqual) {
        errors.report(|| DefinitionError::Allocation {
            message: format!(
                "only scoring method servqual uses an allocation question, not {method}"
            ),
        });
    }
    let one = |role: Role, errors: &mut F| -> Option<usize> {
        // Counted in a loop, not collected: one less vector type in every bundle that checks.
        let (mut found, mut first) = (0, 0);
        for (i, slot) in slots[..n_items].iter().enumerate() {
            if slot.role == Some(role) {
                if found == 0 {
                    first = i;
                }
                found += 1;
            }
        }
        if found != 1 {
            errors.report(|| DefinitionError::RoleCount {
                method: method.into(),
                role: role_name(role),
                expected: 1,
                found,
            });
            return None;
        }
        Some(first)
    };
    let single = |role: Role, errors: &mut F| -> Option<Shape> {
        let s = one(role, errors)?;
        if n_items != 1 {
            errors.report(|| DefinitionError::RoleCount {
                method: method.into(),
                role: role_name(role),
                expected: 1,
                found: n_items,
            });
        }
        Some(Shape::Single(s))
    };
    let within = |slot: usize, v: i32, what: &str, errors: &mut F| {
        let s = &slots[slot];
        if v < s.min || v > s.max {
            errors.report(|| DefinitionError::Scoring {
                message: format!(
                    "{what} {v} lies outside item {}'s scale {}..{}",
                    s.id, s.min, s.max
                ),
            });
        }
    };
    match &def.scoring {
        Scoring::Nps => {
            let s = single(Role::Recommend, errors)?;
            if let Shape::Single(i) = s {
                if slots[i].min != 0 || slots[i].max != 10 {
                    errors.report(|| DefinitionError::Scoring {
                        message: cat(&["NPS item ", &slots[i].id, " must use the 0..10 scale"]),
                    });
                }
            }
            Some(s)
        }
        Scoring::Csat { top_box_min } => {
            let s = single(Role::Csat, errors)?;
            if let Shape::Single(i) = s {
                within(i, *top_box_min, "top_box_min", errors);
            }
            Some(s)
        }
        Scoring::Ces { agree_min, .. } => {
            let s = single(Role::Effort, errors)?;
            if let (Shape::Single(i), Some(a)) = (&s, agree_min) {
                within(*i, *a, "agree_min", errors);
            }
            Some(s)
        }
        Scoring::Commitment(m) => {
            let sat = one(Role::Satisfaction, errors);
            let inv = one(Role::Involvement, errors);
            let app = one(Role::Appeal, errors);
            let dif = one(Role::Difference, errors);
            let w = m.weights;
            let ws = [w.satisfaction, w.involvement, w.resistance];
            if ws.iter().any(|x| !x.is_finite() || *x < 0.0) || ws.iter().sum::<f64>() <= 0.0 {
                errors.report(|| DefinitionError::Commitment {
                    message: "weights must be finite, non-negative and not all zero".into(),
                });
            }
            // Decimals with few places keep the index an exact fraction (see `commitment`).
            for (name, x) in ["satisfaction", "involvement", "resistance"].iter().zip(ws) {
                if x.is_finite()
                    && (x > crate::commitment::MAX_WEIGHT
                        || crate::commitment::decimal(x).is_none())
                {
                    errors.report(|| DefinitionError::Commitment {
                        message: format!(
                            "weights.{name}: {} must be a decimal with at most {} decimal places and \
                             at most {}",
                            number(x),
                            crate::commitment::MAX_DECIMALS,
                            number(crate::commitment::MAX_WEIGHT)
                        ),
                    });
                }
            }
            if m.segments.is_empty() {
                errors.report(|| DefinitionError::Commitment {
                    message: "at least one segment is required".into(),
                });
            }
            let mut seg_ids = Seen::default();
            for (i, s) in m.segments.iter().enumerate() {
                if !seg_ids.insert(s.id.as_str()) {
                    errors.report(|| DefinitionError::DuplicateId { id: s.id.clone() });
                }
                if !s.min_index.is_finite() {
                    errors.report(|| DefinitionError::Commitment {
                        message: cat(&["segment ", &s.id, ": min_index must be a finite number"]),
                    });
                } else if (0.0..=100.0).contains(&s.min_index)
                    && crate::commitment::decimal(s.min_index).is_none()
                {
                    errors.report(|| DefinitionError::Commitment {
                        message: format!(
                            "segment {}: min_index {} must have at most {} decimal places",
                            s.id,
                            number(s.min_index),
                            crate::commitment::MAX_DECIMALS
                        ),
                    });
                }
                if i > 0 && s.min_index >= m.segments[i - 1].min_index {
                    errors.report(|| DefinitionError::Commitment {
                        message: format!(
                            "segment {}: min_index {} must be below the previous segment's {}",
                            s.id,
                            number(s.min_index),
                            number(m.segments[i - 1].min_index)
                        ),
                    });
                }
                missing_texts(
                    &def.languages,
                    errors,
                    &["segment ", &s.id, " name"],
                    &s.name,
                );
            }
            if m.segments.last().is_some_and(|s| s.min_index > 0.0) {
                errors.report(|| DefinitionError::Commitment {
                    message: "the last segment must start at 0 or below so that every index has a segment"
                        .into(),
                });
            }
            Some(Shape::Commitment {
                satisfaction: sat?,
                involvement: inv?,
                appeal: app?,
                difference: dif?,
            })
        }
        Scoring::Servqual | Scoring::ZoneOfTolerance | Scoring::Servperf => {
            let roles: &[Role] = match &def.scoring {
                Scoring::Servqual => &[Role::Expectation, Role::Perception],
                Scoring::ZoneOfTolerance => &[Role::Adequate, Role::Desired, Role::Perception],
                _ => &[Role::Perception],
            };
            if def.dimensions.is_empty() {
                errors.report(|| DefinitionError::Empty {
                    field: "dimensions".into(),
                });
            }
            // statement → role → item indices, in order of first appearance of the statement
            let mut order: Vec<u32> = Vec::new();
            // Sorted by statement, then by role (vectors rather than maps: no BTreeMap code in the
            // bundles that check definitions).
            let mut by_stmt: Vec<(u32, RoleItems)> = Vec::new();
            for (i, it) in items.iter().enumerate() {
                if it.dimension.is_none() {
                    errors.report(|| DefinitionError::MissingField {
                        item: it.id.clone(),
                        what: "dimension".into(),
                    });
                }
                let Some(st) = it.statement else {
                    errors.report(|| DefinitionError::MissingField {
                        item: it.id.clone(),
                        what: "statement".into(),
                    });
                    continue;
                };
                let at = match by_stmt.binary_search_by_key(&st, |e| e.0) {
                    Ok(at) => at,
                    Err(at) => {
                        order.push(st);
                        by_stmt.insert(at, (st, Vec::new()));
                        at
                    }
                };
                let roles_of = &mut by_stmt[at].1;
                match roles_of.binary_search_by_key(&it.role, |e| e.0) {
                    Ok(r) => roles_of[r].1.push(i),
                    Err(r) => roles_of.insert(r, (it.role, vec![i])),
                }
            }
            let mut layouts: Vec<DimensionLayout> = def
                .dimensions
                .iter()
                .map(|d| DimensionLayout {
                    id: d.id.clone(),
                    statements: Vec::new(),
                    weight: def.allocation.as_ref().and_then(|a| {
                        a.columns
                            .iter()
                            .position(|c| c.dimension == d.id)
                            .map(|p| n_items + p)
                    }),
                })
                .collect();
            let mut ok = true;
            for st in order {
                let Ok(at) = by_stmt.binary_search_by_key(&st, |e| e.0) else {
                    continue;
                };
                let roles_of = &by_stmt[at].1;
                // The statement's item per role, in role order.
                let mut picked: Vec<(Role, usize)> = Vec::new();
                for &r in roles {
                    let items_of = roles_of
                        .binary_search_by_key(&r, |e| e.0)
                        .map_or(&[][..], |k| &roles_of[k].1[..]);
                    if items_of.len() != 1 {
                        errors.report(|| DefinitionError::Pairing {
                            statement: st,
                            role: role_name(r),
                            found: items_of.len(),
                        });
                        ok = false;
                    } else if let Err(k) = picked.binary_search_by_key(&r, |e| e.0) {
                        picked.insert(k, (r, items_of[0]));
                    }
                }
                if picked.len() != roles.len() {
                    continue;
                }
                let first = items[picked[0].1];
                for &(_, m) in &picked[1..] {
                    let other = items[m];
                    if other.dimension != first.dimension {
                        errors.report(|| DefinitionError::PairMismatch {
                            statement: st,
                            a: first.id.clone(),
                            b: other.id.clone(),
                            what: "dimension".into(),
                        });
                        ok = false;
                    }
                    // Differences of answers only make sense on one scale.
                    if other.scale.min != first.scale.min || other.scale.max != first.scale.max {
                        errors.report(|| DefinitionError::PairMismatch {
                            statement: st,
                            a: first.id.clone(),
                            b: other.id.clone(),
                            what: "scale".into(),
                        });
                        ok = false;
                    }
                }
                let Some(dim) = first.dimension.as_deref() else {
                    continue;
                };
                let of = |r: Role| picked.iter().find(|e| e.0 == r).map(|e| e.1);
                // Every method here asks for a perception, so a complete statement has one.
                let Some(perception) = of(Role::Perception) else {
                    continue;
                };
                let Some(layout) = layouts.iter_mut().find(|l| l.id == dim) else {
                    continue;
                };
                layout.statements.push(Statement {
                    number: st,
                    expectation: of(Role::Expectation),
                    adequate: of(Role::Adequate),
                    desired: of(Role::Desired),
                    perception,
                });
            }
            for l in &layouts {
                if l.statements.is_empty() {
                    errors.report(|| DefinitionError::MissingField {
                        item: cat(&["(dimension ", &l.id, ")"]),
                        what: "at least one statement".into(),
                    });
                    ok = false;
                }
            }
            ok.then_some(Shape::Dimensional(layouts))
        }
    }
}
