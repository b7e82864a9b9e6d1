// A direct load of the overview or an order starts the page's first reads with its route, so that
// the answers arrive while the page's pack downloads, and the page then uses them instead of asking
// again (issue 16). The history's heading paints before its pack has arrived.
import { test, expect, signIn, DEMO } from './fixtures.js';

test.use({ locale: 'en-GB' });

/** Holds back the download of one page group's pack until the returned function is called. */
async function holdPack(page, group) {
  let release;
  const released = new Promise((resolve) => (release = resolve));
  await page.route(new RegExp(`/split_${group}-[0-9a-f]+\\.wasm$`), async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

/** The API reads (path and query) the page makes from now on. */
function apiReads(page) {
  const reads = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (request.method() === 'GET' && url.pathname.startsWith('/api/v1/')) reads.push(url.pathname + url.search);
  });
  return reads;
}

const count = (reads, wanted) => reads.filter((r) => r === wanted).length;

async function firstOrder(page) {
  const response = await page.request.get('/api/v1/history?kind=order&limit=1');
  const [entry] = (await response.json()).entries;
  expect(entry, 'the demo data has an order').toBeTruthy();
  return entry.order_id;
}

test("an order's read starts before its pack has arrived, and the page uses that one answer", async ({ page }) => {
  await signIn(page);
  const id = await firstOrder(page);
  const release = await holdPack(page, 'orders');
  const reads = apiReads(page);
  await page.goto(`/orders/${id}`);
  await expect.poll(() => count(reads, `/api/v1/orders/${id}`), 'read while the pack is held back').toBe(1);
  release();
  await expect(page.getByRole('heading', { level: 1, name: /^Order / })).toBeVisible();
  await expect(page.locator('main table').first()).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(count(reads, `/api/v1/orders/${id}`)).toBe(1);

  // Opened again later (through the history), the page asks the server anew.
  await page.goto('/history');
  await page.goto(`/orders/${id}`);
  await expect(page.locator('main table').first()).toBeVisible();
  await expect.poll(() => count(reads, `/api/v1/orders/${id}`)).toBe(2);
});

test("the overview's two reads start before its pack has arrived and are each made once", async ({ page }) => {
  await signIn(page);
  const release = await holdPack(page, 'home');
  const reads = apiReads(page);
  await page.goto('/');
  await expect.poll(() => count(reads, '/api/v1/overview')).toBe(1);
  await expect.poll(() => count(reads, '/api/v1/relationship')).toBe(1);
  release();
  await expect(page.getByTestId('customer-name')).toHaveText(new RegExp(`^Welcome, ${DEMO.name}`));
  await page.waitForLoadState('networkidle');
  expect(count(reads, '/api/v1/overview')).toBe(1);
  expect(count(reads, '/api/v1/relationship')).toBe(1);
});

test("the history's heading paints before its pack has arrived, once, with the page's title", async ({ page }) => {
  await signIn(page);
  const release = await holdPack(page, 'history');
  await page.goto('/history?kind=order');
  // The heading is in the first download: it is there while the list's pack is still held back.
  await expect(page.getByRole('heading', { level: 1, name: 'Account history' })).toBeVisible();
  await expect(page).toHaveTitle(/Account history/);
  await expect(page.getByTestId('history-total')).toHaveCount(0);
  release();
  await expect(page.getByTestId('history-total')).toHaveText(/\d/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
});

test('a signed-out visitor\'s direct load reads nothing ahead; after sign-in the order is read once', async ({ page }) => {
  const probe = await page.request.post('/api/v1/session', { data: DEMO });
  expect(probe.status()).toBe(200);
  const id = await firstOrder(page);
  await page.request.delete('/api/v1/session');
  const reads = apiReads(page);
  await page.goto(`/orders/${id}`);
  await expect(page).toHaveURL(/\/sign-in/);
  await page.waitForLoadState('networkidle');
  // Nobody is signed in: a read of the order would only be refused (and show as an error).
  expect(count(reads, `/api/v1/orders/${id}`)).toBe(0);
  await expect(page).toHaveURL(new RegExp(`/sign-in\\?next=%2F|/sign-in\\?next=/orders/${id}`));
  await page.getByLabel('E-mail address').fill(DEMO.email);
  await page.getByLabel('Password').fill(DEMO.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`/orders/${id}$`));
  await expect(page.getByRole('heading', { level: 1, name: /^Order / })).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(count(reads, `/api/v1/orders/${id}`)).toBe(1);
});

test('the session is checked once per direct load, signed in or not', async ({ page }) => {
  const reads = apiReads(page);
  await page.goto('/sign-in');
  await expect(page.getByLabel('Password')).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(count(reads, '/api/v1/session')).toBe(1);

  await signIn(page);
  reads.length = 0;
  await page.goto('/history');
  await expect(page.getByTestId('history-total')).toHaveText(/\d/);
  await page.waitForLoadState('networkidle');
  expect(count(reads, '/api/v1/session')).toBe(1);
});
