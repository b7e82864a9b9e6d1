// Versioned delivery of the widget: writes into rapport-survey.js, the one stable URL a firm pastes
// (revalidated on every use), the names of the files it loads, each carrying its content hash, which
// the server sends as immutable (a year, no revalidation). A new release is then one atomic switch: a
// page gets either the old set or the new one, never a mix, and a repeat visit downloads nothing that
// did not change.
// usage: node version-widget.mjs DIST_WIDGET_DIR GLUE_JS WASM
// GLUE_JS and WASM are the names scripts/split.sh gave the JS glue and the main Wasm (already hashed;
// the chunks and their loader are named by the glue itself); the stylesheet is hashed here.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, glue, wasm] = process.argv.slice(2);
if (!dir || !glue || !wasm) throw new Error('usage: node version-widget.mjs DIR GLUE_JS WASM');
for (const file of [glue, wasm]) {
  if (!existsSync(join(dir, file))) throw new Error(`${dir}/${file} does not exist`);
}
const read = (name) => readFileSync(join(dir, name));
const style = createHash('sha256').update(read('rapport-survey.css')).digest('hex').slice(0, 20);
const css = `rapport-survey-${style}.css`;
renameSync(join(dir, 'rapport-survey.css'), join(dir, css));
const names = {
  './rapport_survey_kit.js': `./${glue}`,
  './rapport_survey_kit_bg.wasm': `./${wasm}`,
  './rapport-survey.css': `./${css}`,
};
let loader = read('rapport-survey.js').toString('utf8');
for (const [plain, hashed] of Object.entries(names)) {
  if (!loader.includes(`'${plain}'`)) throw new Error(`rapport-survey.js does not name ${plain}`);
  loader = loader.replaceAll(`'${plain}'`, `'${hashed}'`);
}
writeFileSync(join(dir, 'rapport-survey.js'), loader);
console.log(`widget files: ${Object.values(names).join(', ')}`);
