// Benchmark: the analyst view (/analyst) imports 1M SERVQUAL responses from a CSV file in headless
// Chromium. Per run (a fresh page each): the time from Playwright's setInputFiles to the first full
// report ([data-testid=report][data-ready]) and the main-thread long tasks meanwhile (PerformanceObserver
// `longtask`, installed before the page loads; `long-animation-frame` names the script behind the
// longest). Then, in the same page, the plain-JS reference (analyst-reference.js) computes the
// per-dimension mean gaps with 95 % CIs and Cronbach's alphas from the same file, timed, and its figures
// are compared with the page's. Prints a Markdown table, writes OUT.json, and replaces the analyst
// section of BENCHMARKS.md when asked to (--update-benchmarks, as scripts/bench-analyst.sh does alone).
// usage: node bench/analyst.mjs BASE_URL OUT.json [--update-benchmarks]
//   ANALYST_ROWS (1000000), ANALYST_RUNS (3), ANALYST_REF_RUNS (3), CHROME_PATH (/usr/bin/chromium)
import { createRequire } from 'node:module';
import { statSync, writeFileSync } from 'node:fs';
import { homedir, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureServqualCsv } from './analyst-data.mjs';
import { servqualReference } from './analyst-reference.js';
import { analystSection, GOAL_MS, GOAL_TASK_MS, replaceSection, summarise } from './analyst-report.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
// Playwright comes from the e2e tests' own install (e2e/package-lock.json); it drives Debian's Chromium.
const { chromium } = createRequire(join(root, 'e2e', 'package.json'))('@playwright/test');

const args = process.argv.slice(2);
const [base, outPath] = args.filter((a) => !a.startsWith('--'));
const updateBenchmarks = args.includes('--update-benchmarks');
if (!base || !outPath) {
  console.error('usage: node bench/analyst.mjs BASE_URL OUT.json [--update-benchmarks]');
  process.exit(2);
}
const ROWS = Number(process.env.ANALYST_ROWS ?? 1_000_000);
const RUNS = Number(process.env.ANALYST_RUNS ?? 3);
const REF_RUNS = Number(process.env.ANALYST_REF_RUNS ?? 3);
const TIMEOUT = Number(process.env.ANALYST_TIMEOUT_MS ?? 300_000);
// One more run under Chromium's tracer (not counted in the figures): where the time goes, by thread.
const TRACE = process.env.ANALYST_TRACE !== '0';

let t = performance.now();
const file = ensureServqualCsv(ROWS);
const fileBytes = statSync(file).size;
console.error(`input: ${file} (${(fileBytes / 1e6).toFixed(1)} MB, ready in ${((performance.now() - t) / 1000).toFixed(1)} s)`);

// Installed before any page script: records long tasks, long animation frames, the moment the file
// input changes and the moment the report is marked ready (and the frame after it).
function instrument() {
  const b = (window.__bench = { tasks: [], frames: [], change: null, ready: null, painted: null });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.tasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    b.noLongtask = true;
  }
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const s = [...(e.scripts ?? [])].sort((x, y) => y.duration - x.duration)[0];
        b.frames.push({
          start: e.startTime,
          duration: e.duration,
          script: s ? `${s.invokerType ?? ''} ${s.invoker ?? ''} ${(s.sourceURL ?? '').split('/').pop()} ${s.sourceFunctionName ?? ''}`.replace(/\s+/g, ' ').trim() : null,
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch {
    /* older browsers: no attribution */
  }
  document.addEventListener(
    'change',
    (e) => {
      if (e.target?.id === 'analyst-file' && b.change == null) b.change = performance.now();
    },
    true,
  );
  const check = () => {
    if (b.ready != null || b.change == null) return;
    if (document.querySelector('[data-testid=report][data-ready]')) {
      b.ready = performance.now();
      requestAnimationFrame(() => requestAnimationFrame(() => (b.painted = performance.now())));
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready'] });
}

/** The page's figures by data-stat path, with {value: x} wrappers unwrapped. */
function pageStats() {
  const out = {};
  for (const el of document.querySelectorAll('[data-testid=report] [data-stat]')) {
    out[el.dataset.stat.replace(/\.value$/, '')] = Number(el.dataset.value);
  }
  return out;
}

/**
 * Busy time per thread from a Chromium trace: the top-level tasks of the page's main thread and of its
 * workers (nested tasks are not counted twice), their garbage collection, and the event names that
 * take the most time on the busiest worker.
 */
function traceBreakdown(buffer) {
  const parsed = JSON.parse(buffer.toString());
  const events = parsed.traceEvents ?? parsed;
  const names = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args.name);
  const threads = new Map();
  for (const e of events) {
    if (e.ph !== 'X' || !e.dur) continue;
    const key = `${e.pid}:${e.tid}`;
    const name = names.get(key) ?? '';
    if (name !== 'CrRendererMain' && !name.startsWith('DedicatedWorker')) continue;
    if (!threads.has(key)) threads.set(key, { name, tasks: [], gc: 0, byName: new Map() });
    const t = threads.get(key);
    if (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask') t.tasks.push([e.ts, e.ts + e.dur]);
    else t.byName.set(e.name, (t.byName.get(e.name) ?? 0) + e.dur / 1000);
    if (/^(MajorGC|MinorGC|V8\.GC_(MARK_COMPACTOR|SCAVENGER|MC_BACKGROUND)$)/.test(e.name)) t.gc += e.dur / 1000;
  }
  const busy = (tasks) => {
    tasks.sort((a, b) => a[0] - b[0]);
    let total = 0;
    let end = -Infinity;
    for (const [s, e] of tasks) {
      if (s >= end) {
        total += e - s;
        end = e;
      } else if (e > end) {
        total += e - end;
        end = e;
      }
    }
    return total / 1000;
  };
  const list = [...threads.values()].map((t) => ({
    name: t.name,
    busyMs: busy(t.tasks),
    gcMs: t.gc,
    top: [...t.byName].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([n, ms]) => ({ name: n, ms })),
  }));
  const main = list.filter((t) => t.name === 'CrRendererMain').sort((a, b) => b.busyMs - a.busyMs)[0] ?? null;
  const workers = list.filter((t) => t.name.startsWith('DedicatedWorker')).sort((a, b) => b.busyMs - a.busyMs);
  return { main, workers };
}

const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
});
const result = {
  rows: ROWS,
  fileBytes,
  filePathShown: file.replace(homedir(), '~'),
  browser: `headless Chromium ${browser.version()}`,
  goal: { ms: GOAL_MS, longTaskMs: GOAL_TASK_MS },
  // Other work on the machine shows in every timing here: the 1-minute load average, before and after.
  load: { before: loadavg()[0], after: null },
  runs: [],
  reference: [],
  check: null,
};

for (let run = 0; run < RUNS + (TRACE ? 1 : 0); run++) {
  const traced = run === RUNS;
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.addInitScript(instrument);
  try {
    await page.goto(`${base}/analyst`);
    await page.locator('#analyst-file').waitFor({ state: 'attached', timeout: 30_000 });
    await page.locator('select#analyst-instrument').selectOption('servqual');
    const skip = page.locator('#analyst-skip');
    if (await skip.isChecked()) await skip.uncheck();
    if (traced) await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline', 'v8'] });
    const start = performance.now();
    await page.locator('#analyst-file').setInputFiles(file);
    await page.locator('[data-testid=report][data-ready]').waitFor({ state: 'attached', timeout: TIMEOUT });
    const elapsed = performance.now() - start;
    if (traced) {
      const t = traceBreakdown(await browser.stopTracing());
      result.trace = { ms: elapsed, ...t };
      console.error(
        `traced run: ${Math.round(elapsed)} ms; main thread busy ${Math.round(t.main?.busyMs ?? 0)} ms; ` +
          `workers busy ${t.workers.map((w) => `${Math.round(w.busyMs)} ms (GC ${Math.round(w.gcMs)} ms)`).join(', ') || 'none'}`,
      );
      await context.close();
      continue;
    }
    await page.waitForFunction(() => window.__bench.painted != null);
    const b = await page.evaluate(() => window.__bench);
    const during = b.tasks.filter((x) => x.start + x.duration > b.change && x.start < b.painted);
    const top = [...during].sort((x, y) => y.duration - x.duration).slice(0, 3).map((x) => {
      const frame = b.frames.find((f) => f.start <= x.start + 1 && f.start + f.duration >= x.start + x.duration - 1);
      return { duration: x.duration, atMs: x.start - b.change, attribution: frame?.script ?? null };
    });
    const summary = (await page.getByTestId('import-summary').textContent().catch(() => null))?.trim() ?? null;
    const r = {
      ms: elapsed,
      pageMs: b.painted - b.change,
      longestTaskMs: during.reduce((m, x) => Math.max(m, x.duration), 0),
      longTasks: during.length,
      blockingMs: during.reduce((s, x) => s + Math.max(0, x.duration - 50), 0),
      topTasks: top,
      longtaskObserver: !b.noLongtask,
      summary,
    };
    if (problems.length) r.pageErrors = problems;
    result.runs.push(r);
    console.error(
      `run ${run + 1}: ${Math.round(r.ms)} ms to the report (in the page ${Math.round(r.pageMs)} ms), ` +
        `longest task ${Math.round(r.longestTaskMs)} ms, ${r.longTasks} tasks ≥ 50 ms`,
    );

    if (run === RUNS - 1) {
      // The reference, in this same page, on the same file given to an input of its own (so that what
      // the page did with its input does not matter).
      await page.evaluate(() => {
        const input = document.createElement('input');
        input.type = 'file';
        input.id = 'bench-reference-file';
        input.hidden = true;
        document.body.append(input);
      });
      await page.locator('#bench-reference-file').setInputFiles(file);
      let last;
      for (let i = 0; i < REF_RUNS; i++) {
        last = await page.evaluate(
          `(async () => {
            const reference = ${servqualReference.toString()};
            const f = document.getElementById('bench-reference-file').files[0];
            const t0 = performance.now();
            const out = await reference(f);
            return { ms: performance.now() - t0, out };
          })()`,
        );
        result.reference.push({ ms: last.ms });
        console.error(`reference ${i + 1}: ${Math.round(last.ms)} ms (${last.out.valid} valid lines)`);
      }
      // The page's figures beside the reference's.
      const stats = await page.evaluate(pageStats);
      let compared = 0;
      let maxDiff = 0;
      const missing = [];
      last.out.dimensions.forEach((d, i) => {
        const p = `results.dimensions.${i}`;
        for (const [path, mine] of [
          [`${p}.gap.n`, d.n],
          [`${p}.gap.mean`, d.mean],
          [`${p}.gap.ci_low`, d.ci_low],
          [`${p}.gap.ci_high`, d.ci_high],
          [`${p}.reliability_gap.alpha`, d.alpha],
        ]) {
          if (!(path in stats)) {
            missing.push(path);
            continue;
          }
          compared++;
          maxDiff = Math.max(maxDiff, Math.abs(stats[path] - mine));
        }
      });
      result.check = {
        compared,
        maxDiff,
        referenceLines: last.out.lines,
        referenceValid: last.out.valid,
        note: missing.length ? `the page shows no ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}` : undefined,
      };
    }
  } catch (e) {
    if (traced) result.trace = null;
    else result.runs.push({ error: String(e.message ?? e).split('\n')[0] });
    console.error(`run ${run + 1} failed: ${e.message}`);
  }
  await context.close();
}
await browser.close();
result.load.after = loadavg()[0];

if (!result.runs.some((r) => !r.error)) result.error = result.runs[0]?.error ?? 'no run finished';
writeFileSync(outPath, JSON.stringify(result, null, 2));
const section = analystSection(result);
console.log(section);
if (updateBenchmarks) {
  const file = join(root, 'BENCHMARKS.md');
  console.error(replaceSection(file, section) ? `replaced the analyst section of ${file}` : `${file} does not exist: run scripts/bench.sh`);
}
const s = summarise(result);
process.exitCode = result.error ? 1 : 0;
if (result.error) console.error(`not measured: ${result.error}`);
else console.error(`goal (≤ ${GOAL_MS} ms, no task over ${GOAL_TASK_MS} ms): ${s.met ? 'met' : 'not met'}`);
