// Amounts, dates and times from the browser's Intl, and the backend's codes in words, in en, nl and de.
import { test, expect, expectAccessible, signIn } from './fixtures.js';

test.use({ expectedLoadFailures: [404] });

const LANGS = {
  en: {
    money: /^-?€\d{1,3}(,\d{3})*\.\d{2}$/,
    date: /^[A-Z][a-z]{2} \d{1,2}, \d{4}$/,
    methods: ['iDEAL', 'Card', 'PayPal', 'Bank transfer'],
    notes: ['Request received', 'Complaint received'],
    preferences: 'Preferences',
  },
  nl: {
    money: /^€ -?\d{1,3}(\.\d{3})*,\d{2}$/,
    date: /^\d{1,2} [a-z]{3}\.? \d{4}$/,
    methods: ['iDEAL', 'Betaalkaart', 'PayPal', 'Bankoverschrijving'],
    notes: ['Aanvraag ontvangen', 'Klacht ontvangen'],
    preferences: 'Voorkeuren',
  },
  de: {
    money: /^-?\d{1,3}(\.\d{3})*,\d{2} €$/,
    date: /^\d{2}\.\d{2}\.\d{4}$/,
    methods: ['iDEAL', 'Karte', 'PayPal', 'Banküberweisung'],
    notes: ['Anfrage eingegangen', 'Beschwerde eingegangen'],
    preferences: 'Einstellungen',
  },
};

/** Text with Intl's no-break spaces as plain spaces. */
const plain = (text) => text.replace(/[\u00a0\u202f]/g, ' ').trim();

for (const [lang, want] of Object.entries(LANGS)) {
  test(`amounts, dates and codes in ${lang}`, async ({ page }) => {
    await signIn(page);
    await page.getByLabel('Language').selectOption(lang);

    // The history: grouped amounts, dates with the year, payment methods and statuses in words.
    await page.goto('/history?kind=payment,invoice,request,contact');
    const rows = page.locator('.history-row');
    await expect(rows.first()).toBeVisible();
    const amounts = (await page.locator('.history-row .h-amount').allTextContents()).map(plain).filter(Boolean);
    expect(amounts.length).toBeGreaterThan(5);
    for (const amount of amounts) expect(amount).toMatch(want.money);
    const dates = (await page.locator('.history-row .h-date time').allTextContents()).map(plain);
    for (const date of dates) expect(date).toMatch(want.date);
    const methods = (await page.locator('.history-row.kind-payment .h-ref a').allTextContents()).map(plain);
    expect(methods.length).toBeGreaterThan(0);
    for (const method of methods) expect(want.methods).toContain(method);
    await expect(page.locator('.history-row [data-untranslated]')).toHaveCount(0);

    // Requests: statuses and the progress notes in the customer's language.
    await page.goto('/requests');
    const events = page.locator('ol.events li');
    await expect(events.first()).toBeVisible();
    const notes = (await events.allTextContents()).join('\n');
    expect(want.notes.some((note) => notes.includes(note))).toBe(true);
    await expect(page.locator('main [data-untranslated]')).toHaveCount(0);
    await expectAccessible(page);
  });
}

test.describe('in a browser set to another zone', () => {
  // Tokyo, so that a time in the browser's zone could not pass for one in the customer's.
  test.use({ timezoneId: 'Asia/Tokyo' });

  test("carrier updates show their time in the customer's zone from the first page on", async ({ page }) => {
    await signIn(page);
    await page.getByLabel('Language').selectOption('de');
    const history = await (await page.request.get('/api/v1/history?kind=shipment&status=delivered&limit=1')).json();
    const orderId = history.entries[0].order_id;
    // Straight to the order: the preference centre has not been opened in this visit.
    await page.goto(`/orders/${orderId}`);
    const times = page.locator('.shipment ol.events time');
    await expect(times.first()).toBeVisible();
    // The demo customer's zone is Europe/Amsterdam (MEZ/MESZ in German), not the browser's.
    await expect.poll(async () => (await times.allTextContents()).map(plain).every((t) => /^\d{1,2}\. [^,]+ \d{4}, \d{2}:\d{2} MES?Z$/.test(t))).toBe(true);
    await expect(page.locator('.shipment [data-untranslated]')).toHaveCount(0);
    await expect(page.locator('.shipment')).toContainText('Zugestellt');
  });
});
