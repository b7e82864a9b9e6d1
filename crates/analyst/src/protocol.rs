//! Messages between the analyst page and its Web Worker (as JSON strings).
//!
//! Written by the lead for the worker glue; the page and the worker both use these types so that the
//! two sides cannot drift apart.

use serde::{Deserialize, Serialize};

use crate::{AnalystReport, DatasetSummary, Filter, ImportFailure};

/// What the page asks of the worker.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Request {
    /// Import the `File` posted with this message.
    ImportFile {
        /// `csv` or `jsonl` (a file name works too: the extension decides).
        format: String,
        /// The instrument id for CSV; `None` for JSON lines takes it from the file.
        instrument: Option<String>,
        /// Skip invalid lines instead of stopping at the first.
        skip_invalid: bool,
    },
    /// Import every stored response to `instrument` from the server's paged NDJSON export at `url`.
    ImportServer {
        /// The export's URL, e.g. `/api/v1/staff/survey-responses`.
        url: String,
        /// Instrument id.
        instrument: String,
        /// Skip invalid lines instead of stopping at the first.
        skip_invalid: bool,
        /// Only the answers given this way (`widget`, `customer`, `invitation`); all when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source: Option<String>,
    },
    /// Recompute the report for a filter; `seq` comes back with it, so late answers can be dropped.
    Report {
        /// Which rows count.
        filter: Filter,
        /// The page's request number.
        seq: u64,
    },
    /// A CSV export for a filter.
    Export {
        /// Which export.
        what: ExportKind,
        /// Which rows count.
        filter: Filter,
    },
}

/// The CSV exports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExportKind {
    /// One row of headline scores per respondent.
    Respondents,
    /// One row per statistic of the report.
    Summary,
}

/// What the worker tells the page.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Reply {
    /// The worker has started and takes requests.
    Ready,
    /// Import progress: bytes done of `total` (unknown for the server), lines read so far.
    Progress {
        /// Bytes read.
        done: u64,
        /// Bytes in all, when known.
        total: Option<u64>,
        /// Lines read so far.
        rows: u64,
    },
    /// The import finished.
    Loaded {
        /// What was read.
        summary: Box<DatasetSummary>,
    },
    /// The import stopped at invalid data; nothing was loaded.
    Failed {
        /// The located problems.
        failure: Box<ImportFailure>,
    },
    /// Something other than the data went wrong (I/O, the network, a bad request).
    Error {
        /// What, in plain words.
        message: String,
    },
    /// A report for the filter of request `seq` (0: the first report after an import).
    Report {
        /// The request number.
        seq: u64,
        /// The numbers.
        report: Box<AnalystReport>,
    },
    /// A CSV export.
    Export {
        /// Which export.
        what: ExportKind,
        /// The CSV text.
        text: String,
    },
}
