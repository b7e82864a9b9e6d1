//! Native timing of the same computation on the same synthetic data as scripts/bench-scoring.mjs.

use std::time::Instant;

use rapport_core_bench_wasm::alpha_and_gaps;

/// xorshift32, identical to the JavaScript generator.
struct Rng(u32);
impl Rng {
    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0
    }
}

/// Synthetic SERVQUAL answers: per respondent a level for E and for P, plus item noise, clamped to 1…7
/// and stored as answer − 1. Must match `generate` in scripts/bench-scoring.mjs.
fn generate(rows: usize) -> Vec<u8> {
    let mut data = vec![0u8; 44 * rows];
    let mut rng = Rng(0x9E37_79B9);
    for r in 0..rows {
        let e_level = 4 + (rng.next() % 3) as i32; // 4..6
        let p_level = 2 + (rng.next() % 5) as i32; // 2..6
        for j in 0..44 {
            let level = if j < 22 { e_level } else { p_level };
            let noise = (rng.next() % 3) as i32 - 1; // −1..1
            data[j * rows + r] = ((level + noise).clamp(1, 7) - 1) as u8;
        }
    }
    data
}

fn main() {
    let rows: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let reps: usize = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(7);
    let data = generate(rows);
    let mut best = f64::INFINITY;
    let mut res = [0.0; 11];
    for _ in 0..reps {
        let t = Instant::now();
        res = alpha_and_gaps(&data, rows);
        best = best.min(t.elapsed().as_secs_f64() * 1e3);
    }
    // One JSON line for the driver script.
    let list: Vec<String> = res.iter().map(|x| format!("{x:.12}")).collect();
    println!("{{\"ms\": {best:.3}, \"results\": [{}]}}", list.join(","));
}
