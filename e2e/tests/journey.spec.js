// The portal journey of the customer-portal issue, against the real server and demo data.
import { test, expect, expectAccessible, signIn, DEMO, OTHER } from './fixtures.js';

test.use({ locale: 'en-GB' });

const isoDate = (d) => d.toISOString().slice(0, 10);

test('find a two-year-old order, track it, return an item, follow the request, sign out', async ({ page }) => {
  await signIn(page);
  await expect(page.getByTestId('customer-name')).toBeVisible();
  await page.getByRole('navigation').getByRole('link', { name: 'History' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Account history' })).toBeVisible();
  await expect(page.getByTestId('history-total')).toContainText('entries');
  await expectAccessible(page);

  // Orders delivered in a four-week window around two years ago.
  const centre = new Date(Date.now() - 730 * 86_400_000);
  const from = isoDate(new Date(centre.getTime() - 14 * 86_400_000));
  const to = isoDate(new Date(centre.getTime() + 14 * 86_400_000));
  await page.getByLabel('Order', { exact: true }).check();
  await page.getByLabel('From', { exact: true }).fill(from);
  await page.getByLabel('To', { exact: true }).fill(to);
  await page.getByLabel('Status').selectOption('delivered');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(new RegExp(`kind=order`));
  await expect(page).toHaveURL(new RegExp(`from=${from}`));
  const rows = page.locator('.history-row');
  await expect(rows.first()).toBeVisible();
  const count = await rows.count();
  expect(count).toBeGreaterThan(0);
  expect(count).toBeLessThanOrEqual(100);
  for (const kind of await page.locator('.history-row .h-kind').allTextContents()) expect(kind).toBe('Order');

  // The filters are a deep link: a reload shows the same result.
  const total = await page.getByTestId('history-total').textContent();
  await page.reload();
  await expect(page.getByTestId('history-total')).toHaveText(total);
  await expect(page.getByLabel('Status')).toHaveValue('delivered');

  const link = rows.first().locator('.h-ref a');
  const number = (await link.textContent()).trim();
  await link.click();
  await expect(page.getByRole('heading', { level: 1, name: `Order ${number}` })).toBeVisible();
  await expect(page.locator('.timeline .step.current')).toContainText('Delivered');
  await expect(page.getByRole('heading', { name: /Updates from/ })).toBeVisible();
  await expect(page.getByTestId('perfect-order')).toContainText('Right product');
  await expectAccessible(page);

  // The printable invoice.
  await page.getByRole('link', { name: /^Invoice INV-/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Invoice INV-/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Print' })).toBeVisible();
  await expectAccessible(page);
  await page.goBack();

  await page.getByRole('link', { name: 'Return items' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Return, complaint or warranty claim');
  await expect(page.getByLabel('Return', { exact: true })).toBeChecked();
  await expectAccessible(page);
  // Sending without a reason is explained at the field.
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.locator('#reason-problem')).toHaveText('Please fill this in.');
  await expect(page.getByLabel('Reason')).toBeFocused();
  await page.locator('.choice input[type=checkbox]').first().check();
  await page.getByLabel('Reason').fill('Arrived scratched <b>badly</b>');
  await page.getByLabel('What happened? (optional)').fill('The side panel has a long scratch.');
  await page.getByRole('button', { name: 'Send request' }).click();

  await expect(page).toHaveURL(/\/requests\?sent=1$/);
  await expect(page.getByRole('status').filter({ hasText: 'Your request has been sent' })).toBeVisible();
  const card = page.locator('.request-list > li').filter({ hasText: number }).first();
  await expect(card).toContainText('Return');
  await expect(card).toContainText('Received');
  // HTML typed by the customer is shown as text, never interpreted.
  await expect(card).toContainText('Arrived scratched <b>badly</b>');
  await expect(card.locator('b')).toHaveCount(0);
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
});

test.describe('profile', () => {
  test.use({ expectedLoadFailures: [412, 422] });

test('the profile saves, explains bad fields, and refuses a stale save', async ({ page, browser }) => {
  await signIn(page);
  await page.getByRole('navigation').getByRole('link', { name: 'Your details' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your details' })).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel('Phone number').fill('12ab');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Some fields need your attention' })).toBeVisible();
  await expect(page.getByLabel('Phone number')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Phone number').fill('+31 6 1234 5678');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Your details have been saved.')).toBeVisible();

  // Someone changes the details in another tab; this tab's save is refused, not silently overwritten.
  const other = await browser.newContext({ locale: 'en-GB' });
  const tab = await other.newPage();
  await signIn(tab);
  await tab.goto('/profile');
  await tab.getByLabel('Name').fill('Anna de Vries-Bakker');
  await tab.getByRole('button', { name: 'Save' }).click();
  await expect(tab.getByText('Your details have been saved.')).toBeVisible();
  await other.close();

  await page.getByLabel('Name').fill('Anna de Vries');
  await page.getByRole('button', { name: 'Save' }).click();
  // The profile page has more forms (password, sessions), each with its own alert line.
  await expect(page.getByRole('alert').filter({ hasText: 'changed elsewhere' })).toBeVisible();
  await page.getByRole('button', { name: 'Reload' }).click();
  await expect(page.getByLabel('Name')).toHaveValue('Anna de Vries-Bakker');
});
});

test.describe('isolation', () => {
  test.use({ expectedLoadFailures: [404] });

  test("another customer's order, invoice and request give not found", async ({ page, request }) => {
    // Find ids that belong to another customer.
    const otherLogin = await request.post('/api/v1/session', { data: OTHER });
    expect(otherLogin.ok()).toBeTruthy();
    const invoices = await (await request.get('/api/v1/history?kind=invoice&limit=1')).json();
    const orderId = invoices.entries[0].order_id;
    const detail = await (await request.get(`/api/v1/orders/${orderId}`)).json();
    const invoiceId = detail.invoices[0].id;
    const created = await request.post('/api/v1/requests', {
      data: { kind: 'complaint', order_id: orderId, item_ids: [], reason: 'Isolation probe', description: '' },
    });
    expect(created.status()).toBe(201);
    const requestId = (await created.json()).id;

    await signIn(page);
    await expect(page.getByTestId('customer-name')).toBeVisible();
    for (const path of [`/api/v1/orders/${orderId}`, `/api/v1/invoices/${invoiceId}`, `/api/v1/requests/${requestId}`]) {
      const answer = await page.request.get(path);
      expect(answer.status(), path).toBe(404);
      expect((await answer.json()).error.code).toBe('not_found');
    }
    await page.goto(`/orders/${orderId}`);
    await expect(page.getByRole('alert')).toContainText('We could not find what you asked for.');
    await page.goto(`/invoices/${invoiceId}`);
    await expect(page.getByRole('alert')).toContainText('We could not find what you asked for.');
  });
});

test.describe('expired session mid-task', () => {
  test.use({ expectedLoadFailures: [401] });

  test('a sign-in dialog appears and nothing typed is lost', async ({ page, context }) => {
    await signIn(page);
    await page.goto('/history?kind=order');
    await page.locator('.history-row.kind-order .h-ref a').first().click();
    await page.getByRole('link', { name: 'Make a complaint' }).click();
    await page.getByLabel('Reason').fill('Late and damaged');
    await page.getByLabel('What happened? (optional)').fill('Two days late; the box was crushed.');

    await context.clearCookies();
    await page.getByRole('button', { name: 'Send request' }).click();
    const dialog = page.getByRole('dialog', { name: 'Please sign in again' });
    await expect(dialog).toBeVisible();
    await expectAccessible(page);
    await dialog.getByLabel('Password').fill(DEMO.password);
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByLabel('Reason')).toHaveValue('Late and damaged');
    await expect(page.getByLabel('What happened? (optional)')).toHaveValue('Two days late; the box was crushed.');
    await page.getByRole('button', { name: 'Send request' }).click();
    await expect(page).toHaveURL(/\/requests\?sent=1$/);
  });
});

test('going offline shows a banner', async ({ page, context }) => {
  await signIn(page);
  await expect(page.getByTestId('customer-name')).toBeVisible();
  await context.setOffline(true);
  await expect(page.getByRole('status').filter({ hasText: 'You are offline' })).toBeVisible();
  await context.setOffline(false);
  await expect(page.getByText('You are offline')).toBeHidden();
});

for (const [lang, history] of [
  ['nl', 'Accountgeschiedenis'],
  ['de', 'Kontoverlauf'],
]) {
  test(`history and an order page are translated and accessible in ${lang}`, async ({ page }) => {
    await signIn(page);
    await page.getByLabel('Language').selectOption(lang);
    await page.goto('/history');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(history);
    await expect(page.locator('.history-row').first()).toBeVisible();
    await expectAccessible(page);
    await page.locator('.history-row.kind-order .h-ref a').first().click();
    await expect(page.locator('.timeline')).toBeVisible();
    await expectAccessible(page);
  });
}

test('the filtered history downloads as CSV', async ({ page }) => {
  await signIn(page);
  await page.goto('/history?kind=invoice&sort=asc');
  await expect(page.locator('.history-row').first()).toBeVisible();
  const total = Number((await page.getByTestId('history-total').textContent()).match(/\d+/)[0]);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download as CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('rapport-history.csv');
  const text = await (await download.createReadStream()).toArray();
  const lines = Buffer.concat(text).toString('utf8').trimEnd().split('\r\n');
  expect(lines[0]).toBe('date,kind,reference,status,amount,currency,order,detail');
  expect(lines.length - 1).toBe(total);
  expect(lines.slice(1).every((l) => l.split(',')[1] === 'invoice')).toBe(true);
  // Oldest first, as filtered.
  expect(lines[1] < lines[lines.length - 1]).toBe(true);
});

test.describe('sign-out offline', () => {
  test.use({ expectedLoadFailures: ['net::ERR_INTERNET_DISCONNECTED'] });

  test('still forgets the client-side data and leaves the language choice', async ({ page, context }) => {
    await signIn(page);
    await expect(page.getByTestId('customer-name')).toBeVisible();
    await page.evaluate(() => {
      localStorage.setItem('rapport.draft', 'half a complaint');
      sessionStorage.setItem('rapport.filters', 'x');
    });
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
    const left = await page.evaluate(() => ({
      draft: localStorage.getItem('rapport.draft'),
      lang: localStorage.getItem('rapport.lang'),
      session: sessionStorage.length,
    }));
    expect(left).toEqual({ draft: null, lang: 'en', session: 0 });
    await context.setOffline(false);
  });
});
