// Every test fails on an uncaught page error or a console error (a wrong wasm-opt, for one, yields Wasm
// that builds but throws at start-up). Tests that provoke a failed load on purpose list what the browser
// logs for it in `expectedLoadFailures`: HTTP statuses (401), network errors ('net::ERR_FAILED'), or
// 'contains: …' for any other message that holds the text (a call the CSP blocks).
import { test as base, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

export const DEMO = { email: 'demo@rapport.test', password: 'rapport-demo', name: 'Anna de Vries' };
export const OTHER = { email: 'jonas.weber@example.test', password: 'rapport-demo' };

export const test = base.extend({
  expectedLoadFailures: [[], { option: true }],
  page: async ({ page, expectedLoadFailures }, use) => {
    const problems = [];
    page.axeRunning = false;
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const text = message.text();
      const expected = expectedLoadFailures.some((failure) => {
        if (typeof failure === 'string' && failure.startsWith('contains: ')) {
          return text.includes(failure.slice('contains: '.length));
        }
        return typeof failure === 'number'
          ? text.startsWith(`Failed to load resource: the server responded with a status of ${failure}`)
          : text === `Failed to load resource: ${failure}`;
      });
      // axe sets inline styles while it measures colours inside shadow roots; our CSP reports that.
      const axeNoise = page.axeRunning && text.startsWith('Applying inline style violates');
      if (!expected && !axeNoise) problems.push(`console error: ${text}`);
    });
    await use(page);
    expect(problems, 'no page or console errors').toEqual([]);
  },
});

export { expect };

/** Fails with the list of violations when axe finds any (WCAG 2.x A and AA rules). */
export async function expectAccessible(page, include) {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']);
  if (include) builder = builder.include(include);
  page.axeRunning = true;
  const results = await builder.analyze().finally(() => {
    page.axeRunning = false;
  });
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, 'axe violations').toEqual([]);
}

/** Fills in and submits the sign-in form, without waiting for the outcome. */
export async function submitSignIn(page, who = DEMO) {
  await page.goto('/sign-in');
  await page.getByLabel('E-mail address').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in and waits until the portal has left the sign-in page (the session cookie is set). */
export async function signIn(page, who = DEMO) {
  await submitSignIn(page, who);
  await expect(page).not.toHaveURL(/\/sign-in/);
}

/**
 * Brings every part of the page that downloads as it comes near the screen (`.lazy-part`: the cards
 * below the preference form) into view, and waits until each has arrived and loaded its data.
 */
export async function revealLazyParts(page) {
  for (const part of await page.locator('main .lazy-part').all()) {
    // Laid out: the preference centre shows its cards only once the form is there.
    await expect.poll(() => part.evaluate((el) => el.getClientRects().length > 0), 'the part is laid out').toBe(true);
    await part.evaluate((el) => el.scrollIntoView());
    await expect(part.locator(':scope > :not(.loading)').first()).toBeAttached();
    await expect(part.locator('.loading')).toHaveCount(0);
  }
}
