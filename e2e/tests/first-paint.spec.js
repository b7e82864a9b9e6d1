// What the first paint waits for (issue 16): only main.css blocks rendering. The analyst view's and the
// survey kit's stylesheets arrive when a page of their group is first shown, and that page renders
// once its stylesheet applies, never unstyled. The runtime configuration downloads alongside the Wasm
// (a preload that the portal's own request then uses: one request, no warning).
import { test, expect, DEMO } from './fixtures.js';
import { WIDTHS, screen } from './screens.js';

const STAFF = { email: 'staff@rapport.test', password: 'rapport-demo' };
// The stylesheets only some page groups need, as Trunk names them (content-hashed).
const GROUP_SHEETS = /\/(analyst|rapport-survey)-[0-9a-f]+\.css$/;

/** Signs in through the API; the page's context keeps the cookie. */
async function apiSignIn(page, who) {
  const response = await page.request.post('/api/v1/session', { data: who });
  expect(response.status()).toBe(200);
}

/** Every path the page requests from now on. */
function recordRequests(page) {
  const paths = [];
  page.on('request', (request) => paths.push(new URL(request.url()).pathname));
  return paths;
}

/**
 * Records, for each element matching one of `probes` ({name: [selector, css property]}), the property's
 * value at the moment the element entered the document: a mutation observer runs before the browser
 * paints, so an element that was ever shown unstyled is caught. Installed before the page's scripts.
 */
async function watchFirstStyle(page, probes) {
  await page.addInitScript((probes) => {
    window.__firstStyle = {};
    new MutationObserver(() => {
      for (const [name, [selector, property]] of Object.entries(probes)) {
        if (name in window.__firstStyle) continue;
        const element = document.querySelector(selector);
        if (element) window.__firstStyle[name] = getComputedStyle(element).getPropertyValue(property);
      }
    }).observe(document, { childList: true, subtree: true });
  }, probes);
}

const firstStyle = (page, name) => page.waitForFunction((name) => window.__firstStyle?.[name], name).then((h) => h.jsonValue());

test('index.html blocks rendering on main.css alone; the group stylesheets are there, disabled', async ({ request }) => {
  const html = await (await request.get('/sign-in')).text();
  const links = [...html.matchAll(/<link\b[^>]*>/g)].map((m) => m[0]);
  const sheets = links.filter((l) => /rel="stylesheet"/.test(l));
  const blocking = sheets.filter((l) => !/\sdisabled[\s>/=]/.test(l));
  expect(blocking).toHaveLength(1);
  expect(blocking[0]).toMatch(/href="\/main-[0-9a-f]+\.css"/);
  const deferred = sheets.filter((l) => /\sdisabled[\s>/=]/.test(l));
  expect(deferred.map((l) => l.match(/data-page-group="(\w+)"/)?.[1]).sort()).toEqual(['staff', 'surveys']);
  // Still content-hashed, immutable and precompressed like every other stylesheet.
  for (const link of deferred) {
    const href = link.match(/href="([^"]+)"/)[1];
    const response = await request.get(href, { headers: { 'Accept-Encoding': 'br' } });
    expect(response.status(), href).toBe(200);
    expect(response.headers()['cache-control'], href).toBe('public, max-age=31536000, immutable');
    expect(response.headers()['content-encoding'], href).toBe('br');
  }
});

test('customer pages never request the analyst or survey stylesheets', async ({ page }) => {
  test.setTimeout(60_000);
  const paths = recordRequests(page);
  await page.goto('/sign-in');
  await expect(page.getByLabel('Password')).toBeVisible();
  await apiSignIn(page, DEMO);
  const order = (await (await page.request.get('/api/v1/history?kind=order&limit=1')).json()).entries[0];
  for (const path of ['/', '/history', `/orders/${order.order_id}`, '/preferences', '/profile', '/requests']) {
    await page.goto(path);
    await expect(page.locator('main h1').first()).toBeVisible();
    await page.waitForLoadState('networkidle');
    await expect(page.locator('main .loading')).toHaveCount(0);
  }
  expect(paths.filter((p) => p.endsWith('.css'))).toEqual(expect.arrayContaining([expect.stringMatching(/\/main-/)]));
  expect(paths.filter((p) => GROUP_SHEETS.test(p))).toEqual([]);
  await expect(page.locator('link[data-page-group]:not([disabled])')).toHaveCount(0);
});

for (const width of Object.values(WIDTHS)) {
  test.describe(`${width.name}`, () => {
    test.use(screen(width, 'en'));

    test('the analyst view is styled from its first paint, by its own stylesheet', async ({ page }) => {
      await watchFirstStyle(page, { drop: ['[data-testid=drop-zone]', 'border-top-style'] });
      const paths = recordRequests(page);
      await page.goto('/analyst');
      expect(await firstStyle(page, 'drop')).toBe('dashed');
      await expect(page.getByTestId('drop-zone')).toHaveCSS('border-top-style', 'dashed');
      expect(paths.filter((p) => /\/analyst-[0-9a-f]+\.css$/.test(p))).toHaveLength(1);
      expect(paths.filter((p) => /\/rapport-survey-[0-9a-f]+\.css$/.test(p))).toEqual([]);
    });

    test('a survey page is styled from its first paint, reached directly or from another page', async ({ page }) => {
      const probes = { option: ['.rs-option label', 'min-height'], survey: ['.rs-survey', 'border-top-style'] };
      await watchFirstStyle(page, probes);
      await apiSignIn(page, DEMO);
      const paths = recordRequests(page);
      await page.goto('/surveys/nps');
      expect(await firstStyle(page, 'survey')).toBe('solid');
      expect(await firstStyle(page, 'option')).toBe('44px');
      await expect(page.locator('.rs-option label').first()).toHaveCSS('min-height', '44px');
      expect(paths.filter((p) => GROUP_SHEETS.test(p))).toEqual([expect.stringMatching(/\/rapport-survey-/)]);

      // Inside the app: from the overview (no survey stylesheet yet) to a survey.
      await page.goto('/');
      await expect(page.getByTestId('customer-name')).toBeVisible();
      await expect(page.locator('link[data-page-group=surveys]')).toHaveAttribute('disabled', '');
      await page.evaluate(() => (window.__firstStyle = {}));
      await page.evaluate(() => {
        history.pushState(null, '', '/surveys/csat');
        dispatchEvent(new PopStateEvent('popstate'));
      });
      expect(await firstStyle(page, 'survey')).toBe('solid');
      expect(await firstStyle(page, 'option')).toBe('44px');
    });
  });
}

test.describe('a group stylesheet that does not arrive', () => {
  test.use({ expectedLoadFailures: ['net::ERR_FAILED'] });

  test('does not hold the page back, and the next visit downloads it again', async ({ page }) => {
    let blocked = true;
    const attempts = [];
    await page.route(/\/analyst-[0-9a-f]+\.css$/, (route) => {
      attempts.push(route.request().url());
      return blocked ? route.abort('failed') : route.continue();
    });
    await apiSignIn(page, STAFF);
    await page.goto('/analyst');
    // The page shows, without its own styles.
    await expect(page.getByTestId('drop-zone')).toBeVisible();
    await expect(page.getByTestId('drop-zone')).not.toHaveCSS('border-top-style', 'dashed');
    expect(attempts).toHaveLength(1);
    blocked = false;
    // Away and back inside the app: the stylesheet is asked for again and applies.
    await page.getByRole('link', { name: 'Staff', exact: true }).click();
    await expect(page).toHaveURL(/\/staff$/);
    await page.getByRole('link', { name: 'Analysis', exact: true }).click();
    await expect(page.getByTestId('drop-zone')).toHaveCSS('border-top-style', 'dashed');
    expect(attempts).toHaveLength(2);
  });
});

test('the configuration downloads with the Wasm, once, and the preload raises no warning', async ({ page }) => {
  const warnings = [];
  page.on('console', (message) => {
    if (message.type() === 'warning' || message.type() === 'error') warnings.push(message.text());
  });
  const configRequests = [];
  const wasmStarted = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path === '/rapport.config.json') configRequests.push(Date.now());
    if (/\/rapport-portal-[0-9a-f]+_bg\.wasm$/.test(path)) wasmStarted.push(Date.now());
  });
  await page.goto('/sign-in');
  await expect(page.getByLabel('Password')).toBeVisible();
  // Chromium reports an unused preload a few seconds after the load event.
  await page.waitForTimeout(4_000);
  expect(configRequests).toHaveLength(1);
  expect(wasmStarted).toHaveLength(1);
  expect(warnings.filter((w) => /preload/i.test(w))).toEqual([]);
  // Requested before the Wasm had arrived, not after it started.
  const timing = await page.evaluate(() => {
    const entries = performance.getEntriesByType('resource');
    const find = (re) => entries.find((e) => re.test(e.name));
    return {
      config: find(/\/rapport\.config\.json$/)?.startTime,
      wasmEnd: find(/\/rapport-portal-[0-9a-f]+_bg\.wasm$/)?.responseEnd,
    };
  });
  expect(timing.config).toBeLessThan(timing.wasmEnd);

  // Still revalidated on every visit (no-cache): a reload asks the server again, whose answer (a 304
  // here) has bytes on the wire, where a copy taken from the cache unasked would have none.
  await page.reload();
  await expect(page.getByLabel('Password')).toBeVisible();
  const again = await page.evaluate(
    () => performance.getEntriesByType('resource').find((e) => /\/rapport\.config\.json$/.test(e.name))?.transferSize,
  );
  expect(again).toBeGreaterThan(0);
  expect(configRequests).toHaveLength(2);
  expect(warnings.filter((w) => /preload/i.test(w))).toEqual([]);
});
