// Benchmark: the account history with 10,000 entries in headless Chromium.
// Prints the time from the data's arrival (end of the response) to an interactive list, and the number of
// rows in the DOM, at the top and after scrolling to the end. Run by scripts/bench-history.sh.
import { chromium } from '@playwright/test';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:18191';
const N = Number(process.env.ENTRIES ?? 10_000);
const RUNS = Number(process.env.RUNS ?? 5);

const kinds = ['order', 'invoice', 'payment', 'shipment', 'contact'];
const entries = Array.from({ length: N }, (_, i) => ({
  id: `bench:${i}`,
  kind: kinds[i % kinds.length],
  at: new Date(Date.UTC(2026, 0, 1) - i * 3_600_000).toISOString().replace('.000', ''),
  reference: `R${String(100000 + i)}`,
  status: i % 5 === 0 ? 'delivered' : null,
  amount_cents: i % 5 === 4 ? null : 1000 + i,
  currency: 'EUR',
  order_id: i,
  detail: i % 5 === 3 ? 'DHL' : null,
}));
const body = JSON.stringify({ entries, next_cursor: null, total: N });

const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
});
const results = [];
for (let run = 0; run < RUNS; run++) {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('E-mail address').fill('demo@rapport.test');
  await page.getByLabel('Password').fill('rapport-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('customer-name').waitFor();
  await page.route('**/api/v1/history?*', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body }),
  );
  await page.getByRole('navigation').getByRole('link', { name: 'History' }).click();
  await page.locator('.history-row').first().waitFor();
  // Interactive: rows are painted and the next frame has run.
  const timing = await page.evaluate(async () => {
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const now = performance.now();
    const res = performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/v1/history')).pop();
    return { ms: now - res.responseEnd, rows: document.querySelectorAll('.history-row').length };
  });
  const scroller = page.locator('.history-scroller');
  await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await page.waitForTimeout(100);
  const end = await page.evaluate(() => ({
    rows: document.querySelectorAll('.history-row').length,
    last: document.querySelector('.history-row:last-child')?.getAttribute('aria-posinset'),
  }));
  results.push({ ...timing, rowsAtEnd: end.rows, lastPosition: end.last });
  await context.close();
}
await browser.close();

const ms = results.map((r) => r.ms).sort((a, b) => a - b);
const median = ms[Math.floor(ms.length / 2)];
console.log(`history benchmark: ${N} entries, ${RUNS} runs (headless Chromium)`);
console.log('| measure | value | goal |');
console.log('|---|---|---|');
console.log(`| data arrival → interactive list, median | ${median.toFixed(1)} ms | ≤ 200 ms |`);
console.log(`| data arrival → interactive list, min / max | ${ms[0].toFixed(1)} / ${ms[ms.length - 1].toFixed(1)} ms | |`);
console.log(`| rows in the DOM at the top | ${results[0].rows} | ≤ 100 |`);
console.log(`| rows in the DOM at the end | ${results[0].rowsAtEnd} (last aria-posinset ${results[0].lastPosition}) | ≤ 100 |`);
