// Accountability and erasure in the browser: the customer sees which staff member opened their data, and
// staff decide on deletion requests from their queue. Desktop and phone widths, en/nl/de, axe, and a
// decision by keyboard alone.
import os from 'node:os';
import path from 'node:path';
import { test, expect, expectAccessible, signIn, revealLazyParts, DEMO, OTHER } from './fixtures.js';
import { startServer, stopServer } from './own-server.js';
import { WIDTHS, screen, expectNoSidewaysScroll, tabTo } from './screens.js';

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

const widths = [WIDTHS.desktop, WIDTHS[390], WIDTHS[360]];
const langs = [
  ['en', 'Who at the firm looked at your data', 'Opened your customer page'],
  ['nl', 'Wie bij ons uw gegevens heeft bekeken', 'Opende uw klantpagina'],
  ['de', 'Wer bei uns Ihre Daten angesehen hat', 'Hat Ihre Kundenseite geöffnet'],
];

for (const [i, width] of widths.entries()) {
  const [lang, heading, action] = langs[i];
  test.describe(`at ${width.name}`, () => {
    test.use(screen(width, lang));
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
      await expect(page.locator('main fieldset').first()).toBeVisible();
      await revealLazyParts(page);
      const section = page.getByRole('region', { name: heading });
      await expect(section).toBeVisible();
      const entry = section.getByTestId('access-log').getByRole('listitem').first();
      await expect(entry).toContainText('Sam Staff');
      await expect(entry).toContainText(action);
      await section.scrollIntoViewIfNeeded();
      await expectNoSidewaysScroll(page);
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
    await expect(page.locator('main fieldset').first()).toBeVisible();
    await revealLazyParts(page);
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

// On a server of its own too: Jonas asks for deletion, staff look at the queue on phones in nl and de,
// then refuse by keyboard alone, and Jonas reads why.
test('the deletion queue at phone widths in nl and de; a decision by keyboard alone', async ({ browser }) => {
  test.setTimeout(90_000);
  const db = path.join(os.tmpdir(), `rapport-e2e-queue-${Date.now()}-${process.pid}.db`);
  const server = await startServer(OWN_PORT, db);
  const baseURL = `http://127.0.0.1:${OWN_PORT}`;
  const jonas = await browser.newContext({ baseURL });
  const staffIn = async (options) => {
    const context = await browser.newContext({ ...options, baseURL });
    const page = await context.newPage();
    expect((await page.request.post('/api/v1/session', { data: STAFF })).status()).toBe(200);
    return page;
  };
  try {
    expect((await jonas.request.post('/api/v1/session', { data: OTHER })).status()).toBe(200);
    expect((await jonas.request.post('/api/v1/deletion-request', { data: { confirm: 'DELETE' } })).status()).toBe(201);

    const queue = { nl: ['Verwijderverzoeken', 'Ontvangen', 'Antwoord uiterlijk'], de: ['Löschanträge', 'Eingegangen', 'Antwort bis'] };
    for (const width of [WIDTHS[390], WIDTHS[360]]) {
      for (const [lang, [title, state, due]] of Object.entries(queue)) {
        const staff = await staffIn(screen(width, lang));
        await staff.goto('/staff/deletion-requests');
        await expect(staff.getByRole('heading', { level: 1 })).toHaveText(title);
        const card = staff.getByTestId('deletion-request').filter({ hasText: 'Jonas Weber' });
        await expect(card.getByTestId('deletion-state')).toHaveText(state);
        await expect(card).toContainText(due);
        await expectNoSidewaysScroll(staff);
        await expectAccessible(staff);
        await staff.context().close();
      }
    }

    const staff = await staffIn(screen(WIDTHS.desktop, 'en'));
    await staff.goto('/staff/deletion-requests');
    const card = staff.getByTestId('deletion-request').filter({ hasText: 'Jonas Weber' });
    await tabTo(staff, card.getByRole('button', { name: 'Start review' }));
    await staff.keyboard.press('Enter');
    await expect(card.getByTestId('deletion-state')).toHaveText('In review');
    await tabTo(staff, card.getByLabel('Reason for refusing'));
    await staff.keyboard.type('We must keep your account while your warranty claim is open.');
    await tabTo(staff, card.getByRole('button', { name: 'Refuse' }));
    await staff.keyboard.press('Space');
    await expect(card.getByTestId('deletion-state')).toHaveText('Refused');
    await expect(card).toContainText('while your warranty claim is open');
    await expect(card.getByRole('button')).toHaveCount(0);
    await staff.context().close();

    const answer = await (await jonas.request.get('/api/v1/deletion-request')).json();
    expect(answer.status).toBe('refused');
    expect(answer.reason).toBe('We must keep your account while your warranty claim is open.');
  } finally {
    await jonas.close();
    await stopServer(server);
  }
});
