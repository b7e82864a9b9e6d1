// One download per page group (issue 16), run by scripts/split.sh between wasm-split-cli and hashing:
//   node scripts/pack-chunks.mjs DIR
// wasm-split-cli gives each split (a page group: orders, account, ...) its own module plus one shared
// chunk per distinct set of splits that use some code, so a route needed up to 14 small downloads. This
// step writes, for every split, one pack: the split's own module and every chunk it needs, one after
// another, as `split_<name>.wasm` in DIR (the chunk files are removed), and rewrites the chunk loader
// (`__wasm_split.js`) so that a split's load fetches its pack and instantiates each module in it. A
// chunk shared by two groups travels in both packs but is instantiated once, by whichever pack arrives
// first: a module's data segments must not be written twice into the running program's memory.
// The pack is not itself a Wasm module; only the loader reads it (the `.wasm` name keeps the build's
// precompression and the server's immutable caching for it).
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
const loaderPath = path.join(dir, '__wasm_split.js');
const loader = fs.readFileSync(loaderPath, 'utf8');

// `/* a, b */\nconst __chunk_3 = makeLoad(() => { ... "./chunk_3.wasm" ... }\n, []);`
const chunkDecl = /(?:\/\*[^*]*\*\/\n)?const (__chunk_\d+) = makeLoad\(\(\) => \{[^}]*?"\.\/([^"]+\.wasm)"[\s\S]*?\n\}\n, \[\]\);\n/g;
// `export const __wasm_split_load_orders = wrapAsyncCb(makeLoad(<fetcher>, [__chunk_3, ...]));`
const splitDecl = /export const __wasm_split_load_(\w+) = wrapAsyncCb\(makeLoad\(([\s\S]*?), \[([^\]]*)\]\)\);\n/g;

const chunks = new Map();
for (const m of loader.matchAll(chunkDecl)) chunks.set(m[1], m[2]);
const splits = [...loader.matchAll(splitDecl)].map((m) => ({
  name: m[1],
  own: m[2].match(/"\.\/([^"]+\.wasm)"/)?.[1] ?? null,
  deps: m[3].split(',').map((d) => d.trim()).filter(Boolean),
}));
if (splits.length === 0) throw new Error(`${loaderPath}: no split loaders found`);
const firstDecl = loader.search(/(?:\/\*[^*]*\*\/\n)?const __chunk_\d+ = |export const __wasm_split_load_/);
const runtime = loader.slice(0, firstDecl);
if (!runtime.includes('function makeLoad(') || !runtime.includes('function getSharedImports(')) {
  throw new Error(`${loaderPath}: the loader's runtime is not what this step expects`);
}
// Nothing else may follow the declarations this step replaces.
const rest = loader.slice(firstDecl).replace(chunkDecl, '').replace(splitDecl, '').trim();
if (rest !== '') throw new Error(`${loaderPath}: unexpected code after the loaders: ${rest.slice(0, 200)}`);

const read = (file) => fs.readFileSync(path.join(dir, file));
const layouts = [];
const exports = [];
for (const split of splits) {
  const parts = [];
  for (const dep of split.deps) {
    const file = chunks.get(dep);
    if (!file) throw new Error(`${loaderPath}: ${split.name} needs the unknown chunk ${dep}`);
    parts.push({ id: dep, bytes: read(file) });
  }
  if (split.own) parts.push({ id: null, bytes: read(split.own) });
  let offset = 0;
  const layout = parts.map((p) => {
    const at = [p.id, offset, p.bytes.length];
    offset += p.bytes.length;
    return at;
  });
  const packName = `split_${split.name}.wasm`;
  fs.writeFileSync(path.join(dir, packName), Buffer.concat(parts.map((p) => p.bytes)));
  layouts.push(layout);
  exports.push(
    `export const __wasm_split_load_${split.name} = wrapAsyncCb(makeLoad(pack("./${packName}", ${layouts.length - 1}), []));`,
  );
}
for (const file of new Set(chunks.values())) fs.rmSync(path.join(dir, file));

const packRuntime = `
// Each page group's modules arrive in one download (scripts/pack-chunks.mjs): LAYOUTS[i] lists a pack's
// modules as [shared chunk id (null: the group's own module), offset, length].
const LAYOUTS = ${JSON.stringify(layouts)};
// Shared chunks by id: instantiated once, whichever pack brought them; a failure is forgotten so that
// the next attempt starts afresh.
const instances = new Map();
function once(id, instantiate) {
    let instance = instances.get(id);
    if (instance === undefined) {
        instance = instantiate();
        instance.catch(() => {
            if (instances.get(id) === instance) instances.delete(id);
        });
        instances.set(id, instance);
    }
    return instance;
}
function pack(file, layout) {
    return () => {
        const bytes = fetch(new URL(file, import.meta.url)).then((response) => {
            if (!response.ok) throw new Error(\`\${file}: HTTP \${response.status}\`);
            return response.arrayBuffer();
        });
        bytes.catch(() => {});
        return async (imports) => {
            const data = await bytes;
            const parts = LAYOUTS[layout];
            const part = (offset, length) => new Uint8Array(data, offset, length);
            await Promise.all(
                parts
                    .filter(([id]) => id !== null)
                    .map(([id, offset, length]) => once(id, () => WebAssembly.instantiate(part(offset, length), imports))),
            );
            const own = parts.find(([id]) => id === null);
            return own ? WebAssembly.instantiate(part(own[1], own[2]), imports) : {};
        };
    };
}
`;
fs.writeFileSync(loaderPath, `${runtime}${packRuntime}${exports.join('\n')}\n`);
for (const [i, split] of splits.entries()) {
  const size = layouts[i].reduce((s, [, , length]) => s + length, 0);
  console.error(`pack ${split.name}: ${layouts[i].length} modules, ${size} bytes`);
}
