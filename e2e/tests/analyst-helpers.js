// Helpers for the analyst view's tests: run the `rapport` CLI on the same fixture file the page imports,
// find a statistic in the CLI's JSON report by the page's `data-stat` path, and compare every number on
// the page with it (value to 1e-9, text rounded and formatted for the language).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from './fixtures.js';

export const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures', 'analyst');
export const fixture = (name) => path.join(FIXTURES, name);

/** The CLI binary: $RAPPORT_CLI_BIN, else the release build in the shared target folder. */
export function cliBin() {
  const bin =
    process.env.RAPPORT_CLI_BIN ??
    path.join(process.env.CARGO_TARGET_DIR ?? path.join(os.homedir(), '.cache/rapport/target'), 'release/rapport');
  if (!existsSync(bin)) {
    throw new Error(`the rapport CLI is not built at ${bin}: cargo build --release -p rapport-cli, or set RAPPORT_CLI_BIN`);
  }
  return bin;
}

/**
 * Runs `rapport score --aggregate-only` on `file`. Returns {status, report (parsed, on success), stderr,
 * errors}: `errors` are the located messages the CLI printed (the one fatal error, or the lines of an
 * invalid response, or the skipped lines).
 */
export function runCli(instrument, file, { skip = false } = {}) {
  const args = ['score', '--instrument', instrument, '--input', file, '--aggregate-only'];
  if (skip) args.push('--skip-invalid');
  const run = spawnSync(cliBin(), args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const stderr = run.stderr ?? '';
  const report = run.status === 0 ? JSON.parse(run.stdout) : null;
  let errors;
  if (report) {
    errors = report.skipped.first.flatMap((s) => s.errors);
  } else {
    // "error: line 1, column 3 (`P99`): …" or "error: FILE: invalid response (…):\n  line 4, …"
    const lines = stderr.trimEnd().split('\n');
    const first = lines[0].replace(/^error: /, '');
    const located = lines.slice(1).map((l) => l.trim()).filter(Boolean);
    errors = located.length ? located : [first];
  }
  return { status: run.status, report, stderr, errors };
}

/** The CLI's aggregate for `file`; fails the test when the CLI fails. */
export function cliAggregate(instrument, file, options) {
  const out = runCli(instrument, file, options);
  expect(out.status, `rapport score on ${path.basename(file)}: ${out.stderr}`).toBe(0);
  return out.report.aggregate;
}

/** Writes `lines` to a fresh temporary file with the given extension; returns its path. */
export function tempFile(lines, ext) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rapport-analyst-'));
  const file = path.join(dir, `subset.${ext}`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** Lines of a fixture (without the trailing empty one). */
export const fixtureLines = (name) => readFileSync(fixture(name), 'utf8').trimEnd().split('\n');

/** Hashes of the built-in instruments, from `rapport instruments`. */
export function instrumentHashes() {
  const out = spawnSync(cliBin(), ['instruments'], { encoding: 'utf8' });
  return Object.fromEntries(out.stdout.trim().split('\n').map((l) => l.split('\t')).map(([id, , hash]) => [id, hash]));
}

/**
 * The value at a dotted path of the aggregate ("results.dimensions.0.gap.mean"). A statistic
 * ({value: x} or {value: null, undefined: reason}) gives {stat: true, value}; a bare number gives
 * {stat: false, value}; a path that leads nowhere gives undefined.
 */
export function valueAt(aggregate, dotted) {
  let at = aggregate;
  for (const key of dotted.split('.')) {
    if (at == null || typeof at !== 'object' || !(key in at)) return undefined;
    at = at[key];
  }
  if (at && typeof at === 'object' && 'value' in at) return { stat: true, value: at.value };
  if (typeof at === 'number') return { stat: false, value: at };
  return undefined;
}

const normalise = (s) => s.replace(/[\u2212\u2012\u2013]/g, '-').replace(/[\u00a0\u202f]/g, ' ').trim();

/**
 * The texts a number may show: rounded to 2 decimals (statistics) or as an integer (counts), formatted
 * for `lang`. Where the rounding is an exact tie, or rounds to zero from below, both readings are allowed.
 */
export function expectedTexts(value, lang, integer) {
  const format = (x, digits) =>
    normalise(new Intl.NumberFormat(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x));
  if (integer) return [format(value, 0)];
  const scaled = value * 100;
  const texts = new Set();
  const lo = Math.floor(scaled);
  if (scaled - lo === 0.5) {
    texts.add(format(lo / 100, 2));
    texts.add(format((lo + 1) / 100, 2));
  } else {
    texts.add(format(Math.round(scaled) / 100, 2));
    texts.add(format(value, 2));
  }
  for (const t of [...texts]) if (/^-0[.,]00$/.test(t)) texts.add(t.slice(1));
  return [...texts];
}

/** Every [data-stat] of the report: {stat, value (data-value as given), text}. */
export async function pageStats(page) {
  return page.locator('[data-testid=report] [data-stat]').evaluateAll((els) =>
    els.map((el) => ({ stat: el.dataset.stat, value: el.getAttribute('data-value'), text: el.textContent })),
  );
}

/**
 * Compares every number of the page's report with the CLI's aggregate. Returns the page's stats keyed
 * by path (numbers). Fails with the list of every mismatch.
 */
export async function expectReportMatches(page, aggregate, { lang = 'en', atLeast = 1 } = {}) {
  await expect(page.locator('[data-testid=report][data-ready]')).toBeVisible();
  const stats = await pageStats(page);
  const problems = [];
  const byPath = {};
  for (const { stat, value, text } of stats) {
    const cli = valueAt(aggregate, stat.replace(/\.value$/, ''));
    if (cli === undefined) {
      problems.push(`${stat}: not in the CLI's aggregate`);
      continue;
    }
    if (cli.value === null) {
      // An undefined statistic (too few respondents, zero variance, …): no number may be shown for it.
      if (value !== null && value !== '') problems.push(`${stat}: the CLI says undefined, the page shows ${value}`);
      continue;
    }
    const shown = Number(value);
    if (value === null || value === '' || !Number.isFinite(shown)) {
      problems.push(`${stat}: data-value ${JSON.stringify(value)} is not a number (CLI ${cli.value})`);
      continue;
    }
    byPath[stat] = shown;
    if (!(Math.abs(shown - cli.value) < 1e-9)) problems.push(`${stat}: page ${shown}, CLI ${cli.value}`);
    const integer = !cli.stat && Number.isInteger(cli.value);
    const texts = expectedTexts(cli.value, lang, integer);
    if (!texts.includes(normalise(text))) problems.push(`${stat}: text ${JSON.stringify(text)}, expected ${texts.join(' or ')}`);
  }
  expect(problems, 'numbers on the page that differ from the CLI report').toEqual([]);
  expect(Object.keys(byPath).length, 'numbers shown with data-stat').toBeGreaterThanOrEqual(atLeast);
  return byPath;
}

/** Opens the analyst view in English (or `lang`, through the header's switcher). */
export async function openAnalyst(page, lang = 'en') {
  await page.goto('/analyst');
  if (lang !== 'en') await page.getByLabel('Language').selectOption(lang);
  await expect(page.locator('#analyst-file')).toBeAttached();
}

/** Chooses the instrument and the skip option, then the file (which starts the import). */
export async function importFile(page, file, { instrument = '', skip = false } = {}) {
  await page.locator('select#analyst-instrument').selectOption(instrument);
  await page.locator('#analyst-skip').setChecked(skip);
  await page.locator('#analyst-file').setInputFiles(file);
}

/** Waits for the report and returns the page's figures compared with the CLI's. */
export async function importAndCompare(page, name, instrument, options = {}) {
  await importFile(page, fixture(name), { instrument: options.pageInstrument ?? instrument, skip: options.skip });
  await expect(page.locator('[data-testid=report][data-ready]')).toBeVisible({ timeout: 20_000 });
  const aggregate = cliAggregate(instrument, fixture(name), { skip: options.skip });
  const stats = await expectReportMatches(page, aggregate, options);
  return { aggregate, stats };
}

/** The integers in a text, in order ("1.234 regels" → [1234]); grouping marks of en, nl and de. */
export function integersIn(text) {
  return (normalise(text).match(/\d{1,3}(?:[.,\s]\d{3})+(?!\d)|\d+/g) ?? []).map((s) => Number(s.replace(/[.,\s]/g, '')));
}
