//! Per-respondent CSV: one row of headline scores per valid response, as `rapport score
//! --per-respondent-csv` writes it (header `line,respondent_id[,segment|category],<scores>,flags`).

use std::fmt::Write as _;

use rapport_core::{Flag, Instrument, ResponseMeta, ResponseScores, ValidResponse};

/// A CSV cell: quoted when it holds a comma, a quote or a line break.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// Appends the header line for scores shaped like `sample` (the columns depend only on the
/// instrument).
pub fn write_header_for(out: &mut String, sample: &ResponseScores) {
    out.push_str("line,respondent_id");
    if let Some((name, _)) = sample.label() {
        out.push(',');
        out.push_str(name);
    }
    for (name, _) in sample.columns() {
        out.push(',');
        out.push_str(&name);
    }
    out.push_str(",flags\n");
}

/// Appends the header line of `inst`'s per-respondent scores.
pub fn write_header(out: &mut String, inst: &Instrument) {
    // An unanswered response has every column (with empty values); it need not be valid for that.
    let empty = ValidResponse {
        respondent_id: None,
        values: vec![None; inst.slots().len()],
        flags: Vec::new(),
        meta: ResponseMeta::default(),
    };
    write_header_for(out, &inst.score(&empty));
}

/// Appends one row: the input line, the respondent id, the label, the score columns (empty when
/// undefined) and the flags separated by `;`.
pub fn write_row(out: &mut String, line: u64, s: &ResponseScores) {
    let _ = write!(out, "{line},");
    out.push_str(&csv_field(s.respondent_id.as_deref().unwrap_or("")));
    if let Some((_, v)) = s.label() {
        out.push(',');
        out.push_str(&csv_field(&v));
    }
    for (_, v) in s.columns() {
        out.push(',');
        if let Some(x) = v {
            let _ = write!(out, "{x}");
        }
    }
    out.push(',');
    let flags: Vec<String> = s
        .flags
        .iter()
        .map(|f| match f {
            Flag::InconsistentZone { statement, .. } => format!("inconsistent_zone:{statement}"),
        })
        .collect();
    out.push_str(&csv_field(&flags.join(";")));
    out.push('\n');
}
