// Benchmark driver: alpha + dimension gaps over 1M synthetic SERVQUAL responses (packed columns,
// one byte per answer), as Wasm (the rapport-core kernel) and as plain JavaScript, in one node
// process, checked against each other and against the native run.
// usage: node bench-scoring.mjs KERNEL.wasm KERNEL_SIMD.wasm NATIVE_JSON ROWS REPS
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const [wasmPath, simdPath, nativeJson, rowsArg, repsArg] = process.argv.slice(2);
const ROWS = Number(rowsArg ?? 1_000_000);
const REPS = Number(repsArg ?? 7);
const DIMS = [4, 5, 4, 4, 5];
const MISSING = 255;

// xorshift32 and the generator must match crates/core-bench-wasm/src/bin/native.rs.
function generate(rows) {
  const data = new Uint8Array(44 * rows);
  let s = 0x9e3779b9 >>> 0;
  const next = () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
  for (let r = 0; r < rows; r++) {
    const e = 4 + (next() % 3);
    const p = 2 + (next() % 5);
    for (let j = 0; j < 44; j++) {
      const level = j < 22 ? e : p;
      const v = Math.min(7, Math.max(1, level + (next() % 3) - 1));
      data[j * rows + r] = v - 1;
    }
  }
  return data;
}

// The same computation in plain JavaScript: per respondent, gaps P − E, listwise per dimension,
// running sums for item and total moments, then alpha = k/(k−1)·(1 − Σ s²_j / s²_X).
function jsAlphaAndGaps(data, rows) {
  const cols = [];
  for (let c = 0; c < 44; c++) cols.push(data.subarray(c * rows, (c + 1) * rows));
  const start = [0, 4, 9, 13, 17];
  const dn = new Float64Array(5), dtx = new Float64Array(5), dtxx = new Float64Array(5);
  const ds1 = new Float64Array(22), ds2 = new Float64Array(22);
  const os1 = new Float64Array(22), os2 = new Float64Array(22);
  let on = 0, otx = 0, otxx = 0;
  const g = new Int32Array(22), xd = new Int32Array(5), ok = new Uint8Array(5);
  for (let r = 0; r < rows; r++) {
    let all = true;
    for (let d = 0; d < 5; d++) {
      let sum = 0, okd = 1;
      for (let j = start[d]; j < start[d] + DIMS[d]; j++) {
        const e = cols[j][r], p = cols[22 + j][r];
        if (e === MISSING || p === MISSING) okd = 0;
        else { const v = p - e; g[j] = v; sum += v; }
      }
      xd[d] = sum; ok[d] = okd;
      if (!okd) all = false;
    }
    let x = 0;
    for (let d = 0; d < 5; d++) {
      x += xd[d];
      if (!ok[d]) continue;
      dn[d]++; dtx[d] += xd[d]; dtxx[d] += xd[d] * xd[d];
      for (let j = start[d]; j < start[d] + DIMS[d]; j++) { ds1[j] += g[j]; ds2[j] += g[j] * g[j]; }
    }
    if (all) {
      on++; otx += x; otxx += x * x;
      for (let j = 0; j < 22; j++) { os1[j] += g[j]; os2[j] += g[j] * g[j]; }
    }
  }
  const alpha = (n, s1, s2, tx, txx, from, k) => {
    let a = 0;
    for (let j = from; j < from + k; j++) a += n * s2[j] - s1[j] * s1[j];
    const b = n * txx - tx * tx;
    return k < 2 || n < 2 || b <= 0 ? NaN : (k * (b - a)) / ((k - 1) * b);
  };
  const out = [];
  for (let d = 0; d < 5; d++) out.push(dtx[d] / (dn[d] * DIMS[d]));
  for (let d = 0; d < 5; d++) out.push(alpha(dn[d], ds1, ds2, dtx[d], dtxx[d], start[d], DIMS[d]));
  out.push(alpha(on, os1, os2, otx, otxx, 0, 22));
  return out;
}

function best(fn) {
  let ms = Infinity, res;
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    res = fn();
    ms = Math.min(ms, performance.now() - t);
  }
  return { ms, res };
}

async function wasmRun(path, data) {
  const { instance } = await WebAssembly.instantiate(readFileSync(path), {});
  const x = instance.exports;
  const ptr = x.bench_alloc(data.length);
  new Uint8Array(x.memory.buffer, ptr, data.length).set(data); // after alloc: memory may have grown
  const r = best(() => x.bench_run(ptr, ROWS));
  return { ms: r.ms, res: Array.from({ length: 11 }, (_, i) => x.bench_result(i)) };
}

const data = generate(ROWS);
const native = JSON.parse(nativeJson);
const wasm = await wasmRun(wasmPath, data);
const simd = await wasmRun(simdPath, data);
const js = best(() => jsAlphaAndGaps(data, ROWS));

// All four must agree: same data, same formulas.
for (const [name, r] of [['native', native.results], ['wasm', wasm.res], ['wasm simd128', simd.res]]) {
  for (let i = 0; i < 11; i++) {
    if (!(Math.abs(r[i] - js.res[i]) < 1e-9)) {
      console.error(`MISMATCH ${name}[${i}]: ${r[i]} vs JavaScript ${js.res[i]}`);
      process.exit(1);
    }
  }
}

const fmt = (ms) => ms.toFixed(1).padStart(9);
const ratio = (ms) => (js.ms / ms).toFixed(1).padStart(6) + '×';
console.log(`alpha (5 dimensions + overall) + 5 mean dimension gaps, ${ROWS.toLocaleString('en')} SERVQUAL responses, best of ${REPS}`);
console.log('| implementation                  |   ms     | JS ÷ this |');
console.log('|---------------------------------|----------|-----------|');
console.log(`| native Rust (rapport-core)      |${fmt(native.ms)} |  ${ratio(native.ms)}   |`);
console.log(`| Wasm in node, simd128           |${fmt(simd.ms)} |  ${ratio(simd.ms)}   |`);
console.log(`| Wasm in node, baseline (no SIMD)|${fmt(wasm.ms)} |  ${ratio(wasm.ms)}   |`);
console.log(`| plain JavaScript in node        |${fmt(js.ms)} |  ${ratio(js.ms)}   |`);
console.log(`results agree (overall alpha ${js.res[10].toFixed(6)}, TAN gap ${js.res[0].toFixed(6)})`);
