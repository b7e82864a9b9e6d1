// What a cold load of each portal page downloads (issue 16): requests, the portal's code files among
// them (Wasm, JS, CSS; chunks counted apart), and their bytes as served (the brotli files beside them
// in dist/, what a browser that accepts brotli gets) and gzip (the .gz files). Each page in a fresh
// browser context (empty cache), until it is usable and the network is idle. Run by scripts/bench.sh;
// uses the end-to-end tests' Playwright and Debian's Chromium. Then the sign-in page under the issue's
// phone profile, timed until usable (PHONE_RUNS cold loads, the median kept).
// usage: node route-loads.mjs BASE_URL COOKIE ORDER_ID DIST OUT.json
import { createRequire } from 'node:module';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [base, cookie, orderId, dist, outPath] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
const { chromium } = createRequire(join(here, '..', 'e2e', 'package.json'))('@playwright/test');

const pages = [
  { name: 'sign-in (/)', path: '/', signedIn: false, ready: (p) => p.getByLabel('Password').waitFor() },
  { name: 'overview', path: '/', signedIn: true, ready: (p) => p.getByTestId('customer-name').waitFor() },
  { name: 'history', path: '/history', signedIn: true, ready: (p) => p.locator('main a[href^="/orders/"]').first().waitFor() },
  { name: `order (/orders/${orderId})`, path: `/orders/${orderId}`, signedIn: true, ready: (p) => p.locator('main table').first().waitFor() },
  { name: 'preferences', path: '/preferences', signedIn: true, ready: (p) => p.locator('main fieldset').first().waitFor() },
  { name: 'analyst', path: '/analyst', signedIn: false, ready: (p) => p.locator('main input[type=file]').first().waitFor({ state: 'attached' }) },
];

const size = (file) => (existsSync(file) ? statSync(file).size : 0);
const code = /\.(wasm|js|css)$/;
const chunk = /\/(split|chunk)_[^/]*\.wasm$/;

const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
});
const rows = [];
const phone = [];
try {
  for (const page of pages) {
    const context = await browser.newContext();
    if (page.signedIn) {
      const [name, ...value] = cookie.split('=');
      await context.addCookies([{ name, value: value.join('='), url: base }]);
    }
    const tab = await context.newPage();
    const urls = [];
    tab.on('request', (r) => urls.push(new URL(r.url()).pathname));
    const started = Date.now();
    await tab.goto(`${base}${page.path}`);
    await page.ready(tab);
    const usableMs = Date.now() - started;
    await tab.waitForLoadState('networkidle').catch(() => console.error(`${page.name}: the network did not go idle`));
    await context.close();
    const files = urls.filter((u) => code.test(u) && existsSync(join(dist, u)));
    const served = (u) => size(join(dist, `${u}.br`)) || size(join(dist, u));
    const gzip = (u) => size(join(dist, `${u}.gz`)) || size(join(dist, u));
    rows.push({
      page: page.name,
      requests: urls.length,
      code_files: files.length,
      chunks: files.filter((u) => chunk.test(u)).length,
      served: files.reduce((s, u) => s + served(u), 0),
      gzip: files.reduce((s, u) => s + gzip(u), 0),
      usable_ms: usableMs,
    });
  }
  // The phone profile (Chromium, CPU 4× slower, 1.6 Mbit/s down, 150 ms round trip, empty
  // cache): the time until the sign-in form is usable, median of PHONE_RUNS (default 5) cold loads.
  const runs = Number(process.env.PHONE_RUNS ?? 5);
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const cdp = await context.newCDPSession(tab);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 150,
      downloadThroughput: (1.6 * 1024 * 1024) / 8,
      uploadThroughput: (750 * 1024) / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const started = Date.now();
    await tab.goto(`${base}/sign-in`);
    // Usable: the form is there and the app has taken over the page (the shell's card is static).
    await tab.getByLabel('Password').waitFor();
    await tab.locator('#app-shell').waitFor({ state: 'detached' });
    phone.push(Date.now() - started);
    await context.close();
  }
} finally {
  await browser.close();
}
phone.sort((a, b) => a - b);
const phoneMedian = phone.length ? phone[Math.floor(phone.length / 2)] : null;
writeFileSync(outPath, JSON.stringify({ rows, phone_sign_in_ms: phone, phone_sign_in_median_ms: phoneMedian }, null, 2));
const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;
for (const r of rows) {
  console.log(
    `${r.page.padEnd(24)} ${String(r.requests).padStart(3)} requests, ${r.code_files} code files (${r.chunks} chunks): ` +
      `${kib(r.served)} as served, ${kib(r.gzip)} gzip; usable after ${r.usable_ms} ms (loopback)`,
  );
}
if (phoneMedian != null) console.log(`sign-in usable under the phone profile: median ${phoneMedian} ms (runs: ${phone.join(', ')})`);
