// Every route at phone size (360 and 390 px, touch) and on a desktop, in en, nl and de: the page never
// scrolls sideways, axe finds nothing (contrast and target size included), and a screenshot of each route
// at phone size is kept as an artefact (not compared pixel by pixel). At 320 px (WCAG 1.4.10 reflow) the
// width alone is checked. The header's menu is checked by keyboard alone.
import fs from 'node:fs';
import { test, expect, expectAccessible, revealLazyParts, DEMO } from './fixtures.js';
import { portalWithConfig } from './backends.js';

const STAFF = { email: 'staff@rapport.test', password: 'rapport-demo' };
const SIZES = [
  { name: '360', use: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }, axe: true },
  { name: '390', use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }, axe: true },
  { name: '1280', use: { viewport: { width: 1280, height: 800 } }, axe: true },
  { name: '320', use: { viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true }, axe: false },
];
const LANGS = ['en', 'nl', 'de'];

/** Signs in through the API (the form's labels differ per language); the context keeps the cookie. */
async function apiSignIn(page, who) {
  const response = await page.request.post('/api/v1/session', { data: who });
  expect(response.status()).toBe(200);
}

async function firstEntry(page, kind, optional = false) {
  const response = await page.request.get(`/api/v1/history?kind=${kind}&limit=1`);
  expect(response.status()).toBe(200);
  const [entry] = (await response.json()).entries;
  if (!optional) expect(entry, `the demo data has a ${kind}`).toBeTruthy();
  return entry;
}

/** The customer's routes, with real ids from the demo data. */
async function customerRoutes(page) {
  const order = await firstEntry(page, 'order');
  const invoice = await firstEntry(page, 'invoice');
  // Only once a survey journey has stored one (the demo customer starts without answers).
  const answer = await firstEntry(page, 'survey_answer', true);
  const records = await (await page.request.get('/api/v1/consent-records')).json();
  const record = (records.records ?? records)[0];
  expect(record, 'the demo customer has a consent record').toBeTruthy();
  return [
    ['overview', '/'],
    ['history', '/history'],
    ['order', `/orders/${order.order_id}`],
    ['invoice', `/invoices/${invoice.id.replace('invoice:', '')}`],
    ['requests', '/requests'],
    ['new-request', `/requests/new?order=${order.order_id}`],
    ['preferences', '/preferences'],
    ['receipt', `/preferences/receipts/${record.id}`],
    ['profile', '/profile'],
    ['survey', '/surveys/nps'],
    ['not-found', '/no/such/page'],
    ...(answer ? [['survey-answer', `/survey-answers/${answer.id.replace('survey_answer:', '')}`]] : []),
  ];
}

async function staffRoutes(page) {
  const response = await page.request.get('/api/v1/staff/customers');
  expect(response.status()).toBe(200);
  const body = await response.json();
  const customer = (body.customers ?? body)[0];
  expect(customer, 'the staff list has a customer').toBeTruthy();
  return [
    ['staff', '/staff'],
    ['staff-customer', `/staff/customers/${customer.id}`],
    ['analyst', '/analyst'],
  ];
}

/** Loads a route and waits until its main heading is there and nothing is loading any more. */
async function open(page, path) {
  await page.goto(path);
  await expect(page.locator('main h1').first()).toBeVisible();
  await page.waitForLoadState('networkidle');
  // Parts that download as they come near the screen are checked too.
  await revealLazyParts(page);
  await expect(page.locator('main .loading')).toHaveCount(0);
}

async function pageWidth(page) {
  return page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
  }));
}

/** Checks one route; returns its measured width for the record. */
async function check(page, testInfo, size, name) {
  const width = await pageWidth(page);
  // Against the configured width: a mobile browser widens its layout viewport to fit wide content.
  const screen = size.use.viewport.width;
  expect(width.viewport, `${name}: the browser did not zoom out`).toBe(screen);
  expect(width.scroll, `${name}: the page is no wider than the screen`).toBeLessThanOrEqual(screen);
  if (size.axe) await expectAccessible(page);
  if (size.use.isMobile) {
    await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  }
  return { route: name, width: width.scroll };
}

function record(testInfo, widths) {
  fs.writeFileSync(testInfo.outputPath('widths.json'), JSON.stringify(widths, null, 1));
}

for (const size of SIZES) {
  for (const lang of LANGS) {
    test.describe(`${size.name} px, ${lang}`, () => {
      test.use({ ...size.use, locale: lang });

      test('customer routes fit the screen and pass axe', async ({ page }, testInfo) => {
        test.setTimeout(120_000);
        const widths = [];
        await open(page, '/sign-in');
        widths.push(await check(page, testInfo, size, 'sign-in'));
        await apiSignIn(page, DEMO);
        for (const [name, path] of await customerRoutes(page)) {
          await open(page, path);
          await expect(page.locator('html')).toHaveAttribute('lang', lang);
          widths.push(await check(page, testInfo, size, name));
        }
        record(testInfo, widths);
      });

      test('staff routes and the configuration error fit the screen and pass axe', async ({ page }, testInfo) => {
        test.setTimeout(90_000);
        const widths = [];
        await apiSignIn(page, STAFF);
        for (const [name, path] of await staffRoutes(page)) {
          await open(page, path);
          widths.push(await check(page, testInfo, size, name));
        }
        const portal = await portalWithConfig('{"backend": ');
        try {
          await page.goto(`${portal.url}/`);
          await expect(page.locator('h1')).toBeVisible();
          widths.push(await check(page, testInfo, size, 'config-error'));
        } finally {
          await portal.close();
        }
        record(testInfo, widths);
      });
    });
  }
}

test.describe('the menu on a phone', () => {
  test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'en' });

  test('opens, moves and closes by keyboard alone', async ({ page }) => {
    await apiSignIn(page, DEMO);
    await open(page, '/');
    const menu = page.getByRole('button', { name: 'Menu' });
    const history = page.getByRole('link', { name: 'History' });
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    await expect(history).toBeHidden();

    // Skip link first, then the brand, then the menu button.
    await page.locator('body').focus();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect(menu).toBeFocused();

    await page.keyboard.press('Enter');
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
    await expect(history).toBeVisible();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect(history).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    await expect(history).toBeHidden();
    await expect(menu).toBeFocused();

    // Following a link closes the menu and puts focus on the new page's heading.
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/history$/);
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    await expect(page.locator('main h1')).toBeFocused();
  });

  test('history entries are cards with the full date, kind, title, amount and status', async ({ page }) => {
    await apiSignIn(page, DEMO);
    await open(page, '/history?kind=invoice');
    const row = page.locator('.history-row').first();
    await expect(row).toBeVisible();
    for (const part of ['.h-date', '.h-kind', '.h-ref', '.h-amount', '.h-status']) {
      const box = await row.locator(part).boundingBox();
      if (part === '.h-status' && box === null) continue; // an invoice may have no status
      expect(box, `${part} is shown`).not.toBeNull();
      expect(box.width, `${part} has room`).toBeGreaterThan(0);
    }
    // The year is there, not cut off: the date's text fits its box.
    const date = row.locator('.h-date');
    const clipped = await date.evaluate((el) => el.scrollWidth > el.clientWidth);
    expect(clipped).toBe(false);
    await expect(date).toContainText(/20\d\d/);
    // An invoice opens the invoice, not the order.
    await expect(row.locator('.h-ref a')).toHaveAttribute('href', /^\/invoices\/\d+$/);
  });
});
