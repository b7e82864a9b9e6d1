import { test, expect, expectAccessible, signIn, submitSignIn, DEMO } from './fixtures.js';

test.use({ locale: 'en-GB' });

test('an anonymous visitor is sent to the sign-in page, which is accessible', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect(page).toHaveTitle('Sign in · Rapport');
  await expectAccessible(page);
});

test('the demo customer signs in, sees their name and orders, and signs out', async ({ page }) => {
  await signIn(page);
  await expect(page).toHaveURL(/\/$/);
  // The profile test on the same server may be renaming the customer meanwhile (and puts it back).
  await expect(page.getByTestId('customer-name')).toHaveText(new RegExp(`^Welcome, ${DEMO.name}`));
  await expect(page.getByTestId('order-count')).toHaveText('You have placed 240 orders.');
  // The seeded open return, plus whatever other tests on the shared server have added meanwhile.
  await expect(page.getByText(/^([1-9]\d*) open requests?$/)).toBeVisible();
  await expectAccessible(page);

  // The session survives a reload (HttpOnly cookie), and no token is kept in web storage.
  await page.reload();
  // The profile test on the same server may be renaming the customer meanwhile (and puts it back).
  await expect(page.getByTestId('customer-name')).toHaveText(new RegExp(`^Welcome, ${DEMO.name}`));
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
  expect(stored).not.toMatch(/session|token/i);
  const cookies = await page.context().cookies();
  expect(cookies.find((c) => c.name === 'rapport_session')?.httpOnly).toBe(true);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in$/);
});

test.describe('wrong credentials', () => {
  test.use({ expectedLoadFailures: [401, 429] });

  test('a wrong password gets a clear message and no session', async ({ page }) => {
    await submitSignIn(page, { email: DEMO.email, password: 'wrong-password' });
    await expect(page.getByRole('alert')).toHaveText(
      'That e-mail address and password do not match an account.',
    );
    // What the customer typed is still there.
    await expect(page.getByLabel('E-mail address')).toHaveValue(DEMO.email);
    await page.goto('/');
    await expect(page).toHaveURL(/\/sign-in$/);
  });

  test('repeated failures are throttled with a clear message', async ({ page }) => {
    const victim = { email: 'sophie.martin@example.test', password: 'guess' };
    await page.goto('/sign-in');
    await page.getByLabel('E-mail address').fill(victim.email);
    await page.getByLabel('Password').fill(victim.password);
    const button = page.getByRole('button', { name: 'Sign in' });
    for (let i = 0; i < 5; i++) {
      await button.click();
      await expect(page.getByRole('alert')).toContainText('do not match');
      await page.getByLabel('Password').fill(`guess-${i}`);
    }
    await button.click();
    await expect(page.getByRole('alert')).toContainText('Too many attempts');
  });
});

test('empty fields are explained without a round trip', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Please enter your e-mail address and password.');
  await expect(page.getByLabel('E-mail address')).toHaveAttribute('aria-invalid', 'true');
});

test('an unknown address shows a not-found page with a way back', async ({ page }) => {
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Go to your account' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('after signing in, the customer lands where they were going', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto('/sign-in?next=%2F%2Fevil.example%2F');
  await page.getByLabel('E-mail address').fill(DEMO.email);
  await page.getByLabel('Password').fill(DEMO.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // An off-site "next" is ignored.
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/$/);
});
