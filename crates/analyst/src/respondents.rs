//! Per-respondent CSV: one row of headline scores per valid response, as `rapport score
//! --per-respondent-csv` writes it (header `line,respondent_id[,segment|category],<scores>,flags`).

use rapport_core::csv::{LineEnd, Row};
use rapport_core::{Flag, Instrument, ResponseMeta, ResponseScores, ValidResponse};

/// Appends the header line for scores shaped like `sample` (the columns depend only on the
/// instrument).
pub fn write_header_for(out: &mut String, sample: &ResponseScores) {
    let mut r = Row::new(out);
    r.texts(["line", "respondent_id"]);
    if let Some((name, _)) = sample.label() {
        r.text(name);
    }
    r.texts(sample.columns().iter().map(|(name, _)| name))
        .text("flags")
        .end(LineEnd::Lf);
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
    let mut r = Row::new(out);
    r.count(line).text(s.respondent_id.as_deref().unwrap_or(""));
    if let Some((_, v)) = s.label() {
        r.text(&v);
    }
    for (_, v) in s.columns() {
        r.opt_number(v);
    }
    let flags: Vec<String> = s
        .flags
        .iter()
        .map(|f| match f {
            Flag::InconsistentZone { statement, .. } => format!("inconsistent_zone:{statement}"),
        })
        .collect();
    r.text(&flags.join(";")).end(LineEnd::Lf);
}
