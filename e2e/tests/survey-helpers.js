// Helpers for the survey widget tests: add a <rapport-survey> to the demo page, answer and send it, and
// count what the server really stored (the config gives the server a fresh SQLite file per run, shared
// with the tests through RAPPORT_E2E_DB).
import { execFileSync } from 'node:child_process';
import { expect } from './fixtures.js';

const COUNT_SCRIPT = `
import json, sqlite3, sys
db, where, params = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
con = sqlite3.connect('file:' + db + '?mode=ro', uri=True, timeout=5)
try:
    print(con.execute('SELECT COUNT(*) FROM survey_responses WHERE ' + where, params).fetchone()[0])
finally:
    con.close()
`;

const ROWS_SCRIPT = `
import json, sqlite3, sys
db, where, params = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
con = sqlite3.connect('file:' + db + '?mode=ro', uri=True, timeout=5)
con.row_factory = sqlite3.Row
try:
    rows = con.execute('SELECT * FROM survey_responses WHERE ' + where + ' ORDER BY received_at', params).fetchall()
    print(json.dumps([dict(r) for r in rows]))
finally:
    con.close()
`;

function dbPath(db) {
  const file = db ?? process.env.RAPPORT_E2E_DB;
  if (!file) throw new Error('RAPPORT_E2E_DB is not set: run the tests through e2e/playwright.config.js');
  return file;
}

/**
 * Number of rows in survey_responses matching an SQL condition, e.g.
 * countResponses("json_extract(meta,'$.segment') = ?", [segment]). `db` defaults to the run's database.
 */
export function countResponses(where = '1', params = [], db) {
  const out = execFileSync('python3', ['-c', COUNT_SCRIPT, dbPath(db), where, JSON.stringify(params)], {
    encoding: 'utf8',
  });
  return Number(out.trim());
}

/**
 * The matching rows of survey_responses as objects; `answers`, `meta` and `scores` are parsed JSON.
 */
export function storedResponses(where = '1', params = [], db) {
  const out = execFileSync('python3', ['-c', ROWS_SCRIPT, dbPath(db), where, JSON.stringify(params)], {
    encoding: 'utf8',
  });
  return JSON.parse(out).map((row) => ({
    ...row,
    answers: JSON.parse(row.answers),
    meta: JSON.parse(row.meta),
    scores: JSON.parse(row.scores),
  }));
}

/** Condition and parameters selecting the rows of one segment: rowsOfSegment(seg) → [where, params]. */
export function bySegment(segment) {
  return ["json_extract(meta,'$.segment') = ?", [segment]];
}

/** A value unique to this test run, for the segment and context attributes. */
export function uniqueId(prefix = 't') {
  return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`;
}

let added = 0;

/**
 * Appends a new <rapport-survey> to `main` on a page already at /widget/demo.html and returns a locator
 * for it. `attrs` are the element's attributes (instrument, segment, context, lang, firm, show-scores,
 * endpoint, id); a value of true gives an empty attribute, false/null/undefined leaves it out.
 * Pass the same `id` and attributes again after a reload to reopen the same draft.
 */
export async function addSurvey(page, attrs = {}) {
  const { id = `survey-${Date.now()}-${++added}`, ...rest } = attrs;
  const attributes = Object.fromEntries(
    Object.entries({ lang: 'en', firm: 'Example Shop', ...rest })
      .filter(([, v]) => v !== false && v !== null && v !== undefined)
      .map(([k, v]) => [k, v === true ? '' : String(v)]),
  );
  await page.evaluate(
    ({ id, attributes }) => {
      const el = document.createElement('rapport-survey');
      el.id = id;
      for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v);
      document.querySelector('main').append(el);
    },
    { id, attributes },
  );
  const survey = page.locator(`rapport-survey[id="${id}"]`);
  await expect(survey).toHaveCount(1);
  return survey;
}

/** The radio of answer `n` in the (single) 0–10 NPS question of a survey. */
export function npsRadio(survey, n) {
  return survey.getByRole('radio', { name: new RegExp(`\\s${n}( |$)`) });
}

/** Chooses answer `n` in the NPS question. */
export async function answerNps(survey, n) {
  const radio = npsRadio(survey, n);
  await radio.check();
  await expect(radio).toBeChecked();
}

/** The survey's "Send my answers" button. */
export function sendButton(survey) {
  return survey.getByRole('button', { name: 'Send my answers' });
}

/** Clicks "Send my answers". */
export async function send(survey) {
  await sendButton(survey).click();
}

/** The survey's live status line (role=status). */
export function statusOf(survey) {
  return survey.locator('.rs-form').getByRole('status');
}

/** Expects the survey's "Thank you!" heading. */
export async function expectThanks(survey, options) {
  await expect(survey.getByRole('heading', { name: 'Thank you!' })).toBeVisible(options);
}

/**
 * Starts recording every text the survey's status line shows (also those that last only a moment, such
 * as "Trying again in 1 s."). Returns an async function that gives the texts seen so far, in order.
 */
export async function recordStatuses(survey) {
  await survey.evaluate((el) => {
    const root = el.shadowRoot;
    const seen = [];
    el.__rapportStatuses = seen;
    const read = () => {
      const text = root.querySelector('.rs-form .rs-status')?.textContent ?? '';
      if (seen.at(-1) !== text) seen.push(text);
    };
    new MutationObserver(read).observe(root, { subtree: true, childList: true, characterData: true });
    read();
  });
  return () => survey.evaluate((el) => [...el.__rapportStatuses]);
}

/**
 * The draft the widget saved in IndexedDB for `instrument` in `context` (parsed), or null. Used to wait
 * until an answer is really on the device before reloading.
 */
export async function savedDraft(page, instrument, context) {
  return page.evaluate(
    async ({ instrument, context }) => {
      // Opening a database that does not exist yet would create it without the widget's object store.
      const dbs = await indexedDB.databases();
      if (!dbs.some((d) => d.name === 'rapport-survey')) return null;
      return new Promise((resolve) => {
        const open = indexedDB.open('rapport-survey');
        open.onerror = () => resolve(null);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('drafts')) return resolve(null);
          const store = db.transaction('drafts').objectStore('drafts');
          const keys = store.getAllKeys();
          const values = store.getAll();
          // Requests of one transaction complete in order: both are done when the second is.
          values.onerror = () => resolve(null);
          values.onsuccess = () => {
            const at = keys.result.findIndex((k) => String(k).endsWith(`|${instrument}|${context}`));
            db.close();
            resolve(at < 0 ? null : JSON.parse(values.result[at]));
          };
        };
      });
    },
    { instrument, context },
  );
}
