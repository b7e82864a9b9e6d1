//! `rapport`: batch scoring of survey responses on the Rapport scoring core.
//!
//! See `crates/cli/README.md` for the input and output formats.

mod output;
mod score;

use std::process::ExitCode;

use rapport_core::{builtin, BUILTIN_NAMES};

const USAGE: &str = "usage:
  rapport score --instrument NAME|FILE.json --input FILE.csv|FILE.jsonl [--format csv|jsonl]
                [--out REPORT.json] [--per-respondent-csv SCORES.csv] [--skip-invalid] [--aggregate-only]
  rapport instruments            list the built-in instruments
  rapport show NAME              print a built-in instrument definition as JSON
  rapport help                   this text";

/// Exit status when the input held no valid response (the report is still written).
const EXIT_NOTHING_VALID: u8 = 3;

/// How the command failed: usage errors exit with 2, data errors with 1.
pub enum Failure {
    /// Wrong arguments.
    Usage(String),
    /// Bad input or an I/O problem.
    Data(String),
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(score::Done::Scored) => ExitCode::SUCCESS,
        Ok(score::Done::NothingValid) => ExitCode::from(EXIT_NOTHING_VALID),
        Err(Failure::Usage(m)) => {
            eprintln!("error: {m}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Data(m)) => {
            eprintln!("error: {m}");
            ExitCode::from(1)
        }
    }
}

fn run(args: &[String]) -> Result<score::Done, Failure> {
    match args.first().map(String::as_str) {
        Some("score") => score::run(score::Options::parse(&args[1..])?),
        Some("instruments") => {
            for n in BUILTIN_NAMES {
                if let Some(i) = builtin(n) {
                    println!("{n}\t{}\t{}", i.def().version, i.def().hash);
                }
            }
            Ok(score::Done::Scored)
        }
        Some("show") => {
            let name = args
                .get(1)
                .ok_or_else(|| Failure::Usage("show needs an instrument name".into()))?;
            let i = builtin(name).ok_or_else(|| {
                Failure::Usage(format!(
                    "unknown instrument `{name}`; built-in: {}",
                    BUILTIN_NAMES.join(", ")
                ))
            })?;
            println!("{}", i.to_json());
            Ok(score::Done::Scored)
        }
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(score::Done::Scored)
        }
        Some(other) => Err(Failure::Usage(format!("unknown command `{other}`"))),
        None => Err(Failure::Usage("no command given".into())),
    }
}
