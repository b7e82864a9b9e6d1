import { test, expect, expectAccessible, signIn } from './fixtures.js';

for (const [lang, title, overview] of [
  ['nl', 'Aanmelden', 'Uw account'],
  ['de', 'Anmelden', 'Ihr Konto'],
]) {
  test(`the portal speaks ${lang}, from the switcher and from the browser`, async ({ page, browser }) => {
    await page.goto('/sign-in');
    await page.getByLabel('Language').selectOption(lang);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    await expectAccessible(page);

    // The choice is remembered across a reload.
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);

    // A browser that prefers the language gets it without choosing.
    const context = await browser.newContext({ locale: lang });
    const fresh = await context.newPage();
    await fresh.goto('/sign-in');
    await expect(fresh.getByRole('heading', { level: 1 })).toHaveText(title);
    await context.close();
  });

  test(`the overview in ${lang} is accessible`, async ({ page }) => {
    await signIn(page);
    await expect(page.getByTestId('customer-name')).toBeVisible();
    await page.getByLabel('Language').selectOption(lang);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(overview);
    await expectAccessible(page);
  });
}
