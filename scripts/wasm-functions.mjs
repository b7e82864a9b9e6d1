// Lists what a Wasm module's bytes are spent on, by function (issue 16: what the first load holds):
//   node scripts/wasm-functions.mjs FILE.wasm [--top N] [--crates] [--grep REGEX]
// Needs the module's name section (wasm-opt -g keeps it; scripts/split.sh drops it from what ships, so
// run the split step by hand on the linked module for a listing). Prints the code and data section
// sizes, then the largest functions (--top, default 60), or the code per crate (--crates), or the
// functions whose name matches REGEX with their total (--grep). Sizes are body bytes, uncompressed.
import fs from 'node:fs';
import { sections } from './wasm-read.mjs';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a) && args[args.indexOf(a) - 1] !== '--grep');
const flag = (name) => args.includes(name);
const value = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
if (!file) {
  console.error('usage: node scripts/wasm-functions.mjs FILE.wasm [--top N] [--crates] [--grep REGEX]');
  process.exit(2);
}
const bytes = fs.readFileSync(file);
let importedFunctions = 0;
const bodies = [];
const names = new Map();
const sizes = {};
sections(bytes, (id, start, end, r) => {
  const size = end - start;
  if (id === 2) {
    for (let n = r.uleb(); n > 0; n--) {
      r.name();
      r.name();
      if (r.importDesc() === 0) importedFunctions++;
    }
  } else if (id === 10) {
    for (let n = r.uleb(); n > 0; n--) {
      const len = r.uleb();
      bodies.push(len);
      r.seek(r.at() + len);
    }
  } else if (id === 0) {
    const section = r.name();
    if (section === 'name') {
      while (r.at() < end) {
        const sub = r.byte();
        const subEnd = r.uleb() + r.at();
        if (sub === 1) {
          for (let n = r.uleb(); n > 0; n--) {
            const index = r.uleb();
            names.set(index, r.name());
          }
        }
        r.seek(subEnd);
      }
    }
    sizes[`custom:${section}`] = size;
  }
  const label = { 1: 'type', 2: 'import', 3: 'function', 4: 'table', 5: 'memory', 6: 'global', 7: 'export', 9: 'elem', 10: 'code', 11: 'data' }[id];
  if (label) sizes[label] = size;
});

// Legacy Rust mangling (_ZN...E) to a readable path without the hash.
function demangle(raw) {
  const m = /^_ZN(.*)E$/.exec(raw);
  if (!m) return raw;
  const parts = [];
  let s = m[1];
  while (s.length > 0) {
    const d = /^(\d+)/.exec(s);
    if (!d) break;
    const len = Number(d[1]);
    parts.push(s.slice(d[1].length, d[1].length + len));
    s = s.slice(d[1].length + len);
  }
  if (/^h[0-9a-f]{16}$/.test(parts.at(-1) ?? '')) parts.pop();
  return parts
    .join('::')
    .replace(/\$LT\$/g, '<')
    .replace(/\$GT\$/g, '>')
    .replace(/\$RF\$/g, '&')
    .replace(/\$BP\$/g, '*')
    .replace(/\$C\$/g, ',')
    .replace(/\$u20\$/g, ' ')
    .replace(/\$u7b\$/g, '{')
    .replace(/\$u7d\$/g, '}')
    .replace(/\$u5b\$/g, '[')
    .replace(/\$u5d\$/g, ']')
    .replace(/\$u27\$/g, "'")
    .replace(/\$u3b\$/g, ';')
    .replace(/\$u2b\$/g, '+')
    .replace(/\$u22\$/g, '"')
    .replace(/\.\./g, '::');
}

const functions = bodies.map((size, i) => ({
  size,
  name: demangle(names.get(i + importedFunctions) ?? `#${i + importedFunctions}`),
}));
const code = functions.reduce((s, f) => s + f.size, 0);
console.log(`${file}: ${bytes.length} bytes; code ${sizes.code ?? 0} (${functions.length} functions), data ${sizes.data ?? 0}`);

// The crate a function belongs to: the first path segment, or inside `<impl X for Y>` the first type's.
function crateOf(name) {
  // wasm-split-cli's chunks write `_<impl ...>` and `_{{closure}}`.
  const n = name.replace(/^_</, '<');
  const inner = /^<(?:impl )?(?:&(?:mut )?)?(?:dyn )?([A-Za-z_][A-Za-z0-9_]*)/.exec(n);
  if (inner) return inner[1];
  const plain = /^([A-Za-z_][A-Za-z0-9_]*)::/.exec(n);
  return plain ? plain[1] : '(other)';
}

if (flag('--crates')) {
  const byCrate = new Map();
  for (const f of functions) byCrate.set(crateOf(f.name), (byCrate.get(crateOf(f.name)) ?? 0) + f.size);
  for (const [crate, size] of [...byCrate].sort((a, b) => b[1] - a[1])) {
    console.log(`${String(size).padStart(8)} ${((100 * size) / code).toFixed(1).padStart(5)}%  ${crate}`);
  }
} else if (value('--grep')) {
  const re = new RegExp(value('--grep'));
  const hits = functions.filter((f) => re.test(f.name)).sort((a, b) => b.size - a.size);
  for (const f of hits) console.log(`${String(f.size).padStart(8)}  ${f.name}`);
  console.log(`${String(hits.reduce((s, f) => s + f.size, 0)).padStart(8)}  total of ${hits.length} functions`);
} else {
  const top = Number(value('--top') ?? 60);
  for (const f of [...functions].sort((a, b) => b.size - a.size).slice(0, top)) {
    console.log(`${String(f.size).padStart(8)}  ${f.name}`);
  }
}
