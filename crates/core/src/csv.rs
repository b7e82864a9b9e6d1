//! The one CSV writer of the product (RFC 4180), safe to open in a spreadsheet: the history export
//! of the portal, the analyst view's exports and the CLI all write through [`Row`].
//!
//! Spreadsheet programs run a cell that starts with `=`, `+`, `-` or `@` (and some a tab or carriage
//! return) as a formula, so text from respondents, customers or the server could execute there
//! ("CSV injection"). Every *text* cell that starts with one of those characters is prefixed with
//! `'`, which spreadsheets show as text. *Numbers* are not defused: a negative gap such as `-1.5`
//! is data, and a leading quote would turn it into text that no longer sums. That is safe because
//! a numeric cell is written only from a number ([`Row::number`], [`Row::integer`]) or from text
//! checked to be a plain decimal ([`Row::decimal`]), so it can never hold more than `-`, digits and
//! one point. Cells with a comma, a quote or a line break are quoted, quotes doubled.

use std::fmt::Write as _;

/// Characters that start a formula in spreadsheet programs.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether `s` is a plain decimal number: an optional `-`, digits, optionally `.` and digits.
pub fn is_plain_decimal(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    all_digits(int) && frac.is_none_or(all_digits)
}

/// Appends one text cell: defused when a spreadsheet would read it as a formula, then quoted when
/// it holds a comma, a quote or a line break.
pub fn push_text(out: &mut String, value: &str) {
    let defuse = value.starts_with(FORMULA_START);
    if value.contains([',', '"', '\n', '\r']) {
        out.push('"');
        if defuse {
            out.push('\'');
        }
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        if defuse {
            out.push('\'');
        }
        out.push_str(value);
    }
}

/// One text cell as a string (see [`push_text`]).
pub fn text(value: &str) -> String {
    let mut s = String::with_capacity(value.len() + 2);
    push_text(&mut s, value);
    s
}

/// Line ends: `\r\n` as RFC 4180 asks (spreadsheets), or `\n` (tools, the CLI).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineEnd {
    /// `\r\n`.
    Crlf,
    /// `\n`.
    Lf,
}

/// One CSV record being appended to a string; cells are separated by commas, and [`Row::end`]
/// closes the record.
pub struct Row<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Row<'a> {
    /// Starts a record at the end of `out`.
    pub fn new(out: &'a mut String) -> Row<'a> {
        Row { out, first: true }
    }

    fn sep(&mut self) -> &mut String {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        self.out
    }

    /// A text cell (defused and quoted as needed).
    pub fn text(&mut self, value: &str) -> &mut Self {
        push_text(self.sep(), value);
        self
    }

    /// Several text cells (a header, say).
    pub fn texts<S: AsRef<str>>(&mut self, values: impl IntoIterator<Item = S>) -> &mut Self {
        for v in values {
            self.text(v.as_ref());
        }
        self
    }

    /// A number as Rust prints it (shortest text that reads back to the same f64, never an
    /// exponent); empty when not finite.
    pub fn number(&mut self, x: f64) -> &mut Self {
        let out = self.sep();
        if x.is_finite() {
            let _ = write!(out, "{x}");
        }
        self
    }

    /// An optional number: empty when `None` (an undefined statistic).
    pub fn opt_number(&mut self, x: Option<f64>) -> &mut Self {
        match x {
            Some(x) => self.number(x),
            None => self.empty(),
        }
    }

    /// An integer.
    pub fn integer(&mut self, x: i64) -> &mut Self {
        let _ = write!(self.sep(), "{x}");
        self
    }

    /// An unsigned integer.
    pub fn count(&mut self, x: u64) -> &mut Self {
        let _ = write!(self.sep(), "{x}");
        self
    }

    /// A number already formatted by the caller (e.g. money `-12.05`): written as it is when it is
    /// a plain decimal, otherwise as a text cell, so it can never smuggle a formula in.
    pub fn decimal(&mut self, value: &str) -> &mut Self {
        if is_plain_decimal(value) {
            self.sep().push_str(value);
            self
        } else {
            self.text(value)
        }
    }

    /// An empty cell.
    pub fn empty(&mut self) -> &mut Self {
        self.sep();
        self
    }

    /// Closes the record with `eol`.
    pub fn end(&mut self, eol: LineEnd) {
        self.out.push_str(match eol {
            LineEnd::Crlf => "\r\n",
            LineEnd::Lf => "\n",
        });
    }
}

// Native only: proptest does not target wasm32.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Splits CSV text into records of unquoted cells (RFC 4180), the way a spreadsheet reads it.
    fn parse(text: &str) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        let mut row = Vec::new();
        let mut cell = String::new();
        let mut quoted = false;
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => cell.push(c),
                (false, '"') => quoted = true,
                (false, ',') => row.push(std::mem::take(&mut cell)),
                (false, '\r') if chars.peek() == Some(&'\n') => {}
                (false, '\n') => {
                    row.push(std::mem::take(&mut cell));
                    rows.push(std::mem::take(&mut row));
                }
                (false, c) => cell.push(c),
            }
        }
        rows
    }

    #[test]
    fn quotes_and_defuses_text() {
        assert_eq!(text("plain"), "plain");
        assert_eq!(text("a,b"), "\"a,b\"");
        assert_eq!(text("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(text("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(text("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(text("-5"), "'-5");
        assert_eq!(text("+1"), "'+1");
        assert_eq!(text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text("\tx"), "'\tx");
        assert_eq!(text("\rx"), "\"'\rx\"");
        assert_eq!(text(""), "");
    }

    #[test]
    fn numbers_stay_numbers() {
        let mut s = String::new();
        Row::new(&mut s)
            .number(-1.5)
            .number(0.1 + 0.2)
            .opt_number(None)
            .integer(-3)
            .count(7)
            .decimal("-12.05")
            .decimal("-1+2")
            .number(f64::NAN)
            .end(LineEnd::Crlf);
        assert_eq!(s, "-1.5,0.30000000000000004,,-3,7,-12.05,'-1+2,\r\n");
    }

    #[test]
    fn plain_decimals() {
        for ok in ["0", "-0", "12", "-12.05", "3.0"] {
            assert!(is_plain_decimal(ok), "{ok}");
        }
        for bad in [
            "", "-", ".5", "5.", "1e5", "-1+2", "--1", "1.2.3", " 1", "inf",
        ] {
            assert!(!is_plain_decimal(bad), "{bad}");
        }
    }

    proptest! {
        /// No cell a spreadsheet reads from our output starts a formula, except numbers, and
        /// every text value reads back as itself (after the defusing quote).
        #[test]
        fn no_cell_starts_a_formula_and_values_round_trip(
            cells in prop::collection::vec(
                prop_oneof![
                    any::<String>().prop_map(Ok),
                    "[-=+@\t\r,\"\n a-z0-9.]{0,8}".prop_map(Ok),
                    any::<f64>().prop_map(Err),
                ],
                1..6,
            ),
            rows in 1usize..4,
            crlf in any::<bool>(),
        ) {
            let mut out = String::new();
            for _ in 0..rows {
                let mut r = Row::new(&mut out);
                for c in &cells {
                    match c {
                        Ok(t) => r.text(t),
                        Err(x) => r.number(*x),
                    };
                }
                r.end(if crlf { LineEnd::Crlf } else { LineEnd::Lf });
            }
            let parsed = parse(&out);
            prop_assert_eq!(parsed.len(), rows);
            for row in parsed {
                prop_assert_eq!(row.len(), cells.len());
                for (got, want) in row.iter().zip(&cells) {
                    match want {
                        Ok(t) => {
                            let back = got.strip_prefix('\'').filter(|_| t.starts_with(FORMULA_START));
                            prop_assert_eq!(back.unwrap_or(got), t.as_str());
                            prop_assert!(!got.starts_with(FORMULA_START), "text cell {:?}", got);
                        }
                        Err(x) if x.is_finite() => {
                            prop_assert!(is_plain_decimal(got), "number cell {:?}", got);
                            prop_assert_eq!(got.parse::<f64>().ok(), Some(*x));
                        }
                        Err(_) => prop_assert_eq!(got.as_str(), ""),
                    }
                }
            }
        }
    }
}
