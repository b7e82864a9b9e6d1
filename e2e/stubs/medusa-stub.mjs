// A tiny stand-in for a Medusa v2 Store API on loopback, answering with recorded-shape fixtures
// (medusa/*.json, our own data). It checks what a real store checks that matters to the portal: the
// publishable key header, the bearer token from sign-in, and that a customer sees only their orders.
import { bearerTokens, fixture as read, serveStub } from './stub-server.mjs';

const fixture = (name) => read('medusa', name);

export const MEDUSA_CUSTOMER = { email: 'lotte.jansen@example.test', password: 'medusa-demo' };
export const PUBLISHABLE_KEY = 'pk_01JSTUBKEY0000000000000000';

/** Starts the stub on 127.0.0.1 (port 0: any free port). Resolves to { url, requests, close }. */
export function startMedusaStub(port = 0) {
  const customer = fixture('customer.json');
  const orders = fixture('orders.json');
  const tokens = bearerTokens();

  return serveStub({
    port,
    contentType: 'application/json',
    allowHeaders: 'authorization, content-type, x-publishable-api-key',
    allowMethods: 'GET, POST, DELETE, OPTIONS',
    route: ({ req, url, raw, send }) => {
      if (req.method === 'POST' && url.pathname === '/auth/customer/emailpass') {
        let login = {};
        try {
          login = JSON.parse(raw);
        } catch {
          return send(400, { type: 'invalid_data', message: 'Invalid JSON' });
        }
        if (login.email !== MEDUSA_CUSTOMER.email || login.password !== MEDUSA_CUSTOMER.password) {
          return send(401, { type: 'unauthorized', message: 'Invalid email or password' });
        }
        const token = tokens.issue();
        return send(200, { token });
      }
      if (!url.pathname.startsWith('/store/')) return send(404, { type: 'not_found', message: 'Not found' });
      if (req.headers['x-publishable-api-key'] !== PUBLISHABLE_KEY) {
        return send(400, { type: 'not_allowed', message: 'Publishable API key required' });
      }
      if (!tokens.holds(req)) return send(401, { type: 'unauthorized', message: 'Unauthorized' });

      // Like Medusa, relations such as returns come only when `fields` asks for them (`*returns`).
      const fields = (url.searchParams.get('fields') ?? '').split(',');
      const shaped = (order) => {
        if (fields.includes('*returns')) return order;
        const { returns, ...rest } = order;
        return rest;
      };

      if (req.method === 'GET' && url.pathname === '/store/customers/me') return send(200, customer);
      if (req.method === 'GET' && url.pathname === '/store/orders') {
        const offset = Number(url.searchParams.get('offset') ?? 0);
        const limit = Number(url.searchParams.get('limit') ?? 50);
        const sorted = [...orders].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
        return send(200, { orders: sorted.slice(offset, offset + limit).map(shaped), count: orders.length, offset, limit });
      }
      const one = /^\/store\/orders\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'GET' && one) {
        const order = orders.find((o) => o.id === decodeURIComponent(one[1]));
        return order ? send(200, { order: shaped(order) }) : send(404, { type: 'not_found', message: 'Order not found' });
      }
      return send(404, { type: 'not_found', message: 'Not found' });
    },
  });
}

// Standalone: `node e2e/stubs/medusa-stub.mjs 9000`, to try the Medusa preset by hand.
if (import.meta.url === `file://${process.argv[1]}`) {
  const stub = await startMedusaStub(Number(process.argv[2] ?? 9000));
  console.log(`Medusa stub on ${stub.url} (sign in as ${MEDUSA_CUSTOMER.email} / ${MEDUSA_CUSTOMER.password})`);
}
