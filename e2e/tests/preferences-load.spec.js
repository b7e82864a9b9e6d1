// A direct load of the preference centre: one read of the preferences, and a page that does not shift
// while its parts arrive (issue 16: Lighthouse on /preferences).
import { test, expect, signIn, revealLazyParts } from './fixtures.js';

test.use({ locale: 'en-GB' });

const isPreferencesRead = (request) =>
  request.method() === 'GET' && new URL(request.url()).pathname === '/api/v1/preferences';

test('a direct load reads the preferences once; opening the page again later reads them anew', async ({ page }) => {
  await signIn(page);
  const reads = [];
  page.on('request', (request) => {
    if (isPreferencesRead(request)) reads.push(request.url());
  });
  await page.goto('/preferences');
  await expect(page.getByRole('heading', { level: 1, name: 'Communication preferences' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save preferences' })).toBeVisible();
  await revealLazyParts(page);
  await page.waitForLoadState('networkidle');
  // The customer's time zone and the form share the one answer.
  expect(reads).toHaveLength(1);

  // Back on the page after another one: the kept answer was used, so the form asks the server again.
  await page.getByRole('navigation').getByRole('link', { name: 'History' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Communication preferences' })).toHaveCount(0);
  await page.getByRole('navigation').getByRole('link', { name: 'Preferences' }).click();
  await expect(page.getByRole('button', { name: 'Save preferences' })).toBeVisible();
  await expect.poll(() => reads.length).toBe(2);

  // The form shows what is stored (the shared read decoded like its own).
  const stored = await (await page.request.get('/api/v1/preferences')).json();
  await expect(page.locator('#tz')).toHaveValue(stored.time_zone);
});

/** The sum of the layout shifts the page has had so far (none caused by input), from an observer set
 * up before the portal starts. */
const shiftScript = () => {
  window.__shifts = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (!entry.hadRecentInput) window.__shifts.push(entry.value);
    }
  }).observe({ type: 'layout-shift', buffered: true });
};

for (const slow of [false, true]) {
  test(`at 390 px the page does not shift while its parts arrive${slow ? ' (CPU 4× slower)' : ''}`, async ({ page, browserName }) => {
    test.skip(slow && browserName !== 'chromium', 'CPU throttling is a Chromium feature');
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page);
    await page.addInitScript(shiftScript);
    if (slow) {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    }
    await page.goto('/preferences');
    await expect(page.getByRole('button', { name: 'Save preferences' })).toBeVisible();
    // The cards below the form are laid out with it (they load as they come near).
    const after = page.locator('main .after-form');
    await expect.poll(() => after.evaluate((el) => el.getClientRects().length > 0)).toBe(true);
    const top = await after.evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(500);
    expect(await after.evaluate((el) => el.getBoundingClientRect().top + window.scrollY)).toBe(top);
    const shifts = await page.evaluate(() => window.__shifts);
    expect(shifts.reduce((sum, value) => sum + value, 0)).toBeLessThanOrEqual(0.02);
  });
}
