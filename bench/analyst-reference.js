// The analyst benchmark's plain-JavaScript reference: the same figures the page computes first for a
// SERVQUAL file, from a File (or Blob), without Wasm, workers or libraries. It reads the file in chunks,
// parses the CSV byte by byte, checks every answer (1–7; the allocation empty or summing to 100; the
// field count), and gives per dimension the mean gap (P − E) with its 95 % t-interval and Cronbach's
// alpha of the dimension's gap items, with listwise deletion per dimension as the scoring core does.
// Self-contained (no imports, no closures over module state): analyst.mjs hands it to page.evaluate,
// which runs its source in the page. Handles unquoted numeric CSV only (what the generator writes).
export async function servqualReference(file, chunkBytes = 8 << 20) {
  const DIMS = [
    ['TAN', [1, 2, 3, 4]],
    ['REL', [5, 6, 7, 8, 9]],
    ['RES', [10, 11, 12, 13]],
    ['ASS', [14, 15, 16, 17]],
    ['EMP', [18, 19, 20, 21, 22]],
  ];
  const WEIGHTS = ['W_TAN', 'W_REL', 'W_RES', 'W_ASS', 'W_EMP'];
  // Slots: 0–21 E1…E22, 22–43 P1…P22, 44–48 the weights, 49 the respondent id and the other meta columns
  // (not read), -2 unknown.
  const slotOf = (name) => {
    let m = /^([EP])(\d+)$/.exec(name);
    if (m && +m[2] >= 1 && +m[2] <= 22) return (m[1] === 'E' ? 0 : 22) + +m[2] - 1;
    if (WEIGHTS.includes(name)) return 44 + WEIGHTS.indexOf(name);
    if (['respondent_id', 'timestamp', 'segment', 'audience'].includes(name)) return 49;
    return -2;
  };
  const MISSING = -1;
  const BAD = -2;
  const values = new Int32Array(50);
  const acc = DIMS.map(([, st]) => ({
    n: 0,
    sumT: 0, // T = Σ gaps of the dimension's items, an integer: its sums are exact in doubles
    sumT2: 0,
    item: new Float64Array(st.length),
    item2: new Float64Array(st.length),
  }));
  let lines = 0;
  let valid = 0;
  let invalid = 0;

  let header = [];
  let headerText = '';
  let inHeader = true;
  let map = null; // column → slot
  let col = 0;
  let cur = MISSING; // value of the field being read
  let rowBad = false;
  let seen = false; // a byte of this row has been read (blank lines are skipped, as the CLI does)

  const endRow = () => {
    lines++;
    if (col !== map.length) rowBad = true;
    if (rowBad) {
      invalid++;
      return;
    }
    // Allocation: all empty or all given and summing to 100.
    let given = 0;
    let sum = 0;
    for (let i = 44; i < 49; i++) {
      if (values[i] !== MISSING) {
        given++;
        sum += values[i];
        if (values[i] > 100) rowBad = true;
      }
    }
    if (rowBad || (given !== 0 && (given !== 5 || sum !== 100))) {
      invalid++;
      return;
    }
    for (let i = 0; i < 44; i++) {
      const v = values[i];
      if (v !== MISSING && (v < 1 || v > 7)) {
        invalid++;
        return;
      }
    }
    valid++;
    for (let d = 0; d < 5; d++) {
      const st = DIMS[d][1];
      let complete = true;
      for (let k = 0; k < st.length; k++) {
        if (values[st[k] - 1] === MISSING || values[21 + st[k]] === MISSING) {
          complete = false;
          break;
        }
      }
      if (!complete) continue;
      const a = acc[d];
      let t = 0;
      for (let k = 0; k < st.length; k++) {
        const g = values[21 + st[k]] - values[st[k] - 1];
        t += g;
        a.item[k] += g;
        a.item2[k] += g * g;
      }
      a.n++;
      a.sumT += t;
      a.sumT2 += t * t;
    }
  };

  const startRow = () => {
    col = 0;
    cur = MISSING;
    rowBad = false;
    seen = false;
    values.fill(MISSING);
  };

  const endField = () => {
    const slot = map[col];
    if (slot !== undefined && slot < 49) values[slot] = cur;
    if (cur === BAD && slot < 49) rowBad = true;
    col++;
    cur = MISSING;
  };

  for (let offset = 0; offset < file.size; offset += chunkBytes) {
    const bytes = new Uint8Array(await file.slice(offset, offset + chunkBytes).arrayBuffer());
    let i = 0;
    if (inHeader) {
      const nl = bytes.indexOf(10);
      headerText += new TextDecoder().decode(nl < 0 ? bytes : bytes.subarray(0, nl));
      if (nl < 0) continue;
      header = headerText.replace(/^\uFEFF/, '').replace(/\r$/, '').split(',').map((h) => h.trim());
      map = header.map(slotOf);
      if (map.includes(-2)) throw new Error(`unknown column ${header[map.indexOf(-2)]}`);
      inHeader = false;
      i = nl + 1;
      startRow();
    }
    for (; i < bytes.length; i++) {
      const b = bytes[i];
      if (b === 10) {
        if (seen) {
          endField();
          endRow();
        }
        startRow();
        continue;
      }
      if (b !== 13) seen = true;
      if (b >= 48 && b <= 57) {
        if (cur !== BAD) cur = cur === MISSING ? b - 48 : cur * 10 + (b - 48);
        if (cur > 1000) cur = BAD; // no answer of this instrument is that large
      } else if (b === 44) {
        endField();
      } else if (b !== 13) {
        if (map[col] !== 49) cur = BAD; // anything but digits, except in the meta columns
      }
    }
  }
  if (!inHeader && seen) {
    endField();
    endRow();
  }

  // Two-sided 95 % quantile of Student's t with df degrees of freedom (Cornish–Fisher expansion in
  // 1/df around the normal quantile; exact to ~1e-9 from df = 30, far closer at the sizes here).
  const t975 = (df) => {
    const z = 1.959963984540054;
    const z3 = z ** 3, z5 = z ** 5, z7 = z ** 7, z9 = z ** 9;
    return (
      z +
      (z3 + z) / (4 * df) +
      (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) +
      (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3) +
      (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * df ** 4)
    );
  };
  const dimensions = DIMS.map(([id, st], d) => {
    const a = acc[d];
    const k = st.length;
    const n = a.n;
    if (n < 2) return { dimension: id, n, mean: null, ci_low: null, ci_high: null, alpha: null };
    const varT = (a.sumT2 - (a.sumT * a.sumT) / n) / (n - 1);
    const mean = a.sumT / n / k;
    const sd = Math.sqrt(varT) / k;
    const half = (t975(n - 1) * sd) / Math.sqrt(n);
    let itemVar = 0;
    for (let j = 0; j < k; j++) itemVar += (a.item2[j] - (a.item[j] * a.item[j]) / n) / (n - 1);
    const alpha = varT > 0 ? (k / (k - 1)) * (1 - itemVar / varT) : null;
    return { dimension: id, n, mean, sd, ci_low: mean - half, ci_high: mean + half, alpha };
  });
  return { lines, valid, invalid, dimensions };
}
