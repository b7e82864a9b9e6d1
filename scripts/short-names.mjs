// Gives the widget's Wasm imports and exports short names, in the module and in its JS glue
// (scripts/widget-wasm.sh runs it right after wasm-bindgen, inside the split step):
//   node scripts/short-names.mjs DIR/NAME_bg.wasm DIR/NAME.js
// Why: wasm-bindgen names every import `__wbg_<name>_<16 hex digits>` and the glue repeats each name;
// about 120 random hashes, twice, which no compressor can shrink (measured: 2.2 KB of the NPS page as
// served). Imports from the glue's own module become `a`.`$a`, `$b`, …; exports get the same kind of
// names, except those something else looks up by name: `memory`, wasm-bindgen's start and externref
// table, and what the chunk loader of scripts/split.sh reads (`__indirect_function_table`,
// `__wasm_split*`). Imports from other modules (the chunk loader's) keep their names.
import fs from 'node:fs';
import { sections } from './wasm-read.mjs';

const [wasmFile, jsFile] = process.argv.slice(2);
if (!wasmFile || !jsFile) {
  console.error('usage: node scripts/short-names.mjs NAME_bg.wasm NAME.js');
  process.exit(2);
}
const KEEP = /^(memory|__wbindgen_start|__wbindgen_externrefs|__indirect_function_table|__wasm_split.*)$/;
const IMPORT_SECTION = 2;
const EXPORT_SECTION = 7;

function leb(value) {
  const out = [];
  do {
    let b = value & 0x7f;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    out.push(b);
  } while (value > 0);
  return Buffer.from(out);
}
const name = (s) => Buffer.concat([leb(Buffer.byteLength(s)), Buffer.from(s)]);

// Short names in order: $a … $z, $aa, $ab, … ('$' keeps them apart from anything else in the glue).
let next = 0;
function shortName() {
  let n = next++;
  let s = '';
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return `$${s}`;
}

const bytes = fs.readFileSync(wasmFile);
const imports = new Map();
const exports = new Map();
let glueModule = null;
const out = [bytes.subarray(0, 8)];
sections(bytes, (id, start, end, r) => {
  if (id !== IMPORT_SECTION && id !== EXPORT_SECTION) {
    out.push(Buffer.from([id]), leb(end - start), bytes.subarray(start, end));
    return;
  }
  const count = r.uleb();
  const entries = [leb(count)];
  for (let k = 0; k < count; k++) {
    if (id === IMPORT_SECTION) {
      const module = r.name();
      const field = r.name();
      const from = r.at();
      r.importDesc();
      const desc = bytes.subarray(from, r.at());
      if (module.endsWith('_bg.js')) {
        glueModule = module;
        if (!imports.has(field)) imports.set(field, shortName());
        entries.push(name('a'), name(imports.get(field)), desc);
      } else {
        entries.push(name(module), name(field), desc);
      }
    } else {
      const field = r.name();
      const from = r.at();
      r.byte();
      r.uleb();
      const desc = bytes.subarray(from, r.at());
      let renamed = field;
      if (!KEEP.test(field)) {
        renamed = shortName();
        exports.set(field, renamed);
      }
      entries.push(name(renamed), desc);
    }
  }
  const body = Buffer.concat(entries);
  out.push(Buffer.from([id]), leb(body.length), body);
});
if (!glueModule) throw new Error(`${wasmFile}: no imports from the glue`);

let js = fs.readFileSync(jsFile, 'utf8');
for (const [field, short] of imports) {
  // Each import is one `name: function(…)` entry of the import object the glue builds.
  const entry = new RegExp(`^(\\s+)${field}: function`, 'm');
  if (!entry.test(js)) throw new Error(`the glue has no import entry ${field}`);
  js = js.replace(entry, `$1${short}: function`);
}
const moduleKey = `"${glueModule}": import0`;
if (!js.includes(moduleKey)) throw new Error(`the glue does not pass its imports as ${moduleKey}`);
js = js.replace(moduleKey, 'a: import0');
for (const [field, short] of exports) {
  js = js.replaceAll(new RegExp(`\\bwasm\\.${field}\\b`, 'g'), `wasm.${short}`);
}
fs.writeFileSync(wasmFile, Buffer.concat(out));
fs.writeFileSync(jsFile, js);
console.error(`short names: ${imports.size} imports, ${exports.size} exports`);
