//! Times the analyst pipeline on synthetic SERVQUAL data (native; the worker runs the same code as
//! Wasm).
//!
//! Times are CPU milliseconds of this process (wall time where /proc is missing).
//!
//! `cargo run --release -p rapport-analyst --example bench -- [ROWS] [csv|jsonl]` (default 1000000 csv)

use std::time::Instant;

use rapport_analyst::{Filter, Format, ImportOptions, Importer};
use rapport_core::builtin;

/// Chunk size the worker receives from the page.
const CHUNK: usize = 2 << 20;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64: fast, deterministic, good enough for survey-like noise.
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Answers 1–7 around a per-respondent level, 2 % missing (none with `BENCH_COMPLETE=1`); most
/// rows allocate the 100 points.
fn answers(rng: &mut Rng, complete: bool) -> [Option<u8>; 49] {
    let mut a = [None; 49];
    let level = 2 + (rng.next() % 4) as u8;
    for x in a.iter_mut().take(44) {
        let r = rng.next();
        if complete || !r.is_multiple_of(50) {
            *x = Some((level + (r >> 8) as u8 % 3).min(7));
        }
    }
    if !rng.next().is_multiple_of(5) {
        let w = [20u8, 30, 15, 20, 15];
        for (x, w) in a[44..].iter_mut().zip(w) {
            *x = Some(w);
        }
    }
    a
}

fn generate(rows: usize, format: Format) -> Vec<u8> {
    let inst = builtin("servqual").expect("built-in");
    let ids: Vec<&str> = inst.slots().iter().map(|s| s.id.as_str()).collect();
    let mut out = Vec::with_capacity(rows * 120);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let segments = ["north", "south", "east", "west"];
    let reference = serde_json::to_string(&inst.reference()).unwrap_or_default();
    let complete = std::env::var_os("BENCH_COMPLETE").is_some();
    if format == Format::Csv {
        out.extend_from_slice(b"respondent_id,timestamp,segment,");
        out.extend_from_slice(ids.join(",").as_bytes());
        out.push(b'\n');
    }
    for r in 0..rows {
        let day = 1 + r % 28;
        let seg = segments[r % 4];
        let a = answers(&mut rng, complete);
        match format {
            Format::Csv => {
                out.extend_from_slice(format!("c{r},2026-02-{day:02}T10:00:00Z,{seg}").as_bytes());
                for x in a {
                    out.push(b',');
                    match x {
                        Some(x) if x >= 10 => {
                            out.extend_from_slice(&[b'0' + x / 10, b'0' + x % 10])
                        }
                        Some(x) => out.push(b'0' + x),
                        None => {}
                    }
                }
            }
            Format::Jsonl => {
                out.extend_from_slice(
                    format!(
                        "{{\"instrument\":{reference},\"respondent_id\":\"c{r}\",\"answers\":{{"
                    )
                    .as_bytes(),
                );
                let mut first = true;
                for (id, x) in ids.iter().zip(a) {
                    if let Some(x) = x {
                        if !first {
                            out.push(b',');
                        }
                        first = false;
                        out.extend_from_slice(format!("\"{id}\":{x}").as_bytes());
                    }
                }
                out.extend_from_slice(
                    format!(
                        "}},\"meta\":{{\"timestamp\":\"2026-02-{day:02}T10:00:00Z\",\"segment\":\"{seg}\"}}}}"
                    )
                    .as_bytes(),
                );
            }
        }
        out.push(b'\n');
    }
    out
}

/// Wall time and, on Linux, this process's CPU time since `t` (the machine may be shared, so the CPU
/// time is the steadier figure).
struct Clock {
    wall: Instant,
    cpu: Option<f64>,
}

fn cpu_ms() -> Option<f64> {
    // Fields 14 and 15 of /proc/self/stat: user and system time in clock ticks (100 per second).
    let s = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = s.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks * 10.0)
}

fn start() -> Clock {
    Clock {
        wall: Instant::now(),
        cpu: cpu_ms(),
    }
}

/// Elapsed milliseconds: CPU time where available, else wall time (`BENCH_WALL=1`: wall time).
fn ms(c: &Clock) -> f64 {
    let wall = c.wall.elapsed().as_secs_f64() * 1000.0;
    if std::env::var_os("BENCH_WALL").is_some() {
        return wall;
    }
    match (c.cpu, cpu_ms()) {
        (Some(a), Some(b)) => b - a,
        _ => wall,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rows: usize = args
        .first()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let format = match args.get(1).map(String::as_str) {
        Some("jsonl") => Format::Jsonl,
        _ => Format::Csv,
    };
    let inst = builtin("servqual").expect("built-in");

    let t = start();
    let data = generate(rows, format);
    println!(
        "generate  {:>8.1} ms  ({rows} rows, {:.1} MB {format:?})",
        ms(&t),
        data.len() as f64 / 1e6
    );

    let t = start();
    let mut imp = match Importer::new(vec![inst], Some("servqual"), ImportOptions::new(format)) {
        Ok(i) => i,
        Err(e) => return eprintln!("{e}"),
    };
    for c in data.chunks(CHUNK) {
        if let Err(e) = imp.feed(c) {
            return eprintln!("{e}");
        }
    }
    let ds = match imp.finish() {
        Ok(d) => d,
        Err(e) => return eprintln!("{e}"),
    };
    let parse = ms(&t);
    println!(
        "parse     {parse:>8.1} ms  ({:.0} MB/s, {} valid)",
        data.len() as f64 / 1e3 / parse,
        ds.summary().valid
    );

    let t = start();
    let all = ds.report(&Filter::default());
    let report = ms(&t);
    println!("report    {report:>8.1} ms  (all rows, n = {})", all.n);
    println!("first     {:>8.1} ms  (parse + report)", parse + report);

    let t = start();
    let seg = ds.report(&Filter {
        segment: Some("north".into()),
        ..Filter::default()
    });
    println!("segment   {:>8.1} ms  (n = {})", ms(&t), seg.n);

    let t = start();
    let days = ds.report(&Filter {
        from: Some("2026-02-03".into()),
        to: Some("2026-02-16".into()),
        ..Filter::default()
    });
    println!("days      {:>8.1} ms  (n = {})", ms(&t), days.n);

    let t = start();
    let json = serde_json::to_string(&all).unwrap_or_default();
    println!("to JSON   {:>8.1} ms  ({} bytes)", ms(&t), json.len());
}
