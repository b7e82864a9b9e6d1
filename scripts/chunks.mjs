// Which files each page group of the portal downloads, read from the build in dist/ (issue 16):
//   node scripts/chunks.mjs DIST      prints JSON {"first": [files], "splits": {"orders": [files], ...}}
// "first" is what index.html names (boot script, JS glue, chunk loader, main Wasm, stylesheets). A
// split's files are its own chunk and the shared chunks it depends on, as the chunk loader that
// scripts/split.sh writes lists them. Used by scripts/sizes.sh and the benchmark.
import fs from 'node:fs';
import path from 'node:path';

const dist = process.argv[2];
const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
const first = new Set();
for (const m of html.matchAll(/<script[^>]*\bsrc="\/?([^"]+)"/g)) first.add(m[1]);
for (const m of html.matchAll(/\bdata-(?:js|wasm)="\/?([^"]+)"/g)) first.add(m[1]);
for (const m of html.matchAll(/<link[^>]*rel="(?:stylesheet|modulepreload)"[^>]*href="\/?([^"]+)"/g)) first.add(m[1]);

const loaderName = [...first].find((f) => /^__wasm_split-[0-9a-f]+\.js$/.test(f));
const splits = {};
if (loaderName) {
  const loader = fs.readFileSync(path.join(dist, loaderName), 'utf8');
  // `const __chunk_3 = makeLoad(() => { ... "./chunk_3-<hash>.wasm" ... }, []);`
  const chunks = {};
  for (const m of loader.matchAll(/const (__chunk_\d+) = makeLoad\(\(\) => \{[^}]*?"\.\/([^"]+\.wasm)"/g)) {
    chunks[m[1]] = m[2];
  }
  // `export const __wasm_split_load_orders = wrapAsyncCb(makeLoad(<fetcher>, [__chunk_3, ...]));`
  for (const m of loader.matchAll(/export const __wasm_split_load_(\w+) = wrapAsyncCb\(makeLoad\(([\s\S]*?), \[([^\]]*)\]\)\);/g)) {
    const own = m[2].match(/"\.\/([^"]+\.wasm)"/);
    const deps = m[3].split(',').map((d) => d.trim()).filter(Boolean);
    const missing = deps.filter((d) => !chunks[d]);
    if (missing.length > 0) throw new Error(`${loaderName}: unknown chunks ${missing.join(', ')}`);
    splits[m[1]] = [...deps.map((d) => chunks[d]), ...(own ? [own[1]] : [])];
  }
  if (Object.keys(splits).length === 0) throw new Error(`${loaderName}: no split loaders found`);
}
console.log(JSON.stringify({ first: [...first], splits }, null, 1));
