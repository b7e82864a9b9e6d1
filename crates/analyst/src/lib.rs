//! # Rapport analyst engine
//!
//! The pure engine behind the analyst view (a staff page that runs it as Wasm in a Web Worker) and the
//! `rapport score` command: a push-based [`Importer`] that decodes CSV or JSON lines arriving in
//! chunks of any size, validates every row against the scoring core's instruments and stores the
//! answers packed (one byte per answer, column by column); a [`Dataset`] that computes the
//! [`AnalystReport`] (the core's aggregate plus item means and answer distributions) for any
//! [`Filter`] of days, segment and instrument version, again and again, without parsing anything twice.
//!
//! Input formats are those of the CLI (`crates/cli/README.md`), with the optional meta columns
//! `timestamp`, `segment` and `audience` in CSV. Error messages are the CLI's, located by line, column
//! and item; a CSV line number is the line the record starts on.
//!
//! - **Instruments and versions.** CSV answers the instrument the caller names. A JSON-lines file may
//!   mix versions of one instrument: each known version is a group of its own, the report covers one
//!   group ([`Filter::version`], default the largest); other ids and unknown versions or hashes are
//!   invalid rows.
//! - **Filters** select rows by UTC day of their timestamp (rows without one drop out as soon as a
//!   bound is set), segment, audience and version. Each report runs over the stored bytes again;
//!   nothing is parsed twice.
//! - **Reports** are exactly the core's [`rapport_core::AggregateReport`] for the selected rows (the
//!   CLI's `aggregate`), computed by [`rapport_core::Aggregator::add_raw_columns`] straight from
//!   the packed columns, plus pairwise item means and answer distributions.
//! - **Speed.** Common CSV lines (unquoted, plain integers, valid) are parsed, checked and stored in
//!   one pass; everything else takes the general path (csv-core, the core's validation) with its
//!   exact messages. JSON lines are read with borrowed strings and fall back the same way. Native,
//!   1M SERVQUAL rows (134 MB CSV) take about 0.5 s to import and 0.2 s to report
//!   (`cargo run --release -p rapport-analyst --example bench`); as Wasm, build with
//!   `-C target-feature=+simd128`: the aggregation kernels are written to vectorise.
//!
//! ```
//! use rapport_analyst::{Filter, Format, ImportOptions, Importer};
//! use rapport_core::builtin;
//!
//! let nps = builtin("nps").expect("built-in");
//! let mut imp = Importer::new(vec![nps], Some("nps"), ImportOptions::new(Format::Csv)).unwrap();
//! imp.feed(b"NPS,segment\n9,north\n3,so").unwrap();     // chunks may end anywhere
//! imp.feed(b"uth\n10,north\n").unwrap();
//! let data = imp.finish().unwrap();
//! let report = data.report(&Filter { segment: Some("north".into()), ..Filter::default() });
//! assert_eq!(report.n, 2);
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod dataset;
mod date;
mod import;
pub mod protocol;
mod report;
pub mod respondents;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use dataset::{Dataset, DatasetSummary, Filter, VersionCount};
pub use date::{format_day, parse_date, parse_timestamp};
pub use import::{ImportStats, Importer, Row, RowEvent};
pub use report::{summary_csv, AnalystReport, ItemMeans};

/// Input format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// CSV with a header row of item ids (and optional meta columns).
    Csv,
    /// One JSON response per line.
    Jsonl,
}

impl Format {
    /// The format a file name's extension stands for: `.csv`, `.jsonl` or `.ndjson` (any case).
    pub fn from_name(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Format::Csv),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            _ => None,
        }
    }
}

/// How to import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOptions {
    /// Input format.
    pub format: Format,
    /// Skip invalid rows (counted, their messages kept) instead of failing at the first one.
    pub skip_invalid: bool,
    /// Messages kept in the summary; all are counted.
    pub max_messages: usize,
}

impl ImportOptions {
    /// Fail at the first invalid row; keep 100 messages.
    pub fn new(format: Format) -> Self {
        ImportOptions {
            format,
            skip_invalid: false,
            max_messages: 100,
        }
    }
}

/// A problem with the input, located.
///
/// `message` is the complete text the CLI prints, e.g.
/// `line 3, column 26 (P3): item P3: 9 is out of range, expected an integer from 1 to 7`;
/// the other fields repeat its parts for a program.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocatedError {
    /// 1-based line (for CSV the line the record starts on; 0 when the error concerns no line).
    pub line: u64,
    /// 1-based column: the CSV column, or the character column in a JSON line.
    pub column: Option<u32>,
    /// Item id (or CSV header cell) the error is about.
    pub item: Option<String>,
    /// Machine code: the core's `ResponseError::code` (`out_of_range`, `missing_required`, …) or one
    /// of `unknown_column`, `duplicate_column`, `field_count`, `malformed_csv`, `unreadable`,
    /// `unknown_instrument`, `bad_timestamp`, `bad_audience`, `setup`.
    pub code: String,
    /// The full message, as the CLI prints it.
    pub message: String,
}

impl fmt::Display for LocatedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// What stopped an import.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// The instrument choice or the options are wrong.
    Setup,
    /// The file cannot be read as its format (header, CSV structure, UTF-8 in JSON lines).
    Format,
    /// A row is invalid and invalid rows are not skipped.
    InvalidRow,
}

/// Why an import failed: the messages (for an invalid row, every error of that row).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportFailure {
    /// What kind of failure.
    pub kind: FailureKind,
    /// The messages.
    pub errors: Vec<LocatedError>,
    /// Number of messages (equal to `errors.len()`; kept for symmetry with the summary).
    pub total: u64,
}

impl ImportFailure {
    pub(crate) fn one(kind: FailureKind, e: LocatedError) -> Self {
        ImportFailure {
            kind,
            errors: vec![e],
            total: 1,
        }
    }
}

impl fmt::Display for ImportFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            f.write_str(&e.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ImportFailure {}
