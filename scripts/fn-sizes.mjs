// Function sizes of a Wasm module, largest first, from its code and name sections (what twiggy's `top`
// shows, without installing it). The module needs its names: run it on `wasm-opt -Oz -g` output or
// on the linker's output before wasm-bindgen strips them.
//   node scripts/fn-sizes.mjs FILE.wasm [how many, default 25]
// Prints each body's bytes, its share of the code section and its demangled-enough name; names that
// repeat (monomorphised copies) are also summed by their path without generic arguments.
import { readFileSync } from 'node:fs';

const bytes = readFileSync(process.argv[2]);
const top = Number(process.argv[3] ?? 25);
let pos = 8;
const u32 = () => {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return result;
  }
};
const name = () => {
  const n = u32();
  const s = bytes.toString('utf8', pos, pos + n);
  pos += n;
  return s;
};

let imported = 0;
const bodies = [];
const names = new Map();
while (pos < bytes.length) {
  const id = bytes[pos++];
  const size = u32();
  const end = pos + size;
  if (id === 2) {
    for (let count = u32(); count > 0; count--) {
      name();
      name();
      const kind = bytes[pos++];
      if (kind === 0) {
        imported++;
        u32();
      } else if (kind === 1) {
        pos++;
        const flags = u32();
        u32();
        if (flags & 1) u32();
      } else if (kind === 2) {
        const flags = u32();
        u32();
        if (flags & 1) u32();
      } else if (kind === 3) {
        pos += 2;
      } else {
        u32();
        u32();
      }
    }
  } else if (id === 10) {
    for (let count = u32(); count > 0; count--) {
      const length = u32();
      bodies.push(length);
      pos += length;
    }
  } else if (id === 0 && name() === 'name') {
    while (pos < end) {
      const sub = bytes[pos++];
      const subSize = u32();
      const subEnd = pos + subSize;
      if (sub === 1) {
        for (let count = u32(); count > 0; count--) {
          const index = u32();
          names.set(index, name());
        }
      }
      pos = subEnd;
    }
  }
  pos = end;
}

const total = bodies.reduce((a, b) => a + b, 0);
const rows = bodies.map((size, i) => ({ size, name: names.get(imported + i) ?? `func[${imported + i}]` }));
rows.sort((a, b) => b.size - a.size);
const pct = (n) => ((100 * n) / total).toFixed(2).padStart(6);
console.log(`code section: ${total} bytes in ${bodies.length} functions (${names.size} named)`);
for (const r of rows.slice(0, top)) console.log(`${String(r.size).padStart(8)} ${pct(r.size)}%  ${r.name}`);
// Copies of one generic function share their name once the generic arguments are taken out.
const strip = (n) => {
  let out = '';
  let depth = 0;
  for (const c of n.replace(/::h[0-9a-f]{16}$/, '')) {
    if (c === '<') depth++;
    if (depth === 0) out += c;
    if (c === '>') depth--;
  }
  return out;
};
const grouped = new Map();
for (const r of rows) {
  const key = strip(r.name);
  const g = grouped.get(key) ?? { size: 0, copies: 0 };
  g.size += r.size;
  g.copies++;
  grouped.set(key, g);
}
console.log(`\nby name without generic arguments (top ${top}):`);
for (const [key, g] of [...grouped].sort((a, b) => b[1].size - a[1].size).slice(0, top)) {
  console.log(`${String(g.size).padStart(8)} ${pct(g.size)}%  ${String(g.copies).padStart(3)}x ${key}`);
}
