// The analyst view's server source: staff load every stored answer to an instrument from the reference
// server's paged export, scored in the browser's worker; customers cannot.
import { test, expect, expectAccessible, signIn, DEMO } from './fixtures.js';
import { fixture } from './analyst-helpers.js';
import { answerNps, expectThanks, send } from './survey-helpers.js';

const STAFF = { email: 'staff@rapport.test', password: 'rapport-demo' };

/**
 * Counts the stored answers to `instrument` by reading every page of the export as staff; only those
 * given in one way when `source` is set.
 */
async function countExported(playwright, baseURL, instrument, source) {
  const api = await playwright.request.newContext({ baseURL });
  expect((await api.post('/api/v1/session', { data: STAFF })).status()).toBe(200);
  let after = null;
  let lines = 0;
  for (let pages = 0; pages < 1000; pages++) {
    const query = `instrument=${instrument}&limit=5000${after ? `&after=${after}` : ''}${source ? `&source=${source}` : ''}`;
    const reply = await api.get(`/api/v1/staff/survey-responses?${query}`);
    expect(reply.status()).toBe(200);
    lines += (await reply.text()).split('\n').filter((l) => l.trim()).length;
    after = reply.headers()['rapport-next'];
    if (!after) break;
  }
  await api.dispose();
  return lines;
}

test('staff load the stored NPS answers from the server and see the report', async ({ page, playwright, baseURL }) => {
  const stored = await countExported(playwright, baseURL, 'nps');
  expect(stored).toBeGreaterThan(0);

  await signIn(page, STAFF);
  await page.getByRole('link', { name: 'Analysis' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Survey analysis' })).toBeVisible();
  await page.locator('#analyst-instrument').selectOption('nps');
  await page.getByRole('button', { name: 'Load all answers from the server' }).click();

  const report = page.locator('[data-testid=report][data-ready]');
  await expect(report).toBeVisible({ timeout: 30_000 });
  // Answers may arrive from other tests meanwhile: at least the ones counted before, never fewer.
  const n = Number(await report.locator('[data-stat="n_responses"]').getAttribute('data-value'));
  expect(n).toBeGreaterThanOrEqual(stored);
  const summary = page.getByTestId('import-summary');
  await expect(summary).toContainText('valid');
  // The histogram's data table lists every answer 0–10.
  const table = report.locator('figure.chart details table');
  await expect(table.locator('tbody tr')).toHaveCount(11);
  await expectAccessible(page);
});

test('staff load only the answers given one way, and the report counts exactly those', async ({ page, playwright, baseURL }) => {
  // A signed-in customer answers in the portal: a "customer" answer among the demo's widget answers.
  await signIn(page, DEMO);
  await page.goto('/surveys/nps');
  const survey = page.locator('.rs-survey');
  await answerNps(survey, 8);
  await send(survey);
  await expectThanks(survey);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  const before = await countExported(playwright, baseURL, 'nps', 'customer');
  expect(before).toBeGreaterThan(0);
  expect(before).toBeLessThan(await countExported(playwright, baseURL, 'nps'));

  await signIn(page, STAFF);
  await page.goto('/analyst');
  await page.locator('#analyst-instrument').selectOption('nps');
  const source = page.getByLabel('Which answers');
  await expect(source.locator('option')).toHaveText([
    'All answers',
    'Anonymously, in the widget',
    'By signed-in customers',
    'By customers answering an invitation',
  ]);
  await source.selectOption('customer');
  await page.getByRole('button', { name: 'Load all answers from the server' }).click();
  const report = page.locator('[data-testid=report][data-ready]');
  await expect(report).toBeVisible({ timeout: 30_000 });
  const n = Number(await report.locator('[data-stat="n_responses"]').getAttribute('data-value'));
  // Other tests may add customer answers meanwhile, never widget ones to this count.
  const after = await countExported(playwright, baseURL, 'nps', 'customer');
  expect(n).toBeGreaterThanOrEqual(before);
  expect(n).toBeLessThanOrEqual(after);
  await expectAccessible(page);

  // In Dutch the choices are Dutch.
  await page.getByLabel('Language').selectOption('nl');
  await expect(page.getByLabel('Welke antwoorden').locator('option:checked')).toHaveText('Door aangemelde klanten');
});

test('a customer sees no server source, and the export refuses them', async ({ page, playwright, baseURL }) => {
  await signIn(page, DEMO);
  await page.goto('/analyst');
  await expect(page.getByRole('heading', { level: 1, name: 'Survey analysis' })).toBeVisible();
  // A deep link stays where it is (no folder of the build shadows the route).
  await expect(page).toHaveURL(/\/analyst$/);
  await expect(page.getByRole('button', { name: 'Load all answers from the server' })).toHaveCount(0);
  await expect(page.getByText('Sign in with a staff account')).toBeVisible();
  const api = await playwright.request.newContext({ baseURL });
  expect((await api.post('/api/v1/session', { data: DEMO })).status()).toBe(200);
  expect((await api.get('/api/v1/staff/survey-responses?instrument=nps')).status()).toBe(403);
  await api.dispose();
});

test('cancelling a long import stops it, loads nothing, and a new import still works', async ({ page }, testInfo) => {
  // A large file (~36 MB), so that the import is still running when Cancel is pressed.
  const header = [...Array(22)].map((_, i) => `E${i + 1}`).concat([...Array(22)].map((_, i) => `P${i + 1}`));
  const row = header.map((_, i) => String(1 + (i % 7))).join(',');
  const { writeFileSync } = await import('node:fs');
  const big = testInfo.outputPath('big.csv');
  writeFileSync(big, header.join(',') + '\n' + `${row}\n`.repeat(400_000));

  await page.goto('/analyst');
  await page.locator('#analyst-instrument').selectOption('servqual');
  await page.locator('#analyst-file').setInputFiles(big);
  await expect(page.getByTestId('import-progress')).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByText('Import cancelled. Nothing was loaded.')).toBeVisible();
  await expect(page.getByTestId('report')).toHaveCount(0);
  await expectAccessible(page);

  // The worker was replaced: the next import runs to its report.
  await page.locator('#analyst-file').setInputFiles(fixture('servqual.csv'));
  await expect(page.locator('[data-testid=report][data-ready]')).toBeVisible();
  await expect(page.getByTestId('import-summary')).toContainText('200 valid');
});
