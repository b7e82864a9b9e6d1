// Drops what the widget never calls from its Wasm and JS glue (scripts/widget-wasm.sh runs it right
// after wasm-bindgen):
//   node scripts/widget-glue.mjs DIR/NAME_bg.wasm DIR/NAME.js
// Leptos' `csr` feature turns on server_fn's `browser` feature, which links wasm-streams, whose
// `#[wasm_bindgen]` classes (IntoUnderlyingSource, IntoUnderlyingSink, IntoUnderlyingByteSource) are
// exports: exports are never dead code, so their methods and the Web Streams calls behind them stayed
// in the widget although nothing uses them (the widget has no server functions). This removes those
// exports, lets wasm-opt drop the code only they reached, and then removes from the glue those
// classes and every import entry the optimized module no longer imports (none so far: the futures
// behind them stay reachable through the function table, which the split chunks need exported, and
// with them the stream calls they import).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { sections } from './wasm-read.mjs';

const [wasmFile, jsFile] = process.argv.slice(2);
if (!wasmFile || !jsFile) {
  console.error('usage: node scripts/widget-glue.mjs NAME_bg.wasm NAME.js');
  process.exit(2);
}
const DROP = /^(__wbg_)?intounderlying/;
const CLASSES = ['IntoUnderlyingByteSource', 'IntoUnderlyingSink', 'IntoUnderlyingSource'];

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

// 1. The module without the dropped exports.
const bytes = fs.readFileSync(wasmFile);
const parts = [bytes.subarray(0, 8)];
let dropped = 0;
sections(bytes, (id, start, end, r) => {
  const header = Buffer.concat([Buffer.from([id]), leb(end - start)]);
  if (id !== 7) {
    parts.push(header, bytes.subarray(start, end));
    return;
  }
  const kept = [];
  for (let n = r.uleb(); n > 0; n--) {
    const from = r.at();
    const name = r.name();
    r.byte();
    r.uleb();
    if (DROP.test(name)) dropped++;
    else kept.push(bytes.subarray(from, r.at()));
  }
  const body = Buffer.concat([leb(kept.length), ...kept]);
  parts.push(Buffer.from([7]), leb(body.length), body);
});
if (dropped === 0) {
  // Nothing to do (a Leptos without the streams): leave both files as they are.
  process.exit(0);
}
fs.writeFileSync(wasmFile, Buffer.concat(parts));

// 2. wasm-opt removes the code only those exports reached, and the imports only that code called.
execFileSync('wasm-opt', ['-Oz', wasmFile, '-o', wasmFile], { stdio: 'inherit' });
const imported = new Set();
sections(fs.readFileSync(wasmFile), (id, start, end, r) => {
  if (id !== 2) return;
  for (let n = r.uleb(); n > 0; n--) {
    r.name();
    imported.add(r.name());
    r.importDesc();
  }
});

// 3. The glue without those classes and without the entries of imports that are gone. wasm-bindgen
// writes each import as `        __wbg_name: function(...) {` up to its own `        },` line.
let js = fs.readFileSync(jsFile, 'utf8');
const before = js.length;
for (const cls of CLASSES) {
  const start = js.indexOf(`export class ${cls} {`);
  const dispose = `if (Symbol.dispose) ${cls}.prototype[Symbol.dispose] = ${cls}.prototype.free;\n`;
  const end = js.indexOf(dispose, start);
  if (start < 0 || end < 0) throw new Error(`widget-glue: class ${cls} not found in ${jsFile}`);
  js = js.slice(0, start) + js.slice(end + dispose.length);
  const registry = new RegExp(`const ${cls}Finalization = [^;]*;\\n`);
  if (!registry.test(js)) throw new Error(`widget-glue: ${cls}Finalization not found in ${jsFile}`);
  js = js.replace(registry, '');
}
let removed = 0;
js = js.replace(/^ {8}(__wb[A-Za-z0-9_]+): function\([^)]*\) \{\n[\s\S]*?^ {8}\},\n/gm, (entry, name) => {
  if (imported.has(name)) return entry;
  removed++;
  return '';
});
// handleError-wrapped entries: `name: function() { return handleError(function (...) {` ... `}, arguments); },`
js = js.replace(
  /^ {8}(__wb[A-Za-z0-9_]+): function\(\) \{ return handleError\(function \([^)]*\) \{\n[\s\S]*?^ {8}\}, arguments\); \},\n/gm,
  (entry, name) => {
    if (imported.has(name)) return entry;
    removed++;
    return '';
  },
);
if (!js.includes('intounderlying')) {
  js = js.replace(/^const __wbindgen_enum_ReadableStreamType = [^;]*;\n/m, '');
}
for (const name of imported) {
  if (name.startsWith("__wb") && !js.includes(`${name}:`)) {
    throw new Error(`widget-glue: the module imports ${name}, which the glue no longer provides`);
  }
}
fs.writeFileSync(jsFile, js);
console.error(
  `widget-glue: ${dropped} unused exports dropped, ${removed} glue imports removed, glue ${before} -> ${js.length} bytes`,
);
