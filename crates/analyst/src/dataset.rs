//! The imported rows, stored packed column by column, and the filtered reports over them.

use std::collections::HashMap;

use rapport_core::instrument::Shape;
use rapport_core::packed::MISSING;
use rapport_core::{Aggregator, Audience, Instrument, InstrumentRef, MeanCi};
use serde::{Deserialize, Serialize};

use crate::date::{format_day, parse_date};
use crate::import::{Core, Row};
use crate::report::{AnalystReport, ItemMeans};
use crate::respondents;
use crate::LocatedError;

/// No timestamp (or one that could not be read).
const NO_DAY: i32 = i32::MIN;

/// Rows staged before they move into the columns.
const STAGE_ROWS: usize = 1024;

/// Rows handed to the aggregator at once (bounds the scratch memory of a filtered report).
const CHUNK: usize = 1 << 14;

/// The rows of one instrument version.
#[derive(Clone, Debug)]
pub(crate) struct Group {
    pub(crate) inst: Instrument,
    /// Per slot: raw answer − slot minimum, or `MISSING`.
    pub(crate) cols: Vec<Vec<u8>>,
    pub(crate) day: Vec<i32>,
    /// 0 = none, else index into the segment list + 1.
    pub(crate) segment: Vec<u32>,
    /// 0 = none, 1 = customer, 2 = non-customer.
    pub(crate) audience: Vec<u8>,
    pub(crate) line: Vec<u64>,
    /// End of each row's respondent id in `rid_text` (an empty id = none).
    pub(crate) rid_end: Vec<u64>,
    pub(crate) rid_text: String,
    /// Rows not yet moved into `cols`, row by row (appending a row is one copy; moving a block
    /// column by column is cheaper than 49 separate pushes per row).
    stage: Vec<u8>,
}

impl Group {
    fn new(inst: Instrument) -> Self {
        Group {
            cols: vec![Vec::new(); inst.slots().len()],
            inst,
            day: Vec::new(),
            segment: Vec::new(),
            audience: Vec::new(),
            line: Vec::new(),
            rid_end: Vec::new(),
            rid_text: String::new(),
            stage: Vec::new(),
        }
    }

    /// Moves the staged rows into the columns.
    fn flush(&mut self) {
        let w = self.cols.len();
        if w == 0 || self.stage.is_empty() {
            return;
        }
        for (c, col) in self.cols.iter_mut().enumerate() {
            col.extend(self.stage[c..].iter().step_by(w));
        }
        self.stage.clear();
    }

    fn len(&self) -> usize {
        self.line.len()
    }

    fn respondent_id(&self, r: usize) -> Option<&str> {
        let end = usize::try_from(self.rid_end[r]).ok()?;
        let start = match r {
            0 => 0,
            _ => usize::try_from(self.rid_end[r - 1]).ok()?,
        };
        self.rid_text.get(start..end).filter(|s| !s.is_empty())
    }
}

/// Where the importer puts valid rows.
#[derive(Default)]
pub(crate) struct Store {
    groups: Vec<Group>,
    segments: Vec<String>,
    segment_index: HashMap<String, u32>,
    last_segment: u32,
    scratch: Vec<u8>,
}

impl Store {
    pub(crate) fn push(&mut self, r: &Row<'_>) {
        let mut bytes = std::mem::take(&mut self.scratch);
        bytes.clear();
        bytes.extend(
            r.instrument
                .slots()
                .iter()
                .zip(r.values)
                .map(|(s, v)| match v {
                    // Validated: min ≤ v ≤ max and max − min ≤ 254, so the byte is never MISSING.
                    Some(v) => u8::try_from(v - i64::from(s.min)).unwrap_or(MISSING),
                    None => MISSING,
                }),
        );
        self.push_packed(
            r.group,
            r.instrument,
            &bytes,
            Meta {
                line: r.line,
                respondent_id: r.respondent_id,
                day: r.day,
                segment: r.segment,
                audience: r.audience,
            },
        );
        self.scratch = bytes;
    }

    /// Stores one valid row given as packed bytes (raw answer − slot minimum, or `MISSING`).
    pub(crate) fn push_packed(
        &mut self,
        group: usize,
        inst: &Instrument,
        bytes: &[u8],
        m: Meta<'_>,
    ) {
        if group >= self.groups.len() {
            self.groups.push(Group::new(inst.clone()));
        }
        let seg = match m.segment {
            None => 0,
            Some(s) => self.segment_code(s),
        };
        let Some(g) = self.groups.get_mut(group) else {
            return;
        };
        g.stage
            .extend_from_slice(&bytes[..g.cols.len().min(bytes.len())]);
        if g.stage.len() >= STAGE_ROWS * g.cols.len() {
            g.flush();
        }
        g.day.push(m.day.unwrap_or(NO_DAY));
        g.segment.push(seg);
        g.audience.push(match m.audience {
            None => 0,
            Some(Audience::Customer) => 1,
            Some(Audience::NonCustomer) => 2,
        });
        g.line.push(m.line);
        if let Some(id) = m.respondent_id {
            g.rid_text.push_str(id);
        }
        g.rid_end.push(g.rid_text.len() as u64);
    }

    /// The code of a segment label (1-based), adding it on first sight.
    fn segment_code(&mut self, s: &str) -> u32 {
        // Rows often repeat the previous row's segment; that check is cheaper than hashing.
        if let Some(last) = self.last_segment.checked_sub(1) {
            if self.segments.get(last as usize).is_some_and(|x| x == s) {
                return self.last_segment;
            }
        }
        // A few labels: comparing them is cheaper than hashing.
        let few = if self.segments.len() <= 8 {
            self.segments.iter().position(|x| x == s)
        } else {
            None
        };
        let code = match few
            .map(|i| i as u32 + 1)
            .or_else(|| self.segment_index.get(s).copied())
        {
            Some(i) => i,
            None => {
                self.segments.push(s.to_owned());
                let i = self.segments.len() as u32;
                self.segment_index.insert(s.to_owned(), i);
                i
            }
        };
        self.last_segment = code;
        code
    }
}

/// The meta data of a stored row.
pub(crate) struct Meta<'a> {
    pub(crate) line: u64,
    pub(crate) respondent_id: Option<&'a str>,
    pub(crate) day: Option<i32>,
    pub(crate) segment: Option<&'a str>,
    pub(crate) audience: Option<Audience>,
}

/// Which rows a report covers. Every field is optional; an absent field does not filter.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Filter {
    /// First day (`YYYY-MM-DD`, UTC, inclusive). Rows without a timestamp are left out when a bound
    /// is set.
    pub from: Option<String>,
    /// Last day (`YYYY-MM-DD`, UTC, inclusive).
    pub to: Option<String>,
    /// Segment label.
    pub segment: Option<String>,
    /// Instrument version; default: the version with the most rows.
    pub version: Option<String>,
    /// Audience (`customer` or `non-customer`).
    pub audience: Option<Audience>,
}

impl Filter {
    /// Checks the dates: a report with an unreadable bound covers no rows.
    pub fn check(&self) -> Result<(), String> {
        for d in [&self.from, &self.to].into_iter().flatten() {
            if parse_date(d).is_none() {
                return Err(format!("`{d}` is not a date (YYYY-MM-DD)"));
            }
        }
        Ok(())
    }
}

/// Rows of one version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionCount {
    /// Version.
    pub version: String,
    /// Content hash.
    pub hash: String,
    /// Valid rows.
    pub n: u64,
}

/// What was imported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatasetSummary {
    /// Data rows read.
    pub rows_read: u64,
    /// Valid rows.
    pub valid: u64,
    /// Invalid rows skipped.
    pub skipped: u64,
    /// The first messages about skipped rows.
    pub errors: Vec<LocatedError>,
    /// Messages in all.
    pub errors_total: u64,
    /// The instrument of the default version (`None` only for JSON lines without a valid line).
    pub instrument: Option<InstrumentRef>,
    /// Versions found, in order of first appearance.
    pub versions: Vec<VersionCount>,
    /// Segment labels, in order of first appearance.
    pub segments: Vec<String>,
    /// Earliest day with a row.
    pub first_day: Option<String>,
    /// Latest day with a row.
    pub last_day: Option<String>,
    /// Valid rows without a readable timestamp.
    pub undated: u64,
}

/// Imported rows: reports over any filter.
#[derive(Clone, Debug)]
pub struct Dataset {
    groups: Vec<Group>,
    segments: Vec<String>,
    /// Every instrument the importer knew (never empty: `Importer::new` refuses an empty list).
    known: Vec<Instrument>,
    /// Reported when there are no rows: the chosen instrument, else the first known.
    fallback: usize,
    has_main: bool,
    stats: crate::ImportStats,
    kept: Vec<LocatedError>,
}

/// The rows a filter selects from a group.
enum Selection {
    All,
    Rows(Vec<u32>),
}

impl Dataset {
    pub(crate) fn new(core: Core, store: Store) -> Dataset {
        let fallback = core.main.unwrap_or(0);
        let mut groups = store.groups;
        for g in &mut groups {
            g.flush();
        }
        Dataset {
            groups,
            segments: store.segments,
            fallback,
            known: core.known,
            has_main: core.main.is_some(),
            stats: core.stats,
            kept: core.kept,
        }
    }

    fn fallback(&self) -> &Instrument {
        &self.known[self.fallback]
    }

    /// The group with the most rows (the first of equals).
    fn default_group(&self) -> Option<usize> {
        let mut best: Option<usize> = None;
        for (i, g) in self.groups.iter().enumerate() {
            if best.is_none_or(|b| g.len() > self.groups[b].len()) {
                best = Some(i);
            }
        }
        best
    }

    /// Counts, messages, versions, segments and the date range.
    pub fn summary(&self) -> DatasetSummary {
        let (mut lo, mut hi, mut undated) = (i32::MAX, i32::MIN, 0u64);
        for g in &self.groups {
            for &d in &g.day {
                if d == NO_DAY {
                    undated += 1;
                } else {
                    lo = lo.min(d);
                    hi = hi.max(d);
                }
            }
        }
        let instrument = match self.default_group() {
            Some(g) => Some(self.groups[g].inst.reference()),
            None if self.has_main => Some(self.fallback().reference()),
            None => None,
        };
        DatasetSummary {
            rows_read: self.stats.rows_read,
            valid: self.stats.valid,
            skipped: self.stats.skipped,
            errors: self.kept.clone(),
            errors_total: self.stats.errors_total,
            instrument,
            versions: self
                .groups
                .iter()
                .map(|g| VersionCount {
                    version: g.inst.def().version.clone(),
                    hash: g.inst.def().hash.clone(),
                    n: g.len() as u64,
                })
                .collect(),
            segments: self.segments.clone(),
            first_day: (lo <= hi).then(|| format_day(lo)),
            last_day: (lo <= hi).then(|| format_day(hi)),
            undated,
        }
    }

    /// The group a filter's version picks (`None`: no rows of that version).
    fn group_for(&self, f: &Filter) -> Option<&Group> {
        match &f.version {
            Some(v) => self.groups.iter().find(|g| &g.inst.def().version == v),
            None => self.default_group().map(|g| &self.groups[g]),
        }
    }

    fn select(&self, g: &Group, f: &Filter) -> Selection {
        let parse = |d: &Option<String>, none: i32| match d {
            None => Some(none),
            Some(s) => parse_date(s),
        };
        let (Some(from), Some(to)) = (parse(&f.from, i32::MIN + 1), parse(&f.to, i32::MAX)) else {
            return Selection::Rows(Vec::new());
        };
        let dated = f.from.is_some() || f.to.is_some();
        let seg = match &f.segment {
            None => None,
            Some(s) => match self.segments.iter().position(|x| x == s) {
                Some(i) => Some(i as u32 + 1),
                None => return Selection::Rows(Vec::new()),
            },
        };
        let aud = f.audience.map(|a| match a {
            Audience::Customer => 1u8,
            Audience::NonCustomer => 2,
        });
        if !dated && seg.is_none() && aud.is_none() {
            return Selection::All;
        }
        let mut rows = Vec::new();
        for r in 0..g.len() {
            let d = g.day[r];
            if dated && (d == NO_DAY || d < from || d > to) {
                continue;
            }
            if seg.is_some_and(|s| g.segment[r] != s) || aud.is_some_and(|a| g.audience[r] != a) {
                continue;
            }
            rows.push(r as u32);
        }
        Selection::Rows(rows)
    }

    /// Calls `f` with the selected rows' columns, a chunk at a time, in row order.
    fn for_chunks(g: &Group, sel: &Selection, mut f: impl FnMut(&[&[u8]])) {
        match sel {
            Selection::All => {
                let n = g.len();
                let mut start = 0;
                while start < n {
                    let end = (start + CHUNK).min(n);
                    let cols: Vec<&[u8]> = g.cols.iter().map(|c| &c[start..end]).collect();
                    f(&cols);
                    start = end;
                }
            }
            Selection::Rows(rows) => {
                let mut scratch: Vec<Vec<u8>> = vec![Vec::with_capacity(CHUNK); g.cols.len()];
                for part in rows.chunks(CHUNK) {
                    for (dst, src) in scratch.iter_mut().zip(&g.cols) {
                        dst.clear();
                        dst.extend(part.iter().map(|&r| src[r as usize]));
                    }
                    let cols: Vec<&[u8]> = scratch.iter().map(Vec::as_slice).collect();
                    f(&cols);
                }
            }
        }
    }

    /// The report over the rows the filter selects.
    pub fn report(&self, f: &Filter) -> AnalystReport {
        let g = self.group_for(f);
        let inst = g.map_or(self.fallback(), |g| &g.inst);
        let mut agg = Aggregator::new(inst);
        let mut acc = ItemAcc::new(inst);
        if let Some(g) = g {
            let sel = self.select(g, f);
            Self::for_chunks(g, &sel, |cols| {
                agg.add_raw_columns(cols);
                acc.add(cols);
            });
        }
        let aggregate = agg.finish();
        AnalystReport {
            n: aggregate.n_responses,
            items: acc.items(inst),
            distribution: acc.distribution(inst),
            aggregate,
        }
    }

    /// One CSV row of headline scores per selected row, as the CLI's `--per-respondent-csv` writes.
    pub fn respondents_csv(&self, f: &Filter) -> String {
        let g = self.group_for(f);
        let inst = g.map_or(self.fallback(), |g| &g.inst);
        let mut out = String::new();
        respondents::write_header(&mut out, inst);
        let Some(g) = g else {
            return out;
        };
        let rows: Vec<u32> = match self.select(g, f) {
            Selection::All => (0..g.len() as u32).collect(),
            Selection::Rows(r) => r,
        };
        let slots = inst.slots();
        let mut values = vec![None; slots.len()];
        for r in rows {
            let r = r as usize;
            for ((v, c), s) in values.iter_mut().zip(&g.cols).zip(slots) {
                let b = c[r];
                *v = (b != MISSING).then(|| i64::from(b) + i64::from(s.min));
            }
            let id = g.respondent_id(r).map(str::to_owned);
            // Stored rows passed this validation on import.
            if let Ok(v) = inst.validate_values(id, &values) {
                respondents::write_row(&mut out, g.line[r], &inst.score(&v));
            }
        }
        out
    }

    /// Valid rows stored.
    pub fn len(&self) -> usize {
        self.groups.iter().map(Group::len).sum()
    }

    /// No valid rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Per-slot answer counts and sums (pairwise: every answer of an item counts).
struct ItemAcc {
    n: Vec<u64>,
    s1: Vec<u64>,
    s2: Vec<u64>,
    /// Answer counts of the single item (single-item methods only).
    hist: Option<(usize, [u64; 256])>,
}

impl ItemAcc {
    fn new(inst: &Instrument) -> Self {
        let k = inst.slots().len();
        ItemAcc {
            n: vec![0; k],
            s1: vec![0; k],
            s2: vec![0; k],
            hist: match inst.shape() {
                Shape::Single(i) => Some((*i, [0; 256])),
                _ => None,
            },
        }
    }

    fn add(&mut self, cols: &[&[u8]]) {
        for (i, c) in cols.iter().enumerate() {
            // u32 sums are exact for a chunk (CHUNK · 254² < 2³²) and vectorise.
            for part in c.chunks(CHUNK) {
                let (mut n, mut s1, mut s2) = (0u32, 0u32, 0u32);
                for &b in part {
                    // Branch-free: a missing answer adds nothing.
                    let m = u32::from(b != MISSING);
                    let x = u32::from(b) * m;
                    n += m;
                    s1 += x;
                    s2 += x * x;
                }
                self.n[i] += u64::from(n);
                self.s1[i] += u64::from(s1);
                self.s2[i] += u64::from(s2);
            }
        }
        if let Some((i, h)) = &mut self.hist {
            if let Some(c) = cols.get(*i) {
                for &b in *c {
                    h[usize::from(b)] += 1;
                }
            }
        }
    }

    /// Mean with CI of the scored answers of slot `i`.
    fn mean(&self, inst: &Instrument, i: usize) -> MeanCi {
        let s = &inst.slots()[i];
        let n = self.n[i];
        if n == 0 {
            return MeanCi::from_mean_var(0, 0.0, 0.0);
        }
        let (nn, s1, s2) = (
            i128::from(n),
            i128::from(self.s1[i]),
            i128::from(self.s2[i]),
        );
        let mean_b = self.s1[i] as f64 / n as f64;
        // Exact integer numerator: n·Σx² − (Σx)².
        let var = if n > 1 {
            (nn * s2 - s1 * s1) as f64 / (n as f64 * (n - 1) as f64)
        } else {
            0.0
        };
        let span = f64::from(s.max - s.min);
        let mean = f64::from(s.min) + if s.reverse { span - mean_b } else { mean_b };
        MeanCi::from_mean_var(n, mean, var)
    }

    fn items(&self, inst: &Instrument) -> Vec<ItemMeans> {
        let Shape::Dimensional(dims) = inst.shape() else {
            return Vec::new();
        };
        let slots = inst.slots();
        let mut out = Vec::new();
        for d in dims {
            for st in &d.statements {
                let ids = [st.expectation, st.adequate, st.desired, Some(st.perception)]
                    .into_iter()
                    .flatten()
                    .map(|i| slots[i].id.clone())
                    .collect();
                out.push(ItemMeans {
                    statement: st.number,
                    dimension: d.id.clone(),
                    items: ids,
                    expectation: st.expectation.map(|i| self.mean(inst, i)),
                    adequate: st.adequate.map(|i| self.mean(inst, i)),
                    desired: st.desired.map(|i| self.mean(inst, i)),
                    perception: self.mean(inst, st.perception),
                });
            }
        }
        out
    }

    fn distribution(&self, inst: &Instrument) -> Vec<(i32, u64)> {
        let Some((i, h)) = &self.hist else {
            return Vec::new();
        };
        let s = &inst.slots()[*i];
        (s.min..=s.max)
            .map(|v| {
                (
                    v,
                    usize::try_from(v - s.min).map_or(0, |b| h.get(b).copied().unwrap_or(0)),
                )
            })
            .collect()
    }
}
