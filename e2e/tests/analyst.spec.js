// The analyst view (/analyst, issue #7): a survey file imported in the browser gives the same numbers
// as the `rapport` CLI on the same file (every [data-stat] on the page against the CLI's JSON report),
// broken files give the CLI's located messages, charts are named and downloadable, axe finds nothing,
// and the view speaks nl and de. The files are in e2e/fixtures/analyst/ (generate.mjs writes them).
// Needs the CLI: RAPPORT_CLI_BIN, else $CARGO_TARGET_DIR (default ~/.cache/rapport/target)/release/rapport.
import { readFileSync } from 'node:fs';
import { test, expect, expectAccessible } from './fixtures.js';
import {
  cliAggregate,
  expectReportMatches,
  fixture,
  fixtureLines,
  importAndCompare,
  importFile,
  instrumentHashes,
  integersIn,
  openAnalyst,
  runCli,
  tempFile,
} from './analyst-helpers.js';

const HEADINGS = { en: 'Survey analysis', nl: 'Enquêteanalyse', de: 'Umfrageauswertung' };
const report = (page) => page.locator('[data-testid=report]');
const readyReport = (page) => page.locator('[data-testid=report][data-ready]');
const errorItems = (page) => page.locator('[data-testid=import-errors] li');
const summary = (page) => page.getByTestId('import-summary');

/** The texts of the listed errors, trimmed. */
const errorTexts = async (page) => (await errorItems(page).allTextContents()).map((t) => t.trim());

// The JSON-lines fixtures carry instrument hashes: they must be those of the CLI (and so of the page).
test.beforeAll(() => {
  const hashes = instrumentHashes();
  const first = JSON.parse(fixtureLines('nps.jsonl')[0]);
  expect(first.instrument.hash, 'fixtures out of date: run node e2e/fixtures/analyst/generate.mjs').toBe(hashes.nps);
});

test('a SERVQUAL CSV gives on screen every number of the CLI report on the same file', async ({ page }) => {
  await openAnalyst(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(HEADINGS.en);
  const { aggregate } = await importAndCompare(page, 'servqual.csv', 'servqual', { pageInstrument: 'servqual', atLeast: 40 });
  expect(aggregate.n_responses).toBe(200);
  // "200 lines read · 200 valid · 0 skipped"
  expect(integersIn(await summary(page).textContent())).toEqual([200, 200, 0]);
  await expect(errorItems(page)).toHaveCount(0);
  await expect(page.getByTestId('import-progress')).toHaveCount(0);
});

test('NPS JSON lines, the instrument taken from the file: the CLI numbers and an 11-row histogram table', async ({ page }) => {
  await openAnalyst(page);
  const { aggregate } = await importAndCompare(page, 'nps.jsonl', 'nps', { pageInstrument: '', atLeast: 6 });
  expect(integersIn(await summary(page).textContent())).toEqual([150, 150, 0]);

  // The histogram's data table: one row per answer 0–10, each with that answer's count.
  const counts = Array(11).fill(0);
  for (const line of fixtureLines('nps.jsonl')) counts[JSON.parse(line).answers.NPS]++;
  expect(counts.reduce((a, b) => a + b, 0)).toBe(aggregate.n_responses);
  const tables = page.locator('figure.chart details table');
  const rowsPerTable = await tables.evaluateAll((ts) =>
    ts.map((t) => [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.cells].map((c) => c.textContent.trim()))),
  );
  const histogram = rowsPerTable.find((rows) => rows.length === 11);
  expect(histogram, 'a chart whose data table has 11 rows (answers 0–10)').toBeTruthy();
  histogram.forEach((cells, answer) => {
    expect(cells[0], `row ${answer} names its answer`).toContain(String(answer));
    expect(cells.slice(1), `row ${answer} gives its count`).toContain(String(counts[answer]));
  });
  // One instrument version in the file: no version filter.
  await expect(page.locator('select#filter-version')).toHaveCount(0);
});

test('a CSV with an unknown column: the CLI header error, and no report (with or without skipping)', async ({ page }) => {
  const file = fixture('servqual-unknown-column.csv');
  const cli = runCli('servqual', file);
  expect(cli.status).toBe(1);
  expect(cli.errors[0]).toMatch(/^line 1, column 3 \(`P99`\)/);
  for (const skip of [false, true]) {
    await openAnalyst(page);
    await importFile(page, file, { instrument: 'servqual', skip });
    await expect(errorItems(page).first()).toBeVisible();
    expect(await errorTexts(page)).toEqual(cli.errors);
    await expect(report(page)).toHaveCount(0);
  }
});

test('a CSV with invalid rows: stops at the first without skipping; with skipping, lists each and reports the rest', async ({ page }) => {
  const file = fixture('servqual-bad-rows.csv');
  const strict = runCli('servqual', file);
  expect(strict.status).toBe(1);
  expect(strict.errors).toHaveLength(1);
  expect(strict.errors[0]).toMatch(/^line 4, column 26 \(P3\): .*\b9\b/);

  await openAnalyst(page);
  await importFile(page, file, { instrument: 'servqual' });
  await expect(errorItems(page).first()).toBeVisible();
  expect(await errorTexts(page)).toEqual(strict.errors);
  await expect(report(page)).toHaveCount(0);

  const lenient = runCli('servqual', file, { skip: true });
  expect(lenient.status).toBe(0);
  expect(lenient.report.skipped.first.map((s) => s.line)).toEqual([4, 9, 15, 22]);
  expect(lenient.report.skipped.count).toBe(4);
  await openAnalyst(page);
  await importFile(page, file, { instrument: 'servqual', skip: true });
  await expect(readyReport(page)).toBeVisible();
  // Every located message, exactly as the CLI words it: out of range, not an integer, field count, allocation.
  expect(await errorTexts(page)).toEqual(lenient.errors);
  expect(integersIn(await summary(page).textContent())).toEqual([40, 36, 4]);
  await expectReportMatches(page, lenient.report.aggregate, { atLeast: 40 });
});

test('broken JSON lines: malformed JSON and another instrument give the CLI messages', async ({ page }) => {
  const file = fixture('nps-broken.jsonl');
  const strict = runCli('nps', file);
  expect(strict.status).toBe(1);
  await openAnalyst(page);
  await importFile(page, file, { instrument: 'nps' });
  await expect(errorItems(page).first()).toBeVisible();
  expect(await errorTexts(page)).toEqual(strict.errors);
  await expect(report(page)).toHaveCount(0);

  const lenient = runCli('nps', file, { skip: true });
  expect(lenient.report.skipped.first.map((s) => s.line)).toEqual([6, 17]);
  expect(lenient.errors[0]).toMatch(/^line 6, column 246: /);
  expect(lenient.errors[1]).toMatch(/^line 17: .*csat/);
  await openAnalyst(page);
  await importFile(page, file, { instrument: 'nps', skip: true });
  await expect(readyReport(page)).toBeVisible();
  expect(await errorTexts(page)).toEqual(lenient.errors);
  expect(integersIn(await summary(page).textContent())).toEqual([40, 38, 2]);
  await expectReportMatches(page, lenient.report.aggregate, { atLeast: 6 });
});

test('charts are named images with a data table and an SVG download; the CSV exports download', async ({ page }) => {
  await openAnalyst(page);
  const { aggregate } = await importAndCompare(page, 'servqual.csv', 'servqual', { pageInstrument: 'servqual', atLeast: 40 });
  const figures = page.locator('figure.chart');
  const n = await figures.count();
  expect(n, 'charts in the report').toBeGreaterThan(0);
  for (let i = 0; i < n; i++) {
    const figure = figures.nth(i);
    const svg = figure.locator('svg[role=img]');
    await expect(svg).toHaveCount(1);
    await expect(svg).toHaveAccessibleName(/\S/);
    // The name comes from the SVG's own <title> (and <desc>), through aria-labelledby.
    const labelled = await svg.evaluate((el) =>
      (el.getAttribute('aria-labelledby') ?? '')
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => el.querySelector(`[id="${id}"]`)?.tagName.toLowerCase() ?? null),
    );
    expect(labelled, `chart ${i}: aria-labelledby points at its <title>`).toContain('title');
    expect(labelled, `chart ${i}: every aria-labelledby id is inside the SVG`).not.toContain(null);
    await expect(figure.locator('details table')).toHaveCount(1);
    await expect(figure.getByRole('button', { name: 'Download SVG' })).toHaveCount(1);
  }

  const [svgDownload] = await Promise.all([
    page.waitForEvent('download'),
    figures.first().getByRole('button', { name: 'Download SVG' }).click(),
  ]);
  expect(svgDownload.suggestedFilename()).toMatch(/\.svg$/);
  const svgText = readFileSync(await svgDownload.path(), 'utf8');
  expect(svgText).toMatch(/^(<\?xml[^>]*>\s*)?<svg[\s>]/);
  expect(svgText).toContain('xmlns="http://www.w3.org/2000/svg"');
  expect(svgText.trimEnd()).toMatch(/<\/svg>$/);

  const [scores] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download scores per respondent (CSV)' }).click(),
  ]);
  expect(scores.suggestedFilename()).toMatch(/\.csv$/);
  const scoreLines = readFileSync(await scores.path(), 'utf8').trimEnd().split(/\r?\n/);
  expect(scoreLines.length, 'a header and one row per valid response').toBe(1 + aggregate.n_responses);

  const [summaryCsv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download summary (CSV)' }).click(),
  ]);
  expect(summaryCsv.suggestedFilename()).toMatch(/\.csv$/);
  const text = readFileSync(await summaryCsv.path(), 'utf8');
  const sq = aggregate.results.sq.mean.value;
  // A line about SQ holding its mean (at any precision from 2 decimals up).
  const sqLine = text
    .split(/\r?\n/)
    .filter((l) => /\bsq\b/i.test(l))
    .find((l) => l.split(/[,;]/).some((cell) => Math.abs(Number(cell.replace(/"/g, '').trim()) - sq) < 0.005));
  expect(sqLine, `a summary line for SQ with its mean ${sq}`).toBeTruthy();
});

test('axe finds no violations on the empty view, with errors listed, and with a report', async ({ page }) => {
  await openAnalyst(page);
  await expectAccessible(page);

  await importFile(page, fixture('servqual-bad-rows.csv'), { instrument: 'servqual', skip: true });
  await expect(readyReport(page)).toBeVisible();
  await expect(errorItems(page)).toHaveCount(4);
  await expectAccessible(page);

  await openAnalyst(page);
  await importFile(page, fixture('servqual-bad-rows.csv'), { instrument: 'servqual' });
  await expect(errorItems(page).first()).toBeVisible();
  await expectAccessible(page);

  await openAnalyst(page);
  await importFile(page, fixture('servqual.csv'), { instrument: 'servqual' });
  await expect(readyReport(page)).toBeVisible();
  await expectAccessible(page);
  // The data tables too, opened.
  await page.locator('figure.chart details').evaluateAll((ds) => ds.forEach((d) => (d.open = true)));
  await expectAccessible(page);
});

for (const lang of ['nl', 'de']) {
  test(`in ${lang}: the heading, and the numbers with a decimal comma`, async ({ page }) => {
    await openAnalyst(page, lang);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(HEADINGS[lang]);
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    await importFile(page, fixture('servqual.csv'), { instrument: 'servqual' });
    await expect(readyReport(page)).toBeVisible();
    const aggregate = cliAggregate('servqual', fixture('servqual.csv'));
    await expectReportMatches(page, aggregate, { lang, atLeast: 40 });
    // A mean gap, e.g. "-0,92": the decimal mark is a comma.
    const gap = page.locator('[data-testid=report] [data-stat="results.dimensions.0.gap.mean"], [data-testid=report] [data-stat="results.dimensions.0.gap.mean.value"]');
    await expect(gap.first()).toHaveText(/^\s*[-\u2212]?\d+,\d{2}\s*$/);
    expect(integersIn(await summary(page).textContent())).toEqual([200, 200, 0]);
    await expectAccessible(page);
  });
}

test.describe('filters', () => {
  // Dates are compared in UTC, as the file's time stamps are written.
  test.use({ timezoneId: 'UTC' });

  test('a segment and a date filter change n, and the numbers equal the CLI on that subset', async ({ page }) => {
    await openAnalyst(page);
    const all = (await importAndCompare(page, 'nps.jsonl', 'nps', { pageInstrument: 'nps', atLeast: 6 })).aggregate;
    const lines = fixtureLines('nps.jsonl');
    const meta = (l) => JSON.parse(l).meta;

    // The n shown: n_responses, or the method's own n.
    const shownN = page.locator(
      '[data-testid=report] [data-stat="n_responses"], [data-testid=report] [data-stat="results.n"]',
    );
    await expect(shownN.first()).toHaveAttribute('data-value', String(all.n_responses));

    const north = lines.filter((l) => meta(l).segment === 'north');
    expect(north.length).toBeLessThan(lines.length);
    await page.locator('select#filter-segment').selectOption('north');
    await expect(shownN.first()).toHaveAttribute('data-value', String(north.length));
    await expect(readyReport(page)).toBeVisible();
    await expectReportMatches(page, cliAggregate('nps', tempFile(north, 'jsonl')), { atLeast: 6 });

    // From 1 April on (inclusive), still in the north.
    const northSinceApril = north.filter((l) => meta(l).timestamp >= '2026-04-01T00:00:00Z');
    expect(northSinceApril.length).toBeGreaterThan(0);
    expect(northSinceApril.length).toBeLessThan(north.length);
    await page.locator('#filter-from').fill('2026-04-01');
    await expect(shownN.first()).toHaveAttribute('data-value', String(northSinceApril.length));
    await expect(readyReport(page)).toBeVisible();
    await expectReportMatches(page, cliAggregate('nps', tempFile(northSinceApril, 'jsonl')), { atLeast: 6 });

    // Up to 30 April (inclusive, the whole day).
    const april = northSinceApril.filter((l) => meta(l).timestamp < '2026-05-01T00:00:00Z');
    expect(april.length).toBeGreaterThan(0);
    expect(april.length).toBeLessThan(northSinceApril.length);
    await page.locator('#filter-to').fill('2026-04-30');
    await expect(shownN.first()).toHaveAttribute('data-value', String(april.length));
    await expect(readyReport(page)).toBeVisible();
    await expectReportMatches(page, cliAggregate('nps', tempFile(april, 'jsonl')), { atLeast: 6 });
  });

  test('a segment filter on the SERVQUAL CSV: n and every number equal the CLI on that subset', async ({ page }) => {
    await openAnalyst(page);
    const all = (await importAndCompare(page, 'servqual.csv', 'servqual', { pageInstrument: 'servqual', atLeast: 40 })).aggregate;
    const [header, ...rows] = fixtureLines('servqual.csv');
    const segmentAt = header.split(',').indexOf('segment');
    expect(segmentAt, 'servqual.csv has a segment column').toBeGreaterThanOrEqual(0);
    const west = rows.filter((l) => l.split(',')[segmentAt] === 'west');
    expect(west.length).toBeGreaterThan(0);
    expect(west.length).toBeLessThan(all.n_responses);
    await page.locator('select#filter-segment').selectOption('west');
    await expect(page.locator('[data-testid=report] [data-stat="n_responses"]')).toHaveAttribute('data-value', String(west.length));
    await expect(readyReport(page)).toBeVisible();
    await expectReportMatches(page, cliAggregate('servqual', tempFile([header, ...west], 'csv')), { atLeast: 40 });
  });
});
