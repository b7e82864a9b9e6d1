// Account security on the profile page: "Your sessions", sign out everywhere else, the password change,
// and sign-out forgetting delivered survey drafts. Pieter's account only: no other spec signs in as him,
// so changing his password cannot disturb them.
import { test, expect, expectAccessible, signIn } from './fixtures.js';
import { answerNps, expectThanks, savedDraft, send } from './survey-helpers.js';

const PIETER = { email: 'pieter.jansen@example.test', password: 'rapport-demo' };
const NEW_PASSWORD = 'a-longer-passphrase';

test.describe.configure({ mode: 'serial' });

/** Whether the browser context's session cookie still works. */
async function sessionStatus(page) {
  return (await page.request.get('/api/v1/me')).status();
}

test('your sessions lists both browsers and signs the other one out', async ({ browser }) => {
  const laptop = await (await browser.newContext()).newPage();
  const phone = await (await browser.newContext()).newPage();
  await signIn(laptop, PIETER);
  // Sessions left by an earlier run against the same database would be listed too.
  expect((await laptop.request.post('/api/v1/sessions/sign-out-others', { data: {} })).status()).toBe(200);
  await signIn(phone, PIETER);
  await laptop.goto('/profile');
  const sessions = laptop.getByTestId('sessions');
  await expect(sessions.getByRole('heading', { name: 'Your sessions' })).toBeVisible();
  await expect(sessions.locator('tbody tr')).toHaveCount(2);
  await expect(sessions.locator('tr[data-current="true"]')).toContainText('(this browser)');
  await expect(sessions.locator('tr[data-current="true"]')).toContainText(/Chrom\w* on Linux/);
  await expect(sessions).toContainText('30 minutes');
  await expectAccessible(laptop);

  await sessions.getByRole('button', { name: 'Sign out everywhere else' }).click();
  await expect(sessions.getByRole('status')).toHaveText('One other session was ended.');
  await expect(sessions.locator('tbody tr')).toHaveCount(1);
  await expect(sessions).toContainText('You are not signed in anywhere else.');
  expect(await sessionStatus(phone)).toBe(401);
  expect(await sessionStatus(laptop)).toBe(200);
  await laptop.context().close();
  await phone.context().close();
});

test('a password change needs the current password and ends the other sessions', async ({ browser }) => {
  const here = await (await browser.newContext()).newPage();
  const there = await (await browser.newContext()).newPage();
  await signIn(here, PIETER);
  await signIn(there, PIETER);
  await here.goto('/profile');
  const form = here.getByTestId('password-form');
  await form.getByLabel('Current password').fill('not-my-password');
  await form.getByLabel('New password').fill(NEW_PASSWORD);
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByText('This is not your current password.')).toBeVisible();
  await expect(form.getByLabel('Current password')).toHaveAttribute('aria-invalid', 'true');
  expect(await sessionStatus(there)).toBe(200);

  await form.getByLabel('Current password').fill(PIETER.password);
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByRole('status')).toHaveText('Your password was changed. Other sessions have been signed out.');
  expect(await sessionStatus(there)).toBe(401);
  expect(await sessionStatus(here)).toBe(200);
  await expectAccessible(here, '[data-testid="password-form"]');

  // The old password no longer signs in; the new one does. Then back, for reruns against one database.
  const old = await there.request.post('/api/v1/session', { data: PIETER });
  expect(old.status()).toBe(401);
  await signIn(there, { ...PIETER, password: NEW_PASSWORD });
  const back = await here.request.post('/api/v1/password', {
    data: { current_password: NEW_PASSWORD, new_password: PIETER.password },
  });
  expect(back.status()).toBe(204);
  await here.context().close();
  await there.context().close();
});

test('signing out forgets the delivered survey draft', async ({ page }) => {
  await signIn(page, PIETER);
  const id = (await (await page.request.get('/api/v1/me')).json()).id;
  await page.goto('/surveys/nps');
  const survey = page.locator('.rs-survey');
  await answerNps(survey, 9);
  await send(survey);
  await expectThanks(survey);
  await expect.poll(async () => (await savedDraft(page, 'nps', `portal:${id}`))?.delivery?.state).toBe('sent');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await expect.poll(() => savedDraft(page, 'nps', `portal:${id}`)).toBeNull();
});

test("a receipt shows the fingerprint of the customer's record before it", async ({ page }) => {
  await signIn(page);
  const records = await (await page.request.get('/api/v1/consent-records')).json();
  const oldest = records.at(-1);
  await page.goto(`/preferences/receipts/${oldest.id}`);
  await expect(page.getByTestId('receipt-prev')).toHaveText('none: this is your first record');
  if (records.length > 1) {
    await page.goto(`/preferences/receipts/${records[0].id}`);
    await expect(page.getByTestId('receipt-prev')).toHaveText(records[1].sha256);
  }
  await expectAccessible(page);
});
