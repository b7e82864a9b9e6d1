// Transfer sizes (gzip -9 and brotli at quality 11) of the widget, of its two host pages (one NPS and
// one SERVQUAL survey: the widget's files plus the instrument definition as the reference server sends
// it), of the portal's first load and of a minimal SurveyJS survey bundled here with esbuild, all in the
// same run. Run by scripts/bench.sh.
// usage: node sizes.mjs ROOT OUT.json   (SERVER_BIN: the release server, started briefly for the definitions)
import { execFileSync, spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';
import * as esbuild from 'esbuild';

const [root, outPath] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));

// gzip as scripts/sizes.sh measures it (the gzip program, -9), so that the figures match its budgets.
const gzip = (file) => execFileSync('gzip', ['-9', '-c', file], { maxBuffer: 1 << 28 }).length;
const brotli = (file) => {
  const data = readFileSync(file);
  return brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  }).length;
};
const measure = (files) => {
  const parts = files.map((f) => ({ file: f, raw: readFileSync(f).length, gzip: gzip(f), brotli: brotli(f) }));
  const sum = (k) => parts.reduce((s, p) => s + p[k], 0);
  return { raw: sum('raw'), gzip: sum('gzip'), brotli: sum('brotli'), parts };
};

// The widget: what a host page loads for one <rapport-survey>.
const widgetDir = join(root, 'dist-widget');
// The loader keeps its name; the files it loads carry their content hash (scripts/version-widget.mjs):
// the Wasm, its glue, the chunk loader the glue imports, and the stylesheet. The packs fetched once
// the first question shows are not counted (as in scripts/sizes.sh's "until its first question").
const widgetNames = readdirSync(widgetDir).filter(
  (f) =>
    f === 'rapport-survey.js' ||
    /^(rapport_survey_kit-[0-9a-f]+(_bg\.wasm|\.js)|__wasm_split-[0-9a-f]+\.js|rapport-survey-[0-9a-f]+\.css)$/.test(f),
);
if (widgetNames.length !== 5) throw new Error(`dist-widget should hold 5 widget files: ${widgetNames.join(', ')}`);
const widget = measure(widgetNames.map((f) => join(widgetDir, f)));

// The instrument definitions as the reference server compresses them on the fly (what the widget
// fetches before its first question can be answered), each in gzip and in brotli.
const serverBin = process.env.SERVER_BIN ?? join(process.env.CARGO_TARGET_DIR ?? '', 'release', 'rapport-server');
const onWire = (base, path, encoding) =>
  new Promise((resolve, reject) => {
    request(`${base}${path}`, { headers: { 'Accept-Encoding': encoding } }, (res) => {
      let n = 0;
      res.on('data', (c) => (n += c.length));
      res.on('end', () => (res.statusCode === 200 ? resolve(n) : reject(new Error(`${path}: HTTP ${res.statusCode}`))));
    }).on('error', reject).end();
  });
const definitions = async () => {
  const server = spawn(serverBin, [], {
    env: { ...process.env, RAPPORT_PORT: '0', RAPPORT_DB: ':memory:', RAPPORT_WIDGET_DIR: widgetDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const base = await new Promise((resolve, reject) => {
      let log = '';
      const seen = (chunk) => {
        log += chunk;
        const m = log.match(/http:\/\/127\.0\.0\.1:\d+/);
        if (m) resolve(m[0]);
      };
      server.stdout.on('data', seen);
      server.stderr.on('data', seen);
      server.on('exit', () => reject(new Error(`the reference server stopped: ${log.slice(-300)}`)));
      setTimeout(() => reject(new Error('the reference server did not start')), 20_000);
    });
    for (let i = 0; i < 100; i++) {
      try {
        await onWire(base, '/api/v1/health', 'identity');
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const out = {};
    for (const id of ['nps', 'servqual']) {
      const path = `/api/v1/instruments/${id}`;
      out[id] = { gzip: await onWire(base, path, 'gzip'), brotli: await onWire(base, path, 'br') };
    }
    return out;
  } finally {
    server.kill();
  }
};
const defs = await definitions();
const page = (id) => ({
  raw: widget.raw,
  gzip: widget.gzip + defs[id].gzip,
  brotli: widget.brotli + defs[id].brotli,
  definition: defs[id],
});
const pages = { nps: page('nps'), servqual: page('servqual') };

// The portal's first load: what dist/index.html references (boot.js, the JS glue and the Wasm it names,
// the chunk loader, the stylesheets that block rendering). Pages other than sign-in and the overview load chunks on top.
const distDir = join(root, 'dist');
const html = readFileSync(join(distDir, 'index.html'), 'utf8');
const refs = new Set();
for (const m of html.matchAll(/<script[^>]*\bsrc="\/?([^"]+)"/g)) refs.add(m[1]);
for (const m of html.matchAll(/\bdata-(?:js|wasm)="\/?([^"]+)"/g)) refs.add(m[1]);
// Not the stylesheets marked `disabled`: a page group's own, enabled when one of its pages is shown.
for (const m of html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="\/?([^"]+)"[^>]*>/g)) {
  if (!/\sdisabled[\s/>=]/.test(m[0])) refs.add(m[1]);
}
// The chunk loader of the code-split build, which the glue imports at once.
for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="\/?([^"]+)"/g)) refs.add(m[1]);
const portalFiles = [...refs].map((f) => join(distDir, f));
if (!portalFiles.some((f) => f.endsWith('.wasm')) || !portalFiles.some((f) => f.endsWith('.css'))) {
  throw new Error(`dist/index.html does not name the Wasm and the stylesheets: ${[...refs].join(', ')}`);
}
const portal = measure(portalFiles);

// SurveyJS: one NPS-style rating question, survey-core + survey-js-ui and the default theme, bundled
// and minified the way a site would ship it.
const sjsOut = join(here, 'out', 'surveyjs');
mkdirSync(sjsOut, { recursive: true });
await esbuild.build({
  entryPoints: [join(here, 'surveyjs', 'entry.js')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2020',
  legalComments: 'none',
  outdir: sjsOut,
  logLevel: 'warning',
});
const surveyjs = measure([join(sjsOut, 'entry.js'), join(sjsOut, 'entry.css')]);
const pkg = (name) => JSON.parse(readFileSync(join(here, 'node_modules', name, 'package.json'), 'utf8')).version;
surveyjs.versions = { 'survey-core': pkg('survey-core'), 'survey-js-ui': pkg('survey-js-ui'), esbuild: esbuild.version };

const rel = (m) => ({ ...m, parts: m.parts.map((p) => ({ ...p, file: p.file.slice(root.length + 1) })) });
writeFileSync(outPath, JSON.stringify({ widget: rel(widget), pages, portal: rel(portal), surveyjs: rel(surveyjs) }, null, 2));
const lines = { widget, 'NPS page': pages.nps, 'SERVQUAL page': pages.servqual, portal, surveyjs };
for (const [name, m] of Object.entries(lines)) {
  console.log(`${name.padEnd(13)} raw ${m.raw} B, gzip -9 ${m.gzip} B, brotli ${m.brotli} B`);
}
