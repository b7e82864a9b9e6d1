//! Import, reports and filters against the scoring core and the `csv` crate (native only).
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use rapport_analyst::{
    summary_csv, Dataset, FailureKind, Filter, Format, ImportOptions, Importer, RowEvent,
};
use rapport_core::{aggregate, builtin, Instrument, Response, ValidResponse};

fn inst(name: &str) -> Instrument {
    builtin(name).unwrap_or_else(|| panic!("built-in {name}"))
}

/// NPS version 2.0.0: the same items under another version (so another hash).
fn nps_v2() -> Instrument {
    let mut def = inst("nps").def().clone();
    def.version = "2.0.0".into();
    def.hash = String::new();
    Instrument::new(def).expect("valid definition")
}

fn opts(format: Format, skip: bool) -> ImportOptions {
    ImportOptions {
        format,
        skip_invalid: skip,
        max_messages: 100,
    }
}

fn import(
    known: Vec<Instrument>,
    instrument: Option<&str>,
    o: ImportOptions,
    chunks: &[&[u8]],
) -> Result<Dataset, rapport_analyst::ImportFailure> {
    let mut imp = Importer::new(known, instrument, o)?;
    for c in chunks {
        imp.feed(c)?;
    }
    imp.finish()
}

/// A SERVQUAL CSV of `rows` rows from a seed: answers 1–7, some missing, an allocation on most
/// rows, meta columns, and every `bad`-th row out of range.
fn servqual_csv(rows: usize, seed: u64, bad: usize) -> String {
    let inst = inst("servqual");
    let mut s = String::from("respondent_id,timestamp,segment");
    for sl in inst.slots() {
        s.push(',');
        s.push_str(&sl.id);
    }
    s.push('\n');
    let mut x = seed | 1;
    let mut next = move || {
        // xorshift64: deterministic and good enough for test data.
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for r in 0..rows {
        let day = 1 + next() % 28;
        let seg = ["north", "south", "\"east, coast\""][(next() % 3) as usize];
        s.push_str(&format!("r{r},2026-02-{day:02}T12:00:00Z,{seg}"));
        for _ in 0..44 {
            let v = next() % 8;
            if v == 0 {
                s.push(',');
            } else {
                s.push_str(&format!(",{v}"));
            }
        }
        if next() % 4 == 0 {
            s.push_str(",,,,,");
        } else {
            s.push_str(",20,20,20,20,20");
        }
        if bad > 0 && r % bad == bad - 1 {
            // Out of range in the last allocation column.
            s.push('9');
        }
        s.push('\n');
    }
    s
}

/// Splits `data` at the given cut points (any bytes, sorted and clamped).
fn cut<'a>(data: &'a [u8], cuts: &[usize]) -> Vec<&'a [u8]> {
    let mut cs: Vec<usize> = cuts.iter().map(|c| c % (data.len() + 1)).collect();
    cs.sort_unstable();
    let mut out = Vec::new();
    let mut start = 0;
    for c in cs {
        out.push(&data[start..c]);
        start = c;
    }
    out.push(&data[start..]);
    out
}

fn nps_line(inst: &Instrument, answer: &str, meta: &str) -> String {
    format!(
        "{{\"instrument\": {}, \"answers\": {{\"NPS\": {answer}}}, \"meta\": {{{meta}}}}}\n",
        serde_json::to_string(&inst.reference()).unwrap()
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn chunk_boundaries_do_not_matter_csv(seed in any::<u64>(), cuts in prop::collection::vec(any::<usize>(), 0..12)) {
        let text = servqual_csv(40, seed, 7);
        let whole = import(vec![inst("servqual")], Some("servqual"), opts(Format::Csv, true), &[text.as_bytes()]).unwrap();
        let parts = import(vec![inst("servqual")], Some("servqual"), opts(Format::Csv, true), &cut(text.as_bytes(), &cuts)).unwrap();
        prop_assert_eq!(whole.summary(), parts.summary());
        let f = Filter::default();
        prop_assert_eq!(whole.report(&f), parts.report(&f));
        prop_assert_eq!(whole.respondents_csv(&f), parts.respondents_csv(&f));
    }

    #[test]
    fn chunk_boundaries_do_not_matter_jsonl(answers in prop::collection::vec(0u8..14, 1..30), cuts in prop::collection::vec(any::<usize>(), 0..12)) {
        let (a, b) = (inst("nps"), nps_v2());
        let mut text = String::new();
        for (i, v) in answers.iter().enumerate() {
            let which = if i % 5 == 4 { &b } else { &a };
            match v {
                11 => text.push_str("{\"broken\": \n"),
                12 => text.push_str("   \n"),
                13 => text.push_str(&nps_line(which, "\"ü\"", "")),
                v => text.push_str(&nps_line(which, &v.to_string(), &format!("\"segment\": \"s{}\", \"timestamp\": \"2026-01-0{}T00:00:00Z\"", v % 3, 1 + v % 9))),
            }
        }
        let known = || vec![a.clone(), b.clone()];
        let whole = import(known(), None, opts(Format::Jsonl, true), &[text.as_bytes()]).unwrap();
        let parts = import(known(), None, opts(Format::Jsonl, true), &cut(text.as_bytes(), &cuts)).unwrap();
        prop_assert_eq!(whole.summary(), parts.summary());
        for version in [None, Some("1.0.0".to_owned()), Some("2.0.0".to_owned())] {
            let f = Filter { version, ..Filter::default() };
            prop_assert_eq!(whole.report(&f), parts.report(&f));
        }
    }

    #[test]
    fn report_equals_core_aggregate(seed in any::<u64>()) {
        let text = servqual_csv(60, seed, 0);
        let inst = inst("servqual");
        let data = import(vec![inst.clone()], Some("servqual"), opts(Format::Csv, true), &[text.as_bytes()]).unwrap();
        // The same rows through the core alone.
        let mut rdr = csv::Reader::from_reader(text.as_bytes());
        let headers = rdr.headers().unwrap().clone();
        let mut valid: Vec<ValidResponse> = Vec::new();
        for rec in rdr.records() {
            let rec = rec.unwrap();
            let mut values = vec![None; inst.slots().len()];
            for (h, cell) in headers.iter().zip(rec.iter()) {
                if let Some(s) = inst.slot_of(h) {
                    values[s] = rapport_core::parse_answer(h, cell).unwrap();
                }
            }
            if let Ok(v) = inst.validate_values(None, &values) {
                valid.push(v);
            }
        }
        prop_assert!(valid.len() > 10);
        let report = data.report(&Filter::default());
        prop_assert_eq!(report.n, valid.len() as u64);
        prop_assert_eq!(&report.aggregate, &aggregate(&inst, &valid));
        prop_assert_eq!(data.summary().skipped, 60 - valid.len() as u64);
    }

    #[test]
    fn filtered_report_equals_core_aggregate_of_the_selected_rows(seed in any::<u64>(), from in 1u32..29, len in 0u32..20, seg in 0usize..4) {
        let text = servqual_csv(120, seed, 0);
        let inst = inst("servqual");
        let data = import(vec![inst.clone()], Some("servqual"), opts(Format::Csv, true), &[text.as_bytes()]).unwrap();
        let to = (from + len).min(28);
        let segment = ["north", "south", "east, coast", "west"][seg];
        let filter = Filter {
            from: Some(format!("2026-02-{from:02}")),
            to: Some(format!("2026-02-{to:02}")),
            segment: Some(segment.to_owned()),
            ..Filter::default()
        };
        // The same selection, made here from the text.
        let mut rdr = csv::Reader::from_reader(text.as_bytes());
        let headers = rdr.headers().unwrap().clone();
        let mut valid = Vec::new();
        for rec in rdr.records() {
            let rec = rec.unwrap();
            let day: u32 = rec[1][8..10].parse().unwrap();
            if day < from || day > to || &rec[2] != segment {
                continue;
            }
            let mut values = vec![None; inst.slots().len()];
            for (h, cell) in headers.iter().zip(rec.iter()) {
                if let Some(s) = inst.slot_of(h) {
                    values[s] = rapport_core::parse_answer(h, cell).unwrap();
                }
            }
            if let Ok(v) = inst.validate_values(None, &values) {
                valid.push(v);
            }
        }
        let report = data.report(&filter);
        prop_assert_eq!(report.n, valid.len() as u64);
        prop_assert_eq!(&report.aggregate, &aggregate(&inst, &valid));
    }

    #[test]
    fn csv_records_and_lines(cells in prop::collection::vec((0u8..12, 0u8..6), 1..30), crlf in any::<bool>(), cuts in prop::collection::vec(any::<usize>(), 0..6)) {
        // Respondent ids with quotes, line breaks and blank lines between records: the fields are
        // the `csv` crate's, the line is where the record starts.
        let nl = if crlf { "\r\n" } else { "\n" };
        let mut text = format!("respondent_id,NPS{nl}");
        let mut line = 2;
        let mut lines = Vec::new();
        for (v, kind) in &cells {
            let id = match kind {
                0 => "plain".to_owned(),
                1 => format!("\"two{nl}lines\""),
                2 => "\"with \"\"quotes\"\"\"".to_owned(),
                3 => String::new(),
                _ => "x".to_owned(),
            };
            lines.push(line);
            line += if *kind == 1 { 2 } else { 1 };
            text.push_str(&format!("{id},{v}{nl}"));
            if *kind == 4 {
                text.push_str(nl);
                line += 1;
            }
        }
        let mut ids = Vec::new();
        let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
        let mut rec = csv::StringRecord::new();
        while rdr.read_record(&mut rec).unwrap() {
            ids.push(Some(rec[0].to_owned()).filter(|s| !s.is_empty()));
        }
        let mut got_lines = Vec::new();
        let mut got_ids = Vec::new();
        let mut imp = Importer::new(vec![inst("nps")], Some("nps"), opts(Format::Csv, true)).unwrap();
        let mut sink = |ev: RowEvent<'_>| match ev {
            RowEvent::Valid(r) => {
                got_lines.push(r.line);
                got_ids.push(r.respondent_id.map(str::to_owned));
            }
            RowEvent::Invalid { line, errors } => {
                got_lines.push(line);
                got_ids.push(None);
                assert!(errors[0].message.starts_with(&format!("line {line}, column 2 (NPS): ")));
            }
        };
        for part in cut(text.as_bytes(), &cuts) {
            imp.feed_with(part, &mut sink).unwrap();
        }
        imp.finish_with(&mut sink).unwrap();
        prop_assert_eq!(got_lines, lines);
        let valid_ids: Vec<Option<String>> = ids.into_iter().zip(&cells).map(|(id, (v, _))| id.filter(|_| *v <= 10)).collect();
        prop_assert_eq!(got_ids, valid_ids);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn direct_path_equals_general_path(
        rows in prop::collection::vec(prop::collection::vec(0usize..30, 8), 1..25),
        cuts in prop::collection::vec(any::<usize>(), 0..4),
    ) {
        // Messy cells: the direct path must take exactly the rows it can, and agree on them.
        const CELLS: [&str; 14] = ["1", "7", "", "4", "9", "0", " 3", "+2", "x", "05", "\"6\"", "12345", "2", "é"];
        let inst = inst("servperf");
        let ids: Vec<&str> = inst.slots().iter().map(|s| s.id.as_str()).take(5).collect();
        let mut text = format!("respondent_id,segment,timestamp,{}\n", ids.join(","));
        for r in &rows {
            let ts = ["2026-01-02T03:04:05Z", "", "soon"][r[7] % 3];
            text.push_str(&format!("{},{},{ts}", CELLS[r[5] % 14], CELLS[r[6] % 14]));
            for c in &r[..5] {
                text.push(',');
                // Mostly valid answers, so that most rows are valid.
                text.push_str(CELLS[if *c >= 14 { c % 4 } else { *c }]);
            }
            text.push('\n');
        }
        let run = |direct: bool| {
            let mut imp = Importer::new(vec![inst.clone()], Some("servperf"), opts(Format::Csv, true)).unwrap();
            imp.set_direct_path(direct);
            for part in cut(text.as_bytes(), &cuts) {
                imp.feed(part).unwrap();
            }
            imp.finish().unwrap()
        };
        let (fast, general) = (run(true), run(false));
        prop_assert_eq!(fast.summary(), general.summary());
                let f = Filter::default();
        prop_assert_eq!(fast.report(&f), general.report(&f));
        prop_assert_eq!(fast.respondents_csv(&f), general.respondents_csv(&f));
        let f = Filter { from: Some("2026-01-02".into()), ..Filter::default() };
        prop_assert_eq!(fast.report(&f), general.report(&f));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn fast_json_equals_general_path(
        lines in prop::collection::vec((0usize..16, 0usize..6, 0usize..5), 1..25),
        cuts in prop::collection::vec(any::<usize>(), 0..4),
    ) {
        let (a, b) = (inst("nps"), nps_v2());
        let refs = [a.reference(), b.reference(), inst("csat").reference()];
        const ANSWERS: [&str; 16] = [
            "{\"NPS\": 9}", "{\"NPS\": 0}", "{\"NPS\": null}", "{}", "{\"NPS\": 11}", "{\"NPS\": 7.0}",
            "{\"NPS\": \"7\"}", "{\"NPS\": 3, \"NPS\": 4}", "{\"NPS\": null, \"NPS\": null}", "{\"X\": 1}",
            "{\"N\\u0050S\": 6}", "{\"NPS\": -1}", "{\"NPS\": 18446744073709551615}", "{\"NPS\": 10}", "{\"NPS\": 8}", "{\"NPS\": 5}",
        ];
        const META: [&str; 6] = [
            "", ", \"meta\": {\"segment\": \"n\\u00f6rd\", \"timestamp\": \"2026-01-01T00:00:00Z\"}",
            ", \"meta\": {\"audience\": \"alien\"}", ", \"meta\": {\"audience\": \"non-customer\", \"x\": 1}",
            ", \"respondent_id\": \"r\\\"1\"", ", \"extra\": true",
        ];
        let mut text = String::new();
        for (ans, meta, which) in &lines {
            let r = &refs[which % 3];
            text.push_str(&format!(
                "{{\"instrument\": {}, \"answers\": {}{}}}\n",
                serde_json::to_string(r).unwrap(),
                ANSWERS[*ans],
                META[*meta]
            ));
        }
        let run = |direct: bool| {
            let mut imp = Importer::new(vec![a.clone(), b.clone()], None, opts(Format::Jsonl, true)).unwrap();
            imp.set_direct_path(direct);
            for part in cut(text.as_bytes(), &cuts) {
                imp.feed(part).unwrap();
            }
            imp.finish().unwrap()
        };
        let (fast, general) = (run(true), run(false));
        prop_assert_eq!(fast.summary(), general.summary());
        for version in [None, Some("2.0.0".to_owned())] {
            let f = Filter { version, ..Filter::default() };
            prop_assert_eq!(fast.report(&f), general.report(&f));
            prop_assert_eq!(fast.respondents_csv(&f), general.respondents_csv(&f));
        }
        let f = Filter { segment: Some("nörd".into()), ..Filter::default() };
        prop_assert_eq!(fast.report(&f), general.report(&f));
    }
}

#[test]
fn direct_path_sees_valid_rows() {
    // The property above must see valid rows; check its generator once with fixed rows.
    let inst = inst("servperf");
    let text = "respondent_id,segment,timestamp,P1,P2\nr1,n,2026-01-02T03:04:05Z,1,7\nr2,,,05,\n";
    let mut imp = Importer::new(vec![inst], Some("servperf"), opts(Format::Csv, true)).unwrap();
    imp.feed(text.as_bytes()).unwrap();
    assert_eq!(imp.finish().unwrap().summary().valid, 2);
}

#[test]
fn invalid_utf8_in_csv_gives_the_csv_crate_message() {
    let text: &[u8] = b"respondent_id,NPS\nok,9\nb\xffd,3\n";
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(text);
    let mut rec = csv::StringRecord::new();
    assert!(rdr.read_record(&mut rec).unwrap());
    let e = rdr.read_record(&mut rec).unwrap_err();
    let expected = format!("line 3: malformed CSV: {e}");
    let err = import(
        vec![inst("nps")],
        Some("nps"),
        opts(Format::Csv, true),
        &[text],
    )
    .unwrap_err();
    assert_eq!(err.kind, FailureKind::Format);
    assert_eq!(err.errors[0].message, expected);
}

const SERVQUAL_HEADER: &str = "respondent_id,E1,E2,E3,E4,E5,E6,E7,E8,E9,E10,E11,E12,E13,E14,E15,E16,E17,E18,E19,E20,E21,E22,P1,P2,P3,P4,P5,P6,P7,P8,P9,P10,P11,P12,P13,P14,P15,P16,P17,P18,P19,P20,P21,P22,W_TAN,W_REL,W_RES,W_ASS,W_EMP";

#[test]
fn located_errors_in_csv() {
    let good = "6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,5,5,5,5,4,4,4,4,4,6,6,6,6,7,7,6,6,5,5,5,5,6,20,30,15,20,15";
    let range = good.replacen("5,5,5,5,4", "5,5,9,5,4", 1);
    let text = format!("{SERVQUAL_HEADER}\nok,{good}\nbad-range,{range}\nshort,1,2\n");
    let err = import(
        vec![inst("servqual")],
        Some("servqual"),
        opts(Format::Csv, false),
        &[text.as_bytes()],
    )
    .unwrap_err();
    assert_eq!(err.kind, FailureKind::InvalidRow);
    let e = &err.errors[0];
    assert_eq!(
        e.message,
        "line 3, column 26 (P3): item P3: 9 is out of range, expected an integer from 1 to 7"
    );
    assert_eq!(
        (e.line, e.column, e.item.as_deref(), e.code.as_str()),
        (3, Some(26), Some("P3"), "out_of_range")
    );
    assert_eq!(e.to_string(), e.message);

    let data = import(
        vec![inst("servqual")],
        Some("servqual"),
        opts(Format::Csv, true),
        &[text.as_bytes()],
    )
    .unwrap();
    let s = data.summary();
    assert_eq!(
        (s.rows_read, s.valid, s.skipped, s.errors_total),
        (3, 1, 2, 2)
    );
    assert_eq!(
        s.errors[1].message,
        "line 4: 3 fields, expected 50 as in the header"
    );

    // Header errors are always fatal, even when skipping rows.
    let bad = "respondent_id,E1,P99\n";
    let err = import(
        vec![inst("servqual")],
        Some("servqual"),
        opts(Format::Csv, true),
        &[bad.as_bytes()],
    )
    .unwrap_err();
    assert_eq!(err.kind, FailureKind::Format);
    assert!(
        err.errors[0]
            .message
            .starts_with("line 1, column 3 (`P99`): unknown item id"),
        "{}",
        err.errors[0].message
    );
    let dup = "NPS,NPS\n";
    let err = import(
        vec![inst("nps")],
        Some("nps"),
        opts(Format::Csv, true),
        &[dup.as_bytes()],
    )
    .unwrap_err();
    assert_eq!(
        err.errors[0].message,
        "line 1, column 2 (`NPS`): duplicate column"
    );

    // Meta columns are checked like answers.
    let meta = "NPS,timestamp,audience\n9,yesterday,customer\n8,2026-01-01,alien\n";
    let data = import(
        vec![inst("nps")],
        Some("nps"),
        opts(Format::Csv, true),
        &[meta.as_bytes()],
    )
    .unwrap();
    let s = data.summary();
    assert_eq!(s.skipped, 2);
    assert_eq!(s.errors[0].message, "line 2, column 2 (timestamp): \"yesterday\" is not an RFC 3339 timestamp or a YYYY-MM-DD date");
    assert_eq!(s.errors[1].code, "bad_audience");
}

#[test]
fn max_messages_keeps_the_first_and_counts_all() {
    let text = "NPS\n11\n12\n13\n5\n";
    let mut o = opts(Format::Csv, true);
    o.max_messages = 2;
    let data = import(vec![inst("nps")], Some("nps"), o, &[text.as_bytes()]).unwrap();
    let s = data.summary();
    assert_eq!(
        (s.skipped, s.errors_total, s.errors.len(), s.valid),
        (3, 3, 2, 1)
    );
    assert_eq!(s.errors[0].line, 2);
}

#[test]
fn located_errors_in_json_lines_and_mixed_versions() {
    let (a, b) = (inst("nps"), nps_v2());
    let csat = inst("csat");
    let mut unknown = a.reference();
    unknown.version = "9.9.9".into();
    let mut text = String::new();
    text.push_str(&nps_line(&a, "10", "\"segment\": \"north\""));
    text.push('\n');
    text.push_str(&nps_line(&a, "11", ""));
    text.push_str("{\"instrument\": 1, \"answers\": {\"NPS\": 5,}\n");
    text.push_str(&nps_line(&b, "3", ""));
    text.push_str(&nps_line(&b, "4", ""));
    text.push_str(&format!(
        "{{\"instrument\": {}, \"answers\": {{\"CSAT\": 5}}}}\n",
        serde_json::to_string(&csat.reference()).unwrap()
    ));
    text.push_str(&format!(
        "{{\"instrument\": {}, \"answers\": {{\"NPS\": 5}}}}\n",
        serde_json::to_string(&unknown).unwrap()
    ));
    text.push_str(&nps_line(&b, "9", ""));
    let data = import(
        vec![a.clone(), b.clone()],
        None,
        opts(Format::Jsonl, true),
        &[text.as_bytes()],
    )
    .unwrap();
    let s = data.summary();
    assert_eq!((s.rows_read, s.valid, s.skipped), (8, 4, 4));
    let m: Vec<&str> = s.errors.iter().map(|e| e.message.as_str()).collect();
    assert!(
        m[0].starts_with("line 3: item NPS: 11 is out of range"),
        "{}",
        m[0]
    );
    assert!(m[1].starts_with("line 4, column "), "{}", m[1]);
    assert_eq!(s.errors[1].code, "json");
    assert_eq!(
        m[2],
        "line 7: response is for instrument `csat`, expected `nps`"
    );
    assert_eq!(
        m[3],
        "line 8: response is for version `9.9.9` of `nps`, expected version `1.0.0`"
    );
    // Version 2.0.0 has more rows: it is the default group.
    assert_eq!(
        s.instrument.as_ref().map(|i| i.version.as_str()),
        Some("2.0.0")
    );
    assert_eq!(
        s.versions.iter().map(|v| v.n).collect::<Vec<_>>(),
        vec![1, 3]
    );
    assert_eq!(data.report(&Filter::default()).n, 3);
    let v1 = data.report(&Filter {
        version: Some("1.0.0".into()),
        ..Filter::default()
    });
    assert_eq!(
        (v1.n, v1.aggregate.instrument.version.as_str()),
        (1, "1.0.0")
    );
    assert_eq!(
        data.report(&Filter {
            version: Some("7".into()),
            ..Filter::default()
        })
        .n,
        0
    );

    // Without skipping, the first invalid line stops the import with all of its errors.
    let err = import(
        vec![a.clone(), b.clone()],
        None,
        opts(Format::Jsonl, false),
        &[text.as_bytes()],
    )
    .unwrap_err();
    assert_eq!((err.kind, err.errors[0].line), (FailureKind::InvalidRow, 3));

    // A line of an unknown instrument before any valid one.
    let first = format!(
        "{{\"instrument\": {}, \"answers\": {{\"CSAT\": 5}}}}\n",
        serde_json::to_string(&csat.reference()).unwrap()
    );
    let data = import(
        vec![a.clone()],
        None,
        opts(Format::Jsonl, true),
        &[first.as_bytes()],
    )
    .unwrap();
    assert_eq!(data.summary().errors[0].code, "unknown_instrument");
    assert_eq!(data.summary().instrument, None);

    // Invalid UTF-8 cannot be read at all.
    let err = import(
        vec![a],
        None,
        opts(Format::Jsonl, true),
        &[b"{\"x\xff\"}\n"],
    )
    .unwrap_err();
    assert_eq!(
        err.errors[0].message,
        "line 1: cannot read: stream did not contain valid UTF-8"
    );
}

#[test]
fn json_lines_agree_with_the_core_validation() {
    let a = inst("nps");
    let lines = [
        nps_line(&a, "7", ""),
        nps_line(&a, "null", ""),
        nps_line(&a, "2.5", ""),
    ];
    let text: String = lines.concat();
    let data = import(
        vec![a.clone()],
        Some("nps"),
        opts(Format::Jsonl, true),
        &[text.as_bytes()],
    )
    .unwrap();
    let valid: Vec<ValidResponse> = lines
        .iter()
        .filter_map(|l| {
            Response::from_json(l)
                .ok()
                .and_then(|r| a.validate(&r).ok())
        })
        .collect();
    assert_eq!(
        data.report(&Filter::default()).aggregate,
        aggregate(&a, &valid)
    );
    assert_eq!(
        data.summary().errors[0].message.as_str().split(": ").nth(1),
        Some("item NPS")
    );
}

#[test]
fn filters_select_days_segments_and_audiences() {
    let text = "NPS,timestamp,segment,audience\n\
                10,2026-03-01T10:00:00Z,north,customer\n\
                9,2026-03-02T23:30:00-02:00,north,\n\
                2,2026-03-03,south,non-customer\n\
                5,,south,\n\
                7,2026-02-28T00:00:00+01:00,,\n";
    let data = import(
        vec![inst("nps")],
        Some("nps"),
        opts(Format::Csv, false),
        &[text.as_bytes()],
    )
    .unwrap();
    let s = data.summary();
    assert_eq!(s.segments, vec!["north", "south"]);
    assert_eq!(
        (s.first_day.as_deref(), s.last_day.as_deref(), s.undated),
        (Some("2026-02-27"), Some("2026-03-03"), 1)
    );
    let n = |f: Filter| data.report(&f).n;
    let day = |from: &str, to: &str| Filter {
        from: Some(from.into()),
        to: Some(to.into()),
        ..Filter::default()
    };
    assert_eq!(n(Filter::default()), 5);
    // 23:30 at −02:00 is 01:30 UTC on 3 March.
    assert_eq!(n(day("2026-03-03", "2026-03-03")), 2);
    assert_eq!(n(day("2026-03-01", "2026-03-02")), 1);
    // Rows without a timestamp count only while no bound is set.
    assert_eq!(
        n(Filter {
            from: Some("2000-01-01".into()),
            ..Filter::default()
        }),
        4
    );
    assert_eq!(
        n(Filter {
            segment: Some("south".into()),
            ..Filter::default()
        }),
        2
    );
    assert_eq!(
        n(Filter {
            segment: Some("west".into()),
            ..Filter::default()
        }),
        0
    );
    assert_eq!(
        n(Filter {
            audience: Some(rapport_core::Audience::Customer),
            ..Filter::default()
        }),
        1
    );
    let bad = Filter {
        to: Some("March".into()),
        ..Filter::default()
    };
    assert!(bad.check().is_err());
    assert_eq!(n(bad), 0);
    let north = data.report(&Filter {
        segment: Some("north".into()),
        ..Filter::default()
    });
    // NPS: every value of the scale, answered or not.
    assert_eq!(north.distribution.len(), 11);
    assert_eq!(north.distribution[10], (10, 1));
    assert_eq!(north.distribution[9], (9, 1));
    let csv = summary_csv(&north);
    assert!(csv.starts_with("section,dimension,statistic,n,value,ci_low,ci_high\n"));
    assert!(csv.contains("overall,,nps,2,100,"), "{csv}");
    assert!(csv.contains("distribution,,10,1,1,,\n"), "{csv}");
    // Filters compose with the per-respondent CSV.
    let per = data.respondents_csv(&Filter {
        segment: Some("south".into()),
        ..Filter::default()
    });
    assert_eq!(per.lines().count(), 3);
    assert!(
        per.starts_with("line,respondent_id,category,answer,s,flags\n4,,detractor,2,-1,\n"),
        "{per}"
    );
}

#[test]
fn servqual_items_and_summary_csv() {
    let text = servqual_csv(30, 7, 0);
    let data = import(
        vec![inst("servqual")],
        Some("servqual"),
        opts(Format::Csv, true),
        &[text.as_bytes()],
    )
    .unwrap();
    let r = data.report(&Filter::default());
    assert_eq!(r.items.len(), 22);
    assert_eq!(r.items[0].items, vec!["E1", "P1"]);
    assert_eq!(r.items[0].dimension, "TAN");
    assert!(r.distribution.is_empty());
    // Pairwise item means: every answer of P1 counts.
    let answered = text.lines().skip(1).filter(|l| {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(l.as_bytes());
        let rec = rdr.records().next().unwrap().unwrap();
        !rec[25].is_empty()
    });
    assert_eq!(r.items[0].perception.n, answered.count() as u64);
    let csv = summary_csv(&r);
    assert!(csv.contains("\noverall,,sq,"));
    assert!(csv.contains("\ndimension,TAN,gap,"));
    assert!(csv.contains("\nitem,TAN,E1,"));
    // The report survives the trip to the page (serde_json may round the last bit of a float).
    let json = serde_json::to_string(&r).unwrap();
    let back: rapport_analyst::AnalystReport = serde_json::from_str(&json).unwrap();
    assert_eq!((back.n, back.items.len()), (r.n, r.items.len()));
    let (a, b) = (
        back.items[3].perception.mean.value().unwrap(),
        r.items[3].perception.mean.value().unwrap(),
    );
    assert!((a - b).abs() < 1e-12);
}

#[test]
fn setup_errors() {
    assert_eq!(
        Importer::new(vec![], Some("nps"), opts(Format::Csv, true))
            .err()
            .map(|e| e.kind),
        Some(FailureKind::Setup)
    );
    assert!(Importer::new(vec![inst("nps")], None, opts(Format::Csv, true)).is_err());
    assert!(Importer::new(vec![inst("nps")], Some("csat"), opts(Format::Csv, true)).is_err());
    assert!(Importer::new(
        vec![inst("nps")],
        Some("nps@1.0.0"),
        opts(Format::Csv, true)
    )
    .is_ok());
    assert_eq!(Format::from_name("x.NDJSON"), Some(Format::Jsonl));
    assert_eq!(Format::from_name("a.b.csv"), Some(Format::Csv));
    assert_eq!(Format::from_name("csv"), None);
}

#[test]
fn exports_defuse_formulas_and_report_the_adjusted_wald_interval() {
    // Hostile respondent ids from an uploaded file; negative scores stay numbers.
    let text = "respondent_id,NPS\n=HYPERLINK(\"x\"),10\n@SUM(1),2\n-5,10\n";
    let data = import(
        vec![inst("nps")],
        Some("nps"),
        opts(Format::Csv, false),
        &[text.as_bytes()],
    )
    .unwrap();
    let per = data.respondents_csv(&Filter::default());
    let lines: Vec<&str> = per.lines().collect();
    assert_eq!(lines[1], "2,\"'=HYPERLINK(\"\"x\"\")\",promoter,10,1,");
    assert_eq!(lines[2], "3,'@SUM(1),detractor,2,-1,");
    assert_eq!(lines[3], "4,'-5,promoter,10,1,");
    let r = data.report(&Filter::default());
    let csv = summary_csv(&r);
    let row = csv
        .lines()
        .find(|l| l.starts_with("overall,,nps_adjusted_wald,3,"))
        .unwrap_or_else(|| panic!("{csv}"));
    let cells: Vec<f64> = row.split(',').skip(4).map(|c| c.parse().unwrap()).collect();
    let rapport_core::aggregate::AggregateResults::Nps(n) = &r.aggregate.results else {
        panic!("nps")
    };
    assert_eq!(
        cells,
        [
            n.nps.value().unwrap(),
            n.adjusted_wald_low.value().unwrap(),
            n.adjusted_wald_high.value().unwrap()
        ]
    );
    assert!(cells[1] < cells[0] && cells[0] < cells[2]);
}
