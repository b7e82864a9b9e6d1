// Writes a brotli (quality 11) and a gzip (level 9) copy beside every text and Wasm file of the given
// folders, once at build time, so that the server sends the smallest encoding without compressing per
// request. rapport.config.json is left alone: deployments replace it, and a stale .br beside it would
// be served instead of the new file.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const EXTENSIONS = new Set(['.wasm', '.js', '.mjs', '.css', '.html', '.svg', '.json']);
const SKIP = new Set(['rapport.config.json']);
const MIN_BYTES = 1024;

function* files(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (entry.isFile() && EXTENSIONS.has(path.extname(entry.name)) && !SKIP.has(entry.name)) yield full;
  }
}

let raw = 0;
let br = 0;
for (const dir of process.argv.slice(2)) {
  for (const file of files(dir)) {
    const data = fs.readFileSync(file);
    for (const suffix of ['.br', '.gz']) fs.rmSync(file + suffix, { force: true });
    if (data.length < MIN_BYTES) continue;
    const brotli = zlib.brotliCompressSync(data, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
        [zlib.constants.BROTLI_PARAM_MODE]:
          path.extname(file) === '.wasm' ? zlib.constants.BROTLI_MODE_GENERIC : zlib.constants.BROTLI_MODE_TEXT,
      },
    });
    const gzip = zlib.gzipSync(data, { level: 9 });
    // Only where it helps: a file that does not shrink is sent as it is.
    if (brotli.length < data.length) fs.writeFileSync(file + '.br', brotli);
    if (gzip.length < data.length) fs.writeFileSync(file + '.gz', gzip);
    raw += data.length;
    br += Math.min(brotli.length, data.length);
  }
}
console.log(`precompressed: ${raw} bytes -> ${br} bytes brotli`);
