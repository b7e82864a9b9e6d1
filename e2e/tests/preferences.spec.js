// The preference centre against the real server: every change leaves exactly one consent record.
import { createHash } from 'node:crypto';
import { test, expect, expectAccessible, signIn, revealLazyParts, OTHER } from './fixtures.js';

// 412: the tests of a save made stale elsewhere. (No 404: having no deletion request is no error.)
test.use({ locale: 'en-GB', expectedLoadFailures: [412] });

const records = async (page) => (await page.request.get('/api/v1/consent-records')).json();
const cell = (page, topic, channel) => page.getByRole('checkbox', { name: `${topic} – ${channel}`, exact: true });

async function open(page, who) {
  await signIn(page, who);
  await page.getByRole('navigation').getByRole('link', { name: 'Preferences' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Communication preferences' })).toBeVisible();
  await expect(cell(page, 'Newsletter', 'E-mail')).toBeVisible();
  // The consent history, data rights and access log below the form download as they come near.
  await revealLazyParts(page);
}

test('a change to the matrix, caps and timing is saved with exactly one consent record', async ({ page }) => {
  await open(page);
  await expectAccessible(page);
  const before = (await records(page)).length;
  await expect(cell(page, 'About my orders', 'E-mail')).toBeDisabled();
  await expect(cell(page, 'About my orders', 'E-mail')).toBeChecked();

  await cell(page, 'Offers', 'Text message').check();
  await page.getByLabel('Offers', { exact: true }).selectOption('2w');
  await page.getByLabel('Quiet hours: nothing between these times').check();
  await page.getByLabel('From', { exact: true }).fill('22:00');
  await page.getByLabel('Until', { exact: true }).fill('07:30');
  await page.getByRole('button', { name: 'Save preferences' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();

  const after = await records(page);
  expect(after.length).toBe(before + 1);
  const newest = after[0];
  const changes = Object.fromEntries(newest.changes.map((c) => [c.field, c]));
  expect(changes['permissions.sms.offers']).toMatchObject({ old: false, new: true });
  expect(changes['caps.offers'].old).toBeNull();
  expect(changes['caps.offers'].new).toMatchObject({ max: 2, per: 'week' });
  expect(changes['quiet_hours'].new).toMatchObject({ start: '22:00', end: '07:30' });
  expect(newest.control).toBe('preferences');
  expect(newest.page).toBe('/preferences');
  expect(newest.notice_sha256).toMatch(/^[0-9a-f]{64}$/);

  // The history on the page shows it, with a receipt that verifies.
  const record = page.getByTestId('consent-records').locator('li.consent-record').first();
  await expect(record).toContainText('Preferences saved');
  // In plain words, not field names and JSON; the recorded values stay one click away.
  const words = record.getByTestId('consent-changes');
  await expect(words).toContainText('Text message · Offers: off → on');
  await expect(words).toContainText('Offers: No limit → At most 2 a week');
  await expect(words).toContainText('Quiet hours: none → 22:00–07:30');
  await expect(words).not.toContainText('permissions.');
  await expect(record.locator('details.recorded code').first()).toHaveText('permissions.sms.offers');
  // The time says its zone (the customer's, from the preference centre).
  await expect(record.locator('time')).toHaveText(/\d{1,2}:\d{2}.*(GMT|UTC|CES?T)/);
  await page.getByRole('link', { name: 'Printable receipt' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: /Consent receipt no\. \d+/ })).toBeVisible();
  const canonical = await page.getByTestId('receipt-canonical').textContent();
  const hash = await page.getByTestId('receipt-hash').textContent();
  expect(createHash('sha256').update(canonical, 'utf8').digest('hex')).toBe(hash);
  await expect(page.getByTestId('consent-changes')).toContainText('Quiet hours: none → 22:00–07:30');
  await page.getByLabel('Language').selectOption('nl');
  await expect(page.getByTestId('consent-changes')).toContainText('Rustige uren: geen → 22:00–07:30');
  await expect(page.getByTestId('consent-changes')).toContainText('Sms · Aanbiedingen: uit → aan');
  await page.getByLabel('Taal').selectOption('en');
  await expectAccessible(page);
});

test('pause, unsubscribe from all marketing, and undo: one record each', async ({ page }) => {
  await open(page);
  const start = (await records(page)).length;
  const future = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel('Pause all marketing until').fill(future);
  await page.getByRole('button', { name: 'Save preferences' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  expect((await records(page))[0].changes).toEqual([{ field: 'paused_until', old: null, new: future }]);

  await expect(cell(page, 'Newsletter', 'E-mail')).toBeChecked();
  await page.getByRole('button', { name: 'Unsubscribe from all marketing' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'You are unsubscribed' })).toBeVisible();
  await expect(cell(page, 'Newsletter', 'E-mail')).not.toBeChecked();
  await expect(cell(page, 'About my orders', 'E-mail')).toBeChecked();
  let all = await records(page);
  expect(all[0].control).toBe('unsubscribe_all');
  expect(all[0].changes.every((c) => c.old === true && c.new === false)).toBe(true);

  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(cell(page, 'Newsletter', 'E-mail')).toBeChecked();
  all = await records(page);
  expect(all[0].control).toBe('undo');
  expect(all.length).toBe(start + 3);
});

test('two tabs: the stale save is refused, reloaded, and re-applied without losing the edit', async ({ page, browser }) => {
  await open(page);
  await cell(page, 'Surveys', 'Post').check();

  const other = await browser.newContext({ locale: 'en-GB' });
  const tab = await other.newPage();
  await open(tab);
  await cell(tab, 'Newsletter', 'Text message').check();
  await tab.getByRole('button', { name: 'Save preferences' }).click();
  await expect(tab.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await other.close();

  await page.getByRole('button', { name: 'Save preferences' }).click();
  await expect(page.getByRole('status')).toContainText('changed elsewhere meanwhile');
  // Both edits are on screen: theirs (loaded) and mine (re-applied).
  await expect(cell(page, 'Surveys', 'Post')).toBeChecked();
  await expect(cell(page, 'Newsletter', 'Text message')).toBeChecked();
  await page.getByRole('button', { name: 'Save preferences' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  const prefs = await (await page.request.get('/api/v1/preferences')).json();
  const allowed = (topic, channel) => prefs.permissions.find((p) => p.topic === topic && p.channel === channel).allowed;
  expect(allowed('surveys', 'post')).toBe(true);
  expect(allowed('newsletter', 'sms')).toBe(true);
});

test('Global Privacy Control turns partner offers and sharing off, says so, and records the signal', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'en-GB' });
  await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
  const page = await context.newPage();
  // A customer whose partner offers were on.
  await signIn(page, OTHER);
  const shown = await (await page.request.get('/api/v1/notice?lang=en')).json();
  const { permissions } = await (await page.request.get('/api/v1/preferences')).json();
  const etag = (await page.request.get('/api/v1/preferences')).headers()['etag'];
  const prefs = await (await page.request.get('/api/v1/preferences')).json();
  prefs.permissions = permissions.map((p) => (p.topic === 'partner_offers' && p.channel === 'email' ? { ...p, allowed: true } : p));
  prefs.no_sale_or_sharing = false;
  const setup = await page.request.put('/api/v1/preferences', {
    headers: { 'If-Match': etag },
    data: { preferences: prefs, context: { notice_version: shown.version, notice_sha256: shown.sha256, control: 'test_setup', page: '/preferences', gpc: false } },
  });
  expect(setup.status()).toBe(200);

  await page.goto('/preferences');
  await expect(page.getByRole('note')).toContainText('Global Privacy Control');
  await expect(cell(page, 'Partner offers', 'E-mail')).not.toBeChecked();
  await expect(cell(page, 'Partner offers', 'E-mail')).toBeDisabled();
  await expect(page.getByLabel('Do not sell or share my personal data')).toBeChecked();
  await expect.poll(async () => (await records(page))[0].gpc).toBe(true);
  const newest = (await records(page))[0];
  expect(newest.control).toBe('gpc_signal');
  expect(newest.changes.map((c) => c.field)).toEqual(expect.arrayContaining(['permissions.email.partner_offers', 'no_sale_or_sharing']));
  await context.close();
});

test('download my data contains every kind of record', async ({ page }) => {
  test.setTimeout(90_000);
  await open(page);
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 80_000 }),
    page.getByRole('button', { name: 'Download my data' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('rapport-my-data.json');
  const chunks = await (await download.createReadStream()).toArray();
  const data = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  expect(data.profile.email).toBe('demo@rapport.test');
  expect(data.orders.length).toBe(240);
  const kinds = new Set(data.history_pages.flatMap((p) => p.entries.map((e) => e.kind)));
  for (const kind of ['order', 'invoice', 'payment', 'shipment', 'contact', 'request']) expect(kinds).toContain(kind);
  expect(data.requests.length).toBeGreaterThan(0);
  expect(data.preferences.permissions.length).toBe(25);
  expect(data.consent_records.length).toBeGreaterThan(0);
});

test('a deletion request needs confirmation and then shows its status', async ({ page }) => {
  await open(page);
  const button = page.getByRole('button', { name: 'Request deletion' });
  await expect(button).toHaveAttribute('aria-disabled', 'true');
  // The wrong word (submitted with Enter, as the button is disabled) requests nothing.
  await page.getByLabel('Type DELETE to confirm').fill('delete');
  await page.getByLabel('Type DELETE to confirm').press('Enter');
  await expect(page.getByTestId('deletion-status')).toHaveCount(0);
  const none = await page.request.get('/api/v1/deletion-request');
  expect(none.status()).toBe(200);
  expect(await none.json()).toBeNull();
  await page.getByLabel('Type DELETE to confirm').fill('DELETE');
  await button.click();
  await expect(page.getByTestId('deletion-status')).toContainText('Deletion requested');
  await page.reload();
  await expect(cell(page, 'Newsletter', 'E-mail')).toBeVisible();
  await revealLazyParts(page);
  await expect(page.getByTestId('deletion-status')).toContainText('Deletion requested');
});

test('the matrix works with the keyboard alone', async ({ page }) => {
  await open(page);
  const target = cell(page, 'Newsletter', 'Post');
  await cell(page, 'Newsletter', 'E-mail').focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
  await expect(target).toBeFocused();
  await page.keyboard.press('Space');
  await expect(target).toBeChecked();
});

for (const [lang, title] of [
  ['nl', 'Communicatievoorkeuren'],
  ['de', 'Kommunikationseinstellungen'],
]) {
  test(`the preference centre in ${lang} is accessible`, async ({ page }) => {
    await signIn(page);
    await page.getByLabel('Language').selectOption(lang);
    await page.goto('/preferences');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
    await expect(page.locator('table.matrix input').first()).toBeVisible();
    await revealLazyParts(page);
    await expectAccessible(page);
  });
}

test('a new marketing address stays pending until it is confirmed', async ({ page }) => {
  await open(page);
  await page.getByLabel('Type', { exact: true }).selectOption('sms');
  await page.getByLabel('Another e-mail address or mobile number for marketing').fill('+31 6 9876 5432');
  await page.getByRole('button', { name: 'Add address' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'confirmation link' })).toBeVisible();
  await expect(page.locator('#contact-points ~ ul li').filter({ hasText: '+31698765432' })).toContainText(
    'Waiting for your confirmation',
  );
  const prefs = await (await page.request.get('/api/v1/preferences')).json();
  expect(prefs.contact_points.find((c) => c.address === '+31698765432').status).toBe('pending');
  await expectAccessible(page);
});
