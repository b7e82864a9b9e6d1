// Transfer sizes (gzip -9 and brotli at quality 11) of the widget, of the portal's first load and of a
// minimal SurveyJS survey bundled here with esbuild. Run by scripts/bench.sh.
// usage: node sizes.mjs ROOT OUT.json
import { execFileSync } from 'node:child_process';
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
// The loader keeps its name; the files it loads carry their content hash (scripts/version-widget.mjs).
const widgetNames = readdirSync(widgetDir).filter(
  (f) => f === 'rapport-survey.js' || /^(rapport_survey_kit-[0-9a-f]+(_bg\.wasm|\.js)|rapport-survey-[0-9a-f]+\.css)$/.test(f),
);
if (widgetNames.length !== 4) throw new Error(`dist-widget should hold 4 widget files: ${widgetNames.join(', ')}`);
const widget = measure(widgetNames.map((f) => join(widgetDir, f)));

// The portal's first load: what dist/index.html references (boot.js, the JS glue and the Wasm it names,
// the chunk loader, the stylesheets). Pages other than sign-in and the overview load chunks on top.
const distDir = join(root, 'dist');
const html = readFileSync(join(distDir, 'index.html'), 'utf8');
const refs = new Set();
for (const m of html.matchAll(/<script[^>]*\bsrc="\/?([^"]+)"/g)) refs.add(m[1]);
for (const m of html.matchAll(/\bdata-(?:js|wasm)="\/?([^"]+)"/g)) refs.add(m[1]);
for (const m of html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="\/?([^"]+)"/g)) refs.add(m[1]);
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
writeFileSync(outPath, JSON.stringify({ widget: rel(widget), portal: rel(portal), surveyjs: rel(surveyjs) }, null, 2));
for (const [name, m] of Object.entries({ widget, portal, surveyjs })) {
  console.log(`${name.padEnd(9)} raw ${m.raw} B, gzip -9 ${m.gzip} B, brotli ${m.brotli} B`);
}
