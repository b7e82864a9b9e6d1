// Accountability and erasure in the browser: the customer sees which staff member opened their data, and
// staff carry out a deletion request from their queue. Desktop and phone widths, en/nl/de, axe.
import os from 'node:os';
import path from 'node:path';
import { test, expect, expectAccessible, signIn, DEMO } from './fixtures.js';
import { startServer, stopServer } from './own-server.js';

const STAFF = { email: 'staff@rapport.test', password: 'rapport-demo' };
// The port of a server of a test's own (the erasure and the password links), one test at a time.
const OWN_PORT = Number(process.env.E2E_PORT ?? 18181) + 7;
// Erased by the deletion test, on a server of its own.
const SOPHIE = { email: 'sophie.martin@example.test', password: 'rapport-demo', name: 'Sophie Martin' };

test.use({ locale: 'en-GB' });

/** A second browser context signed in as staff. */
async function staffPage(browser, options = {}) {
  const context = await browser.newContext({ locale: 'en-GB', ...options });
  const page = await context.newPage();
  await signIn(page, STAFF);
  return page;
}

async function customerId(page, email) {
  const list = await (await page.request.get('/api/v1/staff/customers')).json();
  return list.customers.find((c) => c.email === email).id;
}

const widths = [
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
  { name: '390', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  { name: '360', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true },
];
const langs = [
  ['en', 'Who at the firm looked at your data', 'Opened your customer page'],
  ['nl', 'Wie bij ons uw gegevens heeft bekeken', 'Opende uw klantpagina'],
  ['de', 'Wer bei uns Ihre Daten angesehen hat', 'Hat Ihre Kundenseite geöffnet'],
];

for (const [i, width] of widths.entries()) {
  const [lang, heading, action] = langs[i];
  test.describe(`at ${width.name}`, () => {
    // The browser's language picks the portal's (the switcher is behind the menu on a phone).
    const locale = { en: 'en-GB', nl: 'nl-NL', de: 'de-DE' }[lang];
    test.use({ locale, viewport: width.viewport, isMobile: width.isMobile ?? false, hasTouch: width.hasTouch ?? false });
    test(`the customer sees who opened their data (${lang})`, async ({ page, browser }) => {
      const staff = await staffPage(browser);
      const id = await customerId(staff, DEMO.email);
      await staff.goto(`/staff/customers/${id}`);
      await expect(staff.getByRole('heading', { level: 1, name: DEMO.name })).toBeVisible();
      await staff.context().close();

      await page.goto('/sign-in');
      await page.locator('#email').fill(DEMO.email);
      await page.locator('#password').fill(DEMO.password);
      await page.locator('form button[type=submit]').click();
      await expect(page).not.toHaveURL(/\/sign-in/);
      await page.goto('/preferences');
      const section = page.getByRole('region', { name: heading });
      await expect(section).toBeVisible();
      const entry = section.getByTestId('access-log').getByRole('listitem').first();
      await expect(entry).toContainText('Sam Staff');
      await expect(entry).toContainText(action);
      await section.scrollIntoViewIfNeeded();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, 'no sideways scrolling').toBeLessThanOrEqual(0);
      await expectAccessible(page);
    });
  });
}

// On a server of its own: another spec locks Sophie's sign-in on purpose (the throttling test), and an
// erasure must not take a customer away from the specs that share the suite's server.
test('staff review and carry out a deletion request; the customer can no longer sign in', async ({ browser }) => {
  test.setTimeout(90_000);
  const db = path.join(os.tmpdir(), `rapport-e2e-erasure-${Date.now()}-${process.pid}.db`);
  const server = await startServer(OWN_PORT, db);
  const baseURL = `http://127.0.0.1:${OWN_PORT}`;
  const context = await browser.newContext({ baseURL, locale: 'en-GB' });
  const page = await context.newPage();
  try {
    await signIn(page, SOPHIE);
    await page.goto('/preferences');
    await page.getByLabel('Type DELETE to confirm').fill('DELETE');
    await page.getByRole('button', { name: 'Request deletion' }).click();
    await expect(page.getByTestId('deletion-status')).toContainText('Deletion requested');

    for (const width of [widths[2], widths[0]]) {
      const staff = await staffPage(browser, { baseURL, viewport: width.viewport });
      await staff.goto('/staff');
      await staff.getByRole('link', { name: 'Deletion requests' }).click();
      await expect(staff.getByRole('heading', { level: 1, name: 'Deletion requests' })).toBeVisible();
      const card = staff.getByTestId('deletion-request').filter({ hasText: SOPHIE.name });
      await expect(card).toBeVisible();
      await expect(card.getByText('Answer by')).toBeVisible();
      await expectAccessible(staff);
      if (width === widths[0]) {
        await card.getByRole('button', { name: 'Start review' }).click();
        await expect(card.getByTestId('deletion-state')).toHaveText('In review');
        await card.getByRole('button', { name: 'Carry out erasure' }).click();
        // Her name is gone from the card too.
        const erased = staff.getByTestId('deletion-request').filter({ hasText: 'Erased customer' });
        await expect(erased.getByTestId('deletion-state')).toHaveText('Done');
        await expect(erased.getByRole('button', { name: 'Carry out erasure' })).toHaveCount(0);
        await expect(card).toHaveCount(0);
      }
      await staff.context().close();
    }

    // Her session ended and her address no longer signs in.
    const gone = await page.request.get('/api/v1/me');
    expect(gone.status()).toBe(401);
    const again = await page.request.post('/api/v1/session', { data: { email: SOPHIE.email, password: SOPHIE.password } });
    expect(again.status()).toBe(401);
  } finally {
    await context.close();
    await stopServer(server);
  }
});

test('the deletion queue in nl and de is accessible', async ({ browser }) => {
  for (const [lang, title] of [['nl', 'Verwijderverzoeken'], ['de', 'Löschanträge']]) {
    const staff = await staffPage(browser);
    await staff.getByLabel('Language').selectOption(lang);
    await staff.goto('/staff/deletion-requests');
    await expect(staff.getByRole('heading', { level: 1 })).toHaveText(title);
    await expectAccessible(staff);
    await staff.context().close();
  }
});

// ---- Forgot password, on a server of this test's own: the link is read from what it prints ----

const flows = [
  { width: widths[0], lang: 'en', forgot: 'Forgot your password?', send: 'Send the link', set: 'Set password and sign in', sent: 'a link is on its way', expired: 'This link has expired or was used already.' },
  { width: widths[1], lang: 'nl', forgot: 'Wachtwoord vergeten?', send: 'Link versturen', set: 'Wachtwoord instellen en aanmelden', sent: 'is er een link onderweg', expired: 'Deze link is verlopen of al gebruikt.' },
  { width: widths[2], lang: 'de', forgot: 'Passwort vergessen?', send: 'Link senden', set: 'Passwort festlegen und anmelden', sent: 'ist ein Link unterwegs', expired: 'Dieser Link ist abgelaufen oder wurde schon benutzt.' },
];

test.describe('forgot password', () => {
  // The second use of the link is refused with 410, which the browser logs.
  test.use({ expectedLoadFailures: [410] });
  for (const flow of flows) {
    test(`forgot password → link from the server's output → new password → signed in (${flow.lang}, ${flow.width.name})`, async ({ browser }) => {
      test.setTimeout(60_000);
      const db = path.join(os.tmpdir(), `rapport-e2e-reset-${Date.now()}-${process.pid}.db`);
      const server = await startServer(OWN_PORT, db);
      const context = await browser.newContext({
        baseURL: `http://127.0.0.1:${OWN_PORT}`,
        locale: { en: 'en-GB', nl: 'nl-NL', de: 'de-DE' }[flow.lang],
        viewport: flow.width.viewport,
        isMobile: flow.width.isMobile ?? false,
        hasTouch: flow.width.hasTouch ?? false,
      });
      const page = await context.newPage();
      try {
        await page.goto('/sign-in');
        await page.getByRole('link', { name: flow.forgot }).click();
        await expect(page).toHaveURL(/\/forgot-password$/);
        await page.locator('#link-email').fill(DEMO.email);
        await page.getByRole('button', { name: flow.send }).click();
        await expect(page.getByRole('status').filter({ hasText: flow.sent })).toBeVisible();
        await expectAccessible(page);
        // An unknown address gets the very same answer.
        const unknown = await page.request.post('/api/v1/password-reset', { data: { email: 'nobody@example.test' } });
        expect(unknown.status()).toBe(202);

        let link;
        await expect(async () => {
          link = server.output().match(/http:\/\/127\.0\.0\.1:\d+\/set-password#token=[0-9a-f]{64}/)?.[0];
          expect(link).toBeTruthy();
        }).toPass();
        expect(server.output().match(/set-password#token=/g)).toHaveLength(1);
        await page.goto(link);
        // The token leaves the address bar at once.
        await expect(page).toHaveURL(/\/set-password$/);
        await page.locator('#set-password').fill('a much better secret');
        await expectAccessible(page);
        await page.getByRole('button', { name: flow.set }).click();
        await expect(page).not.toHaveURL(/\/set-password/);
        // Signed in: the overview welcomes her by name.
        await expect(page.getByRole('main')).toContainText(DEMO.name.split(' ')[0]);
        const me = await page.request.get('/api/v1/me');
        expect(me.status()).toBe(200);
        // The link works once.
        await page.goto(link);
        await page.locator('#set-password').fill('yet another secret');
        await page.getByRole('button', { name: flow.set }).click();
        await expect(page.getByRole('alert').filter({ hasText: flow.expired })).toBeVisible();
      } finally {
        await context.close();
        await stopServer(server);
      }
    });
  }
});
