// Route-level code splitting (issue 16): a page's code arrives in chunks when it is first shown. A chunk
// that fails to download (offline, a deployment in between) gives a translated message with a retry,
// never a dead page, and the retry loads the page.
import { test, expect, signIn, expectAccessible } from './fixtures.js';

// The aborted download, and the chunk loader's report of it.
test.use({ locale: 'en-GB', expectedLoadFailures: ['net::ERR_FAILED', 'contains: Failed to fetch'] });

// A page group's pack; not the language packs (split_lang_*): a reload in the tests below starts the
// portal afresh, and routing requests turns the browser's cache off, where a customer's browser would
// have kept the language's texts (they are tested apart, at the end).
const CHUNK = /\/(split_(?!lang_)|chunk_)[^/]*\.wasm$/;
const LANGUAGE = /\/split_lang_[a-z]+-[^/]*\.wasm$/;

/**
 * Aborts every chunk download until `allow()` is called (as offline would), then lets them through.
 * The page starts its chunk's download early and tries again when it renders, so one aborted request
 * alone may be recovered from before the customer sees anything.
 */
async function blockChunks(page, pattern = CHUNK) {
  const aborted = [];
  let blocked = true;
  await page.route(pattern, (route) => {
    if (!blocked) return route.continue();
    aborted.push(route.request().url());
    return route.abort('failed');
  });
  return { aborted, allow: () => (blocked = false) };
}

const CASES = [
  { lang: 'en', title: 'This part could not be loaded', retry: 'Try again', page: 'Account history' },
  { lang: 'nl', title: 'Dit onderdeel kon niet worden geladen', retry: 'Opnieuw proberen', page: 'Accountgeschiedenis' },
  { lang: 'de', title: 'Dieser Teil konnte nicht geladen werden', retry: 'Erneut versuchen', page: 'Kontoverlauf' },
];

for (const c of CASES) {
  test.describe(c.lang, () => {
    test(`a chunk that fails to download offers a retry that loads the page (${c.lang})`, async ({ page }) => {
      await signIn(page);
      // The choice is remembered, so the page loaded next speaks it.
      await page.getByLabel('Language').selectOption(c.lang);
      // Only the overview's page group has arrived so far (with the sign-in); the history's has not.
      const chunks = await blockChunks(page);
      await page.goto('/history');
      const alert = page.getByRole('alert').filter({ hasText: c.title });
      await expect(alert).toBeVisible();
      expect(chunks.aborted.length, 'chunk downloads were blocked').toBeGreaterThan(0);
      // The page's heading is in the first download; the message is under it.
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(c.page);
      await expect(alert.getByRole('heading', { level: 2 })).toHaveText(c.title);
      await expectAccessible(page);

      chunks.allow();
      await alert.getByRole('button', { name: c.retry }).click();
      await expect(page.getByRole('heading', { level: 1, name: c.page })).toBeVisible();
      await expect(alert).toHaveCount(0);
      // The page works, not just its heading: the history's entries arrive.
      await expect(page.locator('main a[href^="/orders/"]').first()).toBeVisible();
    });
  });
}

test('a chunk that fails on navigation inside the app recovers too, and other pages keep working', async ({ page }) => {
  await signIn(page);
  const chunks = await blockChunks(page);
  await page.getByRole('navigation', { name: 'Main', exact: true }).getByRole('link', { name: 'Preferences' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'This part could not be loaded' });
  await expect(alert).toBeVisible();
  expect(chunks.aborted.length).toBeGreaterThan(0);
  // Leaving for a page whose group has already arrived (the overview) still works while the chunk is
  // missing.
  await page.getByRole('navigation', { name: 'Main', exact: true }).getByRole('link', { name: 'Overview' }).click();
  await expect(page.getByTestId('customer-name')).toBeVisible();
  // Coming back, once the connection is back, is a fresh attempt, which downloads the chunk.
  chunks.allow();
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: /preferences/i })).toBeVisible();
  await expect(alert).toHaveCount(0);
});

test('a retry that fails again while online reloads the page (a new version replaced the files)', async ({ page }) => {
  await signIn(page);
  const chunks = await blockChunks(page);
  await page.goto('/history');
  const alert = page.getByRole('alert').filter({ hasText: 'This part could not be loaded' });
  await expect(alert).toBeVisible();
  // The first retry tries the download again, inside the page.
  await page.evaluate(() => (window.rapportSameDocument = true));
  const abortedBefore = chunks.aborted.length;
  await alert.getByRole('button', { name: 'Try again' }).click();
  await expect.poll(() => chunks.aborted.length, 'the retry downloads again').toBeGreaterThan(abortedBefore);
  await expect(alert).toBeVisible();
  expect(await page.evaluate(() => window.rapportSameDocument)).toBe(true);
  // The second reloads, which fetches the current index.html and the chunk names it gives.
  chunks.allow();
  await Promise.all([page.waitForEvent('load'), alert.getByRole('button', { name: 'Try again' }).click()]);
  expect(await page.evaluate(() => window.rapportSameDocument)).toBeUndefined();
  await expect(page.getByRole('heading', { level: 1, name: 'Account history' })).toBeVisible();
  await expect(page.locator('main a[href^="/orders/"]').first()).toBeVisible();
});

test('a language whose texts do not download leaves the page as it was; choosing it again works', async ({ page }) => {
  await signIn(page);
  const texts = await blockChunks(page, LANGUAGE);
  const select = page.getByLabel('Language');
  await select.selectOption('de');
  await expect.poll(() => texts.aborted.length, 'the German texts were asked for').toBeGreaterThan(0);
  // Still English, and the switcher says so.
  await expect(select).toHaveValue('en');
  await expect(page.getByRole('navigation', { name: 'Main', exact: true })).toBeVisible();
  texts.allow();
  await page.getByLabel('Language').selectOption('de');
  await expect(page.getByRole('navigation', { name: 'Hauptmenü', exact: true })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expectAccessible(page);
});

// Packs loaded after a direct load, only when needed: the cards below the preference form (`consent`,
// as they come near the screen) and what is reached from an order (`order_more`, when opened).
const CONSENT = /\/split_consent-[^/]*\.wasm$/;
const ORDER_MORE = /\/split_order_more-[^/]*\.wasm$/;

/** Every download of a file whose path matches `pattern`, from now on. */
function downloads(page, pattern) {
  const seen = [];
  page.on('request', (request) => {
    if (pattern.test(new URL(request.url()).pathname)) seen.push(request.url());
  });
  return seen;
}

test.describe('the cards below the preference form', () => {
  // A phone: the form is taller than the screen, so the cards start out of view.
  test.use({ viewport: { width: 390, height: 844 } });

  test('download only as they come near, and a failed download offers a retry that loads them', async ({ page }) => {
    await signIn(page);
    const asked = downloads(page, CONSENT);
    const pack = await blockChunks(page, CONSENT);
    await page.goto('/preferences');
    const matrix = page.locator('main fieldset input[type=checkbox]:not([disabled])').first();
    await expect(matrix).toBeVisible();
    await page.waitForLoadState('networkidle');
    expect(asked, 'a direct load does not download the cards').toEqual([]);
    await expect(page.getByTestId('consent-records')).toHaveCount(0);

    await page.locator('main .lazy-part').evaluate((el) => el.scrollIntoView());
    const alert = page.getByRole('alert').filter({ hasText: 'This part could not be loaded' });
    await expect(alert).toBeVisible();
    expect(pack.aborted.length, 'the download was asked for and blocked').toBeGreaterThan(0);
    // Inside the page: a second-level heading; the page's own heading and the form stay.
    await expect(alert.getByRole('heading', { level: 2 })).toHaveText('This part could not be loaded');
    await expect(page.getByRole('heading', { level: 1, name: 'Communication preferences' })).toBeVisible();
    await expectAccessible(page);

    pack.allow();
    await alert.getByRole('button', { name: 'Try again' }).click();
    await expect(page.getByTestId('consent-records').locator('li.consent-record').first()).toBeVisible();
    await expect(page.getByRole('button', { name: 'Download my data' })).toBeVisible();
    await expect(alert).toHaveCount(0);
    // The form still works beside them.
    await expect(matrix).toBeEnabled();
  });

  test('leaving the page while they are about to load stops nothing on the next page', async ({ page }) => {
    await signIn(page);
    const asked = downloads(page, CONSENT);
    await page.goto('/preferences');
    await expect(page.locator('main fieldset input[type=checkbox]:not([disabled])').first()).toBeVisible();
    // Near the screen (two frames: the browser has told the page so), then away within the wait
    // before the download starts.
    await page.locator('main .lazy-part').evaluate(async (el) => {
      el.scrollIntoView();
      await new Promise((frame) => requestAnimationFrame(() => requestAnimationFrame(frame)));
    });
    await page.getByRole('banner').getByRole('link', { name: 'Rapport' }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
    // Past the wait: the page left behind neither loads its cards nor breaks this one (the fixture
    // fails the test on any page error).
    await page.waitForTimeout(600);
    expect(asked).toEqual([]);
    await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
  });
});

test("an order's direct load leaves its requests for later, and opening one downloads them", async ({ page }) => {
  await signIn(page);
  const response = await page.request.get('/api/v1/history?kind=order&limit=1');
  const [entry] = (await response.json()).entries;
  expect(entry, 'the demo data has an order').toBeTruthy();
  const asked = downloads(page, ORDER_MORE);
  await page.goto(`/orders/${entry.order_id}`);
  await expect(page.locator('main table').first()).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(asked, 'a direct load of an order does not download its requests').toEqual([]);

  const pack = await blockChunks(page, ORDER_MORE);
  await page.getByRole('link', { name: 'Return items' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'This part could not be loaded' });
  await expect(alert).toBeVisible();
  pack.allow();
  await alert.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Return, complaint or warranty claim' })).toBeVisible();
  expect(asked.length).toBeGreaterThan(0);
});
