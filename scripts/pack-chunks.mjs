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
// precompression and the server's immutable caching for it). It starts with its own table of contents
// (a little-endian u32 length, then JSON `[[chunk number or null for the group's own module, length],
// ...]`), so that the loader, which is in every first load, does not carry every pack's layout: with
// some 300 chunks that table was 36 KB of the loader.
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
const sizes = [];
const exports = [];
for (const split of splits) {
  const parts = [];
  for (const dep of split.deps) {
    const file = chunks.get(dep);
    if (!file) throw new Error(`${loaderPath}: ${split.name} needs the unknown chunk ${dep}`);
    const number = Number(/^__chunk_(\d+)$/.exec(dep)?.[1]);
    if (!Number.isInteger(number)) throw new Error(`${loaderPath}: unexpected chunk name ${dep}`);
    parts.push({ id: number, bytes: read(file) });
  }
  if (split.own) parts.push({ id: null, bytes: read(split.own) });
  const contents = Buffer.from(JSON.stringify(parts.map((p) => [p.id, p.bytes.length])));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(contents.length);
  const packName = `split_${split.name}.wasm`;
  fs.writeFileSync(path.join(dir, packName), Buffer.concat([length, contents, ...parts.map((p) => p.bytes)]));
  sizes.push([parts.length, parts.reduce((sum, p) => sum + p.bytes.length, 0)]);
  exports.push(`export const __wasm_split_load_${split.name} = wrapAsyncCb(makeLoad(pack("./${packName}"), []));`);
}
for (const file of new Set(chunks.values())) fs.rmSync(path.join(dir, file));

const packRuntime = `
// Each page group's modules arrive in one download (scripts/pack-chunks.mjs), which begins with its
// table of contents: a u32 (little-endian) length, then JSON [[shared chunk number, or null for the
// group's own module, length], ...], the modules following in that order.
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
function pack(file) {
    return () => {
        const bytes = fetch(new URL(file, import.meta.url)).then((response) => {
            if (!response.ok) throw new Error(\`\${file}: HTTP \${response.status}\`);
            return response.arrayBuffer();
        });
        bytes.catch(() => {});
        return async (imports) => {
            const data = await bytes;
            const size = new DataView(data).getUint32(0, true);
            const contents = JSON.parse(new TextDecoder().decode(new Uint8Array(data, 4, size)));
            let offset = 4 + size;
            const modules = contents.map(([id, length]) => {
                const module = [id, new Uint8Array(data, offset, length)];
                offset += length;
                return module;
            });
            if (offset !== data.byteLength) throw new Error(\`\${file}: not the pack its contents describe\`);
            await Promise.all(
                modules
                    .filter(([id]) => id !== null)
                    .map(([id, module]) => once(id, () => WebAssembly.instantiate(module, imports))),
            );
            const own = modules.find(([id]) => id === null);
            return own ? WebAssembly.instantiate(own[1], imports) : {};
        };
    };
}
`;
fs.writeFileSync(loaderPath, `${runtime}${packRuntime}${exports.join('\n')}\n`);
for (const [i, split] of splits.entries()) {
  console.error(`pack ${split.name}: ${sizes[i][0]} modules, ${sizes[i][1]} bytes`);
}
