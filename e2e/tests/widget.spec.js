import { test, expect, expectAccessible } from './fixtures.js';

test('the widget demo page runs two isolated instances and reports answers as events', async ({ page }) => {
  const response = await page.goto('/widget/demo.html');
  const csp = response.headers()['content-security-policy'];
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp).not.toContain('unsafe-inline');

  const surveys = page.locator('rapport-survey');
  await expect(surveys).toHaveCount(2);
  const english = surveys.nth(0);
  const dutch = surveys.nth(1);
  await expect(english.getByRole('group', { name: /recommend us/ })).toBeVisible();
  await expect(dutch.getByRole('group', { name: /aanbeveelt/ })).toBeVisible();

  // Answering one instance does not touch the other, and the host page hears about it.
  await english.getByRole('radio', { name: '9' }).check();
  await expect(page.locator('#log')).toHaveText('rapport-answered {"item":"NPS","value":9}');
  await expect(english.getByRole('status')).toHaveText('You chose 9.');
  await expect(dutch.getByRole('radio', { name: '9' })).not.toBeChecked();

  // Keyboard: arrow keys move within the radio group.
  await dutch.getByRole('radio', { name: '5' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(dutch.getByRole('radio', { name: '6' })).toBeChecked();
  await expect(dutch.getByRole('status')).toHaveText('U koos 6.');

  // The host page's own CSS (red labels) does not leak into the shadow root.
  const color = await english.locator('label').first().evaluate((el) => getComputedStyle(el).color);
  expect(color).not.toBe('rgb(204, 0, 0)');
  await expectAccessible(page);
});
