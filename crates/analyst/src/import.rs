//! Push-based import: CSV or JSON lines arrive in chunks of any size (a record, a line or a UTF-8
//! character may be split between chunks), every row is validated against the instrument, and valid
//! rows go to the packed store (or, for the CLI, to a callback).
//!
//! The hot path allocates nothing per row: CSV records are split by `csv-core` into one reused
//! buffer, cells that are plain integers are read without the general parser, and validation runs
//! the same checks as [`Instrument::validate_values`] on a reused answer buffer. Only an invalid row
//! goes through the core's validation again, to get its exact messages.

use std::borrow::Cow;

use csv_core::{ReadRecordResult, Reader as CsvReader};
use rapport_core::packed::MISSING;
use rapport_core::{
    parse_answer, Audience, Instrument, InstrumentRef, Response, ResponseError, ResponseMeta,
    ValidResponse,
};

use crate::dataset::{Dataset, Meta, Store};
use crate::date::{parse_timestamp, timestamp_day};
use crate::{FailureKind, Format, ImportFailure, ImportOptions, LocatedError};

/// A valid row, as decoded.
#[derive(Clone, Copy, Debug)]
pub struct Row<'a> {
    /// 1-based line (CSV: where the record starts).
    pub line: u64,
    /// Instrument group: the order in which instrument versions first appeared (0 for CSV).
    pub group: usize,
    /// The instrument (version) the row was validated against.
    pub instrument: &'a Instrument,
    /// Raw answers by slot ([`Instrument::slots`]); validated.
    pub values: &'a [Option<i64>],
    /// Respondent id, if given (never empty).
    pub respondent_id: Option<&'a str>,
    /// Timestamp as given.
    pub timestamp: Option<&'a str>,
    /// Its UTC day (days since 1970-01-01), when it could be read.
    pub day: Option<i32>,
    /// Segment label, if given (never empty).
    pub segment: Option<&'a str>,
    /// Audience, if given.
    pub audience: Option<Audience>,
}

impl Row<'_> {
    /// The row as the core's validated response (for per-response scores).
    pub fn to_valid(&self) -> Result<ValidResponse, Vec<ResponseError>> {
        let mut v = self
            .instrument
            .validate_values(self.respondent_id.map(str::to_owned), self.values)?;
        v.meta = ResponseMeta {
            timestamp: self.timestamp.map(str::to_owned),
            segment: self.segment.map(str::to_owned),
            audience: self.audience,
        };
        Ok(v)
    }
}

/// What the importer reports per row to a callback ([`Importer::feed_with`]).
#[derive(Clone, Copy, Debug)]
pub enum RowEvent<'a> {
    /// A valid row.
    Valid(&'a Row<'a>),
    /// A skipped invalid row and its errors (only with `skip_invalid`).
    Invalid {
        /// Its line.
        line: u64,
        /// Every error found in it.
        errors: &'a [LocatedError],
    },
}

/// Counts of an import.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImportStats {
    /// Data rows read (CSV records after the header; non-blank JSON lines).
    pub rows_read: u64,
    /// Valid rows.
    pub valid: u64,
    /// Invalid rows skipped.
    pub skipped: u64,
    /// Messages about skipped rows (all counted; the first `max_messages` kept).
    pub errors_total: u64,
}

/// State shared by both formats.
pub(crate) struct Core {
    pub(crate) known: Vec<Instrument>,
    pub(crate) opts: ImportOptions,
    /// The instrument the import is about (given, or the first valid JSON line's).
    pub(crate) main: Option<usize>,
    /// Group → index into `known`.
    pub(crate) groups: Vec<usize>,
    pub(crate) stats: ImportStats,
    pub(crate) kept: Vec<LocatedError>,
    row_errors: Vec<LocatedError>,
    values: Vec<Option<i64>>,
    /// Allocation slots per known instrument.
    alloc: Vec<Vec<usize>>,
}

type Sink<'s> = dyn FnMut(RowEvent<'_>) + 's;

/// Where decoded rows go: the store (which also allows the direct CSV path) or a callback.
enum Out<'a, 's> {
    Store(&'a mut Store),
    Sink(&'a mut Sink<'s>),
}

impl Out<'_, '_> {
    fn emit(&mut self, ev: RowEvent<'_>) {
        match self {
            Out::Store(s) => {
                if let RowEvent::Valid(r) = ev {
                    s.push(r);
                }
            }
            Out::Sink(f) => f(ev),
        }
    }
}

impl Core {
    fn group_of(&mut self, k: usize) -> usize {
        match self.groups.iter().position(|&g| g == k) {
            Some(g) => g,
            None => {
                self.groups.push(k);
                self.groups.len() - 1
            }
        }
    }

    /// Handles the invalid row whose errors are in `row_errors`.
    fn reject(&mut self, line: u64, out: &mut Out<'_, '_>) -> Result<(), ImportFailure> {
        if !self.opts.skip_invalid {
            let errors = std::mem::take(&mut self.row_errors);
            return Err(ImportFailure {
                kind: FailureKind::InvalidRow,
                total: errors.len() as u64,
                errors,
            });
        }
        self.stats.skipped += 1;
        self.stats.errors_total += self.row_errors.len() as u64;
        let room = self.opts.max_messages.saturating_sub(self.kept.len());
        self.kept.extend(self.row_errors.iter().take(room).cloned());
        out.emit(RowEvent::Invalid {
            line,
            errors: &self.row_errors,
        });
        Ok(())
    }
}

/// Same checks as `Instrument::validate_values`, without building anything: true when that would
/// accept `values`.
fn quick_valid(inst: &Instrument, alloc: &[usize], values: &[Option<i64>]) -> bool {
    for (s, v) in inst.slots().iter().zip(values) {
        match *v {
            None if s.required => return false,
            None => {}
            Some(x) if x < i64::from(s.min) || x > i64::from(s.max) => return false,
            Some(_) => {}
        }
    }
    if let Some(total) = inst.allocation_total() {
        let answered = alloc.iter().filter(|&&c| values[c].is_some()).count();
        if answered > 0 {
            if answered < alloc.len() {
                return false;
            }
            let sum: i64 = alloc.iter().filter_map(|&c| values[c]).sum();
            if sum != i64::from(total) {
                return false;
            }
        }
    }
    true
}

/// Allocation slots of an instrument, in dimension order.
pub(crate) fn allocation_slots(inst: &Instrument) -> Vec<usize> {
    match inst.shape() {
        rapport_core::instrument::Shape::Dimensional(dims) => {
            dims.iter().filter_map(|d| d.weight).collect()
        }
        _ => Vec::new(),
    }
}

pub(crate) fn item_of(e: &ResponseError) -> Option<&str> {
    match e {
        ResponseError::UnknownItem { item }
        | ResponseError::DuplicateItem { item }
        | ResponseError::NotAnInteger { item, .. }
        | ResponseError::OutOfRange { item, .. }
        | ResponseError::MissingRequired { item }
        | ResponseError::AllocationIncomplete { item } => Some(item),
        _ => None,
    }
}

fn plain(line: u64, code: &str, message: String) -> LocatedError {
    LocatedError {
        line,
        column: None,
        item: None,
        code: code.into(),
        message,
    }
}

/// What a CSV column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    Slot(usize),
    RespondentId,
    Timestamp,
    Segment,
    Audience,
}

const META_COLUMNS: [&str; 4] = ["respondent_id", "timestamp", "segment", "audience"];

struct CsvHeader {
    names: Vec<String>,
    cols: Vec<Col>,
}

struct CsvState {
    rdr: CsvReader,
    buf: Vec<u8>,
    ends: Vec<usize>,
    outlen: usize,
    endlen: usize,
    /// The line the current record starts on.
    rec_line: u64,
    rec_byte: u64,
    rec_index: u64,
    byte: u64,
    header: Option<CsvHeader>,
    alloc: Vec<usize>,
    /// csv-core stands right after a record that ended with a newline, so a simple line may be
    /// split without it.
    lf_start: bool,
    /// Bytes between fields in `buf`: 0 as csv-core writes them, 1 for a line copied whole.
    sep: usize,
    /// Whether the direct path may be used (off only to test it against the general path).
    direct: bool,
    /// Required slots of the instrument.
    required: Vec<usize>,
    /// One row, packed, for the direct path.
    packed: Vec<u8>,
}

struct JsonState {
    pending: Vec<u8>,
    line: u64,
    /// Whether the fast path may be used (off only to test it against the general path).
    direct: bool,
}

enum Decoder {
    Csv(Box<CsvState>),
    Jsonl(JsonState),
}

/// Push-based importer: create, [`feed`](Importer::feed) chunks, [`finish`](Importer::finish).
pub struct Importer {
    core: Core,
    decoder: Decoder,
    store: Store,
    failed: Option<ImportFailure>,
}

fn setup(message: String) -> ImportFailure {
    ImportFailure::one(FailureKind::Setup, plain(0, "setup", message))
}

impl Importer {
    /// A new importer.
    ///
    /// `known`: every instrument (and version) the caller knows. `instrument`: which one the data
    /// answers, as `id` (the first of `known` with that id) or `id@version`; required for CSV. For
    /// JSON lines, `None` takes the instrument of the first valid line; lines answering another id,
    /// or a version or hash not in `known`, are invalid rows; lines of another known version of the
    /// same id form their own group (see [`crate::Filter::version`]).
    pub fn new(
        known: Vec<Instrument>,
        instrument: Option<&str>,
        opts: ImportOptions,
    ) -> Result<Importer, ImportFailure> {
        if known.is_empty() {
            return Err(setup("no instruments given".into()));
        }
        let main = match instrument {
            Some(spec) => {
                let (id, version) = match spec.split_once('@') {
                    Some((i, v)) => (i, Some(v)),
                    None => (spec, None),
                };
                let found = known
                    .iter()
                    .position(|k| k.def().id == id && version.is_none_or(|v| k.def().version == v));
                match found {
                    Some(k) => Some(k),
                    None => {
                        let mut names: Vec<String> = known
                            .iter()
                            .map(|k| format!("{}@{}", k.def().id, k.def().version))
                            .collect();
                        names.dedup();
                        return Err(setup(format!(
                            "unknown instrument `{spec}`; known: {}",
                            names.join(", ")
                        )));
                    }
                }
            }
            None if opts.format == Format::Csv => {
                return Err(setup(
                    "a CSV file does not say which instrument it answers: choose one".into(),
                ))
            }
            None => None,
        };
        let decoder = match opts.format {
            Format::Csv => {
                let alloc = main
                    .map(|k| allocation_slots(&known[k]))
                    .unwrap_or_default();
                Decoder::Csv(Box::new(CsvState {
                    rdr: CsvReader::new(),
                    buf: vec![0; 1 << 12],
                    ends: vec![0; 64],
                    outlen: 0,
                    endlen: 0,
                    rec_line: 1,
                    rec_byte: 0,
                    rec_index: 0,
                    byte: 0,
                    header: None,
                    alloc,
                    lf_start: false,
                    sep: 0,
                    direct: true,
                    required: main
                        .map(|k| {
                            let sl = known[k].slots();
                            (0..sl.len()).filter(|&i| sl[i].required).collect()
                        })
                        .unwrap_or_default(),
                    packed: vec![MISSING; main.map_or(0, |k| known[k].slots().len())],
                }))
            }
            Format::Jsonl => Decoder::Jsonl(JsonState {
                pending: Vec::new(),
                line: 0,
                direct: true,
            }),
        };
        let width = known.iter().map(|k| k.slots().len()).max().unwrap_or(0);
        let alloc = known.iter().map(allocation_slots).collect();
        Ok(Importer {
            core: Core {
                known,
                opts,
                main,
                groups: Vec::new(),
                stats: ImportStats::default(),
                kept: Vec::new(),
                row_errors: Vec::new(),
                values: vec![None; width],
                alloc,
            },
            decoder,
            store: Store::default(),
            failed: None,
        })
    }

    /// Turns the direct CSV and fast JSON paths off (for tests that compare it with the general path).
    #[doc(hidden)]
    pub fn set_direct_path(&mut self, on: bool) {
        match &mut self.decoder {
            Decoder::Csv(c) => c.direct = on,
            Decoder::Jsonl(j) => j.direct = on,
        }
    }

    /// Data rows read so far.
    pub fn rows_read(&self) -> u64 {
        self.core.stats.rows_read
    }

    /// Counts so far.
    pub fn stats(&self) -> &ImportStats {
        &self.core.stats
    }

    /// Decodes a chunk and stores its valid rows.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), ImportFailure> {
        Self::run(
            &mut self.failed,
            &mut self.core,
            &mut self.decoder,
            chunk,
            false,
            &mut Out::Store(&mut self.store),
        )
    }

    /// Ends the input and returns the dataset.
    pub fn finish(mut self) -> Result<Dataset, ImportFailure> {
        Self::run(
            &mut self.failed,
            &mut self.core,
            &mut self.decoder,
            &[],
            true,
            &mut Out::Store(&mut self.store),
        )?;
        Ok(Dataset::new(self.core, self.store))
    }

    /// Decodes a chunk and hands every row to `sink` instead of storing it (the CLI streams).
    pub fn feed_with(
        &mut self,
        chunk: &[u8],
        sink: &mut dyn FnMut(RowEvent<'_>),
    ) -> Result<(), ImportFailure> {
        Self::run(
            &mut self.failed,
            &mut self.core,
            &mut self.decoder,
            chunk,
            false,
            &mut Out::Sink(sink),
        )
    }

    /// Ends the input of [`feed_with`](Importer::feed_with) (the last row may still arrive).
    pub fn finish_with(
        mut self,
        sink: &mut dyn FnMut(RowEvent<'_>),
    ) -> Result<ImportStats, ImportFailure> {
        Self::run(
            &mut self.failed,
            &mut self.core,
            &mut self.decoder,
            &[],
            true,
            &mut Out::Sink(sink),
        )?;
        Ok(self.core.stats)
    }

    /// The instrument the import is about, once known.
    pub fn instrument(&self) -> Option<&Instrument> {
        self.core.main.map(|k| &self.core.known[k])
    }

    fn run(
        failed: &mut Option<ImportFailure>,
        core: &mut Core,
        decoder: &mut Decoder,
        chunk: &[u8],
        end: bool,
        out: &mut Out<'_, '_>,
    ) -> Result<(), ImportFailure> {
        if let Some(f) = failed {
            return Err(f.clone());
        }
        let r = match decoder {
            Decoder::Csv(c) => c.feed(core, chunk, end, out),
            Decoder::Jsonl(j) => j.feed(core, chunk, end, out),
        };
        if let Err(f) = &r {
            *failed = Some(f.clone());
        }
        r
    }
}

/// A cell that is a plain unsigned integer of up to 9 digits, read without the general parser.
#[inline]
fn quick_int(cell: &[u8]) -> Option<i64> {
    if cell.is_empty() || cell.len() > 9 {
        return None;
    }
    let mut v = 0i64;
    for &c in cell {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v * 10 + i64::from(d);
    }
    Some(v)
}

impl CsvState {
    fn feed(
        &mut self,
        core: &mut Core,
        chunk: &[u8],
        end: bool,
        out: &mut Out<'_, '_>,
    ) -> Result<(), ImportFailure> {
        let mut pos = 0;
        // An empty input tells csv-core that the data ended, so only pass one at the end.
        while pos < chunk.len() || end {
            if self.lf_start && self.header.is_some() && pos < chunk.len() {
                if let Out::Store(store) = out {
                    if self.direct {
                        let line = self.rdr.line();
                        if let Some(n) = self.direct_line(core, store, &chunk[pos..], line) {
                            pos += n;
                            self.byte += n as u64;
                            self.rdr.set_line(line + 1);
                            self.next_record();
                            continue;
                        }
                    }
                }
                if let Some(n) = self.quick_line(&chunk[pos..]) {
                    pos += n;
                    self.byte += n as u64;
                    // csv-core would have counted the line's newline; it is back at a record start.
                    let line = self.rdr.line();
                    self.rdr.set_line(line + 1);
                    self.rec_line = line;
                    let r = self.record(core, out);
                    self.next_record();
                    r?;
                    continue;
                }
            }
            let (res, nin, nout, nend) = self.rdr.read_record(
                &chunk[pos..],
                &mut self.buf[self.outlen..],
                &mut self.ends[self.endlen..],
            );
            pos += nin;
            self.byte += nin as u64;
            self.outlen += nout;
            self.endlen += nend;
            self.lf_start = false;
            match res {
                ReadRecordResult::InputEmpty => {
                    if end {
                        // Not expected at the end of the input; nothing more can come.
                        break;
                    }
                }
                ReadRecordResult::OutputFull => {
                    let n = self.buf.len() * 2;
                    self.buf.resize(n, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let n = self.ends.len() * 2;
                    self.ends.resize(n, 0);
                }
                ReadRecordResult::Record => {
                    // The line the record starts on: csv-core has counted every newline up to its
                    // terminator, including those inside quoted fields (which it copied).
                    let term_nl = nin > 0 && chunk.get(pos - 1) == Some(&b'\n');
                    let inside = self.buf[..self.outlen]
                        .iter()
                        .filter(|&&b| b == b'\n')
                        .count() as u64;
                    self.rec_line = self.rdr.line() - u64::from(term_nl) - inside;
                    let r = self.record(core, out);
                    self.next_record();
                    self.lf_start = term_nl;
                    r?;
                }
                ReadRecordResult::End => break,
            }
        }
        Ok(())
    }

    fn next_record(&mut self) {
        self.sep = 0;
        self.outlen = 0;
        self.endlen = 0;
        self.rec_byte = self.byte;
        self.rec_index += 1;
    }

    /// The direct path for the common line: complete, unquoted, every answer a plain integer in
    /// range, the row valid. Parses and checks it in one pass and stores it packed, with no
    /// intermediate record; returns the bytes consumed. `None` (nothing changed) for anything
    /// else, which the general path then reads, with its exact messages.
    fn direct_line(
        &mut self,
        core: &mut Core,
        store: &mut Store,
        rest: &[u8],
        line: u64,
    ) -> Option<usize> {
        let header = self.header.as_ref()?;
        let k = core.main?;
        let inst = &core.known[k];
        let slots = inst.slots();
        let row = &mut self.packed[..slots.len()];
        row.fill(MISSING);
        let mut meta = [(0usize, 0usize); 4];
        let last = header.cols.len().checked_sub(1)?;
        let mut i = 0;
        for (c, col) in header.cols.iter().enumerate() {
            match *col {
                Col::Slot(s) => {
                    let (mut v, start) = (0u32, i);
                    while let Some(d) = rest
                        .get(i)
                        .map(|b| b.wrapping_sub(b'0'))
                        .filter(|d| *d <= 9)
                    {
                        v = v * 10 + u32::from(d);
                        i += 1;
                        if i - start > 3 {
                            return None;
                        }
                    }
                    if i > start {
                        let sl = &slots[s];
                        let v = i32::try_from(v).ok()?;
                        if v < sl.min || v > sl.max {
                            return None;
                        }
                        row[s] = u8::try_from(v - sl.min).ok()?;
                    }
                }
                other => {
                    let start = i;
                    while let Some(&b) = rest.get(i) {
                        match b {
                            b',' | b'\n' => break,
                            b'"' | b'\r' => return None,
                            _ => i += 1,
                        }
                    }
                    let m = match other {
                        Col::RespondentId => 0,
                        Col::Timestamp => 1,
                        Col::Segment => 2,
                        _ => 3,
                    };
                    meta[m] = (start, i);
                }
            }
            match rest.get(i) {
                Some(b',') if c < last => i += 1,
                Some(b'\n') if c == last => break,
                _ => return None,
            }
        }
        if i == 0 {
            // A blank line: csv-core skips it.
            return None;
        }
        if self.required.iter().any(|&s| row[s] == MISSING) {
            return None;
        }
        if let Some(total) = inst.allocation_total() {
            let answered = self.alloc.iter().filter(|&&s| row[s] != MISSING).count();
            if answered > 0 {
                let sum: i32 = self
                    .alloc
                    .iter()
                    .map(|&s| i32::from(row[s]) + slots[s].min)
                    .sum();
                if answered < self.alloc.len() || sum != total {
                    return None;
                }
            }
        }
        let text = |m: usize| -> Option<&str> {
            let (a, b) = meta[m];
            std::str::from_utf8(&rest[a..b]).ok()
        };
        let respondent_id = text(0)?;
        // Timestamp and audience are read as bytes (only ASCII is valid in them; anything unusual
        // goes to the general path).
        let bytes = |m: usize| rest[meta[m].0..meta[m].1].trim_ascii();
        let day = match bytes(1) {
            [] => None,
            t => Some(timestamp_day(t)?),
        };
        let audience = match bytes(3) {
            b"" => None,
            b"customer" => Some(Audience::Customer),
            b"non-customer" => Some(Audience::NonCustomer),
            _ => return None,
        };
        let segment = text(2)?;
        core.stats.rows_read += 1;
        core.stats.valid += 1;
        if core.groups.is_empty() {
            core.groups.push(k);
        }
        store.push_packed(
            0,
            inst,
            row,
            Meta {
                line,
                respondent_id: Some(respondent_id).filter(|s| !s.is_empty()),
                day,
                segment: Some(segment).filter(|s| !s.is_empty()),
                audience,
            },
        );
        Some(i + 1)
    }

    /// Splits a complete line without quotes or carriage returns at its commas, as csv-core would,
    /// into `buf` and `ends`; returns the bytes consumed (newline included). `None` for anything
    /// else (blank, quoted, CRLF or unfinished lines), which csv-core reads.
    fn quick_line(&mut self, rest: &[u8]) -> Option<usize> {
        let mut n = 0;
        for (i, &b) in rest.iter().enumerate() {
            match b {
                b',' | b'\n' => {
                    if n == self.ends.len() {
                        let len = self.ends.len() * 2;
                        self.ends.resize(len, 0);
                    }
                    self.ends[n] = i;
                    n += 1;
                    if b == b'\n' {
                        if i == 0 {
                            return None;
                        }
                        if self.buf.len() < i {
                            self.buf.resize(i.next_power_of_two(), 0);
                        }
                        self.buf[..i].copy_from_slice(&rest[..i]);
                        self.outlen = i;
                        self.endlen = n;
                        self.sep = 1;
                        return Some(i + 1);
                    }
                }
                b'"' | b'\r' => return None,
                _ => {}
            }
        }
        None
    }

    fn field(&self, i: usize) -> &[u8] {
        let start = if i == 0 {
            0
        } else {
            self.ends[i - 1] + self.sep
        };
        &self.buf[start..self.ends[i]]
    }

    /// The `csv` crate's message for a record that is not UTF-8, if it is not.
    fn utf8_problem(&self) -> Option<String> {
        if self.buf[..self.outlen].is_ascii() {
            return None;
        }
        (0..self.endlen).find_map(|i| {
            std::str::from_utf8(self.field(i)).err().map(|e| {
                format!(
                    "CSV parse error: record {} (line {}, field: {i}, byte: {}): invalid utf-8: invalid UTF-8 in field {i} near byte index {}",
                    self.rec_index,
                    self.rec_line,
                    self.rec_byte,
                    e.valid_up_to()
                )
            })
        })
    }

    fn record(&mut self, core: &mut Core, out: &mut Out<'_, '_>) -> Result<(), ImportFailure> {
        let line = self.rec_line;
        if self.header.is_none() {
            return self.read_header(core);
        }
        if let Some(p) = self.utf8_problem() {
            return Err(ImportFailure::one(
                FailureKind::Format,
                plain(
                    line,
                    "malformed_csv",
                    format!("line {line}: malformed CSV: {p}"),
                ),
            ));
        }
        core.stats.rows_read += 1;
        let Some(k) = core.main else {
            return Ok(());
        };
        let Some(header) = self.header.as_ref() else {
            return Ok(());
        };
        let inst = &core.known[k];
        core.row_errors.clear();
        if self.endlen != header.names.len() {
            core.row_errors.push(plain(
                line,
                "field_count",
                format!(
                    "line {line}: {} fields, expected {} as in the header",
                    self.endlen,
                    header.names.len()
                ),
            ));
            return core.reject(line, out);
        }
        let n_slots = inst.slots().len();
        let values = &mut core.values[..n_slots];
        values.iter_mut().for_each(|v| *v = None);
        let mut rid = None;
        let mut timestamp = None;
        let mut day = None;
        let mut segment = None;
        let mut audience = None;
        let mut start = 0;
        for (c, (&end, &col)) in self.ends[..self.endlen]
            .iter()
            .zip(&header.cols)
            .enumerate()
        {
            let cell = &self.buf[start..end];
            start = end + self.sep;
            match col {
                Col::Slot(s) => {
                    if let Some(v) = quick_int(cell) {
                        values[s] = Some(v);
                        continue;
                    }
                    if cell.is_empty() {
                        continue;
                    }
                    // Checked above: the record is UTF-8.
                    let text = std::str::from_utf8(cell).unwrap_or_default();
                    match parse_answer(&header.names[c], text) {
                        Ok(v) => values[s] = v,
                        Err(e) => core.row_errors.push(LocatedError {
                            line,
                            column: Some(c as u32 + 1),
                            item: Some(header.names[c].clone()),
                            code: e.code().into(),
                            message: format!(
                                "line {line}, column {} ({}): {e}",
                                c + 1,
                                header.names[c]
                            ),
                        }),
                    }
                }
                Col::RespondentId => {
                    rid = std::str::from_utf8(cell).ok().filter(|s| !s.is_empty());
                }
                Col::Segment => {
                    segment = std::str::from_utf8(cell).ok().filter(|s| !s.is_empty());
                }
                Col::Timestamp => {
                    let text = std::str::from_utf8(cell).unwrap_or_default();
                    if !text.trim().is_empty() {
                        match parse_timestamp(text) {
                            Some(d) => {
                                day = Some(d);
                                timestamp = Some(text);
                            }
                            None => core.row_errors.push(LocatedError {
                                line,
                                column: Some(c as u32 + 1),
                                item: Some(header.names[c].clone()),
                                code: "bad_timestamp".into(),
                                message: format!(
                                    "line {line}, column {} ({}): {text:?} is not an RFC 3339 timestamp or a YYYY-MM-DD date",
                                    c + 1,
                                    header.names[c]
                                ),
                            }),
                        }
                    }
                }
                Col::Audience => {
                    let text = std::str::from_utf8(cell).unwrap_or_default().trim();
                    match text {
                        "" => {}
                        "customer" => audience = Some(Audience::Customer),
                        "non-customer" => audience = Some(Audience::NonCustomer),
                        other => core.row_errors.push(LocatedError {
                            line,
                            column: Some(c as u32 + 1),
                            item: Some(header.names[c].clone()),
                            code: "bad_audience".into(),
                            message: format!(
                                "line {line}, column {} ({}): expected `customer` or `non-customer`, found {other:?}",
                                c + 1,
                                header.names[c]
                            ),
                        }),
                    }
                }
            }
        }
        if core.row_errors.is_empty() && !quick_valid(inst, &self.alloc, values) {
            // The quick check agrees with the core (tested); if it ever did not, the core wins.
            if let Err(errs) = inst.validate_values(None, values) {
                {
                    for e in &errs {
                        let col =
                            item_of(e).and_then(|item| header.names.iter().position(|h| h == item));
                        let message = match (item_of(e), col) {
                            (Some(item), Some(c)) => {
                                format!("line {line}, column {} ({item}): {e}", c + 1)
                            }
                            (Some(item), None) => format!("line {line} (no column {item}): {e}"),
                            _ => format!("line {line}: {e}"),
                        };
                        core.row_errors.push(LocatedError {
                            line,
                            column: col.map(|c| c as u32 + 1),
                            item: item_of(e).map(str::to_owned),
                            code: e.code().into(),
                            message,
                        });
                    }
                }
            }
        }
        if !core.row_errors.is_empty() {
            return core.reject(line, out);
        }
        core.stats.valid += 1;
        let row = Row {
            line,
            group: 0,
            instrument: inst,
            values,
            respondent_id: rid,
            timestamp,
            day,
            segment,
            audience,
        };
        if core.groups.is_empty() {
            core.groups.push(k);
        }
        out.emit(RowEvent::Valid(&row));
        Ok(())
    }

    fn read_header(&mut self, core: &mut Core) -> Result<(), ImportFailure> {
        if let Some(p) = self.utf8_problem() {
            return Err(ImportFailure::one(
                FailureKind::Format,
                plain(
                    1,
                    "malformed_csv",
                    format!("line 1: cannot read the CSV header: {p}"),
                ),
            ));
        }
        let Some(k) = core.main else {
            return Ok(());
        };
        let inst = &core.known[k];
        let mut names = Vec::with_capacity(self.endlen);
        let mut cols = Vec::with_capacity(self.endlen);
        for c in 0..self.endlen {
            let h = std::str::from_utf8(self.field(c))
                .unwrap_or_default()
                .trim()
                .trim_start_matches('\u{feff}')
                .to_owned();
            let located = |code: &str, message: String| LocatedError {
                line: 1,
                column: Some(c as u32 + 1),
                item: Some(h.clone()),
                code: code.into(),
                message,
            };
            if names.contains(&h) {
                return Err(ImportFailure::one(
                    FailureKind::Format,
                    located(
                        "duplicate_column",
                        format!("line 1, column {} (`{h}`): duplicate column", c + 1),
                    ),
                ));
            }
            let col = match h.as_str() {
                "respondent_id" => Col::RespondentId,
                "timestamp" => Col::Timestamp,
                "segment" => Col::Segment,
                "audience" => Col::Audience,
                item => match inst.slot_of(item) {
                    Some(s) => Col::Slot(s),
                    None => {
                        return Err(ImportFailure::one(
                            FailureKind::Format,
                            located(
                                "unknown_column",
                                format!(
                                    "line 1, column {} (`{h}`): unknown item id; expected one of the item ids of `{}` \
                                     (e.g. {}) or one of {}",
                                    c + 1,
                                    inst.def().id,
                                    inst.slots().iter().take(3).map(|s| s.id.as_str()).collect::<Vec<_>>().join(", "),
                                    META_COLUMNS.map(|m| format!("`{m}`")).join(", ")
                                ),
                            ),
                        ))
                    }
                },
            };
            names.push(h);
            cols.push(col);
        }
        self.header = Some(CsvHeader { names, cols });
        Ok(())
    }
}

impl JsonState {
    fn feed(
        &mut self,
        core: &mut Core,
        chunk: &[u8],
        end: bool,
        out: &mut Out<'_, '_>,
    ) -> Result<(), ImportFailure> {
        let mut rest = chunk;
        while let Some(nl) = rest.iter().position(|&b| b == b'\n') {
            // The line keeps its newline: the core's JSON messages count it, as the CLI's did.
            let (line, after) = rest.split_at(nl + 1);
            rest = after;
            if self.pending.is_empty() {
                self.line(core, line, out)?;
            } else {
                let mut joined = std::mem::take(&mut self.pending);
                joined.extend_from_slice(line);
                let r = self.line(core, &joined, out);
                joined.clear();
                self.pending = joined;
                r?;
            }
        }
        self.pending.extend_from_slice(rest);
        if end && !self.pending.is_empty() {
            let last = std::mem::take(&mut self.pending);
            self.line(core, &last, out)?;
        }
        Ok(())
    }

    fn line(
        &mut self,
        core: &mut Core,
        bytes: &[u8],
        out: &mut Out<'_, '_>,
    ) -> Result<(), ImportFailure> {
        self.line += 1;
        let line = self.line;
        let Ok(text) = std::str::from_utf8(bytes) else {
            return Err(ImportFailure::one(
                FailureKind::Format,
                plain(
                    line,
                    "unreadable",
                    format!("line {line}: cannot read: stream did not contain valid UTF-8"),
                ),
            ));
        };
        // A byte-order mark may open the file, as in CSV (editors on Windows write one).
        let text = if line == 1 {
            text.strip_prefix('\u{feff}').unwrap_or(text)
        } else {
            text
        };
        if text.trim().is_empty() {
            return Ok(());
        }
        core.stats.rows_read += 1;
        core.row_errors.clear();
        if self.direct && fast_line(core, line, text, out) {
            return Ok(());
        }
        self.slow_line(core, line, text, out)
    }

    /// The general path: the core's parser and validation, for their exact messages.
    fn slow_line(
        &mut self,
        core: &mut Core,
        line: u64,
        text: &str,
        out: &mut Out<'_, '_>,
    ) -> Result<(), ImportFailure> {
        let located = |e: &ResponseError| match e {
            // Each JSON line is parsed on its own, so its column is the column in the file.
            ResponseError::Json {
                column, message, ..
            } => LocatedError {
                line,
                column: u32::try_from(*column).ok(),
                item: None,
                code: e.code().into(),
                message: format!("line {line}, column {column}: {message}"),
            },
            _ => LocatedError {
                line,
                column: None,
                item: item_of(e).map(str::to_owned),
                code: e.code().into(),
                message: format!("line {line}: {e}"),
            },
        };
        let r = match Response::from_json(text) {
            Ok(r) => r,
            Err(errs) => {
                core.row_errors.extend(errs.iter().map(located));
                return core.reject(line, out);
            }
        };
        let k = match resolve(core, &r.instrument) {
            Ok(k) => k,
            Err(Some(e)) => {
                core.row_errors.push(located(&e));
                return core.reject(line, out);
            }
            Err(None) => {
                core.row_errors.push(plain(
                    line,
                    "unknown_instrument",
                    format!(
                        "line {line}: response is for instrument `{}` version `{}` (hash {}), which is not a known instrument",
                        r.instrument.id, r.instrument.version, r.instrument.hash
                    ),
                ));
                return core.reject(line, out);
            }
        };
        let valid = match core.known[k].validate(&r) {
            Ok(v) => v,
            Err(errs) => {
                core.row_errors.extend(errs.iter().map(located));
                return core.reject(line, out);
            }
        };
        if core.main.is_none() {
            core.main = Some(k);
        }
        let g = core.group_of(k);
        core.stats.valid += 1;
        let n = core.known[k].slots().len();
        for (dst, src) in core.values[..n].iter_mut().zip(&valid.values) {
            *dst = src.map(i64::from);
        }
        let inst = &core.known[k];
        let row = Row {
            line,
            group: g,
            instrument: inst,
            values: &core.values[..n],
            respondent_id: r.respondent_id.as_deref().filter(|s| !s.is_empty()),
            timestamp: r.meta.timestamp.as_deref(),
            day: r.meta.timestamp.as_deref().and_then(parse_timestamp),
            segment: r.meta.segment.as_deref().filter(|s| !s.is_empty()),
            audience: r.meta.audience,
        };
        out.emit(RowEvent::Valid(&row));
        Ok(())
    }
}

/// The known instrument a response names: `Err(Some(e))` with the core's mismatch error against the
/// import's instrument, `Err(None)` when no instrument is fixed yet and the reference is unknown.
pub(crate) fn resolve(core: &Core, r: &InstrumentRef) -> Result<usize, Option<ResponseError>> {
    let main = core.main.map(|k| &core.known[k]);
    if let Some(m) = main {
        if r.id != m.def().id {
            return Err(Some(ResponseError::InstrumentMismatch {
                expected: m.def().id.clone(),
                found: r.id.clone(),
            }));
        }
    }
    let same_version = core
        .known
        .iter()
        .enumerate()
        .filter(|(_, k)| k.def().id == r.id && k.def().version == r.version);
    let mut first = None;
    for (i, k) in same_version {
        if k.def().hash == r.hash {
            return Ok(i);
        }
        first.get_or_insert(k);
    }
    if let Some(k) = first {
        return Err(Some(ResponseError::HashMismatch {
            instrument: k.def().id.clone(),
            version: k.def().version.clone(),
            expected: k.def().hash.clone(),
            found: r.hash.clone(),
        }));
    }
    match main {
        Some(m) => Err(Some(ResponseError::VersionMismatch {
            instrument: m.def().id.clone(),
            expected: m.def().version.clone(),
            found: r.version.clone(),
        })),
        None => Err(None),
    }
}

/// A JSON line as the fast path reads it: strings borrowed from the line where they need no
/// unescaping, answers in order (so that duplicates are seen), no map per line. Field rules as the
/// core's `Response` (unknown top-level fields refused, unknown meta fields ignored).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FastResponse<'a> {
    #[serde(borrow)]
    instrument: FastRef<'a>,
    #[serde(default, borrow)]
    respondent_id: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "answers_in_order")]
    answers: Answers<'a>,
    #[serde(default, borrow)]
    meta: FastMeta<'a>,
}

#[derive(serde::Deserialize)]
struct FastRef<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    version: Cow<'a, str>,
    #[serde(borrow)]
    hash: Cow<'a, str>,
}

#[derive(serde::Deserialize, Default)]
struct FastMeta<'a> {
    #[serde(default, borrow)]
    timestamp: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    segment: Option<Cow<'a, str>>,
    #[serde(default)]
    audience: Option<Audience>,
}

/// Item id and answer, in the order given.
type Answers<'a> = Vec<(Cow<'a, str>, Option<i64>)>;

/// Answers as a sequence of pairs, read from a JSON object.
fn answers_in_order<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Answers<'de>, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Answers<'de>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object of item id → integer or null")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut m: A,
        ) -> Result<Self::Value, A::Error> {
            let mut v = Vec::with_capacity(m.size_hint().unwrap_or(64));
            while let Some((k, x)) = m.next_entry::<Cow<'de, str>, Option<i64>>()? {
                v.push((k, x));
            }
            Ok(v)
        }
    }
    d.deserialize_map(V)
}

/// The fast path for a JSON line: a known instrument (exactly), every answer an integer or null
/// for a known item, once, and the response valid. Emits the row and returns true; false (nothing
/// counted or emitted) sends the line to the general path.
fn fast_line(core: &mut Core, line: u64, text: &str, out: &mut Out<'_, '_>) -> bool {
    let Ok(r) = serde_json::from_str::<FastResponse<'_>>(text) else {
        return false;
    };
    let found = core.known.iter().position(|k| {
        let d = k.def();
        d.id == r.instrument.id && d.version == r.instrument.version && d.hash == r.instrument.hash
    });
    let Some(k) = found else {
        return false;
    };
    if core
        .main
        .is_some_and(|m| core.known[m].def().id != core.known[k].def().id)
    {
        return false;
    }
    let inst = &core.known[k];
    let slots = inst.slots();
    let values = &mut core.values[..slots.len()];
    values.iter_mut().for_each(|v| *v = None);
    // Answers usually come in slot order: try the next slot before the map.
    let mut seen = [0u64; 4];
    let mut guess = 0;
    for (id, v) in &r.answers {
        let s = match slots.get(guess) {
            Some(sl) if sl.id == **id => guess,
            _ => match inst.slot_of(id) {
                Some(s) => s,
                None => return false,
            },
        };
        // More than 256 slots: leave duplicate detection to the general path.
        let Some(word) = seen.get_mut(s / 64) else {
            return false;
        };
        if *word & (1 << (s % 64)) != 0 {
            return false;
        }
        *word |= 1 << (s % 64);
        values[s] = *v;
        guess = s + 1;
    }
    if !quick_valid(inst, &core.alloc[k], values) {
        return false;
    }
    if core.main.is_none() {
        core.main = Some(k);
    }
    let g = core.group_of(k);
    core.stats.valid += 1;
    let inst = &core.known[k];
    let timestamp = r.meta.timestamp.as_deref();
    let row = Row {
        line,
        group: g,
        instrument: inst,
        values: &core.values[..inst.slots().len()],
        respondent_id: r.respondent_id.as_deref().filter(|s| !s.is_empty()),
        timestamp,
        day: timestamp.and_then(parse_timestamp),
        segment: r.meta.segment.as_deref().filter(|s| !s.is_empty()),
        audience: r.meta.audience,
    };
    out.emit(RowEvent::Valid(&row));
    true
}
