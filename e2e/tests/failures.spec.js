// The portal under a failing backend: clear, retryable messages, never a blank page or a panic.
import { test, expect, signIn, DEMO } from './fixtures.js';

test.use({ locale: 'en-GB' });

async function failOverviewOnce(page, fulfil) {
  let failed = false;
  await page.route('**/api/v1/overview', async (route) => {
    if (failed) return route.continue();
    failed = true;
    await fulfil(route);
  });
}

test.describe('server errors', () => {
  test.use({ expectedLoadFailures: [500, 502] });

  test('a 500 shows a retryable error, and retry loads the data', async ({ page }) => {
    await failOverviewOnce(page, (route) =>
      route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":{"code":"internal","message":"x"}}' }),
    );
    await signIn(page);
    const alert = page.getByRole('alert').filter({ hasText: 'Something went wrong' });
    await expect(alert).toContainText('The server had a problem');
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect(page.getByTestId('customer-name')).toHaveText(`Welcome, ${DEMO.name}`);
  });

  test('an HTML 502 from a proxy is handled like any server error', async ({ page }) => {
    await failOverviewOnce(page, (route) =>
      route.fulfill({ status: 502, contentType: 'text/html', body: '<html><body>Bad gateway</body></html>' }),
    );
    await signIn(page);
    await expect(page.getByRole('alert').filter({ hasText: 'Something went wrong' })).toContainText('server had a problem');
  });
});

test('malformed JSON and wrong types are reported, not a blank page', async ({ page }) => {
  await failOverviewOnce(page, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"customer": {"id": "one"' }));
  await signIn(page);
  await expect(page.getByRole('alert').filter({ hasText: 'Something went wrong' })).toContainText(
    'an answer we did not understand',
  );
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByTestId('order-count')).toHaveText('You have placed 240 orders.');
});

test.describe('unreachable server', () => {
  test.use({ expectedLoadFailures: ['net::ERR_INTERNET_DISCONNECTED', 'net::ERR_CONNECTION_REFUSED'] });

  test('offline: a network message and a working retry', async ({ page }) => {
    await failOverviewOnce(page, (route) => route.abort('internetdisconnected'));
    await signIn(page);
    await expect(page.getByRole('alert').filter({ hasText: 'Something went wrong' })).toContainText(
      'cannot reach the server',
    );
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect(page.getByTestId('customer-name')).toBeVisible();
  });

  test('the session check at start-up failing offers a retry instead of a blank page', async ({ page }) => {
    let failed = false;
    await page.route('**/api/v1/session', async (route) => {
      if (!failed && route.request().method() === 'GET') {
        failed = true;
        return route.abort('connectionrefused');
      }
      return route.continue();
    });
    await page.goto('/');
    await expect(page.getByRole('alert')).toContainText('cannot reach the server');
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
  });
});

test.describe('expired session', () => {
  test.use({ expectedLoadFailures: [401] });

  test('a session that ends mid-visit sends the customer to sign in', async ({ page, context }) => {
    await signIn(page);
    await expect(page.getByTestId('customer-name')).toBeVisible();
    await context.clearCookies();
    await page.reload();
    await expect(page).toHaveURL(/\/sign-in$/);
  });
});

test.describe('lost answer', () => {
  test.use({ expectedLoadFailures: ['net::ERR_CONNECTION_RESET'] });

  // The server files the request, then the connection breaks before the answer arrives: sending again
  // must not file it twice (the portal repeats the submission's Idempotency-Key).
  test('a request sent again after its answer was lost is filed once', async ({ page }) => {
    const reason = `Lost answer ${Date.now()}`;
    const keys = [];
    await page.route('**/api/v1/requests', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      keys.push(await route.request().headerValue('idempotency-key'));
      if (keys.length > 1) return route.continue();
      const handled = await route.fetch();
      expect(handled.status()).toBe(201);
      await route.abort('connectionreset');
    });
    await signIn(page);
    await page.goto('/history?kind=order');
    await page.locator('.history-row.kind-order .h-ref a').first().click();
    await page.getByRole('link', { name: 'Make a complaint' }).click();
    await page.getByLabel('Reason').fill(reason);
    await page.getByRole('button', { name: 'Send request' }).click();
    await expect(page.getByRole('alert')).toContainText('cannot reach the server');
    await page.getByRole('button', { name: 'Send request' }).click();
    await expect(page).toHaveURL(/\/requests\?sent=1$/);

    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[A-Za-z0-9_-]{8,128}$/);
    expect(keys[1]).toBe(keys[0]);
    const filed = await (await page.request.get('/api/v1/requests')).json();
    expect(filed.filter((r) => r.reason === reason)).toHaveLength(1);
  });
});
