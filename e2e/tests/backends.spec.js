// The portal, unchanged, against backends that are not the reference one: a Medusa-v2-shaped store
// (through the `medusa` preset, answered by a stub with recorded-shape fixtures) and json-server with data
// of its own shape (through a mapping configuration only). Also: a broken configuration gives a page that
// lists its problems. Each test runs its own portal server, whose CSP follows the configuration it serves.
import path from 'node:path';
import fs from 'node:fs';
import { test, expect, expectAccessible } from './fixtures.js';
import { portalWithConfig, startJsonServer } from './backends.js';
import { startMedusaStub, MEDUSA_CUSTOMER, PUBLISHABLE_KEY } from '../stubs/medusa-stub.mjs';
import { startSpreeStub, SPREE_CUSTOMER } from '../stubs/spree-stub.mjs';

const stubs = path.resolve(import.meta.dirname, '../stubs');

test.describe('Medusa preset', () => {
  let stub;
  let portal;
  test.beforeAll(async () => {
    stub = await startMedusaStub();
    portal = await portalWithConfig({
      preset: 'medusa',
      base_url: stub.url,
      headers: { 'x-publishable-api-key': PUBLISHABLE_KEY },
    });
  });
  test.afterAll(async () => {
    await portal?.close();
    await stub?.close();
  });

  test('signs in with a bearer token and shows the orders list and one order', async ({ page }) => {
    const answer = await page.request.get(`${portal.url}/`);
    expect(answer.headers()['content-security-policy']).toContain(`connect-src 'self' ${stub.url};`);

    await page.goto(`${portal.url}/`);
    await expect(page).toHaveURL(/\/sign-in/);
    await page.getByLabel('E-mail address').fill(MEDUSA_CUSTOMER.email);
    await page.getByLabel('Password').fill(MEDUSA_CUSTOMER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await expect(page.getByTestId('customer-name')).toContainText('Lotte Jansen');
    await expect(page.getByTestId('order-count')).toContainText('3');
    await expect(page.locator('.order-number')).toHaveText('2417');
    // What a Medusa store does not have is not offered; its returns are.
    const nav = page.getByRole('navigation', { name: 'Main', exact: true });
    await expect(nav.getByRole('link', { name: 'History' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Preferences' })).toHaveCount(0);
    await expect(nav.getByRole('link', { name: 'Your details' })).toHaveCount(0);
    await expect(nav.getByRole('link', { name: 'Requests' })).toBeVisible();
    await expectAccessible(page);

    await nav.getByRole('link', { name: 'History' }).click();
    const list = page.getByRole('region', { name: /history/i });
    await expect(list.getByRole('link', { name: '2417' })).toBeVisible();
    await expect(list.getByRole('link', { name: '2306' })).toBeVisible();
    await expect(list.getByRole('link', { name: '2188' })).toBeVisible();
    await expect(page.getByTestId('history-total')).toContainText('3');
    await expectAccessible(page);

    await list.getByRole('link', { name: '2417' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('2417');
    await expect(page.getByRole('cell', { name: 'Linen apron' })).toBeVisible();
    await expect(page.getByRole('cell', { name: 'Beeswax wraps' })).toBeVisible();
    await expect(page.getByText('Oudegracht 118, 3511 AX, Utrecht, nl')).toBeVisible();
    // Its return, read from the order's `returns` (Medusa's `requested` is the portal's `submitted`).
    const returns = page.getByRole('region', { name: /requests about this order/i });
    await expect(returns.getByRole('listitem')).toHaveText(['Return — Received']);
    await expectAccessible(page);

    // All returns, each order's gathered into one list; Medusa's `received` is closed (`resolved`).
    await nav.getByRole('link', { name: 'Requests' }).click();
    const open = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Return · 2417' }) });
    await expect(open.locator('.status').first()).toHaveText('Received');
    await expect(open.getByText('Changed my mind')).toBeVisible();
    await expect(open.getByText('One set is enough after all')).toBeVisible();
    const done = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Return · 2306' }) });
    await expect(done.locator('.status').first()).toHaveText('Resolved');
    await expect(done.getByText('Arrived damaged')).toBeVisible();
    await expectAccessible(page);
    await done.getByRole('link', { name: 'View order' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('2306');
    await expect(
      page.getByRole('region', { name: /requests about this order/i }).getByRole('listitem'),
    ).toHaveText(['Return — Resolved']);

    // The store saw the key and the token; the token never reached web storage.
    const orderCall = stub.requests.find(
      (r) => r.method === 'GET' && r.path === '/store/orders/order_01JK3N7QF2ZP8C4D5E6F7G8H9J',
    );
    expect(orderCall.headers.authorization).toMatch(/^Bearer .+/);
    expect(orderCall.headers['x-publishable-api-key']).toBe(PUBLISHABLE_KEY);
    // Returns came with the orders, asked for through `fields`.
    expect(stub.requests.some((r) => r.path.startsWith('/store/orders?') && r.path.includes('*returns'))).toBe(true);
    const token = orderCall.headers.authorization.slice('Bearer '.length);
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
    expect(stored).not.toContain(token);

    // A reload forgets the in-memory token: signed out, not broken.
    await page.reload();
    await expect(page).toHaveURL(/\/sign-in/);
  });
});

test.describe('Spree preset (JSON:API)', () => {
  let stub;
  let portal;
  test.beforeAll(async () => {
    stub = await startSpreeStub();
    portal = await portalWithConfig({ preset: 'spree', base_url: stub.url });
  });
  test.afterAll(async () => {
    await portal?.close();
    await stub?.close();
  });

  test('signs in with an OAuth password grant; overview, history and an order with items and shipment', async ({ page }) => {
    await page.goto(`${portal.url}/`);
    await expect(page).toHaveURL(/\/sign-in/);
    await page.getByLabel('E-mail address').fill(SPREE_CUSTOMER.email);
    await page.getByLabel('Password').fill(SPREE_CUSTOMER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await expect(page.getByTestId('customer-name')).toContainText('Joris Vermeulen');
    await expect(page.getByTestId('order-count')).toContainText('3');
    await expect(page.locator('.order-number')).toHaveText('R318842771');
    await expect(page.getByTestId('unread-notice')).toHaveCount(0);
    await expectAccessible(page);

    const nav = page.getByRole('navigation', { name: 'Main', exact: true });
    await expect(nav.getByRole('link', { name: 'Requests' })).toHaveCount(0);
    await nav.getByRole('link', { name: 'History' }).click();
    const list = page.getByRole('region', { name: /history/i });
    for (const number of ['R318842771', 'R520190364', 'R104477820']) {
      await expect(list.getByRole('link', { name: number })).toBeVisible();
    }
    await expectAccessible(page);

    await list.getByRole('link', { name: 'R318842771' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('R318842771');
    await expect(page.getByRole('cell', { name: 'Wool blanket, moss green' })).toBeVisible();
    await expect(page.getByRole('cell', { name: 'Linen napkins, set of 4' })).toBeVisible();
    await expect(page.getByRole('heading', { name: /H27716453.*3SABCD1234567/ })).toBeVisible();
    // The shipping address, found through the order's relationship in `included`.
    await expect(page.getByText('Lindengracht 112, 1015 KK, Amsterdam, NL')).toBeVisible();
    await expectAccessible(page);

    // The grant went to the token endpoint as JSON; the token came back on every call and was asked
    // for the order with its line items, shipments and shipping address included.
    const grant = stub.requests.find((r) => r.method === 'POST' && r.path === '/spree_oauth/token');
    expect(grant).toBeTruthy();
    const orderCall = stub.requests.find(
      (r) => r.method === 'GET' && r.path.startsWith('/api/v2/storefront/account/orders/R318842771'),
    );
    expect(orderCall.path).toContain('include=line_items,shipments,shipping_address');
    expect(orderCall.headers.authorization).toMatch(/^Bearer .+/);
  });
});

test.describe('json-server through a mapping', () => {
  let backend;
  let portal;
  test.beforeAll(async () => {
    backend = await startJsonServer(path.join(stubs, 'json-server/db.json'));
    const config = JSON.parse(fs.readFileSync(path.join(stubs, 'json-server/rapport.config.json'), 'utf8'));
    config.base_url = backend.url;
    portal = await portalWithConfig(config);
  });
  test.afterAll(async () => {
    await portal?.close();
    await backend?.close();
  });

  test('shows orders of a differently shaped backend, unchanged portal', async ({ page }) => {
    await page.goto(`${portal.url}/`);
    await expect(page.getByTestId('customer-name')).toContainText('Noor Bakker');
    await expect(page.locator('.order-number')).toHaveText('NB-501');
    await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
    await expectAccessible(page);

    await page.getByRole('navigation', { name: 'Main', exact: true }).getByRole('link', { name: 'History' }).click();
    const list = page.getByRole('region', { name: /history/i });
    for (const number of ['NB-501', 'NB-488', 'NB-460']) {
      await expect(list.getByRole('link', { name: number })).toBeVisible();
    }
    // Another customer's order in the same database is not listed.
    await expect(list.getByText('XX-900')).toHaveCount(0);
    await expectAccessible(page);

    await list.getByRole('link', { name: 'NB-488' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('NB-488');
    await expect(page.getByRole('cell', { name: 'Candles, pack of 3' })).toBeVisible();
    await expect(page.getByText('Kerkstraat 12, 9711 AB Groningen')).toBeVisible();
    await expectAccessible(page);

    await page.getByRole('navigation', { name: 'Main', exact: true }).getByRole('link', { name: 'Requests' }).click();
    await expect(page.getByText('One candle arrived broken')).toBeVisible();
    await expectAccessible(page);

    // A link straight to an order (no list seen yet in this page load) still finds it.
    await page.goto(`${portal.url}/orders/501`);
    await expect(page.getByRole('cell', { name: 'Desk lamp, brass' })).toBeVisible();
  });
});

test.describe('json-server with records the mapping cannot read', () => {
  // db-bad-records.json: db.json plus NB-470 (newest by date, not by id; one of its lines has "two" as
  // quantity) and three orders the mapping cannot read: NB-512 (an ISO date where %d/%m/%Y is
  // configured), NB-509 (state LOST, not in the value map), NB-505 (12.505 euros).
  let backend;
  let portal;
  test.beforeAll(async () => {
    backend = await startJsonServer(path.join(stubs, 'json-server/db-bad-records.json'));
    const config = JSON.parse(fs.readFileSync(path.join(stubs, 'json-server/rapport.config.json'), 'utf8'));
    config.base_url = backend.url;
    portal = await portalWithConfig(config);
  });
  test.afterAll(async () => {
    await portal?.close();
    await backend?.close();
  });

  test('shows the good records, names the left-out ones, orders by date', async ({ page }) => {
    const warnings = [];
    page.on('console', (message) => {
      if (message.type() === 'warning') warnings.push(message.text());
    });
    await page.goto(`${portal.url}/`);
    await expect(page.getByTestId('customer-name')).toContainText('Noor Bakker');
    // The newest order by its date, although the backend lists it by id.
    await expect(page.locator('.order-number')).toHaveText('NB-470');
    await expect(page.getByTestId('order-count')).toContainText('4');
    const notice = page.getByTestId('unread-notice');
    await expect(notice).toContainText('3 orders could not be read');
    await notice.getByText('Which ones, and why').click();
    const left = notice.getByRole('listitem');
    await expect(left).toHaveCount(3);
    await expect(left.filter({ hasText: '\u201c512\u201d' })).toContainText('placed_at');
    await expect(left.filter({ hasText: '\u201c512\u201d' })).toContainText('%d/%m/%Y');
    await expect(left.filter({ hasText: '\u201c509\u201d' })).toContainText('LOST');
    await expect(left.filter({ hasText: '\u201c505\u201d' })).toContainText('12.505');
    await expectAccessible(page);
    // The same details are in the browser console.
    for (const id of ['512', '509', '505']) {
      expect(warnings.some((w) => w.includes(`order "${id}" left out`))).toBe(true);
    }

    await page.getByRole('navigation', { name: 'Main', exact: true }).getByRole('link', { name: 'History' }).click();
    const list = page.getByRole('region', { name: /history/i });
    await expect(page.getByTestId('history-total')).toContainText('4');
    await expect(list.getByRole('link')).toHaveText(['NB-470', 'NB-501', 'NB-488', 'NB-460']);
    await expect(page.getByTestId('unread-notice')).toContainText('3 orders could not be read');
    await expectAccessible(page);

    await list.getByRole('link', { name: 'NB-470' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('NB-470');
    await expect(page.getByRole('cell', { name: 'Tea towels, pair' })).toBeVisible();
    const lines = page.getByTestId('unread-notice');
    await expect(lines).toContainText('1 order line could not be read');
    await lines.getByText('Which ones, and why').click();
    await expect(lines.getByRole('listitem')).toContainText('/lines/1/qty');
    await expectAccessible(page);
  });
});

test.describe('configuration changed while the server runs', () => {
  let backend;
  let portal;
  test.beforeAll(async () => {
    backend = await startJsonServer(path.join(stubs, 'json-server/db.json'));
  });
  test.afterAll(async () => {
    await portal?.close();
    await backend?.close();
  });

  test('the CSP and the portal follow a new rapport.config.json without a restart', async ({ page }) => {
    const config = JSON.parse(fs.readFileSync(path.join(stubs, 'json-server/rapport.config.json'), 'utf8'));
    // First a backend address where nothing listens (and that the CSP therefore allows instead).
    portal = await portalWithConfig({ ...config, base_url: 'http://127.0.0.1:9' });
    let answer = await page.request.get(`${portal.url}/`);
    expect(answer.headers()['content-security-policy']).toContain("connect-src 'self' http://127.0.0.1:9;");

    portal.write({ ...config, base_url: backend.url });
    answer = await page.request.get(`${portal.url}/`);
    expect(answer.headers()['content-security-policy']).toContain(`connect-src 'self' ${backend.url};`);
    expect(answer.headers()['content-security-policy']).not.toContain('http://127.0.0.1:9;');
    await page.goto(`${portal.url}/`);
    await expect(page.getByTestId('customer-name')).toContainText('Noor Bakker');
  });
});

test.describe('a backend the page may not call', () => {
  // The browser reports the blocked calls on its console; that is the point here.
  test.use({
    expectedLoadFailures: [
      `contains: violates the following Content Security Policy directive: "connect-src 'self'"`,
      "contains: Refused to connect because it violates the document's Content Security Policy",
    ],
  });
  let backend;
  let portal;
  test.beforeAll(async () => {
    backend = await startJsonServer(path.join(stubs, 'json-server/db.json'));
    const config = JSON.parse(fs.readFileSync(path.join(stubs, 'json-server/rapport.config.json'), 'utf8'));
    portal = await portalWithConfig({ ...config, base_url: backend.url });
  });
  test.afterAll(async () => {
    await portal?.close();
    await backend?.close();
  });

  test('a call the CSP blocks is named as blocked, not as offline', async ({ page }) => {
    // As a web server that was not told about the backend would serve the page.
    await page.route(`${portal.url}/`, async (route) => {
      const response = await route.fetch();
      const headers = response.headers();
      headers['content-security-policy'] = headers['content-security-policy'].replace(` ${backend.url}`, '');
      await route.fulfill({ response, headers });
    });
    await page.goto(`${portal.url}/`);
    const alert = page.getByRole('alert');
    await expect(alert).toContainText(`blocked the call to ${backend.url}`);
    await expect(alert).not.toContainText('Check your connection');
    await expectAccessible(page);
  });
});

test.describe('broken configuration', () => {
  let portal;
  test.beforeAll(async () => {
    portal = await portalWithConfig({
      base_url: 'ftp://shop.example',
      auth: { mode: 'bearer' },
      resources: {
        customer: { endpoint: '/me', fields: { id: '/id', name: '/name', email: '/email' } },
        orders: {
          endpoint: '/orders',
          fields: {
            id: '/id',
            placed_at: '/at',
            status: { pointer: '/state', values: {} },
            total: '/total',
            currency: '/currency',
          },
        },
        order: { endpoint: '/orders', fields: {} },
      },
    });
  });
  test.afterAll(async () => {
    await portal?.close();
  });

  test('lists each problem on an accessible page instead of starting', async ({ page }) => {
    await page.goto(`${portal.url}/`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('This portal is not set up correctly');
    const problems = page.getByTestId('config-problems').getByRole('listitem');
    await expect(problems.filter({ hasText: 'base_url' })).toHaveCount(1);
    await expect(problems.filter({ hasText: 'auth.sign_in' })).toContainText('required');
    await expect(problems.filter({ hasText: 'resources.orders.fields.status.values' })).toContainText(
      'value map is empty',
    );
    await expect(problems.filter({ hasText: 'resources.order.endpoint' })).toContainText('{id}');
    expect(await problems.count()).toBeGreaterThanOrEqual(8);
    await expectAccessible(page);
  });
});
