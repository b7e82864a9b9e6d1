// Versioned delivery of the widget: gives the files that rapport-survey.js loads (the Wasm, its JS glue
// and the stylesheet) their content hash in their names, which the server sends as immutable (a year,
// no revalidation), and writes those names into rapport-survey.js, the one stable URL a firm pastes
// (revalidated on every use). A new release is then one atomic switch: a page gets either the old set or
// the new one, never a mix, and a repeat visit downloads nothing that did not change.
// usage: node version-widget.mjs DIST_WIDGET_DIR
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const read = (name) => readFileSync(join(dir, name));
const hash = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex').slice(0, 20);
};

// The glue and the Wasm belong together: one hash over both, so neither can change alone.
const code = hash(read('rapport_survey_kit.js'), read('rapport_survey_kit_bg.wasm'));
const style = hash(read('rapport-survey.css'));
const names = {
  './rapport_survey_kit.js': `./rapport_survey_kit-${code}.js`,
  './rapport_survey_kit_bg.wasm': `./rapport_survey_kit-${code}_bg.wasm`,
  './rapport-survey.css': `./rapport-survey-${style}.css`,
};
let loader = read('rapport-survey.js').toString('utf8');
for (const [plain, hashed] of Object.entries(names)) {
  if (!loader.includes(`'${plain}'`)) throw new Error(`rapport-survey.js does not name ${plain}`);
  loader = loader.replaceAll(`'${plain}'`, `'${hashed}'`);
  renameSync(join(dir, plain), join(dir, hashed));
}
writeFileSync(join(dir, 'rapport-survey.js'), loader);
console.log(`widget files: ${Object.values(names).join(', ')}`);
