//! Runs the `rapport` binary on small fixture files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rapport-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn rapport(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(args)
        .output()
        .expect("run rapport")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn value(v: &serde_json::Value) -> f64 {
    v["value"]
        .as_f64()
        .unwrap_or_else(|| panic!("undefined: {v}"))
}

#[test]
fn scores_servqual_csv_with_report_and_per_respondent_csv() {
    let out = tmp("servqual.json");
    let per = tmp("servqual.csv");
    let input = fixture("servqual_small.csv");
    let o = rapport(&[
        "score",
        "--instrument",
        "servqual",
        "--input",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--per-respondent-csv",
        per.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(report["instrument"]["id"], "servqual");
    let resp = report["respondents"].as_array().unwrap();
    assert_eq!(resp.len(), 3);
    assert_eq!(resp[0]["line"], 2);
    assert_eq!(resp[0]["respondent_id"], "r1");
    let agg = &report["aggregate"];
    assert_eq!(agg["n_responses"], 3);
    let tan = &agg["results"]["dimensions"][0];
    // TAN gaps −1, −2, 0 → mean −1, s = 1.
    assert!((value(&tan["gap"]["mean"]) + 1.0).abs() < 1e-12);
    assert!((value(&tan["gap"]["sd"]) - 1.0).abs() < 1e-12);
    // SQ −0.66, −0.86, −0.46 → −0.66; WSQ only for the two with an allocation.
    assert!((value(&agg["results"]["sq"]["mean"]) + 0.66).abs() < 1e-12);
    assert_eq!(agg["results"]["wsq"]["n"], 2);
    // REL gaps are constant: alpha undefined, with the reason.
    assert_eq!(
        agg["results"]["dimensions"][1]["reliability_gap"]["alpha"]["undefined"],
        "zero_variance"
    );
    let csv = std::fs::read_to_string(&per).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 4);
    assert!(lines[0].starts_with("line,respondent_id,gap_TAN,"));
    assert!(lines[1].starts_with("2,r1,-1,-2,0,0.5,-0.8,"));
    // r3 gave no allocation: its weights and WSQ are empty cells.
    assert!(lines[3].contains(",,,,,"));
}

#[test]
fn broken_csv_names_line_and_column_and_writes_nothing() {
    let out = tmp("broken.json");
    let input = fixture("servqual_broken.csv");
    let o = rapport(&[
        "score",
        "--instrument",
        "servqual",
        "--input",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("line 3, column 26 (P3)"), "{err}");
    assert!(
        err.contains("out of range, expected an integer from 1 to 7"),
        "{err}"
    );
    assert!(!out.exists());
    // Nor a temporary file beside it.
    let dir = out.parent().unwrap();
    let left: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("broken.json"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn skip_invalid_keeps_going_and_reports_skipped_lines() {
    let out = tmp("skipped.json");
    let input = fixture("servqual_broken.csv");
    let o = rapport(&[
        "score",
        "--instrument",
        "servqual",
        "--input",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--skip-invalid",
        "--aggregate-only",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert!(report.get("respondents").is_none());
    assert_eq!(report["skipped"]["count"], 2);
    assert_eq!(report["skipped"]["first"][1]["line"], 4);
    assert!(report["skipped"]["first"][1]["errors"][0]
        .as_str()
        .unwrap()
        .contains("column 3 (E2)"));
    assert_eq!(report["aggregate"]["n_responses"], 1);
}

#[test]
fn unknown_header_is_reported_with_its_column() {
    let input = fixture("bad_header.csv");
    let o = rapport(&[
        "score",
        "--instrument",
        "servqual",
        "--input",
        input.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("line 1, column 3 (`P99`): unknown item id"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn scores_nps_jsonl_to_stdout() {
    let input = fixture("nps.jsonl");
    let o = rapport(&[
        "score",
        "--instrument",
        "nps",
        "--input",
        input.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let r = &report["aggregate"]["results"];
    assert_eq!(r["method"], "nps");
    assert_eq!(r["promoters"], 2);
    assert_eq!(r["detractors"], 1);
    assert!((value(&r["nps"]) - 25.0).abs() < 1e-12);
    assert_eq!(report["respondents"][3]["scores"]["category"], "detractor");
}

#[test]
fn broken_jsonl_names_line_and_column() {
    let input = fixture("nps_broken.jsonl");
    let o = rapport(&[
        "score",
        "--instrument",
        "nps",
        "--input",
        input.to_str().unwrap(),
        "--skip-invalid",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let first = &report["skipped"]["first"];
    // Line 2 is blank and ignored; line 3 is out of range; line 4 is malformed JSON.
    assert_eq!(first[0]["line"], 3);
    assert!(first[0]["errors"][0]
        .as_str()
        .unwrap()
        .contains("item NPS: 11 is out of range"));
    assert_eq!(first[1]["line"], 4);
    assert!(first[1]["errors"][0]
        .as_str()
        .unwrap()
        .starts_with("line 4, column "));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(
        rapport(&["score", "--input", "x.csv"]).status.code(),
        Some(2)
    );
    assert_eq!(
        rapport(&["score", "--instrument", "nope", "--input", "x.csv"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(rapport(&["frobnicate"]).status.code(), Some(2));
    let o = rapport(&["instruments"]);
    assert!(String::from_utf8_lossy(&o.stdout).lines().count() == 9);
}

#[test]
fn custom_instrument_file() {
    let o = rapport(&["show", "csat"]);
    let def = tmp("csat.json");
    std::fs::write(&def, &o.stdout).unwrap();
    let input = tmp("csat.csv");
    std::fs::write(&input, "CSAT\n5\n4\n2\n\n").unwrap();
    let o = rapport(&[
        "score",
        "--instrument",
        def.to_str().unwrap(),
        "--input",
        input.to_str().unwrap(),
        "--skip-invalid",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let r = &report["aggregate"]["results"];
    assert!((value(&r["csat_percent"]) - 200.0 / 3.0).abs() < 1e-9);
    let bad = tmp("bad.json");
    std::fs::write(&bad, "{\"id\": \"x\",\n\"version\": 2}").unwrap();
    let o = rapport(&[
        "score",
        "--instrument",
        bad.to_str().unwrap(),
        "--input",
        input.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("line 2, column"), "{}", stderr(&o));
}

#[test]
fn meta_columns_are_accepted_and_lines_count_blank_lines_and_crlf() {
    let input = tmp("meta.csv");
    std::fs::write(
        &input,
        "NPS,respondent_id,timestamp,segment,audience\r\n\
         9,a,2026-05-01T10:00:00Z,north,customer\r\n\
         \r\n\
         12,b,2026-05-02,south,\r\n\
         3,c,,,non-customer\r\n\
         4,d,tomorrow,,\r\n",
    )
    .unwrap();
    let o = rapport(&[
        "score",
        "--instrument",
        "nps",
        "--input",
        input.to_str().unwrap(),
        "--skip-invalid",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["aggregate"]["n_responses"], 2);
    assert_eq!(report["respondents"][1]["line"], 5);
    let first = &report["skipped"]["first"];
    assert_eq!(first[0]["line"], 4);
    assert!(first[0]["errors"][0]
        .as_str()
        .unwrap()
        .starts_with("line 4, column 1 (NPS): item NPS: 12 is out of range"));
    assert!(first[1]["errors"][0]
        .as_str()
        .unwrap()
        .starts_with("line 6, column 3 (timestamp): \"tomorrow\" is not an RFC 3339 timestamp"));
}
