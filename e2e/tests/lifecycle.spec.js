// The relationship lifecycle end to end: an order is delivered → the customer is invited to a short
// survey about it → answers it in the portal → staff see the answer and record what the firm did → the
// customer sees that beside their answer ("you said / we did"). Runs against a server started with
// RAPPORT_SURVEY_DELAY_DAYS=0, so a delivery invites at once.
import { test, expect, expectAccessible, signIn, DEMO } from './fixtures.js';
import { countResponses } from './survey-helpers.js';

export const STAFF = { email: 'staff@rapport.test', password: 'rapport-demo' };

/** An API request context signed in as `who` (the session cookie stays in the context). */
async function apiAs(playwright, baseURL, who) {
  const api = await playwright.request.newContext({ baseURL });
  const answer = await api.post('/api/v1/session', { data: who });
  expect(answer.status(), `sign-in of ${who.email}`).toBe(200);
  return api;
}

/** One of the demo customer's orders that has not been delivered yet. */
async function undeliveredOrder(api) {
  for (const status of ['shipped', 'out_for_delivery', 'packed', 'paid', 'placed', 'delayed']) {
    const page = await (await api.get(`/api/v1/history?kind=order&status=${status}&limit=50`)).json();
    const entry = page.entries.find((e) => e.order_id);
    if (entry) return { id: entry.order_id, number: entry.reference };
  }
  throw new Error('the demo data has no undelivered order');
}

test('a delivered order invites to a survey; staff answer it with what the firm did', async ({ page, browser, playwright, baseURL }) => {
  test.setTimeout(60_000);
  const customer = await apiAs(playwright, baseURL, DEMO);
  const order = await undeliveredOrder(customer);
  const staff = await apiAs(playwright, baseURL, STAFF);

  // Customers may not use staff endpoints.
  expect((await customer.post(`/api/v1/staff/orders/${order.id}/delivered`)).status()).toBe(403);
  // The carrier's delivery reaches the backend (here through the staff endpoint).
  expect((await staff.post(`/api/v1/staff/orders/${order.id}/delivered`)).status()).toBe(204);

  // The invitation appears on the overview and on the order's page, clearly optional.
  await signIn(page);
  const card = page.getByRole('region', { name: 'Surveys for you' });
  const invitation = card.getByRole('listitem').filter({ hasText: `About your order ${order.number}` });
  await expect(invitation).toBeVisible();
  await expect(invitation).toContainText('How easy was it?');
  await expect(card.getByText('Every survey is optional')).toBeVisible();
  await expect(page.getByRole('region', { name: 'You and us' })).toBeVisible();
  await expectAccessible(page);

  await page.goto(`/orders/${order.id}`);
  await expect(page.getByRole('listitem').filter({ hasText: `About your order ${order.number}` })).toBeVisible();

  // Answering it links the answer to the order and closes the invitation.
  await page.getByRole('link', { name: 'Answer now' }).first().click();
  await expect(page).toHaveURL(/\/surveys\/ces-effort\?invitation=\d+/);
  const survey = page.locator('.rs-survey');
  await survey.getByRole('radio', { name: /\s2( |$)/ }).check();
  await survey.getByRole('button', { name: 'Send my answers' }).click();
  await expect(survey.getByRole('heading', { name: 'Thank you!' })).toBeVisible();
  await expect
    .poll(() => countResponses("instrument_id = 'ces-effort' AND order_id = ?", [order.id]))
    .toBe(1);
  await page.goto('/');
  await expect(page.getByRole('region', { name: 'You and us' })).toBeVisible();
  await expect(
    page.getByRole('region', { name: 'Surveys for you' }).getByText(`About your order ${order.number}`),
  ).toHaveCount(0);

  // Staff see the answer on the customer's page and record what the firm did.
  const staffContext = await browser.newContext();
  const staffPage = await staffContext.newPage();
  await signIn(staffPage, STAFF);
  await staffPage.goto('/staff');
  await expect(staffPage.getByRole('heading', { level: 1, name: 'Customers' })).toBeVisible();
  await expectAccessible(staffPage);
  await staffPage.getByRole('link', { name: DEMO.name }).click();
  await expect(staffPage.getByRole('heading', { level: 1, name: DEMO.name })).toBeVisible();
  await expect(staffPage.getByRole('heading', { name: /Relationship phase: / })).toBeVisible();
  const answer = staffPage.getByRole('article').filter({ hasText: 'CES 2' }).first();
  await expect(answer).toBeVisible();
  const did = `We asked the carrier to call ahead before delivery (${Date.now()}).`;
  await answer.getByLabel('What we did in response').fill(did);
  await answer.getByRole('button', { name: 'Record' }).click();
  await expect(answer.getByRole('status')).toHaveText('Recorded. The customer now sees it next to their answer.');
  await expectAccessible(staffPage);
  await staffContext.close();

  // The customer sees it beside the answer in the history, in their language.
  await page.goto('/history?kind=survey_answer');
  const row = page.locator('.history-row.kind-survey_answer').filter({ hasText: 'effort' }).first();
  await expect(row.locator('.h-status')).toHaveText('We responded');
  await row.getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your survey answer' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'What we did' })).toContainText(did);
  await expect(page.getByRole('region', { name: 'You said' }).getByRole('definition').first()).toHaveText('2');
  await expectAccessible(page);
  await page.getByLabel('Language').selectOption('nl');
  await expect(page.getByRole('heading', { level: 1, name: 'Uw antwoord op de vragenlijst' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Wat wij deden' })).toContainText(did);
  await page.getByLabel('Taal').selectOption('de');
  await expect(page.getByRole('heading', { level: 1, name: 'Ihre Umfrageantwort' })).toBeVisible();
  await page.getByLabel('Sprache').selectOption('en');

  await customer.dispose();
  await staff.dispose();
});

test.describe('staff pages', () => {
  test.use({ expectedLoadFailures: [403] });

  test('a customer cannot open them', async ({ page }) => {
    await signIn(page);
    await page.goto('/staff');
    await expect(page.getByRole('alert')).toHaveText('This page is for staff only.');
  });
});

test("staff read why a customer is in their phase in the page's language", async ({ page }) => {
  await signIn(page, STAFF);
  const customers = await (await page.request.get('/api/v1/staff/customers')).json();
  const demo = (customers.customers ?? customers).find((c) => c.email === DEMO.email);
  const detail = await (await page.request.get(`/api/v1/staff/customers/${demo.id}`)).json();
  const reasons = detail.relationship.reasons;
  expect(reasons.length).toBeGreaterThan(0);
  await page.goto(`/staff/customers/${demo.id}`);
  const list = page.locator('section[aria-labelledby=phase] li');
  await expect(list).toHaveCount(reasons.length);
  const facts = (detail) => detail.replace(/\d{4}-\d{2}-\d{2}/g, '').match(/\d+/g) ?? [];
  // Every reason is read (none is shown as untranslated), and its facts stay in every language.
  for (const [lang, word] of [['en', /order|customer|commitment|complaint/], ['nl', /bestelling|klant|betrokkenheid|klacht/], ['de', /Bestellung|Kunde|Bindung|Beschwerde/]]) {
    if (lang !== 'en') await page.getByLabel(lang === 'nl' ? 'Language' : 'Taal').selectOption(lang);
    await expect(list.first()).toHaveText(word);
    await expect(page.locator('main [data-untranslated]')).toHaveCount(0);
    const shown = await list.allTextContents();
    reasons.forEach((r, i) => {
      if (lang !== 'en') expect(shown[i]).not.toBe(r.detail);
      for (const n of facts(r.detail)) expect(shown[i]).toContain(n);
    });
  }
  await expectAccessible(page);
});
