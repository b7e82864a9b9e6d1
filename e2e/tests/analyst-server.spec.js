// The analyst view's server source: staff load every stored answer to an instrument from the reference
// server's paged export, scored in the browser's worker; customers cannot.
import { test, expect, expectAccessible, signIn, DEMO } from './fixtures.js';

const STAFF = { email: 'staff@rapport.test', password: 'rapport-demo' };

/** Counts the stored answers to `instrument` by reading every page of the export as staff. */
async function countExported(playwright, baseURL, instrument) {
  const api = await playwright.request.newContext({ baseURL });
  expect((await api.post('/api/v1/session', { data: STAFF })).status()).toBe(200);
  let after = null;
  let lines = 0;
  for (let pages = 0; pages < 1000; pages++) {
    const query = `instrument=${instrument}&limit=5000${after ? `&after=${after}` : ''}`;
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

test('a customer sees no server source, and the export refuses them', async ({ page, playwright, baseURL }) => {
  await signIn(page, DEMO);
  await page.goto('/analyst');
  await expect(page.getByRole('heading', { level: 1, name: 'Survey analysis' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Load all answers from the server' })).toHaveCount(0);
  await expect(page.getByText('Sign in with a staff account')).toBeVisible();
  const api = await playwright.request.newContext({ baseURL });
  expect((await api.post('/api/v1/session', { data: DEMO })).status()).toBe(200);
  expect((await api.get('/api/v1/staff/survey-responses?instrument=nps')).status()).toBe(403);
  await api.dispose();
});
