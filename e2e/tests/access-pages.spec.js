// The pages for getting back in: forgot password, first access and setting a password through a link.
// Each renders accessibly at 360, 390 and 1280 px in en, nl and de; the whole way through runs once by
// keyboard alone (desktop) and once by touch (phone), on a server of its own whose output holds the link.
import os from 'node:os';
import path from 'node:path';
import { test, expect, expectAccessible, DEMO } from './fixtures.js';
import { startServer, stopServer } from './own-server.js';
import { WIDTHS, screen, expectNoSidewaysScroll, tabTo } from './screens.js';

// Not the privacy spec's (+7): the two may run at the same time in two workers.
const OWN_PORT = Number(process.env.E2E_PORT ?? 18181) + 8;

const TEXT = {
  en: {
    forgotLink: 'Forgot your password?', forgot: 'Forgot your password', access: 'Get access to your account',
    send: 'Send the link', sent: 'a link is on its way', set: 'Choose a new password',
    setButton: 'Set password and sign in', expired: 'This link has expired or was used already.',
  },
  nl: {
    forgotLink: 'Wachtwoord vergeten?', forgot: 'Wachtwoord vergeten', access: 'Toegang tot uw account',
    send: 'Link versturen', sent: 'is er een link onderweg', set: 'Kies een nieuw wachtwoord',
    setButton: 'Wachtwoord instellen en aanmelden', expired: 'Deze link is verlopen of al gebruikt.',
  },
  de: {
    forgotLink: 'Passwort vergessen?', forgot: 'Passwort vergessen', access: 'Zugang zu Ihrem Konto',
    send: 'Link senden', sent: 'ist ein Link unterwegs', set: 'Neues Passwort wählen',
    setButton: 'Passwort festlegen und anmelden', expired: 'Dieser Link ist abgelaufen oder wurde schon benutzt.',
  },
};

// Well formed, but no link has it: the page shows its form and the server answers 410.
const UNKNOWN_TOKEN = 'ab'.repeat(32);

for (const width of Object.values(WIDTHS)) {
  for (const lang of Object.keys(TEXT)) {
    test.describe(`${lang} at ${width.name}`, () => {
      test.use({ ...screen(width, lang), expectedLoadFailures: [410] });
      test('the ask-for-a-link pages and the set-password page, with axe', async ({ page }) => {
        const t = TEXT[lang];
        for (const [where, title] of [['/forgot-password', t.forgot], ['/get-access', t.access]]) {
          await page.goto(where);
          await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
          await expect(page.getByRole('button', { name: t.send })).toBeVisible();
          await expectNoSidewaysScroll(page);
          await expectAccessible(page);
        }
        await page.goto(`/set-password#token=${UNKNOWN_TOKEN}`);
        await expect(page).toHaveURL(/\/set-password$/);
        await expect(page.getByRole('heading', { level: 1, name: t.set })).toBeVisible();
        await page.locator('#set-password').fill('a much better secret');
        await expectNoSidewaysScroll(page);
        await expectAccessible(page);
        await page.getByRole('button', { name: t.setButton }).click();
        await expect(page.getByRole('alert').filter({ hasText: t.expired })).toBeVisible();
        await expectAccessible(page);
      });
    });
  }
}

/** Moving through a page by keyboard alone (Tab, then Enter or Space) or by touch. */
const HANDS = {
  keyboard: {
    async activate(page, target, key = 'Enter') {
      await tabTo(page, target);
      await page.keyboard.press(key);
    },
    async type(page, target, text) {
      await tabTo(page, target);
      await page.keyboard.type(text);
    },
    // Enter in the last field sends the form.
    async submit(page) {
      await page.keyboard.press('Enter');
    },
  },
  touch: {
    async activate(page, target) {
      await target.tap();
    },
    async type(page, target, text) {
      await target.tap();
      await target.fill(text);
    },
    async submit(page, button) {
      await button.tap();
    },
  },
};

const JOURNEYS = [
  { hands: 'keyboard', width: WIDTHS.desktop, lang: 'en' },
  { hands: 'touch', width: WIDTHS[360], lang: 'de' },
];

test.describe('forgot password → link from the server\'s output → new password → signed in', () => {
  // The second use of the link is refused with 410, which the browser logs.
  test.use({ expectedLoadFailures: [410] });
  for (const journey of JOURNEYS) {
    test(`by ${journey.hands} (${journey.lang}, ${journey.width.name})`, async ({ browser }) => {
      test.setTimeout(60_000);
      const hands = HANDS[journey.hands];
      const t = TEXT[journey.lang];
      const db = path.join(os.tmpdir(), `rapport-e2e-access-${Date.now()}-${process.pid}.db`);
      const server = await startServer(OWN_PORT, db);
      const context = await browser.newContext(
        screen(journey.width, journey.lang, { baseURL: `http://127.0.0.1:${OWN_PORT}` }),
      );
      const page = await context.newPage();
      try {
        await page.goto('/sign-in');
        await hands.activate(page, page.getByRole('link', { name: t.forgotLink }));
        await expect(page).toHaveURL(/\/forgot-password$/);
        await hands.type(page, page.locator('#link-email'), DEMO.email);
        await hands.activate(page, page.getByRole('button', { name: t.send }), 'Space');
        await expect(page.getByRole('status').filter({ hasText: t.sent })).toBeVisible();
        await expectAccessible(page);
        // An unknown address gets the very same answer.
        const unknown = await page.request.post('/api/v1/password-reset', { data: { email: 'nobody@example.test' } });
        expect(unknown.status()).toBe(202);

        let link;
        await expect(async () => {
          link = server.output().match(/http:\/\/127\.0\.0\.1:\d+\/set-password#token=[0-9a-f]{64}/)?.[0];
          expect(link).toBeTruthy();
        }).toPass();
        expect(server.output().match(/set-password#token=/g)).toHaveLength(1);
        await page.goto(link);
        // The token leaves the address bar at once.
        await expect(page).toHaveURL(/\/set-password$/);
        const field = page.locator('#set-password');
        const button = page.getByRole('button', { name: t.setButton });
        await hands.type(page, field, 'a much better secret');
        await hands.submit(page, button);
        await expect(page).not.toHaveURL(/\/set-password/);
        // Signed in: the overview welcomes her by name.
        await expect(page.getByRole('main')).toContainText(DEMO.name.split(' ')[0]);
        expect((await page.request.get('/api/v1/me')).status()).toBe(200);
        // The link works once.
        await page.goto(link);
        await hands.type(page, field, 'yet another secret');
        await hands.submit(page, button);
        await expect(page.getByRole('alert').filter({ hasText: t.expired })).toBeVisible();
      } finally {
        await context.close();
        await stopServer(server);
      }
    });
  }
});
