//! Issue 21: outputs that would overwrite an input or each other, partial files, a BOM in JSON
//! lines, inputs without a valid line, and the adjusted-Wald NPS interval.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A fresh folder of its own for each test, holding a copy of the fixture `input`.
fn folder(test: &str, input: &str) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("rapport-hazards-{}-{test}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let copy = dir.join(input);
    fs::copy(fixture(input), &copy).unwrap();
    (dir, copy)
}

fn rapport(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rapport"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run rapport")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Runs `score` with extra arguments, expects exit 2 naming both options, and checks that the
/// input is unchanged and nothing was written.
fn refused(test: &str, extra: impl Fn(&Path, &Path) -> Vec<String>, mentions: &[&str]) {
    let (dir, input) = folder(test, "servqual_small.csv");
    let before = fs::read(&input).unwrap();
    let mut args: Vec<String> = [
        "score",
        "--instrument",
        "servqual",
        "--input",
        "servqual_small.csv",
    ]
    .map(String::from)
    .to_vec();
    args.extend(extra(&dir, &input));
    let listing = names(&dir);
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = rapport(&dir, &a);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    for m in mentions {
        assert!(err.contains(m), "{err}");
    }
    assert_eq!(fs::read(&input).unwrap(), before, "input unchanged");
    assert_eq!(names(&dir), listing, "nothing written");
}

#[test]
fn out_equal_to_input_is_refused() {
    refused(
        "same",
        |_, _| vec!["--out".into(), "servqual_small.csv".into()],
        &["--out", "--input", "same file"],
    );
}

#[test]
fn out_spelled_differently_is_still_the_input() {
    refused(
        "spelled",
        |d, _| {
            vec![
                "--out".into(),
                d.join(".").join("servqual_small.csv").display().to_string(),
            ]
        },
        &["same file"],
    );
}

#[cfg(unix)]
#[test]
fn out_through_a_symbolic_link_is_the_input() {
    refused(
        "symlink",
        |d, input| {
            std::os::unix::fs::symlink(input, d.join("link.json")).unwrap();
            vec!["--out".into(), "link.json".into()]
        },
        &["--out link.json", "same file"],
    );
}

#[cfg(unix)]
#[test]
fn out_in_a_linked_folder_is_the_input() {
    refused(
        "linkdir",
        |d, _| {
            std::os::unix::fs::symlink(d, d.join("alias")).unwrap();
            vec![
                "--per-respondent-csv".into(),
                "alias/servqual_small.csv".into(),
            ]
        },
        &["--per-respondent-csv", "same file"],
    );
}

#[cfg(unix)]
#[test]
fn out_as_a_hard_link_is_the_input() {
    refused(
        "hardlink",
        |d, input| {
            fs::hard_link(input, d.join("hard.json")).unwrap();
            vec!["--out".into(), "hard.json".into()]
        },
        &["same file"],
    );
}

#[test]
fn two_outputs_on_one_file_are_refused() {
    refused(
        "twice",
        |_, _| {
            vec![
                "--out".into(),
                "x.out".into(),
                "--per-respondent-csv".into(),
                "./x.out".into(),
            ]
        },
        &[
            "--per-respondent-csv ./x.out",
            "--out x.out",
            "its own path",
        ],
    );
}

#[test]
fn output_over_the_instrument_file_is_refused() {
    let (dir, _) = folder("instrument", "servqual_small.csv");
    let def = rapport(&dir, &["show", "servqual"]);
    fs::write(dir.join("def.json"), &def.stdout).unwrap();
    let o = rapport(
        &dir,
        &[
            "score",
            "--instrument",
            "def.json",
            "--input",
            "servqual_small.csv",
            "--out",
            "def.json",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--instrument def.json"),
        "{}",
        stderr(&o)
    );
    assert_eq!(fs::read(dir.join("def.json")).unwrap(), def.stdout);
}

#[test]
fn a_failed_run_leaves_no_file_at_all() {
    let (dir, _) = folder("failed", "servqual_broken.csv");
    // An older report of that name stays as it was.
    fs::write(dir.join("old.json"), "old").unwrap();
    let o = rapport(
        &dir,
        &[
            "score",
            "--instrument",
            "servqual",
            "--input",
            "servqual_broken.csv",
            "--out",
            "old.json",
            "--per-respondent-csv",
            "scores.csv",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(names(&dir), ["old.json", "servqual_broken.csv"]);
    assert_eq!(fs::read_to_string(dir.join("old.json")).unwrap(), "old");
}

#[test]
fn a_successful_run_leaves_only_its_outputs() {
    let (dir, _) = folder("ok", "servqual_small.csv");
    let o = rapport(
        &dir,
        &[
            "score",
            "--instrument",
            "servqual",
            "--input",
            "servqual_small.csv",
            "--out",
            "r.json",
            "--per-respondent-csv",
            "s.csv",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(names(&dir), ["r.json", "s.csv", "servqual_small.csv"]);
}

#[test]
fn json_lines_may_start_with_a_bom() {
    let (dir, input) = folder("bom", "nps.jsonl");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(fs::read(&input).unwrap());
    fs::write(&input, bytes).unwrap();
    let o = rapport(
        &dir,
        &["score", "--instrument", "nps", "--input", "nps.jsonl"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["skipped"]["count"], 0);
    assert_eq!(report["respondents"][0]["respondent_id"], "a");
    assert_eq!(report["aggregate"]["results"]["promoters"], 2);
}

#[test]
fn an_empty_input_warns_and_exits_3() {
    let (dir, _) = folder("empty", "nps.jsonl");
    fs::write(dir.join("empty.jsonl"), "").unwrap();
    fs::write(dir.join("header.csv"), "NPS\n").unwrap();
    for (input, format) in [("empty.jsonl", "jsonl"), ("header.csv", "csv")] {
        let o = rapport(
            &dir,
            &[
                "score",
                "--instrument",
                "nps",
                "--input",
                input,
                "--format",
                format,
                "--out",
                "r.json",
            ],
        );
        assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
        assert!(stderr(&o).contains("warning: ") && stderr(&o).contains("no valid response"));
        let report: serde_json::Value =
            serde_json::from_slice(&fs::read(dir.join("r.json")).unwrap()).unwrap();
        assert_eq!(report["aggregate"]["n_responses"], 0);
        assert_eq!(
            report["aggregate"]["results"]["nps"]["undefined"],
            "no_data"
        );
    }
}

#[test]
fn every_line_skipped_warns_and_exits_3() {
    let (dir, _) = folder("allskipped", "nps.jsonl");
    fs::write(dir.join("bad.csv"), "NPS\n11\nx\n").unwrap();
    let o = rapport(
        &dir,
        &[
            "score",
            "--instrument",
            "nps",
            "--input",
            "bad.csv",
            "--skip-invalid",
            "--aggregate-only",
        ],
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("2 lines skipped"), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["skipped"]["count"], 2);
}

#[test]
fn nps_reports_the_adjusted_wald_interval() {
    let (dir, _) = folder("aw", "nps.jsonl");
    // Every answer a promoter: the Wald interval has no width, the adjusted-Wald one has.
    fs::write(dir.join("all.csv"), "NPS\n10\n9\n10\n9\n10\n").unwrap();
    let o = rapport(
        &dir,
        &["score", "--instrument", "nps", "--input", "all.csv"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let r = &report["aggregate"]["results"];
    assert_eq!(r["ci_low"]["value"], 100.0);
    let lo = r["adjusted_wald_low"]["value"].as_f64().unwrap();
    let hi = r["adjusted_wald_high"]["value"].as_f64().unwrap();
    // N' = 8, p'_P = 5.75/8, p'_D = 0.75/8: centre 62.5, half-width 1.96·√(Var/8)·100.
    let (pp, pd): (f64, f64) = (5.75 / 8.0, 0.75 / 8.0);
    let half = 1.959963984540054 * ((pp + pd - (pp - pd) * (pp - pd)) / 8.0).sqrt();
    assert!((lo - 100.0 * (pp - pd - half)).abs() < 1e-9, "{lo}");
    assert!(
        (hi - 100.0f64.min(100.0 * (pp - pd + half))).abs() < 1e-9,
        "{hi}"
    );
    assert!(hi - lo > 30.0);
}
