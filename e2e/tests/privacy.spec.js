// Accountability and erasure in the browser: the customer sees which staff member opened their data, and
// staff carry out a deletion request from their queue. Desktop and phone widths, en/nl/de, axe.
import { test, expect, expectAccessible, signIn, DEMO } from './fixtures.js';

const STAFF = { email: 'staff@rapport.test', password: 'rapport-demo' };
// Erased by the last test: no other spec signs in as her.
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
    test.use({ viewport: width.viewport, isMobile: width.isMobile ?? false, hasTouch: width.hasTouch ?? false });
    test(`the customer sees who opened their data (${lang})`, async ({ page, browser }) => {
      const staff = await staffPage(browser);
      const id = await customerId(staff, DEMO.email);
      await staff.goto(`/staff/customers/${id}`);
      await expect(staff.getByRole('heading', { level: 1, name: DEMO.name })).toBeVisible();
      await staff.context().close();

      await signIn(page);
      await page.getByLabel('Language').selectOption(lang);
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

test('staff review and carry out a deletion request; the customer can no longer sign in', async ({ page, browser }) => {
  await signIn(page, SOPHIE);
  await page.goto('/preferences');
  await page.getByLabel('Type DELETE to confirm').fill('DELETE');
  await page.getByRole('button', { name: 'Request deletion' }).click();
  await expect(page.getByTestId('deletion-status')).toContainText('Deletion requested');

  for (const width of [widths[2], widths[0]]) {
    const staff = await staffPage(browser, { viewport: width.viewport });
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
      await expect(card.getByTestId('deletion-state')).toHaveText('Done');
      await expect(card.getByRole('heading', { name: 'Erased customer' })).toBeVisible();
      await expect(card.getByRole('button', { name: 'Carry out erasure' })).toHaveCount(0);
    }
    await staff.context().close();
  }

  // Her session ended and her address no longer signs in.
  const gone = await page.request.get('/api/v1/me');
  expect(gone.status()).toBe(401);
  const again = await page.request.post('/api/v1/session', { data: { email: SOPHIE.email, password: SOPHIE.password } });
  expect(again.status()).toBe(401);
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
