// Fault matrix for the survey widget's outbox: whatever goes wrong between the browser and the server,
// every case must end with exactly one stored row holding the answer that was given, and the widget
// must say "Thank you!" only once the server really has it. Rows are counted in the server's own
// SQLite file (RAPPORT_E2E_DB, see playwright.config.js).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from './fixtures.js';
import { startServer as startOwnServer, stopServer } from './own-server.js';
import {
  addSurvey,
  answerNps,
  bySegment,
  countResponses,
  expectThanks,
  npsRadio,
  recordStatuses,
  savedDraft,
  send,
  sendButton,
  statusOf,
  storedResponses,
  uniqueId,
} from './survey-helpers.js';

const POST = '**/api/v1/survey-responses';

const TEXT = {
  offline: 'You are offline. Your answers are kept and will be sent when you are back online.',
  retrying: /^The server could not take your answers yet\. Trying again in (\d+) s\.$/,
  sending: 'Sending your answers…',
  notSaved:
    'This browser does not let us save answers on this device: please keep this page open until they are sent.',
  elsewhere:
    'This survey was already answered in another window, and those answers were received. Thank you!',
  fixHeading: 'Some answers need another look',
  npsQuestion: 'How likely are you to recommend Example Shop to a friend or colleague?',
};

// ---- the summary table: case → rows stored, kept in a file so that it survives a worker restart ----
const tableFile = `${process.env.RAPPORT_E2E_DB}.faults.json`;
let current = null;

function track(name, segment, db) {
  current = { name, segment, db };
}

test.afterEach(async () => {
  if (!current) return;
  let rows = current.rows;
  try {
    rows ??= countResponses(...bySegment(current.segment), current.db);
  } catch (error) {
    rows = `? (${String(error.message).split('\n')[0]})`;
  }
  const table = fs.existsSync(tableFile) ? JSON.parse(fs.readFileSync(tableFile, 'utf8')) : {};
  table[current.name] = rows;
  fs.writeFileSync(tableFile, JSON.stringify(table));
  current = null;
});

test.afterAll(() => {
  if (!fs.existsSync(tableFile)) return;
  const table = JSON.parse(fs.readFileSync(tableFile, 'utf8'));
  const width = Math.max(...Object.keys(table).map((k) => k.length), 4);
  const lines = Object.entries(table)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, rows]) => `${name.padEnd(width)} | ${rows}`);
  console.log(['Survey fault matrix: rows stored per case', `${'case'.padEnd(width)} | rows`, ...lines].join('\n'));
});

// ---- helpers of this file ----

/** Opens the demo page and adds a fresh NPS survey with its own segment and draft context. */
async function openNps(page, name, url = '/widget/demo.html', db) {
  await page.goto(url);
  const segment = uniqueId('seg');
  const context = uniqueId('ctx');
  track(name, segment, db);
  const survey = await addSurvey(page, { instrument: 'nps', segment, context });
  await expect(npsRadio(survey, 9)).toBeVisible();
  return { survey, segment, context };
}

/** Exactly one stored row for the segment, holding the NPS answer given. */
function expectStoredOnce(segment, nps, db) {
  const [where, params] = bySegment(segment);
  expect(countResponses(where, params, db), 'rows stored for this segment').toBe(1);
  expect(countResponses(`${where} AND json_extract(answers,'$.NPS') = ?`, [...params, nps], db)).toBe(1);
}

function rows(segment, db) {
  return countResponses(...bySegment(segment), db);
}

/** A promise with its resolve function, to hold a request until the test lets it go. */
function gate() {
  let open;
  const promise = new Promise((resolve) => (open = resolve));
  return { promise, open };
}

function thanksHeading(survey) {
  return survey.getByRole('heading', { name: 'Thank you!' });
}

/** Records the survey POSTs the page sends: time, key and body, and the statuses that came back. */
function watchPosts(page) {
  const posts = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/api/v1/survey-responses')) {
      posts.push({ at: Date.now(), key: request.headers()['idempotency-key'], body: request.postData() });
    }
  });
  const replies = [];
  page.on('response', async (response) => {
    const request = response.request();
    if (request.method() === 'POST' && request.url().endsWith('/api/v1/survey-responses')) {
      replies.push({ status: response.status(), replayed: response.headers()['idempotent-replayed'] });
    }
  });
  return { posts, replies };
}

// ---- the cases ----

test.describe('a. offline at submit', () => {
  // No failed load here: the widget checks navigator.onLine and sends nothing while offline.

  test('answers wait while offline and are sent once back online', async ({ page, context }) => {
    const { survey, segment } = await openNps(page, 'a. offline at submit');
    await answerNps(survey, 9);
    await context.setOffline(true);
    await send(survey);
    await expect(statusOf(survey)).toHaveText(TEXT.offline);
    await expect(thanksHeading(survey)).toHaveCount(0);
    expect(rows(segment)).toBe(0);

    await context.setOffline(false);
    await expectThanks(survey);
    expectStoredOnce(segment, 9);
  });
});

test.describe('b. server error on the first attempt', () => {
  test.use({ expectedLoadFailures: [500] });

  test('a 500 is retried with the same Idempotency-Key', async ({ page }) => {
    const { survey, segment } = await openNps(page, 'b. 500 once');
    const keys = [];
    const retry = gate();
    let attempt = 0;
    await page.route(POST, async (route) => {
      keys.push(route.request().headers()['idempotency-key']);
      if (attempt++ === 0) {
        await route.fulfill({
          status: 500,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'internal', message: 'Something went wrong on our side.' } }),
        });
        return;
      }
      await retry.promise;
      await route.continue();
    });
    const statuses = await recordStatuses(survey);
    await answerNps(survey, 8);
    await send(survey);
    await expect.poll(statuses).toContainEqual(expect.stringMatching(TEXT.retrying));
    await expect.poll(() => attempt).toBe(2);
    // The retry is on its way but not answered: no thanks yet, nothing stored.
    await expect(thanksHeading(survey)).toHaveCount(0);
    expect(rows(segment)).toBe(0);
    retry.open();
    await expectThanks(survey);
    expectStoredOnce(segment, 8);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBeTruthy();
    expect(keys[1]).toBe(keys[0]);
  });
});

test.describe('c. 503 with Retry-After', () => {
  test.use({ expectedLoadFailures: [503] });

  test('the retry waits as long as the server asked', async ({ page }) => {
    const { survey, segment } = await openNps(page, 'c. 503 Retry-After: 2');
    const times = [];
    await page.route(POST, async (route) => {
      times.push(Date.now());
      if (times.length === 1) {
        await route.fulfill({
          status: 503,
          headers: { 'Retry-After': '2' },
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'unavailable', message: 'Busy.' } }),
        });
        return;
      }
      await route.continue();
    });
    await answerNps(survey, 7);
    await send(survey);
    await expect(statusOf(survey)).toHaveText('The server could not take your answers yet. Trying again in 2 s.');
    await expectThanks(survey);
    expect(times).toHaveLength(2);
    expect(times[1] - times[0], 'ms between the 503 and the retry').toBeGreaterThanOrEqual(1900);
    expectStoredOnce(segment, 7);
  });
});

test.describe('d. reply lost after the server committed', () => {
  test.use({ expectedLoadFailures: ['net::ERR_TIMED_OUT'] });

  test('a timed-out request is retried with the same key and the server replays', async ({ page }) => {
    const { survey, segment } = await openNps(page, 'd. timeout after commit');
    const { replies } = watchPosts(page);
    const keys = [];
    const retry = gate();
    let committed = 0;
    await page.route(POST, async (route) => {
      keys.push(route.request().headers()['idempotency-key']);
      if (keys.length === 1) {
        const reply = await route.fetch();
        committed = reply.status();
        await route.abort('timedout');
        return;
      }
      await retry.promise;
      await route.continue();
    });
    await answerNps(survey, 10);
    await send(survey);
    await expect.poll(() => keys.length).toBe(2);
    expect(committed, 'status of the first, committed request').toBe(201);
    // Stored once already, but the widget does not know it yet.
    expect(rows(segment)).toBe(1);
    await expect(thanksHeading(survey)).toHaveCount(0);
    retry.open();
    await expectThanks(survey);
    expectStoredOnce(segment, 10);
    expect(keys[1]).toBe(keys[0]);
    expect(replies.at(-1)).toEqual({ status: 200, replayed: 'true' });
  });
});

test.describe('e. malformed reply after the server committed', () => {
  test('a 201 whose body is not a receipt counts as unknown and is retried', async ({ page }) => {
    const { survey, segment } = await openNps(page, 'e. malformed 201 after commit');
    const keys = [];
    const retry = gate();
    await page.route(POST, async (route) => {
      keys.push(route.request().headers()['idempotency-key']);
      if (keys.length === 1) {
        await route.fetch();
        await route.fulfill({ status: 201, contentType: 'application/json', body: '{"id":' });
        return;
      }
      await retry.promise;
      await route.continue();
    });
    const statuses = await recordStatuses(survey);
    await answerNps(survey, 6);
    await send(survey);
    await expect.poll(() => keys.length).toBe(2);
    expect(rows(segment)).toBe(1);
    await expect(thanksHeading(survey)).toHaveCount(0);
    expect(await statuses()).toContainEqual(expect.stringMatching(TEXT.retrying));
    retry.open();
    await expectThanks(survey);
    expectStoredOnce(segment, 6);
    expect(keys[1]).toBe(keys[0]);
  });
});

test.describe('f. reload in the middle of a long survey', () => {
  test('answers and step survive a reload and are all sent', async ({ page }) => {
    test.setTimeout(60_000);
    await page.goto('/widget/demo.html');
    const attrs = { id: 'reloaded', instrument: 'servqual', segment: uniqueId('seg'), context: uniqueId('ctx') };
    track('f. reload mid-survey (servqual)', attrs.segment);
    let survey = await addSurvey(page, attrs);
    const row = (n) => survey.getByRole('radiogroup').nth(n);
    const choice = (n, v) => row(n).getByRole('radio', { name: new RegExp(`\\s${v}( |$)`) });
    await expect(survey.getByText('Step 1 of 4')).toBeVisible();
    const before = [5, 6, 7];
    for (const [n, v] of before.entries()) await choice(n, v).check();
    // Reload only once the third answer is on the device.
    await expect
      .poll(async () => (await savedDraft(page, 'servqual', attrs.context))?.answers ?? {})
      .toEqual({ E1: 5, E2: 6, E3: 7 });

    await page.reload();
    survey = await addSurvey(page, attrs);
    await expect(survey.getByText('Step 1 of 4')).toBeVisible();
    for (const [n, v] of before.entries()) await expect(choice(n, v)).toBeChecked();
    await expect(survey.locator('input[type=radio]:checked')).toHaveCount(3);

    await choice(3, 2).check();
    await choice(4, 4).check();
    await survey.getByRole('button', { name: 'Next' }).click();
    await expect(survey.getByText('Step 2 of 4')).toBeVisible();
    await choice(0, 3).check();
    await choice(1, 1).check();
    await survey.getByRole('button', { name: 'Next' }).click();
    await expect(survey.getByText('Step 3 of 4')).toBeVisible();
    const points = survey.getByRole('spinbutton');
    await expect(points).toHaveCount(5);
    for (let i = 0; i < 5; i++) await points.nth(i).fill('20');
    await expect(survey.getByText('All points are given.')).toBeVisible();
    await survey.getByRole('button', { name: 'Check my answers' }).click();
    await expect(survey.getByRole('heading', { name: 'Check your answers' })).toBeVisible();
    await send(survey);
    await expectThanks(survey);

    const stored = storedResponses(...bySegment(attrs.segment));
    expect(stored).toHaveLength(1);
    expect(stored[0].answers).toEqual({
      E1: 5,
      E2: 6,
      E3: 7,
      E4: 2,
      E5: 4,
      P1: 3,
      P2: 1,
      W_TAN: 20,
      W_REL: 20,
      W_RES: 20,
      W_ASS: 20,
      W_EMP: 20,
    });
  });
});

test.describe('g. the same survey in two tabs', () => {
  // The 409 is logged in the second tab, which has its own watcher below.

  test('the second tab learns that the first one already sent it', async ({ page, context }) => {
    const { survey: a, segment, context: ctx } = await openNps(page, 'g. two tabs');
    const other = await context.newPage();
    const otherProblems = [];
    other.on('pageerror', (e) => otherProblems.push(`page error: ${e.message}`));
    other.on('console', (m) => {
      if (m.type() !== 'error') return;
      if (m.text().startsWith('Failed to load resource: the server responded with a status of 409')) return;
      otherProblems.push(`console error: ${m.text()}`);
    });
    await other.goto('/widget/demo.html');
    const b = await addSurvey(other, { instrument: 'nps', segment, context: ctx });
    await expect(npsRadio(b, 3)).toBeVisible();

    await answerNps(a, 9);
    await send(a);
    await expectThanks(a);
    expectStoredOnce(segment, 9);

    // Tab B's next save finds the response already sent: it shows that instead of a form to send again.
    await npsRadio(b, 3).click();
    await expect(b.getByText(TEXT.elsewhere)).toBeVisible();
    await expect(sendButton(b)).toHaveCount(0);
    expectStoredOnce(segment, 9);
    await other.close();
    expect(otherProblems, 'no page or console errors in the second tab').toEqual([]);
  });
});

test.describe('h. double click on send', () => {
  test('a double click stores one response and provokes no conflict', async ({ page }) => {
    const { survey, segment } = await openNps(page, 'h. double click');
    const { posts, replies } = watchPosts(page);
    await answerNps(survey, 5);
    await sendButton(survey).dblclick();
    await expectThanks(survey);
    expectStoredOnce(segment, 5);
    // Let any second request finish before judging.
    await page.waitForTimeout(500);
    expect(replies.map((r) => r.status)).not.toContain(409);
    expect(new Set(posts.map((p) => p.key)).size).toBe(1);
    await expect(survey.getByText(TEXT.elsewhere)).toHaveCount(0);
  });
});

// ---- i: a server of this test's own, stopped and started again while a response is on its way ----

const I_PORT = 18399;
const startServer = (db) => startOwnServer(I_PORT, db);

test.describe('i. server restarted while sending', () => {
  test.use({ expectedLoadFailures: ['net::ERR_CONNECTION_REFUSED'] });

  test('the widget keeps trying until the restarted server stores the answers', async ({ page }) => {
    test.setTimeout(90_000);
    const db = path.join(os.tmpdir(), `rapport-e2e-restart-${Date.now()}-${process.pid}.db`);
    let server = await startServer(db);
    try {
      const { survey, segment } = await openNps(page, 'i. server restart', `http://127.0.0.1:${I_PORT}/widget/demo.html`, db);
      const held = gate();
      const arrived = gate();
      let attempt = 0;
      await page.route(POST, async (route) => {
        if (attempt++ === 0) {
          arrived.open();
          await held.promise;
        }
        await route.continue();
      });
      await answerNps(survey, 4);
      await send(survey);
      await arrived.promise;
      const first = server;
      await stopServer(first);
      expect(first.exitCode !== null || first.signalCode !== null, 'the first server has exited').toBe(true);
      held.open();
      await expect(statusOf(survey)).toHaveText(TEXT.retrying);
      expect(rows(segment, db)).toBe(0);
      await expect(thanksHeading(survey)).toHaveCount(0);

      server = await startServer(db);
      // The backoff may have grown; "Try now" ends the wait.
      const tryNow = survey.getByRole('button', { name: 'Try now' });
      await tryNow.click({ timeout: 5_000 }).catch(() => {});
      await expectThanks(survey, { timeout: 15_000 });
      expectStoredOnce(segment, 4, db);
    } finally {
      await stopServer(server);
      // Counted now, for the summary table: the database file goes next.
      if (current?.db === db) current.rows = fs.existsSync(db) ? countResponses(...bySegment(current.segment), db) : 0;
      for (const file of [db, `${db}-wal`, `${db}-shm`]) fs.rmSync(file, { force: true });
    }
  });
});

test.describe('j. slow network', () => {
  test('the status says the answers are being sent until the server replies', async ({ page }) => {
    const { survey, segment } = await openNps(page, 'j. slow network (3 s)');
    await page.route(POST, async (route) => {
      await new Promise((r) => setTimeout(r, 3_000));
      await route.continue();
    });
    await answerNps(survey, 9);
    await send(survey);
    await expect(statusOf(survey)).toHaveText(TEXT.sending);
    await expect(thanksHeading(survey)).toHaveCount(0);
    expect(rows(segment)).toBe(0);
    await expectThanks(survey);
    expectStoredOnce(segment, 9);
  });
});

test.describe('k. no storage on the device', () => {
  test('without IndexedDB and localStorage the widget warns and still sends', async ({ page }) => {
    await page.addInitScript(() => {
      for (const name of ['indexedDB', 'localStorage']) {
        Object.defineProperty(window, name, {
          configurable: true,
          get() {
            throw new DOMException('Storage is switched off for this test.', 'SecurityError');
          },
        });
      }
    });
    const { survey, segment } = await openNps(page, 'k. storage unavailable');
    await expect(statusOf(survey)).toHaveText(TEXT.notSaved);
    await answerNps(survey, 2);
    await expect(statusOf(survey)).toHaveText(TEXT.notSaved);
    await send(survey);
    await expectThanks(survey);
    expectStoredOnce(segment, 2);
  });
});

test.describe('l. answers refused as invalid', () => {
  test.use({ expectedLoadFailures: [422] });

  test('a 422 names the question; sending again stores the real answer', async ({ page }) => {
    const { survey, segment } = await openNps(page, 'l. 422 then resend');
    let attempt = 0;
    await page.route(POST, async (route) => {
      if (attempt++ === 0) {
        const body = JSON.parse(route.request().postData());
        body.answers.NPS = 99;
        await route.continue({ postData: JSON.stringify(body) });
        return;
      }
      await route.continue();
    });
    await answerNps(survey, 9);
    await send(survey);
    const alert = survey.getByRole('alert').filter({ hasText: TEXT.fixHeading });
    await expect(alert).toBeVisible();
    await expect(alert).toContainText(TEXT.npsQuestion);
    await expect(alert).toContainText('is not a valid answer');
    await expect(thanksHeading(survey)).toHaveCount(0);
    expect(rows(segment)).toBe(0);

    await send(survey);
    await expectThanks(survey);
    expect(attempt).toBe(2);
    expectStoredOnce(segment, 9);
  });
});

// ---- beyond the matrix: what a second tab does to the first tab's record of a sent response ----

test.describe('m. a sent survey stays sent on this device', () => {
  test('answering in a stale second tab does not make the sent survey editable again', async ({ page, context }) => {
    const { survey: a, segment, context: ctx } = await openNps(page, 'm. sent draft after a stale tab answers');
    const attrs = { instrument: 'nps', segment, context: ctx };
    const other = await context.newPage();
    await other.goto('/widget/demo.html');
    const b = await addSurvey(other, attrs);
    await expect(npsRadio(b, 3)).toBeVisible();

    await answerNps(a, 9);
    await send(a);
    await expectThanks(a);
    expect((await savedDraft(page, 'nps', ctx))?.delivery?.state).toBe('sent');

    // Tab B still shows the empty form it loaded earlier; the respondent clicks an answer there.
    await npsRadio(b, 3).click();
    await expect(b.getByText(TEXT.elsewhere)).toBeVisible();
    expect
      .soft((await savedDraft(page, 'nps', ctx))?.delivery?.state, 'this device still knows the survey was sent')
      .toBe('sent');

    // Tab A, reopened, should still say that its answers were received.
    await page.reload();
    const reopened = await addSurvey(page, attrs);
    await expectThanks(reopened);
    await expect(sendButton(reopened)).toHaveCount(0);
    expectStoredOnce(segment, 9);
    await other.close();
  });
});

test.describe('n. a queued response survives a stale second tab', () => {
  test('answers queued while offline are still sent after their tab was closed', async ({ page, context }) => {
    test.setTimeout(45_000);
    const { survey: a, segment, context: ctx } = await openNps(page, 'n. outbox after a stale tab answers');
    const attrs = { instrument: 'nps', segment, context: ctx };
    const other = await context.newPage();
    await other.goto('/widget/demo.html');
    const b = await addSurvey(other, attrs);
    await expect(npsRadio(b, 3)).toBeVisible();

    // Tab A finishes while offline: the widget promises to send the answers once back online.
    await context.setOffline(true);
    await answerNps(a, 9);
    await send(a);
    await expect(statusOf(a)).toHaveText(TEXT.offline);
    await expect.poll(async () => (await savedDraft(page, 'nps', ctx))?.delivery?.state).toBe('queued');

    // The stale tab B gets a click; then tab A is closed and the connection comes back.
    // Tab B takes over the outbox rather than overwriting it with its own empty draft.
    await npsRadio(b, 3).click();
    await expect(statusOf(b)).toHaveText(TEXT.offline);
    expect
      .soft((await savedDraft(other, 'nps', ctx))?.delivery?.state, 'the outbox still holds the finished response')
      .toBe('queued');
    await page.close();
    await context.setOffline(false);

    // Reopening the survey resumes the outbox and delivers the answer given in tab A.
    const again = await context.newPage();
    await again.goto('/widget/demo.html');
    const reopened = await addSurvey(again, attrs);
    await expectThanks(reopened, { timeout: 15_000 });
    expectStoredOnce(segment, 9);
    await again.close();
    await other.close();
  });
});
