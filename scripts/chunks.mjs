// Which files each page group of the portal downloads, read from the build in dist/ (issue 16):
//   node scripts/chunks.mjs DIST      prints JSON {"first": [files], "splits": {"orders": [files], ...}}
// "first" is what index.html names (boot script, JS glue, chunk loader, main Wasm, the stylesheets
// that block rendering). A split's files are its own chunk and the shared chunks it depends on, as the
// chunk loader that scripts/split.sh writes lists them, and the group's own stylesheet if it has one.
// Used by scripts/sizes.sh and the benchmark.
import fs from 'node:fs';
import path from 'node:path';

const dist = process.argv[2];
const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
const first = new Set();
for (const m of html.matchAll(/<script[^>]*\bsrc="\/?([^"]+)"/g)) first.add(m[1]);
for (const m of html.matchAll(/\bdata-(?:js|wasm)="\/?([^"]+)"/g)) first.add(m[1]);
// A stylesheet marked `disabled` with a `data-page-group` is not part of the first load: the portal
// enables it when a page of that group is first shown (src/stylesheet.rs), so it counts with the group.
const groupSheets = {};
for (const m of html.matchAll(/<link\b[^>]*>/g)) {
  const tag = m[0];
  const href = tag.match(/\bhref="\/?([^"]+)"/)?.[1];
  if (!href || !/\brel="(?:stylesheet|modulepreload)"/.test(tag)) continue;
  const group = tag.match(/\bdata-page-group="(\w+)"/)?.[1];
  if (group && /\sdisabled[\s/>=]/.test(tag)) (groupSheets[group] ??= []).push(href);
  else first.add(href);
}

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
  // The release build's loader is minified (scripts/portal-wasm.sh), which renames the functions above.
  // There every split is one pack (scripts/pack-chunks.mjs) named after it, `split_<name>-<hash>.wasm`,
  // which holds the shared chunks it needs; a loose chunk file could not be attributed to its splits.
  if (Object.keys(splits).length === 0) {
    const loose = loader.match(/"\.\/(chunk_\d+-[0-9a-f]+\.wasm)"/);
    if (loose) throw new Error(`${loaderName}: minified, and names a chunk outside the packs (${loose[1]})`);
    for (const m of loader.matchAll(/"\.\/(split_(\w+?)-[0-9a-f]+\.wasm)"/g)) {
      if (!loader.includes(`__wasm_split_load_${m[2]}`)) throw new Error(`${loaderName}: no loader for ${m[1]}`);
      splits[m[2]] = [m[1]];
    }
  }
  if (Object.keys(splits).length === 0) throw new Error(`${loaderName}: no split loaders found`);
  for (const [group, sheets] of Object.entries(groupSheets)) {
    if (!splits[group]) throw new Error(`index.html: a stylesheet for page group ${group}, which the build does not have`);
    splits[group].push(...sheets);
  }
}
console.log(JSON.stringify({ first: [...first], splits }, null, 1));
