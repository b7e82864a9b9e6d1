//! Alpha + dimension gaps over packed SERVQUAL columns, exported for the benchmark.
//!
//! Memory layout shared with the JavaScript driver: 44 columns of `rows` bytes each, E1…E22 then
//! P1…P22, each byte the answer minus 1 (0…6) or 255 for missing.

use rapport_core::packed::{ScaleSet, Term};
use rapport_core::stats::Stat;

/// Statements per SERVQUAL dimension.
pub const DIMS: [usize; 5] = [4, 5, 4, 4, 5];

/// 5 mean dimension gaps, 5 dimension alphas (on gaps), the overall alpha.
pub type Results = [f64; 11];

/// Runs the kernel over `data` (44 columns of `rows` bytes).
pub fn alpha_and_gaps(data: &[u8], rows: usize) -> Results {
    let cols: Vec<&[u8]> = data.chunks_exact(rows.max(1)).take(44).collect();
    let mut terms = Vec::new();
    let mut j = 0;
    for k in DIMS {
        terms.push(
            (j..j + k)
                .map(|i| Term {
                    plus: 22 + i,
                    minus: Some(i),
                })
                .collect(),
        );
        j += k;
    }
    let mut set = ScaleSet::new(terms, 6);
    set.accumulate(&cols);
    let mut out = [f64::NAN; 11];
    for (d, k) in DIMS.iter().enumerate() {
        out[d] = set
            .dimension(d)
            .total_mean_ci(*k as f64, 0.0)
            .mean
            .value()
            .unwrap_or(f64::NAN);
        out[5 + d] = stat(set.dimension(d).alpha());
    }
    out[10] = stat(set.overall().alpha());
    out
}

fn stat(s: Stat) -> f64 {
    s.value().unwrap_or(f64::NAN)
}

#[cfg(target_arch = "wasm32")]
mod exports {
    use std::cell::RefCell;

    thread_local! {
        static RESULTS: RefCell<super::Results> = const { RefCell::new([0.0; 11]) };
    }

    /// Allocates `n` bytes in linear memory for the driver to fill (leaked on purpose: one buffer).
    #[no_mangle]
    pub extern "C" fn bench_alloc(n: usize) -> *mut u8 {
        let mut v = vec![0u8; n];
        let p = v.as_mut_ptr();
        std::mem::forget(v);
        p
    }

    /// Runs the kernel over 44 columns of `rows` bytes at `ptr`; returns the overall alpha.
    #[no_mangle]
    pub extern "C" fn bench_run(ptr: *const u8, rows: usize) -> f64 {
        // SAFETY: the driver passes a buffer from `bench_alloc` of at least 44 · rows bytes.
        let data = unsafe { std::slice::from_raw_parts(ptr, 44 * rows) };
        let r = super::alpha_and_gaps(data, rows);
        RESULTS.with(|x| *x.borrow_mut() = r);
        r[10]
    }

    /// Result `i` of the last run (see [`super::Results`]).
    #[no_mangle]
    pub extern "C" fn bench_result(i: usize) -> f64 {
        RESULTS.with(|x| x.borrow().get(i).copied().unwrap_or(f64::NAN))
    }
}

#[cfg(all(target_arch = "wasm32", feature = "full"))]
mod full {
    use rapport_core::{builtin, Aggregator, Response};

    /// Aggregates JSON-lines responses (`len` bytes at `ptr`) for the built-in instrument named by the
    /// first line; returns the report JSON's address (its length is `core_last_len()`).
    #[no_mangle]
    pub extern "C" fn core_aggregate(ptr: *const u8, len: usize) -> *const u8 {
        // SAFETY: the driver passes a buffer it filled, of `len` bytes.
        let bytes = unsafe { std::slice::from_raw_parts(ptr, len) };
        let text = String::from_utf8_lossy(bytes);
        let mut lines = text.lines();
        let out = match lines.next().and_then(builtin) {
            Some(inst) => {
                let mut agg = Aggregator::new(&inst);
                for l in lines {
                    if let Ok(r) = Response::from_json(l) {
                        if let Ok(v) = inst.validate(&r) {
                            agg.add(&v);
                        }
                    }
                }
                serde_json::to_string(&agg.finish()).unwrap_or_default()
            }
            None => String::new(),
        };
        LAST_LEN.store(out.len(), std::sync::atomic::Ordering::Relaxed);
        Box::leak(out.into_boxed_str()).as_ptr()
    }

    static LAST_LEN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

    /// Length of the last report.
    #[no_mangle]
    pub extern "C" fn core_last_len() -> usize {
        LAST_LEN.load(std::sync::atomic::Ordering::Relaxed)
    }
}
