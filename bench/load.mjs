// Helpers for scripts/bench-load.sh (the order list under load, beside json-server).
// usage:
//   node load.mjs db BASE COOKIE DB_JSON
//       pages through the demo customer's orders (GET /api/v1/history?kind=order) and writes a
//       json-server database whose `orders` collection holds exactly those entries, newest first
//   node load.mjs check BASE COOKIE JSON_SERVER_BASE CHECK_JSON
//       fetches the first page of 50 from both servers, checks that they hold the same entries and
//       records the body size of each response
//   node load.mjs same BASE COOKIE OTHER_BASE OTHER_COOKIE
//       checks that two reference servers (SQLite and PostgreSQL) hold the same demo orders: the same
//       total and the same first page of 50, times aside (each seeds relative to its own start)
//   node load.mjs report CHECK_JSON SETTINGS_JSON OUT_JSON RAPPORT_WRK JSON_SERVER_WRK ME_WRK ONE_ROW_WRK
//       [POSTGRES_WRK WRITES_WRK WRITER_JSON POSTGRES_WRITES_WRK POSTGRES_WRITER_JSON] (`-`: not run)
//       reads the wrk --latency reports (the order list on both servers, then /api/v1/me and the order
//       list with limit=1 on the reference server, and the order list on the reference server over
//       PostgreSQL), prints a Markdown table and writes the figures as JSON
import { readFileSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';

export const ORDER_PAGE = '/api/v1/history?kind=order&limit=50';
export const JSON_SERVER_PAGE = '/orders?_page=1&_limit=50'; // json-server 0.17: _page and _limit
export const GOAL_RATIO = 5;
export const GOAL_P99_MS = 10;

async function get(url, cookie) {
  const res = await fetch(url, { headers: cookie ? { cookie } : {} });
  const body = Buffer.from(await res.arrayBuffer());
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}: ${body.toString().slice(0, 200)}`);
  return { body, json: JSON.parse(body.toString('utf8')) };
}

async function db(base, cookie, file) {
  const orders = [];
  let cursor = null;
  for (let n = 0; n < 1000; n++) {
    const url = `${base}/api/v1/history?kind=order&limit=500${cursor ? `&cursor=${cursor}` : ''}`;
    const { json } = await get(url, cookie);
    orders.push(...json.entries);
    cursor = json.next_cursor;
    if (!cursor) break;
  }
  if (orders.length === 0) throw new Error('the demo customer has no orders');
  writeFileSync(file, JSON.stringify({ orders }));
  console.log(`${orders.length} orders of the demo customer written for json-server`);
}

async function check(base, cookie, jsonServer, file) {
  const ours = await get(`${base}${ORDER_PAGE}`, cookie);
  const theirs = await get(`${jsonServer}${JSON_SERVER_PAGE}`);
  const entries = ours.json.entries;
  if (!Array.isArray(theirs.json) || !isDeepStrictEqual(entries, theirs.json)) {
    throw new Error('json-server does not return the same first 50 orders as the reference server');
  }
  const result = {
    entries: entries.length,
    total: ours.json.total,
    rapportBytes: ours.body.length,
    jsonServerBytes: theirs.body.length,
    // json-server indents its JSON by two spaces; the same array without the indentation:
    jsonServerCompactBytes: Buffer.byteLength(JSON.stringify(theirs.json)),
  };
  writeFileSync(file, JSON.stringify(result, null, 2));
  console.log(
    `same ${entries.length} orders from both; body bytes: reference ${result.rapportBytes} ` +
      `(entries, next_cursor, total), json-server ${result.jsonServerBytes} ` +
      `(indented array; ${result.jsonServerCompactBytes} without the indentation)`,
  );
}

async function same(base, cookie, otherBase, otherCookie) {
  const page = async (b, c) => (await get(`${b}${ORDER_PAGE}`, c)).json;
  const [a, b] = [await page(base, cookie), await page(otherBase, otherCookie)];
  const timeless = (entries) => entries.map(({ at, ...rest }) => rest);
  if (a.total !== b.total || !isDeepStrictEqual(timeless(a.entries), timeless(b.entries))) {
    throw new Error(`the two reference servers hold different orders (totals ${a.total} and ${b.total})`);
  }
  console.log(`same ${a.entries.length} of ${a.total} orders on SQLite and on PostgreSQL`);
}

// wrk prints durations as 812.00us, 1.23ms, 1.05s or 1.00m.
function duration(text) {
  const m = text.match(/^([\d.]+)(us|ms|s|m)$/);
  if (!m) throw new Error(`cannot read wrk duration ${text}`);
  return Number(m[1]) * { us: 0.001, ms: 1, s: 1000, m: 60000 }[m[2]];
}

export function parseWrk(text) {
  const grab = (re) => text.match(re)?.[1];
  const rps = grab(/^Requests\/sec:\s+([\d.]+)/m);
  const p50 = grab(/^\s+50%\s+(\S+)/m);
  const p99 = grab(/^\s+99%\s+(\S+)/m);
  if (!rps || !p50 || !p99) throw new Error(`not a wrk --latency report:\n${text}`);
  const errors = text.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  return {
    requestsPerSecond: Number(rps),
    p50Ms: duration(p50),
    p90Ms: duration(grab(/^\s+90%\s+(\S+)/m) ?? p99),
    p99Ms: duration(p99),
    maxMs: duration(grab(/^\s+Latency\s+\S+\s+\S+\s+(\S+)/m) ?? p99),
    requests: Number(grab(/^\s+(\d+) requests in/m) ?? 0),
    non2xx: Number(grab(/Non-2xx or 3xx responses: (\d+)/) ?? 0),
    socketErrors: errors ? errors.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
  };
}

const fmtMs = (x) => (x < 1 ? `${(x * 1000).toFixed(0)} µs` : `${x.toFixed(2)} ms`);
const fmtRps = (x) => Math.round(x).toLocaleString('en');

export function loadTable(load) {
  const { rapport, jsonServer, postgres, writes, postgresWrites, check: c, settings: s } = load;
  const row = (cells) => `| ${cells.join(' | ')} |`;
  const head = ['server', 'requests/s', 'p50', 'p99', 'bytes per response (body)', 'requests/s ÷ json-server'];
  const ratio = (r) => `${(r.requestsPerSecond / jsonServer.requestsPerSecond).toFixed(2)}×`;
  return [
    row(head),
    row(head.map(() => '---')),
    row([`reference server on SQLite (\`GET ${ORDER_PAGE}\`, session cookie)`, fmtRps(rapport.requestsPerSecond),
      fmtMs(rapport.p50Ms), fmtMs(rapport.p99Ms), String(c.rapportBytes), `${load.ratio.toFixed(2)}×`]),
    ...(postgres
      ? [row([`reference server on PostgreSQL${s.postgres ? ` ${s.postgres}` : ''} (same request, same seed)`,
        fmtRps(postgres.requestsPerSecond), fmtMs(postgres.p50Ms), fmtMs(postgres.p99Ms),
        String(c.rapportBytes), ratio(postgres)])]
      : []),
    // The same request while the customer's data changes: no kept page outlives a commit.
    ...[['SQLite', writes], ['PostgreSQL', postgresWrites]].filter(([, r]) => r).map(([db, r]) =>
      row([`reference server on ${db} while it stores ${r.writer.created.toLocaleString('en')} survey answers ` +
        `(${r.writer.perSecond}/s asked${r.writer.other ? `, ${r.writer.other} not stored` : ''})`,
      fmtRps(r.requestsPerSecond), fmtMs(r.p50Ms), fmtMs(r.p99Ms), String(c.rapportBytes), ratio(r)])),
    row([`json-server ${s.jsonServerVersion} (\`GET ${JSON_SERVER_PAGE}\`, same ${c.entries} orders)`,
      fmtRps(jsonServer.requestsPerSecond), fmtMs(jsonServer.p50Ms), fmtMs(jsonServer.p99Ms),
      `${c.jsonServerBytes} (${c.jsonServerCompactBytes} unindented)`, '1.00×']),
  ].join('\n');
}

export function goalLine(load) {
  const mark = (ok) => (ok ? 'yes' : '**no**');
  return `Goal: ≥ ${GOAL_RATIO}× json-server's requests/s (${mark(load.ratioMet)}: ${load.ratio.toFixed(2)}×) ` +
    `with p99 ≤ ${GOAL_P99_MS} ms (${mark(load.p99Met)}: ${fmtMs(load.rapport.p99Ms)}); met: ${mark(load.met)}.`;
}

export function settingsLine(s) {
  return `wrk ${s.wrk}, ${s.threads} threads, ${s.connections} connections, ${s.seconds} s per server after a ` +
    `${s.warmupSeconds} s warm-up, loopback, one server at a time; the reference server on a seeded demo ` +
    `database file${s.postgres ? ` and, second, on a local PostgreSQL ${s.postgres} (fsync off, Unix socket)` : ''}, json-server ${s.jsonServerVersion} (node ${s.node}, logging and gzip off) on the same ` +
    `orders; ${s.cores} cores shared by wrk and the server under load.`;
}

// Time per request at saturation (1 / requests per second, all connections busy), in µs.
const perRequest = (r) => 1e6 / r.requestsPerSecond;

// One sentence on where the reference server's time goes, from the runs on /me and on limit=1.
export function whereTimeGoes(load) {
  const { rapport, me, oneRow } = load;
  if (!me || !oneRow) return null;
  const total = perRequest(rapport);
  const parts = [
    ['the HTTP stack and the session lookup (`GET /api/v1/me`)', perRequest(me)],
    ['the count and page queries for a one-row page (`limit=1`)', perRequest(oneRow) - perRequest(me)],
    [`the other ${load.check.entries - 1} rows (read through the native reader, then written as JSON)`,
      total - perRequest(oneRow)],
  ];
  const us = (x) => `${Math.round(x)} µs`;
  // The order list sends a page it already answered again while the data is unchanged (a load run
  // writes nothing), so it can cost less than /me; then the differences say nothing and are not shown.
  if (parts.some(([, x]) => x < 0)) {
    return `At saturation the order list costs ${us(total)} per request (1 ÷ requests/s), ` +
      `${us(perRequest(oneRow))} with limit=1 and ${us(perRequest(me))} for \`GET /api/v1/me\`: ` +
      'the list resends pages it already answered while the data is unchanged (no commit since; ' +
      'README, "Reads and writes"), so the session lookup and the HTTP stack are most of what is left.';
  }
  const top = [...parts].sort((a, b) => b[1] - a[1])[0];
  return `At saturation the order list costs ${us(total)} per request (1 ÷ requests/s): ` +
    parts.map(([what, x]) => `${us(x)} for ${what}`).join(', ') +
    `; the largest share (${Math.round((100 * top[1]) / total)} %) is ${top[0].replace(/ \(.*\)$/, '')}` +
    (top === parts[2] ? `, about ${us(top[1] / (load.check.entries - 1))} a row` : '') + '.';
}

function report(checkFile, settingsFile, outFile, rapportFile, jsonServerFile, meFile, oneRowFile, postgresFile,
  writesFile, writerFile, postgresWritesFile, postgresWriterFile) {
  const check = JSON.parse(readFileSync(checkFile, 'utf8'));
  const settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
  const wrk = (f) => parseWrk(readFileSync(f, 'utf8'));
  const rapport = wrk(rapportFile);
  const jsonServer = wrk(jsonServerFile);
  const me = meFile ? wrk(meFile) : null;
  const oneRow = oneRowFile ? wrk(oneRowFile) : null;
  const given = (f) => f && f !== '-';
  const postgres = given(postgresFile) ? wrk(postgresFile) : null;
  // A run with writes, and what its writer sent (`perSecond`, `sent`, `created` (201), `other`).
  const withWriter = (f, w) => (given(f) && given(w)
    ? { ...wrk(f), writer: JSON.parse(readFileSync(w, 'utf8')) } : null);
  const writes = withWriter(writesFile, writerFile);
  const postgresWrites = withWriter(postgresWritesFile, postgresWriterFile);
  for (const [name, r] of [['reference server', rapport], ['json-server', jsonServer], ['/api/v1/me', me],
    ['the order list with limit=1', oneRow], ['reference server on PostgreSQL', postgres],
    ['the run with writes', writes], ['the run with writes on PostgreSQL', postgresWrites]].filter(([, r]) => r)) {
    if (r.non2xx > 0) throw new Error(`${name}: ${r.non2xx} responses were not 2xx; the figures would not be the order list's`);
  }
  const ratio = rapport.requestsPerSecond / jsonServer.requestsPerSecond;
  const load = {
    settings,
    check,
    rapport,
    jsonServer,
    me,
    oneRow,
    postgres,
    writes,
    postgresWrites,
    ratio,
    goal: { ratio: GOAL_RATIO, p99Ms: GOAL_P99_MS },
    ratioMet: ratio >= GOAL_RATIO,
    p99Met: rapport.p99Ms <= GOAL_P99_MS,
  };
  load.met = load.ratioMet && load.p99Met;
  const errors = [['reference server', rapport], ['json-server', jsonServer], ['PostgreSQL run', postgres],
    ['run with writes', writes], ['PostgreSQL run with writes', postgresWrites]]
    .filter(([, r]) => r && r.socketErrors > 0)
    .map(([n, r]) => `${n}: ${r.socketErrors} socket errors`);
  load.whereTimeGoes = whereTimeGoes(load);
  writeFileSync(outFile, JSON.stringify(load, null, 2));
  console.log(`${loadTable(load)}\n\n${goalLine(load)}\n\n${settingsLine(settings)}\n\n${load.whereTimeGoes}` +
    (errors.length ? `\n\n${errors.join('; ')}` : ''));
}

const [cmd, ...args] = process.argv.slice(2);
if (import.meta.url === `file://${process.argv[1]}`) {
  const run = { db, check, same, report }[cmd];
  if (!run) {
    console.error('usage: node load.mjs db|check|same|report ...');
    process.exit(2);
  }
  try {
    await run(...args);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
