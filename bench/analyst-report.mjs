// Turns bench/out/analyst.json (written by analyst.mjs) into the analyst section of BENCHMARKS.md.
// Used by report.mjs (scripts/bench.sh) and by analyst.mjs, which replaces just this section when
// scripts/bench-analyst.sh runs on its own.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

const cores = cpus().length;

export const GOAL_MS = 2000;
export const GOAL_TASK_MS = 50;
export const HEADING = '### 5. Analyst view: 1M SERVQUAL responses from a CSV file (headless Chromium)';

const ms = (x) => (x == null ? '—' : `${Math.round(x).toLocaleString('en')} ms`);
const mark = (ok) => (ok == null ? '—' : ok ? 'yes' : '**no**');
const row = (cells) => `| ${cells.join(' | ')} |`;
const table = (head, rows) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : null;
};

/** Summary figures of a result: medians over the runs and whether the goals are met. */
export function summarise(r) {
  const ok = r.runs.filter((x) => !x.error);
  const toReport = median(ok.map((x) => x.ms));
  const longest = ok.length ? Math.max(...ok.map((x) => x.longestTaskMs)) : null;
  const reference = median(r.reference.map((x) => x.ms));
  return {
    toReport,
    pageMs: median(ok.map((x) => x.pageMs)),
    longest,
    reference,
    timeMet: toReport == null ? null : toReport <= GOAL_MS,
    taskMet: longest == null ? null : longest <= GOAL_TASK_MS,
    met: toReport != null && toReport <= GOAL_MS && longest <= GOAL_TASK_MS,
  };
}

/** "; in a traced run of N ms the worker was busy …, the main thread …" from result.trace. */
function traceWords(r) {
  const t = r.trace;
  if (!t) return '';
  const w = t.workers[0];
  const parts = [];
  if (w) {
    const top = w.top.filter((x) => !/RunTask|HandlePostMessage|v8\.callFunction|FunctionCall/.test(x.name)).slice(0, 2);
    parts.push(`the busiest worker ran ${ms(w.busyMs)} of tasks (garbage collection ${ms(w.gcMs)}${top.length ? `; ${top.map((x) => `${x.name} ${ms(x.ms)}`).join(', ')}` : ''})`);
  } else {
    parts.push('no worker ran');
  }
  if (t.main) parts.push(`the main thread ${ms(t.main.busyMs)} (garbage collection ${ms(t.main.gcMs)})`);
  return `; in a traced run (${ms(t.ms)}, not counted) ${parts.join(', ')}`;
}

/** A line on what dominates a missed goal, from the figures the run recorded; null when met. */
export function missLine(r, { trace = true } = {}) {
  const s = summarise(r);
  if (s.met || s.toReport == null) return null;
  const parts = [];
  if (!s.timeMet) {
    const w = r.runs.find((x) => !x.error);
    parts.push(
      `time to the first full report ${ms(s.toReport)} (goal ${ms(GOAL_MS)}); the plain-JS reference reads, parses and ` +
        `computes the same file in ${ms(s.reference)} on the main thread` +
        (trace ? traceWords(r) : ''),
    );
  }
  if (!s.taskMet) {
    const worst = r.runs.flatMap((x) => x.topTasks ?? []).sort((a, b) => b.duration - a.duration)[0];
    parts.push(
      `longest main-thread task ${ms(s.longest)} (goal ≤ ${GOAL_TASK_MS} ms)` +
        (worst ? `, ${ms(worst.atMs)} after the file was chosen${worst.attribution ? ` (${worst.attribution})` : ''}` : ''),
    );
  }
  return `**Analyst view, 1M rows**: ${parts.join('; ')}.`;
}

/** The Markdown section (heading, table, notes; with `withMiss`, what dominates a missed goal). */
export function analystSection(r, { withMiss = true } = {}) {
  if (!r || r.error) return `${HEADING}\n\nnot measured: ${r?.error ?? 'no result'}`;
  const s = summarise(r);
  const ok = r.runs.filter((x) => !x.error);
  const spread = (f) => {
    const xs = ok.map(f);
    return xs.length > 1 ? ` (runs: ${xs.map((x) => Math.round(x)).join(', ')})` : '';
  };
  const rows = [
    ['time from choosing the file to the first full report, median', `${ms(s.toReport)}${spread((x) => x.ms)}`, `≤ ${ms(GOAL_MS)}`, mark(s.timeMet)],
    ['longest main-thread task during the import, worst run (0: none ≥ 50 ms)', `${ms(s.longest)}${spread((x) => x.longestTaskMs)}`, `≤ ${GOAL_TASK_MS} ms`, mark(s.taskMet)],
    ['main-thread tasks ≥ 50 ms during the import / their blocking time over 50 ms, median', `${median(ok.map((x) => x.longTasks))} / ${ms(median(ok.map((x) => x.blockingMs)))}`, '—', '—'],
    ['plain-JS reference in the same page (read in 8 MiB chunks, parse, validate, mean gaps with 95 % CI, alpha; main thread), median', `${ms(s.reference)}${r.reference.length > 1 ? ` (runs: ${r.reference.map((x) => Math.round(x.ms)).join(', ')})` : ''}`, '— (printed only)', '—'],
  ];
  const notes = [
    `Input: ${r.rows.toLocaleString('en')} rows, ${(r.fileBytes / 1e6).toFixed(1)} MB (\`bench/analyst-data.mjs\`, cached in \`${r.filePathShown}\`); ` +
      `${r.runs.length} run${r.runs.length === 1 ? '' : 's'}, each in a fresh page of ${r.browser}` +
      (r.load ? `; load average ${r.load.before.toFixed(1)} before and ${r.load.after?.toFixed(1) ?? '?'} after on ${cores} cores.` : '.'),
    'Time: from Playwright\'s `setInputFiles` on `#analyst-file` to `[data-testid=report][data-ready]`; long tasks from a `PerformanceObserver` (`longtask`) installed before the page loads, counted from the input\'s `change` event to the frame after the report appeared.',
  ];
  if (ok[0]?.summary) notes.push(`The page said: “${ok[0].summary}”.`);
  if (r.check) {
    notes.push(
      r.check.compared
        ? `The reference's ${r.check.compared} figures (per dimension n, mean gap, CI, alpha) equal the page's to ${r.check.maxDiff.toExponential(1)} (largest absolute difference).`
        : `The page's figures could not be compared with the reference: ${r.check.note}.`,
    );
  }
  const errors = r.runs.filter((x) => x.error).map((x) => x.error);
  if (errors.length) notes.push(`Failed runs: ${errors.join('; ')}.`);
  if (r.trace) notes.push(`Where the time goes${traceWords(r).replace(/^;/, ':')}.`);
  const miss = missLine(r, { trace: false });
  if (miss && withMiss) notes.push(`What dominates: ${miss.replace(/^\*\*[^*]*\*\*: /, '')}`);
  return `${HEADING}\n\n${table(['measure', 'value', 'goal', 'met?'], rows)}\n\n${notes.join(' ')}`;
}

/** Replaces (or adds, before "## What dominates the misses") this section in an existing BENCHMARKS.md. */
export function replaceSection(file, section) {
  if (!existsSync(file)) return false;
  const doc = readFileSync(file, 'utf8');
  const start = doc.indexOf('### 5. Analyst view');
  let next;
  if (start >= 0) {
    const rest = doc.slice(start + 1);
    const m = /\n(### |## )/.exec(rest);
    const end = m ? start + 1 + m.index : doc.length;
    next = `${doc.slice(0, start)}${section}\n${doc.slice(end)}`;
  } else {
    const at = doc.indexOf('## What dominates the misses');
    next = at >= 0 ? `${doc.slice(0, at)}${section}\n\n${doc.slice(at)}` : `${doc.trimEnd()}\n\n${section}\n`;
  }
  writeFileSync(file, next);
  return true;
}
