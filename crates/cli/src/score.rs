//! `rapport score`: streams responses through validation, per-response scoring and the aggregator.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use rapport_analyst::respondents::{write_header_for, write_row};
use rapport_analyst::{FailureKind, Format, ImportFailure, ImportOptions, Importer, Row, RowEvent};
use rapport_core::packed::MISSING;
use rapport_core::{builtin, Aggregator, Instrument, ResponseScores, BUILTIN_NAMES};
use serde::Serialize;

use crate::output::{check_paths, commit_all, io_err, open_input, Output};
use crate::Failure;

/// Skipped lines kept in the report (all are counted).
const KEEP_SKIPPED: usize = 100;
/// Skipped lines echoed on stderr.
const ECHO_SKIPPED: usize = 10;
/// Rows packed before they go to the aggregator (`--aggregate-only`).
const LEAN_ROWS: usize = 4096;

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

/// A line that failed validation.
#[derive(Serialize)]
struct Skipped {
    line: u64,
    errors: Vec<String>,
}

#[derive(Serialize)]
struct RespondentLine<'a> {
    line: u64,
    #[serde(flatten)]
    scores: &'a ResponseScores,
}

/// The state of one `rapport score` run while rows stream through it.
struct Run<'a> {
    opts: &'a Options,
    inst: &'a Instrument,
    agg: Aggregator<'a>,
    /// The report and the per-respondent CSV, created at the first row (or at the end), so that
    /// a file whose header is wrong leaves no output behind.
    out: Option<(Output, Option<Output>)>,
    first: bool,
    header_done: bool,
    skipped_count: u64,
    skipped: Vec<Skipped>,
    line_buf: String,
    /// Packed answers by slot, for `--aggregate-only` without a per-respondent CSV.
    lean: Option<Vec<Vec<u8>>>,
}

impl Run<'_> {
    fn start(&mut self) -> Result<(), Failure> {
        if self.out.is_some() {
            return Ok(());
        }
        let mut report = Output::create(self.opts.out.as_deref())?;
        let per = match &self.opts.per_respondent_csv {
            Some(p) => Some(Output::create(Some(p))?),
            None => None,
        };
        write!(
            report.w,
            "{{\n\"instrument\": {},\n\"input\": {},\n",
            serde_json::to_string(&self.inst.reference()).unwrap_or_default(),
            serde_json::to_string(&self.opts.input.display().to_string()).unwrap_or_default()
        )
        .map_err(io_err)?;
        if !self.opts.aggregate_only {
            write!(report.w, "\"respondents\": [").map_err(io_err)?;
        }
        self.out = Some((report, per));
        Ok(())
    }

    fn event(&mut self, ev: RowEvent<'_>) -> Result<(), Failure> {
        match ev {
            RowEvent::Valid(row) => self.valid(row),
            RowEvent::Invalid { line, errors } => {
                let errors: Vec<String> = errors.iter().map(|e| e.message.clone()).collect();
                self.skipped_count += 1;
                if self.skipped_count as usize <= ECHO_SKIPPED {
                    eprintln!("skipped: {}", errors.join("; "));
                }
                if self.skipped.len() < KEEP_SKIPPED {
                    self.skipped.push(Skipped { line, errors });
                }
                Ok(())
            }
        }
    }

    fn valid(&mut self, row: &Row<'_>) -> Result<(), Failure> {
        self.start()?;
        if let Some(cols) = self.lean.as_mut() {
            // Only the aggregate is wanted: store the answers packed and skip per-response scores.
            for ((c, v), s) in cols.iter_mut().zip(row.values).zip(row.instrument.slots()) {
                c.push(match v {
                    Some(v) => u8::try_from(v - i64::from(s.min)).unwrap_or(MISSING),
                    None => MISSING,
                });
            }
            if cols.first().is_some_and(|c| c.len() >= LEAN_ROWS) {
                self.flush_lean();
            }
            return Ok(());
        }
        let valid = row.to_valid().map_err(|errs| {
            Failure::Data(format!(
                "line {}: {}",
                row.line,
                errs.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            ))
        })?;
        let scores = self.agg.add(&valid);
        let Some((report, per)) = self.out.as_mut() else {
            return Ok(());
        };
        if !self.opts.aggregate_only {
            let w = &mut report.w;
            w.write_all(if self.first { b"\n" } else { b",\n" })
                .map_err(io_err)?;
            serde_json::to_writer(
                &mut *w,
                &RespondentLine {
                    line: row.line,
                    scores: &scores,
                },
            )
            .map_err(|e| Failure::Data(format!("write failed: {e}")))?;
            self.first = false;
        }
        if let Some(p) = per.as_mut() {
            self.line_buf.clear();
            if !self.header_done {
                write_header_for(&mut self.line_buf, &scores);
                self.header_done = true;
            }
            write_row(&mut self.line_buf, row.line, &scores);
            p.w.write_all(self.line_buf.as_bytes()).map_err(io_err)?;
        }
        Ok(())
    }
}

impl Run<'_> {
    /// Adds the packed rows of the lean path to the aggregate.
    fn flush_lean(&mut self) {
        if let Some(cols) = self.lean.as_mut() {
            let view: Vec<&[u8]> = cols.iter().map(Vec::as_slice).collect();
            // The columns are the instrument's slots, so they always fit.
            self.agg.add_raw_columns(&view);
            cols.iter_mut().for_each(Vec::clear);
        }
    }
}

fn import_failure(opts: &Options, f: ImportFailure) -> Failure {
    let lines: Vec<&str> = f.errors.iter().map(|e| e.message.as_str()).collect();
    match f.kind {
        FailureKind::InvalidRow => Failure::Data(format!(
            "{}: invalid response (use --skip-invalid to skip such lines):\n  {}",
            opts.input.display(),
            lines.join("\n  ")
        )),
        FailureKind::Format | FailureKind::Setup => Failure::Data(lines.join("\n")),
    }
}

/// How a run that did not fail ended.
pub enum Done {
    /// At least one valid response was scored.
    Scored,
    /// The input held no valid response (empty, or every line skipped): the report is written,
    /// every statistic undefined (`no_data`).
    NothingValid,
}

/// Runs `rapport score`.
pub fn run(opts: Options) -> Result<Done, Failure> {
    // Before anything is read: an output must not be an input or another output.
    let mut inputs: Vec<(&str, &Path)> = vec![("--input", opts.input.as_path())];
    if builtin(&opts.instrument).is_none() {
        inputs.push(("--instrument", Path::new(&opts.instrument)));
    }
    let outputs: Vec<(&str, &Path)> = [
        ("--out", opts.out.as_deref()),
        ("--per-respondent-csv", opts.per_respondent_csv.as_deref()),
    ]
    .into_iter()
    .filter_map(|(n, p)| p.map(|p| (n, p)))
    .collect();
    check_paths(&inputs, &outputs)?;
    let inst = load_instrument(&opts.instrument)?;
    let mut file = open_input(&opts.input)?;
    let mut importer = Importer::new(
        vec![inst.clone()],
        Some(&inst.def().id),
        ImportOptions {
            format: opts.format,
            skip_invalid: opts.skip_invalid,
            // The skipped lines are kept here, with all of their messages.
            max_messages: 0,
        },
    )
    .map_err(|f| import_failure(&opts, f))?;
    let mut run = Run {
        opts: &opts,
        inst: &inst,
        agg: Aggregator::new(&inst),
        out: None,
        first: true,
        header_done: false,
        skipped_count: 0,
        skipped: Vec::new(),
        line_buf: String::new(),
        lean: (opts.aggregate_only && opts.per_respondent_csv.is_none())
            .then(|| vec![Vec::with_capacity(LEAN_ROWS); inst.slots().len()]),
    };
    let mut failure = None;
    let mut sink = |ev: RowEvent<'_>| {
        if failure.is_none() {
            if let Err(f) = run.event(ev) {
                failure = Some(f);
            }
        }
    };
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Failure::Data(format!("{}: {e}", opts.input.display()))),
        };
        importer
            .feed_with(&buf[..n], &mut sink)
            .map_err(|f| import_failure(&opts, f))?;
    }
    importer
        .finish_with(&mut sink)
        .map_err(|f| import_failure(&opts, f))?;
    if let Some(f) = failure {
        return Err(f);
    }
    run.start()?;
    let Some((mut report, mut per)) = run.out.take() else {
        return Ok(Done::Scored);
    };
    if let Some(p) = per.as_mut() {
        if !run.header_done {
            // No valid row: still write the header, from an empty response's columns.
            let empty = inst
                .validate_values(None, &vec![None; inst.slots().len()])
                .map(|v| inst.score(&v));
            if let Ok(s) = empty {
                let mut h = String::new();
                write_header_for(&mut h, &s);
                p.w.write_all(h.as_bytes()).map_err(io_err)?;
            }
        }
    }
    if run.skipped_count > ECHO_SKIPPED as u64 {
        eprintln!("skipped {} invalid lines in all", run.skipped_count);
    }
    run.flush_lean();
    let aggregate = run.agg.finish();
    let w = &mut report.w;
    if !opts.aggregate_only {
        write!(w, "\n],\n").map_err(io_err)?;
    }
    write!(
        w,
        "\"skipped\": {{\"count\": {}, \"first\": {}}},\n\"aggregate\": ",
        run.skipped_count,
        serde_json::to_string(&run.skipped).unwrap_or_default()
    )
    .map_err(io_err)?;
    serde_json::to_writer_pretty(&mut *w, &aggregate)
        .map_err(|e| Failure::Data(format!("write failed: {e}")))?;
    writeln!(w, "\n}}").map_err(io_err)?;
    let scored = aggregate.n_responses > 0;
    commit_all(std::iter::once(report).chain(per).collect())?;
    if scored {
        Ok(Done::Scored)
    } else {
        eprintln!(
            "warning: {}: no valid response ({} lines skipped); every statistic is undefined (no_data)",
            opts.input.display(),
            run.skipped_count
        );
        Ok(Done::NothingValid)
    }
}
