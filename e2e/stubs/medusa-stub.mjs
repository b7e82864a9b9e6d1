// A tiny stand-in for a Medusa v2 Store API on loopback, answering with recorded-shape fixtures
// (medusa/*.json, our own data). It checks what a real store checks that matters to the portal: the
// publishable key header, the bearer token from sign-in, and that a customer sees only their orders.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

const fixture = (name) => JSON.parse(readFileSync(new URL(`./medusa/${name}`, import.meta.url), 'utf8'));

export const MEDUSA_CUSTOMER = { email: 'lotte.jansen@example.test', password: 'medusa-demo' };
export const PUBLISHABLE_KEY = 'pk_01JSTUBKEY0000000000000000';

/** Starts the stub on 127.0.0.1 (port 0: any free port). Resolves to { url, requests, close }. */
export function startMedusaStub(port = 0) {
  const customer = fixture('customer.json');
  const orders = fixture('orders.json');
  const tokens = new Set();
  const requests = [];

  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://stub');
    requests.push({ method: req.method, path: url.pathname + url.search, headers: req.headers });
    const send = (status, body) => {
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'access-control-allow-origin': req.headers.origin ?? '*',
        'access-control-allow-headers': 'authorization, content-type, x-publishable-api-key',
        'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
        vary: 'Origin',
      });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    if (req.method === 'OPTIONS') return send(204);

    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
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
        const token = randomBytes(24).toString('base64url');
        tokens.add(token);
        return send(200, { token });
      }
      if (!url.pathname.startsWith('/store/')) return send(404, { type: 'not_found', message: 'Not found' });
      if (req.headers['x-publishable-api-key'] !== PUBLISHABLE_KEY) {
        return send(400, { type: 'not_allowed', message: 'Publishable API key required' });
      }
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!bearer || !tokens.has(bearer)) return send(401, { type: 'unauthorized', message: 'Unauthorized' });

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
    });
  });

  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        requests,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}

// Standalone: `node e2e/stubs/medusa-stub.mjs 9000`, to try the Medusa preset by hand.
if (import.meta.url === `file://${process.argv[1]}`) {
  const stub = await startMedusaStub(Number(process.argv[2] ?? 9000));
  console.log(`Medusa stub on ${stub.url} (sign in as ${MEDUSA_CUSTOMER.email} / ${MEDUSA_CUSTOMER.password})`);
}
