// A small stand-in for Spree's Storefront API v2 on loopback, answering with recorded-shape fixtures
// (spree/*.json, our own data). It checks what matters to the portal: the OAuth password grant, the
// bearer token it hands out, JSON:API paging (page, per_page, meta) and `include`.
import { bearerTokens, fixture as read, serveStub } from './stub-server.mjs';

const fixture = (name) => read('spree', name);

export const SPREE_CUSTOMER = { email: 'joris.vermeulen@example.test', password: 'spree-demo' };

/** Starts the stub on 127.0.0.1 (port 0: any free port). Resolves to { url, requests, close }. */
export function startSpreeStub(port = 0) {
  const account = fixture('account.json');
  const { orders, resources } = fixture('orders.json');
  const tokens = bearerTokens();

  // The resources an order refers to through the relationships named in `include`.
  const included = (list, include) => {
    const wanted = (include ?? '').split(',').filter(Boolean);
    const refs = list.flatMap((order) => wanted.flatMap((name) => order.relationships[name]?.data ?? []));
    return resources.filter((r) => refs.some((ref) => ref.type === r.type && ref.id === r.id));
  };

  return serveStub({
    port,
    contentType: 'application/vnd.api+json',
    allowHeaders: 'authorization, content-type',
    allowMethods: 'GET, POST, OPTIONS',
    route: ({ req, url, raw, send }) => {
      if (req.method === 'POST' && url.pathname === '/spree_oauth/token') {
        let grant = {};
        try {
          grant = JSON.parse(raw);
        } catch {
          return send(400, { error: 'invalid_request', error_description: 'Body is not JSON' });
        }
        if (grant.grant_type !== 'password') return send(400, { error: 'unsupported_grant_type' });
        if (grant.username !== SPREE_CUSTOMER.email || grant.password !== SPREE_CUSTOMER.password) {
          return send(400, { error: 'invalid_grant', error_description: 'The provided authorization grant is invalid.' });
        }
        const token = tokens.issue();
        return send(200, { access_token: token, token_type: 'Bearer', expires_in: 7200, created_at: Math.floor(Date.now() / 1000) });
      }
      if (!url.pathname.startsWith('/api/v2/storefront/')) return send(404, { error: 'The resource you were looking for could not be found.' });
      if (!tokens.holds(req)) return send(401, { error: 'You are not authorized to access this page.' });

      if (req.method === 'GET' && url.pathname === '/api/v2/storefront/account') return send(200, account);
      if (req.method === 'GET' && url.pathname === '/api/v2/storefront/account/orders') {
        const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
        const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 25)));
        const sorted = [...orders].sort((a, b) => Date.parse(b.attributes.completed_at) - Date.parse(a.attributes.completed_at));
        const data = sorted.slice((page - 1) * perPage, page * perPage);
        return send(200, {
          data,
          included: included(data, url.searchParams.get('include')),
          meta: { count: data.length, total_count: orders.length, total_pages: Math.ceil(orders.length / perPage) },
        });
      }
      const one = /^\/api\/v2\/storefront\/account\/orders\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'GET' && one) {
        const order = orders.find((o) => o.attributes.number === decodeURIComponent(one[1]));
        if (!order) return send(404, { error: 'The resource you were looking for could not be found.' });
        return send(200, { data: order, included: included([order], url.searchParams.get('include')) });
      }
      return send(404, { error: 'The resource you were looking for could not be found.' });
    },
  });
}

// Standalone: `node e2e/stubs/spree-stub.mjs 9001`, to try the Spree preset by hand.
if (import.meta.url === `file://${process.argv[1]}`) {
  const stub = await startSpreeStub(Number(process.argv[2] ?? 9001));
  console.log(`Spree stub on ${stub.url} (sign in as ${SPREE_CUSTOMER.email} / ${SPREE_CUSTOMER.password})`);
}
