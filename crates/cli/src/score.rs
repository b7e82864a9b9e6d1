//! `rapport score`: streams responses through validation, per-response scoring and the aggregator.

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use rapport_core::{
    builtin, parse_answer, Aggregator, Instrument, Response, ResponseError, ResponseScores,
    BUILTIN_NAMES,
};
use serde::Serialize;

use crate::Failure;

/// Skipped lines kept in the report (all are counted).
const KEEP_SKIPPED: usize = 100;
/// Skipped lines echoed on stderr.
const ECHO_SKIPPED: usize = 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Csv,
    Jsonl,
}

/// Parsed `score` arguments.
pub struct Options {
    instrument: String,
    input: PathBuf,
    format: Format,
    out: Option<PathBuf>,
    per_respondent_csv: Option<PathBuf>,
    skip_invalid: bool,
    aggregate_only: bool,
}

impl Options {
    /// Parses `score` arguments (std only).
    pub fn parse(args: &[String]) -> Result<Options, Failure> {
        let mut instrument = None;
        let mut input = None;
        let mut format = None;
        let mut out = None;
        let mut per = None;
        let mut skip_invalid = false;
        let mut aggregate_only = false;
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let (key, inline) = match a.split_once('=') {
                Some((k, v)) if k.starts_with("--") => (k, Some(v.to_owned())),
                _ => (a.as_str(), None),
            };
            let mut value = |name: &str| {
                inline
                    .clone()
                    .or_else(|| it.next().cloned())
                    .ok_or_else(|| Failure::Usage(format!("{name} needs a value")))
            };
            match key {
                "--instrument" => instrument = Some(value(key)?),
                "--input" => input = Some(PathBuf::from(value(key)?)),
                "--format" => {
                    format = Some(match value(key)?.as_str() {
                        "csv" => Format::Csv,
                        "jsonl" => Format::Jsonl,
                        f => {
                            return Err(Failure::Usage(format!(
                                "unknown format `{f}`, expected csv or jsonl"
                            )))
                        }
                    })
                }
                "--out" => out = Some(PathBuf::from(value(key)?)),
                "--per-respondent-csv" => per = Some(PathBuf::from(value(key)?)),
                "--skip-invalid" => skip_invalid = true,
                "--aggregate-only" => aggregate_only = true,
                other => return Err(Failure::Usage(format!("unknown option `{other}`"))),
            }
        }
        let instrument =
            instrument.ok_or_else(|| Failure::Usage("--instrument is required".into()))?;
        let input: PathBuf = input.ok_or_else(|| Failure::Usage("--input is required".into()))?;
        let format = match format {
            Some(f) => f,
            None => match input.extension().and_then(|e| e.to_str()) {
                Some("csv") => Format::Csv,
                Some("jsonl" | "ndjson") => Format::Jsonl,
                _ => {
                    return Err(Failure::Usage(format!(
                        "cannot tell the format of {} from its extension; pass --format csv|jsonl",
                        input.display()
                    )))
                }
            },
        };
        Ok(Options {
            instrument,
            input,
            format,
            out,
            per_respondent_csv: per,
            skip_invalid,
            aggregate_only,
        })
    }
}

fn load_instrument(spec: &str) -> Result<Instrument, Failure> {
    if let Some(i) = builtin(spec) {
        return Ok(i);
    }
    let path = Path::new(spec);
    if !path.exists() {
        return Err(Failure::Usage(format!(
            "`{spec}` is neither a built-in instrument ({}) nor a file",
            BUILTIN_NAMES.join(", ")
        )));
    }
    let text =
        fs::read_to_string(path).map_err(|e| Failure::Data(format!("{}: {e}", path.display())))?;
    Instrument::from_json(&text).map_err(|errs| {
        Failure::Data(format!(
            "{}: invalid instrument definition:\n  {}",
            path.display(),
            errs.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n  ")
        ))
    })
}

/// A file written under a temporary name and renamed on success, so a failed run leaves no
/// half-written report behind.
struct Output {
    tmp: Option<(PathBuf, PathBuf)>,
    w: BufWriter<Box<dyn Write>>,
}

impl Output {
    fn create(path: Option<&Path>) -> Result<Output, Failure> {
        match path {
            None => Ok(Output {
                tmp: None,
                w: BufWriter::new(Box::new(io::stdout())),
            }),
            Some(p) => {
                let mut name = p.as_os_str().to_owned();
                name.push(".partial");
                let tmp = PathBuf::from(name);
                let f = File::create(&tmp)
                    .map_err(|e| Failure::Data(format!("{}: {e}", tmp.display())))?;
                Ok(Output {
                    tmp: Some((tmp, p.to_owned())),
                    w: BufWriter::with_capacity(1 << 16, Box::new(f)),
                })
            }
        }
    }

    fn commit(mut self) -> Result<(), Failure> {
        self.w.flush().map_err(io_err)?;
        if let Some((tmp, dest)) = self.tmp.take() {
            fs::rename(&tmp, &dest)
                .map_err(|e| Failure::Data(format!("{}: {e}", dest.display())))?;
        }
        Ok(())
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if let Some((tmp, _)) = &self.tmp {
            let _ = fs::remove_file(tmp);
        }
    }
}

fn io_err(e: io::Error) -> Failure {
    Failure::Data(format!("write failed: {e}"))
}

/// A line that failed validation.
#[derive(Serialize)]
struct Skipped {
    line: u64,
    errors: Vec<String>,
}

/// One parsed input line.
struct Row {
    line: u64,
    result: Result<rapport_core::ValidResponse, Vec<String>>,
}

/// Reads rows of either format, one at a time.
enum Reader {
    Csv {
        rdr: csv::Reader<BufReader<File>>,
        // CSV column → answer slot (None = respondent_id)
        map: Vec<Option<usize>>,
        headers: Vec<String>,
        record: csv::StringRecord,
        values: Vec<Option<i64>>,
    },
    Jsonl {
        rdr: BufReader<File>,
        line: u64,
        buf: String,
    },
}

impl Reader {
    fn open(opts: &Options, inst: &Instrument) -> Result<Reader, Failure> {
        let f = File::open(&opts.input)
            .map_err(|e| Failure::Data(format!("{}: {e}", opts.input.display())))?;
        let br = BufReader::with_capacity(1 << 16, f);
        match opts.format {
            Format::Jsonl => Ok(Reader::Jsonl {
                rdr: br,
                line: 0,
                buf: String::new(),
            }),
            Format::Csv => {
                let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(br);
                let headers: Vec<String> = rdr
                    .headers()
                    .map_err(|e| Failure::Data(format!("line 1: cannot read the CSV header: {e}")))?
                    .iter()
                    .map(|h| h.trim().trim_start_matches('\u{feff}').to_owned())
                    .collect();
                let mut map = Vec::new();
                let mut seen = std::collections::BTreeSet::new();
                for (c, h) in headers.iter().enumerate() {
                    if !seen.insert(h.clone()) {
                        return Err(Failure::Data(format!(
                            "line 1, column {} (`{h}`): duplicate column",
                            c + 1
                        )));
                    }
                    if h == "respondent_id" {
                        map.push(None);
                    } else if let Some(s) = inst.slot_of(h) {
                        map.push(Some(s));
                    } else {
                        return Err(Failure::Data(format!(
                            "line 1, column {} (`{h}`): unknown item id; expected one of the item ids of `{}` \
                             (e.g. {}) or `respondent_id`",
                            c + 1,
                            inst.def().id,
                            inst.slots().iter().take(3).map(|s| s.id.as_str()).collect::<Vec<_>>().join(", ")
                        )));
                    }
                }
                Ok(Reader::Csv {
                    rdr,
                    map,
                    headers,
                    record: csv::StringRecord::new(),
                    values: vec![None; inst.slots().len()],
                })
            }
        }
    }

    fn next(&mut self, inst: &Instrument) -> Result<Option<Row>, Failure> {
        match self {
            Reader::Csv {
                rdr,
                map,
                headers,
                record,
                values,
            } => {
                let more = rdr.read_record(record).map_err(|e| {
                    let line = e.position().map_or(0, |p| p.line());
                    Failure::Data(format!("line {line}: malformed CSV: {e}"))
                })?;
                if !more {
                    return Ok(None);
                }
                let line = record.position().map_or(0, |p| p.line());
                if record.len() != headers.len() {
                    return Ok(Some(Row {
                        line,
                        result: Err(vec![format!(
                            "line {line}: {} fields, expected {} as in the header",
                            record.len(),
                            headers.len()
                        )]),
                    }));
                }
                values.iter_mut().for_each(|v| *v = None);
                let mut rid = None;
                let mut errors = Vec::new();
                for (c, cell) in record.iter().enumerate() {
                    match map[c] {
                        None => rid = Some(cell.to_owned()).filter(|s| !s.is_empty()),
                        Some(s) => match parse_answer(&headers[c], cell) {
                            Ok(v) => values[s] = v,
                            Err(e) => errors.push(format!(
                                "line {line}, column {} ({}): {e}",
                                c + 1,
                                headers[c]
                            )),
                        },
                    }
                }
                if !errors.is_empty() {
                    return Ok(Some(Row {
                        line,
                        result: Err(errors),
                    }));
                }
                let col_of = |item: &str| headers.iter().position(|h| h == item).map(|c| c + 1);
                let result = inst.validate_values(rid, values).map_err(|errs| {
                    errs.iter()
                        .map(|e| locate_csv(line, e, &col_of))
                        .collect::<Vec<_>>()
                });
                Ok(Some(Row { line, result }))
            }
            Reader::Jsonl { rdr, line, buf } => loop {
                buf.clear();
                let n = rdr
                    .read_line(buf)
                    .map_err(|e| Failure::Data(format!("line {}: cannot read: {e}", *line + 1)))?;
                if n == 0 {
                    return Ok(None);
                }
                *line += 1;
                if buf.trim().is_empty() {
                    continue;
                }
                let l = *line;
                let result = Response::from_json(buf)
                    .and_then(|r| inst.validate(&r))
                    .map_err(|errs| errs.iter().map(|e| locate_jsonl(l, e)).collect::<Vec<_>>());
                return Ok(Some(Row { line: l, result }));
            },
        }
    }
}

fn item_of(e: &ResponseError) -> Option<&str> {
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

fn locate_csv(line: u64, e: &ResponseError, col_of: &dyn Fn(&str) -> Option<usize>) -> String {
    match item_of(e) {
        Some(item) => match col_of(item) {
            Some(c) => format!("line {line}, column {c} ({item}): {e}"),
            None => format!("line {line} (no column {item}): {e}"),
        },
        None => format!("line {line}: {e}"),
    }
}

fn locate_jsonl(line: u64, e: &ResponseError) -> String {
    match e {
        // Each JSON line is parsed on its own, so its column is the column in the file.
        ResponseError::Json {
            column, message, ..
        } => format!("line {line}, column {column}: {message}"),
        _ => format!("line {line}: {e}"),
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn write_csv_header(w: &mut dyn Write, sample: &ResponseScores) -> io::Result<()> {
    let mut cols = vec!["line".to_owned(), "respondent_id".to_owned()];
    if let Some((name, _)) = sample.label() {
        cols.push(name.to_owned());
    }
    cols.extend(sample.columns().into_iter().map(|(n, _)| n));
    cols.push("flags".into());
    writeln!(w, "{}", cols.join(","))
}

fn write_csv_row(w: &mut dyn Write, line: u64, s: &ResponseScores) -> io::Result<()> {
    let mut out = String::with_capacity(256);
    out.push_str(&line.to_string());
    out.push(',');
    out.push_str(&csv_field(s.respondent_id.as_deref().unwrap_or("")));
    if let Some((_, v)) = s.label() {
        out.push(',');
        out.push_str(&csv_field(&v));
    }
    for (_, v) in s.columns() {
        out.push(',');
        if let Some(x) = v {
            out.push_str(&x.to_string());
        }
    }
    out.push(',');
    let flags: Vec<String> = s
        .flags
        .iter()
        .map(|f| match f {
            rapport_core::Flag::InconsistentZone { statement, .. } => {
                format!("inconsistent_zone:{statement}")
            }
        })
        .collect();
    out.push_str(&csv_field(&flags.join(";")));
    writeln!(w, "{out}")
}

#[derive(Serialize)]
struct RespondentLine<'a> {
    line: u64,
    #[serde(flatten)]
    scores: &'a ResponseScores,
}

/// Runs `rapport score`.
pub fn run(opts: Options) -> Result<(), Failure> {
    let inst = load_instrument(&opts.instrument)?;
    let mut reader = Reader::open(&opts, &inst)?;
    let mut report = Output::create(opts.out.as_deref())?;
    let mut per = match &opts.per_respondent_csv {
        Some(p) => Some(Output::create(Some(p))?),
        None => None,
    };
    let mut agg = Aggregator::new(&inst);
    let w = &mut report.w;
    write!(
        w,
        "{{\n\"instrument\": {},\n\"input\": {},\n",
        serde_json::to_string(&inst.reference()).unwrap_or_default(),
        serde_json::to_string(&opts.input.display().to_string()).unwrap_or_default()
    )
    .map_err(io_err)?;
    if !opts.aggregate_only {
        write!(w, "\"respondents\": [").map_err(io_err)?;
    }
    let mut first = true;
    let mut header_done = false;
    let mut skipped_count = 0u64;
    let mut skipped = Vec::new();
    while let Some(row) = reader.next(&inst)? {
        match row.result {
            Ok(valid) => {
                let scores = agg.add(&valid);
                if !opts.aggregate_only {
                    w.write_all(if first { b"\n" } else { b",\n" })
                        .map_err(io_err)?;
                    serde_json::to_writer(
                        &mut *w,
                        &RespondentLine {
                            line: row.line,
                            scores: &scores,
                        },
                    )
                    .map_err(|e| Failure::Data(format!("write failed: {e}")))?;
                    first = false;
                }
                if let Some(p) = per.as_mut() {
                    if !header_done {
                        write_csv_header(&mut p.w, &scores).map_err(io_err)?;
                        header_done = true;
                    }
                    write_csv_row(&mut p.w, row.line, &scores).map_err(io_err)?;
                }
            }
            Err(errors) => {
                if !opts.skip_invalid {
                    return Err(Failure::Data(format!(
                        "{}: invalid response (use --skip-invalid to skip such lines):\n  {}",
                        opts.input.display(),
                        errors.join("\n  ")
                    )));
                }
                skipped_count += 1;
                if skipped_count as usize <= ECHO_SKIPPED {
                    eprintln!("skipped: {}", errors.join("; "));
                }
                if skipped.len() < KEEP_SKIPPED {
                    skipped.push(Skipped {
                        line: row.line,
                        errors,
                    });
                }
            }
        }
    }
    if let Some(p) = per.as_mut() {
        if !header_done {
            // No valid row: still write the header, from an empty response's columns.
            let empty = inst
                .validate_values(None, &vec![None; inst.slots().len()])
                .map(|v| inst.score(&v));
            if let Ok(s) = empty {
                write_csv_header(&mut p.w, &s).map_err(io_err)?;
            }
        }
    }
    if skipped_count > ECHO_SKIPPED as u64 {
        eprintln!("skipped {skipped_count} invalid lines in all");
    }
    let aggregate = agg.finish();
    if !opts.aggregate_only {
        write!(w, "\n],\n").map_err(io_err)?;
    }
    write!(
        w,
        "\"skipped\": {{\"count\": {skipped_count}, \"first\": {}}},\n\"aggregate\": ",
        serde_json::to_string(&skipped).unwrap_or_default()
    )
    .map_err(io_err)?;
    serde_json::to_writer_pretty(&mut *w, &aggregate)
        .map_err(|e| Failure::Data(format!("write failed: {e}")))?;
    writeln!(w, "\n}}").map_err(io_err)?;
    report.commit()?;
    if let Some(p) = per {
        p.commit()?;
    }
    Ok(())
}
