// What the stand-ins for other shops' APIs share: fixtures read from a folder beside this file, an HTTP
// server on loopback that records every request, answers CORS preflights and hands each request with
// its whole body to the stub's own routes, and bearer tokens handed out at sign-in.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Reads `name` from the fixture folder `dir` (beside this file). */
export const fixture = (dir, name) => JSON.parse(readFileSync(new URL(`./${dir}/${name}`, import.meta.url), 'utf8'));

/** Bearer tokens: `issue()` hands out a new one, `holds(req)` says whether a request carries a known one. */
export function bearerTokens() {
  const tokens = new Set();
  return {
    issue() {
      const token = randomBytes(24).toString('base64url');
      tokens.add(token);
      return token;
    },
    holds(req) {
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      return Boolean(bearer && tokens.has(bearer));
    },
  };
}

/**
 * Starts a stub on 127.0.0.1 (port 0: any free port). `route({ req, url, raw, send })` answers every
 * request but preflights; `send(status, body)` writes JSON with `contentType` and CORS headers allowing
 * `allowHeaders` and `allowMethods`. Resolves to { url, requests, close }.
 */
export function serveStub({ port = 0, contentType, allowHeaders, allowMethods, route }) {
  const requests = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://stub');
    requests.push({ method: req.method, path: url.pathname + url.search, headers: req.headers });
    const send = (status, body) => {
      res.writeHead(status, {
        'content-type': `${contentType}; charset=utf-8`,
        'access-control-allow-origin': req.headers.origin ?? '*',
        'access-control-allow-headers': allowHeaders,
        'access-control-allow-methods': allowMethods,
        vary: 'Origin',
      });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    if (req.method === 'OPTIONS') return send(204);
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => route({ req, url, raw, send }));
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
